//! The drill's referee: what "fixed" means for a scenario and whether the
//! cluster got there. Pure: the clock and the cluster data are passed in.

pub mod goal;
pub mod path;

pub use goal::{CompiledGoal, GoalState, GoalTracker};
