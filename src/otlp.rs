//! OpenTelemetry traces read as a [`Scenario`](crate::scenario::Scenario):
//! OTLP/JSON (the OpenTelemetry Collector's file exporter, the OTLP/JSON
//! specification, and the protobuf JSON mapping of an export request) and the
//! Python SDK's `ConsoleSpanExporter` output. See `docs/otel.md`.
//!
//! A service (the resource's `service.name`) is a node; a span's start and
//! end are events on its service's node at the span's timestamps; a span
//! whose parent is in another service is a message from the parent's start
//! to the child's start (the request), and, for a synchronous call, one from
//! the child's end back to the parent's end (the reply). The timestamps are
//! each service's own clock: as for logs recorded with the `hlc` crate
//! ([`crate::recorded`]), every service's clock offset is estimated from the
//! messages ([`crate::offsets`]), the skews are those offsets, and replaying
//! the scenario gives every event its span timestamp (in ms, shifted so the
//! diagram starts near 0) as `pt`.
//!
//! Everything is capped before it is kept: the input's size
//! ([`MAX_IMPORT_BYTES`]), the spans ([`MAX_SPANS`]) and the resource and
//! scope groups ([`MAX_GROUPS`]) as they are parsed, and the services
//! ([`MAX_NODES`]).

use crate::offsets::HostOffset;
use crate::recorded::{self, Ev, Kind, RecordedError, RecordedEvent, Words};
use crate::scenario::{text_problem, MAX_EVENTS, MAX_NAME_CHARS, MAX_NODES};
use crate::shiviz::{Imported, Reports, MAX_IMPORT_BYTES};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

/// Most spans read. Each becomes two events, and a call across services can
/// add one more at each end, so this many always fit a scenario.
pub const MAX_SPANS: usize = MAX_EVENTS / 4;
/// Most resource and scope groups (and top-level JSON objects) read.
pub const MAX_GROUPS: usize = MAX_SPANS;
/// The service name of spans whose resource has none (the OpenTelemetry
/// SDKs' default).
pub const UNKNOWN_SERVICE: &str = "unknown_service";
/// Longest error message kept from the JSON parser, in characters.
const MAX_PARSE_MESSAGE_CHARS: usize = 200;

const WORDS: Words = Words {
    host: "service",
    unit: "span",
    source: "trace",
    epoch: "ms since the Unix epoch, as the spans' timestamps",
};

/// A trace read as a scenario, with what was estimated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traces {
    /// The scenario and notes (offsets with their bounds first); spans that
    /// could not be used are notes too (`skipped` stays empty).
    pub imported: Imported,
    /// Each service's estimated offset (ns) relative to the first service.
    pub offsets: Vec<HostOffset>,
    /// Whether the offsets could be estimated (see [`crate::recorded`]).
    pub offsets_consistent: bool,
    /// Wall-clock ms (since the Unix epoch) that is `pt = 0` in the scenario.
    pub base_ms: i128,
    /// Every event, with the 1-based number of its span (in file order) as
    /// `line` and the span timestamp it stands for as `wall_ns`.
    pub events: Vec<RecordedEvent>,
    /// Spans read.
    pub spans: usize,
    /// Spans whose parent is in another service (each a request message).
    pub calls: usize,
    /// Of those, the synchronous calls (each also a reply message).
    pub replies: usize,
}

/// Why a trace could not be imported at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OtlpError {
    /// More than [`MAX_IMPORT_BYTES`].
    TooLarge {
        /// Size of the input.
        bytes: usize,
    },
    /// More than [`MAX_SPANS`] spans.
    TooManySpans,
    /// More than [`MAX_GROUPS`] resource or scope groups.
    TooManyGroups,
    /// Not JSON, or not of the shape of a trace.
    NotJson {
        /// The parser's message, cut short.
        message: String,
    },
    /// More services than [`MAX_NODES`].
    TooManyServices {
        /// The first service past the limit (cut short).
        service: String,
    },
    /// No span could be used.
    NoSpans {
        /// Why the first span was not used, if there was one.
        first_problem: Option<String>,
    },
    /// The estimated offsets or the trace's length do not fit a scenario.
    Layout(RecordedError),
}

