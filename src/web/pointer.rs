//! The canvas's pointer listeners. A mouse or pen drives [`App::pointer_down`]
//! and its kin; a finger (`pointerType == "touch"`) drives [`App::touch_down`]
//! and its kin, tracked by `pointerId` (see [`crate::touch`]).
//!
//! The canvas keeps `touch-action: none`: the browser neither scrolls nor
//! zooms under a finger there, so a drag or pinch is never half the page's and
//! half ours. In exchange the page scrolls from here when a finger swipes up
//! or down over empty canvas ([`TouchReply::scroll_page_by`]).

use super::{read_app, with_app, Page};
use crate::app::App;
use crate::touch::TouchReply;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, EventTarget, HtmlCanvasElement, PointerEvent, WheelEvent};

fn pointer_xy(canvas: &HtmlCanvasElement, event: &web_sys::MouseEvent) -> (f64, f64) {
    let rect = canvas.get_bounding_client_rect();
    (
        f64::from(event.client_x()) - rect.left(),
        f64::from(event.client_y()) - rect.top(),
    )
}

/// What the canvas's listeners share about fingers.
#[derive(Default)]
struct Fingers {
    /// The canvas's top-left (client px) when the first finger of a touch
    /// landed. Fingers are measured from it until a new touch begins, so the
    /// page scroll a swipe makes does not read as the finger moving.
    origin: Cell<(f64, f64)>,
    /// The last press on the canvas was a finger: the browser's own
    /// `dblclick` after a double tap is then ignored (the tracker saw it).
    last_was_touch: Cell<bool>,
}

impl Fingers {
    fn xy(&self, event: &PointerEvent) -> (f64, f64) {
        let (left, top) = self.origin.get();
        (
            f64::from(event.client_x()) - left,
            f64::from(event.client_y()) - top,
        )
    }
}

fn is_touch(event: &PointerEvent) -> bool {
    event.pointer_type() == "touch"
}

/// Shows the touch rows of the help (built hidden by `super::panel`).
fn show_touch_help(document: &Document) {
    if let Some(rows) = document.get_element_by_id("help-touch") {
        if rows.has_attribute("hidden") {
            let _ = rows.remove_attribute("hidden");
        }
    }
}

