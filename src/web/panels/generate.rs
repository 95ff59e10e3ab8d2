//! Random execution: a generated scenario of a chosen size.

use super::dom::whole_number_in;
use crate::web::persist::Opened;
use crate::web::{element, with_app, Page};
use hlc::Time;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event};

pub(super) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    let document = page.document().clone();
    let form: Element = element(page.document(), "generate-form")?;
    let weak = Rc::downgrade(page);
    page.listeners_on(form.as_ref(), "submit", move |event: Event| {
        event.prevent_default();
        let Some(page) = weak.upgrade() else { return };
        let count =
            |id: &str, max: Time| whole_number_in(&document, id, "A count", "items", 0, max);
        let nodes = count("gen-nodes", crate::scenario::MAX_NODES as Time);
        let messages = count("gen-messages", (crate::scenario::MAX_EVENTS / 3) as Time);
        match (nodes, messages) {
            (Ok(nodes), Ok(messages)) if nodes >= 1 => {
                let seed = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
                let (nodes, messages) = (nodes as usize, messages as usize);
                let scenario =
                    crate::generate::random_scenario(nodes, messages, messages / 2, seed);
                let events = scenario.event_count();
                let opened = page.open_document(Opened::unsaved(
                    scenario,
                    None,
                    format!("Random execution, {nodes} nodes"),
                ));
                if opened.is_ok() {
                    with_app(|app| {
                        app.notify(format!(
                            "Random execution: {nodes} nodes, {events} events (seed {seed})."
                        ))
                    });
                }
            }
            _ => {
                with_app(|app| {
                    app.notify(format!(
                        "Choose 1 to {} nodes and 0 to {} messages.",
                        crate::scenario::MAX_NODES,
                        crate::scenario::MAX_EVENTS / 3
                    ))
                });
            }
        }
    })?;
    Ok(())
}
