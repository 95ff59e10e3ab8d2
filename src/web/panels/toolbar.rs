//! The toolbar (view, playback, undo and redo, delete, clock view, help), the
//! help overlay and the tooltip over the diagram.

use super::bind::{on_click, PanelView, Rendered};
use super::dom::{make, set_hidden};
use crate::app::{App, ClockView};
use crate::web::{element, with_app, Page};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlButtonElement, HtmlElement, HtmlSelectElement};

pub(super) struct Toolbar {
    clock_view: HtmlSelectElement,
    help: HtmlElement,
    delete_button: HtmlButtonElement,
    undo_button: HtmlButtonElement,
    redo_button: HtmlButtonElement,
    play_button: HtmlButtonElement,
}

impl Toolbar {
    /// Finds the buttons; fills the clock-view menu and the help table.
    pub(super) fn find(document: &Document) -> Result<Self, JsValue> {
        let views: HtmlSelectElement = element(document, "clock-view")?;
        for view in ClockView::ALL {
            let option = make(document, "option")?;
            option.set_attribute("value", view.id())?;
            option.set_text_content(Some(view.title()));
            views.append_child(&option)?;
        }
        // Touch rows first, shown on a touch screen (`crate::web::pointer`
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
        Ok(Toolbar {
            clock_view: views,
            help: element(document, "help")?,
            delete_button: element(document, "delete")?,
            undo_button: element(document, "undo")?,
            redo_button: element(document, "redo")?,
            play_button: element(document, "play")?,
        })
    }

    /// Enables the buttons that can act and shows the help if asked for.
    pub(super) fn sync(&self, app: &App) {
        // The labels' clock can change without the menu (a preset sets the
        // clock its caption talks about).
        let view = app.clock_view().id();
        if self.clock_view.value() != view {
            self.clock_view.set_value(view);
        }
        self.delete_button.set_disabled(app.selection().is_none());
        self.undo_button.set_disabled(!app.can_undo());
        self.redo_button.set_disabled(!app.can_redo());
        set_hidden(&self.help, !app.help_shown());
    }

    pub(super) fn sync_play_button(&self, app: &App) {
        let playing = app.playback().is_some_and(|p| p.playing);
        let label = if playing { "❚❚ Pause" } else { "▶ Play" };
        if self.play_button.text_content().as_deref() != Some(label) {
            self.play_button.set_text_content(Some(label));
        }
    }
}

/// The hovered event's explanation, beside it.
pub(super) struct Tooltip {
    text: Rendered<TooltipText>,
}

struct TooltipText {
    tooltip: HtmlElement,
}

impl PanelView for TooltipText {
    /// The revision and the hovered event.
    type Model = (u64, usize);

    fn model(&self, app: &App) -> Option<Self::Model> {
        Some((app.revision(), app.hover()?))
    }

    fn render(&self, _: &Document, app: &App, &(_, index): &Self::Model) -> Result<(), JsValue> {
        self.tooltip
            .set_text_content(Some(&app.describe(index).join("\n")));
        Ok(())
    }
}

impl Tooltip {
    pub(super) fn find(document: &Document) -> Result<Self, JsValue> {
        Ok(Tooltip {
            text: Rendered::new(TooltipText {
                tooltip: element(document, "tooltip")?,
            }),
        })
    }

    pub(super) fn sync(&self, document: &Document, app: &App) {
        let tooltip = &self.text.view.tooltip;
        let shown = app
            .hover()
            .filter(|_| app.gesture() == crate::input::Gesture::Idle)
            .and_then(|i| app.layout().event_point(app.trace(), i));
        let Some((x, y)) = shown else {
            self.text.forget();
            set_hidden(tooltip, true);
            return;
        };
        let _ = self.text.sync(document, app);
        let width = app.viewport.width;
        let style = tooltip.style();
        let left = if x > width * 0.6 {
            (x - 392.0).max(4.0)
        } else {
            x + 14.0
        };
        let _ = style.set_property("left", &format!("{left:.0}px"));
        let _ = style.set_property("top", &format!("{:.0}px", y + 14.0));
        set_hidden(tooltip, false);
    }
}

pub(super) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
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

    let select: HtmlSelectElement = element(page.document(), "clock-view")?;
    let chosen = select.clone();
    page.listeners_on(select.as_ref(), "change", move |_| {
        if let Some(view) = ClockView::from_id(&chosen.value()) {
            with_app(|app| app.set_clock_view(view));
        }
    })?;
    Ok(())
}
