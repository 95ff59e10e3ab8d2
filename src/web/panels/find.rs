//! The find bar over the diagram (a search, or a followed message's causal
//! chain, stepped through hit by hit), the Event tab's "Follow this
//! message", and the Clocks tab's list of lines (hide, move, group).

use super::bind::{data_index, on_click, target_closest, PanelView, Rendered};
use super::dom::{clear, make, set_hidden};
use crate::app::{App, Finding};
use crate::lanes::Rows;
use crate::sim::EventKind;
use crate::web::{element, read_app, with_app, Page};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlElement, HtmlInputElement, KeyboardEvent};

/// The find bar and the follow button.
pub(super) struct FindBar {
    bar: HtmlElement,
    input: HtmlInputElement,
    count: HtmlElement,
    toggle: HtmlElement,
    runs: HtmlInputElement,
    follow: HtmlElement,
    prev: HtmlElement,
    next: HtmlElement,
}

impl FindBar {
    pub(super) fn find(document: &Document) -> Result<Self, JsValue> {
        Ok(FindBar {
            bar: element(document, "findbar")?,
            input: element(document, "find-input")?,
            count: element(document, "find-count")?,
            toggle: element(document, "find-toggle")?,
            runs: element(document, "collapse-runs")?,
            follow: element(document, "follow-message")?,
            prev: element(document, "find-prev")?,
            next: element(document, "find-next")?,
        })
    }

    pub(super) fn sync(&self, document: &Document, app: &App) {
        let open = app.find_open();
        set_hidden(&self.bar, !open);
        let _ = self
            .toggle
            .set_attribute("aria-pressed", if open { "true" } else { "false" });
        let summary = app.found_summary();
        if self.count.text_content().unwrap_or_default() != summary {
            self.count.set_text_content(Some(&summary));
        }
        let stepping = app.found().is_some_and(|f| !f.hits.is_empty());
        for button in [&self.prev, &self.next] {
            let _ = button.toggle_attribute_with_force("disabled", !stepping);
        }
        // A followed message empties the box; the count says what is followed.
        let following = matches!(app.found().map(|f| &f.finding), Some(Finding::Follow(_)));
        let focused = document.active_element();
        let typing = focused.as_ref() == Some(self.input.unchecked_ref::<Element>());
        if following && !typing && !self.input.value().is_empty() {
            self.input.set_value("");
        }
        self.runs.set_checked(app.runs_collapsed());
        let message = app
            .selected_index()
            .and_then(|i| app.trace().event(i))
            .is_some_and(|e| e.kind() != EventKind::Local && e.partner.is_some());
        set_hidden(&self.follow, !message);
    }
}

/// Runs the search typed in the box; a bad query says why and keeps the
/// previous results.
fn run_search(input: &HtmlInputElement) {
    let text = input.value();
    with_app(|app| {
        if let Err(why) = app.search(&text) {
            app.notify(why);
        }
    });
}

