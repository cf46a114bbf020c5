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

/// Which fields of each kind of object an expression reads, so a row's CEL
/// value carries only those: at 100,000 pods the value is the cost of a
/// check. An object used whole (compared, returned, put in a list) or a list
/// used other than by a macro keeps every field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FieldUse {
    masks: [u32; 5],
}

impl FieldUse {
    pub const ALL: FieldUse = FieldUse {
        masks: [u32::MAX; 5],
    };

    fn slot(ty: Ty) -> Option<usize> {
        match ty {
            Ty::Pod => Some(0),
            Ty::Container => Some(1),
            Ty::Node => Some(2),
            Ty::Event => Some(3),
            Ty::Deployment => Some(4),
            _ => None,
        }
    }

    /// `ty`'s field number `index` (its place in the kind's field table).
    pub fn add(&mut self, ty: Ty, index: usize) {
        if let Some(slot) = FieldUse::slot(ty) {
            self.masks[slot] |= 1 << index;
        }
    }

    /// Every field of `ty`, and of the objects it holds.
    pub fn whole(&mut self, ty: Ty) {
        if let Some(slot) = FieldUse::slot(ty) {
            self.masks[slot] = u32::MAX;
        }
        if ty == Ty::Pod {
            self.whole(Ty::Container);
        }
    }

    pub fn union(&mut self, other: &FieldUse) {
        for (m, o) in self.masks.iter_mut().zip(other.masks) {
            *m |= o;
        }
    }

    /// Bit `i` set: field `i` of `ty`'s table is read.
    pub fn mask(&self, ty: Ty) -> u32 {
        FieldUse::slot(ty).map_or(0, |slot| self.masks[slot])
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
