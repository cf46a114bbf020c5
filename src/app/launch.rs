//! Starting or resuming a session in the terminal: the glue between the
//! commands and the loop.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use super::model::State;
use crate::checks::Scope;
use crate::engine::{Drill, Event, Session};
use crate::journal::{self, FileJournal, Sink};
use crate::playbook::Playbook;
use crate::playbook::template::render;
use crate::tui::theme::Theme;
use anyhow::Context as _;

/// Everything about a run that is not the playbook.
pub struct Options {
    pub theme: Theme,
    pub context: Option<String>,
    pub namespace: Option<String>,
    pub read_only: bool,
    /// Why read-only is on (the flag, or the context's pattern), for the
    /// record when a resume turns it on.
    pub read_only_reason: Option<String>,
    /// The config's read-only context patterns, journaled with the start.
    pub read_only_contexts: Vec<String>,
    pub drill: Option<Drill>,
    /// A drill's briefing: shown first in a new drill, under `B` after.
    pub briefing: Option<crate::drill::Briefing>,
    /// The trainee's finished or abandoned tries of this drill's scenario,
    /// which its report compares with.
    pub earlier_tries: Vec<crate::drill::progress::Attempt>,
    /// The alert that opened the session; journaled with the start.
    pub alert: Option<crate::engine::OpeningAlert>,
    /// The Alertmanager the alert came from, where the session's silences
    /// go. Set for sessions opened from an alert; the loop does not use it
    /// yet (the `s` key is wired with the app's components).
    pub alertmanager: Option<crate::alerts::Endpoint>,
    /// The cluster (or the drill's simulator), if any.
    pub background: Option<super::background::Background>,
    /// Environment for commands run from the playbook.
    pub command_env: Vec<(String, String)>,
}

impl Options {
    pub fn new(theme: Theme) -> Options {
        Options {
            theme,
            context: None,
            namespace: None,
            read_only: false,
            read_only_reason: None,
            read_only_contexts: Vec::new(),
            drill: None,
            briefing: None,
            earlier_tries: Vec::new(),
            alert: None,
            alertmanager: None,
            background: None,
            command_env: Vec::new(),
        }
    }
}

pub fn theme_from(ui: &crate::cli::UiOptions) -> Theme {
    Theme::new(
        ui.no_color,
        ui.ascii,
        std::env::var("NO_COLOR").ok().as_deref(),
    )
}

fn user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| format!("uid{}", nix::unistd::getuid()))
}

fn host() -> String {
    nix::unistd::gethostname()
        .ok()
        .and_then(|h| h.into_string().ok())
        .unwrap_or_else(|| "unknown".into())
}

/// The playbook's focus, rendered with the params; `--namespace` wins.
pub fn scope_for(
    playbook: &Playbook,
    params: &BTreeMap<String, String>,
    namespace: Option<&str>,
) -> Scope {
    let focus = &playbook.focus;
    let ns = namespace
        .map(str::to_string)
        .or_else(|| focus.namespace.as_ref().map(|n| render(n, params)));
    let selector = focus
        .label_selector
        .as_ref()
        .map(|s| render(&s.value, params));
    let node = focus.node.as_ref().map(|n| render(n, params));
    // Validation refuses a selector the API server would; a param's value
    // (a pattern that admits a space, say) can still make one. The focus
    // then keeps its namespace and node and drops only the selector: never
    // every namespace.
    let scope = Scope::focus(ns, node);
    match selector {
        Some(s) => scope.clone().with_selector(&s).unwrap_or_else(|e| {
            tracing::warn!("focus.labelSelector {s:?} is not used: {e}");
            scope
        }),
        None => scope,
    }
}

/// Whether the UI can run: stdout is a terminal, and keys can be read from
/// stdin or, when stdin was a pipe (`run --alert -`), from /dev/tty, as
/// crossterm does.
pub fn has_terminal() -> bool {
    std::io::stdout().is_terminal()
        && (std::io::stdin().is_terminal()
            || std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open("/dev/tty")
                .is_ok())
}

/// The walkthrough was asked for without a terminal: a usage error (the
/// commands exit 2 for it).
#[derive(Debug, thiserror::Error)]
#[error(
    "the walkthrough needs a terminal (stdin and stdout); for scripts use `runbook validate`, `sessions` or `export`"
)]
pub struct NeedsTerminal;

