//! "My scenarios": the saved-scenario library and its rules, with no browser in
//! it. The page keeps each scenario a person edits as its own record in
//! `localStorage` (see `src/web/persist.rs`); this module says what a record
//! is, how one written by a newer page is recognised (and left alone), which
//! records the "keep the N most recent" rule drops, when a write would
//! overwrite another tab's work, and the one-file export of the whole library.
//!
//! The rules, for the person (also in `docs/permalink.md`):
//! - Opening a link, a file or a preset never writes anything. It is an
//!   unsaved view until its first edit (or *Save*), which makes a new record.
//! - Each tab edits one record. Before a tab writes its record it checks that
//!   the stored scenario is still the one it last read or wrote; if another tab
//!   changed it in between, nothing is written and the tab offers to load the
//!   newer version or keep its own as a new record.
//! - A record this page cannot read (a newer format, a newer link version, or
//!   damaged text) is listed as such and never rewritten or dropped.

use crate::permalink;
use crate::scenario::Scenario;
use hlc::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Prefix of every record's `localStorage` key; the rest is the record's id.
pub const RECORD_PREFIX: &str = "hlcviz.scenario.";
/// The record format this page writes.
pub const RECORD_FORMAT: &str = "hlcviz-saved/1";
/// The family of record formats: `hlcviz-saved/N`.
const RECORD_FAMILY: &str = "hlcviz-saved/";
/// The format of the one-file export of the whole library.
pub const EXPORT_FORMAT: &str = "hlcviz-library/1";
/// The family of export formats.
const EXPORT_FAMILY: &str = "hlcviz-library/";
/// How many readable records are kept: the most recently edited ones.
pub const MAX_ENTRIES: usize = 50;
/// Longest record name, in characters.
pub const MAX_ENTRY_NAME_CHARS: usize = 80;
/// `sessionStorage` key holding the id of the record this tab edits (so a
/// reload of the tab goes on editing it).
pub const TAB_ENTRY_KEY: &str = "hlcviz.tab.entry";
/// The single autosave of earlier versions of the page (a permalink
/// fragment); read once into the library, never written.
pub const LEGACY_AUTOSAVE_KEY: &str = "hlcviz.autosave";
/// The legacy autosave value already copied into the library.
pub const LEGACY_MIGRATED_KEY: &str = "hlcviz.autosave.migrated";

/// One saved scenario, as stored (JSON) under `RECORD_PREFIX + id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Always [`RECORD_FORMAT`] for records this page writes.
    pub format: String,
    /// The id (also the key's suffix).
    pub id: String,
    /// The name the person gave it.
    pub name: String,
    /// When it was made, ms since the Unix epoch.
    pub created_ms: f64,
    /// When its scenario last changed (or it was renamed), ms since the epoch.
    pub edited_ms: f64,
    /// The scenario and snapshot as a permalink fragment (without `#`).
    pub link: String,
    /// A one-line summary for the list ("3 nodes · 9 events").
    #[serde(default)]
    pub summary: String,
    /// Set on a *closing copy*: what a tab with unsaved edits wrote, beside
    /// its record `copy_of`, as it closed. Two tabs closing at once may both
    /// pass the write check (each reads its own cached view of storage), so
    /// the later write can replace the earlier; the copy keeps the loser's
    /// version. See [`settle_copy`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<String>,
}

impl Record {
    /// A new record of `link` (a permalink fragment of `scenario`).
    pub fn new(id: &str, name: &str, now_ms: f64, scenario: &Scenario, link: String) -> Record {
        Record {
            format: RECORD_FORMAT.to_string(),
            id: id.to_string(),
            name: clean_name(name),
            created_ms: now_ms,
            edited_ms: now_ms,
            link,
            summary: summary(scenario),
            copy_of: None,
        }
    }

    /// The record as stored.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Its `localStorage` key.
    pub fn key(&self) -> String {
        record_key(&self.id)
    }

    /// Decodes its scenario and snapshot.
    pub fn open(&self) -> Result<(Scenario, Option<Timestamp>), String> {
        permalink::decode(&self.link)
            .map(|shared| (shared.scenario, shared.snapshot))
            .map_err(|e| format!("the saved scenario could not be read ({e})"))
    }
}

