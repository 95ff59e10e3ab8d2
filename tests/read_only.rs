//! A read-only view (the embed): no gesture or key edits the scenario, while
//! looking (hover, select, pan, zoom, snapshot, playback) still works.

mod support;

use hlcviz::app::{Affordance, App};
use hlcviz::input::KeyPress;
use support::{fitted, local, message, scenario, skewed};

fn app() -> App {
    fitted(
        scenario(
            vec![skewed("A", 0), skewed("B", 300)],
            vec![local(0, 100), local(1, 400)],
            vec![message(0, 200, 1, 260)],
        ),
        900.0,
        500.0,
    )
}

fn key(name: &str, shift: bool, command: bool) -> KeyPress {
    KeyPress {
        key: name.into(),
        shift,
        command,
        alt: false,
    }
}

/// Every editing gesture and key, tried on `app`.
fn try_every_edit(app: &mut App) {
    let layout = app.layout();
    let (x, y_a, y_b) = (layout.x_of(600.0), layout.lane_y(0), layout.lane_y(1));
    // Double-click a line: add an event.
    app.double_click(x, y_a);
    // Drag from one line to the other: send a message.
    app.pointer_down(x, y_a);
    app.pointer_move(x + 30.0, (y_a + y_b) / 2.0);
    app.pointer_move(x + 60.0, y_b);
    app.pointer_up(x + 60.0, y_b);
    // Drag an event along its line.
    let ex = layout.x_of(100.0);
    app.pointer_down(ex, y_a);
    app.pointer_move(ex + 30.0, y_a);
    app.pointer_move(ex + 80.0, y_a);
    app.pointer_up(ex + 80.0, y_a);
    // Select it, then the keys that edit.
    app.pointer_down(ex, y_a);
    app.pointer_up(ex, y_a);
    for k in [
        key("ArrowRight", true, false),
        key("e", false, false),
        key("Delete", false, false),
        key("z", false, true),
        key("z", true, true),
    ] {
        app.key(&k);
    }
    // Touch: double-tap a line, drag from it.
    app.touch_down(1, x, y_a, 0.0);
    app.touch_up(1, x, y_a, 50.0);
    app.touch_down(1, x, y_a, 120.0);
    app.touch_up(1, x, y_a, 170.0);
    app.touch_down(2, x, y_a, 1_000.0);
    app.touch_move(2, x + 40.0, y_b);
    app.touch_up(2, x + 40.0, y_b, 1_300.0);
}

#[test]
fn no_gesture_or_key_edits_a_read_only_view() {
    let mut app = app();
    app.set_read_only(true);
    let before = app.scenario().clone();
    try_every_edit(&mut app);
    assert_eq!(app.scenario(), &before);
    assert_eq!(app.revision(), 0);
    assert!(!app.can_undo());
}

#[test]
fn the_same_gestures_edit_an_editable_view() {
    let mut app = app();
    let before = app.scenario().clone();
    try_every_edit(&mut app);
    assert_ne!(app.scenario(), &before);
    assert!(app.revision() > 0);
}

#[test]
fn a_read_only_view_still_selects_pans_zooms_and_plays() {
    let mut app = app();
    app.set_read_only(true);
    let layout = app.layout();
    let (ex, y) = (layout.x_of(100.0), layout.lane_y(0));
    app.pointer_move(ex, y);
    assert!(app.hover().is_some(), "hover shows the tooltip");
    assert_eq!(
        app.affordance(),
        Affordance::Select,
        "an event is clicked, not grabbed"
    );
    app.pointer_move(layout.x_of(600.0), y);
    assert_eq!(
        app.affordance(),
        Affordance::Plain,
        "a line promises no edit"
    );
    app.pointer_down(ex, y);
    app.pointer_up(ex, y);
    assert!(app.selection().is_some(), "a click selects");
    assert!(app.causal_colouring());
    let start = app.viewport.start_ms;
    app.key(&key("]", false, false));
    assert_ne!(app.viewport.start_ms, start, "keys pan");
    let scale = app.viewport.ms_per_px;
    app.wheel(400.0, 0.0, -100.0, false);
    assert!(app.viewport.ms_per_px < scale, "the wheel zooms");
    app.toggle_play();
    assert!(app.playback().is_some_and(|p| p.playing));
    assert!(app.advance_playback(100.0));
}

#[test]
fn a_read_only_view_leaves_editing_keys_to_the_browser() {
    let mut app = app();
    app.set_read_only(true);
    assert!(!app.key(&key("Delete", false, false)));
    assert!(!app.key(&key("z", false, true)));
    assert!(app.key(&key("f", false, false)), "Fit is still the page's");
}

#[test]
fn turning_read_only_on_ends_an_edit_drag_as_if_cancelled() {
    let mut app = app();
    let layout = app.layout();
    let (ex, y) = (layout.x_of(100.0), layout.lane_y(0));
    let before = app.scenario().clone();
    app.pointer_down(ex, y);
    app.pointer_move(ex + 80.0, y);
    assert_ne!(app.scenario(), &before, "the drag moved the event");
    app.set_read_only(true);
    assert_eq!(app.scenario(), &before, "and it went back");
    app.pointer_move(ex + 120.0, y);
    app.pointer_up(ex + 120.0, y);
    assert_eq!(app.scenario(), &before);
}
