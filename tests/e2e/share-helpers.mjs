// Helpers for share.test.mjs and clocks.test.mjs: permalinks and autosave,
// fresh browser contexts, downloads, uploads, the example scenarios of
// docs/examples, and small independent models (pt with drift and steps, the
// counter carry, 64-bit packing) computed in plain JavaScript.
// Not a test file (no `.test.` in its name).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, collectErrors, screenshot, waitForApp } from './harness.mjs';
import { reveal, until, visibleNotice } from './ui.mjs';

/** The localStorage key of the autosave (src/web/persist.rs). */
export const AUTOSAVE_KEY = 'hlcviz.autosave';
/** How long edits settle before the fragment and the autosave are written, ms. */
export const PERSIST_DELAY_MS = 250;

/** The file behind each preset of #preset (src/presets.rs). */
export const PRESET_FILES = {
  plain: 'plain.json',
  'sender-ahead': 'sender-ahead.json',
  'message-loop': 'message-loop.json',
  'slow-fast': 'slow-fast.json',
  snapshot: 'default.json',
  'max-offset': 'max-offset.json',
  'counter-overflow': 'counter-overflow.json',
  'clock-step': 'clock-step.json',
  'node-stops': 'node-stops.json',
  'db-read-restart': 'db-read-restart.json',
  'db-stale-read': 'db-stale-read.json',
  'db-no-stale-read': 'db-no-stale-read.json',
  'db-commit-wait': 'db-commit-wait.json',
  'db-observed-timestamp': 'db-observed-timestamp.json',
};

/** A scenario file of docs/examples, parsed. */
export function example(file) {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'docs', 'examples', file), 'utf8'));
}

/** Scenario, trace and snapshot verdict of a page, in one read. */
export async function pageState(page) {
  return page.evaluate(() => ({
    scenario: window.hlcviz.getScenario(),
    trace: window.hlcviz.getTrace(),
    // Its lines, as read aloud (textContent: the same whether its pane shows).
    snapshot: [...document.querySelectorAll('#snap-result p')].map((p) => p.textContent.replace(/[\u2066-\u2069]/g, '').trim()).join('\n'),
  }));
}

/**
 * In-page: the link of the most recently edited record of My scenarios
 * (src/library.rs), or null. What "the autosave" was before the library: the
 * work a person would get back.
 */
export function latestSavedLink() {
  let best = null;
  for (const key of Object.keys(localStorage)) {
    if (!key.startsWith('hlcviz.scenario.')) continue;
    try {
      const record = JSON.parse(localStorage.getItem(key));
      if (record && typeof record.link === 'string' && (!best || record.edited_ms > best.edited_ms)) best = record;
    } catch { /* not a record */ }
  }
  return best ? best.link : null;
}

/** Every record of My scenarios, key → stored text (in-page). */
export function libraryRecords() {
  return Object.fromEntries(Object.keys(localStorage).filter((k) => k.startsWith('hlcviz.scenario.')).sort().map((k) => [k, localStorage.getItem(k)]));
}

/** location.hash, history.length and the saved link of a page. */
export async function linkState(page) {
  return page.evaluate((latest) => ({
    hash: location.hash,
    href: location.href,
    historyLength: history.length,
    autosave: new Function(`return (${latest})()`)(),
  }), latestSavedLink.toString());
}

/**
 * Starts counting the page's pending persist timers (window.setTimeout calls
 * with the 250 ms delay, src/web/persist.rs), so settledLink() knows when
 * every scheduled write has run. Call it before the edits.
 */
export async function trackPersist(page) {
  await page.evaluate((delay) => {
    if (window.__e2ePending !== undefined) return;
    window.__e2ePending = 0;
    const setTimeout = window.setTimeout;
    window.setTimeout = function (fn, ms, ...rest) {
      if (ms !== delay || typeof fn !== 'function') return setTimeout.call(this, fn, ms, ...rest);
      window.__e2ePending++;
      return setTimeout.call(this, (...args) => {
        window.__e2ePending--;
        return fn(...args);
      }, ms, ...rest);
    };
  }, PERSIST_DELAY_MS);
}

