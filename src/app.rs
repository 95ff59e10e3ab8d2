//! The page's state and every change to it. The browser layer turns DOM events
//! into calls here and paints what [`crate::scene`] builds from this state.
//!
//! Every edit is tried on a copy of the scenario, validated and replayed; only a
//! valid result replaces the current one, so the scenario on screen is always
//! valid and a refused edit loses nothing (it becomes a notice).

use crate::analysis::{self, Cut};
use crate::input::{Action, Gesture, KeyCommand, KeyPress, PointerSample};
use crate::layout::{Hit, Layout, Viewport};
use crate::scenario::{
    ClockStep, EventRef, LocalEvent, Message, Node, Scenario, Settings, MAX_NODES, MAX_SKEW_MS,
};
use crate::sim::{self, EventKind, Trace};
use hlc::{Time, Timestamp};

/// How long after the selected event `E` adds a local event.
pub const ADD_AFTER_MS: Time = 50;

/// A change to the scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Add a local event.
    AddLocal {
        /// Node index.
        node: usize,
        /// Real time.
        at_ms: Time,
    },
    /// Add a message.
    AddMessage(Message),
    /// Move an event (a local event, or one end of a message) along its line.
    MoveEvent {
        /// Which.
        event: EventRef,
        /// New real time.
        at_ms: Time,
    },
    /// Delete a local event, or the whole message one of whose ends this is.
    DeleteEvent(EventRef),
    /// Add a node.
    AddNode,
    /// Remove a node and everything on it.
    RemoveNode(usize),
    /// Rename a node.
    RenameNode {
        /// Node index.
        node: usize,
        /// New name.
        name: String,
    },
    /// Set a node's clock skew.
    SetSkew {
        /// Node index.
        node: usize,
        /// Skew, ms.
        skew_ms: Time,
    },
    /// Set a node's clock drift.
    SetDrift {
        /// Node index.
        node: usize,
        /// Drift, parts per million.
        drift_ppm: i64,
    },
    /// Set a node's clock steps.
    SetSteps {
        /// Node index.
        node: usize,
        /// The steps.
        steps: Vec<ClockStep>,
    },
    /// Set the clock policies.
    SetSettings(Settings),
    /// Replace the whole scenario.
    Replace(Scenario),
}

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
    pub fn checked_clock(self) -> crate::analysis::CheckedClock {
        match self {
            ClockView::Naive => crate::analysis::CheckedClock::Naive,
            _ => crate::analysis::CheckedClock::Hlc,
        }
    }
}

/// A non-blocking message for the person (a refused edit, a hint). Its text
/// is a few lines at most; anything longer (every line a log import could not
/// read, say) goes in `more`, which the page shows as a "N more…" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// What to show, at most [`NOTICE_MAX_CHARS`] characters.
    pub text: String,
    /// The details behind it, shown on request.
    pub more: Vec<String>,
    /// Increases with every notice, so the page can tell a new one from an old.
    pub serial: u64,
}

/// The snapshot the person asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    /// The HLC time of the cut; the physical cut compared with it is at `theta.l`.
    pub theta: Timestamp,
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

/// Longest notice text shown at once; the rest goes behind "N more…".
pub const NOTICE_MAX_CHARS: usize = 200;
/// Most detail lines a notice keeps (the list says how many were left out).
pub const NOTICE_MAX_MORE: usize = 500;

/// Speeds offered, real ms per wall second.
pub const PLAY_SPEEDS: [f64; 4] = [100.0, 300.0, 1_000.0, 5_000.0];

/// Most scenarios kept for undo, counted in events so large scenarios keep fewer steps.
pub const UNDO_EVENT_BUDGET: usize = 2_000_000;
/// Most undo steps kept, whatever their size.
pub const MAX_UNDO_STEPS: usize = 500;

/// Edits that continue one gesture and so share one undo step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StepKey {
    Move(EventRef),
    Skew(usize),
}

impl StepKey {
    fn of(edit: &Edit) -> Option<StepKey> {
        match edit {
            Edit::MoveEvent { event, .. } => Some(StepKey::Move(*event)),
            Edit::SetSkew { node, .. } => Some(StepKey::Skew(*node)),
            _ => None,
        }
    }
}

#[derive(Clone)]
struct MoveInProgress {
    event: EventRef,
    original_ms: Time,
    refused: Option<String>,
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
            Affordance::Snapshot => "snapshot",
            Affordance::Pan => "pan",
            Affordance::Moving => "moving",
            Affordance::Sending => "sending",
            Affordance::Panning => "panning",
        }
    }
}

/// The whole page state.
#[derive(Clone)]
pub struct App {
    scenario: Scenario,
    trace: Trace,
    /// The visible window.
    pub viewport: Viewport,
    selection: Option<EventRef>,
    emphasis: Vec<Emphasis>,
    hover: Option<usize>,
    snapshot: Option<Snapshot>,
    gesture: Gesture,
    touch: crate::touch::TouchTracker,
    moving: Option<MoveInProgress>,
    playback: Option<Playback>,
    notice: Option<Notice>,
    notice_serial: u64,
    show_help: bool,
    table_shown: bool,
    presentation: bool,
    /// Whether the selection colours the diagram by causality (a click does;
    /// an event just added does not).
    causal: bool,
    /// Whether new and moved events snap to round times (off while Alt is held).
    snapping: bool,
    hints: crate::hints::Hints,
    /// What lies under the pointer while it is over the canvas.
    pointer_over: Option<Hit>,
    revision: u64,
    undo: Vec<Scenario>,
    redo: Vec<Scenario>,
    open_step: Option<StepKey>,
    clock_view: ClockView,
    play_speed: f64,
    document: u64,
    parked_redo: Option<Vec<Scenario>>,
}

