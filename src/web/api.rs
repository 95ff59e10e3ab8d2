//! The small JavaScript API behind `window.hlcviz` (wrapped in `www/main.js`):
//! read and replace the scenario, read the trace, and find where things are drawn.

use super::{read_app, with_app};
use crate::app::{Edit, Lesson};
use crate::exercise::Ask;
use crate::scenario::{EventRef, Scenario};
use wasm_bindgen::prelude::*;

/// The current scenario as JSON (the documented format).
#[wasm_bindgen]
pub fn scenario_json() -> String {
    read_app(|app| app.scenario().to_json()).unwrap_or_default()
}

/// Replaces the scenario with one given as JSON; throws a message naming the
/// problem if it is malformed or invalid (the current scenario is kept).
#[wasm_bindgen]
pub fn load_scenario_json(text: &str) -> Result<(), JsValue> {
    let scenario =
        Scenario::from_json(text).map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    let result = with_app(|app| {
        let result = app.apply(Edit::Replace(scenario));
        if result.is_ok() {
            app.fit();
        }
        result
    })
    .unwrap_or_else(|| Err("the page is busy; try again".into()));
    result.map_err(|e| JsValue::from(js_sys::Error::new(&e)))
}

/// Bytes of JSON [`trace_json_chunks`] gathers before handing them to JS.
const TRACE_CHUNK_BYTES: usize = 64 * 1024;

/// Hands JSON text to a JS function in UTF-8 chunks of about
/// [`TRACE_CHUNK_BYTES`] (a chunk may end inside a character: the receiver
/// decodes them as one stream).
struct ChunkSink<'a> {
    sink: &'a js_sys::Function,
    buffer: Vec<u8>,
}

impl ChunkSink<'_> {
    fn hand_over(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let bytes = js_sys::Uint8Array::from(self.buffer.as_slice());
        self.buffer.clear();
        self.sink
            .call1(&JsValue::NULL, &bytes)
            .map(|_| ())
            .map_err(|e| std::io::Error::other(e.as_string().unwrap_or_default()))
    }
}

impl std::io::Write for ChunkSink<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= TRACE_CHUNK_BYTES {
            self.hand_over()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.hand_over()
    }
}

/// The replayed trace as JSON (`hlcviz-trace/1`, as `hlcviz trace` prints it,
/// without the indentation), handed to `sink` as `Uint8Array` chunks of UTF-8
/// in order. Streamed event by event: the whole text (or report) never sits in
/// wasm memory, which grows and never shrinks, so one call costs a 100k-event
/// trace a few hundred KB of it instead of hundreds of MB.
#[wasm_bindgen]
pub fn trace_json_chunks(sink: &js_sys::Function) -> Result<(), JsValue> {
    let written = read_app(|app| {
        let mut out = ChunkSink {
            sink,
            buffer: Vec::with_capacity(TRACE_CHUNK_BYTES + 4096),
        };
        crate::report::write_trace_json(app.scenario(), app.trace(), &mut out, false)
            .map_err(|e| e.to_string())?;
        std::io::Write::flush(&mut out).map_err(|e| e.to_string())
    })
    .unwrap_or_else(|| Err("the page is busy; try again".into()));
    written.map_err(|e| JsValue::from(js_sys::Error::new(&e)))
}

fn event_ref(kind: &str, index: usize) -> Option<EventRef> {
    match kind {
        "local" => Some(EventRef::Local(index)),
        "send" => Some(EventRef::Send(index)),
        "recv" | "receive" => Some(EventRef::Recv(index)),
        _ => None,
    }
}

/// Where an event is drawn, `[x, y]` in CSS px from the canvas's top-left.
#[wasm_bindgen]
pub fn event_position(kind: &str, index: usize) -> Option<Vec<f64>> {
    let event = event_ref(kind, index)?;
    read_app(|app| crate::scene::event_position(app, event))
        .flatten()
        .map(|(x, y)| vec![x, y])
}

/// Screen x (CSS px) of a real time.
#[wasm_bindgen]
pub fn x_of_time(ms: f64) -> f64 {
    read_app(|app| app.layout().x_of(ms)).unwrap_or(f64::NAN)
}

