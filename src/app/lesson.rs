//! Lessons: a step of the guided tour, or an exercise. A lesson is part of
//! the view (what the page shows about the document: the marks a step talks
//! about, the labels an exercise hides), never of the document: leaving one
//! keeps the scenario open as it is.

use crate::exercise::{self, Answer, Exercise, Question};
use crate::sim::Trace;
use crate::tour::{self, Mark};

/// The lesson under way.
#[derive(Debug, Clone, PartialEq)]
pub enum Lesson {
    /// A step of the tour.
    Tour(TourStep),
    /// An exercise.
    Exercise(Practice),
}

/// Where the tour is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TourStep {
    /// The step, counted from 1.
    pub number: usize,
    /// Whether its "try this" is done (it stays done).
    pub done: bool,
    /// The document's revision when the step opened: an edit since means the
    /// text describes the diagram as it was.
    pub opened_at: u64,
}

impl TourStep {
    /// The step's content.
    pub fn step(&self) -> Option<&'static tour::Step> {
        tour::step(self.number)
    }
}

/// An exercise under way.
#[derive(Debug, Clone, PartialEq)]
pub struct Practice {
    /// Which exercise.
    pub exercise: Exercise,
    /// Its questions, in trace order.
    pub questions: Vec<Question>,
    /// How many are answered.
    pub answered: usize,
    /// How many of those were right.
    pub right: usize,
    /// The verdict on the last answer, shown until the person moves on.
    pub verdict: Option<Verdict>,
    /// Per trace event, whether its labels are hidden.
    hidden: Vec<bool>,
}

/// What the page says of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Whether it was right.
    pub right: bool,
    /// The right answer and why, in the tooltip's words.
    pub text: String,
}

impl Practice {
    /// A fresh start on `exercise`, whose replay is `trace`.
    pub fn new(exercise: Exercise, trace: &Trace) -> Practice {
        let questions = exercise.questions(trace);
        let hidden = exercise::hidden(trace, &questions, 0);
        Practice {
            exercise,
            questions,
            answered: 0,
            right: 0,
            verdict: None,
            hidden,
        }
    }

    /// The question to answer now (none while a verdict is shown, or when
    /// every question is answered).
    pub fn current(&self) -> Option<&Question> {
        if self.verdict.is_some() {
            return None;
        }
        self.questions.get(self.answered)
    }

    /// The question the page is about: the one to answer, or the one just
    /// answered while its verdict shows.
    pub fn in_focus(&self) -> Option<&Question> {
        match self.verdict {
            Some(_) => self
                .answered
                .checked_sub(1)
                .and_then(|i| self.questions.get(i)),
            None => self.questions.get(self.answered),
        }
    }

    /// Whether every question is answered.
    pub fn finished(&self) -> bool {
        self.answered >= self.questions.len()
    }

    /// Whether trace event `index`'s labels are hidden.
    pub fn hides(&self, index: usize) -> bool {
        self.hidden.get(index).copied().unwrap_or(false)
    }

    /// Checks `answer` against the current question: reveals it, records the
    /// verdict, and returns whether it was right (`None` if no question waits).
    pub fn answer(&mut self, trace: &Trace, answer: &Answer) -> Option<bool> {
        let question = *self.current()?;
        let right = question.check(trace, answer);
        let why = question.explanation(trace);
        self.verdict = Some(Verdict {
            right,
            text: if right {
                format!("Right. {why}")
            } else {
                format!("Not quite. {why}")
            },
        });
        self.answered += 1;
        if right {
            self.right += 1;
        }
        self.hidden = exercise::hidden(trace, &self.questions, self.answered);
        Some(right)
    }

    /// Moves on from the verdict to the next question.
    pub fn next(&mut self) {
        self.verdict = None;
    }
}

/// What a lesson marks on the diagram: trace indices of events, node indices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    /// Marked events.
    pub events: Vec<usize>,
    /// Marked node lines.
    pub nodes: Vec<usize>,
}

