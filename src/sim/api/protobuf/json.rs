//! How the API server's Go encoder writes a field: the helpers the
//! generated conversions (`json_gen.rs`) call, one per shape of Go field,
//! and the types whose JSON Go writes by hand (times, durations,
//! quantities, int-or-strings, raw extensions, managed fields).

use std::collections::BTreeMap;

use base64::Engine;
use k8s_pb::apimachinery::pkg::api::resource::Quantity;
use k8s_pb::apimachinery::pkg::apis::meta::v1::{Duration, FieldsV1, MicroTime, Time};
use k8s_pb::apimachinery::pkg::runtime::RawExtension;
use k8s_pb::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::{Map, Value, json};

/// A decoded message (or scalar) as the Go encoder writes it.
pub(super) trait Json {
    fn json(&self) -> Value;
}

/// A Go value's zero, which `omitempty` leaves out.
pub(super) trait Zero {
    fn is_zero(&self) -> bool;
}

macro_rules! scalar {
    ($($t:ty),*) => {$(
        impl Json for $t {
            fn json(&self) -> Value {
                json!(self)
            }
        }
        impl Zero for $t {
            fn is_zero(&self) -> bool {
                *self == <$t>::default()
            }
        }
    )*};
}
scalar!(String, bool, i32, i64, u32, u64, f64);

/// A message of type `T` decoded from `raw`, as JSON.
pub(super) fn object<T: prost::Message + Default + Json>(
    raw: &[u8],
) -> Result<Value, prost::DecodeError> {
    T::decode(raw).map(|message| message.json())
}

/// A Go pointer: nil is left out (`omitempty`) or written `null`.
pub(super) fn ptr<T: Json>(o: &mut Map<String, Value>, name: &str, v: &Option<T>, omitempty: bool) {
    match v {
        Some(v) => {
            o.insert(name.into(), v.json());
        }
        None if omitempty => {}
        None => {
            o.insert(name.into(), Value::Null);
        }
    }
}

/// A Go scalar held by value: always sent in protobuf, left out of JSON
/// when zero and `omitempty`.
pub(super) fn val<T: Json + Zero + Default>(
    o: &mut Map<String, Value>,
    name: &str,
    v: &Option<T>,
    omitempty: bool,
) {
    let zero;
    let v = match v {
        Some(v) => v,
        None => {
            zero = T::default();
            &zero
        }
    };
    if !(omitempty && v.is_zero()) {
        o.insert(name.into(), v.json());
    }
}

/// A Go struct held by value: `omitempty` does not leave a struct out.
pub(super) fn obj<T: Json + Default>(o: &mut Map<String, Value>, name: &str, v: &Option<T>) {
    let value = match v {
        Some(v) => v.json(),
        None => T::default().json(),
    };
    o.insert(name.into(), value);
}

/// A struct embedded `json:",inline"`: its fields are the parent's.
pub(super) fn inline<T: Json + Default>(o: &mut Map<String, Value>, v: &Option<T>) {
    let value = match v {
        Some(v) => v.json(),
        None => T::default().json(),
    };
    if let Value::Object(fields) = value {
        o.extend(fields);
    }
}

/// `creationTimestamp`, the one `omitzero` field: left out when zero.
pub(super) fn zero_time(o: &mut Map<String, Value>, name: &str, v: &Option<Time>) {
    if let Some(t) = v
        && !time_is_zero(t.seconds)
    {
        o.insert(name.into(), t.json());
    }
}

/// A Go slice: nil (all protobuf can say of an empty one) is left out
/// (`omitempty`) or written `null`.
pub(super) fn list<T: Json>(o: &mut Map<String, Value>, name: &str, v: &[T], omitempty: bool) {
    if v.is_empty() {
        if !omitempty {
            o.insert(name.into(), Value::Null);
        }
        return;
    }
    o.insert(
        name.into(),
        Value::Array(v.iter().map(Json::json).collect()),
    );
}

/// A Go map, as [`list`] for nil.
pub(super) fn map<V: Json>(
    o: &mut Map<String, Value>,
    name: &str,
    v: &BTreeMap<String, V>,
    omitempty: bool,
) {
    if v.is_empty() {
        if !omitempty {
            o.insert(name.into(), Value::Null);
        }
        return;
    }
    let fields = v.iter().map(|(k, v)| (k.clone(), v.json())).collect();
    o.insert(name.into(), Value::Object(fields));
}

