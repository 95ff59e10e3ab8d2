//! Pointer and keyboard gestures as a pure state machine: it sees what lies under
//! the pointer (a [`Hit`] from the layout) and emits [`Action`]s for the app to
//! carry out. No browser types here, so every gesture is tested natively.

use crate::layout::Hit;
use hlc::Time;

/// How far (CSS px) a pointer must move after a press before it is a drag.
pub const DRAG_THRESHOLD: f64 = 4.0;

/// One pointer position, already hit-tested.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PointerSample {
    /// CSS px from the canvas's left edge.
    pub x: f64,
    /// CSS px from the canvas's top edge.
    pub y: f64,
    /// What is under it.
    pub hit: Hit,
    /// Real time under it (whole ms).
    pub at_ms: Time,
}

/// What the pointer is doing.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Gesture {
    /// Nothing pressed.
    #[default]
    Idle,
    /// Pressed, not yet moved past the drag threshold.
    Pressed {
        /// Where the press happened.
        press: PointerSample,
    },
    /// Dragging an event along its line.
    MovingEvent {
        /// Trace index of the event when the drag began.
        event: usize,
        /// Real time under the pointer at the press.
        press_ms: Time,
    },
    /// Drawing a message from a press on a node line.
    RubberBand {
        /// Sending node.
        from_node: usize,
        /// Send time.
        sent_at_ms: Time,
        /// Where the pointer is now.
        x: f64,
        /// Where the pointer is now.
        y: f64,
    },
    /// Panning the view.
    Panning {
        /// Last pointer x.
        last_x: f64,
    },
}

/// What a gesture asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Select an event (trace index), or clear the selection.
    Select(Option<usize>),
    /// The pointer hovers this event, or none.
    Hover(Option<usize>),
    /// A drag of this event (trace index) starts.
    BeginMove(usize),
    /// Move the dragged event by `delta_ms` from where it was when the drag began.
    MoveBy(Time),
    /// The drag ended where it is.
    EndMove,
    /// The drag was interrupted: put the event back.
    CancelMove,
    /// Add a local event.
    AddLocal {
        /// Node index.
        node: usize,
        /// Real time.
        at_ms: Time,
    },
    /// A rubber band was released on `drop`.
    DropMessage {
        /// Sending node.
        from_node: usize,
        /// Send time.
        sent_at_ms: Time,
        /// What it was dropped on.
        drop: Hit,
        /// Real time under the drop point.
        at_ms: Time,
    },
    /// Pan the view by `dx` CSS px.
    Pan(f64),
    /// Zoom by `factor` around screen x.
    Zoom {
        /// > 1 zooms in.
        factor: f64,
        /// Anchor.
        x: f64,
    },
    /// Take a snapshot at this real time on the axis.
    SnapshotAt(Time),
    /// Repaint (the rubber band moved).
    Repaint,
}

impl Action {
    /// Whether carrying this action out changes the scenario (so a read-only
    /// view drops it). Selecting, hovering, panning, zooming and snapshots
    /// only look.
    pub fn edits(&self) -> bool {
        matches!(
            self,
            Action::BeginMove(_)
                | Action::MoveBy(_)
                | Action::EndMove
                | Action::CancelMove
                | Action::AddLocal { .. }
                | Action::DropMessage { .. }
        )
    }
}

impl Gesture {
    /// A primary-button press.
    pub fn press(&mut self, press: PointerSample) -> Vec<Action> {
        *self = Gesture::Pressed { press };
        Vec::new()
    }

    /// The pointer moved (pressed or not).
    pub fn pointer_move(&mut self, now: PointerSample) -> Vec<Action> {
        match *self {
            Gesture::Idle => {
                let hovered = match now.hit {
                    Hit::Event(e) => Some(e),
                    _ => None,
                };
                vec![Action::Hover(hovered)]
            }
            Gesture::Pressed { press } => {
                if (now.x - press.x).hypot(now.y - press.y) < DRAG_THRESHOLD {
                    return Vec::new();
                }
                match press.hit {
                    Hit::Event(event) => {
                        *self = Gesture::MovingEvent {
                            event,
                            press_ms: press.at_ms,
                        };
                        vec![
                            Action::Hover(None),
                            Action::BeginMove(event),
                            Action::MoveBy(now.at_ms - press.at_ms),
                        ]
                    }
                    Hit::Lane { node, at_ms } => {
                        *self = Gesture::RubberBand {
                            from_node: node,
                            sent_at_ms: at_ms,
                            x: now.x,
                            y: now.y,
                        };
                        vec![Action::Hover(None), Action::Repaint]
                    }
                    Hit::Axis { .. } | Hit::Empty | Hit::NodeLabel(_) => {
                        *self = Gesture::Panning { last_x: now.x };
                        vec![Action::Pan(now.x - press.x)]
                    }
                }
            }
            Gesture::MovingEvent { press_ms, .. } => vec![Action::MoveBy(now.at_ms - press_ms)],
            Gesture::RubberBand {
                from_node,
                sent_at_ms,
                ..
            } => {
                *self = Gesture::RubberBand {
                    from_node,
                    sent_at_ms,
                    x: now.x,
                    y: now.y,
                };
                vec![Action::Repaint]
            }
            Gesture::Panning { last_x } => {
                *self = Gesture::Panning { last_x: now.x };
                vec![Action::Pan(now.x - last_x)]
            }
        }
    }

