//! The user's config file (`config.yaml` in the config dir): settings that
//! belong to the responder's machine, not to a playbook.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{col}: error: {message}")]
    Parse {
        path: PathBuf,
        line: u64,
        col: u64,
        message: String,
    },
    #[error("{path}: error: readOnlyContexts: bad pattern `{pattern}`: {reason}")]
    Pattern {
        path: PathBuf,
        pattern: String,
        reason: String,
    },
    #[error("{path}: error: alertmanager: {message}")]
    Alertmanager { path: PathBuf, message: String },
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Config {
    /// Contexts that always start read-only; `*` matches any run of
    /// characters, e.g. `prod-*` or `*-production`.
    #[serde(default)]
    pub read_only_contexts: Vec<String>,
    /// How long a command from a playbook may run, e.g. `2m`.
    #[serde(default)]
    pub command_timeout: Option<String>,
    /// Where firing alerts come from (`RUNBOOK_ALERTMANAGER_URL` and
    /// `--alertmanager` override the URL).
    #[serde(default)]
    pub alertmanager: Option<AlertmanagerConfig>,
    /// Confine every command to the session's gateway by the kernel
    /// (Landlock), not only in read-only sessions, which always are.
    #[serde(default)]
    pub confine_commands: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AlertmanagerConfig {
    /// `http(s)://host:9093`, with Alertmanager's path prefix if it has one.
    #[serde(default)]
    pub url: Option<String>,
    /// A file holding a bearer token (read at every request). Relative
    /// paths are relative to the config file's folder.
    #[serde(default)]
    pub bearer_token_file: Option<PathBuf>,
    #[serde(default)]
    pub basic_auth: Option<BasicAuth>,
    /// The deadline for one request, e.g. `5s` (the default).
    #[serde(default)]
    pub timeout: Option<String>,
}

#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BasicAuth {
    pub username: String,
    #[serde(default)]
    pub password: Option<String>,
    /// A file holding the password; preferred over `password`.
    #[serde(default)]
    pub password_file: Option<PathBuf>,
}

impl std::fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BasicAuth")
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("password_file", &self.password_file)
            .finish()
    }
}

impl AlertmanagerConfig {
    pub fn timeout(&self) -> Option<std::time::Duration> {
        self.timeout
            .as_deref()
            .and_then(|t| humantime::parse_duration(t).ok())
    }

    /// Checks what serde cannot, and makes credential paths absolute
    /// (relative to `dir`, the config file's folder).
    fn check(&mut self, dir: &Path) -> Result<(), String> {
        if self.url.as_deref().is_some_and(|u| u.trim().is_empty()) {
            return Err("url is empty".into());
        }
        if let Some(t) = &self.timeout {
            match humantime::parse_duration(t) {
                Ok(d) if !d.is_zero() => {}
                Ok(_) => return Err("timeout must be more than 0s".into()),
                Err(e) => return Err(format!("timeout `{t}` is not a duration like `5s`: {e}")),
            }
        }
        if self.bearer_token_file.is_some() && self.basic_auth.is_some() {
            return Err("give bearerTokenFile or basicAuth, not both".into());
        }
        if let Some(file) = &mut self.bearer_token_file {
            *file = dir.join(&*file);
        }
        if let Some(basic) = &mut self.basic_auth {
            match (&basic.password, &mut basic.password_file) {
                (Some(_), None) => {}
                (None, Some(file)) => *file = dir.join(&*file),
                _ => {
                    return Err("basicAuth needs exactly one of password and passwordFile".into());
                }
            }
        }
        Ok(())
    }
}

/// `RUNBOOK_CONFIG_DIR`, else the platform config dir (`~/.config/runbook`).
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("RUNBOOK_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "runbook").map(|d| d.config_dir().to_path_buf())
}

/// Loads `config.yaml` from the config dir; no file is the default config.
pub fn load_default() -> Result<Config, ConfigError> {
    match config_dir() {
        Some(dir) => load(&dir.join("config.yaml")),
        None => Ok(Config::default()),
    }
}

pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    parse(&text, path)
}

pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    if text.trim().is_empty() {
        return Ok(Config::default());
    }
    let mut config: Config = serde_saphyr::from_str(text).map_err(|err| {
        let (line, col) = err
            .location()
            .map_or((1, 1), |loc| (loc.line(), loc.column()));
        ConfigError::Parse {
            path: path.to_path_buf(),
            line,
            col,
            message: err.without_snippet().to_string(),
        }
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    if let Some(am) = &mut config.alertmanager {
        am.check(dir).map_err(|message| ConfigError::Alertmanager {
            path: path.to_path_buf(),
            message,
        })?;
    }
    for pattern in &config.read_only_contexts {
        glob_regex(pattern).map_err(|reason| ConfigError::Pattern {
            path: path.to_path_buf(),
            pattern: pattern.clone(),
            reason,
        })?;
    }
    Ok(config)
}

impl Config {
    /// Whether `context` matches one of the read-only patterns.
    pub fn is_read_only_context(&self, context: &str) -> bool {
        self.read_only_contexts
            .iter()
            .filter_map(|p| glob_regex(p).ok())
            .any(|re| re.is_match(context))
    }

    pub fn command_timeout(&self) -> std::time::Duration {
        self.command_timeout
            .as_deref()
            .and_then(|t| humantime::parse_duration(t).ok())
            .unwrap_or(std::time::Duration::from_secs(120))
    }
}

fn glob_regex(pattern: &str) -> Result<regex::Regex, String> {
    if pattern.is_empty() {
        return Err("empty pattern".into());
    }
    let body = pattern
        .split('*')
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(".*");
    regex::Regex::new(&format!("^{body}$")).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_whole_context_names() {
        let c = parse(
            "readOnlyContexts: [prod-*, '*-live', exact]\n",
            Path::new("c.yaml"),
        )
        .expect("parses");
        assert!(c.is_read_only_context("prod-eu1"));
        assert!(c.is_read_only_context("shop-live"));
        assert!(c.is_read_only_context("exact"));
        assert!(!c.is_read_only_context("staging"));
        assert!(!c.is_read_only_context("my-prod-eu1"));
        assert!(!c.is_read_only_context("exactly"));
    }

    #[test]
    fn dots_in_patterns_are_literal() {
        let c = parse("readOnlyContexts: [a.b]\n", Path::new("c.yaml")).expect("parses");
        assert!(c.is_read_only_context("a.b"));
        assert!(!c.is_read_only_context("axb"));
    }

    #[test]
    fn unknown_fields_are_errors_with_a_location() {
        let err = parse("readOnlyContext: [x]\n", Path::new("c.yaml")).expect_err("rejects");
        let text = err.to_string();
        assert!(text.starts_with("c.yaml:1:"), "{text}");
    }

    #[test]
    fn the_alertmanager_block_resolves_credential_paths_from_the_config_folder() {
        let c = parse(
            "alertmanager:\n  url: http://am:9093\n  bearerTokenFile: secrets/am-token\n  timeout: 3s\n",
            Path::new("/etc/runbook/config.yaml"),
        )
        .expect("parses");
        let am = c.alertmanager.expect("block");
        assert_eq!(am.url.as_deref(), Some("http://am:9093"));
        assert_eq!(
            am.bearer_token_file.as_deref(),
            Some(Path::new("/etc/runbook/secrets/am-token"))
        );
        assert_eq!(am.timeout(), Some(std::time::Duration::from_secs(3)));
        let c = parse(
            "alertmanager: { url: http://am, basicAuth: { username: ops, passwordFile: /run/pw } }\n",
            Path::new("c.yaml"),
        )
        .expect("parses");
        let basic = c.alertmanager.and_then(|a| a.basic_auth).expect("basic");
        assert_eq!(basic.password_file.as_deref(), Some(Path::new("/run/pw")));
    }

    #[test]
    fn alertmanager_mistakes_are_named() {
        for (text, expected) in [
            (
                "alertmanager: { url: http://am, basicAuth: { username: u } }\n",
                "exactly one of password and passwordFile",
            ),
            (
                "alertmanager: { url: http://am, basicAuth: { username: u, password: p }, bearerTokenFile: t }\n",
                "not both",
            ),
            (
                "alertmanager: { url: http://am, timeout: soon }\n",
                "timeout `soon`",
            ),
            ("alertmanager: { url: '' }\n", "url is empty"),
        ] {
            let err = parse(text, Path::new("c.yaml"))
                .expect_err(text)
                .to_string();
            assert!(err.starts_with("c.yaml: error: alertmanager: "), "{err}");
            assert!(err.contains(expected), "{err}");
        }
        let err = parse("alertmanager: { uri: http://am }\n", Path::new("c.yaml"))
            .expect_err("typo")
            .to_string();
        assert!(err.starts_with("c.yaml:1:"), "{err}");
    }

    #[test]
    fn passwords_are_not_debug_printed() {
        let c = parse(
            "alertmanager: { url: http://am, basicAuth: { username: u, password: hunter2 } }\n",
            Path::new("c.yaml"),
        )
        .expect("parses");
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn confine_commands_is_off_unless_asked_for() {
        let c = parse("confineCommands: true\n", Path::new("c.yaml")).expect("parses");
        assert!(c.confine_commands);
        let c = parse("commandTimeout: 1m\n", Path::new("c.yaml")).expect("parses");
        assert!(!c.confine_commands);
    }

    #[test]
    fn a_missing_file_is_the_default() {
        let c = load(Path::new("/nonexistent/runbook/config.yaml")).expect("default");
        assert!(c.read_only_contexts.is_empty());
        assert_eq!(c.command_timeout(), std::time::Duration::from_secs(120));
    }
}
