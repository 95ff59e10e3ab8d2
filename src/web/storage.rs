//! `localStorage` and `sessionStorage`, with every failure a sentence: storage
//! may be blocked (privacy settings, a sandboxed frame), full, or gone, and
//! the page keeps working in each case.

use wasm_bindgen::prelude::*;
use web_sys::Storage;

/// Which of the page's stores.
#[derive(Clone, Copy)]
pub(crate) enum Store {
    /// Shared by every tab of the origin, kept across sessions.
    Local,
    /// This tab's own, kept across its reloads.
    Session,
}

fn store(which: Store) -> Result<Storage, String> {
    let window = web_sys::window().ok_or("there is no window")?;
    let storage = match which {
        Store::Local => window.local_storage(),
        Store::Session => window.session_storage(),
    };
    storage
        .map_err(|e| error_name(&e, "the browser blocks storage for this page"))?
        .ok_or_else(|| "the browser offers no storage to this page".to_string())
}

/// The name of a DOM exception (`QuotaExceededError`, `SecurityError`), or `fallback`.
fn error_name(error: &JsValue, fallback: &str) -> String {
    js_sys::Reflect::get(error, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_else(|| fallback.to_string())
}

/// The value under `key`, or `None` (also when storage is unavailable).
pub(crate) fn get(which: Store, key: &str) -> Option<String> {
    store(which).ok()?.get_item(key).ok().flatten()
}

/// Stores `value` under `key`; a refusal says why (`QuotaExceededError`, ...).
pub(crate) fn set(which: Store, key: &str, value: &str) -> Result<(), String> {
    store(which)?
        .set_item(key, value)
        .map_err(|e| error_name(&e, "storage refused it"))
}

/// Removes `key` (nothing happens if storage is unavailable).
pub(crate) fn remove(which: Store, key: &str) -> Result<(), String> {
    store(which)?
        .remove_item(key)
        .map_err(|e| error_name(&e, "storage refused it"))
}

/// Every `(key, value)` whose key starts with `prefix`.
pub(crate) fn with_prefix(which: Store, prefix: &str) -> Vec<(String, String)> {
    let Ok(storage) = store(which) else {
        return Vec::new();
    };
    let count = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..count)
        .filter_map(|k| storage.key(k).ok().flatten())
        .filter(|key| key.starts_with(prefix))
        .collect();
    keys.into_iter()
        .filter_map(|key| {
            let value = storage.get_item(&key).ok().flatten()?;
            Some((key, value))
        })
        .collect()
}
