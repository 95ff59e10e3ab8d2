use crate::timestamp::{Time, Timestamp};
use std::fmt;

/// The counter width used when none is chosen: 16 bits, so every timestamp a
/// clock produces also fits the packed 64-bit form.
pub const DEFAULT_COUNTER_BITS: u8 = 16;

/// Production variations of the rule a user can switch on.
///
/// ```
/// use hlc::{Policy, DEFAULT_COUNTER_BITS};
/// let p = Policy::default();
/// assert_eq!(p.max_offset, None);
/// assert_eq!(p.counter_bits, DEFAULT_COUNTER_BITS);
/// assert_eq!(p.counter_max(), 65_535);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Policy {
    /// Reject a received message whose `l_m - pt` exceeds this bound
    /// (CockroachDB's max offset, uhlc's delta). `None`: accept everything.
    pub max_offset: Option<Time>,
    /// Width of `c` in bits, 1 to 32 (values outside are clamped). A counter that
    /// would pass `2^bits - 1` carries into `l` instead of wrapping.
    pub counter_bits: u8,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_offset: None,
            counter_bits: DEFAULT_COUNTER_BITS,
        }
    }
}

impl Policy {
    /// The largest counter value the width allows.
    ///
    /// ```
    /// use hlc::Policy;
    /// let p = Policy { counter_bits: 2, ..Policy::default() };
    /// assert_eq!(p.counter_max(), 3);
    /// assert_eq!(Policy { counter_bits: 40, ..p }.counter_max(), u32::MAX);
    /// ```
    pub fn counter_max(&self) -> u32 {
        let bits = self.counter_bits.clamp(1, 32);
        if bits == 32 {
            u32::MAX
        } else {
            (1u32 << bits) - 1
        }
    }
}

/// Which branch of the Figure 5 rule produced a timestamp.
///
/// ```
/// use hlc::{Hlc, Rule};
/// let mut clock = Hlc::new();
/// assert_eq!(clock.local(5).unwrap().rule, Rule::PhysicalAhead);
/// assert_eq!(clock.local(5).unwrap().rule, Rule::LogicalHeld);
/// assert_eq!(Rule::LogicalHeld.summary(), "physical clock not ahead: l kept, c + 1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Rule {
    /// Local event or send, `pt > l`: `l = pt`, `c = 0`.
    PhysicalAhead,
    /// Local event or send, `pt <= l`: `l` kept, `c + 1`.
    LogicalHeld,
    /// Receive, `pt` beats both `l` and `l_m`: `l = pt`, `c = 0`.
    RecvPhysicalAhead,
    /// Receive, the local `l` is the largest (and beats `l_m`): `l` kept, `c + 1`.
    RecvLocalAhead,
    /// Receive, the message's `l_m` is the largest (and beats the local `l`):
    /// `l = l_m`, `c = c_m + 1`.
    RecvMessageAhead,
    /// Receive, local `l` and `l_m` tie as the largest: `c = max(c, c_m) + 1`.
    RecvTie,
}

impl Rule {
    /// Every branch: the two of a local event or send, then the four of a
    /// receive.
    pub const ALL: [Rule; 6] = [
        Rule::PhysicalAhead,
        Rule::LogicalHeld,
        Rule::RecvPhysicalAhead,
        Rule::RecvLocalAhead,
        Rule::RecvMessageAhead,
        Rule::RecvTie,
    ];

