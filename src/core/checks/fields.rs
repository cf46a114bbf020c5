//! The data a check sees: the roots and the fields of each kind of object,
//! from the kind registry, so an unknown field is a validation error, not
//! a silent `false` at 3 a.m.

pub use crate::kinds::schema::{Schema, Ty};

/// Every root a check may read: each registered kind's, and `params`.
pub fn roots() -> Vec<(&'static str, Ty)> {
    crate::kinds::roots()
        .map(|(name, schema)| (name, Ty::List(schema)))
        .chain([("params", Ty::Map)])
        .collect()
}

/// Which fields of each kind of object an expression reads, so a row's CEL
/// value carries only those: at 100,000 pods the value is the cost of a
/// check. An object used whole (compared, returned, put in a list) or a list
/// used other than by a macro keeps every field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldUse {
    /// Bit `i` of a schema's mask: its field `i` is read.
    masks: Vec<(&'static str, u32)>,
    all: bool,
}

impl FieldUse {
    /// Every field of everything.
    pub fn all() -> FieldUse {
        FieldUse {
            masks: Vec::new(),
            all: true,
        }
    }

    fn slot(&mut self, schema: &'static Schema) -> &mut u32 {
        let i = match self.masks.iter().position(|(n, _)| *n == schema.name) {
            Some(i) => i,
            None => {
                self.masks.push((schema.name, 0));
                self.masks.len() - 1
            }
        };
        &mut self.masks[i].1
    }

    /// `ty`'s field number `index` (its place in the kind's field table).
    pub fn add(&mut self, ty: Ty, index: usize) {
        if let Some(schema) = ty.schema() {
            *self.slot(schema) |= 1 << index;
        }
    }

    /// Every field of `ty`, and of the objects it holds.
    pub fn whole(&mut self, ty: Ty) {
        if let Some(schema) = ty.schema() {
            *self.slot(schema) = u32::MAX;
            for (_, field) in schema.fields {
                if field.schema().is_some() {
                    self.whole(*field);
                }
            }
        }
    }

    pub fn union(&mut self, other: &FieldUse) {
        self.all |= other.all;
        for (name, mask) in &other.masks {
            match self.masks.iter_mut().find(|(n, _)| n == name) {
                Some((_, m)) => *m |= mask,
                None => self.masks.push((name, *mask)),
            }
        }
    }

    /// Bit `i` set: field `i` of the schema's table is read.
    pub fn mask(&self, ty: Ty) -> u32 {
        if self.all {
            return u32::MAX;
        }
        ty.schema()
            .and_then(|s| self.masks.iter().find(|(n, _)| *n == s.name))
            .map_or(0, |(_, m)| *m)
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