fn require_terminal() -> anyhow::Result<()> {
    if !has_terminal() {
        return Err(NeedsTerminal.into());
    }
    Ok(())
}

/// Options for a session against a real cluster: the kubeconfig context,
/// read-only from the flag or the config's context patterns, and a cluster
/// connection that runs beside the UI.
pub fn cluster_options(
    cluster: &crate::cli::ClusterOptions,
    ui: &crate::cli::UiOptions,
    playbook: &Playbook,
    params: &BTreeMap<String, String>,
) -> anyhow::Result<Options> {
    let cfg = crate::cluster::connect::ClusterConfig {
        kubeconfig: cluster.kubeconfig.clone(),
        context: cluster.context.clone(),
    };
    let context = crate::cluster::connect::current_context(&cfg);
    let config = crate::config::load_default()?;
    let forced = context
        .as_deref()
        .is_some_and(|c| config.is_read_only_context(c));
    let scope = scope_for(playbook, params, cluster.namespace.as_deref());
    let mut opts = Options::new(theme_from(ui));
    opts.context = context;
    opts.namespace = cluster.namespace.clone().or(scope.namespace);
    opts.read_only = cluster.read_only || forced;
    opts.read_only_reason = if cluster.read_only {
        Some("--read-only".into())
    } else if forced {
        opts.context
            .as_deref()
            .map(|c| format!("context {c} is read-only by the config"))
    } else {
        None
    };
    opts.read_only_contexts = config.read_only_contexts.clone();
    let focus = crate::cluster::watch::Focus {
        namespace: opts.namespace.clone(),
        node: scope.node.clone(),
        all_namespaces: false,
    };
    opts.background = Some(super::background::Background::connect(cfg, focus)?);
    Ok(opts)
}

/// How a session left the terminal, for the command to tell the responder
/// once the terminal is theirs again.
pub struct Ended {
    pub id: String,
    pub outcome: Option<crate::playbook::model::Outcome>,
    pub drill_report: Option<String>,
}

/// Starts a new session: the journal is created and the start made durable
/// before the first frame.
pub fn start_new(
    text: &str,
    playbook: Playbook,
    params: BTreeMap<String, String>,
    opts: Options,
) -> anyhow::Result<Ended> {
    require_terminal()?;
    let data = journal::data_dir()?;
    journal::ensure_writable(&data)
        .with_context(|| format!("cannot write sessions under {}", data.display()))?;
    let now = jiff::Timestamp::now();
    let id = journal::store::new_session_id(now, playbook.name(), journal::store::entropy());
    let mut file = FileJournal::create(&data, &id, text)?;
    let playbook = Arc::new(playbook);
    let mut session = Session::new(playbook.clone());
    let started = Event::Started {
        playbook: playbook.name().to_string(),
        title: render(&playbook.metadata.title, &params),
        hash: crate::playbook::content_hash(text),
        params: params.clone(),
        context: opts.context.clone(),
        namespace: opts.namespace.clone(),
        user: user(),
        host: host(),
        drill: opts.drill.clone(),
        alert: opts.alert.clone().map(Box::new),
        read_only: opts.read_only,
        read_only_contexts: opts.read_only_contexts.clone(),
    };
    let events = session.propose_start(started)?;
    for record in file.append(1, now, events)? {
        session.apply(record)?;
    }
    let dir = file.dir().to_path_buf();
    run_session(&data, &dir, id, session, Box::new(file), opts)
}

/// Resumes a loaded session on the step and checklist state it was left in,
/// read-only if its record says so.
pub fn resume(loaded: journal::LoadedSession, mut opts: Options) -> anyhow::Result<Ended> {
    require_terminal()?;
    let data = journal::data_dir()?;
    let (mut file, _) = FileJournal::open(&loaded.dir)?;
    let mut session = loaded.session;
    let asked = opts.read_only.then(|| {
        opts.read_only_reason
            .clone()
            .unwrap_or_else(|| "--read-only".into())
    });
    opts.read_only = restore_read_only(
        &mut session,
        &mut file,
        asked.as_deref(),
        jiff::Timestamp::now(),
    )?;
    run_session(&data, &loaded.dir, loaded.id, session, Box::new(file), opts)
}

