//! Every built-in scenario's objects offered to both clusters: a server-side
//! dry-run create of each, so the simulator accepts and refuses exactly what
//! the real API server does with the objects drills are made of.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use runbook::sim;

use super::run::{self, Target};
use super::{kube, normalize, runtime, simulator};

#[test]
fn every_scenario_object_gets_the_real_servers_decision() {
    // Its own: the namespaces it makes would show in the other test's
    // `get namespaces` on the real side only.
    let Some(cp) = kube::own_control_plane("scenarios") else {
        return;
    };
    let kubectl = kube::kubectl();
    let rt = runtime();
    let (sim, dir, simulated) = simulator(&rt);
    let real = Target {
        kubeconfig: cp.admin(),
    };
    let mut offered = Vec::new();
    for name in sim::builtin_names() {
        let scenario = sim::load(name).expect("a built-in scenario loads");
        offered.extend(scenario.objects.into_iter().map(|o| (name, o)));
    }
    let namespaces: BTreeSet<String> = offered
        .iter()
        .filter_map(|(_, o)| o["metadata"]["namespace"].as_str().map(String::from))
        .collect();
    for ns in &namespaces {
        let create = ["create", "namespace", ns].map(String::from).to_vec();
        run::kubectl(&kubectl, &real, dir.path(), &create);
        run::kubectl(&kubectl, &simulated, dir.path(), &create);
        default_service_account(&kubectl, &real, dir.path(), ns);
    }

    let mut differ = Vec::new();
    let (mut accepted, mut refused) = (0, 0);
    for (i, (scenario, object)) in offered.iter().enumerate() {
        let file = dir.path().join(format!("object-{i}.json"));
        std::fs::write(&file, object.to_string()).expect("write the object");
        let args: Vec<String> = ["create", "--dry-run=server", "-o", "name", "-f"]
            .iter()
            .map(|s| s.to_string())
            .chain([file.display().to_string()])
            .collect();
        let r = run::kubectl(&kubectl, &real, dir.path(), &args);
        let s = run::kubectl(&kubectl, &simulated, dir.path(), &args);
        let what = format!(
            "{scenario}: {} {}/{}",
            object["kind"].as_str().unwrap_or("?"),
            object["metadata"]["namespace"].as_str().unwrap_or("-"),
            object["metadata"]["name"].as_str().unwrap_or("?")
        );
        if r.accepted != s.accepted {
            differ.push(format!(
                "{what}: real {}, sim {}\n  real: {}\n  sim: {}",
                verdict(r.accepted),
                verdict(s.accepted),
                normalize(&r.stderr).replace(&file.display().to_string(), "FILE"),
                normalize(&s.stderr).replace(&file.display().to_string(), "FILE"),
            ));
        } else if r.accepted {
            accepted += 1;
        } else {
            refused += 1;
        }
    }
    rt.block_on(sim.shutdown());
    eprintln!(
        "scenario objects: {} offered, {accepted} accepted by both, {refused} refused by both, {} decided differently",
        offered.len(),
        differ.len()
    );
    assert!(
        differ.is_empty(),
        "the simulator decided {} of {} scenario objects differently from the real API server:\n{}",
        differ.len(),
        offered.len(),
        differ.join("\n")
    );
}

fn verdict(accepted: bool) -> &'static str {
    if accepted { "accepted" } else { "refused" }
}

/// Pods are refused in a namespace until its default ServiceAccount exists
/// (the controller manager makes it a moment after the namespace).
fn default_service_account(kubectl: &Path, target: &Target, cwd: &Path, ns: &str) {
    let get = ["get", "serviceaccount", "default", "-n", ns]
        .map(String::from)
        .to_vec();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !run::kubectl(kubectl, target, cwd, &get).accepted {
        assert!(
            Instant::now() < deadline,
            "no default ServiceAccount in {ns} after 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
