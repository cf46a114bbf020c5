//! Owner uids: an object a scenario lists without `metadata.uid` takes the
//! uid its dependents' controller references give it. kubectl follows
//! those references (`rollout undo` and `rollout history` find a
//! Deployment's ReplicaSets by the controller's uid), and a real server
//! would never have them disagree.

use std::collections::HashMap;

use serde_json::Value;

type Owner = (String, String, String); // kind, namespace, name

/// Fills in missing uids from the ownerReferences that name the object.
pub fn adopt_owner_uids(objects: &mut [Value]) {
    let mut uids: HashMap<Owner, String> = HashMap::new();
    for o in objects.iter() {
        let ns = o["metadata"]["namespace"].as_str().unwrap_or_default();
        let Some(refs) = o["metadata"]["ownerReferences"].as_array() else {
            continue;
        };
        for r in refs {
            if let (Some(kind), Some(name), Some(uid)) =
                (r["kind"].as_str(), r["name"].as_str(), r["uid"].as_str())
            {
                uids.entry((kind.into(), ns.into(), name.into()))
                    .or_insert_with(|| uid.into());
            }
        }
    }
    for o in objects.iter_mut() {
        let key = (
            o["kind"].as_str().unwrap_or_default().to_string(),
            o["metadata"]["namespace"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            o["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
        let has_uid = o["metadata"]["uid"].as_str().is_some_and(|u| !u.is_empty());
        if !has_uid
            && let Some(uid) = uids.get(&key)
            && let Some(meta) = o["metadata"].as_object_mut()
        {
            meta.insert("uid".into(), Value::String(uid.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::adopt_owner_uids;

    #[test]
    fn a_deployment_takes_the_uid_its_replica_sets_name() {
        let mut objects = vec![
            json!({"kind": "Deployment", "metadata": {"name": "cart", "namespace": "shop"}}),
            json!({"kind": "ReplicaSet", "metadata": {"name": "cart-1", "namespace": "shop",
                "ownerReferences": [{"kind": "Deployment", "name": "cart", "uid": "u-1", "controller": true}]}}),
            json!({"kind": "Deployment", "metadata": {"name": "cart", "namespace": "other"}}),
            json!({"kind": "Deployment", "metadata": {"name": "web", "namespace": "shop", "uid": "given"}}),
        ];
        adopt_owner_uids(&mut objects);
        assert_eq!(objects[0]["metadata"]["uid"], "u-1");
        assert!(
            objects[2]["metadata"]["uid"].is_null(),
            "another namespace's cart"
        );
        assert_eq!(
            objects[3]["metadata"]["uid"], "given",
            "a uid given is kept"
        );
    }
}
