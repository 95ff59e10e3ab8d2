//! The embed view (`?embed`, read by [`crate::embed`]): the diagram alone,
//! fitted to its frame, under a small bar with Play, the clock menu and a link
//! to the full page. The page's own controls are moved into that bar (their
//! listeners go with them); the header, drawer, hints, notices and table are
//! hidden by the `embed` body class (www/style.css). Nothing here writes
//! storage: `web::persist` keeps no records in an embed.

use super::panels::dom::set_hidden;
use super::{element, read_app_of, with_app, Page};
use crate::embed::{self, Embed};
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlAnchorElement, Window};

/// The controls an embed keeps, moved into its bar in this order.
const KEPT_CONTROLS: [&str; 2] = ["play", "clock-view"];

/// Whether this page was opened as an embed, and how.
pub(crate) fn requested(window: &Window) -> Option<Embed> {
    embed::from_query(&window.location().search().unwrap_or_default())
}

/// The page's address without query or fragment.
pub(crate) fn base_url(window: &Window) -> String {
    let location = window.location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// Turns the page into an embed: the bar, read-only unless `&edit`, no hints.
pub(crate) fn install(page: &Page, how: Embed) -> Result<(), JsValue> {
    let document = page.document();
    document
        .body()
        .ok_or("the page has no body")?
        .class_list()
        .add_1("embed")?;
    let bar: Element = element(document, "embed-bar")?;
    let open: Element = element(document, "embed-open")?;
    for id in KEPT_CONTROLS {
        let control: Element = element(document, id)?;
        bar.insert_before(&control, Some(&open))?;
    }
    set_hidden(&bar, false);
    with_app(|app| {
        app.set_read_only(!how.editable);
        // The hints teach editing on the full page; here they would only
        // cover the diagram (and dismissing them is not stored).
        let mut hints = app.hints();
        hints.dismiss();
        app.set_hints(hints);
    });
    let fragment = read_app_of(page, crate::app::App::permalink).unwrap_or_default();
    show_fragment(page, &fragment);
    Ok(())
}

/// The scenario in the URL is now `fragment`: "Open in the full page" opens it.
pub(crate) fn show_fragment(page: &Page, fragment: &str) {
    if page.embed().is_none() {
        return;
    }
    let window = page.window();
    let search = window.location().search().unwrap_or_default();
    // A tour step's embed opens that step of the tour, not a bare scenario.
    let step = read_app_of(page, |app| match app.lesson() {
        Some(crate::app::Lesson::Tour(at)) => Some(at.number),
        _ => None,
    })
    .flatten();
    let href = match step {
        Some(n) => format!("{}?{}={n}", base_url(window), embed::TOUR_PARAM),
        None => embed::full_page_url(&base_url(window), &search, fragment),
    };
    if let Ok(link) = element::<HtmlAnchorElement>(page.document(), "embed-open") {
        link.set_href(&href);
    }
}

/// The `<iframe>` snippet for the scenario shown now, `editable` with `&edit`.
pub(crate) fn snippet(page: &Page, editable: bool) -> String {
    let window = page.window();
    let search = window.location().search().unwrap_or_default();
    let fragment = read_app_of(page, crate::app::App::permalink).unwrap_or_default();
    embed::iframe_snippet(&embed::embed_url(
        &base_url(window),
        &search,
        &fragment,
        editable,
    ))
}

/// An embedded tour step's "Open in the full page" opens that step, whenever
/// the step is known: checked on every change, since the first link may be
/// written before the step opened (or while the app was busy).
pub(crate) fn sync_tour_link(page: &Page) {
    if page.embed().is_none() {
        return;
    }
    let step = read_app_of(page, |app| match app.lesson() {
        Some(crate::app::Lesson::Tour(at)) => Some(at.number),
        _ => None,
    })
    .flatten();
    let Some(n) = step else {
        return;
    };
    let href = format!("{}?{}={n}", base_url(page.window()), embed::TOUR_PARAM);
    if let Ok(link) = element::<HtmlAnchorElement>(page.document(), "embed-open") {
        if link.get_attribute("href").as_deref() != Some(href.as_str()) {
            link.set_href(&href);
        }
    }
}
