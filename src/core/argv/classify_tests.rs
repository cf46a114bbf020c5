use super::*;

fn class(line: &str) -> Class {
    let argv: Vec<String> = shlex::split(line).expect("splits");
    classify(&argv)
}

fn assert_reads(line: &str) {
    let c = class(line);
    assert!(!c.mutating && c.read_only_safe, "{line}: {c:?}");
}

fn assert_asks(line: &str, word: Option<&str>) {
    let c = class(line);
    assert!(c.mutating && !c.read_only_safe, "{line}: {c:?}");
    assert_eq!(c.target.as_deref(), word, "{line}");
}

#[test]
fn the_issues_bypasses_are_mutating() {
    // A flag that takes a value hid the verb.
    assert_asks("kubectl --cache-dir get -n shop delete pod X", Some("X"));
    assert_asks(
        "kubectl --request-timeout 30s -n shop delete pod X",
        Some("X"),
    );
    assert_asks("kubectl auth reconcile -f rbac.yaml", Some("rbac.yaml"));
    assert_asks("env kubectl -n shop delete pod X", Some("X"));
}

#[test]
fn every_global_flag_that_takes_a_value_is_skipped() {
    for flag in [
        "--cache-dir",
        "--request-timeout",
        "--as",
        "--as-group",
        "--as-uid",
        "--token",
        "--server",
        "-s",
        "--cluster",
        "--user",
        "--certificate-authority",
        "--client-certificate",
        "--client-key",
        "--tls-server-name",
        "--kubeconfig",
        "--context",
        "-n",
        "--namespace",
        "-v",
        "--profile",
        "--log-file",
    ] {
        assert_asks(&format!("kubectl {flag} get delete pod X"), Some("X"));
        assert_asks(&format!("kubectl {flag}=get delete pod X"), Some("X"));
        if kubectl::names_outside(flag) {
            // It names another cluster or credentials: never a plain read.
            let c = class(&format!("kubectl {flag} delete get pods"));
            assert_eq!(c.outside.as_deref(), Some(flag));
            assert!(c.mutating && !c.read_only_safe, "{flag}: {c:?}");
        } else {
            assert_reads(&format!("kubectl {flag} delete get pods"));
        }
    }
    assert_asks("kubectl -nshop delete pod X", Some("X"));
    assert_asks("kubectl -v6 delete pod X", Some("X"));
    assert_reads("kubectl --insecure-skip-tls-verify get pods");
}

#[test]
fn an_unknown_flag_before_the_verb_is_unsure() {
    assert_asks("kubectl --some-new-flag get pods", None);
    assert_asks("kubectl -x get pods", None);
    // `--flag=value` cannot have taken the next word.
    assert_reads("kubectl --some-new-flag=1 get pods");
}

#[test]
fn wrappers_are_seen_through() {
    for line in [
        "env -i PATH=/usr/bin kubectl delete pod X",
        "env -u KUBECONFIG A=1 B=2 kubectl delete pod X",
        "sudo -u root -E kubectl delete pod X",
        "sudo KUBECONFIG=/root/.kube/config kubectl delete pod X",
        "command kubectl delete pod X",
        "nice -n 10 kubectl delete pod X",
        "nice -10 kubectl delete pod X",
        "timeout 30s kubectl delete pod X",
        "timeout -k 5 --preserve-status 30s kubectl delete pod X",
        "nohup kubectl delete pod X",
        "xargs -I{} kubectl delete pod X",
        "env sudo timeout 5 /usr/local/bin/kubectl delete pod X",
        "env -- kubectl delete pod X",
    ] {
        assert_asks(line, Some("X"));
    }
    // No KUBECONFIG: kubectl falls back to ~/.kube/config.
    for line in [
        "env -i kubectl get pods",
        "env -u KUBECONFIG kubectl get pods",
        "env --unset=KUBECONFIG kubectl get pods",
        "sudo kubectl get pods",
    ] {
        let c = class(line);
        assert!(c.outside.is_some() && !c.read_only_safe, "{line}: {c:?}");
    }
    assert_reads("timeout 10 kubectl -n shop logs deploy/x");
    // A wrapper whose options cannot be read, or that runs nothing.
    assert_asks("env -S 'kubectl delete pod X'", None);
    assert_asks("sudo -i kubectl get pods", None);
    assert_asks("env", None);
}

#[test]
fn plugins_unknown_verbs_and_unknown_programs_ask() {
    assert_asks("kubectl neat get pod x", None);
    assert_asks("kubectl krew install ctx", None);
    assert_asks("kubectl alpha debug x", None);
    assert_asks("kubectl config set-context --current --namespace x", None);
    assert_asks("kubectl-neat get pod x", None);
    assert_asks("sh -c 'kubectl delete pod X'", None);
    assert_asks("./fix.sh", None);
    assert_asks("curl -s http://checkout/health", None);
    assert_eq!(class("curl -s http://x").verb.as_deref(), Some("curl"));
}

