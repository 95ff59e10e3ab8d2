//! A recorder for real programs (feature `recorder`): it keeps a node's
//! [`Hlc`] and a vector clock, stamps each local event, send and receive, and
//! writes one JSON line per event, in the format `hlcviz-log/1` that the
//! visualizer imports (`hlcviz import`, or *Open file* on the page).
//!
//! # The format
//!
//! JSON Lines: the first line of each host's log is a header, then one object
//! per event, in the order the host recorded them.
//!
//! ```text
//! {"format":"hlcviz-log/1","host":"a"}
//! {"kind":"local","host":"a","wall_ns":1700000000001000000,"hlc":{"l":1700000000001,"c":0},"vc":{"a":1},"text":"start"}
//! {"kind":"send","host":"a","wall_ns":1700000000002000000,"hlc":{"l":1700000000002,"c":0},"vc":{"a":2},"msg":"a:0"}
//! {"kind":"recv","host":"b","wall_ns":1700000000041000000,"hlc":{"l":1700000000041,"c":0},"vc":{"a":2,"b":1},"msg":"a:0"}
//! ```
//!
//! * `wall_ns`: the host's own wall-clock reading, in nanoseconds since the
//!   Unix epoch, *as the host saw it* (with whatever offset its clock has);
//! * `hlc`: the event's HLC timestamp; `l` is in **milliseconds**, the wall
//!   reading rounded down (`wall_ns` divided by 1 000 000, towards negative
//!   infinity, see [`millis`]);
//! * `vc`: the host's vector clock after the event, by host name;
//! * `msg`: for a send and its receive, the message's id (the sender's host,
//!   `:` and a count), which pairs them;
//! * `text`: an optional description.
//!
//! Several hosts' logs concatenated into one file stay one valid log: each
//! header starts the next host's part. `docs/instrumenting.md` in the
//! repository describes how the visualizer reads it and estimates each host's
//! clock offset from the messages.
//!
//! # Messages
//!
//! [`Recorder::send`] returns the [`Stamp`] the message must carry (id, HLC
//! timestamp, vector clock); [`Stamp::to_json`] and [`Stamp::from_json`] put it
//! on the wire and read it back. A received stamp is outside input:
//! [`Stamp::from_json`] caps its size and entries, and [`Recorder::recv`]
//! never panics on it.
//!
//! ```
//! use hlc::recorder::{Recorder, Stamp};
//! let mut a = Recorder::new("a", Vec::new()).unwrap();
//! let mut b = Recorder::new("b", Vec::new()).unwrap();
//! // a's wall clock reads 1 000 000 ms when it sends; b's is 5 ms behind.
//! let stamp = a.send(1_000_000_000_000, Some("hello")).unwrap();
//! let wire = stamp.to_json();
//! let got = Stamp::from_json(wire.as_bytes()).unwrap();
//! let ts = b.recv(999_997_000_000, &got, None).unwrap();
//! assert_eq!(ts, hlc::Timestamp::new(1_000_000, 1), "b takes a's l, c + 1");
//! let log = String::from_utf8(b.into_inner()).unwrap();
//! assert!(log.starts_with("{\"format\":\"hlcviz-log/1\",\"host\":\"b\"}\n"));
//! assert!(log.contains("\"kind\":\"recv\""));
//! assert!(log.contains("\"msg\":\"a:0\""));
//! ```

use crate::clock::{ClockError, Hlc};
use crate::timestamp::{Time, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

/// The `format` value of a log's header line.
pub const FORMAT: &str = "hlcviz-log/1";
/// Largest stamp [`Stamp::from_json`] reads, in bytes.
pub const MAX_STAMP_BYTES: usize = 64 * 1024;
/// Most hosts a vector clock may name (a stamp with more is refused, and a
/// receive that would grow the recorder's clock past it is refused).
pub const MAX_VECTOR_ENTRIES: usize = 256;
/// Longest host name or message id, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// Milliseconds (the unit of the log's `hlc.l`) of a nanosecond wall reading,
/// rounded towards negative infinity.
///
/// ```
/// assert_eq!(hlc::recorder::millis(1_999_999), 1);
/// assert_eq!(hlc::recorder::millis(-1), -1);
/// ```
pub fn millis(wall_ns: i64) -> Time {
    wall_ns.div_euclid(1_000_000)
}

/// This machine's wall clock (`SystemTime`), in nanoseconds since the Unix
/// epoch, plus `offset_ns`. Saturates instead of overflowing; a clock set
/// before 1970 reads negative.
///
/// ```
/// let now = hlc::recorder::wall_clock_ns(0);
/// assert!(now > 1_600_000_000_000_000_000, "after September 2020");
/// let ahead = hlc::recorder::wall_clock_ns(40_000_000);
/// assert!(ahead >= now + 40_000_000);
/// ```
pub fn wall_clock_ns(offset_ns: i64) -> i64 {
    let since = match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    };
    since.saturating_add(offset_ns)
}

