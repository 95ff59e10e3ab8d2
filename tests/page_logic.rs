//! Native tests of the page's logic: layout geometry and hit testing, the
//! gesture state machine, the App driven through pointer and key calls, and the
//! draw commands the scene builds. Nothing here touches a browser.
//!
//! Tests marked `#[ignore = "bug: ..."]` state the behaviour the page should
//! have and fail on the current code; run them with `--ignored`.

mod support;

use support::{ctrl, fitted, key, shift};

use hlc::{ClockError, Hlc, Policy, Time, Timestamp};
use hlcviz::analysis;
use hlcviz::app::{default_scenario, App, Edit, Emphasis, ADD_AFTER_MS, PLAY_SPEEDS};
use hlcviz::generate::random_scenario;
use hlcviz::input::{
    key_command, Action, Gesture, KeyCommand, KeyPress, PointerSample, DRAG_THRESHOLD, HELP,
};
use hlcviz::layout::{
    format_ms, nice_step, Hit, Layout, Viewport, AXIS_BAND, EVENT_PICK_RADIUS, EVENT_RADIUS,
    GUTTER, LANE_PICK_DISTANCE, MAX_LANE_GAP, MIN_LANE_GAP, RIGHT_MARGIN,
};
use hlcviz::scenario::{EventRef, LocalEvent, Message, Scenario, MAX_NODES};
use hlcviz::scene::{self, palette, Draw};
use hlcviz::sim::{self, Trace};
use std::collections::{BTreeMap, BTreeSet};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// The default scenario on a 900 x 420 canvas, fitted.
fn default_app() -> App {
    fitted(default_scenario(), 900.0, 420.0)
}

/// Screen point of real time `t` on node `node`'s line.
fn at(app: &App, node: usize, t: Time) -> (f64, f64) {
    let layout = app.layout();
    (layout.x_of(t as f64), layout.lane_y(node))
}

/// Where a scenario event is drawn.
fn dot(app: &App, event: EventRef) -> (f64, f64) {
    scene::event_position(app, event).expect("event exists")
}

fn click(app: &mut App, (x, y): (f64, f64)) {
    app.pointer_down(x, y);
    app.pointer_up(x, y);
}

/// Press at `from`, move past the threshold in two steps, release at `to`.
fn drag(app: &mut App, from: (f64, f64), to: (f64, f64)) {
    app.pointer_down(from.0, from.1);
    let mid = ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0);
    app.pointer_move(mid.0, mid.1);
    app.pointer_move(to.0, to.1);
    app.pointer_up(to.0, to.1);
}

fn notice_text(app: &App) -> String {
    app.notice().map(|n| n.text.clone()).unwrap_or_default()
}

fn notice_serial(app: &App) -> u64 {
    app.notice().map_or(0, |n| n.serial)
}

/// The HLC timestamp of a scenario event in the app's trace.
fn stamp(app: &App, event: EventRef) -> Timestamp {
    let i = app.trace().index_of(event).expect("event replayed");
    app.trace().events()[i].hlc()
}

/// An independent replay with `hlc::Hlc` only: events in real-time order (ties
/// by node), each node's clock starting below every reading, a receive taking
/// its send's stamp unless the max-offset bound refuses it.
fn replay_by_hand(s: &Scenario) -> BTreeMap<EventRef, Timestamp> {
    let mut order: Vec<(Time, usize, EventRef)> =
        s.all_events().map(|(e, n, t)| (t, n, e)).collect();
    order.sort();
    let policy = Policy {
        max_offset: s.settings.max_offset_ms,
        counter_bits: s.settings.counter_bits,
    };
    let mut clocks: Vec<Hlc> = s
        .nodes
        .iter()
        .map(|_| Hlc::with_policy(policy).starting_at(Timestamp::MIN))
        .collect();
    let mut out = BTreeMap::new();
    for (real, node, event) in order {
        let pt = s.nodes[node].physical_time(real);
        let tick = match event {
            EventRef::Recv(m) => {
                let sent = out[&EventRef::Send(m)];
                match clocks[node].recv(pt, sent) {
                    Err(ClockError::ExceedsMaxOffset { .. }) => clocks[node].local(pt),
                    other => other,
                }
            }
            _ => clocks[node].local(pt),
        }
        .expect("no overflow in test scenarios");
        out.insert(event, tick.timestamp);
    }
    out
}

/// Every event dot (`Draw::Circle` of radius `EVENT_RADIUS`) of a frame.
fn event_dots(frame: &[Draw]) -> Vec<(f64, f64)> {
    frame
        .iter()
        .filter_map(|d| match d {
            Draw::Circle { x, y, r, .. } if *r == EVENT_RADIUS => Some((*x, *y)),
            _ => None,
        })
        .collect()
}

/// Every event label of a frame: `(node, x of its event's dot, text)`, as the
/// scene's placement pass reports them (a label sits above, below or beside
/// its dot, wherever it covers nothing, so its position alone does not say
/// whose it is).
fn event_labels(app: &App, frame: &[Draw]) -> Vec<(usize, f64, String)> {
    let (built, report) = scene::build_with_labels(app);
    assert_eq!(built, frame, "the frame is the app's");
    let layout = app.layout();
    report
        .event_labels
        .iter()
        .map(|&(index, at)| {
            let Draw::Text { text, .. } = &frame[at] else {
                panic!("draw {at} is not a label");
            };
            let e = &app.trace().events()[index];
            (e.node, layout.x_of(e.real_ms as f64), text.clone())
        })
        .collect()
}

fn sample(x: f64, y: f64, hit: Hit, at_ms: Time) -> PointerSample {
    PointerSample { x, y, hit, at_ms }
}

// ---------------------------------------------------------------------------
// 1. Layout
// ---------------------------------------------------------------------------

mod layout {
    use super::*;

    fn viewports() -> Vec<Viewport> {
        let mut out = Vec::new();
        for (width, height) in [(900.0, 420.0), (320.0, 200.0), (2560.0, 1400.0)] {
            for (start_ms, ms_per_px) in [
                (0.0, 1.0),
                (-250.0, 0.01),
                (12_345.5, 7.3),
                (1.0e9, 1.0e6),
                (-3.0, 1.0e9),
            ] {
                out.push(Viewport {
                    width,
                    height,
                    start_ms,
                    ms_per_px,
                });
            }
        }
        out
    }

    #[test]
    fn x_of_and_time_at_are_inverse() {
        let mut checked = 0;
        for vp in viewports() {
            let layout = Layout::new(vp, 3);
            for x in [GUTTER, GUTTER + 0.5, 300.0, 777.25, vp.width - RIGHT_MARGIN] {
                let back = layout.x_of(layout.time_at(x));
                assert!((back - x).abs() < 1e-6, "{vp:?}: x {x} -> {back}");
                checked += 1;
            }
            for k in [0.0, 0.25, 0.5, 1.0] {
                let t = vp.start_ms + k * (vp.end_ms() - vp.start_ms);
                let back = layout.time_at(layout.x_of(t));
                assert!(
                    (back - t).abs() <= 1e-9 * t.abs().max(1.0),
                    "{vp:?}: t {t} -> {back}"
                );
                checked += 1;
            }
            assert_eq!(layout.x_of(vp.start_ms), GUTTER);
            assert!((layout.x_of(vp.end_ms()) - (vp.width - RIGHT_MARGIN)).abs() < 1e-6);
        }
        assert!(checked > 100);
    }

    #[test]
    fn whole_ms_at_rounds_and_clamps() {
        let layout = Layout::new(
            Viewport {
                width: 900.0,
                height: 420.0,
                start_ms: 100.0,
                ms_per_px: 0.5,
            },
            2,
        );
        assert_eq!(layout.whole_ms_at(GUTTER), 100);
        assert_eq!(layout.whole_ms_at(GUTTER + 3.0), 102); // 101.5 rounds away from zero
        assert_eq!(layout.whole_ms_at(GUTTER + 2.8), 101);
        assert_eq!(layout.whole_ms_at(-1.0e6), 0, "before 0 clamps to 0");
        assert_eq!(
            layout.whole_ms_at(1.0e300),
            hlcviz::scenario::MAX_TIME_MS,
            "far right clamps to the largest time"
        );
        assert_eq!(layout.whole_ms_at(f64::NAN), 0);
    }

    #[test]
    fn lane_y_and_node_at_round_trip_with_the_pick_distance() {
        for nodes in 1..=12 {
            for height in [120.0, 420.0, 900.0, 4_000.0] {
                let vp = Viewport {
                    height,
                    ..Viewport::default()
                };
                let layout = Layout::new(vp, nodes);
                assert!(layout.lane_gap >= MIN_LANE_GAP && layout.lane_gap <= MAX_LANE_GAP);
                for n in 0..nodes {
                    let y = layout.lane_y(n);
                    assert_eq!(layout.node_at(y), Some(n));
                    // Just inside the pick distance (exactly at it is a float tie).
                    let reach = LANE_PICK_DISTANCE - 1e-9;
                    assert_eq!(layout.node_at(y - reach), Some(n));
                    assert_eq!(layout.node_at(y + reach), Some(n));
                    assert_eq!(layout.node_at(y - LANE_PICK_DISTANCE - 0.5), None);
                    assert_eq!(layout.node_at(y + LANE_PICK_DISTANCE + 0.5), None);
                    if n + 1 < nodes {
                        assert!(
                            (layout.lane_y(n + 1) - y - layout.lane_gap).abs() < 1e-9,
                            "lines are lane_gap apart"
                        );
                    }
                }
                assert_eq!(layout.node_at(layout.lane_y(nodes)), None, "below the last");
                assert_eq!(layout.node_at(AXIS_BAND / 2.0), None, "in the axis band");
                assert_eq!(layout.node_at(-1.0e9), None);
                assert_eq!(layout.node_at(f64::NAN), None);
            }
        }
    }

    #[test]
    fn lane_gap_fills_the_height_between_its_limits() {
        let vp = Viewport {
            height: 420.0,
            ..Viewport::default()
        };
        let usable = 420.0 - AXIS_BAND - hlcviz::layout::BOTTOM_MARGIN;
        assert!((Layout::new(vp, 3).lane_gap - usable / 3.0).abs() < 1e-9);
        assert_eq!(Layout::new(vp, 1).lane_gap, MAX_LANE_GAP);
        assert_eq!(Layout::new(vp, 40).lane_gap, MIN_LANE_GAP);
    }

    #[test]
    fn zoom_keeps_the_time_under_the_anchor() {
        for vp in viewports() {
            for factor in [1.25, 0.8, 2.0, 0.5, 1.0e-12, 1.0e12] {
                for anchor in [GUTTER, 400.0, vp.width - RIGHT_MARGIN] {
                    let before = Layout::new(vp, 2).time_at(anchor);
                    let mut zoomed = vp;
                    zoomed.zoom(factor, anchor);
                    let after = Layout::new(zoomed, 2).time_at(anchor);
                    assert!(
                        (after - before).abs() <= 1e-6 * before.abs().max(1.0),
                        "{vp:?} x{factor} at {anchor}: {before} -> {after}"
                    );
                    assert!(
                        zoomed.ms_per_px >= hlcviz::layout::MIN_MS_PER_PX
                            && zoomed.ms_per_px <= hlcviz::layout::MAX_MS_PER_PX
                    );
                }
            }
        }
        let mut vp = Viewport::default();
        vp.zoom(2.0, 500.0);
        assert_eq!(vp.ms_per_px, 0.5, "factor 2 zooms in: half the ms per px");
        for bad in [0.0, -2.0, f64::NAN, f64::INFINITY] {
            let mut v = Viewport::default();
            v.zoom(bad, 500.0);
            assert_eq!(v, Viewport::default(), "factor {bad} is ignored");
        }
    }

