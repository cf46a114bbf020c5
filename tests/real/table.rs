//! `kubectl get` tables read back into cells, and the pane's rows made into
//! the same shape, so the two can be compared column by column.

use std::collections::BTreeMap;

use runbook::kinds::snapshot::Snapshot;
use runbook::kinds::{self, Ctx, DynKind};

/// A table: its headers, and each row's cells by header.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<BTreeMap<String, String>>,
}

/// Reads kubectl's aligned output. Cells start where their header starts
/// (kubectl's tabwriter pads every column to one width), and headers are
/// separated by at least two spaces ("NOMINATED NODE" is one header).
pub fn parse(text: &str) -> Table {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let Some(head) = lines.next() else {
        return Table {
            headers: Vec::new(),
            rows: Vec::new(),
        };
    };
    let chars: Vec<char> = head.chars().collect();
    let mut starts = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        let after_gap = i == 0 || (i >= 2 && chars[i - 1] == ' ' && chars[i - 2] == ' ');
        if *c != ' ' && after_gap {
            starts.push(i);
        }
    }
    let cut = |line: &[char], from: usize, to: Option<usize>| -> String {
        let end = to.unwrap_or(line.len()).min(line.len());
        if from >= end {
            return String::new();
        }
        line[from..end]
            .iter()
            .collect::<String>()
            .trim()
            .to_string()
    };
    let headers: Vec<String> = (0..starts.len())
        .map(|i| cut(&chars, starts[i], starts.get(i + 1).copied()))
        .collect();
    let rows = lines
        .map(|line| {
            let line: Vec<char> = line.chars().collect();
            headers
                .iter()
                .enumerate()
                .map(|(i, h)| (h.clone(), cut(&line, starts[i], starts.get(i + 1).copied())))
                .collect()
        })
        .collect();
    Table { headers, rows }
}

/// The headers `kubectl get -o wide` prints for a kind, as its registry
/// entry declares them.
pub fn declared_headers(kind: &dyn DynKind) -> Vec<String> {
    kind.columns()
        .iter()
        .filter(|c| c.kubectl.is_some())
        .map(|c| c.name.to_uppercase())
        .collect()
}

/// The pane's rows of `kind` in `snapshot` whose names pass `keep`, as
/// cells by kubectl's header, for the columns both show; keyed by name.
pub fn pane_rows(
    snapshot: &Snapshot,
    id: kinds::KindId,
    kind: &dyn DynKind,
    now: i64,
    keep: impl Fn(&str) -> bool,
) -> BTreeMap<String, BTreeMap<String, String>> {
    let ctx = Ctx::new(now, Some(snapshot));
    let columns = kind.columns();
    snapshot
        .kind(id)
        .iter()
        .filter(|row| keep(row.name()))
        .map(|row| {
            let cells = kind.cells(row, &ctx);
            let shown = columns
                .iter()
                .zip(cells)
                .filter(|(c, _)| c.pane && c.kubectl.is_some())
                .map(|(c, cell)| (c.name.to_uppercase(), cell.text.to_string()))
                .collect();
            (row.name().to_string(), shown)
        })
        .collect()
}

/// Seconds in kubectl's HumanDuration ("5s", "2m3s", "4h", "3d5h").
pub fn seconds(text: &str) -> Option<i64> {
    let mut total = 0;
    let mut n = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            n.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'y' => 31_536_000,
            _ => return None,
        };
        total += n.parse::<i64>().ok()? * unit;
        n.clear();
    }
    n.is_empty().then_some(total)
}

/// Whether two cells say the same: equal, or durations two seconds apart
/// (kubectl's ages are the server's clock at its moment, the pane's ours).
pub fn same(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (seconds(a), seconds(b)) {
        (Some(x), Some(y)) => (x - y).abs() <= 2,
        _ => false,
    }
}

#[test]
fn tables_are_read_by_their_headers() {
    let t = parse(
        "NAME    READY   STATUS    NOMINATED NODE   AGE\n\
         web-1   0/1     Pending   <none>           5s\n\
         web-2           Pending                    12s\n",
    );
    assert_eq!(
        t.headers,
        ["NAME", "READY", "STATUS", "NOMINATED NODE", "AGE"]
    );
    assert_eq!(t.rows[1]["READY"], "");
    assert_eq!(t.rows[1]["AGE"], "12s");
    assert_eq!(t.rows[0]["NOMINATED NODE"], "<none>");
    assert!(same("5s", "6s") && !same("5s", "9s") && !same("Pending", "Running"));
    assert_eq!(seconds("2m3s"), Some(123));
}
