//! The one rule for the encoding of text read from outside, shared by the
//! command line (`hlcviz`) and the page's Import: **UTF-8, with an optional
//! leading UTF-8 byte-order mark**, which is stripped.
//!
//! Anything else is refused with an [`EncodingError`] whose message names the
//! problem and the fix, without the file name (the caller puts it in front):
//! a file that starts with a UTF-16 byte-order mark is reported as UTF-16,
//! any other invalid UTF-8 by the offset of its first invalid byte. Nothing is
//! decoded lossily, so a file in Latin-1 or UTF-16 never turns into a scenario
//! with replacement characters in its names.
//!
//! ```
//! use hlcviz::encoding::{decode_text, EncodingError};
//!
//! assert_eq!(decode_text(b"\xEF\xBB\xBF{}"), Ok("{}"));
//! assert_eq!(decode_text(b"\xFF\xFE{\x00}\x00"), Err(EncodingError::Utf16));
//! assert_eq!(
//!     decode_text(b"Caf\xE9"),
//!     Err(EncodingError::NotUtf8 { offset: 3 })
//! );
//! ```

use std::fmt;

/// U+FEFF, the byte-order mark some editors put first (`EF BB BF` in UTF-8).
const BOM: char = '\u{feff}';
/// UTF-16 little-endian byte-order mark.
const UTF16_LE_BOM: &[u8] = b"\xFF\xFE";
/// UTF-16 big-endian byte-order mark.
const UTF16_BE_BOM: &[u8] = b"\xFE\xFF";

/// Why bytes are not text under the rule of this module.
///
/// Its message has no file name and no trailing period, so a caller can write
/// `{file}: {error}` or `{file} {error}`.
///
/// ```
/// use hlcviz::encoding::EncodingError;
///
/// assert_eq!(
///     EncodingError::Utf16.to_string(),
///     "is UTF-16 text; save it as UTF-8 and try again"
/// );
/// assert_eq!(
///     EncodingError::NotUtf8 { offset: 7 }.to_string(),
///     "is not UTF-8 text (invalid byte at offset 7); save it as UTF-8 and try again"
/// );
/// let boxed: Box<dyn std::error::Error> = Box::new(EncodingError::Utf16);
/// assert!(boxed.source().is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingError {
    /// The bytes start with a UTF-16 byte-order mark (`FF FE` or `FE FF`).
    Utf16,
    /// The bytes are not UTF-8; `offset` is the position (from the first byte,
    /// a byte-order mark included) of the first byte that is not.
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
}

impl fmt::Display for EncodingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodingError::Utf16 => {
                write!(f, "is UTF-16 text; save it as UTF-8 and try again")
            }
            EncodingError::NotUtf8 { offset } => write!(
                f,
                "is not UTF-8 text (invalid byte at offset {offset}); save it as UTF-8 and try again"
            ),
        }
    }
}

impl std::error::Error for EncodingError {}

