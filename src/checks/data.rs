//! Rows → CEL values, built only for the lists an expression reads, only
//! for the rows in scope, and with only the fields it reads (`FieldUse`).
//! Numbers are signed so `p.restarts > 5` compares like with like. The maps
//! are built directly, with their keys made once: at 100,000 pods a row's
//! value is most of what a check costs.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use cel::Value;
use cel::objects::{Key, Map};

use super::fields::{FieldUse, Ty};
use crate::cluster::rows::{ContainerRow, DeploymentRow, EventRow, NodeRow, PodRow};

fn table(kind: Ty) -> &'static [(&'static str, Ty)] {
    kind.fields().map_or(&[], |(_, fields)| fields)
}

/// Each kind's field names as CEL map keys, made once.
fn keys(kind: Ty) -> &'static [Key] {
    static KEYS: OnceLock<Vec<Vec<Key>>> = OnceLock::new();
    const KINDS: [Ty; 5] = [Ty::Pod, Ty::Container, Ty::Node, Ty::Event, Ty::Deployment];
    let all = KEYS.get_or_init(|| {
        KINDS
            .iter()
            .map(|k| {
                table(*k)
                    .iter()
                    .map(|(f, _)| Key::String(Arc::new(f.to_string())))
                    .collect()
            })
            .collect()
    });
    KINDS
        .iter()
        .position(|k| *k == kind)
        .map_or(&[], |i| &all[i])
}

/// One object's map, its fields given in the order of its kind's table
/// (`fields.rs`); a field the expression does not read is never made.
struct Object {
    names: &'static [(&'static str, Ty)],
    keys: &'static [Key],
    mask: u32,
    next: usize,
    map: HashMap<Key, Value>,
}

impl Object {
    fn new(kind: Ty, uses: &FieldUse) -> Object {
        let mask = uses.mask(kind);
        Object {
            names: table(kind),
            keys: keys(kind),
            mask,
            next: 0,
            map: HashMap::with_capacity(mask.count_ones().min(16) as usize),
        }
    }

    fn field(mut self, name: &str, value: impl FnOnce() -> Value) -> Object {
        let i = self.next;
        self.next += 1;
        debug_assert_eq!(self.names.get(i).map(|(n, _)| *n), Some(name));
        if self.mask & (1 << i) != 0
            && let Some(key) = self.keys.get(i)
        {
            self.map.insert(key.clone(), value());
        }
        self
    }

    fn done(self) -> Value {
        debug_assert_eq!(self.next, self.names.len(), "every field is given");
        Value::Map(Map {
            map: Arc::new(self.map),
        })
    }
}

fn text(s: &str) -> Value {
    Value::String(Arc::new(s.to_string()))
}

fn int(n: impl Into<i64>) -> Value {
    Value::Int(n.into())
}

fn string_map<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Value {
    let map: HashMap<Key, Value> = pairs
        .map(|(k, v)| (Key::String(Arc::new(k.to_string())), text(v)))
        .collect();
    Value::Map(Map { map: Arc::new(map) })
}

fn string_list(items: &[String]) -> Value {
    Value::List(Arc::new(items.iter().map(|s| text(s)).collect()))
}

fn age(created: Option<i64>, now: i64) -> i64 {
    created.map_or(0, |c| (now - c).max(0))
}

fn container(c: &ContainerRow, uses: &FieldUse) -> Value {
    Object::new(Ty::Container, uses)
        .field("name", || text(&c.name))
        .field("image", || text(&c.image))
        .field("ready", || Value::Bool(c.ready))
        .field("restarts", || int(c.restarts))
        .field("state", || text(&c.state))
        .field("reason", || text(c.reason.as_deref().unwrap_or("")))
        .field("exitCode", || int(c.exit_code.unwrap_or(0)))
        .field("lastReason", || {
            text(c.last_reason.as_deref().unwrap_or(""))
        })
        .field("lastExitCode", || int(c.last_exit_code.unwrap_or(0)))
        .done()
}

