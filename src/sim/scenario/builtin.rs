//! The scenarios shipped in the binary, and loading one by name or path.

use std::path::Path;

use super::Scenario;
use super::diagnostic::ScenarioError;

const BUILTINS: &[(&str, &str)] = &[
    (
        "checkout-oom",
        include_str!("../../../assets/scenarios/checkout-oom.yaml"),
    ),
    (
        "image-typo",
        include_str!("../../../assets/scenarios/image-typo.yaml"),
    ),
    (
        "node-down",
        include_str!("../../../assets/scenarios/node-down.yaml"),
    ),
    (
        "dns-down",
        include_str!("../../../assets/scenarios/dns-down.yaml"),
    ),
    (
        "service-selector",
        include_str!("../../../assets/scenarios/service-selector.yaml"),
    ),
    (
        "netpol-block",
        include_str!("../../../assets/scenarios/netpol-block.yaml"),
    ),
    (
        "pvc-unbound",
        include_str!("../../../assets/scenarios/pvc-unbound.yaml"),
    ),
    (
        "hpa-maxed",
        include_str!("../../../assets/scenarios/hpa-maxed.yaml"),
    ),
    (
        "ingress-backend",
        include_str!("../../../assets/scenarios/ingress-backend.yaml"),
    ),
    (
        "cronjob-failing",
        include_str!("../../../assets/scenarios/cronjob-failing.yaml"),
    ),
    (
        "disk-pressure",
        include_str!("../../../assets/scenarios/disk-pressure.yaml"),
    ),
    (
        "config-missing",
        include_str!("../../../assets/scenarios/config-missing.yaml"),
    ),
    (
        "probe-too-eager",
        include_str!("../../../assets/scenarios/probe-too-eager.yaml"),
    ),
    (
        "scale-10k",
        include_str!("../../../assets/scenarios/scale-10k.yaml"),
    ),
];

/// The text of a built-in scenario.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTINS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

pub fn builtin_names() -> Vec<&'static str> {
    BUILTINS.iter().map(|(n, _)| *n).collect()
}

/// A built-in scenario by name, or else a scenario file.
pub fn load(name_or_path: &str) -> Result<Scenario, ScenarioError> {
    match builtin(name_or_path) {
        Some(text) => Scenario::from_yaml(
            text,
            &Path::new("assets/scenarios").join(format!("{name_or_path}.yaml")),
        ),
        None => Scenario::load(Path::new(name_or_path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_loads_and_the_drills_name_their_answer() {
        for name in builtin_names() {
            let scenario = load(name).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(scenario.metadata.name, name);
            if scenario.generate.is_none() {
                assert!(scenario.metadata.playbook.is_some(), "{name}");
                assert!(scenario.metadata.answer.is_some(), "{name}");
            }
        }
        assert!(builtin(crate::sim::DEFAULT_SCENARIO).is_some());
        let typo = load("image-typo").unwrap();
        assert!(
            typo.objects
                .iter()
                .any(|o| o["message"].as_str().is_some_and(
                    |m| m.contains("manifest for registry.example.com/cart:v2.31 not found")
                ))
        );
    }
}