/// The `localStorage` key of record `id`.
pub fn record_key(id: &str) -> String {
    format!("{RECORD_PREFIX}{id}")
}

/// "3 nodes · 9 events" (a message counts as two events).
pub fn summary(scenario: &Scenario) -> String {
    let nodes = scenario.nodes.len();
    let events = scenario.event_count();
    format!(
        "{nodes} node{} · {events} event{}",
        if nodes == 1 { "" } else { "s" },
        if events == 1 { "" } else { "s" }
    )
}

/// A name trimmed, with control characters dropped and cut to
/// [`MAX_ENTRY_NAME_CHARS`]; "Untitled scenario" if nothing is left.
pub fn clean_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_ENTRY_NAME_CHARS)
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        "Untitled scenario".to_string()
    } else {
        trimmed.to_string()
    }
}

/// What a stored value under a record key turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored {
    /// A record this page reads and writes.
    Current(Record),
    /// Written by a newer version of the page: listed, never rewritten.
    Newer {
        /// Its id (the key's suffix).
        id: String,
        /// Its name, if one could be read.
        name: Option<String>,
        /// When it was edited, if that could be read.
        edited_ms: Option<f64>,
    },
    /// Not a record at all (damaged or foreign text): listed, never rewritten.
    Unreadable {
        /// Its id (the key's suffix).
        id: String,
    },
}

impl Stored {
    /// The record's id.
    pub fn id(&self) -> &str {
        match self {
            Stored::Current(r) => &r.id,
            Stored::Newer { id, .. } | Stored::Unreadable { id } => id,
        }
    }

    /// When it was edited, for ordering (unknown sorts last).
    pub fn edited_ms(&self) -> f64 {
        match self {
            Stored::Current(r) => r.edited_ms,
            Stored::Newer { edited_ms, .. } => edited_ms.unwrap_or(f64::NEG_INFINITY),
            Stored::Unreadable { .. } => f64::NEG_INFINITY,
        }
    }
}

/// The version number after `family` in `text` (`hlcviz-saved/3` gives 3).
fn family_version(text: &str, family: &str) -> Option<u64> {
    text.strip_prefix(family)?.parse().ok()
}

/// Whether a permalink fragment was written by a newer page (`v2.`, `v999.`).
fn newer_link(link: &str) -> bool {
    link_version(link).is_some_and(|n| n > u64::from(permalink::LINK_VERSION))
}

/// The version a link names (`v2.…` → 2), if it names one.
fn link_version(link: &str) -> Option<u64> {
    link.strip_prefix('v')
        .and_then(|rest| rest.split_once('.'))
        .and_then(|(n, _)| n.parse::<u64>().ok())
}

/// Reads the value stored under record key suffix `id`, without decoding its
/// scenario (listing stays cheap); a newer or damaged record is recognised.
///
/// ```
/// use hlcviz::library::{parse_record, Stored};
/// let newer = r#"{"format":"hlcviz-saved/7","id":"x","name":"Mine","edited_ms":5}"#;
/// assert!(matches!(parse_record("x", newer), Stored::Newer { name: Some(n), .. } if n == "Mine"));
/// assert!(matches!(parse_record("x", "not json"), Stored::Unreadable { .. }));
/// ```
pub fn parse_record(id: &str, text: &str) -> Stored {
    let unreadable = || Stored::Unreadable { id: id.to_string() };
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return unreadable();
    };
    let format = value.get("format").and_then(Value::as_str).unwrap_or("");
    let newer = |value: &Value| Stored::Newer {
        id: id.to_string(),
        name: value
            .get("name")
            .and_then(Value::as_str)
            .map(|n| n.chars().take(MAX_ENTRY_NAME_CHARS).collect()),
        edited_ms: value.get("edited_ms").and_then(Value::as_f64),
    };
    match family_version(format, RECORD_FAMILY) {
        Some(1) => {}
        Some(n) if n > 1 => return newer(&value),
        _ => return unreadable(),
    }
    match serde_json::from_value::<Record>(value.clone()) {
        Ok(record) if newer_link(&record.link) => newer(&value),
        Ok(record) if record.id == id && link_version(&record.link).is_some_and(|n| n >= 1) => {
            Stored::Current(record)
        }
        _ => unreadable(),
    }
}

