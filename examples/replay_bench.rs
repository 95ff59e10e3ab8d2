//! Replay benchmark: a deterministic random scenario of 100,000 events over 32
//! nodes (20,000 local events + 40,000 messages), timed end to end.
//!
//! Run with `cargo run --release --example replay_bench`. Optional arguments:
//! `NODES MESSAGES LOCALS SEED RUNS` (defaults `32 40000 20000 1 7`).
//!
//! Every timed step runs `RUNS` times and the median is printed, so one slow
//! run (a page fault storm, another process) does not move the result.

use hlcviz::generate::random_scenario;
use hlcviz::report;
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
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
}
