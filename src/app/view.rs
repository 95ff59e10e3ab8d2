//! The view: how the document is shown, never what it is. Selection and its
//! colouring, hover, playback, the clock that labels events, the page's modes
//! and hints, snapping. It holds no scenario: what needs the replay is given
//! the trace, and what needs the visible window is given the viewport (which
//! [`super::App`] keeps as its public field).

use crate::analysis;
use crate::hints::{Hint, Hints};
use crate::input::Gesture;
use crate::layout::{Hit, Viewport};
use crate::scenario::EventRef;
use crate::sim::Trace;
use hlc::Time;

/// Which clock labels the events (the tooltip and table show them all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClockView {
    /// HLC `(l, c)`.
    #[default]
    Hlc,
    /// The naive Figure 3 rule's `l`.
    Naive,
    /// Lamport clock.
    Lamport,
    /// Vector clock.
    Vector,
    /// The node's physical clock `pt`.
    Physical,
}

impl ClockView {
    /// Every view, in menu order.
    pub const ALL: [ClockView; 5] = [
        ClockView::Hlc,
        ClockView::Naive,
        ClockView::Lamport,
        ClockView::Vector,
        ClockView::Physical,
    ];

    /// Stable identifier (menu values, tests).
    pub fn id(self) -> &'static str {
        match self {
            ClockView::Hlc => "hlc",
            ClockView::Naive => "naive",
            ClockView::Lamport => "lamport",
            ClockView::Vector => "vector",
            ClockView::Physical => "pt",
        }
    }

    /// Menu text.
    pub fn title(self) -> &'static str {
        match self {
            ClockView::Hlc => "HLC (l, c)",
            ClockView::Naive => "naive HLC l (Figure 3)",
            ClockView::Lamport => "Lamport",
            ClockView::Vector => "vector clock",
            ClockView::Physical => "physical time pt",
        }
    }

    /// The view with this id.
    pub fn from_id(id: &str) -> Option<ClockView> {
        ClockView::ALL.into_iter().find(|v| v.id() == id)
    }

    /// The label of trace event `index` under this clock.
    pub fn label(self, trace: &Trace, index: usize) -> String {
        let Some(e) = trace.event(index) else {
            return String::new();
        };
        if e.refused() {
            // Its node had stopped: it took no timestamp of any clock.
            return "refused".to_string();
        }
        match self {
            ClockView::Hlc => e.hlc().to_string(),
            ClockView::Naive => e.naive_l.to_string(),
            ClockView::Lamport => e.lamport.to_string(),
            ClockView::Vector => {
                let entries: Vec<String> = trace.vector(index).iter().map(u32::to_string).collect();
                format!("[{}]", entries.join(" "))
            }
            ClockView::Physical => format!("pt {}", e.pt()),
        }
    }

    /// The clock whose invariants the panel checks: the naive rule's own in
    /// naive view, the HLC's otherwise.
    pub fn checked_clock(self) -> analysis::CheckedClock {
        match self {
            ClockView::Naive => analysis::CheckedClock::Naive,
            _ => analysis::CheckedClock::Hlc,
        }
    }
}

/// What a double-click on a line adds (and a drag between lines sends): the
/// database lens's reads and writes share the event gestures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AddKind {
    /// A plain local event (and a plain message).
    #[default]
    Event,
    /// A put of the chosen key (a drag sends the write to a replica).
    Put,
    /// A get of the chosen key.
    Get,
}

impl AddKind {
    /// Every kind, in the control's order.
    pub const ALL: [AddKind; 3] = [AddKind::Event, AddKind::Put, AddKind::Get];

    /// Stable identifier (the radio buttons' values).
    pub fn id(self) -> &'static str {
        match self {
            AddKind::Event => "event",
            AddKind::Put => "put",
            AddKind::Get => "get",
        }
    }

    /// The kind with this id.
    pub fn from_id(id: &str) -> Option<AddKind> {
        AddKind::ALL.into_iter().find(|k| k.id() == id)
    }
}

/// Playback of the execution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Playback {
    /// Real time of the cursor.
    pub cursor_ms: f64,
    /// Real ms per second of wall time.
    pub speed: f64,
    /// Moving or paused.
    pub playing: bool,
}

