//! Production rules: the max-offset rejection and the counter's width.

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
}

pub(super) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    for id in ["max-offset-on", "max-offset", "counter-bits"] {
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
            with_app(|app| match (bound, bits) {
                (Ok(bound), Ok(bits)) => {
                    let settings = crate::scenario::Settings {
                        max_offset_ms: enabled.then_some(bound),
                        counter_bits: bits as u8,
                        ..app.scenario().settings
                    };
                    app.apply_or_notify(Edit::SetSettings(settings));
                }
                (Err(why), _) | (_, Err(why)) => app.notify(why),
            });
        })?;
    }
    Ok(())
}
