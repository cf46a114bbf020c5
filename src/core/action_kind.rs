//! The built-in actions, one vocabulary for all who name them: the playbook
//! (`actions: [{kind: cordon}]`), the cluster edge that performs them and
//! the simulator's phases that fire on them. A leaf module, so none of those
//! depends on another to share it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    Cordon,
    Uncordon,
    Drain,
    DeletePod,
    RolloutRestart,
    Scale,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Cordon => "cordon",
            ActionKind::Uncordon => "uncordon",
            ActionKind::Drain => "drain",
            ActionKind::DeletePod => "delete-pod",
            ActionKind::RolloutRestart => "rollout-restart",
            ActionKind::Scale => "scale",
        }
    }
}
