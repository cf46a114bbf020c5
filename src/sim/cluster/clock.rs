//! The cluster's one clock. Simulated time follows the wall clock (sped up
//! by the scenario's `timeScale`), or stands still until a test steps it,
//! so nothing in the simulator depends on how fast a machine is.

use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone)]
pub struct Clock {
    /// When the simulator started, in simulated time (`after:` phases count from it).
    start: Timestamp,
    /// The wall-clock instant `anchor` was taken, and the simulated time then.
    anchor_real: Instant,
    anchor: Timestamp,
    /// Simulated seconds per real second; 0 when only [`Clock::step`] moves time.
    scale: f64,
}

impl Clock {
    pub fn new(start: Timestamp, scale: f64) -> Clock {
        Clock {
            start,
            anchor_real: Instant::now(),
            anchor: start,
            scale: if scale.is_finite() {
                scale.max(0.0)
            } else {
                1.0
            },
        }
    }

    pub fn start(&self) -> Timestamp {
        self.start
    }

    /// Simulated seconds per real second (0: only stepped).
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Where simulated time has got to, in whole seconds (Kubernetes
    /// writes whole-second times, and every rule compares them).
    pub fn target(&self) -> Timestamp {
        let elapsed = self.anchor_real.elapsed().as_secs_f64() * self.scale;
        let moved = SignedDuration::try_from_secs_f64(elapsed).unwrap_or(SignedDuration::ZERO);
        let t = self.anchor.checked_add(moved).unwrap_or(self.anchor);
        Timestamp::from_second(t.as_second()).unwrap_or(t)
    }

    /// Moves simulated time forward by `by`, whatever the scale (the test hook).
    pub fn step(&mut self, by: Duration) {
        let by = SignedDuration::try_from(by).unwrap_or(SignedDuration::ZERO);
        self.anchor = self.anchor.checked_add(by).unwrap_or(self.anchor);
    }

    /// Time since the start, for `after:` triggers.
    pub fn since_start(&self, now: Timestamp) -> Duration {
        Duration::try_from(now.duration_since(self.start)).unwrap_or(Duration::ZERO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopped_clock_moves_only_when_stepped() {
        let start = Timestamp::from_second(1_750_000_000).unwrap();
        let mut clock = Clock::new(start, 0.0);
        assert_eq!(clock.target(), start);
        clock.step(Duration::from_secs(90));
        assert_eq!(clock.target().as_second(), 1_750_000_090);
        assert_eq!(clock.since_start(clock.target()), Duration::from_secs(90));
    }
}
