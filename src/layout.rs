//! Geometry: where every node line, event and axis tick is drawn, and the
//! inverse maps (screen point to time, node, event) that hit testing uses. The
//! scene is built from these same functions, so a hit test can never disagree
//! with the picture.
//!
//! Real time runs left to right; each node is a horizontal line. Coordinates are
//! CSS pixels relative to the canvas's top-left corner.

use crate::lanes::Rows;
use crate::sim::Trace;
use hlc::Time;

/// Width of the left gutter holding the node names.
pub const GUTTER: f64 = 112.0;
/// Height of the real-time axis band at the top.
pub const AXIS_BAND: f64 = 34.0;
/// Space kept below the last node line.
pub const BOTTOM_MARGIN: f64 = 40.0;
/// Space kept right of the plot.
pub const RIGHT_MARGIN: f64 = 16.0;
/// About how far apart the time axis's ticks are, CSS px (the step is the
/// nice number of ms nearest this many pixels).
pub const AXIS_TICK_SPACING_PX: f64 = 90.0;
/// Radius of an event dot.
pub const EVENT_RADIUS: f64 = 6.0;
/// Radius of an event dot in presentation mode (`scene::Style::PRESENTATION`).
pub const PRESENTATION_EVENT_RADIUS: f64 = 8.5;
/// How far from a dot's centre a press still picks the event. It covers the
/// whole of the largest dot the scene draws (presentation mode's, outline
/// included), so the picture and the hit test agree in both views.
pub const EVENT_PICK_RADIUS: f64 = 10.0;
/// How far above or below a node line a press still counts as on the line.
pub const LANE_PICK_DISTANCE: f64 = 16.0;
/// Tallest and shortest distance between two node lines.
pub const MAX_LANE_GAP: f64 = 220.0;
/// Shortest distance between two node lines.
pub const MIN_LANE_GAP: f64 = 44.0;
/// Zoom limits, in ms of real time per CSS pixel.
pub const MIN_MS_PER_PX: f64 = 0.01;
/// Zoom limits, in ms of real time per CSS pixel.
pub const MAX_MS_PER_PX: f64 = 1.0e9;

/// The visible window onto real time, and the canvas size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    /// Canvas width, CSS px.
    pub width: f64,
    /// Canvas height, CSS px.
    pub height: f64,
    /// Real time at the plot's left edge (x = GUTTER).
    pub start_ms: f64,
    /// Zoom: ms of real time per CSS pixel.
    pub ms_per_px: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            width: 900.0,
            height: 420.0,
            start_ms: 0.0,
            ms_per_px: 1.0,
        }
    }
}

impl Viewport {
    /// Width of the plot area, at least one pixel.
    pub fn plot_width(&self) -> f64 {
        (self.width - GUTTER - RIGHT_MARGIN).max(1.0)
    }

    /// Real time at the plot's right edge.
    pub fn end_ms(&self) -> f64 {
        self.start_ms + self.plot_width() * self.ms_per_px
    }

    /// Zooms by `factor` (> 1 zooms in) keeping the time under `anchor_x` fixed.
    pub fn zoom(&mut self, factor: f64, anchor_x: f64) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let anchor_t = self.start_ms + (anchor_x - GUTTER) * self.ms_per_px;
        self.ms_per_px = (self.ms_per_px / factor).clamp(MIN_MS_PER_PX, MAX_MS_PER_PX);
        self.start_ms = anchor_t - (anchor_x - GUTTER) * self.ms_per_px;
    }

    /// Pans by `dx` CSS pixels (positive moves the picture right, to earlier times).
    pub fn pan_px(&mut self, dx: f64) {
        if dx.is_finite() {
            self.start_ms -= dx * self.ms_per_px;
        }
    }

    /// Shows `from..=to` of real time with a little room on both sides.
    pub fn fit(&mut self, from: Time, to: Time) {
        let (from, to) = (from as f64, to as f64);
        let span = (to - from).max(100.0);
        let pad = span * 0.06;
        self.ms_per_px =
            ((span + 2.0 * pad) / self.plot_width()).clamp(MIN_MS_PER_PX, MAX_MS_PER_PX);
        self.start_ms = from - pad;
    }
}

/// What lies under a point of the canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Hit {
    /// An event dot (trace index).
    Event(usize),
    /// A node's line at real time `at_ms`.
    Lane {
        /// Node index.
        node: usize,
        /// Real time under the point, whole ms.
        at_ms: Time,
    },
    /// The real-time axis at the top, at `at_ms`.
    Axis {
        /// Real time under the point.
        at_ms: Time,
    },
    /// A node's name in the gutter.
    NodeLabel(usize),
    /// Nothing: empty plot space.
    Empty,
}

