//! Geometry to draw commands. Plain data, so what the page shows is tested
//! natively; `web::canvas` only replays these on a 2D context.

use crate::analysis::Cut;
use crate::app::{App, Emphasis};
use crate::input::Gesture;
use crate::layout::{format_ms, nice_step, Layout, AXIS_BAND, EVENT_RADIUS, GUTTER, RIGHT_MARGIN};
use crate::scenario::EventRef;
use crate::sim::{EventKind, Trace};

/// A CSS colour.
pub type Color = &'static str;

/// Palette.
pub mod palette {
    use super::Color;
    /// Page background.
    pub const BACKGROUND: Color = "#ffffff";
    /// Axis band background.
    pub const AXIS_BAND: Color = "#f3f4f6";
    /// Axis text and ticks.
    pub const AXIS: Color = "#4b5563";
    /// Faint vertical grid.
    pub const GRID: Color = "#eef0f3";
    /// Node lines.
    pub const LANE: Color = "#374151";
    /// Node clock ticks and readings.
    pub const CLOCK: Color = "#8b5cf6";
    /// Event dots.
    pub const EVENT: Color = "#2563eb";
    /// Messages.
    pub const MESSAGE: Color = "#64748b";
    /// Labels.
    pub const LABEL: Color = "#111827";
    /// The selected event.
    pub const SELECTED: Color = "#dc2626";
    /// Causal past.
    pub const PAST: Color = "#059669";
    /// Causal future.
    pub const FUTURE: Color = "#d97706";
    /// Concurrent (dimmed).
    pub const DIMMED: Color = "#cbd5e1";
    /// Rejected messages and inconsistent cuts.
    pub const BAD: Color = "#dc2626";
    /// The HLC cut.
    pub const HLC_CUT: Color = "#16a34a";
    /// The physical-time cut.
    pub const PHYSICAL_CUT: Color = "#ea580c";
    /// Playback cursor.
    pub const CURSOR: Color = "#db2777";
    /// Rubber band.
    pub const RUBBER: Color = "#2563eb";
}

/// Horizontal text alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text starts at x.
    Left,
    /// Text is centred on x.
    Center,
    /// Text ends at x.
    Right,
}

/// One drawing operation, in CSS pixels.
#[derive(Debug, Clone, PartialEq)]
pub enum Draw {
    /// A filled rectangle.
    Rect {
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
        /// Fill.
        fill: Color,
    },
    /// A polyline.
    Line {
        /// Points.
        points: Vec<(f64, f64)>,
        /// Colour.
        stroke: Color,
        /// Width.
        width: f64,
        /// Dashed.
        dashed: bool,
    },
    /// A line with an arrow head at its end.
    Arrow {
        /// Tail.
        from: (f64, f64),
        /// Head.
        to: (f64, f64),
        /// Colour.
        stroke: Color,
        /// Width.
        width: f64,
        /// Dashed.
        dashed: bool,
    },
    /// A circle.
    Circle {
        /// Centre.
        x: f64,
        /// Centre.
        y: f64,
        /// Radius.
        r: f64,
        /// Fill, if any.
        fill: Option<Color>,
        /// Outline colour and width, if any.
        stroke: Option<(Color, f64)>,
    },
    /// Text (always drawn as text, never markup).
    Text {
        /// Anchor.
        x: f64,
        /// Baseline.
        y: f64,
        /// The string.
        text: String,
        /// Colour.
        color: Color,
        /// Font size, px.
        size: f64,
        /// Bold.
        bold: bool,
        /// Alignment.
        align: Align,
    },
}