impl fmt::Display for OtlpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OtlpError::TooLarge { bytes } => write!(
                f,
                "the trace is {bytes} bytes, more than the limit of {MAX_IMPORT_BYTES} bytes (16 MiB); nothing was read"
            ),
            OtlpError::TooManySpans => write!(
                f,
                "the trace has more than {MAX_SPANS} spans, the most a scenario can show; nothing was read"
            ),
            OtlpError::TooManyGroups => write!(
                f,
                "the trace has more than {MAX_GROUPS} resource or scope groups; nothing was read"
            ),
            OtlpError::NotJson { message } => {
                write!(f, "not an OpenTelemetry trace in JSON: {message}")
            }
            OtlpError::TooManyServices { service } => write!(
                f,
                "service `{service}` is one more than the limit of {MAX_NODES} services (one node each)"
            ),
            OtlpError::NoSpans { first_problem } => {
                write!(f, "no span could be read from the trace")?;
                match first_problem {
                    Some(p) => write!(f, "; {p}"),
                    None => write!(f, " (it has none)"),
                }
            }
            OtlpError::Layout(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for OtlpError {}

/// Whether `text` looks like an OpenTelemetry trace this module reads: a
/// JSON object whose first key is `resourceSpans` (or `resource_spans`), or
/// a `ConsoleSpanExporter` span (first key `name`, with a `context` holding a
/// `trace_id` early on). Cheap, for choosing a reader.
///
/// ```
/// assert!(hlcviz::otlp::is_otlp("{\"resourceSpans\": []}"));
/// assert!(!hlcviz::otlp::is_otlp("{\"nodes\": []}"));
/// ```
pub fn is_otlp(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text.trim_start().strip_prefix('{') else {
        return false;
    };
    let Some(rest) = rest.trim_start().strip_prefix('"') else {
        return false;
    };
    let key = rest.split('"').next().unwrap_or_default();
    match key {
        "resourceSpans" | "resource_spans" => true,
        "name" => {
            let head = match text.char_indices().nth(4096) {
                Some((at, _)) => &text[..at],
                None => text,
            };
            head.contains("\"context\"") && head.contains("\"trace_id\"")
        }
        _ => false,
    }
}

// ------------------------------------------------------------ parsing caps

#[derive(Clone, Copy, PartialEq, Eq)]
enum Over {
    Spans,
    Groups,
}

#[derive(Clone, Copy)]
struct Budget {
    spans: usize,
    groups: usize,
    over: Option<Over>,
}

const FULL_BUDGET: Budget = Budget {
    spans: MAX_SPANS,
    groups: MAX_GROUPS,
    over: None,
};

thread_local! {
    /// What is left to read in the current [`import`] (one at a time per
    /// thread; reset at its start).
    static BUDGET: Cell<Budget> = const { Cell::new(FULL_BUDGET) };
}

/// Takes one span (`spans`) or group from the budget; `false` when none is
/// left (and remembers which ran out).
fn take(spans: bool) -> bool {
    BUDGET.with(|cell| {
        let mut b = cell.get();
        let left = if spans { &mut b.spans } else { &mut b.groups };
        let ok = *left > 0;
        if ok {
            *left -= 1;
        } else {
            b.over = Some(if spans { Over::Spans } else { Over::Groups });
        }
        cell.set(b);
        ok
    })
}

/// A JSON array (or `null`) whose elements are counted against the budget
/// as they are read, so a hostile file stops at the cap instead of filling
/// memory.
struct Capped<T, const SPANS: bool>(Vec<T>);

impl<'de, T: Deserialize<'de>, const SPANS: bool> Deserialize<'de> for Capped<T, SPANS> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T, const SPANS: bool>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>, const SPANS: bool> Visitor<'de> for V<T, SPANS> {
            type Value = Capped<T, SPANS>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Capped(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<T>()? {
                    if !take(SPANS) {
                        return Err(de::Error::custom("too many entries"));
                    }
                    out.push(item);
                }
                Ok(Capped(out))
            }
        }
        d.deserialize_any(V::<T, SPANS>(PhantomData))
    }
}

/// Any JSON value, kept only when it is a string or a number (ids,
/// timestamps and kinds come as either, depending on the exporter).
enum Loose<'a> {
    Str(Cow<'a, str>),
    U64(u64),
    I64(i64),
    Other,
}

