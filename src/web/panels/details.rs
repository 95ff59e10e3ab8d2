//! Selected event: its timestamp explained in words, and packed into 64 bits.

use super::bind::PanelView;
use super::dom::{clear, make, paragraph};
use crate::app::App;
use crate::web::element;
use hlc::Timestamp;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlElement};

pub(super) struct Details {
    container: HtmlElement,
}

impl Details {
    pub(super) fn find(document: &Document) -> Result<Self, JsValue> {
        Ok(Details {
            container: element(document, "details")?,
        })
    }
}

impl PanelView for Details {
    /// The revision and the selected event.
    type Model = (u64, Option<usize>);

    fn model(&self, app: &App) -> Option<Self::Model> {
        Some((app.revision(), app.selected_index()))
    }

    fn render(&self, document: &Document, app: &App, _: &Self::Model) -> Result<(), JsValue> {
        clear(&self.container);
        match app.selected_index() {
            Some(index) => {
                append_explanation(document, app, index, &self.container)?;
                let legend = "Green: its causal past. Amber: its causal future. Grey: concurrent.";
                let p = paragraph(document, legend, Some("hint"))?;
                self.container.append_child(&p)?;
            }
            None => {
                let hint = "Click an event (or use the arrow keys) to see its timestamp explained.";
                let p = paragraph(document, hint, Some("hint"))?;
                self.container.append_child(&p)?;
            }
        }
        Ok(())
    }
}

/// A trace event's explanation ([`App::describe`] and its packed bits), text
/// only: the side panel and the touch sheet (`crate::web::sheet`) both show it.
pub(crate) fn append_explanation(
    document: &Document,
    app: &App,
    index: usize,
    parent: &Element,
) -> Result<(), JsValue> {
    for (k, line) in app.describe(index).iter().enumerate() {
        let class = match k {
            0 => Some("title"),
            3 => Some("why"),
            _ => None,
        };
        let p = paragraph(document, line, class)?;
        parent.append_child(&p)?;
    }
    if let Some(e) = app.trace().event(index) {
        let child = packed_view(document, e.hlc())?;
        parent.append_child(&child)?;
    }
    Ok(())
}

/// A timestamp packed into 64 bits, bit by bit.
fn packed_view(document: &Document, ts: Timestamp) -> Result<Element, JsValue> {
    let packed = make(document, "div")?;
    packed.set_class_name("bits");
    match crate::app::packed_bits(ts) {
        Ok((l_bits, c_bits, hex)) => {
            let title = paragraph(
                document,
                &format!("packed into 64 bits (48 of l, 16 of c): {hex}"),
                Some("hint"),
            )?;
            packed.append_child(&title)?;
            for (text, class) in [(format!("l {l_bits}"), "l"), (format!("c {c_bits}"), "c")] {
                let p = paragraph(document, &text, Some(class))?;
                packed.append_child(&p)?;
            }
        }
        Err(why) => {
            let p = paragraph(
                document,
                &format!("Does not pack into 64 bits: {why}."),
                Some("hint"),
            )?;
            packed.append_child(&p)?;
        }
    }
    Ok(packed)
}
