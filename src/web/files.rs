//! Downloads (scenario JSON, PNG, SVG, ShiViz log) and the upload of a scenario
//! JSON file or a ShiViz/GoVector log.

use super::{with_app, Page};
use crate::scenario::Scenario;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlInputElement, Url};

/// Largest file read by the upload.
pub const MAX_UPLOAD_BYTES: f64 = 16.0 * 1024.0 * 1024.0;

fn download_url(page: &Page, url: &str, file_name: &str) -> Result<(), JsValue> {
    let anchor: HtmlAnchorElement = page.document().create_element("a")?.dyn_into()?;
    anchor.set_href(url);
    anchor.set_download(file_name);
    anchor.set_hidden(true);
    let body = page.document().body().ok_or("no body")?;
    body.append_child(&anchor)?;
    anchor.click();
    body.remove_child(&anchor)?;
    Ok(())
}

/// Offers `text` as a file download.
pub(crate) fn download_text(
    page: &Page,
    text: &str,
    mime: &str,
    file_name: &str,
) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let result = download_url(page, &url, file_name);
    // Revoke later: the download reads the URL asynchronously.
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    let _ = page
        .window
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    result
}

/// Offers the diagram as a PNG (the canvas at device resolution).
pub(crate) fn download_png(page: &Page) -> Result<(), JsValue> {
    let data_url = page.canvas.to_data_url_with_type("image/png")?;
    download_url(page, &data_url, "hlc-diagram.png")
}

/// What to do with an uploaded file's text: a scenario JSON, or else a
/// ShiViz/GoVector log.
pub(crate) fn open_text(app: &mut crate::app::App, text: &str, file_name: &str) {
    if text.trim_start().starts_with('{') {
        match Scenario::from_json(text) {
            Ok(scenario) => match app.open(scenario, None) {
                Ok(()) => app.notify(format!("Opened {file_name}.")),
                Err(why) => app.notify(format!("{file_name} could not be opened: {why}")),
            },
            Err(e) => app.notify(format!("{file_name} could not be opened: {e}")),
        }
        return;
    }
    match crate::shiviz::import(text) {
        Ok(imported) => {
            let skipped = imported.skipped.len();
            let notes = imported.notes.len();
            let nodes = imported.scenario.nodes.len();
            let messages = imported.scenario.messages.len();
            match app.open(imported.scenario, None) {
                Ok(()) => {
                    let mut text = format!(
                        "Imported {file_name} as a ShiViz log: {nodes} nodes, {messages} messages inferred from the vector clocks."
                    );
                    if let Some(first) = imported.skipped.first() {
                        text.push_str(&format!(
                            " {skipped} line(s) not understood, first at line {}: {}.",
                            first.line, first.reason
                        ));
                    }
                    if notes > 0 {
                        text.push_str(&format!(" {notes} note(s): {}", imported.notes.join("; ")));
                    }
                    app.notify(text);
                }
                Err(why) => app.notify(format!("{file_name} could not be opened: {why}")),
            }
        }
        Err(e) => app.notify(format!(
            "{file_name} is neither a scenario JSON file nor a ShiViz log this page can read: {e}"
        )),
    }
}

/// Reads the file chosen in the upload input.
pub(crate) fn upload(input: &HtmlInputElement) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    input.set_value("");
    let name = file.name();
    if file.size() > MAX_UPLOAD_BYTES {
        let size = file.size();
        with_app(|app| {
            app.notify(format!(
                "{name} is too large ({size:.0} bytes; at most {MAX_UPLOAD_BYTES:.0} are read)."
            ))
        });
        return;
    }
    let on_text = Closure::once_into_js(move |text: JsValue| match text.as_string() {
        Some(text) => {
            with_app(|app| open_text(app, &text, &name));
        }
        None => {
            with_app(|app| app.notify(format!("{name} is not a text file.")));
        }
    });
    let on_error = Closure::once_into_js(move |_: JsValue| {
        with_app(|app| app.notify("The file could not be read."));
    });
    super::then_once(&file.text(), on_text, on_error);
}
