//! Undo and redo: every edit is one step, a whole slider drag or event drag is
//! one step, a cancelled drag leaves none.

use hlcviz::app::{default_scenario, App, Edit, MAX_UNDO_STEPS};
use hlcviz::input::KeyPress;
use hlcviz::layout::Viewport;
use hlcviz::scenario::{EventRef, Scenario};

fn app() -> App {
    let mut app = App::new(default_scenario());
    app.viewport = Viewport {
        width: 1000.0,
        height: 500.0,
        ..Viewport::default()
    };
    app.fit();
    app
}

fn key(name: &str, shift: bool, command: bool) -> KeyPress {
    KeyPress {
        key: name.into(),
        shift,
        command,
        alt: false,
    }
}

#[test]
fn each_edit_is_one_step_and_undo_redo_restore_exactly() {
    let mut app = app();
    let s0 = app.scenario().clone();
    assert!(!app.can_undo() && !app.can_redo());
    app.apply(Edit::AddLocal {
        node: 2,
        at_ms: 900,
    })
    .unwrap();
    let s1 = app.scenario().clone();
    app.apply(Edit::SetSkew {
        node: 0,
        skew_ms: 40,
    })
    .unwrap();
    let s2 = app.scenario().clone();
    assert!(app.undo());
    assert_eq!(app.scenario(), &s1);
    assert!(app.undo());
    assert_eq!(app.scenario(), &s0);
    assert!(!app.undo(), "nothing left");
    assert!(app.redo());
    assert!(app.redo());
    assert_eq!(app.scenario(), &s2);
    assert!(!app.redo());
    // the trace follows the scenario
    assert_eq!(app.trace(), &hlcviz::sim::replay(&s2).unwrap());
}

#[test]
fn a_new_edit_clears_redo_and_a_refused_edit_adds_no_step() {
    let mut app = app();
    app.apply(Edit::AddLocal {
        node: 2,
        at_ms: 900,
    })
    .unwrap();
    app.undo();
    assert!(app.can_redo());
    app.apply(Edit::AddLocal {
        node: 1,
        at_ms: 905,
    })
    .unwrap();
    assert!(!app.can_redo());
    let before = app.scenario().clone();
    assert!(
        app.apply(Edit::AddLocal {
            node: 1,
            at_ms: 905
        })
        .is_err(),
        "same instant"
    );
    assert!(app.undo());
    assert_ne!(app.scenario(), &before);
    assert!(!app.can_undo(), "the refused edit left no step");
}

#[test]
fn a_whole_slider_drag_is_one_step() {
    let mut app = app();
    let s0 = app.scenario().clone();
    for skew_ms in (300..=700).step_by(20) {
        app.apply_continuing(Edit::SetSkew { node: 1, skew_ms })
            .unwrap();
    }
    app.end_step();
    assert_eq!(app.scenario().nodes[1].skew_ms, 700);
    app.apply_continuing(Edit::SetSkew {
        node: 1,
        skew_ms: 650,
    })
    .unwrap();
    app.end_step();
    assert!(app.undo());
    assert_eq!(
        app.scenario().nodes[1].skew_ms,
        700,
        "the second drag is its own step"
    );
    assert!(app.undo());
    assert_eq!(app.scenario(), &s0, "the first drag undoes in one step");
    assert!(!app.can_undo());
}

#[test]
fn sliding_another_node_starts_a_new_step() {
    let mut app = app();
    app.apply_continuing(Edit::SetSkew {
        node: 1,
        skew_ms: 10,
    })
    .unwrap();
    app.apply_continuing(Edit::SetSkew {
        node: 2,
        skew_ms: 10,
    })
    .unwrap();
    assert!(app.undo());
    assert_eq!(app.scenario().nodes[2].skew_ms, -100);
    assert_eq!(app.scenario().nodes[1].skew_ms, 10);
}

fn drag_local_event(app: &mut App, index: usize, by_px: f64, finish: bool) {
    let (x, y) = hlcviz::scene::event_position(app, EventRef::Local(index)).unwrap();
    app.pointer_down(x, y);
    for k in 1..=10 {
        app.pointer_move(x + by_px * f64::from(k) / 10.0, y);
    }
    if finish {
        app.pointer_up(x + by_px, y);
    } else {
        app.pointer_cancel();
    }
}

#[test]
fn a_whole_event_drag_is_one_step_and_keys_undo_and_redo_it() {
    let mut app = app();
    let before = app.scenario().events[3].at_ms;
    drag_local_event(&mut app, 3, 60.0, true);
    let after = app.scenario().events[3].at_ms;
    assert!(after > before + 20, "moved from {before} to {after}");
    assert!(app.key(&key("z", false, true)));
    assert_eq!(app.scenario().events[3].at_ms, before);
    assert!(!app.can_undo(), "ten moves, one step");
    assert!(app.key(&key("Z", true, true)));
    assert_eq!(app.scenario().events[3].at_ms, after);
    app.undo();
    assert!(app.key(&key("y", false, true)));
    assert_eq!(app.scenario().events[3].at_ms, after);
}

#[test]
fn a_cancelled_drag_restores_the_event_and_leaves_no_step() {
    let mut app = app();
    let before = app.scenario().clone();
    drag_local_event(&mut app, 3, 60.0, false);
    assert_eq!(app.scenario(), &before);
    assert!(!app.can_undo());
}

#[test]
fn opening_a_scenario_is_undoable() {
    let mut app = app();
    let s0 = app.scenario().clone();
    let other = Scenario::with_nodes(&["X", "Y"]);
    app.open(other.clone(), Some(hlc::Timestamp::new(5, 0)))
        .unwrap();
    assert_eq!(app.scenario(), &other);
    assert_eq!(
        app.snapshot().map(|s| s.theta),
        Some(hlc::Timestamp::new(5, 0))
    );
    app.undo();
    assert_eq!(app.scenario(), &s0);
}

#[test]
fn history_is_bounded() {
    let mut app = app();
    for k in 0..(MAX_UNDO_STEPS + 50) {
        app.apply(Edit::SetSkew {
            node: 0,
            skew_ms: k as i64 % 900,
        })
        .unwrap();
    }
    let mut steps = 0;
    while app.undo() {
        steps += 1;
    }
    assert_eq!(steps, MAX_UNDO_STEPS);
}

#[test]
fn large_scenarios_keep_fewer_steps() {
    let big = hlcviz::generate::random_scenario(8, 40_000, 0, 3);
    let mut app = App::new(big);
    for k in 0..30 {
        app.apply(Edit::SetSkew {
            node: 0,
            skew_ms: k,
        })
        .unwrap();
    }
    let mut steps = 0;
    while app.undo() {
        steps += 1;
    }
    // 80,000 events a step within a 2,000,000-event budget
    assert_eq!(steps, 25);
}