/// Newest first; ties by id so the order is stable.
pub fn sort_newest_first(entries: &mut [Stored]) {
    entries.sort_by(|a, b| {
        b.edited_ms()
            .total_cmp(&a.edited_ms())
            .then_with(|| a.id().cmp(b.id()))
    });
}

/// The readable records beyond the `keep` most recently edited, oldest last,
/// sparing `protect` (the records open in this tab). Newer and unreadable
/// records are never dropped.
///
/// ```
/// use hlcviz::library::{to_drop, Record, Stored};
/// use hlcviz::scenario::Scenario;
/// let s = Scenario::with_nodes(&["A"]);
/// let at = |id: &str, t: f64| Stored::Current(Record::new(id, id, t, &s, "v1.x".into()));
/// let all = vec![at("a", 1.0), at("b", 2.0), at("c", 3.0)];
/// assert_eq!(to_drop(&all, 2, &[]), vec!["a".to_string()]);
/// assert_eq!(to_drop(&all, 2, &["a"]), vec!["b".to_string()]);
/// ```
pub fn to_drop(entries: &[Stored], keep: usize, protect: &[&str]) -> Vec<String> {
    let mut readable: Vec<&Record> = entries
        .iter()
        .filter_map(|e| match e {
            Stored::Current(r) => Some(r),
            _ => None,
        })
        .collect();
    readable.sort_by(|a, b| {
        b.edited_ms
            .total_cmp(&a.edited_ms)
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut kept = 0;
    let mut dropped = Vec::new();
    // Protected records count towards the N kept, and are never dropped.
    for r in &readable {
        if protect.contains(&r.id.as_str()) {
            kept += 1;
        }
    }
    for r in readable {
        if protect.contains(&r.id.as_str()) {
            continue;
        }
        if kept < keep {
            kept += 1;
        } else {
            dropped.push(r.id.clone());
        }
    }
    dropped
}

/// Whether a tab may write its record, given the scenario link it last read
/// or wrote there (`None`: it has not written this record yet) and what is
/// stored there now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteCheck {
    /// Nothing changed behind the tab's back.
    Clear,
    /// Another tab (or a newer page) changed the scenario since.
    ChangedElsewhere,
    /// The record was deleted since (in another tab).
    DeletedElsewhere,
}

/// The two-tab rule: a write goes ahead only over what the tab itself last
/// saw. A rename elsewhere is not a conflict (only the scenario counts).
///
/// ```
/// use hlcviz::library::{check_write, WriteCheck};
/// assert_eq!(check_write(Some("v1.a"), Some("v1.a")), WriteCheck::Clear);
/// assert_eq!(check_write(Some("v1.a"), Some("v1.b")), WriteCheck::ChangedElsewhere);
/// assert_eq!(check_write(Some("v1.a"), None), WriteCheck::DeletedElsewhere);
/// assert_eq!(check_write(None, None), WriteCheck::Clear);
/// ```
pub fn check_write(last_seen_link: Option<&str>, stored_link: Option<&str>) -> WriteCheck {
    match (last_seen_link, stored_link) {
        (None, None) => WriteCheck::Clear,
        (Some(seen), Some(stored)) if seen == stored => WriteCheck::Clear,
        (Some(_), None) => WriteCheck::DeletedElsewhere,
        _ => WriteCheck::ChangedElsewhere,
    }
}

/// The scenario link of a stored record value, if it is a current record
/// (for [`check_write`]); a newer or damaged record gives its whole text, so
/// it never equals a link this tab wrote.
pub fn stored_link(id: &str, text: &str) -> String {
    match parse_record(id, text) {
        Stored::Current(r) => r.link,
        _ => text.to_string(),
    }
}

/// The id prefix of closing copies (see [`Record::copy_of`]), so a page can
/// tell one from an ordinary record by its key alone.
pub const COPY_ID_PREFIX: &str = "copy-";

/// How long a closing copy waits before it is settled, ms: longer than any
/// closing tab's writes take to reach the other tabs.
pub const COPY_SETTLE_MS: f64 = 3_000.0;

/// What becomes of a closing copy once it has waited [`COPY_SETTLE_MS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyFate {
    /// Not yet: wait.
    Wait,
    /// Some record holds the same scenario: the copy goes.
    Redundant,
    /// No record holds it (the closing tab lost a race): it becomes a record
    /// of its own.
    Recovered,
}

