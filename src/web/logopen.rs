//! Opening a ShiViz-style log with the Share tab's *Import options*: a parser
//! expression, a delimiter, a host order, and the execution to open.
//!
//! With ShiViz's default expression and no delimiter the log goes to the line
//! reader ([`crate::shiviz::import`], which also reads GoVector's order). Any
//! other expression is matched by the browser's own `RegExp` in
//! `www/log-worker.js`, so a slow expression can be stopped: after
//! [`MATCH_TIMEOUT_MS`] the worker is terminated and the person told. The
//! worker's records are built into a scenario by [`crate::logimport::build`],
//! the same code as the command line's.

use super::files::open_imported;
use super::{element, with_app, Page};
use crate::bidi::isolate;
use crate::logimport::{self, HostOrder, MatchedLog};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, MessageEvent, Worker};

/// How long the worker may match before it is stopped, ms.
pub const MATCH_TIMEOUT_MS: i32 = 5_000;
/// Where the worker's script is, relative to the page.
const WORKER_URL: &str = "www/log-worker.js";

/// The last log matched by the worker: its file name and records, so another
/// execution can be opened without reading it again.
struct Matched {
    name: String,
    log: MatchedLog,
}

thread_local! {
    static LAST: RefCell<Option<Matched>> = const { RefCell::new(None) };
    static RUNNING: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

fn value_of(page: &Page, id: &str) -> String {
    element::<HtmlInputElement>(page.document(), id)
        .map(|i| i.value())
        .unwrap_or_default()
}

fn order(page: &Page) -> HostOrder {
    element::<HtmlSelectElement>(page.document(), "import-order")
        .ok()
        .and_then(|s| HostOrder::parse(&s.value()))
        .unwrap_or_default()
}

/// Opens `text` (from the file `name`) as a ShiViz-style log, with the
/// options the Share tab shows.
pub(crate) fn open_log(page: &Page, text: &str, name: String) {
    let parser = value_of(page, "import-parser");
    let delimiter = value_of(page, "import-delimiter");
    let shown = isolate(&name);
    let default = parser.trim().is_empty() || parser.trim() == crate::shiviz::SHIVIZ_REGEX;
    if default && delimiter.trim().is_empty() {
        show_executions(page, &[], 0);
        match crate::shiviz::import(text) {
            Ok(mut imported) => {
                logimport::reorder(&mut imported.scenario, order(page));
                let summary = format!(
                    "Imported {shown} as a ShiViz log: {} nodes, {} messages inferred from the vector clocks.",
                    imported.scenario.nodes.len(),
                    imported.scenario.messages.len()
                );
                open_imported(page, imported, name, &shown, summary);
            }
            Err(e) => with_app(|app| {
                app.notify(format!(
                    "{shown} is neither a scenario JSON file nor a ShiViz log this page can read: {e}"
                ))
            })
            .unwrap_or_default(),
        }
        return;
    }
    if let Err(e) = start_worker(page, text, &parser, &delimiter, name) {
        let why = e
            .as_string()
            .unwrap_or_else(|| "the browser refused".into());
        with_app(|app| {
            app.notify(format!(
                "{shown} could not be read: the matcher did not start ({why})."
            ))
        });
    }
}

fn stop_running() {
    if let Some(worker) = RUNNING.with(|r| r.borrow_mut().take()) {
        worker.terminate();
    }
}

fn start_worker(
    page: &Page,
    text: &str,
    parser: &str,
    delimiter: &str,
    name: String,
) -> Result<(), JsValue> {
    stop_running();
    let worker = Worker::new(WORKER_URL)?;
    let shown = isolate(&name);
    let finished = Rc::new(std::cell::Cell::new(false));

    let done = finished.clone();
    let me = worker.clone();
    let shown_late = shown.clone();
    let on_reply = Closure::once_into_js(move |event: MessageEvent| {
        if done.replace(true) {
            return;
        }
        me.terminate();
        RUNNING.with(|r| r.borrow_mut().take());
        let data = event.data();
        let field = |key: &str| {
            js_sys::Reflect::get(&data, &JsValue::from_str(key))
                .ok()
                .and_then(|v| v.as_string())
        };
        let Some(page) = super::PAGE.with(|p| p.borrow().clone()) else {
            return;
        };
        match (field("ok"), field("error")) {
            (Some(json), _) => match logimport::from_json(&json) {
                Ok(log) => {
                    LAST.with(|l| *l.borrow_mut() = Some(Matched { name, log }));
                    open_execution(&page, 0);
                }
                Err(e) => {
                    with_app(|app| app.notify(format!("{shown_late} could not be read: {e}.")));
                }
            },
            (None, Some(why)) => {
                with_app(|app| app.notify(format!("{shown_late} could not be read: {why}.")));
            }
            (None, None) => {
                with_app(|app| app.notify(format!("{shown_late} could not be read.")));
            }
        }
    });
    worker.set_onmessage(Some(on_reply.unchecked_ref()));

    let done = finished.clone();
    let me = worker.clone();
    let shown_stop = shown.clone();
    let on_timeout = Closure::once_into_js(move || {
        if done.replace(true) {
            return;
        }
        me.terminate();
        RUNNING.with(|r| r.borrow_mut().take());
        with_app(|app| {
            app.notify(format!(
                "The parser expression took too long on {shown_stop} (more than {} s) and was stopped. A nested repetition such as (a+)+ can take exponential time; simplify the expression and import again.",
                MATCH_TIMEOUT_MS / 1000
            ))
        });
    });
    page.window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.unchecked_ref(),
            MATCH_TIMEOUT_MS,
        )?;

    let message = js_sys::Object::new();
    js_sys::Reflect::set(&message, &"text".into(), &JsValue::from_str(text))?;
    js_sys::Reflect::set(&message, &"parser".into(), &JsValue::from_str(parser))?;
    js_sys::Reflect::set(&message, &"delimiter".into(), &JsValue::from_str(delimiter))?;
    worker.post_message(&message)?;
    RUNNING.with(|r| *r.borrow_mut() = Some(worker));
    with_app(|app| app.notify(format!("Reading {shown} with the parser expression…")));
    Ok(())
}