impl App {
    /// A page showing `scenario` (which must be valid; an invalid one is
    /// replaced by the default and a notice says why).
    pub fn new(scenario: Scenario) -> App {
        let (scenario, trace, problem) = match sim::replay(&scenario) {
            Ok(trace) => (scenario, trace, None),
            Err(e) => {
                let fallback = default_scenario();
                let trace = sim::replay_valid(&fallback);
                (fallback, trace, Some(e.to_string()))
            }
        };
        let mut app = App {
            scenario,
            trace,
            viewport: Viewport::default(),
            selection: None,
            emphasis: Vec::new(),
            hover: None,
            snapshot: None,
            gesture: Gesture::Idle,
            touch: crate::touch::TouchTracker::default(),
            moving: None,
            playback: None,
            notice: None,
            notice_serial: 0,
            show_help: false,
            table_shown: false,
            presentation: false,
            causal: true,
            snapping: true,
            hints: crate::hints::Hints::default(),
            pointer_over: None,
            revision: 0,
            undo: Vec::new(),
            redo: Vec::new(),
            open_step: None,
            clock_view: ClockView::Hlc,
            play_speed: PLAY_SPEEDS[1],
            document: 0,
            parked_redo: None,
        };
        app.refresh_emphasis();
        if let Some(problem) = problem {
            app.notify(format!(
                "Could not open that scenario ({problem}); showing the default one."
            ));
        }
        app
    }

    /// The current scenario (always valid).
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Its replay.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// Increases with every change to the scenario.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The geometry of the current frame.
    pub fn layout(&self) -> Layout {
        // While the first-use hints show they sit at the foot of the diagram:
        // the lines make room for them rather than hide under them.
        let reserve = if self.hints_card() {
            HINTS_RESERVE_PX
        } else {
            0.0
        };
        Layout::leaving(self.viewport, self.scenario.nodes.len(), reserve)
    }

    /// The selected event.
    pub fn selection(&self) -> Option<EventRef> {
        self.selection
    }

    /// The selected event's trace index.
    pub fn selected_index(&self) -> Option<usize> {
        self.selection.and_then(|e| self.trace.index_of(e))
    }

    /// How each trace event relates to the selection.
    pub fn emphasis(&self, event: usize) -> Emphasis {
        self.emphasis
            .get(event)
            .copied()
            .unwrap_or(Emphasis::Normal)
    }

    /// The hovered event's trace index.
    pub fn hover(&self) -> Option<usize> {
        self.hover
    }

    /// The snapshot, if one is taken.
    pub fn snapshot(&self) -> Option<Snapshot> {
        self.snapshot
    }

    /// Which clock labels the events.
    pub fn clock_view(&self) -> ClockView {
        self.clock_view
    }

    /// Labels the events with another clock.
    pub fn set_clock_view(&mut self, view: ClockView) {
        self.clock_view = view;
    }

    /// The invariants, checked on the clock in view (see
    /// [`ClockView::checked_clock`]).
    pub fn invariant_checks(&self) -> Vec<crate::analysis::InvariantCheck> {
        crate::analysis::check_invariants_of(
            &self.scenario,
            &self.trace,
            self.clock_view.checked_clock(),
        )
    }

    /// Selects the first event that breaks an invariant, if any does; returns
    /// whether one was selected.
    pub fn select_offender(&mut self, invariant: crate::analysis::Invariant) -> bool {
        let offender = self
            .invariant_checks()
            .into_iter()
            .find(|c| c.invariant == invariant)
            .and_then(|c| c.offenders.first().copied());
        match offender {
            Some(index) => {
                self.select_index(Some(index));
                true
            }
            None => false,
        }
    }

    /// The pointer gesture under way.
    pub fn gesture(&self) -> Gesture {
        self.gesture
    }

    /// Playback, if started.
    pub fn playback(&self) -> Option<Playback> {
        self.playback
    }

    /// The latest notice.
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// Whether the help overlay is shown.
    pub fn help_shown(&self) -> bool {
        self.show_help
    }

    /// Shows or hides the help overlay.
    pub fn set_help(&mut self, shown: bool) {
        self.show_help = shown;
    }

    /// Whether the table of every event (the diagram as text) is shown.
    pub fn table_shown(&self) -> bool {
        self.table_shown
    }

    /// Shows or hides the table of every event.
    pub fn set_table_shown(&mut self, shown: bool) {
        self.table_shown = shown;
    }

    /// Whether the page is in presentation mode: large labels and thick lines
    /// for a room, panels hidden.
    pub fn presentation(&self) -> bool {
        self.presentation
    }

    /// Turns presentation mode on or off.
    pub fn set_presentation(&mut self, on: bool) {
        self.presentation = on;
    }

    /// The first-use hints and which are done.
    pub fn hints(&self) -> crate::hints::Hints {
        self.hints
    }

    /// Whether the first-use hints card shows over the foot of the diagram:
    /// while some hints are left, outside presentation mode, and only where
    /// the lines leave it room (a crowded diagram needs every pixel).
    pub fn hints_card(&self) -> bool {
        use crate::layout::{AXIS_BAND, BOTTOM_MARGIN, MIN_LANE_GAP};
        let lanes = self.scenario.nodes.len().max(1) as f64;
        let room = self.viewport.height - AXIS_BAND - BOTTOM_MARGIN - HINTS_RESERVE_PX;
        self.hints.shown() && !self.presentation && room / lanes >= MIN_LANE_GAP
    }

    /// Replaces the hints' state (restored from storage, closed, or reset
    /// from Help).
    pub fn set_hints(&mut self, hints: crate::hints::Hints) {
        self.hints = hints;
    }

    /// Whether the selection colours the diagram by causality.
    pub fn causal_colouring(&self) -> bool {
        self.causal && self.selection.is_some()
    }

    /// Turns snapping to round times on or off (the page turns it off while
    /// Alt is held).
    pub fn set_snapping(&mut self, on: bool) {
        self.snapping = on;
    }

    /// The grid new and moved events snap to at this zoom: a tenth of the
    /// time axis's step (10 ms when the axis counts in 100 ms), never under
    /// 1 ms.
    pub fn snap_step_ms(&self) -> Time {
        let axis_step =
            crate::layout::nice_step(crate::layout::AXIS_TICK_SPACING_PX * self.viewport.ms_per_px);
        ((axis_step / 10.0).round() as Time).max(1)
    }

