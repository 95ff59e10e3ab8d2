//! The HTML around the canvas, one module per panel: each finds its
//! elements, renders from the app (through [`bind::Rendered`] when its model
//! can be compared, so it redraws only when that changed) and wires its
//! listeners through the page.

mod add;
pub(super) mod bind;
mod data;
pub(super) mod details;
pub(super) mod dom;
mod find;
mod generate;
mod invariants;
pub(super) mod library;
mod nodes;
mod presets;
mod rules;
mod share;
mod snapshot;
mod table;
mod toolbar;

use super::Page;
use crate::app::App;
use bind::Rendered;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::Document;

/// Every panel the page syncs after a change.
pub(crate) struct Panels {
    toolbar: toolbar::Toolbar,
    nodes: nodes::NodesPanel,
    details: Rendered<details::Details>,
    invariants: Rendered<invariants::Invariants>,
    table: table::TablePanel,
    snapshot: Rendered<snapshot::Snapshot>,
    data: Rendered<data::DataPanel>,
    tooltip: toolbar::Tooltip,
    find: find::FindBar,
    lines: find::LinesPanel,
}

impl Panels {
    /// Finds each panel's elements and builds what never changes (menus,
    /// table headers, the help table).
    pub(crate) fn find(document: &Document) -> Result<Panels, JsValue> {
        let toolbar = toolbar::Toolbar::find(document)?;
        let table = table::TablePanel::find(document)?;
        Ok(Panels {
            toolbar,
            nodes: nodes::NodesPanel::find(document)?,
            details: Rendered::new(details::Details::find(document)?),
            invariants: Rendered::new(invariants::Invariants),
            table,
            snapshot: Rendered::new(snapshot::Snapshot::find(document)?),
            data: Rendered::new(data::DataPanel),
            tooltip: toolbar::Tooltip::find(document)?,
            find: find::FindBar::find(document)?,
            lines: Rendered::new(find::Lines::find(document)?),
        })
    }

    /// Brings the DOM in line with the app.
    pub(crate) fn sync(&self, page: &Page) {
        let Ok(app) = page.app().try_borrow() else {
            return;
        };
        let document = page.document();
        let _ = self.nodes.sync(document, &app);
        self.toolbar.sync(&app);
        let _ = self.details.sync(document, &app);
        let _ = self.invariants.sync(document, &app);
        let _ = self.table.sync(document, &app);
        rules::sync(document, &app);
        let _ = self.snapshot.sync(document, &app);
        let _ = self.data.sync(document, &app);
        data::sync(document, &app);
        self.tooltip.sync(document, &app);
        self.find.sync(document, &app);
        let _ = self.lines.sync(document, &app);
        self.sync_play_button(&app);
    }

    pub(crate) fn sync_playback(&self, page: &Page) {
        if let Ok(app) = page.app().try_borrow() {
            self.sync_play_button(&app);
        }
    }

    fn sync_play_button(&self, app: &App) {
        self.toolbar.sync_play_button(app);
    }
}

/// Wires every panel's listeners: the toolbar, the node rows (by delegation
/// on their container, so rebuilt rows need no new listeners), the snapshot
/// controls, the forms and My scenarios.
pub(crate) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    toolbar::install(page)?;
    nodes::install(page)?;
    snapshot::install(page)?;
    share::install_copy_link(page)?;
    presets::install(page)?;
    share::install_files(page)?;
    generate::install(page)?;
    table::install(page)?;
    invariants::install(page)?;
    rules::install(page)?;
    add::install(page)?;
    data::install(page)?;
    find::install(page)?;
    Ok(())
}
