//! Keeping and sharing. The scenario lives in the URL fragment (updated with
//! `history.replaceState`, debounced so a slider drag is not a flood of
//! navigations) and in "My scenarios", the library in `localStorage` whose
//! rules are in [`crate::library`]:
//!
//! - Each tab edits one library record (its id is in `sessionStorage`, so a
//!   reload goes on with it). Only the app's scenario, always valid, is written.
//! - Opening a link, a file, a preset or a random execution starts an unsaved
//!   view: nothing is written until its first edit (or *Save*), which makes a
//!   new record. So opening something never overwrites anything.
//! - Before writing its record, a tab checks that the stored scenario is the
//!   one it last saw. If another tab changed it, nothing is written and a bar
//!   offers to load the newer version or keep this tab's as a new record; the
//!   other tab learns of a change at once, from the `storage` event.
//!
//! localStorage rather than IndexedDB: its writes are synchronous, so the
//! save on `pagehide` (a tab closed at the wrong moment) is done before the
//! page goes, where an IndexedDB transaction may never commit; it has the
//! cross-tab `storage` event built in; and its size (about 5 MB per origin) is
//! far more than 50 scenarios' links need. A full store is a notice.

use super::storage::{self, Store};
use super::{with_app, Page, PAGE};
use crate::app::{default_scenario, App, Edit, Snapshot};
use crate::bidi::isolate;
use crate::library::{self, Record, Stored, WriteCheck};
use crate::permalink::{self, Shared};
use crate::scenario::Scenario;
use hlc::Timestamp;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Window;

/// The URL and the record are written at most this often while edits go on,
/// and this long after the last one, ms.
const PERSIST_DELAY_MS: i32 = 250;

/// Which record this tab's document is saved to, and what it last saw there.
#[derive(Debug, Clone)]
pub(crate) struct Binding {
    /// The [`App::document`] this binding belongs to.
    document: u64,
    /// The record this tab edits; `None` while the document is an unsaved view.
    pub(crate) entry: Option<String>,
    /// The record's name, or the name a new record will get.
    pub(crate) name: String,
    /// The scenario link last read from or written to the record.
    seen_link: Option<String>,
    /// The app's revision when the document last matched what is stored.
    saved_revision: u64,
    /// The snapshot then. A record is written only when one of the two
    /// changed, never merely because this page would encode the same
    /// scenario differently (a valid link from elsewhere stays byte-identical).
    saved_snapshot: Option<Snapshot>,
    /// Another tab changed the record: nothing is written until the person chooses.
    pub(crate) conflict: bool,
}

/// A whole scenario to open as a new document.
pub(crate) struct Opened {
    pub(crate) scenario: Scenario,
    pub(crate) snapshot: Option<Timestamp>,
    /// The name its record gets if it is edited (or the record's name).
    pub(crate) name: String,
    /// The record it was read from (its id and link), if any.
    pub(crate) entry: Option<(String, String)>,
}

impl Opened {
    /// An unsaved view (a link, a file, a preset): nothing is written until
    /// its first edit, which makes a record called `name`.
    pub(crate) fn unsaved(
        scenario: Scenario,
        snapshot: Option<Timestamp>,
        name: impl Into<String>,
    ) -> Opened {
        Opened {
            scenario,
            snapshot,
            name: name.into(),
            entry: None,
        }
    }

    /// Saved record `record`, which this tab will then edit.
    pub(crate) fn record(record: &Record) -> Result<Opened, String> {
        let (scenario, snapshot) = record.open()?;
        Ok(Opened {
            scenario,
            snapshot,
            name: record.name.clone(),
            entry: Some((record.id.clone(), record.link.clone())),
        })
    }
}

/// The persistence state kept by the page.
pub(crate) struct Saving {
    pending: Cell<bool>,
    persisted_state: Cell<Option<(u64, Option<Snapshot>)>>,
    persisted_fragment: RefCell<String>,
    storage_failed: Cell<bool>,
    /// Whether this page keeps My scenarios at all: an embed never writes a
    /// record, a closing copy or this tab's entry (it only reads its link).
    keeps_records: bool,
    pub(crate) binding: RefCell<Binding>,
    /// Set while the tab closes: a tour step's edits, kept out of My
    /// scenarios while the tour is open, are saved rather than lost.
    closing: Cell<bool>,
    /// The last record deleted in this tab, for Undo, with the document it
    /// was open as here (if it was).
    pub(crate) deleted: RefCell<Option<(Record, Option<u64>)>>,
}

