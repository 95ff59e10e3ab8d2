//! Nodes and their clocks: one row per node with its name, its skew (a
//! slider and a typed value), a remove button and its clock faults (drift and
//! steps). Every control carries `data-node` and `data-command`; one listener
//! per event kind on the container routes by them, so rebuilt rows need no
//! new listeners.

use super::bind::{data_index, node_command, on_click, PanelView, Rendered};
use super::dom::{clear, make, show_unless_typing, whole_ms, whole_number};
use crate::app::{App, Edit};
use crate::scenario::{ClockStep, Node, MAX_SKEW_MS, MAX_TIME_MS};
use crate::web::{element, read_app, with_app, Page};
use hlc::Time;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlButtonElement, HtmlElement, HtmlInputElement};

/// The node rows: rebuilt when a name or a step changes, their values
/// brought up to date on every sync.
pub(super) struct NodesPanel {
    rows: Rendered<NodeRows>,
}

/// The rows' structure. Its model is each node's name and steps: the rows
/// are rebuilt only when those change (a skew or a drift only updates values).
struct NodeRows {
    container: HtmlElement,
    /// Each row's value controls and what they were last brought up to date
    /// with; emptied when the rows are rebuilt.
    synced: RefCell<Vec<SyncedRow>>,
}

/// A node row's value controls, looked up once per rebuild.
struct SyncedRow {
    slider: Option<HtmlInputElement>,
    skew: Option<HtmlInputElement>,
    drift: Option<HtmlInputElement>,
    /// The skew and drift the row shows, with the slider's position then;
    /// `None` when it may show something else (never synced, or a field of
    /// it had the focus).
    shows: Option<(Time, i64, String)>,
}

impl NodesPanel {
    pub(super) fn find(document: &Document) -> Result<Self, JsValue> {
        Ok(NodesPanel {
            rows: Rendered::new(NodeRows {
                container: element(document, "nodes")?,
                synced: RefCell::new(Vec::new()),
            }),
        })
    }

    /// Brings every row's values up to date. A row whose node's skew and
    /// drift are what it last showed, with its slider where it was left,
    /// is not touched: a slider drag on one of 64 nodes updates one row.
    pub(super) fn sync(&self, document: &Document, app: &App) -> Result<(), JsValue> {
        self.rows.sync(document, app)?;
        let view = &self.rows.view;
        let nodes = &app.scenario().nodes;
        let mut synced = view.synced.borrow_mut();
        if synced.len() != nodes.len() {
            synced.clear();
            let rows = view.container.children();
            for i in 0..nodes.len() {
                let row = rows.item(i as u32);
                let find = |command| match &row {
                    Some(row) => control(row, command),
                    None => Ok(None),
                };
                synced.push(SyncedRow {
                    slider: find("slide-skew")?,
                    skew: find("set-skew")?,
                    drift: find("set-drift")?,
                    shows: None,
                });
            }
        }
        let focused = document.active_element();
        let focused_row = focused
            .as_ref()
            .filter(|f| view.container.contains(Some(f.unchecked_ref())))
            .and_then(|f| f.closest("[data-node]").ok().flatten())
            .and_then(|f| data_index(&f, "data-node"));
        for (i, (node, row)) in nodes.iter().zip(synced.iter_mut()).enumerate() {
            let Some(slider) = &row.slider else {
                continue;
            };
            let position = slider.value();
            let unchanged = row.shows.as_ref().is_some_and(|(skew, drift, shown)| {
                *skew == node.skew_ms && *drift == node.drift_ppm && *shown == position
            });
            if unchanged {
                continue;
            }
            // The slider keeps its range until the skew leaves it, and its
            // thumb where it is while that position still means this skew
            // (several positions round to the same ms near zero).
            let range = if node.skew_ms.saturating_abs() <= crate::slider::MIN_RANGE_MS {
                crate::slider::MIN_RANGE_MS
            } else {
                slider_range(slider).max(crate::slider::range_for(node.skew_ms))
            };
            slider.set_attribute("data-range", &range.to_string())?;
            let shown = position.parse::<i64>().ok();
            let position = if shown.map(|p| crate::slider::skew_at(p, range)) == Some(node.skew_ms)
            {
                position
            } else {
                let moved = crate::slider::position_of(node.skew_ms, range).to_string();
                slider.set_value(&moved);
                moved
            };
            let sign = if node.skew_ms < 0 { "" } else { "+" };
            slider.set_attribute("aria-valuetext", &format!("{sign}{} ms", node.skew_ms))?;
            for (field, value) in [
                (&row.drift, node.drift_ppm.to_string()),
                (&row.skew, node.skew_ms.to_string()),
            ] {
                if let Some(field) = field {
                    show_unless_typing(field, &value, focused.as_ref());
                }
            }
            // A field being typed in kept its text: look at the row again next time.
            row.shows =
                (focused_row != Some(i)).then_some((node.skew_ms, node.drift_ppm, position));
        }
        Ok(())
    }
}

