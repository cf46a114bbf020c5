//! events.k8s.io/v1 views of the stored core/v1 events (the API server
//! serves one storage under both versions).

use serde_json::{Map, Value, json};

pub fn from_core(core: &Value) -> Value {
    let mut out = Map::new();
    out.insert("apiVersion".into(), json!("events.k8s.io/v1"));
    out.insert("kind".into(), json!("Event"));
    out.insert("metadata".into(), core["metadata"].clone());
    let copy = |out: &mut Map<String, Value>, to: &str, from: &str| {
        if let Some(v) = core.get(from).filter(|v| !v.is_null()) {
            out.insert(to.into(), v.clone());
        }
    };
    copy(&mut out, "eventTime", "eventTime");
    copy(&mut out, "reason", "reason");
    copy(&mut out, "type", "type");
    copy(&mut out, "regarding", "involvedObject");
    copy(&mut out, "related", "related");
    copy(&mut out, "note", "message");
    copy(&mut out, "action", "action");
    copy(&mut out, "series", "series");
    copy(&mut out, "reportingController", "reportingComponent");
    copy(&mut out, "reportingInstance", "reportingInstance");
    copy(&mut out, "deprecatedSource", "source");
    copy(&mut out, "deprecatedFirstTimestamp", "firstTimestamp");
    copy(&mut out, "deprecatedLastTimestamp", "lastTimestamp");
    copy(&mut out, "deprecatedCount", "count");
    if !out.contains_key("reportingController")
        && let Some(component) = core["source"]["component"].as_str()
    {
        out.insert("reportingController".into(), json!(component));
    }
    if !out.contains_key("eventTime") {
        // Required in v1; the API server fills it from the legacy timestamps.
        out.insert("eventTime".into(), json!(null));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_fields_move_to_their_v1_names() {
        let v1 = from_core(&json!({
            "apiVersion": "v1", "kind": "Event",
            "metadata": { "name": "e", "namespace": "shop" },
            "involvedObject": { "kind": "Pod", "name": "web-1" },
            "reason": "BackOff", "message": "Back-off restarting", "count": 7,
            "type": "Warning", "source": { "component": "kubelet" }
        }));
        assert_eq!(v1["apiVersion"], "events.k8s.io/v1");
        assert_eq!(v1["regarding"]["name"], "web-1");
        assert_eq!(v1["note"], "Back-off restarting");
        assert_eq!(v1["deprecatedCount"], 7);
        assert_eq!(v1["reportingController"], "kubelet");
    }
}
