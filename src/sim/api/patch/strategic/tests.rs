//! Cases from the Kubernetes documentation and from what kubectl sends
//! (`set image`, `set resources`, `edit`, `apply`), checked against the
//! semantics of the API server's strategic merge patch.

use serde_json::{Value, json};

use super::apply;

fn deployment() -> Value {
    json!({ "spec": { "template": { "spec": {
        "containers": [
            { "name": "cart", "image": "cart:v1",
              "ports": [ { "containerPort": 8080, "name": "http" } ],
              "env": [ { "name": "A", "value": "1" }, { "name": "B", "value": "2" } ],
              "volumeMounts": [ { "name": "cfg", "mountPath": "/etc/cart" } ],
              "readinessProbe": { "httpGet": { "path": "/healthz", "port": "http" } },
              "resources": { "limits": { "memory": "256Mi" } } },
            { "name": "proxy", "image": "envoy:1" }
        ],
        "volumes": [ { "name": "cfg", "configMap": { "name": "cart" } } ],
        "tolerations": [ { "key": "a", "operator": "Exists" } ]
    } } } })
}

fn patched(patch: Value) -> Value {
    let mut d = deployment();
    apply(&mut d, &patch).unwrap();
    d
}

fn container<'a>(d: &'a Value, name: &str) -> &'a Value {
    d["spec"]["template"]["spec"]["containers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()
}

#[test]
fn kubectl_set_image_changes_one_container_and_keeps_the_rest() {
    // What `kubectl set image deployment/cart cart=cart:v2` sends.
    let d = patched(json!({ "spec": { "template": { "spec": {
        "$setElementOrder/containers": [ { "name": "cart" }, { "name": "proxy" } ],
        "containers": [ { "name": "cart", "image": "cart:v2" } ] } } } }));
    let cart = container(&d, "cart");
    assert_eq!(cart["image"], "cart:v2");
    assert_eq!(cart["ports"][0]["containerPort"], 8080);
    assert_eq!(cart["readinessProbe"]["httpGet"]["path"], "/healthz");
    assert_eq!(container(&d, "proxy")["image"], "envoy:1");
}

#[test]
fn kubectl_set_resources_merges_into_the_resources_map() {
    let d = patched(json!({ "spec": { "template": { "spec": {
        "containers": [ { "name": "cart", "resources": { "limits": { "memory": "512Mi" }, "requests": { "memory": "512Mi" } } } ] } } } }));
    let cart = container(&d, "cart");
    assert_eq!(cart["resources"]["limits"]["memory"], "512Mi");
    assert_eq!(cart["resources"]["requests"]["memory"], "512Mi");
    assert_eq!(cart["image"], "cart:v1");
}

#[test]
fn env_merges_by_name_and_delete_removes_one() {
    let d = patched(
        json!({ "spec": { "template": { "spec": { "containers": [ { "name": "cart",
        "env": [ { "name": "B", "value": "3" }, { "name": "C", "value": "4" }, { "name": "A", "$patch": "delete" } ] } ] } } } }),
    );
    let env = &container(&d, "cart")["env"];
    assert_eq!(
        env,
        &json!([ { "name": "B", "value": "3" }, { "name": "C", "value": "4" } ])
    );
}

#[test]
fn container_ports_merge_by_container_port() {
    let d = patched(
        json!({ "spec": { "template": { "spec": { "containers": [ { "name": "cart",
        "ports": [ { "containerPort": 9090, "name": "metrics" }, { "containerPort": 8080, "protocol": "TCP" } ] } ] } } } }),
    );
    let ports = &container(&d, "cart")["ports"];
    assert_eq!(
        ports,
        &json!([
            { "containerPort": 8080, "name": "http", "protocol": "TCP" },
            { "containerPort": 9090, "name": "metrics" }
        ])
    );
}

#[test]
fn tolerations_have_no_merge_key_and_are_replaced() {
    let d = patched(
        json!({ "spec": { "template": { "spec": { "tolerations": [ { "key": "b", "operator": "Exists" } ] } } } }),
    );
    assert_eq!(
        d["spec"]["template"]["spec"]["tolerations"],
        json!([ { "key": "b", "operator": "Exists" } ])
    );
}

