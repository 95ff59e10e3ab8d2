//! The guided tour: eight to ten steps from skewed physical clocks to HLC in
//! production. Each step is a scenario, a short text, the marks it talks about,
//! and one thing to try that the page notices when done.
//!
//! Every factual sentence a step says about its diagram is a [`Claim`]: the
//! sentence and the [`Fact`] it states, which [`Fact::check`] tests on the
//! replayed trace (natively in `tests/tour.rs`, and by the browser tests
//! against the page's own trace). A tour that lies is worse than none.

use crate::analysis::{self, Relation};
use crate::app::ClockView;
use crate::scenario::{EventRef, Scenario};
use crate::sim::{Trace, TraceEvent};
use hlc::{Rule, Time, Timestamp, PACKED_COUNTER_BITS, PACKED_L_BITS};
use serde_json::{json, Value};

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
    /// `first` and `second` happen at the same real instant, and `second`'s
    /// clock reads `by_ms` more than `first`'s (negative: less): skew.
    ClocksApart {
        first: EventRef,
        second: EventRef,
        by_ms: Time,
    },
    /// `from` and `to` are events of one node; between them real time advances
    /// `real_ms` and the node's clock `pt_ms`: drift (and steps).
    PtElapsed {
        from: EventRef,
        to: EventRef,
        real_ms: Time,
        pt_ms: Time,
    },
    /// The paper's `eps`, the largest spread between two nodes' physical clocks
    /// over the execution ([`crate::analysis::clock_spread`]), is exactly `ms`.
    Spread { ms: Time },
    /// Message `message` arrives stamped `by_ms` ahead of its receiver's clock:
    /// `l_m - pt` at the receive is exactly `by_ms` (what max offset bounds).
    StampAhead { message: usize, by_ms: Time },
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
    /// No event's counter carries into `l` (the counter is wide enough).
    NoCarry,
}

/// Marks an event, briefly: the steps' tables read better with `send(0)` than
/// with `Mark::Event(EventRef::Send(0))`.
const fn local(i: usize) -> Mark {
    Mark::Event(EventRef::Local(i))
}

const fn send(i: usize) -> Mark {
    Mark::Event(EventRef::Send(i))
}

const fn recv(i: usize) -> Mark {
    Mark::Event(EventRef::Recv(i))
}