    #[test]
    fn pan_moves_the_picture_by_dx_pixels() {
        for vp in viewports() {
            let layout = Layout::new(vp, 2);
            let t = layout.time_at(400.0);
            let mut panned = vp;
            panned.pan_px(37.0);
            let after = Layout::new(panned, 2);
            assert!(
                (after.x_of(t) - 437.0).abs() < 1e-6,
                "{vp:?}: a time drawn at 400 is now at 437"
            );
            assert_eq!(panned.ms_per_px, vp.ms_per_px);
        }
        let mut vp = Viewport::default();
        vp.pan_px(f64::NAN);
        vp.pan_px(f64::INFINITY);
        assert_eq!(vp, Viewport::default());
    }

    #[test]
    fn fit_shows_the_whole_span_with_a_margin() {
        for width in [300.0, 900.0, 1920.0] {
            for (from, to) in [(0, 760), (5_000, 5_001), (-200, 90_000), (0, 10_000_000)] {
                let mut vp = Viewport {
                    width,
                    ..Viewport::default()
                };
                vp.fit(from, to);
                let layout = Layout::new(vp, 3);
                let (x0, x1) = (layout.x_of(from as f64), layout.x_of(to as f64));
                assert!(x0 > GUTTER, "{from}..{to} in {width}: left end at {x0}");
                assert!(x1 < width - RIGHT_MARGIN, "right end at {x1}");
                if to - from >= 100 {
                    let used = (x1 - x0) / vp.plot_width();
                    assert!(used > 0.8, "the span uses most of the plot: {used}");
                }
            }
        }
    }

    #[test]
    fn content_height_shows_every_line() {
        for nodes in [1, 2, 5, 17, MAX_NODES] {
            let h = Layout::content_height(nodes);
            let layout = Layout::new(
                Viewport {
                    height: h,
                    ..Viewport::default()
                },
                nodes,
            );
            assert_eq!(
                layout.lane_gap, MIN_LANE_GAP,
                "{nodes} nodes at the tightest spacing"
            );
            let last = layout.lane_y(nodes - 1);
            assert!(
                last + LANE_PICK_DISTANCE <= h,
                "{nodes} nodes: last line {last} fits {h}"
            );
            assert!(layout.lane_y(0) - LANE_PICK_DISTANCE >= AXIS_BAND);
        }
        assert!(Layout::content_height(10) > Layout::content_height(9));
    }

    #[test]
    fn nice_step_is_one_two_or_five_times_a_power_of_ten() {
        let table = [
            (0.3, 1.0),
            (1.0, 1.0),
            (1.5, 2.0),
            (2.0, 2.0),
            (3.0, 5.0),
            (7.0, 10.0),
            (90.0, 100.0),
            (100.0, 100.0),
            (101.0, 200.0),
            (150.0, 200.0),
            (250.0, 500.0),
            (1_000.0, 1_000.0),
            (1_001.0, 2_000.0),
            (4_999.0, 5_000.0),
            (9.0e10, 1.0e11),
        ];
        for (raw, want) in table {
            assert_eq!(nice_step(raw), want, "nice_step({raw})");
        }
        for bad in [0.0, -5.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(nice_step(bad), 1.0, "nice_step({bad})");
        }
        let mut raw = 0.9;
        while raw < 1.0e12 {
            let step = nice_step(raw);
            assert!(step >= raw && step >= 1.0, "{raw} -> {step}");
            assert!(
                step <= 2.5 * raw.max(1.0) + 1e-9,
                "{raw} -> {step} is close"
            );
            let power = 10f64.powi(step.log10().floor() as i32);
            let mantissa = step / power;
            assert!(
                [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-9),
                "{raw} -> {step} (mantissa {mantissa})"
            );
            raw *= 1.37;
        }
    }

    #[test]
    fn format_ms_picks_the_unit() {
        let table = [
            (0.0, "0 ms"),
            (-0.0, "0 ms"),
            (250.0, "250 ms"),
            (-250.0, "-250 ms"),
            (12.5, "12.5 ms"),
            (999.0, "999 ms"),
            (1_000.0, "1 s"),
            (1_500.0, "1.5 s"),
            (-1_500.0, "-1.5 s"),
            (1_234.0, "1.234 s"),
            (90_000.0, "90 s"),
            (119_000.0, "119 s"),
            (120_000.0, "2 min"),
            (150_000.0, "2.5 min"),
            (-180_000.0, "-3 min"),
            (3_600_000.0, "60 min"),
        ];
        for (t, want) in table {
            assert_eq!(format_ms(t), want, "format_ms({t})");
        }
    }

    #[test]
    fn format_ms_never_says_minus_zero_for_values_the_page_formats() {
        // Axis ticks are multiples of a whole step; the playback cursor is rounded.
        let step = 100.0;
        for start in [-250.0, -99.0, -0.4, 0.0] {
            let first = (f64::ceil(start / step)) * step;
            let text = format_ms(first);
            assert!(!text.starts_with("-0"), "{start}: {text}");
        }
        for cursor in [-0.4f64, -0.0, 0.3] {
            let text = format_ms(cursor.round());
            assert_eq!(text, "0 ms", "cursor {cursor}");
        }
    }

    #[test]

    fn format_ms_never_says_minus_zero_even_for_tiny_negatives() {
        for t in [-0.001, -0.004, -1.0e-9] {
            let text = format_ms(t);
            assert!(!text.starts_with("-0"), "format_ms({t}) = {text}");
        }
    }

    #[test]
    fn hit_test_never_panics_on_wild_coordinates() {
        let app = fitted(random_scenario(4, 30, 30, 3), 900.0, 420.0);
        let wild = [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            1.0e300,
            -1.0e300,
            0.0,
            -0.0,
            GUTTER,
            AXIS_BAND,
            1.0e15,
        ];
        let mut calls = 0;
        let mut vps = viewports();
        vps.push(app.viewport);
        vps.push(Viewport {
            start_ms: f64::MAX / 2.0,
            ..app.viewport
        });
        for vp in vps {
            let layout = Layout::new(vp, app.trace().node_count());
            for &x in &wild {
                for &y in &wild {
                    let hit = layout.hit_test(app.trace(), x, y);
                    if !(x.is_finite() && y.is_finite()) {
                        assert_eq!(hit, Hit::Empty, "({x}, {y})");
                    }
                    if let Hit::Lane { at_ms, .. } | Hit::Axis { at_ms } = hit {
                        assert!((0..=hlcviz::scenario::MAX_TIME_MS).contains(&at_ms));
                    }
                    calls += 1;
                }
            }
        }
        assert_eq!(calls, 17 * 14 * 14);
    }
}

// ---------------------------------------------------------------------------
// 2. The event under a point is the event drawn there
// ---------------------------------------------------------------------------

mod hit_matches_picture {
    use super::*;

    /// Apps on the default and on small generated scenarios, in several views:
    /// fitted, zoomed in around the middle, panned left, and a narrow canvas.
    fn cases() -> Vec<(String, App)> {
        let mut scenarios = vec![("default".to_string(), default_scenario())];
        for seed in [1, 2, 7, 42, 1_000] {
            scenarios.push((
                format!("random(4, 12, 10, {seed})"),
                random_scenario(4, 12, 10, seed),
            ));
            scenarios.push((
                format!("random(2, 6, 30, {seed})"),
                random_scenario(2, 6, 30, seed),
            ));
        }
        let mut out = Vec::new();
        for (name, scenario) in scenarios {
            for (width, height) in [(900.0, 420.0), (1400.0, 700.0), (480.0, 300.0)] {
                let app = fitted(scenario.clone(), width, height);
                out.push((format!("{name} {width}x{height} fit"), app));
                let mut app = fitted(scenario.clone(), width, height);
                app.viewport
                    .zoom(3.0, GUTTER + app.viewport.plot_width() / 2.0);
                out.push((format!("{name} {width}x{height} zoomed"), app));
                let mut app = fitted(scenario.clone(), width, height);
                app.viewport.zoom(1.7, 300.0);
                app.viewport.pan_px(-123.4);
                out.push((format!("{name} {width}x{height} panned"), app));
            }
        }
        out
    }

    #[test]
    fn every_dot_in_the_plot_hits_its_own_event() {
        let mut checked = 0;
        for (name, app) in cases() {
            let layout = app.layout();
            let frame = scene::build(&app);
            for (x, y) in event_dots(&frame) {
                if x < GUTTER {
                    continue; // see dots_drawn_over_the_gutter_hit_their_event
                }
                match layout.hit_test(app.trace(), x, y) {
                    Hit::Event(i) => {
                        assert_eq!(
                            layout.event_point(app.trace(), i),
                            Some((x, y)),
                            "{name}: dot at ({x}, {y}) picks event {i} drawn elsewhere"
                        );
                    }
                    other => panic!("{name}: dot at ({x}, {y}) hits {other:?}"),
                }
                checked += 1;
            }
        }
        assert!(checked > 500, "only {checked} dots checked");
    }

    #[test]
    fn every_event_in_view_is_drawn_as_one_dot() {
        for (name, app) in cases() {
            let layout = app.layout();
            let vp = layout.viewport;
            let frame = scene::build(&app);
            let dots: BTreeSet<(u64, u64)> = event_dots(&frame)
                .into_iter()
                .map(|(x, y)| (x.to_bits(), y.to_bits()))
                .collect();
            for (i, e) in app.trace().events().iter().enumerate() {
                let t = e.real_ms as f64;
                if t < vp.start_ms || t > vp.end_ms() {
                    continue;
                }
                let (x, y) = layout.event_point(app.trace(), i).unwrap();
                assert!(
                    dots.contains(&(x.to_bits(), y.to_bits())),
                    "{name}: event {i} at {t} ms is not drawn"
                );
            }
        }
    }

    #[test]
    fn the_gutter_hides_dots_and_hit_testing_agrees() {
        let mut app = default_app();
        // Put A's first event (100 ms) 20 px left of the plot's edge.
        let layout = app.layout();
        app.viewport.pan_px(GUTTER - layout.x_of(100.0) - 20.0);
        let frame = scene::build(&app);
        let (x, y) = dot(&app, EventRef::Local(0));
        assert!(x < GUTTER);
        assert!(
            !event_dots(&frame).contains(&(x, y)),
            "no dot is drawn under the names"
        );
        assert!(
            event_dots(&frame).iter().all(|&(dx, _)| dx >= GUTTER),
            "no dot left of the plot"
        );
        assert_eq!(app.layout().hit_test(app.trace(), x, y), Hit::NodeLabel(0));
    }

    #[test]
    fn a_press_near_a_dot_picks_it() {
        let app = default_app();
        let layout = app.layout();
        for (i, _) in app.trace().events().iter().enumerate() {
            let (x, y) = layout.event_point(app.trace(), i).unwrap();
            for (dx, dy) in [(0.0, -7.0), (0.0, 7.0), (-4.0, 4.0), (3.0, 0.0)] {
                assert_eq!(
                    layout.hit_test(app.trace(), x + dx, y + dy),
                    Hit::Event(i),
                    "({dx}, {dy}) from event {i}"
                );
            }
            // Straight above, past the pick radius but still on the line.
            let hit = layout.hit_test(app.trace(), x, y - EVENT_PICK_RADIUS - 1.0);
            assert!(matches!(hit, Hit::Lane { .. }), "above event {i}: {hit:?}");
        }
    }