/// Screen y (CSS px) of a node's line.
#[wasm_bindgen]
pub fn lane_y(node: usize) -> f64 {
    read_app(|app| app.layout().lane_y(node)).unwrap_or(f64::NAN)
}

/// The text of the last notice shown.
#[wasm_bindgen]
pub fn last_notice() -> Option<String> {
    read_app(|app| app.notice().map(|n| n.text.clone())).flatten()
}

/// The selection as JSON: `{"kind": "local" | "send" | "recv", "index": n}` or `null`.
#[wasm_bindgen]
pub fn selection_json() -> String {
    read_app(|app| serde_json::to_string(&app.selection()).unwrap_or_else(|_| "null".into()))
        .unwrap_or_else(|| "null".into())
}

/// The view as JSON: the visible real-time window, the canvas size, the
/// playback, presentation mode, whether the selection colours by causality,
/// what a press would do under the pointer, and the first-use hints.
#[wasm_bindgen]
pub fn view_json() -> String {
    read_app(|app| {
        let vp = app.viewport;
        serde_json::json!({
            "start_ms": vp.start_ms,
            "end_ms": vp.end_ms(),
            "ms_per_px": vp.ms_per_px,
            "width": vp.width,
            "height": vp.height,
            "playback": app.playback().map(|p| serde_json::json!({
                "cursor_ms": p.cursor_ms,
                "playing": p.playing,
            })),
            "presentation": app.presentation(),
            "causal": app.causal_colouring(),
            "affordance": app.affordance().id(),
            "hints": app.hints().to_text(),
            "hints_shown": app.hints().shown(),
            "snap_ms": app.snap_step_ms(),
            "clock_view": app.clock_view().id(),
            "read_only": app.read_only(),
        })
        .to_string()
    })
    .unwrap_or_else(|| "null".into())
}

/// The lesson under way as JSON, for tests and tools: `null`, or
/// `{"kind": "tour", "step": n, "of": N, "id", "title", "done", "edited",
/// "claims": [{"text", "fact"}], "marks": [trace indices], "nodes": [..]}`
/// (each fact as [`crate::tour::Fact::to_json`] writes it), or
/// `{"kind": "exercise", "code", "answered", "right", "finished",
/// "questions": [{"event", "ask"}], "hidden": [trace indices], "verdict"}`.
#[wasm_bindgen]
pub fn lesson_json() -> String {
    read_app(|app| {
        let marks = app.lesson_marks();
        let value = match app.lesson() {
            None => serde_json::Value::Null,
            Some(Lesson::Tour(at)) => {
                let step = at.step();
                serde_json::json!({
                    "kind": "tour",
                    "step": at.number,
                    "of": crate::tour::STEPS.len(),
                    "id": step.map(|s| s.id),
                    "title": step.map(|s| s.title),
                    "done": at.done,
                    "edited": app.revision() != at.opened_at,
                    "claims": step.map_or(&[][..], |s| s.claims).iter().map(|c| serde_json::json!({
                        "text": c.text,
                        "fact": c.fact.to_json(),
                    })).collect::<Vec<_>>(),
                    "marks": marks.events,
                    "nodes": marks.nodes,
                })
            }
            Some(Lesson::Exercise(p)) => serde_json::json!({
                "kind": "exercise",
                "code": p.exercise.code(),
                "answered": p.answered,
                "right": p.right,
                "finished": p.finished(),
                "questions": p.questions.iter().map(|q| serde_json::json!({
                    "event": q.event,
                    "ask": match q.ask { Ask::Timestamp => "timestamp", Ask::Rule => "rule" },
                })).collect::<Vec<_>>(),
                "hidden": (0..app.trace().events().len()).filter(|&i| app.hides(i)).collect::<Vec<_>>(),
                "verdict": p.verdict.as_ref().map(|v| serde_json::json!({"right": v.right, "text": v.text})),
            }),
        };
        value.to_string()
    })
    .unwrap_or_else(|| "null".into())
}
