//! Undo and redo: every edit is one step, a whole slider drag or event drag is
//! one step, a cancelled drag leaves none.

mod support;

use support::{ctrl, fitted, key, shift};

use hlcviz::app::{default_scenario, App, Edit, MAX_UNDO_STEPS};
use hlcviz::scenario::{EventRef, Scenario};

fn app() -> App {
    fitted(default_scenario(), 1000.0, 500.0)
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
    assert!(app.key(&ctrl(key("z"))));
    assert_eq!(app.scenario().events[3].at_ms, before);
    assert!(!app.can_undo(), "ten moves, one step");
    assert!(app.key(&ctrl(shift("Z"))));
    assert_eq!(app.scenario().events[3].at_ms, after);
    app.undo();
    assert!(app.key(&ctrl(key("y"))));
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
fn opening_a_scenario_starts_a_new_document_with_its_own_history() {
    // The page saves the document it replaces in My scenarios, so opening a
    // link, a file or a preset is not an undo step of the old one.
    let mut app = app();
    app.apply(Edit::SetSkew {
        node: 0,
        skew_ms: 40,
    })
    .unwrap();
    assert!(app.can_undo());
    let document = app.document();
    let other = Scenario::with_nodes(&["X", "Y"]);
    app.open(other.clone(), Some(hlc::Timestamp::new(5, 0)))
        .unwrap();
    assert_eq!(app.scenario(), &other);
    assert_eq!(
        app.snapshot().map(|s| s.theta),
        Some(hlc::Timestamp::new(5, 0))
    );
    assert_eq!(app.document(), document + 1);
    assert!(!app.can_undo() && !app.can_redo());
    assert!(!app.undo());
    assert_eq!(app.scenario(), &other);
    // An invalid scenario is refused and changes nothing.
    let mut bad = Scenario::with_nodes(&["Z"]);
    bad.events.push(hlcviz::scenario::LocalEvent::at(4, 1));
    assert!(app.open(bad, None).is_err());
    assert_eq!(app.scenario(), &other);
    assert_eq!(app.document(), document + 1);
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

/// Presses on local event `index` and drags it `by_px` without releasing.
fn start_drag(app: &mut App, index: usize, by_px: f64) -> (f64, f64) {
    let (x, y) = hlcviz::scene::event_position(app, EventRef::Local(index)).unwrap();
    app.pointer_down(x, y);
    for k in 1..=5 {
        app.pointer_move(x + by_px * f64::from(k) / 5.0, y);
    }
    (x + by_px, y)
}

/// Every public way to change the scenario, done in the middle of a drag:
/// the drag ends first (the event goes back), then the change applies, and
/// the rest of the drag moves nothing.
#[test]
fn a_foreign_edit_mid_drag_ends_the_drag_first() {
    type Foreign = fn(&mut App);
    let cases: [(&str, Foreign); 9] = [
        ("delete button", App::delete_selected),
        ("undo", |app| {
            app.undo();
        }),
        ("undo twice", |app| {
            app.undo();
            app.undo();
        }),
        ("redo", |app| {
            app.redo();
        }),
        ("remove node", |app| {
            let _ = app.apply(Edit::RemoveNode(0));
        }),
        ("add node", |app| {
            let _ = app.apply(Edit::AddNode);
        }),
        ("slider", |app| {
            let _ = app.apply_continuing(Edit::SetSkew {
                node: 1,
                skew_ms: 10,
            });
        }),
        ("open another scenario", |app| {
            let _ = app.open(Scenario::with_nodes(&["X"]), None);
        }),
        ("replace (file import, setScenario)", |app| {
            let _ = app.apply(Edit::Replace(default_scenario()));
        }),
    ];
    for (what, foreign) in cases {
        let mut app = app();
        // Two earlier steps, so Undo has something to undo.
        app.apply(Edit::AddLocal {
            node: 0,
            at_ms: 950,
        })
        .unwrap();
        app.apply(Edit::SetSkew {
            node: 2,
            skew_ms: -90,
        })
        .unwrap();
        app.undo();
        let dragged = 3;
        let original = app.scenario().events[dragged].at_ms;
        // What the change does to the page as it was before the drag.
        // (A drag selects the event it drags.)
        let mut expected = app.clone();
        expected.select(Some(EventRef::Local(dragged)));
        foreign(&mut expected);
        let (x, y) = start_drag(&mut app, dragged, 80.0);
        assert_ne!(
            app.scenario().events[dragged].at_ms,
            original,
            "{what}: dragging"
        );
        foreign(&mut app);
        assert_eq!(app.gesture(), hlcviz::input::Gesture::Idle, "{what}");
        assert_eq!(
            app.scenario(),
            expected.scenario(),
            "{what}: the change applied to the undragged scenario"
        );
        let after_change = app.scenario().clone();
        // The person goes on moving and lets go: nothing more happens.
        for k in 1..=5 {
            app.pointer_move(x + 10.0 * f64::from(k), y);
        }
        app.pointer_up(x + 50.0, y);
        assert_eq!(
            app.scenario(),
            &after_change,
            "{what}: the rest of the drag moved nothing"
        );
    }
}
