//! How kubectl prints ages and restarts.

/// `45s`, `12m`, `3h4m`, `5d`, `2y` (kubectl's HumanDuration, simplified).
pub fn age(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..=119 => format!("{s}s"),
        120..=599 => {
            let (m, rs) = (s / 60, s % 60);
            if rs == 0 {
                format!("{m}m")
            } else {
                format!("{m}m{rs}s")
            }
        }
        600..=10_799 => {
            let (h, m) = (s / 3600, (s / 60) % 60);
            if h == 0 {
                format!("{m}m")
            } else if m == 0 {
                format!("{h}h")
            } else {
                format!("{h}h{m}m")
            }
        }
        10_800..=172_799 => format!("{}h", s / 3600),
        172_800..=31_535_999 => format!("{}d", s / 86_400),
        _ => format!("{}y", s / 31_536_000),
    }
}

/// `5 (2m ago)` or `0`.
pub fn restarts(count: u32, last: Option<i64>, now: i64) -> String {
    match last {
        Some(t) if count > 0 => format!("{count} ({} ago)", age(now - t)),
        _ => count.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_like_kubectl() {
        assert_eq!(age(45), "45s");
        assert_eq!(age(150), "2m30s");
        assert_eq!(age(720), "12m");
        assert_eq!(age(3600 + 240), "1h4m");
        assert_eq!(age(5 * 3600), "5h");
        assert_eq!(age(5 * 86_400), "5d");
        assert_eq!(age(800 * 86_400), "2y");
        assert_eq!(restarts(5, Some(1000), 1120), "5 (2m ago)");
        assert_eq!(restarts(0, None, 0), "0");
    }
}