fn base64(bytes: &[u8]) -> Value {
    Value::String(base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// `map[string][]byte` (a Secret's data): each value base64.
pub(super) fn bytes_map(
    o: &mut Map<String, Value>,
    name: &str,
    v: &BTreeMap<String, Vec<u8>>,
    omitempty: bool,
) {
    if v.is_empty() {
        if !omitempty {
            o.insert(name.into(), Value::Null);
        }
        return;
    }
    let fields = v.iter().map(|(k, v)| (k.clone(), base64(v))).collect();
    o.insert(name.into(), Value::Object(fields));
}

/// Go's zero `time.Time` in Unix seconds: what a zero Time that was
/// encoded with its seconds reads back as.
const ZERO_TIME: i64 = -62_135_596_800;

fn time_is_zero(seconds: Option<i64>) -> bool {
    seconds.is_none_or(|s| s == ZERO_TIME)
}

/// RFC 3339 in UTC with `digits` of fractional seconds.
fn rfc3339(seconds: i64, nanos: i32, digits: usize) -> Value {
    match jiff::Timestamp::new(seconds, if digits == 0 { 0 } else { nanos }) {
        Ok(t) if digits == 0 => json!(t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
        Ok(t) => json!(t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()),
        Err(_) => Value::Null,
    }
}

/// `metav1.Time`: whole seconds (the protobuf decoder drops the nanos),
/// `null` when zero.
impl Json for Time {
    fn json(&self) -> Value {
        match self.seconds {
            Some(s) if !time_is_zero(Some(s)) => rfc3339(s, 0, 0),
            _ => Value::Null,
        }
    }
}

/// `metav1.MicroTime`: microseconds, `null` when zero.
impl Json for MicroTime {
    fn json(&self) -> Value {
        match self.seconds {
            Some(s) if !time_is_zero(Some(s)) => {
                let micros = self.nanos.unwrap_or_default() / 1_000 * 1_000;
                rfc3339(s, micros, 6)
            }
            _ => Value::Null,
        }
    }
}

/// `metav1.Duration`: Go's `time.Duration.String()`.
impl Json for Duration {
    fn json(&self) -> Value {
        json!(go_duration(self.duration.unwrap_or_default()))
    }
}

/// `resource.Quantity`: its string ("0" when unset).
impl Json for Quantity {
    fn json(&self) -> Value {
        match self.string.as_deref() {
            Some(s) if !s.is_empty() => json!(s),
            _ => json!("0"),
        }
    }
}

/// `intstr.IntOrString`: type 0 is the int, 1 the string.
impl Json for IntOrString {
    fn json(&self) -> Value {
        if self.r#type == Some(1) {
            json!(self.str_val.clone().unwrap_or_default())
        } else {
            json!(self.int_val.unwrap_or_default())
        }
    }
}

/// Raw JSON carried in a message (`runtime.RawExtension`, `FieldsV1`):
/// written as it is, `null` when unset or not JSON.
fn raw_json(raw: Option<&[u8]>) -> Value {
    raw.and_then(|raw| serde_json::from_slice(raw).ok())
        .unwrap_or(Value::Null)
}

impl Json for RawExtension {
    fn json(&self) -> Value {
        raw_json(self.raw.as_deref())
    }
}

impl Json for FieldsV1 {
    fn json(&self) -> Value {
        raw_json(self.raw.as_deref())
    }
}

/// Go's `time.Duration.String()`: "1h2m3.5s", "1.5ms", "0s".
pub(super) fn go_duration(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".into();
    }
    let sign = if nanos < 0 { "-" } else { "" };
    let n = nanos.unsigned_abs();
    if n < 1_000_000_000 {
        let (unit, size) = match n {
            0..1_000 => ("ns", 1),
            1_000..1_000_000 => ("µs", 1_000),
            _ => ("ms", 1_000_000),
        };
        return format!("{sign}{}{unit}", fraction(n, size));
    }
    let hours = n / 3_600_000_000_000;
    let minutes = n / 60_000_000_000 % 60;
    let seconds = fraction(n % 60_000_000_000, 1_000_000_000);
    let mut text = sign.to_string();
    if hours > 0 {
        text += &format!("{hours}h{minutes}m");
    } else if minutes > 0 {
        text += &format!("{minutes}m");
    }
    text + &seconds + "s"
}

/// `n / size` with the remainder as a decimal fraction, trailing zeros cut.
fn fraction(n: u64, size: u64) -> String {
    let whole = n / size;
    let rest = n % size;
    if rest == 0 {
        return whole.to_string();
    }
    let width = size.ilog10() as usize;
    let digits = format!("{rest:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_go_writes_them() {
        for (nanos, text) in [
            (0, "0s"),
            (1, "1ns"),
            (1_500, "1.5µs"),
            (1_500_000, "1.5ms"),
            (1_000_000_000, "1s"),
            (90_000_000_000, "1m30s"),
            (3_723_500_000_000, "1h2m3.5s"),
            (3_600_000_000_000, "1h0m0s"),
            (-2_000_000_000, "-2s"),
        ] {
            assert_eq!(go_duration(nanos), text, "{nanos}");
        }
    }

    #[test]
    fn times_are_rfc3339_in_utc_and_null_when_zero() {
        let t = Time {
            seconds: Some(1_700_000_000),
            nanos: Some(5),
        };
        assert_eq!(t.json(), json!("2023-11-14T22:13:20Z"));
        assert_eq!(Time::default().json(), Value::Null);
        let zero = Time {
            seconds: Some(ZERO_TIME),
            nanos: None,
        };
        assert_eq!(zero.json(), Value::Null);
        let m = MicroTime {
            seconds: Some(1_700_000_000),
            nanos: Some(123_456_789),
        };
        assert_eq!(m.json(), json!("2023-11-14T22:13:20.123456Z"));
    }

    #[test]
    fn int_or_string_and_quantity() {
        let port = IntOrString {
            r#type: Some(0),
            int_val: Some(8080),
            str_val: Some(String::new()),
        };
        assert_eq!(port.json(), json!(8080));
        let name = IntOrString {
            r#type: Some(1),
            int_val: Some(0),
            str_val: Some("http".into()),
        };
        assert_eq!(name.json(), json!("http"));
        let q = Quantity {
            string: Some("1Gi".into()),
        };
        assert_eq!(q.json(), json!("1Gi"));
        assert_eq!(Quantity::default().json(), json!("0"));
    }
}