/// Every step, in order.
///
/// Each claim's numbers were worked out by hand from its scenario (the tables
/// are in `tests/tour.rs`) and are checked there on the replay.
pub const STEPS: &[Step] = &[
    Step {
        id: "clocks",
        title: "Every node has its own clock",
        lead: "A node cannot read real time, only its own physical clock pt: real time plus a skew that synchronisation never quite removes, plus drift when the clock ticks a little fast or slow.",
        claims: &[
            Claim {
                text: "A's e0 and B's e1 happen at the same real instant, yet B's clock reads 200 ms more.",
                fact: Fact::ClocksApart {
                    first: EventRef::Local(0),
                    second: EventRef::Local(1),
                    by_ms: 200,
                },
            },
            Claim {
                text: "Between C's e2 and e5, 300 ms of real time pass but C's clock counts 330: it runs fast.",
                fact: Fact::PtElapsed {
                    from: EventRef::Local(2),
                    to: EventRef::Local(5),
                    real_ms: 300,
                    pt_ms: 330,
                },
            },
        ],
        try_it: "Drag B's skew slider to 0 ms and watch e1's pt fall to e0's.",
        goal: Goal::SkewAtMost { node: 1, ms: 0 },
        json: include_str!("../docs/examples/tour-clocks.json"),
        clock_view: ClockView::Physical,
        snapshot: None,
        marks: &[local(0), local(1), local(2), local(5)],
    },
    Step {
        id: "pt-back",
        title: "Received before it was sent?",
        lead: "When two clocks disagree, a message can arrive at a smaller reading of the receiver's clock than the sender's clock showed when it left.",
        claims: &[
            Claim {
                text: "By the clocks, m0 reaches B 90 ms before it left A, so its arrow is violet and marked pt back.",
                fact: Fact::PtBack {
                    message: 0,
                    by_ms: 90,
                },
            },
            Claim {
                text: "Ordering these events by pt alone would put an effect before its cause.",
                fact: Fact::BreaksCausality {
                    clock: Clock::Physical,
                },
            },
        ],
        try_it: "Drag A's skew slider down to +60 ms or less and watch m0's arrow lose its violet.",
        goal: Goal::NoPtBack { message: 0 },
        json: include_str!("../docs/examples/tour-pt-back.json"),
        clock_view: ClockView::Physical,
        snapshot: None,
        marks: &[send(0), recv(0)],
    },
    Step {
        id: "lamport",
        title: "Lamport clocks: causality without time",
        lead: "A Lamport clock ignores the physical clock: a send or local event adds one, and a receive takes the larger of its own value and the message's, plus one.",
        claims: &[
            Claim {
                text: "So m0's receive gets a larger value than its send, and each node's values climb.",
                fact: Fact::RespectsCausality {
                    clock: Clock::Lamport,
                },
            },
            Claim {
                text: "But B's e2 comes after A's e1 in real time and still gets the smaller value.",
                fact: Fact::LamportAgainstRealTime {
                    earlier: EventRef::Local(1),
                    later: EventRef::Local(2),
                },
            },
        ],
        try_it: "Drag from A's line to B's line to add a message, and compare its send's and receive's values.",
        goal: Goal::MoreMessages { than: 1 },
        json: include_str!("../docs/examples/tour-pt-back.json"),
        clock_view: ClockView::Lamport,
        snapshot: None,
        marks: &[send(0), recv(0), local(1), local(2)],
    },
    Step {
        id: "naive",
        title: "A naive hybrid drifts away",
        lead: "A naive hybrid clock sets l = max(l + 1, pt), and on a receive at least l_m + 1, so every hop adds one even when the clocks have not moved.",
        claims: &[
            Claim {
                text: "At m9's receive A's naive l is 2 ms ahead of its pt.",
                fact: Fact::NaiveAhead {
                    event: EventRef::Recv(9),
                    by_ms: 2,
                },
            },
            Claim {
                text: "At m29's receive it is 6 ms ahead, and more hops would widen the gap further.",
                fact: Fact::NaiveAhead {
                    event: EventRef::Recv(29),
                    by_ms: 6,
                },
            },
            Claim {
                text: "HLC keeps l − pt at 0 on this same run.",
                fact: Fact::MaxLMinusPt { ms: 0 },
            },
        ],
        try_it: "Switch the clock menu to HLC (l, c) and see l stay on pt while c takes the extra hops.",
        goal: Goal::ClockView(ClockView::Hlc),
        json: include_str!("../docs/examples/message-loop.json"),
        clock_view: ClockView::Naive,
        snapshot: None,
        marks: &[send(9), recv(9), send(29), recv(29)],
    },
    Step {
        id: "rule",
        title: "HLC's rule, branch by branch",
        lead: "HLC keeps l, the largest pt heard of, and a counter c: if the node's own pt wins the max, l = pt and c resets; if its old l or the message's l_m wins, l takes it and c counts on from the winner's c.",
        claims: &[
            Claim {
                text: "A's receive of m0 takes B's l = 360, and c becomes 1.",
                fact: Fact::Hlc {
                    event: EventRef::Recv(0),
                    l: 360,
                    c: 1,
                },
            },
            Claim {
                text: "At m1's receive A's own l beats both its pt and l_m, so l holds and c counts.",
                fact: Fact::Rule {
                    event: EventRef::Recv(1),
                    rule: Rule::RecvLocalAhead,
                },
            },
        ],
        try_it: "Find the receive where A's l and the message's l_m tie, and click it to read its branch.",
        goal: Goal::SelectRule(Rule::RecvTie),
        json: include_str!("../docs/examples/tour-rule.json"),
        clock_view: ClockView::Hlc,
        snapshot: None,
        // One event per branch: physical ahead, message ahead, logical held,
        // local ahead, tie, physical ahead on a receive.
        marks: &[local(0), recv(0), send(2), recv(1), recv(3), recv(4)],
    },
    Step {
        id: "bounds",
        title: "l stays near pt, c stays small",
        lead: "Every l is a reading some clock really made, so l − pt never exceeds ε, the largest gap between two clocks, and c only counts events while l stands still.",
        claims: &[
            Claim {
                text: "Here ε is 400 ms, between B's clock and C's.",
                fact: Fact::Spread { ms: 400 },
            },
            Claim {
                text: "The largest l − pt on the diagram is 220 ms.",
                fact: Fact::MaxLMinusPt { ms: 220 },
            },
            Claim {
                text: "And c never passes 4.",
                fact: Fact::MaxCounter { c: 4 },
            },
        ],
        try_it: "Drag B's skew slider up to +600 ms, then compare max l − pt with its bound in the Checks tab.",
        goal: Goal::SkewAtLeast { node: 1, ms: 600 },
        json: crate::presets::DEFAULT_JSON,
        clock_view: ClockView::Hlc,
        snapshot: None,
        marks: &[Mark::Node(1), Mark::Node(2)],
    },
    Step {
        id: "snapshot",
        title: "Snapshots at an HLC time",
        lead: "A snapshot at HLC time θ takes, on every node, the events stamped at or below θ; a receive is always stamped above its send, so no message enters that cut from outside.",
        claims: &[
            Claim {
                text: "The snapshot at (500, 0) is consistent.",
                fact: Fact::HlcCutConsistent {
                    theta: Timestamp::new(500, 0),
                },
            },
            Claim {
                text: "The cut where each clock reads 500 ms is not: m1 is received inside it but sent outside.",
                fact: Fact::PhysicalCutCrossed { t: 500, message: 1 },
            },
        ],
        try_it: "Click the time axis somewhere else to move the snapshot, and check whether any arrow crosses the HLC cut.",
        goal: Goal::SnapshotOtherThan {
            than: Timestamp::new(500, 0),
        },
        json: crate::presets::DEFAULT_JSON,
        clock_view: ClockView::Hlc,
        snapshot: Some(Timestamp::new(500, 0)),
        marks: &[send(1), recv(1)],
    },
    Step {
        id: "max-offset",
        title: "In production: max offset",
        lead: "Production clocks cap how far a message's l_m may run ahead of the receiver's pt (CockroachDB's max offset), so one runaway clock cannot drag every l into the future.",
        claims: &[
            Claim {
                text: "m0 reaches A stamped 490 ms ahead of A's pt.",
                fact: Fact::StampAhead {
                    message: 0,
                    by_ms: 490,
                },
            },
            Claim {
                text: "That is over the bound, so A refuses m0 and counts its arrival as a local event.",
                fact: Fact::Rejected { message: 0 },
            },
        ],
        try_it: "Raise the max offset in the Clocks tab to 500 ms and watch A accept m0.",
        goal: Goal::Accepted { message: 0 },
        json: include_str!("../docs/examples/max-offset.json"),
        clock_view: ClockView::Hlc,
        snapshot: None,
        marks: &[send(0), recv(0)],
    },
    Step {
        id: "counter",
        title: "In production: 64 bits",
        lead: "Production systems store (l, c) in fixed widths, and a counter that would overflow carries into l rather than wrapping.",
        claims: &[
            Claim {
                text: "Every timestamp here fits the paper's 64-bit word: 48 bits of l, 16 of c.",
                fact: Fact::FitsIn64Bits,
            },
            Claim {
                text: "But this run's counter is set narrower, so at B's e2 it is full and carries into l.",
                fact: Fact::Carried {
                    event: EventRef::Local(2),
                },
            },
            Claim {
                text: "So e2 is stamped (321, 0).",
                fact: Fact::Hlc {
                    event: EventRef::Local(2),
                    l: 321,
                    c: 0,
                },
            },
        ],
        try_it: "Set the counter width in the Clocks tab to 16 bits and watch e2 keep l = 320.",
        goal: Goal::NoCarry,
        json: include_str!("../docs/examples/tour-counter.json"),
        clock_view: ClockView::Hlc,
        snapshot: None,
        marks: &[local(2)],
    },
    Step {
        id: "not-causality",
        title: "HLC order is not causality",
        lead: "If e happened before f, HLC stamps e lower, but a lower stamp does not mean e happened before f. Vector clocks capture causality exactly.",
        claims: &[Claim {
            text: "A's e0 has the smaller timestamp, yet it did not happen before B's e1: no chain of messages leads from one to the other.",
            fact: Fact::OrderedButConcurrent {
                first: EventRef::Local(0),
                second: EventRef::Local(1),
            },
        }],
        try_it: "Switch the clock menu to vector clock and compare e0's vector with e1's.",
        goal: Goal::ClockView(ClockView::Vector),
        json: include_str!("../docs/examples/tour-concurrent.json"),
        clock_view: ClockView::Hlc,
        snapshot: None,
        marks: &[local(0), local(1)],
    },
];

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

