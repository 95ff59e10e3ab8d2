//! Notices: short, non-blocking messages for the person.

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

/// Longest notice text shown at once; the rest goes behind "N more…".
pub const NOTICE_MAX_CHARS: usize = 200;
/// Most detail lines a notice keeps (the list says how many were left out).
pub const NOTICE_MAX_MORE: usize = 500;

/// The latest notice and the count that numbers them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Notices {
    latest: Option<Notice>,
    serial: u64,
}

impl Notices {
    pub(crate) fn latest(&self) -> Option<&Notice> {
        self.latest.as_ref()
    }

    /// Posts a notice. A text longer than [`NOTICE_MAX_CHARS`] is cut at a
    /// word, and the whole of it is kept first in `more`.
    pub(crate) fn post(&mut self, text: String, mut more: Vec<String>) {
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
        self.serial += 1;
        self.latest = Some(Notice {
            text: shown,
            more,
            serial: self.serial,
        });
    }
}
