//! Replay benchmark: a deterministic random scenario of 100,000 events over 32
//! nodes (20,000 local events + 40,000 messages), timed end to end; then the
//! native cost of the page's per-frame work (`scene::build` and a skew-slider
//! edit) on the scenarios `bench/browser-bench.mjs` times in the browser, so a
//! slow browser figure can be split into "the Rust is slow" and "wasm or the
//! canvas is slow"; then the database lens (`kv::evaluate`) on 20,000 events
//! of which half are puts and gets.
//!
//! Run with `cargo run --release --example replay_bench`. Optional arguments:
//! `NODES MESSAGES LOCALS SEED RUNS` (defaults `32 40000 20000 1 7`), and
//! `--machine` to end with one `BENCH<TAB>key<TAB>ms` line per figure (what
//! `scripts/bench.sh` reads).
//!
//! Every timed step runs `RUNS` times and the median is printed, so one slow
//! run (a page fault storm, another process) does not move the result.

use hlcviz::app::{App, Edit};
use hlcviz::generate::{random_kv_scenario, random_scenario};
use hlcviz::kv;
use hlcviz::layout::Layout;
use hlcviz::report;
use hlcviz::scene;
use hlcviz::sim::{self, TraceEvent};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn median<T>(runs: usize, mut step: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let out = black_box(step());
        times.push(start.elapsed());
        last = Some(out);
    }
    times.sort_unstable();
    // `runs.max(1)` iterations ran, so `last` is set.
    (times[times.len() / 2], last.expect("at least one run"))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn arg(args: &[String], i: usize, default: u64) -> u64 {
    match args.get(i) {
        None => default,
        Some(text) => text.parse().unwrap_or_else(|_| {
            eprintln!(
                "replay_bench: argument {} ('{text}') is not a number",
                i + 1
            );
            std::process::exit(64);
        }),
    }
}

/// The canvas the browser bench gets in a 1280 x 800 window: the plot column's
/// width, and the height the page gives `nodes` lines (see `web::Page::resize`).
fn page_like_app(scenario: hlcviz::scenario::Scenario) -> App {
    let nodes = scenario.nodes.len();
    let mut app = App::new(scenario);
    let height = (800.0_f64 - 90.0)
        .max(Layout::content_height(nodes))
        .max(300.0)
        .min(34.0 + 40.0 + nodes as f64 * 118.0)
        .round();
    app.resize(902.0, height);
    app.fit();
    app
}

/// Median ms of `runs` frames of `frame`, each given its frame number.
fn frames(runs: usize, mut frame: impl FnMut(usize)) -> Duration {
    let mut i = 0;
    median(runs, || {
        frame(i);
        i += 1;
    })
    .0
}

/// Native figures for the page's frame work; returns `(key, label, time)` rows.
fn frame_figures(runs: usize) -> Vec<(&'static str, String, Duration)> {
    let runs = runs.max(15);
    let mut rows = Vec::new();

    let mut small = page_like_app(random_scenario(8, 4_000, 2_000, 1));
    let n = small.trace().events().len();
    let redraw = frames(runs, |_| {
        black_box(scene::build(&small));
    });
    rows.push((
        "scene_build_10k_ms",
        format!("scene::build, {n} events fitted"),
        redraw,
    ));
    let skew = frames(runs, |i| {
        let skew_ms = 2 * (100 - (i as i64 % 200 - 100).abs());
        small
            .apply_continuing(Edit::SetSkew { node: 0, skew_ms })
            .expect("a skew in range is valid");
        black_box(scene::build(&small));
    });
    rows.push((
        "skew_frame_10k_ms",
        format!("apply_continuing(SetSkew) + build, {n}"),
        skew,
    ));
    small.end_step();

    // The 64-node skew slider: the edit alone, then the frame built after it.
    let mut wide = page_like_app(random_scenario(64, 8_000, 4_000, 1));
    let n = wide.trace().events().len();
    let wide_skew = frames(runs, |i| {
        let skew_ms = 2 * (100 - (i as i64 % 200 - 100).abs());
        wide.apply_continuing(Edit::SetSkew { node: 0, skew_ms })
            .expect("a skew in range is valid");
    });
    rows.push((
        "skew_apply_64n_20k_ms",
        format!("apply_continuing(SetSkew), 64 nodes, {n}"),
        wide_skew,
    ));
    wide.end_step();
    let wide_build = frames(runs, |_| {
        black_box(scene::build(&wide));
    });
    rows.push((
        "scene_build_64n_20k_ms",
        format!("scene::build, 64 nodes, {n} fitted"),
        wide_build,
    ));

    let mut big = page_like_app(random_scenario(32, 40_000, 20_000, 1));
    let n = big.trace().events().len();
    let pan_all = frames(runs, |i| {
        big.viewport.pan_px(if i % 2 == 0 { 40.0 } else { -40.0 });
        black_box(scene::build(&big));
    });
    rows.push((
        "pan_all_100k_ms",
        format!("pan + build, all {n} in view"),
        pan_all,
    ));
    let (first, last) = big.time_span();
    let middle = (first + last) as f64 / 2.0;
    let window = (last - first) as f64 / 100.0;
    big.viewport.start_ms = middle - window / 2.0;
    big.viewport.ms_per_px = window / big.viewport.plot_width();
    let pan_window = frames(runs, |i| {
        big.viewport.pan_px(if i % 2 == 0 { 40.0 } else { -40.0 });
        black_box(scene::build(&big));
    });
    rows.push((
        "pan_window_100k_ms",
        format!("pan + build, 1/100 of {n} in view"),
        pan_window,
    ));
    rows
}

