//! Keeping and sharing: the scenario lives in the URL fragment (updated with
//! `history.replaceState`, debounced so a slider drag is not a flood of
//! navigations) and in `localStorage` (autosave). Only the app's scenario,
//! which is always valid, is ever written.

use super::{with_app, Page, PAGE};
use crate::app::{default_scenario, App};
use crate::permalink::{self, Shared};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Window;

/// The `localStorage` key of the autosave (a permalink fragment).
pub const AUTOSAVE_KEY: &str = "hlcviz.autosave";
/// The URL and the autosave are written at most this often while edits go on,
/// and this long after the last one, ms.
const PERSIST_DELAY_MS: i32 = 250;

fn stored_autosave(window: &Window) -> Option<String> {
    window
        .local_storage()
        .ok()
        .flatten()?
        .get_item(AUTOSAVE_KEY)
        .ok()
        .flatten()
}

/// The app the page opens with: the link's scenario if the URL has a fragment;
/// else (or if the link is bad, with a notice saying why) the autosave; else the
/// default scenario.
pub(crate) fn startup_app(window: &Window) -> App {
    let hash = window.location().hash().unwrap_or_default();
    let mut problem = None;
    if hash.len() > 1 {
        match permalink::decode(&hash) {
            Ok(Shared { scenario, snapshot }) => {
                let mut app = App::new(scenario);
                app.set_snapshot(snapshot);
                return app;
            }
            Err(e) => problem = Some(format!("This link could not be opened: {e}.")),
        }
    }
    let (mut app, source) = match stored_autosave(window).map(|s| permalink::decode(&s)) {
        Some(Ok(Shared { scenario, snapshot })) => {
            let mut app = App::new(scenario);
            app.set_snapshot(snapshot);
            (app, "your last autosaved scenario")
        }
        Some(Err(e)) => {
            let note = format!("Your autosaved scenario could not be read ({e}).");
            problem = Some(problem.map_or(note.clone(), |p| format!("{p} {note}")));
            (App::new(default_scenario()), "the default scenario")
        }
        None => (App::new(default_scenario()), "the default scenario"),
    };
    if let Some(problem) = problem {
        app.notify(format!("{problem} Showing {source} instead."));
    }
    app
}

impl Page {
    /// Schedules writing the URL and the autosave once edits settle.
    pub(crate) fn schedule_persist(&self) {
        let current = super::read_app_of(self, |app| (app.revision(), app.snapshot()));
        if current.is_none() || current == self.persisted_state.get() {
            return;
        }
        if self.persist_pending.replace(true) {
            return;
        }
        let callback = Closure::once_into_js(|| {
            if let Some(page) = PAGE.with(|p| p.borrow().clone()) {
                page.persist_now();
            }
        });
        if self
            .window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.unchecked_ref(),
                PERSIST_DELAY_MS,
            )
            .is_err()
        {
            self.persist_now();
        }
    }

    /// Writes the fragment and the autosave now.
    pub(crate) fn persist_now(&self) {
        self.persist_pending.set(false);
        let Some((fragment, state)) = super::read_app_of(self, |app| {
            (app.permalink(), (app.revision(), app.snapshot()))
        }) else {
            return;
        };
        self.persisted_state.set(Some(state));
        if *self.persisted_fragment.borrow() == fragment {
            return;
        }
        let location = self.window.location();
        let url = format!(
            "{}{}#{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default(),
            fragment
        );
        if let Ok(history) = self.window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
        let saved = self
            .window
            .local_storage()
            .ok()
            .flatten()
            .ok_or_else(|| "storage is not available".to_string())
            .and_then(|storage| {
                storage.set_item(AUTOSAVE_KEY, &fragment).map_err(|e| {
                    js_sys::Reflect::get(&e, &"name".into())
                        .ok()
                        .and_then(|n| n.as_string())
                        .unwrap_or_else(|| "storage refused it".into())
                })
            });
        if let Err(why) = saved {
            if !self.autosave_failed.replace(true) {
                with_app(|app| {
                    app.notify(format!(
                        "Could not autosave ({why}): the scenario is still in the link; use Copy link or Export to keep it."
                    ))
                });
            }
        } else {
            self.autosave_failed.set(false);
        }
        *self.persisted_fragment.borrow_mut() = fragment;
    }

    /// The user changed the fragment by hand: open it, or say why not.
    pub(crate) fn hash_changed(&self) {
        let hash = self.window.location().hash().unwrap_or_default();
        let fragment = hash.strip_prefix('#').unwrap_or(&hash).to_string();
        if fragment.is_empty() || *self.persisted_fragment.borrow() == fragment {
            return;
        }
        let result = permalink::decode(&fragment);
        with_app(|app| match result {
            Ok(Shared { scenario, snapshot }) => {
                if let Err(why) = app.open(scenario, snapshot) {
                    app.notify(format!("This link could not be opened: {why}"));
                }
            }
            Err(e) => app.notify(format!(
                "This link could not be opened: {e}. Your scenario is unchanged."
            )),
        });
    }

    /// Copies the page's link (with the current scenario) to the clipboard.
    pub(crate) fn copy_link(self: &Rc<Self>) {
        self.persist_now();
        let href = self.window.location().href().unwrap_or_default();
        if let Ok(field) = super::element::<web_sys::HtmlInputElement>(&self.document, "share-link")
        {
            field.set_value(&href);
        }
        let length = href.len();
        let ok = Closure::once_into_js(move |_: JsValue| {
            with_app(|app| {
                app.notify(format!(
                    "Link copied to the clipboard ({length} characters)."
                ))
            });
        });
        let failed = Closure::once_into_js(move |_: JsValue| {
            with_app(|app| {
                app.notify("Could not reach the clipboard: copy the link from the box under Share.")
            });
        });
        let promise = self.window.navigator().clipboard().write_text(&href);
        super::then_once(&promise, ok, failed);
    }
}
