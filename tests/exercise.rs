//! Exercises: the code, the generated execution of each level, the questions,
//! the answers and their checking, what stays hidden, and the stored score.

mod support;

use hlc::{Rule, Timestamp};
use hlcviz::exercise::{
    hidden, parse_timestamp, Answer, Ask, Exercise, Level, Question, Score, QUESTION_COUNT,
};
use hlcviz::scenario::{EventRef, Scenario};
use hlcviz::sim::{replay, EventKind, Trace};
use support::{local, message, scenario};

/// Seeds for the properties: the small ones people type, and the edges.
fn seeds() -> impl Iterator<Item = u64> {
    (0..300).chain([4242, 1 << 32, u64::MAX - 1, u64::MAX])
}

fn every_exercise() -> impl Iterator<Item = Exercise> {
    Level::ALL
        .into_iter()
        .flat_map(|level| seeds().map(move |seed| Exercise { level, seed }))
}

/// Every seed of one level, replayed.
fn level(level: Level) -> impl Iterator<Item = (String, Scenario, Trace)> {
    seeds().map(move |seed| {
        let e = Exercise { level, seed };
        let (s, trace) = replayed(&e);
        (e.code(), s, trace)
    })
}

fn replayed(exercise: &Exercise) -> (Scenario, Trace) {
    let scenario = exercise.scenario();
    let trace = replay(&scenario).unwrap_or_else(|e| panic!("{}: {e}", exercise.code()));
    (scenario, trace)
}

/// Runs `check` on every question of every exercise, with the exercise's
/// code, scenario and trace.
fn for_every_question(mut check: impl FnMut(&str, &Scenario, &Trace, &Question)) {
    for exercise in every_exercise() {
        let (s, trace) = replayed(&exercise);
        for q in exercise.questions(&trace) {
            check(&exercise.code(), &s, &trace, &q);
        }
    }
}

fn exercise(code: &str) -> Exercise {
    Exercise::from_code(code).unwrap_or_else(|e| panic!("{code}: {e}"))
}

// ---------------------------------------------------------------- scenarios

#[test]
fn every_level_and_seed_gives_a_small_valid_execution_spread_for_labels() {
    for exercise in every_exercise() {
        let code = exercise.code();
        let (s, trace) = replayed(&exercise);
        let names: Vec<&str> = s.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["A", "B", "C"], "{code}");
        assert!((4..=5).contains(&s.messages.len()), "{code}");
        assert!((2..=3).contains(&s.events.len()), "{code}");
        for node in 0..3 {
            let times: Vec<i64> = trace
                .node_events(node)
                .iter()
                .map(|&e| trace.events()[e].real_ms)
                .collect();
            for pair in times.windows(2) {
                assert!(pair[1] - pair[0] >= 25, "{code}: node {node} at {times:?}");
            }
        }
        // Clocks never read below zero, so nobody reasons about a negative l.
        assert!(trace.events().iter().all(|e| e.pt() > 0), "{code}");
    }
}

#[test]
fn the_same_code_gives_the_same_execution_and_questions() {
    for code in ["easy-0", "medium-4242", "hard-18446744073709551615"] {
        let (first, second) = (exercise(code), exercise(code));
        let (s1, t1) = replayed(&first);
        let (s2, t2) = replayed(&second);
        assert_eq!(s1, s2, "{code}");
        assert_eq!(first.questions(&t1), second.questions(&t2), "{code}");
    }
    assert_ne!(
        exercise("medium-1").scenario(),
        exercise("medium-2").scenario()
    );
}

#[test]
fn easy_clocks_agree_with_real_time() {
    for (code, s, trace) in level(Level::Easy) {
        assert!(
            s.nodes
                .iter()
                .all(|n| n.skew_ms == 0 && n.drift_ppm == 0 && n.steps.is_empty()),
            "{code}"
        );
        assert_eq!(s.settings.max_offset_ms, None);
        // Then every timestamp is (pt, 0): the first level is the rule's base case.
        for event in trace.events() {
            assert_eq!(event.hlc(), Timestamp::new(event.pt(), 0), "{code}");
        }
    }
}

