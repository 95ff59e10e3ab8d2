//! Presets: a gallery of scenarios that each show one thing, each a button
//! with its title and a caption saying what. One click opens one beside the
//! saved work, labelled with the clock its caption talks about.

use super::dom::make;
use crate::web::persist::Opened;
use crate::web::{element, with_app, Page};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::Element;

pub(super) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    let document = page.document();
    let list: Element = element(document, "preset-list")?;
    for preset in crate::presets::PRESETS {
        let item = make(document, "li")?;
        let button = make(document, "button")?;
        button.set_attribute("type", "button")?;
        button.set_attribute("data-preset", preset.id)?;
        for (class, text) in [
            ("preset-title", preset.title),
            ("preset-caption", preset.caption),
        ] {
            let span = make(document, "span")?;
            span.set_class_name(class);
            span.set_text_content(Some(text));
            button.append_child(&span)?;
        }
        item.append_child(&button)?;
        list.append_child(&item)?;
        let weak = Rc::downgrade(page);
        page.listeners_on(button.as_ref(), "click", move |_| {
            let Some(page) = weak.upgrade() else { return };
            let result = page.open_document(Opened::unsaved(
                preset.scenario(),
                preset.snapshot,
                preset.title,
            ));
            with_app(|app| match result {
                Ok(()) => {
                    app.set_clock_view(preset.clock_view);
                    app.notify(format!("{}: {}", preset.title, preset.caption));
                }
                Err(why) => app.notify(why),
            });
        })?;
    }
    Ok(())
}
