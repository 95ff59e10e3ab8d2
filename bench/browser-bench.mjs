#!/usr/bin/env node
// bench/browser-bench.mjs - the page's performance figures, measured in headless
// Chromium (Debian's, through playwright-core and tests/e2e/harness.mjs), printed
// as one table with each target and PASS/MISS. Normally run by scripts/bench.sh,
// which builds the release page first; a MISS never fails the run (exit 0), an
// error does (exit 1).
//
// Usage: node bench/browser-bench.mjs [options]
//   --root DIR        directory to serve (default: the repo root; bench.sh passes
//                     a copy of index.html + www/ taken right after its build, so
//                     a concurrent debug rebuild of www/pkg cannot leak in)
//   --native FILE     output of `cargo run --release --example replay_bench --
//                     --machine`; its BENCH lines become rows of the table
//   --build-log FILE  output of scripts/build-web.sh (says whether wasm-opt ran)
//   --quick           fewer runs (a smoke test of the script, not a measurement)
//   --json FILE       also write every figure as JSON (default target/bench/last.json)
//   --shiviz DIR      a ShiViz checkout (index.html at its top) to time beside
//                     this page on the same logs (scripts/bench.sh obtains it)
//   --shiviz-missing WHY  without --shiviz, the ShiViz rows say "not measured: WHY"
//   -h, --help        this text
//
// What is timed, and how (every in-page figure is performance.now(), which
// Chromium rounds to 0.1 ms here):
//   replay      bench_replay(): sim::replay_valid / sim::replay on a scenario
//               generated inside wasm (no JSON parsing), timed inside wasm.
//   frames      bench_frames(): the change (none / pan / zoom / SetSkew), then
//               scene::build and canvas::paint on the page's own canvas, then a
//               1-pixel getImageData so the canvas really rasterises; timed
//               inside wasm, synchronously, N frames in a row.
//   slider DOM  a real `input` event dispatched on the real .skew-slider: time of
//               the page's handler (apply + DOM sync) + the page's own rAF frame
//               (bracketed by a rAF registered before the event and one after)
//               + forced raster; and the latency input -> pixels, which also
//               waits for the next vsync (up to 16.7 ms more).
//   first draw  a fresh browser context with the cache disabled (CDP
//               Network.setCacheDisabled), navigation start (performance
//               timeOrigin) -> the end of the first frame painted on #diagram:
//               an init script wraps CanvasRenderingContext2D.fillRect, and on
//               the first call on #diagram queues a microtask (which runs right
//               after that frame's paint) that forces raster and reads the clock.
//               The same init script wraps WebAssembly.instantiate(Streaming) and
//               the window.hlcviz setter, so the note splits the time into fetch,
//               compile, mount (start) and first frame.
//               Error: + up to one vsync until the compositor shows it.
//   pan/zoom    also per size (1k to 200k events, 32 nodes, all in view): the
//               worse of the pan and the zoom medians of bench_frames.
//   memory      bench_memory_bytes() (wasm linear memory, which never shrinks)
//               in a fresh page after bench_open + two animation frames; and
//               around one window.hlcviz.getTrace() call.
//   import      the same ShiViz log (shiviz::export of a random execution,
//               bench_shiviz_log) given to this page and to ShiViz, runs
//               interleaved, each on a freshly loaded page. Ours: bench_import
//               (files::open_bytes, what an upload runs once the file is read)
//               until the page's next frame has painted (a rAF registered after
//               the import runs after the page's own) + forced raster. ShiViz:
//               the log into #input and its default expression into #parser,
//               #visualize clicked, until circles are in #vizContainer's SVG,
//               then one animation frame.
//   size        gzip -9 of every file the page downloaded on a cold load (the
//               server's request log), which must be index.html, www/style.css,
//               www/main.js, www/pkg/hlcviz.js and www/pkg/hlcviz_bg.wasm.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, collectErrors, launchBrowser, startServer, waitForApp } from '../tests/e2e/harness.mjs';

// ------------------------------------------------------------------ options
function usage() {
  const text = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  const lines = [];
  for (const line of text.slice(1)) {
    if (!line.startsWith('//')) break;
    lines.push(line.replace(/^\/\/ ?/, ''));
  }
  return lines.join('\n');
}

