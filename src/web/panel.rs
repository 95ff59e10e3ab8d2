//! The HTML around the canvas: toolbar, node rows with their skew sliders, the
//! selected event's explanation, the snapshot verdicts, the keyboard forms, the
//! tooltip and the help overlay. Every string from the scenario reaches the DOM
//! through `textContent` or an input's `value`, never as markup.

use super::persist::Opened;
use super::{element, with_app, Page};
use crate::app::{App, ClockView, Edit};
use crate::scenario::{Message, MAX_SKEW_MS, MAX_TIME_MS};
use crate::table::Column;
use hlc::{Time, Timestamp};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, Event, HtmlButtonElement, HtmlElement, HtmlInputElement, HtmlSelectElement,
};

/// The slider's range, widened when a typed skew lies outside it.
const SLIDER_RANGE_MS: Time = 1_000;
/// What the rendered table shows: revision, sort column and order, selection.
type TableKey = (u64, Column, bool, Option<usize>);
/// A download button's action.
type Export = fn(&Page) -> Result<(), JsValue>;

/// Most rows the table shows (the rest are reached by sorting).
const MAX_TABLE_ROWS: usize = 500;

/// A timestamp packed into 64 bits, bit by bit.
fn packed_view(document: &Document, ts: Timestamp) -> Result<Element, JsValue> {
    let packed = make(document, "div")?;
    packed.set_class_name("bits");
    match crate::app::packed_bits(ts) {
        Ok((l_bits, c_bits, hex)) => {
            let title = paragraph(
                document,
                &format!("packed into 64 bits (48 of l, 16 of c): {hex}"),
                Some("hint"),
            )?;
            packed.append_child(&title)?;
            for (text, class) in [(format!("l {l_bits}"), "l"), (format!("c {c_bits}"), "c")] {
                let p = paragraph(document, &text, Some(class))?;
                packed.append_child(&p)?;
            }
        }
        Err(why) => {
            let p = paragraph(
                document,
                &format!("Does not pack into 64 bits: {why}."),
                Some("hint"),
            )?;
            packed.append_child(&p)?;
        }
    }
    Ok(packed)
}

fn number_input(
    document: &Document,
    class: &str,
    value: &str,
    node_index: usize,
) -> Result<HtmlInputElement, JsValue> {
    let input: HtmlInputElement = make(document, "input")?.dyn_into()?;
    input.set_type("number");
    input.set_class_name(class);
    input.set_step("1");
    input.set_value(value);
    input.set_attribute("data-node", &node_index.to_string())?;
    Ok(input)
}

fn labelled(
    document: &Document,
    before: &str,
    input: &HtmlInputElement,
    after: &str,
) -> Result<Element, JsValue> {
    let label = make(document, "label")?;
    label.append_child(&document.create_text_node(before))?;
    label.append_child(input)?;
    label.append_child(&document.create_text_node(after))?;
    Ok(label)
}

fn small_button(
    document: &Document,
    class: &str,
    text: &str,
    node_index: usize,
) -> Result<Element, JsValue> {
    let button = make(document, "button")?;
    button.set_attribute("type", "button")?;
    button.set_class_name(class);
    button.set_attribute("data-node", &node_index.to_string())?;
    button.set_text_content(Some(text));
    Ok(button)
}

/// A node's drift and clock steps, folded under "clock faults".
fn fault_editor(
    document: &Document,
    node_index: usize,
    node: &crate::scenario::Node,
) -> Result<Element, JsValue> {
    let details = make(document, "details")?;
    details.set_class_name("faults");
    details.set_attribute("data-node", &node_index.to_string())?;
    let summary = make(document, "summary")?;
    let mut title = "clock faults: drift and steps".to_string();
    if node.drift_ppm != 0 || !node.steps.is_empty() {
        title.push_str(&format!(
            " ({:+} ppm, {} step(s))",
            node.drift_ppm,
            node.steps.len()
        ));
    }
    summary.set_text_content(Some(&title));
    details.append_child(&summary)?;
    let row = make(document, "div")?;
    row.set_class_name("row");
    let drift = number_input(
        document,
        "drift-value",
        &node.drift_ppm.to_string(),
        node_index,
    )?;
    drift.set_min(&(-crate::scenario::MAX_DRIFT_PPM).to_string());
    drift.set_max(&crate::scenario::MAX_DRIFT_PPM.to_string());
    drift.set_attribute(
        "aria-label",
        &format!("Drift of node {} in ppm", node_index + 1),
    )?;
    let child = labelled(document, "drift ", &drift, " ppm")?;
    row.append_child(&child)?;
    details.append_child(&row)?;
    for (k, step) in node.steps.iter().enumerate() {
        let line = make(document, "div")?;
        line.set_class_name("row");
        let text = make(document, "span")?;
        text.set_text_content(Some(&format!(
            "at {} ms the clock steps {:+} ms",
            step.at_ms, step.by_ms
        )));
        line.append_child(&text)?;
        let remove = small_button(document, "remove-step", "✕", node_index)?;
        remove.set_attribute("data-step", &k.to_string())?;
        remove.set_attribute("aria-label", "Remove this clock step")?;
        line.append_child(&remove)?;
        details.append_child(&line)?;
    }
    let add = make(document, "div")?;
    add.set_class_name("row");
    let at = number_input(document, "step-at", "500", node_index)?;
    let by = number_input(document, "step-by", "-100", node_index)?;
    let child = labelled(document, "step at ", &at, " ms")?;
    add.append_child(&child)?;
    let child = labelled(document, "by ", &by, " ms")?;
    add.append_child(&child)?;
    let child = small_button(document, "add-step", "Add step", node_index)?;
    add.append_child(&child)?;
    details.append_child(&add)?;
    Ok(details)
}