impl Lesson {
    /// The marks on `trace` (a mark whose event an edit removed is dropped).
    pub fn marks(&self, trace: &Trace) -> Marks {
        let mut marks = Marks::default();
        match self {
            Lesson::Tour(at) => {
                for mark in at.step().map_or(&[][..], |s| s.marks) {
                    match *mark {
                        Mark::Node(node) if node < trace.node_count() => marks.nodes.push(node),
                        Mark::Node(_) => {}
                        Mark::Event(event) => marks.events.extend(trace.index_of(event)),
                    }
                }
            }
            Lesson::Exercise(practice) => {
                marks.events.extend(practice.in_focus().map(|q| q.event));
            }
        }
        marks
    }

    /// Whether the lesson hides trace event `index`'s labels.
    pub fn hides(&self, index: usize) -> bool {
        match self {
            Lesson::Tour(_) => false,
            Lesson::Exercise(practice) => practice.hides(index),
        }
    }

    /// Whether the lesson fixes the scenario (an exercise: an edit would
    /// change the answers).
    pub fn locks_edits(&self) -> bool {
        matches!(self, Lesson::Exercise(_))
    }
}

/// How far a person got in the tour, kept in the browser: the step they were
/// on and which steps' "try this" they did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TourProgress {
    /// The last step open (from 1), or 0 before the first visit.
    pub at: usize,
    /// Bit `n - 1` is set when step `n`'s try is done.
    pub done: u32,
}

impl TourProgress {
    /// Notes that step `number` is open, and whether its try is done.
    pub fn visit(&mut self, number: usize, done: bool) {
        self.at = number;
        if done && (1..=32).contains(&number) {
            self.done |= 1 << (number - 1);
        }
    }

    /// Whether step `number`'s try was done.
    pub fn did(&self, number: usize) -> bool {
        (1..=32).contains(&number) && self.done & (1 << (number - 1)) != 0
    }

    /// The step `?tour` (no number) opens: where the person left off, or the
    /// first step.
    pub fn resume_at(&self) -> usize {
        if tour::step(self.at).is_some() {
            self.at
        } else {
            1
        }
    }

    /// As stored: `at done`.
    ///
    /// ```
    /// use hlcviz::app::TourProgress;
    /// let p = TourProgress { at: 3, done: 0b101 };
    /// assert_eq!(TourProgress::from_text(&p.to_text()), p);
    /// assert_eq!(TourProgress::from_text("garbage"), TourProgress::default());
    /// ```
    pub fn to_text(self) -> String {
        format!("{} {}", self.at, self.done)
    }

    /// Reads [`TourProgress::to_text`]; anything else is a fresh start.
    pub fn from_text(text: &str) -> TourProgress {
        let mut parts = text.split(' ');
        let (Some(at), Some(done), None) = (parts.next(), parts.next(), parts.next()) else {
            return TourProgress::default();
        };
        match (at.parse::<usize>(), done.parse::<u32>()) {
            (Ok(at), Ok(done)) => TourProgress { at, done },
            _ => TourProgress::default(),
        }
    }
}

/// What `?tour` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TourRequest {
    /// `?tour`: where the person left off.
    Resume,
    /// `?tour=N`: step N.
    Step(usize),
    /// A number that is not a step: why, said to the person, and the tour
    /// opens at its first step.
    Invalid(String),
}

/// Reads `?tour` / `?tour=N` from `location.search`.
///
/// ```
/// use hlcviz::app::{tour_request, TourRequest};
/// assert_eq!(tour_request("?tour"), Some(TourRequest::Resume));
/// assert_eq!(tour_request("?embed&tour=3"), Some(TourRequest::Step(3)));
/// assert_eq!(tour_request("?embed"), None);
/// assert!(matches!(tour_request("?tour=99"), Some(TourRequest::Invalid(_))));
/// ```
pub fn tour_request(search: &str) -> Option<TourRequest> {
    let value = query_value(search, tour::TOUR_PARAM)?;
    if value.is_empty() {
        return Some(TourRequest::Resume);
    }
    let shown: String = value.chars().take(12).collect();
    let steps = tour::STEPS.len();
    Some(match value.parse::<usize>() {
        Ok(n) if tour::step(n).is_some() => TourRequest::Step(n),
        _ => TourRequest::Invalid(format!(
            "The tour has no step \u{2068}{shown}\u{2069}: its steps are 1 to {steps}."
        )),
    })
}

