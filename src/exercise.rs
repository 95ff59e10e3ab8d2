//! Exercises: predict an event's HLC timestamp, or which branch of the rule
//! fires, on a small execution made by the seeded random generator. The same
//! code (`medium-4242`) gives everyone the same execution and the same
//! questions, so a teacher's link gives a class one exercise.
//!
//! Everything here is a pure function of the code and the replayed trace:
//! the prompts, the branches to choose from, the checking and the words of
//! the answer, which labels stay [`hidden`] while questions are open, and the
//! [`Score`] the page keeps in the browser's storage.

use crate::analysis::causal_future;
use crate::generate::{random_scenario, SplitMix64};
use crate::scenario::{ClockStep, EventRef, LocalEvent, Message, Scenario};
use crate::sim::{replay_valid, EventKind, Trace, TraceEvent};
use hlc::{Rule, Time, Timestamp};
use std::num::IntErrorKind;

/// The query parameter that opens an exercise (`?exercise=medium-4242`).
pub const EXERCISE_PARAM: &str = "exercise";

/// How hard an exercise is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// Synchronised clocks.
    Easy,
    /// Skewed clocks.
    Medium,
    /// Skew, drift, a clock step and a max-offset bound.
    Hard,
}

impl Level {
    /// Every level, easiest first.
    pub const ALL: [Level; 3] = [Level::Easy, Level::Medium, Level::Hard];

    /// Stable identifier (`easy`, `medium`, `hard`), used in codes and links.
    pub fn id(self) -> &'static str {
        match self {
            Level::Easy => "easy",
            Level::Medium => "medium",
            Level::Hard => "hard",
        }
    }

    /// The level with this id.
    pub fn from_id(id: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.id() == id)
    }
}

/// One exercise: a level and a seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Exercise {
    /// How hard.
    pub level: Level,
    /// The generator's seed.
    pub seed: u64,
}

/// What a question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// The event's `(l, c)`.
    Timestamp,
    /// The branch of the rule that fires.
    Rule,
}

/// One question: an event of the exercise's trace and what to predict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// The event's index in the trace.
    pub event: usize,
    /// What to predict.
    pub ask: Ask,
}

/// A person's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// A predicted `(l, c)`.
    Timestamp(Timestamp),
    /// A predicted branch.
    Rule(Rule),
}

/// How many questions an exercise asks (fewer only on a trace with fewer
/// events to ask about).
pub const QUESTION_COUNT: usize = 3;

/// The longest piece of a code or an answer an error message repeats: a link
/// can carry megabytes, and the message must stay one readable line.
const ECHO_CHARS: usize = 40;

/// The exercise's nodes: three are enough for a message to arrive from either
/// side and few enough to keep in one's head.
const NODE_NAMES: [&str; 3] = ["A", "B", "C"];
/// Real time of the first possible event: late enough that a clock skewed and
/// stepped back as far as the levels allow still reads above zero, so nobody
/// has to reason about a negative `l`.
const FIRST_EVENT_MS: Time = 200;
/// Least real time between two events of one node: the diagram needs about
/// 25 ms for a label, and closer events would hide each other's.
const MIN_GAP_MS: Time = 30;
/// Every real time is a multiple of this, so the sums stay easy by hand.
const TIME_GRAIN_MS: Time = 5;
/// An event waits up to this many grains past the earliest time it may have.
const JITTER_GRAINS: i64 = 4;
/// A message takes 20 to 90 ms, in grains.
const DELAY_GRAINS: (i64, i64) = (4, 18);
/// Messages per exercise: the first number plus 0 or 1.
const MESSAGES_FROM: usize = 4;
/// Local events per exercise: the first number plus 0 or 1.
const LOCALS_FROM: usize = 2;
/// Skews are whole tens of ms in `±SKEW_TENS * 10` (medium and hard).
const SKEW_TENS: i64 = 15;
/// The hard level's drifting node runs this fast or slow: 2 %, about 10 ms over
/// the few hundred ms an exercise lasts, enough to show in `pt`.
const HARD_DRIFT_PPM: i64 = 20_000;
/// The hard level's clock step goes back 30 to 60 ms, in tens.
const HARD_STEP_TENS: (i64, i64) = (3, 6);
/// The step lands this long before the event it first affects (less than
/// [`MIN_GAP_MS`], so after the event before).
const STEP_LEAD_MS: Time = 5;
/// Max-offset bounds are whole tens of ms.
const BOUND_GRAIN_MS: Time = 10;
/// The bound used if no message runs ahead of its receiver at all; only the
/// fallback after every attempt failed, so never seen in practice.
const FALLBACK_BOUND_MS: Time = 50;
/// How many executions a level draws, at most, looking for an interesting one.
/// The tests check that real seeds need only a few.
const ATTEMPTS: usize = 64;
/// Mixed into the seed for choosing questions, so that stream is not the one
/// that placed the events.
const QUESTION_SALT: u64 = 0x5155_4553_5449_4F4E;

