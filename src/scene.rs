//! Geometry to draw commands. Plain data, so what the page shows is tested
//! natively; `web::canvas` only replays these on a 2D context.

use crate::analysis::Cut;
use crate::app::{App, Emphasis};
use crate::input::Gesture;
use crate::labels::{self, Anchor, Board, Rect};
use crate::layout::{
    format_ms, nice_step, Layout, AXIS_BAND, AXIS_TICK_SPACING_PX, EVENT_RADIUS, GUTTER,
    PRESENTATION_EVENT_RADIUS, RIGHT_MARGIN,
};
use crate::layout::{AxisUnit, Hit};
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
    /// Node clock ticks, steps and messages received at a smaller pt (marks:
    /// 4.2:1 on white).
    pub const CLOCK: Color = "#8b5cf6";
    /// Clock readings and clock notes as text (7.1:1 on white, 6.5:1 on the
    /// axis band): [`CLOCK`] is too light to read small.
    pub const CLOCK_TEXT: Color = "#6d28d9";
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
    /// Concurrent (dimmed) dots and arrows: lighter than the rest, yet 3.4:1
    /// on white, since being concurrent is what they say.
    pub const DIMMED: Color = "#7d8da3";
    /// Labels of concurrent events: 4.8:1 on white, lighter than [`LABEL`].
    pub const DIMMED_TEXT: Color = "#64748b";
    /// Rejected messages and inconsistent cuts.
    pub const BAD: Color = "#dc2626";
    /// The HLC cut.
    pub const HLC_CUT: Color = "#16a34a";
    /// Text about the HLC cut (4.5:1 on white; the line itself is brighter).
    pub const HLC_CUT_TEXT: Color = "#15803d";
    /// The glow under a node line the pointer is on.
    pub const LANE_HOVER: Color = "rgba(37, 99, 235, 0.22)";
    /// The physical-time cut.
    pub const PHYSICAL_CUT: Color = "#ea580c";
    /// Playback cursor, line and label (6.0:1 on white).
    pub const CURSOR: Color = "#be185d";
    /// Rubber band.
    pub const RUBBER: Color = "#2563eb";
    /// The highlighter under what a tour step talks about, or an exercise's
    /// question: a marker pen's yellow, unlike any colour that means a clock
    /// or a causal relation.
    pub const LESSON: Color = "rgba(250, 204, 21, 0.6)";
    /// The edge of that highlight, so it reads on a projector too.
    pub const LESSON_EDGE: Color = "#ca8a04";
    /// A read's uncertainty interval: a band on the reader's line.
    pub const UNCERTAIN: Color = "rgba(234, 88, 12, 0.2)";
    /// A restarted read's retry and its words (5.2:1 on white).
    pub const RETRY: Color = "#c2410c";
    /// A write's commit-wait, from the write to its acknowledgement (5.4:1).
    pub const WAIT: Color = "#0e7490";
    /// A stopped node's line from the moment it stopped.
    pub const STOPPED: Color = "rgba(107, 114, 128, 0.35)";
    /// What a search found, or a followed message's chain (5.0:1 on white).
    pub const FOUND: Color = "#c026d3";
    /// The overview strip's window onto the trace.
    pub const WINDOW: Color = "rgba(37, 99, 235, 0.16)";
    /// A run of local events drawn as one mark.
    pub const RUN: Color = "#dbeafe";
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
/// Most "pt back" badges drawn on their arrows; past it one note speaks for
/// all of them, since twenty badges read as a band of noise, not as twenty facts.
const MAX_PT_BACK_BADGES: usize = 4;
/// Room kept around a plain label, px: boxes that merely touch read as one.
const LABEL_PAD: f64 = 1.5;
/// Room around a label drawn on a white backing (the hovered one, badges).
const BACKED_PAD: f64 = 3.0;

/// The sizes a frame is drawn with. The normal view suits a screen at arm's
/// length; presentation mode is for a lecture projector: larger text, thicker
/// lines, bigger dots. Every size the scene uses comes from one of these.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Event labels and the cut legend, px.
    pub label: f64,
    /// Axis ticks, clock readings, clock steps, badges, notes and the
    /// gutter's clock lines, px.
    pub small: f64,
    /// Node names, px.
    pub name: f64,
    /// Radius of an event dot.
    pub dot: f64,
    /// Outline of a send's hollow dot.
    pub ring: f64,
    /// Width of a node's line.
    pub lane: f64,
    /// Width of a message arrow.
    pub arrow: f64,
    /// Width of a message that crosses the physical cut.
    pub crossing: f64,
    /// Room above a dot for the tick that says its label is hidden.
    pub tick: f64,
}

impl Style {
    /// The everyday view.
    pub const NORMAL: Style = Style {
        label: 12.0,
        small: 12.0,
        name: 13.0,
        dot: EVENT_RADIUS,
        ring: 2.5,
        lane: 1.5,
        arrow: 1.5,
        crossing: 2.5,
        tick: 5.0,
    };
    /// Presentation mode (`App::presentation`).
    pub const PRESENTATION: Style = Style {
        label: 20.0,
        small: 16.0,
        name: 20.0,
        dot: PRESENTATION_EVENT_RADIUS,
        ring: 3.0,
        lane: 3.0,
        arrow: 2.75,
        crossing: 4.0,
        tick: 7.0,
    };

    /// The style `app` is drawn with.
    pub fn of(app: &App) -> Style {
        if app.presentation() {
            Style::PRESENTATION
        } else {
            Style::NORMAL
        }
    }

    /// How far a dot's paint reaches from its centre, outline included (hit
    /// testing's pick radius must cover it).
    pub fn dot_reach(&self) -> f64 {
        self.dot + self.ring / 2.0
    }
}

/// What the placement pass did with a frame's labels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelReport {
    /// `(trace index, index of its Draw::Text in the frame)` of every event
    /// label drawn.
    pub event_labels: Vec<(usize, usize)>,
    /// Trace indices of the events whose label found no free place: their
    /// dots carry a tick and a note says how many.
    pub hidden: Vec<usize>,
    /// Messages received at a smaller pt that one note speaks for instead of a
    /// badge each.
    pub pt_back_in_note: usize,
}

/// A straight line from a point to another.
type Segment = ((f64, f64), (f64, f64));

/// An event label waiting for the placement pass.
struct EventLabel {
    index: usize,
    at: (f64, f64),
    /// Room the dot's marks take above and below its centre.
    reach: (f64, f64),
    text: String,
    color: Color,
    /// Bold on a card: hovered, selected, or marked by a lesson.
    emphasised: bool,
    /// Always labelled, even over other labels: hovered or selected.
    forced: bool,
    /// The dot's colour, for the hidden-label tick.
    mark: Color,
}

impl EventLabel {
    /// The label to place, at `size` px: bold on a card when emphasised.
    fn text(&self, size: f64) -> Text {
        Text {
            text: self.text.clone(),
            color: self.color,
            size,
            bold: self.emphasised,
            backed: self.emphasised,
        }
    }
}

/// Every label of a frame, gathered while the marks are drawn and placed
/// after all of them, so no label can cover a mark drawn later.
#[derive(Default)]
struct Pending {
    events: Vec<EventLabel>,
    /// Clock steps: the zigzag's centre and the text.
    steps: Vec<((f64, f64), String)>,
    /// Clock readings: centre x, top y, text.
    readings: Vec<(f64, f64, String)>,
    /// Messages received at a smaller pt: arrow tail, head, how far back.
    pt_back: Vec<(Segment, i64)>,
    /// Arrows in view and the sampling step, when only a sample is drawn.
    sampled: Option<(usize, usize)>,
    /// Nodes hidden.
    hidden: usize,
    legend: Vec<(Color, String)>,
    /// A marker on the time axis (the playback cursor, or the snapshot a
    /// click would take): its x, its text and the text's colour.
    cursor: Option<(f64, String, Color)>,
    /// Words on the database lens's marks (a retry, an acknowledgement, a
    /// stale read): the point they belong to, the text, its colour.
    database: Vec<((f64, f64), String, Color)>,
}

