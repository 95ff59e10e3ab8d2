//! The only code that touches the browser. DOM events become calls on
//! [`App`]; [`crate::scene`] draw commands become canvas calls.
//!
//! State is one `Rc<Page>` whose `App` sits in a `RefCell` reached with
//! `try_borrow_mut`, so a re-entrant event is skipped instead of panicking.
//! Every listener is registered through [`Listeners::on`], which keeps its
//! closure. Frames are requested only when something changed (or playback runs).

mod api;
#[cfg(feature = "bench")]
mod bench;
mod canvas;
mod embed;
mod files;
mod lesson;
mod logopen;
mod panels;
mod persist;
mod pointer;
mod raster;
mod sheet;
mod stage;
mod storage;

use crate::app::App;
use crate::input::KeyPress;
use crate::layout::Layout;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    CanvasRenderingContext2d, Document, Element, Event, EventTarget, HtmlCanvasElement,
    KeyboardEvent, Window,
};

/// The canvas is never shorter than this, CSS px.
const MIN_CANVAS_HEIGHT: f64 = 200.0;
/// How long a notice stays up, ms.
const NOTICE_MS: i32 = 5_000;

thread_local! {
    static PAGE: RefCell<Option<Rc<Page>>> = const { RefCell::new(None) };
}

pub(crate) struct Page {
    app: RefCell<App>,
    window: Window,
    document: Document,
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
    listeners: Listeners,
    frame_pending: Cell<bool>,
    frame_closure: RefCell<Option<FrameCallback>>,
    last_frame_ms: Cell<Option<f64>>,
    panel: panels::Panels,
    stage: stage::Stage,
    sheet: sheet::EventSheet,
    lesson: lesson::LessonCard,
    shown_notice: Cell<u64>,
    pixel_ratio: Cell<f64>,
    sized_for_nodes: Cell<usize>,
    stage_observer: RefCell<Option<StageObserver>>,
    saving: persist::Saving,
    /// `Some` when the page is an embed (`?embed`): see [`embed`].
    embed: Option<crate::embed::Embed>,
}

type FrameCallback = Closure<dyn FnMut(f64)>;
type KeptListener = (EventTarget, &'static str, Closure<dyn FnMut(Event)>);
type StageObserver = (web_sys::ResizeObserver, Closure<dyn FnMut(js_sys::Array)>);

/// Keeps every event listener's closure alive for as long as the page.
#[derive(Default)]
struct Listeners {
    kept: RefCell<Vec<KeptListener>>,
}

impl Listeners {
    fn on(
        &self,
        target: &EventTarget,
        kind: &'static str,
        handler: impl FnMut(Event) + 'static,
    ) -> Result<(), JsValue> {
        let closure = Closure::<dyn FnMut(Event)>::new(handler);
        target.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())?;
        self.kept.borrow_mut().push((target.clone(), kind, closure));
        Ok(())
    }

    fn on_non_passive(
        &self,
        target: &EventTarget,
        kind: &'static str,
        handler: impl FnMut(Event) + 'static,
    ) -> Result<(), JsValue> {
        let closure = Closure::<dyn FnMut(Event)>::new(handler);
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(false);
        target.add_event_listener_with_callback_and_add_event_listener_options(
            kind,
            closure.as_ref().unchecked_ref(),
            &options,
        )?;
        self.kept.borrow_mut().push((target.clone(), kind, closure));
        Ok(())
    }
}

impl Drop for Listeners {
    fn drop(&mut self) {
        for (target, kind, closure) in self.kept.borrow().iter() {
            let _ =
                target.remove_event_listener_with_callback(kind, closure.as_ref().unchecked_ref());
        }
    }
}

pub(crate) fn element<T: JsCast>(document: &Document, id: &str) -> Result<T, JsValue> {
    document
        .get_element_by_id(id)
        .ok_or_else(|| JsValue::from_str(&format!("the page has no element #{id}")))?
        .dyn_into::<T>()
        .map_err(|_| JsValue::from_str(&format!("#{id} is not the expected kind of element")))
}

/// Runs `f` on the page's app if the page is up and the app is not already
/// borrowed (a re-entrant event), then schedules a repaint and syncs the DOM.
pub(crate) fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    let page = PAGE.with(|p| p.borrow().clone())?;
    let result = {
        let mut app = page.app.try_borrow_mut().ok()?;
        f(&mut app)
    };
    page.changed();
    Some(result)
}

