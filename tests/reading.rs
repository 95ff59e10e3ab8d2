//! Reading a big trace: hidden, moved and grouped lines, search and its
//! stepping, following a message's causal chain, collapsed runs, the
//! overview strip, and an axis that counts in one unit.

use hlcviz::analysis::{causal_future, causal_past};
use hlcviz::app::App;
use hlcviz::generate::random_scenario;
use hlcviz::layout::{Layout, AXIS_BAND};
use hlcviz::scene::{build, Draw};
use hlcviz::sim::EventKind;

fn big(nodes: usize, messages: usize) -> App {
    let mut scenario = random_scenario(nodes, messages, messages / 2, 11);
    let groups = ["db", "web", "cache"];
    for (i, node) in scenario.nodes.iter_mut().enumerate() {
        node.name = format!("{}-{}", groups[i % 3], i / 3 + 1);
    }
    let mut app = App::new(hlcviz::scenario::Scenario::with_nodes(&["A"]));
    app.resize(1280.0, 800.0);
    app.open(scenario, None)
        .expect("a generated scenario is valid");
    app
}

fn texts(frame: &[Draw]) -> Vec<String> {
    frame
        .iter()
        .filter_map(|d| match d {
            Draw::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn hidden_lines_draw_nothing_and_the_last_line_stays() {
    let mut app = big(6, 300);
    let y_before = app.layout().lane_y(1);
    app.hide_node(1, true).expect("a node can be hidden");
    let layout = app.layout();
    assert!(layout.lane_y(1).is_nan(), "a hidden node has no line");
    assert_eq!(layout.node_count, 5);
    let trace = app.trace();
    let on_hidden = trace
        .node_events(1)
        .first()
        .copied()
        .expect("events on node 1");
    assert_eq!(layout.event_point(trace, on_hidden), None);
    // No dot and no arrow end on the hidden node's old line.
    let frame = build(&app);
    for d in &frame {
        if let Draw::Circle { y, .. } = d {
            assert!((y - y_before).abs() > 1e-6 || layout.node_at(*y).is_some());
        }
    }
    assert!(texts(&frame).iter().any(|t| t.contains("1 node hidden")));
    for n in 0..6 {
        let _ = app.hide_node(n, true);
    }
    assert_eq!(app.rows().count(), 1, "the last line cannot be hidden");
    assert!(app.hide_node(5, true).is_err() || app.rows().count() == 1);
    app.show_all_nodes();
    assert_eq!(app.rows().count(), 6);
}

#[test]
fn moving_and_grouping_lines() {
    let mut app = big(6, 200);
    // db-1 web-1 cache-1 db-2 web-2 cache-2
    assert!(app.move_node(1, 1));
    assert_eq!(
        app.rows().shown().collect::<Vec<_>>(),
        vec![0, 2, 1, 3, 4, 5]
    );
    app.group_nodes(true);
    let order: Vec<usize> = app.rows().shown().collect();
    let names: Vec<String> = order
        .iter()
        .map(|&n| app.scenario().nodes[n].name.clone())
        .collect();
    assert_eq!(
        names,
        ["db-1", "db-2", "cache-1", "cache-2", "web-1", "web-2"]
    );
    app.hide_group("db", true).expect("a group hides");
    assert_eq!(app.rows().count(), 4);
    let groups = app.node_groups();
    assert_eq!(groups[0].0, "db");
    assert_eq!(groups[0].2, 2, "both db nodes hidden");
    // A click on the topmost line now lands on cache-1's node.
    let layout = app.layout();
    let y = layout.row_y(0);
    assert_eq!(layout.node_at(y), Some(2));
}

#[test]
fn search_finds_exactly_the_matching_events_and_steps_through_them() {
    let mut app = big(9, 2_000);
    let trace = app.trace().clone();
    let (from, to) = (2_000, 4_000);
    let count = app
        .search(&format!("node:db hlc:{from}..{to} kind:recv"))
        .expect("a good query");
    let oracle: Vec<usize> = trace
        .events()
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            app.scenario().nodes[e.node].name.starts_with("db")
                && e.kind() == EventKind::Recv
                && (from..=to).contains(&e.hlc().l)
        })
        .map(|(i, _)| i)
        .collect();
    assert!(!oracle.is_empty());
    assert_eq!(count, oracle.len());
    let found = app.found().expect("a search is under way").clone();
    assert_eq!(found.hits, oracle);
    assert_eq!(found.current(), Some(oracle[0]));
    // Stepping wraps around, and each step brings the hit into view.
    for k in 1..=oracle.len() {
        let hit = app.step_found(1).expect("a hit");
        assert_eq!(hit, oracle[k % oracle.len()]);
        let t = trace.events()[hit].real_ms as f64;
        assert!(t >= app.viewport.start_ms && t <= app.viewport.end_ms());
    }
    assert_eq!(app.step_found(-1), Some(oracle[oracle.len() - 1]));
    assert!(app
        .found_summary()
        .contains(&format!("of {}", oracle.len())));
    // A bad query says why and keeps the search.
    assert!(app.search("hlc:9..1").is_err());
    assert_eq!(app.found().map(|f| f.hits.len()), Some(oracle.len()));
    // An edit runs the search again on the new trace.
    app.apply(hlcviz::app::Edit::SetSkew {
        node: 0,
        skew_ms: 500,
    })
    .expect("a skew");
    assert!(app.found().is_some());
    app.search("").expect("empty ends it");
    assert!(app.found().is_none());
}

#[test]
fn following_a_message_finds_its_whole_causal_chain() {
    let mut app = big(6, 600);
    let trace = app.trace().clone();
    let recv = trace
        .events()
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind() == EventKind::Recv)
        .map(|(i, _)| i)
        .nth(200)
        .expect("a receive");
    let send = trace.events()[recv].partner.expect("its send");
    // Follow from the send end: the same message.
    let count = app.follow_message(send).expect("a message to follow");
    let mut before = causal_past(&trace, send);
    before.push(send);
    let mut after = causal_future(&trace, recv);
    after.push(recv);
    let oracle: Vec<usize> = trace
        .events()
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            e.kind() == EventKind::Recv
                && e.partner.is_some_and(|s| {
                    (before.contains(&s) && before.contains(i)) || after.contains(i)
                })
        })
        .map(|(i, _)| i)
        .collect();
    assert_eq!(count, oracle.len());
    assert_eq!(app.found().expect("following").hits, oracle);
    assert_eq!(app.selected_index(), Some(recv));
    assert_eq!(app.found().and_then(|f| f.current()), Some(recv));
    assert!(app.found_summary().starts_with("following "));
    // A local event sends nothing.
    let local = trace
        .events()
        .iter()
        .position(|e| e.kind() == EventKind::Local)
        .expect("a local event");
    assert!(app.follow_message(local).is_err());
}

