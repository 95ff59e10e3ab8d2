//! "My scenarios" on the page: the list of saved scenarios (open, rename,
//! duplicate, delete with undo, export and import of the whole library), the
//! save status in the toolbar and the two-tab conflict bar. The rules live in
//! [`crate::library`] and [`crate::web::persist`]; this is their DOM.

use super::dom::{make, set_hidden};
use crate::bidi::isolate;
use crate::library::{self, Record, Stored};
use crate::web::persist::{library_entries, read_record, Opened};
use crate::web::storage::{self, Store};
use crate::web::{element, with_app, Page};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlButtonElement, HtmlInputElement};

fn button(document: &Document, command: &str, text: &str, label: &str) -> Result<Element, JsValue> {
    let b = make(document, "button")?;
    b.set_attribute("type", "button")?;
    b.set_attribute("data-command", command)?;
    b.set_attribute("aria-label", label)?;
    b.set_text_content(Some(text));
    Ok(b)
}

impl Page {
    /// Re-renders the list of saved scenarios.
    pub(crate) fn library_changed(&self) {
        let _ = self.render_library();
    }

    fn render_library(&self) -> Result<(), JsValue> {
        let document = &self.document;
        let list: Element = element(document, "library-list")?;
        let focused = document.active_element();
        // A name being typed is the person's until they commit it: skip the
        // re-render (the change event renders again).
        if focused
            .as_ref()
            .is_some_and(|f| f.class_name() == "entry-name" && list.contains(Some(f)))
        {
            return Ok(());
        }
        while let Some(child) = list.first_child() {
            list.remove_child(&child)?;
        }
        let current = self.saving.binding.borrow().entry.clone();
        let now = js_sys::Date::now();
        let entries = library_entries();
        for entry in &entries {
            let item = make(document, "li")?;
            item.set_attribute("data-entry", entry.id())?;
            match entry {
                Stored::Current(record) => {
                    let here = current.as_deref() == Some(record.id.as_str());
                    item.set_class_name(if here {
                        "library-entry current"
                    } else {
                        "library-entry"
                    });
                    let name: HtmlInputElement = make(document, "input")?.dyn_into()?;
                    name.set_type("text");
                    name.set_class_name("entry-name");
                    name.set_value(&record.name);
                    name.set_max_length(library::MAX_ENTRY_NAME_CHARS as i32);
                    name.set_attribute("aria-label", "Name of this saved scenario")?;
                    item.append_child(&name)?;
                    let meta = make(document, "span")?;
                    meta.set_class_name("entry-meta");
                    let mut text = format!(
                        "edited {} · {}",
                        library::ago(now, record.edited_ms),
                        record.summary
                    );
                    if here {
                        text.push_str(" · open in this tab");
                    }
                    meta.set_text_content(Some(&text));
                    item.append_child(&meta)?;
                    let actions = make(document, "span")?;
                    actions.set_class_name("entry-actions");
                    let mut commands = vec![
                        ("duplicate", "Duplicate", "Duplicate this saved scenario"),
                        ("delete", "Delete", "Delete this saved scenario"),
                    ];
                    if !here {
                        commands.insert(0, ("open", "Open", "Open this saved scenario"));
                    }
                    for (command, text, label) in commands {
                        let b = button(document, command, text, label)?;
                        actions.append_child(&b)?;
                    }
                    item.append_child(&actions)?;
                }
                Stored::Newer { name, .. } => {
                    item.set_class_name("library-entry foreign");
                    let title = make(document, "span")?;
                    title.set_class_name("entry-title");
                    title.set_text_content(Some(&isolate(
                        name.as_deref().unwrap_or("A saved scenario"),
                    )));
                    item.append_child(&title)?;
                    let meta = make(document, "span")?;
                    meta.set_class_name("entry-meta");
                    meta.set_text_content(Some(
                        "saved by a newer version of this page: open it there. Kept untouched.",
                    ));
                    item.append_child(&meta)?;
                }
                Stored::Unreadable { .. } => {
                    item.set_class_name("library-entry foreign");
                    let meta = make(document, "span")?;
                    meta.set_class_name("entry-meta");
                    meta.set_text_content(Some(
                        "A record this page cannot read (damaged or foreign). Kept untouched.",
                    ));
                    item.append_child(&meta)?;
                }
            }
            list.append_child(&item)?;
        }
        if entries.is_empty() {
            let item = make(document, "li")?;
            item.set_class_name("hint");
            item.set_text_content(Some(
                "Nothing saved yet: your first edit saves the scenario here.",
            ));
            list.append_child(&item)?;
        }
        let undo: Element = element(document, "library-undo")?;
        let deleted = self
            .saving
            .deleted
            .borrow()
            .as_ref()
            .map(|d| d.0.name.clone());
        if let Some(name) = deleted {
            element::<Element>(document, "library-undo-text")?
                .set_text_content(Some(&format!("Deleted {}.", isolate(&name))));
        }
        set_hidden(&undo, self.saving.deleted.borrow().is_none());
        Ok(())
    }

