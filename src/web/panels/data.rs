//! Data: the database lens's panel. What a double-click adds (an event, a put
//! or a get, and of which key), each key's versions along time with the reads
//! of it, and the commit and read rules (commit-wait, observed timestamps,
//! the retry delay of a restarted read).

use super::bind::{data_index, target_closest, PanelView};
use super::dom::{clear, input_of, make, show_unless_typing, whole_number_in};
use crate::app::{AddKind, App, Edit};
use crate::bidi::isolate;
use crate::kv::{KvRun, Read};
use crate::scenario::CommitWait;
use crate::web::{element, with_app, Page};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlInputElement, HtmlSelectElement};

pub(super) struct DataPanel;

impl PanelView for DataPanel {
    /// The revision (the versions and reads follow from it).
    type Model = u64;

    fn model(&self, app: &App) -> Option<Self::Model> {
        if app.step_open() {
            return None; // a slider drag: read the versions once it ends
        }
        Some(app.revision())
    }

    fn render(&self, document: &Document, app: &App, _: &Self::Model) -> Result<(), JsValue> {
        let view: Element = element(document, "kv-view")?;
        let run = app.kv();
        if run.versions.is_empty() && run.reads.is_empty() {
            return Ok(()); // keeps the hint that says how to add some
        }
        clear(&view);
        for key in keys(run) {
            let block = make(document, "div")?;
            block.set_class_name("kv-key");
            let title = make(document, "h3")?;
            let shown_key = isolate(&key);
            title.set_text_content(Some(&format!("key {shown_key}")));
            block.append_child(&title)?;
            let list = make(document, "ol")?;
            list.set_class_name("kv-versions");
            let mut versions: Vec<usize> = (0..run.versions.len())
                .filter(|&v| run.versions[v].key == key)
                .collect();
            versions.sort_by_key(|&v| run.versions[v].ts);
            for v in versions {
                let version = &run.versions[v];
                let wait = if version.wait_ms > 0 {
                    format!(", acknowledged {} ms later", version.wait_ms)
                } else {
                    String::new()
                };
                let text = format!(
                    "{shown_key} = {} at {} · written by {} at real {} ms{wait}",
                    quoted(&version.value),
                    version.ts,
                    app.node_name(version.node),
                    version.written_ms
                );
                let li = item(document, &text, version.event, "kv-version")?;
                list.append_child(&li)?;
            }
            block.append_child(&list)?;
            let reads: Vec<&Read> = run.reads.iter().filter(|r| r.key == key).collect();
            if !reads.is_empty() {
                let list = make(document, "ul")?;
                list.set_class_name("kv-reads");
                for read in reads {
                    let (text, class) = read_summary(app, run, read);
                    let li = item(document, &text, read.event, class)?;
                    list.append_child(&li)?;
                }
                block.append_child(&list)?;
            }
            view.append_child(&block)?;
        }
        Ok(())
    }
}

/// Every key written or read, in order of first appearance.
fn keys(run: &KvRun) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let names = run
        .versions
        .iter()
        .map(|v| &v.key)
        .chain(run.reads.iter().map(|r| &r.key));
    for key in names {
        if !out.contains(key) {
            out.push(key.clone());
        }
    }
    out
}

/// A value in quotes, bidi-isolated like every text a person typed.
fn quoted(value: &str) -> String {
    format!("\u{201c}{}\u{201d}", isolate(value))
}

/// One line on a read: who read when, what it returned, its restarts,
/// whether it is stale.
fn read_summary(app: &App, run: &KvRun, read: &Read) -> (String, &'static str) {
    let when = read.attempts.first().map_or_else(String::new, |a| {
        format!(" at {} (real {} ms)", a.ts, a.at_ms)
    });
    let who = app.node_name(read.node);
    let got = match read.result.and_then(|v| run.versions.get(v)) {
        _ if read.gave_up() => "gave up".to_string(),
        Some(v) => format!("{} = {}", isolate(&read.key), quoted(&v.value)),
        None => "no value".to_string(),
    };
    let restarts = match read.restarts() {
        0 => String::new(),
        1 => " after 1 restart".to_string(),
        n => format!(" after {n} restarts"),
    };
    let line = format!("get by {who}{when} → {got}{restarts}");
    match read.stale.and_then(|v| run.versions.get(v)) {
        Some(missed) => (
            format!(
                "{line}: STALE, misses {} = {} acknowledged at real {} ms",
                isolate(&missed.key),
                quoted(&missed.value),
                missed.acked_ms
            ),
            "kv-read stale",
        ),
        None => (line, "kv-read"),
    }
}