#[test]
fn medium_clocks_are_skewed_in_tens_and_the_execution_has_a_subtle_branch() {
    for (code, s, trace) in level(Level::Medium) {
        for node in &s.nodes {
            assert!(node.skew_ms % 10 == 0 && node.skew_ms.abs() <= 150);
            assert!(node.drift_ppm == 0 && node.steps.is_empty());
        }
        assert_eq!(s.settings.max_offset_ms, None);
        assert!(
            trace
                .events()
                .iter()
                .any(|e| matches!(e.tick.rule, Rule::RecvMessageAhead | Rule::LogicalHeld)),
            "{code}"
        );
    }
}

#[test]
fn hard_has_drift_a_step_back_and_a_bound_that_refuses_a_message() {
    for (code, s, trace) in level(Level::Hard) {
        let drifting: Vec<i64> = s
            .nodes
            .iter()
            .map(|n| n.drift_ppm)
            .filter(|&d| d != 0)
            .collect();
        assert_eq!(drifting.len(), 1, "{code}");
        assert!(drifting[0].abs() >= 10_000, "{code}: drift must show");
        let steps: Vec<_> = s.nodes.iter().flat_map(|n| n.steps.iter()).collect();
        assert_eq!(steps.len(), 1, "{code}");
        assert!(steps[0].by_ms < 0, "{code}");
        let bound = s.settings.max_offset_ms.unwrap_or_else(|| panic!("{code}"));
        assert!(bound > 0 && bound % 10 == 0, "{code}: bound {bound}");
        assert!(
            trace.events().iter().any(|e| e.rejection.is_some()),
            "{code}"
        );
    }
}

// ---------------------------------------------------------------- questions

#[test]
fn three_distinct_questions_in_trace_order_never_on_the_first_event() {
    for exercise in every_exercise() {
        let code = exercise.code();
        let (_, trace) = replayed(&exercise);
        let questions = exercise.questions(&trace);
        assert_eq!(questions.len(), QUESTION_COUNT, "{code}");
        assert!(questions[0].event > 0, "{code}");
        assert!(
            questions.windows(2).all(|q| q[0].event < q[1].event),
            "{code}: {questions:?}"
        );
        let rules = questions.iter().filter(|q| q.ask == Ask::Rule).count();
        assert!(rules <= 1, "{code}");
        for q in &questions {
            let event = &trace.events()[q.event];
            if event.rejection.is_some() {
                assert_eq!(
                    q.ask,
                    Ask::Timestamp,
                    "{code}: a refusal is asked as a timestamp"
                );
            }
        }
        if exercise.level == Level::Hard {
            assert!(
                questions
                    .iter()
                    .any(|q| trace.events()[q.event].rejection.is_some()),
                "{code}: the hard level asks about a refused message"
            );
        }
    }
}

#[test]
fn the_middle_question_asks_for_the_branch() {
    let e = exercise("medium-4242");
    let (_, trace) = replayed(&e);
    let asks: Vec<Ask> = e.questions(&trace).iter().map(|q| q.ask).collect();
    assert_eq!(asks, [Ask::Timestamp, Ask::Rule, Ask::Timestamp]);
}

#[test]
fn a_trace_with_few_events_gets_fewer_questions() {
    let s = scenario(
        vec![support::skewed("A", 0), support::skewed("B", 0)],
        vec![local(0, 10)],
        vec![message(0, 20, 1, 40)],
    );
    let trace = replay(&s).unwrap();
    let questions = exercise("easy-1").questions(&trace);
    let events: Vec<usize> = questions.iter().map(|q| q.event).collect();
    assert_eq!(events, [1, 2]);
    let one = replay(&scenario(
        vec![support::skewed("A", 0)],
        vec![local(0, 10)],
        vec![],
    ))
    .unwrap();
    assert!(exercise("easy-1").questions(&one).is_empty());
}