    /// Brings the save status and the conflict bar in line with the binding.
    pub(crate) fn sync_saving(&self) {
        let binding = self.saving.binding.borrow().clone();
        let saved =
            crate::web::read_app_of(self, |app| app.revision()) == Some(binding.saved_revision());
        let status = match (&binding.entry, binding.conflict) {
            (_, true) => format!("{}: changed in another tab", isolate(&binding.name)),
            (Some(_), _) if saved => format!("Saved: {}", isolate(&binding.name)),
            (Some(_), _) => format!("Saving: {}", isolate(&binding.name)),
            (None, _) => "Unsaved view: your first edit saves it".to_string(),
        };
        if let Ok(el) = element::<Element>(&self.document, "save-status") {
            if el.text_content().as_deref() != Some(status.as_str()) {
                el.set_text_content(Some(&status));
            }
        }
        if let Ok(save) = element::<Element>(&self.document, "save-now") {
            set_hidden(&save, binding.entry.is_some());
        }
        if let Ok(bar) = element::<Element>(&self.document, "conflict") {
            if binding.conflict {
                if let Ok(text) = element::<Element>(&self.document, "conflict-text") {
                    text.set_text_content(Some(&format!(
                        "{} was changed in another tab. Nothing from this tab is saved over it until you choose.",
                        isolate(&binding.name)
                    )));
                }
            }
            set_hidden(&bar, !binding.conflict);
        }
    }

    fn open_entry(&self, id: &str) {
        let Some(record) = read_record(id) else {
            with_app(|app| app.notify("That saved scenario is gone (deleted in another tab)."));
            self.library_changed();
            return;
        };
        let result = Opened::record(&record).and_then(|opened| self.open_document(opened));
        if let Err(why) = result {
            with_app(|app| {
                app.notify(format!(
                    "{} could not be opened: {why}",
                    isolate(&record.name)
                ))
            });
        }
    }

    fn duplicate_entry(&self, id: &str) {
        let Some(record) = read_record(id) else {
            self.library_changed();
            return;
        };
        let taken = crate::web::persist::saved_names();
        let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
        let now = js_sys::Date::now();
        let copy = Record {
            id: crate::web::persist::new_record_id(),
            name: library::unique_name(&format!("{} (copy)", record.name), &taken),
            created_ms: now,
            edited_ms: now,
            copy_of: None,
            ..record
        };
        match self.store_new_records(std::slice::from_ref(&copy), true) {
            Ok(dropped) => {
                let text = format!("Duplicated as {}.", isolate(&copy.name));
                self.notify_dropping(&text, &dropped, Vec::new());
            }
            Err(why) => {
                with_app(|app| {
                    app.notify(format!(
                        "Could not duplicate it: storage refused it ({why})."
                    ))
                });
            }
        }
        self.library_changed();
    }

    fn delete_entry(&self, id: &str) {
        let Some(record) = read_record(id) else {
            self.library_changed();
            return;
        };
        if let Err(why) = storage::remove(Store::Local, &record.key()) {
            with_app(|app| app.notify(format!("Could not delete it: {why}.")));
            return;
        }
        let was_open_here = self.unbind_entry(id);
        let document = crate::web::read_app_of(self, crate::app::App::document).unwrap_or_default();
        *self.saving.deleted.borrow_mut() = Some((record, was_open_here.then_some(document)));
        self.library_changed();
        self.sync_saving();
    }

    fn undo_delete(&self) {
        let Some((record, opened_in)) = self.saving.deleted.borrow_mut().take() else {
            return;
        };
        let key = record.key();
        if storage::get(Store::Local, &key).is_some() {
            with_app(|app| app.notify("It cannot come back: its place was taken."));
        } else {
            match self.store_new_records(std::slice::from_ref(&record), true) {
                Ok(dropped) => {
                    let document = crate::web::read_app_of(self, crate::app::App::document);
                    if opened_in.is_some() && opened_in == document {
                        self.rebind_entry(&record);
                    }
                    let text = format!("{} is back.", isolate(&record.name));
                    self.notify_dropping(&text, &dropped, Vec::new());
                }
                Err(why) => {
                    with_app(|app| {
                        app.notify(format!(
                            "It could not be restored: storage refused it ({why})."
                        ))
                    });
                }
            }
        }
        self.library_changed();
        self.sync_saving();
    }

    fn rename_entry(&self, id: &str, name: &str) {
        let Some(mut record) = read_record(id) else {
            self.library_changed();
            return;
        };
        record.name = library::clean_name(name);
        match storage::set(Store::Local, &record.key(), &record.to_text()) {
            Ok(()) => self.renamed(id, &record.name),
            Err(why) => {
                with_app(|app| app.notify(format!("Could not rename it: {why}.")));
            }
        }
        self.library_changed();
        self.sync_saving();
    }