/// One frame under construction.
struct Frame<'a> {
    app: &'a App,
    layout: Layout,
    style: Style,
    out: Vec<Draw>,
    board: Board,
    pending: Pending,
    /// The rows that will be painted, when not all of them.
    band: Option<Band>,
}

impl Frame<'_> {
    /// Draws fixed text and keeps labels off it.
    fn fixed_text(&mut self, text: Draw) {
        if let Draw::Text {
            x,
            y,
            ref text,
            size,
            bold,
            align,
            ..
        } = text
        {
            self.board
                .block(labels::text_box(x, y, text, size, bold, anchor(align)));
        }
        self.out.push(text);
    }

    /// Keeps labels off the polyline drawn last (a cut: a label on it
    /// would hide where it runs).
    fn block_last_line(&mut self) {
        if let Some(Draw::Line { points, width, .. }) = self.out.last() {
            for pair in points.windows(2) {
                if let Some(segment) = Rect::bounding(pair) {
                    self.board.block(segment.pad(width / 2.0 + 1.0));
                }
            }
        }
    }

    /// Draws an arrow and keeps labels off its head.
    fn arrow(&mut self, arrow: Draw) {
        if let Draw::Arrow {
            from, to, width, ..
        } = arrow
        {
            if let Some(head) = arrow_shape(from, to, width).and_then(|s| Rect::bounding(&s.head)) {
                self.board.block(head);
            }
        }
        self.out.push(arrow);
    }
}

fn anchor(align: Align) -> Anchor {
    match align {
        Align::Left => Anchor::Left,
        Align::Center => Anchor::Center,
        Align::Right => Anchor::Right,
    }
}

/// Builds the whole frame.
pub fn build(app: &App) -> Vec<Draw> {
    build_with_labels(app).0
}

/// [`build`] for a canvas of which only the rows `band` (CSS px) will be
/// painted: the clock ticks and readings of lines far outside it are left
/// out. What lies in the band is the same as in [`build`] (a line's readings
/// take room only next to it).
pub fn build_band(app: &App, band: Option<Band>) -> Vec<Draw> {
    build_frame(app, app.layout(), band).0
}

/// Rows of the canvas, `top..bottom` in CSS px.
pub type Band = (f64, f64);

/// How far above and below a shape's anchor it may reach, CSS px: an arrow
/// head, a label's ascent.
const REACH_PX: f64 = 24.0;

/// The rows a command may touch, conservatively.
pub fn rows_of(command: &Draw) -> Band {
    match command {
        Draw::Rect { y, h, .. } => (y.min(y + h), y.max(y + h)),
        Draw::Line { points, width, .. } => {
            let (top, bottom) = points
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(t, b), &(_, y)| {
                    (t.min(y), b.max(y))
                });
            (top - width, bottom + width)
        }
        Draw::Arrow {
            from, to, width, ..
        } => (
            from.1.min(to.1) - REACH_PX - width,
            from.1.max(to.1) + REACH_PX + width,
        ),
        Draw::Circle { y, r, stroke, .. } => {
            let edge = r + stroke.map_or(0.0, |(_, w)| w);
            (y - edge, y + edge)
        }
        Draw::Text { y, size, .. } => (y - size - REACH_PX, y + size),
    }
}

/// Whether a command lies wholly outside the band painted.
pub fn outside(command: &Draw, band: Option<Band>) -> bool {
    band.is_some_and(|(top, bottom)| {
        let (from, to) = rows_of(command);
        to < top || from > bottom
    })
}

/// The right edge of the first-use hints card, CSS px from the canvas's left.
const HINTS_CARD_RIGHT_PX: f64 = 480.0;

/// Builds the whole frame and says where each event label went.
pub fn build_with_labels(app: &App) -> (Vec<Draw>, LabelReport) {
    build_frame(app, app.layout(), None)
}

/// The whole canvas as if its stage were not scrolled (the axis at the top
/// only): what an exported image shows.
pub fn build_whole(app: &App) -> Vec<Draw> {
    let mut layout = app.layout();
    layout.head = (0.0, 0.0);
    build_frame(app, layout, None).0
}

fn build_frame(app: &App, layout: Layout, band: Option<Band>) -> (Vec<Draw>, LabelReport) {
    let vp = layout.viewport;
    let mut f = Frame {
        app,
        layout,
        style: Style::of(app),
        out: Vec::with_capacity(256),
        board: Board::new(vp.width, vp.height),
        pending: Pending::default(),
        band,
    };
    f.out.push(Draw::Rect {
        x: 0.0,
        y: 0.0,
        w: vp.width,
        h: vp.height,
        fill: palette::BACKGROUND,
    });
    // The first-use hints card lies over the foot of the diagram (index.html
    // #hints: 12 px from the left, at most 460 px wide): no label goes under it.
    if app.hints_card() {
        f.board.block(Rect::new(
            0.0,
            vp.height - crate::app::HINTS_RESERVE_PX,
            HINTS_CARD_RIGHT_PX.min(vp.width),
            vp.height,
        ));
    }
    let step = axis(&mut f, 0.0, true);
    clock_ticks(&mut f, step);
    lane_lines(&mut f);
    hover_marks(&mut f);
    // What a lesson marks, asked once a frame: its highlighter, then its
    // events' labels picking first.
    let marks = app.lesson_marks();
    lesson_marks(&mut f, &marks);
    database_marks(&mut f);
    let cuts = app.cuts();
    let visible_until = app.playback().map(|p| p.cursor_ms);
    messages(&mut f, cuts.as_ref(), visible_until);
    events(&mut f, visible_until, &marks.events);
    if let (Some(_), Some((hlc_cut, _))) = (app.snapshot(), cuts.as_ref()) {
        draw_cut(
            &mut f.out,
            app.trace(),
            &layout,
            hlc_cut,
            palette::HLC_CUT,
            false,
        );
        f.block_last_line();
        physical_cut_line(&mut f.out, app, &layout);
        f.block_last_line();
    }
    // The names sit on top: nothing of the plot shows through the gutter.
    gutter(&mut f);
    let stuck = layout.head.0 > 0.0;
    if !stuck {
        overview(&mut f);
    }
    f.pending.hidden = layout.rows.hidden();
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
        f.pending.legend = vec![
            (
                palette::HLC_CUT,
                format!("HLC cut at {}: {verdict}", snapshot.theta),
            ),
            (
                palette::PHYSICAL_CUT,
                format!("cut at clock time {} ms: {physical}", snapshot.theta.l),
            ),
        ];
    }
    if let Some(p) = app.playback() {
        let x = layout.x_of(p.cursor_ms);
        f.out.push(Draw::Line {
            points: vec![(x, AXIS_BAND), (x, vp.height)],
            stroke: palette::CURSOR,
            width: 2.0,
            dashed: false,
        });
        f.pending.cursor = Some((
            x,
            format!("real {}", format_ms(p.cursor_ms.round())),
            palette::CURSOR,
        ));
    }
    if let Gesture::RubberBand {
        from_node,
        sent_at_ms,
        x,
        y,
    } = app.gesture()
    {
        f.arrow(Draw::Arrow {
            from: (layout.x_of(sent_at_ms as f64), layout.lane_y(from_node)),
            to: (x, y),
            stroke: palette::RUBBER,
            width: 2.0,
            dashed: true,
        });
    }
    let report = place_labels(&mut f);
    // A canvas scrolled in its stage (many lines) keeps its axis and overview
    // in sight: drawn last, over whatever lies under them there.
    if stuck {
        axis(&mut f, layout.head.0, false);
        overview(&mut f);
    }
    (f.out, report)
}