    #[test]
    fn points_on_a_line_away_from_events_hit_the_lane_at_their_time() {
        let mut checked = 0;
        for (name, app) in cases() {
            let layout = app.layout();
            let trace = app.trace();
            let vp = layout.viewport;
            for node in 0..trace.node_count() {
                let xs: Vec<f64> = trace
                    .node_events(node)
                    .iter()
                    .map(|&e| layout.x_of(trace.events()[e].real_ms as f64))
                    .collect();
                let y = layout.lane_y(node);
                let mut x = GUTTER + 0.5;
                while x < vp.width - RIGHT_MARGIN {
                    // The nearest dot is more than the pick radius away, even
                    // diagonally from a point 10 px off the line.
                    let clear = xs
                        .iter()
                        .all(|ex| (ex - x).abs() > EVENT_PICK_RADIUS + 0.01);
                    if clear {
                        for dy in [0.0, -10.0, LANE_PICK_DISTANCE - 0.01] {
                            let hit = layout.hit_test(trace, x, y + dy);
                            let want = layout.whole_ms_at(x);
                            assert_eq!(
                                hit,
                                Hit::Lane { node, at_ms: want },
                                "{name}: ({x}, {})",
                                y + dy
                            );
                            let exact = layout.time_at(x);
                            if exact >= 0.0 {
                                assert!((want as f64 - exact).abs() <= 0.5);
                            }
                            checked += 1;
                        }
                    }
                    x += 7.3;
                }
                assert_eq!(
                    layout.hit_test(trace, GUTTER / 2.0, y),
                    Hit::NodeLabel(node),
                    "{name}: the gutter at node {node}'s line"
                );
            }
        }
        assert!(checked > 10_000, "only {checked} lane points checked");
    }

    #[test]
    fn the_axis_band_hits_the_axis_and_between_lines_is_empty() {
        for (name, app) in cases() {
            let layout = app.layout();
            let vp = layout.viewport;
            let mut x = GUTTER;
            while x < vp.width - RIGHT_MARGIN {
                for y in [0.0, AXIS_BAND / 2.0, AXIS_BAND - 0.5] {
                    assert_eq!(
                        layout.hit_test(app.trace(), x, y),
                        Hit::Axis {
                            at_ms: layout.whole_ms_at(x)
                        },
                        "{name}: ({x}, {y})"
                    );
                }
                let between = layout.lane_y(0) + layout.lane_gap / 2.0;
                assert_eq!(
                    layout.hit_test(app.trace(), x, between),
                    Hit::Empty,
                    "{name}: ({x}, {between}) is between lines"
                );
                x += 31.0;
            }
            assert_eq!(layout.hit_test(app.trace(), GUTTER / 2.0, 5.0), Hit::Empty);
        }
    }
}

// ---------------------------------------------------------------------------
// 3. Gesture state machine
// ---------------------------------------------------------------------------

mod gesture {
    use super::*;

    const EVENT: Hit = Hit::Event(3);
    const LANE: Hit = Hit::Lane {
        node: 1,
        at_ms: 500,
    };

    #[test]
    fn click_on_an_event_selects_it() {
        let mut g = Gesture::default();
        assert_eq!(g.press(sample(100.0, 80.0, EVENT, 480)), vec![]);
        assert!(matches!(g, Gesture::Pressed { .. }));
        assert!(!g.is_editing());
        assert_eq!(
            g.release(sample(100.0, 80.0, EVENT, 480)),
            vec![Action::Select(Some(3))]
        );
        assert_eq!(g, Gesture::Idle);
    }

    #[test]
    fn click_on_a_lane_or_empty_space_clears_the_selection() {
        for hit in [LANE, Hit::Empty, Hit::NodeLabel(0)] {
            let mut g = Gesture::Idle;
            g.press(sample(200.0, 80.0, hit, 500));
            assert_eq!(
                g.release(sample(200.0, 80.0, hit, 500)),
                vec![Action::Select(None)],
                "{hit:?}"
            );
        }
    }

    #[test]
    fn click_on_the_axis_takes_a_snapshot() {
        let mut g = Gesture::Idle;
        let axis = Hit::Axis { at_ms: 640 };
        g.press(sample(300.0, 10.0, axis, 640));
        assert_eq!(
            g.release(sample(300.0, 10.0, axis, 640)),
            vec![Action::SnapshotAt(640)]
        );
    }

    #[test]
    fn movement_under_the_threshold_stays_a_click() {
        let mut g = Gesture::Idle;
        g.press(sample(100.0, 80.0, EVENT, 480));
        let d = (DRAG_THRESHOLD - 0.01) / std::f64::consts::SQRT_2;
        assert_eq!(
            g.pointer_move(sample(100.0 + d, 80.0 + d, EVENT, 481)),
            vec![]
        );
        assert_eq!(
            g.pointer_move(sample(100.0 - d, 80.0 - d, EVENT, 479)),
            vec![]
        );
        assert!(matches!(g, Gesture::Pressed { .. }));
        assert_eq!(
            g.release(sample(100.0 + d, 80.0, EVENT, 481)),
            vec![Action::Select(Some(3))]
        );
    }

    #[test]
    fn press_on_an_event_and_move_drags_it() {
        let mut g = Gesture::Idle;
        g.press(sample(100.0, 80.0, EVENT, 480));
        let actions = g.pointer_move(sample(100.0 + DRAG_THRESHOLD, 80.0, Hit::Empty, 485));
        assert_eq!(
            actions,
            vec![Action::Hover(None), Action::BeginMove(3), Action::MoveBy(5)]
        );
        assert_eq!(
            g,
            Gesture::MovingEvent {
                event: 3,
                press_ms: 480
            }
        );
        assert!(g.is_editing());
        // Later moves are relative to the press, not to the previous move.
        assert_eq!(
            g.pointer_move(sample(60.0, 90.0, LANE, 440)),
            vec![Action::MoveBy(-40)]
        );
        assert_eq!(
            g.pointer_move(sample(160.0, 90.0, LANE, 540)),
            vec![Action::MoveBy(60)]
        );
        assert_eq!(
            g.release(sample(160.0, 90.0, LANE, 540)),
            vec![Action::EndMove]
        );
        assert_eq!(g, Gesture::Idle);
    }

    #[test]
    fn press_on_a_lane_and_move_draws_a_message() {
        let mut g = Gesture::Idle;
        g.press(sample(200.0, 80.0, LANE, 500));
        assert_eq!(
            g.pointer_move(sample(220.0, 120.0, Hit::Empty, 520)),
            vec![Action::Hover(None), Action::Repaint]
        );
        assert_eq!(
            g,
            Gesture::RubberBand {
                from_node: 1,
                sent_at_ms: 500,
                x: 220.0,
                y: 120.0
            }
        );
        assert!(g.is_editing());
        assert_eq!(
            g.pointer_move(sample(260.0, 170.0, Hit::Empty, 560)),
            vec![Action::Repaint]
        );
        assert!(matches!(g, Gesture::RubberBand { x, y, .. } if x == 260.0 && y == 170.0));
        let drop = Hit::Lane {
            node: 2,
            at_ms: 570,
        };
        assert_eq!(
            g.release(sample(270.0, 175.0, drop, 570)),
            vec![Action::DropMessage {
                from_node: 1,
                sent_at_ms: 500,
                drop,
                at_ms: 570
            }]
        );
        assert_eq!(g, Gesture::Idle);
    }

    #[test]
    fn press_on_empty_space_and_move_pans() {
        for hit in [Hit::Empty, Hit::Axis { at_ms: 5 }, Hit::NodeLabel(1)] {
            let mut g = Gesture::Idle;
            g.press(sample(300.0, 60.0, hit, 300));
            assert_eq!(
                g.pointer_move(sample(310.0, 61.0, hit, 310)),
                vec![Action::Pan(10.0)],
                "{hit:?}"
            );
            assert_eq!(g, Gesture::Panning { last_x: 310.0 });
            assert!(!g.is_editing());
            assert_eq!(
                g.pointer_move(sample(290.0, 61.0, hit, 290)),
                vec![Action::Pan(-20.0)]
            );
            assert_eq!(g.release(sample(290.0, 61.0, hit, 290)), vec![]);
            assert_eq!(g, Gesture::Idle);
        }
    }

    #[test]
    fn hover_when_idle() {
        let mut g = Gesture::Idle;
        assert_eq!(
            g.pointer_move(sample(1.0, 2.0, EVENT, 0)),
            vec![Action::Hover(Some(3))]
        );
        assert_eq!(
            g.pointer_move(sample(1.0, 2.0, LANE, 0)),
            vec![Action::Hover(None)]
        );
        assert_eq!(g, Gesture::Idle);
        assert_eq!(g.release(sample(1.0, 2.0, LANE, 0)), vec![]);
    }

    #[test]
    fn cancel_undoes_what_the_gesture_started() {
        let mut g = Gesture::Idle;
        g.press(sample(100.0, 80.0, EVENT, 480));
        g.pointer_move(sample(150.0, 80.0, EVENT, 530));
        assert_eq!(g.cancel(), vec![Action::CancelMove]);
        assert_eq!(g, Gesture::Idle);

        g.press(sample(200.0, 80.0, LANE, 500));
        g.pointer_move(sample(260.0, 170.0, Hit::Empty, 560));
        assert_eq!(g.cancel(), vec![Action::Repaint]);
        assert_eq!(g, Gesture::Idle);

        g.press(sample(200.0, 80.0, Hit::Empty, 500));
        assert_eq!(g.cancel(), vec![]);
        assert_eq!(g, Gesture::Idle);
        assert_eq!(
            g.release(sample(200.0, 80.0, Hit::Empty, 500)),
            vec![],
            "a release after a cancel does nothing"
        );
    }

    #[test]
    fn double_click_on_a_lane_adds_a_local_event() {
        let mut g = Gesture::Idle;
        g.press(sample(200.0, 80.0, LANE, 500));
        assert_eq!(
            g.double_click(sample(200.0, 80.0, LANE, 500)),
            vec![Action::AddLocal {
                node: 1,
                at_ms: 500
            }]
        );
        assert_eq!(g, Gesture::Idle);
        for hit in [EVENT, Hit::Empty, Hit::Axis { at_ms: 1 }, Hit::NodeLabel(0)] {
            assert_eq!(g.double_click(sample(0.0, 0.0, hit, 1)), vec![], "{hit:?}");
        }
    }