impl Saving {
    pub(crate) fn new(app: &App, binding: Binding, keeps_records: bool) -> Saving {
        Saving {
            pending: Cell::new(false),
            // Nothing is written until the person changes something.
            persisted_state: Cell::new(Some((app.revision(), app.snapshot()))),
            persisted_fragment: RefCell::new(String::new()),
            storage_failed: Cell::new(false),
            keeps_records,
            closing: Cell::new(false),
            binding: RefCell::new(binding),
            deleted: RefCell::new(None),
        }
    }
}

/// Every record in the library, newest first.
pub(crate) fn library_entries() -> Vec<Stored> {
    let mut entries: Vec<Stored> = storage::with_prefix(Store::Local, library::RECORD_PREFIX)
        .into_iter()
        .map(|(key, text)| {
            let id = key
                .strip_prefix(library::RECORD_PREFIX)
                .unwrap_or(&key)
                .to_string();
            library::parse_record(&id, &text)
        })
        .collect();
    // Closing copies are not the person's records: they are settled (see
    // `Page::settle_copies`), never listed, chosen or counted.
    entries.retain(|e| !matches!(e, Stored::Current(r) if r.copy_of.is_some()));
    library::sort_newest_first(&mut entries);
    entries
}

/// The person's readable records (no newer, damaged or closing-copy ones),
/// newest first.
pub(crate) fn saved_records() -> Vec<Record> {
    library_entries()
        .into_iter()
        .filter_map(|e| match e {
            Stored::Current(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// The names of [`saved_records`], for [`library::unique_name`].
pub(crate) fn saved_names() -> Vec<String> {
    saved_records().into_iter().map(|r| r.name).collect()
}

/// Every readable record, closing copies included.
fn readable_records() -> Vec<Record> {
    storage::with_prefix(Store::Local, library::RECORD_PREFIX)
        .into_iter()
        .filter_map(|(key, text)| {
            let id = key.strip_prefix(library::RECORD_PREFIX)?.to_string();
            match library::parse_record(&id, &text) {
                Stored::Current(r) => Some(r),
                _ => None,
            }
        })
        .collect()
}

/// The readable record `id`, if there is one.
pub(crate) fn read_record(id: &str) -> Option<Record> {
    let text = storage::get(Store::Local, &library::record_key(id))?;
    match library::parse_record(id, &text) {
        Stored::Current(record) => Some(record),
        _ => None,
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A new record id: the time and a random part, in base 36.
pub(crate) fn new_record_id() -> String {
    let random = (js_sys::Math::random() * 2_176_782_336.0) as u64; // 36^6
    format!("{}{}", base36(now_ms().max(0.0) as u64), base36(random))
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn store_tab_entry(entry: Option<&str>) {
    let _ = match entry {
        Some(id) => storage::set(Store::Session, library::TAB_ENTRY_KEY, id),
        None => storage::remove(Store::Session, library::TAB_ENTRY_KEY),
    };
}

/// Copies the single autosave of earlier versions of the page into the
/// library, once. The old key is read, never written or removed (an older
/// page open elsewhere still uses it); one from a newer page stays untouched.
fn migrate_legacy_autosave() -> Option<String> {
    let legacy = storage::get(Store::Local, library::LEGACY_AUTOSAVE_KEY)?;
    if storage::get(Store::Local, library::LEGACY_MIGRATED_KEY).as_deref() == Some(&legacy) {
        return None;
    }
    let Shared { scenario, .. } = permalink::decode(&legacy).ok()?;
    let id = new_record_id();
    let record = Record::new(
        &id,
        "Autosaved scenario",
        now_ms(),
        &scenario,
        legacy.clone(),
    );
    storage::set(Store::Local, &record.key(), &record.to_text()).ok()?;
    let _ = storage::set(Store::Local, library::LEGACY_MIGRATED_KEY, &legacy);
    Some(id)
}

/// The app the page opens with, and where it is saved:
/// - a link in the URL: the tab's own record if the link is what that record
///   holds (a reload), else an unsaved view of the link;
/// - a bad link, or none: the tab's record, else the most recently edited
///   record, else the default scenario as an unsaved view, with a notice
///   saying why a bad link was not opened.
///
/// An embed (`embedded`) shows its link, or the default scenario, and never
/// the visitor's saved work; it writes nothing at start-up either.
pub(crate) fn startup_app(window: &Window, embedded: bool) -> (App, Binding) {
    if embedded {
        return embedded_app(window);
    }
    migrate_legacy_autosave();
    let tab_entry = storage::get(Store::Session, library::TAB_ENTRY_KEY);
    let tab_record = tab_entry.as_deref().and_then(read_record);
    let hash = window.location().hash().unwrap_or_default();
    let fragment = hash.strip_prefix('#').unwrap_or(&hash);
    let mut problem = None;
    if !fragment.is_empty() {
        match permalink::decode(fragment) {
            Ok(Shared { scenario, snapshot }) => {
                let entry = tab_record
                    .filter(|r| r.link == fragment)
                    .map(|r| (r.id, r.name));
                let (name, entry) = match entry {
                    Some((id, name)) => (name, Some((id, fragment.to_string()))),
                    None => ("Scenario from a link".to_string(), None),
                };
                return opened_app(Opened {
                    scenario,
                    snapshot,
                    name,
                    entry,
                });
            }
            Err(e) => problem = Some(format!("This link could not be opened: {e}.")),
        }
    }
    let candidates = tab_record.into_iter().chain(saved_records());
    let mut unreadable = None;
    for record in candidates {
        match Opened::record(&record) {
            Ok(opened) => {
                let source = format!("your saved scenario {}", isolate(&record.name));
                let (mut app, binding) = opened_app(opened);
                if let Some(problem) = problem {
                    app.notify(format!("{problem} Showing {source} instead."));
                }
                return (app, binding);
            }
            Err(why) => {
                unreadable = Some(format!(
                    "{} could not be read: {why}.",
                    isolate(&record.name)
                ))
            }
        }
    }
    let (mut app, binding) = opened_app(Opened::unsaved(
        default_scenario(),
        None,
        "Untitled scenario",
    ));
    if let Some(problem) = problem.or(unreadable) {
        app.notify(format!("{problem} Showing the default scenario instead."));
    }
    (app, binding)
}

fn embedded_app(window: &Window) -> (App, Binding) {
    let hash = window.location().hash().unwrap_or_default();
    let fragment = hash.strip_prefix('#').unwrap_or(&hash);
    let (scenario, snapshot) = match permalink::decode(fragment) {
        Ok(Shared { scenario, snapshot }) => (scenario, snapshot),
        Err(_) => (default_scenario(), None),
    };
    let mut app = App::new(scenario);
    app.set_snapshot(snapshot);
    let binding = binding_for(&app, "Embedded scenario".into(), None);
    (app, binding)
}

fn opened_app(opened: Opened) -> (App, Binding) {
    let mut app = App::new(opened.scenario);
    app.set_snapshot(opened.snapshot);
    let binding = binding_for(&app, opened.name, opened.entry);
    store_tab_entry(binding.entry.as_deref());
    (app, binding)
}

fn binding_for(app: &App, name: String, entry: Option<(String, String)>) -> Binding {
    let (entry, seen_link) = match entry {
        Some((id, link)) => (Some(id), Some(link)),
        None => (None, None),
    };
    Binding {
        document: app.document(),
        entry,
        name,
        seen_link,
        saved_revision: app.revision(),
        saved_snapshot: app.snapshot(),
        conflict: false,
    }
}

/// A sentence for a storage refusal.
fn storage_problem(why: &str) -> String {
    if why.contains("Quota") {
        format!("browser storage is full ({why})")
    } else {
        format!("browser storage refused it ({why})")
    }
}

impl Binding {
    /// The app's revision when the document last matched what is stored.
    pub(crate) fn saved_revision(&self) -> u64 {
        self.saved_revision
    }
}

impl Page {
    /// Remembers which record this tab edits, unless the page keeps no records.
    fn remember_tab_entry(&self, entry: Option<&str>) {
        if self.saving.keeps_records {
            store_tab_entry(entry);
        }
    }

    /// Record `id` was deleted here: if this tab edits it, the document stays
    /// open as an unsaved view (its next edit saves it anew). Returns whether
    /// it was this tab's.
    pub(crate) fn unbind_entry(&self, id: &str) -> bool {
        let revision = super::read_app_of(self, App::revision).unwrap_or_default();
        let mut binding = self.saving.binding.borrow_mut();
        if binding.entry.as_deref() != Some(id) {
            return false;
        }
        binding.entry = None;
        binding.seen_link = None;
        binding.saved_revision = revision;
        drop(binding);
        self.remember_tab_entry(None);
        true
    }

    /// A deleted record came back (Undo): this tab edits it again.
    pub(crate) fn rebind_entry(&self, record: &Record) {
        let mut binding = self.saving.binding.borrow_mut();
        binding.entry = Some(record.id.clone());
        binding.seen_link = Some(record.link.clone());
        binding.name = record.name.clone();
        drop(binding);
        self.remember_tab_entry(Some(&record.id));
        // Whatever was edited meanwhile is written on the next save.
        self.saving.persisted_state.set(None);
        self.schedule_persist();
    }

    /// Record `id` was renamed here.
    pub(crate) fn renamed(&self, id: &str, name: &str) {
        let mut binding = self.saving.binding.borrow_mut();
        if binding.entry.as_deref() == Some(id) {
            binding.name = name.to_string();
        }
    }

    /// Schedules writing the URL and the record once edits settle.
    pub(crate) fn schedule_persist(&self) {
        let current = super::read_app_of(self, |app| (app.revision(), app.snapshot()));
        if current.is_none() || current == self.saving.persisted_state.get() {
            return;
        }
        if self.saving.pending.replace(true) {
            return;
        }
        self.persist_after(PERSIST_DELAY_MS);
    }

    /// Writes the URL and the record `delay_ms` from now (at once if the
    /// browser refuses a timer).
    pub(crate) fn persist_after(&self, delay_ms: i32) {
        let callback = Closure::once_into_js(|| {
            if let Some(page) = PAGE.with(|p| p.borrow().clone()) {
                page.persist_now();
            }
        });
        if self
            .window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.unchecked_ref(),
                delay_ms,
            )
            .is_err()
        {
            self.persist_now();
        }
    }

    /// Right after [`Page::persist_now`]: the fragment it wrote (the
    /// scenario's link, not encoded again: a big scenario's link takes
    /// milliseconds to compress) and the revision it is of.
    fn persisted(&self) -> Option<(String, u64)> {
        let revision = super::read_app_of(self, App::revision)?;
        Some((self.saving.persisted_fragment.borrow().clone(), revision))
    }

    /// Writes the fragment and, if the document changed, its record now.
    pub(crate) fn persist_now(&self) {
        self.saving.pending.set(false);
        let Some((fragment, state, document, in_lesson)) = super::read_app_of(self, |app| {
            (
                app.permalink(),
                (app.revision(), app.snapshot()),
                app.document(),
                app.lesson().is_some(),
            )
        }) else {
            return;
        };
        self.saving.persisted_state.set(Some(state));
        if *self.saving.persisted_fragment.borrow() != fragment {
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
            *self.saving.persisted_fragment.borrow_mut() = fragment.clone();
            super::embed::show_fragment(self, &fragment);
        }
        let binding = self.saving.binding.borrow().clone();
        if binding.document != document || binding.conflict {
            return;
        }
        let revision = state.0;
        let edited = revision != binding.saved_revision || state.1 != binding.saved_snapshot;
        match binding.entry {
            Some(id) if edited && binding.seen_link.as_deref() != Some(fragment.as_str()) => {
                self.write_record(&id, &fragment, revision);
            }
            // A tour step's edits are the step's own experiment: they become
            // a saved scenario only if the person leaves the tour with them,
            // or closes the tab (then they may be work).
            None if revision != binding.saved_revision
                && (!in_lesson || self.saving.closing.get()) =>
            {
                self.create_record(&binding.name, &fragment, revision);
            }
            _ => {}
        }
        self.sync_saving();
    }

    /// What record `id` holds now (its stored text), and whether this tab
    /// may write over it: the two-tab rule ([`library::check_write`]).
    fn check_record(&self, id: &str) -> (WriteCheck, Option<String>) {
        let stored = storage::get(Store::Local, &library::record_key(id));
        let stored_link = stored.as_deref().map(|t| library::stored_link(id, t));
        let seen = self.saving.binding.borrow().seen_link.clone();
        let check = library::check_write(seen.as_deref(), stored_link.as_deref());
        (check, stored)
    }

    /// Writes this tab's scenario into record `id`, unless another tab changed
    /// or deleted it since this tab last saw it.
    fn write_record(&self, id: &str, fragment: &str, revision: u64) {
        if !self.saving.keeps_records {
            return;
        }
        let key = library::record_key(id);
        let (check, stored) = self.check_record(id);
        match check {
            WriteCheck::Clear => {}
            WriteCheck::ChangedElsewhere => {
                self.saving.binding.borrow_mut().conflict = true;
                return;
            }
            WriteCheck::DeletedElsewhere => {
                self.deleted_elsewhere(fragment, revision);
                return;
            }
        }
        let Some((scenario, snapshot)) =
            super::read_app_of(self, |app| (app.scenario().clone(), app.snapshot()))
        else {
            return;
        };
        let mut record = match stored.as_deref().map(|t| library::parse_record(id, t)) {
            Some(Stored::Current(record)) => record,
            _ => {
                let name = self.saving.binding.borrow().name.clone();
                Record::new(id, &name, now_ms(), &scenario, String::new())
            }
        };
        record.link = fragment.to_string();
        record.edited_ms = now_ms();
        record.summary = library::summary(&scenario);
        match storage::set(Store::Local, &key, &record.to_text()) {
            Ok(()) => {
                self.saving.storage_failed.set(false);
                let mut binding = self.saving.binding.borrow_mut();
                binding.seen_link = Some(record.link);
                binding.saved_revision = revision;
                binding.saved_snapshot = snapshot;
                binding.name = record.name;
            }
            Err(why) => self.storage_refused(&why),
        }
    }

    /// Saves the document as a new record named like `name`; returns its id.
    fn create_record(&self, name: &str, fragment: &str, revision: u64) -> Option<String> {
        if !self.saving.keeps_records {
            return None;
        }
        let scenario = super::read_app_of(self, |app| app.scenario().clone())?;
        let taken = saved_names();
        let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
        let id = new_record_id();
        let name = library::unique_name(name, &taken);
        let record = Record::new(&id, &name, now_ms(), &scenario, fragment.to_string());
        match self.store_new_records(std::slice::from_ref(&record), true) {
            Ok(dropped) => {
                self.notify_dropping("", &dropped, Vec::new());
                self.saving.storage_failed.set(false);
                *self.saving.binding.borrow_mut() = Binding {
                    document: super::read_app_of(self, App::document).unwrap_or_default(),
                    entry: Some(id.clone()),
                    name,
                    seen_link: Some(record.link),
                    saved_revision: revision,
                    saved_snapshot: super::read_app_of(self, App::snapshot).flatten(),
                    conflict: false,
                };
                self.remember_tab_entry(Some(&id));
                self.library_changed();
                Some(id)
            }
            Err(why) => {
                self.storage_refused(&why);
                None
            }
        }
    }

    /// Stores new records, then drops the oldest readable records beyond the
    /// library's size, never this tab's record, and never the new ones when
    /// `protect_new` (a scenario just made or duplicated is the newest anyway;
    /// an import competes by its own edit times, so it cannot push out
    /// scenarios edited since). Returns the names of those dropped, for the
    /// caller's notice ([`Page::notify_dropping`]).
    pub(crate) fn store_new_records(
        &self,
        records: &[Record],
        protect_new: bool,
    ) -> Result<Vec<String>, String> {
        for record in records {
            storage::set(Store::Local, &record.key(), &record.to_text())?;
        }
        let entries = library_entries();
        let own = self.saving.binding.borrow().entry.clone();
        let mut protect: Vec<&str> = if protect_new {
            records.iter().map(|r| r.id.as_str()).collect()
        } else {
            Vec::new()
        };
        if let Some(own) = own.as_deref() {
            protect.push(own);
        }
        let drop = library::to_drop(&entries, library::MAX_ENTRIES, &protect);
        let names: Vec<String> = entries
            .iter()
            .filter_map(|e| match e {
                Stored::Current(r) if drop.contains(&r.id) => Some(isolate(&r.name)),
                _ => None,
            })
            .collect();
        for id in &drop {
            let _ = storage::remove(Store::Local, &library::record_key(id));
        }
        Ok(names)
    }

    /// Posts `text`, followed by what the library dropped to stay within its
    /// size (one notice, so neither hides the other), with `more` details.
    pub(crate) fn notify_dropping(&self, text: &str, dropped: &[String], mut more: Vec<String>) {
        let text = if dropped.is_empty() {
            text.to_string()
        } else {
            more.extend(dropped.iter().map(|n| format!("Dropped {n}")));
            format!(
                "{text} My scenarios keeps the {} most recently edited: dropped the {} oldest.",
                library::MAX_ENTRIES,
                dropped.len()
            )
        };
        let text = text.trim().to_string();
        if !text.is_empty() {
            with_app(|app| app.notify_more(text, more));
        }
    }

    fn storage_refused(&self, why: &str) {
        if !self.saving.storage_failed.replace(true) {
            let problem = storage_problem(why);
            with_app(|app| {
                app.notify(format!(
                    "Could not save to My scenarios: {problem}. The scenario is still in the link; delete old scenarios in My scenarios, or use Copy link or Export to keep it."
                ))
            });
        }
    }

    /// This tab's record was deleted in another tab: its scenario is saved
    /// again as a new record if it has changes, else it stays open, unsaved.
    fn deleted_elsewhere(&self, fragment: &str, revision: u64) {
        let (name, dirty) = {
            let mut binding = self.saving.binding.borrow_mut();
            binding.entry = None;
            binding.seen_link = None;
            (binding.name.clone(), binding.saved_revision != revision)
        };
        self.remember_tab_entry(None);
        let saved = if dirty {
            self.create_record(&name, fragment, revision)
        } else {
            None
        };
        let name = isolate(&name);
        with_app(|app| {
            match saved {
            Some(_) => app.notify(format!(
                "{name} was deleted in another tab; this tab's version is saved again in My scenarios."
            )),
            None => app.notify(format!(
                "{name} was deleted in another tab. This tab keeps it open, unsaved: your next edit (or Save) saves it again."
            )),
        }
        });
        self.library_changed();
    }

    /// Another tab wrote to the library (`storage` event): a change to this
    /// tab's record becomes the conflict bar at once; a deletion is handled as
    /// [`Page::deleted_elsewhere`]; a rename is taken quietly.
    pub(crate) fn storage_changed(&self, key: Option<String>) {
        let id = self.saving.binding.borrow().entry.clone();
        if let Some(id) = id {
            let record_key = library::record_key(&id);
            if key.is_none() || key.as_deref() == Some(record_key.as_str()) {
                let (check, stored) = self.check_record(&id);
                match check {
                    WriteCheck::Clear => {
                        if let Some(Stored::Current(record)) =
                            stored.map(|text| library::parse_record(&id, &text))
                        {
                            self.saving.binding.borrow_mut().name = record.name;
                        }
                    }
                    WriteCheck::ChangedElsewhere => {
                        self.saving.binding.borrow_mut().conflict = true;
                    }
                    WriteCheck::DeletedElsewhere => {
                        let state =
                            super::read_app_of(self, |app| (app.permalink(), app.revision()));
                        if let Some((fragment, revision)) = state {
                            self.deleted_elsewhere(&fragment, revision);
                        }
                    }
                }
            }
        }
        // Only a closing copy's arrival (or a cleared storage) needs settling;
        // an ordinary edit in another tab does not rescan every record.
        let copies = library::record_key(library::COPY_ID_PREFIX);
        if key.as_deref().is_none_or(|k| k.starts_with(&copies)) {
            self.settle_copies();
        }
        self.library_changed();
        self.sync_saving();
    }

    /// The conflict bar's "Load the newer version": the other tab's scenario
    /// replaces this tab's as one undoable edit.
    pub(crate) fn load_newer(&self) {
        let Some(id) = self.saving.binding.borrow().entry.clone() else {
            return;
        };
        let Some(record) = read_record(&id) else {
            with_app(|app| app.notify("The newer version is gone (deleted in another tab)."));
            return;
        };
        match record.open() {
            Ok((scenario, snapshot)) => {
                let revision = with_app(|app| {
                    let result = app.apply(Edit::Replace(scenario));
                    app.set_snapshot(snapshot);
                    result.map(|()| app.revision())
                });
                match revision {
                    Some(Ok(revision)) => {
                        let mut binding = self.saving.binding.borrow_mut();
                        binding.seen_link = Some(record.link);
                        binding.saved_revision = revision;
                        binding.saved_snapshot = super::read_app_of(self, App::snapshot).flatten();
                        binding.name = record.name;
                        binding.conflict = false;
                    }
                    Some(Err(why)) => {
                        with_app(|app| {
                            app.notify(format!("The newer version could not be opened: {why}"))
                        });
                    }
                    None => {}
                }
            }
            Err(why) => {
                with_app(|app| {
                    app.notify(format!("The newer version could not be opened: {why}."))
                });
            }
        }
        self.sync_saving();
        self.changed();
    }

    /// The conflict bar's "Keep mine as a new scenario".
    pub(crate) fn keep_mine(&self) {
        let Some((fragment, revision)) =
            super::read_app_of(self, |app| (app.permalink(), app.revision()))
        else {
            return;
        };
        let old_name = self.saving.binding.borrow().name.clone();
        self.saving.binding.borrow_mut().conflict = false;
        let new_name = format!("{old_name} (this tab)");
        if let Some(id) = self.create_record(&new_name, &fragment, revision) {
            let name = read_record(&id).map(|r| r.name).unwrap_or(new_name);
            with_app(|app| {
                app.notify(format!(
                    "Kept this tab's version as {}; the other tab's stays as {}.",
                    isolate(&name),
                    isolate(&old_name)
                ))
            });
        } else {
            // Could not save: stay in conflict so nothing is overwritten.
            self.saving.binding.borrow_mut().conflict = true;
        }
        self.sync_saving();
    }

    /// Saves an unsaved view now (the *Save* button).
    pub(crate) fn save_now(&self) {
        self.persist_now();
        let binding = self.saving.binding.borrow().clone();
        if binding.entry.is_some() {
            return;
        }
        let Some((fragment, revision)) = self.persisted() else {
            return;
        };
        if self
            .create_record(&binding.name, &fragment, revision)
            .is_some()
        {
            let name = self.saving.binding.borrow().name.clone();
            with_app(|app| app.notify(format!("Saved as {} in My scenarios.", isolate(&name))));
        }
        self.sync_saving();
    }

    /// The page is going away (tab closed, navigated, hidden): write now. A
    /// tab in conflict keeps its unsaved edits as a new record, never over the
    /// other tab's.
    pub(crate) fn persist_before_leaving(&self) {
        self.leave(false);
    }

    /// The tab is closing or being hidden (it may never come back): as
    /// [`Page::persist_before_leaving`], and unsaved edits also go into a
    /// closing copy beside the record. Two tabs closing at the same moment can
    /// both pass the write check and the later write wins; the copy keeps the
    /// other version until [`Page::settle_copies`] sees which one the record
    /// holds.
    pub(crate) fn persist_before_closing(&self) {
        self.saving.closing.set(true);
        self.leave(true);
        self.saving.closing.set(false);
    }

    fn leave(&self, closing: bool) {
        if !self.saving.keeps_records {
            // Only the URL is kept: an embed's edits live in its frame alone.
            self.persist_now();
            return;
        }
        let before = self.saving.binding.borrow().clone();
        let state = super::read_app_of(self, |app| (app.revision(), app.snapshot()));
        let unsaved = state.is_some_and(|(revision, snapshot)| {
            revision != before.saved_revision || snapshot != before.saved_snapshot
        });
        self.persist_now();
        let binding = self.saving.binding.borrow().clone();
        let Some((fragment, revision)) = self.persisted() else {
            return;
        };
        if binding.conflict {
            if revision != binding.saved_revision {
                let name = format!("{} (this tab)", binding.name);
                self.create_record(&name, &fragment, revision);
            }
        } else if let (true, true, Some(id)) = (closing, unsaved, before.entry) {
            // (A record this leave just made is new and this tab's alone.)
            let Some(scenario) = super::read_app_of(self, |app| app.scenario().clone()) else {
                return;
            };
            let id_of_copy = format!("{}{}", library::COPY_ID_PREFIX, new_record_id());
            let mut copy = Record::new(&id_of_copy, &binding.name, now_ms(), &scenario, fragment);
            copy.copy_of = Some(id);
            let _ = storage::set(Store::Local, &copy.key(), &copy.to_text());
        }
    }

    /// Settles the closing copies old enough ([`library::settle_copy`]): one
    /// whose scenario a record holds goes; one no record holds (its tab lost
    /// a race while closing) becomes a record, "name (recovered)". Copies too
    /// young are looked at again later.
    pub(crate) fn settle_copies(&self) {
        if !self.saving.keeps_records {
            return; // the visitor's tabs settle their own copies
        }
        let records = readable_records();
        let now = now_ms();
        let mut later = false;
        let mut recovered = Vec::new();
        for copy in records.iter().filter(|r| r.copy_of.is_some()) {
            match library::settle_copy(copy, &records, now) {
                library::CopyFate::Wait => later = true,
                library::CopyFate::Redundant => {
                    let _ = storage::remove(Store::Local, &copy.key());
                }
                library::CopyFate::Recovered => {
                    let mut record = copy.clone();
                    record.copy_of = None;
                    record.name = library::clean_name(&format!("{} (recovered)", copy.name));
                    if storage::set(Store::Local, &record.key(), &record.to_text()).is_ok() {
                        recovered.push(isolate(&record.name));
                    }
                }
            }
        }
        if !recovered.is_empty() {
            self.library_changed();
            with_app(|app| {
                app.notify_more(
                    "Another tab closed while this scenario was being saved in two tabs at once; its version is kept in My scenarios.",
                    recovered.iter().map(|n| format!("Kept {n}")).collect(),
                )
            });
        }
        if later {
            let callback = Closure::once_into_js(|| {
                if let Some(page) = PAGE.with(|p| p.borrow().clone()) {
                    page.settle_copies();
                }
            });
            let _ = self
                .window
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    callback.unchecked_ref(),
                    library::COPY_SETTLE_MS as i32 + 100,
                );
        }
    }

    /// Opens a whole scenario as a new document, after saving the one it
    /// replaces. The only way the page switches documents.
    pub(crate) fn open_document(&self, opened: Opened) -> Result<(), String> {
        let Opened {
            scenario,
            snapshot,
            name,
            entry,
        } = opened;
        self.open_with(name, entry, move |app| app.open(scenario, snapshot))
    }

    /// Opens a new document with `open` (which calls [`App::open`] one way or
    /// another), after saving the one it replaces; `name` and `entry` are its
    /// record's, as in [`Opened`].
    pub(crate) fn open_with(
        &self,
        name: String,
        entry: Option<(String, String)>,
        open: impl FnOnce(&mut App) -> Result<(), String>,
    ) -> Result<(), String> {
        self.persist_before_leaving();
        let result = with_app(|app| {
            open(app)?;
            Ok(binding_for(app, name, entry))
        })
        .unwrap_or_else(|| Err("the page is busy; try again".into()));
        match result {
            Ok(binding) => {
                self.remember_tab_entry(binding.entry.as_deref());
                *self.saving.binding.borrow_mut() = binding;
                self.library_changed();
                self.changed();
                // The URL shows the new document at once (nothing else is written).
                self.persist_now();
                Ok(())
            }
            Err(why) => Err(why),
        }
    }

    /// The user changed the fragment by hand: open it as an unsaved view, or
    /// say why not.
    pub(crate) fn hash_changed(&self) {
        let hash = self.window.location().hash().unwrap_or_default();
        let fragment = hash.strip_prefix('#').unwrap_or(&hash).to_string();
        // The page's own replaceState fires no hashchange; a fragment that is
        // what the page shows already needs nothing either.
        let shown = super::read_app_of(self, App::permalink);
        if fragment.is_empty() || shown.as_deref() == Some(fragment.as_str()) {
            return;
        }
        let result = match permalink::decode(&fragment) {
            Ok(Shared { scenario, snapshot }) => {
                self.open_document(Opened::unsaved(scenario, snapshot, "Scenario from a link"))
            }
            Err(e) => Err(format!("{e}. Your scenario is unchanged")),
        };
        if let Err(why) = result {
            with_app(|app| app.notify(format!("This link could not be opened: {why}.")));
        }
    }

    /// Copies the page's link (with the current scenario) to the clipboard.
    pub(crate) fn copy_link(self: &Rc<Self>) {
        self.persist_now();
        let href = self.window.location().href().unwrap_or_default();
        let advice = crate::permalink::sharing_advice(href.len());
        self.copy_to_clipboard("share-link", href, "Link", advice);
    }

    /// Puts `text` in the Share pane's box `field_id` and copies it to the
    /// clipboard, saying so in a notice naming it `what` (capitalised). Where the clipboard
    /// API is missing (a plain-http origin) or refuses, the text is selected
    /// in its box and a notice says to copy it.
    pub(crate) fn copy_to_clipboard(
        self: &Rc<Self>,
        field_id: &'static str,
        text: String,
        what: &'static str,
        advice: Option<String>,
    ) {
        let field = super::element::<web_sys::HtmlInputElement>(&self.document, field_id).ok();
        if let Some(field) = &field {
            field.set_value(&text);
        }
        let length = text.len();
        let after = advice.map_or_else(String::new, |a| format!(" {a}"));
        let by_hand_after = after.clone();
        let weak = Rc::downgrade(self);
        let by_hand = move || {
            // The box is in the Share pane: bring it forward (drawer open).
            if let Some(page) = weak.upgrade() {
                page.stage().reveal_pane("share");
            }
            if let Some(field) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(field_id))
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                let _ = field.focus();
                field.select();
            }
            with_app(|app| {
                app.notify(format!(
                    "This browser does not let the page use the clipboard here: the {} is selected in the box under Share; copy it with Ctrl+C (Cmd+C on a Mac).{by_hand_after}",
                    what.to_lowercase()
                ))
            });
        };
        let ok = Closure::once_into_js(move |_: JsValue| {
            with_app(|app| {
                app.notify(format!(
                    "{what} copied to the clipboard ({length} characters).{after}"
                ))
            });
        });
        let failed = Closure::once_into_js(move |_: JsValue| by_hand());
        // `navigator.clipboard` is undefined outside secure contexts: reach it
        // by reflection, so its absence is a value, not a thrown error.
        let navigator: JsValue = self.window.navigator().into();
        let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
            .ok()
            .filter(|c| c.is_object());
        let write = clipboard.as_ref().and_then(|c| {
            js_sys::Reflect::get(c, &"writeText".into())
                .ok()?
                .dyn_into::<js_sys::Function>()
                .ok()
        });
        let promise = match (clipboard, write) {
            (Some(clipboard), Some(write)) => write
                .call1(&clipboard, &JsValue::from_str(&text))
                .ok()
                .and_then(|p| p.dyn_into::<js_sys::Promise>().ok()),
            _ => None,
        };
        match promise {
            Some(promise) => super::then_once(&promise, ok, failed),
            None => {
                let failed: js_sys::Function = failed.unchecked_into();
                let _ = failed.call1(&JsValue::NULL, &JsValue::NULL);
            }
        }
    }
}