/// The branches a local event or a send can take (and a receive the
/// max-offset bound refuses, which the clock counts as a local event).
const LOCAL_BRANCHES: [Rule; 2] = [Rule::PhysicalAhead, Rule::LogicalHeld];
/// The branches an accepted receive can take.
const RECEIVE_BRANCHES: [Rule; 4] = [
    Rule::RecvPhysicalAhead,
    Rule::RecvLocalAhead,
    Rule::RecvMessageAhead,
    Rule::RecvTie,
];

impl Exercise {
    /// The exercise a code names (`medium-4242`), or why the code is not one.
    /// Spaces around it and the level's case are forgiven; nothing else is.
    ///
    /// ```
    /// use hlcviz::exercise::{Exercise, Level};
    /// let e = Exercise::from_code("medium-4242").unwrap();
    /// assert_eq!((e.level, e.seed), (Level::Medium, 4242));
    /// assert_eq!(e.code(), "medium-4242");
    /// assert_eq!(
    ///     Exercise::from_code("extreme-1").unwrap_err(),
    ///     "'extreme' is not a level: use easy, medium or hard"
    /// );
    /// ```
    pub fn from_code(code: &str) -> Result<Exercise, String> {
        let code = code.trim();
        if code.is_empty() {
            return Err(
                "the exercise code is empty: write a level and a seed, like medium-4242".into(),
            );
        }
        let Some((level_text, seed_text)) = code.split_once('-') else {
            return Err(match level_named(code) {
                Some(level) => format!(
                    "'{}' has no seed: add a dash and a number, like {}-42",
                    shown(code),
                    level.id()
                ),
                None => format!(
                    "'{}' is not an exercise code: write a level and a seed, like medium-4242",
                    shown(code)
                ),
            });
        };
        let level = level_named(level_text).ok_or_else(|| {
            format!(
                "'{}' is not a level: use easy, medium or hard",
                shown(level_text)
            )
        })?;
        let seed = parse_seed(level, seed_text)?;
        Ok(Exercise { level, seed })
    }

    /// The code that names it.
    pub fn code(&self) -> String {
        format!("{}-{}", self.level.id(), self.seed)
    }

    /// The execution, the same for the same exercise and always valid: three
    /// nodes, four or five messages, two or three local events, at least
    /// 30 ms apart on each node.
    ///
    /// Easy clocks agree with real time. Medium clocks are skewed, and the
    /// execution has a receive where the message's `l` wins or an event where
    /// `l` holds and `c` counts. Hard adds a drifting node, a clock stepped
    /// back and a max-offset bound that refuses at least one message. Draws
    /// that miss their level's point are drawn again from the same stream, a
    /// bounded number of times, so the result stays a function of the code.
    ///
    /// ```
    /// use hlcviz::exercise::Exercise;
    /// let e = Exercise::from_code("hard-7").unwrap();
    /// assert_eq!(e.scenario().validate(), Ok(()));
    /// assert_eq!(e.scenario(), e.scenario());
    /// ```
    pub fn scenario(&self) -> Scenario {
        let mut rng = SplitMix64(self.seed);
        let (mut scenario, mut interesting) = self.level.draw(&mut rng);
        for _ in 1..ATTEMPTS {
            if interesting {
                break;
            }
            (scenario, interesting) = self.level.draw(&mut rng);
        }
        scenario
    }