    #[test]
    fn wheel_zooms_vertically_and_pans_horizontally_or_with_shift() {
        let g = Gesture::Idle;
        match g.wheel(400.0, 0.0, 100.0, false).as_slice() {
            [Action::Zoom { factor, x }] => {
                assert!(*factor < 1.0 && *factor >= 0.5, "down zooms out: {factor}");
                assert_eq!(*x, 400.0);
            }
            other => panic!("{other:?}"),
        }
        match g.wheel(250.0, 0.0, -100.0, false).as_slice() {
            [Action::Zoom { factor, x }] => {
                assert!(*factor > 1.0 && *factor <= 2.0, "up zooms in: {factor}");
                assert_eq!(*x, 250.0);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            g.wheel(0.0, 0.0, 1.0e6, false),
            vec![Action::Zoom {
                factor: 0.5,
                x: 0.0
            }]
        );
        assert_eq!(
            g.wheel(0.0, 0.0, -1.0e6, false),
            vec![Action::Zoom {
                factor: 2.0,
                x: 0.0
            }]
        );
        assert_eq!(g.wheel(400.0, 30.0, 5.0, false), vec![Action::Pan(-30.0)]);
        assert_eq!(g.wheel(400.0, 0.0, 40.0, true), vec![Action::Pan(-40.0)]);
        assert_eq!(g.wheel(400.0, 12.0, 40.0, true), vec![Action::Pan(-12.0)]);
        assert_eq!(g.wheel(400.0, 0.0, 0.0, false), vec![]);
        assert_eq!(g.wheel(400.0, 0.0, f64::NAN, false), vec![]);
    }

    /// Every key the help overlay names, with what it must do.
    fn help_keys() -> Vec<(&'static str, Vec<(KeyPress, KeyCommand)>)> {
        let alt_shift = |k: &str| KeyPress {
            alt: true,
            ..shift(k)
        };
        vec![
            (
                "← →",
                vec![
                    (key("ArrowLeft"), KeyCommand::SelectAlongNode(-1)),
                    (key("ArrowRight"), KeyCommand::SelectAlongNode(1)),
                ],
            ),
            (
                "↑ ↓",
                vec![
                    (key("ArrowUp"), KeyCommand::SelectAcrossNodes(-1)),
                    (key("ArrowDown"), KeyCommand::SelectAcrossNodes(1)),
                ],
            ),
            (
                "Shift+← →  (Alt: 1 ms)",
                vec![
                    (shift("ArrowLeft"), KeyCommand::MoveSelected(-10)),
                    (shift("ArrowRight"), KeyCommand::MoveSelected(10)),
                    (alt_shift("ArrowLeft"), KeyCommand::MoveSelected(-1)),
                    (alt_shift("ArrowRight"), KeyCommand::MoveSelected(1)),
                ],
            ),
            (
                "E",
                vec![
                    (key("e"), KeyCommand::AddLocalAfterSelected),
                    (shift("E"), KeyCommand::AddLocalAfterSelected),
                ],
            ),
            (
                "Delete / Backspace",
                vec![
                    (key("Delete"), KeyCommand::DeleteSelected),
                    (key("Backspace"), KeyCommand::DeleteSelected),
                ],
            ),
            (
                "S",
                vec![
                    (key("s"), KeyCommand::SnapshotAtSelected),
                    (shift("S"), KeyCommand::SnapshotAtSelected),
                ],
            ),
            (
                "+ −  [ ]  F",
                vec![
                    (shift("+"), KeyCommand::Zoom(1.25)),
                    (key("="), KeyCommand::Zoom(1.25)),
                    (key("-"), KeyCommand::Zoom(0.8)),
                    (key("["), KeyCommand::PanFraction(-0.25)),
                    (key("]"), KeyCommand::PanFraction(0.25)),
                    (key("f"), KeyCommand::Fit),
                    (shift("F"), KeyCommand::Fit),
                    (key("0"), KeyCommand::Fit),
                ],
            ),
            ("Space", vec![(key(" "), KeyCommand::TogglePlay)]),
            (
                "P",
                vec![
                    (key("p"), KeyCommand::TogglePresentation),
                    (shift("P"), KeyCommand::TogglePresentation),
                ],
            ),
            (
                "T",
                vec![
                    (key("t"), KeyCommand::ToggleTable),
                    (shift("T"), KeyCommand::ToggleTable),
                ],
            ),
            (
                "Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z or Ctrl+Y",
                vec![
                    (ctrl(key("z")), KeyCommand::Undo),
                    (ctrl(shift("Z")), KeyCommand::Redo),
                    (ctrl(shift("z")), KeyCommand::Redo),
                    (ctrl(key("y")), KeyCommand::Redo),
                ],
            ),
            ("Esc", vec![(key("Escape"), KeyCommand::Escape)]),
            ("?", vec![(shift("?"), KeyCommand::ToggleHelp)]),
        ]
    }

    #[test]
    fn every_key_in_help_maps_to_its_command() {
        let table = help_keys();
        let pointer_rows = HELP
            .iter()
            .filter(|(keys, _)| !table.iter().any(|(k, _)| k == keys))
            // "/" focuses the find bar, a field of the page, not the app.
            .filter(|(keys, _)| *keys != "/")
            .map(|(keys, _)| *keys)
            .collect::<Vec<_>>();
        // Only the pointer gestures (the first six rows) have no key.
        assert_eq!(
            pointer_rows.len(),
            6,
            "help rows without a key: {pointer_rows:?}"
        );
        assert!(pointer_rows.iter().all(|r| ["click", "drag", "press"]
            .iter()
            .any(|w| r.to_lowercase().contains(w))));
        for (row, presses) in &table {
            assert!(HELP.iter().any(|(k, _)| k == row), "{row} is not in HELP");
            for (press, want) in presses {
                assert_eq!(key_command(press), Some(*want), "{row}: {press:?}");
            }
        }
    }

    #[test]
    fn ctrl_or_cmd_combos_other_than_undo_are_left_to_the_browser() {
        let mut checked = 0;
        for (_, presses) in help_keys() {
            for (press, _) in presses {
                if press.command {
                    continue; // undo and redo
                }
                let with_command = ctrl(press.clone());
                assert_eq!(key_command(&with_command), None, "{with_command:?}");
                checked += 1;
            }
        }
        for k in [
            "c",
            "v",
            "x",
            "a",
            "s",
            "r",
            "f",
            "0",
            "+",
            "-",
            "=",
            "ArrowLeft",
        ] {
            assert_eq!(key_command(&ctrl(key(k))), None, "Ctrl+{k}");
            assert_eq!(key_command(&ctrl(shift(k))), None, "Ctrl+Shift+{k}");
        }
        for k in ["a", "Tab", "Enter", "F5", "x", "Shift", ""] {
            assert_eq!(key_command(&key(k)), None, "{k:?} is not a shortcut");
        }
        assert!(checked >= 25);
    }
}

// ---------------------------------------------------------------------------
// 4. The App end to end through pointer and key calls
// ---------------------------------------------------------------------------

mod app {
    use super::*;

    #[test]
    fn default_scenario_stamps_match_a_hand_replay() {
        let app = default_app();
        // B's clock is 300 ms ahead, C's 100 ms behind; see default_scenario().
        let golden = [
            (EventRef::Local(0), (100, 0)),  // A at 100
            (EventRef::Send(0), (200, 0)),   // A sends m0 at 200
            (EventRef::Recv(0), (560, 0)),   // B at 260, pt 560 beats l_m 200
            (EventRef::Local(1), (200, 0)),  // C at 300, pt 200
            (EventRef::Send(1), (600, 0)),   // B sends m1 at 300, pt 600
            (EventRef::Recv(1), (600, 1)),   // A at 380 takes l_m 600, c_m + 1
            (EventRef::Local(2), (600, 2)),  // A at 450: l holds
            (EventRef::Send(2), (600, 3)),   // A sends m2 at 520
            (EventRef::Recv(2), (600, 4)),   // C at 640 (pt 540) takes (600, 3) + 1
            (EventRef::Local(3), (1000, 0)), // B at 700, pt 1000
            (EventRef::Local(4), (660, 0)),  // C at 760: pt 660 passes l = 600
        ];
        let by_hand = replay_by_hand(app.scenario());
        for (event, (l, c)) in golden {
            assert_eq!(stamp(&app, event), Timestamp::new(l, c), "{event}");
            assert_eq!(by_hand[&event], Timestamp::new(l, c), "hand replay {event}");
        }
    }

    #[test]
    fn clicking_an_event_selects_it_and_clicking_a_line_clears() {
        let mut app = default_app();
        let p = dot(&app, EventRef::Recv(1));
        click(&mut app, p);
        assert_eq!(app.selection(), Some(EventRef::Recv(1)));
        assert_eq!(app.gesture(), Gesture::Idle);
        let revision = app.revision();
        let p = at(&app, 2, 500);
        click(&mut app, p);
        assert_eq!(app.selection(), None);
        assert_eq!(app.revision(), revision, "a click edits nothing");
    }

    #[test]
    fn hovering_an_event_marks_it() {
        let mut app = default_app();
        let (x, y) = dot(&app, EventRef::Local(2));
        app.pointer_move(x + 3.0, y);
        assert_eq!(app.hover(), app.trace().index_of(EventRef::Local(2)));
        app.pointer_leave();
        assert_eq!(app.hover(), None);
    }

    #[test]
    fn double_click_on_a_line_adds_a_local_event_there_and_selects_it() {
        let mut app = default_app();
        let (x, y) = at(&app, 2, 500);
        let x = x + 0.3; // not on a whole ms
        let want = app.layout().whole_ms_at(x);
        assert_eq!(want, 500);
        let before = app.scenario().events.len();
        let revision = app.revision();
        app.double_click(x, y);
        let events = &app.scenario().events;
        assert_eq!(events.len(), before + 1);
        assert_eq!(events[before], LocalEvent::at(2, 500));
        assert_eq!(app.selection(), Some(EventRef::Local(before)));
        assert_eq!(app.revision(), revision + 1);
        // C's clock reads 400 at 500, but its l is already 200: (400, 0).
        assert_eq!(stamp(&app, EventRef::Local(before)), Timestamp::new(400, 0));
    }

    #[test]
    fn double_click_off_a_line_adds_nothing() {
        let mut app = default_app();
        let layout = app.layout();
        let before = app.scenario().clone();
        app.double_click(400.0, layout.lane_y(0) + layout.lane_gap / 2.0);
        app.double_click(400.0, AXIS_BAND / 2.0);
        let (x, y) = dot(&app, EventRef::Local(0));
        app.double_click(x, y);
        assert_eq!(app.scenario(), &before);
    }

    #[test]
    fn dragging_from_one_line_to_a_later_point_on_another_sends_a_message() {
        let mut app = default_app();
        // B at 350 ms (its clock reads 650) to A at 400 ms.
        let from = at(&app, 1, 350);
        let to = at(&app, 0, 400);
        drag(&mut app, from, to);
        let s = app.scenario();
        assert_eq!(s.messages.len(), 4, "notice: {}", notice_text(&app));
        let m = s.messages[3].clone();
        assert_eq!(
            m,
            Message {
                from: 1,
                sent_at_ms: 350,
                to: 0,
                received_at_ms: 400,
                put: None,
            }
        );
        assert_eq!(app.selection(), Some(EventRef::Recv(3)));
        assert_eq!(app.gesture(), Gesture::Idle);

        // By hand: B's clock was (600, 0) after sending m1, so the send at
        // pt 650 is (650, 0). A was at (600, 1) after receiving m1; at pt 400 the
        // message's l_m = 650 wins, so (650, 0 + 1).
        let send = stamp(&app, EventRef::Send(3));
        assert_eq!(send, Timestamp::new(650, 0));
        let mut a = Hlc::new().starting_at(Timestamp::new(600, 1));
        let expected = a.recv(400, send).unwrap().timestamp;
        assert_eq!(expected, Timestamp::new(650, 1));
        assert_eq!(stamp(&app, EventRef::Recv(3)), expected);
        // And every other stamp follows from the same rules.
        let by_hand = replay_by_hand(app.scenario());
        for (event, _, _) in app.scenario().all_events() {
            assert_eq!(stamp(&app, event), by_hand[&event], "{event}");
        }
    }

    #[test]
    fn releasing_before_the_send_time_creates_nothing() {
        let mut app = default_app();
        let before = app.scenario().clone();
        let revision = app.revision();
        let from = at(&app, 1, 350);
        let to = at(&app, 0, 320);
        drag(&mut app, from, to);
        assert_eq!(app.scenario(), &before);
        assert_eq!(app.revision(), revision);
        let text = notice_text(&app);
        assert!(text.contains("before it is sent"), "{text}");
        assert!(text.contains("320") && text.contains("350"), "{text}");
        // Releasing at the very send instant is not after it either.
        let serial = notice_serial(&app);
        let from = at(&app, 1, 350);
        let to = at(&app, 0, 350);
        drag(&mut app, from, to);
        assert_eq!(app.scenario(), &before);
        assert!(notice_serial(&app) > serial);
        let text = notice_text(&app);
        assert!(
            text.starts_with("No message"),
            "the gesture says why: {text}"
        );
    }

