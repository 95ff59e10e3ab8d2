//! Presets: a menu of scenarios that each show one thing, with a caption
//! saying what.

use super::dom::make;
use crate::web::persist::Opened;
use crate::web::{element, with_app, Page};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlSelectElement};

/// Fills the preset menu and its caption.
pub(super) fn build(document: &Document) -> Result<(), JsValue> {
    let presets: HtmlSelectElement = element(document, "preset")?;
    let placeholder = make(document, "option")?;
    placeholder.set_attribute("value", "")?;
    placeholder.set_text_content(Some("Choose a preset…"));
    presets.append_child(&placeholder)?;
    for preset in crate::presets::PRESETS {
        let option = make(document, "option")?;
        option.set_attribute("value", preset.id)?;
        option.set_text_content(Some(preset.title));
        presets.append_child(&option)?;
    }
    element::<Element>(document, "preset-caption")?.set_text_content(Some(
        "Scenarios that each show one thing; pick one to read what.",
    ));
    Ok(())
}

pub(super) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    let select: HtmlSelectElement = element(page.document(), "preset")?;
    let caption: Element = element(page.document(), "preset-caption")?;
    let chosen = select.clone();
    page.listeners_on(select.as_ref(), "change", move |_| {
        let text = crate::presets::find(&chosen.value()).map(|p| p.caption);
        caption.set_text_content(text);
    })?;
    let open: Element = element(page.document(), "preset-open")?;
    let weak = Rc::downgrade(page);
    page.listeners_on(open.as_ref(), "click", move |_| {
        let Some(page) = weak.upgrade() else { return };
        let Some(preset) = crate::presets::find(&select.value()) else {
            with_app(|app| app.notify("Choose a preset in the menu first."));
            return;
        };
        let result = page.open_document(Opened::unsaved(
            preset.scenario(),
            preset.snapshot,
            preset.title,
        ));
        with_app(|app| match result {
            Ok(()) => app.notify(format!("{}: {}", preset.title, preset.caption)),
            Err(why) => app.notify(why),
        });
    })?;
    Ok(())
}