/// The input in `row` with this `data-command`.
fn control(row: &Element, command: &str) -> Result<Option<HtmlInputElement>, JsValue> {
    Ok(row
        .query_selector(&format!("input[data-command=\"{command}\"]"))?
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok()))
}

impl PanelView for NodeRows {
    type Model = Vec<(String, Vec<ClockStep>)>;

    fn model(&self, app: &App) -> Option<Self::Model> {
        Some(
            app.scenario()
                .nodes
                .iter()
                .map(|n| (n.name.clone(), n.steps.clone()))
                .collect(),
        )
    }

    fn render(&self, document: &Document, app: &App, _: &Self::Model) -> Result<(), JsValue> {
        self.synced.borrow_mut().clear();
        let nodes = &app.scenario().nodes;
        // Keep open the fault editors that were open.
        let open_faults: Vec<bool> = (0..nodes.len())
            .map(|i| {
                self.container
                    .query_selector(&format!("details.faults[data-node=\"{i}\"]"))
                    .ok()
                    .flatten()
                    .is_some_and(|d| d.has_attribute("open"))
            })
            .collect();
        clear(&self.container);
        for (i, node) in nodes.iter().enumerate() {
            let row = make(document, "div")?;
            row.set_class_name("node-row");
            let name: HtmlInputElement = make(document, "input")?.dyn_into()?;
            name.set_type("text");
            name.set_class_name("node-name");
            name.set_value(&node.name);
            name.set_max_length(crate::scenario::MAX_NAME_CHARS as i32);
            name.set_attribute("aria-label", &format!("Name of node {}", i + 1))?;
            name.set_attribute("data-command", "rename-node")?;
            let slider: HtmlInputElement = make(document, "input")?.dyn_into()?;
            slider.set_type("range");
            slider.set_class_name("skew-slider");
            slider.set_step("1");
            slider.set_attribute("aria-label", &format!("Clock skew of node {}", i + 1))?;
            slider.set_min(&(-crate::slider::POSITIONS).to_string());
            slider.set_max(&crate::slider::POSITIONS.to_string());
            slider.set_attribute("data-command", "slide-skew")?;
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
            number.set_attribute("data-command", "set-skew")?;
            let remove: HtmlButtonElement = make(document, "button")?.dyn_into()?;
            remove.set_type("button");
            remove.set_class_name("remove-node");
            remove.set_text_content(Some("✕"));
            remove.set_title("Remove this node and its events");
            remove.set_attribute("aria-label", &format!("Remove node {}", i + 1))?;
            remove.set_attribute("data-command", "remove-node")?;
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
            self.container.append_child(&row)?;
        }
        super::add::fill_node_menus(document, nodes)
    }
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
    command: &str,
    text: &str,
    node_index: usize,
) -> Result<Element, JsValue> {
    let button = make(document, "button")?;
    button.set_attribute("type", "button")?;
    button.set_class_name(command);
    button.set_attribute("data-command", command)?;
    button.set_attribute("data-node", &node_index.to_string())?;
    button.set_text_content(Some(text));
    Ok(button)
}

/// A node's drift and clock steps, folded under "clock faults".
fn fault_editor(document: &Document, node_index: usize, node: &Node) -> Result<Element, JsValue> {
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
    drift.set_attribute("data-command", "set-drift")?;
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
    at.set_attribute("data-field", "step-at")?;
    let by = number_input(document, "step-by", "-100", node_index)?;
    by.set_attribute("data-field", "step-by")?;
    let child = labelled(document, "step at ", &at, " ms")?;
    add.append_child(&child)?;
    let child = labelled(document, "by ", &by, " ms")?;
    add.append_child(&child)?;
    let child = small_button(document, "add-step", "Add step", node_index)?;
    add.append_child(&child)?;
    details.append_child(&add)?;
    Ok(details)
}

/// A node's steps, as the app has them now.
fn steps_of(app: &App, node: usize) -> Vec<ClockStep> {
    app.scenario()
        .nodes
        .get(node)
        .map(|n| n.steps.clone())
        .unwrap_or_default()
}