    fn export_library(&self) {
        let records = crate::web::persist::saved_records();
        if records.is_empty() {
            with_app(|app| app.notify("My scenarios is empty: nothing to export."));
            return;
        }
        let file = library::export(&records);
        if let Err(e) =
            crate::web::files::download_text(self, &file, "application/json", "hlc-scenarios.json")
        {
            let why = e
                .as_string()
                .unwrap_or_else(|| "the browser refused".into());
            with_app(|app| app.notify(format!("Export failed: {why}")));
        }
    }

    /// Adds the scenarios of an exported library file to My scenarios.
    pub(crate) fn import_library(&self, text: &str, file_name: &str) {
        let file_name = isolate(file_name);
        let (read, problems) = match library::import(text) {
            Ok(result) => result,
            Err(why) => {
                with_app(|app| app.notify(format!("{file_name} could not be imported: {why}.")));
                return;
            }
        };
        let taken = crate::web::persist::saved_names();
        let mut names: Vec<String> = taken;
        let mut records = Vec::new();
        for one in read {
            let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let name = library::unique_name(&one.name, &name_refs);
            names.push(name.clone());
            let link = crate::permalink::encode(&one.scenario, one.snapshot);
            let mut record = Record::new(
                &crate::web::persist::new_record_id(),
                &name,
                one.created_ms,
                &one.scenario,
                link,
            );
            record.edited_ms = one.edited_ms;
            records.push(record);
        }
        let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
        match self.store_new_records(&records, false) {
            Ok(dropped) => {
                // Imported scenarios older than the 50 most recent are not kept.
                let kept = ids.iter().filter(|id| read_record(id).is_some()).count();
                let mut text =
                    format!("Added {kept} scenario(s) from {file_name} to My scenarios.");
                if kept < ids.len() {
                    text.push_str(&format!(
                        " {} were older than the {} most recently edited and were not kept.",
                        ids.len() - kept,
                        library::MAX_ENTRIES
                    ));
                }
                if !problems.is_empty() {
                    text.push_str(&format!(" {} could not be read.", problems.len()));
                }
                // Only what was dropped from before the import is news here.
                let dropped: Vec<String> = dropped
                    .into_iter()
                    .filter(|n| !records.iter().any(|r| isolate(&r.name) == *n))
                    .collect();
                self.notify_dropping(&text, &dropped, problems);
            }
            Err(why) => {
                with_app(|app| {
                    app.notify(format!(
                        "{file_name} could not be imported: browser storage refused it ({why})."
                    ))
                });
            }
        };
        self.library_changed();
    }
}

/// Wires My scenarios, the Save button and the conflict bar.
pub(crate) fn install(page: &Rc<Page>) -> Result<(), JsValue> {
    let list: Element = element(page.document(), "library-list")?;
    let weak = Rc::downgrade(page);
    page.listeners_on(list.as_ref(), "click", move |event: Event| {
        let Some(page) = weak.upgrade() else { return };
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let Some(button) = target.closest("button[data-command]").ok().flatten() else {
            return;
        };
        let Some(id) = button
            .closest("li[data-entry]")
            .ok()
            .flatten()
            .and_then(|li| li.get_attribute("data-entry"))
        else {
            return;
        };
        match button.get_attribute("data-command").as_deref() {
            Some("open") => page.open_entry(&id),
            Some("duplicate") => page.duplicate_entry(&id),
            Some("delete") => page.delete_entry(&id),
            _ => {}
        }
    })?;
    let weak = Rc::downgrade(page);
    page.listeners_on(list.as_ref(), "change", move |event: Event| {
        let Some(page) = weak.upgrade() else { return };
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let id = input
            .closest("li[data-entry]")
            .ok()
            .flatten()
            .and_then(|li| li.get_attribute("data-entry"));
        if let Some(id) = id {
            let name = input.value();
            let _ = input.blur();
            page.rename_entry(&id, &name);
        }
    })?;
    let on = |id: &str, action: fn(&Page)| -> Result<(), JsValue> {
        let target: HtmlButtonElement = element(page.document(), id)?;
        let weak = Rc::downgrade(page);
        page.listeners_on(target.as_ref(), "click", move |_| {
            if let Some(page) = weak.upgrade() {
                action(&page);
            }
        })
    };
    on("library-undo-button", Page::undo_delete)?;
    on("library-export", Page::export_library)?;
    on("save-now", Page::save_now)?;
    on("conflict-load", Page::load_newer)?;
    on("conflict-keep", Page::keep_mine)?;
    let input: HtmlInputElement = element(page.document(), "library-import")?;
    let chosen = input.clone();
    page.listeners_on(input.as_ref(), "change", move |_| {
        crate::web::files::upload(&chosen)
    })?;
    page.settle_copies();
    page.library_changed();
    page.sync_saving();
    Ok(())
}