#[test]
fn collapsed_runs_say_how_many_events_they_hold() {
    let mut scenario = hlcviz::scenario::Scenario::with_nodes(&["a", "b"]);
    for t in [100, 110, 120, 130, 400] {
        scenario.events.push(hlcviz::scenario::LocalEvent::at(0, t));
    }
    // A send ends the run: the event at 400 ms stands alone.
    scenario
        .messages
        .push(hlcviz::scenario::Message::between(0, 200, 1, 250));
    let mut app = App::new(scenario);
    app.resize(1000.0, 500.0);
    app.fit();
    assert!(!texts(&build(&app)).iter().any(|t| t.ends_with(" local")));
    app.collapse_runs(true);
    let frame = build(&app);
    assert!(
        texts(&frame).iter().any(|t| t == "4 local"),
        "{:?}",
        texts(&frame)
    );
    // The lone event at 400 ms keeps its dot and label.
    assert!(texts(&frame).iter().any(|t| t.starts_with("(400")));
}

#[test]
fn the_overview_strip_shows_the_whole_trace_and_moves_the_window() {
    let small = big(3, 20);
    assert!(small.overview_band().is_none(), "a small trace needs none");
    let mut app = big(8, 2_000);
    let (top, bottom) = app.overview_band().expect("a big trace has one");
    assert_eq!(top, AXIS_BAND);
    assert!(
        app.layout().row_y(0) > bottom,
        "the lines start below the strip"
    );
    // Zoom in, then press and drag on the strip: the window follows.
    app.viewport.zoom(20.0, 600.0);
    let y = (top + bottom) / 2.0;
    app.pointer_down(300.0, y);
    app.pointer_move(900.0, y);
    app.pointer_up(900.0, y);
    let centre = (app.viewport.start_ms + app.viewport.end_ms()) / 2.0;
    assert!((centre - app.overview_time_at(900.0)).abs() < 1.0);
    assert_eq!(
        app.selection(),
        None,
        "a press on the strip selects nothing"
    );
    let frame = build(&app);
    assert!(texts(&frame).iter().any(|t| t == "whole trace"));
    assert!(
        Layout::content_height(app.canvas_rows()) > Layout::content_height(8),
        "the canvas makes room for the strip"
    );
}