    /// `t` snapped to the grid while snapping is on.
    fn snapped(&self, t: Time) -> Time {
        if !self.snapping {
            return t;
        }
        let step = self.snap_step_ms();
        let down = t.div_euclid(step) * step;
        let up = down.saturating_add(step);
        let nearest = if t - down < up - t { down } else { up };
        nearest.clamp(0, crate::scenario::MAX_TIME_MS)
    }

    /// Posts a notice. A text longer than [`NOTICE_MAX_CHARS`] is cut at a
    /// word, and the whole of it is kept behind "more…".
    pub fn notify(&mut self, text: impl Into<String>) {
        self.notify_more(text, Vec::new());
    }

    /// Posts a notice with details behind it (one line each), shown on request.
    pub fn notify_more(&mut self, text: impl Into<String>, mut more: Vec<String>) {
        let text = text.into();
        let shown = if text.chars().count() > NOTICE_MAX_CHARS {
            let head: String = text.chars().take(NOTICE_MAX_CHARS).collect();
            let cut = head.rfind(' ').filter(|&k| k > NOTICE_MAX_CHARS / 2);
            more.insert(0, text.clone());
            format!("{}…", cut.map_or(head.as_str(), |k| &head[..k]))
        } else {
            text
        };
        if more.len() > NOTICE_MAX_MORE {
            let left = more.len() - NOTICE_MAX_MORE;
            more.truncate(NOTICE_MAX_MORE);
            more.push(format!("… and {left} more not listed."));
        }
        self.notice_serial += 1;
        self.notice = Some(Notice {
            text: shown,
            more,
            serial: self.notice_serial,
        });
    }

    /// Resizes the canvas (CSS px), keeping the time at the left edge.
    pub fn resize(&mut self, width: f64, height: f64) {
        if width.is_finite() && height.is_finite() {
            self.viewport.width = width.max(1.0);
            self.viewport.height = height.max(1.0);
        }
    }

    /// Fits the view to every event (and real time 0).
    pub fn fit(&mut self) {
        let events = self.trace.events();
        let (from, to) = match (events.first(), events.last()) {
            (Some(a), Some(b)) => (a.real_ms.min(0), b.real_ms),
            _ => (0, 1_000),
        };
        self.viewport.fit(from, to.max(from + 100));
    }

    /// The cuts of the current snapshot: at `theta` by HLC, and at `theta.l` by
    /// each node's physical clock.
    pub fn cuts(&self) -> Option<(Cut, Cut)> {
        self.snapshot.map(|s| {
            (
                analysis::hlc_cut(&self.trace, s.theta),
                analysis::physical_cut(&self.trace, s.theta.l),
            )
        })
    }

    /// Opens a whole scenario (a link, a preset, a file, a saved scenario) as
    /// a new document: its own undo history, its snapshot, the view fitted to
    /// it. The document it replaces is not lost: the page saved it (see
    /// [`App::document`]). A refused scenario changes nothing and says why.
    pub fn open(&mut self, scenario: Scenario, snapshot: Option<Timestamp>) -> Result<(), String> {
        self.interrupt_gesture();
        let trace = sim::replay(&scenario).map_err(|e| sentence(&e.to_string()))?;
        self.scenario = scenario;
        self.trace = trace;
        self.undo.clear();
        self.redo.clear();
        self.open_step = None;
        self.parked_redo = None;
        self.revision += 1;
        self.document += 1;
        self.hover = None;
        self.selection = None;
        self.refresh_emphasis();
        self.snapshot = snapshot.map(|theta| Snapshot { theta });
        self.playback = None;
        self.fit();
        Ok(())
    }

    /// Increases each time [`App::open`] starts a new document, so the page can
    /// tell an edit of the document it saves from a different document.
    pub fn document(&self) -> u64 {
        self.document
    }

    /// Any change to the scenario that does not come from the gesture in
    /// progress ends that gesture first: a dragged event goes back where it
    /// was, a rubber band is dropped. So a drag never goes on moving an event
    /// whose index the change gave to another. Every public way to change the
    /// scenario calls this; the gesture's own edits come through [`App::act`].
    fn interrupt_gesture(&mut self) {
        if self.gesture != Gesture::Idle {
            self.pointer_cancel();
        }
    }

    /// The permalink fragment (without `#`) of the scenario and snapshot.
    pub fn permalink(&self) -> String {
        crate::permalink::encode(&self.scenario, self.snapshot.map(|s| s.theta))
    }

    /// Takes (or clears) a snapshot.
    pub fn set_snapshot(&mut self, theta: Option<Timestamp>) {
        self.snapshot = theta.map(|theta| Snapshot { theta });
    }

    /// Applies an edit as one undo step. A refused edit changes nothing and
    /// returns why.
    pub fn apply(&mut self, edit: Edit) -> Result<(), String> {
        self.interrupt_gesture();
        self.end_step();
        self.apply_in_step(edit, None)
    }

    /// Applies an edit that continues a gesture (a slider drag, an event drag):
    /// consecutive ones on the same node or event share one undo step until
    /// [`App::end_step`].
    pub fn apply_continuing(&mut self, edit: Edit) -> Result<(), String> {
        self.interrupt_gesture();
        self.continue_step(edit)
    }

    /// [`App::apply_continuing`] for the gesture's own edits.
    fn continue_step(&mut self, edit: Edit) -> Result<(), String> {
        let key = StepKey::of(&edit);
        if key.is_none() || key != self.open_step {
            self.end_step();
        }
        self.apply_in_step(edit, key)
    }

    /// Whether a gesture's edits (a slider drag, an event drag) are still
    /// coming: views that are slow to compute can wait for it to end.
    pub fn step_open(&self) -> bool {
        self.open_step.is_some()
    }

