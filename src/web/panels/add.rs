//! Add with the keyboard: an event or a message typed into forms, for people
//! who do not use a pointer.

use super::dom::{clear, make, selected_node, whole_number_in};
use crate::app::Edit;
use crate::scenario::{Message, Node, MAX_TIME_MS};
use crate::web::{element, with_app, Page};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlSelectElement};

/// Refills the forms' node menus, keeping each one's choice where it still exists.
pub(super) fn fill_node_menus(document: &Document, nodes: &[Node]) -> Result<(), JsValue> {
    let selects = document.query_selector_all("select.node-select")?;
    for k in 0..selects.length() {
        let Some(select) = selects
            .item(k)
            .and_then(|s| s.dyn_into::<HtmlSelectElement>().ok())
        else {
            continue;
        };
        let keep = select.selected_index();
        clear(&select);
        for (i, node) in nodes.iter().enumerate() {
            let option = make(document, "option")?;
            option.set_attribute("value", &i.to_string())?;
            // An option is a line of its own: no page words for a name to reorder.
            option.set_text_content(Some(&node.name));
            select.append_child(&option)?;
        }
        let fallback = if select.id() == "add-message-to" {
            1
        } else {
            0
        };
        let index = if keep >= 0 && (keep as usize) < nodes.len() {
            keep
        } else {
            fallback
        };
        select.set_selected_index(index.min(nodes.len() as i32 - 1));
    }
    Ok(())
}

pub(super) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    let document = page.document().clone();
    let form: Element = element(page.document(), "add-event-form")?;
    page.listeners_on(form.as_ref(), "submit", move |event: Event| {
        event.prevent_default();
        let node = selected_node(&document, "add-event-node");
        let at = whole_number_in(&document, "add-event-at", "The time", "ms", 0, MAX_TIME_MS);
        with_app(|app| match (node, at) {
            (Some(node), Ok(at_ms)) => {
                app.apply_or_notify(Edit::AddLocal { node, at_ms });
            }
            (_, Err(why)) => app.notify(why),
            (None, _) => app.notify("Choose a node first."),
        });
    })?;
    let document = page.document().clone();
    let form: Element = element(page.document(), "add-message-form")?;
    page.listeners_on(form.as_ref(), "submit", move |event: Event| {
        event.prevent_default();
        let from = selected_node(&document, "add-message-from");
        let to = selected_node(&document, "add-message-to");
        let sent = whole_number_in(
            &document,
            "add-message-sent",
            "The send time",
            "ms",
            0,
            MAX_TIME_MS,
        );
        let received = whole_number_in(
            &document,
            "add-message-received",
            "The receive time",
            "ms",
            0,
            MAX_TIME_MS,
        );
        with_app(|app| match (from, to, sent, received) {
            (Some(from), Some(to), Ok(sent_at_ms), Ok(received_at_ms)) => {
                app.apply_or_notify(Edit::AddMessage(Message {
                    from,
                    sent_at_ms,
                    to,
                    received_at_ms,
                    put: None,
                }));
            }
            (_, _, Err(why), _) | (_, _, _, Err(why)) => app.notify(why),
            _ => app.notify("Choose both nodes first."),
        });
    })?;
    Ok(())
}