#[test]
fn check_accepts_the_right_answer_and_rejects_a_wrong_one() {
    for_every_question(|code, _, trace, q| {
        let right = q.right_answer(trace);
        assert!(q.check(trace, &right), "{code}");
        let wrong = match right {
            Answer::Timestamp(ts) => Answer::Timestamp(Timestamp::new(ts.l, ts.c + 1)),
            Answer::Rule(rule) => {
                let choices = q.choices(trace);
                assert!(choices.contains(&rule), "{code}: {rule:?} not offered");
                let other = choices.into_iter().find(|&r| r != rule).unwrap();
                Answer::Rule(other)
            }
        };
        assert!(!q.check(trace, &wrong), "{code}");
        // An answer of the other kind is never right.
        let other_kind = match right {
            Answer::Timestamp(_) => Answer::Rule(Rule::PhysicalAhead),
            Answer::Rule(_) => Answer::Timestamp(trace.events()[q.event].hlc()),
        };
        assert!(!q.check(trace, &other_kind), "{code}");
    });
}

#[test]
fn choices_are_the_branches_of_the_events_kind_in_a_fixed_order() {
    let (_, trace) = replayed(&exercise("hard-3"));
    let ask = |event| Question {
        event,
        ask: Ask::Rule,
    };
    let local = [Rule::PhysicalAhead, Rule::LogicalHeld];
    let receive = [
        Rule::RecvPhysicalAhead,
        Rule::RecvLocalAhead,
        Rule::RecvMessageAhead,
        Rule::RecvTie,
    ];
    assert_eq!(trace.events()[0].kind(), EventKind::Local);
    assert_eq!(ask(0).choices(&trace), local);
    assert_eq!(trace.events()[1].kind(), EventKind::Send);
    assert_eq!(ask(1).choices(&trace), local);
    assert_eq!(ask(6).choices(&trace), receive);
    // m2's receive is refused: the clock counts it as a local event.
    assert!(trace.events()[10].rejection.is_some());
    assert_eq!(ask(10).choices(&trace), local);
    assert!(ask(99).choices(&trace).is_empty());
}

#[test]
fn the_explanation_gives_the_answer_then_the_tooltips_sentence() {
    for_every_question(|code, _, trace, q| {
        let event = &trace.events()[q.event];
        let text = q.explanation(trace);
        let lead = match q.ask {
            Ask::Timestamp => format!("The answer is {}. ", event.hlc()),
            Ask::Rule => format!("The answer is: {}. ", event.tick.rule.summary()),
        };
        assert_eq!(text, lead + &event.explain(), "{code}");
        assert!(text.contains(&event.tick.explain()));
    });
}

#[test]
fn the_prompt_names_the_event_and_pt_but_never_a_refusal() {
    for_every_question(|_, s, trace, q| {
        let event = &trace.events()[q.event];
        let prompt = q.prompt(s, trace);
        let node = &s.nodes[event.node].name;
        let what = match event.source {
            EventRef::Local(i) => format!("{node} has local event e{i}. "),
            EventRef::Send(i) => {
                format!("{node} sends m{i} to {}. ", s.nodes[s.messages[i].to].name)
            }
            EventRef::Recv(i) => format!(
                "{node} receives m{i} from {}. ",
                s.nodes[s.messages[i].from].name
            ),
        };
        assert!(prompt.starts_with(&what), "{prompt}");
        assert!(
            prompt.contains(&format!("{node}'s clock reads pt = {} ms.", event.pt())),
            "{prompt}"
        );
        let ask = match q.ask {
            Ask::Timestamp => "What is its HLC timestamp (l, c)?",
            Ask::Rule => "Which branch of the rule fires?",
        };
        assert!(prompt.ends_with(ask), "{prompt}");
        for giveaway in ["reject", "refus", "offset"] {
            assert!(!prompt.contains(giveaway), "{prompt}");
        }
    });
}

#[test]
fn a_question_on_an_event_the_trace_lacks_is_never_right() {
    let (s, trace) = replayed(&exercise("easy-1"));
    let stray = Question {
        event: 1_000,
        ask: Ask::Timestamp,
    };
    assert_eq!(
        stray.right_answer(&trace),
        Answer::Timestamp(Timestamp::MIN)
    );
    assert!(!stray.check(&trace, &stray.right_answer(&trace)));
    assert!(stray.prompt(&s, &trace).contains("not in this execution"));
    assert!(stray.explanation(&trace).contains("not in this execution"));
}

