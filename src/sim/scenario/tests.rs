use super::*;

fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    Scenario::from_yaml(text, Path::new("s.yaml"))
}

const MINIMAL: &str = "apiVersion: runbook/v1
kind: Scenario
metadata:
  name: x
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: p }
    status: { phase: Running }
phases:
  - when: { after: 90s }
    delete: [ { kind: Pod, namespace: default, name: p } ]
  - when: { step: oom }
  - when:
      - { step: logs }
      - { after: 2m }
";

#[test]
fn loads_objects_phases_and_defaults_the_namespace() {
    let s = parse(MINIMAL).unwrap();
    assert_eq!(s.metadata.name, "x");
    assert_eq!(s.objects.len(), 1);
    assert_eq!(s.objects[0]["metadata"]["namespace"], "default");
    assert_eq!(s.objects[0]["status"]["phase"], "Running");
    assert_eq!(s.phases[0].when, [Trigger::After(Duration::from_secs(90))]);
    assert_eq!(s.phases[1].when, [Trigger::Step("oom".into())]);
    assert_eq!(
        s.phases[2].when,
        [
            Trigger::Step("logs".into()),
            Trigger::After(Duration::from_secs(120))
        ],
        "a list: whichever comes first"
    );
    assert_eq!(s.time_scale, 1.0);
    assert_eq!(s.rules, Rules::default());
}

#[test]
fn unknown_field_is_reported_with_line_and_column() {
    let text = MINIMAL.replace("  name: x\n", "  name: x\n  colour: red\n");
    let err = parse(&text).unwrap_err();
    assert_eq!((err.line, err.col), (5, 3), "{err}");
    assert!(err.message.contains("colour"), "{err}");
    assert!(err.to_string().starts_with("s.yaml:5:3: error: "), "{err}");
}

#[test]
fn unserved_kind_points_at_the_object() {
    let text = MINIMAL.replace("kind: Pod\n    metadata", "kind: Widget\n    metadata");
    let err = parse(&text).unwrap_err();
    assert_eq!((err.line, err.col), (6, 5), "{err}");
    assert!(err.message.contains("Widget"), "{err}");
}

#[test]
fn when_needs_exactly_one_trigger() {
    let text = MINIMAL.replace("{ step: oom }", "{ step: oom, after: 5s }");
    let err = parse(&text).unwrap_err();
    assert_eq!((err.line, err.col), (13, 11), "{err}");
    assert!(err.message.contains("exactly one"), "{err}");
}

#[test]
fn scripted_reactions_to_the_responder_are_gone() {
    // The controllers answer writes; a phase may not pretend to.
    let text = MINIMAL.replace("{ step: oom }", "{ action: rollout-restart }");
    let err = parse(&text).unwrap_err();
    assert_eq!(err.line, 13, "{err}");
    assert!(err.message.contains("action"), "{err}");
}

#[test]
fn bad_duration_is_an_error_with_a_place() {
    let err = parse(&MINIMAL.replace("90s", "soon")).unwrap_err();
    assert_eq!(err.line, 11, "{err}");
    assert!(err.message.contains("soon"), "{err}");
}

#[test]
fn wrong_kind_of_file_is_rejected() {
    let err = parse(&MINIMAL.replace("kind: Scenario", "kind: Playbook")).unwrap_err();
    assert_eq!((err.line, err.col), (2, 7), "{err}");
}

