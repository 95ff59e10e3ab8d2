//! Hybrid Logical Clocks, as defined by Kulkarni, Demirbas, Madappa, Avva and Leone,
//! ["Logical Physical Clocks and Consistent Snapshots in Globally Distributed
//! Databases"](https://cse.buffalo.edu/tech-reports/2014-04.pdf) (OPODIS 2014).
//!
//! A [`Timestamp`] is a pair `(l, c)`: `l` is the largest physical time the node has
//! heard of and `c` a counter that breaks ties while `l` stands still. [`Hlc`]
//! implements the paper's Figure 5 rules for local events, sends and receives, and
//! reports with every timestamp *which branch of the rule fired* (a [`Rule`]), so a
//! user interface can explain each timestamp in words.
//!
//! The physical time `pt` is always an argument: there is no hidden global clock, so
//! the same inputs always give the same timestamps.
//!
//! Production policies ([`Policy`]): a max-offset bound that rejects messages from
//! too far in the future (CockroachDB, uhlc), a fixed counter width whose overflow
//! carries into `l` (YugabyteDB), and packing into one `u64` (48 bits of `l`, 16 of
//! `c`, as the paper suggests).
//!
//! For comparison, the crate also has the paper's broken Figure 3 rule
//! ([`NaiveHlc`]), [`Lamport`] clocks and [`VectorClock`]s.
//!
//! # Timestamps from other processes
//!
//! A received timestamp is outside input, and [`Hlc::recv`] never panics on
//! it, whatever its `l` and `c`: a counter that would pass its width carries
//! into `l`, and an `l` that would then pass [`Time::MAX`] is
//! [`ClockError::TimeOverflow`], with the clock left as it was. Set
//! [`Policy::max_offset`] to refuse a timestamp too far ahead of the local
//! clock ([`ClockError::ExceedsMaxOffset`]), as production systems do, so one
//! wrong clock cannot drag every node's `l` forward. The [`Lamport`],
//! [`NaiveHlc`] and [`VectorClock`] clocks saturate instead.
//!
//! ```
//! use hlc::{ClockError, Hlc, Timestamp};
//! let mut clock = Hlc::new();
//! let hostile = Timestamp::new(i64::MAX, u32::MAX);
//! assert_eq!(clock.recv(5, hostile), Err(ClockError::TimeOverflow));
//! assert_eq!(clock.now(), Timestamp::ZERO);
//! ```
//!
//! # Feature flags
//!
//! * `serde`: `Serialize`/`Deserialize` for [`Timestamp`], [`Policy`] and
//!   [`Rule`].
//! * `recorder`: the `recorder` module, which logs a real program's events
//!   (wall clock, HLC, vector clock) in the format the visualizer imports. See
//!   `examples/recorder.rs` and the repository's `docs/instrumenting.md`.
//!
//! ```
//! use hlc::{Hlc, Rule, Timestamp};
//! let mut a = Hlc::new();
//! let mut b = Hlc::new();
//! // a's clock reads 10 when it sends; b's clock is behind, at 7.
//! let sent = a.send(10).unwrap();
//! assert_eq!(sent.timestamp, Timestamp::new(10, 0));
//! let got = b.recv(7, sent.timestamp).unwrap();
//! assert_eq!(got.timestamp, Timestamp::new(10, 1));
//! assert_eq!(got.rule, Rule::RecvMessageAhead);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod clock;
mod compare;
#[cfg(feature = "recorder")]
pub mod recorder;
mod timestamp;

pub use clock::{ClockError, Hlc, Policy, Rule, Tick, DEFAULT_COUNTER_BITS};
pub use compare::{Lamport, NaiveHlc, VectorClock};
pub use timestamp::{PackError, Time, Timestamp, PACKED_COUNTER_BITS, PACKED_L_BITS};
