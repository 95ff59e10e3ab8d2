// Helpers for keep.test.mjs ("My scenarios": the saved-scenario library in
// localStorage, unsaved views, two tabs on one record, the conflict bar).
// Not a test file (no `.test.` in its name).
import assert from 'node:assert/strict';
import { collectErrors, waitForApp } from './harness.mjs';
import { encodeLink } from './hostile-helpers.mjs';
import { normalize } from './model.mjs';
import { AXIS_BAND, GUTTER, RIGHT_MARGIN, geometry, until } from './ui.mjs';
import { trackPersist } from './share-helpers.mjs';

/** Prefix of every record's localStorage key (src/library.rs). */
export const RECORD_PREFIX = 'hlcviz.scenario.';
/** sessionStorage key of this tab's record id. */
export const TAB_KEY = 'hlcviz.tab.entry';
/** The record format the page writes. */
export const RECORD_FORMAT = 'hlcviz-saved/1';
/** How many readable records the library keeps. */
export const MAX_ENTRIES = 50;

/** First strong isolate / pop directional isolate (how names are shown). */
export const FSI = '\u2068';
export const PDI = '\u2069';
export const iso = (name) => `${FSI}${name}${PDI}`;

/** The link (fragment without '#') the page writes for scenario `s` (no snapshot). */
export const linkOf = (s, snapshot = null) => encodeLink(normalize(s), snapshot);

/** A record as the page stores it (field order as src/library.rs serialises it). */
export function recordText({ id, name, created_ms = 1_000, edited_ms = created_ms, link, summary = '' }) {
  return JSON.stringify({ format: RECORD_FORMAT, id, name, created_ms, edited_ms, link, summary });
}

/** Hand-written records a newer page (or damage) left: never to be touched. */
export const FOREIGN_RECORDS = {
  [`${RECORD_PREFIX}newerlink`]: JSON.stringify({
    format: RECORD_FORMAT,
    id: 'newerlink',
    name: 'From the future (v999 link)',
    created_ms: 5,
    edited_ms: 4_102_444_800_000, // 2100: sorts first, yet is never opened
    link: 'v999.AAAA',
    summary: '? nodes',
  }),
  [`${RECORD_PREFIX}newerformat`]: JSON.stringify({
    format: 'hlcviz-saved/2',
    id: 'newerformat',
    name: 'Saved by version 2',
    edited_ms: 7,
    link: 'v1.whatever',
    tags: ['kept', { untouched: true }],
  }),
  [`${RECORD_PREFIX}broken`]: 'not json',
};

/** Every localStorage entry of the app ('hlcviz.' keys), as an object. */
export const appStorage = (page) =>
  page.evaluate(() => {
    const out = {};
    for (let k = 0; k < localStorage.length; k++) {
      const key = localStorage.key(k);
      if (key && key.startsWith('hlcviz.')) out[key] = localStorage.getItem(key);
    }
    return out;
  });

/** The readable records of a storage object: {id: record}. */
export function readableRecords(store) {
  const out = {};
  for (const [key, text] of Object.entries(store)) {
    if (!key.startsWith(RECORD_PREFIX)) continue;
    let r;
    try {
      r = JSON.parse(text);
    } catch {
      continue;
    }
    if (r && r.format === RECORD_FORMAT && typeof r.link === 'string' && /^v[12]\./.test(r.link)) out[r.id] = r;
  }
  return out;
}

/** Added / removed / changed keys between two storage objects. */
export function storageDiff(before, after) {
  const added = Object.keys(after).filter((k) => !(k in before));
  const removed = Object.keys(before).filter((k) => !(k in after));
  const changed = Object.keys(before).filter((k) => k in after && after[k] !== before[k]);
  return { added, removed, changed };
}

/** Asserts the storage is byte-identical to `before` (a readable diff on failure). */
export function assertStorageSame(after, before, what) {
  const diff = storageDiff(before, after);
  const cut = (v) => (v && v.length > 160 ? `${v.slice(0, 160)}… (${v.length} chars)` : v);
  const detail = [
    ...diff.added.map((k) => `added ${k} = ${cut(after[k])}`),
    ...diff.removed.map((k) => `removed ${k} (was ${cut(before[k])})`),
    ...diff.changed.map((k) => `changed ${k}:\n      was ${cut(before[k])}\n      now ${cut(after[k])}`),
  ];
  assert.deepEqual(detail, [], `${what}: My scenarios changed:\n    ${detail.join('\n    ')}`);
}

/**
 * A page of the same origin that is not the app (the repo's README, served
 * as text), to read localStorage without a tab of the app taking part.
 */
export async function openProbe(context, url) {
  const page = await context.newPage();
  await page.goto(new URL('README.md', url).href, { waitUntil: 'load' });
  return page;
}

/**
 * Opens `url` in a new page of `context` with everything recorded: errors
 * (collectErrors), dialogs (dismissed), and in the page every localStorage
 * write of a record (window.__kw: {key, value}) and removal. Waits for the app.
 */