const BEHAVIOUR: &str = "apiVersion: runbook/v1
kind: Scenario
metadata: { name: b }
registry: [ \"shop/checkout:v4.12.0\" ]
workloads:
  checkout: { memoryNeeds: 400Mi, cpu: 300m, warmup: 20s }
  web/proxy: { ready: false, exits: { after: 5s, code: 2 } }
timeScale: 10
goal: { check: 'pods.all(p, p.ready)', for: 30s }
alerts:
  - labels: { alertname: KubePodCrashLooping, namespace: shop }
    annotations: { summary: checkout restarts }
";

#[test]
fn behaviour_goal_and_alerts_are_carried() {
    let s = parse(BEHAVIOUR).unwrap();
    assert!(s.rules.image_exists("shop/checkout:v4.12.0"));
    assert!(!s.rules.image_exists("shop/checkout:v4.13.0"));
    let checkout = s.rules.workload("checkout", "checkout").unwrap();
    assert_eq!(checkout.memory_needs, Some(400.0 * 1024.0 * 1024.0));
    assert_eq!(checkout.cpu, Some(0.3));
    assert_eq!(checkout.warmup, Duration::from_secs(20));
    let proxy = s.rules.workload("web", "proxy").unwrap();
    assert!(!proxy.ready);
    assert_eq!(proxy.exits.as_ref().map(|e| e.code), Some(2));
    assert!(s.rules.workload("web", "app").is_none());
    assert_eq!(s.time_scale, 10.0);
    let goal = s.goal.unwrap();
    assert_eq!(goal.check, "pods.all(p, p.ready)");
    assert_eq!(goal.hold, Duration::from_secs(30));
    assert_eq!(s.alerts[0].labels["alertname"], "KubePodCrashLooping");
    assert_eq!(s.alerts[0].annotations["summary"], "checkout restarts");
}

#[test]
fn bad_behaviour_fields_are_errors_with_a_place() {
    let err = parse(&BEHAVIOUR.replace("400Mi", "lots")).unwrap_err();
    assert_eq!(err.line, 6, "{err}");
    assert!(err.message.contains("lots"), "{err}");
    let err = parse(&BEHAVIOUR.replace("timeScale: 10", "timeScale: 0")).unwrap_err();
    assert_eq!((err.line, err.col), (8, 12), "{err}");
    let err = parse(&BEHAVIOUR.replace("p.ready)", "p.ready")).unwrap_err();
    assert_eq!(err.line, 9, "{err}");
    assert!(err.message.contains("goal.check"), "{err}");
    let err = parse(&BEHAVIOUR.replace("cpu: 300m,", "cpu: 300m, colour: red,")).unwrap_err();
    assert_eq!(err.line, 6, "{err}");
}

#[test]
fn absurd_generated_sizes_are_rejected_at_their_place() {
    for (field, value) in [
        ("nodes", "1099511627776"),
        ("pods", "9223372036854775807"),
        ("eventsPerSecond", "1e300"),
    ] {
        let text = format!(
            "apiVersion: runbook/v1\nkind: Scenario\nmetadata: {{ name: g }}\ngenerate:\n  {field}: {value}\n"
        );
        let err = parse(&text).unwrap_err();
        assert_eq!(err.line, 5, "{field}: {err}");
        assert!(err.message.contains(field), "{err}");
    }
    let text = "apiVersion: runbook/v1\nkind: Scenario\nmetadata: { name: g }\ngenerate: { pods: 20, nodes: 2 }\n";
    assert_eq!(parse(text).unwrap().generate.unwrap().pods, 20);
}

const DEPLOYMENT: &str = "apiVersion: runbook/v1
kind: Scenario
metadata:
  name: x
objects:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web, namespace: shop }
    spec:
      replicas: 2
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec: { containers: [ { name: web, image: web:1 } ] }
";

/// Issue 20: each of these took a drill down (a string template exited
/// 101, 2^32 replicas and a 100 KB namespace exhausted memory, a template
/// without labels spun the CPU); each is a load error at the object.
#[test]
fn objects_the_api_server_would_refuse_are_load_errors_at_their_place() {
    assert!(parse(DEPLOYMENT).is_ok());
    let cases = [
        (
            "replicas: 2",
            "replicas: 4294967296",
            "spec.replicas: invalid value: integer `4294967296`, expected i32",
        ),
        (
            "replicas: 2",
            "replicas: -3",
            "spec.replicas: Invalid value: -3: must be greater than or equal to 0",
        ),
        (
            "metadata: { labels: { app: web } }",
            "metadata: x",
            "spec.template.metadata: invalid type: string \"x\"",
        ),
        (
            "metadata: { labels: { app: web } }",
            "metadata: {}",
            "`selector` does not match template `labels`",
        ),
        (
            "namespace: shop",
            &format!("namespace: {}", "n".repeat(100_000)),
            "metadata.namespace: Invalid value",
        ),
    ];
    for (from, to, want) in cases {
        let err = parse(&DEPLOYMENT.replace(from, to)).unwrap_err();
        assert_eq!((err.line, err.col), (6, 5), "{err}");
        assert!(err.message.contains(want), "{to}: {err}");
        assert!(
            err.message
                .starts_with("this Deployment could not be stored: "),
            "{err}"
        );
    }
}

#[test]
fn a_scenario_past_the_size_cap_is_refused_before_parsing() {
    let huge = format!("{DEPLOYMENT}# {}\n", "x".repeat(MAX_SCENARIO_BYTES));
    let err = parse(&huge).unwrap_err();
    assert!(err.message.contains("at most 4194304 are read"), "{err}");
}

#[test]
fn every_builtin_scenario_holds_only_storable_objects() {
    for name in builtin::builtin_names() {
        let scenario = builtin::load(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        for object in &scenario.objects {
            assert_eq!(
                crate::sim::api::validation::check(object),
                Ok(()),
                "{name}: {object}"
            );
        }
    }
}

/// #24 (11): every built-in drill says in words what "fixed" looks like.
#[test]
fn every_built_in_drill_says_its_goal_in_words() {
    for name in crate::sim::builtin_names() {
        let scenario = crate::sim::load(name).expect("loads");
        if let Some(goal) = &scenario.goal {
            let words = goal.description.as_deref().unwrap_or_default();
            assert!(!words.is_empty(), "{name}: no goal.description");
            assert!(
                !words.contains("=="),
                "{name}: words, not an expression: {words}"
            );
        }
    }
}
