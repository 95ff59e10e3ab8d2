//! The stage around the diagram: the drawer and its tabs, presentation mode,
//! the first-use hints, the playback scrubber, the legend's optional keys and
//! the canvas's cursor. Each is rendered from the app only when what it shows
//! changed.

use super::panels::dom::{make, set_hidden};
use super::storage::{self, Store};
use super::{element, then_once, with_app, Page};
use crate::hints::{Hint, Hints};
use crate::layout::{GUTTER, RIGHT_MARGIN};
use crate::scenario::EventRef;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

/// Where the hints' state is kept between visits.
const HINTS_KEY: &str = "hlcviz.hints";
/// Where the drawer's open or closed state is kept.
const DRAWER_KEY: &str = "hlcviz.drawer";
/// Half a range thumb: the scrubber reaches this far past its ends so the
/// thumb's centre lines up with the axis.
const THUMB_HALF_PX: f64 = 8.0;

/// The panes of the drawer, in tab order.
const PANES: [&str; 8] = [
    "clocks",
    "event",
    "checks",
    "snapshot",
    "data",
    "scenarios",
    "share",
    "learn",
];

/// What the scrubber shows: hidden, or its box and range.
#[derive(Clone, Copy, PartialEq)]
struct Scrub {
    left: f64,
    width: f64,
    min: f64,
    max: f64,
    value: f64,
}

pub(crate) struct Stage {
    body: HtmlElement,
    canvas: Element,
    scrubber: HtmlInputElement,
    hints: Element,
    present_button: Element,
    present_exit: Element,
    drawer_button: Element,
    legend_causal: Element,
    legend_cut: Element,
    pane: Cell<&'static str>,
    /// The last selection and snapshot seen: a new one brings its pane forward.
    seen: Cell<(Option<EventRef>, bool)>,
    /// Whether the device's main pointer is a finger (asked once: the hints
    /// are worded for it, and a sync runs on every pointer move).
    touch: bool,
    presenting: Cell<bool>,
    drawer_open: Cell<bool>,
    shown_hints: Cell<Option<(Hints, bool, bool)>>,
    shown_scrub: Cell<Option<Scrub>>,
    affordance: Cell<&'static str>,
    legend_keys: Cell<Option<[bool; 6]>>,
    legend_dense: Element,
    legend_found: Element,
    legend_lines: Element,
    lines_hidden: Cell<Option<(usize, usize)>>,
    legend_data: Element,
    legend_stopped: Element,
    legend: HtmlElement,
    /// The layout (window width, drawer, presenting, big trace) the
    /// legend's room was measured at. Its keys come and go with the selection, a search, a snapshot and
    /// the zoom, and a legend that grew or shrank by a row would move every
    /// line of the diagram under the pointer; so it always has the room those
    /// keys take, shown or not.
    legend_room: Cell<i32>,
    /// Whether this page asked for full screen (so leaving it ends the
    /// presentation, and ending the presentation leaves only our full screen).
    fullscreen_ours: Cell<bool>,
    hint_items: RefCell<Vec<(Hint, Element)>>,
}

impl Stage {
    pub(crate) fn find(document: &Document) -> Result<Stage, JsValue> {
        let body = document.body().ok_or("the page has no body")?;
        let stage = Stage {
            body,
            canvas: element(document, "diagram")?,
            scrubber: element(document, "scrubber")?,
            hints: element(document, "hints")?,
            present_button: element(document, "present")?,
            present_exit: element(document, "present-exit")?,
            drawer_button: element(document, "toggle-drawer")?,
            legend_causal: legend_key(document, "causal")?,
            legend_cut: legend_key(document, "cut")?,
            pane: Cell::new(PANES[0]),
            seen: Cell::new((None, false)),
            touch: coarse_pointer(),
            presenting: Cell::new(false),
            drawer_open: Cell::new(true),
            shown_hints: Cell::new(None),
            shown_scrub: Cell::new(None),
            affordance: Cell::new(""),
            legend_keys: Cell::new(None),
            legend_data: legend_key(document, "data")?,
            legend_stopped: legend_key(document, "stopped")?,
            legend_dense: legend_key(document, "dense")?,
            legend_found: legend_key(document, "found")?,
            legend_lines: legend_key(document, "lines")?,
            lines_hidden: Cell::new(None),
            legend: element(document, "legend")?,
            legend_room: Cell::new(i32::MIN),
            fullscreen_ours: Cell::new(false),
            hint_items: RefCell::new(Vec::new()),
        };
        stage.build_hints(document)?;
        Ok(stage)
    }

