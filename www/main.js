// Boots the WebAssembly page and exposes a small API on window.hlcviz (see the
// README). Everything else lives in Rust. The crash banner lives here too, so it
// works even when the WebAssembly failed to load or has stopped.

// My scenarios (src/library.rs): one record per scenario in localStorage; this
// tab's record id in sessionStorage.
const RECORD_PREFIX = 'hlcviz.scenario.';
const TAB_ENTRY_KEY = 'hlcviz.tab.entry';
const LEGACY_AUTOSAVE_KEY = 'hlcviz.autosave';

/** The link of this tab's saved scenario, else of the most recently edited one. */
function lastSavedLink() {
  const read = (key) => {
    try { const r = JSON.parse(localStorage.getItem(key)); return r && typeof r.link === 'string' && /^v[12]\./.test(r.link) ? r : null; } catch { return null; }
  };
  try {
    const mine = sessionStorage.getItem(TAB_ENTRY_KEY);
    const own = mine && read(RECORD_PREFIX + mine);
    if (own) return own.link;
    let best = null;
    for (let k = 0; k < localStorage.length; k++) {
      const key = localStorage.key(k);
      if (!key || !key.startsWith(RECORD_PREFIX)) continue;
      const r = read(key);
      if (r && (!best || r.edited_ms > best.edited_ms)) best = r;
    }
    return best ? best.link : localStorage.getItem(LEGACY_AUTOSAVE_KEY);
  } catch { return null; /* storage blocked */ }
}

function showFatal(message) {
  const banner = document.getElementById('fatal');
  const text = document.getElementById('fatal-text');
  if (!banner || !text) return;
  text.textContent = 'The visualizer hit an error and stopped: ' + message +
    '\nYour work is saved in My scenarios after every change; reload it to carry on.';
  banner.hidden = false;
}

// Reopens this tab's saved scenario (the last valid one) in a fresh page.
document.getElementById('fatal-reload')?.addEventListener('click', () => {
  const saved = lastSavedLink();
  const base = location.pathname + location.search;
  history.replaceState(null, '', saved ? base + '#' + saved : base);
  location.reload();
});

window.addEventListener('error', (e) => showFatal(String(e.message || e.error || e)));
window.addEventListener('unhandledrejection', (e) => showFatal(String(e.reason)));

try {
  // A dynamic import, so a missing or broken build is reported, not a blank page.
  const wasm = await import('./pkg/hlcviz.js');
  await wasm.default();
  window.hlcviz = {
    ready: true,
    /** The current scenario, as an object in the documented JSON format. */
    getScenario: () => JSON.parse(wasm.scenario_json()),
    /** Replaces the scenario; throws an Error naming the problem if it is invalid. */
    setScenario: (scenario) => wasm.load_scenario_json(
      typeof scenario === 'string' ? scenario : JSON.stringify(scenario)),
    /** The replayed trace (every event with every clock), as an object. */
    getTrace: () => {
      // Streamed from wasm in UTF-8 chunks (a chunk may split a character).
      const decoder = new TextDecoder();
      const parts = [];
      wasm.trace_json_chunks((bytes) => { parts.push(decoder.decode(bytes, { stream: true })); });
      parts.push(decoder.decode());
      return JSON.parse(parts.join(''));
    },
    /** Where an event is drawn: {x, y} in CSS px from the canvas's top-left. kind: 'local' | 'send' | 'recv'. */
    eventPosition: (kind, index) => { const p = wasm.event_position(kind, index); return p ? { x: p[0], y: p[1] } : null; },
    /** Screen x (CSS px) of a real time and y of a node's line. */
    xOfTime: (ms) => wasm.x_of_time(ms),
    laneY: (node) => wasm.lane_y(node),
    /** The real time at the plot's left and right edges: {startMs, endMs}. */
    visibleTime: () => { const v = JSON.parse(wasm.view_json()); return { startMs: v.start_ms, endMs: v.end_ms }; },
    /** The last notice shown, or null. */
    lastNotice: () => wasm.last_notice() ?? null,
    /** The selected event as {kind, index}, or null. */
    selection: () => JSON.parse(wasm.selection_json()),
    /** The view: visible real-time window, canvas size, playback, presentation mode, cursor affordance, hints, read-only (an embed). */
    view: () => JSON.parse(wasm.view_json()),
    /** The tour step or exercise under way (see lesson_json in src/web/api.rs), or null. */
    lesson: () => JSON.parse(wasm.lesson_json()),
  };
} catch (e) {
  showFatal(String(e && e.message ? e.message : e));
}
