//! The decoder on bodies captured from kubectl 1.37 (`tests/fixtures/protobuf/*.pb`,
//! each the body of a `kubectl create ...`), against the JSON the same
//! kubectl prints for the same object with `--dry-run=client -o json`
//! (`*.json`): Go's own encoding of it. The refusals' texts are what
//! kube-apiserver v1.37.2 answered to the same bodies.

use serde_json::{Value, json};

use super::*;

macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!(
                "../../../../tests/fixtures/protobuf/",
                $name,
                ".pb"
            ))
            .as_slice(),
            include_str!(concat!(
                "../../../../tests/fixtures/protobuf/",
                $name,
                ".json"
            )),
        )
    };
}

const FIXTURES: &[(&str, &[u8], &str)] = &[
    fixture!("configmap"),
    fixture!("cronjob"),
    fixture!("deployment"),
    fixture!("hpa-autoscale"),
    fixture!("ingress"),
    fixture!("job-from-cronjob"),
    fixture!("namespace"),
    fixture!("pdb-max-unavailable"),
    fixture!("pdb-min-available-percent"),
    fixture!("priorityclass"),
    fixture!("resourcequota"),
    fixture!("role"),
    fixture!("rolebinding"),
    fixture!("secret-generic"),
    fixture!("service-clusterip"),
    fixture!("service-externalname"),
    fixture!("service-nodeport"),
    fixture!("serviceaccount"),
];

/// Every difference between two JSON values, by path.
fn differences(path: &str, got: &Value, want: &Value, out: &mut Vec<String>) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for key in g.keys().chain(w.keys().filter(|k| !g.contains_key(*k))) {
                let (a, b) = (
                    g.get(key).unwrap_or(&Value::Null),
                    w.get(key).unwrap_or(&Value::Null),
                );
                if g.contains_key(key) != w.contains_key(key) {
                    out.push(format!(
                        "{path}.{key}: got {:?}, want {:?}",
                        g.get(key),
                        w.get(key)
                    ));
                } else {
                    differences(&format!("{path}.{key}"), a, b, out);
                }
            }
        }
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => {
            for (i, (a, b)) in g.iter().zip(w).enumerate() {
                differences(&format!("{path}[{i}]"), a, b, out);
            }
        }
        _ if got != want => out.push(format!("{path}: got {got}, want {want}")),
        _ => {}
    }
}

#[test]
fn kubectl_bodies_decode_to_the_json_go_writes_for_them() {
    for (name, body, expected) in FIXTURES {
        let want: Value = serde_json::from_str(expected).expect("fixture JSON");
        let into = (
            want["apiVersion"].as_str().expect("apiVersion"),
            want["kind"].as_str().expect("kind"),
        );
        let got = decode(body, into).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let mut diffs = Vec::new();
        differences("", &got, &want, &mut diffs);
        assert!(diffs.is_empty(), "{name}:\n{}", diffs.join("\n"));
    }
}

fn fixture(name: &str) -> Value {
    let (_, body, expected) = FIXTURES
        .iter()
        .find(|(n, _, _)| *n == name)
        .expect("a fixture");
    let want: Value = serde_json::from_str(expected).expect("fixture JSON");
    let into = (
        want["apiVersion"].as_str().expect("apiVersion"),
        want["kind"].as_str().expect("kind"),
    );
    decode(body, into).expect("decodes")
}

#[test]
fn values_keep_their_json_types() {
    let cm = fixture("configmap");
    assert_eq!(cm["data"], json!({ "a": "b", "c": "d" }));
    assert!(cm["metadata"].get("creationTimestamp").is_none(), "{cm}");
    assert!(
        cm["metadata"].get("namespace").is_none(),
        "empty strings are left out"
    );
    let secret = fixture("secret-generic");
    assert_eq!(secret["data"]["pass"], "czNjcjN0", "bytes are base64");
    let svc = fixture("service-clusterip");
    assert_eq!(svc["spec"]["ports"][0]["port"], 80);
    assert_eq!(
        svc["spec"]["ports"][0]["targetPort"], 8080,
        "an int IntOrString"
    );
    assert_eq!(
        svc["status"],
        json!({ "loadBalancer": {} }),
        "structs are kept"
    );
    assert_eq!(
        fixture("pdb-min-available-percent")["spec"]["minAvailable"],
        "50%"
    );
    assert_eq!(fixture("pdb-max-unavailable")["spec"]["maxUnavailable"], 1);
    assert_eq!(fixture("resourcequota")["spec"]["hard"]["memory"], "1Gi");
    let deploy = fixture("deployment");
    assert_eq!(deploy["spec"]["replicas"], 3);
    let container = &deploy["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"], "nginx:1.27");
    assert_eq!(container["resources"], json!({}));
}

