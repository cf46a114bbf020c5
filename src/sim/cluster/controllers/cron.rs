//! Cron schedules as the CronJob controller reads them: five fields
//! (minute hour day-of-month month day-of-week) with `*`, `*/n`, ranges,
//! steps and lists, and the `@hourly`-style names; times in UTC.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    fields: [Vec<bool>; 5],
    /// Day-of-month and day-of-week both restricted: either may match (cron's rule).
    either_day: bool,
}

const RANGES: [(u32, u32); 5] = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)];

impl Schedule {
    pub fn parse(text: &str) -> Result<Schedule, String> {
        let text = match text.trim() {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            other => other,
        };
        let parts: Vec<&str> = text.split_whitespace().collect();
        if parts.len() != 5 {
            return Err(format!(
                "expected exactly 5 fields, found {}: {text}",
                parts.len()
            ));
        }
        let mut fields: [Vec<bool>; 5] = Default::default();
        for (i, part) in parts.iter().enumerate() {
            fields[i] = field(part, RANGES[i])?;
        }
        let either_day = parts[2] != "*" && parts[4] != "*";
        Ok(Schedule { fields, either_day })
    }

    fn matches(&self, t: Timestamp) -> bool {
        let z = t.to_zoned(TimeZone::UTC);
        let get = |i: usize, v: i64| self.fields[i].get(v as usize).copied().unwrap_or(false);
        let dom = get(2, i64::from(z.day()));
        let dow = get(4, i64::from(z.weekday().to_sunday_zero_offset()));
        let day = if self.either_day {
            dom || dow
        } else {
            dom && dow
        };
        get(0, i64::from(z.minute()))
            && get(1, i64::from(z.hour()))
            && get(3, i64::from(z.month()))
            && day
    }

    /// The first scheduled minute strictly after `t` (within four years).
    pub fn next_after(&self, t: Timestamp) -> Option<Timestamp> {
        let start = t.as_second().div_euclid(60) * 60 + 60;
        let mut at = Timestamp::from_second(start).ok()?;
        for _ in 0..(4 * 366 * 24 * 60) {
            if self.matches(at) {
                return Some(at);
            }
            at = at.checked_add(SignedDuration::from_mins(1)).ok()?;
        }
        None
    }
}

fn field(text: &str, (lo, hi): (u32, u32)) -> Result<Vec<bool>, String> {
    let mut set = vec![false; hi as usize + 1];
    for item in text.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => (
                r,
                s.parse::<u32>()
                    .map_err(|_| format!("bad step in {item:?}"))?,
            ),
            None => (item, 1),
        };
        let (a, b) = if range == "*" {
            (lo, hi)
        } else if let Some((a, b)) = range.split_once('-') {
            (num(a)?, num(b)?)
        } else {
            let a = num(range)?;
            (a, if item.contains('/') { hi } else { a })
        };
        // Sunday is 0 or 7.
        let b = if hi == 6 && b == 7 { 6 } else { b };
        let a = if hi == 6 && a == 7 { 0 } else { a };
        if a < lo || b > hi || a > b || step == 0 {
            return Err(format!("{item:?} is out of range {lo}-{hi}"));
        }
        let mut v = a;
        while v <= b {
            set[v as usize] = true;
            v += step;
        }
    }
    Ok(set)
}

fn num(text: &str) -> Result<u32, String> {
    text.parse()
        .map_err(|_| format!("{text:?} is not a number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn every_five_minutes_and_nightly() {
        let s = Schedule::parse("*/5 * * * *").unwrap();
        assert_eq!(
            s.next_after(at("2025-06-01T12:00:00Z")),
            Some(at("2025-06-01T12:05:00Z"))
        );
        assert_eq!(
            s.next_after(at("2025-06-01T12:03:10Z")),
            Some(at("2025-06-01T12:05:00Z"))
        );
        let nightly = Schedule::parse("30 2 * * *").unwrap();
        assert_eq!(
            nightly.next_after(at("2025-06-01T12:00:00Z")),
            Some(at("2025-06-02T02:30:00Z"))
        );
        let weekdays = Schedule::parse("0 9 * * 1-5").unwrap();
        // 2025-06-01 is a Sunday.
        assert_eq!(
            weekdays.next_after(at("2025-06-01T00:00:00Z")),
            Some(at("2025-06-02T09:00:00Z"))
        );
        assert!(Schedule::parse("61 * * * *").is_err());
        assert!(Schedule::parse("* * *").is_err());
        assert_eq!(
            Schedule::parse("@hourly").unwrap(),
            Schedule::parse("0 * * * *").unwrap()
        );
    }
}