impl Clock {
    /// Stable identifier (`hlc`, `naive`, `lamport`, `physical`), as in
    /// [`Fact::to_json`].
    pub fn id(self) -> &'static str {
        match self {
            Clock::Hlc => "hlc",
            Clock::Naive => "naive",
            Clock::Lamport => "lamport",
            Clock::Physical => "physical",
        }
    }

    /// The value this clock gives an event, as a pair that orders the way the
    /// clock does (HLC lexicographically on `(l, c)`, the others on one number).
    fn value(self, event: &TraceEvent) -> (i128, i128) {
        match self {
            Clock::Hlc => (event.hlc().l.into(), event.hlc().c.into()),
            Clock::Naive => (event.naive_l.into(), 0),
            Clock::Lamport => (event.lamport.into(), 0),
            Clock::Physical => (event.pt().into(), 0),
        }
    }

    /// The value as the page labels it.
    fn label(self, event: &TraceEvent) -> String {
        match self {
            Clock::Hlc => event.hlc().to_string(),
            Clock::Naive => format!("naive l {}", event.naive_l),
            Clock::Lamport => format!("Lamport {}", event.lamport),
            Clock::Physical => format!("pt {}", event.pt()),
        }
    }

    /// The first event this clock does not order after an event that happened
    /// just before it (its node's previous event, or its message's send), in
    /// words; `None` when it orders them all.
    ///
    /// Program order and accepted messages generate happened-before, so these
    /// edges are all there is to check.
    fn first_break(self, trace: &Trace) -> Option<String> {
        let events = trace.events();
        let on_node = (0..trace.node_count()).flat_map(|node| {
            trace
                .node_events(node)
                .windows(2)
                .map(|pair| (pair[0], pair[1]))
        });
        let messages = events.iter().enumerate().filter_map(|(index, event)| {
            let accepted = event.accepted_receive();
            event.partner.filter(|_| accepted).map(|send| (send, index))
        });
        on_node.chain(messages).find_map(|(before, after)| {
            let (b, a) = (events.get(before)?, events.get(after)?);
            (self.value(a) <= self.value(b)).then(|| {
                format!(
                    "{} ({}) is not after {} ({})",
                    name(a.source),
                    self.label(a),
                    name(b.source),
                    self.label(b)
                )
            })
        })
    }
}