/// Reads the app without changing it.
pub(crate) fn read_app<R>(f: impl FnOnce(&App) -> R) -> Option<R> {
    let page = PAGE.with(|p| p.borrow().clone())?;
    let app = page.app.try_borrow().ok()?;
    Some(f(&app))
}

/// Calls `promise.then(on_ok, on_err)` with one-shot callbacks made by
/// `Closure::once_into_js` (each frees itself when called).
pub(crate) fn then_once(promise: &js_sys::Promise, on_ok: JsValue, on_err: JsValue) {
    let then = js_sys::Reflect::get(promise, &JsValue::from_str("then"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(then) = then {
        let _ = then.call2(promise, &on_ok, &on_err);
    }
}

fn show_fatal(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(text) = document.get_element_by_id("fatal-text") {
        text.set_text_content(Some(&format!(
            "The visualizer hit an error and stopped: {message}\nYour work is saved in My scenarios after every change; reload it to carry on."
        )));
    }
    if let Some(banner) = document.get_element_by_id("fatal") {
        let _ = banner.remove_attribute("hidden");
    }
}

#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_fatal(&info.to_string());
    }));
    match Page::mount() {
        Ok(()) => Ok(()),
        Err(e) => {
            show_fatal(
                &e.as_string()
                    .unwrap_or_else(|| "the page could not start".into()),
            );
            Err(e)
        }
    }
}

/// Whether the focused element needs this key itself: every key but Escape
/// while typing (text fields, menus), and the keys that work a focused button,
/// slider, checkbox or disclosure (Space, Enter, arrows, Home/End, Page Up/Down).
/// Everything else, Ctrl/Cmd+Z among it, stays the page's.
fn focused_control_wants(document: &Document, key: &str) -> bool {
    let Some(el) = document.active_element() else {
        return false;
    };
    let tag = el.tag_name().to_ascii_uppercase();
    let kind = el
        .get_attribute("type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let typing = match tag.as_str() {
        "TEXTAREA" | "SELECT" => true,
        "INPUT" => !matches!(
            kind.as_str(),
            "range" | "checkbox" | "radio" | "button" | "submit" | "reset" | "file" | "color"
        ),
        _ => el.has_attribute("contenteditable"),
    };
    if typing {
        return key != "Escape";
    }
    let operable = matches!(tag.as_str(), "INPUT" | "BUTTON" | "SUMMARY" | "A");
    operable
        && matches!(
            key,
            " " | "Enter"
                | "ArrowLeft"
                | "ArrowRight"
                | "ArrowUp"
                | "ArrowDown"
                | "Home"
                | "End"
                | "PageUp"
                | "PageDown"
        )
}

impl Page {
    fn mount() -> Result<(), JsValue> {
        let window = web_sys::window().ok_or("no window")?;
        let document = window.document().ok_or("no document")?;
        let canvas: HtmlCanvasElement = element(&document, "diagram")?;
        let context = canvas
            .get_context("2d")?
            .ok_or("the browser gave no 2D canvas context")?
            .dyn_into::<CanvasRenderingContext2d>()?;
        let panel = panels::Panels::find(&document)?;
        let stage = stage::Stage::find(&document)?;
        let sheet = sheet::EventSheet::find(&document)?;
        let lesson = lesson::LessonCard::find(&document)?;
        let embedded = embed::requested(&window);
        let (mut app, binding) = persist::startup_app(&window, embedded.is_some());
        app.fit();
        let saving = persist::Saving::new(&app, binding, embedded.is_none());
        let page = Rc::new(Page {
            app: RefCell::new(app),
            window,
            document,
            canvas,
            context,
            listeners: Listeners::default(),
            frame_pending: Cell::new(false),
            frame_closure: RefCell::new(None),
            last_frame_ms: Cell::new(None),
            panel,
            stage,
            sheet,
            lesson,
            shown_notice: Cell::new(0),
            pixel_ratio: Cell::new(1.0),
            sized_for_nodes: Cell::new(0),
            stage_observer: RefCell::new(None),
            saving,
            embed: embedded,
        });
        PAGE.with(|p| *p.borrow_mut() = Some(page.clone()));
        page.install_frame_closure();
        page.install_canvas_listeners()?;
        page.install_window_listeners()?;
        panels::install(&page)?;
        sheet::install(&page)?;
        panels::library::install(&page)?;
        stage::install(&page)?;
        if let Some(how) = embedded {
            embed::install(&page, how)?;
        }
        lesson::install(&page)?;
        page.install_notice()?;
        page.resize();
        page.observe_stage()?;
        if let Ok(mut app) = page.app.try_borrow_mut() {
            app.fit();
        }
        page.changed();
        Ok(())
    }