/// Speeds offered, real ms per wall second.
pub const PLAY_SPEEDS: [f64; 4] = [100.0, 300.0, 1_000.0, 5_000.0];

/// What a playback tick did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tick {
    /// The cursor moves on.
    Playing,
    /// No playback, or a paused one.
    NotPlaying,
    /// The cursor reached the end and playback stopped: show the whole
    /// execution again.
    Ended,
}

/// How a trace event relates to the selection, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    /// No selection.
    Normal,
    /// The selected event.
    Selected,
    /// In its causal past.
    Past,
    /// In its causal future.
    Future,
    /// Concurrent with it.
    Concurrent,
}

/// Room the first-use hints take at the foot of the diagram, CSS px.
pub const HINTS_RESERVE_PX: f64 = 120.0;

/// What a press would do under the pointer, or what the drag is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Affordance {
    /// Nothing to press (the gutter, or off the canvas).
    Plain,
    /// On a node line: double-click adds an event, a drag sends a message.
    Lane,
    /// On an event: a drag moves it, a click selects it.
    Move,
    /// On an event in a read-only view: a click selects it.
    Select,
    /// On the time axis: a click takes a snapshot.
    Snapshot,
    /// On empty space: a drag pans.
    Pan,
    /// An event is being dragged.
    Moving,
    /// A message is being drawn.
    Sending,
    /// The view is being panned.
    Panning,
}

impl Affordance {
    /// Stable identifier (the canvas's cursor class, tests).
    pub fn id(self) -> &'static str {
        match self {
            Affordance::Plain => "plain",
            Affordance::Lane => "lane",
            Affordance::Move => "move",
            Affordance::Select => "select",
            Affordance::Snapshot => "snapshot",
            Affordance::Pan => "pan",
            Affordance::Moving => "moving",
            Affordance::Sending => "sending",
            Affordance::Panning => "panning",
        }
    }
}

/// The grid new and moved events snap to at this zoom: a tenth of the time
/// axis's step (10 ms when the axis counts in 100 ms), never under 1 ms.
pub fn snap_step_ms(viewport: &Viewport) -> Time {
    let axis_step =
        crate::layout::nice_step(crate::layout::AXIS_TICK_SPACING_PX * viewport.ms_per_px);
    ((axis_step / 10.0).round() as Time).max(1)
}

/// How the document is shown.
#[derive(Debug, Clone)]
pub struct View {
    selection: Option<EventRef>,
    emphasis: Vec<Emphasis>,
    /// Whether the selection colours the diagram by causality (a click does;
    /// an event just added does not).
    causal: bool,
    playback: Option<Playback>,
    /// The speed the next Play starts at.
    play_speed: f64,
    /// The hovered event's trace index.
    pub hover: Option<usize>,
    /// What lies under the pointer while it is over the canvas.
    pub pointer_over: Option<Hit>,
    /// Which clock labels the events.
    pub clock_view: ClockView,
    /// Large labels and thick lines for a room, panels hidden.
    pub presentation: bool,
    /// Whether the table of every event is shown.
    pub table_shown: bool,
    /// Whether the help overlay is shown.
    pub help_shown: bool,
    /// The first-use hints and which are done.
    pub hints: Hints,
    /// Whether new and moved events snap to round times (off while Alt is held).
    pub snapping: bool,
    /// A view that only looks (an embed): gestures and keys that would edit
    /// the scenario do nothing (see [`crate::app::App::set_read_only`]).
    pub read_only: bool,
    /// A tour step or an exercise under way.
    pub lesson: Option<super::Lesson>,
    /// What a double-click adds, and the key of a new put or get.
    pub add_kind: AddKind,
    /// The key a new put or get uses.
    pub add_key: String,
    /// Which node lines show, and in what order.
    pub lanes: crate::lanes::Lanes,
    /// A search or a followed message, and which hit is current.
    pub found: Option<super::reading::Found>,
    /// Whether runs of local events are drawn as one mark each.
    pub collapse_runs: bool,
    /// Whether the find bar shows.
    pub find_open: bool,
    /// How far the canvas is scrolled inside its stage (many lines), CSS px:
    /// the time axis and the overview strip are drawn there, stuck.
    pub scroll_top: f64,
}