// ---------------------------------------------------------------- hidden labels

/// Three nodes on synchronised clocks:
///
/// | trace | event       | causal future (without itself) |
/// |-------|-------------|--------------------------------|
/// | 0     | A e0 at 10  | 1, 3, 5, 6                     |
/// | 1     | A send m0   | 3, 5, 6 (A recv m1; B via m0)  |
/// | 2     | C e1 at 30  | 4, 6                           |
/// | 3     | B recv m0   | 5                              |
/// | 4     | C send m1   | 6                              |
/// | 5     | B e2 at 60  | -                              |
/// | 6     | A recv m1   | -                              |
fn small_trace() -> Trace {
    let s = scenario(
        ["A", "B", "C"]
            .into_iter()
            .map(|n| support::skewed(n, 0))
            .collect(),
        vec![local(0, 10), local(2, 30), local(1, 60)],
        vec![message(0, 20, 1, 40), message(2, 50, 0, 70)],
    );
    replay(&s).unwrap()
}

#[test]
fn hidden_is_the_causal_future_of_the_open_questions() {
    let trace = small_trace();
    let at = |event| Question {
        event,
        ask: Ask::Timestamp,
    };
    let questions = [at(1), at(2), at(5)];
    let shown_as = |answered| -> Vec<usize> {
        let hidden = hidden(&trace, &questions, answered);
        assert_eq!(hidden.len(), 7);
        (0..7).filter(|&i| hidden[i]).collect()
    };
    // {1, 3, 5, 6} | {2, 4, 6} | {5}
    assert_eq!(shown_as(0), [1, 2, 3, 4, 5, 6]);
    // {2, 4, 6} | {5}
    assert_eq!(shown_as(1), [2, 4, 5, 6]);
    assert_eq!(shown_as(2), [5]);
    assert!(shown_as(3).is_empty());
    assert!(shown_as(usize::MAX).is_empty());
    // A question on an event the trace lacks hides nothing.
    assert_eq!(hidden(&trace, &[at(70)], 0), [false; 7]);
}

#[test]
fn nothing_is_hidden_once_every_question_is_answered() {
    for exercise in every_exercise() {
        let (_, trace) = replayed(&exercise);
        let questions = exercise.questions(&trace);
        let before = hidden(&trace, &questions, 0);
        for q in &questions {
            assert!(before[q.event]);
            // The event's past stays visible: the person reads it off the diagram.
            assert!(!before[0]);
        }
        assert!(!hidden(&trace, &questions, questions.len()).contains(&true));
    }
}

// ---------------------------------------------------------------- codes

#[test]
fn codes_round_trip() {
    for exercise in every_exercise() {
        assert_eq!(Exercise::from_code(&exercise.code()), Ok(exercise));
    }
    assert_eq!(
        Exercise::from_code("hard-18446744073709551615"),
        Ok(Exercise {
            level: Level::Hard,
            seed: u64::MAX
        })
    );
    // Forgiven: spaces around the code and the level's case, leading zeros.
    assert_eq!(exercise(" Medium-007 ").code(), "medium-7");
}

#[test]
fn every_bad_code_says_what_is_wrong() {
    let err = |code: &str| Exercise::from_code(code).unwrap_err();
    assert_eq!(
        err(""),
        "the exercise code is empty: write a level and a seed, like medium-4242"
    );
    assert_eq!(err("   "), err(""));
    assert_eq!(
        err("extreme-4"),
        "'extreme' is not a level: use easy, medium or hard"
    );
    assert_eq!(err("-4"), "'' is not a level: use easy, medium or hard");
    assert_eq!(
        err("easy"),
        "'easy' has no seed: add a dash and a number, like easy-42"
    );
    assert_eq!(
        err("banana"),
        "'banana' is not an exercise code: write a level and a seed, like medium-4242"
    );
    assert_eq!(
        err("easy-"),
        "'easy-' has no seed: add a number after the dash, like easy-42"
    );
    assert_eq!(
        err("hard-x1"),
        "'x1' is not a seed: use a whole number from 0 to 18446744073709551615"
    );
    assert_eq!(
        err("hard--1"),
        "'-1' is not a seed: use a whole number from 0 to 18446744073709551615"
    );
    assert_eq!(
        err("medium-42abc"),
        "unexpected 'abc' after the seed 42: a code is a level, a dash and a number, like medium-4242"
    );
    assert_eq!(
        err("medium-42-7"),
        "unexpected '-7' after the seed 42: a code is a level, a dash and a number, like medium-4242"
    );
    assert_eq!(
        err("hard-18446744073709551616"),
        "the seed 18446744073709551616 is too big: the largest is 18446744073709551615"
    );
}

