//! 1,000 random interleavings of keys, command and action ends, held and
//! released journal writes, and escalations through the real loop. Each
//! must leave a journal with strictly increasing sequence numbers that
//! replays to the session on screen, with every command and action that
//! started on the record exactly once.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use runbook::app::model::Msg;
use runbook::engine::Event;

use super::fakes;
use super::{assert_record_is_whole, session, t};

/// xorshift: the same interleavings on every run, so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const RUNS: u64 = 1_000;
const OPS: usize = 30;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_interleavings_leave_a_whole_record() {
    for seed in 1..=RUNS {
        one(seed).await;
    }
}

async fn one(seed: u64) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let (state, already) = session();
    let mut shell = fakes::start(state, already);
    let mut held = false;
    let mut script = Vec::new();
    for _ in 0..OPS {
        let op = rng.below(16);
        script.push(op);
        match op {
            0 => shell.press(KeyCode::Char(' ')),
            1 => shell.press(KeyCode::Char('j')),
            2 => shell.press(KeyCode::Char('k')),
            3 => shell.press(KeyCode::Enter),
            4 => shell.press(KeyCode::Char(if rng.below(2) == 0 { '1' } else { '2' })),
            5 => shell.press(KeyCode::Char('b')),
            6 => {
                shell.press(KeyCode::Char('n'));
                shell.type_text("saw it");
                shell.chord(KeyCode::Char('s'), KeyModifiers::CONTROL);
            }
            7 => shell.press(KeyCode::Esc),
            8 => shell.type_text("ry"),
            9 => shell.type_text("a\ncheckout\n"),
            10 => {
                shell.commands.finish_one(0).await;
            }
            11 => {
                shell.cluster.finish_action();
            }
            12 => {
                if held {
                    shell.disk.release();
                } else {
                    shell.disk.hold();
                }
                held = !held;
            }
            13 => {
                let _ = shell.msgs.send(Msg::Tick(t(61 + rng.below(60) as i64)));
            }
            14 => shell.press(KeyCode::Char('o')),
            _ => {
                if !held {
                    shell.settle().await;
                }
            }
        }
    }
    shell.disk.release();
    shell.settle().await;
    let (commands, cluster) = (shell.commands.clone(), shell.cluster.clone());
    let (state, _, records) = shell.quit().await;
    // Counted after the loop ends: a start is carried out after the key's
    // frame, so a count taken before could miss the last one.
    let (started_commands, started_actions) = (commands.total(), cluster.total_actions());
    let context = format!("seed {seed}, script {script:?}");
    let seqs: Vec<u64> = records.iter().map(|r| r.seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[1] == w[0] + 1),
        "{context}: {seqs:?}"
    );
    assert_record_is_whole(&state, &records);
    let commands = records
        .iter()
        .filter(|r| matches!(r.event, Event::Command { .. }))
        .count();
    let actions = records
        .iter()
        .filter(|r| matches!(r.event, Event::Action { .. }))
        .count();
    assert_eq!(
        commands, started_commands,
        "{context}: commands on the record"
    );
    assert_eq!(actions, started_actions, "{context}: actions on the record");
}