    /// The questions, in trace order: [`QUESTION_COUNT`] distinct events
    /// (fewer only if the trace has fewer after its first), never the first
    /// event (its timestamp is just its `pt`, nothing to reason about).
    ///
    /// Events whose branch needs thought come first: the first receive the
    /// bound refuses, then any branch but "physical clock ahead", then other
    /// receives, then the rest; ties are broken by the seed. The middle
    /// question asks for the branch, the others for the timestamp. A refused
    /// receive is only asked for its timestamp, since being offered a local
    /// event's branches would give the refusal away; if the middle one is
    /// refused, the last (else the first) asks for the branch instead.
    pub fn questions(&self, trace: &Trace) -> Vec<Question> {
        let mut rng = SplitMix64(self.seed ^ QUESTION_SALT);
        let first_refused = trace.events().iter().position(|e| e.rejection.is_some());
        let mut ranked: Vec<(Interest, u64, usize)> = trace
            .events()
            .iter()
            .enumerate()
            .skip(1)
            .map(|(index, event)| {
                let interest = if Some(index) == first_refused {
                    Interest::Refused
                } else {
                    Interest::of(event)
                };
                (interest, rng.next_u64(), index)
            })
            .collect();
        ranked.sort_unstable();
        let mut events: Vec<usize> = ranked
            .iter()
            .take(QUESTION_COUNT)
            .map(|&(.., index)| index)
            .collect();
        events.sort_unstable();
        let mut questions: Vec<Question> = events
            .into_iter()
            .map(|event| Question {
                event,
                ask: Ask::Timestamp,
            })
            .collect();
        let refused = |q: &Question| trace.event(q.event).is_some_and(|e| e.rejection.is_some());
        if questions.len() >= 2 {
            let rule_slot = [1, 2, 0]
                .into_iter()
                .find(|&slot| questions.get(slot).is_some_and(|q| !refused(q)));
            if let Some(q) = rule_slot.and_then(|slot| questions.get_mut(slot)) {
                q.ask = Ask::Rule;
            }
        }
        questions
    }
}

/// The level with this id, in any case (`Easy-42` typed by hand).
fn level_named(text: &str) -> Option<Level> {
    Level::ALL
        .into_iter()
        .find(|level| level.id().eq_ignore_ascii_case(text))
}

/// The seed of a code: digits only, up to `u64::MAX`.
fn parse_seed(level: Level, text: &str) -> Result<u64, String> {
    if text.is_empty() {
        return Err(format!(
            "'{}-' has no seed: add a number after the dash, like {}-42",
            level.id(),
            level.id()
        ));
    }
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, rest) = text.split_at(digits_end);
    if digits.is_empty() {
        return Err(format!(
            "'{}' is not a seed: use a whole number from 0 to {}",
            shown(text),
            u64::MAX
        ));
    }
    if !rest.is_empty() {
        return Err(format!(
            "unexpected '{}' after the seed {}: a code is a level, a dash and a number, like medium-4242",
            shown(rest),
            shown(digits)
        ));
    }
    // All ASCII digits, so the only way to fail is a number past u64::MAX.
    digits.parse::<u64>().map_err(|_| {
        format!(
            "the seed {} is too big: the largest is {}",
            shown(digits),
            u64::MAX
        )
    })
}

/// At most [`ECHO_CHARS`] characters of `text`, with control characters shown
/// as `?`, for repeating what someone typed in a one-line message.
fn shown(text: &str) -> String {
    let mut echo: String = text
        .chars()
        .take(ECHO_CHARS)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if text.chars().nth(ECHO_CHARS).is_some() {
        echo.push('…');
    }
    echo
}

impl Level {
    /// One random execution of this level from the stream, and whether it
    /// shows what the level is for.
    fn draw(self, rng: &mut SplitMix64) -> (Scenario, bool) {
        let mut scenario = placement(rng);
        match self {
            Level::Easy => (scenario, true),
            Level::Medium => {
                skew_every_node(&mut scenario, rng);
                let interesting = has_subtle_branch(&replay_valid(&scenario));
                (scenario, interesting)
            }
            Level::Hard => {
                skew_every_node(&mut scenario, rng);
                drift_one_node(&mut scenario, rng);
                step_one_node_back(&mut scenario, rng);
                let bound = refusing_bound(&replay_valid(&scenario));
                scenario.settings.max_offset_ms = Some(bound.unwrap_or(FALLBACK_BOUND_MS));
                (scenario, bound.is_some())
            }
        }
    }
}

