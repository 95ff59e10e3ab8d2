//! The keyboard: every key command ([`crate::input::key_command`]) carried out
//! on the document and the view.

use super::{App, Edit};
use crate::input::{Action, Gesture, KeyCommand, KeyPress};
use hlc::Time;

/// How long after the selected event `E` adds a local event.
pub const ADD_AFTER_MS: Time = 50;

impl App {
    /// Handles a key; returns whether it was used (so the browser's default is
    /// suppressed only then).
    pub fn key(&mut self, key: &KeyPress) -> bool {
        let Some(command) = crate::input::key_command(key) else {
            return false;
        };
        // A read-only view leaves the key to the browser, as if it meant nothing.
        if !self.allows(command.edits()) {
            return false;
        }
        match command {
            KeyCommand::ToggleHelp => self.view.help_shown = !self.view.help_shown,
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
            KeyCommand::TogglePresentation => {
                self.view.presentation = !self.view.presentation;
            }
            KeyCommand::ToggleTable => self.set_table_shown(!self.view.table_shown),
            KeyCommand::SnapshotAtSelected => {
                match self
                    .selected_index()
                    .and_then(|i| self.doc.trace().event(i))
                {
                    Some(e) => {
                        let theta = e.hlc();
                        self.set_snapshot(Some(theta));
                    }
                    None => self
                        .notify("Select an event first: S takes a snapshot at its HLC timestamp."),
                }
            }
            KeyCommand::Escape => {
                if self.interaction.gesture != Gesture::Idle {
                    self.pointer_cancel();
                } else if self.view.help_shown {
                    self.view.help_shown = false;
                } else if self.view.presentation {
                    self.view.presentation = false;
                } else if self.view.lesson.is_some() {
                    self.leave_lesson();
                } else if self.selection().is_some() {
                    self.select(None);
                } else {
                    self.set_snapshot(None);
                }
            }
        }
        true
    }

    /// Deletes the selected event (a message end deletes the message).
    pub fn delete_selected(&mut self) {
        match self.selection() {
            Some(event) => {
                self.apply_or_notify(Edit::DeleteEvent(event));
            }
            None => self.notify("Nothing selected: click an event first, then press Delete."),
        }
    }

    fn select_along_node(&mut self, step: i32) {
        let Some(index) = self.selected_or_first() else {
            return;
        };
        let trace = self.doc.trace();
        let on_node = trace.node_events(trace.events()[index].node);
        if let Some(pos) = on_node.iter().position(|&e| e == index) {
            let next = pos as i64 + i64::from(step);
            if let Some(&e) = usize::try_from(next).ok().and_then(|n| on_node.get(n)) {
                self.select_index(Some(e));
            }
        }
    }

    fn select_across_nodes(&mut self, step: i32) {
        let Some(index) = self.selected_or_first() else {
            return;
        };
        let trace = self.doc.trace();
        let here = &trace.events()[index];
        let t = here.real_ms;
        // Above and below as drawn: hidden lines are skipped, moved ones
        // count where they are.
        let rows = self.rows();
        let Some(mut row) = rows.row_of(here.node).map(|r| r as i64) else {
            return;
        };
        loop {
            row += i64::from(step);
            let Some(n) = usize::try_from(row).ok().and_then(|r| rows.node_of(r)) else {
                return;
            };
            let nearest = trace
                .node_events(n)
                .iter()
                .min_by_key(|&&e| (trace.events()[e].real_ms - t).abs())
                .copied();
            if nearest.is_some() {
                self.select_index(nearest);
                return;
            }
        }
    }

    /// The selected event's trace index; with nothing selected, selects the
    /// first event instead and returns `None`.
    fn selected_or_first(&mut self) -> Option<usize> {
        let index = self.selected_index();
        if index.is_none() {
            let first = self.doc.trace().events().first().map(|e| e.source);
            self.select(first);
        }
        index
    }

    fn move_selected(&mut self, by: Time) {
        let Some(event) = self.selection() else {
            self.notify("Select an event first, then Shift+arrows move it.");
            return;
        };
        if let Some((_, t)) = self.doc.scenario().locate(event) {
            let at_ms = self.clamp_time(event, t.saturating_add(by));
            if at_ms == t {
                self.notify("It cannot move further: a send stays before its receive, a receive after its send.");
            } else {
                self.apply_or_notify(Edit::MoveEvent { event, at_ms });
            }
        }
    }

    fn add_local_after_selected(&mut self) {
        let located = self.selection().and_then(|e| self.doc.scenario().locate(e));
        let (node, t) = match located {
            Some((node, t)) => (node, t + ADD_AFTER_MS),
            None => {
                let centre = self.viewport.start_ms
                    + self.viewport.plot_width() * self.viewport.ms_per_px / 2.0;
                (0, centre.round().max(0.0) as Time)
            }
        };
        self.act(Action::AddLocal { node, at_ms: t });
    }
}
