//! Native tests of touch on the App: fingers by id drive the same gesture
//! machine as the mouse, a second finger turns any one-finger gesture into a
//! pinch without leaving an edit or a notice behind, and a tap on an event asks
//! the page to show its explanation.
//!
//! Default scenario (src/app.rs default_scenario): nodes A, B, C; local events
//! A@100, C@300, A@450, B@700, C@760; messages m0 A@200 -> B@260,
//! m1 B@300 -> A@380, m2 A@520 -> C@640.

use hlc::Time;
use hlcviz::app::{default_scenario, App};
use hlcviz::layout::GUTTER;
use hlcviz::scenario::EventRef;
use hlcviz::scene;

/// The default scenario on a phone-sized canvas, fitted.
fn phone_app() -> App {
    let mut app = App::new(default_scenario());
    app.viewport.width = 390.0;
    app.viewport.height = 428.0;
    app.fit();
    app
}

fn at(app: &App, node: usize, t: Time) -> (f64, f64) {
    let layout = app.layout();
    (layout.x_of(t as f64), layout.lane_y(node))
}

/// A point of empty plot space: between lines A and B.
fn empty_at(app: &App, t: Time) -> (f64, f64) {
    let layout = app.layout();
    (
        layout.x_of(t as f64),
        (layout.lane_y(0) + layout.lane_y(1)) / 2.0,
    )
}

fn tap(app: &mut App, id: i32, (x, y): (f64, f64), at_ms: f64) -> Option<usize> {
    app.touch_down(id, x, y, at_ms);
    app.touch_up(id, x, y, at_ms + 40.0).tapped_event
}

/// An app whose event A@450 one finger has dragged 30 px right (not lifted),
/// the scenario from before, and where the event was.
fn half_moved() -> (App, hlcviz::scenario::Scenario, (f64, f64)) {
    let mut app = phone_app();
    let before = app.scenario().clone();
    let p = scene::event_position(&app, EventRef::Local(2)).expect("drawn");
    app.touch_down(1, p.0, p.1, 0.0);
    app.touch_move(1, p.0 + 30.0, p.1);
    (app, before, p)
}

#[test]
fn a_tap_on_an_event_selects_it_and_asks_for_its_explanation() {
    let mut app = phone_app();
    let p = scene::event_position(&app, EventRef::Local(2)).expect("drawn");
    let tapped = tap(&mut app, 1, p, 0.0);
    assert_eq!(app.selection(), Some(EventRef::Local(2)));
    assert_eq!(tapped, app.selected_index());
    assert!(tapped.is_some());
    // A tap on empty space clears the selection and asks for nothing.
    let empty = empty_at(&app, 600);
    let tapped = tap(&mut app, 2, empty, 1_000.0);
    assert_eq!(tapped, None);
    assert_eq!(app.selection(), None);
}

#[test]
fn pinch_out_zooms_in_around_the_fingers_midpoint() {
    let mut app = phone_app();
    let span = app.viewport.end_ms() - app.viewport.start_ms;
    let (ax, y) = empty_at(&app, 300);
    let (bx, _) = empty_at(&app, 500);
    let mid_time = app.layout().time_at((ax + bx) / 2.0);
    app.touch_down(1, ax, y, 0.0);
    app.touch_down(2, bx, y, 5.0);
    app.touch_move(1, ax - 30.0, y);
    app.touch_move(2, bx + 30.0, y);
    app.touch_up(1, ax - 30.0, y, 100.0);
    app.touch_up(2, bx + 30.0, y, 105.0);
    let zoomed = app.viewport.end_ms() - app.viewport.start_ms;
    assert!(zoomed < span * 0.9, "span {span} -> {zoomed}");
    let mid_after = app.layout().time_at((ax + bx) / 2.0);
    assert!(
        (mid_after - mid_time).abs() < 1.0,
        "the time under the midpoint stays: {mid_time} -> {mid_after}"
    );
    assert!(app.notice().is_none());
    assert_eq!(app.revision(), 0, "no edit");
}

#[test]
fn a_two_finger_drag_pans() {
    let mut app = phone_app();
    let start = app.viewport.start_ms;
    let (ax, y) = empty_at(&app, 300);
    let (bx, _) = empty_at(&app, 500);
    app.touch_down(1, ax, y, 0.0);
    app.touch_down(2, bx, y, 5.0);
    for k in 1..=4 {
        let dx = -10.0 * f64::from(k);
        app.touch_move(1, ax + dx, y + 5.0);
        app.touch_move(2, bx + dx, y + 5.0);
    }
    let moved = app.viewport.start_ms - start;
    let want = 40.0 * app.viewport.ms_per_px;
    assert!(
        (moved - want).abs() < 1e-6,
        "panned {moved} ms, wanted {want}"
    );
}

