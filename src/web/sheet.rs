//! The selected-event sheet: on a phone the side panel sits far below the
//! diagram, so a tap on an event (a finger, never a mouse click) opens this
//! sheet at the bottom of the viewport with the event's explanation, and
//! scrolls the page if the event would sit under it. It closes on its button,
//! and when the selection is cleared (a tap on empty canvas, Escape).

use super::panels::details::append_explanation;
use super::{element, read_app_of, set_hidden_attr, Page};
use crate::layout::EVENT_RADIUS;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

/// Room (CSS px) kept between a tapped event's dot and the sheet's top edge.
const CLEARANCE: f64 = EVENT_RADIUS + 24.0;

pub(crate) struct EventSheet {
    root: Element,
    body: Element,
    open: Cell<bool>,
    /// What the body shows: (revision, trace index), so it is rebuilt only
    /// when the event or the scenario changed.
    shown: Cell<Option<(u64, usize)>>,
}

impl EventSheet {
    pub(crate) fn find(document: &Document) -> Result<EventSheet, JsValue> {
        Ok(EventSheet {
            root: element(document, "event-sheet")?,
            body: element(document, "event-sheet-body")?,
            open: Cell::new(false),
            shown: Cell::new(None),
        })
    }

    /// Opens the sheet on the selected event (a finger just tapped it) and
    /// keeps the event in view above it.
    pub(crate) fn open(&self, page: &Page) {
        self.open.set(true);
        self.sync(page);
        if self.open.get() {
            self.keep_selection_visible(page);
        }
    }

    fn close(&self, page: &Page) {
        self.open.set(false);
        self.shown.set(None);
        set_hidden_attr(&self.root, true);
        if let Some(body) = page.document.body() {
            let _ = body.class_list().remove_1("sheet-open");
        }
    }

    /// Follows the selection: shows the selected event, closes when there is none.
    pub(crate) fn sync(&self, page: &Page) {
        if !self.open.get() {
            return;
        }
        let selected = read_app_of(page, |app| (app.revision(), app.selected_index()));
        let Some((revision, selected)) = selected else {
            return; // busy: the next change syncs again
        };
        let Some(index) = selected else {
            self.close(page);
            return;
        };
        if self.shown.replace(Some((revision, index))) != Some((revision, index)) {
            while let Some(child) = self.body.first_child() {
                let _ = self.body.remove_child(&child);
            }
            let _ = read_app_of(page, |app| {
                append_explanation(&page.document, app, index, &self.body)
            });
        }
        set_hidden_attr(&self.root, false);
        if let Some(body) = page.document.body() {
            // Room below the page's content as tall as the sheet can be, so
            // the page can always scroll an event above it (style.css).
            let _ = body.class_list().add_1("sheet-open");
        }
    }

    /// Scrolls the page if the selected event's dot is under the sheet.
    fn keep_selection_visible(&self, page: &Page) {
        let dot = read_app_of(page, |app| {
            app.selection()
                .and_then(|e| crate::scene::event_position(app, e))
        })
        .flatten();
        let Some((_, y)) = dot else { return };
        let dot_bottom = page.canvas.get_bounding_client_rect().top() + y + CLEARANCE;
        let sheet_top = self.root.get_bounding_client_rect().top();
        if dot_bottom > sheet_top {
            page.window
                .scroll_by_with_x_and_y(0.0, dot_bottom - sheet_top);
        }
    }
}

/// The close button: hides the sheet and keeps the selection.
pub(crate) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    let close: Element = element(&page.document, "event-sheet-close")?;
    let weak = Rc::downgrade(page);
    page.listeners.on(close.as_ref(), "click", move |_| {
        if let Some(page) = weak.upgrade() {
            page.sheet.close(&page);
        }
    })
}
