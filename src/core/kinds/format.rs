//! How kubectl prints: ages, restarts and the small pieces its table
//! printers share. The one printing module for the panes and the
//! simulator's `kubectl get` tables, ported from kubectl
//! (`apimachinery/pkg/util/duration.HumanDuration` and
//! `pkg/printers/internalversion/printers.go`), so the two never disagree.

/// kubectl's `duration.HumanDuration`: `45s`, `2m30s`, `64m`, `3h4m`,
/// `20h`, `3d1h`, `40d`, `2y30d`, `9y`. A clock up to a second behind
/// reads `0s`; further behind, `<invalid>`.
pub fn age(seconds: i64) -> String {
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    let s = seconds.max(0);
    let (minutes, hours) = (s / 60, s / 3600);
    let days = hours / 24;
    if s < 120 {
        format!("{s}s")
    } else if minutes < 10 {
        match s % 60 {
            0 => format!("{minutes}m"),
            rest => format!("{minutes}m{rest}s"),
        }
    } else if minutes < 180 {
        format!("{minutes}m")
    } else if hours < 8 {
        match minutes % 60 {
            0 => format!("{hours}h"),
            m => format!("{hours}h{m}m"),
        }
    } else if hours < 48 {
        format!("{hours}h")
    } else if hours < 24 * 8 {
        match hours % 24 {
            0 => format!("{days}d"),
            h => format!("{days}d{h}h"),
        }
    } else if hours < 24 * 365 * 2 {
        format!("{days}d")
    } else if hours < 24 * 365 * 8 {
        match days % 365 {
            0 => format!("{}y", days / 365),
            d => format!("{}y{d}d", days / 365),
        }
    } else {
        format!("{}y", days / 365)
    }
}

/// The AGE of an object created at `created` (Unix seconds), as kubectl's
/// `translateTimestampSince`: `<unknown>` without a timestamp.
pub fn age_since(created: Option<i64>, now: i64) -> String {
    created.map_or_else(|| "<unknown>".to_string(), |c| age(now - c))
}

/// `5 (2m ago)` or `0`: kubectl's RESTARTS with the last restart's age.
pub fn restarts(count: u32, last: Option<i64>, now: i64) -> String {
    match last {
        Some(t) if count > 0 => format!("{count} ({} ago)", age(now - t)),
        _ => count.to_string(),
    }
}

/// `<none>` for an empty value, as kubectl prints one.
pub fn or_none(text: impl Into<String>) -> String {
    let text = text.into();
    if text.is_empty() {
        "<none>".to_string()
    } else {
        text
    }
}

/// A list joined with commas, at most `max` items, then ` + N more...`
/// (kubectl's `formatHosts` and `formatEndpoints`).
pub fn list_more(items: &[impl AsRef<str>], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(AsRef::as_ref).collect();
    let joined = shown.join(",");
    match items.len().saturating_sub(max) {
        0 => joined,
        more => format!("{joined} + {more} more..."),
    }
}

/// A label map as kubectl prints a selector: `app=web,tier=api`.
pub fn selector<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cases of apimachinery's `TestHumanDuration`, and the two the
    /// panes got wrong before (`1h4m` for 64m, `1h` for 60m).
    #[test]
    fn ages_read_exactly_like_kubectl() {
        let cases: &[(i64, &str)] = &[
            (-2, "<invalid>"),
            (-1, "0s"),
            (0, "0s"),
            (1, "1s"),
            (45, "45s"),
            (119, "119s"),
            (120, "2m"),
            (150, "2m30s"),
            (599, "9m59s"),
            (600, "10m"),
            (3600, "60m"),
            (3840, "64m"),
            (179 * 60 + 59, "179m"),
            (3 * 3600, "3h"),
            (3 * 3600 + 120, "3h2m"),
            (8 * 3600 - 1, "7h59m"),
            (8 * 3600, "8h"),
            (20 * 3600, "20h"),
            (48 * 3600 - 1, "47h"),
            (48 * 3600, "2d"),
            (3 * 86_400 + 3600, "3d1h"),
            (8 * 86_400 - 1, "7d23h"),
            (8 * 86_400, "8d"),
            (40 * 86_400, "40d"),
            (2 * 365 * 86_400 - 1, "729d"),
            (2 * 365 * 86_400, "2y"),
            (2 * 365 * 86_400 + 30 * 86_400, "2y30d"),
            (8 * 365 * 86_400, "8y"),
            (10 * 365 * 86_400 + 5 * 86_400, "10y"),
        ];
        for (seconds, want) in cases {
            assert_eq!(age(*seconds), *want, "age({seconds})");
        }
        assert_eq!(age_since(None, 0), "<unknown>");
        assert_eq!(restarts(5, Some(1000), 1120), "5 (2m ago)");
        assert_eq!(restarts(0, None, 0), "0");
    }

    #[test]
    fn lists_and_selectors_print_like_kubectl() {
        assert_eq!(
            list_more(&["a", "b", "c", "d", "e"], 3),
            "a,b,c + 2 more..."
        );
        assert_eq!(list_more(&["a"], 4), "a");
        assert_eq!(or_none(""), "<none>");
        assert_eq!(
            selector([("app", "web"), ("tier", "api")].into_iter()),
            "app=web,tier=api"
        );
    }
}