/// The time axis: its band, ticks and readings `dy` px down the canvas (0,
/// or where the stage is scrolled to), and with `grid` the faint vertical
/// lines across the plot. Returns the tick step, ms.
fn axis(f: &mut Frame, dy: f64, grid: bool) -> f64 {
    let vp = f.layout.viewport;
    let size = f.style.small;
    f.out.push(Draw::Rect {
        x: 0.0,
        y: dy,
        w: vp.width,
        h: AXIS_BAND,
        fill: palette::AXIS_BAND,
    });
    f.fixed_text(Draw::Text {
        x: 8.0,
        y: dy + AXIS_BAND - 10.0,
        text: "real time".into(),
        color: palette::AXIS,
        size,
        bold: true,
        align: Align::Left,
    });
    // Ticks about 90 px apart, further when their readings are wider.
    let mut step = nice_step(AXIS_TICK_SPACING_PX * vp.ms_per_px);
    let widest = [vp.start_ms, vp.end_ms(), vp.start_ms + step]
        .iter()
        .map(|&t| {
            let unit = AxisUnit::for_axis(step, vp.start_ms.abs().max(vp.end_ms().abs()));
            labels::text_width(&unit.format((t / step).round() * step), size, false)
        })
        .fold(0.0, f64::max);
    if (widest + 16.0) * vp.ms_per_px > step {
        step = nice_step((widest + 16.0) * vp.ms_per_px);
    }
    let unit = AxisUnit::for_axis(step, vp.start_ms.abs().max(vp.end_ms().abs()));
    let first = (vp.start_ms / step).ceil() * step;
    let mut t = first;
    let mut guard = 0;
    while t <= vp.end_ms() && guard < 400 {
        let x = f.layout.x_of(t);
        if grid {
            f.out.push(Draw::Line {
                points: vec![(x, AXIS_BAND), (x, vp.height)],
                stroke: palette::GRID,
                width: 1.0,
                dashed: false,
            });
        }
        f.out.push(Draw::Line {
            points: vec![(x, dy + AXIS_BAND - 6.0), (x, dy + AXIS_BAND)],
            stroke: palette::AXIS,
            width: 1.0,
            dashed: false,
        });
        let text = unit.format(t);
        let reading =
            labels::text_box(x, dy + AXIS_BAND - 10.0, &text, size, false, Anchor::Center);
        // A reading that would run off the canvas or into "real time" is left
        // out; its tick still shows.
        // Stuck over a scrolled canvas the head is drawn after the labels:
        // its readings only keep clear of "real time" and the edges.
        let free = if dy > 0.0 {
            reading.x0 >= GUTTER - 4.0 && reading.x1 <= vp.width
        } else {
            f.board.is_free(&reading, &f.board.canvas())
        };
        if free {
            f.fixed_text(Draw::Text {
                x,
                y: dy + AXIS_BAND - 10.0,
                text,
                color: palette::AXIS,
                size,
                bold: false,
                align: Align::Center,
            });
        }
        t += step;
        guard += 1;
    }
    if dy > 0.0 {
        // Stuck over the plot: no label goes under it.
        f.board.block(Rect::new(0.0, dy, vp.width, dy + AXIS_BAND));
    }
    step
}

/// Each node's own clock, drawn as ticks where its reading crosses a multiple of
/// the axis step: a skewed clock's ticks sit off the axis grid, a drifting one's
/// spacing changes, a stepped one jumps.
fn clock_ticks(f: &mut Frame, step: f64) {
    let vp = f.layout.viewport;
    let x0 = GUTTER.floor() as i64;
    let x1 = (vp.width - RIGHT_MARGIN).ceil() as i64;
    let layout = f.layout;
    // The axis's unit, so a clock's readings compare with real time's.
    let unit = AxisUnit::for_axis(step, vp.start_ms.abs().max(vp.end_ms().abs()));
    // A line's ticks and readings lie within a few rows below it; past this
    // distance from the painted band they can touch nothing in it.
    const READINGS_REACH_PX: f64 = 200.0;
    let far = |y: f64| {
        f.band.is_some_and(|(top, bottom)| {
            y + READINGS_REACH_PX < top || y - READINGS_REACH_PX > bottom
        })
    };
    for (n, node) in f.app.scenario().nodes.iter().enumerate() {
        if !layout.shows(n) || far(layout.lane_y(n)) {
            continue;
        }
        let y = layout.lane_y(n);
        let reading = |x: i64| node.physical_time(layout.time_at(x as f64).round() as i64) as f64;
        let mut previous = (reading(x0) / step).floor();
        let mut last_label_end = f64::NEG_INFINITY;
        for x in (x0 + 1)..=x1 {
            let pt = reading(x);
            let bucket = (pt / step).floor();
            if bucket != previous {
                let jump = (bucket - previous).abs() > 1.0;
                previous = bucket;
                let xf = x as f64;
                let length = if jump { 12.0 } else { 6.0 };
                f.out.push(Draw::Line {
                    points: vec![(xf, y), (xf, y + length)],
                    stroke: palette::CLOCK,
                    width: if jump { 2.0 } else { 1.0 },
                    dashed: false,
                });
                if jump {
                    f.board.block(Rect::new(xf - 1.0, y, xf + 1.0, y + length));
                }
                let text = unit.format(bucket * step);
                let half = labels::text_width(&text, f.style.small, false) / 2.0;
                if xf - half > last_label_end + 12.0 {
                    last_label_end = xf + half;
                    f.pending.readings.push((xf, y + 8.0, text));
                }
            }
        }
    }
}

/// What a press would act on, under a pointer that is not dragging: a line
/// glows (double-click adds an event there, a drag sends a message), the time
/// axis shows where a click would take a snapshot. (An event under the
/// pointer gets its ring in `events`.)
fn hover_marks(f: &mut Frame) {
    if f.app.gesture() != Gesture::Idle {
        return;
    }
    let vp = f.layout.viewport;
    match f.app.pointer_over() {
        Some(Hit::Lane { node, .. }) => lane_band(f, node, GUTTER, palette::LANE_HOVER, 6.0),
        Some(Hit::Axis { at_ms }) if f.app.playback().is_none() => {
            let x = f.layout.x_of(at_ms as f64);
            f.out.push(Draw::Line {
                points: vec![(x, AXIS_BAND), (x, vp.height)],
                stroke: palette::HLC_CUT,
                width: 1.5,
                dashed: true,
            });
            f.pending.cursor = Some((
                x,
                format!("click: snapshot at {}", format_ms(at_ms as f64)),
                palette::HLC_CUT_TEXT,
            ));
        }
        _ => {}
    }
}

/// The highlighter under the parts of the diagram a tour step talks about
/// (lines, events, and a message when both its ends are marked) or under an
/// exercise's question. Drawn before the arrows and dots, so it never hides
/// them.
fn lesson_marks(f: &mut Frame, marks: &crate::app::Marks) {
    let trace = f.app.trace();
    for &node in &marks.nodes {
        if f.layout.shows(node) {
            lane_band(f, node, GUTTER, palette::LESSON, 10.0);
        }
    }
    let layout = f.layout;
    let at = |index: usize| layout.event_point(trace, index);
    for &index in &marks.events {
        let Some(e) = trace.event(index) else {
            continue;
        };
        // A message whose two ends are both marked: the arrow between them too.
        if let (EventKind::Recv, Some(send)) = (e.kind(), e.partner) {
            if let (true, Some(from), Some(to)) =
                (marks.events.contains(&send), at(send), at(index))
            {
                f.out.push(Draw::Line {
                    points: vec![from, to],
                    stroke: palette::LESSON,
                    width: f.style.arrow + 10.0,
                    dashed: false,
                });
            }
        }
    }
    for &index in &marks.events {
        let Some((x, y)) = at(index) else { continue };
        f.out.push(Draw::Circle {
            x,
            y,
            r: f.style.dot + 9.0,
            fill: Some(palette::LESSON),
            stroke: Some((palette::LESSON_EDGE, 1.5)),
        });
    }
}

