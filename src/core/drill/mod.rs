//! The drill's referee: what "fixed" means for a scenario and whether the
//! cluster got there; the briefing a trainee reads first; the report that
//! grades the drill from its journal. Pure: the clock and the cluster data
//! are passed in.

pub mod briefing;
pub mod goal;
pub mod path;
pub mod progress;
pub mod report;
pub mod report_text;

pub use briefing::Briefing;
pub use goal::{CompiledGoal, Goal, GoalState, GoalTracker};