/// The fate of closing copy `copy`, among all readable records `records`.
///
/// ```
/// use hlcviz::library::{settle_copy, CopyFate, Record};
/// use hlcviz::scenario::Scenario;
/// let s = Scenario::with_nodes(&["A"]);
/// let mut copy = Record::new("c", "X", 0.0, &s, "v1.mine".into());
/// copy.copy_of = Some("x".into());
/// let other = Record::new("x", "X", 0.0, &s, "v1.theirs".into());
/// assert_eq!(settle_copy(&copy, &[other.clone()], 1_000.0), CopyFate::Wait);
/// assert_eq!(settle_copy(&copy, &[other], 10_000.0), CopyFate::Recovered);
/// let same = Record::new("x", "X", 0.0, &s, "v1.mine".into());
/// assert_eq!(settle_copy(&copy, &[same], 10_000.0), CopyFate::Redundant);
/// ```
pub fn settle_copy(copy: &Record, records: &[Record], now_ms: f64) -> CopyFate {
    if now_ms - copy.edited_ms < COPY_SETTLE_MS {
        return CopyFate::Wait;
    }
    let held = records
        .iter()
        .any(|r| r.id != copy.id && r.copy_of.is_none() && r.link == copy.link);
    if held {
        CopyFate::Redundant
    } else {
        CopyFate::Recovered
    }
}

/// "just now", "5 min ago", "3 h ago", "2 days ago".
pub fn ago(now_ms: f64, then_ms: f64) -> String {
    let seconds = ((now_ms - then_ms) / 1_000.0).max(0.0);
    if !seconds.is_finite() {
        return "at an unknown time".to_string();
    }
    let minutes = (seconds / 60.0).floor();
    let hours = (seconds / 3_600.0).floor();
    let days = (seconds / 86_400.0).floor();
    if seconds < 60.0 {
        "just now".to_string()
    } else if minutes < 60.0 {
        format!("{minutes:.0} min ago")
    } else if hours < 24.0 {
        format!("{hours:.0} h ago")
    } else if days < 2.0 {
        "yesterday".to_string()
    } else {
        format!("{days:.0} days ago")
    }
}

/// A name like `name` that no entry in `taken` has: `name`, else `name (2)`,
/// `name (3)`, ...
pub fn unique_name(name: &str, taken: &[&str]) -> String {
    let base = clean_name(name);
    if !taken.contains(&base.as_str()) {
        return base;
    }
    (2..)
        .map(|k| format!("{base} ({k})"))
        .find(|candidate| !taken.contains(&candidate.as_str()))
        .unwrap_or(base)
}

/// One scenario of an exported library file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedScenario {
    /// Its name.
    pub name: String,
    /// When it was made, ms since the epoch.
    pub created_ms: f64,
    /// When it was last edited, ms since the epoch.
    pub edited_ms: f64,
    /// The scenario, in the documented JSON format.
    pub scenario: Value,
    /// The snapshot `[l, c]`, if one was taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<(i64, u32)>,
}