/// The database lens: each read's uncertainty interval as a band on its line
/// (from the read to where the reader's clock reads the interval's global
/// limit), each restart's retry as a ring later on the line, each
/// commit-wait as a span from the write to its acknowledgement, and a stale
/// read ringed in red.
fn database_marks(f: &mut Frame) {
    stopped_nodes(f);
    let app = f.app;
    let run = app.kv();
    if run.reads.is_empty() && run.versions.is_empty() {
        return;
    }
    let trace = app.trace();
    let scenario = app.scenario();
    let layout = f.layout;
    let style = f.style;
    for version in &run.versions {
        if version.wait_ms <= 0 || !layout.shows(version.node) {
            continue;
        }
        let y = layout.lane_y(version.node);
        let (x0, x1) = (
            layout.x_of(version.written_ms as f64),
            layout.x_of(version.acked_ms as f64),
        );
        f.out.push(Draw::Line {
            points: vec![(x0, y + 7.0), (x1, y + 7.0)],
            stroke: palette::WAIT,
            width: 3.0,
            dashed: true,
        });
        f.out.push(Draw::Line {
            points: vec![(x1, y - 6.0), (x1, y + 10.0)],
            stroke: palette::WAIT,
            width: 2.5,
            dashed: false,
        });
        f.pending.database.push((
            (x1, y),
            format!("acked +{} ms", version.wait_ms),
            palette::WAIT,
        ));
    }
    for read in &run.reads {
        let Some(e) = trace.event(read.event).filter(|e| layout.shows(e.node)) else {
            continue;
        };
        let y = layout.lane_y(e.node);
        let Some(first) = read.attempts.first() else {
            continue;
        };
        if scenario.settings.max_offset_ms.is_some() {
            if let Some(node) = scenario.nodes.get(e.node) {
                let x0 = layout.x_of(first.at_ms as f64);
                let x1 = layout.x_of(real_time_when_clock_reads(node, first.global_limit));
                f.out.push(Draw::Rect {
                    x: x0,
                    y: y - 7.0,
                    w: (x1 - x0).max(2.0),
                    h: 14.0,
                    fill: palette::UNCERTAIN,
                });
            }
        }
        let mut from = layout.x_of(first.at_ms as f64);
        for attempt in read.attempts.iter().skip(1) {
            let x = layout.x_of(attempt.at_ms as f64);
            f.out.push(Draw::Line {
                points: vec![(from, y - style.dot - 3.0), (x, y - style.dot - 3.0)],
                stroke: palette::RETRY,
                width: 1.5,
                dashed: true,
            });
            f.out.push(Draw::Circle {
                x,
                y,
                r: style.dot + 1.0,
                fill: Some(palette::BACKGROUND),
                stroke: Some((palette::RETRY, 2.5)),
            });
            f.board.block(Rect::around(x, y, style.dot + 3.0));
            f.pending
                .database
                .push(((x, y), format!("retry at {}", attempt.ts), palette::RETRY));
            from = x;
        }
        if read.stale.is_some() {
            let x = layout.x_of(first.at_ms as f64);
            f.out.push(Draw::Circle {
                x,
                y,
                r: style.dot + 5.0,
                fill: None,
                stroke: Some((palette::BAD, 2.5)),
            });
            f.pending
                .database
                .push(((x, y), "STALE read".into(), palette::BAD));
        }
    }
}

/// A band along node `node`'s line from `from_x` to the plot's right edge,
/// `widen` px wider than the line: the hover glow, a lesson's highlighter, a
/// stopped node's grey.
fn lane_band(f: &mut Frame, node: usize, from_x: f64, stroke: Color, widen: f64) {
    let y = f.layout.lane_y(node);
    let end = f.layout.viewport.width - RIGHT_MARGIN;
    f.out.push(Draw::Line {
        points: vec![(from_x, y), (end, y)],
        stroke,
        width: f.style.lane + widen,
        dashed: false,
    });
}

/// A node that stopped itself (its clock too far from its peers'): its line
/// greyed from that moment, and when.
fn stopped_nodes(f: &mut Frame) {
    let trace = f.app.trace();
    let vp = f.layout.viewport;
    for node in 0..trace.node_count() {
        let Some(at_ms) = trace.stopped_at(node).filter(|_| f.layout.shows(node)) else {
            continue;
        };
        let y = f.layout.lane_y(node);
        let x = f.layout.x_of(at_ms as f64).max(GUTTER);
        if x >= vp.width - RIGHT_MARGIN {
            continue;
        }
        lane_band(f, node, x, palette::STOPPED, 10.0);
        f.pending.database.push((
            (x, y),
            format!("stopped at {}", format_ms(at_ms as f64)),
            palette::AXIS,
        ));
    }
}