impl<'de: 'a, 'a> Deserialize<'de> for Loose<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Loose<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Loose::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Loose::Str(Cow::Owned(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Loose::U64(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Loose::I64(v))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Loose::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Loose::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Loose::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl<'a> Loose<'a> {
    fn text(self) -> Option<Cow<'a, str>> {
        match self {
            Loose::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// A resource's `service.name`, read from its attributes, a list of
/// `{key, value: {stringValue}}` (OTLP) or an object (the console exporter);
/// nothing else is kept.
struct ServiceName<'a>(Option<Cow<'a, str>>);

#[derive(Deserialize)]
struct RawKeyValue<'a> {
    #[serde(borrow, default)]
    key: Option<Loose<'a>>,
    #[serde(borrow, default)]
    value: Option<RawAnyValue<'a>>,
}

#[derive(Deserialize)]
struct RawAnyValue<'a> {
    #[serde(borrow, default, rename = "stringValue", alias = "string_value")]
    string_value: Option<Loose<'a>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for ServiceName<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = ServiceName<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("resource attributes (an array or an object)")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ServiceName(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut found = None;
                while let Some(kv) = seq.next_element::<RawKeyValue<'de>>()? {
                    let is_name = matches!(&kv.key, Some(Loose::Str(k)) if k == "service.name");
                    if is_name && found.is_none() {
                        found = kv.value.and_then(|v| v.string_value).and_then(Loose::text);
                    }
                }
                Ok(ServiceName(found))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut found = None;
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    if key == "service.name" && found.is_none() {
                        found = map.next_value::<Loose<'de>>()?.text();
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(ServiceName(found))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

#[derive(Deserialize)]
struct RawResource<'a> {
    #[serde(borrow, default)]
    attributes: Option<ServiceName<'a>>,
}

impl RawResource<'_> {
    fn service(&self) -> Option<&str> {
        self.attributes.as_ref().and_then(|a| a.0.as_deref())
    }
}

/// A top-level JSON object: an export request (`resourceSpans`), or one span
/// as the console exporter prints it.
#[derive(Deserialize)]
struct RawTop<'a> {
    #[serde(borrow, default, rename = "resourceSpans", alias = "resource_spans")]
    resource_spans: Option<Capped<RawResourceSpans<'a>, false>>,
    #[serde(borrow, default)]
    name: Option<Loose<'a>>,
    #[serde(borrow, default)]
    context: Option<RawContext<'a>>,
    #[serde(borrow, default)]
    kind: Option<Loose<'a>>,
    #[serde(borrow, default)]
    parent_id: Option<Loose<'a>>,
    #[serde(borrow, default)]
    start_time: Option<Loose<'a>>,
    #[serde(borrow, default)]
    end_time: Option<Loose<'a>>,
    #[serde(borrow, default)]
    resource: Option<RawResource<'a>>,
}

#[derive(Deserialize)]
struct RawContext<'a> {
    #[serde(borrow, default)]
    trace_id: Option<Loose<'a>>,
    #[serde(borrow, default)]
    span_id: Option<Loose<'a>>,
}

#[derive(Deserialize)]
struct RawResourceSpans<'a> {
    #[serde(borrow, default)]
    resource: Option<RawResource<'a>>,
    #[serde(
        borrow,
        default,
        rename = "scopeSpans",
        alias = "scope_spans",
        alias = "instrumentationLibrarySpans",
        alias = "instrumentation_library_spans"
    )]
    scope_spans: Option<Capped<RawScopeSpans<'a>, false>>,
}

#[derive(Deserialize)]
struct RawScopeSpans<'a> {
    #[serde(borrow, default)]
    spans: Option<Capped<RawSpan<'a>, true>>,
}

#[derive(Deserialize)]
struct RawSpan<'a> {
    #[serde(borrow, default, rename = "traceId", alias = "trace_id")]
    trace_id: Option<Loose<'a>>,
    #[serde(borrow, default, rename = "spanId", alias = "span_id")]
    span_id: Option<Loose<'a>>,
    #[serde(borrow, default, rename = "parentSpanId", alias = "parent_span_id")]
    parent_span_id: Option<Loose<'a>>,
    #[serde(borrow, default)]
    name: Option<Loose<'a>>,
    #[serde(borrow, default)]
    kind: Option<Loose<'a>>,
    #[serde(
        borrow,
        default,
        rename = "startTimeUnixNano",
        alias = "start_time_unix_nano"
    )]
    start: Option<Loose<'a>>,
    #[serde(
        borrow,
        default,
        rename = "endTimeUnixNano",
        alias = "end_time_unix_nano"
    )]
    end: Option<Loose<'a>>,
}

