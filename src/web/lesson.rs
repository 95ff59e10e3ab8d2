//! Lessons on the page: the card above the diagram for a tour step or an
//! exercise, the Learn tab that starts them, the `?tour` / `?exercise` links,
//! and what the browser keeps of them (how far the tour got, the score).
//!
//! The lesson itself lives in the app ([`crate::app::Lesson`]); this module
//! renders it when it changed and keeps the URL saying which lesson is open,
//! so a reload, a copied link or a class link reopens it.

use super::panels::bind::{data_index, on_click_page as on_click, target_closest};
use super::panels::dom::{clear, make, set_hidden};
use super::storage::{self, Store};
use super::{element, read_app_of, with_app, Page};
use crate::app::{exercise_request, tour_request, App, Lesson, TourProgress, TourRequest};
use crate::embed;
use crate::exercise::{self, Answer, Ask, Exercise, Level, Score};
use crate::tour::{self, TOUR_PARAM};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

/// Where the tour's progress is kept between visits.
const TOUR_KEY: &str = "hlcviz.tour";
/// Where the exercises' score is kept.
const SCORE_KEY: &str = "hlcviz.score";
/// Largest seed a new exercise gets: short enough to read out in class.
const NEW_SEED_BELOW: f64 = 1_000_000.0;

/// What the card shows, compared to skip a render that would change nothing.
/// It is read on every sync (each pointer move), so it holds no text: the
/// number of answers says which verdict shows, and whether it was right.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shown {
    Nothing,
    Tour {
        number: usize,
        done: bool,
        edited: bool,
    },
    Exercise {
        exercise: Exercise,
        answered: usize,
        verdict: Option<bool>,
        right: usize,
        score: Score,
    },
}

/// The lesson the URL names.
#[derive(Debug, Clone, Copy, PartialEq)]
enum InUrl {
    Tour(usize),
    Exercise(Exercise),
}

impl Shown {
    fn in_url(self) -> Option<InUrl> {
        match self {
            Shown::Nothing => None,
            Shown::Tour { number, .. } => Some(InUrl::Tour(number)),
            Shown::Exercise { exercise, .. } => Some(InUrl::Exercise(exercise)),
        }
    }
}

impl InUrl {
    /// Its query parameter.
    fn param(self) -> String {
        match self {
            InUrl::Tour(number) => format!("{TOUR_PARAM}={number}"),
            InUrl::Exercise(e) => format!("{}={}", exercise::EXERCISE_PARAM, e.code()),
        }
    }
}

pub(crate) struct LessonCard {
    root: Element,
    kicker: Element,
    title: Element,
    text: Element,
    try_line: Element,
    try_mark: Element,
    try_text: Element,
    changed: Element,
    form: Element,
    timestamp_row: Element,
    answer_l: HtmlInputElement,
    answer_c: HtmlInputElement,
    rules: Element,
    verdict: Element,
    back: Element,
    next: HtmlElement,
    score_line: Element,
    class_link: Element,
    tour_start: Element,
    tour_steps: Element,
    learn_score: Element,
    shown: Cell<Option<Shown>>,
    /// The lesson the URL last named: when it changes the URL follows.
    in_url: Cell<Option<InUrl>>,
    /// What the Learn tab last showed: progress and score.
    learn_shown: Cell<Option<(TourProgress, Score)>>,
    /// The tour's progress and the score, as kept (read once; this tab
    /// writes them).
    progress: Cell<TourProgress>,
    score: Cell<Score>,
}

impl LessonCard {
    /// Answers the current question and counts it in the kept score.
    fn answer(&self, answer: Answer) {
        if let Some(Some(right)) = with_app(|app| app.answer(&answer)) {
            let mut kept = self.score.get();
            kept.record(right);
            self.score.set(kept);
            let _ = storage::set(Store::Local, SCORE_KEY, &kept.to_text());
        }
    }

