//! Every label on the diagram is legible: over every preset and seeded random
//! scenarios, at a laptop's, a desktop's and a phone's canvas size, in the
//! normal view and in presentation mode, with nothing, an event selected, and
//! an event selected and another hovered, no text box overlaps another or an
//! event dot or an arrowhead; every text is at least 12 px and reaches 4.5:1
//! contrast on what it is drawn on.
//!
//! Text boxes come from `labels::text_box`, the extent the placer itself uses;
//! `tests/e2e/labels.test.mjs` checks in Chromium that it is never narrower
//! than `measureText`. Run with `-- --nocapture` to see the summary line.

use hlcviz::app::App;
use hlcviz::exercise::{Exercise, Level};
use hlcviz::generate::random_scenario;
use hlcviz::labels::{self, Anchor, Rect};
use hlcviz::layout::{Hit, EVENT_PICK_RADIUS};
use hlcviz::presets::{DEFAULT_JSON, PRESETS};
use hlcviz::scenario::Scenario;
use hlcviz::scene::{self, arrow_shape, palette, Align, Draw, LabelReport, Style};

/// Canvas sizes of a 1280 x 800 window, a 1920 x 1080 one and a 390 x 844 phone.
const SIZES: [(f64, f64); 3] = [(1240.0, 640.0), (1880.0, 920.0), (374.0, 600.0)];

/// Every scenario the checks run over: the presets (with their snapshot),
/// the default, and seeded random ones from sparse to crowded.
fn scenarios() -> Vec<(String, Scenario, Option<hlc::Timestamp>)> {
    let mut out: Vec<_> = PRESETS
        .iter()
        .map(|p| (p.id.to_string(), p.scenario(), p.snapshot))
        .collect();
    let default = Scenario::from_json(DEFAULT_JSON).expect("the default loads");
    out.push(("default".into(), default, None));
    for seed in 0..4 {
        out.push((
            format!("random 3/10/10 seed {seed}"),
            random_scenario(3, 10, 10, seed),
            None,
        ));
        out.push((
            format!("random 6/60/40 seed {seed}"),
            random_scenario(6, 60, 40, seed),
            None,
        ));
    }
    out.push((
        "random 12/400/200 seed 1".into(),
        random_scenario(12, 400, 200, 1),
        None,
    ));
    out
}

/// What the cases are drawn with.
#[derive(Clone, Copy, Debug)]
enum Focus {
    Nothing,
    Selected,
    SelectedAndHovered,
}

/// One frame to check, and its name.
fn cases() -> Vec<(String, App)> {
    let mut out = Vec::new();
    for (name, scenario, snapshot) in scenarios() {
        for (w, h) in SIZES {
            for presentation in [false, true] {
                for focus in [Focus::Nothing, Focus::Selected, Focus::SelectedAndHovered] {
                    let mut app = App::new(Scenario::with_nodes(&["A"]));
                    app.resize(w, h);
                    app.open(scenario.clone(), snapshot)
                        .expect("valid scenario");
                    // As the page does: the canvas grows when every line (and
                    // the overview strip) cannot fit at the closest spacing.
                    let needed = hlcviz::layout::Layout::content_height(app.canvas_rows());
                    app.resize(w, h.max(needed));
                    app.set_presentation(presentation);
                    let events = app.trace().events().len();
                    if events > 0 && !matches!(focus, Focus::Nothing) {
                        app.select_index(Some(events / 2));
                    }
                    if events > 1 && matches!(focus, Focus::SelectedAndHovered) {
                        let hovered = events / 3;
                        if let Some((x, y)) = app.layout().event_point(app.trace(), hovered) {
                            app.pointer_move(x, y);
                        }
                    }
                    let mode = if presentation {
                        "presentation"
                    } else {
                        "normal"
                    };
                    out.push((format!("{name} {w}x{h} {mode} {focus:?}"), app));
                }
            }
        }
    }
    // Lessons: every tour step with its marks (bold, backed labels), and an
    // exercise per level with its hidden labels.
    for (w, h) in SIZES {
        for presentation in [false, true] {
            let mode = if presentation {
                "presentation"
            } else {
                "normal"
            };
            for n in 1..=hlcviz::tour::STEPS.len() {
                let mut app = App::new(Scenario::with_nodes(&["A"]));
                app.resize(w, h);
                app.open_tour_step(n).expect("every step opens");
                app.set_presentation(presentation);
                out.push((format!("tour step {n} {w}x{h} {mode}"), app));
            }
            for level in Level::ALL {
                let mut app = App::new(Scenario::with_nodes(&["A"]));
                app.resize(w, h);
                app.open_exercise(Exercise { level, seed: 42 })
                    .expect("every exercise opens");
                app.set_presentation(presentation);
                out.push((format!("exercise {level:?} {w}x{h} {mode}"), app));
            }
        }
    }
    out
}