/// A trace event's explanation ([`App::describe`] and its packed bits), text
/// only: the side panel and the touch sheet (`super::sheet`) both show it.
pub(crate) fn append_explanation(
    document: &Document,
    app: &App,
    index: usize,
    parent: &Element,
) -> Result<(), JsValue> {
    for (k, line) in app.describe(index).iter().enumerate() {
        let class = match k {
            0 => Some("title"),
            3 => Some("why"),
            _ => None,
        };
        let p = paragraph(document, line, class)?;
        parent.append_child(&p)?;
    }
    if let Some(e) = app.trace().event(index) {
        let child = packed_view(document, e.hlc())?;
        parent.append_child(&child)?;
    }
    Ok(())
}

pub(crate) struct Panel {
    nodes: HtmlElement,
    details: HtmlElement,
    snap_result: HtmlElement,
    tooltip: HtmlElement,
    help: HtmlElement,
    delete_button: HtmlButtonElement,
    undo_button: HtmlButtonElement,
    redo_button: HtmlButtonElement,
    play_button: HtmlButtonElement,
    structure: RefCell<String>,
    table_shown: Cell<bool>,
    table_sort: Cell<(Column, bool)>,
    table_key: RefCell<Option<TableKey>>,
    invariants_key: RefCell<Option<(u64, ClockView)>>,
    details_key: RefCell<Option<(u64, Option<usize>)>>,
    snapshot_key: RefCell<Option<(u64, Option<Timestamp>)>>,
    tooltip_for: Cell<Option<(u64, usize)>>,
}

fn make(document: &Document, tag: &str) -> Result<Element, JsValue> {
    document.create_element(tag)
}

fn paragraph(document: &Document, text: &str, class: Option<&str>) -> Result<Element, JsValue> {
    let p = make(document, "p")?;
    p.set_text_content(Some(text));
    if let Some(class) = class {
        p.set_class_name(class);
    }
    Ok(p)
}

fn clear(element: &Element) {
    while let Some(child) = element.first_child() {
        let _ = element.remove_child(&child);
    }
}

fn set_hidden(element: &Element, hidden: bool) {
    let _ = if hidden {
        element.set_attribute("hidden", "")
    } else {
        element.remove_attribute("hidden")
    };
}

/// Shows `value` in a field, unless the field has the focus: what the person
/// is typing there is theirs until they commit it.
fn show_unless_typing(field: &HtmlInputElement, value: &str, focused: Option<&Element>) {
    let is_focused = focused.is_some_and(|f| f == field.unchecked_ref::<Element>());
    if !is_focused && field.value() != value {
        field.set_value(value);
    }
}

fn data_node(target: &Element) -> Option<usize> {
    target.get_attribute("data-node")?.parse().ok()
}

/// The control an event on a node row came from, and the node it belongs to
/// (its `data-node`).
fn node_control<T: JsCast + AsRef<Element>>(event: &Event) -> Option<(T, usize)> {
    let control = event.target()?.dyn_into::<T>().ok()?;
    let node = data_node(control.as_ref())?;
    Some((control, node))
}

/// A whole number of ms in `min..=max` typed into a number field.
/// A whole number typed in `input` within `min..=max`, or a sentence saying
/// what `what` must be, in `unit`s.
fn whole_number(
    input: &HtmlInputElement,
    what: &str,
    unit: &str,
    min: Time,
    max: Time,
) -> Result<Time, String> {
    let v = input.value_as_number();
    if v.is_finite() && v.fract() == 0.0 && v >= min as f64 && v <= max as f64 {
        Ok(v as Time)
    } else {
        Err(format!(
            "{what} must be a whole number of {unit} from {min} to {max}."
        ))
    }
}

/// [`whole_number`] in milliseconds.
fn whole_ms(input: &HtmlInputElement, what: &str, min: Time, max: Time) -> Result<Time, String> {
    whole_number(input, what, "ms", min, max)
}