/// The geometry of one frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// The view.
    pub viewport: Viewport,
    /// Number of node lines drawn.
    pub node_count: usize,
    /// Which node each line shows (hidden and reordered nodes).
    pub rows: Rows,
    /// Where the time axis (and the overview strip under it) is drawn again
    /// when the canvas is scrolled inside its stage: the top and bottom of
    /// that stuck head, CSS px from the canvas's top; `(0, 0)` unscrolled.
    pub head: (f64, f64),
    /// Distance between node lines.
    pub lane_gap: f64,
    /// Where the first line's band starts (the axis band's foot, or lower
    /// when the lines do not fill the height).
    pub top: f64,
}

impl Layout {
    /// Lays `node_count` lines out in the viewport.
    pub fn new(viewport: Viewport, node_count: usize) -> Layout {
        Layout::leaving(viewport, Rows::identity(node_count), 0.0)
    }

    /// Lays the `rows` out leaving `reserve` px free at the bottom (for an
    /// overlay such as the first-use hints or the overview strip), as far as
    /// the lines allow.
    pub fn leaving(viewport: Viewport, rows: Rows, reserve: f64) -> Layout {
        Layout::framed(viewport, rows, 0.0, reserve)
    }

    /// Lays the `rows` out leaving `head` px free under the time axis (the
    /// overview strip) and `foot` px at the bottom, as far as the lines allow.
    pub fn framed(viewport: Viewport, rows: Rows, head: f64, foot: f64) -> Layout {
        let room = |r: f64| if r.is_finite() { r.max(0.0) } else { 0.0 };
        let (head, foot) = (room(head), room(foot));
        let node_count = rows.count();
        let usable = (viewport.height - AXIS_BAND - head - BOTTOM_MARGIN - foot).max(1.0);
        let lanes = node_count.max(1) as f64;
        let lane_gap = (usable / lanes).clamp(MIN_LANE_GAP, MAX_LANE_GAP);
        // A few lines in a tall window sit in the middle of it, not huddled
        // under the axis.
        let top = AXIS_BAND + head + ((usable - lane_gap * lanes) / 2.0).max(0.0);
        Layout {
            viewport,
            node_count,
            rows,
            head: (0.0, 0.0),
            lane_gap,
            top,
        }
    }

    /// Height the canvas needs to show every line.
    pub fn content_height(node_count: usize) -> f64 {
        AXIS_BAND + BOTTOM_MARGIN + node_count.max(1) as f64 * MIN_LANE_GAP
    }

    /// Screen x of a real time.
    pub fn x_of(&self, t: f64) -> f64 {
        GUTTER + (t - self.viewport.start_ms) / self.viewport.ms_per_px
    }

    /// Real time under a screen x (fractional).
    pub fn time_at(&self, x: f64) -> f64 {
        self.viewport.start_ms + (x - GUTTER) * self.viewport.ms_per_px
    }

    /// Real time under a screen x, rounded to whole ms and clamped to the
    /// scenario's range.
    pub fn whole_ms_at(&self, x: f64) -> Time {
        let t = self.time_at(x).round();
        if t.is_nan() {
            0
        } else {
            t.clamp(0.0, crate::scenario::MAX_TIME_MS as f64) as Time
        }
    }

    /// Screen y of a node's line (NaN for a hidden node: callers skip
    /// hidden nodes with [`Layout::shows`], and a NaN draws nothing).
    pub fn lane_y(&self, node: usize) -> f64 {
        match self.rows.row_of(node) {
            Some(row) => self.row_y(row),
            None => f64::NAN,
        }
    }

    /// Screen y of the `row`th line from the top.
    pub fn row_y(&self, row: usize) -> f64 {
        self.top + self.lane_gap * (row as f64 + 0.5)
    }

    /// Whether `node`'s line is drawn.
    pub fn shows(&self, node: usize) -> bool {
        self.rows.shows(node)
    }

    /// The node whose line is within [`LANE_PICK_DISTANCE`] of `y`.
    pub fn node_at(&self, y: f64) -> Option<usize> {
        let slot = ((y - self.top) / self.lane_gap - 0.5).round();
        if !(slot >= 0.0 && slot < self.node_count as f64) {
            return None;
        }
        let row = slot as usize;
        if (y - self.row_y(row)).abs() > LANE_PICK_DISTANCE {
            return None;
        }
        self.rows.node_of(row)
    }

    /// Where a trace event's dot is drawn (`None` on a hidden node).
    pub fn event_point(&self, trace: &Trace, event: usize) -> Option<(f64, f64)> {
        let e = trace.event(event)?;
        let row = self.rows.row_of(e.node)?;
        Some((self.x_of(e.real_ms as f64), self.row_y(row)))
    }

