//! Names from a link, a file or a person are shown inside the page's own
//! sentences ("A: receive of message m1 from B"). A name is text in any
//! script, so it may hold right-to-left characters or bidi controls; left
//! alone, an unterminated U+202E (RIGHT-TO-LEFT OVERRIDE) in a name would
//! reverse the rest of the page's sentence. Every name is therefore shown
//! *isolated*: between U+2068 (FIRST STRONG ISOLATE) and U+2069 (POP
//! DIRECTIONAL ISOLATE). Unicode's bidi algorithm ends every embedding,
//! override and isolate opened inside an isolate at its closing PDI, so
//! nothing in the name can reach the words around it. The same two characters
//! work in canvas `fillText`, DOM text and SVG text, so one helper serves all.

/// U+2068 FIRST STRONG ISOLATE.
pub const FSI: char = '\u{2068}';
/// U+2069 POP DIRECTIONAL ISOLATE.
pub const PDI: char = '\u{2069}';

/// `text` as an isolate: `FSI text PDI`. A PDI in `text` with no isolate
/// initiator of its own before it would close ours early, so it is dropped.
///
/// ```
/// use hlcviz::bidi::isolate;
/// assert_eq!(isolate("A"), "\u{2068}A\u{2069}");
/// // An unmatched PDI in the name cannot end the isolate early.
/// assert_eq!(isolate("x\u{2069}\u{202e}"), "\u{2068}x\u{202e}\u{2069}");
/// // Matched isolates inside the name are kept.
/// assert_eq!(isolate("\u{2067}y\u{2069}"), "\u{2068}\u{2067}y\u{2069}\u{2069}");
/// ```
pub fn isolate(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 6);
    out.push(FSI);
    let mut open = 0usize;
    for ch in text.chars() {
        match ch {
            '\u{2066}' | '\u{2067}' | '\u{2068}' => {
                open += 1;
                out.push(ch);
            }
            PDI if open == 0 => {}
            PDI => {
                open -= 1;
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out.push(PDI);
    out
}

/// `text` without the isolate marks [`isolate`] adds (for places that compare
/// or measure the bare name).
///
/// ```
/// use hlcviz::bidi::{isolate, strip};
/// assert_eq!(strip(&isolate("B")), "B");
/// ```
pub fn strip(text: &str) -> &str {
    text.strip_prefix(FSI)
        .and_then(|t| t.strip_suffix(PDI))
        .unwrap_or(text)
}