/// Synchronised nodes with the level's messages and local events.
///
/// The shared generator decides who sends to whom and in what order the sends
/// and local events come; the times are placed again here, because the
/// generator packs events a few ms apart. Each event waits for its node's
/// previous one plus [`MIN_GAP_MS`], and a receive for its send plus the
/// message's delay, so receives come after sends, no node has two events at
/// one instant, and a node that receives sends on after the receive (chains
/// of messages, where the rule has something to carry).
fn placement(rng: &mut SplitMix64) -> Scenario {
    const NODES: usize = NODE_NAMES.len();
    let messages = MESSAGES_FROM + rng.below(2) as usize;
    let locals = LOCALS_FROM + rng.below(2) as usize;
    let drawn = random_scenario(NODES, messages, locals, rng.next_u64());
    let mut order: Vec<(Time, usize, EventRef)> = drawn
        .all_events()
        .filter(|(event, ..)| !matches!(event, EventRef::Recv(_)))
        .map(|(event, node, at)| (at, node, event))
        .collect();
    order.sort_unstable();

    let mut free_from = [FIRST_EVENT_MS; NODES];
    // The generator names only its `NODES` nodes, so `node` indexes this.
    let mut claim = |rng: &mut SplitMix64, node: usize, earliest: Time| -> Time {
        let at = earliest.max(free_from[node]) + rng.between(0, JITTER_GRAINS) * TIME_GRAIN_MS;
        free_from[node] = at + MIN_GAP_MS;
        at
    };
    let mut scenario = Scenario::with_nodes(&NODE_NAMES);
    for (_, node, event) in order {
        match event {
            EventRef::Send(i) => {
                let Some(&Message { from, to, .. }) = drawn.messages.get(i) else {
                    continue;
                };
                let sent_at_ms = claim(rng, from, 0);
                let delay = rng.between(DELAY_GRAINS.0, DELAY_GRAINS.1) * TIME_GRAIN_MS;
                let received_at_ms = claim(rng, to, sent_at_ms + delay);
                scenario.messages.push(Message {
                    from,
                    sent_at_ms,
                    to,
                    received_at_ms,
                    put: None,
                });
            }
            _ => {
                let at_ms = claim(rng, node, 0);
                scenario.events.push(LocalEvent::at(node, at_ms));
            }
        }
    }
    // Numbered in time order, so m0 and e0 come first on the diagram.
    scenario.messages.sort_by_key(|m| m.sent_at_ms);
    scenario.events.sort_by_key(|e| e.at_ms);
    scenario
}

fn skew_every_node(scenario: &mut Scenario, rng: &mut SplitMix64) {
    for node in &mut scenario.nodes {
        node.skew_ms = rng.between(-SKEW_TENS, SKEW_TENS) * 10;
    }
}

fn drift_one_node(scenario: &mut Scenario, rng: &mut SplitMix64) {
    let node = rng.below(scenario.nodes.len() as u64) as usize;
    let sign = if rng.below(2) == 0 { 1 } else { -1 };
    if let Some(node) = scenario.nodes.get_mut(node) {
        node.drift_ppm = sign * HARD_DRIFT_PPM;
    }
}

/// Steps a clock back just before one of its node's events, never the node's
/// first: a step before any event would be no more than a smaller skew.
fn step_one_node_back(scenario: &mut Scenario, rng: &mut SplitMix64) {
    let mut times: Vec<Vec<Time>> = vec![Vec::new(); scenario.nodes.len()];
    for (_, node, at) in scenario.all_events() {
        if let Some(on_node) = times.get_mut(node) {
            on_node.push(at);
        }
    }
    let stepped: Vec<usize> = (0..times.len()).filter(|&n| times[n].len() >= 2).collect();
    // Ten or more events on three nodes: some node always has two.
    let Some(&node) = stepped.get(rng.below(stepped.len() as u64) as usize) else {
        return;
    };
    let on_node = &mut times[node];
    on_node.sort_unstable();
    let first_affected = 1 + rng.below(on_node.len() as u64 - 1) as usize;
    let step = ClockStep {
        at_ms: on_node[first_affected] - STEP_LEAD_MS,
        by_ms: -rng.between(HARD_STEP_TENS.0, HARD_STEP_TENS.1) * 10,
    };
    if let Some(node) = scenario.nodes.get_mut(node) {
        node.steps.push(step);
    }
}