#[test]
fn hostile_codes_are_refused_in_one_short_line() {
    let long_digits = format!("easy-{}", "9".repeat(100_000));
    let long_level = format!("{}-1", "x".repeat(100_000));
    let long_junk = format!("easy-1{}", "é".repeat(100_000));
    let control = "easy-1\n\u{0}<script>";
    let only_dashes = "-".repeat(50);
    for code in [
        long_digits.as_str(),
        &long_level,
        &long_junk,
        control,
        &only_dashes,
        "ｅａｓｙ-１",
        "easy-１",
        "🦀-🦀",
    ] {
        let message = Exercise::from_code(code).unwrap_err();
        assert!(message.chars().count() < 200, "{message}");
        assert!(!message.chars().any(char::is_control), "{message:?}");
    }
    let message = Exercise::from_code(&long_digits).unwrap_err();
    assert!(
        message.contains(&format!("{}…", "9".repeat(40))),
        "{message}"
    );
}

// ---------------------------------------------------------------- typed answers

#[test]
fn typed_timestamps_parse_with_spaces_signs_and_the_full_range() {
    assert_eq!(parse_timestamp("412", "0"), Ok(Timestamp::new(412, 0)));
    assert_eq!(
        parse_timestamp("  412\t", " 3 "),
        Ok(Timestamp::new(412, 3))
    );
    assert_eq!(parse_timestamp("-40", "+2"), Ok(Timestamp::new(-40, 2)));
    assert_eq!(
        parse_timestamp("9223372036854775807", "4294967295"),
        Ok(Timestamp::new(i64::MAX, u32::MAX))
    );
    assert_eq!(
        parse_timestamp("-9223372036854775808", "0"),
        Ok(Timestamp::new(i64::MIN, 0))
    );
}

#[test]
fn typed_timestamps_that_are_not_say_why() {
    let err = |l: &str, c: &str| parse_timestamp(l, c).unwrap_err();
    assert_eq!(err("", "0"), "l is empty: type a whole number");
    assert_eq!(err("412", "  "), "c is empty: type a whole number");
    assert_eq!(
        err("4l2", "0"),
        "'4l2' is not a whole number: type l in digits"
    );
    assert_eq!(
        err("412", "one"),
        "'one' is not a whole number: type c in digits"
    );
    assert_eq!(
        err("41.2", "0"),
        "'41.2' is not a whole number: type l in digits"
    );
    assert_eq!(
        err("412", "-1"),
        "c cannot be negative: it counts up from 0"
    );
    assert_eq!(
        err("9223372036854775808", "0"),
        "l = 9223372036854775808 is too big: the largest is 9223372036854775807"
    );
    assert_eq!(
        err("-9223372036854775809", "0"),
        "l = -9223372036854775809 is too small: the smallest is -9223372036854775808"
    );
    assert_eq!(
        err("1", "4294967296"),
        "c = 4294967296 is too big: the largest is 4294967295"
    );
    // Past even i128: still "too big", echoed short.
    let huge = "9".repeat(100_000);
    let message = err(&huge, "0");
    assert!(
        message.starts_with("l = 9999")
            && message.ends_with("is too big: the largest is 9223372036854775807")
    );
    assert!(message.chars().count() < 120, "{message}");
    assert_eq!(
        err(&format!("-{huge}"), "0").chars().count(),
        message.chars().count() + 4,
        "too small, the same shape"
    );
    for hostile in ["\u{0}", "(412, 0)", "٤١٢", "1e3", "0x10", "--1", "+", "-"] {
        assert!(parse_timestamp(hostile, "0").is_err(), "{hostile:?}");
    }
}