/// Average advance of a label character at 12 px, for spacing labels.
const CHAR_WIDTH: f64 = 7.0;
/// Above this many events on one line in view, dots are aggregated into a
/// density strip.
const DENSE_PER_PX: f64 = 0.34;
/// Most message arrows drawn in one frame (and never more than one per pixel
/// column of the plot); past it an even sample is drawn and the frame says so.
pub const MAX_ARROWS: usize = 3_000;
/// Past this many arrows they are drawn as hairlines: under 1 px a software
/// rasteriser takes its fast path (measured: 473 arrows in 31.5 ms at 1.5 px,
/// 4.7 ms at 0.99 px).
const HAIRLINE_ARROWS: usize = 200;

/// Builds the whole frame.
pub fn build(app: &App) -> Vec<Draw> {
    let layout = app.layout();
    let trace = app.trace();
    let vp = layout.viewport;
    let mut out = Vec::with_capacity(256);
    out.push(Draw::Rect {
        x: 0.0,
        y: 0.0,
        w: vp.width,
        h: vp.height,
        fill: palette::BACKGROUND,
    });
    let step = axis(&mut out, &layout);
    clock_ticks(&mut out, app, &layout, step);
    lane_lines(&mut out, app, &layout);
    let cuts = app.cuts();
    let visible_until = app.playback().map(|p| p.cursor_ms);
    messages(&mut out, app, &layout, cuts.as_ref(), visible_until);
    events(&mut out, app, &layout, visible_until);
    if let (Some(_), Some((hlc_cut, _))) = (app.snapshot(), cuts.as_ref()) {
        draw_cut(&mut out, trace, &layout, hlc_cut, palette::HLC_CUT, false);
        physical_cut_line(&mut out, app, &layout);
    }
    // The names sit on top: nothing of the plot shows through the gutter.
    gutter(&mut out, app, &layout);
    if let (Some(snapshot), Some((hlc_cut, physical_cut))) = (app.snapshot(), cuts.as_ref()) {
        let verdict = if hlc_cut.is_consistent() {
            "consistent"
        } else {
            "INCONSISTENT"
        };
        let physical = if physical_cut.is_consistent() {
            "consistent".to_string()
        } else {
            format!(
                "inconsistent: {} message(s) cross it backwards",
                physical_cut.crossing.len()
            )
        };
        legend(
            &mut out,
            &layout,
            &[
                (
                    palette::HLC_CUT,
                    format!("HLC cut at {}: {verdict}", snapshot.theta),
                ),
                (
                    palette::PHYSICAL_CUT,
                    format!("cut at clock time {} ms: {physical}", snapshot.theta.l),
                ),
            ],
        );
    }
    if let Some(p) = app.playback() {
        let x = layout.x_of(p.cursor_ms);
        out.push(Draw::Line {
            points: vec![(x, AXIS_BAND), (x, vp.height)],
            stroke: palette::CURSOR,
            width: 2.0,
            dashed: false,
        });
        out.push(Draw::Text {
            x: x + 4.0,
            y: AXIS_BAND + 12.0,
            text: format!("real {}", format_ms(p.cursor_ms.round())),
            color: palette::CURSOR,
            size: 11.0,
            bold: true,
            align: Align::Left,
        });
    }
    if let Gesture::RubberBand {
        from_node,
        sent_at_ms,
        x,
        y,
    } = app.gesture()
    {
        out.push(Draw::Arrow {
            from: (layout.x_of(sent_at_ms as f64), layout.lane_y(from_node)),
            to: (x, y),
            stroke: palette::RUBBER,
            width: 2.0,
            dashed: true,
        });
    }
    out
}

