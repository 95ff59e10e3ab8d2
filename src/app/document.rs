//! The document: the scenario, its replay, its undo history and its snapshot,
//! which is everything a permalink saves. It knows nothing of the view, so it
//! can be built, edited and undone on its own.
//!
//! Every edit is tried on a copy of the scenario, validated and replayed; only
//! a valid result replaces the current one, so the scenario is always valid
//! and a refused edit loses nothing.

use super::edit::{self, Edit};
use super::history::{History, StepKey};
use crate::analysis::{self, Cut};
use crate::kv::{self, KvRun};
use crate::scenario::{EventRef, Scenario, ScenarioError};
use crate::sim::{self, Trace};
use hlc::{Time, Timestamp};

/// The snapshot the person asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    /// The HLC time of the cut; the physical cut compared with it is at `theta.l`.
    pub theta: Timestamp,
}

/// A scenario being edited, with its replay and history.
#[derive(Clone)]
pub struct Document {
    scenario: Scenario,
    trace: Trace,
    kv: KvRun,
    revision: u64,
    history: History,
    id: u64,
    snapshot: Option<Snapshot>,
}

impl Default for Document {
    /// A document of [`default_scenario`].
    fn default() -> Document {
        let scenario = default_scenario();
        let trace = sim::replay_valid(&scenario);
        Document::replayed_as(scenario, trace)
    }
}

impl Document {
    fn replayed_as(scenario: Scenario, trace: Trace) -> Document {
        Document {
            kv: kv::evaluate(&scenario, &trace),
            scenario,
            trace,
            revision: 0,
            history: History::default(),
            id: 0,
            snapshot: None,
        }
    }

    /// A document of `scenario`, or why it is not valid.
    pub fn new(scenario: Scenario) -> Result<Document, String> {
        let trace = replay(&scenario)?;
        Ok(Document::replayed_as(scenario, trace))
    }

    /// The current scenario (always valid).
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Its replay.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// The database lens over the replay (recomputed with it).
    pub fn kv(&self) -> &KvRun {
        &self.kv
    }

    /// Increases with every change to the scenario.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Increases each time [`Document::open`] starts a new document.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The snapshot, if one is taken.
    pub fn snapshot(&self) -> Option<Snapshot> {
        self.snapshot
    }