impl Panel {
    pub(crate) fn find(document: &Document) -> Result<Panel, JsValue> {
        let panel = Panel {
            nodes: element(document, "nodes")?,
            details: element(document, "details")?,
            snap_result: element(document, "snap-result")?,
            tooltip: element(document, "tooltip")?,
            help: element(document, "help")?,
            delete_button: element(document, "delete")?,
            undo_button: element(document, "undo")?,
            redo_button: element(document, "redo")?,
            play_button: element(document, "play")?,
            structure: RefCell::new(String::new()),
            table_shown: Cell::new(false),
            table_sort: Cell::new((Column::Index, false)),
            table_key: RefCell::new(None),
            invariants_key: RefCell::new(None),
            details_key: RefCell::new(None),
            snapshot_key: RefCell::new(None),
            tooltip_for: Cell::new(None),
        };
        let views: HtmlSelectElement = element(document, "clock-view")?;
        for view in ClockView::ALL {
            let option = make(document, "option")?;
            option.set_attribute("value", view.id())?;
            option.set_text_content(Some(view.title()));
            views.append_child(&option)?;
        }
        let head: Element = element(document, "event-table-head")?;
        for (k, column) in Column::ALL.iter().enumerate() {
            let th = make(document, "th")?;
            let button = make(document, "button")?;
            button.set_attribute("type", "button")?;
            button.set_attribute("data-column", &k.to_string())?;
            button.set_text_content(Some(column.title()));
            th.append_child(&button)?;
            head.append_child(&th)?;
        }
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
        // Touch rows first, shown on a touch screen (`super::pointer`
        // unhides them); the mouse and keyboard rows always.
        let table: Element = element(document, "help-table")?;
        let tables = [
            ("help-touch", "Touch", crate::input::TOUCH_HELP),
            ("help-mouse", "Mouse and keyboard", crate::input::HELP),
        ];
        for (id, title, rows) in tables {
            let body = make(document, "tbody")?;
            body.set_id(id);
            set_hidden(&body, id == "help-touch");
            let head = make(document, "tr")?;
            let th = make(document, "th")?;
            th.set_attribute("colspan", "2")?;
            th.set_text_content(Some(title));
            head.append_child(&th)?;
            body.append_child(&head)?;
            for (keys, what) in rows {
                let row = make(document, "tr")?;
                for text in [keys, what] {
                    let cell = make(document, "td")?;
                    cell.set_text_content(Some(text));
                    row.append_child(&cell)?;
                }
                body.append_child(&row)?;
            }
            table.append_child(&body)?;
        }
        Ok(panel)
    }

    /// Brings the DOM in line with the app.
    pub(crate) fn sync(&self, page: &Page) {
        let Ok(app) = page.app().try_borrow() else {
            return;
        };
        let document = page.document();
        let _ = self.sync_nodes(document, &app);
        self.delete_button.set_disabled(app.selection().is_none());
        self.undo_button.set_disabled(!app.can_undo());
        self.redo_button.set_disabled(!app.can_redo());
        set_hidden(&self.help, !app.help_shown());
        let _ = self.sync_details(document, &app);
        let _ = self.sync_invariants(document, &app);
        let _ = self.sync_table(document, &app);
        self.sync_settings(document, &app);
        let _ = self.sync_snapshot(document, &app);
        self.sync_tooltip(&app);
        self.sync_play_button(&app);
    }

    pub(crate) fn sync_playback(&self, page: &Page) {
        if let Ok(app) = page.app().try_borrow() {
            self.sync_play_button(&app);
        }
    }

    fn sync_play_button(&self, app: &App) {
        let playing = app.playback().is_some_and(|p| p.playing);
        let label = if playing { "❚❚ Pause" } else { "▶ Play" };
        if self.play_button.text_content().as_deref() != Some(label) {
            self.play_button.set_text_content(Some(label));
        }
    }

