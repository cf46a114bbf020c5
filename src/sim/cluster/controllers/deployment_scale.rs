//! A Deployment resized mid-rollout (`kubectl scale`, an autoscaler):
//! the deployment controller's `isScalingEvent` and `scale`, which share
//! the new replicas out among the active ReplicaSets in proportion to
//! their size (by the `max-replicas` annotation each carries from its last
//! scaling), leftovers to the largest, instead of rolling.

use serde_json::{Value, json};

use super::deployment::{DESIRED, MAX_REPLICAS, fenceposts, replicas};

/// Whether some active ReplicaSet was sized for another replica count.
pub(super) fn is_scaling_event(rses: &[Value], desired: i64) -> bool {
    rses.iter().filter(|rs| replicas(rs) > 0).any(|rs| {
        rs["metadata"]["annotations"][DESIRED]
            .as_str()
            .and_then(|v| v.parse::<i64>().ok())
            .is_some_and(|annotated| annotated != desired)
    })
}

/// `scale`: the new sizes of `rses` (`new` is the current template's).
/// Returns the indexes whose replicas or annotations it sets, with the
/// direction for the event ("up"/"down").
pub(super) fn scale(
    d: &Value,
    status_replicas: i64,
    rses: &mut [Value],
    new: usize,
    desired: i64,
) -> Vec<(usize, &'static str)> {
    let (surge, _) = fenceposts(d, desired);
    let active: Vec<usize> = (0..rses.len())
        .filter(|i| replicas(&rses[*i]) > 0)
        .collect();
    // One active ReplicaSet (or none: the newest) takes the whole count.
    let only = match active.as_slice() {
        [one] => Some(*one),
        [] => Some(new),
        _ => None,
    };
    if let Some(i) = only {
        if replicas(&rses[i]) == desired {
            return Vec::new();
        }
        let direction = if desired > replicas(&rses[i]) {
            "up"
        } else {
            "down"
        };
        resize(&mut rses[i], desired, desired, surge);
        return vec![(i, direction)];
    }
    // A saturated new ReplicaSet: the old ones go.
    let saturated = replicas(&rses[new]) == desired
        && rses[new]["metadata"]["annotations"][DESIRED].as_str()
            == Some(desired.to_string().as_str())
        && rses[new]["status"]["availableReplicas"]
            .as_i64()
            .unwrap_or(0)
            >= desired;
    if saturated {
        return active
            .into_iter()
            .filter(|i| *i != new)
            .map(|i| {
                resize(&mut rses[i], 0, desired, surge);
                (i, "down")
            })
            .collect();
    }
    if d["spec"]["strategy"]["type"] == "Recreate" {
        return Vec::new();
    }
    let total: i64 = active.iter().map(|i| replicas(&rses[*i])).sum();
    let allowed = if desired > 0 { desired + surge } else { 0 };
    let to_add = allowed - total;
    let mut order = active.clone();
    let created = |rs: &Value| {
        rs["metadata"]["creationTimestamp"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    order.sort_by(|a, b| {
        let (ra, rb) = (&rses[*a], &rses[*b]);
        replicas(rb).cmp(&replicas(ra)).then_with(|| {
            if to_add > 0 {
                created(rb).cmp(&created(ra))
            } else {
                created(ra).cmp(&created(rb))
            }
        })
    });
    let direction = if to_add > 0 { "up" } else { "down" };
    let mut sizes: Vec<i64> = Vec::with_capacity(order.len());
    let mut added = 0;
    for &i in &order {
        let size = replicas(&rses[i]);
        if to_add == 0 {
            sizes.push(size);
            continue;
        }
        let proportion = proportion(status_replicas, &rses[i], desired, surge, to_add, added);
        sizes.push(size + proportion);
        added += proportion;
    }
    if to_add != 0
        && let Some(largest) = sizes.first_mut()
    {
        *largest = (*largest + to_add - added).max(0);
    }
    order
        .iter()
        .zip(sizes)
        .map(|(&i, size)| {
            resize(&mut rses[i], size, desired, surge);
            (i, direction)
        })
        .collect()
}

/// `GetReplicaSetProportion`: this ReplicaSet's share of `to_add`.
fn proportion(
    status_replicas: i64,
    rs: &Value,
    desired: i64,
    surge: i64,
    to_add: i64,
    added: i64,
) -> i64 {
    let size = replicas(rs);
    if size == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = if desired == 0 {
        -size
    } else {
        let before = rs["metadata"]["annotations"][MAX_REPLICAS]
            .as_str()
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|v| *v != 0)
            .unwrap_or(status_replicas);
        if before == 0 {
            0
        } else {
            ((size * (desired + surge)) as f64 / before as f64).round() as i64 - size
        }
    };
    let allowed = to_add - added;
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

fn resize(rs: &mut Value, size: i64, desired: i64, surge: i64) {
    rs["spec"]["replicas"] = json!(size.max(0));
    let annotations = &mut rs["metadata"]["annotations"];
    annotations[DESIRED] = json!(desired.to_string());
    annotations[MAX_REPLICAS] = json!((desired + surge).to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rs(name: &str, created: &str, size: i64, desired: i64, max: i64) -> Value {
        json!({ "metadata": { "name": name, "creationTimestamp": created, "annotations": {
                    DESIRED: desired.to_string(), MAX_REPLICAS: max.to_string() } },
                "spec": { "replicas": size }, "status": {} })
    }

    #[test]
    fn a_resize_mid_rollout_is_shared_in_proportion() {
        // The Kubernetes documentation's example: 10 replicas, maxSurge 3,
        // mid-rollout with 8 old and 5 new, scaled to 15: 18 allowed, 5 to
        // add, 3 to the old ReplicaSet (round(8*18/13) - 8) and 2 to the new.
        let d = json!({ "spec": { "replicas": 15, "strategy": { "type": "RollingUpdate",
            "rollingUpdate": { "maxSurge": 3, "maxUnavailable": 2 } } } });
        let mut rses = vec![
            rs("old", "2026-01-01T00:00:00Z", 8, 10, 13),
            rs("new", "2026-01-02T00:00:00Z", 5, 10, 13),
        ];
        assert!(is_scaling_event(&rses, 15));
        let changed = scale(&d, 13, &mut rses, 1, 15);
        assert_eq!(replicas(&rses[0]), 11);
        assert_eq!(replicas(&rses[1]), 7);
        assert_eq!(changed.len(), 2);
        assert_eq!(rses[1]["metadata"]["annotations"][MAX_REPLICAS], "18");
        assert!(!is_scaling_event(&rses, 15));
    }

    #[test]
    fn one_active_replica_set_takes_the_whole_count() {
        let d = json!({ "spec": { "replicas": 4 } });
        let mut rses = vec![
            rs("old", "2026-01-01T00:00:00Z", 0, 2, 3),
            rs("new", "2026-01-02T00:00:00Z", 2, 2, 3),
        ];
        scale(&d, 2, &mut rses, 1, 4);
        assert_eq!(replicas(&rses[1]), 4);
        assert_eq!(replicas(&rses[0]), 0);
    }
}