/// `bytes` as text: UTF-8, without its leading UTF-8 byte-order mark if it
/// has one (only one is stripped).
///
/// A UTF-16 byte-order mark at the start gives [`EncodingError::Utf16`]
/// (neither `FF FE` nor `FE FF` can start UTF-8, so no UTF-8 text is refused
/// for it); any other invalid UTF-8 gives [`EncodingError::NotUtf8`] with the
/// offset of the first invalid byte in `bytes`. Empty input is valid (empty
/// text); whether that is acceptable is the caller's business.
///
/// ```
/// use hlcviz::encoding::{decode_text, EncodingError};
///
/// assert_eq!(decode_text("{\"nodes\":[]}".as_bytes()), Ok("{\"nodes\":[]}"));
/// assert_eq!(decode_text("\u{feff}Ωmega".as_bytes()), Ok("Ωmega"));
/// assert_eq!(decode_text(b"\xFE\xFF\x00{"), Err(EncodingError::Utf16));
/// // The offset counts from the first byte, the byte-order mark included.
/// assert_eq!(
///     decode_text(b"\xEF\xBB\xBFA\x80"),
///     Err(EncodingError::NotUtf8 { offset: 4 })
/// );
/// ```
pub fn decode_text(bytes: &[u8]) -> Result<&str, EncodingError> {
    if bytes.starts_with(UTF16_LE_BOM) || bytes.starts_with(UTF16_BE_BOM) {
        return Err(EncodingError::Utf16);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| EncodingError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    Ok(text.strip_prefix(BOM).unwrap_or(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_and_one_byte_order_mark_is_stripped() {
        assert_eq!(decode_text(b""), Ok(""));
        assert_eq!(decode_text(b"\xEF\xBB\xBF"), Ok(""));
        assert_eq!(decode_text(b"{}"), Ok("{}"));
        assert_eq!(decode_text("\u{feff}{}".as_bytes()), Ok("{}"));
        assert_eq!(
            decode_text("\u{feff}\u{feff}{}".as_bytes()),
            Ok("\u{feff}{}"),
            "only the first mark is the file's"
        );
        assert_eq!(
            decode_text("x\u{feff}".as_bytes()),
            Ok("x\u{feff}"),
            "a mark elsewhere is text"
        );
        let name = "Ωmega-ノード-👩‍👩‍👧‍👦";
        assert_eq!(decode_text(name.as_bytes()), Ok(name));
    }

    #[test]
    fn utf16_byte_order_marks_are_named() {
        let le: Vec<u8> = std::iter::once(0xFEFF_u16)
            .chain("{\"nodes\":[]}".encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode_text(&le), Err(EncodingError::Utf16));
        let be: Vec<u8> = std::iter::once(0xFEFF_u16)
            .chain("{}".encode_utf16())
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode_text(&be), Err(EncodingError::Utf16));
        assert_eq!(decode_text(UTF16_LE_BOM), Err(EncodingError::Utf16));
        assert_eq!(decode_text(UTF16_BE_BOM), Err(EncodingError::Utf16));
        // Only at the very start, and only the full two bytes.
        assert_eq!(
            decode_text(b"\xFF"),
            Err(EncodingError::NotUtf8 { offset: 0 })
        );
        assert_eq!(
            decode_text(b"\xFE"),
            Err(EncodingError::NotUtf8 { offset: 0 })
        );
        assert_eq!(
            decode_text(b"{\xFF\xFE}"),
            Err(EncodingError::NotUtf8 { offset: 1 })
        );
        assert_eq!(
            decode_text(b"\xEF\xBB\xBF\xFF\xFE"),
            Err(EncodingError::NotUtf8 { offset: 3 })
        );
    }

    #[test]
    fn invalid_utf8_gives_the_offset_of_the_first_bad_byte() {
        assert_eq!(
            decode_text(b"{\"nodes\":[{\"name\":\"Caf\xe9\"}]}"),
            Err(EncodingError::NotUtf8 { offset: 22 })
        );
        // A truncated sequence at the end, an overlong encoding, a surrogate.
        assert_eq!(
            decode_text("ab€".as_bytes().split_last().map_or(&[][..], |(_, r)| r)),
            Err(EncodingError::NotUtf8 { offset: 2 })
        );
        assert_eq!(
            decode_text(b"a\xC0\xAF"),
            Err(EncodingError::NotUtf8 { offset: 1 })
        );
        assert_eq!(
            decode_text(b"ab\xED\xA0\x80"),
            Err(EncodingError::NotUtf8 { offset: 2 })
        );
    }

    #[test]
    fn messages_have_no_file_name_and_no_trailing_period() {
        for e in [EncodingError::Utf16, EncodingError::NotUtf8 { offset: 0 }] {
            let message = e.to_string();
            assert!(message.starts_with("is "), "{message}");
            assert!(
                message.ends_with("; save it as UTF-8 and try again"),
                "{message}"
            );
            assert!(!message.contains('\n'), "{message}");
        }
    }
}