pub(super) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    let document = page.document();
    let input: HtmlInputElement = element(document, "find-input")?;
    let typed = input.clone();
    page.listeners_on(input.as_ref(), "input", move |_| {
        // As the person types: a search of tens of thousands of events
        // takes milliseconds, and a half-typed filter just finds nothing yet.
        let text = typed.value();
        with_app(|app| {
            // Half-typed filters (hlc:12..) are not errors until Enter.
            let _ = app.search(&text);
        });
    })?;
    let keyed = input.clone();
    page.listeners_on(input.as_ref(), "keydown", move |event: Event| {
        let Some(key) = event.dyn_ref::<KeyboardEvent>() else {
            return;
        };
        match key.key().as_str() {
            "Enter" => {
                event.prevent_default();
                let searched = read_app(|app| {
                    matches!(app.found().map(|f| &f.finding), Some(Finding::Search(t)) if *t == keyed.value().trim())
                })
                .unwrap_or(false);
                if searched {
                    let by = if key.shift_key() { -1 } else { 1 };
                    with_app(|app| app.step_found(by));
                } else {
                    run_search(&keyed);
                }
            }
            "Escape" => {
                event.prevent_default();
                event.stop_propagation();
                keyed.set_value("");
                with_app(|app| app.set_find_open(false));
            }
            _ => {}
        }
    })?;
    on_click(page, "find-next", |app| {
        app.step_found(1);
    })?;
    on_click(page, "find-prev", |app| {
        app.step_found(-1);
    })?;
    let closed = input.clone();
    page.listeners_on(
        element::<Element>(document, "find-close")?.as_ref(),
        "click",
        move |_| {
            closed.set_value("");
            with_app(|app| app.set_find_open(false));
        },
    )?;
    let focus = input.clone();
    page.listeners_on(
        element::<Element>(document, "find-toggle")?.as_ref(),
        "click",
        move |_| {
            let open = read_app(App::find_open).unwrap_or(false);
            with_app(|app| app.set_find_open(!open));
            if !open {
                let _ = focus.focus();
            }
        },
    )?;
    let runs: HtmlInputElement = element(document, "collapse-runs")?;
    let box_ = runs.clone();
    page.listeners_on(runs.as_ref(), "change", move |_| {
        let on = box_.checked();
        with_app(|app| app.collapse_runs(on));
    })?;
    on_click(page, "follow-message", |app| {
        let Some(index) = app.selected_index() else {
            return;
        };
        if let Err(why) = app.follow_message(index) {
            app.notify(why);
        }
    })?;
    // "/" anywhere but in a field opens the find bar, as in many viewers.
    let slash = input;
    page.listeners_on(document.as_ref(), "keydown", move |event: Event| {
        let Some(key) = event.dyn_ref::<KeyboardEvent>() else {
            return;
        };
        if key.key() != "/" || key.ctrl_key() || key.meta_key() || key.alt_key() {
            return;
        }
        if target_closest(&event, "input, textarea, select, [contenteditable]").is_some() {
            return;
        }
        event.prevent_default();
        with_app(|app| app.set_find_open(true));
        let _ = slash.focus();
    })?;
    install_lines(page)
}

/// The Clocks tab's list of lines: a checkbox to show each node, arrows to
/// move it, and (grouped by name prefix) a checkbox per group.
pub(super) struct Lines {
    list: HtmlElement,
    summary: HtmlElement,
    group: HtmlInputElement,
}

impl Lines {
    pub(super) fn find(document: &Document) -> Result<Self, JsValue> {
        Ok(Lines {
            list: element(document, "lines-list")?,
            summary: element(document, "lines-summary")?,
            group: element(document, "lines-group")?,
        })
    }
}

impl PanelView for Lines {
    /// The names, the rows shown and whether they are grouped.
    type Model = (Vec<String>, Rows, bool);

    fn model(&self, app: &App) -> Option<Self::Model> {
        let names = app
            .scenario()
            .nodes
            .iter()
            .map(|n| n.name.clone())
            .collect();
        Some((names, app.rows(), app.nodes_grouped()))
    }