/// Whether the execution has a branch that takes more than "l = pt": a
/// message that wins the max, or a clock that holds `l` and counts.
fn has_subtle_branch(trace: &Trace) -> bool {
    trace
        .events()
        .iter()
        .any(|e| matches!(e.tick.rule, Rule::RecvMessageAhead | Rule::LogicalHeld))
}

/// A max-offset bound (whole tens of ms) just below the farthest any message
/// runs ahead of its receiver's clock in this unbounded replay, or `None` if
/// none runs ahead by more than a grain.
///
/// It refuses at least one message: every receive before the first one that
/// exceeds the bound is accepted, so the bounded replay matches this one up to
/// that receive, which then still exceeds it.
fn refusing_bound(trace: &Trace) -> Option<Time> {
    let farthest = trace
        .events()
        .iter()
        .filter_map(|e| e.tick.message.map(|m| m.l.saturating_sub(e.pt())))
        .max()?;
    (farthest > BOUND_GRAIN_MS).then(|| (farthest - 1) / BOUND_GRAIN_MS * BOUND_GRAIN_MS)
}

/// How much an event is worth asking about, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Interest {
    /// The first receive the max-offset bound refuses: the hard level's point.
    Refused,
    /// A branch other than "physical clock ahead" (or a counter carry, or a
    /// later refusal): the answer is not just `(pt, 0)`.
    Subtle,
    /// A receive where `pt` wins: still three values to compare.
    Receive,
    /// A local event or send where `pt` wins.
    Plain,
}

impl Interest {
    fn of(event: &TraceEvent) -> Interest {
        let subtle = event.rejection.is_some()
            || event.tick.carried
            || !matches!(
                event.tick.rule,
                Rule::PhysicalAhead | Rule::RecvPhysicalAhead
            );
        if subtle {
            Interest::Subtle
        } else if event.kind() == EventKind::Recv {
            Interest::Receive
        } else {
            Interest::Plain
        }
    }
}

impl Question {
    fn event<'t>(&self, trace: &'t Trace) -> Option<&'t TraceEvent> {
        trace.event(self.event)
    }

    /// What the page shows above the answer: the event, its node's physical
    /// clock and the ask. The message's stamp and the node's previous
    /// timestamp are labels on the diagram, so they are not repeated; nor is a
    /// refusal by the max-offset bound, which is for the person to notice
    /// (the bound is in the settings panel).
    ///
    /// ```
    /// use hlcviz::exercise::Exercise;
    /// use hlcviz::sim::replay;
    /// let e = Exercise::from_code("easy-1").unwrap();
    /// let s = e.scenario();
    /// let trace = replay(&s).unwrap();
    /// let prompt = e.questions(&trace)[0].prompt(&s, &trace);
    /// assert!(prompt.contains("clock reads pt = "), "{prompt}");
    /// ```
    pub fn prompt(&self, scenario: &Scenario, trace: &Trace) -> String {
        let Some(event) = self.event(trace) else {
            return format!("Event {} is not in this execution.", self.event);
        };
        let name = |node: usize| scenario.nodes.get(node).map_or("?", |n| n.name.as_str());
        let node = name(event.node);
        let message = |i: usize| scenario.messages.get(i);
        let what = match event.source {
            EventRef::Local(i) => format!("{node} has local event e{i}."),
            EventRef::Send(i) => format!(
                "{node} sends m{i} to {}.",
                message(i).map_or("?", |m| name(m.to))
            ),
            EventRef::Recv(i) => format!(
                "{node} receives m{i} from {}.",
                message(i).map_or("?", |m| name(m.from))
            ),
        };
        let ask = match self.ask {
            Ask::Timestamp => "What is its HLC timestamp (l, c)?",
            Ask::Rule => "Which branch of the rule fires?",
        };
        format!("{what} {node}'s clock reads pt = {} ms. {ask}", event.pt())
    }

    /// The branches to choose from for a [`Ask::Rule`] question, in a fixed
    /// order: the two of a local event or send (or a refused receive, which
    /// the clock counts as a local event), or the four of an accepted receive.
    pub fn choices(&self, trace: &Trace) -> Vec<Rule> {
        match self.event(trace) {
            None => Vec::new(),
            Some(e) if e.tick.rule.is_receive() => RECEIVE_BRANCHES.to_vec(),
            Some(_) => LOCAL_BRANCHES.to_vec(),
        }
    }

    /// The right answer. A question whose event is not in `trace` (a trace of
    /// another scenario) has none; it gets [`Timestamp::MIN`], which no event
    /// has and [`Question::check`] never accepts.
    pub fn right_answer(&self, trace: &Trace) -> Answer {
        match (self.event(trace), self.ask) {
            (None, _) => Answer::Timestamp(Timestamp::MIN),
            (Some(e), Ask::Timestamp) => Answer::Timestamp(e.hlc()),
            (Some(e), Ask::Rule) => Answer::Rule(e.tick.rule),
        }
    }

    /// Whether `answer` is right.
    pub fn check(&self, trace: &Trace, answer: &Answer) -> bool {
        self.event(trace).is_some() && *answer == self.right_answer(trace)
    }

    /// The right answer and why, in the tooltip's words ([`TraceEvent::explain`],
    /// which names a refusal by the max-offset bound).
    pub fn explanation(&self, trace: &Trace) -> String {
        let Some(event) = self.event(trace) else {
            return format!("Event {} is not in this execution.", self.event);
        };
        let answer = match self.ask {
            Ask::Timestamp => format!("The answer is {}. ", event.hlc()),
            Ask::Rule => format!("The answer is: {}. ", event.tick.rule.summary()),
        };
        answer + &event.explain()
    }
}