pub fn pod(p: &PodRow, now: i64, uses: &FieldUse) -> Value {
    Object::new(Ty::Pod, uses)
        .field("name", || text(&p.name))
        .field("namespace", || text(&p.namespace))
        .field("node", || text(p.node.as_deref().unwrap_or("")))
        .field("phase", || text(&p.phase))
        .field("status", || text(&p.status))
        .field("ready", || {
            Value::Bool(p.total_containers > 0 && p.ready_containers == p.total_containers)
        })
        .field("readyContainers", || int(p.ready_containers))
        .field("totalContainers", || int(p.total_containers))
        .field("restarts", || int(p.restarts))
        .field("ageSeconds", || int(age(p.created_at, now)))
        .field("labels", || string_map(p.labels.iter()))
        .field("owner", || text(p.owner.as_deref().unwrap_or("")))
        .field("containers", || {
            Value::List(Arc::new(
                p.containers
                    .iter()
                    .filter(|c| !c.init)
                    .map(|c| container(c, uses))
                    .collect(),
            ))
        })
        .done()
}

pub fn node(n: &NodeRow, uses: &FieldUse) -> Value {
    Object::new(Ty::Node, uses)
        .field("name", || text(&n.name))
        .field("status", || text(&n.status))
        .field("ready", || Value::Bool(n.ready == Some(true)))
        .field("unschedulable", || Value::Bool(n.unschedulable))
        .field("conditions", || {
            // A condition the kubelet does not report reads as "", like any
            // missing value, so `n.conditions.NetworkUnavailable == "True"`
            // is false rather than an error on clusters without it.
            let missing = ["Ready"]
                .iter()
                .chain(&crate::cluster::project::PRESSURE_CONDITIONS)
                .filter(|c| !n.conditions.contains_key(**c))
                .map(|c| (*c, ""));
            string_map(
                n.conditions
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .chain(missing),
            )
        })
        .field("roles", || string_list(&n.roles))
        .field("version", || text(&n.version))
        .field("labels", || string_map(n.labels.iter()))
        .field("taints", || string_list(&n.taints))
        .done()
}

pub fn event(e: &EventRow, now: i64, uses: &FieldUse) -> Value {
    Object::new(Ty::Event, uses)
        .field("type", || text(&e.type_))
        .field("reason", || text(&e.reason))
        .field("message", || text(&e.message))
        .field("kind", || text(&e.kind))
        .field("name", || text(&e.object_name))
        .field("namespace", || text(&e.namespace))
        .field("count", || int(e.count))
        .field("ageSeconds", || int(age(e.last_seen, now)))
        .done()
}

pub fn deployment(d: &DeploymentRow, uses: &FieldUse) -> Value {
    Object::new(Ty::Deployment, uses)
        .field("name", || text(&d.name))
        .field("namespace", || text(&d.namespace))
        .field("replicas", || int(d.replicas))
        .field("ready", || int(d.ready))
        .field("updated", || int(d.updated))
        .field("available", || int(d.available))
        .field("images", || string_list(&d.images))
        .done()
}

pub fn params(p: &BTreeMap<String, String>) -> Value {
    string_map(p.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::fields::{
        CONTAINER_FIELDS, DEPLOYMENT_FIELDS, EVENT_FIELDS, NODE_FIELDS, POD_FIELDS,
    };

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

    fn sorted(fields: &[(&str, Ty)]) -> Vec<String> {
        let mut names: Vec<String> = fields.iter().map(|(f, _)| f.to_string()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_whole_object_has_every_field_its_table_names() {
        let all = FieldUse::ALL;
        let pod = PodRow {
            containers: Box::new([ContainerRow::default()]),
            ..PodRow::default()
        };
        let value = super::pod(&pod, 0, &all);
        assert_eq!(keys_of(&value), sorted(POD_FIELDS));
        let Value::Map(m) = &value else { panic!() };
        let containers = m.map.get(&Key::String(Arc::new("containers".into())));
        let Some(Value::List(list)) = containers else {
            panic!("{containers:?}")
        };
        assert_eq!(keys_of(&list[0]), sorted(CONTAINER_FIELDS));
        assert_eq!(
            keys_of(&node(&NodeRow::default(), &all)),
            sorted(NODE_FIELDS)
        );
        assert_eq!(
            keys_of(&event(&EventRow::default(), 0, &all)),
            sorted(EVENT_FIELDS)
        );
        assert_eq!(
            keys_of(&deployment(&DeploymentRow::default(), &all)),
            sorted(DEPLOYMENT_FIELDS)
        );
    }

    #[test]
    fn only_the_fields_read_are_made() {
        let mut uses = FieldUse::default();
        uses.add(Ty::Pod, 4); // status
        assert_eq!(keys_of(&pod(&PodRow::default(), 0, &uses)), ["status"]);
    }
}
