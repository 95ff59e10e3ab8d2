//! Share and keep: copy a link, export the scenario or the picture, import a
//! scenario file.

use super::bind::on_click_page;
use crate::web::{element, files, read_app_of, with_app, Page};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::HtmlInputElement;

/// A download button's action.
type Export = fn(&Page) -> Result<(), JsValue>;

pub(super) fn install_copy_link(page: &Rc<Page>) -> Result<(), JsValue> {
    for id in ["copy-link", "copy-link-2"] {
        on_click_page(page, id, |page| page.copy_link())?;
    }
    // Embed: the snippet for this scenario, copied like the link; ticking
    // "allow editing" rewrites a snippet already shown (not copied again).
    let editable: HtmlInputElement = element(page.document(), "embed-editable")?;
    let ticked = editable.clone();
    on_click_page(page, "embed-snippet-button", move |page| {
        page.persist_now();
        let snippet = crate::web::embed::snippet(page, ticked.checked());
        page.copy_to_clipboard("embed-snippet", snippet, "Embed snippet", None);
    })?;
    let weak = Rc::downgrade(page);
    let ticked = editable.clone();
    page.listeners_on(editable.as_ref(), "change", move |_| {
        let Some(page) = weak.upgrade() else { return };
        if let Ok(field) = element::<HtmlInputElement>(page.document(), "embed-snippet") {
            if !field.value().is_empty() {
                field.set_value(&crate::web::embed::snippet(&page, ticked.checked()));
            }
        }
    })
}

pub(super) fn install_files(page: &Rc<Page>) -> Result<(), JsValue> {
    let exports: [(&str, Export); 4] = [
        ("export-json", |page| {
            let json = read_app_of(page, |app| app.scenario().to_json()).unwrap_or_default();
            files::download_text(page, &json, "application/json", "hlc-scenario.json")
        }),
        ("export-png", files::download_png),
        ("export-svg", |page| {
            let svg = read_app_of(page, crate::svg::app_to_svg).unwrap_or_default();
            files::download_text(page, &svg, "image/svg+xml", "hlc-diagram.svg")
        }),
        ("export-shiviz", |page| {
            let log = read_app_of(page, |app| {
                crate::shiviz::export(app.scenario(), app.trace())
            })
            .unwrap_or_default();
            files::download_text(page, &log, "text/plain", "hlc-shiviz.log")
        }),
    ];
    for (id, export) in exports {
        on_click_page(page, id, move |page| {
            if let Err(e) = export(page) {
                let why = e
                    .as_string()
                    .unwrap_or_else(|| "the browser refused".into());
                with_app(|app| app.notify(format!("Export failed: {why}")));
            }
        })?;
    }
    let input: HtmlInputElement = element(page.document(), "import-file")?;
    let chosen = input.clone();
    page.listeners_on(input.as_ref(), "change", move |_| files::upload(&chosen))?;
    crate::web::logopen::install(page)
}
