//! The event table: one row per event, one column per clock, sortable by any
//! column; clicking a row selects its event.

use super::bind::{data_index, target_closest, PanelView, Rendered};
use super::dom::{make, set_hidden};
use crate::app::App;
use crate::table::Column;
use crate::web::{element, with_app, Page};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlElement};

/// A trace of at most this many events is rendered whole; a longer one
/// renders only the rows near the scroll position (with spacers above and
/// below standing in for the rest), so opening the table at 20,000 events
/// builds a few dozen rows instead of every one.
const WHOLE_TABLE_ROWS: usize = 200;
/// Rows rendered beyond each edge of the visible ones.
const OVERSCAN_ROWS: usize = 30;
/// The rendered rows start and end at multiples of this, so scrolling
/// renders again only every so many rows.
const WINDOW_STEP: usize = 20;
/// A row's height until one was measured, CSS px (12 px text, 3 px padding
/// each side, a 1 px border).
const ROW_PX_GUESS: f64 = 22.0;
/// Rows taken as visible when the scroll box has no size yet.
const VISIBLE_ROWS_GUESS: usize = 40;

/// How the table is sorted: view state the page keeps, not part of the
/// scenario (whether it is shown is the app's, so T works from the canvas).
pub(super) struct EventTable {
    sort: Cell<(Column, bool)>,
    /// Trace indices in the order last rendered, and the revision and sort
    /// they are of (a new selection renders again without sorting again).
    order: RefCell<Vec<usize>>,
    last_sorted: Cell<Option<(u64, Column, bool)>>,
    /// The rows in the DOM: `order[first..end]`.
    window: Cell<(usize, usize)>,
    /// A row's height, CSS px, once measured.
    row_px: Cell<Option<f64>>,
}

pub(super) struct TablePanel {
    rows: Rendered<EventTable>,
}

impl TablePanel {
    /// Builds the column headers.
    pub(super) fn find(document: &Document) -> Result<Self, JsValue> {
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
        // The database lens's column: each event's put or get, its
        // commit-wait, restarts and staleness (shown when there are any).
        let th = make(document, "th")?;
        th.set_id("event-table-data");
        th.set_text_content(Some("database op"));
        head.append_child(&th)?;
        Ok(TablePanel {
            rows: Rendered::new(EventTable {
                sort: Cell::new((Column::Index, false)),
                order: RefCell::new(Vec::new()),
                last_sorted: Cell::new(None),
                window: Cell::new((0, 0)),
                row_px: Cell::new(None),
            }),
        })
    }

    pub(super) fn sync(&self, document: &Document, app: &App) -> Result<(), JsValue> {
        let section: Element = element(document, "table-view")?;
        set_hidden(&section, !app.table_shown());
        let toggle: Element = element(document, "toggle-table")?;
        let pressed = if app.table_shown() { "true" } else { "false" };
        if toggle.get_attribute("aria-pressed").as_deref() != Some(pressed) {
            toggle.set_attribute("aria-pressed", pressed)?;
        }
        self.rows.sync(document, app)
    }

    /// Sorts by `column`, or reverses the order if it is sorted by it already.
    fn sort_by(&self, column: Column) {
        let sort = &self.rows.view.sort;
        let (current, descending) = sort.get();
        sort.set((column, current == column && !descending));
    }

    /// The table scrolled: renders the rows now in view if they are not.
    fn scrolled(&self, document: &Document, app: &App) -> Result<(), JsValue> {
        if !app.table_shown() {
            return Ok(());
        }
        let table = &self.rows.view;
        if table.wanted_window(document)? != table.window.get() {
            table.render_window(document, app)?;
        }
        Ok(())
    }
}

impl EventTable {
    /// The rows to have in the DOM for the current scroll position.
    fn wanted_window(&self, document: &Document) -> Result<(usize, usize), JsValue> {
        let total = self.order.borrow().len();
        if total <= WHOLE_TABLE_ROWS {
            return Ok((0, total));
        }
        let scroll = scroll_box(document)?;
        let row = self.row_px.get().unwrap_or(ROW_PX_GUESS);
        let top = (f64::from(scroll.scroll_top().max(0)) / row) as usize;
        let visible = match scroll.client_height() {
            h if h > 0 => (f64::from(h) / row).ceil() as usize + 1,
            _ => VISIBLE_ROWS_GUESS,
        };
        let first = top.saturating_sub(OVERSCAN_ROWS) / WINDOW_STEP * WINDOW_STEP;
        let end = (top + visible + OVERSCAN_ROWS).div_ceil(WINDOW_STEP) * WINDOW_STEP;
        Ok((first.min(total), end.min(total)))
    }