    #[test]
    fn releasing_on_the_same_line_or_off_any_line_creates_nothing() {
        let mut app = default_app();
        let before = app.scenario().clone();
        let from = at(&app, 0, 150);
        let to = at(&app, 0, 250);
        drag(&mut app, from, to);
        assert_eq!(app.scenario(), &before);
        assert!(
            notice_text(&app).contains("itself"),
            "{}",
            notice_text(&app)
        );

        let layout = app.layout();
        let serial = notice_serial(&app);
        let off = (layout.x_of(300.0), layout.lane_y(1) + layout.lane_gap / 2.0);
        assert_eq!(layout.hit_test(app.trace(), off.0, off.1), Hit::Empty);
        let from = at(&app, 0, 150);
        let to = off;
        drag(&mut app, from, to);
        assert_eq!(app.scenario(), &before);
        assert!(notice_serial(&app) > serial);
        assert!(
            notice_text(&app).contains("No message"),
            "{}",
            notice_text(&app)
        );

        let serial = notice_serial(&app);
        let from = at(&app, 0, 150);
        let to = (layout.x_of(300.0), 10.0);
        drag(&mut app, from, to);
        assert_eq!(app.scenario(), &before, "released on the axis");
        assert!(notice_serial(&app) > serial);
    }

    #[test]
    fn a_drop_on_another_nodes_dot_never_loses_the_gesture_silently() {
        let mut app = default_app();
        let before = app.scenario().clone();
        let serial = notice_serial(&app);
        // Release exactly on A's event at 450 ms.
        let from = at(&app, 1, 350);
        let to = dot(&app, EventRef::Local(2));
        drag(&mut app, from, to);
        let created = app.scenario().messages.len() == before.messages.len() + 1;
        assert!(
            created || notice_serial(&app) > serial,
            "either a message or a notice"
        );
        assert!(app.scenario().validate().is_ok());
    }

    #[test]
    fn dragging_a_local_event_changes_its_time() {
        let mut app = default_app();
        let revision = app.revision();
        let from = dot(&app, EventRef::Local(2));
        let to = at(&app, 0, 470);
        drag(&mut app, from, to);
        assert_eq!(app.scenario().events[2].at_ms, 470);
        assert_eq!(app.selection(), Some(EventRef::Local(2)));
        assert!(app.revision() > revision);
        let i = app.trace().index_of(EventRef::Local(2)).unwrap();
        assert_eq!(app.trace().events()[i].real_ms, 470);
        assert_eq!(app.gesture(), Gesture::Idle);
    }

    #[test]
    fn a_receive_cannot_be_dragged_before_its_send() {
        let mut app = default_app();
        // m0: A 200 -> B 260. Drag the receive far left.
        let from = dot(&app, EventRef::Recv(0));
        let to = at(&app, 1, 50);
        drag(&mut app, from, to);
        assert_eq!(app.scenario().messages[0].received_at_ms, 201);
        // And a send cannot pass its receive.
        let from = dot(&app, EventRef::Send(2));
        let to = at(&app, 0, 900);
        drag(&mut app, from, to);
        assert_eq!(app.scenario().messages[2].sent_at_ms, 639);
        assert!(app.scenario().validate().is_ok());
    }

    #[test]
    fn dragging_onto_another_events_instant_keeps_the_scenario_valid() {
        let mut app = default_app();
        // A's Local(0) at 100 towards A's send of m0 at 200.
        let from = dot(&app, EventRef::Local(0));
        app.pointer_down(from.0, from.1);
        let p150 = at(&app, 0, 150);
        app.pointer_move(p150.0, p150.1);
        assert_eq!(app.scenario().events[0].at_ms, 150);
        let p200 = at(&app, 0, 200);
        app.pointer_move(p200.0, p200.1);
        assert_eq!(
            app.scenario().events[0].at_ms,
            150,
            "stays where it was valid"
        );
        assert!(app.scenario().validate().is_ok());
        let serial = notice_serial(&app);
        app.pointer_up(p200.0, p200.1);
        assert!(
            notice_serial(&app) > serial,
            "the refusal is told on release"
        );
        assert!(
            notice_text(&app).contains("same instant"),
            "{}",
            notice_text(&app)
        );
        assert_eq!(app.scenario().events[0].at_ms, 150);
    }

    #[test]

    fn moving_back_off_a_refused_instant_posts_no_notice() {
        let mut app = default_app();
        let from = dot(&app, EventRef::Local(0));
        app.pointer_down(from.0, from.1);
        let p150 = at(&app, 0, 150);
        let p200 = at(&app, 0, 200);
        app.pointer_move(p150.0, p150.1);
        app.pointer_move(p200.0, p200.1); // refused: A's send of m0 is at 200
        app.pointer_move(p150.0, p150.1); // back where the event already is
        let serial = notice_serial(&app);
        app.pointer_up(p150.0, p150.1);
        assert_eq!(app.scenario().events[0].at_ms, 150);
        assert_eq!(
            notice_serial(&app),
            serial,
            "unexpected notice: {}",
            notice_text(&app)
        );
    }

    #[test]
    fn pointer_cancel_mid_drag_restores_the_original_time() {
        let mut app = default_app();
        let before = app.scenario().clone();
        let from = dot(&app, EventRef::Recv(1));
        app.pointer_down(from.0, from.1);
        let to = at(&app, 0, 420);
        app.pointer_move(to.0, to.1);
        assert_eq!(app.scenario().messages[1].received_at_ms, 420);
        assert!(app.gesture().is_editing());
        app.pointer_cancel();
        assert_eq!(app.scenario(), &before);
        assert_eq!(app.gesture(), Gesture::Idle);
        // A release after the cancel does nothing.
        app.pointer_up(to.0, to.1);
        assert_eq!(app.scenario(), &before);
    }

    #[test]
    fn escape_mid_drag_cancels_it() {
        let mut app = default_app();
        let before = app.scenario().clone();
        let from = dot(&app, EventRef::Local(3));
        app.pointer_down(from.0, from.1);
        let to = at(&app, 1, 800);
        app.pointer_move(to.0, to.1);
        assert_eq!(app.scenario().events[3].at_ms, 800);
        assert!(app.key(&key("Escape")));
        assert_eq!(app.scenario(), &before);
        assert_eq!(app.gesture(), Gesture::Idle);
    }

    #[test]
    fn cancelling_a_rubber_band_creates_nothing() {
        let mut app = default_app();
        let before = app.scenario().clone();
        let from = at(&app, 0, 150);
        app.pointer_down(from.0, from.1);
        let to = at(&app, 2, 400);
        app.pointer_move(to.0, to.1);
        assert!(matches!(app.gesture(), Gesture::RubberBand { .. }));
        let rubber = scene::build(&app)
            .iter()
            .filter(|d| matches!(d, Draw::Arrow { stroke, dashed: true, .. } if *stroke == palette::RUBBER))
            .count();
        assert_eq!(rubber, 1, "the rubber band is drawn");
        app.pointer_cancel();
        app.pointer_up(to.0, to.1);
        assert_eq!(app.scenario(), &before);
    }

    #[test]
    fn dragging_empty_space_pans_and_the_wheel_zooms_about_the_pointer() {
        let mut app = default_app();
        let start = app.viewport.start_ms;
        let mpp = app.viewport.ms_per_px;
        let layout = app.layout();
        let y = layout.lane_y(0) + layout.lane_gap / 2.0;
        drag(&mut app, (400.0, y), (460.0, y));
        assert!((app.viewport.start_ms - (start - 60.0 * mpp)).abs() < 1e-9);
        assert!(app.scenario() == &default_scenario());

        let t = app.layout().time_at(500.0);
        app.wheel(500.0, 0.0, -120.0, false);
        assert!(app.viewport.ms_per_px < mpp, "wheel up zooms in");
        assert!((app.layout().time_at(500.0) - t).abs() < 1e-6);
        let start = app.viewport.start_ms;
        let mpp = app.viewport.ms_per_px;
        app.wheel(500.0, 0.0, 50.0, true);
        assert!((app.viewport.start_ms - (start + 50.0 * mpp)).abs() < 1e-9);
    }

    #[test]
    fn delete_removes_the_selected_event_or_its_whole_message() {
        let mut app = default_app();
        let p = dot(&app, EventRef::Local(1));
        click(&mut app, p);
        assert_eq!(app.selection(), Some(EventRef::Local(1)));
        assert!(app.key(&key("Delete")));
        assert_eq!(app.scenario().events.len(), 4);
        assert!(!app.scenario().events.contains(&LocalEvent::at(2, 300)));
        assert_eq!(app.selection(), None);

        let p = dot(&app, EventRef::Recv(0));

        click(&mut app, p);
        assert!(app.key(&key("Backspace")));
        assert_eq!(app.scenario().messages.len(), 2);
        assert_eq!(app.trace().events().len(), 4 + 2 * 2);
        assert!(app.scenario().messages.iter().all(|m| m.sent_at_ms != 200));

        let serial = notice_serial(&app);
        let before = app.scenario().clone();
        assert!(
            app.key(&key("Delete")),
            "the key is used even with nothing selected"
        );
        assert_eq!(app.scenario(), &before);
        assert!(
            notice_serial(&app) > serial,
            "a notice says why nothing happened"
        );
    }

    #[test]

    fn delete_during_a_drag_does_not_move_another_event() {
        let mut app = default_app();
        let from = dot(&app, EventRef::Local(0)); // A at 100
        app.pointer_down(from.0, from.1);
        let p120 = at(&app, 0, 120);
        app.pointer_move(p120.0, p120.1);
        assert_eq!(app.scenario().events[0].at_ms, 120);
        app.key(&key("Delete"));
        let after_delete = app.scenario().clone();
        assert_eq!(after_delete.events.len(), 4);
        let p140 = at(&app, 0, 140);
        app.pointer_move(p140.0, p140.1);
        app.pointer_up(p140.0, p140.1);
        // events[0] is now C's event at 300; it must not have moved to 140.
        assert_eq!(app.scenario(), &after_delete);
    }

    #[test]
    fn arrows_move_the_selection() {
        let mut app = default_app();
        assert!(
            app.key(&key("ArrowRight")),
            "nothing selected: selects the first"
        );
        assert_eq!(app.selection(), Some(EventRef::Local(0)));
        app.key(&key("ArrowRight"));
        assert_eq!(app.selection(), Some(EventRef::Send(0)));
        app.key(&key("ArrowRight"));
        assert_eq!(app.selection(), Some(EventRef::Recv(1)));
        app.key(&key("ArrowLeft"));
        assert_eq!(app.selection(), Some(EventRef::Send(0)));
        // Down: nearest on B to 200 ms is the receive of m0 at 260.
        app.key(&key("ArrowDown"));
        assert_eq!(app.selection(), Some(EventRef::Recv(0)));
        // Down again: nearest on C to 260 is its local event at 300.
        app.key(&key("ArrowDown"));
        assert_eq!(app.selection(), Some(EventRef::Local(1)));
        app.key(&key("ArrowDown"));
        assert_eq!(app.selection(), Some(EventRef::Local(1)), "no node below C");
        app.key(&key("ArrowUp"));
        assert_eq!(app.selection(), Some(EventRef::Send(1)), "B at 300");
        // The last event on A, then past the end stays.
        let p = dot(&app, EventRef::Send(2));
        click(&mut app, p);
        app.key(&key("ArrowRight"));
        assert_eq!(app.selection(), Some(EventRef::Send(2)));
        app.key(&key("ArrowUp"));
        assert_eq!(app.selection(), Some(EventRef::Send(2)), "no node above A");
    }