/// The whole library as one JSON file (the readable records; newer and
/// damaged ones are not this page's to export).
pub fn export(records: &[Record]) -> String {
    let scenarios: Vec<ExportedScenario> = records
        .iter()
        .filter_map(|r| {
            let (scenario, snapshot) = r.open().ok()?;
            Some(ExportedScenario {
                name: r.name.clone(),
                created_ms: r.created_ms,
                edited_ms: r.edited_ms,
                scenario: serde_json::from_str(&scenario.to_json()).ok()?,
                snapshot: snapshot.map(|t| (t.l, t.c)),
            })
        })
        .collect();
    let file = serde_json::json!({ "format": EXPORT_FORMAT, "scenarios": scenarios });
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// Whether `text` is an exported library (so an upload is read as one): a
/// JSON object whose top-level `format` is `hlcviz-library/N`. Only that field
/// is kept while parsing; a scenario that merely mentions the format (a node
/// named so) is not one.
///
/// ```
/// use hlcviz::library::is_export;
/// assert!(is_export(r#"{"format":"hlcviz-library/1","scenarios":[]}"#));
/// assert!(!is_export(r#"{"nodes":[{"name":"hlcviz-library/1"}]}"#));
/// assert!(is_export(r#"{ "format": "hlcviz-library/1", "scenarios": [{"#));
/// ```
pub fn is_export(text: &str) -> bool {
    #[derive(Deserialize)]
    struct Head {
        format: Option<String>,
    }
    if !text.trim_start().starts_with('{') || text.len() > crate::scenario::MAX_JSON_BYTES {
        return false;
    }
    match serde_json::from_str::<Head>(text) {
        Ok(head) => head.format.is_some_and(|f| f.starts_with(EXPORT_FAMILY)),
        // Broken JSON that opens with the export's own first field (as Export
        // all writes it) is a damaged export, so it is reported as one.
        Err(_) => {
            let compact: String = text
                .chars()
                .filter(|c| !c.is_whitespace())
                .take(40)
                .collect();
            compact.starts_with(&format!("{{\"format\":\"{EXPORT_FAMILY}"))
        }
    }
}

/// A scenario read back from an exported library file.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// Its name.
    pub name: String,
    /// When it was made.
    pub created_ms: f64,
    /// When it was last edited.
    pub edited_ms: f64,
    /// The scenario (validated).
    pub scenario: Scenario,
    /// Its snapshot.
    pub snapshot: Option<Timestamp>,
}

/// Reads an exported library: every scenario that is valid, and one line for
/// each that is not. At most [`MAX_ENTRIES`] are read; the rest are reported.
pub fn import(text: &str) -> Result<(Vec<Imported>, Vec<String>), String> {
    if text.len() > crate::scenario::MAX_JSON_BYTES {
        return Err("the file is larger than 64 MiB".into());
    }
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("it is not valid JSON ({e})"))?;
    let format = value.get("format").and_then(Value::as_str).unwrap_or("");
    match family_version(format, EXPORT_FAMILY) {
        Some(1) => {}
        Some(n) => {
            return Err(format!(
                "it was exported by a newer version of this page (format {n}); open it there"
            ))
        }
        None => return Err("it is not an exported library of scenarios".into()),
    }
    let Some(list) = value.get("scenarios").and_then(Value::as_array) else {
        return Err("it has no list of scenarios".into());
    };
    let mut read = Vec::new();
    let mut problems = Vec::new();
    for (k, item) in list.iter().enumerate() {
        if read.len() == MAX_ENTRIES {
            problems.push(format!(
                "{} more scenario(s) not read: a library keeps at most {MAX_ENTRIES}",
                list.len() - k
            ));
            break;
        }
        match import_one(item) {
            Ok(one) => read.push(one),
            Err(why) => problems.push(format!("scenario {}: {why}", k + 1)),
        }
    }
    Ok((read, problems))
}