/// What a message carries: its id, the sender's HLC timestamp and vector
/// clock.
///
/// ```
/// use hlc::recorder::Stamp;
/// let stamp = Stamp::from_json(br#"{"msg":"a:3","hlc":{"l":12,"c":1},"vc":{"a":4}}"#).unwrap();
/// assert_eq!(stamp.hlc, hlc::Timestamp::new(12, 1));
/// assert_eq!(Stamp::from_json(stamp.to_json().as_bytes()).unwrap(), stamp);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stamp {
    /// The message's id, unique in the run (the sender's host, `:`, a count).
    pub msg: String,
    /// The sender's HLC timestamp at the send.
    pub hlc: Timestamp,
    /// The sender's vector clock at the send, by host name.
    pub vc: BTreeMap<String, u32>,
}

/// Why a received stamp was refused.
///
/// ```
/// use hlc::recorder::{Stamp, StampError};
/// assert!(matches!(Stamp::from_json(b"{}"), Err(StampError::Json(_))));
/// let huge = vec![b' '; hlc::recorder::MAX_STAMP_BYTES + 1];
/// assert_eq!(Stamp::from_json(&huge), Err(StampError::TooLarge(huge.len())));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StampError {
    /// More than [`MAX_STAMP_BYTES`] bytes; nothing was read.
    TooLarge(usize),
    /// Not a stamp: the JSON parser's message.
    Json(String),
    /// The vector clock names more than [`MAX_VECTOR_ENTRIES`] hosts.
    TooManyEntries(usize),
    /// The id or a host name is empty or longer than [`MAX_NAME_CHARS`].
    BadName(String),
}