    #[test]
    fn shift_arrows_move_the_selected_event() {
        let mut app = default_app();
        let p = dot(&app, EventRef::Local(2));
        click(&mut app, p); // A at 450
        app.key(&shift("ArrowRight"));
        assert_eq!(app.scenario().events[2].at_ms, 460);
        app.key(&shift("ArrowLeft"));
        app.key(&shift("ArrowLeft"));
        assert_eq!(app.scenario().events[2].at_ms, 440);
        let alt = KeyPress {
            alt: true,
            ..shift("ArrowRight")
        };
        app.key(&alt);
        assert_eq!(app.scenario().events[2].at_ms, 441);
        assert_eq!(app.selection(), Some(EventRef::Local(2)), "stays selected");

        // A receive stops 1 ms after its send (as a drag does), then says why.
        let p = dot(&app, EventRef::Recv(0));
        click(&mut app, p); // B at 260, sent at 200
        for _ in 0..6 {
            app.key(&shift("ArrowLeft"));
        }
        assert_eq!(app.scenario().messages[0].received_at_ms, 201);
        let serial = notice_serial(&app);
        app.key(&shift("ArrowLeft"));
        assert_eq!(app.scenario().messages[0].received_at_ms, 201);
        assert!(notice_serial(&app) > serial);
    }

    #[test]
    fn e_adds_an_event_50_ms_after_the_selected_one() {
        let mut app = default_app();
        let p = dot(&app, EventRef::Local(0));
        click(&mut app, p); // A at 100
        assert!(app.key(&key("e")));
        assert_eq!(
            app.scenario().events[5],
            LocalEvent::at(0, 100 + ADD_AFTER_MS)
        );
        assert_eq!(app.selection(), Some(EventRef::Local(5)));
        // From 150 the next slot, 200, is A's send of m0: it moves to 201.
        app.key(&shift("E"));
        assert_eq!(app.scenario().events[6], LocalEvent::at(0, 201));
        assert_eq!(app.selection(), Some(EventRef::Local(6)));
    }

    #[test]
    fn s_snapshots_at_the_selected_events_hlc() {
        let mut app = default_app();
        let serial = notice_serial(&app);
        app.key(&key("s"));
        assert_eq!(app.snapshot(), None);
        assert!(notice_serial(&app) > serial, "nothing selected: a notice");

        let p = dot(&app, EventRef::Recv(2));

        click(&mut app, p); // C, (600, 4)
        app.key(&key("s"));
        let theta = Timestamp::new(600, 4);
        assert_eq!(app.snapshot().map(|s| s.theta), Some(theta));
        let (hlc_cut, physical_cut) = app.cuts().unwrap();
        assert_eq!(hlc_cut, analysis::hlc_cut(app.trace(), theta));
        assert_eq!(physical_cut, analysis::physical_cut(app.trace(), 600));
        let recv = app.trace().index_of(EventRef::Recv(2)).unwrap();
        assert!(hlc_cut.contains(app.trace(), recv));
        assert!(hlc_cut.is_consistent());
    }

    #[test]
    fn clicking_the_axis_snapshots_and_the_cuts_match_the_analysis() {
        let mut app = default_app();
        let x = app.layout().x_of(500.0);
        click(&mut app, (x, AXIS_BAND / 2.0));
        let theta = Timestamp::new(500, 0);
        assert_eq!(app.snapshot().map(|s| s.theta), Some(theta));
        let (hlc_cut, physical_cut) = app.cuts().unwrap();
        assert_eq!(hlc_cut, analysis::hlc_cut(app.trace(), theta));
        assert_eq!(physical_cut, analysis::physical_cut(app.trace(), 500));
        // The story of the default scenario: B's clock is 300 ms ahead, so by
        // clocks reading 500 B's send of m1 (pt 600) is outside the cut while
        // A's receive of it (pt 380) is inside: the physical cut is
        // inconsistent, the HLC cut at (500, 0) is not.
        assert!(hlc_cut.is_consistent());
        assert!(!physical_cut.is_consistent());
        let recv_m1 = app.trace().index_of(EventRef::Recv(1)).unwrap();
        assert_eq!(physical_cut.crossing, vec![recv_m1]);
        app.set_snapshot(None);
        assert_eq!(app.cuts(), None);
    }

    #[test]
    fn escape_clears_help_then_selection_then_snapshot() {
        let mut app = default_app();
        let p = dot(&app, EventRef::Local(2));
        click(&mut app, p);
        app.key(&key("s"));
        assert!(app.key(&shift("?")));
        assert!(app.help_shown());
        app.key(&key("Escape"));
        assert!(!app.help_shown());
        assert!(app.selection().is_some());
        app.key(&key("Escape"));
        assert_eq!(app.selection(), None);
        assert!(app.snapshot().is_some());
        app.key(&key("Escape"));
        assert_eq!(app.snapshot(), None);
    }

    #[test]
    fn question_mark_toggles_help() {
        let mut app = default_app();
        assert!(!app.help_shown());
        assert!(app.key(&shift("?")));
        assert!(app.help_shown());
        assert!(app.key(&shift("?")));
        assert!(!app.help_shown());
        assert!(!app.key(&ctrl(shift("?"))));
        assert!(!app.help_shown());
        assert!(!app.key(&key("q")), "an unused key is left to the browser");
    }

    #[test]
    fn zoom_pan_and_fit_keys_change_the_view() {
        let mut app = default_app();
        let fitted_view = app.viewport;
        app.key(&key("="));
        assert!((app.viewport.ms_per_px - fitted_view.ms_per_px / 1.25).abs() < 1e-12);
        app.key(&key("]"));
        assert!(app.viewport.start_ms > fitted_view.start_ms);
        app.key(&key("f"));
        assert_eq!(app.viewport, fitted_view);
    }

    #[test]
    fn set_skew_changes_the_stamps_exactly_as_a_replay_predicts() {
        let mut app = default_app();
        let before: Vec<String> = event_labels(&app, &scene::build(&app))
            .into_iter()
            .map(|l| l.2)
            .collect();
        app.apply(Edit::SetSkew {
            node: 1,
            skew_ms: 0,
        })
        .unwrap();
        assert_eq!(app.scenario().nodes[1].skew_ms, 0);
        // With B's clock correct every clock is exact: each stamp is (pt, 0).
        let golden = [
            (EventRef::Local(0), 100),
            (EventRef::Send(0), 200),
            (EventRef::Recv(0), 260),
            (EventRef::Local(1), 200),
            (EventRef::Send(1), 300),
            (EventRef::Recv(1), 380),
            (EventRef::Local(2), 450),
            (EventRef::Send(2), 520),
            (EventRef::Recv(2), 540),
            (EventRef::Local(3), 700),
            (EventRef::Local(4), 660),
        ];
        let by_hand = replay_by_hand(app.scenario());
        for (event, l) in golden {
            assert_eq!(stamp(&app, event), Timestamp::new(l, 0), "{event}");
            assert_eq!(by_hand[&event], Timestamp::new(l, 0));
        }
        // The labels on screen are those stamps.
        let frame = scene::build(&app);
        let labels = event_labels(&app, &frame);
        assert!(labels.len() >= 8);
        let layout = app.layout();
        for (node, x, text) in &labels {
            let event = app
                .trace()
                .events()
                .iter()
                .find(|e| e.node == *node && layout.x_of(e.real_ms as f64) == *x)
                .expect("a label sits over an event");
            assert_eq!(text, &by_hand[&event.source].to_string());
        }
        let after: Vec<String> = labels.into_iter().map(|l| l.2).collect();
        assert_ne!(before, after);
        assert!(before.contains(&"(600, 1)".to_string()));
        assert!(!after.contains(&"(600, 1)".to_string()));

        // A huge skew is clamped to the limit, not refused.
        app.apply(Edit::SetSkew {
            node: 2,
            skew_ms: Time::MAX,
        })
        .unwrap();
        assert_eq!(
            app.scenario().nodes[2].skew_ms,
            hlcviz::scenario::MAX_SKEW_MS
        );
        assert!(app
            .apply(Edit::SetSkew {
                node: 9,
                skew_ms: 1
            })
            .is_err());
    }

    #[test]
    fn set_skew_matches_a_replay_on_random_scenarios() {
        for seed in 0..6 {
            let mut app = App::new(random_scenario(4, 20, 15, seed));
            for (node, skew) in [(0, 500), (3, -750), (1, 0)] {
                app.apply(Edit::SetSkew {
                    node,
                    skew_ms: skew,
                })
                .unwrap();
                let by_hand = replay_by_hand(app.scenario());
                for (event, _, _) in app.scenario().all_events() {
                    assert_eq!(stamp(&app, event), by_hand[&event], "seed {seed} {event}");
                }
            }
        }
    }

    #[test]
    fn remove_node_reindexes_and_drops_what_touched_it() {
        let mut app = default_app();
        let p = dot(&app, EventRef::Local(4));
        click(&mut app, p);
        app.apply(Edit::RemoveNode(1)).unwrap();
        let s = app.scenario();
        let names: Vec<&str> = s.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["A", "C"]);
        assert_eq!(s.nodes[1].skew_ms, -100, "C keeps its clock");
        assert_eq!(
            s.events,
            vec![
                LocalEvent::at(0, 100),
                LocalEvent::at(1, 300),
                LocalEvent::at(0, 450),
                LocalEvent::at(1, 760),
            ]
        );
        assert_eq!(
            s.messages,
            vec![Message {
                from: 0,
                sent_at_ms: 520,
                to: 1,
                received_at_ms: 640,
                put: None,
            }]
        );
        assert_eq!(app.selection(), None);
        assert_eq!(app.trace().node_count(), 2);
        assert_eq!(app.trace().events().len(), 6);
    }

    #[test]
    fn the_last_node_cannot_be_removed() {
        let mut app = App::new(Scenario::with_nodes(&["Solo"]));
        let revision = app.revision();
        let why = app.apply(Edit::RemoveNode(0)).unwrap_err();
        assert!(why.contains("last node"), "{why}");
        assert_eq!(app.scenario().nodes.len(), 1);
        assert_eq!(app.revision(), revision);
        let mut app = default_app();
        assert!(app.apply(Edit::RemoveNode(3)).is_err());
        app.apply(Edit::RemoveNode(0)).unwrap();
        app.apply(Edit::RemoveNode(0)).unwrap();
        assert!(app.apply(Edit::RemoveNode(0)).is_err());
        assert_eq!(app.scenario().nodes[0].name, "C");
        assert!(app.scenario().messages.is_empty());
    }

    #[test]
    fn rename_node_refuses_an_empty_name() {
        let mut app = default_app();
        let before = app.scenario().clone();
        let revision = app.revision();
        for bad in ["", "   ", "\t", &"x".repeat(65), "a\u{7}b"] {
            let result = app.apply(Edit::RenameNode {
                node: 1,
                name: bad.to_string(),
            });
            assert!(result.is_err(), "{bad:?}");
            assert_eq!(app.scenario(), &before);
            assert_eq!(app.revision(), revision);
        }
        app.apply(Edit::RenameNode {
            node: 1,
            name: "  Bob ".to_string(),
        })
        .unwrap();
        assert_eq!(app.scenario().nodes[1].name, "Bob");
        assert_eq!(app.node_name(1), hlcviz::bidi::isolate("Bob"));
    }

    #[test]
    fn add_node_names_a_to_z_then_n1() {
        let mut app = default_app();
        for letter in 'D'..='Z' {
            app.apply(Edit::AddNode).unwrap();
            assert_eq!(
                app.scenario().nodes.last().unwrap().name,
                letter.to_string()
            );
        }
        // after Z, the generator's names: N26, N27, ...
        app.apply(Edit::AddNode).unwrap();
        assert_eq!(app.scenario().nodes.last().unwrap().name, "N26");
        app.apply(Edit::AddNode).unwrap();
        assert_eq!(app.scenario().nodes.last().unwrap().name, "N27");
        while app.scenario().nodes.len() < MAX_NODES {
            app.apply(Edit::AddNode).unwrap();
        }
        let revision = app.revision();
        assert!(app.apply(Edit::AddNode).is_err());
        assert_eq!(app.scenario().nodes.len(), MAX_NODES);
        assert_eq!(app.revision(), revision);
        // A freed letter is reused.
        let mut app = default_app();
        app.apply(Edit::RemoveNode(0)).unwrap();
        app.apply(Edit::AddNode).unwrap();
        assert_eq!(app.scenario().nodes.last().unwrap().name, "A");
    }