fn lane_lines(f: &mut Frame) {
    let vp = f.layout.viewport;
    group_separators(f);
    for (n, node) in f.app.scenario().nodes.iter().enumerate() {
        if !f.layout.shows(n) {
            continue;
        }
        let y = f.layout.lane_y(n);
        f.out.push(Draw::Line {
            points: vec![(GUTTER, y), (vp.width - RIGHT_MARGIN, y)],
            stroke: palette::LANE,
            width: f.style.lane,
            dashed: false,
        });
        // Clock steps: a zigzag across the line and what the clock did.
        for step in &node.steps {
            let x = f.layout.x_of(step.at_ms as f64);
            if x < GUTTER || x > vp.width - RIGHT_MARGIN {
                continue;
            }
            f.out.push(Draw::Line {
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
            f.board
                .block(Rect::new(x - 5.0, y - 13.0, x + 5.0, y + 13.0));
            f.pending
                .steps
                .push(((x, y), format!("clock step {:+} ms", step.by_ms)));
        }
    }
}

/// Grouped by name prefix: a faint rule between one group's lines and the next's.
fn group_separators(f: &mut Frame) {
    if !f.app.nodes_grouped() {
        return;
    }
    let nodes = &f.app.scenario().nodes;
    let layout = f.layout;
    let prefix = |n: usize| {
        nodes
            .get(n)
            .map_or("", |node| crate::lanes::name_prefix(&node.name))
    };
    let shown: Vec<usize> = layout.rows.shown().collect();
    for pair in shown.windows(2) {
        if prefix(pair[0]) != prefix(pair[1]) {
            let y = (layout.lane_y(pair[0]) + layout.lane_y(pair[1])) / 2.0;
            f.out.push(Draw::Line {
                points: vec![(0.0, y), (layout.viewport.width, y)],
                stroke: palette::AXIS,
                width: 1.0,
                dashed: true,
            });
        }
    }
}

/// The overview strip at the foot of a big trace: how busy every moment of
/// the whole trace is, what was found, the selection, and the window in
/// view (drag or click the strip to move it).
fn overview(f: &mut Frame) {
    let app = f.app;
    if !app.overview_shown() {
        return;
    }
    // Under the axis, stuck with it when the stage is scrolled.
    let top = f.layout.head.0 + AXIS_BAND;
    let bottom = top + crate::app::OVERVIEW_BAND_PX;
    let vp = f.layout.viewport;
    let (x0, x1) = crate::app::overview_x_range(vp.width);
    f.out.push(Draw::Rect {
        x: 0.0,
        y: top,
        w: vp.width,
        h: bottom - top,
        fill: palette::AXIS_BAND,
    });
    f.fixed_text(Draw::Text {
        x: 8.0,
        y: (top + bottom) / 2.0 + 4.0,
        text: "whole trace".into(),
        color: palette::AXIS,
        size: f.style.small,
        bold: true,
        align: Align::Left,
    });
    let (from, to) = app.overview_span();
    let width = (x1 - x0).max(1.0);
    let x_of = |t: f64| x0 + (t - from) / (to - from).max(1e-9) * width;
    let columns = width.ceil() as usize;
    let mut counts = vec![0u32; columns.max(1)];
    let trace = app.trace();
    // Read from the packed per-node times: the events themselves are large,
    // and this runs over all of them every frame.
    for node in 0..trace.node_count() {
        for &t in trace.node_times(node) {
            let c = ((x_of(t as f64) - x0).floor().max(0.0) as usize).min(counts.len() - 1);
            counts[c] += 1;
        }
    }
    let busiest = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let (bar_top, bar_bottom) = (top + 5.0, bottom - 5.0);
    let room = bar_bottom - bar_top;
    for (c, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let h = (room * (count as f64 / busiest)).max(1.0);
        f.out.push(Draw::Rect {
            x: x0 + c as f64,
            y: bar_bottom - h,
            w: 1.0,
            h,
            fill: palette::MESSAGE,
        });
    }
    if let Some(found) = app.found() {
        let mut last = f64::NEG_INFINITY;
        for &hit in &found.hits {
            let Some(e) = trace.event(hit) else { continue };
            let x = x_of(e.real_ms as f64).floor();
            if x > last {
                last = x;
                f.out.push(Draw::Rect {
                    x,
                    y: top + 1.0,
                    w: 2.0,
                    h: 8.0,
                    fill: palette::FOUND,
                });
            }
        }
    }
    if let Some(e) = app.selected_index().and_then(|i| trace.event(i)) {
        let x = x_of(e.real_ms as f64);
        f.out.push(Draw::Line {
            points: vec![(x, top + 1.0), (x, bottom - 1.0)],
            stroke: palette::SELECTED,
            width: 2.0,
            dashed: false,
        });
    }
    let (w0, w1) = (x_of(vp.start_ms).max(x0), x_of(vp.end_ms()).min(x1));
    let (w0, w1) = if w1 - w0 < 6.0 {
        let mid = (w0 + w1) / 2.0;
        (mid - 3.0, mid + 3.0)
    } else {
        (w0, w1)
    };
    f.out.push(Draw::Rect {
        x: w0,
        y: top + 1.0,
        w: w1 - w0,
        h: bottom - top - 2.0,
        fill: palette::WINDOW,
    });
    f.out.push(Draw::Line {
        points: vec![
            (w0, top + 1.0),
            (w1, top + 1.0),
            (w1, bottom - 1.0),
            (w0, bottom - 1.0),
            (w0, top + 1.0),
        ],
        stroke: palette::EVENT,
        width: 2.0,
        dashed: false,
    });
    f.board.block(Rect::new(0.0, top, vp.width, bottom));
}

/// The left column: a plain background with each node's name and clock, each
/// line kept inside its node's band so neighbours never touch.
fn gutter(f: &mut Frame) {
    let vp = f.layout.viewport;
    f.out.push(Draw::Rect {
        x: 0.0,
        y: AXIS_BAND,
        w: GUTTER,
        h: (vp.height - AXIS_BAND).max(0.0),
        fill: palette::BACKGROUND,
    });
    let half_band = f.layout.lane_gap / 2.0;
    // From x = 8 to 2 px short of the plot.
    let room = GUTTER - 10.0;
    let small = f.style.small;
    for (n, node) in f.app.scenario().nodes.iter().enumerate() {
        if !f.layout.shows(n) {
            continue;
        }
        let y = f.layout.lane_y(n);
        // At the closest spacing a presentation-size name still fits its half.
        let name_size = f
            .style
            .name
            .min((half_band - 3.0) / labels::ASCENT)
            .max(12.0);
        let name = labels::fit_text(std::slice::from_ref(&node.name), name_size, true, room);
        f.fixed_text(Draw::Text {
            x: 8.0,
            y: y - 3.0,
            text: crate::bidi::isolate(&name),
            color: palette::LABEL,
            size: name_size,
            bold: true,
            align: Align::Left,
        });
        let sign = if node.skew_ms < 0 { "" } else { "+" };
        let skew = format!("{sign}{}", format_ms(node.skew_ms as f64));
        let mut lines = vec![[format!("clock {skew}"), skew]];
        if node.drift_ppm != 0 {
            let drift = format!("{:+} ppm", node.drift_ppm);
            lines.push([format!("drift {drift}"), drift]);
        }
        let mut top = y + 4.0;
        for variants in lines {
            let baseline = top + labels::ASCENT * small;
            if baseline + labels::DESCENT * small > y + half_band - 1.0 {
                break; // the node panel lists what does not fit here
            }
            f.fixed_text(Draw::Text {
                x: 8.0,
                y: baseline,
                text: labels::fit_text(&variants, small, false, room),
                color: palette::CLOCK_TEXT,
                size: small,
                bold: false,
                align: Align::Left,
            });
            top += labels::line_height(small) + 1.0;
        }
    }
}

fn event_color(app: &App, index: usize) -> Color {
    if app.trace().event(index).is_some_and(|e| e.refused()) {
        return palette::DIMMED;
    }
    match app.emphasis(index) {
        Emphasis::Normal => palette::EVENT,
        Emphasis::Selected => palette::SELECTED,
        Emphasis::Past => palette::PAST,
        Emphasis::Future => palette::FUTURE,
        Emphasis::Concurrent => palette::DIMMED,
    }
}

fn messages(f: &mut Frame, cuts: Option<&(Cut, Cut)>, until: Option<f64>) {
    let app = f.app;
    let trace = app.trace();
    let layout = f.layout;
    let vp = layout.viewport;
    let crossing: &[usize] = cuts.map_or(&[], |(_, physical)| physical.crossing.as_slice());
    let visible: Vec<(usize, usize)> = trace
        .events()
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind() == EventKind::Recv)
        .filter_map(|(index, e)| {
            let send = e.partner?;
            let sent = trace.event(send)?;
            if !(layout.shows(e.node) && layout.shows(sent.node)) {
                return None;
            }
            let t0 = sent.real_ms as f64;
            let t1 = e.real_ms as f64;
            let shown = t1 >= vp.start_ms && t0 <= vp.end_ms() && until.is_none_or(|u| t0 <= u);
            shown.then_some((index, send))
        })
        .collect();
    let cap = MAX_ARROWS.min(vp.plot_width().max(100.0) as usize);
    let every = visible.len().div_ceil(cap).max(1);
    let hairline = visible.len() / every > HAIRLINE_ARROWS;
    if every > 1 {
        f.pending.sampled = Some((visible.len(), every));
    }
    for (index, send) in visible.into_iter().step_by(every) {
        let e = &trace.events()[index];
        let send = &trace.events()[send];
        let (t0, t1) = (send.real_ms as f64, e.real_ms as f64);
        let from = (layout.x_of(t0), layout.lane_y(send.node));
        let mut to = (layout.x_of(t1), layout.lane_y(e.node));
        let in_flight = until.is_some_and(|u| t1 > u);
        if let (true, Some(u)) = (in_flight, until) {
            let fraction = ((u - t0) / (t1 - t0)).clamp(0.0, 1.0);
            to = (
                from.0 + (to.0 - from.0) * fraction,
                from.1 + (to.1 - from.1) * fraction,
            );
        }
        // Refused by the max offset, or never taken because a node had stopped.
        let rejected = e.rejection.is_some() || e.refused();
        let crosses = crossing.contains(&index);
        // Received at a smaller physical time than it was sent: ordering by
        // wall clock would put the effect before its cause. A refused receive
        // read no clock.
        let clock_goes_back = !e.refused() && e.pt() < send.pt();
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
            f.pending.pt_back.push(((from, to), send.pt() - e.pt()));
        }
        f.arrow(Draw::Arrow {
            from,
            to,
            stroke,
            width: if crosses {
                f.style.crossing
            } else if hairline {
                0.99
            } else {
                f.style.arrow
            },
            dashed: rejected || in_flight,
        });
        if rejected && !in_flight {
            let (x, y) = to;
            for (dx, dy) in [(1.0, 1.0), (1.0, -1.0)] {
                f.out.push(Draw::Line {
                    points: vec![
                        (x - 7.0 * dx, y - 7.0 * dy - 14.0),
                        (x + 7.0 * dx, y + 7.0 * dy - 14.0),
                    ],
                    stroke: palette::BAD,
                    width: 2.5,
                    dashed: false,
                });
            }
            f.board.block(Rect::around(x, y - 14.0, 9.0));
        }
    }
}