    pub(crate) fn find(document: &Document) -> Result<LessonCard, JsValue> {
        Ok(LessonCard {
            root: element(document, "lesson")?,
            kicker: element(document, "lesson-kicker")?,
            title: element(document, "lesson-title")?,
            text: element(document, "lesson-text")?,
            try_line: element(document, "lesson-try")?,
            try_mark: element(document, "lesson-try-mark")?,
            try_text: element(document, "lesson-try-text")?,
            changed: element(document, "lesson-changed")?,
            form: element(document, "lesson-form")?,
            timestamp_row: element(document, "answer-timestamp")?,
            answer_l: element(document, "answer-l")?,
            answer_c: element(document, "answer-c")?,
            rules: element(document, "answer-rules")?,
            verdict: element(document, "lesson-verdict")?,
            back: element(document, "lesson-back")?,
            next: element(document, "lesson-next")?,
            score_line: element(document, "lesson-score")?,
            class_link: element(document, "lesson-class-link")?,
            tour_start: element(document, "tour-start")?,
            tour_steps: element(document, "tour-steps")?,
            learn_score: element(document, "learn-score")?,
            shown: Cell::new(None),
            in_url: Cell::new(None),
            learn_shown: Cell::new(None),
            progress: Cell::new(kept_progress()),
            score: Cell::new(kept_score()),
        })
    }

    /// Brings the card, the URL, the kept progress and the Learn tab in line
    /// with the app.
    pub(crate) fn sync(&self, page: &Page) {
        // The tour notices a step's try as soon as any change makes it true.
        if let Ok(mut app) = page.app().try_borrow_mut() {
            app.note_progress();
        }
        let score = self.score.get();
        let Some(shown) = read_app_of(page, |app| shown_of(app, score)) else {
            return;
        };
        if self.shown.get() != Some(shown) {
            if let (Shown::Tour { number, done, .. }, None) = (&shown, page.embed()) {
                let mut progress = self.progress.get();
                progress.visit(*number, *done);
                self.progress.set(progress);
                let _ = storage::set(Store::Local, TOUR_KEY, &progress.to_text());
            }
            let _ = read_app_of(page, |app| self.render(page.document(), app, &shown));
            self.shown.set(Some(shown));
        }
        let in_url = shown.in_url();
        if self.in_url.get() != in_url {
            let left = self.in_url.get().is_some() && in_url.is_none();
            self.in_url.set(in_url);
            if page.embed().is_none() {
                show_in_url(page, in_url.map(InUrl::param).as_deref());
            }
            if left {
                // A tour step's edits were kept out of My scenarios while it
                // was open; now they are the person's work.
                // (Once the current event is handled: not from inside a sync.)
                page.persist_after(0);
            }
        }
        let learn = (self.progress.get(), self.score.get());
        if self.learn_shown.get() != Some(learn) {
            self.learn_shown.set(Some(learn));
            let _ = self.render_learn(page.document(), learn);
        }
    }