    /// Replaces the body's rows with those of the wanted window, and a spacer
    /// for the rows above it and one for those below.
    fn render_window(&self, document: &Document, app: &App) -> Result<(), JsValue> {
        let (first, end) = self.wanted_window(document)?;
        self.window.set((first, end));
        let body: Element = element(document, "event-table-body")?;
        body.set_text_content(None);
        let order = self.order.borrow();
        let total = order.len();
        let row_px = self.row_px.get().unwrap_or(ROW_PX_GUESS);
        let run = app.kv();
        let data = !run.versions.is_empty() || !run.reads.is_empty();
        if first > 0 {
            let above = spacer(document, first as f64 * row_px)?;
            body.append_child(&above)?;
        }
        for &index in &order[first..end] {
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
            if data {
                let td = make(document, "td")?;
                if let Some(e) = app.trace().event(index) {
                    let text = crate::report::kv_cell(app.scenario(), run, index, e);
                    td.set_text_content(Some(&text));
                }
                tr.append_child(&td)?;
            }
            body.append_child(&tr)?;
        }
        if end < total {
            let below = spacer(document, (total - end) as f64 * row_px)?;
            body.append_child(&below)?;
        }
        // Measured once, on the first windowed render (one layout of a few
        // dozen rows): the spacers then match the rows they stand for.
        if total > WHOLE_TABLE_ROWS && self.row_px.get().is_none() {
            let measured = body
                .query_selector("tr[data-index]")?
                .map(|tr| tr.get_bounding_client_rect().height())
                .filter(|&h| h > 0.0);
            self.row_px.set(measured);
        }
        Ok(())
    }
}

/// The table's scrolling box.
fn scroll_box(document: &Document) -> Result<Element, JsValue> {
    element::<Element>(document, "event-table")?
        .parent_element()
        .ok_or_else(|| JsValue::from_str("#event-table has no scrolling box"))
}

/// An empty row `height` px tall standing in for rows not rendered.
fn spacer(document: &Document, height: f64) -> Result<Element, JsValue> {
    let tr = make(document, "tr")?;
    tr.set_class_name("spacer");
    tr.set_attribute("aria-hidden", "true")?;
    let td: HtmlElement = make(document, "td")?.dyn_into()?;
    td.set_attribute("colspan", &(Column::ALL.len() + 1).to_string())?;
    td.style().set_property("height", &format!("{height}px"))?;
    tr.append_child(&td)?;
    Ok(tr)
}

impl PanelView for EventTable {
    /// The revision, the sort column and order, and the selected event.
    type Model = (u64, Column, bool, Option<usize>);

    fn model(&self, app: &App) -> Option<Self::Model> {
        let (column, descending) = self.sort.get();
        app.table_shown()
            .then(|| (app.revision(), column, descending, app.selected_index()))
    }

    fn render(&self, document: &Document, app: &App, model: &Self::Model) -> Result<(), JsValue> {
        let &(revision, column, descending, _) = model;
        let resorted = self
            .last_sorted
            .replace(Some((revision, column, descending)))
            != Some((revision, column, descending));
        if resorted {
            *self.order.borrow_mut() =
                crate::table::sorted_rows(app.scenario(), app.trace(), column, descending);
        }
        let run = app.kv();
        let data = !run.versions.is_empty() || !run.reads.is_empty();
        set_hidden(&element::<Element>(document, "event-table-data")?, !data);
        self.render_window(document, app)?;
        let order = if descending {
            "descending"
        } else {
            "ascending"
        };
        let note = format!(
            "{} events, sorted by {} ({order}).",
            self.order.borrow().len(),
            column.title()
        );
        element::<Element>(document, "table-note")?.set_text_content(Some(&note));
        Ok(())
    }
}

/// Wires the Table button, the column headers and the rows.
pub(super) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    let toggle: Element = element(page.document(), "toggle-table")?;
    page.listeners_on(toggle.as_ref(), "click", move |_| {
        with_app(|app| app.set_table_shown(!app.table_shown()));
    })?;
    let head: Element = element(page.document(), "event-table-head")?;
    let weak = Rc::downgrade(page);
    page.listeners_on(head.as_ref(), "click", move |event: Event| {
        let column = target_closest(&event, "button[data-column]")
            .and_then(|b| data_index(&b, "data-column"))
            .and_then(|k| Column::ALL.get(k).copied());
        if let (Some(page), Some(column)) = (weak.upgrade(), column) {
            page.panel.table.sort_by(column);
            page.changed();
        }
    })?;
    // Scrolling brings the rows now in view into the DOM.
    let scroll = scroll_box(page.document())?;
    let weak = Rc::downgrade(page);
    page.listeners_on(scroll.as_ref(), "scroll", move |_| {
        if let Some(page) = weak.upgrade() {
            if let Ok(app) = page.app().try_borrow() {
                let _ = page.panel.table.scrolled(page.document(), &app);
            }
        }
    })?;
    let body: Element = element(page.document(), "event-table-body")?;
    page.listeners_on(body.as_ref(), "click", |event: Event| {
        if let Some(index) =
            target_closest(&event, "tr[data-index]").and_then(|r| data_index(&r, "data-index"))
        {
            with_app(|app| app.select_index(Some(index)));
        }
    })
}