    fn render(&self, document: &Document, app: &App, model: &Self::Model) -> Result<(), JsValue> {
        let (names, rows, grouped) = model;
        let shown = rows.count();
        self.summary
            .set_text_content(Some(&if shown == names.len() {
                format!("Lines shown: all {shown} (hide, reorder, group)")
            } else {
                format!(
                    "Lines shown: {shown} of {} (hide, reorder, group)",
                    names.len()
                )
            }));
        self.group.set_checked(*grouped);
        clear(&self.list);
        let line = |node: usize| -> Result<Element, JsValue> {
            let li = make(document, "li")?;
            li.set_class_name("line-row");
            let label = make(document, "label")?;
            let check: HtmlInputElement = make(document, "input")?.dyn_into()?;
            check.set_type("checkbox");
            check.set_checked(!app.node_hidden(node));
            check.set_attribute("data-command", "show-line")?;
            check.set_attribute("data-node", &node.to_string())?;
            label.append_child(&check)?;
            let name = make(document, "span")?;
            name.set_text_content(Some(names.get(node).map_or("", String::as_str)));
            label.append_child(&name)?;
            li.append_child(&label)?;
            let row = rows.row_of(node);
            for (command, text, what, off) in [
                ("line-up", "↑", "up", row.is_none_or(|r| r == 0)),
                ("line-down", "↓", "down", row.is_none_or(|r| r + 1 >= shown)),
            ] {
                let button = make(document, "button")?;
                button.set_attribute("type", "button")?;
                button.set_attribute("data-command", command)?;
                button.set_attribute("data-node", &node.to_string())?;
                button.set_attribute(
                    "aria-label",
                    &format!("Move {} {what}", names.get(node).map_or("", String::as_str)),
                )?;
                button.set_text_content(Some(text));
                button.toggle_attribute_with_force("disabled", off)?;
                li.append_child(&button)?;
            }
            Ok(li)
        };
        if *grouped {
            for (prefix, members, hidden) in app.node_groups() {
                let head = make(document, "li")?;
                head.set_class_name("line-group");
                let label = make(document, "label")?;
                let check: HtmlInputElement = make(document, "input")?.dyn_into()?;
                check.set_type("checkbox");
                check.set_checked(hidden < members.len());
                check.set_indeterminate(hidden > 0 && hidden < members.len());
                check.set_attribute("data-command", "show-group")?;
                check.set_attribute("data-prefix", &prefix)?;
                label.append_child(&check)?;
                let name = make(document, "span")?;
                name.set_text_content(Some(&format!("{prefix} ({} nodes)", members.len())));
                label.append_child(&name)?;
                head.append_child(&label)?;
                self.list.append_child(&head)?;
                for node in members {
                    let li = line(node)?;
                    self.list.append_child(&li)?;
                }
            }
        } else {
            // Shown lines in their order, then the hidden ones.
            let order: Vec<usize> = rows
                .shown()
                .chain((0..names.len()).filter(|&n| !rows.shows(n)))
                .collect();
            for node in order {
                let li = line(node)?;
                self.list.append_child(&li)?;
            }
        }
        Ok(())
    }
}

fn install_lines(page: &Rc<Page>) -> Result<(), JsValue> {
    let document = page.document();
    on_click(page, "lines-show-all", App::show_all_nodes)?;
    let group: HtmlInputElement = element(document, "lines-group")?;
    let check = group.clone();
    page.listeners_on(group.as_ref(), "change", move |_| {
        let on = check.checked();
        with_app(|app| app.group_nodes(on));
    })?;
    let list: Element = element(document, "lines-list")?;
    page.listeners_on(list.as_ref(), "change", |event: Event| {
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let command = input.get_attribute("data-command").unwrap_or_default();
        let shown = input.checked();
        let result = match command.as_str() {
            "show-line" => data_index(&input, "data-node")
                .and_then(|node| with_app(|app| app.hide_node(node, !shown))),
            "show-group" => {
                let prefix = input.get_attribute("data-prefix").unwrap_or_default();
                with_app(|app| app.hide_group(&prefix, !shown))
            }
            _ => None,
        };
        if let Some(Err(why)) = result {
            input.set_checked(true);
            with_app(|app| app.notify(why));
        }
    })?;
    page.listeners_on(list.as_ref(), "click", |event: Event| {
        let Some(button) = target_closest(&event, "button[data-command]") else {
            return;
        };
        let (Some(command), Some(node)) = (
            button.get_attribute("data-command"),
            data_index(&button, "data-node"),
        ) else {
            return;
        };
        let by = if command == "line-up" { -1 } else { 1 };
        with_app(|app| app.move_node(node, by));
    })?;
    Ok(())
}

/// The lines panel, drawn again when its model changes.
pub(super) type LinesPanel = Rendered<Lines>;