impl Default for View {
    fn default() -> View {
        View {
            selection: None,
            emphasis: Vec::new(),
            causal: true,
            playback: None,
            play_speed: PLAY_SPEEDS[1],
            hover: None,
            pointer_over: None,
            clock_view: ClockView::Hlc,
            presentation: false,
            table_shown: false,
            help_shown: false,
            hints: Hints::default(),
            snapping: true,
            read_only: false,
            lesson: None,
            add_kind: AddKind::Event,
            add_key: "x".to_string(),
            lanes: crate::lanes::Lanes::default(),
            found: None,
            collapse_runs: false,
            find_open: false,
            scroll_top: 0.0,
        }
    }
}

impl View {
    /// The selected event.
    pub fn selection(&self) -> Option<EventRef> {
        self.selection
    }

    /// The selected event's index in `trace`.
    pub fn selected_index(&self, trace: &Trace) -> Option<usize> {
        self.selection.and_then(|e| trace.index_of(e))
    }

    /// How trace event `event` relates to the selection.
    pub fn emphasis(&self, event: usize) -> Emphasis {
        self.emphasis
            .get(event)
            .copied()
            .unwrap_or(Emphasis::Normal)
    }

    /// Whether the selection colours the diagram by causality.
    pub fn causal_colouring(&self) -> bool {
        self.causal && self.selection.is_some()
    }

    /// Selects an event of `trace` (or nothing), colouring by causality.
    pub fn select(&mut self, event: Option<EventRef>, trace: &Trace) {
        self.causal = true;
        self.selection = event.filter(|e| trace.index_of(*e).is_some());
        self.refresh_emphasis(trace);
    }

    /// Selects an event just added: it is marked, but the diagram keeps its
    /// colours (a click on it then shows its causal past and future).
    pub fn select_new(&mut self, event: EventRef, trace: &Trace) {
        self.select(Some(event), trace);
        self.causal = false;
        self.refresh_emphasis(trace);
    }

    /// Marks `event` selected (a drag took it) and keeps the colouring mode.
    pub fn grab(&mut self, event: EventRef, trace: &Trace) {
        self.selection = Some(event);
        self.refresh_emphasis(trace);
    }

    /// After an edit the document kept: nothing is hovered, the selection
    /// goes unless the edit keeps it, and a hint it teaches is done.
    pub fn edited(&mut self, trace: &Trace, keeps_selection: bool, hint: Option<Hint>) {
        self.hover = None;
        if !keeps_selection {
            self.selection = None;
        }
        self.refresh_emphasis(trace);
        if let Some(hint) = hint {
            self.hints.mark(hint);
        }
    }

    /// After the scenario was swapped for another (undo, redo, a cancelled
    /// drag): the selection stays if its event still exists.
    pub fn replayed(&mut self, trace: &Trace) {
        self.hover = None;
        if self.selection.is_some_and(|e| trace.index_of(e).is_none()) {
            self.selection = None;
        }
        self.refresh_emphasis(trace);
    }

    /// After a new document opened: nothing selected or hovered, no playback.
    pub fn opened(&mut self, trace: &Trace) {
        // A lesson belongs to the document it opened; another one ends it.
        self.lesson = None;
        self.hover = None;
        self.selection = None;
        // Another scenario's nodes: every line again, no search.
        self.lanes.reset();
        self.found = None;
        self.refresh_emphasis(trace);
        self.playback = None;
    }

    fn refresh_emphasis(&mut self, trace: &Trace) {
        self.emphasis.clear();
        let Some(selected) = self.selected_index(trace) else {
            return;
        };
        if !self.causal {
            self.emphasis = vec![Emphasis::Normal; trace.events().len()];
            self.emphasis[selected] = Emphasis::Selected;
            return;
        }
        self.emphasis = vec![Emphasis::Concurrent; trace.events().len()];
        for e in analysis::causal_past(trace, selected) {
            self.emphasis[e] = Emphasis::Past;
        }
        for e in analysis::causal_future(trace, selected) {
            self.emphasis[e] = Emphasis::Future;
        }
        self.emphasis[selected] = Emphasis::Selected;
    }

