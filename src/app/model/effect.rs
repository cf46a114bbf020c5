//! What `update` asks the shell to do. Every effect that answers carries
//! the request id its answer will name.

use super::msg::RequestId;
use crate::engine::Event;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Make these events durable, then answer with `Msg::Journaled`. The
    /// journal actor numbers them.
    Journal {
        id: RequestId,
        events: Vec<Event>,
    },
    /// Copy to the clipboard with OSC 52.
    Copy(String),
    /// A step was entered.
    EnteredStep(String),
    /// Start a planned command; output arrives as `Msg::Command`.
    RunCommand {
        id: RequestId,
        planned: crate::exec::Planned,
    },
    CancelCommand(RequestId),
    /// Widen the panes to all namespaces (true) or back to the focus.
    AllNamespaces(bool),
    /// Watch these kinds (the panes on screen and the checks' roots) and
    /// no others.
    WatchKinds(Vec<crate::kinds::KindId>),
    /// Count every pod of these nodes (the ones the nodes pane shows).
    CountPods(Vec<String>),
    PreviewAction {
        id: RequestId,
        request: crate::cluster::actions::ActionRequest,
    },
    ExecuteAction {
        id: RequestId,
        request: crate::cluster::actions::ActionRequest,
    },
    /// Ask a running action (a drain) to stop between its requests.
    StopAction(RequestId),
    /// Fetch an object for the detail view.
    FetchDetail {
        id: RequestId,
        kind: &'static str,
        namespace: String,
        name: String,
    },
    /// Fetch a pod's logs (of the previous container, or the running one).
    FetchLogs {
        id: RequestId,
        namespace: String,
        name: String,
        previous: bool,
    },
    /// Follow a pod's logs, replacing any other followed log.
    FollowLogs {
        id: RequestId,
        namespace: String,
        name: String,
    },
    StopLogs,
    /// Evaluate the checks off the loop; answers with `Msg::Checked`.
    EvaluateChecks {
        id: RequestId,
        job: Box<crate::checks::CheckJob>,
    },
    /// Create an Alertmanager silence; answers with `Msg::SilenceCreated`.
    CreateSilence {
        id: RequestId,
        request: crate::alerts::silence::SilenceRequest,
    },
    /// Expire one of the session's silences; answers `Msg::SilenceExpired`.
    ExpireSilence {
        id: RequestId,
        silence: String,
    },
    /// Point the panes, checks and actions at another kube context.
    SwitchContext(String),
    Quit,
}
