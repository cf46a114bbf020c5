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
    let config: Config = serde_saphyr::from_str(text).map_err(|err| {
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
    fn a_missing_file_is_the_default() {
        let c = load(Path::new("/nonexistent/runbook/config.yaml")).expect("default");
        assert!(c.read_only_contexts.is_empty());
        assert_eq!(c.command_timeout(), std::time::Duration::from_secs(120));
    }
}