    /// Whether the first-use hints card shows over the foot of a diagram of
    /// `height` px with `lanes` lines: while some hints are left, outside
    /// presentation mode, and only where the lines leave it room (a crowded
    /// diagram needs every pixel).
    pub fn hints_card(&self, height: f64, lanes: usize) -> bool {
        use crate::layout::{AXIS_BAND, BOTTOM_MARGIN, MIN_LANE_GAP};
        let room = height - AXIS_BAND - BOTTOM_MARGIN - HINTS_RESERVE_PX;
        // A lesson has its own card, and says what to try.
        self.hints.shown()
            && !self.presentation
            && self.lesson.is_none()
            && room / lanes.max(1) as f64 >= MIN_LANE_GAP
    }

    /// Room kept at the foot of the diagram: the first-use hints card sits
    /// there while it shows, and the lines make room rather than hide under it.
    pub fn foot_reserve_px(&self, height: f64, lanes: usize) -> f64 {
        if self.hints_card(height, lanes) {
            HINTS_RESERVE_PX
        } else {
            0.0
        }
    }

    /// `t` snapped to the grid of `viewport` while snapping is on.
    pub fn snapped(&self, viewport: &Viewport, t: Time) -> Time {
        if !self.snapping {
            return t;
        }
        let step = snap_step_ms(viewport);
        let down = t.div_euclid(step) * step;
        let up = down.saturating_add(step);
        let nearest = if t - down < up - t { down } else { up };
        nearest.clamp(0, crate::scenario::MAX_TIME_MS)
    }

    /// Whether gestures only look: an embed without `&edit`, or an exercise
    /// (whose execution stays fixed while it is answered).
    pub fn looks_only(&self) -> bool {
        self.read_only || self.lesson_locks_edits()
    }

    /// Whether an exercise fixes the scenario while it is answered.
    pub fn lesson_locks_edits(&self) -> bool {
        self.lesson.as_ref().is_some_and(super::Lesson::locks_edits)
    }

    /// What a press would do where the pointer is, or what `gesture` is doing.
    pub fn affordance(&self, gesture: Gesture) -> Affordance {
        match gesture {
            Gesture::MovingEvent { .. } => Affordance::Moving,
            Gesture::RubberBand { .. } => Affordance::Sending,
            Gesture::Panning { .. } => Affordance::Panning,
            Gesture::Idle | Gesture::Pressed { .. } => match self.pointer_over {
                Some(Hit::Event(_)) if self.looks_only() => Affordance::Select,
                Some(Hit::Event(_)) => Affordance::Move,
                Some(Hit::Lane { .. }) if self.looks_only() => Affordance::Plain,
                Some(Hit::Lane { .. }) => Affordance::Lane,
                Some(Hit::Axis { .. }) => Affordance::Snapshot,
                Some(Hit::Empty) => Affordance::Pan,
                Some(Hit::NodeLabel(_)) | None => Affordance::Plain,
            },
        }
    }

    /// Playback, if started.
    pub fn playback(&self) -> Option<Playback> {
        self.playback
    }

    /// Starts, pauses or resumes playback over `span` (first and last event
    /// time); returns whether it started, so the caller shows the whole
    /// execution.
    pub fn toggle_play(&mut self, (start, end): (Time, Time)) -> bool {
        match &mut self.playback {
            Some(p) if p.playing => p.playing = false,
            Some(p) => {
                if p.cursor_ms >= end as f64 {
                    p.cursor_ms = start as f64;
                }
                p.playing = true;
            }
            None => {
                self.playback = Some(Playback {
                    cursor_ms: start as f64,
                    speed: self.play_speed,
                    playing: true,
                });
                return true;
            }
        }
        false
    }

    /// Stops playback; returns whether there was one (so the caller shows the
    /// whole execution again).
    pub fn stop_playback(&mut self) -> bool {
        self.playback.take().is_some()
    }

    /// Moves the cursor to `at_ms`, kept inside `span`, and pauses there;
    /// starts a paused playback if none is under way.
    pub fn seek_playback(&mut self, at_ms: f64, (start, end): (Time, Time)) {
        if !at_ms.is_finite() {
            return;
        }
        let cursor_ms = at_ms.clamp(start as f64, end as f64);
        match &mut self.playback {
            Some(p) => {
                p.cursor_ms = cursor_ms;
                p.playing = false;
            }
            None => {
                self.playback = Some(Playback {
                    cursor_ms,
                    speed: self.play_speed,
                    playing: false,
                })
            }
        }
    }

