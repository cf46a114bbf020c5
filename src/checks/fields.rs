//! The data a check sees: the fields of each kind of object, so an unknown
//! field is a validation error, not a silent `false` at 3 a.m.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Pods,
    Pod,
    Containers,
    Container,
    Nodes,
    Node,
    Events,
    Event,
    Deployments,
    Deployment,
    /// A map with any keys (labels, conditions, params).
    Map,
    /// A scalar or something we do not track.
    Any,
}

pub const ROOTS: &[(&str, Ty)] = &[
    ("pods", Ty::Pods),
    ("nodes", Ty::Nodes),
    ("events", Ty::Events),
    ("deployments", Ty::Deployments),
    ("params", Ty::Map),
];

pub const POD_FIELDS: &[(&str, Ty)] = &[
    ("name", Ty::Any),
    ("namespace", Ty::Any),
    ("node", Ty::Any),
    ("phase", Ty::Any),
    ("status", Ty::Any),
    ("ready", Ty::Any),
    ("readyContainers", Ty::Any),
    ("totalContainers", Ty::Any),
    ("restarts", Ty::Any),
    ("ageSeconds", Ty::Any),
    ("labels", Ty::Map),
    ("owner", Ty::Any),
    ("containers", Ty::Containers),
];

pub const CONTAINER_FIELDS: &[(&str, Ty)] = &[
    ("name", Ty::Any),
    ("image", Ty::Any),
    ("ready", Ty::Any),
    ("restarts", Ty::Any),
    ("state", Ty::Any),
    ("reason", Ty::Any),
    ("exitCode", Ty::Any),
    ("lastReason", Ty::Any),
    ("lastExitCode", Ty::Any),
];

pub const NODE_FIELDS: &[(&str, Ty)] = &[
    ("name", Ty::Any),
    ("status", Ty::Any),
    ("ready", Ty::Any),
    ("unschedulable", Ty::Any),
    ("conditions", Ty::Map),
    ("roles", Ty::Any),
    ("version", Ty::Any),
    ("labels", Ty::Map),
    ("taints", Ty::Any),
];

pub const EVENT_FIELDS: &[(&str, Ty)] = &[
    ("type", Ty::Any),
    ("reason", Ty::Any),
    ("message", Ty::Any),
    ("kind", Ty::Any),
    ("name", Ty::Any),
    ("namespace", Ty::Any),
    ("count", Ty::Any),
    ("ageSeconds", Ty::Any),
];

pub const DEPLOYMENT_FIELDS: &[(&str, Ty)] = &[
    ("name", Ty::Any),
    ("namespace", Ty::Any),
    ("replicas", Ty::Any),
    ("ready", Ty::Any),
    ("updated", Ty::Any),
    ("available", Ty::Any),
    ("images", Ty::Any),
];

impl Ty {
    /// The fields of an object type, with the name used in messages.
    pub fn fields(self) -> Option<(&'static str, &'static [(&'static str, Ty)])> {
        match self {
            Ty::Pod => Some(("pods", POD_FIELDS)),
            Ty::Container => Some(("containers", CONTAINER_FIELDS)),
            Ty::Node => Some(("nodes", NODE_FIELDS)),
            Ty::Event => Some(("events", EVENT_FIELDS)),
            Ty::Deployment => Some(("deployments", DEPLOYMENT_FIELDS)),
            _ => None,
        }
    }

    /// The element type of a list type.
    pub fn element(self) -> Ty {
        match self {
            Ty::Pods => Ty::Pod,
            Ty::Containers => Ty::Container,
            Ty::Nodes => Ty::Node,
            Ty::Events => Ty::Event,
            Ty::Deployments => Ty::Deployment,
            _ => Ty::Any,
        }
    }
}

/// Functions a check may call (CEL's standard library, as the `cel` crate
/// provides it). Operators are not named here: they cannot be misspelt.
pub const FUNCTIONS: &[&str] = &[
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "has",
    "exists",
    "all",
    "exists_one",
    "filter",
    "map",
    "int",
    "uint",
    "double",
    "string",
    "bool",
    "max",
    "min",
    "type",
    "dyn",
    "bytes",
];