    fn render(&self, document: &Document, app: &App, shown: &Shown) -> Result<(), JsValue> {
        let Some(lesson) = app.lesson() else {
            set_hidden(&self.root, true);
            return set_body_class(document, false);
        };
        set_hidden(&self.root, false);
        set_body_class(document, true)?;
        match lesson {
            Lesson::Tour(at) => {
                let Some(step) = at.step() else { return Ok(()) };
                let Shown::Tour { edited, .. } = *shown else {
                    return Ok(());
                };
                self.kicker.set_text_content(Some(&format!(
                    "Tour · step {} of {}",
                    at.number,
                    tour::STEPS.len()
                )));
                self.title.set_text_content(Some(step.title));
                let mut text = step.lead.to_string();
                for claim in step.claims {
                    text.push(' ');
                    text.push_str(claim.text);
                }
                self.text.set_text_content(Some(&text));
                set_hidden(&self.try_line, false);
                self.try_line
                    .class_list()
                    .toggle_with_force("done", at.done)?;
                self.try_mark
                    .set_text_content(Some(if at.done { "✓" } else { "→" }));
                self.try_text.set_text_content(Some(&if at.done {
                    format!("Done: {}", step.try_it)
                } else {
                    format!("Try it: {}", step.try_it)
                }));
                set_hidden(&self.changed, !edited);
                set_hidden(&self.form, true);
                self.verdict.set_text_content(None);
                set_hidden(&self.back, false);
                self.back
                    .toggle_attribute_with_force("disabled", at.number <= 1)?;
                let last = at.number >= tour::STEPS.len();
                self.next
                    .set_text_content(Some(if last { "Finish ✓" } else { "Next →" }));
                set_hidden(&self.next, false);
                self.score_line.set_text_content(None);
                set_hidden(&self.class_link, true);
            }
            Lesson::Exercise(practice) => {
                let total = practice.questions.len();
                let focus = practice.in_focus();
                let number = match practice.verdict {
                    Some(_) => practice.answered,
                    None => practice.answered + 1,
                }
                .min(total.max(1));
                self.kicker.set_text_content(Some(&format!(
                    "Exercise {} · question {number} of {total}",
                    practice.exercise.code()
                )));
                let ask = focus.map(|q| q.ask);
                self.title.set_text_content(Some(match ask {
                    Some(Ask::Rule) => "Which branch of the rule fires?",
                    _ => "Predict the timestamp",
                }));
                let prompt = focus
                    .map(|q| q.prompt(app.scenario(), app.trace()))
                    .unwrap_or_else(|| "This execution has no event to ask about.".into());
                self.text.set_text_content(Some(&prompt));
                set_hidden(&self.try_line, true);
                set_hidden(&self.changed, true);
                let question = practice.current();
                set_hidden(&self.form, question.is_none());
                set_hidden(
                    &self.timestamp_row,
                    question.is_none_or(|q| q.ask != Ask::Timestamp),
                );
                clear(&self.rules);
                set_hidden(&self.rules, question.is_none_or(|q| q.ask != Ask::Rule));
                if let Some(q) = question.filter(|q| q.ask == Ask::Rule) {
                    for rule in q.choices(app.trace()) {
                        let button = make(document, "button")?;
                        button.set_attribute("type", "button")?;
                        button.set_attribute("data-rule", rule.code())?;
                        button.set_text_content(Some(rule.summary()));
                        self.rules.append_child(&button)?;
                    }
                }
                if question.is_some_and(|q| q.ask == Ask::Timestamp) {
                    self.answer_l.set_value("");
                    self.answer_c.set_value("");
                }
                match &practice.verdict {
                    Some(v) => {
                        self.verdict.set_text_content(Some(&v.text));
                        self.verdict
                            .set_class_name(if v.right { "right" } else { "wrong" });
                    }
                    None => {
                        self.verdict.set_text_content(None);
                        self.verdict.set_class_name("");
                    }
                }
                set_hidden(&self.back, true);
                let finished = practice.finished();
                set_hidden(&self.next, practice.verdict.is_none());
                self.next.set_text_content(Some(if finished {
                    "New exercise →"
                } else {
                    "Next question →"
                }));
                let Shown::Exercise { score, .. } = shown else {
                    return Ok(());
                };
                let kept = score.right.saturating_add(score.wrong);
                self.score_line.set_text_content(
                    if practice.answered == 0 {
                        None
                    } else {
                        Some(format!(
                            "{} of {} right here · {} of {kept} in this browser",
                            practice.right, practice.answered, score.right
                        ))
                    }
                    .as_deref(),
                );
                set_hidden(&self.class_link, false);
            }
        }
        Ok(())
    }

    fn render_learn(
        &self,
        document: &Document,
        (progress, score): (TourProgress, Score),
    ) -> Result<(), JsValue> {
        self.tour_start.set_text_content(Some(&if progress.at > 1 {
            format!("Resume the tour at step {}", progress.resume_at())
        } else {
            "Start the tour".to_string()
        }));
        clear(&self.tour_steps);
        for (i, step) in tour::STEPS.iter().enumerate() {
            let number = i + 1;
            let item = make(document, "li")?;
            let button = make(document, "button")?;
            button.set_attribute("type", "button")?;
            button.set_attribute("data-step", &number.to_string())?;
            button.set_text_content(Some(step.title));
            item.append_child(&button)?;
            if progress.did(number) {
                item.set_class_name("done");
                let mark = make(document, "span")?;
                mark.set_class_name("seen");
                mark.set_text_content(Some("✓ tried"));
                item.append_child(&mark)?;
            }
            self.tour_steps.append_child(&item)?;
        }
        let answered = score.right.saturating_add(score.wrong);
        self.learn_score.set_text_content(Some(&if answered == 0 {
            "Your score is kept in this browser.".to_string()
        } else {
            format!(
                "In this browser: {} of {answered} answers right.",
                score.right
            )
        }));
        Ok(())
    }
}

fn shown_of(app: &App, score: Score) -> Shown {
    match app.lesson() {
        None => Shown::Nothing,
        Some(Lesson::Tour(at)) => Shown::Tour {
            number: at.number,
            done: at.done,
            edited: app.revision() != at.opened_at,
        },
        Some(Lesson::Exercise(p)) => Shown::Exercise {
            exercise: p.exercise,
            answered: p.answered,
            verdict: p.verdict.as_ref().map(|v| v.right),
            right: p.right,
            score,
        },
    }
}