const opts = { root: REPO_ROOT, native: null, buildLog: null, quick: false, json: null, shiviz: null, shivizMissing: null };
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${a} needs a value`, 2);
      return argv[++i];
    };
    if (a === '--root') opts.root = path.resolve(value());
    else if (a === '--native') opts.native = value();
    else if (a === '--build-log') opts.buildLog = value();
    else if (a === '--json') opts.json = value();
    else if (a === '--shiviz') opts.shiviz = path.resolve(value());
    else if (a === '--shiviz-missing') opts.shivizMissing = value();
    else if (a === '--quick') opts.quick = true;
    else if (a === '-h' || a === '--help') {
      console.log(usage());
      process.exit(0);
    } else fail(`unknown argument '${a}'\n${usage()}`, 2);
  }
}
opts.json ??= path.join(REPO_ROOT, 'target', 'bench', 'last.json');

function fail(message, code = 1) {
  console.error(`browser-bench: ERROR: ${message}`);
  process.exit(code);
}

function say(message) {
  console.error(`browser-bench: ${message}`);
}

// Sizes of the scenarios. The 10k one is what the page's "Random execution"
// form makes for 4,000 messages (locals = messages / 2) on 8 nodes.
const RUNS = opts.quick
  ? { replay: 3, frames: 8, dom: 6, cold: 2, import: 2 }
  : { replay: 11, frames: 60, dom: 30, cold: 7, import: 5 };
const SMALL = { nodes: 8, messages: 4_000, locals: 2_000, seed: 1 }; // 10,000 events
const BIG = { nodes: 32, messages: 40_000, locals: 20_000, seed: 1 }; // 100,000 events
const BIG8 = { ...BIG, nodes: 8 }; // 100,000 events on 8 nodes: the pan/zoom budget's
/** `events` events on `nodes` nodes, shaped like the others (messages = 2/5, locals = 1/5). */
const sized = (events, nodes) => ({ nodes, messages: (events * 2) / 5, locals: events / 5, seed: 1 });
const PANZOOM_SIZES = [1_000, 10_000, 50_000, 100_000, 200_000]; // on 32 nodes
const MEMORY_SIZES = [100_000, 200_000]; // on 32 nodes
const IMPORT_SIZES = [100, 1_000, 5_000, 20_000]; // on 8 nodes
const SHIVIZ_REGEX = '(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})'; // ShiViz's default (js/shiviz.js)
const PAGE_FILES = ['index.html', 'www/style.css', 'www/main.js', 'www/pkg/hlcviz.js', 'www/pkg/hlcviz_bg.wasm'];
const VIEWPORT = { width: 1280, height: 800 };

// Runs in the page: names the numbers bench_scene_stats / bench_breakdown return.
function pageHelpers() {
  const STATS = ['events', 'nodes', 'view_start_ms', 'view_end_ms', 'css_width', 'css_height', 'pixel_ratio',
    'canvas_width', 'canvas_height', 'draws', 'rects', 'lines', 'arrows', 'circles', 'texts', 'selected'];
  const BREAKDOWN = ['events', 'clone_ms', 'validate_ms', 'replay_ms', 'emphasis_ms', 'invariants_ms',
    'permalink_ms', 'build_ms', 'apply_continuing_ms'];
  const named = (names, values) => Object.fromEntries(names.map((n, i) => [n, values[i]]));
  window.__sceneStats = () => named(STATS, Array.from(window.__bench.bench_scene_stats()));
  window.__breakdown = (runs) => named(BREAKDOWN, Array.from(window.__bench.bench_breakdown(runs)));
  // Opens a random execution, fits it, then times `frames` frames of each kind
  // of bench_frames in `kinds`, refitting after; returns the times by kind.
  window.__openAndTime = (s, kinds, frames) => {
    const b = window.__bench;
    const events = b.bench_open(s.nodes, s.messages, s.locals, s.seed);
    b.bench_fit();
    const stats = window.__sceneStats();
    b.bench_frames(kinds[0], 5, false); // warm up
    const times = Object.fromEntries(kinds.map((k) => [k, Array.from(b.bench_frames(k, frames, false))]));
    b.bench_fit();
    return { events, stats, ...times };
  };
}

// ---------------------------------------------------------------- statistics
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const quantile = (xs, q) => {
  const s = sorted(xs);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const median = (xs) => quantile(xs, 0.5);
const p95 = (xs) => quantile(xs, 0.95);
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

/** Splits bench_frames' flat output into columns, each with median and p95. */
function frameStats(flat) {
  const names = ['total', 'change', 'dom_sync', 'build', 'paint', 'raster'];
  const cols = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i + names.length <= flat.length; i += names.length) {
    names.forEach((n, k) => cols[n].push(flat[i + k]));
  }
  const out = { frames: cols.total.length };
  for (const n of names) out[n] = { median: median(cols[n]), p95: p95(cols[n]) };
  return out;
}

const breakdownText = (s) =>
  `change ${f2(s.change.median)}, ` +
  (s.dom_sync.median > 0 ? `DOM sync ${f2(s.dom_sync.median)}, ` : '') +
  `build ${f2(s.build.median)}, paint ${f2(s.paint.median)}, raster ${f2(s.raster.median)} ms`;

// ---------------------------------------------------------------------- rows
const rows = [];
// Rows are printed grouped in the order of the targets, whatever order they are measured in.
const GROUPS = ['replay', 'redraw', 'pan/zoom', 'skew', 'select', 'table', 'memory', 'import', 'size', 'first draw', 'native'];
let group = 'replay';
/**
 * A table row: `value <= target` passes (`value >= target` when `atLeast`); a
 * row without a target is information.
 */
function row(name, value, unit, target, note = '', atLeast = false) {
  const pass = atLeast ? value >= target : value <= target;
  const verdict = target == null ? 'info' : pass ? 'PASS' : 'MISS';
  rows.push({ group, name, value, unit, target, note, verdict, atLeast });
}

// -------------------------------------------------------------- page helpers
async function newPage(browser, { cacheDisabled = false, initScript = null } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const errors = collectErrors(page);
  if (cacheDisabled) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  }
  if (initScript) await page.addInitScript(initScript);
  return { context, page, errors };
}

/** Imports the page's own wasm-bindgen module (the instance main.js initialised). */
async function importBench(page) {
  await page.evaluate(async () => {
    const url = new URL('www/pkg/hlcviz.js', document.baseURI).href;
    window.__bench = await import(url);
    if (typeof window.__bench.bench_frames !== 'function') {
      throw new Error('www/pkg has no bench_* exports: rebuild with scripts/build-web.sh --release');
    }
  });
  await page.evaluate(pageHelpers);
}

// Runs in the page: times `count` real DOM events fired by `fire(i)`, each until
// the page has painted the frame it requested. See the header for the method.
async function domPathInPage({ count, kind }) {
  const canvas = document.getElementById('diagram');
  const ctx = canvas.getContext('2d');
  const raf = () => new Promise((resolve) => requestAnimationFrame(resolve));
  let fire;
  let finish = () => {};
  if (kind === 'skew') {
    const slider = document.querySelector('.skew-slider');
    if (!slider) throw new Error('no .skew-slider on the page');
    const start = Number(slider.value);
    fire = (i) => {
      // A drag: 2 ms per input event, back and forth around the start value.
      const step = (i % 200) - 100;
      slider.value = String(Math.max(-1000, Math.min(1000, start + 2 * (100 - Math.abs(step)))));
      slider.dispatchEvent(new Event('input', { bubbles: true }));
    };
    finish = () => slider.dispatchEvent(new Event('change', { bubbles: true }));
  } else if (kind === 'wheel') {
    const rect = canvas.getBoundingClientRect();
    fire = (i) =>
      canvas.dispatchEvent(
        new WheelEvent('wheel', {
          bubbles: true,
          cancelable: true,
          clientX: rect.left + rect.width / 2,
          clientY: rect.top + 60,
          deltaY: i % 2 === 0 ? -100 : 100,
          deltaMode: 0,
        }),
      );
  } else throw new Error(`no DOM path '${kind}'`);
  await raf();
  await raf();
  const out = [];
  for (let i = 0; i < count; i++) {
    let before = NaN;
    requestAnimationFrame(() => {
      before = performance.now(); // runs just before the page's own frame callback
    });
    const t0 = performance.now();
    fire(i);
    const t1 = performance.now();
    const [after, painted] = await new Promise((resolve) =>
      requestAnimationFrame(() => {
        const a = performance.now(); // runs just after the page's frame callback
        ctx.getImageData(0, 0, 1, 1); // make the pixels
        resolve([a, performance.now()]);
      }),
    );
    out.push({ handler: t1 - t0, frame: after - before, raster: painted - after, latency: painted - t0 });
    await raf(); // let the browser composite before the next event
  }
  finish();
  return out;
}

function domStats(samples) {
  const col = (k) => samples.map((s) => s[k]);
  const work = samples.map((s) => s.handler + s.frame + s.raster);
  return {
    n: samples.length,
    work: { median: median(work), p95: p95(work) },
    handler: { median: median(col('handler')), p95: p95(col('handler')) },
    frame: { median: median(col('frame')), p95: p95(col('frame')) },
    raster: { median: median(col('raster')), p95: p95(col('raster')) },
    latency: { median: median(col('latency')), p95: p95(col('latency')) },
  };
}

// ------------------------------------------------------------------- benches
async function benchInPage(browser, server, results) {
  const { context, page, errors } = await newPage(browser);
  try {
    await page.goto(server.url, { waitUntil: 'load' });
    await waitForApp(page);
    await importBench(page);

    // --- replay, 100k events over 32 nodes, inside wasm
    group = 'replay';
    say('replay: 100,000 events over 32 nodes');
    const replay = await page.evaluate(({ big, runs }) => {
      const b = window.__bench;
      const events = b.bench_prepare_replay(big.nodes, big.messages, big.locals, big.seed);
      b.bench_replay(2, false); // warm up: grow the wasm memory once
      return {
        events,
        replay_valid: Array.from(b.bench_replay(runs, false)),
        replay: Array.from(b.bench_replay(runs, true)),
      };
    }, { big: BIG, runs: RUNS.replay });
    results.replay = {
      events: replay.events,
      replay_valid: { median: median(replay.replay_valid), min: Math.min(...replay.replay_valid), runs: replay.replay_valid },
      replay: { median: median(replay.replay), min: Math.min(...replay.replay), runs: replay.replay },
    };
    row(`replay ${replay.events.toLocaleString('en')} events / 32 nodes, wasm (sim::replay_valid)`,
      results.replay.replay_valid.median, 'ms', 20,
      `median of ${RUNS.replay}, min ${f1(results.replay.replay_valid.min)}`);
    row('  validate + replay, wasm (sim::replay, what every edit runs)',
      results.replay.replay.median, 'ms', 20, `median of ${RUNS.replay}`);

    // --- redraw with 10k events visible
    group = 'redraw';
    say('redraw: 10,000 events, fitted');
    const small = await page.evaluate(({ s, frames }) => window.__openAndTime(s, ['redraw'], frames),
      { s: SMALL, frames: RUNS.frames });
    const redraw = frameStats(small.redraw);
    results.redraw = { scene: small.stats, ...redraw };
    row(`redraw, ${small.events.toLocaleString('en')} events fitted (build + paint + raster), median`,
      redraw.total.median, 'ms', 8,
      `${small.stats.nodes} nodes, ${small.stats.draws} draws (${small.stats.arrows} arrows, ${small.stats.rects} rects, ${small.stats.circles} dots); ${breakdownText(redraw)}`);
    row('  redraw, same, p95', redraw.total.p95, 'ms', 8, `${redraw.frames} frames`);

    // --- skew slider on 10k events: apply_continuing + build + paint
    group = 'skew';
    say('skew slider: 10,000 events');
    const skew = await page.evaluate(({ frames }) => {
      const b = window.__bench;
      b.bench_frames('skew', 3, false); // warm up
      const plain = Array.from(b.bench_frames('skew', frames, false));
      const synced = Array.from(b.bench_frames('skew', frames, true));
      const breakdown = window.__breakdown(7);
      return { plain, synced, breakdown };
    }, { frames: Math.max(10, Math.round(RUNS.frames / 2)) });
    const skewPlain = frameStats(skew.plain);
    const skewSynced = frameStats(skew.synced);
    results.skew = { plain: skewPlain, dom_sync: skewSynced, breakdown: skew.breakdown };
    const bd = skew.breakdown;
    row('skew drag, 10k: apply_continuing(SetSkew) + build + paint, median',
      skewPlain.total.median, 'ms', 16,
      `${breakdownText(skewPlain)}; inside apply: clone ${f2(bd.clone_ms)}, validate ${f2(bd.validate_ms)}, replay ${f2(bd.replay_ms)} ms`);
    row('  same + the DOM sync of every edit (Panel::sync)', skewSynced.total.median, 'ms', 16,
      `${breakdownText(skewSynced)}; invariant checks ${f2(bd.invariants_ms)} ms`);

    // the real DOM path: input events on the real slider
    say('skew slider: real input events');
    const domSkew = domStats(await page.evaluate(domPathInPage, { count: RUNS.dom, kind: 'skew' }));
    results.skew.dom = domSkew;
    row('  real `input` on .skew-slider: handler + frame + raster, median', domSkew.work.median, 'ms', 16,
      `handler ${f2(domSkew.handler.median)} (apply + DOM sync), frame ${f2(domSkew.frame.median)}, raster ${f2(domSkew.raster.median)}; p95 ${f1(domSkew.work.p95)}`);
    row('  real `input` on .skew-slider: input -> pixels latency (incl. vsync wait)', domSkew.latency.median, 'ms', null,
      `p95 ${f1(domSkew.latency.p95)}; the wait for the next frame is up to 16.7 ms of it`);

    // with a selection (causal colouring recomputed on every edit)
    const selected = await page.evaluate(({ frames }) => {
      const b = window.__bench;
      const stats = window.__sceneStats();
      b.bench_select(Math.floor(stats.events / 2));
      const plain = Array.from(b.bench_frames('skew', frames, false));
      const breakdown = window.__breakdown(5);
      b.bench_select(undefined);
      return { plain, breakdown };
    }, { frames: Math.max(10, Math.round(RUNS.frames / 3)) });
    const skewSelected = frameStats(selected.plain);
    results.skew.selected = { ...skewSelected, breakdown: selected.breakdown };
    row('  skew drag with an event selected (causal colouring), median', skewSelected.total.median, 'ms', 16,
      `${breakdownText(skewSelected)}; causal past+future ${f2(selected.breakdown.emphasis_ms)} ms`);

    // --- pan and zoom with 100k events
    group = 'pan/zoom';
    say('pan/zoom: 100,000 events on 8 nodes');
    const big = await page.evaluate(({ big, frames }) => {
      const b = window.__bench;
      const { events, stats: all, pan: panAll, zoom: zoomAll } = window.__openAndTime(big, ['pan', 'zoom'], frames);
      const middle = (all.view_start_ms + all.view_end_ms) / 2;
      const width = (all.view_end_ms - all.view_start_ms) / 100;
      b.bench_set_window(middle - width / 2, middle + width / 2);
      const win = window.__sceneStats();
      const panWindow = Array.from(b.bench_frames('pan', frames, false));
      const zoomWindow = Array.from(b.bench_frames('zoom', frames, false));
      b.bench_fit();
      return { events, all, win, panAll, zoomAll, panWindow, zoomWindow };
    }, { big: BIG8, frames: Math.max(10, Math.round(RUNS.frames / 2)) });
    const panAll = frameStats(big.panAll);
    const zoomAll = frameStats(big.zoomAll);
    const panWin = frameStats(big.panWindow);
    const zoomWin = frameStats(big.zoomWindow);
    results.panzoom = { all: big.all, window: big.win, panAll, zoomAll, panWindow: panWin, zoomWindow: zoomWin };
    const drawsOf = (s) => `${s.draws} draws (${s.arrows} arrows, ${s.rects} rects, ${s.circles} dots, ${s.texts} texts)`;
    row(`pan, all ${big.events.toLocaleString('en')} in view, ${big.all.nodes} nodes, median`, panAll.total.median, 'ms', 16,
      `${drawsOf(big.all)}; ${breakdownText(panAll)}; p95 ${f1(panAll.total.p95)}`);
    row(`zoom, all ${big.events.toLocaleString('en')} in view, ${big.all.nodes} nodes, median`, zoomAll.total.median, 'ms', 16,
      `${breakdownText(zoomAll)}; p95 ${f1(zoomAll.total.p95)}`);
    row('pan, 1/100 of the time span in view, median', panWin.total.median, 'ms', 16,
      `${drawsOf(big.win)}; ${breakdownText(panWin)}; p95 ${f1(panWin.total.p95)}`);
    row('zoom, 1/100 of the time span in view, median', zoomWin.total.median, 'ms', 16,
      `${breakdownText(zoomWin)}; p95 ${f1(zoomWin.total.p95)}`);

    // the real DOM path for zoom: wheel events on the canvas, all 100k in view
    const domWheel = domStats(await page.evaluate(domPathInPage, { count: RUNS.dom, kind: 'wheel' }));
    results.panzoom.domWheel = domWheel;
    row('  real `wheel` on the canvas, 100k / 8 nodes: handler + frame + raster, median', domWheel.work.median, 'ms', 16,
      `handler ${f2(domWheel.handler.median)}, frame ${f2(domWheel.frame.median)}, raster ${f2(domWheel.raster.median)}; p95 ${f1(domWheel.work.p95)}`);

    await benchPanZoomSizes(page, results);

    if (errors.length) results.pageErrors = [...errors];
  } finally {
    await context.close().catch(() => {});
  }
}

// Pan and zoom with every event in view, 32 nodes, at each of PANZOOM_SIZES.
async function benchPanZoomSizes(page, results) {
  group = 'pan/zoom';
  results.panzoomSizes = [];
  for (const events of PANZOOM_SIZES) {
    say(`pan/zoom: ${events.toLocaleString('en')} events on 32 nodes, all in view`);
    const m = await page.evaluate(({ s, frames }) => window.__openAndTime(s, ['pan', 'zoom'], frames),
      { s: sized(events, 32), frames: Math.max(10, Math.round(RUNS.frames / 3)) });
    const pan = frameStats(m.pan);
    const zoom = frameStats(m.zoom);
    const worse = pan.total.median >= zoom.total.median ? pan : zoom;
    results.panzoomSizes.push({ events: m.events, scene: m.stats, pan, zoom, worse: worse.total.median, raster: worse.raster.median });
    const st = m.stats;
    row(`pan + zoom, all ${m.events.toLocaleString('en')} in view, 32 nodes, median (worse of the two)`,
      worse.total.median, 'ms', 16,
      `pan ${f2(pan.total.median)} (p95 ${f1(pan.total.p95)}), zoom ${f2(zoom.total.median)} (p95 ${f1(zoom.total.p95)}); ` +
        `${st.draws} draws (${st.arrows} arrows, ${st.rects} rects, ${st.circles} dots, ${st.texts} texts); ` +
        `${worse === pan ? 'pan' : 'zoom'}: ${breakdownText(worse)}`);
    results.panzoomSizes.at(-1).row = rows.at(-1);
  }
  // A size slower than the next one up: say why, from what each frame drew.
  results.panzoomSizes.forEach((small, i) => {
    const big = results.panzoomSizes[i + 1];
    if (!big || small.worse <= big.worse) return;
    const than = `; SLOWER than ${big.events.toLocaleString('en')} events (${f2(big.worse)} ms)`;
    small.row.note += small.scene.circles > big.scene.circles
      ? `${than} because of what is drawn: here ${small.scene.circles} events are dots (an arc filled, then ` +
        `stroked) and ${small.scene.texts} carry labels, there events are ${big.scene.rects} axis-aligned density ` +
        `rects with ${big.scene.circles} dots and ${big.scene.texts} labels; arcs and text cost far more raster per ` +
        `draw (raster ${f2(small.raster)} ms here, ${f2(big.raster)} ms there, for ${small.scene.draws} vs ` +
        `${big.scene.draws} draws)`
      : `${than} with the same kind of frame (${small.scene.draws} vs ${big.scene.draws} draws, no more dots or ` +
        'labels): run-to-run variation, not the size';
  });
  for (const p of results.panzoomSizes) delete p.row;
}

/** Wasm memory in MB (10^6 bytes) with its MiB. */
const mb = (bytes) => bytes / 1e6;
const mbText = (bytes) => `${mb(bytes).toFixed(1)} MB (${(bytes / 1048576).toFixed(1)} MiB)`;

// Wasm memory after opening and drawing each of MEMORY_SIZES (32 nodes), each in
// a fresh page (the memory never shrinks), and around one getTrace() at 100k.
async function benchMemory(browser, server, results) {
  group = 'memory';
  results.memory = {};
  for (const events of MEMORY_SIZES) {
    say(`memory: ${events.toLocaleString('en')} events, fresh page`);
    const { context, page, errors } = await newPage(browser);
    try {
      await page.goto(server.url, { waitUntil: 'load' });
      await waitForApp(page);
      await importBench(page);
      const m = await page.evaluate(async ({ s, trace }) => {
        const b = window.__bench;
        const raf = () => new Promise((resolve) => requestAnimationFrame(resolve));
        const loaded = b.bench_memory_bytes();
        const n = b.bench_open(s.nodes, s.messages, s.locals, s.seed);
        const opened = b.bench_memory_bytes();
        await raf();
        await raf(); // the page has drawn it
        const drawn = b.bench_memory_bytes();
        if (!trace) return { n, loaded, opened, drawn };
        const t0 = performance.now();
        const got = window.hlcviz.getTrace();
        const ms = performance.now() - t0;
        return { n, loaded, opened, drawn, afterTrace: b.bench_memory_bytes(), traceMs: ms, traceEvents: got.events.length };
      }, { s: sized(events, 32), trace: events === 100_000 });
      results.memory[events] = m;
      if (errors.length) (results.pageErrors ??= []).push(...errors);
      row(`wasm memory, ${m.n.toLocaleString('en')} events / 32 nodes opened and drawn`, mb(m.drawn), 'MB',
        events === 100_000 ? 40 : null,
        `${mbText(m.drawn)}; ${mbText(m.loaded)} when the page had loaded, ${mbText(m.opened)} once opened (before its ` +
          'first frame); WebAssembly.Memory never shrinks, so this is the peak so far');
      if (m.afterTrace != null) {
        row(`  one hlcviz.getTrace() at ${m.n.toLocaleString('en')} events: wasm memory after / before`,
          m.afterTrace / m.drawn, '×', 10,
          `${mbText(m.drawn)} -> ${mbText(m.afterTrace)}; the call took ${f1(m.traceMs)} ms ` +
            `(${m.traceEvents.toLocaleString('en')} events, JSON streamed out in 64 KiB chunks)`);
      }
    } finally {
      await context.close().catch(() => {});
    }
  }
}

// Runs in our page: hands `text` to the import and waits for the drawn frame.
async function importInOurPage({ text, name }) {
  const b = window.__bench;
  const t0 = performance.now();
  const notice = b.bench_import(text, name);
  await new Promise((resolve) => requestAnimationFrame(resolve));
  document.getElementById('diagram').getContext('2d').getImageData(0, 0, 1, 1);
  const ms = performance.now() - t0;
  return { ms, notice, events: window.__sceneStats().events };
}

// Runs in ShiViz's page: the log into its textarea, its default expression,
// Visualize, until its SVG has circles, then one animation frame.
async function importInShiviz({ text, regex }) {
  const raf = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const circles = () => document.querySelectorAll('#vizContainer svg circle').length;
  const t0 = performance.now();
  const input = document.getElementById('input');
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true })); // ShiViz's handler enables the button
  document.getElementById('parser').value = regex;
  document.getElementById('delimiter').value = '';
  document.getElementById('visualize').click();
  while (circles() === 0) {
    const shown = document.getElementById('errorbox'); // ShiViz's handleException
    if (shown && getComputedStyle(shown).display !== 'none' && shown.textContent.trim()) {
      throw new Error(`ShiViz: ${shown.textContent.trim().slice(0, 200)}`);
    }
    if (performance.now() - t0 > 300_000) throw new Error('ShiViz drew nothing in 300 s');
    await raf();
  }
  await raf();
  return { ms: performance.now() - t0, circles: circles() };
}

// The same ShiViz logs imported here and by ShiViz, runs interleaved.
async function benchImport(browser, server, results) {
  group = 'import';
  results.import = [];
  if (!opts.shiviz) {
    const why = opts.shivizMissing ?? 'no ShiViz checkout given (--shiviz DIR)';
    for (const events of IMPORT_SIZES) {
      row(`import + draw, ${events.toLocaleString('en')} events: ShiViz not measured`, NaN, '×', null,
        `not measured: ${why}`);
    }
    return;
  }
  const shivizServer = await startServer({ root: opts.shiviz });
  const ours = await newPage(browser);
  const theirs = await newPage(browser);
  try {
    await ours.page.goto(server.url, { waitUntil: 'load' });
    await waitForApp(ours.page);
    await importBench(ours.page);
    for (const events of IMPORT_SIZES) {
      const s = sized(events, 8);
      const text = await ours.page.evaluate((s) => window.__bench.bench_shiviz_log(s.nodes, s.messages, s.locals, s.seed), s);
      say(`import + draw: ${events.toLocaleString('en')} events, ${RUNS.import} runs each, interleaved`);
      const oursMs = [];
      const oursWarmMs = [];
      const theirsMs = [];
      let last = {};
      for (let i = 0; i < RUNS.import; i++) {
        await ours.page.goto(server.url, { waitUntil: 'load' });
        await waitForApp(ours.page);
        await importBench(ours.page);
        const o = await ours.page.evaluate(importInOurPage, { text, name: `bench-${events}.log` });
        if (o.events !== events) throw new Error(`our import of ${events} events drew ${o.events}: ${o.notice}`);
        oursMs.push(o.ms);
        // the same log again in the same page: its code is compiled by now
        oursWarmMs.push((await ours.page.evaluate(importInOurPage, { text, name: `again-${events}.log` })).ms);
        await theirs.page.goto(`${shivizServer.url}index.html`, { waitUntil: 'load' });
        await theirs.page.waitForFunction(() => typeof Shiviz === 'function' && Shiviz.getInstance() != null);
        const t = await theirs.page.evaluate(importInShiviz, { text, regex: SHIVIZ_REGEX });
        theirsMs.push(t.ms);
        last = { notice: o.notice, circles: t.circles };
      }
      const x = median(oursMs);
      const y = median(theirsMs);
      results.import.push({ events, bytes: text.length, ours: oursMs, oursWarm: oursWarmMs, shiviz: theirsMs, ...last });
      row(`import + draw, ${events.toLocaleString('en')} events: ours ${f1(x)} ms, ShiViz ${f1(y)} ms`, y / x, '×', 20,
        `ShiViz time / ours, medians of ${RUNS.import} interleaved runs each; ${(text.length / 1024).toFixed(0)} KiB log, ` +
          `8 nodes; each on a freshly loaded page; ours min ${f1(Math.min(...oursMs))} max ${f1(Math.max(...oursMs))} ` +
          `(a 2nd import in the same page: median ${f1(median(oursWarmMs))}), ` +
          `ShiViz min ${f1(Math.min(...theirsMs))} max ${f1(Math.max(...theirsMs))} (${last.circles} circles drawn)`, true);
    }
    for (const side of [ours, theirs]) {
      if (side.errors.length) (results.pageErrors ??= []).push(...side.errors);
    }
  } finally {
    await Promise.allSettled([ours.context.close(), theirs.context.close(), shivizServer.close()]);
  }
}

// Wraps fillRect before the page runs: see the header ("first draw").
function firstDrawProbe() {
  const proto = CanvasRenderingContext2D.prototype;
  const fillRect = proto.fillRect;
  let seen = false;
  proto.fillRect = function (...args) {
    if (!seen && this.canvas && this.canvas.id === 'diagram') {
      seen = true;
      const start = performance.now();
      queueMicrotask(() => {
        const painted = performance.now();
        this.getImageData(0, 0, 1, 1);
        window.__firstDraw = { start, painted, rastered: performance.now() };
        performance.mark('hlcviz-first-draw');
      });
    }
    return fillRect.apply(this, args);
  };
  // When the wasm is compiled and instantiated (wasm-bindgen's init then runs
  // the start function, Page::mount, before main.js sets window.hlcviz).
  for (const name of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[name];
    WebAssembly[name] = function (...args) {
      window.__wasmCompileStart ??= performance.now();
      return original.apply(this, args).then((result) => {
        window.__wasmInstantiated ??= performance.now();
        return result;
      });
    };
  }
  let api;
  Object.defineProperty(window, 'hlcviz', {
    configurable: true,
    get: () => api,
    set: (value) => {
      api = value;
      window.__apiReady = performance.now();
    },
  });
}

async function benchFirstDraw(browser, server, results) {
  const runs = [];
  for (let i = 0; i < RUNS.cold; i++) {
    say(`first draw, cold: run ${i + 1} of ${RUNS.cold}`);
    const { context, page, errors } = await newPage(browser, { cacheDisabled: true, initScript: firstDrawProbe });
    try {
      const before = server.requests.length;
      await page.goto(server.url, { waitUntil: 'load' });
      await page.waitForFunction(() => window.__firstDraw != null, null, { timeout: 20_000 });
      const m = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const res = performance.getEntriesByType('resource');
        const wasm = res.find((r) => r.name.endsWith('.wasm'));
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return {
          firstDraw: window.__firstDraw.rastered,
          paintStart: window.__firstDraw.start,
          apiReady: window.__apiReady ?? NaN,
          wasmCompileStart: window.__wasmCompileStart ?? NaN,
          wasmInstantiated: window.__wasmInstantiated ?? NaN,
          html: nav ? nav.responseEnd : NaN,
          domContentLoaded: nav ? nav.domContentLoadedEventEnd : NaN,
          load: nav ? nav.loadEventEnd : NaN,
          wasmResponseEnd: wasm ? wasm.responseEnd : NaN,
          fcp: fcp ? fcp.startTime : NaN,
          transferred: res.reduce((n, r) => n + (r.transferSize || 0), 0) + (nav ? nav.transferSize : 0),
          resources: res.map((r) => ({
            file: new URL(r.name).pathname,
            start: r.startTime,
            end: r.responseEnd,
          })),
        };
      });
      m.requests = server.requests.slice(before);
      if (errors.length) m.errors = [...errors];
      runs.push(m);
    } finally {
      await context.close().catch(() => {});
    }
  }
  group = 'first draw';
  const col = (k) => runs.map((r) => r[k]);
  const firstDraw = col('firstDraw');
  results.firstDraw = { runs };
  const mid = (k) => f1(median(col(k)));
  const fileEnd = (suffix) => f1(median(runs.map((r) => r.resources.find((x) => x.file.endsWith(suffix))?.end ?? NaN)));
  row('navigation -> first drawn diagram, cold (cache off), median', median(firstDraw), 'ms', 300,
    `${runs.length} fresh contexts, min ${f1(Math.min(...firstDraw))}, max ${f1(Math.max(...firstDraw))}; ` +
      `medians: index.html ${mid('html')}, main.js ${fileEnd('/main.js')}, hlcviz.js ${fileEnd('/hlcviz.js')}, ` +
      `DOMContentLoaded ${mid('domContentLoaded')}, wasm fetch+compile from ${mid('wasmCompileStart')}, ` +
      `downloaded ${mid('wasmResponseEnd')}, instantiated ${mid('wasmInstantiated')}, ` +
      `mounted (window.hlcviz set) ${mid('apiReady')}, first paint call ${mid('paintStart')}; FCP ${mid('fcp')}; ` +
      'localhost, no network latency; + up to 16.7 ms until shown');
  return runs[0]?.requests ?? [];
}

function benchSize(requests, results) {
  // What the page asked for on a cold load, as paths under the served root.
  const fetched = [
    ...new Set(
      requests
        .filter((r) => r.startsWith('200 '))
        .map((r) => decodeURIComponent(new URL(r.slice(4), 'http://x').pathname).replace(/^\//, '') || 'index.html'),
    ),
  ].map((p) => (p.endsWith('/') ? `${p}index.html` : p));
  const files = [...new Set([...PAGE_FILES, ...fetched])];
  const entries = files.map((rel) => {
    // Sizes are the shipped build's (scripts/bench.sh builds it without the
    // bench exports into HLCVIZ_SIZE_PKG); timings use the bench build.
    const shipped = process.env.HLCVIZ_SIZE_PKG;
    const file = shipped && rel.startsWith('www/pkg/')
      ? path.join(shipped, rel.slice('www/pkg/'.length))
      : path.join(opts.root, rel);
    const raw = statSync(file).size;
    const gz = execFileSync('gzip', ['-9', '-c', file], { maxBuffer: 64 << 20 }).length;
    return { file: rel, raw, gzip: gz, fetched: fetched.includes(rel) };
  });
  const total = entries.reduce((n, e) => n + e.gzip, 0);
  const rawTotal = entries.reduce((n, e) => n + e.raw, 0);
  const wasm = entries.find((e) => e.file.endsWith('.wasm'));
  const notFetched = entries.filter((e) => !e.fetched).map((e) => e.file);
  const extra = fetched.filter((f) => !PAGE_FILES.includes(f));
  let wasmOpt = 'unknown (no build log)';
  if (opts.buildLog) {
    const log = readFileSync(opts.buildLog, 'utf8');
    const lines = log.split('\n').filter((l) => /wasm-opt/i.test(l));
    wasmOpt = lines.length ? lines.map((l) => l.trim()).join(' | ') : 'no wasm-opt line in the build log: not applied';
  }
  group = 'size';
  results.size = { entries, total, rawTotal, wasmOpt, notFetched, extra };
  row('everything the page downloads, gzip -9', total / 1000, 'KB', 150,
    `${(total / 1024).toFixed(1)} KiB; raw ${(rawTotal / 1024).toFixed(1)} KiB; wasm ${(wasm.gzip / 1024).toFixed(1)} KiB gz of ${(wasm.raw / 1024).toFixed(1)} KiB` +
      (extra.length ? `; also fetched: ${extra.join(', ')}` : '') +
      (notFetched.length ? `; NOT fetched on load: ${notFetched.join(', ')}` : ''));
  for (const e of entries) row(`  ${e.file}`, e.gzip / 1000, 'KB', null, `raw ${(e.raw / 1024).toFixed(1)} KiB`);
}

function nativeRows(results) {
  if (!opts.native) return;
  const values = {};
  for (const line of readFileSync(opts.native, 'utf8').split('\n')) {
    const [tag, key, value] = line.split('\t');
    if (tag === 'BENCH') values[key] = Number(value);
  }
  results.native = values;
  group = 'native';
  const label = {
    replay_valid_ms: 'native: replay 100k / 32 nodes (sim::replay_valid)',
    replay_ms: 'native: validate + replay 100k (sim::replay)',
    scene_build_10k_ms: 'native: scene::build, 10k fitted',
    skew_frame_10k_ms: 'native: apply_continuing(SetSkew) + build, 10k',
    skew_apply_64n_20k_ms: 'native: apply_continuing(SetSkew), 64 nodes / 20k',
    scene_build_64n_20k_ms: 'native: scene::build, 64 nodes / 20k fitted',
    pan_all_100k_ms: 'native: pan + build, all 100k in view',
    pan_window_100k_ms: 'native: pan + build, 1/100 of 100k in view',
    kv_replay_20k_ms: 'native: replay 20k with puts and gets (database lens)',
    kv_evaluate_20k_ms: 'native: kv::evaluate, 20k (10k puts/gets, 16 keys)',
    kv_replay_evaluate_20k_ms: 'native: replay + kv::evaluate, 20k',
  };
  for (const [key, name] of Object.entries(label)) {
    if (key in values) row(name, values[key], 'ms', null, 'cargo run --release --example replay_bench, median');
  }
}

// ------------------------------------------------- interactions at 20k events
// Three budgets of a person working on a big trace, each timed through the
// page's real DOM path (the handlers main.js and the wasm installed, the
// page's own requestAnimationFrame frame), not through bench exports:
//   skew slider  one real `input` on the first .skew-slider at 64 nodes and
//                20,000 events: handler + the page's frame + forced raster
//                (domPathInPage, as the 10k row).
//   select       a real mouse click (Playwright page.mouse: pointerdown,
//                pointerup) on an event's dot at 20,000 events with every event
//                in view (fitted, as the trace opens); alternately two points
//                far apart, so every click changes the selection. Work = both pointer handlers
//                (window capture listener to window bubble listener) + the
//                page's frame after pointerup + forced raster. The IPC gap
//                between Playwright's down and up is not the page's and is left
//                out of the work (it is in the latency).
//   table        a click on #toggle-table at 20,000 events after an edit (so
//                the table really renders rows, as after any change), until
//                the table is laid out and the diagram is painted at the size
//                the table leaves it (the stage shrinks, its ResizeObserver
//                resizes the canvas, the next frame paints it), raster forced.
//                Measured from the click: includes up to two frame waits.
const TWENTY_K_WIDE = { nodes: 64, messages: 8_000, locals: 4_000, seed: 1 }; // 20,000 events
const TWENTY_K = { nodes: 8, messages: 8_000, locals: 4_000, seed: 1 }; // 20,000 events

// Runs in the page: installs the probes the select and table benches read.
function interactionProbes() {
  const probe = { paints: [], click: null };
  window.__probe = probe;
  const canvas = document.getElementById('diagram');
  const ctx = canvas.getContext('2d');
  // canvas::paint starts every frame with setTransform: a frame painted.
  const setTransform = ctx.setTransform;
  ctx.setTransform = function (...args) {
    probe.paints.push({ at: performance.now(), height: canvas.height, width: canvas.width });
    return setTransform.apply(this, args);
  };
  const now = () => performance.now();
  // The page's frame may be requested by either handler: the mark taken just
  // before it is a rAF registered ahead of both (or, when a frame went by
  // between press and release, ahead of pointerup's).
  const markBefore = (c) => requestAnimationFrame(() => {
    c.before = now();
  });
  window.addEventListener('pointerdown', () => {
    if (!probe.click) return;
    probe.click.downStart = now();
    markBefore(probe.click);
  }, { capture: true });
  window.addEventListener('pointerdown', () => {
    if (probe.click) probe.click.downEnd = now();
  });
  window.addEventListener('pointerup', () => {
    const c = probe.click;
    if (!c) return;
    c.upStart = now();
    if (c.before !== undefined) markBefore(c);
  }, { capture: true });
  window.addEventListener('pointerup', () => {
    const c = probe.click;
    if (!c) return;
    c.upEnd = now();
    requestAnimationFrame(() => {
      c.after = now(); // just after the page's frame callback
      ctx.getImageData(0, 0, 1, 1);
      c.painted = now();
      c.selection = window.hlcviz.selection();
      c.resolve(c);
    });
  });
}

/** Shows 1/`zoom` of the time span, mid-trace; returns the page points of two local events in it. */
async function twoDotsInView(page, zoom) {
  return page.evaluate((zoom) => {
    const vt = window.hlcviz.visibleTime();
    const mid = (vt.startMs + vt.endMs) / 2;
    const width = (vt.endMs - vt.startMs) / zoom;
    if (zoom !== 1) window.__bench.bench_set_window(mid - width / 2, mid + width / 2);
    const events = window.hlcviz.getScenario().events;
    const box = document.getElementById('diagram').getBoundingClientRect();
    const picked = [];
    for (let i = 0; i < events.length && picked.length < 2; i++) {
      if (Math.abs(events[i].at_ms - mid) > width / 4) continue;
      const p = window.hlcviz.eventPosition('local', i);
      if (!p || p.y < 40 || p.y > Math.min(box.height, window.innerHeight - box.top) - 10) continue;
      if (picked.length && Math.hypot(picked[0].cx - p.x, picked[0].cy - p.y) < 30) continue;
      picked.push({ index: i, cx: p.x, cy: p.y, x: box.left + p.x, y: box.top + p.y });
    }
    return picked;
  }, zoom);
}

async function clickSelectSamples(page, count, zoom) {
  let dots = await twoDotsInView(page, zoom);
  if (dots.length < 2) throw new Error('select bench: found no two local events to click in view');
  const samples = [];
  let previous = JSON.stringify(await page.evaluate(() => window.hlcviz.selection()));
  for (let i = 0; i < count; i++) {
    // Where the dots are now: a selection can change the legend under the
    // diagram, and with it the diagram's height and the lines' places.
    if (i > 0) dots = await twoDotsInView(page, 1);
    const dot = dots[i % 2];
    await page.mouse.move(dot.x, dot.y, { steps: 2 });
    // Let the hover's frame go by first.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const done = page.evaluate(() => new Promise((resolve) => {
      window.__probe.click = { resolve };
    }));
    await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
    await page.mouse.down();
    await page.mouse.up();
    const c = await done;
    await page.evaluate(() => { window.__probe.click = null; });
    // Where dots overlap the click takes the nearest event, which may be
    // another one than aimed at: any event, but a new selection each time.
    const now = JSON.stringify(c.selection);
    if (c.selection == null || now === previous) {
      throw new Error(`select bench: the click near local event ${dot.index} selected ${now} (before: ${previous})`);
    }
    previous = now;
    samples.push({
      handler: (c.downEnd - c.downStart) + (c.upEnd - c.upStart),
      frame: c.after - c.before,
      raster: c.painted - c.after,
      latency: c.painted - c.downStart,
    });
  }
  return samples;
}

// Runs in the page: one table opening after an edit (see the header above).
async function tableOpenInPage() {
  const raf = () => new Promise((r) => requestAnimationFrame(r));
  const settle = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const toggle = document.getElementById('toggle-table');
  const section = document.getElementById('table-view');
  const canvas = document.getElementById('diagram');
  const probe = window.__probe;
  if (!section.hidden) {
    toggle.click();
    await settle();
    await settle();
  }
  // An edit while the table is hidden: a real slider input and its change.
  const slider = document.querySelector('.skew-slider');
  slider.value = String(Number(slider.value) === 40 ? 41 : 40);
  slider.dispatchEvent(new Event('input', { bubbles: true }));
  slider.dispatchEvent(new Event('change', { bubbles: true }));
  await settle();
  await settle();
  const h0 = canvas.height;
  const t0 = performance.now();
  toggle.click();
  const t1 = performance.now();
  const paintsBefore = probe.paints.length;
  for (let frames = 0; frames < 12; frames++) {
    await settle(); // after this frame's rendering (and its ResizeObserver callbacks)
    const paints = probe.paints.slice(paintsBefore);
    const last = paints[paints.length - 1];
    const resized = canvas.height !== h0;
    if (last && last.height === canvas.height && (resized || frames >= 2) && !section.hidden) {
      section.querySelector('tbody')?.getBoundingClientRect();
      canvas.getContext('2d').getImageData(0, 0, 1, 1);
      const rows = document.querySelectorAll('#event-table-body tr[data-index]').length;
      return { handler: t1 - t0, latency: performance.now() - t0, frames: frames + 1, rows, resized };
    }
    await raf();
  }
  throw new Error('table bench: the diagram was not repainted within 12 frames of opening the table');
}

async function benchInteractions(browser, server, results) {
  const { context, page, errors } = await newPage(browser);
  try {
    await page.goto(server.url, { waitUntil: 'load' });
    await waitForApp(page);
    await importBench(page);
    await page.evaluate(interactionProbes);
    results.interactions = {};

    // --- skew slider, 64 nodes / 20k events
    group = 'skew';
    say('skew slider: 64 nodes, 20,000 events, real input events');
    const wide = await page.evaluate((s) => {
      const events = window.__bench.bench_open(s.nodes, s.messages, s.locals, s.seed);
      window.__bench.bench_fit();
      return { events, stats: window.__sceneStats() };
    }, TWENTY_K_WIDE);
    const skew = domStats(await page.evaluate(domPathInPage, { count: RUNS.dom, kind: 'skew' }));
    results.interactions.skew64 = { scene: wide.stats, ...skew };
    row(`skew slider, one real \`input\`, ${wide.stats.nodes} nodes / ${wide.events.toLocaleString('en')} events: handler + frame + raster, median`,
      skew.work.median, 'ms', 16,
      `handler ${f2(skew.handler.median)} (apply + DOM sync), frame ${f2(skew.frame.median)}, raster ${f2(skew.raster.median)}; ` +
        `canvas ${wide.stats.canvas_width}x${wide.stats.canvas_height}, ${wide.stats.draws} draws; p95 ${f1(skew.work.p95)}; latency ${f1(skew.latency.median)}`);

    // --- a click selecting an event, 20k events
    group = 'select';
    say('select: a real click on an event, 20,000 events');
    const opened = await page.evaluate((s) => {
      const events = window.__bench.bench_open(s.nodes, s.messages, s.locals, s.seed);
      window.__bench.bench_fit();
      return events;
    }, TWENTY_K);
    const clicks = domStats(await clickSelectSamples(page, Math.max(6, Math.round(RUNS.dom / 2)), 1));
    const zoomed = await page.evaluate(() => window.__sceneStats());
    results.interactions.select = { scene: zoomed, ...clicks };
    row(`click to select an event, ${opened.toLocaleString('en')} events, ${zoomed.nodes} nodes: handlers + frame + raster, median`,
      clicks.work.median, 'ms', 50,
      `pointer handlers ${f2(clicks.handler.median)}, frame ${f2(clicks.frame.median)}, raster ${f2(clicks.raster.median)}; ` +
        `all of it in view (fitted), ${zoomed.draws} draws; p95 ${f1(clicks.work.p95)}; ` +
        `latency from pointerdown ${f1(clicks.latency.median)} (with Playwright's down-to-up gap)`);

    // --- opening the table, 20k events
    group = 'table';
    say('table: opening it at 20,000 events');
    await page.evaluate(() => window.__bench.bench_fit());
    const opens = [];
    for (let i = 0; i < Math.max(3, Math.round(RUNS.dom / 5)); i++) opens.push(await page.evaluate(tableOpenInPage));
    const latency = opens.map((o) => o.latency);
    results.interactions.table = { opens };
    row(`open the Table, ${opened.toLocaleString('en')} events: click -> laid out and diagram repainted, median`,
      median(latency), 'ms', 100,
      `click handler (rows built) ${f2(median(opens.map((o) => o.handler)))}; ${opens[0].rows} rows in the DOM; ` +
        `${opens[0].frames} frame(s), canvas resized: ${opens[0].resized}; max ${f1(Math.max(...latency))}; includes up to two frame waits`);

    if (errors.length) results.pageErrors = [...(results.pageErrors ?? []), ...errors];
  } finally {
    await context.close().catch(() => {});
  }
}

