// Helpers for hostile.test.mjs and robust.test.mjs: hostile node names, a
// permalink encoder written from docs/permalink.md (to build links the page
// itself would never write), pages instrumented to record CSP violations,
// dangerous elements, dialogs and every request. Not a test file (no `.test.`
// in its name).
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { collectErrors, waitForApp } from './harness.mjs';
import { until } from './ui.mjs';

import { latestSavedLink } from './share-helpers.mjs';
export { latestSavedLink };

// ------------------------------------------------------------ hostile names

/** 64 Unicode scalar values: right-to-left override and marks, Hebrew and
 *  Arabic, combining marks, a ZWJ family, flags, skin tones, no whitespace
 *  and no control characters (Cc); format characters (Cf) are allowed. */
export const RTL_EMOJI_MIX = (() => {
  const parts = [
    '\u202E', 'שלום', '\u200F', 'مرحبا', '\u202C', '👩\u200D👩\u200D👧', '🇩🇪', '👍🏽',
    'e\u0301', '\u2067', 'עברית', '\u2069', '𝕏', '\uFE0F', '🏳️\u200D🌈', 'ا\u0651',
  ];
  let s = parts.join('');
  const filler = Array.from('😀ת');
  let k = 0;
  while (Array.from(s).length < 64) s += filler[k++ % filler.length];
  return s;
})();

/** Node names that are markup, script URLs or break out of attributes/titles. */
export const PAYLOADS = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=2</script>',
  '"><svg onload=window.__pwned=3>',
  'javascript:window.__pwned=4',
  '</title><script>window.__pwned=5</script>',
  RTL_EMOJI_MIX,
];

/** A valid scenario whose node names are PAYLOADS: local events and messages
 *  between every pair of neighbours, so every name appears in explanations. */
export function hostileScenario() {
  const nodes = PAYLOADS.map((name, i) => ({ name, skew_ms: (i % 3) * 40 - 40 }));
  const events = PAYLOADS.map((_, i) => ({ node: i, at_ms: 100 + i * 37 }));
  const messages = [];
  for (let i = 0; i + 1 < PAYLOADS.length; i++) {
    messages.push({ from: i, sent_at_ms: 400 + i * 60, to: i + 1, received_at_ms: 430 + i * 60 + 5 });
  }
  messages.push({ from: PAYLOADS.length - 1, sent_at_ms: 900, to: 0, received_at_ms: 980 });
  return { version: 1, nodes, events, messages };
}

/**
 * A ShiViz log (ShiViz's default two-line format) whose hosts are `names`: a
 * chain where host k's first event receives from host k-1, then each host
 * logs a local event. Descriptions are hostile too. Clock keys are JSON
 * strings (JSON.stringify escapes the quotes in the names).
 */
export function hostileShivizLog(names) {
  const lines = ['(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})', ''];
  const known = {};
  names.forEach((host, k) => {
    known[host] = 1;
    lines.push(`<img src=x onerror="window.__pwned=7"> hop ${k}`);
    lines.push(`${host} ${JSON.stringify(known)}`);
  });
  names.forEach((host) => {
    const clock = { ...known, [host]: 2 };
    lines.push('<script>window.__pwned=8</script>');
    lines.push(`${host} ${JSON.stringify(clock)}`);
  });
  return `${lines.join('\n')}\n`;
}

// --------------------------------------------------- permalink (format v1)
// Written from docs/permalink.md and src/permalink.rs. The XSS test checks
// this encoder against the page's own link, so a format change shows up there
// first.

/** LEB128 varint of a non-negative integer (number or BigInt). */
export function varint(value) {
  let v = BigInt(value);
  assert.ok(v >= 0n, 'varint of a negative number');
  const out = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v === 0n) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** Zigzag then varint, for signed integers. */
export const svarint = (value) => {
  const v = BigInt(value);
  return varint(v >= 0n ? v << 1n : (-v << 1n) - 1n);
};