#[test]
fn axis_ticks_count_in_one_unit() {
    let mut app = big(3, 300);
    for ms_per_px in [0.05, 1.0, 7.0, 30.0, 400.0, 5_000.0] {
        app.viewport.ms_per_px = ms_per_px;
        app.viewport.start_ms = 800.0;
        let frame = build(&app);
        let ticks: Vec<String> = frame
            .iter()
            .filter_map(|d| match d {
                Draw::Text { text, y, .. } if (*y - (AXIS_BAND - 10.0)).abs() < 1e-9 => {
                    Some(text.clone())
                }
                _ => None,
            })
            .filter(|t| t != "real time")
            .collect();
        assert!(ticks.len() >= 2, "{ms_per_px}: {ticks:?}");
        let unit = |t: &String| t.rsplit(' ').next().unwrap_or("").to_string();
        assert!(
            ticks.iter().all(|t| unit(t) == unit(&ticks[0])),
            "{ms_per_px} ms/px: {ticks:?}"
        );
        let decimals = |t: &String| {
            t.split(' ')
                .next()
                .and_then(|n| n.split('.').nth(1))
                .map_or(0, str::len)
        };
        assert!(
            ticks.iter().all(|t| decimals(t) == decimals(&ticks[0])),
            "{ticks:?}"
        );
    }
}

#[test]
fn a_scrolled_canvas_keeps_its_axis_and_overview_in_sight() {
    let mut app = big(48, 3_000);
    let tall = Layout::content_height(app.canvas_rows());
    app.resize(1280.0, tall);
    app.set_scroll_top(900.0);
    let frame = build(&app);
    let at = |y: f64| {
        frame
            .iter()
            .any(|d| matches!(d, Draw::Text { text, y: ty, .. } if text == "real time" && (*ty - y).abs() < 1e-9))
    };
    assert!(at(AXIS_BAND - 10.0), "the axis at the top of the canvas");
    assert!(
        at(900.0 + AXIS_BAND - 10.0),
        "and stuck where the stage is scrolled"
    );
    let layout = app.layout();
    assert!(matches!(
        layout.hit_test(app.trace(), 600.0, 900.0 + 10.0),
        hlcviz::layout::Hit::Axis { .. }
    ));
    let (top, bottom) = app.overview_band().expect("a strip");
    assert_eq!(top, 900.0 + AXIS_BAND);
    assert_eq!(
        layout.hit_test(app.trace(), 600.0, (top + bottom) / 2.0),
        hlcviz::layout::Hit::Empty,
        "no line is picked under the stuck strip"
    );
    app.viewport.zoom(10.0, 600.0);
    app.pointer_down(1000.0, (top + bottom) / 2.0);
    app.pointer_up(1000.0, (top + bottom) / 2.0);
    let centre = (app.viewport.start_ms + app.viewport.end_ms()) / 2.0;
    assert!((centre - app.overview_time_at(1000.0)).abs() < 1.0);
    // An exported image has its axis once, at the top.
    let whole = hlcviz::scene::build_whole(&app);
    let count = whole
        .iter()
        .filter(|d| matches!(d, Draw::Text { text, .. } if text == "real time"))
        .count();
    assert_eq!(count, 1);
}

/// A hit already in view leaves the view where it is; one out of view is
/// centred, but the view never runs far past the trace's ends.
#[test]
fn stepping_pans_only_to_hits_out_of_view_and_stays_on_the_trace() {
    let mut app = big(4, 400);
    let fitted = app.viewport.start_ms;
    let (lo, hi) = app
        .trace()
        .events()
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), e| {
            (lo.min(e.real_ms as f64), hi.max(e.real_ms as f64))
        });
    // Fitted, every hit is in view: stepping never moves it.
    app.search("kind:recv").expect("a good query");
    for _ in 0..5 {
        app.step_found(1);
        assert_eq!(app.viewport.start_ms, fitted);
    }
    // Zoomed in at the end of the trace, the first hit (near its start) is
    // centred, yet the view starts no earlier than just before the trace.
    let width = app.viewport.end_ms() - app.viewport.start_ms;
    app.viewport.ms_per_px /= 20.0;
    app.viewport.start_ms = hi - width / 40.0;
    app.search("kind:local").expect("a good query");
    let first = app.found().and_then(|f| f.current()).expect("a hit");
    let t = app.trace().events()[first].real_ms as f64;
    let view = (app.viewport.start_ms, app.viewport.end_ms());
    assert!(
        t >= view.0 && t <= view.1,
        "the hit is in view: {t} in {view:?}"
    );
    let span = view.1 - view.0;
    assert!(
        view.0 >= lo - 0.05 * span,
        "the view starts near the trace: {view:?}, trace from {lo}"
    );
}