/// A box something drawn covers, what it is, and its place in the frame.
#[derive(Debug, Clone)]
struct Drawn {
    rect: Rect,
    what: String,
    at: usize,
}

fn text_rect(d: &Draw) -> Option<Rect> {
    let Draw::Text {
        x,
        y,
        text,
        size,
        bold,
        align,
        ..
    } = d
    else {
        return None;
    };
    let anchor = match align {
        Align::Left => Anchor::Left,
        Align::Center => Anchor::Center,
        Align::Right => Anchor::Right,
    };
    Some(labels::text_box(*x, *y, text, *size, *bold, anchor))
}

/// The marks no text may cover: event dots (and the selection ring) with
/// their outline, and arrowheads.
fn mark_rect(d: &Draw) -> Option<(Rect, String)> {
    match d {
        Draw::Circle {
            x, y, r, stroke, ..
        } => {
            let outline = stroke.map_or(0.0, |(_, w)| w / 2.0);
            Some((
                Rect::around(*x, *y, r + outline),
                format!("dot at ({x:.1}, {y:.1})"),
            ))
        }
        Draw::Arrow {
            from, to, width, ..
        } => {
            let head = arrow_shape(*from, *to, *width)?.head;
            Some((
                Rect::bounding(&head)?,
                format!("arrowhead at ({:.1}, {:.1})", to.0, to.1),
            ))
        }
        _ => None,
    }
}

/// The part of `r` still visible after the opaque rectangles drawn later in
/// `frame` (the gutter is painted over the plot's left edge): `None` when one
/// hides it wholly; trimmed at the side when one spans its full height.
fn visible_part(frame: &[Draw], at: usize, mut r: Rect) -> Option<Rect> {
    for d in &frame[at + 1..] {
        let Draw::Rect { x, y, w, h, fill } = d else {
            continue;
        };
        if !fill.starts_with('#') {
            continue;
        }
        let cover = Rect::new(*x, *y, x + w, y + h);
        if r.inside(&cover) {
            return None;
        }
        if cover.y0 <= r.y0 && cover.y1 >= r.y1 && cover.overlaps(&r) {
            if cover.x0 <= r.x0 {
                r.x0 = cover.x1;
            } else if cover.x1 >= r.x1 {
                r.x1 = cover.x0;
            }
        }
    }
    Some(r)
}

/// Every pair of overlapping boxes, found with a sweep over x (a frame holds
/// thousands of marks).
fn overlaps(texts: &[Drawn], marks: &[Drawn]) -> Vec<(Drawn, Drawn)> {
    let mut all: Vec<(bool, &Drawn)> = texts
        .iter()
        .map(|t| (true, t))
        .chain(marks.iter().map(|m| (false, m)))
        .collect();
    all.sort_by(|a, b| a.1.rect.x0.total_cmp(&b.1.rect.x0));
    let mut active: Vec<(bool, &Drawn)> = Vec::new();
    let mut found = Vec::new();
    for (is_text, d) in all {
        active.retain(|(_, a)| a.rect.x1 > d.rect.x0);
        for &(other_is_text, other) in &active {
            if (is_text || other_is_text) && d.rect.overlaps(&other.rect) {
                found.push((other.clone(), d.clone()));
            }
        }
        active.push((is_text, d));
    }
    found
}

