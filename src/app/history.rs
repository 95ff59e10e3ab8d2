//! Undo and redo: which scenarios are kept, and when consecutive edits share
//! one step.

use super::Edit;
use crate::scenario::{EventRef, Scenario};

/// Most scenarios kept for undo, counted in events so large scenarios keep fewer steps.
pub const UNDO_EVENT_BUDGET: usize = 2_000_000;
/// Most undo steps kept, whatever their size.
pub const MAX_UNDO_STEPS: usize = 500;

/// Edits that continue one gesture and so share one undo step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StepKey {
    Move(EventRef),
    Skew(usize),
}

impl StepKey {
    pub(crate) fn of(edit: &Edit) -> Option<StepKey> {
        match edit {
            Edit::MoveEvent { event, .. } => Some(StepKey::Move(*event)),
            Edit::SetSkew { node, .. } => Some(StepKey::Skew(*node)),
            _ => None,
        }
    }
}

/// The scenarios before (undo) and after (redo) the current one, and the step
/// a gesture keeps open.
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    undo: Vec<Scenario>,
    redo: Vec<Scenario>,
    open_step: Option<StepKey>,
    /// The redo steps a drag took away, given back if the drag is cancelled.
    parked_redo: Option<Vec<Scenario>>,
}

impl History {
    /// Whether an edit under `key` starts a new step rather than continuing
    /// the open one.
    pub(crate) fn starts_step(&self, key: Option<StepKey>) -> bool {
        key.is_none() || key != self.open_step
    }

    /// The step a gesture keeps open, if any.
    pub(crate) fn open_step(&self) -> Option<StepKey> {
        self.open_step
    }

    /// Records that the scenario changed from `previous` by an edit under
    /// `key`. `cancellable`: the gesture making it may still be cancelled, so
    /// the redo steps it drops are kept aside until the step ends.
    pub(crate) fn record(&mut self, previous: Scenario, key: Option<StepKey>, cancellable: bool) {
        if self.starts_step(key) {
            self.push_undo(previous, cancellable);
        }
        self.open_step = key;
    }

    fn push_undo(&mut self, previous: Scenario, cancellable: bool) {
        self.undo.push(previous);
        let redo = std::mem::take(&mut self.redo);
        if matches!(self.open_step, Some(StepKey::Move(_))) || cancellable {
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

    /// Ends the open step: the next edit starts a new one.
    pub(crate) fn end_step(&mut self) {
        self.open_step = None;
        self.parked_redo = None;
    }

    pub(crate) fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub(crate) fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Swaps `current` for the scenario before the last step; false if none.
    pub(crate) fn undo(&mut self, current: &mut Scenario) -> bool {
        self.end_step();
        swap_top(&mut self.undo, current, &mut self.redo)
    }

    /// Swaps `current` for the scenario after the last undone step; false if none.
    pub(crate) fn redo(&mut self, current: &mut Scenario) -> bool {
        self.end_step();
        swap_top(&mut self.redo, current, &mut self.undo)
    }

    /// Takes back the open step `key` as if it never happened: `current`
    /// becomes the scenario from before it and the redo steps it dropped come
    /// back. Returns whether `current` changed; the step ends either way.
    pub(crate) fn cancel_step(&mut self, key: StepKey, current: &mut Scenario) -> bool {
        let mut restored = false;
        if self.open_step == Some(key) {
            if let Some(before) = self.undo.pop() {
                *current = before;
                if let Some(redo) = self.parked_redo.take() {
                    self.redo = redo;
                }
                restored = true;
            }
        }
        self.end_step();
        restored
    }

    /// Forgets every step (a new document).
    pub(crate) fn clear(&mut self) {
        *self = History::default();
    }

    /// How many undo steps are kept.
    #[cfg(test)]
    pub(crate) fn undo_len(&self) -> usize {
        self.undo.len()
    }
}

/// Makes the top of `from` current and pushes what was current on `to`;
/// false if `from` is empty.
fn swap_top(from: &mut Vec<Scenario>, current: &mut Scenario, to: &mut Vec<Scenario>) -> bool {
    match from.pop() {
        Some(next) => {
            to.push(std::mem::replace(current, next));
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_events(n: usize) -> Scenario {
        let mut s = Scenario::with_nodes(&["A"]);
        for i in 0..n {
            s.events
                .push(crate::scenario::LocalEvent::at(0, i as hlc::Time));
        }
        s
    }

    #[test]
    fn keeps_at_most_max_undo_steps() {
        let mut h = History::default();
        for _ in 0..MAX_UNDO_STEPS + 20 {
            h.record(with_events(0), None, false);
        }
        assert_eq!(h.undo_len(), MAX_UNDO_STEPS);
    }

    #[test]
    fn large_scenarios_keep_fewer_steps_but_always_one() {
        let mut h = History::default();
        let big = with_events(UNDO_EVENT_BUDGET / 3 + 1);
        for _ in 0..4 {
            h.record(big.clone(), None, false);
        }
        assert_eq!(h.undo_len(), 2, "three would pass the event budget");
        h.record(with_events(UNDO_EVENT_BUDGET + 1), None, false);
        assert_eq!(h.undo_len(), 1, "the last step is kept whatever its size");
    }
}
