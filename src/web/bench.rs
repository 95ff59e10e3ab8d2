//! Benchmark entry points, for `bench/browser-bench.mjs` (run by
//! `scripts/bench.sh`) only. Nothing on the page calls them and `www/main.js`
//! does not put them on `window.hlcviz`: the bench script imports
//! `www/pkg/hlcviz.js` itself and calls the `bench_*` exports.
//!
//! Every timing is taken inside wasm with `performance.now()` (Chromium rounds it
//! to 0.1 ms without cross-origin isolation, so single frames below that are
//! noise; the script reports medians of many). The frame benches do what
//! `Page::frame` does (`scene::build` then `canvas::paint` on the page's
//! own canvas and context) synchronously, N times in a row, and then also force
//! the canvas to rasterise (`getImageData` of one pixel), so a figure includes
//! the pixels being made and not only the draw calls being recorded.

use super::{canvas, Page, PAGE};
use crate::app::{App, Edit};
use crate::generate::random_scenario;
use crate::scenario::Scenario;
use crate::{scene, sim};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

thread_local! {
    /// The scenario [`bench_replay`] replays: built once, in wasm memory, so
    /// neither generation nor JSON parsing is timed.
    static REPLAY_INPUT: RefCell<Option<Scenario>> = const { RefCell::new(None) };
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(f64::NAN, |p| p.now())
}

fn page() -> Result<Rc<Page>, JsValue> {
    PAGE.with(|p| p.borrow().clone())
        .ok_or_else(|| JsValue::from_str("bench: the page is not up"))
}

fn busy() -> JsValue {
    JsValue::from_str("bench: the app is borrowed (re-entrant call)")
}