// ------------------------------------------------------------ field values

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpanKind {
    Unspecified,
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

fn span_kind(raw: Option<Loose<'_>>) -> SpanKind {
    let code = match raw {
        Some(Loose::U64(n)) => n,
        Some(Loose::I64(n)) => u64::try_from(n).unwrap_or(0),
        Some(Loose::Str(s)) => {
            // "SPAN_KIND_CLIENT" (protobuf JSON), "SpanKind.CLIENT" (console).
            let word = s.rsplit(['_', '.']).next().unwrap_or_default();
            match word.to_ascii_uppercase().as_str() {
                "INTERNAL" => 1,
                "SERVER" => 2,
                "CLIENT" => 3,
                "PRODUCER" => 4,
                "CONSUMER" => 5,
                _ => 0,
            }
        }
        _ => 0,
    };
    match code {
        1 => SpanKind::Internal,
        2 => SpanKind::Server,
        3 => SpanKind::Client,
        4 => SpanKind::Producer,
        5 => SpanKind::Consumer,
        _ => SpanKind::Unspecified,
    }
}

/// An id of `bytes` bytes: hex (OTLP/JSON, optionally `0x`-prefixed as the
/// console exporter writes it) or base64 (the protobuf JSON mapping).
/// `Ok(None)`: empty or all zeros (no id).
fn id_bytes(raw: &str, bytes: usize) -> Result<Option<u128>, String> {
    let hex = raw.strip_prefix("0x").unwrap_or(raw);
    let decoded: Vec<u8> = if raw.is_empty() {
        return Ok(None);
    } else if hex.len() == 2 * bytes && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        (0..bytes)
            .map(|k| u8::from_str_radix(&hex[2 * k..2 * k + 2], 16).unwrap_or(0))
            .collect()
    } else if raw.len() == bytes.div_ceil(3) * 4 {
        STANDARD
            .decode(raw)
            .map_err(|_| format!("`{}` is neither hex nor base64", short(raw)))?
    } else {
        return Err(format!(
            "`{}` is not a {bytes}-byte id ({} hex digits or base64)",
            short(raw),
            2 * bytes
        ));
    };
    if decoded.len() != bytes {
        return Err(format!("`{}` is not {bytes} bytes long", short(raw)));
    }
    let value = decoded
        .iter()
        .fold(0u128, |acc, &b| (acc << 8) | u128::from(b));
    Ok((value != 0).then_some(value))
}

fn required_id(raw: Option<Loose<'_>>, what: &str, bytes: usize) -> Result<u128, String> {
    match raw.and_then(Loose::text) {
        None => Err(format!("no {what}")),
        Some(s) => id_bytes(&s, bytes)?.ok_or_else(|| format!("its {what} is empty or zero")),
    }
}

fn optional_id(raw: Option<Loose<'_>>, what: &str, bytes: usize) -> Result<Option<u128>, String> {
    match raw {
        None | Some(Loose::Other) => Ok(None),
        Some(Loose::Str(s)) => id_bytes(&s, bytes),
        Some(_) => Err(format!("its {what} is a number, not an id")),
    }
}

/// Nanoseconds since the Unix epoch, as a number or a decimal string.
fn unix_nanos(raw: Option<Loose<'_>>, what: &str) -> Result<i64, String> {
    let n = match raw {
        None => return Err(format!("no {what}")),
        Some(Loose::U64(n)) => n,
        Some(Loose::I64(n)) => u64::try_from(n).map_err(|_| format!("its {what} is negative"))?,
        Some(Loose::Str(s)) => s
            .parse::<u64>()
            .map_err(|_| format!("its {what} `{}` is not a whole number of ns", short(&s)))?,
        Some(Loose::Other) => return Err(format!("its {what} is not a number")),
    };
    if n == 0 {
        return Err(format!("its {what} is 0 (not recorded)"));
    }
    i64::try_from(n).map_err(|_| format!("its {what} is after the year 2262"))
}

/// `2026-12-02T07:56:04.416730Z` (the console exporter's UTC time; an offset
/// `+hh:mm` is accepted too) as nanoseconds since the Unix epoch.
fn iso_nanos(raw: Option<Loose<'_>>, what: &str) -> Result<i64, String> {
    let text = raw
        .and_then(Loose::text)
        .ok_or_else(|| format!("no {what}"))?;
    parse_iso(&text).ok_or_else(|| {
        format!(
            "its {what} `{}` is not a UTC time like 2026-01-02T03:04:05.123456Z",
            short(&text)
        )
    })
}