/**
 * Waits until the page has written its link for the latest edits: no persist
 * timer pending (see trackPersist), the fragment starts with #v1. (and differs
 * from `differentFrom`) and the autosave holds the same fragment.
 * Returns linkState().
 */
export async function settledLink(page, { differentFrom = null, timeout = 4_000 } = {}) {
  const tracked = await page.evaluate(() => window.__e2ePending !== undefined);
  assert.ok(tracked, 'settledLink: call trackPersist(page) before the edits');
  return until(
    async () => {
      const [pending, now] = await Promise.all([
        page.evaluate(() => window.__e2ePending),
        linkState(page),
      ]);
      const written =
        pending === 0 && /^#v[12]\./.test(now.hash) && now.autosave === now.hash.slice(1) && now.hash !== differentFrom;
      return written ? now : null;
    },
    { timeout, interval: 50, what: 'the fragment and the autosave to be written' },
  );
}

/**
 * Opens `url` in a page of `context` (a new page), collecting errors, waits for
 * the app. Dialogs (alert & co.) are recorded in page.dialogs and dismissed.
 */
export async function openPage(context, url) {
  const page = await context.newPage();
  const errors = collectErrors(page);
  page.dialogs = [];
  page.on('dialog', (d) => {
    page.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  await waitForApp(page);
  await trackPersist(page);
  return { page, errors };
}

/**
 * Runs fn(context) in a new browser context of app's browser (fresh storage),
 * closing it whatever happens; if fn throws, the context's last open page is
 * saved as target/screenshots/FAILED-<name>.png first. options.context goes
 * to browser.newContext.
 */
export async function withContext(app, { name = 'context', context: options = {} }, fn) {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  try {
    return await fn(context);
  } catch (err) {
    const page = context.pages().filter((p) => !p.isClosed()).at(-1);
    if (page) {
      const file = await screenshot(page, `FAILED-${name}`).catch(() => null);
      if (file) err.message += `\n(screenshot: ${path.relative(process.cwd(), file)})`;
    }
    throw err;
  } finally {
    await context.close().catch(() => {});
  }
}

/** Clicks `selector` and returns the download it starts: {name, bytes}. */
export async function download(page, selector) {
  await reveal(page, selector);
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 5_000 }), page.click(selector)]);
  const file = await dl.path();
  assert.ok(file, `the download of ${selector} has no file (${await dl.failure()})`);
  return { name: dl.suggestedFilename(), bytes: readFileSync(file) };
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
export function pngSize(bytes) {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.deepEqual(bytes.subarray(0, 8), signature, 'PNG signature');
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR', 'first chunk is IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Chooses a file in #import-file the way the file chooser does. */
export async function upload(page, name, buffer, mimeType = 'application/octet-stream') {
  await page.setInputFiles('#import-file', { name, mimeType, buffer });
}

// ------------------------------------------------------------ models in JS

/** A node's physical clock at real time t (docs/scenario-format.md): real +
 *  skew + floor(real * drift / 1e6) + every step at or before t. */
export function physicalTime(node, real) {
  const drift = Math.floor((real * (node.drift_ppm ?? 0)) / 1_000_000);
  const stepped = (node.steps ?? []).filter((s) => s.at_ms <= real).reduce((sum, s) => sum + s.by_ms, 0);
  return real + (node.skew_ms ?? 0) + drift + stepped;
}

/**
 * Figure 5 of the HLC paper with the production rules of a scenario's
 * settings: a counter of `counter_bits` bits that carries into l (c past
 * 2^bits - 1 becomes l + 1, c = 0), and a max offset that rejects a message
 * whose l_m is more than the bound ahead of the receiver's pt (the receive
 * then ticks as a local event). Drift and steps are handled through
 * physicalTime(). Returns a Map 'kind:index' -> {node, real, pt, l, c,
 * carried, rejected}.
 */
export function replayWithRules(scenario, refused = new Set()) {
  const counterMax = 2 ** Math.min(Math.max(scenario.settings?.counter_bits ?? 16, 1), 32) - 1;
  const bound = scenario.settings?.max_offset_ms ?? null;
  const events = [];
  (scenario.events ?? []).forEach((e, i) => events.push({ ref: `local:${i}`, node: e.node, real: e.at_ms }));
  (scenario.messages ?? []).forEach((m, i) => {
    events.push({ ref: `send:${i}`, node: m.from, real: m.sent_at_ms, kind: 'send' });
    events.push({ ref: `recv:${i}`, node: m.to, real: m.received_at_ms, kind: 'recv', msg: i });
  });
  events.sort((a, b) => a.real - b.real || a.node - b.node);
  const clocks = scenario.nodes.map(() => null);
  const out = new Map();
  for (const e of events) {
    // An event the page refused (its node had stopped itself, per the
    // scenario's stop rule, which tests/policies.rs checks) does nothing to
    // any clock here: it is left out, and a receive of a refused send is too.
    if (refused.has(e.ref)) continue;
    const pt = physicalTime(scenario.nodes[e.node], e.real);
    const prev = clocks[e.node];
    let l;
    let c;
    let rejected = false;
    const m = e.kind === 'recv' ? out.get(`send:${e.msg}`) : null;
    if (m && bound !== null && m.l - pt > bound) rejected = true;
    if (m && !rejected) {
      l = Math.max(prev ? prev.l : -Infinity, m.l, pt);
      if (prev && l === prev.l && l === m.l) c = Math.max(prev.c, m.c) + 1;
      else if (prev && l === prev.l) c = prev.c + 1;
      else if (l === m.l) c = m.c + 1;
      else c = 0;
    } else {
      l = Math.max(prev ? prev.l : -Infinity, pt);
      c = prev && l === prev.l ? prev.c + 1 : 0;
    }
    let carried = false;
    if (c > counterMax) {
      l += 1;
      c = 0;
      carried = true;
    }
    clocks[e.node] = { l, c };
    out.set(e.ref, { node: e.node, real: e.real, pt, l, c, carried, rejected });
  }
  return out;
}

/** (l << 16 | c) as the page prints it: 0x and 16 hex digits. */
export const packedHex = (l, c) => `0x${((BigInt(l) << 16n) | BigInt(c)).toString(16).padStart(16, '0')}`;

/** The 64 bits of (l << 16 | c): l's 48 and c's 16, in groups of 8 as the page shows them. */
export function packedBits(l, c) {
  const bits = ((BigInt(l) << 16n) | BigInt(c)).toString(2).padStart(64, '0');
  const group = (s) => s.match(/.{1,8}/g).join(' ');
  return { l: group(bits.slice(0, 48)), c: group(bits.slice(48)) };
}

// ------------------------------------------------------------------ notices

/**
 * Counts every notice the page shows from now on (each one rewrites #notice's
 * text, even when it repeats the previous text).
 */
export async function watchNotices(page) {
  await page.evaluate(() => {
    if (window.__e2eNotices !== undefined) return;
    window.__e2eNotices = 0;
    new MutationObserver(() => window.__e2eNotices++).observe(document.getElementById('notice'), {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
}

/**
 * Runs `action` and waits for the notice it shows; returns the notice's text
 * (asserting it is visible in the window).
 */
export async function noticeAfter(page, action, what = 'a notice') {
  await watchNotices(page);
  const before = await page.evaluate(() => window.__e2eNotices);
  await action();
  await until(async () => (await page.evaluate(() => window.__e2eNotices)) > before, { what });
  return visibleNotice(page);
}

/** A context init script recording every localStorage.setItem and removeItem
 *  (key) in window.__e2eWrites (sessionStorage, the tab's own, is not counted). */
export function recordStorageWrites() {
  window.__e2eWrites = [];
  const { setItem, removeItem } = Storage.prototype;
  Storage.prototype.setItem = function (key, value) {
    if (this === window.localStorage) window.__e2eWrites.push(String(key));
    return setItem.call(this, key, value);
  };
  Storage.prototype.removeItem = function (key) {
    if (this === window.localStorage) window.__e2eWrites.push(`remove ${key}`);
    return removeItem.call(this, key);
  };
}