/// A typed answer `(l, c)`: whole numbers, spaces around them ignored.
///
/// ```
/// use hlc::Timestamp;
/// use hlcviz::exercise::parse_timestamp;
/// assert_eq!(parse_timestamp(" 412 ", "0"), Ok(Timestamp::new(412, 0)));
/// assert_eq!(parse_timestamp("", "0").unwrap_err(), "l is empty: type a whole number");
/// assert!(parse_timestamp("412", "-1").is_err());
/// ```
pub fn parse_timestamp(l: &str, c: &str) -> Result<Timestamp, String> {
    let l = parse_whole("l", l, Time::MIN, Time::MAX)?;
    let c = parse_whole("c", c, u32::MIN, u32::MAX)?;
    Ok(Timestamp::new(l, c))
}

/// A whole number `name` in `min..=max`, or a message naming what is wrong.
fn parse_whole<T>(name: &str, text: &str, min: T, max: T) -> Result<T, String>
where
    T: Copy + Into<i128> + TryFrom<i128>,
{
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("{name} is empty: type a whole number"));
    }
    let (min, max): (i128, i128) = (min.into(), max.into());
    let too_big = || format!("{name} = {} is too big: the largest is {max}", shown(text));
    let too_small = || {
        if min == 0 {
            format!("{name} cannot be negative: it counts up from 0")
        } else {
            format!(
                "{name} = {} is too small: the smallest is {min}",
                shown(text)
            )
        }
    };
    let value = text.parse::<i128>().map_err(|e| match e.kind() {
        IntErrorKind::PosOverflow => too_big(),
        IntErrorKind::NegOverflow => too_small(),
        _ => format!(
            "'{}' is not a whole number: type {name} in digits",
            shown(text)
        ),
    })?;
    if value > max {
        return Err(too_big());
    }
    if value < min {
        return Err(too_small());
    }
    T::try_from(value).map_err(|_| too_big())
}

/// For each trace event, whether its labels must be hidden while the
/// questions from `answered` on are open.
///
/// An open question's own label is its answer. Every label in its causal
/// future gives the answer away too: the next event on the node starts from
/// it (a held `l` and `c + 1` read straight back), and a message it sends
/// carries it to the receiver. So the union of those futures stays hidden.
/// Events concurrent with every open question show nothing about them and
/// stay visible, as does each question's past, which the person needs.
pub fn hidden(trace: &Trace, questions: &[Question], answered: usize) -> Vec<bool> {
    let mut hidden = vec![false; trace.events().len()];
    for question in questions.get(answered..).unwrap_or_default() {
        let Some(own) = hidden.get_mut(question.event) else {
            continue;
        };
        *own = true;
        for later in causal_future(trace, question.event) {
            if let Some(slot) = hidden.get_mut(later) {
                *slot = true;
            }
        }
    }
    hidden
}