/// Builds and opens execution `index` of the last matched log.
fn open_execution(page: &Page, index: usize) {
    let result = LAST.with(|l| {
        let last = l.borrow();
        let m = last.as_ref()?;
        Some((m.name.clone(), logimport::build(&m.log, index, order(page))))
    });
    let Some((name, result)) = result else { return };
    let shown = isolate(&name);
    match result {
        Ok(built) => {
            show_executions(page, &built.labels, built.execution);
            let s = &built.imported.scenario;
            let which = if built.labels.len() > 1 {
                format!(" (execution {} of {})", index + 1, built.labels.len())
            } else {
                String::new()
            };
            let timed = if built.time_formats.is_empty() {
                ""
            } else {
                "; times from the log, each host's offset estimated from the messages (see the notes)"
            };
            let summary = format!(
                "Imported {shown}{which} with the parser expression: {} nodes, {} messages inferred from the vector clocks{timed}.",
                s.nodes.len(),
                s.messages.len()
            );
            open_imported(page, built.imported, name, &shown, summary);
        }
        Err(e) => {
            with_app(|app| app.notify(format!("{shown} could not be read: {e}.")));
        }
    }
}

/// Fills the execution picker (hidden unless the log has several).
fn show_executions(page: &Page, labels: &[String], chosen: usize) {
    let document = page.document();
    let (Ok(row), Ok(select)) = (
        element::<web_sys::HtmlElement>(document, "import-execution-row"),
        element::<HtmlSelectElement>(document, "import-execution"),
    ) else {
        return;
    };
    row.set_hidden(labels.len() < 2);
    select.set_inner_html("");
    for (k, label) in labels.iter().enumerate() {
        let text = if label.is_empty() {
            format!("{}", k + 1)
        } else {
            format!("{}. {label}", k + 1)
        };
        if let Ok(option) =
            web_sys::HtmlOptionElement::new_with_text_and_value(&text, &k.to_string())
        {
            let _ = select.append_child(&option);
        }
    }
    select.set_selected_index(i32::try_from(chosen).unwrap_or(0));
}

/// Wires the execution picker: choosing one opens it.
pub(crate) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    let select: HtmlSelectElement = element(page.document(), "import-execution")?;
    let chosen = select.clone();
    let weak = Rc::downgrade(page);
    page.listeners_on(select.as_ref(), "change", move |_| {
        let Some(page) = weak.upgrade() else { return };
        if let Ok(index) = chosen.value().parse::<usize>() {
            open_execution(&page, index);
        }
    })
}