    fn sync_nodes(&self, document: &Document, app: &App) -> Result<(), JsValue> {
        let nodes = &app.scenario().nodes;
        let signature: String = nodes
            .iter()
            .map(|n| format!("{}\u{0}{:?}\u{0}", n.name, n.steps))
            .collect();
        if *self.structure.borrow() != signature {
            *self.structure.borrow_mut() = signature;
            // Keep open the fault editors that were open.
            let open_faults: Vec<bool> = (0..nodes.len())
                .map(|i| {
                    self.nodes
                        .query_selector(&format!("details.faults[data-node=\"{i}\"]"))
                        .ok()
                        .flatten()
                        .is_some_and(|d| d.has_attribute("open"))
                })
                .collect();
            clear(&self.nodes);
            for (i, node) in nodes.iter().enumerate() {
                let row = make(document, "div")?;
                row.set_class_name("node-row");
                let name: HtmlInputElement = make(document, "input")?.dyn_into()?;
                name.set_type("text");
                name.set_class_name("node-name");
                name.set_value(&node.name);
                name.set_max_length(crate::scenario::MAX_NAME_CHARS as i32);
                name.set_attribute("aria-label", &format!("Name of node {}", i + 1))?;
                let slider: HtmlInputElement = make(document, "input")?.dyn_into()?;
                slider.set_type("range");
                slider.set_class_name("skew-slider");
                slider.set_step("1");
                slider.set_attribute("aria-label", &format!("Clock skew of node {}, ms", i + 1))?;
                let number: HtmlInputElement = make(document, "input")?.dyn_into()?;
                number.set_type("number");
                number.set_class_name("skew-value");
                number.set_step("1");
                number.set_min(&(-MAX_SKEW_MS).to_string());
                number.set_max(&MAX_SKEW_MS.to_string());
                number.set_attribute(
                    "aria-label",
                    &format!("Clock skew of node {} in ms (type a value)", i + 1),
                )?;
                let remove: HtmlButtonElement = make(document, "button")?.dyn_into()?;
                remove.set_type("button");
                remove.set_class_name("remove-node");
                remove.set_text_content(Some("✕"));
                remove.set_title("Remove this node and its events");
                remove.set_attribute("aria-label", &format!("Remove node {}", i + 1))?;
                remove.set_disabled(nodes.len() == 1);
                for el in [name.unchecked_ref::<Element>(), &slider, &number, &remove] {
                    el.set_attribute("data-node", &i.to_string())?;
                    row.append_child(el)?;
                }
                let faults = fault_editor(document, i, node)?;
                if open_faults.get(i).copied().unwrap_or(false) {
                    faults.set_attribute("open", "")?;
                }
                row.append_child(&faults)?;
                self.nodes.append_child(&row)?;
            }
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
        }
        let focused = document.active_element();
        let rows = self.nodes.children();
        for (i, node) in nodes.iter().enumerate() {
            let Some(row) = rows.item(i as u32) else {
                continue;
            };
            let Some(slider) = row
                .query_selector(".skew-slider")?
                .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
            else {
                continue;
            };
            let range = node.skew_ms.abs().max(SLIDER_RANGE_MS);
            let (min, max) = ((-range).to_string(), range.to_string());
            if slider.min() != min || slider.max() != max {
                slider.set_min(&min);
                slider.set_max(&max);
            }
            let value = node.skew_ms.to_string();
            if slider.value() != value {
                slider.set_value(&value);
            }
            for (class, value) in [
                (".drift-value", node.drift_ppm.to_string()),
                (".skew-value", value),
            ] {
                if let Some(field) = row
                    .query_selector(class)?
                    .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
                {
                    show_unless_typing(&field, &value, focused.as_ref());
                }
            }
        }
        Ok(())
    }

    fn sync_details(&self, document: &Document, app: &App) -> Result<(), JsValue> {
        let key = (app.revision(), app.selected_index());
        if *self.details_key.borrow() == Some(key) {
            return Ok(());
        }
        *self.details_key.borrow_mut() = Some(key);
        clear(&self.details);
        match app.selected_index() {
            Some(index) => {
                append_explanation(document, app, index, &self.details)?;
                let legend = "Green: its causal past. Amber: its causal future. Grey: concurrent.";
                let p = paragraph(document, legend, Some("hint"))?;
                self.details.append_child(&p)?;
            }
            None => {
                let hint = "Click an event (or use the arrow keys) to see its timestamp explained.";
                let p = paragraph(document, hint, Some("hint"))?;
                self.details.append_child(&p)?;
            }
        }
        Ok(())
    }

    fn sync_invariants(&self, document: &Document, app: &App) -> Result<(), JsValue> {
        // Checked once the drag ends (its end syncs again), not on every
        // input event of a slider drag: measured 3.5 ms of a 16 ms frame at
        // 10,000 events.
        if app.step_open() {
            return Ok(());
        }
        let key = (app.revision(), app.clock_view());
        if *self.invariants_key.borrow() == Some(key) {
            return Ok(());
        }
        *self.invariants_key.borrow_mut() = Some(key);
        let list: Element = element(document, "invariants")?;
        clear(&list);
        let clock = match app.clock_view().checked_clock() {
            crate::analysis::CheckedClock::Hlc => "Checked on the HLC after every edit.",
            crate::analysis::CheckedClock::Naive => {
                "Checked on the naive Figure 3 clock (the label view)."
            }
        };
        element::<Element>(document, "invariants-clock")?.set_text_content(Some(clock));
        for (k, check) in app.invariant_checks().iter().enumerate() {
            let item = make(document, "li")?;
            let text = format!("{}: {}", check.invariant.statement(), check.measured);
            if check.holds {
                item.set_class_name("verdict-ok");
                item.set_text_content(Some(&text));
            } else {
                let button = make(document, "button")?;
                button.set_attribute("type", "button")?;
                button.set_class_name("verdict-bad");
                button.set_attribute("data-invariant", &k.to_string())?;
                button.set_attribute("title", "Select the first event that breaks it")?;
                button.set_text_content(Some(&format!(
                    "{text} ({} event(s); click to select the first)",
                    check.offender_count
                )));
                item.append_child(&button)?;
            }
            list.append_child(&item)?;
        }
        Ok(())
    }

