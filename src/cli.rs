//! The command line (clap). Each subcommand runs from `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCompleter;

use crate::commands::completions;

#[derive(Debug, Parser)]
#[command(
    name = "runbook",
    version,
    about = "Guided incident response on Kubernetes"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub ui: UiOptions,
    /// The Alertmanager to read alerts from (overrides RUNBOOK_ALERTMANAGER_URL
    /// and the config file's alertmanager.url).
    #[arg(long, global = true, value_name = "URL")]
    pub alertmanager: Option<String>,
}

/// How the terminal UI draws.
#[derive(Debug, Clone, Default, Args)]
pub struct UiOptions {
    /// Write no color codes (also when NO_COLOR is set).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Use plain ASCII: no box drawing or symbols.
    #[arg(long, global = true)]
    pub ascii: bool,
}

#[derive(Debug, Clone, Default, Args)]
pub struct ClusterOptions {
    /// The kubeconfig context to use.
    #[arg(long, add = ArgValueCompleter::new(completions::contexts))]
    pub context: Option<String>,
    /// The namespace for the live panes (default: the playbook's focus).
    #[arg(long, short = 'n')]
    pub namespace: Option<String>,
    /// The kubeconfig file (default: KUBECONFIG or ~/.kube/config).
    #[arg(long)]
    pub kubeconfig: Option<PathBuf>,
    /// Refuse every command and action that could change the cluster.
    #[arg(long)]
    pub read_only: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk a playbook (a name from the search path or a file).
    Run {
        /// Optional with --alert: the playbook the alert matches.
        #[arg(required_unless_present = "alert", add = ArgValueCompleter::new(completions::playbooks))]
        playbook: Option<String>,
        /// A playbook parameter, as KEY=VALUE (wins over the alert's labels).
        #[arg(long = "set", value_name = "K=V", add = ArgValueCompleter::new(completions::param_keys))]
        set: Vec<String>,
        /// An Alertmanager webhook payload, or one alert, as saved JSON; `-`
        /// reads it from stdin. Opens the matched playbook with the params
        /// from the alert's labels.
        #[arg(long, value_name = "FILE|-")]
        alert: Option<String>,
        #[command(flatten)]
        cluster: ClusterOptions,
    },
    /// A drill against a simulated cluster; no real cluster needed.
    Drill {
        /// A built-in scenario's name or a scenario file.
        #[arg(add = ArgValueCompleter::new(completions::drill_scenarios))]
        scenario: Option<String>,
        /// List the built-in drills (title, playbook, difficulty, your tries
        /// and best time).
        #[arg(long, conflicts_with_all = ["env", "history"])]
        list: bool,
        /// Your finished and abandoned drills (of SCENARIO), newest first:
        /// time to goal, hints, wrong turns, wrong fixes, outcome.
        #[arg(long, conflicts_with = "env")]
        history: bool,
        /// With --history: as JSON.
        #[arg(long, requires = "history")]
        json: bool,
        /// Print `export KUBECONFIG=...` for a second terminal of the
        /// running drill of SCENARIO.
        #[arg(long, requires = "scenario")]
        env: bool,
        /// With --env, when several drills of SCENARIO run: the one of this
        /// process (`--env` lists them).
        #[arg(long, requires = "env")]
        pid: Option<i32>,
    },
    /// Continue the newest (or the named) unfinished session.
    Resume {
        #[arg(add = ArgValueCompleter::new(completions::active_sessions))]
        session: Option<String>,
        #[command(flatten)]
        cluster: ClusterOptions,
    },
    /// The firing alerts, each with its matched playbook and the params
    /// its labels fill.
    Alerts {
        #[arg(long)]
        json: bool,
    },
    /// List sessions.
    Sessions {
        #[arg(long)]
        json: bool,
    },
    /// Export a session as an incident timeline.
    Export {
        #[arg(add = ArgValueCompleter::new(completions::all_sessions))]
        session: String,
        #[arg(long, value_enum, default_value_t = ExportFormat::Markdown)]
        format: ExportFormat,
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        /// Include every command's whole output, not only its excerpt.
        #[arg(long)]
        full: bool,
    },
    /// Give up an unfinished session, with a reason (journaled).
    Abandon {
        #[arg(add = ArgValueCompleter::new(completions::active_sessions))]
        session: String,
        #[arg(long)]
        reason: String,
    },
    /// Validate playbooks (files or folders; default: the search path).
    Validate { paths: Vec<PathBuf> },
    /// List the playbooks on the search path.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON Schema of the playbook format.
    Schema,
    /// Walk a playbook headless against a scenario: the cluster must
    /// suggest each choice the path takes, then the fixes run with kubectl
    /// and the scenario's goal must hold (exit 1 with what failed).
    Test {
        /// A playbook name from the search path, or a file.
        #[arg(add = ArgValueCompleter::new(completions::playbooks))]
        playbook: String,
        /// A built-in scenario's name or a scenario file.
        #[arg(long, add = ArgValueCompleter::new(completions::drill_scenarios))]
        scenario: String,
        /// The steps to walk, from the start (default: the shortest way to
        /// the scenario's answer).
        #[arg(long, value_delimiter = ',', value_name = "STEP,...")]
        path: Option<Vec<String>>,
        /// A command to run against the simulator after the walk (with
        /// KUBECONFIG set), e.g. "kubectl -n shop set resources ...".
        #[arg(long, value_name = "COMMAND")]
        fix: Vec<String>,
        /// Simulated time the goal may take to be reached after the fixes
        /// (beyond its `for`).
        #[arg(long, default_value = "20m", value_parser = humantime::parse_duration)]
        within: std::time::Duration,
    },
    /// Serve a scenario as a Kubernetes API on loopback.
    Sim {
        /// A built-in scenario's name or a scenario file.
        #[arg(add = ArgValueCompleter::new(completions::sim_scenarios))]
        scenario: String,
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: String,
        /// Where to write a kubeconfig that points at the simulator.
        #[arg(long)]
        kubeconfig: PathBuf,
        /// One line per request: verb, path, status.
        #[arg(long)]
        audit_log: Option<PathBuf>,
    },
    /// Print a shell's completion script.
    ///
    /// Names of playbooks, scenarios and sessions are completed as they are
    /// when tab is pressed. Bash: `source <(runbook completions bash)` in
    /// ~/.bashrc; zsh: `source <(runbook completions zsh)` in ~/.zshrc after
    /// compinit; fish: `runbook completions fish | source` in
    /// ~/.config/fish/config.fish.
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Markdown,
    Json,
}

/// The shells `runbook completions` writes a script for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}