/** 32-bit FNV-1a of bytes. */
export function fnv1a(bytes) {
  let hash = 0x811c9dc5;
  for (const b of bytes) hash = Math.imul(hash ^ b, 0x01000193) >>> 0;
  return hash >>> 0;
}

/**
 * `v1.` + base64url (no padding) of the payload of src/permalink.rs encode():
 * the body's length (varint), a check byte for it (low byte of its FNV-1a),
 * the body, and the FNV-1a of all that, little-endian.
 */
export function linkOfBody(body) {
  const length = varint(body.length);
  const payload = [...length, fnv1a(length) & 0xff, ...body];
  const sum = fnv1a(payload);
  const all = Buffer.from([...payload, sum & 0xff, (sum >>> 8) & 0xff, (sum >>> 16) & 0xff, sum >>> 24]);
  return `v1.${all.toString('base64url')}`;
}

/** The body of a scenario, field by field as docs/permalink.md lists them. */
export function scenarioBody(s, snapshot = null) {
  const maxOffset = s.settings?.max_offset_ms ?? null;
  const b = [];
  b.push(...varint((maxOffset !== null ? 1 : 0) | (snapshot ? 2 : 0)));
  b.push(...varint(s.settings?.counter_bits ?? 16));
  if (maxOffset !== null) b.push(...svarint(maxOffset));
  b.push(...varint(s.nodes.length));
  for (const n of s.nodes) {
    const name = Buffer.from(n.name, 'utf8');
    b.push(...varint(name.length), ...name);
    b.push(...svarint(n.skew_ms ?? 0), ...svarint(n.drift_ppm ?? 0));
    b.push(...varint((n.steps ?? []).length));
    for (const st of n.steps ?? []) b.push(...svarint(st.at_ms), ...svarint(st.by_ms));
  }
  const events = s.events ?? [];
  b.push(...varint(events.length));
  let prev = 0;
  for (const e of events) {
    b.push(...varint(e.node), ...svarint(e.at_ms - prev));
    prev = e.at_ms;
  }
  const messages = s.messages ?? [];
  b.push(...varint(messages.length));
  prev = 0;
  for (const m of messages) {
    b.push(...varint(m.from), ...varint(m.to), ...svarint(m.sent_at_ms - prev));
    b.push(...varint(m.received_at_ms - m.sent_at_ms - 1));
    prev = m.sent_at_ms;
  }
  if (snapshot) b.push(...svarint(snapshot.l), ...varint(snapshot.c));
  return b;
}

/** The fragment (without '#') of a scenario, as the page should write it. */
export const encodeLink = (scenario, snapshot = null) => linkOfBody(scenarioBody(scenario, snapshot));

/**
 * The body a `v1.` or `v2.` link frames, its framing checked as the page
 * checks it; a `v2.` link's data is the body deflated (raw), inflated here by
 * Node's own zlib, so the page's compression is checked independently.
 */
export function bodyOfLink(link) {
  const [, version, rest] = /^v(\d+)\.(.*)$/.exec(link) ?? [];
  assert.ok(version === '1' || version === '2', `a v1 or v2 link: ${link.slice(0, 20)}`);
  const all = Buffer.from(rest, 'base64url');
  let at = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    const b = all[at++];
    length += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) break;
  }
  assert.equal(all[at], fnv1a(all.subarray(0, at)) & 0xff, 'the length check byte');
  const data = all.subarray(at + 1, at + 1 + length);
  const sum = fnv1a(all.subarray(0, at + 1 + length));
  assert.equal(all.readUInt32LE(at + 1 + length), sum, 'the checksum');
  return [...(version === '2' ? zlib.inflateRawSync(data) : data)];
}

// ------------------------------------------------------ instrumented pages

/**
 * Runs in every document before the page's scripts (page.addInitScript):
 * records CSP violations, and every element of a dangerous kind or with an
 * on* attribute added to the document after boot, in window.__hostile.
 */
