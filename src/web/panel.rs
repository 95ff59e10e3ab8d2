//! The HTML around the canvas: toolbar, node rows with their skew sliders, the
//! selected event's explanation, the snapshot verdicts, the keyboard forms, the
//! tooltip and the help overlay. Every string from the scenario reaches the DOM
//! through `textContent` or an input's `value`, never as markup.

use super::{element, with_app, Page};
use crate::app::{App, Edit};
use crate::scenario::{Message, MAX_SKEW_MS, MAX_TIME_MS};
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

pub(crate) struct Panel {
    nodes: HtmlElement,
    details: HtmlElement,
    snap_result: HtmlElement,
    tooltip: HtmlElement,
    help: HtmlElement,
    delete_button: HtmlButtonElement,
    play_button: HtmlButtonElement,
    structure: RefCell<String>,
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

fn data_node(target: &Element) -> Option<usize> {
    target.get_attribute("data-node")?.parse().ok()
}

/// A whole number of ms in `min..=max` typed into a number field.
fn whole_ms(input: &HtmlInputElement, what: &str, min: Time, max: Time) -> Result<Time, String> {
    let v = input.value_as_number();
    if v.is_finite() && v.fract() == 0.0 && v >= min as f64 && v <= max as f64 {
        Ok(v as Time)
    } else {
        Err(format!(
            "{what} must be a whole number of ms from {min} to {max}."
        ))
    }
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
            play_button: element(document, "play")?,
            structure: RefCell::new(String::new()),
            details_key: RefCell::new(None),
            snapshot_key: RefCell::new(None),
            tooltip_for: Cell::new(None),
        };
        let table: Element = element(document, "help-table")?;
        for (keys, what) in crate::input::HELP {
            let row = make(document, "tr")?;
            for text in [keys, what] {
                let cell = make(document, "td")?;
                cell.set_text_content(Some(text));
                row.append_child(&cell)?;
            }
            table.append_child(&row)?;
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
        set_hidden(&self.help, !app.help_shown());
        let _ = self.sync_details(document, &app);
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
        let signature: String = nodes.iter().map(|n| format!("{}\u{0}", n.name)).collect();
        if *self.structure.borrow() != signature {
            *self.structure.borrow_mut() = signature;
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
            if let Some(number) = row
                .query_selector(".skew-value")?
                .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
            {
                let is_focused = focused
                    .as_ref()
                    .is_some_and(|f| f == number.unchecked_ref::<Element>());
                if !is_focused && number.value() != value {
                    number.set_value(&value);
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
                for (k, line) in app.describe(index).iter().enumerate() {
                    let class = match k {
                        0 => Some("title"),
                        3 => Some("why"),
                        _ => None,
                    };
                    let p = paragraph(document, line, class)?;
                    self.details.append_child(&p)?;
                }
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

    install_node_rows(page)?;
    install_forms(page)?;
    Ok(())
}

fn install_node_rows(page: &Rc<Page>) -> Result<(), JsValue> {
    let container: Element = element(page.document(), "nodes")?;
    page.listeners_on(container.as_ref(), "input", |event: Event| {
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(node) = data_node(&input) else {
            return;
        };
        let class = input.class_name();
        if class == "skew-slider" || class == "skew-value" {
            // A half-typed number is not an error yet; `change` reports it.
            if let Ok(skew_ms) = whole_ms(&input, "A skew", -MAX_SKEW_MS, MAX_SKEW_MS) {
                with_app(|app| app.apply_or_notify(Edit::SetSkew { node, skew_ms }));
            }
        }
    })?;
    page.listeners_on(container.as_ref(), "change", |event: Event| {
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(node) = data_node(&input) else {
            return;
        };
        match input.class_name().as_str() {
            "node-name" => {
                let name = input.value();
                let kept = with_app(|app| app.apply_or_notify(Edit::RenameNode { node, name }));
                if kept == Some(false) {
                    let old = super::read_app(|app| app.node_name(node)).unwrap_or_default();
                    input.set_value(&old);
                }
            }
            "skew-value" => {
                if let Err(why) = whole_ms(&input, "A skew", -MAX_SKEW_MS, MAX_SKEW_MS) {
                    with_app(|app| app.notify(why));
                }
            }
            _ => {}
        }
    })?;
    page.listeners_on(container.as_ref(), "click", |event: Event| {
        let Some(button) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlButtonElement>().ok())
        else {
            return;
        };
        if button.class_name() != "remove-node" {
            return;
        }
        if let Some(node) = data_node(&button) {
            with_app(|app| app.apply_or_notify(Edit::RemoveNode(node)));
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
        let at = input_of(&document, "add-event-at")
            .map_err(|_| String::new())
            .and_then(|i| whole_ms(&i, "The time", 0, MAX_TIME_MS));
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
        let sent = input_of(&document, "add-message-sent")
            .map_err(|_| String::new())
            .and_then(|i| whole_ms(&i, "The send time", 0, MAX_TIME_MS));
        let received = input_of(&document, "add-message-received")
            .map_err(|_| String::new())
            .and_then(|i| whole_ms(&i, "The receive time", 0, MAX_TIME_MS));
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
