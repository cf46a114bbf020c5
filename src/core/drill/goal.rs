//! A scenario's `goal`: a check over the same data the playbook's checks
//! see (`checks::` compiles and evaluates it over a `Snapshot`), that must
//! hold without a break for `for`. The tracker is told what the cluster
//! looks like at which moment (`now`, Unix seconds of the drill's clock)
//! and says whether the goal is met, holding, or reached, and when.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::checks::{self, CheckError, CheckOutcome, CompiledCheck, Scope};
use crate::engine::CheckResult;
use crate::kinds::snapshot::Snapshot;

/// What "fixed" means for a drill: a check over the playbook check data,
/// held for a while (a scenario's `goal:`); evaluated by the referee.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    pub check: String,
    #[serde(rename = "for", default, deserialize_with = "hold")]
    pub hold: Duration,
    /// A label selector that replaces the playbook focus's for the goal
    /// (same namespace): the pods a fix must heal when they are not the
    /// ones the playbook looks at.
    #[serde(default)]
    pub selector: Option<String>,
    /// What "fixed" looks like to a user, in words, for the briefing (the
    /// check itself would spell out the fix).
    #[serde(default)]
    pub description: Option<String>,
}

fn hold<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    use serde::Deserialize;
    let text = String::deserialize(d)?;
    humantime::parse_duration(text.trim())
        .map_err(|e| serde::de::Error::custom(format!("invalid duration {text:?}: {e}")))
}

/// A goal compiled once.
#[derive(Debug)]
pub struct CompiledGoal {
    check: CompiledCheck,
    source: String,
    hold: Duration,
    selector: Option<String>,
}

