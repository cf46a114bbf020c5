// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the events group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::events::v1::Event {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "eventTime", &self.event_time);
        ptr(&mut o, "series", &self.series, true);
        val(
            &mut o,
            "reportingController",
            &self.reporting_controller,
            true,
        );
        val(&mut o, "reportingInstance", &self.reporting_instance, true);
        val(&mut o, "action", &self.action, true);
        val(&mut o, "reason", &self.reason, true);
        obj(&mut o, "regarding", &self.regarding);
        ptr(&mut o, "related", &self.related, true);
        val(&mut o, "note", &self.note, true);
        val(&mut o, "type", &self.r#type, true);
        obj(&mut o, "deprecatedSource", &self.deprecated_source);
        obj(
            &mut o,
            "deprecatedFirstTimestamp",
            &self.deprecated_first_timestamp,
        );
        obj(
            &mut o,
            "deprecatedLastTimestamp",
            &self.deprecated_last_timestamp,
        );
        val(&mut o, "deprecatedCount", &self.deprecated_count, true);
        Value::Object(o)
    }
}

impl Json for pb::api::events::v1::EventSeries {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "count", &self.count, false);
        obj(&mut o, "lastObservedTime", &self.last_observed_time);
        Value::Object(o)
    }
}
