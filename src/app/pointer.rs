//! Mouse and touch: pointer samples go through the gesture machine
//! ([`crate::input`]) and the actions it answers are carried out on the
//! document and the view.

use super::{App, Edit};
use crate::input::{Action, Gesture, PointerSample};
use crate::layout::Hit;
use crate::scenario::{EventRef, Message};
use crate::touch::{Finger, TouchReply, TouchStep, TouchTracker};
use hlc::{Time, Timestamp};

/// What the pointers are doing.
#[derive(Clone, Default)]
pub(super) struct Interaction {
    pub(super) gesture: Gesture,
    pub(super) touch: TouchTracker,
    /// The event being dragged, if one is.
    pub(super) moving: Option<MoveInProgress>,
    /// Whether the press was on the overview strip (the drag moves the window).
    pub(super) on_overview: bool,
}

#[derive(Clone)]
pub(super) struct MoveInProgress {
    event: EventRef,
    original_ms: Time,
    refused: Option<String>,
}

impl App {
    /// Any change to the scenario that does not come from the gesture in
    /// progress ends that gesture first: a dragged event goes back where it
    /// was, a rubber band is dropped. So a drag never goes on moving an event
    /// whose index the change gave to another. Every public way to change the
    /// scenario calls this; the gesture's own edits come through [`App::act`].
    pub(super) fn interrupt_gesture(&mut self) {
        if self.interaction.gesture != Gesture::Idle {
            self.pointer_cancel();
        }
    }