#[test]
fn subcommands_that_change_are_mutating() {
    assert_asks("kubectl certificate approve csr-1", Some("csr-1"));
    assert_asks("kubectl certificate deny csr-1", Some("csr-1"));
    assert_asks(
        "kubectl -n shop rollout undo deployment/checkout",
        Some("checkout"),
    );
    assert_asks(
        "kubectl -n shop rollout pause deployment/checkout",
        Some("checkout"),
    );
    assert_asks(
        "kubectl -n shop rollout resume deployment/checkout",
        Some("checkout"),
    );
    assert_asks(
        "kubectl -n shop rollout restart deployment/checkout",
        Some("checkout"),
    );
    assert_asks("kubectl label pod x a=b", Some("x"));
    assert_asks("kubectl annotate pod x a=b", Some("x"));
    assert_asks(
        "kubectl -n shop scale deploy/cart --replicas 3",
        Some("cart"),
    );
    assert_asks("kubectl -n shop edit deploy/cart", Some("cart"));
    assert_asks("kubectl apply -f manifest.yaml", Some("manifest.yaml"));
    assert_asks("kubectl delete --grace-period 0 pod x", Some("x"));
    assert_asks(
        "kubectl -n shop exec web-1 -- cat /etc/hosts",
        Some("web-1"),
    );
    assert_asks("kubectl port-forward pod/web-1 8080", Some("web-1"));
    assert_asks("kubectl cordon node-b", Some("node-b"));
}

#[test]
fn reading_subcommands_are_read_only_safe() {
    for line in [
        "kubectl rollout status deployment/x",
        "kubectl rollout history deployment/x",
        "kubectl auth can-i delete pods",
        "kubectl auth whoami",
        "kubectl config view",
        "kubectl config current-context",
        "kubectl diff -f m.yaml",
        "kubectl plugin list",
        "kubectl get pods -- delete",
        "/usr/bin/kubectl -n shop get pods -w",
    ] {
        assert_reads(line);
    }
}

#[test]
fn helm_reads_and_changes() {
    assert_reads("helm list -A");
    let c = class("helm --kube-context prod -n shop status checkout");
    assert_eq!(c.outside.as_deref(), Some("--kube-context"));
    assert!(c.mutating && !c.read_only_safe);
    assert_asks("helm template ./chart --post-renderer ./evil.sh", None);
    assert_asks("helm -n shop upgrade checkout ./chart", Some("checkout"));
    assert_asks("helm rollback checkout 3", Some("checkout"));
    assert_asks(
        "helm --kube-context list upgrade checkout ./chart",
        Some("checkout"),
    );
    assert_asks("helm --unknown list", None);
    assert_asks("helm plugin install x", None);
}

#[test]
fn odd_arguments_never_panic() {
    for line in [
        "kubectl -é get",
        "kubectl -",
        "env -",
        "timeout",
        "sudo --",
        "kubectl --",
        "helm",
    ] {
        let _ = class(line);
    }
}

/// Issue 20 item 1: each of these ran in read-only mode after a "y".
#[test]
fn issue_20_read_only_bypasses_are_neither_reads_nor_unconfirmed() {
    for line in [
        // `watch` without -x hands its arguments to `sh -c`.
        "watch -g kubectl get pods ; kubectl --kubeconfig=AMBIENT delete pod X",
        "watch kubectl get pods",
        // A kubeconfig runs its exec credential plugin (any program).
        "kubectl get pods --kubeconfig=EVIL",
        "kubectl --kubeconfig EVIL get pods",
        "timeout 20 kubectl get pods --kubeconfig=EVIL",
        "xargs -a FILE kubectl get",
        "xargs --arg-file=FILE kubectl get",
        "env KUBECTL_EXTERNAL_DIFF=evil.sh kubectl diff -f cm.yaml",
        "KUBECTL_EXTERNAL_DIFF=evil.sh kubectl diff -f cm.yaml",
        "env KUBECONFIG=EVIL kubectl get pods",
        "KUBECONFIG=EVIL kubectl get pods",
        "env KUBE_EDITOR=evil.sh kubectl get pods",
        "env PATH=/tmp/evil kubectl get pods",
        "env LD_PRELOAD=/tmp/evil.so kubectl get pods",
        "env HELM_PLUGINS=/tmp/evil helm list",
        "env MY_DIFF=evil kubectl get pods",
        "env GIT_EDITOR=evil kubectl get pods",
        "kubectl config view --raw --kubeconfig=AMBIENT",
    ] {
        let c = class(line);
        assert!(c.mutating && !c.read_only_safe, "{line}: {c:?}");
    }
}