/// An event as the page names it: `e0`, `m0's send`, `m0's receive`.
fn name(event: EventRef) -> String {
    match event {
        EventRef::Local(i) => format!("e{i}"),
        EventRef::Send(i) => format!("m{i}'s send"),
        EventRef::Recv(i) => format!("m{i}'s receive"),
    }
}

fn find(trace: &Trace, event: EventRef) -> Result<&TraceEvent, String> {
    trace
        .index_of(event)
        .and_then(|index| trace.event(index))
        .ok_or_else(|| format!("{} is not in the scenario", name(event)))
}

/// A message's send and receive.
fn ends(trace: &Trace, message: usize) -> Result<(&TraceEvent, &TraceEvent), String> {
    Ok((
        find(trace, EventRef::Send(message))?,
        find(trace, EventRef::Recv(message))?,
    ))
}

/// `Ok` when `actual == stated`, else what is true instead.
fn expect<T: PartialEq + std::fmt::Display>(
    what: impl FnOnce() -> String,
    actual: T,
    stated: T,
) -> Result<(), String> {
    if actual == stated {
        Ok(())
    } else {
        Err(format!("{} is {actual}, not {stated}", what()))
    }
}

fn event_json(event: EventRef) -> Value {
    let (kind, index) = match event {
        EventRef::Local(i) => ("local", i),
        EventRef::Send(i) => ("send", i),
        EventRef::Recv(i) => ("recv", i),
    };
    json!({ "kind": kind, "index": index })
}

fn timestamp_json(ts: Timestamp) -> Value {
    json!({ "l": ts.l, "c": ts.c })
}