/// Reads `?exercise=CODE`: the exercise, or why the code is not one.
pub fn exercise_request(search: &str) -> Option<Result<Exercise, String>> {
    query_value(search, exercise::EXERCISE_PARAM).map(Exercise::from_code)
}

/// The value of parameter `name` in a query string (`""` for a bare `?name`).
fn query_value<'a>(search: &'a str, name: &str) -> Option<&'a str> {
    crate::embed::params(search)
        .find(|p| crate::embed::name_of(p) == name)
        .map(|p| p.split_once('=').map_or("", |(_, value)| value))
}

impl super::App {
    /// The lesson under way.
    pub fn lesson(&self) -> Option<&Lesson> {
        self.view.lesson.as_ref()
    }

    /// Opens tour step `number` (from 1): its scenario as a new document,
    /// its clock and snapshot, its marks.
    pub fn open_tour_step(&mut self, number: usize) -> Result<(), String> {
        let step = tour::step(number).ok_or_else(|| {
            format!(
                "The tour has no step {number}: its steps are 1 to {}.",
                tour::STEPS.len()
            )
        })?;
        self.open(step.scenario(), step.snapshot)?;
        self.view.clock_view = step.clock_view;
        self.view.lesson = Some(Lesson::Tour(TourStep {
            number,
            done: false,
            opened_at: self.revision(),
        }));
        Ok(())
    }

    /// Opens `exercise`: its execution as a new document, labelled with HLC,
    /// the labels its questions would give away hidden, and edits locked.
    pub fn open_exercise(&mut self, exercise: Exercise) -> Result<(), String> {
        self.open(exercise.scenario(), None)?;
        self.view.clock_view = super::ClockView::Hlc;
        self.view.table_shown = false;
        self.view.lesson = Some(Lesson::Exercise(Practice::new(exercise, self.doc.trace())));
        Ok(())
    }

    /// Leaves the lesson; the scenario stays open as it is.
    pub fn leave_lesson(&mut self) {
        self.view.lesson = None;
    }

    /// Notices a tour step's "try this" being done; returns whether it just was.
    pub fn note_progress(&mut self) -> bool {
        let Some(Lesson::Tour(at)) = self.view.lesson.as_ref() else {
            return false;
        };
        if at.done {
            return false;
        }
        let Some(step) = at.step() else { return false };
        let now = tour::Situation {
            scenario: self.doc.scenario(),
            trace: self.doc.trace(),
            clock_view: self.view.clock_view,
            selected: self.view.selection(),
            snapshot: self.doc.snapshot().map(|s| s.theta),
        };
        if !step.goal.reached(&now) {
            return false;
        }
        if let Some(Lesson::Tour(at)) = self.view.lesson.as_mut() {
            at.done = true;
        }
        true
    }

    /// Answers the exercise's current question; returns whether it was
    /// right (`None` when no question waits).
    pub fn answer(&mut self, answer: &Answer) -> Option<bool> {
        let trace = self.doc.trace();
        match self.view.lesson.as_mut() {
            Some(Lesson::Exercise(practice)) => practice.answer(trace, answer),
            _ => None,
        }
    }

    /// Moves from an answer's verdict to the next question.
    pub fn next_question(&mut self) {
        if let Some(Lesson::Exercise(practice)) = self.view.lesson.as_mut() {
            practice.next();
        }
    }

    /// What the lesson marks on the diagram.
    pub fn lesson_marks(&self) -> Marks {
        self.view
            .lesson
            .as_ref()
            .map(|l| l.marks(self.doc.trace()))
            .unwrap_or_default()
    }

    /// Whether trace event `index`'s labels are hidden (an exercise's question).
    pub fn hides(&self, index: usize) -> bool {
        self.view.lesson.as_ref().is_some_and(|l| l.hides(index))
    }

    /// The label of trace event `index` under the clock in view, or `?` while
    /// an exercise hides it.
    pub fn label(&self, index: usize) -> String {
        if self.hides(index) {
            return HIDDEN_LABEL.to_string();
        }
        let clock = self.view.clock_view.label(self.doc.trace(), index);
        match self.kv_label(index) {
            Some(data) => format!("{clock} {data}"),
            None => clock,
        }
    }
}

/// What a hidden label shows.
pub const HIDDEN_LABEL: &str = "?";
