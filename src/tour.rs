//! The guided tour: eight to ten steps from skewed physical clocks to HLC in
//! production. Each step is a scenario, a short text, the marks it talks about,
//! and one thing to try that the page notices when done.
//!
//! Every factual sentence a step says about its diagram is a [`Claim`]: the
//! sentence and the [`Fact`] it states, which [`Fact::check`] tests on the
//! replayed trace (natively in `tests/tour.rs`, and by the browser tests
//! against the page's own trace). A tour that lies is worse than none.

use crate::app::ClockView;
use crate::scenario::{EventRef, Scenario};
use crate::sim::Trace;
use hlc::{Rule, Time, Timestamp};

/// The query parameter that opens the tour (`?tour`, `?tour=N`).
pub const TOUR_PARAM: &str = "tour";

/// One step of the tour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// Stable identifier.
    pub id: &'static str,
    /// Short title.
    pub title: &'static str,
    /// One or two sentences of explanation that state nothing about this
    /// diagram (definitions, the idea).
    pub lead: &'static str,
    /// The sentences about this diagram, each with the fact it states.
    pub claims: &'static [Claim],
    /// The one thing to try.
    pub try_it: &'static str,
    /// When the try is done.
    pub goal: Goal,
    /// The scenario, as JSON in the documented format.
    pub json: &'static str,
    /// The clock that labels the events when the step opens.
    pub clock_view: ClockView,
    /// A snapshot taken when the step opens.
    pub snapshot: Option<Timestamp>,
    /// The parts of the diagram the text talks about.
    pub marks: &'static [Mark],
}

/// A part of the diagram a step highlights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A node's whole line.
    Node(usize),
    /// One event (for a message, mark its send and its receive).
    Event(EventRef),
}

/// A sentence of a step and the fact it states.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Claim {
    /// The sentence as the page shows it.
    pub text: &'static str,
    /// What it states, checkable on the trace.
    pub fact: Fact,
}

/// Which clock a fact is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// HLC `(l, c)`.
    Hlc,
    /// The naive Figure 3 `l`.
    Naive,
    /// Lamport.
    Lamport,
    /// The node's physical clock `pt`.
    Physical,
}

/// A statement about a replayed scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fact {
    /// The node's physical clock reads `pt` at `event`.
    Pt { event: EventRef, pt: Time },
    /// `event` has HLC timestamp `(l, c)`.
    Hlc { event: EventRef, l: Time, c: u32 },
    /// `event`'s Lamport value.
    Lamport { event: EventRef, value: u64 },
    /// `event`'s naive `l` runs `by_ms` ahead of its `pt`.
    NaiveAhead { event: EventRef, by_ms: Time },
    /// The rule branch that fired at `event`.
    Rule { event: EventRef, rule: Rule },
    /// Message `message` is received at a physical time `by_ms` smaller than
    /// its send's (`by_ms > 0`).
    PtBack { message: usize, by_ms: Time },
    /// `clock` orders every event after the one before it on its node and
    /// every receive after its send.
    RespectsCausality { clock: Clock },
    /// `clock` does not: some receive or next event is not after its
    /// predecessor (`Physical` on a pt-back message, say).
    BreaksCausality { clock: Clock },
    /// `later` happens after `earlier` in real time but has the smaller
    /// Lamport value: Lamport forgets real time.
    LamportAgainstRealTime { earlier: EventRef, later: EventRef },
    /// The largest `l − pt` over the trace is exactly `ms`.
    MaxLMinusPt { ms: Time },
    /// The largest `c` over the trace is exactly `c`.
    MaxCounter { c: u32 },
    /// The cut `{e : hlc(e) <= theta}` is consistent.
    HlcCutConsistent { theta: Timestamp },
    /// The cut `{e : pt(e) <= t}` is crossed backwards by `message` (received
    /// inside, sent outside).
    PhysicalCutCrossed { t: Time, message: usize },
    /// The max-offset bound refuses `message`.
    Rejected { message: usize },
    /// Every timestamp fits 64 bits as 48 bits of `l` and 16 of `c`.
    FitsIn64Bits,
    /// At `event` the counter passed its width and carried into `l`.
    Carried { event: EventRef },
    /// `first` has the smaller HLC timestamp but neither happened before the
    /// other: HLC order is not causality.
    OrderedButConcurrent { first: EventRef, second: EventRef },
}

/// What the person is looking at, for [`Goal::reached`].
#[derive(Debug, Clone, Copy)]
pub struct Situation<'a> {
    /// The scenario now (after their edits).
    pub scenario: &'a Scenario,
    /// Its replay.
    pub trace: &'a Trace,
    /// The clock labelling the events.
    pub clock_view: ClockView,
    /// The selected event.
    pub selected: Option<EventRef>,
    /// The snapshot taken, if any.
    pub snapshot: Option<Timestamp>,
}

/// The "try this" of a step, done when [`Goal::reached`] says so.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// Node `node`'s skew is at least `ms`.
    SkewAtLeast { node: usize, ms: Time },
    /// Node `node`'s skew is at most `ms`.
    SkewAtMost { node: usize, ms: Time },
    /// Message `message` no longer arrives at a smaller physical time.
    NoPtBack { message: usize },
    /// The events are labelled with this clock.
    ClockView(ClockView),
    /// The selected event is one where this branch fired.
    SelectRule(Rule),
    /// There are more than `than` messages.
    MoreMessages { than: usize },
    /// A snapshot is taken at another time than `than`.
    SnapshotOtherThan { than: Timestamp },
    /// Message `message` is accepted (no longer refused by max offset).
    Accepted { message: usize },
    /// Some event is selected.
    SelectAny,
}

/// Every step, in order.
pub const STEPS: &[Step] = &[];

/// Step `n`, counted from 1 as the page and its links do.
pub fn step(n: usize) -> Option<&'static Step> {
    n.checked_sub(1).and_then(|i| STEPS.get(i))
}

impl Step {
    /// The step's scenario (the files are checked by the tests).
    pub fn scenario(&self) -> Scenario {
        Scenario::from_json(self.json).unwrap_or_else(|_| Scenario::with_nodes(&["A", "B", "C"]))
    }
}

impl Fact {
    /// Whether the fact holds on `trace` (of `scenario`); if not, what is true
    /// instead.
    pub fn check(&self, scenario: &Scenario, trace: &Trace) -> Result<(), String> {
        let _ = (scenario, trace);
        Err("not checked yet".into())
    }
}

impl Goal {
    /// Whether the person has done it.
    pub fn reached(&self, now: &Situation<'_>) -> bool {
        let _ = now;
        false
    }
}

impl Fact {
    /// The fact as JSON (interim, replaced by the full format).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Null
    }
}