/// Makes the canvas rasterise everything recorded so far: reading a pixel back
/// cannot be deferred. `getImageData` is reached through `Reflect` so the bench
/// needs no extra web-sys feature.
fn flush(context: &CanvasRenderingContext2d) {
    let get = js_sys::Reflect::get(context, &JsValue::from_str("getImageData"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(get) = get {
        let args = js_sys::Array::of4(&0.into(), &0.into(), &1.into(), &1.into());
        let _ = get.apply(context, &args);
    }
}

/// Median ms of `runs` calls of `step`. (An insertion sort: `slice::sort*`
/// would add another copy of the standard sort to the page's wasm.)
fn timed<T>(runs: u32, mut step: impl FnMut() -> T) -> f64 {
    let mut samples: Vec<f64> = Vec::with_capacity(runs.max(1) as usize);
    for _ in 0..runs.max(1) {
        let start = now();
        std::hint::black_box(step());
        let took = now() - start;
        let at = samples
            .iter()
            .position(|&s| s > took)
            .unwrap_or(samples.len());
        samples.insert(at, took);
    }
    samples[samples.len() / 2]
}

/// Generates the scenario [`bench_replay`] replays (`random_scenario(nodes,
/// messages, locals, seed)`) and keeps it in wasm memory; returns its event count.
#[wasm_bindgen]
pub fn bench_prepare_replay(nodes: u32, messages: u32, locals: u32, seed: u32) -> usize {
    let scenario = random_scenario(
        nodes as usize,
        messages as usize,
        locals as usize,
        u64::from(seed),
    );
    let events = scenario.event_count();
    REPLAY_INPUT.with(|s| *s.borrow_mut() = Some(scenario));
    events
}

/// Replays the prepared scenario `runs` times and returns each run's ms:
/// `sim::replay` (validation + replay, what every edit runs) when `validate`,
/// else `sim::replay_valid`.
#[wasm_bindgen]
pub fn bench_replay(runs: u32, validate: bool) -> Result<Vec<f64>, JsValue> {
    REPLAY_INPUT.with(|s| {
        let guard = s.borrow();
        let scenario = guard
            .as_ref()
            .ok_or_else(|| JsValue::from_str("bench: call bench_prepare_replay first"))?;
        let mut times = Vec::with_capacity(runs as usize);
        for _ in 0..runs {
            let start = now();
            let events = if validate {
                sim::replay(scenario)
                    .map_err(|e| JsValue::from_str(&e.to_string()))?
                    .events()
                    .len()
            } else {
                sim::replay_valid(scenario).events().len()
            };
            times.push(now() - start);
            std::hint::black_box(events);
        }
        Ok(times)
    })
}

/// Opens `random_scenario(nodes, messages, locals, seed)` on the page the way
/// the *Random execution* form does (`App::open`: one undo step, fitted view)
/// and lets the page sync its DOM; returns the event count.
#[wasm_bindgen]
pub fn bench_open(nodes: u32, messages: u32, locals: u32, seed: u32) -> Result<usize, JsValue> {
    let scenario = random_scenario(
        nodes as usize,
        messages as usize,
        locals as usize,
        u64::from(seed),
    );
    let events = scenario.event_count();
    super::with_app(|app| app.open(scenario, None))
        .ok_or_else(busy)?
        .map_err(|e| JsValue::from_str(&e))?;
    Ok(events)
}

/// Fits the view to every event (what *Fit* does).
#[wasm_bindgen]
pub fn bench_fit() -> Result<(), JsValue> {
    super::with_app(App::fit).ok_or_else(busy)
}

/// Shows real time `start_ms..end_ms` across the plot.
#[wasm_bindgen]
pub fn bench_set_window(start_ms: f64, end_ms: f64) -> Result<(), JsValue> {
    super::with_app(|app| {
        let width = app.viewport.plot_width();
        app.viewport.start_ms = start_ms;
        app.viewport.ms_per_px = ((end_ms - start_ms) / width).max(crate::layout::MIN_MS_PER_PX);
    })
    .ok_or_else(busy)
}

/// Selects the event at this trace index (causal colouring on), or nothing
/// when `index` is `None`.
#[wasm_bindgen]
pub fn bench_select(index: Option<usize>) -> Result<(), JsValue> {
    super::with_app(|app| app.select_index(index)).ok_or_else(busy)
}

/// What the current frame holds, as numbers (JSON would cost the page's wasm
/// more code): `events, nodes, view_start_ms, view_end_ms, css_width,
/// css_height, pixel_ratio, canvas_width, canvas_height, draws, rects, lines,
/// arrows, circles, texts, selected (-1: none)`.
#[wasm_bindgen]
pub fn bench_scene_stats() -> Result<Vec<f64>, JsValue> {
    let page = page()?;
    let app = page.app.try_borrow().map_err(|_| busy())?;
    let scene = scene::build(&app);
    let mut kinds = [0.0; 5];
    for draw in &scene {
        let k = match draw {
            scene::Draw::Rect { .. } => 0,
            scene::Draw::Line { .. } => 1,
            scene::Draw::Arrow { .. } => 2,
            scene::Draw::Circle { .. } => 3,
            scene::Draw::Text { .. } => 4,
        };
        kinds[k] += 1.0;
    }
    let vp = app.viewport;
    let mut out = vec![
        app.trace().events().len() as f64,
        app.scenario().nodes.len() as f64,
        vp.start_ms,
        vp.end_ms(),
        vp.width,
        vp.height,
        page.pixel_ratio.get(),
        f64::from(page.canvas.width()),
        f64::from(page.canvas.height()),
        scene.len() as f64,
    ];
    out.extend_from_slice(&kinds);
    out.push(app.selected_index().map_or(-1.0, |i| i as f64));
    Ok(out)
}

/// What each frame of [`bench_frames`] changes before drawing.
#[derive(Clone, Copy)]
enum Change {
    /// Nothing: a plain redraw.
    Redraw,
    /// Pan 40 px, alternately right and left.
    Pan,
    /// Zoom by 1.25 at the plot's centre, alternately in and out.
    Zoom,
    /// `App::apply_continuing(SetSkew)` on node 0, sweeping the skew as a slider
    /// drag does (consecutive edits share one undo step).
    Skew,
}

/// Times `frames` frames of one kind (`"redraw"`, `"pan"`, `"zoom"`, `"skew"`):
/// the change, then (when `sync_dom`) the page's DOM sync as after any edit
/// (`Panels::sync`: node rows, details, invariants, table, ...), then the
/// frame as the page draws it (`scene::build_band` and `canvas::paint_band`
/// with the rows its stage shows: all of them unless the canvas is taller
/// than the stage), and the forced raster.
///
/// Returns six numbers per frame, in ms: `total, change, dom_sync, build,
/// paint, raster`.
#[wasm_bindgen]
pub fn bench_frames(kind: &str, frames: u32, sync_dom: bool) -> Result<Vec<f64>, JsValue> {
    let change = match kind {
        "redraw" => Change::Redraw,
        "pan" => Change::Pan,
        "zoom" => Change::Zoom,
        "skew" => Change::Skew,
        other => {
            return Err(JsValue::from_str(&format!(
                "bench: no frame kind '{other}'"
            )))
        }
    };
    let page = page()?;
    let start_skew = {
        let app = page.app.try_borrow().map_err(|_| busy())?;
        app.scenario().nodes.first().map_or(0, |n| n.skew_ms)
    };
    let mut out = Vec::with_capacity(frames as usize * 6);
    for i in 0..frames {
        let sign = if i % 2 == 0 { 1.0 } else { -1.0 };
        let t0 = now();
        {
            let mut app = page.app.try_borrow_mut().map_err(|_| busy())?;
            match change {
                Change::Redraw => {}
                Change::Pan => app.viewport.pan_px(40.0 * sign),
                Change::Zoom => {
                    let x = crate::layout::GUTTER + app.viewport.plot_width() / 2.0;
                    app.viewport.zoom(1.25_f64.powf(sign), x);
                }
                Change::Skew => {
                    // A drag across the slider: 2 ms per input event, back and forth.
                    let step = i64::from(i % 200) - 100;
                    let skew_ms = (start_skew + 2 * (100 - step.abs())).clamp(-1_000, 1_000);
                    app.apply_continuing(Edit::SetSkew { node: 0, skew_ms })
                        .map_err(|e| JsValue::from_str(&e))?;
                }
            }
        }
        let t1 = now();
        if sync_dom {
            page.panel.sync(&page);
        }
        let t2 = now();
        let band = page.shown_band();
        let scene = {
            let app = page.app.try_borrow().map_err(|_| busy())?;
            scene::build_band(&app, band)
        };
        let t3 = now();
        canvas::paint_band(&page.context, &scene, page.pixel_ratio.get(), band);
        let t4 = now();
        flush(&page.context);
        let t5 = now();
        drop(scene);
        out.extend_from_slice(&[t5 - t0, t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4]);
    }
    if let Ok(mut app) = page.app.try_borrow_mut() {
        app.end_step();
    }
    page.changed();
    Ok(out)
}

/// Where the time of one skew-slider input goes on the page's current
/// scenario, as medians over `runs` (ms): cloning the scenario,
/// validating, replaying, the causal colouring of the selection, the invariant
/// checks the panel runs after every edit, the permalink the autosave encodes,
/// building the scene; plus the whole `apply_continuing(SetSkew)`. Returns
/// `events, clone, validate, replay, emphasis, invariants, permalink, build,
/// apply_continuing`.
#[wasm_bindgen]
pub fn bench_breakdown(runs: u32) -> Result<Vec<f64>, JsValue> {
    let page = page()?;
    let mut app = page.app.try_borrow_mut().map_err(|_| busy())?;
    let scenario = app.scenario().clone();
    let clone = timed(runs, || scenario.clone());
    let validate = timed(runs, || scenario.validate());
    let replay = timed(runs, || sim::replay_valid(&scenario));
    let trace = app.trace().clone();
    let emphasis = match app.selected_index() {
        Some(selected) => timed(runs, || {
            (
                crate::analysis::causal_past(&trace, selected),
                crate::analysis::causal_future(&trace, selected),
            )
        }),
        None => 0.0,
    };
    let invariants = timed(runs, || app.invariant_checks());
    let permalink = timed(runs, || app.permalink());
    let build = timed(runs, || scene::build(&app));
    let skew_ms = scenario.nodes.first().map_or(0, |n| n.skew_ms);
    let mut flip = false;
    let apply = timed(runs, || {
        flip = !flip;
        let skew_ms = if flip { skew_ms + 1 } else { skew_ms };
        app.apply_continuing(Edit::SetSkew { node: 0, skew_ms })
    });
    app.end_step();
    drop(app);
    page.changed();
    Ok(vec![
        trace.events().len() as f64,
        clone,
        validate,
        replay,
        emphasis,
        invariants,
        permalink,
        build,
        apply,
    ])
}

/// Bytes of wasm linear memory (`WebAssembly.Memory`'s `buffer.byteLength`):
/// it grows when the allocator needs more and never shrinks.
#[wasm_bindgen]
pub fn bench_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65_536) as f64
}

/// A ShiViz log (what *Share* → ShiViz log downloads, [`crate::shiviz::export`])
/// of `random_scenario(nodes, messages, locals, seed)`, for the import bench
/// to hand to this page and to ShiViz alike.
#[wasm_bindgen]
pub fn bench_shiviz_log(
    nodes: u32,
    messages: u32,
    locals: u32,
    seed: u32,
) -> Result<String, JsValue> {
    let scenario = random_scenario(
        nodes as usize,
        messages as usize,
        locals as usize,
        u64::from(seed),
    );
    let trace = sim::replay(&scenario).map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(crate::shiviz::export(&scenario, &trace))
}

/// Opens `text` as a file named `file_name` exactly as an upload does once
/// its bytes are read ([`super::files::open_bytes`]); the page draws it on its
/// next animation frame. Returns the notice it shows.
#[wasm_bindgen]
pub fn bench_import(text: &str, file_name: &str) -> Result<String, JsValue> {
    let page = page()?;
    super::files::open_bytes(&page, text.as_bytes(), file_name);
    let notice = super::read_app(|app| app.notice().map(|n| n.text.clone())).ok_or_else(busy)?;
    Ok(notice.unwrap_or_default())
}
