//! Snapshot: take a cut at an HLC time and read whether it is consistent,
//! beside the cut at the same physical reading.

use super::bind::{on_click, PanelView};
use super::dom::{clear, input_of, paragraph};
use crate::app::App;
use crate::scenario::MAX_TIME_MS;
use crate::web::{element, Page};
use hlc::{Time, Timestamp};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlElement, HtmlInputElement};

pub(super) struct Snapshot {
    result: HtmlElement,
}

impl Snapshot {
    pub(super) fn find(document: &Document) -> Result<Self, JsValue> {
        Ok(Snapshot {
            result: element(document, "snap-result")?,
        })
    }
}

impl PanelView for Snapshot {
    /// The revision and the cut's time.
    type Model = (u64, Option<Timestamp>);

    fn model(&self, app: &App) -> Option<Self::Model> {
        Some((app.revision(), app.snapshot().map(|s| s.theta)))
    }

    fn render(&self, document: &Document, app: &App, _: &Self::Model) -> Result<(), JsValue> {
        clear(&self.result);
        let (Some(snapshot), Some((hlc_cut, physical_cut))) = (app.snapshot(), app.cuts()) else {
            return Ok(());
        };
        if let Ok(l) = element::<HtmlInputElement>(document, "snap-l") {
            l.set_value(&snapshot.theta.l.to_string());
        }
        if let Ok(c) = element::<HtmlInputElement>(document, "snap-c") {
            c.set_value(&snapshot.theta.c.to_string());
        }
        let (text, class) = if hlc_cut.is_consistent() {
            (format!("HLC cut at {}: consistent.", snapshot.theta), "ok")
        } else {
            (
                format!("HLC cut at {}: inconsistent!", snapshot.theta),
                "bad",
            )
        };
        let p = paragraph(document, &text, Some(class))?;
        self.result.append_child(&p)?;
        let (text, class) = if physical_cut.is_consistent() {
            (
                format!(
                    "Cut where each clock reads {} ms: consistent here.",
                    snapshot.theta.l
                ),
                "ok",
            )
        } else {
            let names: Vec<String> = physical_cut
                .crossing
                .iter()
                .filter_map(|&r| app.trace().event(r))
                .map(|e| match e.source {
                    crate::scenario::EventRef::Recv(m) => format!("m{m}"),
                    other => other.to_string(),
                })
                .collect();
            (
                format!(
                    "Cut where each clock reads {} ms: inconsistent: {} received inside it but sent outside.",
                    snapshot.theta.l,
                    names.join(", ")
                ),
                "bad",
            )
        };
        let p = paragraph(document, &text, Some(class))?;
        self.result.append_child(&p)?;
        Ok(())
    }
}

pub(super) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    on_click(page, "snap-clear", |app| app.set_snapshot(None))?;
    let document = page.document().clone();
    on_click(page, "snap-take", move |app| {
        let l = input_of(&document, "snap-l")
            .map(|i| i.value_as_number())
            .unwrap_or(f64::NAN);
        let c = input_of(&document, "snap-c")
            .map(|i| i.value_as_number())
            .unwrap_or(f64::NAN);
        let in_range = |v: f64, max: f64| v.is_finite() && v.fract() == 0.0 && v.abs() <= max;
        if in_range(l, MAX_TIME_MS as f64 * 2.0) && in_range(c, f64::from(u32::MAX)) && c >= 0.0 {
            app.set_snapshot(Some(Timestamp::new(l as Time, c as u32)));
        } else {
            app.notify("A snapshot time needs a whole l (ms) and a whole c of 0 or more.");
        }
    })
}
