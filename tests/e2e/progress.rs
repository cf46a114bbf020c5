//! #27: a trainee's progress. A drill done twice: the second report
//! compares with the first, `drill --history` lists both and `drill
//! --list` counts the tries. Both tries escalate without reaching the
//! goal, so nothing here waits on the simulated cluster to heal.

use super::*;

/// From the briefing to "Session ended: escalated", by the playbook's
/// "none of these - escalate" choice; the end screen.
fn escalate_a_drill(data: &Path) -> String {
    let mut t = spawn(data, &["drill", "checkout-oom"], &[], 160, 48);
    t.wait_for("export KUBECONFIG=");
    t.send(keys::ENTER);
    t.wait_for("✓ cluster:");
    t.type_keys(" j ");
    t.send(keys::ENTER);
    t.wait_for("Why did the container exit?");
    t.type_keys("5");
    t.wait_for("The owning team acknowledged the page");
    t.type_keys(" ");
    t.send(keys::ENTER);
    let end = t.wait_for("Compared with your earlier tries:");
    assert!(end.contains("Session ended: escalated"), "{end}");
    t.type_keys("qy");
    assert!(t.wait_exit(Duration::from_secs(10)).is_some());
    end
}

fn runbook_out(data: &Path, args: &[&str]) -> String {
    let out = Command::new(bin())
        .args(args)
        .env("RUNBOOK_DATA_DIR", data)
        .output()
        .expect("runbook");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("utf8")
}

#[test]
fn a_second_drill_is_compared_with_the_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = escalate_a_drill(dir.path());
    assert!(
        first.contains("Compared with your earlier tries: your first try"),
        "{first}"
    );
    let second = escalate_a_drill(dir.path());
    // The line wraps in the report's column.
    assert!(
        second.contains("Compared with your earlier tries: the goal has not been")
            && second.contains("reached yet (2 tries)"),
        "{second}"
    );

    let history: serde_json::Value =
        serde_json::from_str(&runbook_out(dir.path(), &["drill", "--history", "--json"]))
            .expect("json");
    let tries = history.as_array().expect("a list");
    assert_eq!(tries.len(), 2, "{history}");
    for t in tries {
        assert_eq!(t["scenario"], "checkout-oom");
        assert_eq!(t["outcome"], "escalated");
        assert_eq!(t["goal_secs"], serde_json::Value::Null);
    }
    assert!(
        tries[0]["started"].as_str() >= tries[1]["started"].as_str(),
        "newest first: {history}"
    );
    let table = runbook_out(dir.path(), &["drill", "--history", "checkout-oom"]);
    assert_eq!(table.lines().count(), 3, "a header and two tries:\n{table}");
    assert!(table.contains("escalated"), "{table}");

    let list = runbook_out(dir.path(), &["drill", "--list"]);
    let row = list
        .lines()
        .find(|l| l.starts_with("checkout-oom "))
        .unwrap_or_else(|| panic!("no checkout-oom row:\n{list}"));
    let header = list.lines().next().unwrap_or_default();
    assert!(
        header.contains("TRIES") && header.contains("BEST"),
        "{header}"
    );
    assert!(
        row.split_whitespace().any(|w| w == "2"),
        "two tries counted: {row}"
    );
}