#[test]
fn watch_with_exec_and_harmless_wrappers_still_read() {
    assert_reads("watch -x kubectl get pods");
    assert_reads("watch -n 5 -x kubectl -n shop get pods");
    assert_reads("xargs kubectl get pods");
    assert_reads("nice -n 5 timeout 20 kubectl get pods");
    assert_reads("env LANG=C kubectl get pods");
}

/// Issue 19: a command that names its own cluster or credentials.
#[test]
fn flags_naming_another_cluster_or_credentials_are_outside() {
    for (line, flag) in [
        (
            "kubectl --kubeconfig ~/.kube/config --context prod-a -n shop annotate deployment checkout x=y",
            "--kubeconfig",
        ),
        ("kubectl --context prod-a get pods", "--context"),
        ("kubectl --server=https://10.0.0.1 get pods", "--server"),
        ("kubectl -s https://10.0.0.1 get pods", "-s"),
        ("kubectl get pods --token abc", "--token"),
        ("kubectl get pods --as=admin", "--as"),
        ("kubectl get pods --as-group=system:masters", "--as-group"),
        ("kubectl get pods --user admin", "--user"),
        ("kubectl get pods --cluster other", "--cluster"),
        ("kubectl get pods --client-key k.pem", "--client-key"),
        (
            "kubectl get pods --certificate-authority ca.pem",
            "--certificate-authority",
        ),
        ("oc get pods --token abc", "--token"),
        ("helm --kube-context prod list", "--kube-context"),
        ("helm list --kube-apiserver https://x", "--kube-apiserver"),
        ("helm list --kube-token=x", "--kube-token"),
        ("helm list --kube-as-user=x", "--kube-as-user"),
        ("helm list --kubeconfig x", "--kubeconfig"),
        ("env KUBECONFIG=/tmp/other kubectl get pods", "KUBECONFIG="),
        ("KUBECONFIG=/tmp/other kubectl get pods", "KUBECONFIG="),
        (
            "timeout 20 kubectl get pods --kubeconfig=EVIL",
            "--kubeconfig",
        ),
        // `--raw` takes no value after `config view`.
        (
            "kubectl config view --raw --kubeconfig=AMBIENT",
            "--kubeconfig",
        ),
        // Read as another flag's value by the table, still caught.
        ("kubectl get --raw --kubeconfig=EVIL pods", "--kubeconfig"),
    ] {
        let c = class(line);
        assert_eq!(c.outside.as_deref(), Some(flag), "{line}: {c:?}");
        assert!(c.mutating && !c.read_only_safe, "{line}: {c:?}");
    }
    // After `--` it is the container's command line, not kubectl's.
    assert_eq!(
        class("kubectl exec web-1 -- kubectl --kubeconfig x get pods").outside,
        None
    );
}

/// `auth can-i --as=...` asks the session's cluster about another identity
/// (how a responder proves an RBAC fix): a read, not outside the cluster;
/// with any other such flag it still is.
#[test]
fn can_i_as_another_identity_is_a_question_to_the_sessions_cluster() {
    for line in [
        "kubectl -n shop auth can-i --list --as=system:serviceaccount:shop:reports",
        "kubectl auth can-i list pods --as system:serviceaccount:shop:reports --as-group=g",
    ] {
        let c = class(line);
        assert_eq!(c.outside, None, "{line}: {c:?}");
        assert!(c.read_only_safe && !c.mutating, "{line}: {c:?}");
    }
    let c = class("kubectl auth can-i list pods --as=x --context=prod-a");
    assert!(c.outside.is_some() && !c.read_only_safe, "{c:?}");
    assert_eq!(
        class("kubectl get pods --as=x").outside.as_deref(),
        Some("--as")
    );
}

#[test]
fn shells_in_disguise_are_named() {
    for line in [
        "watch kubectl get pods",
        "watch -n 2 -g kubectl get pods",
        "sh -c 'kubectl get pods'",
        "bash -c 'kubectl get pods'",
        "env /bin/sh -c x",
        "xargs sh -c 'kubectl get pods'",
    ] {
        assert!(class(line).shell.is_some(), "{line}");
    }
    for line in [
        "watch -x kubectl get pods",
        "watch -gx kubectl get pods",
        "kubectl get pods",
    ] {
        assert_eq!(class(line).shell, None, "{line}");
    }
}

#[test]
fn config_view_is_redacted() {
    use crate::argv::redact::Redact;
    assert_eq!(
        class("kubectl config view --raw").redact,
        Redact::Credentials
    );
    assert_eq!(
        class("kubectl config view --raw -o json").redact,
        Redact::Credentials
    );
    assert_eq!(
        class("kubectl config view --raw -o jsonpath={.users[0].user.token}").redact,
        Redact::Everything
    );
    assert!(class("kubectl config view --raw").read_only_safe);
    assert_eq!(class("kubectl get pods").redact, Redact::Nothing);
}