    /// Ends the gesture: the next edit starts a new undo step.
    pub fn end_step(&mut self) {
        self.open_step = None;
        self.parked_redo = None;
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Undoes the last step; returns whether there was one.
    pub fn undo(&mut self) -> bool {
        self.interrupt_gesture();
        self.end_step();
        let Some(previous) = self.undo.pop() else {
            return false;
        };
        let current = std::mem::replace(&mut self.scenario, previous);
        self.redo.push(current);
        self.replayed();
        true
    }

    /// Redoes the last undone step; returns whether there was one.
    pub fn redo(&mut self) -> bool {
        self.interrupt_gesture();
        self.end_step();
        let Some(next) = self.redo.pop() else {
            return false;
        };
        let current = std::mem::replace(&mut self.scenario, next);
        self.undo.push(current);
        self.replayed();
        true
    }

    /// After the scenario was swapped for a known-valid one.
    fn replayed(&mut self) {
        self.trace = sim::replay_valid(&self.scenario);
        self.revision += 1;
        self.hover = None;
        if self
            .selection
            .is_some_and(|e| self.trace.index_of(e).is_none())
        {
            self.selection = None;
        }
        self.refresh_emphasis();
    }

    fn push_undo(&mut self, previous: Scenario) {
        self.undo.push(previous);
        // A drag may still be cancelled, as if it never happened: its redo
        // steps are kept aside until it ends.
        let redo = std::mem::take(&mut self.redo);
        if matches!(self.open_step, Some(StepKey::Move(_))) || self.moving.is_some() {
            self.parked_redo = Some(redo);
        }
        let mut budget = UNDO_EVENT_BUDGET;
        let mut keep = 0;
        for s in self.undo.iter().rev() {
            let cost = s.event_count().max(1);
            if keep >= MAX_UNDO_STEPS || cost > budget {
                break;
            }
            budget -= cost;
            keep += 1;
        }
        let drop = self.undo.len() - keep.max(1);
        self.undo.drain(..drop);
    }

    fn apply_in_step(&mut self, edit: Edit, key: Option<StepKey>) -> Result<(), String> {
        let hint = match edit {
            Edit::AddLocal { .. } => Some(crate::hints::Hint::AddEvent),
            Edit::AddMessage(_) => Some(crate::hints::Hint::SendMessage),
            Edit::SetSkew { .. } => Some(crate::hints::Hint::Skew),
            _ => None,
        };
        let mut next = self.scenario.clone();
        let mut keep_selection = true;
        match edit {
            Edit::AddLocal { node, at_ms } => next.events.push(LocalEvent { node, at_ms }),
            Edit::AddMessage(message) => next.messages.push(message),
            Edit::MoveEvent { event, at_ms } => match event {
                EventRef::Local(i) => {
                    set_time(next.events.get_mut(i).map(|e| &mut e.at_ms), at_ms)?
                }
                EventRef::Send(i) => {
                    set_time(next.messages.get_mut(i).map(|m| &mut m.sent_at_ms), at_ms)?
                }
                EventRef::Recv(i) => set_time(
                    next.messages.get_mut(i).map(|m| &mut m.received_at_ms),
                    at_ms,
                )?,
            },
            Edit::DeleteEvent(event) => {
                keep_selection = false;
                match event {
                    EventRef::Local(i) if i < next.events.len() => {
                        next.events.remove(i);
                    }
                    EventRef::Send(i) | EventRef::Recv(i) if i < next.messages.len() => {
                        next.messages.remove(i);
                    }
                    _ => return Err("That event no longer exists.".into()),
                }
            }
            Edit::AddNode => {
                if next.nodes.len() >= MAX_NODES {
                    return Err(format!("A scenario has at most {MAX_NODES} nodes."));
                }
                let name = fresh_node_name(&next.nodes);
                next.nodes.push(Node::named(name));
            }
            Edit::RemoveNode(node) => {
                if node >= next.nodes.len() {
                    return Err("That node no longer exists.".into());
                }
                if next.nodes.len() == 1 {
                    return Err("The last node cannot be removed.".into());
                }
                keep_selection = false;
                next.nodes.remove(node);
                next.events.retain(|e| e.node != node);
                next.messages.retain(|m| m.from != node && m.to != node);
                let shift = |n: usize| if n > node { n - 1 } else { n };
                for e in &mut next.events {
                    e.node = shift(e.node);
                }
                for m in &mut next.messages {
                    m.from = shift(m.from);
                    m.to = shift(m.to);
                }
            }
            Edit::RenameNode { node, name } => match next.nodes.get_mut(node) {
                Some(n) => n.name = name.trim().to_string(),
                None => return Err("That node no longer exists.".into()),
            },
            Edit::SetSkew { node, skew_ms } => match next.nodes.get_mut(node) {
                Some(n) => n.skew_ms = skew_ms.clamp(-MAX_SKEW_MS, MAX_SKEW_MS),
                None => return Err("That node no longer exists.".into()),
            },
            Edit::SetDrift { node, drift_ppm } => match next.nodes.get_mut(node) {
                Some(n) => n.drift_ppm = drift_ppm,
                None => return Err("That node no longer exists.".into()),
            },
            Edit::SetSteps { node, steps } => match next.nodes.get_mut(node) {
                Some(n) => n.steps = steps,
                None => return Err("That node no longer exists.".into()),
            },
            Edit::SetSettings(settings) => next.settings = settings,
            Edit::Replace(scenario) => {
                keep_selection = false;
                next = scenario;
            }
        }
        let trace = sim::replay(&next).map_err(|e| sentence(&e.to_string()))?;
        let previous = std::mem::replace(&mut self.scenario, next);
        if key.is_none() || self.open_step != key {
            self.push_undo(previous);
        }
        self.open_step = key;
        self.trace = trace;
        self.revision += 1;
        self.hover = None;
        if !keep_selection {
            self.selection = None;
        }
        self.refresh_emphasis();
        if let Some(hint) = hint {
            self.hints.mark(hint);
        }
        Ok(())
    }

    /// Applies an edit and turns a refusal into a notice; returns whether it was kept.
    pub fn apply_or_notify(&mut self, edit: Edit) -> bool {
        match self.apply(edit) {
            Ok(()) => true,
            Err(why) => {
                self.notify(why);
                false
            }
        }
    }

    /// Selects an event (or nothing), colouring the diagram by causality.
    pub fn select(&mut self, event: Option<EventRef>) {
        self.causal = true;
        self.selection = event.filter(|e| self.trace.index_of(*e).is_some());
        self.refresh_emphasis();
    }

    /// Selects an event just added: it is marked, but the diagram keeps its
    /// colours (a click on it then shows its causal past and future).
    fn select_new(&mut self, event: EventRef) {
        self.select(Some(event));
        self.causal = false;
        self.refresh_emphasis();
    }

    /// Selects an event by its trace index (or nothing).
    pub fn select_index(&mut self, index: Option<usize>) {
        let event = index.and_then(|i| self.trace.event(i)).map(|e| e.source);
        self.select(event);
    }

    fn refresh_emphasis(&mut self) {
        self.emphasis.clear();
        let Some(selected) = self.selected_index() else {
            return;
        };
        if !self.causal {
            self.emphasis = vec![Emphasis::Normal; self.trace.events().len()];
            self.emphasis[selected] = Emphasis::Selected;
            return;
        }
        self.emphasis = vec![Emphasis::Concurrent; self.trace.events().len()];
        for e in analysis::causal_past(&self.trace, selected) {
            self.emphasis[e] = Emphasis::Past;
        }
        for e in analysis::causal_future(&self.trace, selected) {
            self.emphasis[e] = Emphasis::Future;
        }
        self.emphasis[selected] = Emphasis::Selected;
    }

    fn sample(&self, x: f64, y: f64) -> PointerSample {
        let layout = self.layout();
        // Times a press would create snap to the grid: a new event, a message's
        // ends, a snapshot on the axis (an event's own time is kept as is).
        let hit = match layout.hit_test(&self.trace, x, y) {
            Hit::Lane { node, at_ms } => Hit::Lane {
                node,
                at_ms: self.snapped(at_ms),
            },
            Hit::Axis { at_ms } => Hit::Axis {
                at_ms: self.snapped(at_ms),
            },
            other => other,
        };
        PointerSample {
            x,
            y,
            hit,
            at_ms: self.snapped(layout.whole_ms_at(x)),
        }
    }

    /// A primary-button press at `(x, y)` (CSS px on the canvas).
    pub fn pointer_down(&mut self, x: f64, y: f64) {
        let sample = self.sample(x, y);
        let actions = self.gesture.press(sample);
        self.run(actions);
    }

    /// The pointer moved.
    pub fn pointer_move(&mut self, x: f64, y: f64) {
        let sample = self.sample(x, y);
        self.pointer_over = Some(sample.hit);
        let actions = self.gesture.pointer_move(sample);
        self.run(actions);
    }

    /// What lies under the pointer (for hover feedback), if it is over the canvas.
    pub fn pointer_over(&self) -> Option<Hit> {
        self.pointer_over
    }

    /// What a press would do where the pointer is, or what the drag under way
    /// is doing: the page shows it as the cursor.
    pub fn affordance(&self) -> Affordance {
        match self.gesture {
            Gesture::MovingEvent { .. } => Affordance::Moving,
            Gesture::RubberBand { .. } => Affordance::Sending,
            Gesture::Panning { .. } => Affordance::Panning,
            Gesture::Idle | Gesture::Pressed { .. } => match self.pointer_over {
                Some(Hit::Event(_)) => Affordance::Move,
                Some(Hit::Lane { .. }) => Affordance::Lane,
                Some(Hit::Axis { .. }) => Affordance::Snapshot,
                Some(Hit::Empty) => Affordance::Pan,
                Some(Hit::NodeLabel(_)) | None => Affordance::Plain,
            },
        }
    }

    /// The primary button was released.
    pub fn pointer_up(&mut self, x: f64, y: f64) {
        let sample = self.sample(x, y);
        let actions = self.gesture.release(sample);
        self.run(actions);
    }

    /// The gesture was interrupted (pointercancel, blur, lost capture).
    pub fn pointer_cancel(&mut self) {
        let actions = self.gesture.cancel();
        self.run(actions);
    }

    /// The pointer left the canvas without a button down.
    pub fn pointer_leave(&mut self) {
        self.pointer_over = None;
        if self.gesture == Gesture::Idle {
            self.hover = None;
        }
    }

    /// A double click.
    pub fn double_click(&mut self, x: f64, y: f64) {
        let sample = self.sample(x, y);
        let actions = self.gesture.double_click(sample);
        self.run(actions);
    }

    /// A wheel turn at screen x.
    pub fn wheel(&mut self, x: f64, delta_x: f64, delta_y: f64, shift: bool) {
        let actions = self.gesture.wheel(x, delta_x, delta_y, shift);
        self.run(actions);
    }

    fn run(&mut self, actions: Vec<Action>) {
        for action in actions {
            self.act(action);
        }
    }

    fn act(&mut self, action: Action) {
        match action {
            Action::Select(index) => self.select_index(index),
            Action::Hover(index) => self.hover = index,
            Action::BeginMove(index) => {
                self.end_step();
                if let Some(e) = self.trace.event(index) {
                    self.moving = Some(MoveInProgress {
                        event: e.source,
                        original_ms: e.real_ms,
                        refused: None,
                    });
                    self.selection = Some(e.source);
                    self.refresh_emphasis();
                }
            }
            Action::MoveBy(delta) => self.drag_to(delta),
            Action::EndMove => {
                self.end_step();
                if let Some(MoveInProgress {
                    refused: Some(why), ..
                }) = self.moving.take()
                {
                    self.notify(why);
                }
            }
            Action::CancelMove => {
                if let Some(m) = self.moving.take() {
                    // The drag's step holds the scenario from before it began.
                    if self.open_step == Some(StepKey::Move(m.event)) {
                        if let Some(before) = self.undo.pop() {
                            self.scenario = before;
                            if let Some(redo) = self.parked_redo.take() {
                                self.redo = redo;
                            }
                            self.replayed();
                        }
                    }
                    self.end_step();
                }
            }
            Action::AddLocal { node, at_ms } => {
                let at_ms = self.free_instant(node, at_ms);
                if self.apply_or_notify(Edit::AddLocal { node, at_ms }) {
                    let added = EventRef::Local(self.scenario.events.len() - 1);
                    self.select_new(added);
                }
            }
            Action::DropMessage {
                from_node,
                sent_at_ms,
                drop,
                at_ms,
            } => self.drop_message(from_node, sent_at_ms, drop, at_ms),
            Action::Pan(dx) => self.viewport.pan_px(dx),
            Action::Zoom { factor, x } => self.viewport.zoom(factor, x),
            Action::SnapshotAt(at_ms) => self.set_snapshot(Some(Timestamp::new(at_ms, 0))),
            Action::Repaint => {}
        }
    }

    /// Moves the dragged event to `original + delta`, kept inside what is valid
    /// (see [`App::clamp_time`]); a position taken by another event on the node
    /// is skipped (the event stays put, and the refusal is reported if the drag
    /// ends there).
    fn drag_to(&mut self, delta: Time) {
        let Some(moving) = &self.moving else {
            return;
        };
        let event = moving.event;
        let target = self.clamp_time(
            event,
            self.snapped(moving.original_ms.saturating_add(delta)),
        );
        let result = if self.scenario.locate(event).map(|(_, t)| t) == Some(target) {
            Ok(())
        } else {
            self.continue_step(Edit::MoveEvent {
                event,
                at_ms: target,
            })
        };
        if let Some(moving) = &mut self.moving {
            moving.refused = result.err();
        }
    }

    /// Where an event may go when asked to move to `target`: inside the time
    /// range, a send before its receive and a receive after its send.
    pub fn clamp_time(&self, event: EventRef, target: Time) -> Time {
        let target = target.clamp(0, crate::scenario::MAX_TIME_MS);
        match event {
            EventRef::Send(i) => self
                .scenario
                .messages
                .get(i)
                .map_or(target, |m| target.min(m.received_at_ms - 1)),
            EventRef::Recv(i) => self
                .scenario
                .messages
                .get(i)
                .map_or(target, |m| target.max(m.sent_at_ms + 1)),
            EventRef::Local(_) => target,
        }
    }

    /// The first instant at or after `at_ms` with no event on `node` (events are
    /// whole ms apart, so a drop on a dot lands just after it).
    pub fn free_instant(&self, node: usize, at_ms: Time) -> Time {
        let mut taken: Vec<Time> = self
            .scenario
            .all_events()
            .filter(|(_, n, t)| *n == node && *t >= at_ms)
            .map(|(_, _, t)| t)
            .collect();
        taken.sort_unstable();
        let mut at = at_ms;
        for t in taken {
            if t == at {
                at += 1;
            } else if t > at {
                break;
            }
        }
        at
    }

    fn drop_message(&mut self, from: usize, sent_at_ms: Time, drop: Hit, at_ms: Time) {
        let from_name = self.node_name(from);
        let (to, received_at_ms) = match drop {
            Hit::Lane { node, at_ms } => (node, at_ms),
            Hit::Event(e) => match self.trace.event(e) {
                Some(ev) => (ev.node, at_ms),
                None => return,
            },
            _ => {
                self.notify(format!(
                    "No message: release the arrow on another node's line to send from {from_name}."
                ));
                return;
            }
        };
        if to == from {
            self.notify(format!(
                "No message: {from_name} cannot send to itself; release on another node's line."
            ));
            return;
        }
        if received_at_ms <= sent_at_ms {
            self.notify(format!(
                "No message: it would be received at {received_at_ms} ms, before it is sent at {sent_at_ms} ms. Release further right."
            ));
            return;
        }
        let message = Message {
            from,
            sent_at_ms,
            to,
            received_at_ms: self.free_instant(to, received_at_ms),
        };
        if self.apply_or_notify(Edit::AddMessage(message)) {
            let added = EventRef::Recv(self.scenario.messages.len() - 1);
            self.select_new(added);
        }
    }

    /// A node's name for the page's sentences: bidi-isolated (see
    /// [`crate::bidi`]), so no name can reorder the words around it.
    pub fn node_name(&self, node: usize) -> String {
        self.scenario
            .nodes
            .get(node)
            .map_or_else(|| format!("node {node}"), |n| crate::bidi::isolate(&n.name))
    }

    /// Handles a key; returns whether it was used (so the browser's default is
    /// suppressed only then).
    pub fn key(&mut self, key: &KeyPress) -> bool {
        let Some(command) = crate::input::key_command(key) else {
            return false;
        };
        match command {
            KeyCommand::ToggleHelp => self.show_help = !self.show_help,
            KeyCommand::Undo => {
                if !self.undo() {
                    self.notify("Nothing to undo.");
                }
            }
            KeyCommand::Redo => {
                if !self.redo() {
                    self.notify("Nothing to redo.");
                }
            }
            KeyCommand::DeleteSelected => self.delete_selected(),
            KeyCommand::SelectAlongNode(step) => self.select_along_node(step),
            KeyCommand::SelectAcrossNodes(step) => self.select_across_nodes(step),
            KeyCommand::MoveSelected(by) => self.move_selected(by),
            KeyCommand::AddLocalAfterSelected => self.add_local_after_selected(),
            KeyCommand::Zoom(factor) => {
                let centre = crate::layout::GUTTER + self.viewport.plot_width() / 2.0;
                self.viewport.zoom(factor, centre);
            }
            KeyCommand::PanFraction(f) => self.viewport.pan_px(-f * self.viewport.plot_width()),
            KeyCommand::Fit => self.fit(),
            KeyCommand::TogglePlay => self.toggle_play(),
            KeyCommand::TogglePresentation => self.presentation = !self.presentation,
            KeyCommand::ToggleTable => self.table_shown = !self.table_shown,
            KeyCommand::SnapshotAtSelected => {
                match self.selected_index().and_then(|i| self.trace.event(i)) {
                    Some(e) => {
                        let theta = e.hlc();
                        self.set_snapshot(Some(theta));
                    }
                    None => self
                        .notify("Select an event first: S takes a snapshot at its HLC timestamp."),
                }
            }
            KeyCommand::Escape => {
                if self.gesture != Gesture::Idle {
                    self.pointer_cancel();
                } else if self.show_help {
                    self.show_help = false;
                } else if self.presentation {
                    self.presentation = false;
                } else if self.selection.is_some() {
                    self.select(None);
                } else {
                    self.snapshot = None;
                }
            }
        }
        true
    }

    /// Deletes the selected event (a message end deletes the message).
    pub fn delete_selected(&mut self) {
        match self.selection {
            Some(event) => {
                self.apply_or_notify(Edit::DeleteEvent(event));
            }
            None => self.notify("Nothing selected: click an event first, then press Delete."),
        }
    }

    fn select_along_node(&mut self, step: i32) {
        let Some(index) = self.selected_index() else {
            let first = self.trace.events().first().map(|e| e.source);
            self.select(first);
            return;
        };
        let node = self.trace.events()[index].node;
        let on_node = self.trace.node_events(node);
        if let Some(pos) = on_node.iter().position(|&e| e == index) {
            let next = pos as i64 + i64::from(step);
            if let Some(&e) = usize::try_from(next).ok().and_then(|n| on_node.get(n)) {
                self.select_index(Some(e));
            }
        }
    }

    fn select_across_nodes(&mut self, step: i32) {
        let Some(index) = self.selected_index() else {
            let first = self.trace.events().first().map(|e| e.source);
            self.select(first);
            return;
        };
        let here = &self.trace.events()[index];
        let (mut node, t) = (here.node as i64, here.real_ms);
        loop {
            node += i64::from(step);
            let Ok(n) = usize::try_from(node) else { return };
            if n >= self.trace.node_count() {
                return;
            }
            let nearest = self
                .trace
                .node_events(n)
                .iter()
                .min_by_key(|&&e| (self.trace.events()[e].real_ms - t).abs())
                .copied();
            if nearest.is_some() {
                self.select_index(nearest);
                return;
            }
        }
    }

    fn move_selected(&mut self, by: Time) {
        let Some(event) = self.selection else {
            self.notify("Select an event first, then Shift+arrows move it.");
            return;
        };
        if let Some((_, t)) = self.scenario.locate(event) {
            let at_ms = self.clamp_time(event, t.saturating_add(by));
            if at_ms == t {
                self.notify("It cannot move further: a send stays before its receive, a receive after its send.");
            } else {
                self.apply_or_notify(Edit::MoveEvent { event, at_ms });
            }
        }
    }

    fn add_local_after_selected(&mut self) {
        let (node, t) = match self.selection.and_then(|e| self.scenario.locate(e)) {
            Some((node, t)) => (node, t + ADD_AFTER_MS),
            None => {
                let centre = self.viewport.start_ms
                    + self.viewport.plot_width() * self.viewport.ms_per_px / 2.0;
                (0, centre.round().max(0.0) as Time)
            }
        };
        self.act(Action::AddLocal { node, at_ms: t });
    }

    /// Starts, pauses or resumes playback. Starting shows the whole execution,
    /// so the cursor and the scrubber sweep the time axis without panning.
    pub fn toggle_play(&mut self) {
        let (start, end) = self.time_span();
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
                self.fit();
            }
        }
    }

    /// Stops playback: every event shows again, in the whole view.
    pub fn stop_playback(&mut self) {
        if self.playback.take().is_some() {
            self.fit();
        }
    }

    /// Moves the playback cursor to real time `at_ms` (the scrubber) and
    /// pauses there; starts a paused playback if none is under way.
    pub fn seek_playback(&mut self, at_ms: f64) {
        if !at_ms.is_finite() {
            return;
        }
        let (start, end) = self.time_span();
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

    /// Advances playback by `wall_ms` of wall time; returns whether it is still
    /// playing. The view follows the cursor if it was zoomed in; reaching the
    /// end stops playback and shows the whole execution again.
    pub fn advance_playback(&mut self, wall_ms: f64) -> bool {
        let end = self.time_span().1 as f64;
        let Some(p) = &mut self.playback else {
            return false;
        };
        if !p.playing || !wall_ms.is_finite() {
            return p.playing;
        }
        p.cursor_ms += p.speed * wall_ms.clamp(0.0, 250.0) / 1_000.0;
        if p.cursor_ms >= end {
            self.stop_playback();
            return false;
        }
        let cursor = p.cursor_ms;
        let view_end = self.viewport.end_ms();
        let span = view_end - self.viewport.start_ms;
        if cursor > view_end - span * 0.1 || cursor < self.viewport.start_ms {
            self.viewport.start_ms = cursor - span * 0.3;
        }
        true
    }

    /// First and last event time (0..1000 when there are none).
    pub fn time_span(&self) -> (Time, Time) {
        let events = self.trace.events();
        match (events.first(), events.last()) {
            (Some(a), Some(b)) => (a.real_ms, b.real_ms),
            _ => (0, 1_000),
        }
    }

    /// The lines of the tooltip (and the selection panel) for a trace event.
    pub fn describe(&self, index: usize) -> Vec<String> {
        let Some(e) = self.trace.event(index) else {
            return Vec::new();
        };
        let name = self.node_name(e.node);
        let partner_name = e
            .partner
            .and_then(|p| self.trace.event(p))
            .map(|p| self.node_name(p.node))
            .unwrap_or_default();
        let what = match e.source {
            EventRef::Local(i) => format!("{name}: local event e{i}"),
            EventRef::Send(i) => format!("{name}: send of message m{i} to {partner_name}"),
            EventRef::Recv(i) => format!("{name}: receive of message m{i} from {partner_name}"),
        };
        let vector: Vec<String> = self
            .trace
            .vector(index)
            .iter()
            .map(u32::to_string)
            .collect();
        let mut lines = vec![
            what,
            format!("real time {} ms · node clock pt {} ms", e.real_ms, e.pt()),
            format!(
                "HLC {}   (l − pt = {} ms)",
                e.hlc(),
                e.hlc().l.saturating_sub(e.pt())
            ),
            format!("Why: {}", e.explain()),
            format!(
                "naive l {} · Lamport {} · vector [{}]",
                e.naive_l,
                e.lamport,
                vector.join(" ")
            ),
        ];
        if e.kind() == EventKind::Recv && e.rejection.is_some() {
            lines.push("This message was rejected by the max-offset bound.".into());
        }
        lines
    }
}

