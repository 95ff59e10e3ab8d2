//! First-use hints: the three things to try on the diagram. Each one fades
//! once the person has done it (whichever way: mouse, touch, keyboard or a
//! panel form), and all come back from Help. Which ones are done is kept
//! between visits as a short text (see [`Hints::to_text`]).

/// One thing to try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// Add a local event.
    AddEvent,
    /// Send a message.
    SendMessage,
    /// Change a node's clock skew.
    Skew,
}

impl Hint {
    /// Every hint, in the order they are shown.
    pub const ALL: [Hint; 3] = [Hint::AddEvent, Hint::SendMessage, Hint::Skew];

    /// Stable identifier (stored text, page attributes).
    pub fn id(self) -> &'static str {
        match self {
            Hint::AddEvent => "add",
            Hint::SendMessage => "send",
            Hint::Skew => "skew",
        }
    }

    /// What to do, with a mouse or touch screen.
    pub fn text(self, touch: bool) -> &'static str {
        match (self, touch) {
            (Hint::AddEvent, false) => "Double-click a node's line to add an event.",
            (Hint::AddEvent, true) => "Double-tap a node's line to add an event.",
            (Hint::SendMessage, _) => {
                "Drag from one line to another to send a message: watch the receiver's (l, c)."
            }
            (Hint::Skew, _) => {
                "Drag a skew slider under Clocks to set a node's clock ahead or behind."
            }
        }
    }

    fn bit(self) -> u8 {
        match self {
            Hint::AddEvent => 1,
            Hint::SendMessage => 2,
            Hint::Skew => 4,
        }
    }
}

/// Which hints are done, and whether the person closed them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hints {
    done: u8,
    dismissed: bool,
}

impl Hints {
    /// Whether `hint` has been done.
    pub fn is_done(self, hint: Hint) -> bool {
        self.done & hint.bit() != 0
    }

    /// Marks `hint` done.
    pub fn mark(&mut self, hint: Hint) {
        self.done |= hint.bit();
    }

    /// Whether the hints are still shown: some are not done and they were not
    /// closed.
    pub fn shown(self) -> bool {
        !self.dismissed && Hint::ALL.iter().any(|&h| !self.is_done(h))
    }

    /// Closes them all (they come back with [`Hints::reset`]).
    pub fn dismiss(&mut self) {
        self.dismissed = true;
    }

    /// Shows every hint again, as on a first visit.
    pub fn reset(&mut self) {
        *self = Hints::default();
    }

    /// The stored form: the done hints' ids, and "closed" if dismissed, joined
    /// by commas.
    pub fn to_text(self) -> String {
        let mut parts: Vec<&str> = Hint::ALL
            .iter()
            .filter(|&&h| self.is_done(h))
            .map(|h| h.id())
            .collect();
        if self.dismissed {
            parts.push("closed");
        }
        parts.join(",")
    }

    /// Reads the stored form; anything it does not know is ignored, so a
    /// damaged or future value can only show hints, never break the page.
    pub fn from_text(text: &str) -> Hints {
        let mut hints = Hints::default();
        for part in text.split(',').map(str::trim).take(16) {
            if part == "closed" {
                hints.dismissed = true;
            } else if let Some(h) = Hint::ALL.iter().find(|h| h.id() == part) {
                hints.mark(*h);
            }
        }
        hints
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_are_shown_until_each_is_done_or_they_are_closed() {
        let mut h = Hints::default();
        assert!(h.shown());
        h.mark(Hint::AddEvent);
        h.mark(Hint::SendMessage);
        assert!(h.shown());
        h.mark(Hint::Skew);
        assert!(!h.shown());
        h.reset();
        assert!(h.shown());
        h.dismiss();
        assert!(!h.shown());
    }

    #[test]
    fn the_stored_text_round_trips_and_garbage_only_shows_hints() {
        let mut h = Hints::default();
        h.mark(Hint::Skew);
        h.dismiss();
        assert_eq!(h.to_text(), "skew,closed");
        assert_eq!(Hints::from_text(&h.to_text()), h);
        assert_eq!(Hints::from_text("\u{202e}x,,add,??"), {
            let mut e = Hints::default();
            e.mark(Hint::AddEvent);
            e
        });
        assert!(Hints::from_text("").shown());
    }
}