impl Fact {
    /// Whether the fact holds on `trace` (of `scenario`); if not, what is true
    /// instead.
    pub fn check(&self, scenario: &Scenario, trace: &Trace) -> Result<(), String> {
        match *self {
            Fact::Pt { event, pt } => {
                let e = find(trace, event)?;
                expect(|| format!("{}'s pt", name(event)), e.pt(), pt)
            }
            Fact::Hlc { event, l, c } => {
                let e = find(trace, event)?;
                let stated = Timestamp::new(l, c);
                expect(|| format!("{}'s HLC timestamp", name(event)), e.hlc(), stated)
            }
            Fact::Lamport { event, value } => {
                let e = find(trace, event)?;
                expect(|| format!("{}'s Lamport value", name(event)), e.lamport, value)
            }
            Fact::NaiveAhead { event, by_ms } => {
                let e = find(trace, event)?;
                let ahead = i128::from(e.naive_l) - i128::from(e.pt());
                expect(
                    || format!("{}'s naive l − pt", name(event)),
                    ahead,
                    by_ms.into(),
                )
            }
            Fact::Rule { event, rule } => {
                let e = find(trace, event)?;
                expect(
                    || format!("the branch at {}", name(event)),
                    e.tick.rule.code(),
                    rule.code(),
                )
            }
            Fact::PtBack { message, by_ms } => {
                let (send, recv) = ends(trace, message)?;
                let back = i128::from(send.pt()) - i128::from(recv.pt());
                if by_ms <= 0 {
                    return Err(format!("a pt back of {by_ms} ms is not back"));
                }
                expect(
                    || format!("m{message}'s send pt − receive pt"),
                    back,
                    by_ms.into(),
                )
            }
            Fact::RespectsCausality { clock } => match clock.first_break(trace) {
                None => Ok(()),
                Some(why) => Err(format!("under {}, {why}", clock.id())),
            },
            Fact::BreaksCausality { clock } => match clock.first_break(trace) {
                Some(_) => Ok(()),
                None => Err(format!(
                    "{} orders every event after its node's previous one and every receive after its send",
                    clock.id()
                )),
            },
            Fact::LamportAgainstRealTime { earlier, later } => {
                let (a, b) = (find(trace, earlier)?, find(trace, later)?);
                if b.real_ms <= a.real_ms {
                    Err(format!(
                        "{} (real {}) is not after {} (real {})",
                        name(later),
                        b.real_ms,
                        name(earlier),
                        a.real_ms
                    ))
                } else if b.lamport >= a.lamport {
                    Err(format!(
                        "{} has Lamport {}, not less than {}'s {}",
                        name(later),
                        b.lamport,
                        name(earlier),
                        a.lamport
                    ))
                } else {
                    Ok(())
                }
            }
            Fact::MaxLMinusPt { ms } => {
                let largest = trace
                    .events()
                    .iter()
                    .map(|e| i128::from(e.hlc().l) - i128::from(e.pt()))
                    .max()
                    .ok_or("there are no events")?;
                expect(|| "the largest l − pt".to_string(), largest, ms.into())
            }
            Fact::MaxCounter { c } => {
                let largest = trace
                    .events()
                    .iter()
                    .map(|e| e.hlc().c)
                    .max()
                    .ok_or("there are no events")?;
                expect(|| "the largest c".to_string(), largest, c)
            }
            Fact::HlcCutConsistent { theta } => {
                let cut = analysis::hlc_cut(trace, theta);
                match cut.crossing.first().and_then(|&i| trace.event(i)) {
                    None => Ok(()),
                    Some(e) => Err(format!(
                        "the cut at {theta} has {} inside and its send outside",
                        name(e.source)
                    )),
                }
            }
            Fact::PhysicalCutCrossed { t, message } => {
                let recv = trace
                    .index_of(EventRef::Recv(message))
                    .ok_or_else(|| format!("m{message} is not in the scenario"))?;
                if analysis::physical_cut(trace, t).crossing.contains(&recv) {
                    Ok(())
                } else {
                    Err(format!("m{message} does not cross the cut at pt {t} backwards"))
                }
            }
            Fact::Rejected { message } => match find(trace, EventRef::Recv(message))?.rejection {
                Some(_) => Ok(()),
                None => Err(format!("m{message} is accepted")),
            },
            Fact::FitsIn64Bits => trace
                .events()
                .iter()
                .find_map(|e| {
                    e.hlc()
                        .pack()
                        .err()
                        .map(|why| format!("{}: {why}", name(e.source)))
                })
                .map_or(Ok(()), Err),
            Fact::Carried { event } => {
                if find(trace, event)?.tick.carried {
                    Ok(())
                } else {
                    Err(format!("{}'s counter does not carry", name(event)))
                }
            }
            Fact::OrderedButConcurrent { first, second } => {
                let (a, b) = (find(trace, first)?, find(trace, second)?);
                if a.hlc() >= b.hlc() {
                    return Err(format!(
                        "{} has {}, not less than {}'s {}",
                        name(first),
                        a.hlc(),
                        name(second),
                        b.hlc()
                    ));
                }
                // Both were found, so both have trace indices.
                let (i, j) = (trace.index_of(first), trace.index_of(second));
                match i.zip(j).map(|(i, j)| analysis::relation(trace, i, j)) {
                    Some(Relation::Concurrent) => Ok(()),
                    Some(Relation::Before) => Err(format!(
                        "{} happened before {}",
                        name(first),
                        name(second)
                    )),
                    Some(Relation::After) => Err(format!(
                        "{} happened before {}",
                        name(second),
                        name(first)
                    )),
                    Some(Relation::Same) | None => Err(format!(
                        "{} and {} are one event",
                        name(first),
                        name(second)
                    )),
                }
            }
            Fact::ClocksApart {
                first,
                second,
                by_ms,
            } => {
                let (a, b) = (find(trace, first)?, find(trace, second)?);
                if a.real_ms != b.real_ms {
                    return Err(format!(
                        "{} is at real {} and {} at real {}",
                        name(first),
                        a.real_ms,
                        name(second),
                        b.real_ms
                    ));
                }
                expect(
                    || format!("{}'s pt − {}'s", name(second), name(first)),
                    i128::from(b.pt()) - i128::from(a.pt()),
                    by_ms.into(),
                )
            }
            Fact::PtElapsed {
                from,
                to,
                real_ms,
                pt_ms,
            } => {
                let (a, b) = (find(trace, from)?, find(trace, to)?);
                if a.node != b.node {
                    return Err(format!("{} and {} are on different nodes", name(from), name(to)));
                }
                let between = || format!("between {} and {}", name(from), name(to));
                expect(
                    || format!("the real time {}", between()),
                    i128::from(b.real_ms) - i128::from(a.real_ms),
                    real_ms.into(),
                )?;
                expect(
                    || format!("the node's clock advance {}", between()),
                    i128::from(b.pt()) - i128::from(a.pt()),
                    pt_ms.into(),
                )
            }
            Fact::Spread { ms } => expect(
                || "ε (the largest clock spread)".to_string(),
                analysis::clock_spread(scenario, trace),
                ms,
            ),
            Fact::StampAhead { message, by_ms } => {
                let (send, recv) = ends(trace, message)?;
                expect(
                    || format!("m{message}'s l_m − the receiver's pt"),
                    i128::from(send.hlc().l) - i128::from(recv.pt()),
                    by_ms.into(),
                )
            }
        }
    }

