use std::fmt;

/// Integer time. The crate does not care about the unit; the visualizer uses
/// milliseconds. Signed, because a clock skewed backwards near the origin reads
/// negative.
pub type Time = i64;

/// Bits of `l` in the packed 64-bit form (the paper's suggestion).
pub const PACKED_L_BITS: u32 = 48;
/// Bits of `c` in the packed 64-bit form.
pub const PACKED_COUNTER_BITS: u32 = 16;

/// An HLC timestamp `(l, c)`.
///
/// Field order gives the lexicographic order the paper defines: first `l`, then
/// `c`, so `Ord` is derived.
///
/// ```
/// use hlc::Timestamp;
/// assert!(Timestamp::new(5, 9) < Timestamp::new(6, 0));
/// assert!(Timestamp::new(6, 0) < Timestamp::new(6, 1));
/// assert_eq!(Timestamp::new(6, 1).to_string(), "(6, 1)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Timestamp {
    /// The largest physical time heard of.
    pub l: Time,
    /// The logical counter.
    pub c: u32,
}

/// Why a timestamp cannot be packed into 64 bits.
///
/// ```
/// use hlc::{PackError, Timestamp};
/// assert_eq!(Timestamp::new(-1, 0).pack(), Err(PackError::LogicalTimeOutOfRange(-1)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackError {
    /// `l` is negative or needs more than 48 bits.
    LogicalTimeOutOfRange(Time),
    /// `c` needs more than 16 bits.
    CounterOutOfRange(u32),
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackError::LogicalTimeOutOfRange(l) => write!(
                f,
                "l = {l} does not fit in {PACKED_L_BITS} unsigned bits (0 to {})",
                (1u64 << PACKED_L_BITS) - 1
            ),
            PackError::CounterOutOfRange(c) => write!(
                f,
                "c = {c} does not fit in {PACKED_COUNTER_BITS} bits (0 to {})",
                (1u32 << PACKED_COUNTER_BITS) - 1
            ),
        }
    }
}

impl std::error::Error for PackError {}

impl Timestamp {
    /// The paper's initial value, `(0, 0)`.
    ///
    /// ```
    /// assert_eq!(hlc::Timestamp::ZERO, hlc::Timestamp::new(0, 0));
    /// ```
    pub const ZERO: Timestamp = Timestamp { l: 0, c: 0 };

    /// A timestamp below every timestamp any event can get: a clock that starts
    /// here takes its first `l` from the physical clock, whatever it reads.
    ///
    /// ```
    /// assert!(hlc::Timestamp::MIN < hlc::Timestamp::new(-1_000, 0));
    /// ```
    pub const MIN: Timestamp = Timestamp { l: Time::MIN, c: 0 };

    /// Builds `(l, c)`.
    ///
    /// ```
    /// let t = hlc::Timestamp::new(3, 4);
    /// assert_eq!((t.l, t.c), (3, 4));
    /// ```
    pub const fn new(l: Time, c: u32) -> Timestamp {
        Timestamp { l, c }
    }

    /// Packs into one `u64`: `l` in the high 48 bits, `c` in the low 16.
    /// The packed words order exactly as the timestamps do.
    ///
    /// ```
    /// use hlc::Timestamp;
    /// let t = Timestamp::new(1_700_000_000_000, 7);
    /// let word = t.pack().unwrap();
    /// assert_eq!(word, (1_700_000_000_000u64 << 16) | 7);
    /// assert_eq!(Timestamp::unpack(word), t);
    /// assert!(Timestamp::new(1, 0).pack().unwrap() > Timestamp::new(0, 65_535).pack().unwrap());
    /// ```
    pub fn pack(self) -> Result<u64, PackError> {
        if self.l < 0 || (self.l as u64) >> PACKED_L_BITS != 0 {
            return Err(PackError::LogicalTimeOutOfRange(self.l));
        }
        if self.c >> PACKED_COUNTER_BITS != 0 {
            return Err(PackError::CounterOutOfRange(self.c));
        }
        Ok(((self.l as u64) << PACKED_COUNTER_BITS) | u64::from(self.c))
    }

    /// Unpacks a word made by [`Timestamp::pack`]. Every `u64` is a valid word.
    ///
    /// ```
    /// use hlc::Timestamp;
    /// assert_eq!(Timestamp::unpack(0x0000_0000_0001_0002), Timestamp::new(1, 2));
    /// ```
    pub fn unpack(word: u64) -> Timestamp {
        Timestamp {
            l: (word >> PACKED_COUNTER_BITS) as Time,
            c: (word & ((1u64 << PACKED_COUNTER_BITS) - 1)) as u32,
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {})", self.l, self.c)
    }
}
