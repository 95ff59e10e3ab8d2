//! Downloads (scenario JSON, PNG, SVG, ShiViz log) and the upload of a scenario
//! JSON file, a log recorded with the `hlc` crate's recorder, an OpenTelemetry
//! trace (OTLP/JSON), or a ShiViz/GoVector log.

use super::persist::Opened;
use super::{with_app, Page};
use crate::bidi::isolate;
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
    // A frame may have painted only the rows in view.
    page.paint_whole();
    let data_url = page.canvas.to_data_url_with_type("image/png")?;
    download_url(page, &data_url, "hlc-diagram.png")
}

/// Opens an uploaded file: an exported library (added to My scenarios), a
/// recorded log (`hlcviz-log/1`, whose first line is a JSON header, so it is
/// recognised before scenario JSON), an OpenTelemetry trace (JSON too, so
/// also before), a scenario JSON file, or else a ShiViz/GoVector log read
/// with the Share tab's import options ([`super::logopen`]) (each a new
/// document).
/// Its bytes must be UTF-8 (a byte-order mark is allowed): the same rule, and
/// the same words, as the command line's ([`crate::encoding`]).
pub(crate) fn open_bytes(page: &Page, bytes: &[u8], file_name: &str) {
    let shown_name = isolate(file_name);
    let text = match crate::encoding::decode_text(bytes) {
        Ok(text) => text,
        Err(e) => {
            with_app(|app| app.notify(format!("{shown_name} {e}.")));
            return;
        }
    };
    if crate::library::is_export(text) {
        page.import_library(text, file_name);
        return;
    }
    let name = file_name.to_string();
    if crate::recorded::is_recorded_log(text) {
        match crate::recorded::import(text) {
            Ok(recorded) => {
                let imported = recorded.imported;
                let summary = format!(
                    "Imported {shown_name} as a recorded log: {} hosts, {} messages; each host's clock offset is estimated from the messages (see the notes), and HLC is replayed on the recorded wall clocks.",
                    imported.scenario.nodes.len(),
                    imported.scenario.messages.len()
                );
                open_imported(page, imported, name, &shown_name, summary);
            }
            Err(e) => {
                with_app(|app| {
                    app.notify(format!(
                        "{shown_name} is a recorded log this page cannot read: {e}"
                    ))
                });
            }
        }
        return;
    }
    if crate::otlp::is_otlp(text) {
        open_otlp(page, text, name, &shown_name);
        return;
    }
    if text.trim_start().starts_with('{') {
        let result = Scenario::from_json(text)
            .map_err(|e| e.to_string())
            .and_then(|scenario| page.open_document(Opened::unsaved(scenario, None, name)));
        with_app(|app| match result {
            Ok(()) => app.notify(format!("Opened {shown_name}.")),
            Err(why) => app.notify(format!("{shown_name} could not be opened: {why}")),
        });
        return;
    }
    super::logopen::open_log(page, text, name);
}

/// Opens an OpenTelemetry trace as a new document.
fn open_otlp(page: &Page, text: &str, name: String, shown_name: &str) {
    match crate::otlp::import(text) {
        Ok(traces) => {
            let imported = traces.imported;
            let summary = format!(
                "Imported {shown_name} as an OpenTelemetry trace: {} services, {} spans, {} messages; each service's clock offset is estimated from the calls between services (see the notes).",
                imported.scenario.nodes.len(),
                traces.spans,
                imported.scenario.messages.len()
            );
            open_imported(page, imported, name, shown_name, summary);
        }
        Err(e) => {
            with_app(|app| {
                app.notify(format!(
                    "{shown_name} is an OpenTelemetry trace this page cannot read: {e}"
                ))
            });
        }
    }
}

/// Opens an imported log as a new document, its skipped lines and notes
/// under the summary.
pub(crate) fn open_imported(
    page: &Page,
    imported: crate::shiviz::Imported,
    name: String,
    shown_name: &str,
    mut summary: String,
) {
    let mut more: Vec<String> = imported
        .skipped
        .iter()
        .map(|s| format!("Line {} not understood: {}.", s.line, s.reason))
        .collect();
    if !imported.skipped.is_empty() {
        summary.push_str(&format!(
            " {} line(s) not understood.",
            imported.skipped.len()
        ));
    }
    if !imported.notes.is_empty() {
        summary.push_str(&format!(" {} note(s).", imported.notes.len()));
        more.extend(imported.notes.iter().map(|n| format!("Note: {n}")));
    }
    let result = page.open_document(Opened::unsaved(imported.scenario, None, name));
    with_app(|app| match result {
        Ok(()) => app.notify_more(summary, more),
        Err(why) => app.notify(format!("{shown_name} could not be opened: {why}")),
    });
}

/// Reads the file chosen in an upload input.
pub(crate) fn upload(input: &HtmlInputElement) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    input.set_value("");
    let name = file.name();
    if file.size() > MAX_UPLOAD_BYTES {
        let size = file.size();
        let name = isolate(&name);
        with_app(|app| {
            app.notify(format!(
                "{name} is too large ({size:.0} bytes; at most {MAX_UPLOAD_BYTES:.0} are read)."
            ))
        });
        return;
    }
    let on_bytes = Closure::once_into_js(move |buffer: JsValue| {
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        if let Some(page) = super::PAGE.with(|p| p.borrow().clone()) {
            open_bytes(&page, &bytes, &name);
        }
    });
    let on_error = Closure::once_into_js(move |_: JsValue| {
        with_app(|app| app.notify("The file could not be read."));
    });
    super::then_once(&file.array_buffer(), on_bytes, on_error);
}