fn axis(out: &mut Vec<Draw>, layout: &Layout) -> f64 {
    let vp = layout.viewport;
    out.push(Draw::Rect {
        x: 0.0,
        y: 0.0,
        w: vp.width,
        h: AXIS_BAND,
        fill: palette::AXIS_BAND,
    });
    let step = nice_step(90.0 * vp.ms_per_px);
    let first = (vp.start_ms / step).ceil() * step;
    let mut t = first;
    let mut guard = 0;
    while t <= vp.end_ms() && guard < 400 {
        let x = layout.x_of(t);
        out.push(Draw::Line {
            points: vec![(x, AXIS_BAND), (x, vp.height)],
            stroke: palette::GRID,
            width: 1.0,
            dashed: false,
        });
        out.push(Draw::Line {
            points: vec![(x, AXIS_BAND - 6.0), (x, AXIS_BAND)],
            stroke: palette::AXIS,
            width: 1.0,
            dashed: false,
        });
        out.push(Draw::Text {
            x,
            y: AXIS_BAND - 10.0,
            text: format_ms(t),
            color: palette::AXIS,
            size: 11.0,
            bold: false,
            align: Align::Center,
        });
        t += step;
        guard += 1;
    }
    out.push(Draw::Text {
        x: 8.0,
        y: AXIS_BAND - 10.0,
        text: "real time".into(),
        color: palette::AXIS,
        size: 11.0,
        bold: true,
        align: Align::Left,
    });
    step
}

/// Each node's own clock, drawn as ticks where its reading crosses a multiple of
/// the axis step: a skewed clock's ticks sit off the axis grid, a drifting one's
/// spacing changes, a stepped one jumps.
fn clock_ticks(out: &mut Vec<Draw>, app: &App, layout: &Layout, step: f64) {
    let vp = layout.viewport;
    let x0 = GUTTER.floor() as i64;
    let x1 = (vp.width - RIGHT_MARGIN).ceil() as i64;
    for (n, node) in app.scenario().nodes.iter().enumerate() {
        let y = layout.lane_y(n);
        let reading = |x: i64| node.physical_time(layout.time_at(x as f64).round() as i64) as f64;
        let mut previous = (reading(x0) / step).floor();
        let mut last_label = f64::NEG_INFINITY;
        for x in (x0 + 1)..=x1 {
            let pt = reading(x);
            let bucket = (pt / step).floor();
            if bucket != previous {
                let jump = (bucket - previous).abs() > 1.0;
                previous = bucket;
                let xf = x as f64;
                out.push(Draw::Line {
                    points: vec![(xf, y), (xf, y + if jump { 12.0 } else { 6.0 })],
                    stroke: palette::CLOCK,
                    width: if jump { 2.0 } else { 1.0 },
                    dashed: false,
                });
                if xf - last_label > 70.0 {
                    last_label = xf;
                    out.push(Draw::Text {
                        x: xf,
                        y: y + 17.0,
                        text: format_ms(bucket * step),
                        color: palette::CLOCK,
                        size: 9.5,
                        bold: false,
                        align: Align::Center,
                    });
                }
            }
        }
    }
}

fn lane_lines(out: &mut Vec<Draw>, app: &App, layout: &Layout) {
    let vp = layout.viewport;
    for (n, node) in app.scenario().nodes.iter().enumerate() {
        let y = layout.lane_y(n);
        out.push(Draw::Line {
            points: vec![(GUTTER, y), (vp.width - RIGHT_MARGIN, y)],
            stroke: palette::LANE,
            width: 1.5,
            dashed: false,
        });
        // Clock steps: a zigzag across the line and what the clock did.
        for step in &node.steps {
            let x = layout.x_of(step.at_ms as f64);
            if x < GUTTER || x > vp.width - RIGHT_MARGIN {
                continue;
            }
            out.push(Draw::Line {
                points: vec![
                    (x, y - 12.0),
                    (x - 4.0, y - 6.0),
                    (x + 4.0, y + 6.0),
                    (x, y + 12.0),
                ],
                stroke: palette::CLOCK,
                width: 2.0,
                dashed: false,
            });
            out.push(Draw::Text {
                x: x + 6.0,
                y: y + 30.0,
                text: format!("clock step {:+} ms", step.by_ms),
                color: palette::CLOCK,
                size: 10.5,
                bold: true,
                align: Align::Left,
            });
        }
    }
}

