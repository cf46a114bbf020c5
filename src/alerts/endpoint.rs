//! Where Alertmanager is: `--alertmanager URL`, else
//! `RUNBOOK_ALERTMANAGER_URL`, else the config file's `alertmanager.url`.
//!
//! Credentials come only from the config file, and they are only sent to
//! the config's own URL: a URL given on the command line or in the
//! environment gets them only when the config names no URL (credentials
//! written for "whatever Alertmanager I point at"). A typo'd flag must not
//! hand a token to another host.

use super::client::{Auth, DEFAULT_TIMEOUT, Endpoint, Secret};
use crate::config::AlertmanagerConfig;

/// Which setting gave the URL, for messages ("set by --alertmanager").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Flag,
    Env,
    Config,
}

impl Origin {
    pub fn describe(self) -> &'static str {
        match self {
            Origin::Flag => "--alertmanager",
            Origin::Env => "RUNBOOK_ALERTMANAGER_URL",
            Origin::Config => "the config file's alertmanager.url",
        }
    }
}

/// The environment variable that names Alertmanager.
pub const ENV: &str = "RUNBOOK_ALERTMANAGER_URL";

/// The endpoint from the flag, the environment and the user's config file.
pub fn configured(
    flag: Option<&str>,
) -> Result<Option<(Endpoint, Origin)>, crate::config::ConfigError> {
    let config = crate::config::load_default()?;
    let env = std::env::var(ENV).ok();
    Ok(resolve(flag, env.as_deref(), config.alertmanager.as_ref()))
}

/// How to name an Alertmanager, for when none is.
pub fn how_to_configure() -> String {
    let file = crate::config::config_dir()
        .map(|d| d.join("config.yaml").display().to_string())
        .unwrap_or_else(|| "config.yaml".into());
    format!("give --alertmanager URL, set {ENV}, or add `alertmanager: {{ url: URL }}` to {file}")
}

/// The endpoint to use, or None when nothing names an Alertmanager.
/// Empty values count as unset.
pub fn resolve(
    flag: Option<&str>,
    env: Option<&str>,
    config: Option<&AlertmanagerConfig>,
) -> Option<(Endpoint, Origin)> {
    let config_url = config.and_then(|c| nonempty(c.url.as_deref()));
    let (url, origin) = nonempty(flag)
        .map(|u| (u, Origin::Flag))
        .or_else(|| nonempty(env).map(|u| (u, Origin::Env)))
        .or_else(|| config_url.map(|u| (u, Origin::Config)))?;
    let same = |a: &str, b: &str| a.trim_end_matches('/') == b.trim_end_matches('/');
    let credentials_apply = config_url.is_none_or(|c| same(c, url));
    let auth = match config {
        Some(c) if credentials_apply => auth_of(c),
        _ => Auth::None,
    };
    let timeout = config
        .and_then(AlertmanagerConfig::timeout)
        .unwrap_or(DEFAULT_TIMEOUT);
    Some((
        Endpoint {
            url: url.to_string(),
            auth,
            timeout,
        },
        origin,
    ))
}

fn nonempty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn auth_of(c: &AlertmanagerConfig) -> Auth {
    if let Some(file) = &c.bearer_token_file {
        return Auth::BearerTokenFile(file.clone());
    }
    match &c.basic_auth {
        Some(b) => Auth::Basic {
            username: b.username.clone(),
            password: match (&b.password_file, &b.password) {
                (Some(file), _) => Secret::File(file.clone()),
                (None, Some(p)) => Secret::Inline(p.clone()),
                (None, None) => Secret::Inline(String::new()),
            },
        },
        None => Auth::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: Option<&str>) -> AlertmanagerConfig {
        AlertmanagerConfig {
            url: url.map(str::to_string),
            bearer_token_file: Some("/run/token".into()),
            basic_auth: None,
            timeout: Some("2s".into()),
        }
    }

    #[test]
    fn the_flag_beats_the_environment_beats_the_config() {
        let c = config(Some("http://config:9093"));
        let (e, o) = resolve(Some("http://flag"), Some("http://env"), Some(&c)).expect("some");
        assert_eq!((e.url.as_str(), o), ("http://flag", Origin::Flag));
        let (e, o) = resolve(None, Some("http://env"), Some(&c)).expect("some");
        assert_eq!((e.url.as_str(), o), ("http://env", Origin::Env));
        let (e, o) = resolve(Some(" "), Some(""), Some(&c)).expect("some");
        assert_eq!((e.url.as_str(), o), ("http://config:9093", Origin::Config));
        assert_eq!(e.timeout, std::time::Duration::from_secs(2));
        assert!(resolve(None, None, None).is_none());
        assert!(resolve(None, None, Some(&config(None))).is_none());
    }

    #[test]
    fn credentials_go_only_to_the_configs_own_url() {
        let c = config(Some("http://config:9093"));
        let (e, _) = resolve(Some("http://elsewhere"), None, Some(&c)).expect("some");
        assert_eq!(e.auth, Auth::None);
        let (e, _) = resolve(Some("http://config:9093/"), None, Some(&c)).expect("some");
        assert_eq!(e.auth, Auth::BearerTokenFile("/run/token".into()));
        let (e, _) = resolve(Some("http://any"), None, Some(&config(None))).expect("some");
        assert_eq!(e.auth, Auth::BearerTokenFile("/run/token".into()));
    }
}