    /// A short description of the branch, for labels and tables.
    ///
    /// ```
    /// assert_eq!(hlc::Rule::RecvMessageAhead.summary(), "message ahead: took l_m, c = c_m + 1");
    /// ```
    pub fn summary(self) -> &'static str {
        match self {
            Rule::PhysicalAhead => "physical clock ahead: l = pt, c reset",
            Rule::LogicalHeld => "physical clock not ahead: l kept, c + 1",
            Rule::RecvPhysicalAhead => "physical clock ahead of both: l = pt, c reset",
            Rule::RecvLocalAhead => "local clock ahead: l kept, c + 1",
            Rule::RecvMessageAhead => "message ahead: took l_m, c = c_m + 1",
            Rule::RecvTie => "local and message tie: c = max(c, c_m) + 1",
        }
    }

    /// A stable identifier (`"physical-ahead"`, ...), for machine-readable output.
    ///
    /// ```
    /// assert_eq!(hlc::Rule::RecvTie.code(), "recv-tie");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Rule::PhysicalAhead => "physical-ahead",
            Rule::LogicalHeld => "logical-held",
            Rule::RecvPhysicalAhead => "recv-physical-ahead",
            Rule::RecvLocalAhead => "recv-local-ahead",
            Rule::RecvMessageAhead => "recv-message-ahead",
            Rule::RecvTie => "recv-tie",
        }
    }

    /// Whether this branch belongs to the receive rule.
    ///
    /// ```
    /// assert!(hlc::Rule::RecvTie.is_receive());
    /// assert!(!hlc::Rule::PhysicalAhead.is_receive());
    /// ```
    pub fn is_receive(self) -> bool {
        matches!(
            self,
            Rule::RecvPhysicalAhead | Rule::RecvLocalAhead | Rule::RecvMessageAhead | Rule::RecvTie
        )
    }
}

/// One step of a clock: the new timestamp, the branch that fired and the inputs it
/// was computed from, so it can be explained.
///
/// ```
/// use hlc::{Hlc, Timestamp};
/// let mut clock = Hlc::new();
/// let tick = clock.recv(4, Timestamp::new(9, 2)).unwrap();
/// assert_eq!(tick.previous, Timestamp::ZERO);
/// assert_eq!(tick.message, Some(Timestamp::new(9, 2)));
/// assert_eq!(tick.timestamp, Timestamp::new(9, 3));
/// assert!(!tick.carried);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tick {
    /// The timestamp the event gets.
    pub timestamp: Timestamp,
    /// The branch that fired.
    pub rule: Rule,
    /// The clock's timestamp before this event.
    pub previous: Timestamp,
    /// The node's physical time at the event.
    pub pt: Time,
    /// The received message's timestamp, for a receive.
    pub message: Option<Timestamp>,
    /// The counter would have passed its width and carried into `l`.
    pub carried: bool,
}

impl Tick {
    /// One sentence saying why the timestamp is what it is: the branch of the rule
    /// and the values that won the max.
    ///
    /// ```
    /// use hlc::{Hlc, Timestamp};
    /// let mut clock = Hlc::new();
    /// let tick = clock.recv(4, Timestamp::new(9, 2)).unwrap();
    /// assert_eq!(
    ///     tick.explain(),
    ///     "Receive: the message's l_m = 9 beat the local l = 0 and pt = 4, so l = 9 and c = c_m + 1 = 3."
    /// );
    /// ```
    pub fn explain(&self) -> String {
        let prev = self.previous;
        let ts = self.timestamp;
        let (l_m, c_m) = self.message.map_or((0, 0), |m| (m.l, m.c));
        let prev_l = show_l(prev.l);
        let mut text = match self.rule {
            Rule::PhysicalAhead => format!(
                "Physical time pt = {} is ahead of the clock's l = {}, so l = pt and c resets to 0.",
                self.pt, prev_l
            ),
            Rule::LogicalHeld => format!(
                "Physical time pt = {} is not ahead of the clock's l = {}, so l stays and c = {} + 1 = {}.",
                self.pt, prev_l, prev.c, u64::from(prev.c) + 1
            ),
            Rule::RecvPhysicalAhead => format!(
                "Receive: physical time pt = {} beat both the local l = {} and the message's l_m = {}, so l = pt and c resets to 0.",
                self.pt, prev_l, l_m
            ),
            Rule::RecvLocalAhead => format!(
                "Receive: the local l = {} beat the message's l_m = {} and pt = {}, so l stays and c = {} + 1 = {}.",
                prev_l, l_m, self.pt, prev.c, u64::from(prev.c) + 1
            ),
            Rule::RecvMessageAhead => format!(
                "Receive: the message's l_m = {} beat the local l = {} and pt = {}, so l = {} and c = c_m + 1 = {}.",
                l_m, prev_l, self.pt, l_m, u64::from(c_m) + 1
            ),
            Rule::RecvTie => format!(
                "Receive: the local l and the message's l_m tie at {} (pt = {}), so c = max({}, {}) + 1 = {}.",
                l_m, self.pt, prev.c, c_m, u64::from(prev.c.max(c_m)) + 1
            ),
        };
        if self.carried {
            text.push_str(&format!(
                " That passed the counter's width, so it carried into l: {}.",
                ts
            ));
        }
        text
    }
}