/// Wires "+ Add node" and the node rows (by delegation on their container).
/// The range (ms each side) a skew slider spans now.
fn slider_range(slider: &Element) -> Time {
    slider
        .get_attribute("data-range")
        .and_then(|r| r.parse::<Time>().ok())
        .filter(|&r| r > 0)
        .unwrap_or(crate::slider::MIN_RANGE_MS)
}

pub(super) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    on_click(page, "add-node", |app| {
        app.apply_or_notify(Edit::AddNode);
    })?;
    let container: Element = element(page.document(), "nodes")?;
    page.listeners_on(container.as_ref(), "input", |event: Event| {
        let Some((input, command, node)) = node_command::<HtmlInputElement>(&event) else {
            return;
        };
        // Only the slider applies live; a typed value applies on `change`
        // (Enter or leaving the field), so no half-typed prefix is ever kept.
        if command == "slide-skew" {
            if let Ok(position) = input.value().parse::<i64>() {
                let skew_ms = crate::slider::skew_at(position, slider_range(&input));
                with_app(|app| {
                    if let Err(why) = app.apply_continuing(Edit::SetSkew { node, skew_ms }) {
                        app.notify(why);
                    }
                });
            }
        }
    })?;
    // The arrow keys step the skew by 1 ms (Page Up/Down by 100 ms), whatever
    // the slider's scale: exact control without typing.
    page.listeners_on(container.as_ref(), "keydown", |event: Event| {
        let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>().map(|k| k.key()) else {
            return;
        };
        let by = match key.as_str() {
            "ArrowRight" | "ArrowUp" => 1,
            "ArrowLeft" | "ArrowDown" => -1,
            "PageUp" => 100,
            "PageDown" => -100,
            _ => return,
        };
        let Some((_, command, node)) = node_command::<HtmlInputElement>(&event) else {
            return;
        };
        if command != "slide-skew" {
            return;
        }
        event.prevent_default();
        with_app(|app| {
            let Some(skew) = app.scenario().nodes.get(node).map(|n| n.skew_ms) else {
                return;
            };
            let skew_ms = skew.saturating_add(by).clamp(-MAX_SKEW_MS, MAX_SKEW_MS);
            app.apply_or_notify(Edit::SetSkew { node, skew_ms });
        });
    })?;
    page.listeners_on(container.as_ref(), "change", |event: Event| {
        let Some((input, command, node)) = node_command::<HtmlInputElement>(&event) else {
            return;
        };
        match command.as_str() {
            "rename-node" => {
                let name = input.value();
                let kept = with_app(|app| app.apply_or_notify(Edit::RenameNode { node, name }));
                if kept == Some(false) {
                    let old =
                        read_app(|app| app.scenario().nodes.get(node).map(|n| n.name.clone()))
                            .flatten()
                            .unwrap_or_default();
                    input.set_value(&old);
                }
            }
            "set-skew" => match whole_ms(&input, "A skew", -MAX_SKEW_MS, MAX_SKEW_MS) {
                Ok(skew_ms) => {
                    with_app(|app| app.apply_or_notify(Edit::SetSkew { node, skew_ms }));
                }
                Err(why) => {
                    let current = read_app(|app| app.scenario().nodes.get(node).map(|n| n.skew_ms));
                    if let Some(Some(skew)) = current {
                        input.set_value(&skew.to_string());
                    }
                    with_app(|app| app.notify(why));
                }
            },
            "slide-skew" => {
                // The drag (or key press) on the slider is over: one undo step.
                with_app(App::end_step);
            }
            "set-drift" => {
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
        let Some((button, command, node)) = node_command::<HtmlButtonElement>(&event) else {
            return;
        };
        match command.as_str() {
            "remove-node" => {
                with_app(|app| app.apply_or_notify(Edit::RemoveNode(node)));
            }
            "remove-step" => {
                let Some(k) = data_index(&button, "data-step") else {
                    return;
                };
                with_app(|app| {
                    let mut steps = steps_of(app, node);
                    if k < steps.len() {
                        steps.remove(k);
                        app.apply_or_notify(Edit::SetSteps { node, steps });
                    }
                });
            }
            "add-step" => {
                let row = button.parent_element();
                let field = |name: &str| {
                    row.as_ref()
                        .and_then(|r| {
                            r.query_selector(&format!("input[data-field=\"{name}\"]"))
                                .ok()
                                .flatten()
                        })
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
                        let mut steps = steps_of(app, node);
                        steps.push(ClockStep { at_ms, by_ms });
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