    /// The slice of a node's events whose real time lies in `from..=to`.
    pub fn visible_on_node<'t>(
        &self,
        trace: &'t Trace,
        node: usize,
        from: f64,
        to: f64,
    ) -> &'t [usize] {
        let on_node = trace.node_events(node);
        on_node
            .get(Self::visible_range(trace, node, from, to))
            .unwrap_or(&[])
    }

    /// Where [`Layout::visible_on_node`]'s events are in the node's events
    /// (and in [`Trace::node_times`]).
    pub fn visible_range(trace: &Trace, node: usize, from: f64, to: f64) -> std::ops::Range<usize> {
        let times = trace.node_times(node);
        let first = times.partition_point(|&t| (t as f64) < from);
        let last = times.partition_point(|&t| (t as f64) <= to);
        first..last.max(first)
    }

    /// What is under `(x, y)`: a node name in the gutter (which the scene paints
    /// over the plot), else the nearest event dot within the pick radius, a node
    /// line, the axis, or nothing.
    pub fn hit_test(&self, trace: &Trace, x: f64, y: f64) -> Hit {
        if !(x.is_finite() && y.is_finite()) {
            return Hit::Empty;
        }
        // The head stuck over a scrolled canvas hides what lies under it.
        let (head_top, head_bottom) = self.head;
        if head_top > 0.0 && y >= head_top && y < head_bottom {
            return if y < head_top + AXIS_BAND && x >= GUTTER {
                Hit::Axis {
                    at_ms: self.whole_ms_at(x),
                }
            } else {
                Hit::Empty
            };
        }
        if let Some(node) = self.node_at(y) {
            if x < GUTTER {
                return Hit::NodeLabel(node);
            }
            let reach = EVENT_PICK_RADIUS * self.viewport.ms_per_px;
            let t = self.time_at(x);
            let nearest = self
                .visible_on_node(trace, node, t - reach, t + reach)
                .iter()
                .filter_map(|&e| {
                    let (ex, ey) = self.event_point(trace, e)?;
                    let d2 = (ex - x).powi(2) + (ey - y).powi(2);
                    (d2 <= EVENT_PICK_RADIUS * EVENT_PICK_RADIUS).then_some((d2, e))
                })
                .min_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((_, e)) = nearest {
                return Hit::Event(e);
            }
            return Hit::Lane {
                node,
                at_ms: self.whole_ms_at(x),
            };
        }
        if y < AXIS_BAND && x >= GUTTER {
            return Hit::Axis {
                at_ms: self.whole_ms_at(x),
            };
        }
        Hit::Empty
    }
}

/// A "nice" step (1, 2 or 5 times a power of ten) close to `raw`.
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(raw.log10().floor());
    let unit = raw / power;
    let nice = if unit <= 1.0 {
        1.0
    } else if unit <= 2.0 {
        2.0
    } else if unit <= 5.0 {
        5.0
    } else {
        10.0
    };
    (nice * power).max(1.0)
}

/// A time in ms as a short axis label: `250 ms`, `1.5 s`, `2 min`.
pub fn format_ms(t: f64) -> String {
    // Round to what is printed first, so a tiny negative is "0 ms", not "-0 ms".
    let t = (t * 100.0).round() / 100.0 + 0.0;
    let a = t.abs();
    if a >= 120_000.0 {
        trim(format!("{:.2}", t / 60_000.0)) + " min"
    } else if a >= 1_000.0 {
        trim(format!("{:.3}", t / 1_000.0)) + " s"
    } else {
        trim(format!("{t:.2}")) + " ms"
    }
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The unit a time axis counts in, chosen once for all of its ticks so they
/// read alike (`900 ms, 1000 ms, 1100 ms`, never `900 ms, 1 s, 1.1 s`), and
/// the decimals that show its step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AxisUnit {
    /// ms in one unit.
    per: f64,
    /// The unit's name.
    name: &'static str,
    /// Decimals printed.
    decimals: usize,
}

impl AxisUnit {
    /// The unit for ticks `step` ms apart on an axis whose readings reach
    /// `largest` ms (in absolute value).
    pub fn for_axis(step: f64, largest: f64) -> AxisUnit {
        let (per, name) = if step >= 60_000.0 && largest >= 120_000.0 {
            (60_000.0, "min")
        } else if step >= 1_000.0 || largest >= 10_000.0 {
            (1_000.0, "s")
        } else {
            (1.0, "ms")
        };
        // Enough decimals that two ticks a step apart never print alike.
        let in_units = (step / per).abs();
        let mut decimals = 0;
        while decimals < 6 && in_units.is_finite() && in_units > 0.0 {
            let scale = 10f64.powi(decimals as i32);
            if ((in_units * scale).round() - in_units * scale).abs() < 1e-6 {
                break;
            }
            decimals += 1;
        }
        AxisUnit {
            per,
            name,
            decimals,
        }
    }

    /// A tick's reading in this unit.
    pub fn format(&self, t: f64) -> String {
        let v = t / self.per;
        // Round first, so a tiny negative is "0", never "-0".
        let scale = 10f64.powi(self.decimals as i32);
        let v = (v * scale).round() / scale + 0.0;
        format!("{v:.*} {}", self.decimals, self.name)
    }
}
