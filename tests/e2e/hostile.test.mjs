// Hostile input: node names that are markup or script (delivered by a link,
// a scenario file and a ShiViz log) must only ever show as text; the
// Content-Security-Policy holds; and a corpus of broken, forged and oversized
// links is refused with a notice, never replacing or overwriting the autosave.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { screenshot, useApp } from './harness.mjs';
import {
  latestSavedLink,
  PAYLOADS,
  bodyOfLink,
  encodeLink,
  garbleAt,
  hostileLog,
  hostileScenario,
  hostileShivizLog,
  linkOfBody,
  openInstrumented,
  scenarioBody,
  settled,
  svarint,
  varint,
} from './hostile-helpers.mjs';
import { normalize } from './model.mjs';
import { canvasTexts, frames, until, watchCanvasText, plain, reveal } from './ui.mjs';

const app = useApp();
// Tall, so the long notice of the ShiViz import (bottom of the window) does not cover the diagram.
const VIEWPORT = { width: 1280, height: 1400 };

/** Whether `text` is what the diagram draws for a node name: the name, or
 *  as much of its start as fits the gutter followed by "…" (src/scene.rs). */
const isDrawnName = (text, name) =>
  text === name || (text.endsWith('…') && text.length > 1 && name.startsWith(text.slice(0, -1)));

/**
 * A 1 px window resize. It was a workaround for a fixed page bug (a long node
 * name widened the side panel and the canvas was not re-measured; see
 * robust.test.mjs 'a 64-character node name ...'); kept because it is harmless
 * and makes pointing independent of when the page re-measures.
 */
async function remeasure(page) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: size.width + 1, height: size.height });
  await page.setViewportSize(size);
  await until(() => page.evaluate(() => {
    const c = document.getElementById('diagram');
    return Math.abs(c.width / devicePixelRatio - c.getBoundingClientRect().width) < 1;
  }), { what: 'the canvas to be re-measured' });
  await page.focus('#diagram');
  await page.keyboard.press('f'); // fit the view to the new width
}