/// Whether the device's main pointer is a finger.
fn coarse_pointer(window: &web_sys::Window) -> bool {
    window
        .match_media("(pointer: coarse)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

impl Page {
    /// Carries out what a touch asked of the page itself.
    fn answer_touch(&self, reply: Option<TouchReply>) {
        let Some(reply) = reply else { return };
        if reply.scroll_page_by != 0.0 {
            self.window
                .scroll_by_with_x_and_y(0.0, reply.scroll_page_by);
        }
        if reply.tapped_event.is_some() {
            self.sheet.open(self);
        }
    }

    fn touch_down(&self, fingers: &Fingers, event: &PointerEvent) {
        fingers.last_was_touch.set(true);
        show_touch_help(&self.document);
        if !read_app(App::touch_active).unwrap_or(false) {
            let rect = self.canvas.get_bounding_client_rect();
            fingers.origin.set((rect.left(), rect.top()));
        }
        let (x, y) = fingers.xy(event);
        let (id, at_ms) = (event.pointer_id(), event.time_stamp());
        let reply = with_app(|app| app.touch_down(id, x, y, at_ms));
        self.answer_touch(reply);
    }

    /// Listens to a pointer event on the canvas while the page lives.
    fn on_pointer(
        self: &Rc<Self>,
        kind: &'static str,
        handler: impl Fn(&Page, &PointerEvent) + 'static,
    ) -> Result<(), JsValue> {
        let weak = Rc::downgrade(self);
        self.listeners.on(self.canvas.as_ref(), kind, move |event| {
            if let (Some(event), Some(page)) = (event.dyn_ref::<PointerEvent>(), weak.upgrade()) {
                handler(&page, event);
            }
        })
    }

    pub(super) fn install_canvas_listeners(self: &Rc<Self>) -> Result<(), JsValue> {
        if coarse_pointer(&self.window) {
            show_touch_help(&self.document);
        }
        let fingers = Rc::new(Fingers::default());
        let target: &EventTarget = self.canvas.as_ref();
        let shared = fingers.clone();
        self.on_pointer("pointerdown", move |page, event| {
            if is_touch(event) {
                page.touch_down(&shared, event);
                return;
            }
            shared.last_was_touch.set(false);
            if event.button() != 0 {
                return;
            }
            let _ = page.canvas.set_pointer_capture(event.pointer_id());
            let _ = page.canvas.focus();
            let (x, y) = pointer_xy(&page.canvas, event);
            with_app(|app| app.pointer_down(x, y));
        })?;
        let shared = fingers.clone();
        self.on_pointer("pointermove", move |page, event| {
            if is_touch(event) {
                let (id, (x, y)) = (event.pointer_id(), shared.xy(event));
                page.answer_touch(with_app(|app| app.touch_move(id, x, y)));
            } else {
                let (x, y) = pointer_xy(&page.canvas, event);
                with_app(|app| app.pointer_move(x, y));
            }
        })?;
        let shared = fingers.clone();
        self.on_pointer("pointerup", move |page, event| {
            if is_touch(event) {
                let (id, (x, y), at_ms) =
                    (event.pointer_id(), shared.xy(event), event.time_stamp());
                page.answer_touch(with_app(|app| app.touch_up(id, x, y, at_ms)));
            } else if event.button() == 0 {
                let _ = page.canvas.release_pointer_capture(event.pointer_id());
                let (x, y) = pointer_xy(&page.canvas, event);
                with_app(|app| app.pointer_up(x, y));
            }
        })?;
        self.listeners.on(target, "pointercancel", move |event| {
            if event.dyn_ref::<PointerEvent>().is_some_and(is_touch) {
                with_app(App::touch_cancel);
            } else {
                with_app(App::pointer_cancel);
            }
        })?;
        // A finger's implicit capture ends after every lift: that is no
        // interruption (its `pointerup` came first), so only a mouse's counts.
        self.listeners
            .on(target, "lostpointercapture", move |event| {
                if !event.dyn_ref::<PointerEvent>().is_some_and(is_touch) {
                    with_app(App::pointer_cancel);
                }
            })?;
        self.listeners.on(target, "pointerleave", move |_| {
            with_app(App::pointer_leave);
        })?;
        let canvas = self.canvas.clone();
        let shared = fingers;
        self.listeners.on(target, "dblclick", move |event| {
            let Some(event) = event.dyn_ref::<web_sys::MouseEvent>() else {
                return;
            };
            event.prevent_default();
            // Chromium turns a double tap into a dblclick too; the touch
            // tracker already counted it (and some browsers never send one).
            if shared.last_was_touch.get() {
                return;
            }
            let (x, y) = pointer_xy(&canvas, event);
            with_app(|app| app.double_click(x, y));
        })?;
        let canvas = self.canvas.clone();
        self.listeners
            .on_non_passive(target, "wheel", move |event| {
                let Some(event) = event.dyn_ref::<WheelEvent>() else {
                    return;
                };
                event.prevent_default();
                let (x, _) = pointer_xy(&canvas, event);
                let scale = match event.delta_mode() {
                    1 => 16.0,  // lines
                    2 => 400.0, // pages
                    _ => 1.0,
                };
                let (dx, dy, shift) = (
                    event.delta_x() * scale,
                    event.delta_y() * scale,
                    event.shift_key(),
                );
                with_app(|app| app.wheel(x, dx, dy, shift));
            })?;
        self.listeners
            .on(target, "contextmenu", move |event| event.prevent_default())?;
        Ok(())
    }
}
