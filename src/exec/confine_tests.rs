//! Landlock against real child processes: a confined child connects to
//! the one allowed port on loopback and to no other.

use std::net::TcpListener;

use super::*;

/// This machine's kernel is expected to have Landlock ABI 4+; a kernel
/// that lacks it fails these tests unless `RUNBOOK_SKIP_CONFINE=1`.
fn skip() -> bool {
    std::env::var_os("RUNBOOK_SKIP_CONFINE").is_some_and(|v| v == "1")
}

#[test]
fn this_kernel_can_confine() {
    if skip() {
        return;
    }
    assert_eq!(
        support(),
        &Ok(()),
        "set RUNBOOK_SKIP_CONFINE=1 on a kernel without Landlock ABI 4"
    );
}

/// What a confined python3 gets when it connects to `port` on loopback:
/// `connected` or the errno's name.
async fn connects(port: u16, allowed: Option<u16>) -> (String, Outcome) {
    let mut command = tokio::process::Command::new("python3");
    let script = format!(
        "import errno, socket\ntry:\n    socket.create_connection(('127.0.0.1', {port}))\n    print('connected')\nexcept OSError as e:\n    print(errno.errorcode.get(e.errno, e.errno))"
    );
    command.args(["-c", &script]);
    let outcome = confine(&mut command, allowed);
    let out = command
        .output()
        .await
        .expect("python3 is needed for this test");
    (
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
        outcome,
    )
}

#[tokio::test]
async fn a_confined_child_connects_only_to_the_allowed_port() {
    if skip() {
        return;
    }
    let allowed = TcpListener::bind("127.0.0.1:0").expect("listen");
    let other = TcpListener::bind("127.0.0.1:0").expect("listen");
    let (a, o) = (
        allowed.local_addr().expect("addr").port(),
        other.local_addr().expect("addr").port(),
    );
    let confined = |answer: &str| (answer.to_string(), Outcome::Confined);
    assert_eq!(connects(a, Some(a)).await, confined("connected"));
    assert_eq!(connects(o, Some(a)).await, confined("EACCES"));
    assert_eq!(connects(a, None).await, confined("EACCES"));
    // The parent is not confined by its child's ruleset.
    assert!(std::net::TcpStream::connect(("127.0.0.1", o)).is_ok());
}

#[tokio::test]
async fn a_confined_child_cannot_listen() {
    if skip() {
        return;
    }
    let mut command = tokio::process::Command::new("python3");
    command.args([
        "-c",
        "import socket; socket.socket().bind(('127.0.0.1', 0))",
    ]);
    command.stderr(std::process::Stdio::null());
    assert_eq!(confine(&mut command, Some(1)), Outcome::Confined);
    let status = command
        .status()
        .await
        .expect("python3 is needed for this test");
    assert!(!status.success());
}