/** Everything that could show that a name was taken for markup or script. */
async function assertNothingRan(page, { dialogs, requests }, what) {
  const state = await page.evaluate(() => ({
    pwned: typeof window.__pwned === 'undefined' ? 'undefined' : String(window.__pwned),
    title: document.title,
    scripts: Array.from(document.scripts).map((s) => `${s.type}:${s.getAttribute('src')}`),
    elements: Array.from(
      document.querySelectorAll('img, script:not([type=module]), svg, iframe, object, embed, foreignObject, math'),
    ).map((e) => e.outerHTML.slice(0, 80)),
    handlers: Array.from(document.querySelectorAll('*')).flatMap((e) =>
      Array.from(e.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${e.localName}[${a.name}]`),
    ),
    javascriptUrls: Array.from(document.querySelectorAll('[href], [src], [action]'))
      .map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action'))
      .filter((u) => /^\s*javascript:/i.test(u)),
  }));
  assert.equal(state.pwned, 'undefined', `${what}: window.__pwned was set`);
  assert.equal(state.title, 'HLC visualizer: Hybrid Logical Clocks, interactive', `${what}: title changed`);
  assert.deepEqual(state.scripts, ['module:www/main.js'], `${what}: scripts in the document`);
  assert.deepEqual(state.elements, [], `${what}: elements made from names`);
  assert.deepEqual(state.handlers, [], `${what}: on* attributes`);
  assert.deepEqual(state.javascriptUrls, [], `${what}: javascript: URLs`);
  const log = await hostileLog(page);
  assert.deepEqual(log.added, [], `${what}: dangerous elements added after boot`);
  assert.deepEqual(log.csp, [], `${what}: CSP violations (an injected inline script or handler would show here)`);
  assert.deepEqual(dialogs, [], `${what}: dialogs`);
  const origin = new URL(app.url).origin;
  const foreign = requests.filter(
    (u) => !(u.startsWith(`${origin}/`) || u.startsWith(`blob:${origin}/`) || u.startsWith('data:')),
  );
  assert.deepEqual(foreign, [], `${what}: requests to other origins`);
  const x = requests.filter((u) => /\/x(?:[?#]|$)/.test(u)).concat(app.server.requests.filter((r) => / \/x(?:[?#]|$)/.test(r)));
  assert.deepEqual(x, [], `${what}: the <img src=x> of a name was requested`);
}

/**
 * Every place a node name shows, each checked to hold exactly the name as
 * text: the tooltip and #details of each message's receive (which name the
 * sender and the receiver), the table, the node rows, the node selects, the
 * canvas labels and the exported SVG.
 */
async function exerciseNames(page, names, what) {
  const scenario = await page.evaluate(() => window.hlcviz.getScenario());
  assert.deepEqual(scenario.nodes.map((n) => n.name), names, `${what}: the node names, unchanged`);

  // Tooltip and details of receives that between them name every node.
  const box = await page.locator('canvas#diagram').boundingBox();
  const tooltip = page.locator('#tooltip');
  const named = new Set();
  const receives = [];
  scenario.messages.forEach((m, i) => {
    if (named.has(m.from) && named.has(m.to)) return;
    named.add(m.from).add(m.to);
    receives.push(i);
  });
  assert.equal(named.size, names.length, `${what}: the messages do not name every node`);
  for (const i of receives) {
    const m = scenario.messages[i];
    const pos = await page.evaluate((k) => window.hlcviz.eventPosition('recv', k), i);
    const p = { x: Math.round(box.x + pos.x), y: Math.round(box.y + pos.y) };
    await page.mouse.move(p.x, p.y, { steps: 2 });
    const want = plain(`${names[m.to]}: receive of message m${i} from ${names[m.from]}`);
    let shown = null;
    await until(async () => {
      shown = (await tooltip.isVisible()) ? plain(await tooltip.textContent()) : null;
      return shown?.includes(want);
    }, { what: `${what}: the tooltip of m${i}'s receive (at ${JSON.stringify(pos)}) to say ${JSON.stringify(want)}, not ${JSON.stringify(shown)}` }).catch((err) => {
      throw new Error(`${err.message}; it says ${JSON.stringify(shown)}`);
    });
    await page.mouse.down();
    await page.mouse.up();
    await until(async () => (plain(await page.locator('#details').textContent())).includes(want), {
      what: `${what}: #details of m${i}'s receive to say ${JSON.stringify(want)}`,
    });
  }
  const markup = await page.evaluate(() => ({
    tooltip: Array.from(document.querySelectorAll('#tooltip *')).map((e) => e.localName),
    details: Array.from(document.querySelectorAll('#details *')).map((e) => e.localName),
  }));
  for (const tag of [...markup.tooltip, ...markup.details]) {
    assert.match(tag, /^(p|span|b|strong|em|br|div|code|ul|li|button|table|tr|td|th|tbody|thead|sup|sub)$/, `${what}: <${tag}> in tooltip/details`);
  }

  // The table: one row per event, the node column holds the name as text.
  if ((await page.getAttribute('#toggle-table', 'aria-pressed')) !== 'true') await page.click('#toggle-table');
  await page.locator('#table-view').waitFor({ state: 'visible' });
  const cells = await page.evaluate(() =>
    Array.from(document.querySelectorAll('#event-table-body td')).map((td) => td.textContent.replace(/[\u2066-\u2069]/g, '')),
  );
  for (const name of names) assert.ok(cells.includes(plain(name)), `${what}: no table cell holds exactly ${JSON.stringify(name)}`);

  // Node rows and the node selects of the keyboard forms.
  const fields = await page.evaluate(() => ({
    rows: Array.from(document.querySelectorAll('#nodes .node-name')).map((e) => e.value),
    selects: ['add-event-node', 'add-message-from', 'add-message-to'].map((id) =>
      Array.from(document.querySelectorAll(`#${id} option`)).map((o) => o.textContent),
    ),
  }));
  assert.deepEqual(fields.rows, names, `${what}: .node-name values`);
  for (const options of fields.selects) assert.deepEqual(options, names, `${what}: select options`);

  // The canvas paints the (shortened) names as text.
  await watchCanvasText(page);
  await page.mouse.move(Math.round(box.x + box.width / 2), Math.round(box.y + 10), { steps: 2 });
  const painted = (await canvasTexts(page)).map((t) => t.text);
  for (const name of names) {
    assert.ok(painted.some((t) => isDrawnName(t, name)), `${what}: the canvas has no label for ${JSON.stringify(name)} (painted: ${JSON.stringify(painted.slice(0, 12))})`);
  }

  // The SVG export, parsed (not inserted) in the page.
  await reveal(page, '#export-svg');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 5_000 }), page.click('#export-svg')]);
  const svg = readFileSync(await download.path(), 'utf8');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const all = Array.from(doc.querySelectorAll('*'));
    const texts = [];
    const walker = doc.createTreeWalker(doc, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n.data);
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: doc.documentElement.localName,
      tags: [...new Set(all.map((e) => e.localName))],
      handlers: all.flatMap((e) => Array.from(e.attributes).filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
      links: all.filter((e) => e.hasAttribute('href') || e.hasAttribute('xlink:href')).length,
      texts,
    };
  }, svg);
  assert.equal(parsed.error, null, `${what}: the SVG does not parse`);
  assert.equal(parsed.root, 'svg');
  const unexpected = parsed.tags.filter((t) => !/^(svg|g|rect|line|polyline|polygon|path|circle|ellipse|text|tspan|title|desc|defs|marker|clipPath|use)$/.test(t));
  assert.deepEqual(unexpected, [], `${what}: unexpected elements in the SVG`);
  assert.deepEqual(parsed.handlers, [], `${what}: on* attributes in the SVG`);
  assert.equal(parsed.links, 0, `${what}: links in the SVG`);
  for (const name of names) {
    // Names are drawn bidi-isolated (U+2068 … U+2069, src/bidi.rs).
    const isolated = (t) => t.startsWith('\u2068') && t.endsWith('\u2069') && isDrawnName(t.slice(1, -1), name);
    assert.ok(parsed.texts.some(isolated), `${what}: no SVG text node draws ${JSON.stringify(name)}, isolated`);
  }
}

