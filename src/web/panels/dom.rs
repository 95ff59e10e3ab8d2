//! Building panel elements and reading their fields. Every string from the
//! scenario reaches the DOM through `textContent` or an input's `value`, never
//! as markup.

use crate::web::element;
use hlc::Time;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement, HtmlSelectElement};

pub(crate) fn make(document: &Document, tag: &str) -> Result<Element, JsValue> {
    document.create_element(tag)
}

pub(super) fn paragraph(
    document: &Document,
    text: &str,
    class: Option<&str>,
) -> Result<Element, JsValue> {
    let p = make(document, "p")?;
    p.set_text_content(Some(text));
    if let Some(class) = class {
        p.set_class_name(class);
    }
    Ok(p)
}

pub(crate) fn clear(element: &Element) {
    while let Some(child) = element.first_child() {
        let _ = element.remove_child(&child);
    }
}

pub(crate) fn set_hidden(element: &Element, hidden: bool) {
    let _ = if hidden {
        element.set_attribute("hidden", "")
    } else {
        element.remove_attribute("hidden")
    };
}

/// Shows `value` in a field, unless the field has the focus: what the person
/// is typing there is theirs until they commit it.
pub(super) fn show_unless_typing(field: &HtmlInputElement, value: &str, focused: Option<&Element>) {
    let is_focused = focused.is_some_and(|f| f == field.unchecked_ref::<Element>());
    if !is_focused && field.value() != value {
        field.set_value(value);
    }
}

/// A whole number typed in `input` within `min..=max`, or a sentence saying
/// what `what` must be, in `unit`s.
pub(super) fn whole_number(
    input: &HtmlInputElement,
    what: &str,
    unit: &str,
    min: Time,
    max: Time,
) -> Result<Time, String> {
    let v = input.value_as_number();
    if v.is_finite() && v.fract() == 0.0 && v >= min as f64 && v <= max as f64 {
        Ok(v as Time)
    } else {
        Err(format!(
            "{what} must be a whole number of {unit} from {min} to {max}."
        ))
    }
}

/// [`whole_number`] in milliseconds.
pub(super) fn whole_ms(
    input: &HtmlInputElement,
    what: &str,
    min: Time,
    max: Time,
) -> Result<Time, String> {
    whole_number(input, what, "ms", min, max)
}

pub(super) fn input_of(document: &Document, id: &str) -> Result<HtmlInputElement, JsValue> {
    element(document, id)
}

/// The whole number of `unit`s typed in input `#id`, within `min..=max`.
pub(super) fn whole_number_in(
    document: &Document,
    id: &str,
    what: &str,
    unit: &str,
    min: Time,
    max: Time,
) -> Result<Time, String> {
    let input = input_of(document, id).map_err(|_| format!("The page has no field for {what}."))?;
    whole_number(&input, what, unit, min, max)
}

/// The node chosen in the menu `#id`.
pub(super) fn selected_node(document: &Document, id: &str) -> Option<usize> {
    element::<HtmlSelectElement>(document, id)
        .ok()?
        .value()
        .parse()
        .ok()
}