#[test]
fn bodies_it_cannot_read_are_the_api_servers_400s() {
    let into = ("v1", "ConfigMap");
    let message = |body: &[u8]| {
        let err = decode(body, into).expect_err("refused");
        assert_eq!(err.code, axum::http::StatusCode::BAD_REQUEST);
        err.body["message"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!(
        message(b"k8s\0"),
        "the object provided is unrecognized (must be of type ConfigMap): empty body (6b387300)"
    );
    assert!(
        message(b"k8s\0\xff\xff")
            .starts_with("the object provided is unrecognized (must be of type ConfigMap): ")
    );
    // An envelope naming a kind no served group has.
    let widget = b"k8s\0\n\x0f\n\x02v1\x12\x09Widgetxyz\x12\x00";
    assert_eq!(
        message(widget),
        "Widgetxyz in version \"v1\" cannot be handled as a ConfigMap: no kind \"Widgetxyz\" is registered for version \"v1\" in scheme \"pkg/runtime/scheme.go:111\""
    );
    // A ConfigMap whose message is cut short.
    let cut = b"k8s\0\n\x0f\n\x02v1\x12\x09ConfigMap\x12\x02\n\x05";
    assert!(
        message(cut).starts_with("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: ")
    );
}

/// `body` wrapped as client-go sends it: the magic, then an Unknown.
fn envelope(api_version: &str, kind: &str, raw: Vec<u8>) -> Vec<u8> {
    use k8s_pb::apimachinery::pkg::runtime::TypeMeta;
    let unknown = Unknown {
        type_meta: Some(TypeMeta {
            api_version: Some(api_version.into()),
            kind: Some(kind.into()),
        }),
        raw: Some(raw),
        content_encoding: Some(String::new()),
        content_type: Some(String::new()),
    };
    [MAGIC, &unknown.encode_to_vec()].concat()
}

#[test]
fn a_delete_options_body_keeps_a_zero_grace_period() {
    use k8s_pb::apimachinery::pkg::apis::meta::v1::DeleteOptions;
    let options = DeleteOptions {
        grace_period_seconds: Some(0),
        propagation_policy: Some("Foreground".into()),
        dry_run: vec!["All".into()],
        ..DeleteOptions::default()
    };
    // Sent in any group's version: a Deployment's delete says apps/v1.
    let body = envelope("apps/v1", "DeleteOptions", options.encode_to_vec());
    let got = decode(&body, ("apps/v1", "DeleteOptions")).expect("decodes");
    assert_eq!(
        got,
        json!({
            "kind": "DeleteOptions",
            "apiVersion": "apps/v1",
            "gracePeriodSeconds": 0,
            "propagationPolicy": "Foreground",
            "dryRun": ["All"],
        }),
        "a set pointer is written even when zero; unset ones are left out"
    );
}

proptest::proptest! {
    /// Whatever follows the magic (random, or a captured body with bytes
    /// changed), the answer is an object or the API server's 400, never a
    /// panic.
    #[test]
    fn any_body_is_an_object_or_a_400(
        random in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256),
        fixture in 0..FIXTURES.len(),
        flips in proptest::collection::vec((proptest::prelude::any::<usize>(), proptest::prelude::any::<u8>()), 1..4),
    ) {
        let mut mutated = FIXTURES[fixture].1.to_vec();
        for (at, byte) in flips {
            let at = MAGIC.len() + at % (mutated.len() - MAGIC.len());
            mutated[at] = byte;
        }
        for body in [[MAGIC, &random].concat(), mutated] {
            match decode(&body, ("v1", "ConfigMap")) {
                Ok(object) => proptest::prop_assert!(object.is_object()),
                Err(err) => proptest::prop_assert_eq!(err.code, axum::http::StatusCode::BAD_REQUEST),
            }
        }
    }
}
