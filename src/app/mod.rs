//! The page's state and every change to it. The browser layer turns DOM events
//! into calls here and paints what [`crate::scene`] builds from this state.
//!
//! The state has two halves that know nothing of each other: the
//! [`Document`] (the scenario, its replay and undo history, the snapshot) and
//! the [`View`] (selection, hover, playback, the page's modes). `App` holds
//! both, with the visible window, the gesture under way and the notices; its
//! methods here, in `pointer.rs` and in `keys.rs` are the only code that
//! touches both halves.
//!
//! The viewport stays a public field of `App` rather than of `View`: the page
//! and the tests read and write it as `app.viewport`.

mod database;
mod document;
mod edit;
mod explain;
mod history;
mod keys;
mod lesson;
mod notice;
mod pointer;
mod reading;
mod view;

pub use document::{default_scenario, Document, Snapshot};
pub use edit::{fresh_node_name, Edit};
pub use explain::packed_bits;
pub use history::{MAX_UNDO_STEPS, UNDO_EVENT_BUDGET};
pub use keys::ADD_AFTER_MS;
pub use lesson::{
    exercise_request, tour_request, Lesson, Marks, Practice, TourProgress, TourRequest, TourStep,
    Verdict, HIDDEN_LABEL,
};
pub use notice::{Notice, NOTICE_MAX_CHARS, NOTICE_MAX_MORE};
pub use reading::{
    overview_x_range, Finding, Found, MAX_FOUND, OVERVIEW_BAND_PX, OVERVIEW_MIN_EVENTS,
};
pub use view::{
    snap_step_ms, AddKind, Affordance, ClockView, Emphasis, Playback, Tick, View, HINTS_RESERVE_PX,
    PLAY_SPEEDS,
};

use crate::analysis::Cut;
use crate::hints::Hint;
use crate::input::Gesture;
use crate::layout::{Hit, Layout, Viewport};
use crate::scenario::{EventRef, Scenario};
use crate::sim::Trace;
use hlc::{Time, Timestamp};
use notice::Notices;
use pointer::Interaction;

/// The whole page state.
#[derive(Clone)]
pub struct App {
    doc: Document,
    view: View,
    /// The visible window.
    pub viewport: Viewport,
    interaction: Interaction,
    notices: Notices,
}

impl App {
    /// A page showing `scenario` (which must be valid; an invalid one is
    /// replaced by the default and a notice says why).
    pub fn new(scenario: Scenario) -> App {
        let (doc, problem) = match Document::new(scenario) {
            Ok(doc) => (doc, None),
            Err(problem) => (Document::default(), Some(problem)),
        };
        let mut app = App {
            doc,
            view: View::default(),
            viewport: Viewport::default(),
            interaction: Interaction::default(),
            notices: Notices::default(),
        };
        if let Some(problem) = problem {
            app.notify(format!(
                "Could not open that scenario ({problem}); showing the default one."
            ));
        }
        app
    }

    /// The current scenario (always valid).
    pub fn scenario(&self) -> &Scenario {
        self.doc.scenario()
    }

    /// Its replay.
    pub fn trace(&self) -> &Trace {
        self.doc.trace()
    }

    /// The database lens over the replay.
    pub fn kv(&self) -> &crate::kv::KvRun {
        self.doc.kv()
    }

    /// Increases with every change to the scenario.
    pub fn revision(&self) -> u64 {
        self.doc.revision()
    }

    /// The geometry of the current frame.
    pub fn layout(&self) -> Layout {
        let rows = self.rows();
        let foot = self
            .view
            .foot_reserve_px(self.viewport.height, rows.count());
        let head = if self.overview_shown() {
            OVERVIEW_BAND_PX
        } else {
            0.0
        };
        let mut layout = Layout::framed(self.viewport, rows, head, foot);
        let top = self.view.scroll_top;
        if top > 0.0 {
            layout.head = (top, top + crate::layout::AXIS_BAND + head);
        }
        layout
    }

    /// The selected event.
    pub fn selection(&self) -> Option<EventRef> {
        self.view.selection()
    }

    /// The selected event's trace index.
    pub fn selected_index(&self) -> Option<usize> {
        self.view.selected_index(self.doc.trace())
    }

    /// How each trace event relates to the selection.
    pub fn emphasis(&self, event: usize) -> Emphasis {
        self.view.emphasis(event)
    }

    /// The hovered event's trace index.
    pub fn hover(&self) -> Option<usize> {
        self.view.hover
    }