    fn sample(&self, x: f64, y: f64) -> PointerSample {
        let layout = self.layout();
        // Times a press would create snap to the grid: a new event, a message's
        // ends, a snapshot on the axis (an event's own time is kept as is).
        let hit = match layout.hit_test(self.doc.trace(), x, y) {
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

    /// Feeds the gesture machine a sample at `(x, y)` through `step`.
    fn gesture_at(
        &mut self,
        x: f64,
        y: f64,
        step: fn(&mut Gesture, PointerSample) -> Vec<Action>,
    ) -> Vec<Action> {
        let sample = self.sample(x, y);
        step(&mut self.interaction.gesture, sample)
    }

    /// A primary-button press at `(x, y)` (CSS px on the canvas).
    pub fn pointer_down(&mut self, x: f64, y: f64) {
        self.interaction.on_overview = false;
        if self.interaction.gesture == Gesture::Idle && self.on_overview(x, y) {
            self.interaction.on_overview = true;
            self.view.hover = None;
            self.overview_seek(x);
            return;
        }
        let actions = self.gesture_at(x, y, Gesture::press);
        self.run(actions);
    }

    /// The pointer moved.
    pub fn pointer_move(&mut self, x: f64, y: f64) {
        if self.interaction.on_overview {
            self.overview_seek(x);
            return;
        }
        let sample = self.sample(x, y);
        self.view.pointer_over = Some(sample.hit);
        let actions = self.interaction.gesture.pointer_move(sample);
        self.run(actions);
    }

    /// The primary button was released.
    pub fn pointer_up(&mut self, x: f64, y: f64) {
        if std::mem::take(&mut self.interaction.on_overview) {
            return;
        }
        let actions = self.gesture_at(x, y, Gesture::release);
        self.run(actions);
    }

    /// The gesture was interrupted (pointercancel, blur, lost capture).
    pub fn pointer_cancel(&mut self) {
        self.interaction.on_overview = false;
        let actions = self.interaction.gesture.cancel();
        self.run(actions);
    }

    /// The pointer left the canvas without a button down.
    pub fn pointer_leave(&mut self) {
        self.view.pointer_over = None;
        if self.interaction.gesture == Gesture::Idle {
            self.view.hover = None;
        }
    }

    /// A double click.
    pub fn double_click(&mut self, x: f64, y: f64) {
        let actions = self.gesture_at(x, y, Gesture::double_click);
        self.run(actions);
    }

    /// A wheel turn at screen x.
    pub fn wheel(&mut self, x: f64, delta_x: f64, delta_y: f64, shift: bool) {
        let actions = self.interaction.gesture.wheel(x, delta_x, delta_y, shift);
        self.run(actions);
    }

    /// Carries out what a gesture asked for. The one gate of a read-only
    /// view for pointer and touch: an action that would edit is dropped, and
    /// a drag that would move an event or draw a message is ended at once (so
    /// no rubber band or grabbing cursor promises an edit that cannot come).
    fn run(&mut self, actions: Vec<Action>) {
        for action in actions {
            if self.allows(action.edits()) {
                self.act(action);
            }
        }
        if self.view.looks_only() && self.interaction.gesture.is_editing() {
            self.interaction.gesture = Gesture::Idle;
        }
    }

    pub(super) fn act(&mut self, action: Action) {
        match action {
            Action::Select(index) => self.select_index(index),
            Action::Hover(index) => self.view.hover = index,
            Action::BeginMove(index) => {
                self.end_step();
                if let Some(e) = self.doc.trace().event(index) {
                    self.interaction.moving = Some(MoveInProgress {
                        event: e.source,
                        original_ms: e.real_ms,
                        refused: None,
                    });
                    let event = e.source;
                    self.view.grab(event, self.doc.trace());
                }
            }
            Action::MoveBy(delta) => self.drag_to(delta),
            Action::EndMove => {
                self.end_step();
                if let Some(MoveInProgress {
                    refused: Some(why), ..
                }) = self.interaction.moving.take()
                {
                    self.notify(why);
                }
            }
            Action::CancelMove => {
                // The drag's step holds the scenario from before it began.
                if let Some(m) = self.interaction.moving.take() {
                    if self.doc.cancel_move(m.event) {
                        self.view.replayed(self.doc.trace());
                    }
                }
            }
            Action::AddLocal { node, at_ms } => {
                let at_ms = self.free_instant(node, at_ms);
                let edit = match self.new_kv_op() {
                    Some(kv) => Edit::AddKv { node, at_ms, kv },
                    None => Edit::AddLocal { node, at_ms },
                };
                if self.apply_or_notify(edit) {
                    let added = EventRef::Local(self.doc.scenario().events.len() - 1);
                    self.view.select_new(added, self.doc.trace());
                    self.say_if_refused(added);
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
        let Some(moving) = &self.interaction.moving else {
            return;
        };
        let event = moving.event;
        let target = self.clamp_time(
            event,
            self.snapped(moving.original_ms.saturating_add(delta)),
        );
        let result = if self.doc.scenario().locate(event).map(|(_, t)| t) == Some(target) {
            Ok(())
        } else {
            self.continue_step(Edit::MoveEvent {
                event,
                at_ms: target,
            })
        };
        if let Some(moving) = &mut self.interaction.moving {
            moving.refused = result.err();
        }
    }

    fn drop_message(&mut self, from: usize, sent_at_ms: Time, drop: Hit, at_ms: Time) {
        let from_name = self.node_name(from);
        let (to, received_at_ms) = match drop {
            Hit::Lane { node, at_ms } => (node, at_ms),
            Hit::Event(e) => match self.doc.trace().event(e) {
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
            put: self.new_message_put(),
        };
        if self.apply_or_notify(Edit::AddMessage(message)) {
            let added = EventRef::Recv(self.doc.scenario().messages.len() - 1);
            self.view.select_new(added, self.doc.trace());
            let send = EventRef::Send(self.doc.scenario().messages.len() - 1);
            if !self.say_if_refused(send) {
                self.say_if_refused(added);
            }
        }
    }
}

/// Touch: fingers tracked by id ([`crate::touch::TouchTracker`]) drive the
/// same gesture machine as the mouse, plus pinch zoom and page scrolls.
/// Coordinates are CSS px on the canvas; times are the events' timestamps (ms).
impl App {
    /// A finger touched down.
    pub fn touch_down(&mut self, id: i32, x: f64, y: f64, at_ms: f64) -> TouchReply {
        // Only a press on nothing (no event, no node line) may scroll the page.
        let on_empty = !self.on_overview(x, y)
            && matches!(
                self.sample(x, y).hit,
                Hit::Empty | Hit::Axis { .. } | Hit::NodeLabel(_)
            );
        let steps = self
            .interaction
            .touch
            .down(Finger { id, x, y }, at_ms, on_empty);
        self.touch_steps(steps)
    }

    /// A finger moved.
    pub fn touch_move(&mut self, id: i32, x: f64, y: f64) -> TouchReply {
        let steps = self.interaction.touch.moved(Finger { id, x, y });
        self.touch_steps(steps)
    }

    /// A finger lifted.
    pub fn touch_up(&mut self, id: i32, x: f64, y: f64, at_ms: f64) -> TouchReply {
        let steps = self.interaction.touch.up(Finger { id, x, y }, at_ms);
        self.touch_steps(steps)
    }

    /// The browser took the touch over, or the window lost focus: every finger
    /// is forgotten and what they began is undone.
    pub fn touch_cancel(&mut self) {
        let steps = self.interaction.touch.cancel();
        self.touch_steps(steps);
    }

    /// Whether a finger is down.
    pub fn touch_active(&self) -> bool {
        self.interaction.touch.active()
    }

    fn touch_steps(&mut self, steps: Vec<TouchStep>) -> TouchReply {
        let mut reply = TouchReply::default();
        for step in steps {
            let actions = match step {
                // A finger on the overview strip moves the window, as the mouse does.
                TouchStep::Press(x, y) if self.on_overview(x, y) => {
                    self.interaction.on_overview = true;
                    self.overview_seek(x);
                    Vec::new()
                }
                TouchStep::Move(x, _) | TouchStep::Release(x, _)
                    if self.interaction.on_overview =>
                {
                    self.interaction.on_overview = matches!(step, TouchStep::Move(..));
                    self.overview_seek(x);
                    Vec::new()
                }
                TouchStep::Press(x, y) => self.gesture_at(x, y, Gesture::press),
                TouchStep::Move(x, y) => self.gesture_at(x, y, Gesture::pointer_move),
                TouchStep::Release(x, y) => {
                    let actions = self.gesture_at(x, y, Gesture::release);
                    // A tap on an event selects it: the page shows why it has
                    // its timestamp where the finger is, not in a side panel.
                    reply.tapped_event = actions.iter().find_map(|a| match a {
                        Action::Select(Some(e)) => Some(*e),
                        _ => None,
                    });
                    actions
                }
                TouchStep::Cancel => {
                    self.interaction.on_overview = false;
                    self.interaction.gesture.cancel()
                }
                TouchStep::DoubleTap(x, y) => self.gesture_at(x, y, Gesture::double_click),
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