    fn sync_table(&self, document: &Document, app: &App) -> Result<(), JsValue> {
        let section: Element = element(document, "table-view")?;
        set_hidden(&section, !self.table_shown.get());
        if !self.table_shown.get() {
            return Ok(());
        }
        let (column, descending) = self.table_sort.get();
        let key = (app.revision(), column, descending, app.selected_index());
        if *self.table_key.borrow() == Some(key) {
            return Ok(());
        }
        *self.table_key.borrow_mut() = Some(key);
        let body: Element = element(document, "event-table-body")?;
        clear(&body);
        let rows = crate::table::sorted_rows(app.scenario(), app.trace(), column, descending);
        for &index in rows.iter().take(MAX_TABLE_ROWS) {
            let tr = make(document, "tr")?;
            tr.set_attribute("data-index", &index.to_string())?;
            if app.selected_index() == Some(index) {
                tr.set_class_name("selected");
            }
            for column in Column::ALL {
                let td = make(document, "td")?;
                if column.numeric() {
                    td.set_class_name("num");
                }
                td.set_text_content(Some(&crate::table::cell(
                    app.scenario(),
                    app.trace(),
                    index,
                    column,
                )));
                tr.append_child(&td)?;
            }
            body.append_child(&tr)?;
        }
        let order = if descending {
            "descending"
        } else {
            "ascending"
        };
        let note = if rows.len() > MAX_TABLE_ROWS {
            format!(
                "Showing the first {MAX_TABLE_ROWS} of {} events, sorted by {} ({order}).",
                rows.len(),
                column.title()
            )
        } else {
            format!(
                "{} events, sorted by {} ({order}).",
                rows.len(),
                column.title()
            )
        };
        element::<Element>(document, "table-note")?.set_text_content(Some(&note));
        Ok(())
    }

    fn sync_settings(&self, document: &Document, app: &App) {
        let settings = app.scenario().settings;
        let focused = document.active_element();
        let set = |id: &str, value: String| {
            if let Ok(input) = element::<HtmlInputElement>(document, id) {
                show_unless_typing(&input, &value, focused.as_ref());
            }
        };
        if let Ok(enabled) = element::<HtmlInputElement>(document, "max-offset-on") {
            enabled.set_checked(settings.max_offset_ms.is_some());
        }
        if let Some(bound) = settings.max_offset_ms {
            set("max-offset", bound.to_string());
        }
        set("counter-bits", settings.counter_bits.to_string());
    }

    pub(crate) fn toggle_table(&self) -> bool {
        let shown = !self.table_shown.get();
        self.table_shown.set(shown);
        shown
    }

    pub(crate) fn sort_table(&self, column: Column) {
        let (current, descending) = self.table_sort.get();
        self.table_sort
            .set((column, current == column && !descending));
    }

    fn sync_snapshot(&self, document: &Document, app: &App) -> Result<(), JsValue> {
        let key = (app.revision(), app.snapshot().map(|s| s.theta));
        if *self.snapshot_key.borrow() == Some(key) {
            return Ok(());
        }
        *self.snapshot_key.borrow_mut() = Some(key);
        clear(&self.snap_result);
        let (Some(snapshot), Some((hlc_cut, physical_cut))) = (app.snapshot(), app.cuts()) else {
            return Ok(());
        };
        if let Ok(l) = element::<HtmlInputElement>(document, "snap-l") {
            l.set_value(&snapshot.theta.l.to_string());
        }
        if let Ok(c) = element::<HtmlInputElement>(document, "snap-c") {
            c.set_value(&snapshot.theta.c.to_string());
        }
        let (text, class) = if hlc_cut.is_consistent() {
            (format!("HLC cut at {}: consistent.", snapshot.theta), "ok")
        } else {
            (
                format!("HLC cut at {}: inconsistent!", snapshot.theta),
                "bad",
            )
        };
        let p = paragraph(document, &text, Some(class))?;
        self.snap_result.append_child(&p)?;
        let (text, class) = if physical_cut.is_consistent() {
            (
                format!(
                    "Cut where each clock reads {} ms: consistent here.",
                    snapshot.theta.l
                ),
                "ok",
            )
        } else {
            let names: Vec<String> = physical_cut
                .crossing
                .iter()
                .filter_map(|&r| app.trace().event(r))
                .map(|e| match e.source {
                    crate::scenario::EventRef::Recv(m) => format!("m{m}"),
                    other => other.to_string(),
                })
                .collect();
            (
                format!(
                    "Cut where each clock reads {} ms: inconsistent: {} received inside it but sent outside.",
                    snapshot.theta.l,
                    names.join(", ")
                ),
                "bad",
            )
        };
        let p = paragraph(document, &text, Some(class))?;
        self.snap_result.append_child(&p)?;
        Ok(())
    }