// ---------------------------------------------------------------- score

#[test]
fn the_score_counts_and_survives_storage() {
    let mut score = Score::default();
    score.record(true);
    score.record(true);
    score.record(false);
    assert_eq!(score, Score { right: 2, wrong: 1 });
    assert_eq!(Score::from_text(&score.to_text()), score);
    let full = Score {
        right: u32::MAX,
        wrong: u32::MAX,
    };
    let mut still_full = full;
    still_full.record(true);
    still_full.record(false);
    assert_eq!(still_full, full, "saturates, never wraps");
    assert_eq!(Score::from_text(&full.to_text()), full);
}

#[test]
fn a_garbled_stored_score_is_a_fresh_one() {
    for garbage in [
        "",
        "7",
        "7,",
        ",2",
        "a,b",
        "7,2,1",
        "-1,2",
        "4294967296,0",
        "null",
        "{\"right\":7}",
        "\u{0},\u{0}",
    ] {
        assert_eq!(Score::from_text(garbage), Score::default(), "{garbage:?}");
    }
    assert_eq!(Score::from_text(&"9".repeat(1 << 20)), Score::default());
    assert_eq!(Score::from_text(" 7 , 2 "), Score { right: 7, wrong: 2 });
}

// ---------------------------------------------------------------- worked by hand