    fn build_hints(&self, document: &Document) -> Result<(), JsValue> {
        let list: Element = element(document, "hints-list")?;
        let mut items = Vec::new();
        for hint in Hint::ALL {
            let item = make(document, "li")?;
            item.set_attribute("data-hint", hint.id())?;
            list.append_child(&item)?;
            items.push((hint, item));
        }
        *self.hint_items.borrow_mut() = items;
        Ok(())
    }

    /// Brings the stage in line with the app.
    pub(crate) fn sync(&self, page: &Page) {
        let Ok(app) = page.app().try_borrow() else {
            return;
        };
        let selection = app.selection();
        let snapshot = app.snapshot().is_some();
        // A new selection or snapshot brings its pane forward once the
        // gesture that made it is over (never mid-drag: a control the person
        // is using in another pane stays where it is until they let go).
        if app.gesture() == crate::input::Gesture::Idle {
            let (seen_selection, seen_snapshot) = self.seen.replace((selection, snapshot));
            if selection.is_some() && selection != seen_selection {
                self.show_pane("event");
            } else if snapshot && !seen_snapshot {
                self.show_pane("snapshot");
            }
        }
        let affordance = app.affordance().id();
        if self.affordance.replace(affordance) != affordance {
            let _ = self.canvas.set_attribute("data-affordance", affordance);
        }
        let data = !app.kv().reads.is_empty() || !app.kv().versions.is_empty();
        let stopped = (0..app.scenario().nodes.len()).any(|n| app.trace().stopped_at(n).is_some());
        let keys = [
            app.causal_colouring(),
            snapshot,
            data,
            stopped,
            crate::scene::dense_view(&app),
            app.found().is_some(),
        ];
        let mut legend_changed = false;
        if self.legend_keys.replace(Some(keys)) != Some(keys) {
            legend_changed = true;
            let elements = [
                &self.legend_causal,
                &self.legend_cut,
                &self.legend_data,
                &self.legend_stopped,
                &self.legend_dense,
                &self.legend_found,
            ];
            for (element, shown) in elements.into_iter().zip(keys) {
                set_hidden(element, !shown);
            }
        }
        // Hidden lines are said under the diagram, always in sight (a note on
        // a tall canvas could be scrolled away).
        let lines = (app.rows().hidden(), app.scenario().nodes.len());
        if self.lines_hidden.replace(Some(lines)) != Some(lines) {
            legend_changed = true;
            let (hidden, all) = lines;
            set_hidden(&self.legend_lines, hidden == 0);
            self.legend_lines.set_text_content(Some(&format!(
                "{} of {all} node lines shown, {hidden} hidden with the messages that touch them (Clocks tab: Lines shown)",
                all - hidden
            )));
        }
        let hints = app.hints();
        let card = app.hints_card();
        let presenting = app.presentation();
        let big = app.overview_shown();
        drop(app);
        self.hold_legend_height(legend_changed, presenting, big);
        self.sync_hints(page, hints, card);
        self.sync_presentation(page, presenting);
        self.sync_playback(page);
    }

