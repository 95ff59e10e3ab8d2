//! Production rules: the max-offset rejection, the counter's width, and the
//! clock policies of real systems (CockroachDB, YugabyteDB, MongoDB, uhlc),
//! each one click that sets all three.

use super::dom::{input_of, show_unless_typing, whole_number_in};
use crate::app::{App, Edit};
use crate::web::{element, with_app, Page};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlInputElement};

/// Shows the scenario's settings in the fields nobody is typing in.
pub(super) fn sync(document: &Document, app: &App) {
    let settings = app.scenario().settings;
    let focused = document.active_element();
    let set = |id: &str, value: String| {
        if let Ok(input) = element::<HtmlInputElement>(document, id) {
            show_unless_typing(&input, &value, focused.as_ref());
        }
    };
    if let Ok(enabled) = element::<HtmlInputElement>(document, "max-offset-on") {
        enabled.set_checked(settings.max_offset_ms.is_some());
    }
    if let Some(bound) = settings.max_offset_ms {
        set("max-offset", bound.to_string());
    }
    set("counter-bits", settings.counter_bits.to_string());
    if let Ok(enabled) = element::<HtmlInputElement>(document, "stop-on") {
        enabled.set_checked(settings.stop_on_skew.is_some());
    }
    if let Some(rule) = settings.stop_on_skew {
        set("stop-ms", rule.threshold_ms.to_string());
        if let Ok(select) = element::<web_sys::HtmlSelectElement>(document, "stop-peers") {
            select.set_value(if rule.majority { "majority" } else { "any" });
        }
    }
}

pub(super) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    for id in [
        "max-offset-on",
        "max-offset",
        "counter-bits",
        "stop-on",
        "stop-ms",
        "stop-peers",
    ] {
        let document = page.document().clone();
        let input: Element = element(page.document(), id)?;
        page.listeners_on(input.as_ref(), "change", move |_| {
            let enabled = input_of(&document, "max-offset-on").is_ok_and(|i| i.checked());
            let limit = crate::scenario::MAX_OFFSET_LIMIT_MS;
            let bound = whole_number_in(&document, "max-offset", "The max offset", "ms", 0, limit);
            let bits = whole_number_in(
                &document,
                "counter-bits",
                "The counter width",
                "bits",
                1,
                32,
            );
            let stops = input_of(&document, "stop-on").is_ok_and(|i| i.checked());
            let threshold =
                whole_number_in(&document, "stop-ms", "The stop threshold", "ms", 1, limit);
            let majority = element::<web_sys::HtmlSelectElement>(&document, "stop-peers")
                .is_ok_and(|s| s.value() == "majority");
            with_app(|app| match (bound, bits, threshold) {
                (Ok(bound), Ok(bits), Ok(threshold_ms)) => {
                    let settings = crate::scenario::Settings {
                        max_offset_ms: enabled.then_some(bound),
                        counter_bits: bits as u8,
                        stop_on_skew: stops.then_some(crate::scenario::StopRule {
                            threshold_ms,
                            majority,
                        }),
                        ..app.scenario().settings
                    };
                    app.apply_or_notify(Edit::SetSettings(settings));
                }
                (Err(why), _, _) | (_, Err(why), _) | (_, _, Err(why)) => app.notify(why),
            });
        })?;
    }
    let list: Element = element(page.document(), "system-policies")?;
    for system in crate::policies::SYSTEMS {
        let button = super::dom::make(page.document(), "button")?;
        button.set_attribute("type", "button")?;
        button.set_attribute("data-system", system.id)?;
        button.set_attribute("title", system.summary)?;
        button.set_text_content(Some(system.title));
        list.append_child(&button)?;
        page.listeners_on(button.as_ref(), "click", move |_| {
            with_app(|app| {
                let settings = system.apply(&app.scenario().settings);
                if app.apply_or_notify(Edit::SetSettings(settings)) {
                    app.notify(format!("{}: {}", system.title, system.summary));
                }
            });
        })?;
    }
    Ok(())
}
