//! The clock policies of real systems, as presets of [`Settings`]: how far
//! ahead a remote clock may be, how wide the counter is, and when a node stops
//! itself. Each figure was read in the system's public code (the file is named
//! in [`SystemPolicy::source`]); `docs/database-lens.md` (Clock policies of real systems) says what we
//! simplified. Our times are whole milliseconds.

use crate::scenario::{Settings, StopRule};

/// One system's clock policy.
#[derive(Debug, Clone, Copy)]
pub struct SystemPolicy {
    /// Stable identifier (`"cockroachdb"`, ...).
    pub id: &'static str,
    /// The system's name.
    pub title: &'static str,
    /// What the policy does, in one line.
    pub summary: &'static str,
    /// The settings under this policy, from the current ones: it sets the
    /// max offset, the counter width and the stop rule and keeps every other
    /// setting.
    pub settings: fn(&Settings) -> Settings,
    /// Where the figures come from: repository and file.
    pub source: &'static str,
}

impl SystemPolicy {
    /// The current settings with this system's clock policy in place; every
    /// setting the policy does not speak about is kept.
    ///
    /// ```
    /// use hlcviz::policies::find;
    /// use hlcviz::scenario::{Settings, StopRule};
    /// let cockroach = find("cockroachdb").unwrap().apply(&Settings::default());
    /// assert_eq!(cockroach.max_offset_ms, Some(500));
    /// assert_eq!(cockroach.stop_on_skew, Some(StopRule { threshold_ms: 400, majority: true }));
    /// ```
    pub fn apply(&self, current: &Settings) -> Settings {
        (self.settings)(current)
    }
}

/// CockroachDB's default max offset, `base.DefaultMaxClockOffset`.
pub const COCKROACHDB_MAX_OFFSET_MS: i64 = 500;

/// CockroachDB self-terminates at `toleratedOffsetMultiplier = 0.8` of the max
/// offset.
pub const COCKROACHDB_TOLERATED_OFFSET_MS: i64 = COCKROACHDB_MAX_OFFSET_MS * 4 / 5;

/// `current` with the three clock-policy settings replaced. Written as
/// assignments to a copy (not a struct literal) so that any setting added to
/// [`Settings`] later passes through unchanged.
fn with_policy(
    current: &Settings,
    max_offset_ms: Option<i64>,
    counter_bits: u8,
    stop_on_skew: Option<StopRule>,
) -> Settings {
    let mut settings = *current;
    settings.max_offset_ms = max_offset_ms;
    settings.counter_bits = counter_bits;
    settings.stop_on_skew = stop_on_skew;
    settings
}

fn cockroachdb(current: &Settings) -> Settings {
    let stop = StopRule {
        threshold_ms: COCKROACHDB_TOLERATED_OFFSET_MS,
        majority: true,
    };
    // `Logical int32`: its non-negative range is 31 bits.
    with_policy(current, Some(COCKROACHDB_MAX_OFFSET_MS), 31, Some(stop))
}

fn yugabytedb(current: &Settings) -> Settings {
    // `max_clock_skew_usec` = 500 * 1000; `HybridClock::Update` takes any remote
    // time, so no max offset; `kBitsForLogicalComponent = 12`, and overflow
    // carries into the physical part.
    let stop = StopRule {
        threshold_ms: 500,
        majority: false,
    };
    with_policy(current, None, 12, Some(stop))
}

fn mongodb(current: &Settings) -> Settings {
    // `maxAcceptableLogicalClockDriftSecs` is a year, past our one-day cap on
    // the max offset; the increment stops at `numeric_limits<int32_t>::max()`.
    with_policy(current, None, 31, None)
}

fn uhlc(current: &Settings) -> Settings {
    // `DEFAULT_DELTA_MS = 500` (`DELTA_MS = 100` in early versions); `CSIZE = 4`.
    with_policy(current, Some(500), 4, None)
}

/// Every system, in the order the page lists them.
pub const SYSTEMS: &[SystemPolicy] = &[
    SystemPolicy {
        id: "cockroachdb",
        title: "CockroachDB",
        summary: "Refuses a remote clock more than 500 ms ahead; a node whose clock is more than 400 ms (80 % of the max offset) from at least half of its peers shuts itself down.",
        settings: cockroachdb,
        source: "cockroachdb/cockroach: pkg/util/hlc/hlc.go (UpdateAndCheckMaxOffset), pkg/base/constants.go (DefaultMaxClockOffset), pkg/server/config.go (toleratedOffsetMultiplier), pkg/rpc/clock_offset.go (VerifyClockOffset)",
    },
    SystemPolicy {
        id: "yugabytedb",
        title: "YugabyteDB",
        summary: "A 12-bit counter that carries into the physical part; a node crashes on clock skew beyond max_clock_skew_usec (500 ms).",
        settings: yugabytedb,
        source: "yugabyte/yugabyte-db: src/yb/common/hybrid_time.h (kBitsForLogicalComponent), src/yb/server/hybrid_clock.cc (NowWithError, HandleLogicalComponentOverflow), src/yb/util/physical_time.cc (max_clock_skew_usec)",
    },
    SystemPolicy {
        id: "mongodb",
        title: "MongoDB",
        summary: "Cluster time: seconds and a 31-bit increment that moves to the next second; a remote time is refused only a year ahead, so in practice never.",
        settings: mongodb,
        source: "mongodb/mongo: src/mongo/db/vector_clock/vector_clock.h (kMaxValue), src/mongo/db/vector_clock/vector_clock_mutable.cpp (_advanceComponentTimeByTicks), src/mongo/db/vector_clock/vector_clock.cpp (_ensurePassesRateLimiter, maxAcceptableLogicalClockDriftSecs)",
    },
    SystemPolicy {
        id: "uhlc",
        title: "uhlc (Zenoh)",
        summary: "A 4-bit counter in the low bits of an NTP64 time; a remote timestamp more than 500 ms ahead is refused.",
        settings: uhlc,
        source: "atolab/uhlc-rs: src/lib.rs (CSIZE, DEFAULT_DELTA_MS, update_with_timestamp)",
    },
];

/// Finds a system's policy by id.
pub fn find(id: &str) -> Option<&'static SystemPolicy> {
    SYSTEMS.iter().find(|p| p.id == id)
}
