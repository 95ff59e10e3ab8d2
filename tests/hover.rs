//! Hover feedback: under a pointer that is not dragging, a node line glows,
//! the time axis says where a click would take a snapshot, and the canvas's
//! cursor (`App::affordance`) names what a press would do.

mod support;

use hlcviz::app::{Affordance, App};
use hlcviz::layout::AXIS_BAND;
use hlcviz::scene::{self, palette, Draw};
use support::{fitted, local, scenario, skewed};

fn app() -> App {
    fitted(
        scenario(
            vec![skewed("A", 0), skewed("B", 300)],
            vec![local(0, 100), local(1, 400)],
            vec![],
        ),
        900.0,
        500.0,
    )
}

fn glows(app: &App) -> usize {
    scene::build(app)
        .iter()
        .filter(|d| matches!(d, Draw::Line { stroke, .. } if *stroke == palette::LANE_HOVER))
        .count()
}

fn snapshot_hint(app: &App) -> Option<String> {
    scene::build(app).into_iter().find_map(|d| match d {
        Draw::Text { text, .. } if text.starts_with("click: snapshot at") => Some(text),
        _ => None,
    })
}

#[test]
fn a_line_under_the_pointer_glows_and_the_cursor_says_draw() {
    let mut app = app();
    let layout = app.layout();
    let (x, y) = (layout.x_of(250.0), layout.lane_y(1));
    assert_eq!(glows(&app), 0, "nothing glows before the pointer comes");
    app.pointer_move(x, y + 3.0);
    assert_eq!(glows(&app), 1);
    assert_eq!(app.affordance(), Affordance::Lane);
    // Pressed and dragged away: a message is being drawn, the glow goes.
    app.pointer_down(x, y);
    app.pointer_move(x + 40.0, y - 60.0);
    assert_eq!(app.affordance(), Affordance::Sending);
    assert_eq!(glows(&app), 0);
    app.pointer_cancel();
    app.pointer_leave();
    assert_eq!(glows(&app), 0, "the pointer left: nothing glows");
    assert_eq!(app.affordance(), Affordance::Plain);
}

#[test]
fn the_axis_says_where_a_click_takes_a_snapshot_at_the_time_the_click_would_use() {
    let mut app = app();
    let x = app.layout().x_of(333.0);
    app.pointer_move(x, AXIS_BAND / 2.0);
    assert_eq!(app.affordance(), Affordance::Snapshot);
    let hint = snapshot_hint(&app).expect("a hint on the axis");
    // The hint names the snapped time the click takes.
    app.pointer_down(x, AXIS_BAND / 2.0);
    app.pointer_up(x, AXIS_BAND / 2.0);
    let theta = app.snapshot().expect("the click took a snapshot").theta;
    assert_eq!(
        hint,
        format!(
            "click: snapshot at {}",
            hlcviz::layout::format_ms(theta.l as f64)
        )
    );
    assert_eq!(theta.l % app.snap_step_ms(), 0, "a round time: {}", theta.l);
}

#[test]
fn an_event_under_the_pointer_says_move_and_empty_space_says_pan() {
    let mut app = app();
    let layout = app.layout();
    app.pointer_move(layout.x_of(100.0), layout.lane_y(0));
    assert_eq!(app.affordance(), Affordance::Move);
    assert_eq!(
        app.hover(),
        Some(0),
        "the event is hovered (drawn with its ring)"
    );
    let middle = (layout.lane_y(0) + layout.lane_y(1)) / 2.0;
    app.pointer_move(layout.x_of(600.0), middle);
    assert_eq!(app.affordance(), Affordance::Pan);
    assert_eq!(snapshot_hint(&app), None);
}
