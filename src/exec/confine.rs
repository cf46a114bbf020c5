//! Kernel confinement of a command's process (Landlock, Linux 6.7+, ABI 4):
//! it may open TCP connections only to the session's gateway port and bind
//! none, so read-only holds even for a program the argv classifier reads
//! wrong (`sh -c`, `watch`, a kubeconfig of its own, a plugin). The
//! filesystem is left alone: kubectl must read its kubeconfig and cache.
//!
//! Landlock's network rules name a port, not an address: a connection to
//! another loopback service that happens to listen on the same port number
//! is allowed, and UDP and unix sockets are not covered at all (the kernel
//! has no rule for them before ABI 10). The gateway, not this, is the
//! boundary for what a connection to it may do.
//!
//! The ruleset is built in the parent; the child (between fork and exec)
//! only sets `no_new_privs` and calls `landlock_restrict_self`, which
//! allocate nothing.

use std::sync::OnceLock;

/// Whether a command was confined, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Confined,
    /// The command runs anyway; the reason is shown and journaled.
    Unconfined(String),
}

/// Whether the running kernel can confine commands' networking (probed
/// once per process), or why not.
pub fn support() -> &'static Result<(), String> {
    static SUPPORT: OnceLock<Result<(), String>> = OnceLock::new();
    SUPPORT.get_or_init(|| {
        let support = imp::probe();
        match &support {
            Ok(()) => tracing::info!("commands can be confined (Landlock network rules)"),
            Err(why) => tracing::warn!("commands cannot be confined: {why}"),
        }
        support
    })
}

/// Confines the process `command` starts to TCP connections to `port` on
/// any address (none at all for `None`), when the kernel can; says which.
pub fn confine(command: &mut tokio::process::Command, port: Option<u16>) -> Outcome {
    if let Err(why) = support() {
        return Outcome::Unconfined(why.clone());
    }
    imp::confine(command, port)
}

#[cfg(target_os = "linux")]
mod imp {
    use landlock::{
        ABI, AccessNet, CompatLevel, Compatible as _, NetPort, Ruleset, RulesetAttr as _,
        RulesetCreated, RulesetCreatedAttr as _, RulesetStatus,
    };

    use super::Outcome;

    /// What the ruleset handles: every TCP connect and bind is refused
    /// unless a rule allows it.
    fn handled() -> landlock::BitFlags<AccessNet> {
        AccessNet::ConnectTcp | AccessNet::BindTcp
    }

    /// A ruleset refusing TCP but to `port`, on a kernel described by
    /// `base`. A hard requirement: a kernel that cannot enforce all of it
    /// is an error, never a partial confinement taken for a whole one.
    pub(super) fn ruleset(base: Ruleset, port: Option<u16>) -> Result<RulesetCreated, String> {
        let created = base
            .set_compatibility(CompatLevel::HardRequirement)
            .handle_access(handled())
            .and_then(|r| r.create())
            .map_err(|e| describe(&e))?;
        match port {
            Some(port) => created
                .add_rule(NetPort::new(port, AccessNet::ConnectTcp))
                .map_err(|e| describe(&e)),
            None => Ok(created),
        }
    }

    fn describe(e: &landlock::RulesetError) -> String {
        format!(
            "the kernel lacks Landlock network rules (Linux 6.7+, Landlock ABI {}): {e}",
            ABI::V4
        )
    }

    pub(super) fn probe() -> Result<(), String> {
        ruleset(Ruleset::default(), None).map(drop)
    }

    pub(super) fn confine(command: &mut tokio::process::Command, port: Option<u16>) -> Outcome {
        let ruleset = match ruleset(Ruleset::default(), port) {
            Ok(ruleset) => ruleset,
            Err(why) => return Outcome::Unconfined(why),
        };
        let mut ruleset = Some(ruleset);
        let restrict = move || -> std::io::Result<()> {
            // Runs in the child between fork and exec: no allocation, no
            // lock; an error stops the exec (spawn fails), so a command the
            // probe said can be confined never runs unconfined.
            let denied = std::io::ErrorKind::PermissionDenied;
            let ruleset = ruleset.take().ok_or(denied)?;
            match ruleset.restrict_self() {
                Ok(status)
                    if status.ruleset == RulesetStatus::FullyEnforced && status.no_new_privs =>
                {
                    Ok(())
                }
                Ok(_) => Err(denied.into()),
                Err(landlock::RulesetError::RestrictSelf(
                    landlock::RestrictSelfError::RestrictSelfCall { source, .. }
                    | landlock::RestrictSelfError::SetNoNewPrivsCall { source, .. },
                )) => Err(source),
                Err(_) => Err(denied.into()),
            }
        };
        // SAFETY: the closure makes two syscalls (prctl, landlock) through
        // the crate and touches only memory it owns; nothing it does needs
        // a lock or the allocator another thread of the parent may hold.
        unsafe {
            command.pre_exec(restrict);
        }
        Outcome::Confined
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::Outcome;

    pub(super) fn probe() -> Result<(), String> {
        Err("Landlock is Linux only".into())
    }

    pub(super) fn confine(_: &mut tokio::process::Command, _: Option<u16>) -> Outcome {
        Outcome::Unconfined("Landlock is Linux only".into())
    }
}

#[cfg(all(test, target_os = "linux"))]
#[path = "confine_tests.rs"]
mod tests;