    /// Keeps room in the legend for the keys a click, a search, a snapshot
    /// or (in a big trace, `big`) a zoom can bring (see `legend_room`). Measures only when a key came
    /// or went, or the width or mode changed (a sync runs on every pointer
    /// move). An embed's one-line legend is left alone.
    fn hold_legend_height(&self, changed: bool, presenting: bool, big: bool) {
        if self.body.class_list().contains("embed") {
            return;
        }
        let width = web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|w| w.as_f64())
            .unwrap_or(0.0) as i32;
        // What the legend's width and font follow: the window, the drawer
        // beside the diagram, presenting; and which keys are reserved.
        let layout = width.saturating_mul(8)
            + i32::from(self.drawer_open.get()) * 4
            + i32::from(presenting) * 2
            + i32::from(big);
        if self.legend_room.get() == layout && !changed {
            return;
        }
        self.legend_room.set(layout);
        // The density key only where a trace is big enough for it.
        let reserved: &[&Element] = if big {
            &[
                &self.legend_causal,
                &self.legend_found,
                &self.legend_cut,
                &self.legend_dense,
            ]
        } else {
            &[&self.legend_causal, &self.legend_found, &self.legend_cut]
        };
        let hidden: Vec<bool> = reserved.iter().map(|e| e.has_attribute("hidden")).collect();
        for (element, &was) in reserved.iter().zip(&hidden) {
            if was {
                set_hidden(element, false);
            }
        }
        let style = self.legend.style();
        let _ = style.remove_property("min-height");
        let height = self.legend.offset_height();
        for (element, &was) in reserved.iter().zip(&hidden) {
            if was {
                set_hidden(element, true);
            }
        }
        let _ = style.set_property("min-height", &format!("{height}px"));
    }

    fn sync_hints(&self, page: &Page, hints: Hints, card: bool) {
        let touch = self.touch;
        if self.shown_hints.replace(Some((hints, touch, card))) == Some((hints, touch, card)) {
            return;
        }
        let text = hints.to_text();
        // An embed is a view: it leaves the visitor's stored state alone.
        let stores = page.embed().is_none();
        if stores && storage::get(Store::Local, HINTS_KEY).unwrap_or_default() != text {
            // A full or blocked storage only means the hints show again next time.
            let _ = storage::set(Store::Local, HINTS_KEY, &text);
        }
        // Not in presentation mode, nor where the lines need the room.
        set_hidden(&self.hints, !card);
        for (hint, item) in self.hint_items.borrow().iter() {
            let done = hints.is_done(*hint);
            item.set_text_content(Some(&format!(
                "{}{}",
                if done { "✓ " } else { "" },
                hint.text(touch)
            )));
            let _ = item.class_list().toggle_with_force("done", done);
        }
    }

    fn sync_presentation(&self, page: &Page, on: bool) {
        if self.presenting.replace(on) == on {
            return;
        }
        let _ = self.body.class_list().toggle_with_force("presenting", on);
        let _ = self
            .present_button
            .set_attribute("aria-pressed", if on { "true" } else { "false" });
        set_hidden(&self.present_exit, !on);
        let document = page.document();
        if on {
            if document.fullscreen_element().is_none() {
                if let Some(root) = document.document_element() {
                    self.fullscreen_ours.set(true);
                    call_fullscreen(root.as_ref(), "requestFullscreen");
                }
            }
        } else if self.fullscreen_ours.replace(false) && document.fullscreen_element().is_some() {
            call_fullscreen(document.as_ref(), "exitFullscreen");
        }
        let _ = page.canvas_element().focus();
    }

    /// The scrubber: over the time axis while a playback is under way, its
    /// thumb on the cursor.
    pub(crate) fn sync_playback(&self, page: &Page) {
        let Ok(app) = page.app().try_borrow() else {
            return;
        };
        let scrub = app.playback().map(|p| {
            let layout = app.layout();
            let vp = layout.viewport;
            let (start, end) = app.time_span();
            let min = (start as f64).max(vp.start_ms);
            let max = (end as f64).min(vp.end_ms()).max(min);
            let left = layout.x_of(min).max(GUTTER);
            let right = layout.x_of(max).min(vp.width - RIGHT_MARGIN).max(left);
            Scrub {
                left: left - THUMB_HALF_PX,
                width: right - left + 2.0 * THUMB_HALF_PX,
                min,
                max,
                value: p.cursor_ms.clamp(min, max),
            }
        });
        drop(app);
        if self.shown_scrub.replace(scrub) == scrub {
            return;
        }
        set_hidden(&self.scrubber, scrub.is_none());
        if let Some(s) = scrub {
            let style = self.scrubber.style();
            let _ = style.set_property("left", &format!("{:.1}px", s.left));
            let _ = style.set_property("width", &format!("{:.1}px", s.width.max(0.0)));
            self.scrubber.set_min(&format!("{:.0}", s.min.floor()));
            self.scrubber.set_max(&format!("{:.0}", s.max.ceil()));
            self.scrubber.set_value(&format!("{:.0}", s.value.round()));
            let _ = self.scrubber.set_attribute(
                "aria-valuetext",
                &format!("real time {}", crate::layout::format_ms(s.value.round())),
            );
        }
    }

    /// Shows one pane of the drawer.
    pub(crate) fn show_pane(&self, name: &'static str) {
        self.pane.set(name);
        let Some(document) = self.body.owner_document() else {
            return;
        };
        for pane in PANES {
            let selected = pane == name;
            if let Some(tab) = document.get_element_by_id(&format!("tab-{pane}")) {
                let _ = tab.set_attribute("aria-selected", if selected { "true" } else { "false" });
                let _ = tab.set_attribute("tabindex", if selected { "0" } else { "-1" });
            }
            if let Some(body) = document.get_element_by_id(&format!("pane-{pane}")) {
                set_hidden(&body, !selected);
            }
        }
    }

    /// Shows a pane, opening the drawer if it was closed.
    pub(crate) fn reveal_pane(&self, name: &'static str) {
        if !self.drawer_open.get() {
            self.set_drawer(true);
        }
        self.show_pane(name);
    }

    fn set_drawer(&self, open: bool) {
        self.drawer_open.set(open);
        let _ = self
            .body
            .class_list()
            .toggle_with_force("drawer-closed", !open);
        let _ = self
            .drawer_button
            .set_attribute("aria-pressed", if open { "true" } else { "false" });
    }
}

