//! Lessons in the app: a tour step opens its scenario, clock, snapshot and
//! marks and notices its try; an exercise hides what would give its answers
//! away, locks edits, checks answers and reveals as it goes; leaving keeps the
//! scenario; opening anything else ends the lesson.

mod support;

use hlc::Timestamp;
use hlcviz::app::{App, Edit, Lesson, TourProgress, HIDDEN_LABEL};
use hlcviz::exercise::{Answer, Ask, Exercise, Level};
use hlcviz::scenario::Scenario;
use hlcviz::tour::{self, STEPS};
use support::{fitted, key};

fn app() -> App {
    fitted(Scenario::with_nodes(&["A", "B"]), 1000.0, 500.0)
}

fn escape(app: &mut App) -> bool {
    app.key(&key("Escape"))
}

#[test]
fn a_tour_step_opens_its_scenario_clock_snapshot_and_marks() {
    for (i, step) in STEPS.iter().enumerate() {
        let mut app = app();
        app.open_tour_step(i + 1).unwrap();
        assert_eq!(app.scenario(), &step.scenario(), "{}", step.id);
        assert_eq!(app.clock_view(), step.clock_view, "{}", step.id);
        assert_eq!(
            app.snapshot().map(|s| s.theta),
            step.snapshot,
            "{}",
            step.id
        );
        let marks = app.lesson_marks();
        assert_eq!(
            marks.events.len() + marks.nodes.len(),
            step.marks.len(),
            "{}: every mark is on the diagram",
            step.id
        );
        assert!(!app.note_progress(), "{}: nothing tried yet", step.id);
        assert!(matches!(app.lesson(), Some(Lesson::Tour(t)) if t.number == i + 1 && !t.done));
    }
    assert!(app().open_tour_step(0).is_err());
    assert!(app().open_tour_step(STEPS.len() + 1).is_err());
}

#[test]
fn escape_leaves_the_tour_and_the_scenario_stays_editable() {
    let mut app = app();
    app.open_tour_step(1).unwrap();
    let scenario = app.scenario().clone();
    assert!(escape(&mut app));
    assert!(app.lesson().is_none());
    assert_eq!(app.scenario(), &scenario);
    assert!(app
        .apply(Edit::SetSkew {
            node: 0,
            skew_ms: 42
        })
        .is_ok());
}

#[test]
fn opening_another_scenario_ends_the_lesson() {
    let mut app = app();
    app.open_tour_step(2).unwrap();
    app.open(Scenario::with_nodes(&["X"]), None).unwrap();
    assert!(app.lesson().is_none());
}

#[test]
fn a_tour_step_stays_open_while_it_is_edited_and_its_try_stays_done() {
    let mut app = app();
    app.open_tour_step(1).unwrap();
    app.apply(Edit::SetSkew {
        node: 0,
        skew_ms: 7,
    })
    .unwrap();
    assert!(matches!(app.lesson(), Some(Lesson::Tour(t)) if t.opened_at != app.revision()));
}

fn exercise(level: Level) -> App {
    let mut app = app();
    app.open_exercise(Exercise { level, seed: 4242 }).unwrap();
    app
}

fn practice(app: &App) -> hlcviz::app::Practice {
    match app.lesson() {
        Some(Lesson::Exercise(p)) => p.clone(),
        other => panic!("no exercise open: {other:?}"),
    }
}

#[test]
fn an_exercise_hides_its_questions_and_their_future_and_reveals_as_answered() {
    for level in Level::ALL {
        let mut app = exercise(level);
        let p = practice(&app);
        assert_eq!(p.questions.len(), 3, "{level:?}");
        for q in &p.questions {
            assert!(app.hides(q.event));
            assert_eq!(app.label(q.event), HIDDEN_LABEL);
            let words = app.describe(q.event).join("\n");
            let ts = app.trace().events()[q.event].hlc().to_string();
            assert!(!words.contains(&ts), "the tooltip gives {ts} away: {words}");
        }
        for k in 0..p.questions.len() {
            let q = practice(&app).questions[k];
            let right = q.right_answer(app.trace());
            assert_eq!(app.answer(&right), Some(true));
            assert!(!app.hides(q.event), "answered, so shown");
            assert!(practice(&app).verdict.as_ref().is_some_and(|v| v.right));
            assert_eq!(
                app.answer(&right),
                None,
                "no question waits under a verdict"
            );
            app.next_question();
        }
        let p = practice(&app);
        assert!(p.finished());
        assert_eq!(p.right, 3);
        assert!((0..app.trace().events().len()).all(|i| !app.hides(i)));
    }
}

#[test]
fn a_wrong_answer_gets_the_right_one_in_the_tooltips_words() {
    let mut app = exercise(Level::Medium);
    let q = practice(&app).questions[0];
    let wrong = match q.ask {
        Ask::Timestamp => {
            let ts = app.trace().events()[q.event].hlc();
            Answer::Timestamp(Timestamp::new(ts.l + 1, ts.c))
        }
        Ask::Rule => {
            let right = app.trace().events()[q.event].tick.rule;
            let other = q.choices(app.trace()).into_iter().find(|r| *r != right);
            Answer::Rule(other.unwrap())
        }
    };
    assert_eq!(app.answer(&wrong), Some(false));
    let verdict = practice(&app).verdict.unwrap();
    assert!(!verdict.right);
    let why = app.trace().events()[q.event].explain();
    assert!(verdict.text.contains(&why), "{} lacks {why}", verdict.text);
    assert_eq!(practice(&app).right, 0);
}

#[test]
fn an_exercise_locks_edits_undo_and_the_table_but_not_looking() {
    let mut app = exercise(Level::Easy);
    let before = app.scenario().clone();
    assert!(app
        .apply(Edit::SetSkew {
            node: 0,
            skew_ms: 5
        })
        .is_err());
    assert!(!app.undo());
    app.set_table_shown(true);
    assert!(!app.table_shown());
    app.key(&key("t"));
    assert!(!app.table_shown(), "nor by its key");
    assert!(app.read_only() || app.affordance().id() != "lane");
    app.select_index(Some(0));
    assert_eq!(app.selected_index(), Some(0), "selecting still works");
    assert_eq!(app.scenario(), &before);
    app.leave_lesson();
    assert!(app
        .apply(Edit::SetSkew {
            node: 0,
            skew_ms: 5
        })
        .is_ok());
}

#[test]
fn the_same_code_gives_the_same_exercise() {
    let a = exercise(Level::Hard);
    let b = exercise(Level::Hard);
    assert_eq!(a.scenario(), b.scenario());
    assert_eq!(practice(&a).questions, practice(&b).questions);
}

#[test]
fn tour_progress_remembers_the_step_and_what_was_tried() {
    let mut p = TourProgress::default();
    assert_eq!(p.resume_at(), 1);
    p.visit(3, false);
    p.visit(4, true);
    assert_eq!(p.resume_at(), 4);
    assert!(p.did(4) && !p.did(3));
    assert_eq!(TourProgress::from_text(&p.to_text()), p);
    for junk in ["", "x", "1 2 3", "-1 0", "99999999999999999999999 1"] {
        assert_eq!(
            TourProgress::from_text(junk),
            TourProgress::default(),
            "{junk}"
        );
    }
    p.visit(STEPS.len() + 5, false);
    assert_eq!(
        p.resume_at(),
        1,
        "a step that no longer exists restarts the tour"
    );
    assert!(tour::step(1).is_some());
}