/// The left column: a plain background with each node's name and clock.
fn gutter(out: &mut Vec<Draw>, app: &App, layout: &Layout) {
    let vp = layout.viewport;
    out.push(Draw::Rect {
        x: 0.0,
        y: AXIS_BAND,
        w: GUTTER,
        h: (vp.height - AXIS_BAND).max(0.0),
        fill: palette::BACKGROUND,
    });
    for (n, node) in app.scenario().nodes.iter().enumerate() {
        let y = layout.lane_y(n);
        out.push(Draw::Text {
            x: 8.0,
            y: y - 2.0,
            text: crate::bidi::isolate(&truncate(&node.name, 13)),
            color: palette::LABEL,
            size: 13.0,
            bold: true,
            align: Align::Left,
        });
        let sign = if node.skew_ms < 0 { "" } else { "+" };
        let mut lines = vec![format!("clock {sign}{}", format_ms(node.skew_ms as f64))];
        if node.drift_ppm != 0 {
            lines.push(format!("drift {:+} ppm", node.drift_ppm));
        }
        for (k, line) in lines.into_iter().enumerate() {
            out.push(Draw::Text {
                x: 8.0,
                y: y + 13.0 + 12.0 * k as f64,
                text: truncate(&line, 18),
                color: palette::CLOCK,
                size: 10.5,
                bold: false,
                align: Align::Left,
            });
        }
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

fn event_color(app: &App, index: usize) -> Color {
    match app.emphasis(index) {
        Emphasis::Normal => palette::EVENT,
        Emphasis::Selected => palette::SELECTED,
        Emphasis::Past => palette::PAST,
        Emphasis::Future => palette::FUTURE,
        Emphasis::Concurrent => palette::DIMMED,
    }
}

fn messages(
    out: &mut Vec<Draw>,
    app: &App,
    layout: &Layout,
    cuts: Option<&(Cut, Cut)>,
    until: Option<f64>,
) {
    let trace = app.trace();
    let vp = layout.viewport;
    let crossing: &[usize] = cuts.map_or(&[], |(_, physical)| physical.crossing.as_slice());
    let visible: Vec<(usize, usize)> = trace
        .events()
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind() == EventKind::Recv)
        .filter_map(|(index, e)| {
            let send = e.partner?;
            let t0 = trace.event(send)?.real_ms as f64;
            let t1 = e.real_ms as f64;
            let shown = t1 >= vp.start_ms && t0 <= vp.end_ms() && until.is_none_or(|u| t0 <= u);
            shown.then_some((index, send))
        })
        .collect();
    let cap = MAX_ARROWS.min(vp.plot_width().max(100.0) as usize);
    let every = visible.len().div_ceil(cap).max(1);
    let hairline = visible.len() / every > HAIRLINE_ARROWS;
    if every > 1 {
        out.push(Draw::Text {
            x: GUTTER + 6.0,
            y: vp.height - 10.0,
            text: format!(
                "{} messages in view: drawing 1 in {every}; zoom in to see them all",
                visible.len()
            ),
            color: palette::AXIS,
            size: 11.0,
            bold: false,
            align: Align::Left,
        });
    }
    for (index, send) in visible.into_iter().step_by(every) {
        let e = &trace.events()[index];
        let send = &trace.events()[send];
        let (t0, t1) = (send.real_ms as f64, e.real_ms as f64);
        let from = (layout.x_of(t0), layout.lane_y(send.node));
        let mut to = (layout.x_of(t1), layout.lane_y(e.node));
        let in_flight = until.is_some_and(|u| t1 > u);
        if let (true, Some(u)) = (in_flight, until) {
            let f = ((u - t0) / (t1 - t0)).clamp(0.0, 1.0);
            to = (from.0 + (to.0 - from.0) * f, from.1 + (to.1 - from.1) * f);
        }
        let rejected = e.rejection.is_some();
        let crosses = crossing.contains(&index);
        // Received at a smaller physical time than it was sent: ordering by
        // wall clock would put the effect before its cause.
        let clock_goes_back = e.pt() < send.pt();
        let stroke = if rejected || crosses {
            palette::BAD
        } else {
            match app.emphasis(index) {
                Emphasis::Concurrent => palette::DIMMED,
                Emphasis::Normal if clock_goes_back => palette::CLOCK,
                Emphasis::Normal => palette::MESSAGE,
                _ => event_color(app, index),
            }
        };
        if clock_goes_back && !in_flight && every == 1 {
            out.push(Draw::Text {
                x: (from.0 + to.0) / 2.0 + 6.0,
                y: (from.1 + to.1) / 2.0,
                text: format!("pt back {} ms", send.pt() - e.pt()),
                color: palette::CLOCK,
                size: 10.5,
                bold: false,
                align: Align::Left,
            });
        }
        out.push(Draw::Arrow {
            from,
            to,
            stroke,
            width: if crosses {
                2.5
            } else if hairline {
                0.99
            } else {
                1.5
            },
            dashed: rejected || in_flight,
        });
        if rejected && !in_flight {
            let (x, y) = to;
            for (dx, dy) in [(1.0, 1.0), (1.0, -1.0)] {
                out.push(Draw::Line {
                    points: vec![
                        (x - 7.0 * dx, y - 7.0 * dy - 14.0),
                        (x + 7.0 * dx, y + 7.0 * dy - 14.0),
                    ],
                    stroke: palette::BAD,
                    width: 2.5,
                    dashed: false,
                });
            }
        }
    }
}

fn events(out: &mut Vec<Draw>, app: &App, layout: &Layout, until: Option<f64>) {
    let trace = app.trace();
    let vp = layout.viewport;
    let pad = 40.0 * vp.ms_per_px;
    let end = until.map_or(vp.end_ms(), |u| u.min(vp.end_ms()));
    for node in 0..trace.node_count() {
        let y = layout.lane_y(node);
        let visible = layout.visible_on_node(trace, node, vp.start_ms - pad, end + pad);
        let visible: Vec<usize> = visible
            .iter()
            .copied()
            .filter(|&e| until.is_none_or(|u| trace.events()[e].real_ms as f64 <= u))
            .collect();
        if visible.len() as f64 > vp.plot_width() * DENSE_PER_PX {
            density_strip(out, trace, layout, &visible, y);
            continue;
        }
        let mut label_right_edge = f64::NEG_INFINITY;
        for &index in &visible {
            let e = &trace.events()[index];
            let x = layout.x_of(e.real_ms as f64);
            if x < GUTTER {
                continue; // under the gutter, which hides it (and hit testing agrees)
            }
            let color = event_color(app, index);
            let (fill, stroke) = match e.kind() {
                EventKind::Local => (Some(color), None),
                EventKind::Send => (Some(palette::BACKGROUND), Some((color, 2.5))),
                EventKind::Recv => (Some(color), Some((palette::BACKGROUND, 1.5))),
            };
            out.push(Draw::Circle {
                x,
                y,
                r: EVENT_RADIUS,
                fill,
                stroke,
            });
            let emphasised = app.hover() == Some(index) || app.selected_index() == Some(index);
            if emphasised {
                out.push(Draw::Circle {
                    x,
                    y,
                    r: EVENT_RADIUS + 4.0,
                    fill: None,
                    stroke: Some((palette::SELECTED, 2.0)),
                });
            }
            let label = app.clock_view().label(trace, index);
            let half = label.chars().count() as f64 * CHAR_WIDTH / 2.0;
            // Kept inside the plot so no label is cut at the right edge.
            let label_x = x.min(vp.width - RIGHT_MARGIN - half).max(GUTTER + half);
            if label_x - half > label_right_edge + 4.0 || emphasised {
                label_right_edge = label_x + half;
                let label_y = y - EVENT_RADIUS - 6.0;
                if emphasised {
                    // Drawn over its neighbours' labels: give it a backing.
                    out.push(Draw::Rect {
                        x: label_x - half - 3.0,
                        y: label_y - 12.0,
                        w: 2.0 * half + 6.0,
                        h: 16.0,
                        fill: palette::BACKGROUND,
                    });
                }
                out.push(Draw::Text {
                    x: label_x,
                    y: label_y,
                    text: label,
                    color: if app.emphasis(index) == Emphasis::Concurrent {
                        palette::DIMMED
                    } else {
                        palette::LABEL
                    },
                    size: 12.0,
                    bold: emphasised,
                    align: Align::Center,
                });
            }
        }
    }
}

/// Too many events to tell apart: one bar per 2 px column, as tall as the
/// column is busy.
fn density_strip(out: &mut Vec<Draw>, trace: &Trace, layout: &Layout, visible: &[usize], y: f64) {
    let mut columns: Vec<(i64, usize)> = Vec::new();
    for &e in visible {
        let col = (layout.x_of(trace.events()[e].real_ms as f64) / 2.0).floor() as i64;
        match columns.last_mut() {
            Some((c, count)) if *c == col => *count += 1,
            _ => columns.push((col, 1)),
        }
    }
    let busiest = columns.iter().map(|c| c.1).max().unwrap_or(1) as f64;
    for (col, count) in columns {
        let h = 4.0 + 10.0 * (count as f64 / busiest);
        out.push(Draw::Rect {
            x: col as f64 * 2.0,
            y: y - h,
            w: 2.0,
            h: 2.0 * h,
            fill: palette::EVENT,
        });
    }
}

/// The cut's boundary: on each line, halfway between its last event inside and
/// the first one outside, joined across lines.
fn draw_cut(
    out: &mut Vec<Draw>,
    trace: &Trace,
    layout: &Layout,
    cut: &Cut,
    color: Color,
    dashed: bool,
) {
    let half_gap = layout.lane_gap / 2.0;
    let mut points = Vec::new();
    for (node, last_in) in cut.frontier.iter().enumerate() {
        let on_node = trace.node_events(node);
        let position = last_in.and_then(|l| on_node.iter().position(|&e| e == l));
        let t_in = position.map(|p| trace.events()[on_node[p]].real_ms as f64);
        let next = match position {
            Some(p) => on_node.get(p + 1),
            None => on_node.first(),
        };
        let t_out = next.map(|&e| trace.events()[e].real_ms as f64);
        let t = match (t_in, t_out) {
            (Some(a), Some(b)) => (a + b) / 2.0,
            (Some(a), None) => a + 12.0 * layout.viewport.ms_per_px,
            (None, Some(b)) => b - 12.0 * layout.viewport.ms_per_px,
            (None, None) => layout.viewport.start_ms,
        };
        let x = layout.x_of(t);
        let y = layout.lane_y(node);
        points.push((x, y - half_gap));
        points.push((x, y + half_gap));
    }
    out.push(Draw::Line {
        points,
        stroke: color,
        width: 3.0,
        dashed,
    });
}

/// The physical cut: where each node's own clock reads `theta.l`.
fn physical_cut_line(out: &mut Vec<Draw>, app: &App, layout: &Layout) {
    let Some(snapshot) = app.snapshot() else {
        return;
    };
    let t = snapshot.theta.l;
    let half_gap = layout.lane_gap / 2.0;
    let mut points = Vec::new();
    for (n, node) in app.scenario().nodes.iter().enumerate() {
        let real = real_time_when_clock_reads(node, t);
        let x = layout.x_of(real);
        let y = layout.lane_y(n);
        points.push((x, y - half_gap));
        points.push((x, y + half_gap));
    }
    out.push(Draw::Line {
        points,
        stroke: palette::PHYSICAL_CUT,
        width: 2.5,
        dashed: true,
    });
}

/// The first real time at which a node's clock reads at least `reading` (binary
/// search over a clock that is monotone apart from steps).
pub fn real_time_when_clock_reads(node: &crate::scenario::Node, reading: i64) -> f64 {
    let (mut lo, mut hi) = (
        -(crate::scenario::MAX_SKEW_MS * 4),
        crate::scenario::MAX_TIME_MS * 2,
    );
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if node.physical_time(mid) >= reading {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo as f64
}

fn legend(out: &mut Vec<Draw>, layout: &Layout, rows: &[(Color, String)]) {
    let vp = layout.viewport;
    let widest = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0) as f64 * 6.4 + 34.0;
    let x = (vp.width - RIGHT_MARGIN - widest).max(GUTTER);
    let y = vp.height - 8.0 - rows.len() as f64 * 17.0;
    out.push(Draw::Rect {
        x: x - 6.0,
        y: y - 4.0,
        w: widest + 6.0,
        h: rows.len() as f64 * 17.0 + 6.0,
        fill: "rgba(255,255,255,0.92)",
    });
    for (i, (color, text)) in rows.iter().enumerate() {
        let ry = y + 13.0 + i as f64 * 17.0;
        out.push(Draw::Line {
            points: vec![(x, ry - 4.0), (x + 20.0, ry - 4.0)],
            stroke: color,
            width: 3.0,
            dashed: *color == palette::PHYSICAL_CUT,
        });
        out.push(Draw::Text {
            x: x + 26.0,
            y: ry,
            text: text.clone(),
            color: palette::LABEL,
            size: 11.5,
            bold: false,
            align: Align::Left,
        });
    }
}

/// How far an arrow stops short of the dots at both ends, so its head shows.
const ARROW_INSET: f64 = 7.0;
/// How far the shaft stops behind the tip, under the head.
const SHAFT_BEHIND_TIP: f64 = 6.0;
/// Length of the head for a zero-width line; wider lines get longer heads.
const HEAD_BASE: f64 = 9.0;
/// Half the head's width as a fraction of its length.
const HEAD_HALF_WIDTH: f64 = 0.45;

/// An arrow as painters draw it: a shaft and a triangular head.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArrowShape {
    /// Start and end of the (possibly dashed) shaft.
    pub shaft: ((f64, f64), (f64, f64)),
    /// The head: tip, then the two back corners.
    pub head: [(f64, f64); 3],
}

