//! Rows → CEL values, built only for the lists an expression reads, only
//! for the rows in scope, and with only the fields it reads (`FieldUse`).
//! Each kind gives its values by name (`kinds::Fields`); numbers are signed
//! so `p.restarts > 5` compares like with like. The maps are built
//! directly, with their keys made once per list: at 100,000 pods a row's
//! value is most of what a check costs.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use cel::Value;
use cel::objects::{Key, Map};

use super::fields::{FieldUse, Ty};
use crate::kinds::{Ctx, Fields, Schema, Val};

/// A schema's CEL keys, and the mask of the fields read.
type Known = (Vec<Key>, u32);

/// Builds the values of one evaluation: the field use and each schema's
/// keys and mask, looked up once.
pub struct Builder<'u> {
    uses: &'u FieldUse,
    schemas: RefCell<HashMap<&'static str, Arc<Known>>>,
}

impl<'u> Builder<'u> {
    pub fn new(uses: &'u FieldUse) -> Builder<'u> {
        Builder {
            uses,
            schemas: RefCell::new(HashMap::new()),
        }
    }

    fn schema(&self, schema: &'static Schema) -> Arc<Known> {
        self.schemas
            .borrow_mut()
            .entry(schema.name)
            .or_insert_with(|| {
                let keys = schema
                    .fields
                    .iter()
                    .map(|(f, _)| Key::String(Arc::new(f.to_string())))
                    .collect();
                Arc::new((keys, self.uses.mask(Ty::Object(schema))))
            })
            .clone()
    }

    /// One object's map, with the fields the expression reads.
    pub fn object(&self, schema: &'static Schema, row: &dyn Fields, ctx: &Ctx) -> Value {
        let known = self.schema(schema);
        let (keys, mask) = (&known.0, known.1);
        let mut map = HashMap::with_capacity(mask.count_ones().min(16) as usize);
        for (i, (name, _)) in schema.fields.iter().enumerate() {
            if mask & (1 << i) != 0 {
                map.insert(keys[i].clone(), self.value(row.field(name, ctx), ctx));
            }
        }
        Value::Map(Map { map: Arc::new(map) })
    }

    fn value(&self, v: Val, ctx: &Ctx) -> Value {
        match v {
            Val::Str(s) => text(s),
            Val::String(s) => Value::String(Arc::new(s)),
            Val::Int(n) => Value::Int(n),
            Val::Bool(b) => Value::Bool(b),
            Val::Strs(items) => Value::List(Arc::new(items.into_iter().map(text).collect())),
            Val::Map(pairs) => string_map(pairs.into_iter()),
            Val::Objects(schema, rows) => Value::List(Arc::new(
                rows.into_iter()
                    .map(|r| self.object(schema, r, ctx))
                    .collect(),
            )),
        }
    }
}

fn text(s: &str) -> Value {
    Value::String(Arc::new(s.to_string()))
}

fn string_map<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Value {
    let map: HashMap<Key, Value> = pairs
        .map(|(k, v)| (Key::String(Arc::new(k.to_string())), text(v)))
        .collect();
    Value::Map(Map { map: Arc::new(map) })
}

pub fn params(p: &BTreeMap<String, String>) -> Value {
    string_map(p.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::rows::{ContainerRow, PodRow};
    use crate::kinds::{self, REGISTRY};

    fn keys_of(v: &Value) -> Vec<String> {
        let Value::Map(m) = v else {
            panic!("not a map: {v:?}")
        };
        let mut keys: Vec<String> = m
            .map
            .keys()
            .map(|k| match k {
                Key::String(s) => s.to_string(),
                other => format!("{other:?}"),
            })
            .collect();
        keys.sort();
        keys
    }

    fn sorted(schema: &Schema) -> Vec<String> {
        let mut names: Vec<String> = schema.fields.iter().map(|(f, _)| f.to_string()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_whole_object_has_every_field_its_table_names() {
        let all = FieldUse::all();
        let b = Builder::new(&all);
        let ctx = Ctx::new(0, None);
        let pod = PodRow {
            containers: Box::new([ContainerRow::default()]),
            ..PodRow::default()
        };
        let value = b.object(&kinds::pod::SCHEMA, &pod, &ctx);
        assert_eq!(keys_of(&value), sorted(&kinds::pod::SCHEMA));
        let Value::Map(m) = &value else { panic!() };
        let containers = m.map.get(&Key::String(Arc::new("containers".into())));
        let Some(Value::List(list)) = containers else {
            panic!("{containers:?}")
        };
        assert_eq!(keys_of(&list[0]), sorted(&kinds::pod::CONTAINER));
        // Every kind names a value for every field of its table.
        for k in REGISTRY {
            let Some(schema) = k.schema() else { continue };
            assert!(schema.fields.len() <= 32, "{} fits a mask", schema.name);
        }
    }

    #[test]
    fn only_the_fields_read_are_made() {
        let mut uses = FieldUse::default();
        uses.add(Ty::Object(&kinds::pod::SCHEMA), 4); // status
        let b = Builder::new(&uses);
        let v = b.object(&kinds::pod::SCHEMA, &PodRow::default(), &Ctx::new(0, None));
        assert_eq!(keys_of(&v), ["status"]);
    }
}