fn set_time(slot: Option<&mut Time>, at_ms: Time) -> Result<(), String> {
    match slot {
        Some(t) => {
            *t = at_ms;
            Ok(())
        }
        None => Err("That event no longer exists.".into()),
    }
}

/// Capitalises a validation message into a sentence for a notice.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            let mut s: String = first.to_uppercase().collect();
            s.push_str(chars.as_str());
            if !s.ends_with('.') {
                s.push('.');
            }
            s
        }
        None => String::new(),
    }
}

/// A name not used yet, in the order the generator names nodes (A to Z, then
/// N26, N27, ...).
pub fn fresh_node_name(nodes: &[Node]) -> String {
    let taken = |name: &str| nodes.iter().any(|n| n.name == name);
    (0..)
        .map(crate::generate::node_name)
        .find(|name| !taken(name))
        .unwrap_or_else(|| "N".to_string())
}

/// The scenario the page opens with (`docs/examples/default.json`): three
/// nodes, B's clock 300 ms ahead and C's 100 ms behind, so a receive on A jumps
/// to B's time and counts with `c`, and a cut by physical time at 500 ms is
/// inconsistent while the HLC cut is not.
pub fn default_scenario() -> Scenario {
    Scenario::from_json(crate::presets::DEFAULT_JSON)
        .unwrap_or_else(|_| Scenario::with_nodes(&["A", "B", "C"]))
}