/// WCAG 2 relative luminance of `#rrggbb`.
fn luminance(color: &str) -> f64 {
    let hex = color
        .strip_prefix('#')
        .filter(|h| h.len() == 6)
        .unwrap_or_else(|| panic!("{color} is not #rrggbb"));
    let channel = |k: usize| {
        let c = f64::from(u8::from_str_radix(&hex[k..k + 2], 16).expect("hex")) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

/// WCAG 2 contrast ratio.
fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The fills under a text: those of the rectangles drawn before it that meet
/// its box, back to the first one that holds all of it.
fn backgrounds_of(frame: &[Draw], at: usize, r: &Rect) -> Vec<&'static str> {
    let mut fills = Vec::new();
    for d in frame[..at].iter().rev() {
        if let Draw::Rect { x, y, w, h, fill } = d {
            let under = Rect::new(*x, *y, x + w, y + h);
            if under.overlaps(r) {
                fills.push(*fill);
                if r.inside(&under) {
                    return fills;
                }
            }
        }
    }
    panic!("text at draw {at} is not wholly on a background");
}

/// What one frame's checks found.
#[derive(Default)]
struct Tally {
    frames: usize,
    texts: usize,
    overlaps: Vec<String>,
    lowest_contrast: Option<(f64, String)>,
    smallest_text: f64,
    hidden: usize,
    labelled: usize,
    under_cards: usize,
}

/// Whether a text and a mark meet only where an opaque card drawn after the
/// mark and before the text hides the mark: the hovered label's card may
/// cover a neighbour's dot in a crowded frame, and the text then reads on
/// clean white. (Never excuses two texts: a card must not clip a label.)
fn card_between(frame: &[Draw], a: &Drawn, b: &Drawn) -> bool {
    let is_text = |d: &Drawn| matches!(frame[d.at], Draw::Text { .. });
    let (mark, text) = match (is_text(a), is_text(b)) {
        (false, true) => (a, b),
        (true, false) => (b, a),
        _ => return false,
    };
    if mark.at > text.at {
        return false;
    }
    let meet = Rect::new(
        mark.rect.x0.max(text.rect.x0),
        mark.rect.y0.max(text.rect.y0),
        mark.rect.x1.min(text.rect.x1),
        mark.rect.y1.min(text.rect.y1),
    );
    frame[mark.at + 1..text.at].iter().any(|d| {
        matches!(d, Draw::Rect { x, y, w, h, fill }
            if fill.starts_with('#') && meet.inside(&Rect::new(*x, *y, x + w, y + h)))
    })
}

fn check_frame(name: &str, app: &App, frame: &[Draw], report: &LabelReport, tally: &mut Tally) {
    let mut texts = Vec::new();
    let mut marks = Vec::new();
    for (at, d) in frame.iter().enumerate() {
        if let Some(rect) = text_rect(d) {
            let Draw::Text {
                text, size, color, ..
            } = d
            else {
                unreachable!("text_rect is only Some for text");
            };
            tally.smallest_text = tally.smallest_text.min(*size);
            assert!(*size >= 12.0, "{name}: {text:?} is {size} px");
            for fill in backgrounds_of(frame, at, &rect) {
                let ratio = contrast(color, fill);
                let pair = format!("{color} on {fill} ({text:?})");
                assert!(ratio >= 4.5, "{name}: {pair} is {ratio:.2}:1");
                if tally.lowest_contrast.as_ref().is_none_or(|l| ratio < l.0) {
                    tally.lowest_contrast = Some((ratio, pair));
                }
            }
            if let Some(rect) = visible_part(frame, at, rect) {
                texts.push(Drawn {
                    rect,
                    what: format!("text {text:?}"),
                    at,
                });
            }
        } else if let Some((rect, what)) = mark_rect(d) {
            if let Some(rect) = visible_part(frame, at, rect) {
                if rect.width() > 0.0 {
                    marks.push(Drawn { rect, what, at });
                }
            }
        }
    }
    tally.frames += 1;
    tally.texts += texts.len();
    for (a, b) in overlaps(&texts, &marks) {
        if card_between(frame, &a, &b) {
            tally.under_cards += 1;
            continue;
        }
        tally.overlaps.push(format!(
            "{name}: {} (draw {}) overlaps {} (draw {})",
            a.what, a.at, b.what, b.at
        ));
    }

    // The hovered and selected events are always labelled, bold.
    for index in [app.hover(), app.selected_index()].into_iter().flatten() {
        let Some((x, y)) = app.layout().event_point(app.trace(), index) else {
            continue;
        };
        let vp = app.layout().viewport;
        let dot_drawn = frame
            .iter()
            .any(|d| matches!(d, Draw::Circle { x: cx, y: cy, .. } if *cx == x && *cy == y));
        if !dot_drawn || x > vp.width - hlcviz::layout::RIGHT_MARGIN {
            continue; // under the gutter, off the plot, or in a density strip
        }
        let drawn = report.event_labels.iter().find(|l| l.0 == index);
        let bold = drawn.is_some_and(|&(_, at)| matches!(frame[at], Draw::Text { bold: true, .. }));
        assert!(
            bold,
            "{name}: event {index} is focused but not labelled in bold"
        );
    }
    // A label left out is said: a note counts them.
    if !report.hidden.is_empty() {
        let noted = frame
            .iter()
            .any(|d| matches!(d, Draw::Text { text, .. } if text.contains("hidden")));
        assert!(
            noted,
            "{name}: {} labels hidden and no note says so",
            report.hidden.len()
        );
    }
    tally.hidden += report.hidden.len();
    tally.labelled += report.event_labels.len();
}

#[test]
fn no_label_overlaps_a_label_a_dot_or_an_arrowhead_and_all_text_is_legible() {
    let mut tally = Tally {
        smallest_text: f64::INFINITY,
        ..Tally::default()
    };
    for (name, app) in cases() {
        let (frame, report) = scene::build_with_labels(&app);
        check_frame(&name, &app, &frame, &report, &mut tally);
    }
    let (ratio, pair) = tally.lowest_contrast.clone().unwrap_or_default();
    println!(
        "labels: {} frames, {} texts, {} overlaps ({} marks under a focused label's card); \
         {} event labels drawn, {} hidden; smallest text {} px; lowest text contrast \
         {ratio:.2}:1 ({pair})",
        tally.frames,
        tally.texts,
        tally.overlaps.len(),
        tally.under_cards,
        tally.labelled,
        tally.hidden,
        tally.smallest_text,
    );
    assert!(
        tally.overlaps.is_empty(),
        "{} overlaps, the first ones:\n{}",
        tally.overlaps.len(),
        tally.overlaps[..tally.overlaps.len().min(20)].join("\n")
    );
    assert!(tally.frames >= 18 * 3 * 2 * 3);
    assert!(tally.labelled > 1_000, "{} event labels", tally.labelled);
}

#[test]
fn marks_that_carry_meaning_reach_three_to_one_on_white() {
    for mark in [
        palette::EVENT,
        palette::MESSAGE,
        palette::CLOCK,
        palette::SELECTED,
        palette::PAST,
        palette::FUTURE,
        palette::DIMMED,
        palette::BAD,
        palette::HLC_CUT,
        palette::PHYSICAL_CUT,
        palette::CURSOR,
        palette::LANE,
    ] {
        let ratio = contrast(mark, palette::BACKGROUND);
        assert!(ratio >= 3.0, "{mark} is {ratio:.2}:1 on white");
    }
}

#[test]
fn the_pick_radius_covers_every_dot_in_both_styles() {
    for style in [Style::NORMAL, Style::PRESENTATION] {
        assert!(style.dot_reach() <= EVENT_PICK_RADIUS, "{style:?}");
    }
    // In presentation mode, a press anywhere on a (bigger) dot picks an event,
    // and its centre picks that very event.
    let mut app = App::new(Scenario::from_json(DEFAULT_JSON).expect("default"));
    app.resize(1240.0, 640.0);
    app.fit();
    app.set_presentation(true);
    let layout = app.layout();
    let frame = scene::build(&app);
    let reach = Style::PRESENTATION.dot_reach() - 0.01;
    let mut checked = 0;
    for (i, _) in app.trace().events().iter().enumerate() {
        let Some((x, y)) = layout.event_point(app.trace(), i) else {
            continue;
        };
        assert!(frame.iter().any(|d| matches!(d,
            Draw::Circle { x: cx, y: cy, r, .. } if *cx == x && *cy == y && *r == Style::PRESENTATION.dot)));
        assert_eq!(layout.hit_test(app.trace(), x, y), Hit::Event(i));
        for k in 0..8 {
            let a = f64::from(k) * std::f64::consts::FRAC_PI_4;
            let hit = layout.hit_test(app.trace(), x + reach * a.cos(), y + reach * a.sin());
            assert!(
                matches!(hit, Hit::Event(_)),
                "event {i}, angle {a}: {hit:?}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 10);
}

#[test]
fn presentation_mode_draws_larger_text_and_thicker_lines() {
    let mut app = App::new(Scenario::from_json(DEFAULT_JSON).expect("default"));
    app.resize(1240.0, 640.0);
    app.fit();
    let sizes = |app: &App| -> (f64, f64) {
        let frame = scene::build(app);
        let text = frame
            .iter()
            .filter_map(|d| match d {
                Draw::Text { size, .. } => Some(*size),
                _ => None,
            })
            .fold(0.0, f64::max);
        let lane = frame
            .iter()
            .filter_map(|d| match d {
                Draw::Line { stroke, width, .. } if *stroke == palette::LANE => Some(*width),
                _ => None,
            })
            .fold(0.0, f64::max);
        (text, lane)
    };
    assert_eq!(sizes(&app), (13.0, 1.5));
    app.set_presentation(true);
    assert_eq!(sizes(&app), (20.0, 3.0));
}

#[test]
fn the_slow_fast_preset_says_pt_back_once_not_twenty_times() {
    let preset = hlcviz::presets::find("slow-fast").expect("preset");
    let mut app = App::new(preset.scenario());
    app.resize(1240.0, 640.0);
    app.fit();
    let (frame, report) = scene::build_with_labels(&app);
    let pt_back: Vec<&String> = frame
        .iter()
        .filter_map(|d| match d {
            Draw::Text { text, .. } if text.contains("pt back") => Some(text),
            _ => None,
        })
        .collect();
    assert!(report.pt_back_in_note > 4, "{report:?}");
    assert_eq!(pt_back.len(), 1, "{pt_back:?}");
    assert!(pt_back[0].contains(&format!("{} violet messages", report.pt_back_in_note)));
}

/// `tests/data/label-widths.json` holds `labels::text_width` for a few label
/// strings; `tests/e2e/labels.test.mjs` checks the same rows against
/// `measureText` in Chromium. This keeps the two in step.
#[test]
fn the_width_table_the_browser_checks_is_text_width() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/label-widths.json");
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the table")).expect("json");
    assert!(rows.len() >= 100);
    for row in rows {
        let text = row["text"].as_str().expect("text");
        let size = row["size"].as_f64().expect("size");
        let bold = row["bold"].as_bool().expect("bold");
        let estimate = row["estimate"].as_f64().expect("estimate");
        let now = labels::text_width(text, size, bold);
        assert!(
            (now - estimate).abs() < 1e-9,
            "{text:?} at {size} px (bold {bold}): text_width is {now}, the table says {estimate}; \
             regenerate the table"
        );
    }
}
