//! Credentials out of a command's output before anything keeps it:
//! `kubectl config view --raw` prints tokens, keys and passwords, and its
//! output goes to the screen, the journal, the export and an output file.

/// What a credential's value becomes.
pub const REDACTED: &str = "REDACTED";

/// What of a command's output is redacted before it is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Redact {
    #[default]
    Nothing,
    /// YAML or JSON: the values of credential keys.
    Credentials,
    /// Every line: the output can carry a credential with no key beside it
    /// (`config view --raw -o jsonpath='{.users[0].user.token}'`).
    Everything,
}

impl Redact {
    pub fn line(self, line: String) -> String {
        match self {
            Redact::Nothing => line,
            Redact::Credentials => credentials(&line),
            Redact::Everything => REDACTED.to_string(),
        }
    }
}

/// Keys whose values are credentials: `token`, `password`, any `*-data`
/// (`client-key-data`, `client-certificate-data`), and the auth
/// providers' secrets.
fn secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.ends_with("-data")
        || key.ends_with("token")
        || key.ends_with("password")
        || key.ends_with("secret")
        || key == "client-key"
}

/// One line of YAML or JSON output with every credential's value
/// replaced: `token: abc` → `token: REDACTED`, `"token": "abc",` →
/// `"token": "REDACTED",`.
pub fn credentials(line: &str) -> String {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    // A YAML list item: `- token: x`.
    let (dash, body) = match trimmed.strip_prefix("- ") {
        Some(rest) => ("- ", rest),
        None => ("", trimmed),
    };
    let Some((key, value)) = body.split_once(':') else {
        return line.to_string();
    };
    let bare = key.trim().trim_matches('"');
    if !secret_key(bare) || value.trim().is_empty() || value.trim() == "{" {
        return line.to_string();
    }
    let value = value.trim();
    let comma = if value.ends_with(',') { "," } else { "" };
    let quoted = value.starts_with('"');
    let shown = if quoted {
        format!("\"{REDACTED}\"")
    } else {
        REDACTED.to_string()
    };
    format!("{indent}{dash}{key}: {shown}{comma}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_credential_in_a_raw_kubeconfig_is_redacted() {
        let raw = "apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tQ0E=
    server: https://10.0.0.1:6443
  name: prod
users:
- name: admin
  user:
    client-certificate-data: LS0tQ0VSVA==
    client-key-data: LS0tS0VZ
    token: eyJhbGciOi.secret
    password: hunter2
- name: other
  user:
    username: admin";
        let out: Vec<String> = raw.lines().map(credentials).collect();
        let out = out.join("\n");
        for secret in [
            "LS0tQ0E=",
            "LS0tQ0VSVA==",
            "LS0tS0VZ",
            "eyJhbGciOi.secret",
            "hunter2",
        ] {
            assert!(!out.contains(secret), "{secret} left in:\n{out}");
        }
        assert!(out.contains("    token: REDACTED"), "{out}");
        assert!(out.contains("server: https://10.0.0.1:6443"), "{out}");
        assert!(out.contains("username: admin"), "{out}");
        let json = r#"        "token": "eyJhbGciOi.secret","#;
        assert_eq!(credentials(json), r#"        "token": "REDACTED","#);
        assert_eq!(
            credentials("    client-key-data: {"),
            "    client-key-data: {"
        );
    }
}