    /// Takes (or clears) a snapshot.
    pub fn set_snapshot(&mut self, theta: Option<Timestamp>) {
        self.snapshot = theta.map(|theta| Snapshot { theta });
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

    /// The permalink fragment (without `#`) of the scenario and snapshot.
    pub fn permalink(&self) -> String {
        crate::permalink::encode(&self.scenario, self.snapshot.map(|s| s.theta))
    }

    /// Replaces the whole scenario as a new document: its own history, the
    /// given snapshot. A refused scenario changes nothing and says why.
    pub fn open(&mut self, scenario: Scenario, snapshot: Option<Timestamp>) -> Result<(), String> {
        let trace = replay(&scenario)?;
        self.kv = kv::evaluate(&scenario, &trace);
        self.scenario = scenario;
        self.trace = trace;
        self.history.clear();
        self.revision += 1;
        self.id += 1;
        self.set_snapshot(snapshot);
        Ok(())
    }

    /// Applies an edit as one undo step. A refused edit changes nothing and
    /// returns why.
    pub fn apply(&mut self, edit: Edit) -> Result<(), String> {
        self.end_step();
        self.apply_in_step(edit, None, false)
    }

    /// Applies an edit that continues a gesture (a slider drag, an event drag):
    /// consecutive ones on the same node or event share one undo step until
    /// [`Document::end_step`]. `cancellable`: the gesture may still be
    /// cancelled (see [`Document::cancel_move`]).
    pub fn apply_continuing(&mut self, edit: Edit, cancellable: bool) -> Result<(), String> {
        let key = StepKey::of(&edit);
        if self.history.starts_step(key) {
            self.end_step();
        }
        self.apply_in_step(edit, key, cancellable)
    }

    fn apply_in_step(
        &mut self,
        edit: Edit,
        key: Option<StepKey>,
        cancellable: bool,
    ) -> Result<(), String> {
        let next = edit::edited(&self.scenario, edit)?;
        // The old trace is replaced below: its vector clocks may move over.
        let trace = sim::replay_edited(&next, &mut self.trace).map_err(refusal)?;
        self.kv = kv::evaluate(&next, &trace);
        let previous = std::mem::replace(&mut self.scenario, next);
        self.history.record(previous, key, cancellable);
        self.trace = trace;
        self.revision += 1;
        Ok(())
    }

    /// Whether a gesture's edits are still coming.
    pub fn step_open(&self) -> bool {
        self.history.open_step().is_some()
    }

    /// Ends the gesture: the next edit starts a new undo step.
    pub fn end_step(&mut self) {
        self.history.end_step();
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// Undoes the last step; returns whether there was one.
    pub fn undo(&mut self) -> bool {
        self.travel(History::undo)
    }

    /// Redoes the last undone step; returns whether there was one.
    pub fn redo(&mut self) -> bool {
        self.travel(History::redo)
    }

    fn travel(&mut self, step: fn(&mut History, &mut Scenario) -> bool) -> bool {
        let changed = step(&mut self.history, &mut self.scenario);
        if changed {
            self.replayed();
        }
        changed
    }

    /// Takes back the open drag of `event` as if it never happened (the redo
    /// steps it dropped come back) and ends the step; returns whether the
    /// scenario changed.
    pub fn cancel_move(&mut self, event: EventRef) -> bool {
        let changed = self
            .history
            .cancel_step(StepKey::Move(event), &mut self.scenario);
        if changed {
            self.replayed();
        }
        changed
    }

    /// After the scenario was swapped for a known-valid one.
    fn replayed(&mut self) {
        self.trace = sim::replay_valid(&self.scenario);
        self.kv = kv::evaluate(&self.scenario, &self.trace);
        self.revision += 1;
    }

    /// First and last event time (0..1000 when there are none).
    pub fn time_span(&self) -> (Time, Time) {
        let events = self.trace.events();
        match (events.first(), events.last()) {
            (Some(a), Some(b)) => (a.real_ms, b.real_ms),
            _ => (0, 1_000),
        }
    }

    /// The times a view showing every event (and real time 0) spans.
    pub fn fit_span(&self) -> (Time, Time) {
        let events = self.trace.events();
        let (from, to) = match (events.first(), events.last()) {
            (Some(a), Some(b)) => (a.real_ms.min(0), b.real_ms),
            _ => (0, 1_000),
        };
        // The database lens draws past the last event: a read's retries and
        // the acknowledgements commit-wait delays.
        let kv = self.kv();
        let retries = kv
            .reads
            .iter()
            .flat_map(|r| r.attempts.iter().map(|a| a.at_ms));
        let acks = kv.versions.iter().map(|v| v.acked_ms);
        let to = retries.chain(acks).fold(to, Time::max);
        (from, to.max(from + 100))
    }

    /// A node's name for the page's sentences: bidi-isolated (see
    /// [`crate::bidi`]), so no name can reorder the words around it.
    pub fn node_name(&self, node: usize) -> String {
        self.scenario
            .nodes
            .get(node)
            .map_or_else(|| format!("node {node}"), |n| crate::bidi::isolate(&n.name))
    }

    /// See [`edit::clamp_time`].
    pub fn clamp_time(&self, event: EventRef, target: Time) -> Time {
        edit::clamp_time(&self.scenario, event, target)
    }

    /// See [`edit::free_instant`].
    pub fn free_instant(&self, node: usize, at_ms: Time) -> Time {
        edit::free_instant(&self.scenario, node, at_ms)
    }
}

fn replay(scenario: &Scenario) -> Result<Trace, String> {
    sim::replay(scenario).map_err(refusal)
}

/// Why a scenario was refused, as a sentence for a notice.
fn refusal(error: ScenarioError) -> String {
    sentence(&error.to_string())
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

/// The scenario the page opens with (`docs/examples/default.json`): three
/// nodes, B's clock 300 ms ahead and C's 100 ms behind, so a receive on A jumps
/// to B's time and counts with `c`, and a cut by physical time at 500 ms is
/// inconsistent while the HLC cut is not.
pub fn default_scenario() -> Scenario {
    Scenario::from_json(crate::presets::DEFAULT_JSON)
        .unwrap_or_else(|_| Scenario::with_nodes(&["A", "B", "C"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        let mut d = Document::new(Scenario::with_nodes(&["A", "B"])).expect("valid");
        d.apply(Edit::AddLocal {
            node: 0,
            at_ms: 100,
        })
        .expect("added");
        d
    }

    fn moved(at_ms: Time) -> Edit {
        Edit::MoveEvent {
            event: EventRef::Local(0),
            at_ms,
        }
    }

    fn at(d: &Document) -> Time {
        d.scenario().events[0].at_ms
    }

    #[test]
    fn continuing_edits_share_one_step_until_it_ends() {
        let mut d = doc();
        for t in [110, 120, 130] {
            d.apply_continuing(moved(t), false).expect("moved");
        }
        assert!(d.step_open());
        d.end_step();
        d.apply_continuing(moved(140), false).expect("moved");
        assert!(d.undo());
        assert_eq!(at(&d), 130, "the step after end_step is its own");
        assert!(d.undo());
        assert_eq!(at(&d), 100, "the three continuing moves were one step");
    }

    #[test]
    fn an_edit_of_another_kind_ends_the_step() {
        let mut d = doc();
        d.apply_continuing(moved(110), false).expect("moved");
        d.apply_continuing(
            Edit::SetSkew {
                node: 1,
                skew_ms: 5,
            },
            false,
        )
        .expect("skewed");
        d.apply_continuing(moved(120), false).expect("moved");
        assert!(d.undo() && d.undo());
        assert_eq!(at(&d), 110);
    }

    #[test]
    fn a_cancelled_drag_restores_the_scenario_and_the_redo_steps() {
        let mut d = doc();
        d.apply(Edit::AddNode).expect("added");
        assert!(d.undo());
        assert!(d.can_redo());
        d.apply_continuing(moved(150), true).expect("moved");
        d.apply_continuing(moved(160), true).expect("moved");
        assert!(!d.can_redo(), "the drag dropped the redo step, for now");
        assert!(d.cancel_move(EventRef::Local(0)));
        assert_eq!(at(&d), 100);
        assert!(d.can_redo(), "the cancelled drag gave the redo step back");
        assert!(!d.step_open());
        assert!(d.redo());
        assert_eq!(d.scenario().nodes.len(), 3);
    }

    #[test]
    fn a_finished_drag_cannot_be_cancelled() {
        let mut d = doc();
        d.apply_continuing(moved(150), true).expect("moved");
        d.end_step();
        assert!(!d.cancel_move(EventRef::Local(0)));
        assert_eq!(at(&d), 150);
    }

    #[test]
    fn a_refused_edit_changes_nothing() {
        let mut d = doc();
        let revision = d.revision();
        assert!(d.apply(Edit::RemoveNode(7)).is_err());
        assert_eq!(d.revision(), revision);
        assert!(d.undo());
        assert!(!d.can_undo());
    }

    #[test]
    fn history_is_bounded() {
        let mut d = doc();
        for t in 0..(super::super::MAX_UNDO_STEPS as Time + 10) {
            d.apply(moved(200 + t)).expect("moved");
        }
        let mut undone = 0;
        while d.undo() {
            undone += 1;
        }
        assert_eq!(undone, super::super::MAX_UNDO_STEPS);
    }

    #[test]
    fn opening_starts_a_new_document_with_no_history() {
        let mut d = doc();
        let ts = Timestamp::new(5, 0);
        d.open(default_scenario(), Some(ts)).expect("opened");
        assert_eq!(d.id(), 1);
        assert!(!d.can_undo());
        assert_eq!(d.snapshot().map(|s| s.theta), Some(ts));
    }
}