fn set_body_class(document: &Document, on: bool) -> Result<(), JsValue> {
    if let Some(body) = document.body() {
        body.class_list().toggle_with_force("lesson", on)?;
    }
    Ok(())
}

/// The tour's progress as this browser kept it.
fn kept_progress() -> TourProgress {
    storage::get(Store::Local, TOUR_KEY)
        .map(|t| TourProgress::from_text(&t))
        .unwrap_or_default()
}

/// The exercises' score as this browser kept it.
fn kept_score() -> Score {
    storage::get(Store::Local, SCORE_KEY)
        .map(|t| Score::from_text(&t))
        .unwrap_or_default()
}

/// Replaces the URL's lesson parameter (`tour`, `exercise`) with `param`,
/// keeping its other parameters and the scenario in its fragment.
fn show_in_url(page: &Page, param: Option<&str>) {
    let location = page.window().location();
    let search = location.search().unwrap_or_default();
    let mut params: Vec<&str> = embed::params(&search)
        .filter(|p| ![TOUR_PARAM, exercise::EXERCISE_PARAM].contains(&embed::name_of(p)))
        .collect();
    params.extend(param);
    let hash = location.hash().unwrap_or_default();
    let url = embed::join(
        &location.pathname().unwrap_or_default(),
        &params,
        hash.strip_prefix('#').unwrap_or(&hash),
    );
    if let Ok(history) = page.window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

impl Page {
    /// Opens tour step `number` beside the saved work.
    pub(crate) fn start_tour(&self, number: usize) {
        let name =
            tour::step(number).map_or_else(String::new, |s| format!("Tour {number}: {}", s.title));
        if let Err(why) = self.open_with(name, None, |app| app.open_tour_step(number)) {
            with_app(|app| app.notify(why));
        }
    }

    /// Opens `exercise` beside the saved work.
    pub(crate) fn start_exercise(&self, exercise: Exercise) {
        let name = format!("Exercise {}", exercise.code());
        if let Err(why) = self.open_with(name, None, |app| app.open_exercise(exercise)) {
            with_app(|app| app.notify(why));
        }
    }
}

/// A new exercise at `level`, with a seed short enough to read out.
fn new_exercise(level: Level) -> Exercise {
    Exercise {
        level,
        seed: (js_sys::Math::random() * NEW_SEED_BELOW).floor() as u64,
    }
}

/// Wires the card and the Learn tab, then opens what the URL asks for.
pub(crate) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    let document = page.document();
    on_click(page, "lesson-leave", |_| {
        with_app(App::leave_lesson);
    })?;
    on_click(page, "lesson-back", |page| {
        if let Some(n) = tour_number(page) {
            if n > 1 {
                page.start_tour(n - 1);
            }
        }
    })?;
    on_click(page, "lesson-next", |page| next(page))?;
    on_click(page, "lesson-reset", |page| {
        if let Some(n) = tour_number(page) {
            page.start_tour(n);
        }
    })?;
    on_click(page, "tour-start", |page| {
        page.start_tour(page.lesson.progress.get().resume_at());
    })?;
    on_click(page, "lesson-class-link", |page| {
        let code = read_app_of(page, |app| match app.lesson() {
            Some(Lesson::Exercise(p)) => Some(p.exercise.code()),
            _ => None,
        })
        .flatten();
        if let Some(code) = code {
            let link = format!(
                "{}?{}={code}",
                super::embed::base_url(page.window()),
                exercise::EXERCISE_PARAM
            );
            page.copy_to_clipboard("share-link", link, "Class link", None);
        }
    })?;
    // The step list and the level buttons: one listener each, reading the
    // button's data attribute.
    let steps: Element = element(document, "tour-steps")?;
    let weak = Rc::downgrade(page);
    page.listeners_on(steps.as_ref(), "click", move |event| {
        let number =
            target_closest(&event, "[data-step]").and_then(|b| data_index(&b, "data-step"));
        if let (Some(page), Some(n)) = (weak.upgrade(), number) {
            page.start_tour(n);
        }
    })?;
    let learn: Element = element(document, "pane-learn")?;
    let weak = Rc::downgrade(page);
    page.listeners_on(learn.as_ref(), "click", move |event| {
        let level = target_closest(&event, "[data-level]")
            .and_then(|b| b.get_attribute("data-level"))
            .and_then(|l| Level::from_id(&l));
        if let (Some(page), Some(level)) = (weak.upgrade(), level) {
            page.start_exercise(new_exercise(level));
        }
    })?;
    let rules: Element = element(document, "answer-rules")?;
    let weak = Rc::downgrade(page);
    page.listeners_on(rules.as_ref(), "click", move |event| {
        let rule = target_closest(&event, "[data-rule]")
            .and_then(|b| b.get_attribute("data-rule"))
            .and_then(|code| hlc::Rule::ALL.into_iter().find(|r| r.code() == code));
        if let (Some(page), Some(rule)) = (weak.upgrade(), rule) {
            page.lesson.answer(Answer::Rule(rule));
        }
    })?;
    let form: Element = element(document, "lesson-form")?;
    let weak = Rc::downgrade(page);
    page.listeners_on(form.as_ref(), "submit", move |event| {
        event.prevent_default();
        let Some(page) = weak.upgrade() else { return };
        let card = &page.lesson;
        match exercise::parse_timestamp(&card.answer_l.value(), &card.answer_c.value()) {
            Ok(ts) => card.answer(Answer::Timestamp(ts)),
            Err(why) => {
                card.verdict.set_text_content(Some(&why));
                card.verdict.set_class_name("wrong");
            }
        }
    })?;
    // The tour link in the header opens the tour here, without a reload (a
    // middle click still opens it in a new tab).
    let link: Element = element(document, "tour-link")?;
    let weak = Rc::downgrade(page);
    page.listeners_on(link.as_ref(), "click", move |event| {
        let plain = event
            .dyn_ref::<web_sys::MouseEvent>()
            .is_some_and(|m| m.button() == 0 && !m.ctrl_key() && !m.meta_key() && !m.shift_key());
        if let (true, Some(page)) = (plain, weak.upgrade()) {
            event.prevent_default();
            page.start_tour(page.lesson.progress.get().resume_at());
        }
    })?;
    open_requested(page);
    Ok(())
}

