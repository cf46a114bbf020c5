//! Event rows from both shapes: core/v1 and events.k8s.io/v1.

use k8s_openapi::api::core::v1::Event as CoreEvent;
use k8s_openapi::api::events::v1::Event as EventsV1Event;

use crate::kinds::rows::EventRow;
use crate::sanitize::line;

pub fn event_row_core(e: &CoreEvent) -> EventRow {
    // kubectl's LAST SEEN (printEvent): a series' last observation, else
    // lastTimestamp, firstTimestamp, eventTime; with none of them it says
    // `<unknown>` (a real API server stores an event without any; the
    // creation time is not one of them).
    let last_seen = e
        .series
        .as_ref()
        .and_then(|s| s.last_observed_time.as_ref())
        .map(|t| t.0.as_second())
        .or_else(|| e.last_timestamp.as_ref().map(|t| t.0.as_second()))
        .or_else(|| e.first_timestamp.as_ref().map(|t| t.0.as_second()))
        .or_else(|| e.event_time.as_ref().map(|t| t.0.as_second()));
    let count = e
        .series
        .as_ref()
        .and_then(|s| s.count)
        .or(e.count)
        .unwrap_or(1);
    EventRow {
        namespace: line(e.metadata.namespace.as_deref().unwrap_or_default()),
        name: line(e.metadata.name.as_deref().unwrap_or_default()),
        type_: line(e.type_.as_deref().unwrap_or("Normal")),
        reason: line(e.reason.as_deref().unwrap_or_default()),
        message: line(e.message.as_deref().unwrap_or_default()),
        kind: line(e.involved_object.kind.as_deref().unwrap_or_default()),
        object_name: line(e.involved_object.name.as_deref().unwrap_or_default()),
        count: u32::try_from(count).unwrap_or(1),
        last_seen,
    }
}

pub fn event_row_v1(e: &EventsV1Event) -> EventRow {
    let regarding = crate::kinds::common::or_default(&e.regarding);
    let last_seen = e
        .series
        .as_ref()
        .map(|s| s.last_observed_time.0.as_second())
        .or_else(|| {
            e.deprecated_last_timestamp
                .as_ref()
                .map(|t| t.0.as_second())
        })
        .or_else(|| e.event_time.as_ref().map(|t| t.0.as_second()))
        .or_else(|| {
            e.metadata
                .creation_timestamp
                .as_ref()
                .map(|t| t.0.as_second())
        });
    let count = e
        .series
        .as_ref()
        .map(|s| s.count)
        .or(e.deprecated_count)
        .unwrap_or(1);
    EventRow {
        namespace: line(e.metadata.namespace.as_deref().unwrap_or_default()),
        name: line(e.metadata.name.as_deref().unwrap_or_default()),
        type_: line(e.type_.as_deref().unwrap_or("Normal")),
        reason: line(e.reason.as_deref().unwrap_or_default()),
        message: line(e.note.as_deref().unwrap_or_default()),
        kind: line(regarding.kind.as_deref().unwrap_or_default()),
        object_name: line(regarding.name.as_deref().unwrap_or_default()),
        count: u32::try_from(count).unwrap_or(1),
        last_seen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn core(json: serde_json::Value) -> CoreEvent {
        serde_json::from_value(json).expect("event")
    }

    #[test]
    fn last_seen_is_what_kubectl_prints() {
        let created = serde_json::json!({"name": "e", "namespace": "shop",
            "creationTimestamp": "2025-06-01T12:00:00Z"});
        let bare = core(serde_json::json!({"metadata": created, "involvedObject": {}}));
        assert_eq!(event_row_core(&bare).last_seen, None, "kubectl: <unknown>");
        let series = core(
            serde_json::json!({"metadata": created, "involvedObject": {},
            "lastTimestamp": "2025-06-01T12:00:00Z",
            "series": {"count": 2, "lastObservedTime": "2025-06-01T12:05:00.000000Z"}}),
        );
        assert_eq!(event_row_core(&series).last_seen, Some(1_748_779_500));
        let first = core(
            serde_json::json!({"metadata": created, "involvedObject": {},
            "firstTimestamp": "2025-06-01T12:01:00Z",
            "eventTime": "2025-06-01T12:02:00.000000Z"}),
        );
        assert_eq!(event_row_core(&first).last_seen, Some(1_748_779_260));
    }
}