test('XSS: markup and script as node names, by link, scenario file and ShiViz log, only ever show as text', async () => {
  const scenario = hostileScenario();
  // The link, made by the page itself.
  const maker = await app.browser.newContext({ viewport: VIEWPORT });
  let link;
  try {
    const { page, errors } = await openInstrumented(maker, app.url);
    await page.evaluate((s) => window.hlcviz.setScenario(s), scenario);
    link = (await settled(page)).hash;
    // The page's link holds the body src/permalink.rs describes (as
    // hostile-helpers.mjs writes it), compressed (v2) or not (v1).
    assert.deepEqual(bodyOfLink(link.slice(1)), scenarioBody(normalize(scenario)), "the page's link frames the documented body");
    if (link.startsWith('#v1.')) assert.equal(link.slice(1), encodeLink(normalize(scenario)));
    assert.deepEqual(errors, []);
  } finally {
    await maker.close();
  }

  const context = await app.browser.newContext({ viewport: VIEWPORT });
  try {
    // (a) The link, in a fresh context.
    const probe = await openInstrumented(context, `${app.url}${link}`);
    const { page, errors } = probe;
    assert.deepEqual(normalize(await page.evaluate(() => window.hlcviz.getScenario())), normalize(scenario));
    await remeasure(page);
    await exerciseNames(page, PAYLOADS, 'link');
    await page.click('#toggle-table'); // table away for the picture
    await page.evaluate(() => window.scrollTo(0, 0));
    await frames(page);
    await screenshot(page, 'hostile-names');
    await assertNothingRan(page, probe, 'link');

    // (b) A scenario file (nodes in reverse order, so it is a change), with a
    // hostile file name.
    const reversed = structuredClone(scenario);
    reversed.nodes.reverse();
    const last = reversed.nodes.length - 1;
    for (const e of reversed.events) e.node = last - e.node;
    for (const m of reversed.messages) [m.from, m.to] = [last - m.from, last - m.to];
    const fileName = '<img src=x onerror="window.__pwned=6">.json';
    await page.setInputFiles('#import-file', {
      name: fileName,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(reversed)),
    });
    await until(async () => plain(await page.evaluate(() => window.hlcviz.lastNotice())) === `Opened ${fileName}.`, {
      what: 'the upload notice',
    });
    assert.equal(plain(await page.locator('#notice-text').textContent()), `Opened ${fileName}.`, 'the file name shows as text');
    await remeasure(page);
    await exerciseNames(page, [...PAYLOADS].reverse(), 'scenario file');
    await assertNothingRan(page, probe, 'scenario file');

    // (c) A ShiViz log whose hosts are the payloads.
    const logName = '"><svg onload=window.__pwned=10>.log';
    await page.setInputFiles('#import-file', {
      name: logName,
      mimeType: 'text/plain',
      buffer: Buffer.from(hostileShivizLog(PAYLOADS)),
    });
    await until(async () => plain(await page.evaluate(() => window.hlcviz.lastNotice()))?.startsWith(`Imported ${logName} as a ShiViz log`), {
      what: 'the ShiViz import notice',
    });
    await remeasure(page);
    await exerciseNames(page, PAYLOADS, 'ShiViz log');
    await assertNothingRan(page, probe, 'ShiViz log');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('CSP: the policy is in force, blocks inline script, and the page itself never violates it', async () => {
  const context = await app.browser.newContext({ viewport: VIEWPORT });
  try {
    const probe = await openInstrumented(context, app.url);
    const { page, errors } = probe;
    const policy = await page.evaluate(
      () => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
    );
    assert.ok(policy, 'no CSP meta tag');
    const directives = Object.fromEntries(
      policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]),
    );
    assert.deepEqual(directives['default-src'], ["'self'"]);
    assert.deepEqual(directives['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
    assert.deepEqual(directives['object-src'], ["'none'"]);
    assert.deepEqual(directives['base-uri'], ["'none'"]);
    assert.ok(!policy.includes('unsafe-inline') && !policy.includes("'unsafe-eval'"), policy);
    // The page booted under it (the wasm compiled with only 'wasm-unsafe-eval').
    assert.deepEqual((await hostileLog(page)).csp, [], 'violations while booting');

    // An inline script is refused.
    let added = 'added';
    try {
      await page.addScriptTag({ content: 'window.__inline = 1;' });
    } catch (err) {
      added = `refused: ${err.message.split('\n')[0]}`;
    }
    await frames(page);
    assert.equal(await page.evaluate(() => typeof window.__inline), 'undefined', `inline script ran (${added})`);
    const log = await until(async () => {
      const l = await hostileLog(page);
      return l.csp.length ? l : null;
    }, { what: 'the securitypolicyviolation event of the inline script' });
    assert.deepEqual(log.csp.map((v) => v.directive), ['script-src-elem'], JSON.stringify(log.csp));
    assert.equal(log.csp[0].blocked, 'inline');

    // Using the page (panel, table, exports, an upload) violates nothing more.
    await page.click('#toggle-table');
    await page.click('#help-button');
    await page.keyboard.press('Escape');
    await reveal(page, '#export-png');
    await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
    await page.setInputFiles('#import-file', {
      name: 'a.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ nodes: [{ name: 'P' }, { name: 'Q' }] })),
    });
    await until(async () => plain(await page.evaluate(() => window.hlcviz.lastNotice())) === 'Opened a.json.', { what: 'upload' });
    await frames(page);
    assert.equal((await hostileLog(page)).csp.length, 1, JSON.stringify((await hostileLog(page)).csp));
    assert.deepEqual(errors.filter((e) => !/Content Security Policy/.test(e)), []);
  } finally {
    await context.close();
  }
});

// ------------------------------------------------------- hostile link corpus

const AUTOSAVED = {
  version: 1,
  nodes: [{ name: 'kept', skew_ms: 25 }, { name: 'safe', skew_ms: -40 }],
  events: [{ node: 0, at_ms: 150 }, { node: 1, at_ms: 420 }],
  messages: [{ from: 0, sent_at_ms: 250, to: 1, received_at_ms: 330 }],
  settings: { max_offset_ms: null, counter_bits: 16 },
};
const OTHER = {
  version: 1,
  nodes: [{ name: 'other' }, { name: 'link' }, { name: 'here' }],
  events: [{ node: 2, at_ms: 50 }],
  messages: [{ from: 0, sent_at_ms: 100, to: 2, received_at_ms: 180 }, { from: 2, sent_at_ms: 300, to: 1, received_at_ms: 390 }],
  settings: { max_offset_ms: 200, counter_bits: 8 },
};

/** Replaces the character at i by another base64url character. */
const GARBLED = /could not be opened: the link is garbled/;
const SHORT = /could not be opened: the link is cut short \(was it copied whole\?\)/;
const NOT_OURS = /could not be opened: the link's #fragment is not a scenario from this visualizer/;
const FALLBACK = /Showing your saved scenario .+ instead\.$/;

/** The corpus: [name, fragment (after '#'), expected notice or null]. */
function corpus(good) {
  const payload = good.slice(3);
  const n = payload.length;
  const twoNodes = { nodes: [{ name: 'a' }, { name: 'b' }] };
  const body = (s) => scenarioBody({ events: [], messages: [], ...s });
  return [
    ['truncated to half', good.slice(0, 3 + (n >> 1)), SHORT],
    ['truncated by one character', good.slice(0, -1), SHORT],
    ['truncated to 4 characters (3 bytes)', good.slice(0, 7), SHORT],
    // The length prefix has its own check byte: garbling it is "garbled" too.
    ...[0, 1].map((i) => [`one character garbled at ${i}/${n}`, `v1.${garbleAt(payload, i)}`, GARBLED]),
    ...[n >> 1, n - 2, n - 1].map((i) => [`one character garbled at ${i}/${n}`, `v1.${garbleAt(payload, i)}`, GARBLED]),
    ['garbled version tag', `w${good.slice(1)}`, NOT_OURS],
    ['version v0.', `v0.${payload}`, NOT_OURS],
    ['version v99.', `v99.${payload}`, /made by a newer version of the visualizer \(format v99; this page reads up to v2\)/],
    ['empty #', '', null],
    ['#v1.', 'v1.', SHORT],
    ['percent-encoded junk', 'v1.%00%FF%3Cscript%3Ealert(1)%3C%2Fscript%3E%0A', /garbled \(characters that cannot be in a scenario link\)/],
    ['percent-encoded prefix', '%76%31%2E' + payload, NOT_OURS],
    ['unicode payload', 'v1.ÄÖÜ✓😀שלום', /garbled \(characters that cannot be in a scenario link\)/],
    ['unicode instead of a link', '‮😀', NOT_OURS],
    ['base64 with padding', `${good}==`, /could not be opened: the link is garbled/],
    ['10^9 nodes, valid checksum', linkOfBody([0, 16, ...varint(1e9)]), /garbled \(1000000000 nodes is more than the limit of 64\)/],
    ['10^9 events, valid checksum', linkOfBody([...body(twoNodes).slice(0, -2), ...varint(1e9), 0]), /garbled \(1000000000 events is more than the limit of 200000\)/],
    ['64 nodes claimed, no bytes for them', linkOfBody([0, 16, ...varint(64)]), SHORT],
    ['an 11-byte varint', linkOfBody([0, 16, ...Array(10).fill(0xff), 1]), /garbled \(a number is too large\)/],
    ['unknown flags', linkOfBody([16, ...body(twoNodes).slice(1)]), /garbled \(unknown flags 0b10000\)/],
    ['extra bytes after the scenario', linkOfBody([...body(twoNodes), 0]), /garbled \(extra bytes after the scenario\)/],
    ['a name that is not UTF-8', linkOfBody([0, 16, 1, 2, 0xc3, 0x28, 0, 0, 0, 0, 0]), /garbled \(a node name is not text\)/],
    ['valid link, message to itself', linkOfBody(body({ ...twoNodes, messages: [{ from: 1, to: 1, sent_at_ms: 10, received_at_ms: 20 }] })),
      /the link's scenario is invalid: message 0 is sent from a node to itself/],
    ['valid link, control character in a name', linkOfBody(body({ nodes: [{ name: 'bell\u0007' }] })),
      /the link's scenario is invalid: node 0: name contains control characters/],
    ['valid link, skew out of range', linkOfBody(body({ nodes: [{ name: 'far', skew_ms: 90_000_000 }] })),
      /the link's scenario is invalid: node 0 skew_ms = 90000000 is out of range/],
    ['valid link, time delta overflowing i64', linkOfBody([...body(twoNodes).slice(0, -2), 2, 0, ...svarint((1n << 62n)), 0, ...svarint((1n << 62n) * 2n - 1n), 0]),
      /garbled \(a time is out of range\)|the link's scenario is invalid/],
    ['1.9 MB of A', `v1.${'A'.repeat(1_990_000)}`, GARBLED],
  ];
}

test('hostile links: each is refused with a notice, shows the autosave and leaves it byte-identical', async (t) => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    // An autosave, made by editing; and a good link of another scenario, made by the page.
    const first = await openInstrumented(context, app.url);
    await first.page.evaluate((s) => window.hlcviz.setScenario(s), OTHER);
    const good = (await settled(first.page)).hash.slice(1);
    await first.page.evaluate((s) => window.hlcviz.setScenario(s), AUTOSAVED);
    const saved = (await settled(first.page)).autosave;
    assert.deepEqual(first.errors, []);
    await first.page.close();
    assert.notEqual(good, saved);

    const cases = corpus(good);
    const failures = [];
    const timings = [];
    const run = async ([name, fragment, notice]) => {
      const started = Date.now();
      const big = fragment.length > 100_000;
      let page = null;
      try {
        const probe = await openInstrumented(context, `${app.url}#${fragment}`, { timeout: big ? 20_000 : 5_000 });
        page = probe.page;
        const { errors, dialogs } = probe;
        const wall = Date.now() - started;
        const state = await page.evaluate((k) => {
          const wasm = performance.getEntriesByType('resource').find((r) => r.name.endsWith('hlcviz_bg.wasm'));
          return {
            scenario: window.hlcviz.getScenario(),
            notice: document.getElementById('notice').hidden ? null : document.getElementById('notice-text').textContent.replace(/[\u2066-\u2069]/g, ''),
            last: window.hlcviz.lastNotice(),
            autosave: new Function(`return (${k})()`)(),
            ownMs: window.__hostile.readyAt - (wasm ? wasm.responseEnd : 0),
          };
        }, latestSavedLink.toString());
        // A 1.9 MB URL costs Chromium seconds of its own before the page runs
        // (see the report), so only the page's own part (from the wasm
        // arriving to ready) is bounded: 15 s, a sanity bound that a busy
        // 2-core machine still meets (the figures are printed, not judged).
        timings.push(`${name}: ready after ${wall} ms (page's own part ${Math.round(state.ownMs)} ms)`);
        if (big) assert.ok(state.ownMs < 15_000, `page's own start took ${state.ownMs} ms`);
        // A sanity bound, not a budget (the start-up budget is in scripts/bench.sh):
        // on a busy 2-core machine a normal start took 5 to 7 s here.
        else assert.ok(wall < 15_000, `ready after ${wall} ms`);
        assert.deepEqual(normalize(state.scenario), normalize(AUTOSAVED), 'the autosave is shown');
        if (notice) {
          assert.ok(state.notice, `no visible #notice (lastNotice: ${state.last})`);
          assert.match(state.notice, /^This link could not be opened: /);
          assert.match(state.notice, notice);
          assert.match(state.notice, FALLBACK);
        } else {
          assert.equal(state.notice, null, 'an empty fragment is no link: the autosave opens silently');
        }
        await page.waitForTimeout(Math.max(0, 1_000 - (Date.now() - started - wall)));
        const later = await page.evaluate(latestSavedLink);
        assert.equal(later, saved, 'the autosave is byte-identical after 1 s');
        assert.equal(state.autosave, saved);
        assert.deepEqual(errors, []);
        assert.deepEqual(dialogs, []);
      } catch (err) {
        failures.push(`${name}: ${err.message.split('\n').slice(0, 3).join(' ')}`);
      } finally {
        await page?.close();
      }
    };
    // Eight pages at a time (most of a case is the 1 s wait); the 1.9 MB link
    // alone afterwards, as it holds up the browser and so the others' start.
    const queue = cases.filter((c) => c[1].length <= 100_000);
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (queue.length) await run(queue.shift());
    }));
    for (const c of cases.filter((c) => c[1].length > 100_000)) await run(c);

    const slowest = timings.sort((a, b) => Number(b.match(/after (\d+)/)[1]) - Number(a.match(/after (\d+)/)[1]));
    t.diagnostic(`${cases.length} links; slowest: ${slowest.slice(0, 3).join('; ')}`);

    // 3 MB: Chromium refuses to navigate to a URL over 2 MiB; in an open page
    // the fragment can still be set (hashchange), and the page refuses it
    // before decoding, keeping the scenario.
    const huge = `v1.${'A'.repeat(3 * 1024 * 1024)}`;
    const probe = await openInstrumented(context, app.url, { navigate: false });
    let navigated = true;
    await probe.page.goto(`${app.url}#${huge}`, { waitUntil: 'commit', timeout: 10_000 }).catch(() => {
      navigated = false;
    });
    if (navigated) {
      failures.push('3 MB link: Chromium navigated to a URL over 2 MiB (expected it to refuse)');
    }
    await probe.page.goto(app.url, { waitUntil: 'commit' });
    await until(() => probe.page.evaluate(() => window.hlcviz?.ready === true), { timeout: 5_000, what: 'ready' });
    probe.errors.length = 0; // the refused navigation
    const started = Date.now();
    await probe.page.evaluate((h) => { location.hash = h; }, huge);
    const notice = await until(() => probe.page.evaluate(() => window.hlcviz.lastNotice()), { timeout: 5_000, what: '3 MB notice' });
    assert.ok(Date.now() - started < 5_000);
    assert.match(notice, /^This link could not be opened: the link is too long \(3145731 characters; at most 2097152 are read\)\. Your scenario is unchanged\.$/);
    assert.deepEqual(normalize(await probe.page.evaluate(() => window.hlcviz.getScenario())), normalize(AUTOSAVED));
    await probe.page.waitForTimeout(1_000);
    assert.equal(await probe.page.evaluate(latestSavedLink), saved);
    assert.deepEqual(probe.errors, []);
    assert.deepEqual(failures, []);
  } finally {
    await context.close();
  }
});

// Regression: with the www/pkg of 14:40 most cut links said "garbled
// (characters that cannot be in a scenario link)" or "garbled (its checksum
// does not match)"; the length-prefixed payload of src/permalink.rs fixed it.
test(
  'a link cut short says so, as docs/permalink.md promises ("cut short (was it copied whole?)")',
  async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const { page, errors } = await openInstrumented(context, app.url);
      await page.evaluate((s) => window.hlcviz.setScenario(s), OTHER);
      const good = (await settled(page)).hash.slice(1);
      const cuts = Array.from({ length: good.length - 4 }, (_, i) => i + 1);
      const notices = await noticesFor(page, cuts.map((cut) => good.slice(0, good.length - cut)));
      const wrong = cuts
        .map((cut, i) => [cut, notices[i]])
        .filter(([, notice]) => !SHORT.test(notice ?? ''))
        .map(([cut, notice]) => `cut by ${cut}: ${notice}`);
      assert.deepEqual(wrong, [], 'truncated links not reported as cut short');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);

/** The notices for fragments set one after another by hand (hashchange). */
const noticesFor = (page, fragments) =>
  page.evaluate(async (list) => {
    const out = [];
    for (const f of list) {
      // The page's hashchange listener runs before this one (it was added first).
      const changed = new Promise((resolve) => window.addEventListener('hashchange', resolve, { once: true }));
      location.hash = f;
      await changed;
      out.push(window.hlcviz.lastNotice());
    }
    return out;
  }, fragments);

test(
  'one changed character anywhere in a link says "garbled", never "cut short"',
  async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const { page, errors } = await openInstrumented(context, app.url);
      await page.evaluate((s) => window.hlcviz.setScenario(s), OTHER);
      const good = (await settled(page)).hash.slice(1);
      const positions = Array.from({ length: good.length - 3 }, (_, i) => i);
      const notices = await noticesFor(page, positions.map((i) => `${good.slice(0, 3)}${garbleAt(good.slice(3), i)}`));
      const wrong = positions
        .map((i) => [i, notices[i]])
        .filter(([, notice]) => !GARBLED.test(notice ?? ''))
        .map(([i, notice]) => `character ${i} of ${good.length - 3} changed: ${notice}`);
      assert.deepEqual(wrong, []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);