    /// The primary button was released.
    pub fn release(&mut self, now: PointerSample) -> Vec<Action> {
        let actions = match *self {
            Gesture::Idle | Gesture::Panning { .. } => Vec::new(),
            Gesture::Pressed { press } => match press.hit {
                Hit::Event(e) => vec![Action::Select(Some(e))],
                Hit::Axis { at_ms } => vec![Action::SnapshotAt(at_ms)],
                Hit::Lane { .. } | Hit::Empty | Hit::NodeLabel(_) => vec![Action::Select(None)],
            },
            Gesture::MovingEvent { .. } => vec![Action::EndMove],
            Gesture::RubberBand {
                from_node,
                sent_at_ms,
                ..
            } => vec![Action::DropMessage {
                from_node,
                sent_at_ms,
                drop: now.hit,
                at_ms: now.at_ms,
            }],
        };
        *self = Gesture::Idle;
        actions
    }

    /// The gesture was interrupted (`pointercancel`, focus lost, Escape): nothing
    /// it started is kept half-done.
    pub fn cancel(&mut self) -> Vec<Action> {
        let actions = match *self {
            Gesture::MovingEvent { .. } => vec![Action::CancelMove],
            Gesture::RubberBand { .. } => vec![Action::Repaint],
            _ => Vec::new(),
        };
        *self = Gesture::Idle;
        actions
    }

    /// A double click: on a node line it adds a local event.
    pub fn double_click(&mut self, at: PointerSample) -> Vec<Action> {
        *self = Gesture::Idle;
        match at.hit {
            Hit::Lane { node, at_ms } => vec![Action::AddLocal { node, at_ms }],
            _ => Vec::new(),
        }
    }

    /// A wheel turn: vertical zooms around the pointer, horizontal (or with
    /// Shift) pans.
    pub fn wheel(&self, x: f64, delta_x: f64, delta_y: f64, shift: bool) -> Vec<Action> {
        if shift || delta_x.abs() > delta_y.abs() {
            let d = if shift && delta_x == 0.0 {
                delta_y
            } else {
                delta_x
            };
            return vec![Action::Pan(-d)];
        }
        if delta_y == 0.0 || !delta_y.is_finite() {
            return Vec::new();
        }
        vec![Action::Zoom {
            factor: (-delta_y * 0.0015).exp().clamp(0.5, 2.0),
            x,
        }]
    }

    /// Whether a drag that edits the scenario is under way.
    pub fn is_editing(&self) -> bool {
        matches!(
            self,
            Gesture::MovingEvent { .. } | Gesture::RubberBand { .. }
        )
    }
}

/// A key press, as the browser names it (`KeyboardEvent.key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPress {
    /// `KeyboardEvent.key`.
    pub key: String,
    /// Shift held.
    pub shift: bool,
    /// Ctrl or Cmd held.
    pub command: bool,
    /// Alt held.
    pub alt: bool,
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KeyCommand {
    /// Show or hide the help overlay.
    ToggleHelp,
    /// Delete the selected event.
    DeleteSelected,
    /// Select the previous (-1) or next (+1) event on the selected event's node.
    SelectAlongNode(i32),
    /// Select the nearest event on the node above (-1) or below (+1).
    SelectAcrossNodes(i32),
    /// Move the selected event by this many ms.
    MoveSelected(Time),
    /// Add a local event on the selected event's node, a little after it.
    AddLocalAfterSelected,
    /// Zoom in (> 1) or out around the plot's centre.
    Zoom(f64),
    /// Pan by a fraction of the plot width (negative: left).
    PanFraction(f64),
    /// Fit the view to the content.
    Fit,
    /// Start or pause playback.
    TogglePlay,
    /// Presentation mode on or off.
    TogglePresentation,
    /// The table of every event (the diagram as text) on or off.
    ToggleTable,
    /// Snapshot at the selected event's HLC timestamp.
    SnapshotAtSelected,
    /// Clear the selection, the snapshot, any gesture or overlay.
    Escape,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
}

impl KeyCommand {
    /// Whether this command changes the scenario (so a read-only view drops
    /// it). Undo and redo count: they change it back.
    pub fn edits(&self) -> bool {
        matches!(
            self,
            KeyCommand::DeleteSelected
                | KeyCommand::MoveSelected(_)
                | KeyCommand::AddLocalAfterSelected
                | KeyCommand::Undo
                | KeyCommand::Redo
        )
    }
}