impl CompiledGoal {
    /// Compiles `goal.check` with the data model the playbook checks use
    /// (unknown fields and variables are errors, as in `runbook validate`).
    pub fn compile(goal: &Goal) -> Result<CompiledGoal, CheckError> {
        Ok(CompiledGoal {
            check: checks::compile(&goal.check)?,
            source: goal.check.clone(),
            hold: goal.hold,
            selector: goal.selector.clone(),
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// How long it must hold.
    pub fn hold(&self) -> Duration {
        self.hold
    }

    /// The scope the goal is evaluated in: the playbook's, with the goal's
    /// own label selector instead of the focus's when it names one (a goal
    /// about the pods that call a broken Service, say).
    pub fn scope(&self, playbook: &Scope) -> Scope {
        match &self.selector {
            None => playbook.clone(),
            Some(selector) => playbook
                .clone()
                .with_selector(selector)
                .unwrap_or_else(|_| playbook.clone()),
        }
    }

    /// The check's outcome on this data (no memory of earlier moments).
    pub fn evaluate(
        &self,
        snapshot: &Snapshot,
        scope: &Scope,
        params: &BTreeMap<String, String>,
        now: i64,
    ) -> CheckOutcome {
        checks::evaluate(&self.check, snapshot, &self.scope(scope), params, now)
    }
}

/// Where a drill stands against its goal.
#[derive(Debug, Clone, PartialEq)]
pub enum GoalState {
    /// The data cannot tell yet (no cluster, forbidden, loading).
    Unknown(String),
    /// The check fails.
    NotMet,
    /// The check passes since `since`; `left` more and the goal is reached.
    Holding { since: i64, left: Duration },
    /// It held for the whole `for`: passing since `since`, reached at `at`
    /// (`since` + `for`). Stays reached even if the cluster breaks later:
    /// the drill was fixed then.
    Reached { since: i64, at: i64 },
}

impl GoalState {
    pub fn is_reached(&self) -> bool {
        matches!(self, GoalState::Reached { .. })
    }
}

/// Tracks "held for `for`" over successive observations.
#[derive(Debug)]
pub struct GoalTracker {
    goal: CompiledGoal,
    since: Option<i64>,
    reached: Option<(i64, i64)>,
    last: GoalState,
    /// The last outcome, with its evidence (the objects that fail an `all`).
    pub outcome: Option<CheckOutcome>,
}

impl GoalTracker {
    pub fn new(goal: CompiledGoal) -> GoalTracker {
        GoalTracker {
            goal,
            since: None,
            reached: None,
            last: GoalState::Unknown("not evaluated yet".into()),
            outcome: None,
        }
    }

    pub fn goal(&self) -> &CompiledGoal {
        &self.goal
    }

    /// Evaluates the goal on the cluster as it is at `now`.
    pub fn observe(
        &mut self,
        snapshot: &Snapshot,
        scope: &Scope,
        params: &BTreeMap<String, String>,
        now: i64,
    ) -> GoalState {
        let outcome = self.goal.evaluate(snapshot, scope, params, now);
        let state = self.record(outcome.result, outcome.detail.clone(), now);
        self.outcome = Some(outcome);
        state
    }

    /// Folds one result at `now` in (observations must come in time order).
    pub fn record(&mut self, result: CheckResult, detail: Option<String>, now: i64) -> GoalState {
        let state = match result {
            CheckResult::Pass => {
                let since = *self.since.get_or_insert(now);
                let hold = i64::try_from(self.goal.hold.as_secs()).unwrap_or(i64::MAX);
                let at = since.saturating_add(hold);
                if now >= at && self.reached.is_none() {
                    self.reached = Some((since, at));
                }
                let left = Duration::from_secs(u64::try_from(at - now).unwrap_or(0));
                GoalState::Holding { since, left }
            }
            CheckResult::Fail => {
                self.since = None;
                GoalState::NotMet
            }
            // Not knowing is not a break: a reconnect does not undo a fix.
            CheckResult::Unknown => {
                GoalState::Unknown(detail.unwrap_or_else(|| "unknown".to_string()))
            }
        };
        self.last = match self.reached {
            Some((since, at)) => GoalState::Reached { since, at },
            None => state,
        };
        self.last.clone()
    }

    /// The state after the last observation.
    pub fn state(&self) -> &GoalState {
        &self.last
    }

    /// When the goal will be reached if it keeps passing (to step a clock to).
    pub fn due(&self) -> Option<i64> {
        let hold = i64::try_from(self.goal.hold.as_secs()).unwrap_or(i64::MAX);
        match (self.reached, self.since) {
            (None, Some(since)) => Some(since.saturating_add(hold)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::kinds::rows::PodRow;
    use crate::kinds::snapshot::{Connection, ResourceState, Rows};

    fn goal(check: &str, hold: u64, selector: Option<&str>) -> CompiledGoal {
        CompiledGoal::compile(&Goal {
            check: check.into(),
            hold: Duration::from_secs(hold),
            selector: selector.map(str::to_string),
            description: None,
        })
        .unwrap()
    }

    fn pod(name: &str, app: &str, ready: bool) -> Arc<PodRow> {
        Arc::new(PodRow {
            name: name.into(),
            namespace: "shop".into(),
            status: "Running".into(),
            phase: "Running".into(),
            ready_containers: u32::from(ready),
            total_containers: 1,
            labels: crate::kinds::labels::Labels::from([("app", app)]),
            ..PodRow::default()
        })
    }

    fn snapshot(pods: Vec<Arc<PodRow>>) -> Snapshot {
        Snapshot {
            connection: Connection::Live,
            ..Snapshot::default()
        }
        .with::<crate::kinds::pod::Pods>(Rows {
            state: ResourceState::Live,
            rows: Arc::new(pods),
        })
    }

    const READY: &str = "pods.size() > 0 && pods.all(p, p.ready)";

    #[test]
    fn it_must_hold_for_the_whole_time_and_a_break_starts_over() {
        let mut t = GoalTracker::new(goal(READY, 30, None));
        let scope = Scope::default();
        let params = BTreeMap::new();
        let broken = snapshot(vec![pod("a", "web", false)]);
        let fixed = snapshot(vec![pod("a", "web", true)]);
        assert_eq!(t.observe(&broken, &scope, &params, 100), GoalState::NotMet);
        assert_eq!(
            t.observe(&fixed, &scope, &params, 110),
            GoalState::Holding {
                since: 110,
                left: Duration::from_secs(30)
            }
        );
        assert_eq!(t.due(), Some(140));
        assert_eq!(t.observe(&broken, &scope, &params, 120), GoalState::NotMet);
        t.observe(&fixed, &scope, &params, 130);
        assert!(!t.observe(&fixed, &scope, &params, 159).is_reached());
        assert_eq!(
            t.observe(&fixed, &scope, &params, 160),
            GoalState::Reached {
                since: 130,
                at: 160
            }
        );
        // Reached stays reached: the drill was fixed at 160.
        assert_eq!(
            t.observe(&broken, &scope, &params, 200),
            GoalState::Reached {
                since: 130,
                at: 160
            }
        );
    }

    #[test]
    fn unknown_data_neither_breaks_nor_passes() {
        let mut t = GoalTracker::new(goal(READY, 10, None));
        let scope = Scope::default();
        let params = BTreeMap::new();
        t.observe(&snapshot(vec![pod("a", "web", true)]), &scope, &params, 0);
        let offline = Snapshot::default();
        assert!(matches!(
            t.observe(&offline, &scope, &params, 5),
            GoalState::Unknown(_)
        ));
        assert!(
            t.observe(&snapshot(vec![pod("a", "web", true)]), &scope, &params, 10)
                .is_reached()
        );
    }

    #[test]
    fn a_goal_selector_looks_at_other_pods_of_the_namespace() {
        let g = goal(READY, 0, Some("app=frontend"));
        let playbook = Scope::new(Some("shop".into()), Some("app=cart"), None).unwrap();
        let data = snapshot(vec![
            pod("cart-1", "cart", true),
            pod("fe-1", "frontend", false),
        ]);
        let params = BTreeMap::new();
        assert_eq!(
            g.evaluate(&data, &playbook, &params, 0).result,
            CheckResult::Fail,
            "the frontend pod is not ready"
        );
        let plain = goal(READY, 0, None);
        assert_eq!(
            plain.evaluate(&data, &playbook, &params, 0).result,
            CheckResult::Pass
        );
        assert!(
            CompiledGoal::compile(&Goal {
                check: "pods.all(p, p.redy)".into(),
                hold: Duration::ZERO,
                selector: None,
                description: None,
            })
            .is_err()
        );
    }
}