    fn sync_tooltip(&self, app: &App) {
        let shown = app
            .hover()
            .filter(|_| app.gesture() == crate::input::Gesture::Idle)
            .and_then(|i| Some((i, app.layout().event_point(app.trace(), i)?)));
        let Some((index, (x, y))) = shown else {
            self.tooltip_for.set(None);
            set_hidden(&self.tooltip, true);
            return;
        };
        if self.tooltip_for.replace(Some((app.revision(), index))) != Some((app.revision(), index))
        {
            self.tooltip
                .set_text_content(Some(&app.describe(index).join("\n")));
        }
        let width = app.viewport.width;
        let style = self.tooltip.style();
        let left = if x > width * 0.6 {
            (x - 392.0).max(4.0)
        } else {
            x + 14.0
        };
        let _ = style.set_property("left", &format!("{left:.0}px"));
        let _ = style.set_property("top", &format!("{:.0}px", y + 14.0));
        set_hidden(&self.tooltip, false);
    }
}

fn on_click(
    page: &Rc<Page>,
    id: &str,
    mut handler: impl FnMut(&mut App) + 'static,
) -> Result<(), JsValue> {
    let target: Element = element(page.document(), id)?;
    page.listeners_on(target.as_ref(), "click", move |_| {
        with_app(&mut handler);
    })
}

fn input_of(document: &Document, id: &str) -> Result<HtmlInputElement, JsValue> {
    element(document, id)
}

/// The whole number of `unit`s typed in input `#id`, within `min..=max`.
fn whole_number_in(
    document: &Document,
    id: &str,
    what: &str,
    unit: &str,
    min: Time,
    max: Time,
) -> Result<Time, String> {
    let input = input_of(document, id).map_err(|_| format!("The page has no field for {what}."))?;
    whole_number(&input, what, unit, min, max)
}

fn selected_node(document: &Document, id: &str) -> Option<usize> {
    element::<HtmlSelectElement>(document, id)
        .ok()?
        .value()
        .parse()
        .ok()
}

/// Wires the toolbar, the node rows (by delegation on their container, so
/// rebuilt rows need no new listeners), the snapshot controls and the forms.
pub(crate) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    on_click(page, "fit", App::fit)?;
    on_click(page, "zoom-in", |app| {
        let centre = crate::layout::GUTTER + app.viewport.plot_width() / 2.0;
        app.viewport.zoom(1.25, centre);
    })?;
    on_click(page, "zoom-out", |app| {
        let centre = crate::layout::GUTTER + app.viewport.plot_width() / 2.0;
        app.viewport.zoom(0.8, centre);
    })?;
    on_click(page, "play", App::toggle_play)?;
    on_click(page, "stop", App::stop_playback)?;
    on_click(page, "delete", App::delete_selected)?;
    on_click(page, "help-button", |app| app.set_help(!app.help_shown()))?;
    on_click(page, "help-close", |app| app.set_help(false))?;
    on_click(page, "add-node", |app| {
        app.apply_or_notify(Edit::AddNode);
    })?;
    on_click(page, "snap-clear", |app| app.set_snapshot(None))?;
    let document = page.document().clone();
    on_click(page, "snap-take", move |app| {
        let l = input_of(&document, "snap-l")
            .map(|i| i.value_as_number())
            .unwrap_or(f64::NAN);
        let c = input_of(&document, "snap-c")
            .map(|i| i.value_as_number())
            .unwrap_or(f64::NAN);
        let in_range = |v: f64, max: f64| v.is_finite() && v.fract() == 0.0 && v.abs() <= max;
        if in_range(l, MAX_TIME_MS as f64 * 2.0) && in_range(c, f64::from(u32::MAX)) && c >= 0.0 {
            app.set_snapshot(Some(Timestamp::new(l as Time, c as u32)));
        } else {
            app.notify("A snapshot time needs a whole l (ms) and a whole c of 0 or more.");
        }
    })?;

    let speed: HtmlSelectElement = element(page.document(), "speed")?;
    let speed_select = speed.clone();
    page.listeners_on(speed.as_ref(), "change", move |_| {
        let value: f64 = speed_select
            .value()
            .parse()
            .unwrap_or(crate::app::PLAY_SPEEDS[1]);
        with_app(|app| app.set_play_speed(value));
    })?;

    on_click(page, "undo", |app| {
        app.undo();
    })?;
    on_click(page, "redo", |app| {
        app.redo();
    })?;
    for id in ["copy-link", "copy-link-2"] {
        let target: Element = element(page.document(), id)?;
        let weak = Rc::downgrade(page);
        page.listeners_on(target.as_ref(), "click", move |_| {
            if let Some(page) = weak.upgrade() {
                page.copy_link();
            }
        })?;
    }
    install_presets(page)?;
    install_files(page)?;
    install_clocks(page)?;
    install_node_rows(page)?;
    install_forms(page)?;
    Ok(())
}

/// The element matching `selector` at or above an event's target.
fn target_closest(event: &Event, selector: &str) -> Option<Element> {
    event
        .target()?
        .dyn_into::<Element>()
        .ok()?
        .closest(selector)
        .ok()
        .flatten()
}