/// Maps a key to a command; `None` leaves the key to the browser.
pub fn key_command(key: &KeyPress) -> Option<KeyCommand> {
    if key.command {
        // Undo and redo; every other Ctrl/Cmd shortcut stays the browser's.
        return match key.key.as_str() {
            "z" | "Z" if key.shift => Some(KeyCommand::Redo),
            "z" | "Z" => Some(KeyCommand::Undo),
            "y" | "Y" => Some(KeyCommand::Redo),
            _ => None,
        };
    }
    let fine = key.alt;
    let step = if fine { 1 } else { 10 };
    Some(match key.key.as_str() {
        "?" => KeyCommand::ToggleHelp,
        "Delete" | "Backspace" => KeyCommand::DeleteSelected,
        "ArrowLeft" if key.shift => KeyCommand::MoveSelected(-step),
        "ArrowRight" if key.shift => KeyCommand::MoveSelected(step),
        "ArrowLeft" => KeyCommand::SelectAlongNode(-1),
        "ArrowRight" => KeyCommand::SelectAlongNode(1),
        "ArrowUp" => KeyCommand::SelectAcrossNodes(-1),
        "ArrowDown" => KeyCommand::SelectAcrossNodes(1),
        "e" | "E" => KeyCommand::AddLocalAfterSelected,
        "+" | "=" => KeyCommand::Zoom(1.25),
        "-" | "_" => KeyCommand::Zoom(0.8),
        "[" => KeyCommand::PanFraction(-0.25),
        "]" => KeyCommand::PanFraction(0.25),
        "f" | "F" | "0" => KeyCommand::Fit,
        " " => KeyCommand::TogglePlay,
        "p" | "P" => KeyCommand::TogglePresentation,
        "t" | "T" => KeyCommand::ToggleTable,
        "s" | "S" => KeyCommand::SnapshotAtSelected,
        "Escape" => KeyCommand::Escape,
        _ => return None,
    })
}

/// The gestures and shortcuts, for the `?` overlay (one per line, "keys: what").
pub const HELP: &[(&str, &str)] = &[
    (
        "Double-click a node line",
        "add a local event there (it snaps to a round time; hold Alt for the exact spot)",
    ),
    (
        "Press on a node line, drag to another",
        "send a message (release on the receiver's line)",
    ),
    (
        "Drag an event or an arrow end",
        "change its time along its line (snaps to round times; Alt: exact)",
    ),
    (
        "Click an event",
        "select it: causal past and future light up, concurrent events dim",
    ),
    (
        "Click the time axis",
        "snapshot at that time: HLC cut vs physical cut",
    ),
    ("Drag empty space / wheel / Shift+wheel", "pan / zoom / pan"),
    ("← →", "select previous / next event on the node"),
    ("↑ ↓", "select the nearest event on the node above / below"),
    (
        "/",
        "find events (text, node:NAME, hlc:FROM..TO, kind:send); Enter / Shift+Enter step through them",
    ),
    ("Shift+← →  (Alt: 1 ms)", "move the selected event by 10 ms"),
    ("E", "add a local event 50 ms after the selected one"),
    (
        "Delete / Backspace",
        "delete the selected event (or its message)",
    ),
    ("S", "snapshot at the selected event's HLC timestamp"),
    (
        "+ −  [ ]  F",
        "zoom in / out, pan left / right, fit to content",
    ),
    (
        "Space",
        "play / pause the execution; drag the pink scrubber on the time axis to seek",
    ),
    (
        "P",
        "presentation mode: big labels, panels hidden, full screen",
    ),
    (
        "T",
        "the table of every event and clock (the diagram as text)",
    ),
    (
        "Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z or Ctrl+Y",
        "undo, redo (a whole drag or slider move is one step)",
    ),
    (
        "Esc",
        "cancel: gesture, help, presentation mode, tour or exercise (the scenario stays), selection, snapshot",
    ),
    ("?", "show or hide this help"),
];

/// The touch gestures, for the `?` overlay on a touch screen (same form as
/// [`HELP`]). They reach the same commands as the mouse (see [`crate::touch`]).
pub const TOUCH_HELP: &[(&str, &str)] = &[
    (
        "Tap an event",
        "select it and read why it has its timestamp (a sheet opens at the bottom)",
    ),
    ("Double-tap a node line", "add a local event there"),
    (
        "Touch a node line, drag to another",
        "send a message (lift on the receiver's line)",
    ),
    ("Drag an event", "change its time along its line"),
    ("Pinch with two fingers", "zoom time in or out"),
    ("Drag with two fingers", "pan time"),
    (
        "Swipe empty space sideways / up or down",
        "pan time / scroll the page",
    ),
    ("Tap the time axis", "snapshot at that time"),
    ("Tap empty space", "clear the selection (closes the sheet)"),
];