    /// The snapshot, if one is taken.
    pub fn snapshot(&self) -> Option<Snapshot> {
        self.doc.snapshot()
    }

    /// Which clock labels the events.
    pub fn clock_view(&self) -> ClockView {
        self.view.clock_view
    }

    /// Labels the events with another clock.
    pub fn set_clock_view(&mut self, view: ClockView) {
        self.view.clock_view = view;
        // A search matches the labels drawn.
        self.refresh_found();
    }

    /// The invariants, checked on the clock in view (see
    /// [`ClockView::checked_clock`]).
    pub fn invariant_checks(&self) -> Vec<crate::analysis::InvariantCheck> {
        crate::analysis::check_invariants_of(
            self.doc.scenario(),
            self.doc.trace(),
            self.view.clock_view.checked_clock(),
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

    /// Playback, if started.
    pub fn playback(&self) -> Option<Playback> {
        self.view.playback()
    }

    /// The latest notice.
    pub fn notice(&self) -> Option<&Notice> {
        self.notices.latest()
    }

    /// Whether the help overlay is shown.
    pub fn help_shown(&self) -> bool {
        self.view.help_shown
    }

    /// Shows or hides the help overlay.
    pub fn set_help(&mut self, shown: bool) {
        self.view.help_shown = shown;
    }

    /// Whether the table of every event (the diagram as text) is shown.
    pub fn table_shown(&self) -> bool {
        self.view.table_shown
    }

    /// Shows or hides the table of every event.
    pub fn set_table_shown(&mut self, shown: bool) {
        // The table lists every clock of every event: it would answer an
        // exercise's questions.
        if shown && self.view.lesson_locks_edits() {
            self.notify(
                "The table would give the answers away: it opens once you leave the exercise.",
            );
            return;
        }
        self.view.table_shown = shown;
    }

    /// Whether the page is in presentation mode: large labels and thick lines
    /// for a room, panels hidden.
    pub fn presentation(&self) -> bool {
        self.view.presentation
    }

    /// Turns presentation mode on or off.
    pub fn set_presentation(&mut self, on: bool) {
        self.view.presentation = on;
    }

    /// Whether the view only looks: gestures and keys that would edit the
    /// scenario (add, send, move, delete, undo, redo) do nothing, while
    /// selecting, hovering, panning, zooming, snapshots and playback work.
    pub fn read_only(&self) -> bool {
        self.view.read_only
    }

    /// The one rule of a read-only view, asked by both the pointer's gate
    /// (`run`) and the keyboard's (`key`): a command may run unless it edits
    /// and the view is read-only.
    fn allows(&self, edits: bool) -> bool {
        !(edits && self.view.looks_only())
    }

    /// Why an edit is refused now, if it is.
    fn refusal(&self) -> Option<String> {
        self.view.lesson_locks_edits().then(|| {
            "The exercise's execution stays as it is while you answer: leave the exercise to edit it."
                .to_string()
        })
    }

    /// Makes the view read-only (an embed) or editable. A drag that would
    /// edit ends, as if cancelled.
    pub fn set_read_only(&mut self, on: bool) {
        if on {
            self.interrupt_gesture();
        }
        self.view.read_only = on;
    }

    /// The first-use hints and which are done.
    pub fn hints(&self) -> crate::hints::Hints {
        self.view.hints
    }

    /// Whether the first-use hints card shows over the foot of the diagram:
    /// while some hints are left, outside presentation mode, and only where
    /// the lines leave it room.
    pub fn hints_card(&self) -> bool {
        self.view
            .hints_card(self.viewport.height, self.doc.scenario().nodes.len())
    }

    /// Replaces the hints' state (restored from storage, closed, or reset
    /// from Help).
    pub fn set_hints(&mut self, hints: crate::hints::Hints) {
        self.view.hints = hints;
    }

    /// Whether the selection colours the diagram by causality.
    pub fn causal_colouring(&self) -> bool {
        self.view.causal_colouring()
    }

    /// Turns snapping to round times on or off (the page turns it off while
    /// Alt is held).
    pub fn set_snapping(&mut self, on: bool) {
        self.view.snapping = on;
    }

    /// The grid new and moved events snap to at this zoom: a tenth of the
    /// time axis's step (10 ms when the axis counts in 100 ms), never under
    /// 1 ms.
    pub fn snap_step_ms(&self) -> Time {
        snap_step_ms(&self.viewport)
    }

    /// `t` snapped to the grid while snapping is on.
    fn snapped(&self, t: Time) -> Time {
        self.view.snapped(&self.viewport, t)
    }

    /// Posts a notice. A text longer than [`NOTICE_MAX_CHARS`] is cut at a
    /// word, and the whole of it is kept behind "more…".
    pub fn notify(&mut self, text: impl Into<String>) {
        self.notify_more(text, Vec::new());
    }

    /// Posts a notice with details behind it (one line each), shown on request.
    pub fn notify_more(&mut self, text: impl Into<String>, more: Vec<String>) {
        self.notices.post(text.into(), more);
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
        let (from, to) = self.doc.fit_span();
        self.viewport.fit(from, to);
    }

    /// The cuts of the current snapshot: at `theta` by HLC, and at `theta.l` by
    /// each node's physical clock.
    pub fn cuts(&self) -> Option<(Cut, Cut)> {
        self.doc.cuts()
    }

    /// Opens a whole scenario (a link, a preset, a file, a saved scenario) as
    /// a new document: its own undo history, its snapshot, the view fitted to
    /// it. The document it replaces is not lost: the page saved it (see
    /// [`App::document`]). A refused scenario changes nothing and says why.
    pub fn open(&mut self, scenario: Scenario, snapshot: Option<Timestamp>) -> Result<(), String> {
        self.interrupt_gesture();
        self.doc.open(scenario, snapshot)?;
        self.view.opened(self.doc.trace());
        // A big trace opens with its find bar: searching is how it is read.
        self.view.find_open = self.overview_shown();
        self.fit();
        Ok(())
    }

    /// Increases each time [`App::open`] starts a new document, so the page can
    /// tell an edit of the document it saves from a different document.
    pub fn document(&self) -> u64 {
        self.doc.id()
    }

    /// The permalink fragment (without `#`) of the scenario and snapshot.
    pub fn permalink(&self) -> String {
        self.doc.permalink()
    }

    /// Takes (or clears) a snapshot.
    pub fn set_snapshot(&mut self, theta: Option<Timestamp>) {
        self.doc.set_snapshot(theta);
    }

    /// Applies an edit as one undo step. A refused edit changes nothing and
    /// returns why.
    pub fn apply(&mut self, edit: Edit) -> Result<(), String> {
        if let Some(why) = self.refusal() {
            return Err(why);
        }
        self.interrupt_gesture();
        let after = AfterEdit::of(&edit);
        let removed = match edit {
            Edit::RemoveNode(node) => Some(node),
            _ => None,
        };
        self.doc.apply(edit)?;
        if let Some(node) = removed {
            self.view.lanes.node_removed(node);
        }
        self.edited(after);
        Ok(())
    }

    /// Applies an edit that continues a gesture (a slider drag, an event drag):
    /// consecutive ones on the same node or event share one undo step until
    /// [`App::end_step`].
    pub fn apply_continuing(&mut self, edit: Edit) -> Result<(), String> {
        if let Some(why) = self.refusal() {
            return Err(why);
        }
        self.interrupt_gesture();
        self.continue_step(edit)
    }

    /// [`App::apply_continuing`] for the gesture's own edits.
    fn continue_step(&mut self, edit: Edit) -> Result<(), String> {
        let after = AfterEdit::of(&edit);
        // An event drag may still be cancelled, as if it never happened.
        let cancellable = self.interaction.moving.is_some();
        self.doc.apply_continuing(edit, cancellable)?;
        self.edited(after);
        Ok(())
    }

    /// The view's side of an edit the document kept.
    fn edited(&mut self, after: AfterEdit) {
        self.view
            .edited(self.doc.trace(), after.keeps_selection, after.hint);
        self.refresh_found();
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

    /// Whether a gesture's edits (a slider drag, an event drag) are still
    /// coming: views that are slow to compute can wait for it to end.
    pub fn step_open(&self) -> bool {
        self.doc.step_open()
    }

    /// Ends the gesture: the next edit starts a new undo step.
    pub fn end_step(&mut self) {
        self.doc.end_step();
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        self.doc.can_undo()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        self.doc.can_redo()
    }

    /// Undoes the last step; returns whether there was one.
    pub fn undo(&mut self) -> bool {
        self.travel(Document::undo)
    }

    /// Redoes the last undone step; returns whether there was one.
    pub fn redo(&mut self) -> bool {
        self.travel(Document::redo)
    }

    fn travel(&mut self, step: fn(&mut Document) -> bool) -> bool {
        if self.view.lesson_locks_edits() {
            return false;
        }
        self.interrupt_gesture();
        let changed = step(&mut self.doc);
        if changed {
            self.view.replayed(self.doc.trace());
            self.refresh_found();
        }
        changed
    }

    /// Selects an event (or nothing), colouring the diagram by causality.
    pub fn select(&mut self, event: Option<EventRef>) {
        self.view.select(event, self.doc.trace());
    }

    /// Selects an event by its trace index (or nothing).
    pub fn select_index(&mut self, index: Option<usize>) {
        let event = index
            .and_then(|i| self.doc.trace().event(i))
            .map(|e| e.source);
        self.select(event);
    }

    /// Starts, pauses or resumes playback. Starting shows the whole execution,
    /// so the cursor and the scrubber sweep the time axis without panning.
    pub fn toggle_play(&mut self) {
        if self.view.toggle_play(self.doc.time_span()) {
            self.fit();
        }
    }

    /// Stops playback: every event shows again, in the whole view.
    pub fn stop_playback(&mut self) {
        if self.view.stop_playback() {
            self.fit();
        }
    }

    /// Moves the playback cursor to real time `at_ms` (the scrubber) and
    /// pauses there; starts a paused playback if none is under way.
    pub fn seek_playback(&mut self, at_ms: f64) {
        self.view.seek_playback(at_ms, self.doc.time_span());
    }

    /// Sets the playback speed (real ms per wall second).
    pub fn set_play_speed(&mut self, speed: f64) {
        self.view.set_play_speed(speed);
    }

    /// Advances playback by `wall_ms` of wall time; returns whether it is still
    /// playing. The view follows the cursor if it was zoomed in; reaching the
    /// end stops playback and shows the whole execution again.
    pub fn advance_playback(&mut self, wall_ms: f64) -> bool {
        let end = self.doc.time_span().1 as f64;
        match self.view.advance_playback(wall_ms, end, &mut self.viewport) {
            Tick::Playing => true,
            Tick::NotPlaying => false,
            Tick::Ended => {
                self.fit();
                false
            }
        }
    }

    /// First and last event time (0..1000 when there are none).
    pub fn time_span(&self) -> (Time, Time) {
        self.doc.time_span()
    }

    /// Where an event may go when asked to move to `target`: inside the time
    /// range, a send before its receive and a receive after its send.
    pub fn clamp_time(&self, event: EventRef, target: Time) -> Time {
        self.doc.clamp_time(event, target)
    }

    /// The first instant at or after `at_ms` with no event on `node` (events are
    /// whole ms apart, so a drop on a dot lands just after it).
    pub fn free_instant(&self, node: usize, at_ms: Time) -> Time {
        self.doc.free_instant(node, at_ms)
    }

    /// A node's name for the page's sentences: bidi-isolated (see
    /// [`crate::bidi`]), so no name can reorder the words around it.
    pub fn node_name(&self, node: usize) -> String {
        self.doc.node_name(node)
    }

    /// The lines of the tooltip (and the selection panel) for a trace event.
    pub fn describe(&self, index: usize) -> Vec<String> {
        let mut lines = explain::describe(&self.doc, index);
        lines.extend(self.kv_words(index));
        if self.hides(index) {
            // What the event is and its clock reading stay: they are the
            // question's givens. Every clock's value goes.
            lines.truncate(2);
            lines.push("Its clocks are hidden until you answer the question.".into());
        }
        lines
    }

    /// What lies under the pointer (for hover feedback), if it is over the canvas.
    pub fn pointer_over(&self) -> Option<Hit> {
        self.view.pointer_over
    }

    /// What a press would do where the pointer is, or what the drag under way
    /// is doing: the page shows it as the cursor.
    pub fn affordance(&self) -> Affordance {
        self.view.affordance(self.interaction.gesture)
    }

    /// The pointer gesture under way.
    pub fn gesture(&self) -> Gesture {
        self.interaction.gesture
    }
}

/// What the view does once the document kept an edit, read from the edit
/// before the document takes it.
struct AfterEdit {
    keeps_selection: bool,
    hint: Option<Hint>,
}

impl AfterEdit {
    fn of(edit: &Edit) -> AfterEdit {
        let hint = match edit {
            Edit::AddLocal { .. } => Some(Hint::AddEvent),
            Edit::AddMessage(_) => Some(Hint::SendMessage),
            Edit::SetSkew { .. } => Some(Hint::Skew),
            _ => None,
        };
        AfterEdit {
            keeps_selection: edit.keeps_selection(),
            hint,
        }
    }
}