/// The database lens on a large scenario: 8 nodes, 5,000 messages (a quarter
/// carrying puts) and 10,000 local events, each a put or a get over 16 keys,
/// with a 250 ms max offset (the generator's clocks are up to 400 ms apart,
/// so there are restarts and stale reads). Returns `(key, label, time)` rows.
fn kv_figures(runs: usize) -> Vec<(&'static str, String, Duration)> {
    let mut scenario = random_kv_scenario(8, 5_000, 10_000, 16, 1);
    scenario.settings.max_offset_ms = Some(250);
    let (replay, trace) = median(runs, || sim::replay_valid(&scenario));
    let (evaluate, run) = median(runs, || kv::evaluate(&scenario, &trace));
    let (both, _) = median(runs, || {
        let trace = sim::replay_valid(&scenario);
        kv::evaluate(&scenario, &trace)
    });
    let restarts: usize = run.reads.iter().map(|r| r.restarts()).sum();
    let n = trace.events().len();
    let what = format!(
        "{} puts applied, {} gets, {restarts} restarts, {} stale",
        run.versions.len(),
        run.reads.len(),
        run.stale_reads()
    );
    vec![
        (
            "kv_replay_20k_ms",
            format!("replay, {n} events ({what})"),
            replay,
        ),
        (
            "kv_evaluate_20k_ms",
            format!("kv::evaluate, {n} events"),
            evaluate,
        ),
        (
            "kv_replay_evaluate_20k_ms",
            format!("replay + kv::evaluate, {n}"),
            both,
        ),
    ]
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let machine = args.iter().any(|a| a == "--machine");
    args.retain(|a| a != "--machine");
    let nodes = arg(&args, 0, 32) as usize;
    let messages = arg(&args, 1, 40_000) as usize;
    let locals = arg(&args, 2, 20_000) as usize;
    let seed = arg(&args, 3, 1);
    let runs = arg(&args, 4, 7).max(1) as usize;

    let (build, scenario) = median(runs, || random_scenario(nodes, messages, locals, seed));
    let (validate, valid) = median(runs, || scenario.validate());
    if let Err(e) = valid {
        eprintln!("replay_bench: generated scenario is invalid: {e}");
        std::process::exit(1);
    }
    let (replay, trace) = median(runs, || sim::replay_valid(&scenario));
    let (full, _) = median(runs, || sim::replay(&scenario));
    let (view, json_len) = median(runs, || {
        let view = report::trace_report(&scenario, &trace);
        serde_json::to_vec(&view).map_or(0, |bytes| bytes.len())
    });

    let events = trace.events().len();
    let n = trace.node_count();
    // The trace's heap: events, the flat vector-clock table (n u32 per event),
    // the per-node index lists and the scenario-to-trace index maps (one usize
    // per event each).
    let trace_bytes = std::mem::size_of_val(trace.events())
        + events * n * std::mem::size_of::<u32>()
        + events * std::mem::size_of::<usize>() * 2;
    // While replaying, the sort order (time, node, event) also lives.
    let order_bytes = events * std::mem::size_of::<(i64, usize, hlcviz::scenario::EventRef)>();
    let per_second = events as f64 / replay.as_secs_f64();

    println!(
        "replay_bench: {nodes} nodes, {} messages, {} local events = {events} events, seed {seed}, median of {runs} runs",
        scenario.messages.len(),
        scenario.events.len(),
    );
    println!("{:<34} {:>14}", "step", "time");
    println!("{:<34} {:>14}", "generate scenario", ms(build));
    println!("{:<34} {:>14}", "validate", ms(validate));
    println!("{:<34} {:>14}", "replay (replay_valid)", ms(replay));
    println!("{:<34} {:>14}", "validate + replay (replay)", ms(full));
    println!("{:<34} {:>14}", "report + compact JSON", ms(view));
    println!();
    println!("{:<34} {:>14.0}", "replay events/s", per_second);
    println!(
        "{:<34} {:>14}",
        "size_of TraceEvent",
        format!("{} B", std::mem::size_of::<TraceEvent>())
    );
    println!("{:<34} {:>14}", "trace memory (estimate)", mib(trace_bytes));
    println!(
        "{:<34} {:>14}",
        "peak during replay (estimate)",
        mib(trace_bytes + order_bytes)
    );
    println!("{:<34} {:>14}", "compact JSON report", mib(json_len));

    let frame_rows = frame_figures(runs);
    println!();
    println!(
        "page frame work, native (no canvas), median of {} runs",
        runs.max(15)
    );
    for (_, label, time) in &frame_rows {
        println!("{label:<42} {:>14}", ms(*time));
    }

    let kv_rows = kv_figures(runs);
    println!();
    println!("database lens, median of {runs} runs");
    for (_, label, time) in &kv_rows {
        println!("{label:<42} {:>14}", ms(*time));
    }

    if machine {
        let secs = |d: Duration| d.as_secs_f64() * 1e3;
        println!();
        for (key, value) in [
            ("events", events as f64),
            ("validate_ms", secs(validate)),
            ("replay_valid_ms", secs(replay)),
            ("replay_ms", secs(full)),
        ] {
            println!("BENCH\t{key}\t{value:.3}");
        }
        for (key, _, time) in frame_rows.iter().chain(&kv_rows) {
            println!("BENCH\t{key}\t{:.3}", secs(*time));
        }
    }
}