fn events(f: &mut Frame, until: Option<f64>, marked: &[usize]) {
    let app = f.app;
    let trace = app.trace();
    let layout = f.layout;
    let vp = layout.viewport;
    let style = f.style;
    let pad = 40.0 * vp.ms_per_px;
    let end = until.map_or(vp.end_ms(), |u| u.min(vp.end_ms()));
    // Dots past the right edge are drawn cut; a label there would float
    // away from them.
    let labelled_until = vp.width - RIGHT_MARGIN + style.dot;
    let current = app.found().and_then(crate::app::Found::current);
    let mut strips: Vec<(f64, Vec<Column>)> = Vec::new();
    for node in layout.rows.shown() {
        let y = layout.lane_y(node);
        // During playback only the events up to the cursor (`until`).
        let range = Layout::visible_range(trace, node, vp.start_ms - pad, end + pad);
        let range = match until {
            Some(u) => {
                let times = trace.node_times(node).get(range.clone()).unwrap_or(&[]);
                range.start..range.start + times.partition_point(|&t| t as f64 <= u)
            }
            None => range,
        };
        let visible = trace.node_events(node).get(range.clone()).unwrap_or(&[]);
        if too_dense(visible.len(), &vp) {
            let times = trace.node_times(node).get(range).unwrap_or(&[]);
            strips.push((y, density_columns(app, &layout, visible, times)));
            continue;
        }
        // Runs of local events drawn as one mark, when asked: a run is
        // MIN_RUN or more plain local events in a row (none selected,
        // hovered, found or marked by a lesson).
        let plain = |index: usize| {
            trace.events()[index].kind() == EventKind::Local
                && app.hover() != Some(index)
                && app.selected_index() != Some(index)
                && !app.is_found(index)
                && !marked.contains(&index)
        };
        let mut i = 0;
        while i < visible.len() {
            if app.runs_collapsed() {
                let run = visible[i..].iter().take_while(|&&e| plain(e)).count();
                if run >= MIN_RUN {
                    run_mark(f, &visible[i..i + run], y);
                    i += run;
                    continue;
                }
            }
            event_dot(f, visible[i], y, marked, current, labelled_until);
            i += 1;
        }
    }
    draw_density(f, strips);
}

/// Whether some line in view has too many events to draw one by one (and is
/// drawn as a density strip): the same rule the frame uses.
pub fn dense_view(app: &App) -> bool {
    let layout = app.layout();
    let vp = layout.viewport;
    let pad = 40.0 * vp.ms_per_px;
    let trace = app.trace();
    let dense = layout.rows.shown().any(|node| {
        let visible = layout.visible_on_node(trace, node, vp.start_ms - pad, vp.end_ms() + pad);
        too_dense(visible.len(), &vp)
    });
    dense
}

/// Whether `count` events on one line in view are too many to draw one by one.
fn too_dense(count: usize, vp: &crate::layout::Viewport) -> bool {
    count as f64 > vp.plot_width() * DENSE_PER_PX
}

/// Fewest local events in a row drawn as one mark when runs are collapsed.
pub const MIN_RUN: usize = 3;

/// One event's dot, its rings, and its label to place.
fn event_dot(
    f: &mut Frame,
    index: usize,
    y: f64,
    marked: &[usize],
    current: Option<usize>,
    labelled_until: f64,
) {
    let app = f.app;
    let style = f.style;
    let e = &app.trace().events()[index];
    let x = f.layout.x_of(e.real_ms as f64);
    if x < GUTTER {
        return; // under the gutter, which hides it (and hit testing agrees)
    }
    let color = event_color(app, index);
    let found = app.is_found(index);
    let is_current = current == Some(index);
    if found {
        // A ring that reads at any zoom, stronger on the hit the view went to.
        f.out.push(Draw::Circle {
            x,
            y,
            r: style.dot + if is_current { 7.0 } else { 4.5 },
            fill: None,
            stroke: Some((palette::FOUND, if is_current { 3.0 } else { 2.0 })),
        });
    }
    let (fill, stroke) = match e.kind() {
        EventKind::Local => (Some(color), None),
        EventKind::Send => (Some(palette::BACKGROUND), Some((color, style.ring))),
        EventKind::Recv => (Some(color), Some((palette::BACKGROUND, 1.5))),
    };
    f.out.push(Draw::Circle {
        x,
        y,
        r: style.dot,
        fill,
        stroke,
    });
    let hovered = app.hover() == Some(index) || app.selected_index() == Some(index);
    let emphasised = hovered || marked.contains(&index) || is_current;
    let mut reach = style.dot_reach();
    if marked.contains(&index) {
        reach = style.dot + 10.0;
    }
    if found {
        reach = reach.max(style.dot + if is_current { 9.0 } else { 6.0 });
    }
    if hovered {
        f.out.push(Draw::Circle {
            x,
            y,
            r: style.dot + 4.0,
            fill: None,
            stroke: Some((palette::SELECTED, 2.0)),
        });
        reach = reach.max(style.dot + 5.0);
    }
    // The dot, and room above it for the hidden-label tick.
    f.board.block(Rect::new(
        x - reach,
        y - reach - style.tick,
        x + reach,
        y + reach,
    ));
    if x > labelled_until {
        return;
    }
    f.pending.events.push(EventLabel {
        index,
        at: (x, y),
        reach: (reach + style.tick, reach),
        text: app.label(index),
        color: if app.emphasis(index) == Emphasis::Concurrent {
            palette::DIMMED_TEXT
        } else {
            palette::LABEL
        },
        emphasised,
        forced: hovered,
        mark: color,
    });
}

/// A run of local events as one mark: a pill from the first to the last,
/// saying how many it holds.
fn run_mark(f: &mut Frame, run: &[usize], y: f64) {
    let trace = f.app.trace();
    let (Some(&first), Some(&last)) = (run.first(), run.last()) else {
        return;
    };
    let x0 = f.layout.x_of(trace.events()[first].real_ms as f64);
    let x1 = f.layout.x_of(trace.events()[last].real_ms as f64);
    let text = format!("{} local", run.len());
    let size = f.style.small;
    let half_h = (labels::line_height(size) / 2.0 + 2.0).max(f.style.dot + 2.0);
    let text_w = labels::text_width(&text, size, true) + 10.0;
    let centre = (x0 + x1) / 2.0;
    let left = (x0.min(centre - text_w / 2.0) - f.style.dot).max(GUTTER);
    let right = (x1.max(centre + text_w / 2.0) + f.style.dot).min(f.layout.viewport.width);
    if right <= left {
        return;
    }
    let (top, bottom) = (y - half_h, y + half_h);
    f.out.push(Draw::Rect {
        x: left,
        y: top,
        w: right - left,
        h: bottom - top,
        fill: palette::RUN,
    });
    f.out.push(Draw::Line {
        points: vec![
            (left, top),
            (right, top),
            (right, bottom),
            (left, bottom),
            (left, top),
        ],
        stroke: palette::EVENT,
        width: 1.5,
        dashed: false,
    });
    f.board
        .block(Rect::new(left, top - 1.0, right, bottom + 1.0));
    f.out.push(Draw::Text {
        x: (left + right) / 2.0,
        y: y + (labels::ASCENT - labels::DESCENT) * size / 2.0,
        text,
        color: palette::LABEL,
        size,
        bold: true,
        align: Align::Center,
    });
}

/// One 2 px column of a density strip: its index, how many events fall in
/// it, and whether one of them was found.
type Column = (i64, usize, bool);

/// Too many events to tell apart: the events of one line in view, counted
/// per 2 px column.
fn density_columns(
    app: &App,
    layout: &Layout,
    visible: &[usize],
    times: &[hlc::Time],
) -> Vec<Column> {
    let searching = app.found().is_some();
    let mut columns: Vec<Column> = Vec::new();
    for (&e, &t) in visible.iter().zip(times) {
        let col = (layout.x_of(t as f64) / 2.0).floor() as i64;
        let found = searching && app.is_found(e);
        match columns.last_mut() {
            Some((c, count, hit)) if *c == col => {
                *count += 1;
                *hit |= found;
            }
            _ => columns.push((col, 1, found)),
        }
    }
    columns
}

/// The density strips of a frame, on one scale: a bar per 2 px column as
/// tall as the column is busy, the busiest column of the frame the tallest,
/// so strips compare across lines. A column holding a found event gets a
/// tick above it. The page's legend says what the bars are
/// ([`dense_view`]).
fn draw_density(f: &mut Frame, strips: Vec<(f64, Vec<Column>)>) {
    let busiest = strips
        .iter()
        .flat_map(|(_, cols)| cols.iter().map(|c| c.1))
        .max()
        .unwrap_or(0);
    if busiest == 0 {
        return;
    }
    for (y, columns) in strips {
        let (Some(first), Some(last)) = (columns.first(), columns.last()) else {
            continue;
        };
        f.board.block(Rect::new(
            first.0 as f64 * 2.0,
            y - 14.0,
            last.0 as f64 * 2.0 + 2.0,
            y + 14.0,
        ));
        for (col, count, found) in columns {
            let h = 2.0 + 12.0 * (count as f64 / busiest as f64);
            let x = col as f64 * 2.0;
            f.out.push(Draw::Rect {
                x,
                y: y - h,
                w: 2.0,
                h: 2.0 * h,
                fill: palette::EVENT,
            });
            if found {
                f.out.push(Draw::Rect {
                    x: x - 1.0,
                    y: y - 20.0,
                    w: 4.0,
                    h: 5.0,
                    fill: palette::FOUND,
                });
            }
        }
    }
}