    /// Sets the playback speed (real ms per wall second).
    pub fn set_play_speed(&mut self, speed: f64) {
        if !(speed.is_finite() && speed > 0.0) {
            return;
        }
        // Remembered for the next Play; a playback under way changes at once.
        self.play_speed = speed;
        if let Some(p) = &mut self.playback {
            p.speed = speed;
        }
    }

    /// Advances playback by `wall_ms` of wall time towards `end_ms`. The
    /// viewport follows the cursor if it was zoomed in.
    pub fn advance_playback(&mut self, wall_ms: f64, end_ms: f64, viewport: &mut Viewport) -> Tick {
        let Some(p) = &mut self.playback else {
            return Tick::NotPlaying;
        };
        if !p.playing || !wall_ms.is_finite() {
            return if p.playing {
                Tick::Playing
            } else {
                Tick::NotPlaying
            };
        }
        p.cursor_ms += p.speed * wall_ms.clamp(0.0, 250.0) / 1_000.0;
        if p.cursor_ms >= end_ms {
            self.playback = None;
            return Tick::Ended;
        }
        let cursor = p.cursor_ms;
        let view_end = viewport.end_ms();
        let span = view_end - viewport.start_ms;
        if cursor > view_end - span * 0.1 || cursor < viewport.start_ms {
            viewport.start_ms = cursor - span * 0.3;
        }
        Tick::Playing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snap_step_is_a_tenth_of_the_axis_step() {
        // 90 px of axis spacing is 90 ms: ticks every 100 ms.
        let mut viewport = Viewport {
            ms_per_px: 1.0,
            ..Viewport::default()
        };
        assert_eq!(snap_step_ms(&viewport), 10);
        viewport.ms_per_px = 100.0; // ticks every 10 s
        assert_eq!(snap_step_ms(&viewport), 1_000);
        viewport.ms_per_px = 0.001; // never finer than 1 ms
        assert_eq!(snap_step_ms(&viewport), 1);
    }

    #[test]
    fn snapping_rounds_to_the_nearest_step_and_can_be_turned_off() {
        let mut view = View::default();
        let viewport = Viewport::default();
        assert_eq!(view.snapped(&viewport, 104), 100);
        assert_eq!(view.snapped(&viewport, 105), 110);
        assert_eq!(view.snapped(&viewport, -3), 0);
        view.snapping = false;
        assert_eq!(view.snapped(&viewport, 104), 104);
    }

    #[test]
    fn playback_starts_pauses_seeks_and_ends() {
        let mut view = View::default();
        let mut viewport = Viewport::default();
        assert!(view.toggle_play((0, 1_000)), "starting asks for a fit");
        assert!(!view.toggle_play((0, 1_000)), "pausing does not");
        assert_eq!(
            view.advance_playback(100.0, 1_000.0, &mut viewport),
            Tick::NotPlaying
        );
        view.seek_playback(2_000.0, (0, 1_000));
        assert_eq!(view.playback().map(|p| p.cursor_ms), Some(1_000.0));
        view.toggle_play((0, 1_000));
        assert_eq!(view.playback().map(|p| p.cursor_ms), Some(0.0), "rewound");
        view.set_play_speed(PLAY_SPEEDS[3]);
        assert_eq!(
            view.advance_playback(100.0, 1_000.0, &mut viewport),
            Tick::Playing
        );
        assert_eq!(view.playback().map(|p| p.cursor_ms), Some(500.0));
        assert_eq!(
            view.advance_playback(100.0, 1_000.0, &mut viewport),
            Tick::Ended
        );
        assert_eq!(view.playback(), None);
    }

    #[test]
    fn the_affordance_follows_the_pointer_unless_a_drag_is_under_way() {
        let mut view = View::default();
        assert_eq!(view.affordance(Gesture::Idle), Affordance::Plain);
        view.pointer_over = Some(Hit::Empty);
        assert_eq!(view.affordance(Gesture::Idle), Affordance::Pan);
        view.pointer_over = Some(Hit::Event(0));
        assert_eq!(view.affordance(Gesture::Idle), Affordance::Move);
    }
}
