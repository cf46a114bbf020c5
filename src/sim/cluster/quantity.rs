//! Kubernetes resource quantities (`256Mi`, `300m`, `1.5`), as the
//! scheduler, the kubelet and the metrics model compare them.

/// Bytes (or plain units) of a quantity such as `256Mi`, `1G` or `95000000000`.
pub fn parse(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match suffix {
        "" => 1.0,
        "m" => 1e-3,
        "u" => 1e-6,
        "n" => 1e-9,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024.0f64.powi(4),
        "Pi" => 1024.0f64.powi(5),
        _ => return None,
    };
    let value = number * factor;
    value.is_finite().then_some(value)
}

/// A quantity from a JSON value (a string, or a bare number as YAML allows).
pub fn of(value: &serde_json::Value) -> Option<f64> {
    match value {
        serde_json::Value::String(s) => parse(s),
        serde_json::Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// Memory as the metrics server prints it (`262144Ki`).
pub fn format_memory(bytes: f64) -> String {
    format!("{}Ki", (bytes.max(0.0) / 1024.0).round() as u64)
}

/// CPU as the metrics server prints it, in nanocores (`250000000n`).
pub fn format_cpu(cores: f64) -> String {
    format!("{}n", (cores.max(0.0) * 1e9).round() as u64)
}

/// `2Gi`, `512Mi`, `100Ki` or plain bytes: the largest binary unit that is exact.
pub fn format_bytes(bytes: f64) -> String {
    let b = bytes.max(0.0).round() as u64;
    for (unit, size) in [("Gi", 1u64 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
        if b >= size && b.is_multiple_of(size) {
            return format!("{}{unit}", b / size);
        }
    }
    b.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_binary_decimal_and_milli() {
        assert_eq!(parse("256Mi"), Some(256.0 * 1024.0 * 1024.0));
        assert_eq!(parse("1G"), Some(1e9));
        assert_eq!(parse("300m"), Some(0.3));
        assert_eq!(parse("2"), Some(2.0));
        assert_eq!(parse("1.5Gi"), Some(1.5 * 1024.0 * 1024.0 * 1024.0));
        assert_eq!(parse("95000000000"), Some(95e9));
        assert_eq!(parse("12Xi"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn formats_as_the_metrics_server() {
        assert_eq!(format_memory(256.0 * 1024.0 * 1024.0), "262144Ki");
        assert_eq!(format_cpu(0.25), "250000000n");
        assert_eq!(format_bytes(512.0 * 1024.0 * 1024.0), "512Mi");
        assert_eq!(format_bytes(1000.0), "1000");
    }
}