    /// The fact as JSON, for the browser tests that re-check it on the page's
    /// own trace. Every field is explicit:
    ///
    /// - `kind`: the variant in snake_case (`pt`, `hlc`, `lamport`,
    ///   `naive_ahead`, `rule`, `pt_back`, `respects_causality`,
    ///   `breaks_causality`, `lamport_against_real_time`, `max_l_minus_pt`,
    ///   `max_counter`, `hlc_cut_consistent`, `physical_cut_crossed`,
    ///   `rejected`, `fits_in_64_bits`, `carried`, `ordered_but_concurrent`,
    ///   `clocks_apart`, `pt_elapsed`, `spread`, `stamp_ahead`);
    /// - the variant's fields under their own names; an event as
    ///   `{"kind": "local" | "send" | "recv", "index": n}` (as [`EventRef`]
    ///   serializes), a message as its index, a clock as `"hlc"`, `"naive"`,
    ///   `"lamport"` or `"physical"`, a rule as [`Rule::code`], a timestamp
    ///   (`theta`) as `{"l": .., "c": ..}`, times in ms;
    /// - `fits_in_64_bits` also carries `"l_bits": 48, "c_bits": 16`.
    ///
    /// ```
    /// use hlcviz::scenario::EventRef;
    /// use hlcviz::tour::Fact;
    /// let fact = Fact::Pt { event: EventRef::Send(0), pt: 450 };
    /// assert_eq!(
    ///     fact.to_json(),
    ///     serde_json::json!({"kind": "pt", "event": {"kind": "send", "index": 0}, "pt": 450})
    /// );
    /// ```
    pub fn to_json(&self) -> Value {
        match *self {
            Fact::Pt { event, pt } => {
                json!({ "kind": "pt", "event": event_json(event), "pt": pt })
            }
            Fact::Hlc { event, l, c } => {
                json!({ "kind": "hlc", "event": event_json(event), "l": l, "c": c })
            }
            Fact::Lamport { event, value } => {
                json!({ "kind": "lamport", "event": event_json(event), "value": value })
            }
            Fact::NaiveAhead { event, by_ms } => {
                json!({ "kind": "naive_ahead", "event": event_json(event), "by_ms": by_ms })
            }
            Fact::Rule { event, rule } => {
                json!({ "kind": "rule", "event": event_json(event), "rule": rule.code() })
            }
            Fact::PtBack { message, by_ms } => {
                json!({ "kind": "pt_back", "message": message, "by_ms": by_ms })
            }
            Fact::RespectsCausality { clock } => {
                json!({ "kind": "respects_causality", "clock": clock.id() })
            }
            Fact::BreaksCausality { clock } => {
                json!({ "kind": "breaks_causality", "clock": clock.id() })
            }
            Fact::LamportAgainstRealTime { earlier, later } => json!({
                "kind": "lamport_against_real_time",
                "earlier": event_json(earlier),
                "later": event_json(later),
            }),
            Fact::MaxLMinusPt { ms } => json!({ "kind": "max_l_minus_pt", "ms": ms }),
            Fact::MaxCounter { c } => json!({ "kind": "max_counter", "c": c }),
            Fact::HlcCutConsistent { theta } => {
                json!({ "kind": "hlc_cut_consistent", "theta": timestamp_json(theta) })
            }
            Fact::PhysicalCutCrossed { t, message } => {
                json!({ "kind": "physical_cut_crossed", "t": t, "message": message })
            }
            Fact::Rejected { message } => json!({ "kind": "rejected", "message": message }),
            Fact::FitsIn64Bits => json!({
                "kind": "fits_in_64_bits",
                "l_bits": PACKED_L_BITS,
                "c_bits": PACKED_COUNTER_BITS,
            }),
            Fact::Carried { event } => json!({ "kind": "carried", "event": event_json(event) }),
            Fact::OrderedButConcurrent { first, second } => json!({
                "kind": "ordered_but_concurrent",
                "first": event_json(first),
                "second": event_json(second),
            }),
            Fact::ClocksApart {
                first,
                second,
                by_ms,
            } => json!({
                "kind": "clocks_apart",
                "first": event_json(first),
                "second": event_json(second),
                "by_ms": by_ms,
            }),
            Fact::PtElapsed {
                from,
                to,
                real_ms,
                pt_ms,
            } => json!({
                "kind": "pt_elapsed",
                "from": event_json(from),
                "to": event_json(to),
                "real_ms": real_ms,
                "pt_ms": pt_ms,
            }),
            Fact::Spread { ms } => json!({ "kind": "spread", "ms": ms }),
            Fact::StampAhead { message, by_ms } => {
                json!({ "kind": "stamp_ahead", "message": message, "by_ms": by_ms })
            }
        }
    }
}