/// The geometry of [`Draw::Arrow`], shared by every painter (canvas, SVG) so
/// they draw the same picture; `None` for an arrow shorter than a pixel or
/// with coordinates that are not finite.
pub fn arrow_shape(from: (f64, f64), to: (f64, f64), width: f64) -> Option<ArrowShape> {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let length = dx.hypot(dy);
    if !(length >= 1.0 && length.is_finite() && width.is_finite()) {
        return None;
    }
    let (ux, uy) = (dx / length, dy / length);
    let tip = (to.0 - ux * ARROW_INSET, to.1 - uy * ARROW_INSET);
    let start = (from.0 + ux * ARROW_INSET, from.1 + uy * ARROW_INSET);
    let end = (tip.0 - ux * SHAFT_BEHIND_TIP, tip.1 - uy * SHAFT_BEHIND_TIP);
    let head = HEAD_BASE + width;
    let half = head * HEAD_HALF_WIDTH;
    let left = (tip.0 - ux * head - uy * half, tip.1 - uy * head + ux * half);
    let right = (tip.0 - ux * head + uy * half, tip.1 - uy * head - ux * half);
    Some(ArrowShape {
        shaft: (start, end),
        head: [tip, left, right],
    })
}

/// Where an event of the scenario is drawn (for tests and the JS API).
pub fn event_position(app: &App, event: EventRef) -> Option<(f64, f64)> {
    let index = app.trace().index_of(event)?;
    app.layout().event_point(app.trace(), index)
}