fn data_index(element: &Element, attribute: &str) -> Option<usize> {
    element.get_attribute(attribute)?.parse().ok()
}

fn install_clocks(page: &Rc<Page>) -> Result<(), JsValue> {
    let select: HtmlSelectElement = element(page.document(), "clock-view")?;
    let chosen = select.clone();
    page.listeners_on(select.as_ref(), "change", move |_| {
        if let Some(view) = ClockView::from_id(&chosen.value()) {
            with_app(|app| app.set_clock_view(view));
        }
    })?;

    let toggle: Element = element(page.document(), "toggle-table")?;
    let weak = Rc::downgrade(page);
    let button = toggle.clone();
    page.listeners_on(toggle.as_ref(), "click", move |_| {
        if let Some(page) = weak.upgrade() {
            let shown = page.panel.toggle_table();
            let _ = button.set_attribute("aria-pressed", if shown { "true" } else { "false" });
            page.changed();
        }
    })?;
    let head: Element = element(page.document(), "event-table-head")?;
    let weak = Rc::downgrade(page);
    page.listeners_on(head.as_ref(), "click", move |event: Event| {
        let column = target_closest(&event, "button[data-column]")
            .and_then(|b| data_index(&b, "data-column"))
            .and_then(|k| Column::ALL.get(k).copied());
        if let (Some(page), Some(column)) = (weak.upgrade(), column) {
            page.panel.sort_table(column);
            page.changed();
        }
    })?;
    let body: Element = element(page.document(), "event-table-body")?;
    page.listeners_on(body.as_ref(), "click", |event: Event| {
        if let Some(index) =
            target_closest(&event, "tr[data-index]").and_then(|r| data_index(&r, "data-index"))
        {
            with_app(|app| app.select_index(Some(index)));
        }
    })?;
    let list: Element = element(page.document(), "invariants")?;
    page.listeners_on(list.as_ref(), "click", |event: Event| {
        let invariant = target_closest(&event, "button[data-invariant]")
            .and_then(|b| data_index(&b, "data-invariant"))
            .and_then(|k| crate::analysis::Invariant::ALL.get(k).copied());
        if let Some(invariant) = invariant {
            with_app(|app| {
                if !app.select_offender(invariant) {
                    app.notify("That invariant holds now.");
                }
            });
        }
    })?;

    for id in ["max-offset-on", "max-offset", "counter-bits"] {
        let document = page.document().clone();
        let input: Element = element(page.document(), id)?;
        page.listeners_on(input.as_ref(), "change", move |_| {
            let enabled = input_of(&document, "max-offset-on").is_ok_and(|i| i.checked());
            let limit = crate::scenario::MAX_OFFSET_LIMIT_MS;
            let bound = whole_number_in(&document, "max-offset", "The max offset", "ms", 0, limit);
            let bits = whole_number_in(
                &document,
                "counter-bits",
                "The counter width",
                "bits",
                1,
                32,
            );
            with_app(|app| match (bound, bits) {
                (Ok(bound), Ok(bits)) => {
                    let settings = crate::scenario::Settings {
                        max_offset_ms: enabled.then_some(bound),
                        counter_bits: bits as u8,
                    };
                    app.apply_or_notify(Edit::SetSettings(settings));
                }
                (Err(why), _) | (_, Err(why)) => app.notify(why),
            });
        })?;
    }
    Ok(())
}