fn show_l(l: Time) -> String {
    if l == Time::MIN {
        "unset (no event yet)".to_string()
    } else {
        l.to_string()
    }
}

/// Why a clock refused to move.
///
/// ```
/// use hlc::{ClockError, Hlc, Policy, Timestamp};
/// let mut clock = Hlc::with_policy(Policy { max_offset: Some(500), ..Policy::default() });
/// let err = clock.recv(1_000, Timestamp::new(1_600, 0)).unwrap_err();
/// assert_eq!(err, ClockError::ExceedsMaxOffset { remote_l: 1_600, pt: 1_000, max_offset: 500 });
/// assert_eq!(clock.now(), Timestamp::ZERO, "a rejected message leaves the clock alone");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockError {
    /// The message's `l_m` is more than `max_offset` ahead of the local physical
    /// clock: "remote wall time is too far ahead to be trustworthy".
    ExceedsMaxOffset {
        /// The message's `l`.
        remote_l: Time,
        /// The receiver's physical time.
        pt: Time,
        /// The bound.
        max_offset: Time,
    },
    /// Carrying the counter into `l` would pass the largest representable time.
    TimeOverflow,
}

impl fmt::Display for ClockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClockError::ExceedsMaxOffset {
                remote_l,
                pt,
                max_offset,
            } => write!(
                f,
                "remote time l_m = {remote_l} is {} ahead of the local clock pt = {pt}, more than the max offset {max_offset}",
                i128::from(*remote_l) - i128::from(*pt)
            ),
            ClockError::TimeOverflow => write!(f, "time overflow: l cannot grow past {}", Time::MAX),
        }
    }
}

impl std::error::Error for ClockError {}

/// A hybrid logical clock: the paper's Figure 5.
///
/// ```
/// use hlc::{Hlc, Timestamp};
/// let mut clock = Hlc::new();
/// assert_eq!(clock.local(3).unwrap().timestamp, Timestamp::new(3, 0));
/// // the physical clock stepped back: l holds, c counts
/// assert_eq!(clock.local(2).unwrap().timestamp, Timestamp::new(3, 1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hlc {
    last: Timestamp,
    policy: Policy,
}

impl Default for Hlc {
    fn default() -> Self {
        Hlc::new()
    }
}

impl Hlc {
    /// A clock at the paper's initial `(0, 0)` with the default [`Policy`].
    ///
    /// ```
    /// assert_eq!(hlc::Hlc::new().now(), hlc::Timestamp::ZERO);
    /// ```
    pub fn new() -> Hlc {
        Hlc::with_policy(Policy::default())
    }

    /// A clock at `(0, 0)` with the given policy.
    ///
    /// ```
    /// use hlc::{Hlc, Policy};
    /// let p = Policy { max_offset: Some(250), counter_bits: 8 };
    /// assert_eq!(Hlc::with_policy(p).policy(), p);
    /// ```
    pub fn with_policy(policy: Policy) -> Hlc {
        Hlc {
            last: Timestamp::ZERO,
            policy,
        }
    }

    /// The same clock, restarted at `start`. Starting at [`Timestamp::MIN`] makes
    /// the first event take its `l` from the physical clock even when that reads
    /// below zero.
    ///
    /// ```
    /// use hlc::{Hlc, Timestamp};
    /// let mut clock = Hlc::new().starting_at(Timestamp::MIN);
    /// assert_eq!(clock.local(-40).unwrap().timestamp, Timestamp::new(-40, 0));
    /// ```
    pub fn starting_at(mut self, start: Timestamp) -> Hlc {
        self.last = start;
        self
    }