/// A label to place: what it says, how it is drawn, how much margin it keeps,
/// and whether it sits on a white card (drawn over an arrow, or on top).
struct Text {
    text: String,
    color: Color,
    size: f64,
    bold: bool,
    backed: bool,
}

impl Text {
    fn pad(&self) -> f64 {
        if self.backed {
            BACKED_PAD
        } else {
            LABEL_PAD
        }
    }

    /// The box it needs, margin included.
    fn extent(&self) -> (f64, f64) {
        (
            labels::text_width(&self.text, self.size, self.bold) + 2.0 * self.pad(),
            labels::line_height(self.size) + 2.0 * self.pad(),
        )
    }

    /// Draws it in `spot` (a box of [`Text::extent`]); returns the index of
    /// the `Draw::Text` in `out`.
    fn draw(self, spot: &Rect, out: &mut Vec<Draw>) -> usize {
        if self.backed {
            out.push(card(spot));
        }
        out.push(Draw::Text {
            x: spot.centre().0,
            y: labels::baseline_in(&spot.pad(-self.pad()), self.size),
            text: self.text,
            color: self.color,
            size: self.size,
            bold: self.bold,
            align: Align::Center,
        });
        out.len() - 1
    }

    /// Draws it at the first free place `candidates(extent)` offers inside
    /// `within`; the index of its `Draw::Text`, or `None` when none was free.
    fn place(
        self,
        board: &mut Board,
        out: &mut Vec<Draw>,
        within: &Rect,
        candidates: impl FnOnce((f64, f64)) -> Vec<Rect>,
    ) -> Option<usize> {
        let spot = board.place(&candidates(self.extent()), within)?;
        Some(self.draw(&spot, out))
    }
}

/// A one-line note in [`palette::AXIS`]: the longest of `variants` that has
/// a free place in `area`, in a corner or along its top or bottom edge.
/// Returns where it went.
fn place_note(
    board: &mut Board,
    out: &mut Vec<Draw>,
    variants: &[String],
    size: f64,
    area: &Rect,
) -> Option<Rect> {
    variants.iter().find_map(|text| {
        let note = Text {
            text: text.clone(),
            color: palette::AXIS,
            size,
            bold: false,
            backed: false,
        };
        let spot = board.place(&labels::corners(area, note.extent()), area)?;
        note.draw(&spot, out);
        Some(spot)
    })
}

/// What the note about hidden labels says, longest first.
fn hidden_note(hidden: usize) -> [String; 3] {
    let s = if hidden == 1 { "" } else { "s" };
    [
        format!("{hidden} label{s} hidden: hover an event to read it"),
        format!("{hidden} label{s} hidden: hover to read"),
        format!("{hidden} hidden"),
    ]
}

/// A white card under a label drawn over marks.
fn card(spot: &Rect) -> Draw {
    Draw::Rect {
        x: spot.x0,
        y: spot.y0,
        w: spot.width(),
        h: spot.height(),
        fill: palette::BACKGROUND,
    }
}

