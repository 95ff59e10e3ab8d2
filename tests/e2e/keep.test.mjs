// "My scenarios" under attack: opening hostile links and files, foreign edits in
// the middle of a drag, two tabs racing on one record. Every case checks that
// nothing saved is lost or rewritten and that the page does not crash (no
// crash banner, no page error, no dialog).
//
// Groups (case counts are in the test names and logged as '# (x) ...'):
//   (a) 47 links opened in new tabs beside saved records (valid ones of other
//       scenarios, and refused ones: empty, foreign, newer versions, cut,
//       garbled, huge counts, non-base64 ...): records byte-identical.
//   (b) 35 files chosen in Import (encodings, with the CLI's words compared;
//       invalid scenarios, hostile names, ShiViz logs, library exports) and a
//       60-scenario library export.
//   (c) 22 controls used while a real mouse drag is under way.
//   (d) two tabs on one record: a deterministic conflict, 12 seeded random
//       races, and both tabs closing at once.
//   Regressions: link then close, non-canonical record, newer records, Copy
//   link without a clipboard, bidi names, an oversized notice, the library's
//   commands, the 50-record cap.
// Screenshots: target/screenshots/keep-conflict.png, keep-library.png.
// Env: KEEP_TIMING=1 (per-link times), KEEP_SEEDS=a,b (races to run),
// KEEP_DEBUG=1 (race steps and checks).
//
// Run alone: node --test --test-reporter=spec tests/e2e/keep.test.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CHROMIUM_ARGS, REPO_ROOT, launchBrowser, screenshot, useApp } from './harness.mjs';
import {
  RTL_EMOJI_MIX,
  encodeLink,
  hostileScenario,
  hostileShivizLog,
  garbleAt,
  linkOfBody,
  rng,
  scenarioBody,
  svarint,
  varint,
} from './hostile-helpers.mjs';
import { normalize } from './model.mjs';
import { PRESET_FILES, download, example, upload } from './share-helpers.mjs';
import { getScenario as rawScenario, pointOfEvent, until, reveal, openPreset } from './ui.mjs';
import {
  FOREIGN_RECORDS,
  MAX_ENTRIES,
  RECORD_PREFIX,
  TAB_KEY,
  appStorage,
  assertHealthy,
  assertStorageSame,
  closeTab,
  addEventByDblclick,
  dblclickLane,
  iso,
  linkOf,
  openProbe,
  openTab,
  readableRecords,
  recordText,
  saveState,
  storageDiff,
  waitSaved,
  wordXs,
} from './keep-helpers.mjs';

const app = useApp();
const VIEWPORT = { viewport: { width: 1280, height: 800 } };
const newContext = () => app.browser.newContext(VIEWPORT);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs fn(context) in a fresh context, closed whatever happens (a screenshot of its last page on failure). */
async function inContext(name, fn) {
  const context = await newContext();
  try {
    return await fn(context);
  } catch (err) {
    const page = context.pages().filter((p) => !p.isClosed()).at(-1);
    if (page) {
      const file = await screenshot(page, `FAILED-keep-${name}`).catch(() => null);
      if (file) err.message += `\n(screenshot: ${path.relative(process.cwd(), file)})`;
    }
    throw err;
  } finally {
    await context.close().catch(() => {});
  }
}

/** Runs fn() and records a failure (its first lines) in `failures` instead of stopping the loop. */
async function softly(failures, what, fn) {
  try {
    await fn();
    return true;
  } catch (err) {
    const message = String(err.message);
    failures.push(`${message.startsWith(what) ? '' : `${what}: `}${message.split('\n').filter(Boolean).slice(0, 6).join('\n      ')}`);
    return false;
  }
}

/** Fails with every recorded failure, one per line. */
function assertNoFailures(failures, total, what) {
  assert.equal(failures.length, 0, `${failures.length} of ${total} ${what} failed:\n  - ${failures.join('\n  - ')}`);
}

/** Runs `jobs` (async functions) at most `width` at a time; returns their results in order. */
async function pool(jobs, width) {
  const results = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, jobs.length) }, async () => {
      while (next < jobs.length) {
        const k = next++;
        results[k] = await jobs[k]();
      }
    }),
  );
  return results;
}

// ------------------------------------------------------------------ scenarios

const KEPT = {
  nodes: [{ name: 'kept', skew_ms: 25 }, { name: 'safe', skew_ms: -40 }],
  events: [{ node: 0, at_ms: 150 }, { node: 1, at_ms: 420 }],
  messages: [{ from: 0, sent_at_ms: 250, to: 1, received_at_ms: 330 }],
};
const OTHER = {
  nodes: [{ name: 'other' }, { name: 'link' }, { name: 'here' }],
  events: [{ node: 2, at_ms: 50 }],
  messages: [
    { from: 0, sent_at_ms: 100, to: 2, received_at_ms: 180 },
    { from: 2, sent_at_ms: 300, to: 1, received_at_ms: 390 },
  ],
  settings: { max_offset_ms: 200, counter_bits: 8 },
};
/** The scenario the drags of the fault sequences run on. Local 1 is C@300, recv 0 is B@280. */
const BASE = {
  nodes: [{ name: 'A' }, { name: 'B', skew_ms: 50 }, { name: 'C', skew_ms: -30 }],
  events: [{ node: 0, at_ms: 100 }, { node: 2, at_ms: 300 }, { node: 1, at_ms: 500 }, { node: 0, at_ms: 700 }],
  messages: [
    { from: 0, sent_at_ms: 200, to: 1, received_at_ms: 280 },
    { from: 2, sent_at_ms: 400, to: 0, received_at_ms: 520 },
  ],
};
const withEvents = (s, ...events) => ({ ...s, events: [...s.events, ...events] });
const N = (s) => normalize(s);
/** The page's scenario with every default filled in (getScenario leaves defaults out). */
const getScenario = async (page) => normalize(await rawScenario(page));

/** One character of a link's payload changed (still base64url). */
const garble = (link, i) => link.slice(0, 3) + garbleAt(link.slice(3), i);

// ======================================================================= (a)

/**
 * The link corpus: [name, fragment, expect] where expect is a scenario (the
 * link opens it as an unsaved view), 'fallback' (refused: the tab shows the
 * most recently edited readable record, with a notice), 'quiet-fallback'
 * (the same, without a notice: an empty fragment) or 'any'.
 */
function linkCorpus(recordLink) {
  const good = linkOf(OTHER);
  const payload = good.slice(3);
  const n = payload.length;
  const twoNodes = { nodes: [{ name: 'a' }, { name: 'b' }], events: [], messages: [] };
  const body = (s) => scenarioBody({ events: [], messages: [], ...s });
  const sixtyFour = { nodes: Array.from({ length: 64 }, (_, i) => ({ name: `n${i}`, skew_ms: (i % 7) * 10 })), events: [{ node: 63, at_ms: 10 }], messages: [] };
  const faults = {
    nodes: [{ name: 'drifty', drift_ppm: 80_000, steps: [{ at_ms: 300, by_ms: -120 }] }, { name: 'steady' }],
    events: [{ node: 0, at_ms: 100 }, { node: 0, at_ms: 400 }],
    messages: [{ from: 1, sent_at_ms: 200, to: 0, received_at_ms: 260 }],
  };
  const minimal = { nodes: [{ name: 'solo' }], events: [], messages: [] };
  const rtl = { nodes: [{ name: RTL_EMOJI_MIX }, { name: 'x\u202E' }], events: [{ node: 1, at_ms: 5 }], messages: [] };
  const tight = { ...KEPT, settings: { max_offset_ms: 0, counter_bits: 1 } };
  const otherBody = scenarioBody(N(OTHER));
  const overlong = linkOfBody([otherBody[0] | 0x80, 0x00, ...otherBody.slice(1)]); // flags as a 2-byte varint
  const random = rng(0x5eed);
  const randomB64 = (len) =>
    Array.from({ length: len }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[Math.floor(random() * 64)]).join('');
  return [
    // Valid links of other scenarios: unsaved views.
    ['valid: another scenario', good, N(OTHER)],
    ['valid: a second scenario', linkOf(KEPT), N(KEPT)],
    ['valid: hostile node names', linkOf(hostileScenario()), N(hostileScenario())],
    ['valid: with a snapshot', encodeLink(N(OTHER), { l: 300, c: 2 }), N(OTHER)],
    ['valid: 64 nodes', linkOf(sixtyFour), N(sixtyFour)],
    ['valid: RTL and emoji names', linkOf(rtl), N(rtl)],
    ['valid: drift and clock steps', linkOf(faults), N(faults)],
    ['valid: one node, no events', linkOf(minimal), N(minimal)],
    ['valid: max offset 0, 1-bit counter', linkOf(tight), N(tight)],
    ['valid: the saved record\'s own link (a new tab)', recordLink, 'any-scenario'],
    ['valid: non-canonical (overlong varint)', overlong, N(OTHER)],
    ['valid: version written v01.', `v01.${payload}`, 'any'],
    // Refused links: the tab shows the saved record, says why, writes nothing.
    ['empty #', '', 'quiet-fallback'],
    ['only v1.', 'v1.', 'fallback'],
    ['newer version v999.AAAA', 'v999.AAAA', 'fallback'],
    ['newer version v3.', `v3.${payload}`, 'fallback'],
    ['version V1. (upper case)', `V1.${payload}`, 'fallback'],
    ['garbled version tag', `w${good.slice(1)}`, 'fallback'],
    ['foreign: a router path', '/settings/profile', 'fallback'],
    ['foreign: an OAuth reply', 'access_token=abc.def&state=xyz&expires_in=3600', 'fallback'],
    ['cut to half', good.slice(0, 3 + (n >> 1)), 'fallback'],
    ['cut by one character', good.slice(0, -1), 'fallback'],
    ['cut to 4 characters', good.slice(0, 7), 'fallback'],
    ...[0, n >> 1, n - 1].map((i) => [`garbled at ${i}/${n}`, garble(good, i), 'fallback']),
    ['base64 with padding', `${good}==`, 'fallback'],
    ['non-base64 characters', 'v1.AB$C*D', 'fallback'],
    ['percent-encoded junk', 'v1.%00%FF%3Cscript%3Ealert(1)%3C%2Fscript%3E%0A', 'fallback'],
    ['percent-encoded prefix', `%76%31%2E${payload}`, 'fallback'],
    ['unicode payload', 'v1.ÄÖÜ✓😀שלום', 'fallback'],
    ['RTL override and emoji', '\u202E😀', 'fallback'],
    ['a second #', `${good}#again`, 'fallback'],
    ['a trailing space', `${good}%20`, 'fallback'],
    ['10^9 nodes, valid checksum', linkOfBody([0, 16, ...varint(1e9)]), 'fallback'],
    ['10^9 events, valid checksum', linkOfBody([...body(twoNodes).slice(0, -2), ...varint(1e9), 0]), 'fallback'],
    ['64 nodes claimed, no bytes', linkOfBody([0, 16, ...varint(64)]), 'fallback'],
    ['an 11-byte varint', linkOfBody([0, 16, ...Array(10).fill(0xff), 1]), 'fallback'],
    ['unknown flags', linkOfBody([16, ...body(twoNodes).slice(1)]), 'fallback'],
    ['extra bytes after the scenario', linkOfBody([...body(twoNodes), 0]), 'fallback'],
    ['a name that is not UTF-8', linkOfBody([0, 16, 1, 2, 0xc3, 0x28, 0, 0, 0, 0, 0]), 'fallback'],
    ['message to itself', linkOfBody(body({ ...twoNodes, messages: [{ from: 1, to: 1, sent_at_ms: 10, received_at_ms: 20 }] })), 'fallback'],
    ['control character in a name', linkOfBody(body({ nodes: [{ name: 'bell\u0007' }] })), 'fallback'],
    ['skew out of range', linkOfBody(body({ nodes: [{ name: 'far', skew_ms: 90_000_000 }] })), 'fallback'],
    ['time delta overflowing i64', linkOfBody([...body(twoNodes).slice(0, -2), 2, 0, ...svarint(1n << 62n), 0, ...svarint((1n << 62n) * 2n - 1n), 0]), 'fallback'],
    ['random base64url (400)', `v1.${randomB64(400)}`, 'fallback'],
    ['300 KB of A', `v1.${'A'.repeat(300_000)}`, 'fallback'],
  ];
}