fn import_one(item: &Value) -> Result<Imported, String> {
    let entry: ExportedScenario =
        serde_json::from_value(item.clone()).map_err(|e| format!("not readable ({e})"))?;
    let scenario = Scenario::from_json(&entry.scenario.to_string()).map_err(|e| e.to_string())?;
    let finite = |t: f64| if t.is_finite() { t } else { 0.0 };
    Ok(Imported {
        name: clean_name(&entry.name),
        created_ms: finite(entry.created_ms),
        edited_ms: finite(entry.edited_ms),
        scenario,
        snapshot: entry.snapshot.map(|(l, c)| Timestamp::new(l, c)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, t: f64) -> Record {
        let s = Scenario::with_nodes(&["A", "B"]);
        let link = permalink::encode(&s, None);
        Record::new(id, id, t, &s, link)
    }

    #[test]
    fn a_written_record_reads_back_as_current() {
        let r = record("abc", 10.0);
        assert_eq!(parse_record("abc", &r.to_text()), Stored::Current(r));
    }

    #[test]
    fn a_record_under_another_key_is_unreadable() {
        let r = record("abc", 10.0);
        assert!(matches!(
            parse_record("xyz", &r.to_text()),
            Stored::Unreadable { .. }
        ));
    }

    #[test]
    fn newer_formats_and_newer_links_are_listed_as_newer() {
        let mut r = record("n", 1.0);
        r.link = "v999.AAAA".into();
        assert!(matches!(
            parse_record("n", &r.to_text()),
            Stored::Newer { .. }
        ));
        let text =
            r#"{"format":"hlcviz-saved/2","id":"n","name":"N","edited_ms":3,"whatever":[1]}"#;
        assert_eq!(
            parse_record("n", text),
            Stored::Newer {
                id: "n".into(),
                name: Some("N".into()),
                edited_ms: Some(3.0)
            }
        );
    }

    #[test]
    fn damaged_records_are_unreadable() {
        for text in [
            "",
            "null",
            "[]",
            r#"{"format":"hlcviz-saved/1"}"#,
            r#"{"format":"other/1","id":"d"}"#,
            r#"{"format":"hlcviz-saved/x","id":"d"}"#,
        ] {
            assert!(
                matches!(parse_record("d", text), Stored::Unreadable { .. }),
                "{text}"
            );
        }
    }

    #[test]
    fn the_oldest_readable_records_are_dropped_first() {
        let mut all: Vec<Stored> = (0..5)
            .map(|k| Stored::Current(record(&format!("r{k}"), f64::from(k))))
            .collect();
        all.push(Stored::Newer {
            id: "new".into(),
            name: None,
            edited_ms: Some(-5.0),
        });
        all.push(Stored::Unreadable { id: "bad".into() });
        assert_eq!(to_drop(&all, 3, &[]), vec!["r1", "r0"]);
        assert_eq!(to_drop(&all, 3, &["r0"]), vec!["r2", "r1"]);
        assert!(to_drop(&all, 5, &[]).is_empty());
    }

    #[test]
    fn unique_names_count_up() {
        assert_eq!(unique_name("A", &[]), "A");
        assert_eq!(unique_name("A", &["A"]), "A (2)");
        assert_eq!(unique_name("A", &["A", "A (2)"]), "A (3)");
        assert_eq!(unique_name("  \u{7}  ", &[]), "Untitled scenario");
    }

    #[test]
    fn ago_reads_naturally() {
        assert_eq!(ago(1_000.0, 1_000.0), "just now");
        assert_eq!(ago(5.0 * 60_000.0, 0.0), "5 min ago");
        assert_eq!(ago(3.0 * 3_600_000.0, 0.0), "3 h ago");
        assert_eq!(ago(30.0 * 3_600_000.0, 0.0), "yesterday");
        assert_eq!(ago(5.0 * 86_400_000.0, 0.0), "5 days ago");
        assert_eq!(ago(0.0, 10.0), "just now");
    }

    #[test]
    fn export_and_import_round_trip() {
        let mut s = Scenario::with_nodes(&["A", "B"]);
        s.nodes[1].skew_ms = 300;
        let theta = Some(Timestamp::new(500, 1));
        let r = Record::new("q", "Mine", 7.0, &s, permalink::encode(&s, theta));
        let file = export(std::slice::from_ref(&r));
        assert!(is_export(&file));
        let (read, problems) = import(&file).expect("reads");
        assert!(problems.is_empty());
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].name, "Mine");
        assert_eq!(read[0].scenario, s);
        assert_eq!(read[0].snapshot, theta);
        assert_eq!(read[0].edited_ms, 7.0);
    }

    #[test]
    fn import_reports_bad_entries_and_refuses_bad_files() {
        let text = r#"{"format":"hlcviz-library/1","scenarios":[
            {"name":"ok","created_ms":1,"edited_ms":2,"scenario":{"nodes":[{"name":"A"}]}},
            {"name":"bad","created_ms":1,"edited_ms":2,"scenario":{"nodes":[]}},
            7]}"#;
        let (read, problems) = import(text).expect("reads");
        assert_eq!(read.len(), 1);
        assert_eq!(problems.len(), 2);
        assert!(problems[0].starts_with("scenario 2: "), "{problems:?}");
        assert!(import(r#"{"format":"hlcviz-library/9","scenarios":[]}"#)
            .unwrap_err()
            .contains("newer version"));
        assert!(import("[]").is_err());
        assert!(import("{").is_err());
    }
}