/// A list item that selects trace event `event` when clicked.
fn item(document: &Document, text: &str, event: usize, class: &str) -> Result<Element, JsValue> {
    let li = make(document, "li")?;
    let button = make(document, "button")?;
    button.set_attribute("type", "button")?;
    button.set_class_name(class);
    button.set_attribute("data-event", &event.to_string())?;
    button.set_text_content(Some(text));
    li.append_child(&button)?;
    Ok(li)
}

/// Shows the add mode and the rules in the fields nobody is typing in.
pub(super) fn sync(document: &Document, app: &App) {
    let settings = app.scenario().settings;
    let focused = document.active_element();
    if let Ok(select) = element::<HtmlSelectElement>(document, "commit-wait") {
        let value = match settings.commit_wait {
            CommitWait::Off => "off",
            CommitWait::MaxOffset => "max_offset",
            CommitWait::TrueTime { .. } => "true_time",
        };
        if focused.as_ref() != Some(select.unchecked_ref::<Element>()) {
            select.set_value(value);
        }
    }
    if let (Ok(eps), CommitWait::TrueTime { eps_ms }) = (
        element::<HtmlInputElement>(document, "true-time-eps"),
        settings.commit_wait,
    ) {
        show_unless_typing(&eps, &eps_ms.to_string(), focused.as_ref());
    }
    if let Ok(observed) = element::<HtmlInputElement>(document, "observed-timestamps") {
        observed.set_checked(settings.observed_timestamps);
    }
    if let Ok(after) = element::<HtmlInputElement>(document, "restart-after") {
        show_unless_typing(
            &after,
            &settings.restart_after_ms.to_string(),
            focused.as_ref(),
        );
    }
    let kind = app.add_kind();
    if let Ok(radios) = document.query_selector_all("input[name=add-kind]") {
        for i in 0..radios.length() {
            if let Some(radio) = radios
                .item(i)
                .and_then(|n| n.dyn_into::<HtmlInputElement>().ok())
            {
                radio.set_checked(radio.value() == kind.id());
            }
        }
    }
    if let Ok(key) = element::<HtmlInputElement>(document, "add-key") {
        show_unless_typing(&key, app.add_key(), focused.as_ref());
    }
}

pub(super) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    let document = page.document().clone();
    // The add mode and its key.
    let pane: Element = element(&document, "pane-data")?;
    page.listeners_on(pane.as_ref(), "change", {
        let document = document.clone();
        move |event: Event| {
            let Some(target) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            if target.name() == "add-kind" {
                if let Some(kind) = AddKind::from_id(&target.value()) {
                    with_app(|app| app.set_add_kind(kind));
                }
            } else if target.id() == "add-key" {
                let key = target.value();
                with_app(|app| {
                    if let Err(why) = app.set_add_key(&key) {
                        app.notify(why);
                    }
                });
            } else {
                rules_changed(&document);
            }
        }
    })?;
    let select: Element = element(&document, "commit-wait")?;
    let doc = document.clone();
    page.listeners_on(select.as_ref(), "change", move |_| rules_changed(&doc))?;
    // A click on a version or a read selects its event.
    let view: Element = element(&document, "kv-view")?;
    page.listeners_on(view.as_ref(), "click", move |event: Event| {
        let Some(button) = target_closest(&event, "button[data-event]") else {
            return;
        };
        if let Some(index) = data_index(&button, "data-event") {
            with_app(|app| app.select_index(Some(index)));
        }
    })?;
    Ok(())
}

/// Reads the commit and read rules from their fields and applies them as one
/// edit, or says what is wrong with a field.
fn rules_changed(document: &Document) {
    let wait = element::<HtmlSelectElement>(document, "commit-wait").map(|s| s.value());
    let eps = whole_number_in(
        document,
        "true-time-eps",
        "ε",
        "ms",
        0,
        crate::scenario::MAX_OFFSET_LIMIT_MS,
    );
    let after = whole_number_in(
        document,
        "restart-after",
        "The retry delay",
        "ms",
        1,
        10_000,
    );
    let observed = input_of(document, "observed-timestamps").is_ok_and(|i| i.checked());
    with_app(|app| {
        let (eps, after) = match (eps, after) {
            (Ok(eps), Ok(after)) => (eps, after),
            (Err(why), _) | (_, Err(why)) => {
                app.notify(why);
                return;
            }
        };
        let mut settings = app.scenario().settings;
        settings.commit_wait = match wait.as_deref() {
            Ok("max_offset") => CommitWait::MaxOffset,
            Ok("true_time") => CommitWait::TrueTime { eps_ms: eps },
            _ => CommitWait::Off,
        };
        settings.observed_timestamps = observed;
        settings.restart_after_ms = after;
        if settings != app.scenario().settings {
            app.apply_or_notify(Edit::SetSettings(settings));
        }
    });
}
