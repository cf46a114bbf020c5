//! Resuming a drill whose saved cluster is damaged.

use super::*;

/// Issue 20: a drill whose saved cluster held an object the simulator
/// could not take back made `runbook resume` exit 101 every time. It
/// resumes from the previous good copy and says so.
#[test]
fn a_drill_whose_saved_cluster_is_bad_resumes_from_the_previous_good_copy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = spawn(dir.path(), &["drill"], &[], 160, 48);
    let briefing = t.wait_for("export KUBECONFIG=");
    // #24 (14): one path for the drill's second terminal, across quit and
    // resume (it was named by the process, and deleted on quit).
    let export = briefing
        .lines()
        .find_map(|l| l.split("export KUBECONFIG=").nth(1))
        .map(|rest| {
            rest.split_whitespace()
                .next()
                .unwrap_or_default()
                .trim_matches('\'')
        })
        .expect("the export line")
        .to_string();
    assert!(export.ends_with("checkout-oom.kubeconfig"), "{export}");
    t.send(keys::ENTER);
    t.wait_for("[live]");
    t.type_keys("q");
    t.wait_for("Quit runbook?");
    t.type_keys("y");
    assert!(t.wait_exit(Duration::from_secs(10)).is_some());
    assert!(
        std::path::Path::new(&export).exists(),
        "kept on quit: a second terminal says the server is gone, not localhost:8080"
    );
    let sessions = sessions_json(dir.path());
    assert_eq!(sessions[0]["state"], "active");
    let id = sessions[0]["id"].as_str().expect("id");
    let saved = dir.path().join("sessions").join(id).join("cluster.json");
    let good = std::fs::read(&saved).expect("the drill saved its cluster");
    std::fs::write(saved.with_file_name("cluster.json.prev"), &good).expect("prev");
    let mut state: serde_json::Value = serde_json::from_slice(&good).expect("json");
    let checkout = state["objects"]
        .as_array_mut()
        .expect("objects")
        .iter_mut()
        .find(|o| o["kind"] == "Deployment" && o["metadata"]["name"] == "checkout")
        .expect("checkout");
    checkout["spec"]["template"]["metadata"] = serde_json::json!("x");
    std::fs::write(&saved, serde_json::to_vec(&state).expect("json")).expect("write");

    let mut r = spawn(dir.path(), &["resume"], &[], 160, 48);
    // The way in is said again, at the same path.
    let again = r.wait_for("export KUBECONFIG=");
    assert!(again.contains("checkout-oom.kubeconfig"), "{again}");
    r.send(keys::ENTER);
    // The drill is back, against its cluster (it exited 101 here).
    let screen = r.wait_for("[live]");
    assert!(screen.contains("checkout-6d8f9c7b5-x2k4q"), "{screen}");
    r.signal(nix::sys::signal::Signal::SIGTERM);
    let status = r.wait_exit(Duration::from_secs(10)).expect("exits");
    assert_ne!(status.exit_code(), 101, "{status:?}");
    let raw = String::from_utf8_lossy(&r.raw()).to_string();
    assert!(
        raw.contains("spec.template.metadata: invalid type"),
        "{raw}"
    );
    assert!(
        raw.contains("the drill's cluster resumes from its previous good state"),
        "{raw}"
    );
}