/// Read-only for a session about to run: on when this start asks for it or
/// when the session's record says so, and then on the wire too: the
/// gateway (and the actions' client behind the same gate) refuses changes.
pub fn read_only_for(
    state: &mut State,
    asked: bool,
    background: Option<&super::background::Background>,
) {
    state.read_only = asked || state.session.is_read_only();
    if state.read_only
        && let Some(b) = background
    {
        b.enforce_read_only();
    }
}

/// Read-only on resume: on when the record says so, and turned on (the
/// turn journaled with `asked`, its reason) when this resume asks for it;
/// nothing turns it off. Returns whether the session is read-only.
pub fn restore_read_only(
    session: &mut Session,
    sink: &mut dyn Sink,
    asked: Option<&str>,
    now: jiff::Timestamp,
) -> anyhow::Result<bool> {
    if let Some(reason) = asked
        && let Some(event) = session.propose_read_only_on(reason)?
    {
        for record in sink.append(session.next_seq(), now, vec![event])? {
            session.apply(record)?;
        }
    }
    Ok(session.is_read_only())
}

fn run_session(
    data: &Path,
    dir: &Path,
    id: String,
    session: Session,
    sink: Box<dyn Sink>,
    opts: Options,
) -> anyhow::Result<Ended> {
    super::terminal::init_logging(data);
    let scope = scope_for(
        session.playbook(),
        session.params(),
        opts.namespace.as_deref(),
    );
    let mut state = State::new(session, opts.theme, jiff::Timestamp::now(), id.clone());
    state.scope = scope;
    state.context = opts
        .context
        .or_else(|| opts.background.as_ref().and_then(|b| b.context.clone()));
    state.namespace = opts.namespace.or_else(|| state.scope.namespace.clone());
    read_only_for(&mut state, opts.read_only, opts.background.as_ref());
    state.command_env = opts.command_env;
    state.earlier_tries = opts.earlier_tries;
    if let Some(briefing) = opts.briefing {
        state.briefing = Some(Arc::new(briefing));
        // A drill opens on its briefing, a resumed one too: its way in
        // from a second terminal is said again.
        state
            .overlays
            .push(crate::app::components::Overlay::Briefing(
                crate::app::components::BriefingWindow,
            ));
    }
    // Over the briefing: what the last run left half-done comes first.
    super::running::offer_unfinished(&mut state);
    if let Ok(config) = crate::config::load_default() {
        state.command_timeout = config.command_timeout();
        state.config = config;
    }
    // Said in the status line from the start: its commands will not be
    // held to the gateway by the kernel (probed once per process).
    state.unconfined = (state.read_only || state.config.confine_commands)
        && crate::exec::confine::support().is_err();
    let snapshots = opts.background.as_ref().map(|b| b.snapshots.clone());
    let sim = opts.background.as_ref().and_then(|b| b.sim.clone());
    // A drill's cluster is kept beside its journal, so `resume` brings it back.
    if let Some(sim) = &sim {
        sim.autosave_to(
            journal::store::sessions_dir(data)
                .join(&id)
                .join(crate::sim::STATE_FILE),
        );
    }
    let entered: Box<dyn FnMut(&str) + Send> = match sim {
        Some(sim) => Box::new(move |step| sim.reached_step(step)),
        None => Box::new(|_| {}),
    };
    let mut ports = super::ports::Ports::new(jiff::Timestamp::now);
    ports.entered = entered;
    ports.session_dir = Some(dir.to_path_buf());
    state.alertmanager = opts.alertmanager.is_some();
    ports.silences = Box::new(super::ports::AlertmanagerSilences {
        endpoint: opts.alertmanager.clone(),
    });
    let mut background = opts.background;
    if let Some(b) = &mut background {
        state.contexts = b.contexts.clone();
        state.servers = b.servers.clone();
        // A drill names its context after itself: the server is its
        // simulator's, the kubeconfig's current context.
        if let (Some(label), Some(real)) = (state.context.clone(), b.context.as_ref())
            && let Some(server) = b.servers.get(real)
        {
            state.servers.entry(label).or_insert_with(|| server.clone());
        }
        let board = b.board();
        let widen = board.clone();
        ports.all_namespaces = Box::new(move |all| widen.set_all_namespaces(all));
        let watch = board.clone();
        ports.watch_kinds = Box::new(move |kinds| watch.set_kinds(kinds));
        let count = board.clone();
        ports.count_pods = Box::new(move |nodes| count.set_counted_nodes(nodes));
        ports.cluster = Box::new(super::ports::KubeCluster {
            clients: board.clients(),
        });
        // Commands reach the cluster only through the session's gateway
        // (read-only on it already: `read_only_for`).
        ports.switch_context = b.switcher(state.config.clone());
        ports.access = b.command_access(dir.to_path_buf());
        ports.api_writes = b.take_api_writes();
        ports.goal_reached = b.take_goal_reached();
        ports.sim_stopped = b.take_sim_stopped();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = runtime.block_on(super::terminal::run_in_terminal(
        &mut state, sink, snapshots, ports,
    ));
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    if let Some(b) = background {
        b.shutdown();
    }
    result?;
    Ok(Ended {
        id,
        outcome: state.session.outcome(),
        // Quit now: the time taken runs to this moment, not to the last
        // thing journaled.
        drill_report: crate::drill::report_text::drill_report_compared(
            &state.session_id,
            &state.session,
            Some(state.now),
            &state.earlier_tries,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::MemorySink;

    fn session(read_only: bool) -> (Session, MemorySink) {
        let playbook: Playbook = serde_saphyr::from_str(
            "apiVersion: runbook/v1\nkind: Playbook\nmetadata: { name: t, title: T }\nstart: a\nsteps:\n  - { id: a, title: A, outcome: resolved }\n",
        )
        .expect("playbook");
        let mut session = Session::new(Arc::new(playbook));
        let mut sink = MemorySink::default();
        let events = session
            .propose_start(Event::Started {
                playbook: "t".into(),
                title: "T".into(),
                hash: "h".into(),
                params: BTreeMap::new(),
                context: Some("prod-a".into()),
                namespace: None,
                user: "u".into(),
                host: "h".into(),
                drill: None,
                alert: None,
                read_only,
                read_only_contexts: Vec::new(),
            })
            .expect("start");
        for r in sink
            .append(1, jiff::Timestamp::UNIX_EPOCH, events)
            .expect("append")
        {
            session.apply(r).expect("apply");
        }
        (session, sink)
    }

    /// A param's value that made the focus selector unreadable dropped the
    /// whole focus: every namespace. Only the selector goes.
    #[test]
    fn an_unreadable_focus_selector_keeps_the_namespace() {
        let playbook: Playbook = serde_saphyr::from_str(
            "apiVersion: runbook/v1\nkind: Playbook\nmetadata: { name: t, title: T }\nparams: [ { name: app, pattern: '.+' } ]\nfocus: { namespace: shop, labelSelector: 'app={{ app }}' }\nstart: a\nsteps:\n  - { id: a, title: A, outcome: resolved }\n",
        )
        .expect("playbook");
        let params = BTreeMap::from([("app".to_string(), "web 2".to_string())]);
        let scope = scope_for(&playbook, &params, None);
        assert_eq!(scope.namespace.as_deref(), Some("shop"));
        assert!(scope.selector.is_empty());
        let params = BTreeMap::from([("app".to_string(), "web".to_string())]);
        assert!(!scope_for(&playbook, &params, None).selector.is_empty());
    }

    #[test]
    fn a_resume_keeps_read_only_from_the_record_and_can_only_turn_it_on() {
        let now = jiff::Timestamp::UNIX_EPOCH;
        let (mut s, mut sink) = session(true);
        assert!(restore_read_only(&mut s, &mut sink, None, now).expect("restore"));
        assert_eq!(s.records().len(), 2, "nothing to journal");

        let (mut s, mut sink) = session(false);
        assert!(!restore_read_only(&mut s, &mut sink, None, now).expect("restore"));
        assert!(restore_read_only(&mut s, &mut sink, Some("--read-only"), now).expect("on"));
        assert!(matches!(
            &s.records().last().map(|r| &r.event),
            Some(Event::ReadOnlyOn { reason }) if reason == "--read-only"
        ));
        assert!(s.is_read_only());
    }
}