/** A context whose library holds one real record (made by an edit) and the foreign ones. */
async function seededLibrary(context) {
  const first = await openTab(context, app.url);
  await addEventByDblclick(first.page, 1, 0.37);
  const saved = await waitSaved(first.page);
  const scenario = await getScenario(first.page);
  await assertHealthy(first, 'the tab that made the record');
  await closeTab(first.page);
  const probe = await openProbe(context, app.url);
  await probe.evaluate((records) => {
    for (const [k, v] of Object.entries(records)) localStorage.setItem(k, v);
  }, FOREIGN_RECORDS);
  return { probe, record: saved.record, scenario };
}

test('(a) links: 47 links (12 valid, 35 refused) opened in new tabs of a context with saved records: every record stays byte-identical, none added or removed', async () => {
  const started = Date.now();
  let cases = 0;
  await inContext('links', async (context) => {
    const { probe, record, scenario } = await seededLibrary(context);
    const before = await appStorage(probe);
    assert.equal(Object.keys(readableRecords(before)).length, 1, 'one readable record to start with');
    assert.equal(Object.keys(before).filter((k) => k.startsWith(RECORD_PREFIX)).length, 4);
    const corpus = linkCorpus(record.link);
    const savedShown = `Saved: ${iso(record.name)}`;
    const runOne = ([name, fragment, expect]) => async () => {
      const t0 = Date.now();
      const tab = await openTab(context, `${app.url}#${fragment}`);
      const what = `link "${name}"`;
      try {
        await sleep(600);
        await assertHealthy(tab, what);
        const [shown, state] = await Promise.all([getScenario(tab.page), saveState(tab.page)]);
        if (typeof expect === 'object') {
          assert.deepEqual(shown, expect, `${what}: opens its scenario`);
        }
        if (typeof expect === 'object' || expect === 'any-scenario') {
          assert.equal(state.status, 'Unsaved view: your first edit saves it', `${what}: an unsaved view`);
          assert.equal(state.entry, null, `${what}: the tab is bound to no record`);
          assert.equal(state.saveNowHidden, false, `${what}: Save is offered`);
        }
        if (expect === 'fallback' || expect === 'quiet-fallback') {
          assert.deepEqual(shown, scenario, `${what}: the saved scenario is shown instead`);
          assert.equal(state.status, savedShown, `${what}: status`);
          if (expect === 'fallback') {
            assert.match(state.notice ?? '', /could not be opened/, `${what}: a notice says why`);
          } else {
            assert.equal(state.notice, null, `${what}: no notice`);
          }
        }
      } finally {
        await closeTab(tab.page);
      }
      await assertHealthy(tab, `${what} (after closing)`);
      cases++;
      if (process.env.KEEP_TIMING) console.log(`#   ${name}: ${Date.now() - t0} ms`);
    };
    for (let k = 0; k < corpus.length; k += 10) {
      const chunk = corpus.slice(k, k + 10);
      await pool(chunk.map(runOne), 3);
      await sleep(150);
      assertStorageSame(await appStorage(probe), before, `after links ${k + 1}..${k + chunk.length}`);
    }
    assert.ok(corpus.length >= 40);
  });
  console.log(`# (a) links: ${cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.ok(cases >= 40, `${cases} link cases ran`);
});

// ======================================================================= (b)

const CLI = path.join(REPO_ROOT, 'target', 'debug', 'hlcviz');

/** What `hlcviz check FILE` says about these bytes: the text after "hlcviz: FILE: ", and its exit code. */
function cliSays(name, bytes) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keep-cli-'));
  try {
    const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
    writeFileSync(path.join(dir, safe), bytes);
    try {
      execFileSync(CLI, ['check', safe], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
      return { code: 0, text: null };
    } catch (err) {
      const stderr = String(err.stderr ?? '').trim();
      const prefix = `hlcviz: ${safe}: `;
      return { code: err.status, text: stderr.startsWith(prefix) ? stderr.slice(prefix.length) : `(unexpected) ${stderr}` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bytes = (...parts) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
const utf16 = (text, be) => {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  if (!be) return le;
  const out = Buffer.alloc(le.length);
  for (let k = 0; k < le.length; k += 2) [out[k], out[k + 1]] = [le[k + 1], le[k]];
  return out;
};
const NOT_UTF8 = (offset) => `is not UTF-8 text (invalid byte at offset ${offset}); save it as UTF-8 and try again`;
const UTF16 = 'is UTF-16 text; save it as UTF-8 and try again';

/** An exported library file (format hlcviz-library/1 unless told). */
const libraryFile = (scenarios, format = 'hlcviz-library/1') => JSON.stringify({ format, scenarios }, null, 2);
const exported = (name, scenario, t = 1_700_000_000_000, extra = {}) => ({ name, created_ms: t, edited_ms: t, scenario, ...extra });

/**
 * The file corpus. Each case: {name, file, data, input?, kind, ...} with kind
 * 'encoding' (refused; notice `${FSI}file${PDI} ${text}.`, same words as the
 * CLI), 'refuse' (refused with a notice matching `notice`), 'open' (opens
 * `scenario` as an unsaved view), 'library' (adds `added` records named
 * `names`).
 */
function fileCorpus() {
  const good = JSON.stringify(KEPT);
  const longPrefix = `{"nodes":[{"name":"${'a'.repeat(1000)}`;
  const log = hostileShivizLog(['alpha', 'beta']);
  const libText = libraryFile([exported('Caf_', { nodes: [{ name: 'x' }] })]);
  const libHead = libText.slice(0, libText.indexOf('Caf_') + 3);
  const libTail = libText.slice(libHead.length + 1);
  const enc = (name, file, data, offset) => ({ name, file, data, kind: 'encoding', text: offset === null ? UTF16 : NOT_UTF8(offset) });
  return [
    enc('Latin-1 JSON', 'latin1.json', bytes('{"nodes":[{"name":"Caf', [0xe9], '"}]}'), 22),
    enc('UTF-16LE with BOM', 'utf16le.json', utf16(good, false), null),
    enc('UTF-16BE with BOM', 'utf16be.json', utf16(good, true), null),
    enc('UTF-16LE BOM alone', 'bom16.json', bytes([0xff, 0xfe]), null),
    enc('invalid first byte', 'first.json', bytes([0x80], '{}'), 0),
    enc('invalid second byte', 'second.json', bytes('{', [0xff], '}'), 1),
    enc('invalid byte after 1 KB', 'deep.json', bytes(longPrefix, [0xe9], '"}]}'), Buffer.byteLength(longPrefix)),
    enc('a cut multi-byte character at the end', 'cut.json', bytes('{"nodes":[{"name":"€', Buffer.from('€').subarray(0, 2)), Buffer.byteLength('{"nodes":[{"name":"€')),
    enc('overlong encoding', 'overlong.json', bytes('a', [0xc0, 0xaf]), 1),
    enc('UTF-16 surrogate in UTF-8', 'surrogate.json', bytes('ab', [0xed, 0xa0, 0x80]), 2),
    enc('BOM then Latin-1', 'bom-latin1.json', bytes([0xef, 0xbb, 0xbf], '{"nodes":[{"name":"', [0xe9], '"}]}'), 3 + Buffer.byteLength('{"nodes":[{"name":"')),
    enc('a lone FE byte', 'lone-fe.log', bytes([0xfe]), 0),
    enc('UTF-8 BOM then a UTF-16 BOM', 'two-boms.json', bytes([0xef, 0xbb, 0xbf, 0xff, 0xfe], '{}'), 3),
    enc('Windows-1252 quotes in a ShiViz log', 'quotes.log', bytes(log.slice(0, 60), [0x93], 'quoted', [0x94], log.slice(60)), Buffer.byteLength(log.slice(0, 60))),
    enc('Latin-1 in a library export', 'latin1-library.json', bytes(libHead, [0xe9], libTail), Buffer.byteLength(libHead)),
    { name: 'BOM + valid JSON (then one edit saves it)', file: 'bom-valid.json', data: bytes([0xef, 0xbb, 0xbf], good), kind: 'open', scenario: N(KEPT), editAfter: true },
    { name: 'empty file', file: 'empty.json', data: bytes(''), kind: 'refuse', notice: /empty\.json/ },
    { name: 'whitespace only', file: 'spaces.json', data: bytes('  \n\t\r\n  '), kind: 'refuse', notice: /spaces\.json/ },
    { name: 'a UTF-8 BOM alone', file: 'bom-only.json', data: bytes([0xef, 0xbb, 0xbf]), kind: 'refuse', notice: /bom-only\.json/ },
    { name: 'huge float', file: 'huge-float.json', data: bytes('{"nodes":[{"name":"a","skew_ms":1e300}]}'), kind: 'refuse', notice: /could not be opened/ },
    { name: 'integer past i64', file: 'huge-int.json', data: bytes('{"nodes":[{"name":"a"}],"events":[{"node":0,"at_ms":9223372036854775808}]}'), kind: 'refuse', notice: /could not be opened/ },
    { name: 'invalid scenario (message to itself)', file: 'self.json', data: bytes(JSON.stringify({ nodes: [{ name: 'a' }], messages: [{ from: 0, to: 0, sent_at_ms: 1, received_at_ms: 2 }] })), kind: 'refuse', notice: /could not be opened/ },
    { name: 'a JSON array', file: 'array.json', data: bytes('[]'), kind: 'refuse', notice: /array\.json/ },
    { name: '5000 nested arrays', file: 'nested.json', data: bytes(`{"nodes":${'['.repeat(5000)}`), kind: 'refuse', notice: /nested\.json/ },
    { name: 'hostile node names (markup, RTL override)', file: 'names.json', data: bytes(JSON.stringify(hostileScenario())), kind: 'open', scenario: N(hostileScenario()) },
    { name: 'RTL override in the file name', file: '\u202Enosj.evil.json', data: bytes(good), kind: 'open', scenario: N(KEPT), notice: new RegExp(`^Opened ${iso('\u202Enosj.evil.json')}\\.$`) },
    { name: 'ShiViz log with garbage lines', file: 'garbage.log', data: bytes(`${log}garbage one\n}{ not a clock\nbeta {"alpha":\n`), kind: 'open', notice: /not understood/ },
    { name: 'ShiViz log that is all garbage', file: 'all-garbage.log', data: bytes('just\nsome\ntext\n'), kind: 'refuse', notice: /all-garbage\.log/ },
    { name: 'a scenario whose node is named "hlcviz-library/1"', file: 'named.json', data: bytes(JSON.stringify({ nodes: [{ name: 'hlcviz-library/1' }, { name: 'b' }] })), kind: 'open', scenario: N({ nodes: [{ name: 'hlcviz-library/1' }, { name: 'b' }] }) },
    { name: 'library export, 3 scenarios', file: 'lib3.json', data: bytes(libraryFile([exported('Lib one', KEPT), exported('Lib two', OTHER, 1_700_000_000_500), exported('Lib three', BASE, 1_700_000_001_000, { snapshot: [300, 1] })])), kind: 'library', added: 3, names: ['Lib one', 'Lib two', 'Lib three'], notice: /^Added 3 scenario\(s\) from .*lib3\.json.* to My scenarios\.$/ },
    { name: 'library export of a newer format', file: 'lib9.json', data: bytes(libraryFile([exported('Future', KEPT)], 'hlcviz-library/9')), kind: 'refuse', notice: /lib9\.json.* could not be imported: .*newer version/ },
    { name: 'library export, partly invalid', file: 'partial.json', data: bytes(libraryFile([exported('Good A', KEPT), { name: 'no scenario' }, exported('Empty', { nodes: [] }), 7, exported('Good B', OTHER), exported('Far', { nodes: [{ name: 'f', skew_ms: 90_000_000 }] })])), kind: 'library', added: 2, names: ['Good A', 'Good B'], notice: /^Added 2 scenario\(s\) from .* 4 could not be read\.$/, more: '4 more…' },
    { name: 'library export through #library-import (a name already taken)', file: 'again.json', input: '#library-import', data: bytes(libraryFile([exported('Lib one', OTHER), exported('Fresh', KEPT)])), kind: 'library', added: 2, names: ['Lib one (2)', 'Fresh'], notice: /^Added 2 scenario\(s\)/ },
    { name: 'library export without a list', file: 'nolist.json', data: bytes('{"format":"hlcviz-library/1","scenarios":{"a":1}}'), kind: 'refuse', notice: /nolist\.json.* could not be imported/ },
    { name: 'library export that is not JSON', file: 'badlib.json', data: bytes('{"format":"hlcviz-library/1","scenarios":[{'), kind: 'refuse', notice: /badlib\.json.* could not be (imported|opened)/ },
  ];
}

/** Counts the notices a page shows (each rewrites #notice-text). */
const watchNotices = (page) =>
  page.evaluate(() => {
    if (window.__keepNotices !== undefined) return;
    window.__keepNotices = 0;
    new MutationObserver(() => window.__keepNotices++).observe(document.getElementById('notice'), {
      childList: true,
      characterData: true,
      subtree: true,
      attributes: true,
    });
  });
const noticeCount = (page) => page.evaluate(() => window.__keepNotices);

/** Chooses a file in `input` and waits for the notice it gives; returns it. */
async function chooseFile(page, input, file, data) {
  await watchNotices(page);
  const count = await noticeCount(page);
  await page.setInputFiles(input, { name: file, mimeType: 'application/octet-stream', buffer: data });
  await until(async () => (await noticeCount(page)) > count, { timeout: 5_000, what: `a notice after choosing ${file}` });
  await sleep(80); // a second notice may follow in the same turn (the cap's)
  return page.evaluate(() => window.hlcviz.lastNotice());
}

test('(b) files: 35 hostile files chosen in Import: refused ones change nothing (exact encoding notices, as the CLI words them), opened ones write nothing until an edit, library files add exactly their valid scenarios', async () => {
  const started = Date.now();
  let cases = 0;
  let cliCompared = 0;
  const cli = existsSync(CLI);
  await inContext('files', async (context) => {
    const { probe } = await seededLibrary(context);
    const tab = await openTab(context, app.url);
    const { page } = tab;
    const corpus = fileCorpus();
    const failures = [];
    for (const c of corpus) {
      const what = `file "${c.name}" (${c.file})`;
      await softly(failures, what, async () => {
      const before = await appStorage(probe);
      const shownBefore = await getScenario(page);
      const notice = await chooseFile(page, c.input ?? '#import-file', c.file, c.data);
      await assertHealthy(tab, what);
      assert.equal(await page.evaluate(() => window.__pwned), undefined, `${what}: markup ran`);
      if (c.kind === 'encoding') {
        assert.equal(notice, `${iso(c.file)} ${c.text}.`, `${what}: the notice`);
        if (cli) {
          const said = cliSays(c.file, c.data);
          assert.equal(said.code, 2, `${what}: hlcviz check exits 2`);
          assert.equal(said.text, notice.slice(iso(c.file).length + 1, -1), `${what}: the CLI and the page say the same`);
          cliCompared++;
        }
      } else if (c.notice) {
        assert.match(notice ?? '', c.notice, `${what}: the notice`);
      }
      if (c.kind === 'open') {
        if (c.scenario) assert.deepEqual(await getScenario(page), c.scenario, `${what}: opens its scenario (notice: ${notice})`);
        else assert.notDeepEqual(await getScenario(page), shownBefore, `${what}: opens`);
        const state = await saveState(page);
        assert.equal(state.status, 'Unsaved view: your first edit saves it', `${what}: an unsaved view`);
        assert.equal(state.entry, null, `${what}: no record bound`);
      } else {
        assert.deepEqual(await getScenario(page), shownBefore, `${what}: the scenario shown is unchanged`);
      }
      await sleep(c.kind === 'open' ? 400 : 0); // an opened file must not be written by the debounce either
      const after = await appStorage(probe);
      if (c.kind === 'library') {
        const diff = storageDiff(before, after);
        assert.deepEqual([diff.removed, diff.changed], [[], []], `${what}: nothing removed or changed`);
        assert.equal(diff.added.length, c.added, `${what}: records added`);
        const names = diff.added.map((k) => JSON.parse(after[k]).name).sort();
        assert.deepEqual(names, [...c.names].sort(), `${what}: names of the records added`);
        if (c.more) {
          assert.equal(await page.locator('#notice-more').textContent(), c.more, `${what}: the details button`);
        }
      } else {
        assertStorageSame(after, before, what);
      }
      if (c.editAfter) {
        await addEventByDblclick(page, 0, 0.61);
        const saved = await waitSaved(page);
        const diff = storageDiff(before, await appStorage(probe));
        assert.deepEqual([diff.added.length, diff.removed, diff.changed], [1, [], []], `${what}: the first edit adds exactly one record`);
        assert.equal(saved.record.name, c.file, `${what}: the new record is named after the file`);
        assert.equal(`#${saved.record.link}`, (await saveState(page)).hash, `${what}: it holds the edited scenario`);
      }
      });
      cases++;
    }
    await closeTab(page);
    await assertHealthy(tab, 'files tab after closing');
    assertNoFailures(failures, corpus.length, 'file cases');
  });
  console.log(`# (b) files: ${cases} cases (${cliCompared} compared with the CLI) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.ok(cases >= 30, `${cases} file cases ran`);
});

// ======================================================================= (c)

/** The time of an event ('local' | 'send' | 'recv', index) in a scenario. */
function timeOf(s, [kind, i]) {
  if (kind === 'local') return s.events[i]?.at_ms;
  if (kind === 'send') return s.messages[i]?.sent_at_ms;
  return s.messages[i]?.received_at_ms;
}
// Its pane is shown first (as a person would open it), before any drag: the
// fault sequences below reveal `act.selector` before they press the mouse.
const pressOn = (selector, ...keys) => Object.assign(async (page) => {
  await reveal(page, selector);
  await page.locator(selector).focus();
  const focused = await page.evaluate((sel) => document.activeElement === document.querySelector(sel), selector);
  assert.ok(focused, `${selector} did not take the focus`);
  for (const key of keys) await page.keyboard.press(key);
}, { selector });
const setScenario = (page, s) => page.evaluate((x) => window.hlcviz.setScenario(x), s);
const B1 = withEvents(BASE, { node: 1, at_ms: 900 });
const B2 = withEvents(B1, { node: 2, at_ms: 950 });
const withoutLocal = (s, i) => ({ ...s, events: s.events.filter((_, k) => k !== i) });

/**
 * The fault sequences: a control used while the mouse button still holds a
 * dragged event. prepare(page) runs before the drag (after BASE is set);
 * act(page) is the control; expect(S1, {pre}) checks the scenario right
 * after it; keeps: the dragged event survives the edit and must be back at
 * its time from before the drag. continues: not an edit (the drag goes on).
 */
function faultCorpus() {
  const recv0 = ['recv', 0];
  let redoEnabled = null;
  let bound = null;
  return [
    { name: '#delete by keyboard', act: pressOn('#delete', 'Enter'), expect: (s) => assert.deepEqual(s, N(withoutLocal(BASE, 1))) },
    { name: '#undo once', prepare: (p) => setScenario(p, B1), act: pressOn('#undo', 'Enter'), keeps: true, expect: (s) => assert.deepEqual(s, N(BASE)) },
    { name: '#undo twice', prepare: async (p) => { await setScenario(p, B1); await setScenario(p, B2); }, act: pressOn('#undo', 'Enter', 'Enter'), keeps: true, expect: (s) => assert.deepEqual(s, N(BASE)) },
    {
      name: '#redo',
      prepare: async (p) => { await setScenario(p, B1); await p.click('#undo'); },
      // #redo if the page lets it be used mid-drag, else its shortcut.
      act: async (p) => {
        redoEnabled = await p.evaluate(() => !document.getElementById('redo').disabled);
        if (redoEnabled) await pressOn('#redo', 'Enter')(p);
        else await p.keyboard.press('Control+Shift+Z');
      },
      keeps: true,
      // The drag ends first (as if it never happened), then the redo applies.
      expect: (s) =>
        assert.deepEqual(s, N(B1), `the undone edit is not redone over the scenario from before the drag (#redo was ${redoEnabled ? 'enabled' : 'disabled'} mid-drag; Ctrl+Shift+Z used instead)`),
    },
    { name: 'preset opened (its button in the gallery)', act: pressOn('#preset-list button[data-preset="plain"]', 'Enter'), expect: (s) => assert.deepEqual(s, N(example(PRESET_FILES.plain))) },
    {
      name: 'remove node 0 (.remove-node)',
      act: pressOn('.remove-node[data-node="0"]', 'Enter'),
      expect: (s, { pre }) => {
        assert.deepEqual(s.nodes, pre.nodes.slice(1));
        assert.ok(s.events.some((e) => e.node === 1 && e.at_ms === 300), `the dragged C@300 is back at 300: ${JSON.stringify(s.events)}`);
      },
    },
    { name: '#add-node', act: pressOn('#add-node', 'Enter'), keeps: true, expect: (s, { pre }) => { assert.equal(s.nodes.length, 4); assert.deepEqual([s.events, s.messages], [pre.events, pre.messages]); } },
    { name: 'skew slider by keyboard', target: recv0, act: pressOn('.skew-slider[data-node="0"]', 'ArrowRight'), keeps: true, expect: (s, { pre }) => { assert.equal(s.nodes[0].skew_ms, pre.nodes[0].skew_ms + 1); assert.deepEqual([s.events, s.messages], [pre.events, pre.messages]); } },
    { name: 'a file import finishing', act: (p) => upload(p, 'mid-drag.json', Buffer.from(JSON.stringify(KEPT)), 'application/json'), expect: (s) => assert.deepEqual(s, N(KEPT)) },
    { name: '#generate-form submitted', act: pressOn('#generate-form button[type="submit"]', 'Enter'), expect: (s, { pre }) => { assert.equal(s.nodes.length, 6); assert.notDeepEqual(s, pre); } },
    { name: 'Escape', act: (p) => p.keyboard.press('Escape'), keeps: true, expect: (s, { pre }) => assert.deepEqual(s, pre) },
    { name: 'Ctrl+Z', prepare: (p) => setScenario(p, B1), act: (p) => p.keyboard.press('Control+z'), keeps: true, expect: (s) => assert.deepEqual(s, N(BASE)) },
    { name: 'window blur', target: recv0, act: (p) => p.evaluate(() => window.dispatchEvent(new Event('blur'))), keeps: true, expect: (s, { pre }) => assert.deepEqual(s, pre) },
    { name: 'hashchange to another link', act: (p) => p.evaluate((l) => { location.hash = `#${l}`; }, linkOf(OTHER)), expect: (s) => assert.deepEqual(s, N(OTHER)) },
    {
      name: 'max offset checkbox',
      target: recv0,
      act: Object.assign(async (p) => {
        bound = Number(await p.inputValue('#max-offset'));
        await pressOn('#max-offset-on', 'Space')(p);
      }, { selector: '#max-offset-on' }),
      keeps: true,
      expect: (s, { pre }) => { assert.equal(s.settings.max_offset_ms, bound); assert.deepEqual([s.events, s.messages], [pre.events, pre.messages]); } },
    { name: 'setScenario through the API', act: (p) => setScenario(p, KEPT), expect: (s) => assert.deepEqual(s, N(KEPT)) },
    { name: 'Delete key', act: (p) => p.keyboard.press('Delete'), expect: (s) => assert.deepEqual(s, N(withoutLocal(BASE, 1))) },
    { name: 'add-event form (Enter)', act: pressOn('#add-event-at', 'Enter'), keeps: true, expect: (s, { pre }) => { assert.equal(s.events.length, pre.events.length + 1); assert.deepEqual(s.events.slice(0, -1), pre.events); } },
    { name: 'node renamed by typing', act: pressOn('.node-name[data-node="1"]', 'Control+A', 'b', 'e', 'e', 'Enter'), keeps: true, expect: (s, { pre }) => { assert.equal(s.nodes[1].name, 'bee'); assert.deepEqual(s.events, pre.events); } },
    { name: 'counter width by keyboard', target: recv0, act: pressOn('#counter-bits', 'ArrowUp'), keeps: true, expect: (s, { pre }) => { assert.equal(s.settings.counter_bits, 17); assert.deepEqual([s.events, s.messages], [pre.events, pre.messages]); } },
    { name: 'library: Open of another record', act: pressOn('#library-list li[data-entry="faultother"] button[data-command="open"]', 'Enter'), expect: (s) => assert.deepEqual(s, N(OTHER)) },
    { name: 'clock view changed (not an edit: the drag goes on)', act: (p) => p.locator('#clock-view').selectOption('lamport'), continues: true },
  ];
}

test('(c) fault sequences: 22 controls used in the middle of a real mouse drag: the edit applies to the scenario from before the drag, and the rest of the drag moves nothing', async () => {
  const started = Date.now();
  let cases = 0;
  await inContext('faults', async (context) => {
    const tab = await openTab(context, app.url);
    const { page } = tab;
    // Two saved records: the one this tab works on (newest) and another to open.
    const now = Date.now();
    await page.evaluate((records) => { for (const [k, v] of records) localStorage.setItem(k, v); }, [
      [`${RECORD_PREFIX}faultother`, recordText({ id: 'faultother', name: 'Fault other', created_ms: now - 60_000, link: linkOf(OTHER) })],
      [`${RECORD_PREFIX}faultbench`, recordText({ id: 'faultbench', name: 'Fault bench', created_ms: now - 1_000, link: linkOf(BASE) })],
    ]);
    await page.reload({ waitUntil: 'load' });
    await until(() => page.evaluate(() => window.hlcviz?.ready === true), { what: 'the app after reload' });
    assert.equal((await saveState(page)).entry, 'faultbench', 'the tab opened the newest record');
    const corpus = faultCorpus();
    const failures = [];
    for (const c of corpus) {
      const what = `fault "${c.name}"`;
      const target = c.target ?? ['local', 1];
      await softly(failures, what, async () => {
        try {
          await setScenario(page, BASE);
          if (c.prepare) await c.prepare(page);
          await page.click('#fit');
          if (c.act.selector) await reveal(page, c.act.selector);
          const pre = await getScenario(page);
          const p = await pointOfEvent(page, ...target);
          await page.mouse.move(p.x, p.y - 20);
          await page.mouse.move(p.x, p.y);
          await page.mouse.down();
          for (const dx of [8, 16, 24, 32]) await page.mouse.move(p.x + dx, p.y, { steps: 2 });
          const mid = await getScenario(page);
          assert.ok(timeOf(mid, target) > timeOf(pre, target), `${what}: the drag moved the event (${timeOf(pre, target)} -> ${timeOf(mid, target)})`);
          await c.act(page);
          if (!c.continues) {
            await until(async () => JSON.stringify(await getScenario(page)) !== JSON.stringify(mid), { what: `${what}: the control's effect` });
            await sleep(60);
          }
          const s1 = await getScenario(page);
          if (process.env.KEEP_DEBUG) console.log(what, JSON.stringify({ pre, s1 }));
          for (const dx of [48, 70, 95, 120]) await page.mouse.move(p.x + dx, p.y + 3, { steps: 2 });
          await page.mouse.up();
          await sleep(40);
          const s2 = await getScenario(page);
          if (c.continues) {
            assert.deepEqual(s1, mid, `${what}: the control changed the scenario`);
            assert.ok(timeOf(s2, target) > timeOf(mid, target), `${what}: the drag went on after it`);
            await page.locator('#undo').click();
            assert.deepEqual(await getScenario(page), pre, `${what}: the whole drag is one undo step`);
          } else {
            assert.deepEqual(s2, s1, `${what}: the rest of the drag moved something after the control's edit`);
            if (c.keeps) assert.equal(timeOf(s1, target), timeOf(pre, target), `${what}: the dragged event is back at its time from before the drag`);
            c.expect(s1, { pre, mid });
          }
          await assertHealthy(tab, what);
        } finally {
          await page.mouse.up().catch(() => {});
          await page.keyboard.press('Escape').catch(() => {});
        }
      });
      cases++;
    }
    await closeTab(page);
    await assertHealthy(tab, 'fault tab after closing');
    assertNoFailures(failures, corpus.length, 'fault sequences');
  });
  console.log(`# (c) fault sequences: ${cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.ok(cases >= 20, `${cases} fault sequences ran`);
});

// ======================================================================= (d)

/** Reads the records a tab wrote since last time: what it last saw of each record, and its record now. */
async function syncTab(tab) {
  const { writes, entry } = await tab.page.evaluate(
    ([from, key]) => ({ writes: window.__kw.slice(from), entry: sessionStorage.getItem(key) }),
    [tab.logAt, TAB_KEY],
  );
  tab.logAt += writes.length;
  for (const w of writes) {
    if (w.value === null) continue;
    const r = JSON.parse(w.value);
    tab.seen[r.id] = r.link;
    markSeen(tab, r.link);
  }
  tab.entry = entry;
}

/** Notes that `tab` read or wrote `link` (so it built on that version). */
function markSeen(tab, link) {
  if (!link || !tab.seenBy) return;
  if (!tab.seenBy.has(link)) tab.seenBy.set(link, new Set());
  tab.seenBy.get(link).add(tab.label);
}

/** Opens a tab of the race; it opens the most recently edited record. */
async function raceTab(context, label, seenBy) {
  const tab = await openTab(context, app.url);
  Object.assign(tab, { label, seen: {}, logAt: 0, entry: null, seenBy });
  const { entry, link } = await tab.page.evaluate(([prefix, key]) => {
    const id = sessionStorage.getItem(key);
    return { entry: id, link: id ? JSON.parse(localStorage.getItem(prefix + id)).link : null };
  }, [RECORD_PREFIX, TAB_KEY]);
  tab.entry = entry;
  if (entry) tab.seen[entry] = link;
  markSeen(tab, link);
  return tab;
}

/** Waits until no tab has a save pending, and the storage events went round. */
async function quiet(tabs) {
  const live = tabs.filter((t) => !t.page.isClosed());
  await until(
    async () => (await Promise.all(live.map((t) => t.page.evaluate(() => window.__e2ePending ?? 0)))).every((n) => n === 0),
    { timeout: 4_000, what: 'pending saves' },
  );
  await sleep(150);
}

/**
 * The two-tab rule, checked on live tabs: a tab whose record now holds a link
 * other than the one it last read or wrote there must show the conflict bar.
 * Returns how many tabs had to.
 */
async function checkConflicts(tabs, probe, what, timeout = 3_000) {
  let must = 0;
  for (const tab of tabs.filter((t) => !t.page.isClosed())) {
    await syncTab(tab);
    if (!tab.entry) continue;
    const text = await probe.evaluate((k) => localStorage.getItem(k), RECORD_PREFIX + tab.entry);
    if (text === null) continue;
    const stored = JSON.parse(text).link;
    if (process.env.KEEP_DEBUG) console.log(`#   check ${tab.label}: entry ${tab.entry} stored ${stored.slice(-8)} seen ${String(tab.seen[tab.entry]).slice(-8)} writes ${JSON.stringify(await tab.page.evaluate(() => window.__kw.map((w) => `${w.key.slice(-4)}:${w.value && JSON.parse(w.value).link.slice(-8)}`)))}`);
    if (stored === tab.seen[tab.entry]) continue;
    must++;
    try {
      await until(() => tab.page.evaluate(() => !document.getElementById('conflict').hidden), {
        timeout,
        what: `${what}: tab ${tab.label} to show the conflict bar (its record changed in the other tab after it last saw it)`,
      });
    } catch (err) {
      const logs = await Promise.all(tabs.filter((t) => !t.page.isClosed()).map(async (t) => `${t.label}: ${(await t.page.evaluate(() => window.__kheard)).join(' | ')}`));
      err.message += `\n stored ${stored.slice(-8)}, ${tab.label} last saw ${String(tab.seen[tab.entry]).slice(-8)}\n ${logs.join('\n ')}`;
      throw err;
    }
  }
  return must;
}

/** Captures a tab's scenario and state, closes it, and checks its scenario is kept (or was knowingly superseded). */
async function closeAndCheck(tab, tabs, probe, what) {
  await quiet(tabs);
  await syncTab(tab);
  const scenario = await rawScenario(tab.page);
  const conflict = await tab.page.evaluate(() => !document.getElementById('conflict').hidden);
  const final = { label: tab.label, link: linkOf(scenario), conflict, seen: tab.seen[tab.entry] ?? null };
  await closeTab(tab.page);
  await assertHealthy(tab, `${what}: tab ${tab.label}`);
  await quiet(tabs);
  const links = new Set(Object.values(readableRecords(await appStorage(probe))).map((r) => r.link));
  const kept = links.has(final.link);
  // A tab in conflict without unsaved edits shows the version it last saved;
  // that is no loss only if another tab read or wrote that version (built on it).
  const others = [...(tab.seenBy?.get(final.link) ?? [])].filter((l) => l !== tab.label);
  const superseded = final.conflict && final.link === final.seen && others.length > 0;
  assert.ok(kept || superseded, `${what}: tab ${tab.label}'s last scenario is in no record and no other tab built on it (conflict ${conflict}, seen by ${JSON.stringify(others)}); lost: ${final.link}`);
  return { ...final, kept, superseded: !kept && superseded };
}

/** One seeded random race of two tabs on one record. Returns counts for the log. */
async function race(seed) {
  const r = rng(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const what = `race seed ${seed}`;
  const counts = { steps: 0, conflicts: 0, loads: 0, keeps: 0, closes: 0, kept: 0, superseded: 0 };
  const tally = (final) => { counts.kept += final.kept ? 1 : 0; counts.superseded += final.superseded ? 1 : 0; };
  await inContext(`race-${seed}`, async (context) => {
    const probe = await openProbe(context, app.url);
    const seenBy = new Map();
    const a = await raceTab(context, 'A', seenBy);
    await addEventByDblclick(a.page, 0, 0.2 + r() * 0.6);
    await waitSaved(a.page);
    await syncTab(a);
    const b = await raceTab(context, 'B', seenBy);
    assert.equal(b.entry, a.entry, `${what}: B opened A's record`);
    const tabs = [a, b];
    let opened = 2;
    const steps = 6;
    for (let step = 0; step < steps; step++) {
      const live = tabs.filter((t) => !t.page.isClosed());
      const tab = pick(live);
      const { page } = tab;
      const inConflict = await page.evaluate(() => !document.getElementById('conflict').hidden);
      const dice = r();
      if (inConflict && dice < 0.35) {
        const { id, link } = await page.evaluate(([prefix, key]) => {
          const entry = sessionStorage.getItem(key);
          document.getElementById('conflict-load').click();
          return { id: entry, link: JSON.parse(localStorage.getItem(prefix + entry)).link };
        }, [RECORD_PREFIX, TAB_KEY]);
        tab.seen[id] = link;
        markSeen(tab, link);
        counts.loads++;
      } else if (inConflict && dice < 0.7) {
        await page.click('#conflict-keep');
        counts.keeps++;
        assert.equal(await page.evaluate(() => document.getElementById('conflict').hidden), true, `${what}: Keep mine closes the bar`);
      } else if (step >= 3 && live.length === 2 && dice > 0.9) {
        tally(await closeAndCheck(tab, tabs, probe, `${what} step ${step}`));
        counts.closes++;
        if (r() < 0.6) tabs.push(await raceTab(context, String.fromCharCode(65 + opened++), seenBy));
      } else {
        const kind = pick(['dblclick', 'dblclick', 'slider', 'api']);
        const nodes = (await rawScenario(page)).nodes.length;
        if (kind === 'dblclick') {
          await dblclickLane(page, Math.floor(r() * nodes), 0.05 + r() * 0.9);
        } else if (kind === 'slider') {
          await page.locator(`.skew-slider[data-node="${Math.floor(r() * nodes)}"]`).focus();
          const key = r() < 0.5 ? 'ArrowRight' : 'ArrowLeft';
          for (let k = 1 + Math.floor(r() * 3); k > 0; k--) await page.keyboard.press(key);
        } else {
          const at = 1_000 + Math.floor(r() * 4_000) * 3 + tabs.indexOf(tab);
          await page.evaluate(([ms, n]) => {
            const s = window.hlcviz.getScenario();
            s.events.push({ node: n, at_ms: ms });
            try {
              window.hlcviz.setScenario(s);
            } catch {
              /* an instant already taken: no edit */
            }
          }, [at, Math.floor(r() * nodes)]);
        }
      }
      counts.steps++;
      if (process.env.KEEP_DEBUG) console.log(`# ${what} step ${step}: ${tab.label} conflict=${inConflict} dice=${dice.toFixed(2)}`);
      await sleep(Math.floor(r() * 450));
      if (step % 2 === 1 || step === steps - 1) {
        await quiet(tabs);
        counts.conflicts += await checkConflicts(tabs, probe, `${what} step ${step}`);
      }
    }
    // The end: close what is left, one by one, checking nothing is lost.
    for (const tab of tabs.filter((t) => !t.page.isClosed())) {
      await checkConflicts(tabs, probe, `${what} before closing ${tab.label}`);
      tally(await closeAndCheck(tab, tabs, probe, `${what} end`));
    }
    for (const tab of tabs) await assertHealthy(tab, `${what}: tab ${tab.label}`);
  });
  return counts;
}

test('(d) two tabs on one record: the conflict bar shows at once in the other tab, a tab in conflict writes nothing over the other\'s version, Keep mine makes a second record', async () => {
  await inContext('two-tabs', async (context) => {
    const probe = await openProbe(context, app.url);
    const a = await openTab(context, app.url);
    await addEventByDblclick(a.page, 0, 0.3);
    const { id, record: first } = await waitSaved(a.page);
    const b = await openTab(context, app.url);
    assert.equal((await saveState(b.page)).entry, id, 'B (no hash) opens the most recently edited record, A\'s');
    assert.equal(`#${first.link}`, `#${linkOf(await rawScenario(a.page))}`, 'the page links the way hostile-helpers encodes');

    // B edits: B writes the record; A shows the bar within 1 s without doing anything.
    await addEventByDblclick(b.page, 1, 0.7);
    const { record: fromB } = await waitSaved(b.page);
    assert.notEqual(fromB.link, first.link);
    const t0 = Date.now();
    await until(() => a.page.evaluate(() => !document.getElementById('conflict').hidden), { timeout: 1_000, what: 'the conflict bar in A within 1 s' });
    console.log(`# (d) the conflict bar showed in A ${Date.now() - t0} ms after B's write was seen`);
    const inA = await saveState(a.page);
    assert.equal(inA.status, `${iso('Untitled scenario')}: changed in another tab`);
    assert.equal(inA.conflictText, `${iso('Untitled scenario')} was changed in another tab. Nothing from this tab is saved over it until you choose.`);
    assert.equal(await a.page.getAttribute('#conflict', 'role'), 'alert');
    await screenshot(a.page, 'keep-conflict');

    // A edits more: nothing from A is written over B's version.
    const storedB = await probe.evaluate((k) => localStorage.getItem(k), RECORD_PREFIX + id);
    await addEventByDblclick(a.page, 2, 0.55);
    await sleep(700);
    assert.equal(await probe.evaluate((k) => localStorage.getItem(k), RECORD_PREFIX + id), storedB, 'A wrote over B\'s version');
    assert.deepEqual(await a.page.evaluate((k) => window.__kw.filter((w) => w.key === k && w.t > 0).length, RECORD_PREFIX + id), 1, 'A wrote its record once (its first edit), never after the conflict');
    const mine = linkOf(await rawScenario(a.page));

    // Keep mine: two records, one with each version.
    await a.page.click('#conflict-keep');
    await until(() => a.page.evaluate(() => document.getElementById('conflict').hidden), { what: 'the bar to go' });
    const records = readableRecords(await appStorage(probe));
    const byLink = Object.fromEntries(Object.values(records).map((r) => [r.link, r]));
    assert.equal(Object.keys(records).length, 2, 'two records');
    assert.ok(byLink[fromB.link], 'B\'s version is kept');
    assert.ok(byLink[mine], 'A\'s version is kept as a new record');
    assert.equal(byLink[mine].name, 'Untitled scenario (this tab)');
    assert.equal(byLink[fromB.link].id, id, 'B\'s stays in the record both tabs shared');
    const stateA = await saveState(a.page);
    assert.equal(stateA.status, `Saved: ${iso('Untitled scenario (this tab)')}`);
    assert.notEqual(stateA.entry, id);

    // The tabs now edit different records: no more conflicts.
    await addEventByDblclick(b.page, 0, 0.85);
    await waitSaved(b.page);
    await addEventByDblclick(a.page, 1, 0.15);
    await waitSaved(a.page);
    await sleep(200);
    assert.deepEqual(await Promise.all([a, b].map((t) => t.page.evaluate(() => document.getElementById('conflict').hidden))), [true, true]);
    for (const t of [a, b]) {
      await closeTab(t.page);
      await assertHealthy(t, 'two-tab deterministic');
    }
  });
});

test('(d) 12 seeded random two-tab races (edits by double-click, slider keys and setScenario; Load newer / Keep mine; tabs closed mid-way): nothing is lost, the bar shows whenever the other tab wrote over what a tab saw', async () => {
  const started = Date.now();
  const seeds = process.env.KEEP_SEEDS ? process.env.KEEP_SEEDS.split(',').map(Number) : Array.from({ length: 12 }, (_, k) => 0xc0ffee + k * 7919);
  const failures = [];
  const totals = { steps: 0, conflicts: 0, loads: 0, keeps: 0, closes: 0, kept: 0, superseded: 0 };
  await pool(
    seeds.map((seed) => async () => {
      await softly(failures, `race seed ${seed}`, async () => {
        const counts = await race(seed);
        for (const k of Object.keys(totals)) totals[k] += counts[k];
      });
    }),
    3,
  );
  console.log(`# (d) races: ${seeds.length} races, ${JSON.stringify(totals)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assertNoFailures(failures, seeds.length, 'races');
  assert.ok(totals.conflicts > 0, 'some race led to a conflict');
});

// ================================================================ regressions

test('regression: a link opened beside a saved record, then the tab closed without an edit, leaves the record byte-identical (another scenario, the record\'s own link in a new tab, a reload of the record\'s own tab)', async () => {
  await inContext('link-then-close', async (context) => {
    const probe = await openProbe(context, app.url);
    const first = await openTab(context, app.url);
    await addEventByDblclick(first.page, 2, 0.4);
    const { id, record } = await waitSaved(first.page);
    const before = await appStorage(probe);
    for (const [what, fragment] of [['another scenario', linkOf(OTHER)], ['the record\'s own link', record.link]]) {
      const tab = await openTab(context, `${app.url}#${fragment}`);
      assert.equal((await saveState(tab.page)).status, 'Unsaved view: your first edit saves it', what);
      await sleep(600);
      await closeTab(tab.page);
      await assertHealthy(tab, what);
      assertStorageSame(await appStorage(probe), before, `${what}, opened and closed`);
    }
    // A reload: the hash is the tab's record's link, so the tab goes on with it.
    await first.page.reload({ waitUntil: 'load' });
    await until(() => first.page.evaluate(() => window.hlcviz?.ready === true), { what: 'the app after reload' });
    const state = await saveState(first.page);
    assert.equal(state.entry, id, 'a reload goes on editing the tab\'s record');
    assert.equal(state.status, `Saved: ${iso(record.name)}`);
    await sleep(400);
    await closeTab(first.page);
    await assertHealthy(first, 'reloaded tab');
    assertStorageSame(await appStorage(probe), before, 'reloaded, then closed');
  });
});

test('regression: a saved record whose link is valid but not in the page\'s own encoding (an overlong varint) is not rewritten by opening and closing it, nor seen as changed by a second tab', async () => {
  await inContext('noncanonical', async (context) => {
    const probe = await openProbe(context, app.url);
    const body = scenarioBody(N(KEPT));
    const link = linkOfBody([body[0] | 0x80, 0x00, ...body.slice(1)]);
    assert.notEqual(link, linkOf(KEPT));
    const text = recordText({ id: 'older', name: 'Written by an older page', created_ms: Date.now() - 5_000, link, summary: '2 nodes · 4 events' });
    await probe.evaluate(([k, v]) => localStorage.setItem(k, v), [`${RECORD_PREFIX}older`, text]);
    const a = await openTab(context, app.url);
    const b = await openTab(context, app.url);
    assert.deepEqual(await getScenario(a.page), N(KEPT), 'the record opens');
    assert.equal((await saveState(a.page)).entry, 'older');
    await sleep(400);
    await closeTab(a.page);
    await sleep(300);
    const problems = [];
    const now = await probe.evaluate((k) => localStorage.getItem(k), `${RECORD_PREFIX}older`);
    if (now !== text) problems.push(`closing a tab that only looked at it rewrote it:\n      was ${text}\n      now ${now}`);
    if (await b.page.evaluate(() => !document.getElementById('conflict').hidden)) problems.push('the other tab, which changed nothing either, shows the conflict bar');
    await closeTab(b.page);
    await assertHealthy(a, 'tab A');
    await assertHealthy(b, 'tab B');
    assert.deepEqual(problems, []);
  });
});

test('regression: records of a newer version (v999 link, hlcviz-saved/2) and an unreadable one are listed as such, never opened, and survive the page opening, being edited and closing', async () => {
  await inContext('newer-records', async (context) => {
    const probe = await openProbe(context, app.url);
    await probe.evaluate((records) => { for (const [k, v] of Object.entries(records)) localStorage.setItem(k, v); }, FOREIGN_RECORDS);
    const tab = await openTab(context, app.url);
    assert.deepEqual(await getScenario(tab.page), N(example('default.json')), 'no foreign record is opened: the default scenario');
    assert.equal((await saveState(tab.page)).status, 'Unsaved view: your first edit saves it');
    const listed = await tab.page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('#library-list li[data-entry]')].map((li) => [li.dataset.entry, { cls: li.className, text: li.textContent, buttons: li.querySelectorAll('button').length }])),
    );
    assert.match(listed.newerlink?.text ?? '', /saved by a newer version/, 'the v999 record is listed as newer');
    assert.match(listed.newerlink.text, new RegExp(iso('From the future (v999 link)').replace(/[()]/g, '\\$&')));
    assert.match(listed.newerformat?.text ?? '', /saved by a newer version/, 'the hlcviz-saved/2 record is listed as newer');
    assert.match(listed.broken?.text ?? '', /A record this page cannot read/, 'the damaged record is listed');
    for (const id of ['newerlink', 'newerformat', 'broken']) assert.equal(listed[id].buttons, 0, `${id}: no Open/Delete`);
    await addEventByDblclick(tab.page, 1, 0.5);
    await waitSaved(tab.page);
    await closeTab(tab.page);
    await assertHealthy(tab, 'newer records');
    const after = await appStorage(probe);
    for (const [k, v] of Object.entries(FOREIGN_RECORDS)) assert.equal(after[k], v, `${k} is byte-identical`);
    assert.equal(Object.keys(readableRecords(after)).length, 1, 'the edit made one record of its own');
  });
});

test('regression: Copy link where the clipboard API is missing (plain http on a non-localhost name) or refuses: the link is selected in #share-link, a notice says to copy it by hand, no crash', async () => {
  const browser = await launchBrowser({ args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP hlcviz.test 127.0.0.1'] });
  try {
    const context = await browser.newContext(VIEWPORT);
    const tab = await openTab(context, `http://hlcviz.test:${app.server.port}${app.server.prefix}`);
    const { page } = tab;
    assert.deepEqual(
      await page.evaluate(() => ({ secure: window.isSecureContext, clipboard: typeof navigator.clipboard })),
      { secure: false, clipboard: 'undefined' },
    );
    await addEventByDblclick(page, 0, 0.45);
    for (const button of ['#copy-link', '#copy-link-2']) {
      await page.evaluate(() => document.getElementById('share-link').blur());
      await page.click(button);
      await until(() => page.evaluate(() => document.activeElement?.id === 'share-link'), { what: `${button}: #share-link focused` });
      const field = await page.evaluate(() => {
        const f = document.getElementById('share-link');
        return { value: f.value, start: f.selectionStart, end: f.selectionEnd, href: location.href, selected: String(window.getSelection()) };
      });
      assert.equal(field.value, field.href, `${button}: the field holds the page's link`);
      assert.match(field.value, /^http:\/\/hlcviz\.test:\d+\/#v[12]\./);
      assert.deepEqual([field.start, field.end], [0, field.value.length], `${button}: the whole link is selected`);
      assert.match(await page.evaluate(() => window.hlcviz.lastNotice()), /copy it with Ctrl\+C|by hand/i, `${button}: the notice`);
      await assertHealthy(tab, button);
    }
    await context.close();
  } finally {
    await browser.close();
  }
  // A secure origin whose clipboard refuses.
  await inContext('clipboard-refuses', async (context) => {
    const tab = await openTab(context, app.url);
    await tab.page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
    });
    await tab.page.click('#copy-link');
    await until(() => tab.page.evaluate(() => document.activeElement?.id === 'share-link'), { what: 'refused: #share-link focused' });
    const f = await tab.page.evaluate(() => { const e = document.getElementById('share-link'); return [e.value === location.href, e.selectionStart, e.selectionEnd === e.value.length]; });
    assert.deepEqual(f, [true, 0, true]);
    assert.match(await tab.page.evaluate(() => window.hlcviz.lastNotice()), /copy it with Ctrl\+C|by hand/i);
    await assertHealthy(tab, 'clipboard refuses');
  });
});

test('regression: a node named "x\\u202E" does not reverse the page\'s own words after it, in #details and in #tooltip', async () => {
  await inContext('bidi', async (context) => {
    const tab = await openTab(context, app.url);
    const { page } = tab;
    const name = 'x\u202E';
    await setScenario(page, { nodes: [{ name }, { name: 'y' }], events: [{ node: 0, at_ms: 100 }], messages: [{ from: 0, sent_at_ms: 200, to: 1, received_at_ms: 300 }] });
    await page.click('#fit');
    const p = await pointOfEvent(page, 'local', 0);
    await page.mouse.move(p.x, p.y - 30);
    await page.mouse.move(p.x, p.y, { steps: 2 });
    await page.mouse.down();
    await page.mouse.up();
    assert.deepEqual(await page.evaluate(() => window.hlcviz.selection()), { kind: 'local', index: 0 });
    for (const where of ['#details', '#tooltip']) {
      await until(() => page.evaluate((sel) => { const el = document.querySelector(sel); return !el.hidden && el.textContent.includes('local event'); }, where), { what: `${where} to explain the event` });
      const text = await page.evaluate((sel) => document.querySelector(sel).textContent, where);
      assert.ok(text.includes(`${iso(name)}: local event`), `${where}: the name is isolated: ${JSON.stringify(text.slice(0, 40))}`);
      const xs = await wordXs(page, where, ['local', 'event']);
      assert.ok(xs.local && xs.event, `${where}: words found`);
      assert.equal(Math.round(xs.local.y), Math.round(xs.event.y), `${where}: same line`);
      assert.ok(xs.local.x < xs.event.x, `${where}: "local" (x ${xs.local.x.toFixed(1)}) is drawn left of "event" (x ${xs.event.x.toFixed(1)})`);
    }
    await assertHealthy(tab, 'bidi');
  });
});

test('regression: an oversized ShiViz notice (60 KB log, 600 unreadable lines, a long file name) stays small, above the diagram, with its details in a scrolling list', async () => {
  await inContext('notice', async (context) => {
    const tab = await openTab(context, app.url);
    const { page } = tab;
    const garbage = Array.from({ length: 600 }, (_, k) => `garbage line ${k} ${'<not a clock> '.repeat(6)}`);
    const log = `${hostileShivizLog(['alpha', 'beta', 'gamma'])}${garbage.join('\n')}\n`;
    assert.ok(log.length > 55_000 && log.length < 70_000, `log is ${log.length} bytes`);
    const fileName = `${'a-very-long-name-of-a-log-file-'.repeat(7)}.log`;
    const notice = await chooseFile(page, '#import-file', fileName, Buffer.from(log));
    assert.match(notice, /^Imported /);
    const state = await page.evaluate(() => {
      const rect = (id) => document.getElementById(id).getBoundingClientRect().toJSON();
      return { notice: rect('notice'), stage: rect('stage'), text: document.getElementById('notice-text').textContent, more: document.getElementById('notice-more').textContent, moreHidden: document.getElementById('notice-more').hidden };
    });
    assert.ok(state.notice.height <= 160, `#notice is ${state.notice.height} px high`);
    const apart = (a, b) => a.bottom <= b.top || a.top >= b.bottom || a.right <= b.left || a.left >= b.right;
    assert.ok(apart(state.notice, state.stage), `#notice ${JSON.stringify(state.notice)} overlaps #stage ${JSON.stringify(state.stage)}`);
    assert.ok(Array.from(state.text).length <= 281, `#notice-text has ${Array.from(state.text).length} characters`);
    assert.ok(state.text.endsWith('…'), 'the long text is cut with …');
    assert.equal(notice, state.text, 'lastNotice() is the short text');
    assert.equal(state.moreHidden, false);
    assert.match(state.more, /^\d+ more…$/);
    await page.click('#notice-more');
    const list = await page.evaluate(() => { const l = document.getElementById('notice-list'); return { hidden: l.hidden, scroll: l.scrollHeight, client: l.clientHeight, items: l.children.length, expanded: document.getElementById('notice-more').getAttribute('aria-expanded') }; });
    assert.equal(list.hidden, false);
    assert.ok(list.client > 0 && list.scroll > list.client, `the list scrolls (${list.scroll} > ${list.client})`);
    assert.equal(list.items, Number(state.more.match(/^\d+/)[0]), 'the button counts the list');
    assert.equal(list.expanded, 'true');
    await page.click('#notice-close');
    assert.equal(await page.evaluate(() => document.getElementById('notice').hidden), true, '#notice-close hides it');
    await assertHealthy(tab, 'oversized notice');
  });
});

test('regression: My scenarios: Save an unsaved view, rename, duplicate, delete + Undo, export, and import into a fresh browser profile gives the same names and scenarios', async () => {
  let exportedFile;
  await inContext('library', async (context) => {
    const probe = await openProbe(context, app.url);
    const tab = await openTab(context, app.url);
    const { page } = tab;
    await addEventByDblclick(page, 0, 0.42);
    const { id: first } = await waitSaved(page);
    // A preset: an unsaved view, kept with Save.
    await openPreset(page, 'sender-ahead');
    assert.equal((await saveState(page)).status, 'Unsaved view: your first edit saves it');
    await page.click('#save-now');
    const { id: second, record: secondRecord } = await waitSaved(page);
    assert.equal(secondRecord.name, "Sender's clock ahead");
    assert.deepEqual(await saveState(page).then((s) => [s.status, s.saveNowHidden]), [`Saved: ${iso("Sender's clock ahead")}`, true]);
    // A file, kept by its first edit.
    await chooseFile(page, '#import-file', 'mine.json', Buffer.from(JSON.stringify(KEPT)));
    await addEventByDblclick(page, 1, 0.66);
    const { id: third } = await waitSaved(page);
    const entries = () => page.evaluate(() => [...document.querySelectorAll('#library-list li.library-entry')].map((li) => ({ id: li.dataset.entry, current: li.classList.contains('current'), name: li.querySelector('input.entry-name')?.value, commands: [...li.querySelectorAll('button[data-command]')].map((b) => b.dataset.command) })));
    const listed = await entries();
    assert.deepEqual(listed.map((e) => e.id).sort(), [first, second, third].sort());
    assert.deepEqual(listed.find((e) => e.id === third), { id: third, current: true, name: 'mine.json', commands: ['duplicate', 'delete'] });
    assert.deepEqual(listed.find((e) => e.id === first).commands, ['open', 'duplicate', 'delete']);
    // Rename.
    const oldFirst = readableRecords(await appStorage(probe))[first];
    const nameField = page.locator(`#library-list li[data-entry="${first}"] input.entry-name`);
    await reveal(page, nameField);
    await nameField.fill('Renamed <b>one</b>');
    await nameField.press('Enter');
    await until(async () => readableRecords(await appStorage(probe))[first]?.name === 'Renamed <b>one</b>', { what: 'the rename to be stored' });
    assert.equal(readableRecords(await appStorage(probe))[first].link, oldFirst.link, 'a rename keeps the scenario');
    // Duplicate.
    await page.click(`#library-list li[data-entry="${second}"] button[data-command="duplicate"]`);
    const afterDup = readableRecords(await appStorage(probe));
    const copy = Object.values(afterDup).find((r) => ![first, second, third].includes(r.id));
    assert.ok(copy, 'a new record');
    assert.equal(copy.name, "Sender's clock ahead (copy)");
    assert.equal(copy.link, afterDup[second].link);
    // Delete + Undo.
    const beforeDelete = await appStorage(probe);
    await page.click(`#library-list li[data-entry="${first}"] button[data-command="delete"]`);
    assert.equal((await appStorage(probe))[`${RECORD_PREFIX}${first}`], undefined, 'deleted');
    assert.equal(await page.evaluate(() => document.getElementById('library-undo').hidden), false, 'Undo is offered');
    await page.click('#library-undo-button');
    assertStorageSame(await appStorage(probe), beforeDelete, 'Undo of the delete');
    await screenshot(page, 'keep-library', { clip: await page.locator('#library').boundingBox() });
    // Export.
    const file = await download(page, '#library-export');
    assert.equal(file.name, 'hlc-scenarios.json');
    exportedFile = JSON.parse(file.bytes.toString('utf8'));
    assert.equal(exportedFile.format, 'hlcviz-library/1');
    assert.deepEqual(exportedFile.scenarios.map((s) => s.name).sort(), ['Renamed <b>one</b>', "Sender's clock ahead", "Sender's clock ahead (copy)", 'mine.json'].sort());
    await closeTab(page);
    await assertHealthy(tab, 'library');
  });
  await inContext('library-import', async (context) => {
    const probe = await openProbe(context, app.url);
    const tab = await openTab(context, app.url);
    const shown = await getScenario(tab.page);
    const notice = await chooseFile(tab.page, '#library-import', 'hlc-scenarios.json', Buffer.from(JSON.stringify(exportedFile)));
    assert.match(notice, /^Added 4 scenario\(s\) from /);
    assert.deepEqual(await getScenario(tab.page), shown, 'the open scenario is unchanged');
    assert.equal((await saveState(tab.page)).status, 'Unsaved view: your first edit saves it');
    assert.equal(Object.keys(readableRecords(await appStorage(probe))).length, 4);
    const again = JSON.parse((await download(tab.page, '#library-export')).bytes.toString('utf8'));
    const key = (s) => JSON.stringify([s.name, s.created_ms, s.edited_ms, normalize(s.scenario), s.snapshot ?? null]);
    assert.deepEqual(again.scenarios.map(key).sort(), exportedFile.scenarios.map(key).sort(), 'the same names, times and scenarios');
    await closeTab(tab.page);
    await assertHealthy(tab, 'library import');
  });
});

test('regression: the 50-record cap: a 51st record drops the oldest readable one (with a notice naming it), never a newer-version record', async () => {
  await inContext('cap', async (context) => {
    const probe = await openProbe(context, app.url);
    const base = Date.now() - 10 * 86_400_000;
    const seeded = {};
    for (let k = 0; k < MAX_ENTRIES; k++) {
      const s = { nodes: [{ name: `cap ${k}` }, { name: 'b' }], events: [{ node: 0, at_ms: 10 + k }], messages: [] };
      seeded[`${RECORD_PREFIX}cap${k}`] = recordText({ id: `cap${k}`, name: `Capped ${k}`, created_ms: base + k * 60_000, link: linkOf(s), summary: '2 nodes · 1 event' });
    }
    const newer = JSON.stringify({ format: 'hlcviz-saved/1', id: 'ancient', name: 'Old but newer format', created_ms: 1, edited_ms: 1, link: 'v999.AAAA' });
    await probe.evaluate(([records, n]) => {
      for (const [k, v] of Object.entries(records)) localStorage.setItem(k, v);
      localStorage.setItem('hlcviz.scenario.ancient', n);
    }, [seeded, newer]);
    const tab = await openTab(context, `${app.url}#${linkOf(OTHER)}`);
    assert.equal((await saveState(tab.page)).status, 'Unsaved view: your first edit saves it');
    await addEventByDblclick(tab.page, 1, 0.5);
    const { id } = await waitSaved(tab.page);
    const notice = await tab.page.evaluate(() => window.hlcviz.lastNotice());
    const details = await tab.page.evaluate(() => [...document.querySelectorAll('#notice-list li')].map((li) => li.textContent));
    const after = await appStorage(probe);
    const readable = readableRecords(after);
    assert.equal(Object.keys(readable).length, MAX_ENTRIES, 'exactly 50 readable records');
    assert.ok(readable[id], 'the new record is kept');
    assert.equal(readable.cap0, undefined, 'the oldest is dropped');
    for (let k = 1; k < MAX_ENTRIES; k++) assert.equal(after[`${RECORD_PREFIX}cap${k}`], seeded[`${RECORD_PREFIX}cap${k}`], `cap${k} is untouched`);
    assert.equal(after[`${RECORD_PREFIX}ancient`], newer, 'the newer-format record is not dropped');
    assert.equal(notice, 'My scenarios keeps the 50 most recently edited: dropped the 1 oldest.');
    assert.deepEqual(details, [`Dropped ${iso('Capped 0')}`]);
    await closeTab(tab.page);
    await assertHealthy(tab, 'cap');
  });
});

test('(b) library import of a 60-scenario export: at most 50 are read, and the saved scenarios (edited more recently than any imported one) are not dropped for them', async () => {
  await inContext('import-60', async (context) => {
    const probe = await openProbe(context, app.url);
    const tab = await openTab(context, app.url);
    await addEventByDblclick(tab.page, 0, 0.5);
    await waitSaved(tab.page);
    const now = Date.now();
    await probe.evaluate((records) => { for (const [k, v] of records) localStorage.setItem(k, v); }, [
      ...[1, 2, 3].map((k) => [`${RECORD_PREFIX}recent${k}`, recordText({ id: `recent${k}`, name: `Recent ${k}`, created_ms: now - k * 1_000, link: linkOf(withEvents(KEPT, { node: 0, at_ms: 600 + k })) })]),
      ...Object.entries(FOREIGN_RECORDS),
    ]);
    const before = await appStorage(probe);
    const sixty = libraryFile(Array.from({ length: 60 }, (_, k) => exported(`Imported ${k}`, { nodes: [{ name: `i${k}` }] }, 1_600_000_000_000 + k)));
    const notice = await chooseFile(tab.page, '#import-file', 'sixty.json', Buffer.from(sixty));
    const after = await appStorage(probe);
    const diff = storageDiff(before, after);
    const readable = readableRecords(after);
    const details = await tab.page.evaluate(() => [...document.querySelectorAll('#notice-list li')].map((li) => li.textContent));
    const problems = [];
    if (diff.added.length > 50) problems.push(`${diff.added.length} records added (more than 50 read)`);
    if (!details.some((d) => /10 more scenario\(s\) not read/.test(d))) problems.push(`the notice does not say 10 were not read: ${notice} ${JSON.stringify(details)}`);
    const lost = [...diff.removed, ...diff.changed].map((k) => `${k} (${JSON.parse(before[k]).name ?? '?'})`);
    if (lost.length) problems.push(`saved scenarios dropped or changed by the import: ${lost.join(', ')}`);
    if (Object.keys(readable).length > MAX_ENTRIES) problems.push(`${Object.keys(readable).length} readable records after the import (the library keeps 50)`);
    await closeTab(tab.page);
    await assertHealthy(tab, 'import 60');
    assert.deepEqual(problems, [], `notice: ${notice}`);
  });
});

test('(d) two tabs on one record, both with unsaved edits, closed at the same moment (like a window holding both): both versions are kept', async () => {
  const trials = 2;
  const lost = [];
  for (let k = 0; k < trials; k++) {
    await inContext(`close-together-${k}`, async (context) => {
      const probe = await openProbe(context, app.url);
      const a = await openTab(context, app.url);
      await addEventByDblclick(a.page, 0, 0.3);
      await waitSaved(a.page);
      const b = await openTab(context, app.url);
      assert.equal((await saveState(b.page)).entry, (await saveState(a.page)).entry, 'both tabs on one record');
      // Both edit, and both close before their edits' 250 ms saves: the page saves them on pagehide.
      const edit = (page, at) => page.evaluate((ms) => {
        const s = window.hlcviz.getScenario();
        s.events.push({ node: 1, at_ms: ms });
        window.hlcviz.setScenario(s);
        return window.hlcviz.getScenario();
      }, at);
      const [fa, fb] = await Promise.all([edit(a.page, 1_111 + k), edit(b.page, 2_222 + k)]);
      await Promise.all([closeTab(a.page), closeTab(b.page)]);
      await sleep(300);
      for (const t of [a, b]) await assertHealthy(t, `close-together ${k}`);
      const links = new Set(Object.values(readableRecords(await appStorage(probe))).map((r) => r.link));
      for (const [label, s] of [['A', fa], ['B', fb]]) if (!links.has(linkOf(s))) lost.push(`trial ${k}: tab ${label}'s edit`);
    });
  }
  assert.deepEqual(lost, [], `lost in ${lost.length} of ${trials * 2} tab closes (both tabs checked their record, saw no change, and wrote; the later write replaced the earlier one)`);
});