/// `hard-3`, worked by hand. A: skew −100, stepped back 60 ms at real 365.
/// B: skew +30. C: skew +100, drift −20 000 ppm (pt loses 2 ms per 100 of
/// real time, rounded down). Max offset 70 ms.
///
/// | #  | event       | real | pt                                  | HLC      | branch          |
/// |----|-------------|------|-------------------------------------|----------|-----------------|
/// | 0  | B e0        | 200  | 230                                 | (230, 0) | physical ahead  |
/// | 1  | A send m0   | 205  | 105                                 | (105, 0) | physical ahead  |
/// | 2  | B send m1   | 250  | 280                                 | (280, 0) | physical ahead  |
/// | 3  | C recv m0   | 270  | 270 + 100 − 6 = 364 (beats l_m 105) | (364, 0) | recv physical   |
/// | 4  | B send m2   | 295  | 325                                 | (325, 0) | physical ahead  |
/// | 5  | C send m3   | 315  | 315 + 100 − 7 = 408                 | (408, 0) | physical ahead  |
/// | 6? | A recv m1   | 325  | 225; l_m 280 is 55 ahead, ≤ 70: ok; 280 beats l 105 | (280, 1) | message ahead |
/// | 7  | C e1        | 345  | 345 + 100 − 7 = 438                 | (438, 0) | physical ahead  |
/// | 8? | A e2        | 370  | 370 − 100 − 60 = 210 ≤ l 280        | (280, 2) | logical held    |
/// | 9  | B recv m3   | 395  | 425 (beats l 325 and l_m 408)       | (425, 0) | recv physical   |
/// | 10?| A recv m2   | 405  | 405 − 100 − 60 = 245; l_m 325 is 80 ahead, > 70: refused, so a local event; 245 ≤ l 280 | (280, 3) | logical held |
///
/// The bound: without one, m2 runs furthest ahead of its receiver (80 ms),
/// and the bound is the tens just below, 70. The step back is what refuses
/// it: without it A would read 305 and m2 would be only 20 ahead.
/// The questions (`?`): 6 for its timestamp, 8 for its branch, 10 for its
/// timestamp; 8 and 10 are A's later events, so at the start 6, 8 and 10
/// are hidden and the rest is shown.
#[test]
fn hard_3_worked_by_hand() {
    let e = exercise("hard-3");
    let (s, trace) = replayed(&e);
    println!("{}", s.to_json());
    assert_eq!(
        s.nodes.iter().map(|n| n.skew_ms).collect::<Vec<_>>(),
        [-100, 30, 100]
    );
    assert_eq!(s.nodes[2].drift_ppm, -20_000);
    assert_eq!(
        (s.nodes[0].steps[0].at_ms, s.nodes[0].steps[0].by_ms),
        (365, -60)
    );
    assert_eq!(s.settings.max_offset_ms, Some(70));

    // (real, pt, l, c, branch)
    let by_hand: [(i64, i64, i64, u32, Rule); 11] = [
        (200, 230, 230, 0, Rule::PhysicalAhead),
        (205, 105, 105, 0, Rule::PhysicalAhead),
        (250, 280, 280, 0, Rule::PhysicalAhead),
        (270, 364, 364, 0, Rule::RecvPhysicalAhead),
        (295, 325, 325, 0, Rule::PhysicalAhead),
        (315, 408, 408, 0, Rule::PhysicalAhead),
        (325, 225, 280, 1, Rule::RecvMessageAhead),
        (345, 438, 438, 0, Rule::PhysicalAhead),
        (370, 210, 280, 2, Rule::LogicalHeld),
        (395, 425, 425, 0, Rule::RecvPhysicalAhead),
        (405, 245, 280, 3, Rule::LogicalHeld),
    ];
    assert_eq!(trace.events().len(), by_hand.len());
    for (i, (event, &(real, pt, l, c, rule))) in trace.events().iter().zip(&by_hand).enumerate() {
        assert_eq!(
            (event.real_ms, event.pt(), event.hlc(), event.tick.rule),
            (real, pt, Timestamp::new(l, c), rule),
            "event {i}"
        );
    }
    let refused: Vec<usize> = (0..11)
        .filter(|&i| trace.events()[i].rejection.is_some())
        .collect();
    assert_eq!(refused, [10]);

    let questions = e.questions(&trace);
    let at = |event, ask| Question { event, ask };
    assert_eq!(
        questions,
        [
            at(6, Ask::Timestamp),
            at(8, Ask::Rule),
            at(10, Ask::Timestamp)
        ]
    );
    let prompts: Vec<String> = questions.iter().map(|q| q.prompt(&s, &trace)).collect();
    assert_eq!(
        prompts,
        [
            "A receives m1 from B. A's clock reads pt = 225 ms. What is its HLC timestamp (l, c)?",
            "A has local event e2. A's clock reads pt = 210 ms. Which branch of the rule fires?",
            "A receives m2 from B. A's clock reads pt = 245 ms. What is its HLC timestamp (l, c)?",
        ]
    );
    assert!(questions[0].check(&trace, &Answer::Timestamp(Timestamp::new(280, 1))));
    assert!(questions[1].check(&trace, &Answer::Rule(Rule::LogicalHeld)));
    // The trap: taking m2's l_m as if it were accepted.
    assert!(!questions[2].check(&trace, &Answer::Timestamp(Timestamp::new(325, 1))));
    assert!(questions[2].check(&trace, &Answer::Timestamp(Timestamp::new(280, 3))));
    assert_eq!(
        questions[2].explanation(&trace),
        "The answer is (280, 3). Message rejected: remote time l_m = 325 is 80 ahead of the \
         local clock pt = 245, more than the max offset 70. The clock ignores it and counts \
         the refusal as a local event: Physical time pt = 245 is not ahead of the clock's \
         l = 280, so l stays and c = 2 + 1 = 3."
    );
    let hidden_at = |answered| -> Vec<usize> {
        hidden(&trace, &questions, answered)
            .iter()
            .enumerate()
            .filter_map(|(i, &h)| h.then_some(i))
            .collect()
    };
    assert_eq!(hidden_at(0), [6, 8, 10]);
    assert_eq!(hidden_at(1), [8, 10]);
    assert_eq!(hidden_at(2), [10]);
    assert!(hidden_at(3).is_empty());
}

/// One prompt per level, printed for the report (`--nocapture`).
#[test]
fn an_example_prompt_per_level() {
    for code in ["easy-42", "medium-42", "hard-42"] {
        let e = exercise(code);
        let (s, trace) = replayed(&e);
        for q in e.questions(&trace) {
            println!("{code}: {}", q.prompt(&s, &trace));
        }
    }
}
