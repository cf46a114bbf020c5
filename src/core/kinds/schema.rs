//! What a check sees of a kind: its field table (names and types, for the
//! check compiler's walk) and each row's values, given by name. Values are
//! neutral (`Val`), so the registry knows nothing of CEL; `checks::data`
//! turns them into CEL values, building only the fields a check reads.

use std::cell::OnceCell;
use std::collections::HashSet;

use crate::kinds::snapshot::Snapshot;

/// A field's type, as far as the compiler's walk needs it.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// A list of objects of a schema (a root, or a row's `containers`).
    List(&'static Schema),
    /// One object of a schema (a list's element).
    Object(&'static Schema),
    /// A map with any keys (labels, conditions, selectors, params).
    Map,
    /// A scalar, or a list of scalars.
    Any,
}

impl PartialEq for Ty {
    fn eq(&self, other: &Ty) -> bool {
        match (self, other) {
            (Ty::List(a), Ty::List(b)) | (Ty::Object(a), Ty::Object(b)) => a.name == b.name,
            (Ty::Map, Ty::Map) | (Ty::Any, Ty::Any) => true,
            _ => false,
        }
    }
}

impl Eq for Ty {}

impl Ty {
    /// The fields of an object type, with the name used in messages.
    pub fn fields(self) -> Option<(&'static str, &'static [(&'static str, Ty)])> {
        match self {
            Ty::Object(s) => Some((s.name, s.fields)),
            _ => None,
        }
    }

    /// The element type of a list type.
    pub fn element(self) -> Ty {
        match self {
            Ty::List(s) => Ty::Object(s),
            _ => Ty::Any,
        }
    }

    /// The schema of an object or list type.
    pub fn schema(self) -> Option<&'static Schema> {
        match self {
            Ty::List(s) | Ty::Object(s) => Some(s),
            _ => None,
        }
    }
}

/// One kind of object a check can read: `pods`, a pod's `containers`.
#[derive(Debug)]
pub struct Schema {
    /// Unique: the root's name for a kind, the field's name for nested ones.
    pub name: &'static str,
    pub fields: &'static [(&'static str, Ty)],
}

/// A field's value. Missing values are `""` or 0, never absent, so
/// `c.lastReason == "OOMKilled"` is plainly false when it never ended.
pub enum Val<'a> {
    Str(&'a str),
    String(String),
    Int(i64),
    Bool(bool),
    Strs(Vec<&'a str>),
    Map(Vec<(&'a str, &'a str)>),
    Objects(&'static Schema, Vec<&'a dyn Fields>),
}

/// A row (or a part of one) as a check sees it.
pub trait Fields {
    /// The value of the field `name` of this object's schema.
    fn field<'a>(&'a self, name: &str, ctx: &Ctx<'a>) -> Val<'a>;
}

/// What values may look up besides their own row: the clock, and the rest
/// of the snapshot (a Service's endpoints, whether an Ingress's backend
/// Service exists).
pub struct Ctx<'a> {
    pub now: i64,
    pub snapshot: Option<&'a Snapshot>,
    services: OnceCell<HashSet<(String, String)>>,
}

impl<'a> Ctx<'a> {
    pub fn new(now: i64, snapshot: Option<&'a Snapshot>) -> Ctx<'a> {
        Ctx {
            now,
            snapshot,
            services: OnceCell::new(),
        }
    }

    /// Seconds since `t` (0 when unknown or in the future).
    pub fn age(&self, t: Option<i64>) -> i64 {
        t.map_or(0, |t| (self.now - t).max(0))
    }

    /// Whether a Service `namespace/name` is in the snapshot (made into a
    /// set once per context, not scanned per row).
    pub fn service_exists(&self, namespace: &str, name: &str) -> bool {
        let set = self.services.get_or_init(|| {
            self.snapshot
                .map(|s| {
                    s.rows::<super::service::Services>()
                        .rows
                        .iter()
                        .map(|r| (r.namespace.to_string(), r.name.to_string()))
                        .collect()
                })
                .unwrap_or_default()
        });
        set.contains(&(namespace.to_string(), name.to_string()))
    }
}