impl fmt::Display for StampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StampError::TooLarge(n) => write!(
                f,
                "stamp is {n} bytes, more than the limit of {MAX_STAMP_BYTES}"
            ),
            StampError::Json(e) => write!(f, "not a stamp: {e}"),
            StampError::TooManyEntries(n) => write!(
                f,
                "vector clock has {n} entries, more than the limit of {MAX_VECTOR_ENTRIES}"
            ),
            StampError::BadName(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for StampError {}

fn check_name(what: &str, name: &str) -> Result<(), StampError> {
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS {
        let shown: String = name.chars().take(MAX_NAME_CHARS).collect();
        return Err(StampError::BadName(format!(
            "{what} `{shown}` must have 1 to {MAX_NAME_CHARS} characters (it has {chars})"
        )));
    }
    Ok(())
}

impl Stamp {
    /// The stamp as one line of JSON, to put in a message.
    ///
    /// ```
    /// use hlc::{recorder::Stamp, Timestamp};
    /// let stamp = Stamp { msg: "a:0".into(), hlc: Timestamp::new(5, 0), vc: [("a".to_string(), 1)].into() };
    /// assert_eq!(stamp.to_json(), r#"{"msg":"a:0","hlc":{"l":5,"c":0},"vc":{"a":1}}"#);
    /// ```
    pub fn to_json(&self) -> String {
        // Strings, integers and a string-keyed map always serialize.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a stamp received from another process. Input over
    /// [`MAX_STAMP_BYTES`] is refused unread; a vector clock over
    /// [`MAX_VECTOR_ENTRIES`] entries, an empty or over-long id or host name,
    /// an `l` outside `i64` or a `c` or entry outside `u32` is an error, never
    /// a panic.
    ///
    /// ```
    /// use hlc::recorder::Stamp;
    /// assert!(Stamp::from_json(br#"{"msg":"m","hlc":{"l":1,"c":4294967296},"vc":{}}"#).is_err());
    /// assert!(Stamp::from_json(br#"{"msg":"","hlc":{"l":1,"c":0},"vc":{}}"#).is_err());
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Stamp, StampError> {
        if bytes.len() > MAX_STAMP_BYTES {
            return Err(StampError::TooLarge(bytes.len()));
        }
        let stamp: Stamp =
            serde_json::from_slice(bytes).map_err(|e| StampError::Json(e.to_string()))?;
        if stamp.vc.len() > MAX_VECTOR_ENTRIES {
            return Err(StampError::TooManyEntries(stamp.vc.len()));
        }
        check_name("message id", &stamp.msg)?;
        for host in stamp.vc.keys() {
            check_name("host", host)?;
        }
        Ok(stamp)
    }
}

/// Why an event could not be recorded. On [`RecordError::Clock`] and
/// [`RecordError::TooManyHosts`] the clocks are left as they were; on
/// [`RecordError::Io`] they moved but the line may be missing from the log.
#[derive(Debug)]
pub enum RecordError {
    /// Writing the log failed.
    Io(io::Error),
    /// The HLC refused to move (its `l` would pass `i64::MAX`).
    Clock(ClockError),
    /// Merging the stamp's vector clock would name more than
    /// [`MAX_VECTOR_ENTRIES`] hosts.
    TooManyHosts,
    /// The host name given to [`Recorder::new`] is empty or too long.
    BadHost(StampError),
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::Io(e) => write!(f, "cannot write the log: {e}"),
            RecordError::Clock(e) => write!(f, "{e}"),
            RecordError::TooManyHosts => write!(
                f,
                "the vector clock would name more than {MAX_VECTOR_ENTRIES} hosts"
            ),
            RecordError::BadHost(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RecordError {}

impl From<io::Error> for RecordError {
    fn from(e: io::Error) -> Self {
        RecordError::Io(e)
    }
}

#[derive(Serialize)]
struct Header<'a> {
    format: &'a str,
    host: &'a str,
}

#[derive(Serialize)]
struct Line<'a> {
    kind: &'a str,
    host: &'a str,
    wall_ns: i64,
    hlc: Timestamp,
    vc: &'a BTreeMap<String, u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    msg: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
}

/// Records one host's events to a writer (a file, a `Vec<u8>`, ...): one
/// [`Hlc`] (default [`crate::Policy`]: no max offset, 16-bit counter) and one
/// vector clock, both advanced by every call. The wall reading is an argument,
/// so a program decides what its clock is (see [`wall_clock_ns`]).
///
/// Each call writes its line at once; wrap a file in a
/// [`std::io::BufWriter`] and call [`Recorder::flush`] before exiting.
///
/// ```
/// use hlc::{recorder::Recorder, Timestamp};
/// let mut rec = Recorder::new("a", Vec::new()).unwrap();
/// assert_eq!(rec.local(7_000_000, Some("start")).unwrap(), Timestamp::new(7, 0));
/// // The wall clock went back 2 ms: l holds, c counts.
/// assert_eq!(rec.local(5_000_000, None).unwrap(), Timestamp::new(7, 1));
/// assert_eq!(rec.vector().get("a"), Some(&2));
/// ```
#[derive(Debug)]
pub struct Recorder<W: Write> {
    host: String,
    out: W,
    clock: Hlc,
    vc: BTreeMap<String, u32>,
    sent: u64,
}

impl<W: Write> Recorder<W> {
    /// A recorder for `host` (1 to [`MAX_NAME_CHARS`] characters, unique in the
    /// run); writes the header line.
    ///
    /// ```
    /// let rec = hlc::recorder::Recorder::new("node-1", Vec::new()).unwrap();
    /// assert_eq!(rec.host(), "node-1");
    /// assert!(hlc::recorder::Recorder::new("", Vec::new()).is_err());
    /// ```
    pub fn new(host: impl Into<String>, mut out: W) -> Result<Recorder<W>, RecordError> {
        let host = host.into();
        check_name("host", &host).map_err(RecordError::BadHost)?;
        serde_json::to_writer(
            &mut out,
            &Header {
                format: FORMAT,
                host: &host,
            },
        )
        .map_err(io::Error::from)?;
        out.write_all(b"\n")?;
        Ok(Recorder {
            host,
            out,
            clock: Hlc::new().starting_at(Timestamp::MIN),
            vc: BTreeMap::new(),
            sent: 0,
        })
    }

    /// The host name.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The HLC timestamp of the last event.
    ///
    /// ```
    /// let mut rec = hlc::recorder::Recorder::new("a", Vec::new()).unwrap();
    /// rec.local(3_000_000, None).unwrap();
    /// assert_eq!(rec.now(), hlc::Timestamp::new(3, 0));
    /// ```
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The vector clock after the last event.
    pub fn vector(&self) -> &BTreeMap<String, u32> {
        &self.vc
    }

    /// A local event at wall reading `wall_ns`; returns its timestamp.
    ///
    /// ```
    /// let mut rec = hlc::recorder::Recorder::new("a", Vec::new()).unwrap();
    /// assert_eq!(rec.local(12_500_000, None).unwrap(), hlc::Timestamp::new(12, 0));
    /// ```
    pub fn local(&mut self, wall_ns: i64, text: Option<&str>) -> Result<Timestamp, RecordError> {
        let ts = self.tick(wall_ns, None)?;
        self.write("local", wall_ns, ts, None, text)?;
        Ok(ts)
    }

    /// A send at wall reading `wall_ns`; returns the stamp the message must
    /// carry (its id is the host, `:` and how many sends came before).
    ///
    /// ```
    /// let mut rec = hlc::recorder::Recorder::new("a", Vec::new()).unwrap();
    /// rec.send(1_000_000, None).unwrap();
    /// let stamp = rec.send(1_000_000, None).unwrap();
    /// assert_eq!(stamp.msg, "a:1");
    /// assert_eq!(stamp.hlc, hlc::Timestamp::new(1, 1));
    /// assert_eq!(stamp.vc.get("a"), Some(&2));
    /// ```
    pub fn send(&mut self, wall_ns: i64, text: Option<&str>) -> Result<Stamp, RecordError> {
        let ts = self.tick(wall_ns, None)?;
        let msg = format!("{}:{}", self.host, self.sent);
        self.sent = self.sent.saturating_add(1);
        self.write("send", wall_ns, ts, Some(&msg), text)?;
        Ok(Stamp {
            msg,
            hlc: ts,
            vc: self.vc.clone(),
        })
    }

    /// The receive, at wall reading `wall_ns`, of a message that carried
    /// `stamp`; returns the receive's timestamp. An `l` or `c` so large that
    /// the clock cannot move (`l` would pass `i64::MAX`) and a vector clock
    /// that would grow past [`MAX_VECTOR_ENTRIES`] hosts are errors; both
    /// clocks are then left as they were and nothing is written.
    ///
    /// ```
    /// use hlc::{recorder::{Recorder, RecordError, Stamp}, Timestamp};
    /// let mut rec = Recorder::new("b", Vec::new()).unwrap();
    /// let hostile = Stamp { msg: "x:0".into(), hlc: Timestamp::new(i64::MAX, u32::MAX), vc: Default::default() };
    /// assert!(matches!(rec.recv(1_000_000, &hostile, None), Err(RecordError::Clock(_))));
    /// assert_eq!(rec.now(), Timestamp::MIN, "the clock did not move");
    /// ```
    pub fn recv(
        &mut self,
        wall_ns: i64,
        stamp: &Stamp,
        text: Option<&str>,
    ) -> Result<Timestamp, RecordError> {
        let new_hosts = stamp
            .vc
            .keys()
            .filter(|k| !self.vc.contains_key(*k))
            .count();
        let own_new =
            usize::from(!self.vc.contains_key(&self.host) && !stamp.vc.contains_key(&self.host));
        if self.vc.len() + new_hosts + own_new > MAX_VECTOR_ENTRIES {
            return Err(RecordError::TooManyHosts);
        }
        let ts = self.tick(wall_ns, Some(stamp))?;
        self.write("recv", wall_ns, ts, Some(&stamp.msg), text)?;
        Ok(ts)
    }

    /// Flushes the writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// The writer back (flushed first when it buffers: see [`Recorder::flush`]).
    pub fn into_inner(self) -> W {
        self.out
    }

    /// Advances both clocks (or neither, on an error).
    fn tick(&mut self, wall_ns: i64, stamp: Option<&Stamp>) -> Result<Timestamp, RecordError> {
        let pt = millis(wall_ns);
        let tick = match stamp {
            Some(s) => self.clock.recv(pt, s.hlc),
            None => self.clock.local(pt),
        }
        .map_err(RecordError::Clock)?;
        if let Some(s) = stamp {
            for (host, &n) in &s.vc {
                let mine = self.vc.entry(host.clone()).or_insert(0);
                *mine = (*mine).max(n);
            }
        }
        let own = self.vc.entry(self.host.clone()).or_insert(0);
        *own = own.saturating_add(1);
        Ok(tick.timestamp)
    }

    fn write(
        &mut self,
        kind: &str,
        wall_ns: i64,
        hlc: Timestamp,
        msg: Option<&str>,
        text: Option<&str>,
    ) -> Result<(), RecordError> {
        let line = Line {
            kind,
            host: &self.host,
            wall_ns,
            hlc,
            vc: &self.vc,
            msg,
            text,
        };
        serde_json::to_writer(&mut self.out, &line).map_err(io::Error::from)?;
        self.out.write_all(b"\n")?;
        Ok(())
    }
}