fn parse_iso(text: &str) -> Option<i64> {
    let num = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (date, time) = text.split_once(['T', ' '])?;
    let mut d = date.splitn(3, '-');
    let (y, m, day) = (num(d.next()?)?, num(d.next()?)?, num(d.next()?)?);
    let (clock, offset_s) = if let Some(c) = time.strip_suffix('Z') {
        (c, 0)
    } else {
        let at = time.rfind(['+', '-'])?;
        let (c, off) = time.split_at(at);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (oh, om) = off[1..].split_once(':')?;
        (c, sign * (num(oh)? * 3600 + num(om)? * 60))
    };
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
    let mut t = hms.splitn(3, ':');
    let (h, mi, s) = (num(t.next()?)?, num(t.next()?)?, num(t.next()?)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    if frac.len() > 9 || (!frac.is_empty() && num(frac).is_none()) {
        return None;
    }
    let frac_ns = if frac.is_empty() {
        0
    } else {
        num(frac)? * 10i64.pow(9 - frac.len() as u32)
    };
    if !(1..=2262).contains(&y) {
        return None;
    }
    // Days since 1970-01-01 in the proleptic Gregorian calendar.
    let (yy, mm) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * mm + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + mi * 60 + s - offset_s;
    secs.checked_mul(1_000_000_000)?.checked_add(frac_ns)
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

// ------------------------------------------------------------ the import

/// One span as read.
struct Span<'a> {
    /// 1-based, in file order.
    number: usize,
    service: usize,
    trace: u128,
    id: u128,
    parent: Option<u128>,
    name: Cow<'a, str>,
    kind: SpanKind,
    start: i64,
    end: i64,
}

/// A span before its fields are checked.
struct Unchecked<'a> {
    service: Result<usize, String>,
    trace: Option<Loose<'a>>,
    id: Option<Loose<'a>>,
    parent: Option<Loose<'a>>,
    name: Option<Loose<'a>>,
    kind: Option<Loose<'a>>,
    times: Result<(i64, i64), String>,
}

/// Services by name, at most [`MAX_NODES`].
#[derive(Default)]
struct Services {
    names: Vec<String>,
    ids: HashMap<String, usize>,
}

impl Services {
    /// The node of `name` (the default when `None`); an `Err(Err)` when one
    /// too many, an `Ok(Err)` when the name cannot be a node's.
    fn intern(&mut self, name: Option<&str>) -> Result<Result<usize, String>, OtlpError> {
        let name = name.unwrap_or(UNKNOWN_SERVICE);
        if let Some(&id) = self.ids.get(name) {
            return Ok(Ok(id));
        }
        if let Some(problem) = text_problem(name, MAX_NAME_CHARS, false) {
            return Ok(Err(format!("its service name `{}` {problem}", short(name))));
        }
        if self.names.len() >= MAX_NODES {
            return Err(OtlpError::TooManyServices {
                service: short(name),
            });
        }
        self.ids.insert(name.to_string(), self.names.len());
        self.names.push(name.to_string());
        Ok(Ok(self.names.len() - 1))
    }
}

/// Reads the spans of every top-level object, capped as they are parsed;
/// also how many objects were neither a request nor a span, and the first.
fn read<'a>(
    text: &'a str,
    services: &mut Services,
) -> Result<(Vec<Unchecked<'a>>, (usize, usize)), OtlpError> {
    BUDGET.with(|b| b.set(FULL_BUDGET));
    let mut spans = Vec::new();
    let mut unknown = (0usize, 0usize);
    let stream = serde_json::Deserializer::from_str(text).into_iter::<RawTop<'a>>();
    for (k, top) in stream.enumerate() {
        let top = match top {
            Ok(top) => top,
            Err(e) => {
                return Err(match BUDGET.with(Cell::get).over {
                    Some(Over::Spans) => OtlpError::TooManySpans,
                    Some(Over::Groups) => OtlpError::TooManyGroups,
                    None => OtlpError::NotJson {
                        message: e
                            .to_string()
                            .chars()
                            .take(MAX_PARSE_MESSAGE_CHARS)
                            .collect(),
                    },
                });
            }
        };
        if !take(false) {
            return Err(OtlpError::TooManyGroups);
        }
        if let Some(groups) = top.resource_spans {
            for group in groups.0 {
                let service = services.intern(group.resource.as_ref().and_then(|r| r.service()))?;
                for scope in group.scope_spans.map(|s| s.0).unwrap_or_default() {
                    for raw in scope.spans.map(|s| s.0).unwrap_or_default() {
                        let times = unix_nanos(raw.start, "start time")
                            .and_then(|start| Ok((start, unix_nanos(raw.end, "end time")?)));
                        spans.push(Unchecked {
                            service: service.clone(),
                            trace: raw.trace_id,
                            id: raw.span_id,
                            parent: raw.parent_span_id,
                            name: raw.name,
                            kind: raw.kind,
                            times,
                        });
                    }
                }
            }
        } else if top.context.is_some() || top.start_time.is_some() {
            // One span as the console exporter prints it.
            if !take(true) {
                return Err(OtlpError::TooManySpans);
            }
            let service = services.intern(top.resource.as_ref().and_then(|r| r.service()))?;
            let times = iso_nanos(top.start_time, "start_time")
                .and_then(|start| Ok((start, iso_nanos(top.end_time, "end_time")?)));
            let (trace, id) = top
                .context
                .map(|c| (c.trace_id, c.span_id))
                .unwrap_or((None, None));
            spans.push(Unchecked {
                service,
                trace,
                id,
                parent: top.parent_id,
                name: top.name,
                kind: top.kind,
                times,
            });
        } else {
            if unknown.0 == 0 {
                unknown.1 = k + 1;
            }
            unknown.0 += 1;
        }
    }
    Ok((spans, unknown))
}