export function instrument() {
  const log = { csp: [], added: [], readyAt: null };
  Object.defineProperty(window, '__hostile', { value: log });
  // When main.js publishes window.hlcviz (the page is up), in page time.
  let api;
  Object.defineProperty(window, 'hlcviz', {
    configurable: true,
    enumerable: true,
    get: () => api,
    set: (v) => {
      api = v;
      log.readyAt = performance.now();
    },
  });
  document.addEventListener('securitypolicyviolation', (e) => {
    log.csp.push({
      directive: e.violatedDirective,
      blocked: e.blockedURI,
      sample: e.sample,
      source: e.sourceFile,
      line: e.lineNumber,
    });
  });
  const dangerous = /^(script|img|svg|iframe|object|embed|image|frame|frameset|link|meta|base|form|math|video|audio|source|style)$/i;
  const check = (el) => {
    const handlers = Array.from(el.attributes || []).filter((a) => /^on/i.test(a.name)).map((a) => a.name);
    if (dangerous.test(el.localName) || handlers.length) {
      log.added.push(`<${el.localName}${handlers.length ? ` ${handlers.join(' ')}` : ''}>`);
    }
  };
  new MutationObserver((records) => {
    if (!window.hlcviz) return; // the page's own markup, while it boots
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        check(n);
        n.querySelectorAll('*').forEach(check);
      }
      if (r.type === 'attributes' && /^on/i.test(r.attributeName)) check(r.target);
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
}

/**
 * A new page of `context`, instrumented: errors (collectErrors), dialogs
 * (dismissed and recorded), every request URL. Navigates to `url` unless
 * `navigate` is false, and waits for the app unless `ready` is false.
 */
export async function openInstrumented(context, url, { navigate = true, ready = true, timeout = 20_000 } = {}) {
  const page = await context.newPage();
  await page.addInitScript(instrument);
  const errors = collectErrors(page);
  const dialogs = [];
  const requests = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on('request', (r) => requests.push(r.url()));
  if (navigate) {
    await page.goto(url, { waitUntil: 'commit', timeout: 30_000 });
    if (ready) await waitForApp(page, { timeout });
  }
  return { page, errors, dialogs, requests };
}

/** What the instrumentation saw: CSP violations and dangerous elements added. */
export const hostileLog = (page) => page.evaluate(() => window.__hostile);

/**
 * Waits until the fragment and the autosave hold the same v1 link and have
 * stayed put for longer than the 250 ms debounce; returns {hash, autosave}.
 */
export async function settled(page, { timeout = 5_000 } = {}) {
  let last = null;
  let since = 0;
  let seen = null;
  return until(
    async () => {
      const now = await page.evaluate((latest) => ({ hash: location.hash, autosave: new Function(`return (${latest})()`)() }), latestSavedLink.toString());
      seen = now;
      const written = /^#v[12]\./.test(now.hash) && now.autosave === now.hash.slice(1);
      if (!written || !last || last.hash !== now.hash) {
        last = written ? now : null;
        since = Date.now();
        return null;
      }
      return Date.now() - since > 400 ? now : null;
    },
    { timeout, interval: 50, what: 'the fragment and the autosave to be written and settle' },
  ).catch((err) => {
    const cut = (v) => (v && v.length > 80 ? `${v.slice(0, 80)}… (${v.length})` : v);
    throw new Error(`${err.message} (last: hash ${cut(seen?.hash)}, autosave ${cut(seen?.autosave)})`);
  });
}

/** `s` with its character `i` changed (to 'Q', or to 'g' where it was 'Q'). */
export const garbleAt = (s, i) => s.slice(0, i) + (s[i] === 'Q' ? 'g' : 'Q') + s.slice(i + 1);

/** A small deterministic PRNG (mulberry32), so storms are reproducible. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