#[test]
fn patch_replace_directive_replaces_a_merged_list() {
    let d = patched(json!({ "spec": { "template": { "spec": { "containers": [
        { "name": "solo", "image": "solo:1" }, { "$patch": "replace" } ] } } } }));
    assert_eq!(
        d["spec"]["template"]["spec"]["containers"],
        json!([ { "name": "solo", "image": "solo:1" } ])
    );
}

#[test]
fn a_map_can_be_replaced_or_deleted() {
    let d = patched(
        json!({ "spec": { "template": { "spec": { "containers": [ { "name": "cart",
        "readinessProbe": { "$patch": "replace", "tcpSocket": { "port": 8080 } },
        "resources": { "$patch": "delete" } } ] } } } }),
    );
    let cart = container(&d, "cart");
    assert_eq!(
        cart["readinessProbe"],
        json!({ "tcpSocket": { "port": 8080 } })
    );
    assert!(cart.get("resources").is_none());
}

#[test]
fn null_removes_a_field_and_volumes_merge_by_name() {
    let d = patched(json!({ "spec": { "template": { "spec": {
        "volumes": [ { "name": "cache", "emptyDir": {} } ],
        "containers": [ { "name": "cart", "readinessProbe": null,
            "volumeMounts": [ { "mountPath": "/cache", "name": "cache" } ] } ] } } } }));
    let cart = container(&d, "cart");
    assert!(cart.get("readinessProbe").is_none());
    assert_eq!(cart["volumeMounts"].as_array().unwrap().len(), 2);
    assert_eq!(
        d["spec"]["template"]["spec"]["volumes"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn retain_keys_drops_what_the_strategy_no_longer_has() {
    // `kubectl apply` switching a Deployment from RollingUpdate to Recreate.
    let mut d = json!({ "spec": { "strategy": { "type": "RollingUpdate", "rollingUpdate": { "maxSurge": 1 } } } });
    apply(
        &mut d,
        &json!({ "spec": { "strategy": { "$retainKeys": [ "type" ], "type": "Recreate" } } }),
    )
    .unwrap();
    assert_eq!(d["spec"]["strategy"], json!({ "type": "Recreate" }));
}

#[test]
fn set_element_order_reorders() {
    let d = patched(json!({ "spec": { "template": { "spec": {
        "$setElementOrder/containers": [ { "name": "proxy" }, { "name": "cart" } ] } } } }));
    let names: Vec<&str> = d["spec"]["template"]["spec"]["containers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["proxy", "cart"]);
}

#[test]
fn finalizers_merge_as_a_set_and_can_be_deleted_from() {
    let mut o = json!({ "metadata": { "finalizers": [ "a", "b" ] } });
    apply(
        &mut o,
        &json!({ "metadata": { "finalizers": [ "b", "c" ] } }),
    )
    .unwrap();
    assert_eq!(o["metadata"]["finalizers"], json!(["a", "b", "c"]));
    apply(
        &mut o,
        &json!({ "metadata": { "$deleteFromPrimitiveList/finalizers": [ "a" ] } }),
    )
    .unwrap();
    assert_eq!(o["metadata"]["finalizers"], json!(["b", "c"]));
}

#[test]
fn service_ports_merge_by_port_and_conditions_by_type() {
    let mut svc = json!({ "spec": { "ports": [ { "port": 80, "targetPort": 8080 } ] },
                          "status": { "conditions": [ { "type": "Ready", "status": "False" } ] } });
    apply(&mut svc, &json!({ "spec": { "ports": [ { "port": 443, "targetPort": 8443 } ] },
                             "status": { "conditions": [ { "type": "Ready", "status": "True" } ] } })).unwrap();
    assert_eq!(svc["spec"]["ports"].as_array().unwrap().len(), 2);
    assert_eq!(
        svc["status"]["conditions"],
        json!([ { "type": "Ready", "status": "True" } ])
    );
}

#[test]
fn an_item_without_its_merge_key_is_an_error() {
    let mut d = deployment();
    let err = apply(
        &mut d,
        &json!({ "spec": { "template": { "spec": { "containers": [ { "image": "x" } ] } } } }),
    )
    .unwrap_err();
    assert!(err.0.contains("merge key"), "{err}");
}
