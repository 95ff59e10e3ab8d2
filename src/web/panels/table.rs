//! The event table: one row per event, one column per clock, sortable by any
//! column; clicking a row selects its event.

use super::bind::{data_index, target_closest, PanelView, Rendered};
use super::dom::{clear, make, set_hidden};
use crate::app::App;
use crate::table::Column;
use crate::web::{element, with_app, Page};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event};

/// Most rows the table shows (the rest are reached by sorting).
const MAX_TABLE_ROWS: usize = 500;

/// How the table is sorted: view state the page keeps, not part of the
/// scenario (whether it is shown is the app's, so T works from the canvas).
pub(super) struct EventTable {
    sort: Cell<(Column, bool)>,
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
        let &(_, column, descending, _) = model;
        let body: Element = element(document, "event-table-body")?;
        clear(&body);
        let rows = crate::table::sorted_rows(app.scenario(), app.trace(), column, descending);
        let run = app.kv();
        let data = !run.versions.is_empty() || !run.reads.is_empty();
        set_hidden(&element::<Element>(document, "event-table-data")?, !data);
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
    let body: Element = element(page.document(), "event-table-body")?;
    page.listeners_on(body.as_ref(), "click", |event: Event| {
        if let Some(index) =
            target_closest(&event, "tr[data-index]").and_then(|r| data_index(&r, "data-index"))
        {
            with_app(|app| app.select_index(Some(index)));
        }
    })
}