    #[test]
    fn an_invalid_edit_changes_nothing() {
        let mut app = default_app();
        let p = dot(&app, EventRef::Local(2));
        click(&mut app, p);
        let before = app.scenario().clone();
        let trace = app.trace().clone();
        let revision = app.revision();
        let selection = app.selection();
        let bad = [
            Edit::AddLocal {
                node: 0,
                at_ms: 100,
            }, // same instant as A's first event
            Edit::AddLocal {
                node: 7,
                at_ms: 100,
            },
            Edit::AddLocal { node: 0, at_ms: -1 },
            Edit::AddMessage(Message {
                from: 0,
                sent_at_ms: 10,
                to: 0,
                received_at_ms: 20,
                put: None,
            }),
            Edit::AddMessage(Message {
                from: 0,
                sent_at_ms: 30,
                to: 1,
                received_at_ms: 30,
                put: None,
            }),
            Edit::MoveEvent {
                event: EventRef::Recv(0),
                at_ms: 150,
            },
            Edit::MoveEvent {
                event: EventRef::Local(99),
                at_ms: 150,
            },
            Edit::DeleteEvent(EventRef::Send(9)),
            Edit::RenameNode {
                node: 5,
                name: "X".into(),
            },
            Edit::Replace(Scenario::with_nodes(&[])),
        ];
        for edit in bad {
            let result = app.apply(edit.clone());
            assert!(result.is_err(), "{edit:?} was accepted");
            let why = result.unwrap_err();
            assert!(!why.is_empty());
            assert_eq!(app.scenario(), &before, "{edit:?}");
            assert_eq!(app.trace(), &trace, "{edit:?}");
            assert_eq!(app.revision(), revision, "{edit:?}");
            assert_eq!(app.selection(), selection, "{edit:?}");
        }
        let serial = notice_serial(&app);
        assert!(!app.apply_or_notify(Edit::AddLocal {
            node: 0,
            at_ms: 100
        }));
        assert!(notice_serial(&app) > serial);
        assert!(
            notice_text(&app).starts_with(char::is_uppercase) && notice_text(&app).ends_with('.')
        );
    }

    #[test]
    fn an_invalid_scenario_opens_the_default_with_a_notice() {
        let mut bad = default_scenario();
        bad.events.push(LocalEvent::at(0, 100));
        let app = App::new(bad);
        assert_eq!(app.scenario(), &default_scenario());
        assert!(
            notice_text(&app).contains("default"),
            "{}",
            notice_text(&app)
        );
    }

    fn check_emphasis(app: &App, label: &str) {
        let trace = app.trace();
        let Some(selected) = app.selected_index() else {
            for i in 0..trace.events().len() {
                assert_eq!(app.emphasis(i), Emphasis::Normal, "{label}: {i}");
            }
            return;
        };
        let past: BTreeSet<usize> = analysis::causal_past(trace, selected).into_iter().collect();
        let future: BTreeSet<usize> = analysis::causal_future(trace, selected)
            .into_iter()
            .collect();
        for i in 0..trace.events().len() {
            let want = if i == selected {
                Emphasis::Selected
            } else if past.contains(&i) {
                Emphasis::Past
            } else if future.contains(&i) {
                Emphasis::Future
            } else {
                Emphasis::Concurrent
            };
            assert_eq!(app.emphasis(i), want, "{label}: event {i} vs {selected}");
            if i != selected {
                let relation = analysis::relation(trace, i, selected);
                let by_relation = match relation {
                    analysis::Relation::Before => Emphasis::Past,
                    analysis::Relation::After => Emphasis::Future,
                    _ => Emphasis::Concurrent,
                };
                assert_eq!(want, by_relation, "{label}: {i}");
            }
        }
    }

    #[test]
    fn emphasis_matches_the_causal_cones() {
        let mut app = default_app();
        check_emphasis(&app, "none");
        // A's receive of m1: past = A 100, A send 200, B recv 260, B send 300.
        let p = dot(&app, EventRef::Recv(1));
        click(&mut app, p);
        check_emphasis(&app, "default Recv(1)");
        let idx = |e| app.trace().index_of(e).unwrap();
        let past: BTreeSet<usize> = [
            EventRef::Local(0),
            EventRef::Send(0),
            EventRef::Recv(0),
            EventRef::Send(1),
        ]
        .into_iter()
        .map(idx)
        .collect();
        for i in 0..app.trace().events().len() {
            assert_eq!(app.emphasis(i) == Emphasis::Past, past.contains(&i));
        }
        assert_eq!(app.emphasis(idx(EventRef::Local(1))), Emphasis::Concurrent);
        assert_eq!(app.emphasis(idx(EventRef::Local(4))), Emphasis::Future);

        for seed in [3, 9] {
            let mut app = App::new(random_scenario(5, 25, 20, seed));
            for i in (0..app.trace().events().len()).step_by(7) {
                let source = app.trace().events()[i].source;
                app.select(Some(source));
                check_emphasis(&app, &format!("seed {seed} event {i}"));
            }
            app.select(None);
            check_emphasis(&app, "cleared");
        }
    }

    #[test]
    fn selection_survives_an_edit_and_emphasis_follows_it() {
        let mut app = default_app();
        let p = dot(&app, EventRef::Local(2));
        click(&mut app, p);
        app.apply(Edit::AddMessage(Message {
            from: 2,
            sent_at_ms: 350,
            to: 0,
            received_at_ms: 400,
            put: None,
        }))
        .unwrap();
        assert_eq!(app.selection(), Some(EventRef::Local(2)));
        check_emphasis(&app, "after an edit");
        let send = app.trace().index_of(EventRef::Send(3)).unwrap();
        assert_eq!(
            app.emphasis(send),
            Emphasis::Past,
            "the new message reaches A before 450"
        );
    }

    fn circles_drawn(app: &App) -> usize {
        event_dots(&scene::build(app)).len()
    }

    #[test]
    fn playback_moves_the_cursor_and_hides_the_future() {
        let mut app = default_app();
        assert_eq!(circles_drawn(&app), 11);
        assert_eq!(app.time_span(), (100, 760));
        app.toggle_play();
        let p = app.playback().unwrap();
        assert!(p.playing);
        assert_eq!(p.cursor_ms, 100.0);
        assert_eq!(p.speed, PLAY_SPEEDS[1]);
        assert_eq!(circles_drawn(&app), 1, "only A's first event at 100");

        assert!(app.advance_playback(100.0));
        let cursor = app.playback().unwrap().cursor_ms;
        assert!((cursor - (100.0 + PLAY_SPEEDS[1] * 0.1)).abs() < 1e-9);

        app.set_play_speed(1_000.0);
        assert!(app.advance_playback(120.0)); // +120 ms: 250
        let cursor = app.playback().unwrap().cursor_ms;
        assert!((cursor - 250.0).abs() < 1e-9, "{cursor}");
        let shown = app
            .trace()
            .events()
            .iter()
            .filter(|e| e.real_ms as f64 <= cursor)
            .count();
        assert_eq!(
            shown, 2,
            "A at 100 and A's send at 200; B's receive at 260 is later"
        );
        assert_eq!(circles_drawn(&app), shown);
        // m0 (200 -> 260) is in flight: a dashed arrow that stops short.
        let frame = scene::build(&app);
        let recv_point = dot(&app, EventRef::Recv(0));
        let in_flight = frame.iter().any(|d| {
            matches!(d, Draw::Arrow { to, dashed: true, .. } if to.0 < recv_point.0 && to.1 < recv_point.1)
        });
        assert!(in_flight, "m0 is drawn in flight");

        // Pause: time does not move.
        app.toggle_play();
        assert!(!app.advance_playback(200.0));
        assert!((app.playback().unwrap().cursor_ms - 250.0).abs() < 1e-9);

        // Resume and run to the end: it stops there with everything drawn.
        app.toggle_play();
        let mut frames = 0;
        while app.advance_playback(250.0) {
            frames += 1;
            assert!(frames < 100);
        }
        // The end stops playback: no cursor, every event, the whole view.
        assert_eq!(app.playback(), None);
        assert!(app.viewport.start_ms <= 100.0 && app.viewport.end_ms() >= 760.0);
        assert_eq!(circles_drawn(&app), 11);
        // Play again from the end restarts at the beginning.
        app.toggle_play();
        assert_eq!(app.playback().unwrap().cursor_ms, 100.0);
        app.stop_playback();
        assert_eq!(app.playback(), None);
        assert_eq!(circles_drawn(&app), 11);
    }

    #[test]
    fn playback_clamps_long_frames_and_follows_the_cursor() {
        let mut app = fitted(random_scenario(3, 200, 100, 5), 900.0, 420.0);
        app.toggle_play();
        // Play shows the whole execution; zoomed in after, the view follows.
        app.viewport.zoom(10.0, GUTTER);
        app.set_play_speed(5_000.0);
        let start = app.playback().unwrap().cursor_ms;
        app.advance_playback(10_000.0); // a tab in the background
        let cursor = app.playback().unwrap().cursor_ms;
        assert!((cursor - (start + 5_000.0 * 0.25)).abs() < 1e-9, "{cursor}");
        app.advance_playback(-50.0);
        assert_eq!(app.playback().unwrap().cursor_ms, cursor);
        for _ in 0..20 {
            app.advance_playback(250.0);
            let Some(c) = app.playback().map(|p| p.cursor_ms) else {
                break; // the end: playback is over
            };
            assert!(
                c >= app.viewport.start_ms && c <= app.viewport.end_ms(),
                "cursor {c} in view {:?}",
                app.viewport
            );
        }
    }

    #[test]
    fn describe_tells_time_clock_stamp_and_why() {
        let app = default_app();
        let i = app.trace().index_of(EventRef::Recv(1)).unwrap();
        let lines = app.describe(i);
        let all = lines.join("\n");
        assert!(
            lines[0].contains("A") && lines[0].contains("receive"),
            "{all}"
        );
        assert!(
            lines[0].contains("m1") && lines[0].contains("from \u{2068}B\u{2069}"),
            "{all}"
        );
        assert!(all.contains("real time 380 ms"), "{all}");
        assert!(all.contains("pt 380 ms"), "{all}");
        assert!(all.contains("HLC (600, 1)"), "{all}");
        assert!(all.contains("l − pt = 220 ms"), "{all}");
        let event = &app.trace().events()[i];
        assert!(all.contains(&format!("Why: {}", event.explain())), "{all}");
        assert!(all.contains("l_m = 600"), "{all}");

        let j = app.trace().index_of(EventRef::Local(4)).unwrap();
        let all = app.describe(j).join("\n");
        assert!(all.contains("\u{2068}C\u{2069}: local event e4"), "{all}");
        assert!(
            all.contains("real time 760 ms") && all.contains("pt 660 ms"),
            "{all}"
        );
        assert!(all.contains("HLC (660, 0)"), "{all}");
        assert!(app.describe(999).is_empty());
    }
}

// ---------------------------------------------------------------------------
// 5. Scene sanity
// ---------------------------------------------------------------------------

mod scene_sanity {
    use super::*;

    fn check_labels(app: &App, name: &str) -> usize {
        let frame = scene::build(app);
        let labels = event_labels(app, &frame);
        let layout = app.layout();
        for (node, x, text) in &labels {
            let matching: Vec<String> = app
                .trace()
                .events()
                .iter()
                .filter(|e| e.node == *node && layout.x_of(e.real_ms as f64) == *x)
                .map(|e| e.hlc().to_string())
                .collect();
            assert_eq!(
                matching,
                vec![text.clone()],
                "{name}: label {text:?} at ({x}, node {node})"
            );
        }
        labels.len()
    }