// --------------------------------------------------------------------- table
function printTable() {
  const cells = rows.map((r) => [
    r.name,
    `${r.unit === 'KB' ? r.value.toFixed(1) : f2(r.value)} ${r.unit}`,
    r.target == null ? '' : `${r.atLeast ? '>=' : '<='} ${r.target} ${r.unit}`,
    r.verdict === 'info' ? '' : r.verdict,
    r.note,
  ]);
  const head = ['what', 'measured', 'target', '', 'notes'];
  const widths = [0, 1, 2, 3].map((k) => Math.max(head[k].length, ...cells.map((c) => c[k].length)));
  const line = (c) =>
    `${c[0].padEnd(widths[0])}  ${c[1].padStart(widths[1])}  ${c[2].padEnd(widths[2])}  ${c[3].padEnd(widths[3])}  ${c[4]}`;
  console.log(line(head));
  console.log(line(widths.map((w) => '-'.repeat(w)).concat(['-----'])));
  for (const c of cells) console.log(line(c));
  const misses = rows.filter((r) => r.verdict === 'MISS').length;
  const passes = rows.filter((r) => r.verdict === 'PASS').length;
  console.log(`\n${passes} PASS, ${misses} MISS (a MISS does not fail this command)`);
}

// ---------------------------------------------------------------------- main
async function main() {
  for (const rel of PAGE_FILES) {
    try {
      statSync(path.join(opts.root, rel));
    } catch {
      fail(`${path.join(opts.root, rel)} is missing: run 'bash scripts/build-web.sh --release' (or scripts/bench.sh)`);
    }
  }
  const results = {
    when: new Date().toISOString(),
    root: opts.root,
    chromium: null,
    viewport: VIEWPORT,
    cpus: os.cpus().length,
    loadavg_before: os.loadavg(),
  };
  const server = await startServer({ root: opts.root });
  const browser = await launchBrowser();
  results.chromium = browser.version();
  try {
    // Cold loads first, while nothing else has warmed the browser.
    const requests = await benchFirstDraw(browser, server, results);
    benchSize(requests, results);
    await benchInPage(browser, server, results);
    await benchInteractions(browser, server, results);
    await benchMemory(browser, server, results);
    await benchImport(browser, server, results);
  } finally {
    await Promise.allSettled([browser.close(), server.close()]);
  }
  results.loadavg_after = os.loadavg();
  nativeRows(results);
  const ranked = rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => GROUPS.indexOf(a.r.group) - GROUPS.indexOf(b.r.group) || a.i - b.i);
  rows.splice(0, rows.length, ...ranked.map((x) => x.r));
  results.rows = rows;
  mkdirSync(path.dirname(opts.json), { recursive: true });
  writeFileSync(opts.json, `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `\nhlcviz browser bench: Chromium ${results.chromium}, ${results.cpus} CPUs, ${VIEWPORT.width}x${VIEWPORT.height} window, device pixel ratio 1`,
  );
  const load = (l) => l.map((x) => x.toFixed(1)).join(' ');
  console.log(`wasm-opt: ${results.size.wasmOpt}`);
  console.log(
    `load average before ${load(results.loadavg_before)}, after ${load(results.loadavg_after)}` +
      (Math.max(results.loadavg_before[0], results.loadavg_after[0]) > results.cpus
        ? ` - WARNING: more runnable processes than the ${results.cpus} CPUs, figures are inflated`
        : ''),
  );
  console.log('');
  printTable();
  const problems = [...(results.pageErrors ?? []), ...results.firstDraw.runs.flatMap((r) => r.errors ?? [])];
  if (problems.length) {
    console.log(`\npage errors during the bench:\n  ${problems.join('\n  ')}`);
  }
  console.log(`\nall figures: ${path.relative(process.cwd(), opts.json) || opts.json}`);
}

main().catch((err) => fail(err && err.stack ? err.stack : String(err)));