/// Calls `requestFullscreen` or `exitFullscreen` and catches its promise:
/// full screen is a nicety, and a refusal (no user gesture, a frame without
/// permission) must not surface as an unhandled rejection.
fn call_fullscreen(target: &JsValue, method: &str) {
    let function = js_sys::Reflect::get(target, &JsValue::from_str(method))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(function) = function else {
        return; // no Fullscreen API (some phones): presentation mode still works
    };
    if let Ok(result) = function.call0(target) {
        if let Ok(promise) = result.dyn_into::<js_sys::Promise>() {
            then_once(
                &promise,
                JsValue::UNDEFINED,
                Closure::once_into_js(|_: JsValue| {}),
            );
        }
    }
}

fn legend_key(document: &Document, class: &str) -> Result<Element, JsValue> {
    document
        .query_selector(&format!("#legend .key.{class}"))?
        .ok_or_else(|| JsValue::from_str(&format!("the legend has no {class} key")))
}

/// Whether the device's main pointer is a finger.
fn coarse_pointer() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(pointer: coarse)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Wires the stage's controls; restores the hints' and drawer's state.
pub(crate) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    let stage = page.stage();
    let stored = storage::get(Store::Local, HINTS_KEY).unwrap_or_default();
    with_app(|app| app.set_hints(Hints::from_text(&stored)));
    // Open unless the person closed it: beside the diagram on a wide window,
    // under it (costing the diagram nothing) on a phone.
    let drawer = storage::get(Store::Local, DRAWER_KEY);
    stage.set_drawer(drawer.as_deref() != Some("closed"));
    stage.show_pane(PANES[0]);

    let document = page.document();
    let tabs: Element = element(document, "drawer-tabs")?;
    let weak = Rc::downgrade(page);
    page.listeners_on(tabs.as_ref(), "click", move |event| {
        let Some(page) = weak.upgrade() else { return };
        if let Some(name) = tab_of(&event) {
            page.stage().show_pane(name);
        }
    })?;
    // Arrow keys move between tabs, as in every tab list.
    let weak = Rc::downgrade(page);
    page.listeners_on(tabs.as_ref(), "keydown", move |event| {
        let Some(page) = weak.upgrade() else { return };
        let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>().map(|k| k.key()) else {
            return;
        };
        let now = PANES
            .iter()
            .position(|&p| p == page.stage().pane.get())
            .unwrap_or(0);
        let next = match key.as_str() {
            "ArrowRight" => (now + 1) % PANES.len(),
            "ArrowLeft" => (now + PANES.len() - 1) % PANES.len(),
            "Home" => 0,
            "End" => PANES.len() - 1,
            _ => return,
        };
        event.prevent_default();
        page.stage().show_pane(PANES[next]);
        if let Some(tab) = page
            .document()
            .get_element_by_id(&format!("tab-{}", PANES[next]))
            .and_then(|t| t.dyn_into::<HtmlElement>().ok())
        {
            let _ = tab.focus();
        }
    })?;

    let drawer_button = stage.drawer_button.clone();
    let weak = Rc::downgrade(page);
    page.listeners_on(drawer_button.as_ref(), "click", move |_| {
        let Some(page) = weak.upgrade() else { return };
        let open = !page.stage().drawer_open.get();
        page.stage().set_drawer(open);
        // The legend's width changed with the drawer: its room is measured again.
        page.stage().sync(&page);
        let _ = storage::set(
            Store::Local,
            DRAWER_KEY,
            if open { "open" } else { "closed" },
        );
    })?;

    for id in ["present", "present-exit"] {
        let button: Element = element(document, id)?;
        page.listeners_on(button.as_ref(), "click", |_| {
            with_app(|app| app.set_presentation(!app.presentation()));
        })?;
    }
    // Leaving full screen (Esc, F11, the browser's own button) ends the
    // presentation this page put in full screen.
    let weak = Rc::downgrade(page);
    page.listeners_on(document.as_ref(), "fullscreenchange", move |_| {
        let Some(page) = weak.upgrade() else { return };
        if page.document().fullscreen_element().is_none() && page.stage().fullscreen_ours.get() {
            page.stage().fullscreen_ours.set(false);
            with_app(|app| app.set_presentation(false));
        }
    })?;

    let close: Element = element(document, "hints-close")?;
    page.listeners_on(close.as_ref(), "click", |_| {
        with_app(|app| {
            let mut hints = app.hints();
            hints.dismiss();
            app.set_hints(hints);
        });
    })?;
    let again: Element = element(document, "hints-again")?;
    page.listeners_on(again.as_ref(), "click", |_| {
        with_app(|app| {
            app.set_hints(Hints::default());
            app.set_help(false);
        });
    })?;

    let scrubber = stage.scrubber.clone();
    page.listeners_on(stage.scrubber.as_ref(), "input", move |_| {
        if let Ok(at_ms) = scrubber.value().parse::<f64>() {
            with_app(|app| app.seek_playback(at_ms));
        }
    })?;
    Ok(())
}

/// The pane a click in the tab list asks for.
fn tab_of(event: &web_sys::Event) -> Option<&'static str> {
    let target = event.target()?.dyn_into::<Element>().ok()?;
    let tab = target.closest("[data-tab]").ok()??;
    let name = tab.get_attribute("data-tab")?;
    PANES.into_iter().find(|&p| p == name)
}