/// Opens the lesson the URL names (`?tour`, `?tour=N`, `?exercise=CODE`).
fn open_requested(page: &Page) {
    let search = page.window().location().search().unwrap_or_default();
    if let Some(request) = tour_request(&search) {
        let (number, problem) = match request {
            TourRequest::Resume => (page.lesson.progress.get().resume_at(), None),
            TourRequest::Step(n) => (n, None),
            TourRequest::Invalid(why) => (1, Some(why)),
        };
        if page.embed().is_some() {
            // An embed shows the step and saves nothing.
            with_app(|app| app.open_tour_step(number).map_err(|why| app.notify(why)));
        } else {
            page.start_tour(number);
        }
        if let Some(why) = problem {
            with_app(|app| app.notify(why));
        }
        return;
    }
    match exercise_request(&search) {
        Some(Ok(exercise)) if page.embed().is_none() => page.start_exercise(exercise),
        Some(Err(why)) => {
            with_app(|app| app.notify(format!("This exercise link could not be opened: {why}.")));
        }
        _ => {}
    }
}

fn tour_number(page: &Page) -> Option<usize> {
    read_app_of(page, |app| match app.lesson() {
        Some(Lesson::Tour(at)) => Some(at.number),
        _ => None,
    })
    .flatten()
}

/// Next in the tour (or finish it), or on in an exercise: the next question,
/// or a new exercise at the same level once every one is answered.
fn next(page: &Page) {
    let lesson = read_app_of(page, |app| app.lesson().cloned()).flatten();
    match lesson {
        Some(Lesson::Tour(at)) if at.number < tour::STEPS.len() => page.start_tour(at.number + 1),
        Some(Lesson::Tour(_)) => {
            with_app(|app| {
                app.leave_lesson();
                app.notify("That is the tour. This scenario stays open for you to edit; the Learn tab has exercises to try.");
            });
        }
        Some(Lesson::Exercise(p)) if p.finished() => {
            page.start_exercise(new_exercise(p.exercise.level));
        }
        Some(Lesson::Exercise(_)) => {
            with_app(App::next_question);
        }
        None => {}
    }
}