#[test]
fn a_pinch_that_starts_on_a_line_sends_no_message_and_says_nothing() {
    let mut app = phone_app();
    let before = app.scenario().clone();
    let (x, y) = at(&app, 1, 400);
    // The first finger lands on B's line and wanders (a rubber band starts)...
    app.touch_down(1, x, y, 0.0);
    app.touch_move(1, x + 12.0, y + 20.0);
    assert!(app.gesture().is_editing());
    // ...then the second finger lands on A's line: a pinch, not a message.
    let (x2, y2) = at(&app, 0, 600);
    app.touch_down(2, x2, y2, 30.0);
    assert!(!app.gesture().is_editing());
    app.touch_move(2, x2 + 40.0, y2 - 10.0);
    app.touch_up(1, x + 12.0, y + 20.0, 200.0);
    app.touch_up(2, x2 + 40.0, y2 - 10.0, 210.0);
    assert_eq!(app.scenario(), &before);
    assert!(app.notice().is_none(), "{:?}", app.notice());
    assert!(!app.touch_active());
}

#[test]
fn a_second_finger_puts_a_half_moved_event_back() {
    let (mut app, before, p) = half_moved();
    assert_ne!(app.scenario(), &before, "the event moved with the finger");
    app.touch_down(2, p.0 - 100.0, p.1 + 40.0, 20.0);
    assert_eq!(app.scenario(), &before, "the move is undone");
    assert!(!app.can_undo(), "and leaves no undo step");
    // Lifting the first finger, then moving the other, edits nothing.
    app.touch_up(1, p.0 + 30.0, p.1, 50.0);
    app.touch_move(2, p.0 - 40.0, p.1 + 90.0);
    app.touch_up(2, p.0 - 40.0, p.1 + 90.0, 90.0);
    assert_eq!(app.scenario(), &before);
    assert!(app.notice().is_none());
}

#[test]
fn one_finger_still_moves_events_and_draws_messages() {
    let mut app = phone_app();
    let (x, y) = at(&app, 2, 400);
    let (x2, y2) = at(&app, 1, 560);
    app.touch_down(1, x, y, 0.0);
    app.touch_move(1, (x + x2) / 2.0, (y + y2) / 2.0);
    app.touch_move(1, x2, y2);
    app.touch_up(1, x2, y2, 300.0);
    let added = app.scenario().messages.last().cloned().expect("a message");
    assert_eq!((added.from, added.to), (2, 1));
}

#[test]
fn a_vertical_swipe_on_empty_canvas_scrolls_the_page_and_edits_nothing() {
    let mut app = phone_app();
    let view = app.viewport;
    let (x, y) = empty_at(&app, 600);
    app.touch_down(1, x, y, 0.0);
    let first = app.touch_move(1, x + 2.0, y - 15.0);
    let second = app.touch_move(1, x + 4.0, y - 60.0);
    let end = app.touch_up(1, x + 4.0, y - 60.0, 200.0);
    assert_eq!(first.scroll_page_by + second.scroll_page_by, 60.0);
    assert_eq!(end.scroll_page_by, 0.0);
    assert_eq!(app.viewport, view, "the view is left alone");
    assert_eq!(app.revision(), 0);
}

#[test]
fn a_sideways_swipe_on_empty_canvas_pans_time() {
    let mut app = phone_app();
    let start = app.viewport.start_ms;
    let (x, y) = empty_at(&app, 600);
    app.touch_down(1, x, y, 0.0);
    let reply = app.touch_move(1, x - 50.0, y + 6.0);
    app.touch_up(1, x - 50.0, y + 6.0, 100.0);
    assert_eq!(reply.scroll_page_by, 0.0);
    assert!(
        app.viewport.start_ms > start,
        "dragged left: later times come in"
    );
}

#[test]
fn a_vertical_swipe_from_a_gutter_name_scrolls_too() {
    let mut app = phone_app();
    let y = app.layout().lane_y(1);
    app.touch_down(1, GUTTER / 2.0, y, 0.0);
    let reply = app.touch_move(1, GUTTER / 2.0, y + 40.0);
    assert_eq!(reply.scroll_page_by, -40.0);
}

#[test]
fn a_double_tap_on_a_line_adds_one_event() {
    let mut app = phone_app();
    let events = app.scenario().events.len();
    let p = at(&app, 1, 560);
    tap(&mut app, 1, p, 0.0);
    tap(&mut app, 2, (p.0 + 3.0, p.1 + 2.0), 150.0);
    assert_eq!(app.scenario().events.len(), events + 1);
    let added = app.scenario().events.last().expect("added");
    assert_eq!(added.node, 1);
    // Two slow taps add nothing.
    tap(&mut app, 3, p, 2_000.0);
    tap(&mut app, 4, p, 2_600.0);
    assert_eq!(app.scenario().events.len(), events + 1);
}

#[test]
fn blur_mid_move_puts_the_event_back() {
    let (mut app, before, _) = half_moved();
    app.touch_cancel();
    assert_eq!(app.scenario(), &before);
    assert!(!app.touch_active());
}

#[test]
fn the_touch_help_names_every_touch_gesture() {
    let keys: Vec<&str> = hlcviz::input::TOUCH_HELP.iter().map(|(k, _)| *k).collect();
    for word in ["Tap", "Double-tap", "Pinch", "two fingers", "Swipe"] {
        assert!(
            keys.iter().any(|k| k.contains(word)),
            "{word} missing from {keys:?}"
        );
    }
}