impl Goal {
    /// Whether the person has done it.
    pub fn reached(&self, now: &Situation<'_>) -> bool {
        let skew = |node: usize| now.scenario.nodes.get(node).map(|n| n.skew_ms);
        let event = |event: EventRef| find(now.trace, event).ok();
        match *self {
            Goal::SkewAtLeast { node, ms } => skew(node).is_some_and(|s| s >= ms),
            Goal::SkewAtMost { node, ms } => skew(node).is_some_and(|s| s <= ms),
            // A deleted message does not count as fixed: the point is to see
            // it arrive later than it left.
            Goal::NoPtBack { message } => {
                ends(now.trace, message).is_ok_and(|(send, recv)| recv.pt() >= send.pt())
            }
            Goal::ClockView(view) => now.clock_view == view,
            Goal::SelectRule(rule) => now
                .selected
                .and_then(event)
                .is_some_and(|e| e.tick.rule == rule),
            Goal::MoreMessages { than } => now.scenario.messages.len() > than,
            Goal::SnapshotOtherThan { than } => now.snapshot.is_some_and(|s| s != than),
            Goal::Accepted { message } => {
                event(EventRef::Recv(message)).is_some_and(|e| e.accepted_receive())
            }
            Goal::SelectAny => now.selected.and_then(event).is_some(),
            Goal::NoCarry => now.trace.events().iter().all(|e| !e.tick.carried),
        }
    }
}
