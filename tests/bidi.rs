//! Names are shown bidi-isolated everywhere the page shows them (canvas,
//! tooltip and details, table, SVG, notices), so a right-to-left override in a
//! name can never reorder the page's own words.

mod support;

use support::fitted;

use hlcviz::app::App;
use hlcviz::bidi::{isolate, FSI, PDI};
use hlcviz::scenario::{EventRef, LocalEvent, Message, Scenario};
use hlcviz::scene::Draw;
use hlcviz::table::{cell, Column};

const HOSTILE: &str = "x\u{202e}";

fn app() -> App {
    let mut s = Scenario::with_nodes(&[HOSTILE, "B"]);
    s.events.push(LocalEvent::at(0, 10));
    s.messages.push(Message {
        from: 1,
        sent_at_ms: 20,
        to: 0,
        received_at_ms: 40,
        put: None,
    });
    fitted(s, 900.0, 400.0)
}

#[test]
fn a_hostile_name_is_isolated_in_the_canvas_labels() {
    let app = app();
    let names: Vec<String> = hlcviz::scene::build(&app)
        .into_iter()
        .filter_map(|d| match d {
            Draw::Text { text, .. } if text.contains('\u{202e}') => Some(text),
            _ => None,
        })
        .collect();
    assert!(!names.is_empty(), "the name is drawn");
    for text in names {
        assert!(text.starts_with(FSI) && text.ends_with(PDI), "{text:?}");
    }
}

#[test]
fn a_hostile_name_is_isolated_in_every_sentence_and_cell() {
    let app = app();
    let local = app.trace().index_of(EventRef::Local(0)).unwrap();
    let recv = app.trace().index_of(EventRef::Recv(0)).unwrap();
    let lines = app.describe(local);
    assert_eq!(lines[0], format!("{}: local event e0", isolate(HOSTILE)));
    let lines = app.describe(recv);
    assert!(lines[0].starts_with(&isolate(HOSTILE)), "{:?}", lines[0]);
    let node_cell = cell(app.scenario(), app.trace(), local, Column::Node);
    assert_eq!(node_cell, isolate(HOSTILE));
    let svg = hlcviz::svg::app_to_svg(&app);
    assert!(svg.contains(&isolate(HOSTILE)), "the SVG isolates the name");
    assert_eq!(app.node_name(0), isolate(HOSTILE));
}

#[test]
fn a_name_cannot_close_the_isolate_early() {
    // An unmatched PDI in a name would end the page's isolate and let the
    // override after it reach the page's words: it is dropped.
    let shown = isolate("a\u{2069}\u{202e}b");
    assert_eq!(shown.matches(PDI).count(), 1);
    assert!(shown.ends_with(PDI));
}