/// Right and wrong answers so far, kept in the browser's storage as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Score {
    /// Answers that were right.
    pub right: u32,
    /// Answers that were wrong.
    pub wrong: u32,
}

impl Score {
    /// Counts one answer (saturating: a score never wraps to zero).
    pub fn record(&mut self, right: bool) {
        let count = if right {
            &mut self.right
        } else {
            &mut self.wrong
        };
        *count = count.saturating_add(1);
    }

    /// The stored form, `right,wrong`.
    ///
    /// ```
    /// use hlcviz::exercise::Score;
    /// let score = Score { right: 7, wrong: 2 };
    /// assert_eq!(score.to_text(), "7,2");
    /// assert_eq!(Score::from_text("7,2"), score);
    /// assert_eq!(Score::from_text("garbage"), Score::default());
    /// ```
    pub fn to_text(&self) -> String {
        format!("{},{}", self.right, self.wrong)
    }

    /// The score stored as text; anything else (an older format, a value
    /// edited by hand) is a fresh zero score, since storage is not to be
    /// trusted and a lost score costs little.
    pub fn from_text(text: &str) -> Score {
        let parsed = text.split_once(',').and_then(|(right, wrong)| {
            Some(Score {
                right: right.trim().parse().ok()?,
                wrong: wrong.trim().parse().ok()?,
            })
        });
        parsed.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many draws the level needs from this seed's stream.
    fn draws_needed(level: Level, seed: u64) -> usize {
        let mut rng = SplitMix64(seed);
        (1..=ATTEMPTS)
            .find(|_| level.draw(&mut rng).1)
            .unwrap_or(usize::MAX)
    }

    #[test]
    fn levels_find_their_point_in_a_few_draws_far_from_the_cap() {
        for level in Level::ALL {
            let worst = (0..2_000).map(|seed| draws_needed(level, seed)).max();
            assert!(
                worst.is_some_and(|w| w <= ATTEMPTS / 4),
                "{level:?}: {worst:?}"
            );
        }
        assert_eq!(draws_needed(Level::Easy, 9), 1);
    }

    /// A (clock +100) sends m0 at real 10 and m1 at 60 to B (clock right),
    /// received at 40 and 100: they run 110 − 40 = 70 and 160 − 100 = 60 ms
    /// ahead of B's clock.
    fn two_messages_ahead(a_skew_ms: Time) -> Scenario {
        let mut s = Scenario::with_nodes(&["A", "B"]);
        s.nodes[0].skew_ms = a_skew_ms;
        s.messages = vec![
            Message {
                from: 0,
                sent_at_ms: 10,
                to: 1,
                received_at_ms: 40,
                put: None,
            },
            Message {
                from: 0,
                sent_at_ms: 60,
                to: 1,
                received_at_ms: 100,
                put: None,
            },
        ];
        s
    }

    #[test]
    fn the_bound_is_the_tens_just_below_the_farthest_message() {
        let mut s = two_messages_ahead(100);
        let bound = refusing_bound(&replay_valid(&s));
        assert_eq!(bound, Some(60));
        s.settings.max_offset_ms = bound;
        let refused: Vec<bool> = replay_valid(&s)
            .events()
            .iter()
            .filter(|e| e.kind() == EventKind::Recv)
            .map(|e| e.rejection.is_some())
            .collect();
        // 70 > 60 is refused; 60 is not more than 60.
        assert_eq!(refused, [true, false]);
        // Ahead by 40 at most (a grain more than 30): a bound of 30.
        assert_eq!(
            refusing_bound(&replay_valid(&two_messages_ahead(70))),
            Some(30)
        );
        // Ahead by no more than a grain, or behind: no bound worth asking about.
        assert_eq!(refusing_bound(&replay_valid(&two_messages_ahead(40))), None);
        assert_eq!(refusing_bound(&replay_valid(&two_messages_ahead(0))), None);
    }

    #[test]
    fn echoes_are_cut_at_forty_characters_on_a_character_boundary() {
        assert_eq!(shown("medium"), "medium");
        let cut = shown(&"é".repeat(41));
        assert_eq!(cut, format!("{}…", "é".repeat(40)));
        assert_eq!(shown(&"x".repeat(40)), "x".repeat(40));
        assert_eq!(shown("a\nb\u{0}"), "a?b?");
    }
}