fn check(number: usize, raw: Unchecked<'_>) -> Result<Span<'_>, String> {
    let service = raw.service?;
    let trace = required_id(raw.trace, "trace id", 16)?;
    let id = required_id(raw.id, "span id", 8)?;
    let parent = optional_id(raw.parent, "parent span id", 8)?;
    let (start, end) = raw.times?;
    let name = match raw.name.and_then(Loose::text) {
        Some(name) if !name.trim().is_empty() => name,
        _ => Cow::Owned(format!("span {number}")),
    };
    Ok(Span {
        number,
        service,
        trace,
        id,
        parent,
        name,
        kind: span_kind(raw.kind),
        start,
        end,
    })
}

/// A call from a span to a span of another service.
struct Call {
    parent: usize,
    child: usize,
    reply: bool,
}

/// Whether the parent waited for the child: a client's call to a server
/// always (the RPC and HTTP conventions); a message to a consumer never;
/// otherwise when the parent's end is not before the child's on their own
/// clocks.
fn synchronous(parent: &Span<'_>, child: &Span<'_>) -> bool {
    match (parent.kind, child.kind) {
        (SpanKind::Client, SpanKind::Server) => true,
        (SpanKind::Producer, _) | (_, SpanKind::Consumer) => false,
        _ => parent.end >= child.end,
    }
}

/// Reads an OpenTelemetry trace as a scenario. See the module docs and
/// `docs/otel.md`.
///
/// ```
/// let trace = r#"{"resourceSpans": [
///  {"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "web"}}]},
///   "scopeSpans": [{"spans": [{"traceId": "0af7651916cd43dd8448eb211c80319c",
///     "spanId": "b7ad6b7169203331", "name": "GET /", "kind": 3,
///     "startTimeUnixNano": "1700000000000000000", "endTimeUnixNano": "1700000000050000000"}]}]},
///  {"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "db"}}]},
///   "scopeSpans": [{"spans": [{"traceId": "0af7651916cd43dd8448eb211c80319c",
///     "spanId": "00f067aa0ba902b7", "parentSpanId": "b7ad6b7169203331", "name": "query",
///     "kind": 2, "startTimeUnixNano": 1700000000030000000, "endTimeUnixNano": 1700000000040000000}]}]}
/// ]}"#;
/// let t = hlcviz::otlp::import(trace).unwrap();
/// let s = &t.imported.scenario;
/// assert_eq!((s.nodes[0].name.as_str(), s.nodes[1].name.as_str()), ("web", "db"));
/// assert_eq!((s.messages.len(), s.events.len()), (2, 0), "request and reply");
/// // db's clock: between 20 ms behind and 10 ms ahead of web's (received
/// // 30 ms after the request left, replied 10 ms before the response came).
/// assert_eq!((t.offsets[1].lower, t.offsets[1].upper), (Some(-10_000_000), Some(30_000_000)));
/// ```
pub fn import(text: &str) -> Result<Traces, OtlpError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(OtlpError::TooLarge { bytes: text.len() });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut services = Services::default();
    let (raw, unknown) = read(text, &mut services)?;
    let mut reports = Reports::default();
    let mut skipped = 0usize;
    let mut first_problem: Option<String> = None;
    if unknown.0 > 0 {
        let text = format!(
            "{} JSON object(s) are neither an export request (`resourceSpans`) nor a span (`context`, `start_time`) and were not read (first: object {})",
            unknown.0, unknown.1
        );
        first_problem = Some(text.clone());
        reports.note(0, text);
    }
    let mut spans: Vec<Span<'_>> = Vec::new();
    let mut by_id: HashMap<(u128, u128), usize> = HashMap::new();
    for (k, raw) in raw.into_iter().enumerate() {
        let number = k + 1;
        let name = match &raw.name {
            Some(Loose::Str(s)) if !s.trim().is_empty() => format!(" (`{}`)", short(s)),
            _ => String::new(),
        };
        let problem = match check(number, raw) {
            Ok(span) => match by_id.get(&(span.trace, span.id)) {
                Some(&first) => Some(format!("its span id is span {}'s too", spans[first].number)),
                None => {
                    by_id.insert((span.trace, span.id), spans.len());
                    spans.push(span);
                    None
                }
            },
            Err(why) => Some(why),
        };
        if let Some(why) = problem {
            let text = format!("span {number}{name} not used: {why}");
            if first_problem.is_none() {
                first_problem = Some(text.clone());
            }
            skipped += 1;
            reports.note(number, text);
        }
    }
    if spans.is_empty() {
        return Err(OtlpError::NoSpans { first_problem });
    }

    // Parents in other services: calls.
    let mut calls: Vec<Call> = Vec::new();
    let mut orphans = (0usize, 0usize);
    for child in spans.iter_mut() {
        if child.end < child.start {
            reports.note(
                child.number,
                format!(
                    "span {} (`{}`) ends before it starts: its end is drawn at its start",
                    child.number,
                    short(&child.name)
                ),
            );
            child.end = child.start;
        }
    }
    for (c, child) in spans.iter().enumerate() {
        let Some(parent_id) = child.parent else {
            continue;
        };
        match by_id.get(&(child.trace, parent_id)) {
            None => {
                if orphans.0 == 0 {
                    orphans.1 = child.number;
                }
                orphans.0 += 1;
            }
            Some(&p) if spans[p].service != child.service => calls.push(Call {
                parent: p,
                child: c,
                reply: synchronous(&spans[p], child),
            }),
            Some(_) => {}
        }
    }
    if orphans.0 > 0 {
        reports.note(
            orphans.1,
            format!(
                "{} span(s) have a parent span that is not in the trace (first: span {}): each is drawn as a root, with no message",
                orphans.0, orphans.1
            ),
        );
    }
    let (evs, extra) = points(&spans, &calls);
    if extra.0 > 0 {
        reports.note(
            extra.1,
            format!(
                "{} event(s) added for spans that send or receive more than one message (first: span {}): a scenario event sends or receives one message, so each further request is drawn sent at its span's start and each further reply received at its span's end",
                extra.0, extra.1
            ),
        );
    }
    let replies = calls.iter().filter(|c| c.reply).count();
    let summary = format!(
        "{} span(s) of {} service(s) read{}: each span's start and end are events; {} call(s) across services are messages from the parent span's start to the child span's start, {} of them synchronous with a reply from the child's end to the parent's end.",
        spans.len(),
        services.names.len(),
        if skipped > 0 {
            format!(" ({skipped} not used, see below)")
        } else {
            String::new()
        },
        calls.len(),
        replies
    );
    let rec = recorded::build(evs, services.names, reports, &WORDS).map_err(OtlpError::Layout)?;
    let mut imported = rec.imported;
    imported.notes.insert(0, summary);
    Ok(Traces {
        imported,
        offsets: rec.offsets,
        offsets_consistent: rec.offsets_consistent,
        base_ms: rec.base_ms,
        events: rec.events,
        spans: spans.len(),
        calls: calls.len(),
        replies,
    })
}