    #[test]
    fn every_event_label_is_its_hlc() {
        let mut app = default_app();
        assert!(check_labels(&app, "default") >= 8);
        let p = dot(&app, EventRef::Send(1));
        click(&mut app, p);
        check_labels(&app, "default, B's send selected");
        // The selected event is always labelled, bold, next to its dot.
        let frame = scene::build(&app);
        let (x, y) = dot(&app, EventRef::Send(1));
        assert!(frame.iter().any(|d| matches!(d,
            Draw::Text { x: tx, y: ty, text, bold: true, .. }
                if (tx - x).abs() < 40.0 && (ty - y).abs() < 40.0 && text == "(600, 0)")));
        let mut total = 0;
        for seed in 0..5 {
            let app = fitted(random_scenario(3, 10, 10, seed), 1200.0, 500.0);
            total += check_labels(&app, &format!("seed {seed}"));
        }
        assert!(total > 40);
    }

    fn rejecting_scenario() -> Scenario {
        let mut s = Scenario::with_nodes(&["A", "B"]);
        s.nodes[1].skew_ms = 1_000;
        s.settings.max_offset_ms = Some(50);
        s.events = vec![LocalEvent::at(0, 50)];
        s.messages = vec![
            Message {
                from: 1,
                sent_at_ms: 100,
                to: 0,
                received_at_ms: 200,
                put: None,
            },
            Message {
                from: 0,
                sent_at_ms: 250,
                to: 1,
                received_at_ms: 300,
                put: None,
            },
        ];
        s
    }

    #[test]
    fn a_rejected_message_is_a_dashed_red_arrow_with_a_cross() {
        let app = fitted(rejecting_scenario(), 900.0, 420.0);
        let recv = app.trace().index_of(EventRef::Recv(0)).unwrap();
        assert!(app.trace().events()[recv].rejection.is_some());
        let ok = app.trace().index_of(EventRef::Recv(1)).unwrap();
        assert!(app.trace().events()[ok].rejection.is_none());

        let frame = scene::build(&app);
        let (from, to) = (dot(&app, EventRef::Send(0)), dot(&app, EventRef::Recv(0)));
        assert!(frame.contains(&Draw::Arrow {
            from,
            to,
            stroke: palette::BAD,
            width: 1.5,
            dashed: true
        }));
        let crosses: Vec<&Vec<(f64, f64)>> = frame
            .iter()
            .filter_map(|d| match d {
                Draw::Line {
                    points,
                    stroke,
                    dashed: false,
                    ..
                } if *stroke == palette::BAD => Some(points),
                _ => None,
            })
            .collect();
        assert_eq!(crosses.len(), 2, "two strokes make the cross");
        for points in crosses {
            let mid = (
                (points[0].0 + points[1].0) / 2.0,
                (points[0].1 + points[1].1) / 2.0,
            );
            assert!((mid.0 - to.0).abs() < 1e-9 && (mid.1 - (to.1 - 14.0)).abs() < 1e-9);
        }
        // The accepted message is a plain solid arrow.
        let (from, to) = (dot(&app, EventRef::Send(1)), dot(&app, EventRef::Recv(1)));
        assert!(frame.contains(&Draw::Arrow {
            from,
            to,
            stroke: palette::MESSAGE,
            width: 1.5,
            dashed: false
        }));
        let all = app.describe(recv).join("\n");
        assert!(all.contains("rejected"), "{all}");
        // The receive does not take the message's 1100: A stays on its own clock.
        assert_eq!(app.trace().events()[recv].hlc(), Timestamp::new(200, 0));
        assert_eq!(
            replay_by_hand(app.scenario())[&EventRef::Recv(0)],
            Timestamp::new(200, 0)
        );
    }

    fn hundred_thousand_events() -> App {
        let scenario = random_scenario(32, 40_000, 20_000, 1);
        assert_eq!(scenario.event_count(), 100_000);
        let mut app = App::new(scenario);
        app.resize(1200.0, Layout::content_height(32));
        app.fit();
        app
    }

    fn is_arrow(d: &Draw) -> bool {
        matches!(d, Draw::Arrow { .. })
    }

    #[test]
    fn a_hundred_thousand_events_zoomed_out_aggregate_the_events() {
        let mut app = hundred_thousand_events();
        let began = std::time::Instant::now();
        let frame = scene::build(&app);
        let took = began.elapsed();
        assert!(took.as_secs_f64() < 5.0, "scene took {took:?}");
        assert!(event_dots(&frame).is_empty(), "dense lines are aggregated");
        assert!(event_labels(&app, &frame).is_empty(), "no per-event labels");
        let layout = app.layout();
        let strips: Vec<(f64, f64)> = frame
            .iter()
            .filter_map(|d| match d {
                Draw::Rect { fill, w, y, h, .. } if *fill == palette::EVENT && *w == 2.0 => {
                    Some((*y, *h))
                }
                _ => None,
            })
            .collect();
        let columns = (app.viewport.width / 2.0).ceil() as usize + 1;
        assert!(strips.len() > 32 * 100, "each line has a density strip");
        assert!(strips.len() <= 32 * columns, "{} strip bars", strips.len());
        for (y, h) in strips {
            let centre = y + h / 2.0;
            assert!(
                (0..32).any(|n| (layout.lane_y(n) - centre).abs() < 1e-9),
                "a bar centred on a line"
            );
        }
        // Everything but the message arrows is bounded by the canvas, not the
        // event count.
        let not_arrows = frame.iter().filter(|d| !is_arrow(d)).count();
        assert!(not_arrows < 20_000, "{not_arrows} non-arrow commands");

        // Zoomed in, single events are dots again, with labels.
        let anchor = app.layout().x_of(100_000.0);
        app.viewport.zoom(50.0, anchor);
        let frame = scene::build(&app);
        assert!(!event_dots(&frame).is_empty());
        assert!(!event_labels(&app, &frame).is_empty());
        assert!(frame.len() < 50_000);
    }

    #[test]

    fn a_hundred_thousand_events_zoomed_out_stay_a_bounded_frame() {
        let app = hundred_thousand_events();
        let frame = scene::build(&app);
        let arrows = frame.iter().filter(|d| is_arrow(d)).count();
        assert!(
            frame.len() < 50_000,
            "{} draw commands, {arrows} of them arrows",
            frame.len()
        );
    }

    #[test]
    fn the_scene_is_deterministic_and_starts_with_the_background() {
        let app = default_app();
        let a = scene::build(&app);
        let b = scene::build(&app);
        assert_eq!(a, b);
        assert_eq!(
            a[0],
            Draw::Rect {
                x: 0.0,
                y: 0.0,
                w: 900.0,
                h: 420.0,
                fill: palette::BACKGROUND
            }
        );
        // One line per node, drawn across the plot.
        let lanes = a
            .iter()
            .filter(|d| matches!(d, Draw::Line { stroke, .. } if *stroke == palette::LANE))
            .count();
        assert_eq!(lanes, 3);
        // Node names are text, in the gutter.
        for name in ["A", "B", "C"] {
            assert!(a
                .iter()
                .any(|d| matches!(d, Draw::Text { text, x, .. } if hlcviz::bidi::strip(text) == name && *x < GUTTER)));
        }
    }

    #[test]
    fn a_snapshot_draws_both_cuts_and_a_legend() {
        let mut app = default_app();
        app.set_snapshot(Some(Timestamp::new(500, 0)));
        let frame = scene::build(&app);
        let has = |color| {
            frame
                .iter()
                .any(|d| matches!(d, Draw::Line { stroke, width, .. } if *stroke == color && *width >= 2.5))
        };
        assert!(has(palette::HLC_CUT));
        assert!(has(palette::PHYSICAL_CUT));
        let texts: Vec<&str> = frame
            .iter()
            .filter_map(|d| match d {
                Draw::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert!(
            texts.contains(&"HLC cut at (500, 0): consistent"),
            "{texts:?}"
        );
        assert!(texts
            .iter()
            .any(|t| t.starts_with("cut at clock time 500 ms: inconsistent")));
        // The message crossing the physical cut is drawn red and thicker.
        let (from, to) = (dot(&app, EventRef::Send(1)), dot(&app, EventRef::Recv(1)));
        assert!(frame.contains(&Draw::Arrow {
            from,
            to,
            stroke: palette::BAD,
            width: 2.5,
            dashed: false
        }));
    }

    #[test]
    fn names_with_markup_are_plain_text() {
        let mut s = default_scenario();
        s.nodes[0].name = "<b>x</b>".into();
        let app = fitted(s, 900.0, 420.0);
        let frame = scene::build(&app);
        assert!(frame.iter().any(
            |d| matches!(d, Draw::Text { text, .. } if hlcviz::bidi::strip(text) == "<b>x</b>")
        ));
    }

    #[test]
    fn event_position_is_where_the_dot_is() {
        let app = default_app();
        let frame = scene::build(&app);
        let dots = event_dots(&frame);
        for (event, _, _) in app.scenario().all_events() {
            let p = scene::event_position(&app, event).unwrap();
            assert!(dots.contains(&p), "{event}");
        }
        assert_eq!(scene::event_position(&app, EventRef::Local(99)), None);
    }
}

/// The replay the page draws from: every scenario event once, each node's
/// events in time order.
#[test]
fn replay_of_the_default_scenario_has_every_event_once() {
    let scenario = default_scenario();
    let trace: Trace = sim::replay(&scenario).unwrap();
    assert_eq!(trace.events().len(), scenario.event_count());
    assert_eq!(trace.node_count(), 3);
    let indices: BTreeSet<usize> = scenario
        .all_events()
        .map(|(e, _, _)| trace.index_of(e).expect("replayed"))
        .collect();
    assert_eq!(indices.len(), 11);
    for node in 0..3 {
        let times: Vec<Time> = trace
            .node_events(node)
            .iter()
            .map(|&e| trace.events()[e].real_ms)
            .collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    }
}

/// A frame built for a band of a tall canvas (64 lines, only some rows
/// painted) paints in that band exactly what the whole frame does, and
/// leaves out the far lines' clock ticks.
#[test]
fn a_band_build_paints_the_band_as_the_whole_build_does() {
    // Dots and labels on each line; and density strips (20,000 events).
    for (messages, locals) in [(1_500, 800), (8_000, 4_000)] {
        band_build_paints_the_band_as_the_whole_build_does(messages, locals);
    }
}

fn band_build_paints_the_band_as_the_whole_build_does(messages: usize, locals: usize) {
    let mut scenario = random_scenario(64, messages, locals, 5);
    for (i, node) in scenario.nodes.iter_mut().enumerate() {
        node.drift_ppm = (i as i64 % 5 - 2) * 20_000;
        if i % 7 == 0 {
            node.steps.push(hlcviz::scenario::ClockStep {
                at_ms: 500,
                by_ms: -300,
            });
        }
    }
    let height = hlcviz::layout::Layout::content_height(64)
        .max(710.0)
        .round();
    let app = fitted(scenario, 902.0, height);
    assert_eq!(scene::dense_view(&app), messages > 5_000, "density strips");
    let whole = scene::build(&app);
    let in_band = |draws: &[Draw], band| {
        draws
            .iter()
            .filter(|d| !scene::outside(d, Some(band)))
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut left_out = 0;
    for top in [-100.0, 600.0, 1_500.0, height - 810.0] {
        let band = (top, top + 910.0);
        let built = scene::build_band(&app, Some(band));
        assert!(built.len() <= whole.len());
        left_out += whole.len() - built.len();
        assert_eq!(
            in_band(&built, band),
            in_band(&whole, band),
            "band {band:?}"
        );
    }
    assert!(left_out > 0, "a band build leaves something out");
    assert_eq!(scene::build_band(&app, None), whole);
}