/// A timestamp packed into 64 bits (48 of `l`, 16 of `c`), bit by bit: the
/// `l` bits and the `c` bits (each grouped by 8) and the word in hex; or why it
/// does not fit.
pub fn packed_bits(ts: Timestamp) -> Result<(String, String, String), hlc::PackError> {
    let word = ts.pack()?;
    let bits = format!("{word:064b}");
    let group = |s: &str| {
        s.as_bytes()
            .chunks(8)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (l_bits, c_bits) = bits.split_at(hlc::PACKED_L_BITS as usize);
    Ok((group(l_bits), group(c_bits), format!("0x{word:016x}")))
}

use crate::touch::{Finger, TouchReply, TouchStep};

/// Touch: fingers tracked by id ([`crate::touch::TouchTracker`]) drive the
/// same gesture machine as the mouse, plus pinch zoom and page scrolls.
/// Coordinates are CSS px on the canvas; times are the events' timestamps (ms).
impl App {
    /// A finger touched down.
    pub fn touch_down(&mut self, id: i32, x: f64, y: f64, at_ms: f64) -> TouchReply {
        // Only a press on nothing (no event, no node line) may scroll the page.
        let on_empty = matches!(
            self.sample(x, y).hit,
            Hit::Empty | Hit::Axis { .. } | Hit::NodeLabel(_)
        );
        let steps = self.touch.down(Finger { id, x, y }, at_ms, on_empty);
        self.touch_steps(steps)
    }

    /// A finger moved.
    pub fn touch_move(&mut self, id: i32, x: f64, y: f64) -> TouchReply {
        let steps = self.touch.moved(Finger { id, x, y });
        self.touch_steps(steps)
    }

    /// A finger lifted.
    pub fn touch_up(&mut self, id: i32, x: f64, y: f64, at_ms: f64) -> TouchReply {
        let steps = self.touch.up(Finger { id, x, y }, at_ms);
        self.touch_steps(steps)
    }

    /// The browser took the touch over, or the window lost focus: every finger
    /// is forgotten and what they began is undone.
    pub fn touch_cancel(&mut self) {
        let steps = self.touch.cancel();
        self.touch_steps(steps);
    }

    /// Whether a finger is down.
    pub fn touch_active(&self) -> bool {
        self.touch.active()
    }

    fn touch_steps(&mut self, steps: Vec<TouchStep>) -> TouchReply {
        let mut reply = TouchReply::default();
        for step in steps {
            let actions = match step {
                TouchStep::Press(x, y) => self.gesture.press(self.sample(x, y)),
                TouchStep::Move(x, y) => self.gesture.pointer_move(self.sample(x, y)),
                TouchStep::Release(x, y) => {
                    let actions = self.gesture.release(self.sample(x, y));
                    // A tap on an event selects it: the page shows why it has
                    // its timestamp where the finger is, not in a side panel.
                    reply.tapped_event = actions.iter().find_map(|a| match a {
                        Action::Select(Some(e)) => Some(*e),
                        _ => None,
                    });
                    actions
                }
                TouchStep::Cancel => self.gesture.cancel(),
                TouchStep::DoubleTap(x, y) => self.gesture.double_click(self.sample(x, y)),
                TouchStep::View(action) => vec![action],
                TouchStep::ScrollPage(dy) => {
                    reply.scroll_page_by += dy;
                    Vec::new()
                }
            };
            // A finger does not hover: no tooltip follows it.
            self.run(
                actions
                    .into_iter()
                    .filter(|a| !matches!(a, Action::Hover(Some(_))))
                    .collect(),
            );
        }
        reply
    }
}