    /// The timestamp of the last event (or the start value).
    ///
    /// ```
    /// let mut clock = hlc::Hlc::new();
    /// clock.local(8).unwrap();
    /// assert_eq!(clock.now(), hlc::Timestamp::new(8, 0));
    /// ```
    pub fn now(&self) -> Timestamp {
        self.last
    }

    /// The policy in force.
    ///
    /// ```
    /// assert_eq!(hlc::Hlc::new().policy(), hlc::Policy::default());
    /// ```
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// A local event at physical time `pt`.
    ///
    /// ```
    /// use hlc::{Hlc, Rule, Timestamp};
    /// let mut clock = Hlc::new();
    /// let tick = clock.local(12).unwrap();
    /// assert_eq!((tick.timestamp, tick.rule), (Timestamp::new(12, 0), Rule::PhysicalAhead));
    /// ```
    pub fn local(&mut self, pt: Time) -> Result<Tick, ClockError> {
        let prev = self.last;
        let (l, c, rule) = if pt > prev.l {
            (pt, 0u64, Rule::PhysicalAhead)
        } else {
            (prev.l, u64::from(prev.c) + 1, Rule::LogicalHeld)
        };
        self.commit(prev, pt, None, l, c, rule)
    }

    /// A send at physical time `pt`: the same rule as a local event; the returned
    /// timestamp is the one the message carries.
    ///
    /// ```
    /// use hlc::{Hlc, Timestamp};
    /// let mut clock = Hlc::new();
    /// clock.local(12).unwrap();
    /// assert_eq!(clock.send(12).unwrap().timestamp, Timestamp::new(12, 1));
    /// ```
    pub fn send(&mut self, pt: Time) -> Result<Tick, ClockError> {
        self.local(pt)
    }

    /// A receive at physical time `pt` of a message stamped `message`.
    ///
    /// With a max offset set, a message whose `l_m - pt` exceeds it is rejected and
    /// the clock is left as it was.
    ///
    /// ```
    /// use hlc::{Hlc, Rule, Timestamp};
    /// let mut clock = Hlc::new();
    /// clock.local(10).unwrap(); // (10, 0)
    /// let tick = clock.recv(10, Timestamp::new(10, 4)).unwrap();
    /// assert_eq!((tick.timestamp, tick.rule), (Timestamp::new(10, 5), Rule::RecvTie));
    /// ```
    pub fn recv(&mut self, pt: Time, message: Timestamp) -> Result<Tick, ClockError> {
        if let Some(max_offset) = self.policy.max_offset {
            if i128::from(message.l) - i128::from(pt) > i128::from(max_offset) {
                return Err(ClockError::ExceedsMaxOffset {
                    remote_l: message.l,
                    pt,
                    max_offset,
                });
            }
        }
        let prev = self.last;
        let l = prev.l.max(message.l).max(pt);
        let (c, rule) = if l == prev.l && l == message.l {
            (u64::from(prev.c.max(message.c)) + 1, Rule::RecvTie)
        } else if l == prev.l {
            (u64::from(prev.c) + 1, Rule::RecvLocalAhead)
        } else if l == message.l {
            (u64::from(message.c) + 1, Rule::RecvMessageAhead)
        } else {
            (0, Rule::RecvPhysicalAhead)
        };
        self.commit(prev, pt, Some(message), l, c, rule)
    }

    fn commit(
        &mut self,
        previous: Timestamp,
        pt: Time,
        message: Option<Timestamp>,
        l: Time,
        c: u64,
        rule: Rule,
    ) -> Result<Tick, ClockError> {
        let (timestamp, carried) = if c > u64::from(self.policy.counter_max()) {
            let l = l.checked_add(1).ok_or(ClockError::TimeOverflow)?;
            (Timestamp::new(l, 0), true)
        } else {
            // c <= counter_max <= u32::MAX here
            (Timestamp::new(l, c as u32), false)
        };
        self.last = timestamp;
        Ok(Tick {
            timestamp,
            rule,
            previous,
            pt,
            message,
            carried,
        })
    }
}
