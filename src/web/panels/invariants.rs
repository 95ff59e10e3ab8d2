//! Invariants: each HLC property with its verdict; a broken one is a button
//! that selects the first event breaking it.

use super::bind::{data_index, target_closest, PanelView};
use super::dom::{clear, make};
use crate::analysis::{CheckedClock, Invariant};
use crate::app::{App, ClockView};
use crate::web::{element, with_app, Page};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event};

pub(super) struct Invariants;

impl PanelView for Invariants {
    /// The revision and the clock the checks run on.
    type Model = (u64, ClockView);

    fn model(&self, app: &App) -> Option<Self::Model> {
        // Checked once the drag ends (its end syncs again), not on every
        // input event of a slider drag: measured 3.5 ms of a 16 ms frame at
        // 10,000 events.
        if app.step_open() {
            return None;
        }
        Some((app.revision(), app.clock_view()))
    }

    fn render(&self, document: &Document, app: &App, _: &Self::Model) -> Result<(), JsValue> {
        let list: Element = element(document, "invariants")?;
        clear(&list);
        let clock = match app.clock_view().checked_clock() {
            CheckedClock::Hlc => "Checked on the HLC after every edit.",
            CheckedClock::Naive => "Checked on the naive Figure 3 clock (the label view).",
        };
        element::<Element>(document, "invariants-clock")?.set_text_content(Some(clock));
        for (k, check) in app.invariant_checks().iter().enumerate() {
            let item = make(document, "li")?;
            let text = format!("{}: {}", check.invariant.statement(), check.measured);
            if check.holds {
                item.set_class_name("verdict-ok");
                item.set_text_content(Some(&text));
            } else {
                let button = make(document, "button")?;
                button.set_attribute("type", "button")?;
                button.set_class_name("verdict-bad");
                button.set_attribute("data-invariant", &k.to_string())?;
                button.set_attribute("title", "Select the first event that breaks it")?;
                button.set_text_content(Some(&format!(
                    "{text} ({} event(s); click to select the first)",
                    check.offender_count
                )));
                item.append_child(&button)?;
            }
            list.append_child(&item)?;
        }
        Ok(())
    }
}

pub(super) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    let list: Element = element(page.document(), "invariants")?;
    page.listeners_on(list.as_ref(), "click", |event: Event| {
        let invariant = target_closest(&event, "button[data-invariant]")
            .and_then(|b| data_index(&b, "data-invariant"))
            .and_then(|k| Invariant::ALL.get(k).copied());
        if let Some(invariant) = invariant {
            with_app(|app| {
                if !app.select_offender(invariant) {
                    app.notify("That invariant holds now.");
                }
            });
        }
    })
}
