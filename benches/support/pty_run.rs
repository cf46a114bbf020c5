#![allow(dead_code)] // each benchmark uses part of it
//! The real binary in a pseudo-terminal, for benchmarks: the screen as a
//! terminal shows it (vt100), polled finely so times are close to what a
//! responder sees.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, NativePtySystem, PtySize, PtySystem};

/// `runbook sim` serving a generated cluster (`generate` is the body of the
/// scenario's `generate:` map; the namespace is `load`), its kubeconfig
/// written in `dir`. Returns the simulator, the kubeconfig and how long the
/// simulator took to be ready.
#[allow(dead_code)] // not every benchmark that includes this starts one
pub fn start_generated_sim(
    dir: &std::path::Path,
    generate: &str,
) -> (std::process::Child, PathBuf, Duration) {
    let scenario = dir.join("generated.yaml");
    std::fs::write(
        &scenario,
        format!(
            "apiVersion: runbook/v1\nkind: Scenario\nmetadata: {{ name: generated, title: Generated, params: {{ namespace: load }} }}\ngenerate: {{ {generate}, namespace: load }}\n"
        ),
    )
    .expect("scenario");
    let kubeconfig = dir.join("kubeconfig");
    let bin = release_binary();
    let sim = std::process::Command::new(&bin)
        .arg("sim")
        .arg(&scenario)
        .args(["--listen", "127.0.0.1:0", "--kubeconfig"])
        .arg(&kubeconfig)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start {}: {e} (run `cargo build --release` first)",
                bin.display()
            )
        });
    let start = Instant::now();
    while !kubeconfig.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(180),
            "the simulator never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (sim, kubeconfig, start.elapsed())
}

pub fn release_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("bench path");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    dir.join("runbook")
}

/// A field of /proc/PID/status in KiB (VmRSS, VmHWM).
pub fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// User + system CPU seconds a process has used (/proc/PID/stat).
pub fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at `)`.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let hz = nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK)
        .ok()
        .flatten()
        .unwrap_or(100) as f64;
    // utime and stime are fields 14 and 15; `rest` starts at field 3.
    (ticks(11) + ticks(12)) / hz
}

/// Median and 99th percentile in milliseconds.
pub fn median_p99(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (ms(v[v.len() / 2]), ms(v[(v.len() - 1) * 99 / 100]))
}

pub struct Run {
    parser: Arc<Mutex<vt100::Parser>>,
    pub writer: Arc<Mutex<Box<dyn Write + Send>>>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Run {
    /// Starts the release binary with `args` in a 160x48 pty, with a clean
    /// environment: HOME, data and config under `home`, plus `env`.
    pub fn start(args: &[&str], home: &std::path::Path, env: &[(&str, &str)]) -> Run {
        Run::start_program(&release_binary(), args, home, env)
    }

    /// Any program (a peer tool), as [`Run::start`] starts runbook.
    pub fn start_program(
        program: &std::path::Path,
        args: &[&str],
        home: &std::path::Path,
        env: &[(&str, &str)],
    ) -> Run {
        let pair = NativePtySystem::default()
            .openpty(PtySize {
                rows: 48,
                cols: 160,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env_clear();
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home);
        cmd.env("RUNBOOK_DATA_DIR", home.join("data"));
        cmd.env("RUNBOOK_CONFIG_DIR", home.join("config"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = Arc::new(Mutex::new(pair.master.take_writer().expect("writer")));
        let answers = writer.clone();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            48u16.try_into().expect("rows"),
            160u16.try_into().expect("cols"),
            0,
        )));
        let p = parser.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                // A terminal answers a cursor position request (crossterm
                // asks at start-up in some programs, kdash among them).
                if buf[..n].windows(4).any(|w| w == b"\x1b[6n") {
                    let mut w = answers.lock().expect("writer");
                    let _ = w.write_all(b"\x1b[1;1R");
                    let _ = w.flush();
                }
                p.lock().expect("parser").process(&buf[..n]);
            }
        });
        Run {
            parser,
            writer,
            child,
            _master: pair.master,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    /// Polls the screen every 0.2 ms until `ok`.
    pub fn wait(&self, ok: impl Fn(&str) -> bool) -> Instant {
        self.wait_up_to(Duration::from_secs(30), ok)
    }

    /// [`Run::wait`] with its own patience.
    pub fn wait_up_to(&self, patience: Duration, ok: impl Fn(&str) -> bool) -> Instant {
        let deadline = Instant::now() + patience;
        loop {
            if ok(&self.screen()) {
                return Instant::now();
            }
            assert!(
                Instant::now() < deadline,
                "screen never matched:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_micros(200));
        }
    }

    /// The screen with its attributes (a selection may change only those).
    pub fn formatted(&self) -> String {
        self.parser
            .lock()
            .expect("parser")
            .screen()
            .contents_formatted()
    }

    /// Sends one key and returns how long until the screen (text or
    /// attributes) changed.
    pub fn key_to_change(&mut self, key: &[u8]) -> Duration {
        let before = self.formatted();
        let t = Instant::now();
        {
            let mut w = self.writer.lock().expect("writer");
            w.write_all(key).expect("key");
            w.flush().expect("flush");
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.formatted() == before {
            assert!(Instant::now() < deadline, "the key changed nothing");
            std::thread::sleep(Duration::from_micros(200));
        }
        t.elapsed()
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