export async function openTab(context, url, { ready = true } = {}) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    const writes = [];
    Object.defineProperty(window, '__kw', { value: writes });
    const { setItem, removeItem } = Storage.prototype;
    Storage.prototype.setItem = function (key, value) {
      if (this === window.localStorage && String(key).startsWith('hlcviz.scenario.')) {
        writes.push({ key: String(key), value: String(value), t: Date.now() });
        heard.push(`${Date.now() % 100000} write ${String(key).slice(-4)} ${tail(this.getItem(key))}->${tail(String(value))}`);
      }
      return setItem.call(this, key, value);
    };
    // Storage events received, and each time the conflict bar shows or hides.
    const heard = [];
    Object.defineProperty(window, '__kheard', { value: heard });
    const tail = (v) => { try { return JSON.parse(v).link.slice(-8); } catch { return v === null ? null : '?'; } };
    window.addEventListener('storage', (e) => {
      if (String(e.key).startsWith('hlcviz.scenario.')) heard.push(`${Date.now() % 100000} storage ${String(e.key).slice(-4)} ${tail(e.oldValue)}->${tail(e.newValue)}`);
    });
    document.addEventListener('DOMContentLoaded', () => {
      const bar = document.getElementById('conflict');
      if (bar) new MutationObserver(() => heard.push(`${Date.now() % 100000} bar ${bar.hidden ? 'hidden' : 'shown'}`)).observe(bar, { attributes: true, attributeFilter: ['hidden'] });
    });
    Storage.prototype.removeItem = function (key) {
      if (this === window.localStorage && String(key).startsWith('hlcviz.scenario.')) {
        writes.push({ key: String(key), value: null, t: Date.now() });
      }
      return removeItem.call(this, key);
    };
  });
  const errors = collectErrors(page);
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  if (ready) {
    await waitForApp(page);
    await trackPersist(page);
  }
  return { page, errors, dialogs };
}

/** Closes a tab the way a person does (beforeunload, pagehide run) and waits until it is gone. */
export async function closeTab(page) {
  if (page.isClosed()) return;
  const gone = new Promise((resolve) => page.once('close', resolve));
  await page.close({ runBeforeUnload: true });
  await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
  assert.ok(page.isClosed(), 'the tab did not close within 5 s');
}

/** Asserts no crash: #fatal hidden, no collected error, no dialog. */
export async function assertHealthy(tab, what) {
  const { page, errors, dialogs } = tab;
  if (!page.isClosed()) {
    const fatal = await page.evaluate(() => {
      const el = document.getElementById('fatal');
      return el && !el.hidden ? document.getElementById('fatal-text').textContent : null;
    });
    assert.equal(fatal, null, `${what}: the crash banner is shown`);
  }
  assert.deepEqual(errors, [], `${what}: page errors`);
  assert.deepEqual(dialogs, [], `${what}: dialogs`);
}

/** What the save machinery shows and holds in a tab. */
export const saveState = (page) =>
  page.evaluate((tabKey) => ({
    status: document.getElementById('save-status').textContent,
    saveNowHidden: document.getElementById('save-now').hidden,
    conflict: !document.getElementById('conflict').hidden,
    conflictText: document.getElementById('conflict-text').textContent,
    entry: sessionStorage.getItem(tabKey),
    hash: location.hash,
    notice: window.hlcviz.lastNotice(),
  }), TAB_KEY);

/** Double-clicks node `node`'s line at canvas x fraction `f` (0..1) of the plot: a local event. */
export async function dblclickLane(page, node, f = 0.5) {
  const geom = await geometry(page);
  const y = await page.evaluate((n) => window.hlcviz.laneY(n), node);
  assert.ok(y > AXIS_BAND && y < geom.box.height, `lane ${node} is off the canvas (y ${y})`);
  const left = GUTTER + 20;
  const right = geom.box.width - RIGHT_MARGIN - 20;
  const x = Math.round(geom.box.x + left + f * (right - left));
  await page.mouse.move(x, Math.round(geom.box.y + y) - 25, { steps: 2 });
  await page.mouse.dblclick(x, Math.round(geom.box.y + y));
}

/** Waits until the tab's record holds its current scenario (its fragment) and nothing is pending. */
export async function waitSaved(page, { timeout = 4_000 } = {}) {
  return until(
    () =>
      page.evaluate(([prefix, tabKey]) => {
        const id = sessionStorage.getItem(tabKey);
        if (!id) return null;
        let r;
        try {
          r = JSON.parse(localStorage.getItem(prefix + id));
        } catch {
          return null;
        }
        return r && `#${r.link}` === location.hash && (window.__e2ePending ?? 0) === 0 ? { id, record: r } : null;
      }, [RECORD_PREFIX, TAB_KEY]),
    { timeout, what: 'the tab to save its scenario to its record' },
  );
}

/** Where each of `words` first occurs in the text nodes under `selector`: {word: {x, y, width, text}} (DOM Range boxes). */
export function wordXs(page, selector, words) {
  return page.evaluate(
    ([sel, list]) => {
      const root = document.querySelector(sel);
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const out = {};
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const w of list) {
          if (out[w] !== undefined) continue;
          const at = node.data.indexOf(w);
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + w.length);
          const rect = range.getBoundingClientRect();
          out[w] = { x: rect.x, y: rect.y, width: rect.width, text: node.data };
        }
      }
      return out;
    },
    [selector, words],
  );
}

/**
 * An edit for sure: double-clicks node `node`'s line (at plot fraction f,
 * then a little further each time) until the page added a local event.
 */
export async function addEventByDblclick(page, node, f = 0.5) {
  const count = () => page.evaluate(() => window.hlcviz.getScenario().events.length);
  const before = await count();
  for (let k = 0; k < 6; k++) {
    await dblclickLane(page, node, (f + k * 0.071) % 1);
    if ((await count()) > before) return;
    await page.keyboard.press('Escape'); // a double-click on an event selected it
  }
  throw new Error(`no local event was added by double-clicking node ${node}'s line`);
}