fn install_presets(page: &Rc<Page>) -> Result<(), JsValue> {
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

fn install_files(page: &Rc<Page>) -> Result<(), JsValue> {
    let exports: [(&str, Export); 4] = [
        ("export-json", |page| {
            let json = super::read_app_of(page, |app| app.scenario().to_json()).unwrap_or_default();
            super::files::download_text(page, &json, "application/json", "hlc-scenario.json")
        }),
        ("export-png", super::files::download_png),
        ("export-svg", |page| {
            let svg = super::read_app_of(page, crate::svg::app_to_svg).unwrap_or_default();
            super::files::download_text(page, &svg, "image/svg+xml", "hlc-diagram.svg")
        }),
        ("export-shiviz", |page| {
            let log = super::read_app_of(page, |app| {
                crate::shiviz::export(app.scenario(), app.trace())
            })
            .unwrap_or_default();
            super::files::download_text(page, &log, "text/plain", "hlc-shiviz.log")
        }),
    ];
    for (id, export) in exports {
        let target: Element = element(page.document(), id)?;
        let weak = Rc::downgrade(page);
        page.listeners_on(target.as_ref(), "click", move |_| {
            if let Some(page) = weak.upgrade() {
                if let Err(e) = export(&page) {
                    let why = e
                        .as_string()
                        .unwrap_or_else(|| "the browser refused".into());
                    with_app(|app| app.notify(format!("Export failed: {why}")));
                }
            }
        })?;
    }
    let input: HtmlInputElement = element(page.document(), "import-file")?;
    let chosen = input.clone();
    page.listeners_on(input.as_ref(), "change", move |_| {
        super::files::upload(&chosen)
    })?;

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

fn install_node_rows(page: &Rc<Page>) -> Result<(), JsValue> {
    let container: Element = element(page.document(), "nodes")?;
    page.listeners_on(container.as_ref(), "input", |event: Event| {
        let Some((input, node)) = node_control::<HtmlInputElement>(&event) else {
            return;
        };
        let class = input.class_name();
        // Only the slider applies live; a typed value applies on `change`
        // (Enter or leaving the field), so no half-typed prefix is ever kept.
        if class == "skew-slider" {
            if let Ok(skew_ms) = whole_ms(&input, "A skew", -MAX_SKEW_MS, MAX_SKEW_MS) {
                with_app(|app| {
                    if let Err(why) = app.apply_continuing(Edit::SetSkew { node, skew_ms }) {
                        app.notify(why);
                    }
                });
            }
        }
    })?;
    page.listeners_on(container.as_ref(), "change", |event: Event| {
        let Some((input, node)) = node_control::<HtmlInputElement>(&event) else {
            return;
        };
        match input.class_name().as_str() {
            "node-name" => {
                let name = input.value();
                let kept = with_app(|app| app.apply_or_notify(Edit::RenameNode { node, name }));
                if kept == Some(false) {
                    let old = super::read_app(|app| {
                        app.scenario().nodes.get(node).map(|n| n.name.clone())
                    })
                    .flatten()
                    .unwrap_or_default();
                    input.set_value(&old);
                }
            }
            "skew-value" => match whole_ms(&input, "A skew", -MAX_SKEW_MS, MAX_SKEW_MS) {
                Ok(skew_ms) => {
                    with_app(|app| app.apply_or_notify(Edit::SetSkew { node, skew_ms }));
                }
                Err(why) => {
                    let current =
                        super::read_app(|app| app.scenario().nodes.get(node).map(|n| n.skew_ms));
                    if let Some(Some(skew)) = current {
                        input.set_value(&skew.to_string());
                    }
                    with_app(|app| app.notify(why));
                }
            },
            "skew-slider" => {
                // The drag (or key press) on the slider is over: one undo step.
                with_app(App::end_step);
            }
            "drift-value" => {
                let limit = crate::scenario::MAX_DRIFT_PPM;
                match whole_number(&input, "A drift", "ppm", -limit, limit) {
                    Ok(drift_ppm) => {
                        with_app(|app| app.apply_or_notify(Edit::SetDrift { node, drift_ppm }))
                    }
                    Err(why) => with_app(|app| {
                        app.notify(why);
                        false
                    }),
                };
            }
            _ => {}
        }
    })?;
    page.listeners_on(container.as_ref(), "click", |event: Event| {
        let Some((button, node)) = node_control::<HtmlButtonElement>(&event) else {
            return;
        };
        match button.class_name().as_str() {
            "remove-node" => {
                with_app(|app| app.apply_or_notify(Edit::RemoveNode(node)));
            }
            "remove-step" => {
                let Some(k) = data_index(&button, "data-step") else {
                    return;
                };
                with_app(|app| {
                    let mut steps = app
                        .scenario()
                        .nodes
                        .get(node)
                        .map(|n| n.steps.clone())
                        .unwrap_or_default();
                    if k < steps.len() {
                        steps.remove(k);
                        app.apply_or_notify(Edit::SetSteps { node, steps });
                    }
                });
            }
            "add-step" => {
                let row = button.parent_element();
                let field = |class: &str| {
                    row.as_ref()
                        .and_then(|r| r.query_selector(&format!("input.{class}")).ok().flatten())
                        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
                };
                let at = field("step-at")
                    .ok_or_else(String::new)
                    .and_then(|i| whole_ms(&i, "A step's time", 0, MAX_TIME_MS));
                let by = field("step-by")
                    .ok_or_else(String::new)
                    .and_then(|i| whole_ms(&i, "A step", -MAX_SKEW_MS, MAX_SKEW_MS));
                with_app(|app| match (at, by) {
                    (Ok(at_ms), Ok(by_ms)) => {
                        let mut steps = app
                            .scenario()
                            .nodes
                            .get(node)
                            .map(|n| n.steps.clone())
                            .unwrap_or_default();
                        steps.push(crate::scenario::ClockStep { at_ms, by_ms });
                        steps.sort_by_key(|s| s.at_ms);
                        app.apply_or_notify(Edit::SetSteps { node, steps });
                    }
                    (Err(why), _) | (_, Err(why)) => app.notify(why),
                });
            }
            _ => {}
        }
    })?;
    Ok(())
}

fn install_forms(page: &Rc<Page>) -> Result<(), JsValue> {
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
                }));
            }
            (_, _, Err(why), _) | (_, _, _, Err(why)) => app.notify(why),
            _ => app.notify("Choose both nodes first."),
        });
    })?;
    Ok(())
}
