//! What several native test files share (`mod support;`): scenario and app
//! builders, key presses, the test data on disk and an independent oracle.

// Each test file is its own crate and uses a part of this module.
#![allow(dead_code)]

use hlcviz::analysis::{Invariant, InvariantCheck};
use hlcviz::app::App;
use hlcviz::input::KeyPress;
use hlcviz::scenario::{EventRef, LocalEvent, Message, Node, Scenario};
use hlcviz::sim::Trace;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------- scenarios

pub fn local(node: usize, at_ms: i64) -> LocalEvent {
    LocalEvent::at(node, at_ms)
}

pub fn message(from: usize, sent_at_ms: i64, to: usize, received_at_ms: i64) -> Message {
    Message::between(from, sent_at_ms, to, received_at_ms)
}

/// A node named `name` whose clock reads `skew_ms` ahead of real time.
pub fn skewed(name: &str, skew_ms: i64) -> Node {
    Node {
        skew_ms,
        ..Node::named(name)
    }
}

/// A scenario of these nodes, events and messages, with default settings.
pub fn scenario(nodes: Vec<Node>, events: Vec<LocalEvent>, messages: Vec<Message>) -> Scenario {
    Scenario {
        nodes,
        events,
        messages,
        ..Scenario::with_nodes(&[])
    }
}

// ---------------------------------------------------------------- apps and keys

/// An app on `scenario` with a canvas of `width` x `height`, fitted to its content.
pub fn fitted(scenario: Scenario, width: f64, height: f64) -> App {
    let mut app = App::new(scenario);
    app.viewport.width = width;
    app.viewport.height = height;
    app.fit();
    app
}

/// The key `name` pressed alone.
pub fn key(name: &str) -> KeyPress {
    KeyPress {
        key: name.to_string(),
        shift: false,
        command: false,
        alt: false,
    }
}

/// The key `name` with Shift.
pub fn shift(name: &str) -> KeyPress {
    KeyPress {
        shift: true,
        ..key(name)
    }
}

/// `press` with Ctrl (or Cmd).
pub fn ctrl(press: KeyPress) -> KeyPress {
    KeyPress {
        command: true,
        ..press
    }
}

// ---------------------------------------------------------------- files

/// The example scenarios shipped in `docs/examples/`.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples")
}

/// The text of the example scenario `name`.
pub fn example_text(name: &str) -> String {
    read(&examples_dir().join(name))
}

/// The text of the ShiViz / GoVector sample log `name` in `tests/data/shiviz/`.
pub fn shiviz_sample(name: &str) -> String {
    read(&Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/shiviz/{name}")))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------- oracles

/// The check of `invariant` among `checks`.
pub fn check(checks: &[InvariantCheck], invariant: Invariant) -> &InvariantCheck {
    checks
        .iter()
        .find(|c| c.invariant == invariant)
        .expect("every invariant is checked")
}

/// `reach[a][b]`: `a` happened before `b`, by breadth-first search over program
/// order (each node's events sorted by real time, taken from the scenario) and
/// messages whose receive was accepted (decided here from the max-offset rule,
/// and cross-checked against the trace's `rejection`).
pub fn bfs_happened_before(s: &Scenario, trace: &Trace) -> Vec<Vec<bool>> {
    let n = s.event_count();
    let index = |e: EventRef| trace.index_of(e).expect("mapped");
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); n];
    for node in 0..s.nodes.len() {
        let mut mine: Vec<(i64, usize)> = s
            .all_events()
            .filter(|&(_, n, _)| n == node)
            .map(|(e, _, at)| (at, index(e)))
            .collect();
        mine.sort_unstable();
        for pair in mine.windows(2) {
            successors[pair[0].1].push(pair[1].1);
        }
    }
    for i in 0..s.messages.len() {
        let (send, recv) = (index(EventRef::Send(i)), index(EventRef::Recv(i)));
        let (sent, got) = (&trace.events()[send], &trace.events()[recv]);
        let accepted = s
            .settings
            .max_offset_ms
            .is_none_or(|bound| sent.hlc().l - got.pt() <= bound);
        assert_eq!(accepted, got.rejection.is_none(), "message {i}");
        if accepted {
            successors[send].push(recv);
        }
    }
    (0..n)
        .map(|start| {
            let mut seen = vec![false; n];
            let mut queue: VecDeque<usize> = successors[start].iter().copied().collect();
            while let Some(e) = queue.pop_front() {
                if !seen[e] {
                    seen[e] = true;
                    queue.extend(successors[e].iter().copied());
                }
            }
            seen
        })
        .collect()
}