/// The events of the spans, each service's in time order, with every call's
/// request and reply paired; and how many events were added (with the first
/// span that needed one).
fn points<'a>(spans: &[Span<'a>], calls: &[Call]) -> (Vec<Ev<'a>>, (usize, usize)) {
    struct Point<'a> {
        span: usize,
        wall_ns: i64,
        kind: Kind,
        partner: Option<usize>,
        msg: Option<Cow<'a, str>>,
    }
    // Per span: its start, added sends, added receives, its end.
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| (spans[i].start, spans[i].number));
    let mut sends: Vec<Vec<usize>> = vec![Vec::new(); spans.len()];
    let mut receives: Vec<Vec<usize>> = vec![Vec::new(); spans.len()];
    let mut has_caller = vec![false; spans.len()];
    let mut replies_to_caller = vec![false; spans.len()];
    let mut by_child_start: Vec<usize> = (0..calls.len()).collect();
    by_child_start.sort_by_key(|&k| (spans[calls[k].child].start, spans[calls[k].child].number));
    for &k in &by_child_start {
        let c = &calls[k];
        sends[c.parent].push(k);
        if c.reply {
            receives[c.parent].push(k);
            replies_to_caller[c.child] = true;
        }
        has_caller[c.child] = true;
    }
    let mut pts: Vec<Point<'a>> = Vec::with_capacity(spans.len() * 2 + calls.len() * 2);
    // Per call: its request's send and receive, its reply's send and receive.
    let mut ends: Vec<[Option<usize>; 4]> = vec![[None; 4]; calls.len()];
    let mut start_of = vec![0usize; spans.len()];
    let mut end_of = vec![0usize; spans.len()];
    let mut extra = (0usize, 0usize);
    let mut added = |span: &Span<'_>| {
        if extra.0 == 0 {
            extra.1 = span.number;
        }
        extra.0 += 1;
    };
    for &i in &order {
        let s = &spans[i];
        let point = |wall_ns| Point {
            span: i,
            wall_ns,
            kind: Kind::Local,
            partner: None,
            msg: None,
        };
        start_of[i] = pts.len();
        pts.push(point(s.start));
        for (n, &k) in sends[i].iter().enumerate() {
            if n == 0 && !has_caller[i] {
                ends[k][0] = Some(start_of[i]);
            } else {
                ends[k][0] = Some(pts.len());
                pts.push(point(s.start));
                added(s);
            }
        }
        let last_receive = receives[i].len().saturating_sub(1);
        for (n, &k) in receives[i].iter().enumerate() {
            if n == last_receive && !replies_to_caller[i] {
                // The span's end receives it (pushed below).
                ends[k][3] = Some(usize::MAX);
            } else {
                ends[k][3] = Some(pts.len());
                pts.push(point(s.end));
                added(s);
            }
        }
        end_of[i] = pts.len();
        pts.push(point(s.end));
        for &k in &receives[i] {
            if ends[k][3] == Some(usize::MAX) {
                ends[k][3] = Some(end_of[i]);
            }
        }
    }
    for (k, c) in calls.iter().enumerate() {
        ends[k][1] = Some(start_of[c.child]);
        if c.reply {
            ends[k][2] = Some(end_of[c.child]);
        }
        let name = &spans[c.child].name;
        for (send, recv) in [(ends[k][0], ends[k][1]), (ends[k][2], ends[k][3])] {
            let (Some(send), Some(recv)) = (send, recv) else {
                continue;
            };
            pts[send].kind = Kind::Send;
            pts[send].partner = Some(recv);
            pts[send].msg = Some(name.clone());
            pts[recv].kind = Kind::Recv;
            pts[recv].partner = Some(send);
            pts[recv].msg = Some(name.clone());
        }
    }
    // Each service's events in time order (ties keep the order above).
    let mut by_time: Vec<usize> = (0..pts.len()).collect();
    by_time.sort_by_key(|&p| pts[p].wall_ns);
    let mut new_index = vec![0usize; pts.len()];
    for (to, &from) in by_time.iter().enumerate() {
        new_index[from] = to;
    }
    let evs = by_time
        .iter()
        .map(|&p| {
            let pt = &pts[p];
            Ev {
                line: spans[pt.span].number,
                node: spans[pt.span].service,
                kind: pt.kind,
                wall_ns: pt.wall_ns,
                hlc: None,
                msg: pt.msg.clone(),
                partner: pt.partner.map(|q| new_index[q]),
            }
        })
        .collect();
    (evs, extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_hex_base64_and_console_form_agree() {
        let hex = id_bytes("b7ad6b7169203331", 8).unwrap();
        assert_eq!(hex, Some(0xb7ad_6b71_6920_3331));
        assert_eq!(id_bytes("0xb7ad6b7169203331", 8).unwrap(), hex);
        assert_eq!(id_bytes("t61rcWkgMzE=", 8).unwrap(), hex);
        assert_eq!(id_bytes("", 8).unwrap(), None);
        assert_eq!(id_bytes("0000000000000000", 8).unwrap(), None);
        assert!(id_bytes("b7ad6b71692033", 8).is_err());
        assert!(id_bytes("t61rcWkgM!E=", 8).is_err());
    }

    #[test]
    fn console_times_are_utc_nanoseconds() {
        assert_eq!(parse_iso("1970-01-01T00:00:00.000001Z"), Some(1_000));
        assert_eq!(
            parse_iso("2026-12-02T07:56:04.416730Z"),
            Some(1_796_198_164_416_730_000)
        );
        assert_eq!(
            parse_iso("2026-12-02T08:56:04.41673+01:00"),
            Some(1_796_198_164_416_730_000)
        );
        for bad in [
            "2026-13-02T07:56:04Z",
            "2026-12-02",
            "2026-12-02T07:56:04",
            "2026-12-02T07:56:04.1234567890Z",
            "9999-12-02T07:56:04Z",
            "2026-12-02T07:5x:04Z",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn kinds_in_every_spelling() {
        let k = |v| span_kind(Some(v));
        assert_eq!(k(Loose::U64(3)), SpanKind::Client);
        assert_eq!(k(Loose::Str("SPAN_KIND_SERVER".into())), SpanKind::Server);
        assert_eq!(
            k(Loose::Str("SpanKind.CONSUMER".into())),
            SpanKind::Consumer
        );
        assert_eq!(k(Loose::I64(-1)), SpanKind::Unspecified);
        assert_eq!(span_kind(None), SpanKind::Unspecified);
    }
}