/// The placement pass: every label of the frame, most important first, each
/// at the first of its candidate places that covers no mark and no label
/// placed before it.
fn place_labels(f: &mut Frame) -> LabelReport {
    let vp = f.layout.viewport;
    let style = f.style;
    let plot = Rect::new(
        GUTTER + 2.0,
        AXIS_BAND + 2.0,
        vp.width - 2.0,
        vp.height - 2.0,
    );
    // Notes sit in the corners of the diagram, above the hints card if it shows.
    let foot = if f.app.hints_card() {
        vp.height - crate::app::HINTS_RESERVE_PX
    } else {
        vp.height
    };
    let notes_area = Rect::new(4.0, AXIS_BAND + 2.0, vp.width - 4.0, foot - 2.0);
    // The cursor's words go under the axis, and under the overview strip
    // when there is one (stuck to the stage's scroll or not).
    let under_head = if f.layout.head.0 > 0.0 {
        f.layout.head.1
    } else {
        f.app.overview_band().map_or(AXIS_BAND, |band| band.1)
    };
    let pending = std::mem::take(&mut f.pending);
    let board = &mut f.board;
    // Drawn after every mark; the hovered and selected labels last of all.
    let mut labels: Vec<Draw> = Vec::new();
    let mut on_top: Vec<Draw> = Vec::new();
    let mut report = LabelReport::default();
    let mut placed_events: Vec<(usize, bool, usize)> = Vec::new();

    // 1. The hovered and selected events are always labelled: they pick
    //    first, from more places, and take the first one if all are taken.
    let (forced, mut plain): (Vec<EventLabel>, Vec<EventLabel>) =
        pending.events.into_iter().partition(|l| l.forced);
    // A lesson's marked events pick before the rest, but like the rest they
    // never cover another label (a crowded frame hides them, hover reads them).
    plain.sort_by_key(|l| !l.emphasised);
    for l in forced {
        let text = l.text(style.label);
        let candidates = labels::around_dot(l.at, text.extent(), l.reach, 4, &plot);
        let Some(spot) = board.place_or_take(&candidates, &plot, 0) else {
            continue;
        };
        placed_events.push((l.index, true, text.draw(&spot, &mut on_top)));
    }

    // 2. What explains the whole frame: the cut legend, the playback cursor,
    //    the note that only a sample of the arrows is drawn.
    if !pending.legend.is_empty() {
        legend(board, &mut labels, &plot, style.label, &pending.legend);
    }
    if let Some((x, text, color)) = pending.cursor {
        let cursor = Text {
            text,
            color,
            size: style.small,
            bold: true,
            backed: false,
        };
        cursor.place(board, &mut labels, &plot, |(w, h)| {
            (0..3)
                .flat_map(|row| {
                    let top = under_head + 2.0 + row as f64 * (h + 2.0);
                    [
                        Rect::new(x + 3.0, top, x + 3.0 + w, top + h),
                        Rect::new(x - 3.0 - w, top, x - 3.0, top + h),
                    ]
                })
                .collect()
        });
    }
    if let Some((count, every)) = pending.sampled {
        let variants = [
            format!("{count} messages in view: drawing 1 in {every}; zoom in to see them all"),
            format!("drawing 1 in {every} of {count} messages; zoom in"),
            format!("1 in {every} messages drawn"),
        ];
        place_note(board, &mut labels, &variants, style.small, &notes_area);
    }
    if pending.hidden > 0 {
        let n = pending.hidden;
        let nodes = if n == 1 { "node" } else { "nodes" };
        let variants = [
            format!("{n} {nodes} hidden, and the messages that touch them (Nodes tab: show)"),
            format!("{n} {nodes} hidden"),
        ];
        place_note(board, &mut labels, &variants, style.small, &notes_area);
    }

    // 3. Clock steps (rare, and the point of the scenario when they occur),
    //    then the database lens's words (a retry, an acknowledgement, a stale
    //    read, a node stopping): each next to its mark, below it first, since
    //    above is where the event there has its label.
    let steps = pending
        .steps
        .into_iter()
        .map(|(at, text)| (at, text, palette::CLOCK_TEXT, false));
    let database = pending
        .database
        .into_iter()
        .map(|(at, text, color)| (at, text, color, true));
    for (at, text, color, backed) in steps.chain(database) {
        let words = Text {
            text,
            color,
            size: style.small,
            bold: true,
            backed,
        };
        words.place(board, &mut labels, &plot, |extent| {
            let mut candidates = labels::around_dot(at, extent, (13.0, 13.0), 2, &plot);
            candidates.sort_by_key(|c| c.y1 <= at.1);
            candidates
        });
    }

    // 4. Messages received at a smaller pt: a badge on each arrow while there
    //    are few; past that, or where a badge finds no room, one note.
    let mut in_note: Vec<i64> = Vec::new();
    let badges = pending.pt_back.len() <= MAX_PT_BACK_BADGES;
    for ((from, to), back) in pending.pt_back {
        let badge = Text {
            text: format!("pt back {back} ms"),
            color: palette::CLOCK_TEXT,
            size: style.small,
            bold: false,
            backed: true,
        };
        let placed = badges
            && badge
                .place(board, &mut labels, &plot, |extent| {
                    labels::along_segment(from, to, extent)
                })
                .is_some();
        if !placed {
            in_note.push(back);
        }
    }
    report.pt_back_in_note = in_note.len();
    if let Some(&most) = in_note.iter().max() {
        let n = in_note.len();
        let (messages, arrive) = if n == 1 {
            ("message", "arrives")
        } else {
            ("messages", "arrive")
        };
        let variants = [
            format!("{n} violet {messages} {arrive} at a smaller physical time (pt back up to {most} ms)"),
            format!("{n} violet {messages}: pt back up to {most} ms"),
            format!("{n} pt back ≤ {most} ms"),
        ];
        place_note(board, &mut labels, &variants, style.small, &notes_area);
    }

    // 5. Every other event label, near its dot or visibly left out. When
    //    some are left out and the labels took every place for the note that
    //    says so, the note goes first and the labels again around it.
    let checkpoint = (board.checkpoint(), labels.len(), placed_events.len());
    let mut reserved: Option<Rect> = None;
    loop {
        for l in &plain {
            let placed = l
                .text(style.label)
                .place(board, &mut labels, &plot, |extent| {
                    labels::around_dot(l.at, extent, l.reach, 2, &plot)
                });
            if let Some(at) = placed {
                placed_events.push((l.index, false, at));
            } else {
                // A tick over the dot, in the room kept for it: "a label is
                // hidden here", which hovering the dot reads out.
                let (x, y) = l.at;
                let width = style.lane.max(2.0);
                labels.push(Draw::Rect {
                    x: x - width / 2.0,
                    y: y - l.reach.0,
                    w: width,
                    h: style.tick - 1.0,
                    fill: l.mark,
                });
                report.hidden.push(l.index);
            }
        }
        let hidden = report.hidden.len();
        if hidden == 0 {
            break;
        }
        if let Some(spot) = reserved {
            let variants = hidden_note(hidden);
            // (A hair of slack: the spot's width went through x0 + w - x0.)
            let room = spot.width() - 2.0 * LABEL_PAD + 1e-6;
            let text = labels::fit_text(&variants, style.small, false, room);
            if !text.is_empty() {
                let note = Text {
                    text,
                    color: palette::AXIS,
                    size: style.small,
                    bold: false,
                    backed: false,
                };
                note.draw(&spot, &mut labels);
            }
            break;
        }
        let variants = hidden_note(hidden);
        if place_note(board, &mut labels, &variants, style.small, &notes_area).is_some() {
            break;
        }
        // No room was left for the note: undo the labels, reserve the note's
        // place (sized for every label hidden), and place them again.
        board.rollback(checkpoint.0);
        labels.truncate(checkpoint.1);
        placed_events.truncate(checkpoint.2);
        report.hidden.clear();
        let widest = hidden_note(plain.len());
        let spot = place_note(board, &mut Vec::new(), &widest, style.small, &notes_area);
        // With no place at all, the ticks on the dots still say it.
        reserved = Some(spot.unwrap_or(Rect::new(0.0, 0.0, 0.0, 0.0)));
    }

    // 6. Clock readings fill what room is left; a missing one is implied by
    //    its neighbours.
    for (x, top, text) in pending.readings {
        let reading = Text {
            text,
            color: palette::CLOCK_TEXT,
            size: style.small,
            bold: false,
            backed: false,
        };
        reading.place(board, &mut labels, &plot, |(w, h)| {
            vec![Rect::new(x - w / 2.0, top, x + w / 2.0, top + h)]
        });
    }

    let base = f.out.len();
    let top_base = base + labels.len();
    report.event_labels = placed_events
        .into_iter()
        .map(|(index, top, at)| (index, if top { top_base + at } else { base + at }))
        .collect();
    f.out.extend(labels);
    f.out.extend(on_top);
    report
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
    let mut xs = Vec::with_capacity(cut.frontier.len());
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
        xs.push(layout.x_of(t));
    }
    out.push(Draw::Line {
        points: cut_points(layout, &xs),
        stroke: color,
        width: 3.0,
        dashed,
    });
}

/// A cut's polyline through the lines shown, top to bottom: `xs[node]` is
/// where it crosses each node's line.
fn cut_points(layout: &Layout, xs: &[f64]) -> Vec<(f64, f64)> {
    let half_gap = layout.lane_gap / 2.0;
    let mut points = Vec::with_capacity(2 * layout.node_count);
    for node in layout.rows.shown() {
        let Some(&x) = xs.get(node) else { continue };
        let y = layout.lane_y(node);
        points.push((x, y - half_gap));
        points.push((x, y + half_gap));
    }
    points
}

/// The physical cut: where each node's own clock reads `theta.l`.
fn physical_cut_line(out: &mut Vec<Draw>, app: &App, layout: &Layout) {
    let Some(snapshot) = app.snapshot() else {
        return;
    };
    let t = snapshot.theta.l;
    let xs: Vec<f64> = app
        .scenario()
        .nodes
        .iter()
        .map(|node| layout.x_of(real_time_when_clock_reads(node, t)))
        .collect();
    out.push(Draw::Line {
        points: cut_points(layout, &xs),
        stroke: palette::PHYSICAL_CUT,
        width: 2.5,
        dashed: true,
    });
}

/// The first real time at which a node's clock reads at least `reading` (see
/// [`crate::scenario::Node::first_real_time_reading`]).
pub fn real_time_when_clock_reads(node: &crate::scenario::Node, reading: i64) -> f64 {
    node.first_real_time_reading(-(crate::scenario::MAX_SKEW_MS * 4), reading) as f64
}

/// The cut legend: a colour sample and a sentence per row, on a white card in
/// the first free corner of the plot (bottom right when none is free: it
/// explains the two cut lines, so it is never left out).
fn legend(
    board: &mut Board,
    out: &mut Vec<Draw>,
    plot: &Rect,
    text_size: f64,
    rows: &[(Color, String)],
) {
    const SAMPLE: f64 = 26.0;
    let row_height = labels::line_height(text_size) + 3.0;
    let text_room = plot.width() - SAMPLE - 2.0 * BACKED_PAD;
    let rows: Vec<(Color, String)> = rows
        .iter()
        .map(|(c, t)| {
            (
                *c,
                labels::fit_text(std::slice::from_ref(t), text_size, false, text_room),
            )
        })
        .collect();
    let widest = rows
        .iter()
        .map(|r| labels::text_width(&r.1, text_size, false))
        .fold(0.0, f64::max);
    let extent = (
        SAMPLE + widest + 2.0 * BACKED_PAD,
        rows.len() as f64 * row_height + 2.0 * BACKED_PAD,
    );
    let Some(spot) = board.place_or_take(&labels::corners(plot, extent), plot, 1) else {
        return;
    };
    out.push(card(&spot));
    let x = spot.x0 + BACKED_PAD;
    for (i, (color, text)) in rows.into_iter().enumerate() {
        let row_bottom = spot.y0 + BACKED_PAD + (i + 1) as f64 * row_height;
        let baseline = row_bottom - 1.5 - labels::DESCENT * text_size;
        let middle = row_bottom - row_height / 2.0;
        out.push(Draw::Line {
            points: vec![(x, middle), (x + 20.0, middle)],
            stroke: color,
            width: 3.0,
            dashed: color == palette::PHYSICAL_CUT,
        });
        out.push(Draw::Text {
            x: x + SAMPLE,
            y: baseline,
            text,
            color: palette::LABEL,
            size: text_size,
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
