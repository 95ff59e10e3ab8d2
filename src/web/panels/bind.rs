//! How panels meet the page: listeners registered through the page (which
//! keeps their closures), controls found by their `data-*` attributes, and
//! rendering that skips a panel whose model has not changed since it last drew.

use crate::app::App;
use crate::web::{element, with_app, Page};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event};

/// A panel drawn from a model read off the app, and drawn again only when
/// that model differs from the one it last drew.
///
/// The model is what the drawing depends on (a revision, a selection, a sort
/// order), not the drawn text itself: reading the text (descriptions,
/// invariant checks, a sorted table) on every sync would cost each frame the
/// work the skip is there to save.
pub(super) trait PanelView {
    type Model: PartialEq;

    /// The model to draw now, or `None` when the panel waits (hidden, or
    /// mid-drag) and keeps what it shows.
    fn model(&self, app: &App) -> Option<Self::Model>;

    fn render(&self, document: &Document, app: &App, model: &Self::Model) -> Result<(), JsValue>;
}

/// A [`PanelView`] and the model it last rendered.
pub(super) struct Rendered<P: PanelView> {
    pub(super) view: P,
    last: RefCell<Option<P::Model>>,
}

impl<P: PanelView> Rendered<P> {
    pub(super) fn new(view: P) -> Self {
        Rendered {
            view,
            last: RefCell::new(None),
        }
    }

    /// Renders if the model changed. A render that fails part way is not
    /// retried until the model changes again.
    pub(super) fn sync(&self, document: &Document, app: &App) -> Result<(), JsValue> {
        let Some(model) = self.view.model(app) else {
            return Ok(());
        };
        if self.last.borrow().as_ref() == Some(&model) {
            return Ok(());
        }
        let result = self.view.render(document, app, &model);
        *self.last.borrow_mut() = Some(model);
        result
    }

    /// Renders on the next sync whatever the model.
    pub(super) fn forget(&self) {
        *self.last.borrow_mut() = None;
    }
}

/// Runs `handler` on the app when `#id` is clicked.
pub(super) fn on_click(
    page: &Rc<Page>,
    id: &str,
    mut handler: impl FnMut(&mut App) + 'static,
) -> Result<(), JsValue> {
    let target: Element = element(page.document(), id)?;
    page.listeners_on(target.as_ref(), "click", move |_| {
        with_app(&mut handler);
    })
}

/// Runs `handler` on the page when `#id` is clicked.
pub(crate) fn on_click_page(
    page: &Rc<Page>,
    id: &str,
    handler: impl Fn(&Rc<Page>) + 'static,
) -> Result<(), JsValue> {
    let target: Element = element(page.document(), id)?;
    let weak = Rc::downgrade(page);
    page.listeners_on(target.as_ref(), "click", move |_| {
        if let Some(page) = weak.upgrade() {
            handler(&page);
        }
    })
}

/// The element matching `selector` at or above an event's target.
pub(crate) fn target_closest(event: &Event, selector: &str) -> Option<Element> {
    event
        .target()?
        .dyn_into::<Element>()
        .ok()?
        .closest(selector)
        .ok()
        .flatten()
}

/// The number in an element's `attribute`.
pub(crate) fn data_index(element: &Element, attribute: &str) -> Option<usize> {
    element.get_attribute(attribute)?.parse().ok()
}

/// A node row's control that an event came from, as the type `T`, with its
/// `data-command` and the node it belongs to (its `data-node`).
pub(super) fn node_command<T: JsCast + AsRef<Element>>(
    event: &Event,
) -> Option<(T, String, usize)> {
    let control = event.target()?.dyn_into::<T>().ok()?;
    let element: &Element = control.as_ref();
    let command = element.get_attribute("data-command")?;
    let node = data_index(element, "data-node")?;
    Some((control, command, node))
}