    fn install_frame_closure(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        let closure = Closure::<dyn FnMut(f64)>::new(move |now: f64| {
            if let Some(page) = weak.upgrade() {
                page.frame(now);
            }
        });
        *self.frame_closure.borrow_mut() = Some(closure);
    }

    fn install_window_listeners(self: &Rc<Self>) -> Result<(), JsValue> {
        let window: &EventTarget = self.window.as_ref();
        let document = self.document.clone();
        self.listeners
            .on_non_passive(window, "keydown", move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if event.key() == "Alt" {
                    with_app(|app| app.set_snapping(false));
                    return;
                }
                if focused_control_wants(&document, &event.key()) {
                    return;
                }
                let key = KeyPress {
                    key: event.key(),
                    shift: event.shift_key(),
                    command: event.ctrl_key() || event.meta_key(),
                    alt: event.alt_key(),
                };
                if with_app(|app| app.key(&key)) == Some(true) {
                    event.prevent_default();
                }
            })?;
        let weak = Rc::downgrade(self);
        self.listeners.on(window, "resize", move |_| {
            if let Some(page) = weak.upgrade() {
                page.resize();
                page.changed();
            }
        })?;
        self.listeners.on(window, "keyup", move |event| {
            if event
                .dyn_ref::<KeyboardEvent>()
                .is_some_and(|k| k.key() == "Alt")
            {
                with_app(|app| app.set_snapping(true));
            }
        })?;
        self.listeners.on(window, "blur", move |_| {
            with_app(|app| {
                app.pointer_cancel();
                app.set_snapping(true);
                app.touch_cancel();
            });
        })?;
        let weak = Rc::downgrade(self);
        self.listeners.on(window, "hashchange", move |_| {
            if let Some(page) = weak.upgrade() {
                page.hash_changed();
            }
        })?;
        let weak = Rc::downgrade(self);
        self.listeners.on(window, "pagehide", move |_| {
            if let Some(page) = weak.upgrade() {
                page.persist_before_closing();
            }
        })?;
        // Phones may discard a hidden tab without a pagehide: save on hide too.
        let weak = Rc::downgrade(self);
        let document = self.document.clone();
        self.listeners
            .on(self.document.as_ref(), "visibilitychange", move |_| {
                if document.hidden() {
                    if let Some(page) = weak.upgrade() {
                        page.persist_before_closing();
                    }
                }
            })?;
        let weak = Rc::downgrade(self);
        self.listeners.on(window, "storage", move |event| {
            let key = event
                .dyn_ref::<web_sys::StorageEvent>()
                .map(web_sys::StorageEvent::key);
            if let (Some(page), Some(key)) = (weak.upgrade(), key) {
                page.storage_changed(key);
            }
        })?;
        Ok(())
    }

    /// Re-measures the canvas whenever its stage's size changes for any reason
    /// (the window, the drawer, the table, the page's zoom), not only on
    /// window resize.
    fn observe_stage(self: &Rc<Self>) -> Result<(), JsValue> {
        let Some(stage) = self.canvas.parent_element() else {
            return Ok(());
        };
        let weak = Rc::downgrade(self);
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| {
            let Some(page) = weak.upgrade() else { return };
            let drawn = read_app_of(&page, |app| {
                (app.canvas_rows(), app.viewport.width, app.viewport.height)
            });
            if let Some((nodes, width, height)) = drawn {
                let (w, h) = page.wanted_size(nodes);
                if (w - width).abs() > 0.5 || (h - height).abs() > 0.5 {
                    page.resize();
                    page.changed();
                }
            }
        });
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref())?;
        observer.observe(&stage);
        // A frame paints only the rows the stage shows (see `shown_band`),
        // and the time axis and overview strip stay stuck at its top.
        let weak = Rc::downgrade(self);
        self.listeners.on(stage.as_ref(), "scroll", move |_| {
            if let Some(page) = weak.upgrade() {
                page.sync_scroll_top();
                page.request_frame();
            }
        })?;
        *self.stage_observer.borrow_mut() = Some((observer, callback));
        Ok(())
    }

    /// Sizes the canvas to its stage and the device pixel ratio (crisp on
    /// HiDPI). The stage's size comes from the window (CSS), never from the
    /// node count; only when every line cannot fit at the smallest spacing
    /// does the canvas grow taller than its stage, which then scrolls.
    fn resize(&self) {
        let Ok(mut app) = self.app.try_borrow_mut() else {
            return;
        };
        let nodes = app.canvas_rows();
        self.sized_for_nodes.set(nodes);
        let (css_width, css_height) = self.wanted_size(nodes);
        let ratio = self.window.device_pixel_ratio().clamp(1.0, 4.0);
        self.pixel_ratio.set(ratio);
        self.canvas.set_width((css_width * ratio).round() as u32);
        self.canvas.set_height((css_height * ratio).round() as u32);
        let style = self.canvas.style();
        let _ = style.set_property("height", &format!("{css_height}px"));
        app.resize(css_width, css_height);
    }

    /// The canvas size (CSS px) for `nodes` lines: exactly its stage's content
    /// box (so the backing store matches what is shown and hit testing agrees
    /// with it), or taller when the lines need it.
    fn wanted_size(&self, nodes: usize) -> (f64, f64) {
        let stage = self.canvas.parent_element();
        let width = stage
            .as_ref()
            .map_or(900.0, |p| f64::from(p.client_width()))
            .max(1.0);
        let stage_height = stage.as_ref().map_or(0.0, |p| f64::from(p.client_height()));
        let height = stage_height
            .max(Layout::content_height(nodes))
            .max(MIN_CANVAS_HEIGHT)
            .floor();
        (width, height)
    }

    /// Something may have changed: sync the DOM now, paint on the next frame.
    fn changed(&self) {
        let nodes = read_app_of(self, App::canvas_rows);
        if nodes.is_some_and(|n| n != self.sized_for_nodes.get()) {
            self.resize();
        }
        self.panel.sync(self);
        self.stage.sync(self);
        self.sheet.sync(self);
        self.lesson.sync(self);
        embed::sync_tour_link(self);
        self.sync_notice();
        self.schedule_persist();
        self.request_frame();
    }

    fn request_frame(&self) {
        if self.frame_pending.replace(true) {
            return;
        }
        if let Some(closure) = self.frame_closure.borrow().as_ref() {
            if self
                .window
                .request_animation_frame(closure.as_ref().unchecked_ref())
                .is_err()
            {
                self.frame_pending.set(false);
            }
        }
    }

    fn frame(&self, now: f64) {
        self.frame_pending.set(false);
        let elapsed = self
            .last_frame_ms
            .replace(Some(now))
            .map_or(0.0, |last| now - last);
        let still_playing = match self.app.try_borrow_mut() {
            Ok(mut app) => {
                let playing = app.advance_playback(elapsed);
                let band = self.shown_band();
                let scene = crate::scene::build_band(&app, band);
                canvas::paint_band(&self.context, &scene, self.pixel_ratio.get(), band);
                playing
            }
            Err(_) => true, // busy: try again next frame
        };
        self.panel.sync_playback(self);
        self.stage.sync_playback(self);
        if still_playing {
            self.request_frame();
        } else {
            self.last_frame_ms.set(None);
        }
    }

    /// The canvas rows (CSS px) its stage shows, with a margin, when the
    /// canvas is taller than the stage (many nodes): a frame paints only
    /// those, and the stage's scrolling asks for a frame. At 64 nodes the
    /// canvas is about four stages tall, and rasterising all of it was most
    /// of a skew-slider frame.
    fn shown_band(&self) -> Option<canvas::Band> {
        const MARGIN_PX: f64 = 100.0;
        let stage = self.canvas.parent_element()?;
        let shown = f64::from(stage.client_height());
        let tall = f64::from(self.canvas.client_height());
        if shown <= 0.0 || tall <= shown + 2.0 * MARGIN_PX {
            return None;
        }
        let top = f64::from(stage.scroll_top()) - f64::from(self.canvas.offset_top());
        Some((top - MARGIN_PX, top + shown + MARGIN_PX))
    }

    /// Tells the app how far the canvas is scrolled in its stage.
    fn sync_scroll_top(&self) {
        let Some(stage) = self.canvas.parent_element() else {
            return;
        };
        // Only a canvas taller than its stage scrolls in it (many lines).
        let tall = self.canvas.client_height() > stage.client_height();
        let top = if tall {
            (f64::from(stage.scroll_top()) - f64::from(self.canvas.offset_top())).max(0.0)
        } else {
            0.0
        };
        let known = read_app_of(self, App::scroll_top);
        if known.is_some_and(|k| (k - top).abs() > 0.5) {
            if let Ok(mut app) = self.app.try_borrow_mut() {
                app.set_scroll_top(top);
            }
        }
    }

    /// Paints the whole canvas now, not only the rows its stage shows (for
    /// an export of its pixels).
    pub(crate) fn paint_whole(&self) {
        if let Ok(app) = self.app.try_borrow() {
            let scene = crate::scene::build_whole(&app);
            canvas::paint(&self.context, &scene, self.pixel_ratio.get());
        }
    }

    /// Shows a new notice: a few lines at most, with its details behind a
    /// "N more…" button as a scrollable list. It sits above the diagram, in
    /// the page's flow, so it never covers it; it goes after a few seconds
    /// unless its details are open.
    fn sync_notice(&self) {
        let notice = read_app_of(self, |app| app.notice().cloned()).flatten();
        let Some(notice) = notice else { return };
        if notice.serial == self.shown_notice.replace(notice.serial) {
            return;
        }
        let _ = self.render_notice(&notice);
        let serial = notice.serial;
        let hide = Closure::once_into_js(move || {
            let Some(page) = PAGE.with(|p| p.borrow().clone()) else {
                return;
            };
            let open = element::<Element>(&page.document, "notice-list")
                .is_ok_and(|list| !list.has_attribute("hidden"));
            if page.shown_notice.get() == serial && !open {
                page.hide_notice();
            }
        });
        let stay = if notice.more.is_empty() {
            NOTICE_MS
        } else {
            2 * NOTICE_MS
        };
        let _ = self
            .window
            .set_timeout_with_callback_and_timeout_and_arguments_0(hide.unchecked_ref(), stay);
    }

    fn render_notice(&self, notice: &crate::app::Notice) -> Result<(), JsValue> {
        let box_: Element = element(&self.document, "notice")?;
        element::<Element>(&self.document, "notice-text")?.set_text_content(Some(&notice.text));
        let more: Element = element(&self.document, "notice-more")?;
        let list: Element = element(&self.document, "notice-list")?;
        while let Some(child) = list.first_child() {
            list.remove_child(&child)?;
        }
        for line in &notice.more {
            let item = self.document.create_element("li")?;
            item.set_text_content(Some(line));
            list.append_child(&item)?;
        }
        more.set_text_content(Some(&format!("{} more…", notice.more.len())));
        more.set_attribute("aria-expanded", "false")?;
        set_hidden_attr(&more, notice.more.is_empty());
        set_hidden_attr(&list, true);
        set_hidden_attr(&box_, false);
        Ok(())
    }

    fn hide_notice(&self) {
        if let Some(el) = self.document.get_element_by_id("notice") {
            let _ = el.set_attribute("hidden", "");
        }
    }

    fn install_notice(self: &Rc<Self>) -> Result<(), JsValue> {
        let more: Element = element(&self.document, "notice-more")?;
        let document = self.document.clone();
        let toggle = more.clone();
        self.listeners.on(more.as_ref(), "click", move |_| {
            if let Ok(list) = element::<Element>(&document, "notice-list") {
                let open = list.has_attribute("hidden");
                set_hidden_attr(&list, !open);
                let _ = toggle.set_attribute("aria-expanded", if open { "true" } else { "false" });
            }
        })?;
        let close: Element = element(&self.document, "notice-close")?;
        let weak = Rc::downgrade(self);
        self.listeners.on(close.as_ref(), "click", move |_| {
            if let Some(page) = weak.upgrade() {
                page.hide_notice();
            }
        })
    }

    pub(crate) fn document(&self) -> &Document {
        &self.document
    }

    pub(crate) fn listeners_on(
        &self,
        target: &EventTarget,
        kind: &'static str,
        handler: impl FnMut(Event) + 'static,
    ) -> Result<(), JsValue> {
        self.listeners.on(target, kind, handler)
    }

    pub(crate) fn app(&self) -> &RefCell<App> {
        &self.app
    }

    pub(crate) fn window(&self) -> &Window {
        &self.window
    }

    pub(crate) fn canvas_element(&self) -> &HtmlCanvasElement {
        &self.canvas
    }

    pub(crate) fn stage(&self) -> &stage::Stage {
        &self.stage
    }

    /// `Some` when the page is an embed.
    pub(crate) fn embed(&self) -> Option<crate::embed::Embed> {
        self.embed
    }
}

fn set_hidden_attr(element: &Element, hidden: bool) {
    let _ = if hidden {
        element.set_attribute("hidden", "")
    } else {
        element.remove_attribute("hidden")
    };
}

pub(crate) fn read_app_of<R>(page: &Page, f: impl FnOnce(&App) -> R) -> Option<R> {
    page.app.try_borrow().ok().map(|app| f(&app))
}
