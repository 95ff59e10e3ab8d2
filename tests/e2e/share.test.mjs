// Share and keep, used like a person does: permalinks in the URL fragment,
// bad links, editing the fragment by hand, the autosave, undo/redo, the
// presets, export (real downloads) and import (the real file chooser), and
// Copy link (the real clipboard). Checked through window.hlcviz, the DOM,
// the notice, the URL and localStorage.
//
// Default scenario (docs/examples/default.json): nodes A (skew 0), B (+300),
// C (-100); local events A@100, C@300, A@450, B@700, C@760; messages
// m0 A@200 -> B@260, m1 B@300 -> A@380, m2 A@520 -> C@640.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, screenshot, useApp, waitForApp } from './harness.mjs';
import { label, normalize } from './model.mjs';
import {
  drag,
  getScenario,
  getTrace,
  pointOfEvent,
  pointOnLane,
  retype,
  until,
  visibleNotice,
  watchCanvasText,
  canvasTexts,
  repaint, plain, dragSlider, reveal, openPreset, sliderSkew, lastNotice } from './ui.mjs';
import {
  latestSavedLink,
  PERSIST_DELAY_MS,
  PRESET_FILES,
  download,
  example,
  linkState,
  noticeAfter,
  openPage,
  pageState,
  pngSize,
  recordStorageWrites,
  replayWithRules,
  settledLink,
  trackPersist,
  upload,
  withContext,
} from './share-helpers.mjs';

const app = useApp();

const A = 0;
const B = 1;
const C = 2;

const DEFAULT = normalize(example('default.json'));

/** The fragment with one character in its payload changed (still base64url). */
function garble(hash) {
  const at = Math.floor(hash.length / 2);
  const swapped = hash[at] === 'Q' ? 'R' : 'Q';
  return hash.slice(0, at) + swapped + hash.slice(at + 1);
}

const autosaveOf = (page) => page.evaluate(latestSavedLink);

test('permalink: edits rewrite the #v1. fragment in place (no new history entry); the link reopens the same scenario, trace and snapshot in a fresh context', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await trackPersist(page);
    const start = await linkState(page);
    assert.equal(start.hash, '', 'the bare URL has no fragment');
    await page.waitForTimeout(PERSIST_DELAY_MS + 150);
    assert.deepEqual(await linkState(page), start, 'nothing is written when the page opens');
    assert.equal(start.autosave, null);

    // 1. Double-click C's line at 680 ms: a local event.
    const at = await pointOnLane(page, C, 680);
    await page.mouse.move(at.x, at.y - 20, { steps: 3 });
    await page.mouse.dblclick(at.x, at.y);
    // 2. Drag B's skew slider 25 px to the right.
    const slider = page.locator('#nodes .node-row').nth(B).locator('.skew-slider');
    await dragSlider(page, slider, 25);
    // 3. A snapshot at (650, 0), typed.
    await retype(page, page.locator('#snap-l'), '650');
    await retype(page, page.locator('#snap-c'), '0');
    await page.click('#snap-take');

    const link = await settledLink(page);
    assert.match(link.hash, /^#v[12]\.[A-Za-z0-9_-]+$/, 'a v1 or v2 (compressed) base64url fragment');
    assert.equal(link.historyLength, start.historyLength, 'replaceState: no new history entry');
    assert.equal(link.href, `${app.url}${link.hash}`, 'only the fragment changed');
    const original = await pageState(page);
    assert.equal(original.scenario.events.length, 6, 'the double-click added an event');
    assert.deepEqual(original.scenario.events.at(-1), { node: C, at_ms: at.ms });
    const skew = original.scenario.nodes[B].skew_ms;
    assert.ok(skew > 300, `the slider drag raised B's skew (${skew})`);
    assert.match(original.snapshot, /HLC cut at \(650, 0\): consistent/);

    await withContext(app, { name: `${t.name} (reopened)` }, async (context) => {
      const { page: other, errors: otherErrors } = await openPage(context, link.href);
      const reopened = await pageState(other);
      assert.deepEqual(reopened.scenario, original.scenario, 'same scenario');
      assert.deepEqual(reopened.trace, original.trace, 'same trace');
      assert.equal(reopened.snapshot, original.snapshot, 'the snapshot came back');
      assert.equal(await other.inputValue('#snap-l'), '650');
      assert.equal(await other.locator('#notice').isVisible(), false, 'a good link shows no notice');
      await other.waitForTimeout(PERSIST_DELAY_MS + 150);
      const opened = await linkState(other);
      assert.equal(opened.hash, link.hash, 'the link is left as it was');
      assert.equal(opened.autosave, null, 'opening a link writes no autosave');
      assert.deepEqual(otherErrors, []);
    });
    assert.deepEqual(errors, []);
  });
});

test('autosave: an edit survives opening the bare URL again; bad links then say why in a notice and open the autosave, writing nothing; without an autosave the default opens', async (t) => {
  await withContext(app, { name: t.name }, async (context) => {
    // Edit: double-click A's line at 620 ms, drag C@300 (local e1) 50 px right.
    const { page, errors } = await openPage(context, app.url);
    const at = await pointOnLane(page, A, 620);
    await page.mouse.dblclick(at.x, at.y);
    const p = await pointOfEvent(page, 'local', 1);
    await drag(page, p, { x: p.x + 50, y: p.y });
    const saved = await settledLink(page);
    const savedScenario = await getScenario(page);
    assert.equal(savedScenario.events.length, 6, 'the double-click added an event');
    assert.ok(savedScenario.events[1].at_ms > 330, `C's event moved: ${savedScenario.events[1].at_ms}`);
    // Open the bare URL (no fragment) again: the autosave opens, quietly.
    await page.goto(app.url);
    await waitForApp(page);
    assert.equal(new URL(page.url()).hash, '');
    assert.deepEqual(await getScenario(page), savedScenario, 'the autosave opens on the bare URL');
    assert.equal(await page.locator('#notice').isVisible(), false, 'without a notice');
    assert.deepEqual(errors, []);
    await page.close();

    // From here on, every localStorage write of every page is recorded.
    await context.addInitScript(recordStorageWrites);
    const good = saved.hash;
    const random = randomBytes(45).toString('base64url');
    const cases = [
      ['cut short (last 10 characters lost)', good.slice(0, -10), /could not be opened/],
      ['garbled (one character changed)', garble(good), /garbled \(its checksum does not match\)/],
      ['from a future version', '#v9.AAAA', /made by a newer version of the visualizer \(format v9; this page reads up to v2\)/],
      ['markup', '#<img src=x onerror=alert(1)>', /not a scenario from this visualizer/],
      [`v1. and random base64url (${random})`, `#v1.${random}`, /garbled/],
      ['v1. and characters outside base64url', '#v1.AB$C*D', /garbled \(characters that cannot be in a scenario link\)/],
    ];
    const opened = [];
    for (const [what, fragment, reason] of cases) {
      const { page: bad, errors: badErrors } = await openPage(context, `${app.url}${fragment}`);
      const text = await visibleNotice(bad);
      assert.match(text, /^This link could not be opened: /, `${what}: ${text}`);
      assert.match(text, reason, `${what}: ${text}`);
      assert.match(text, /Showing your saved scenario .+ instead\.$/, `${what}: ${text}`);
      assert.equal(await bad.locator('#notice-text *').count(), 0, `${what}: the notice is plain text`);
      assert.deepEqual(await getScenario(bad), savedScenario, `${what}: the autosave opened`);
      opened.push([what, bad, badErrors]);
    }
    // Past the 250 ms debounce: no page wrote anything, no dialog, no error.
    await opened.at(-1)[1].waitForTimeout(PERSIST_DELAY_MS + 150);
    for (const [what, bad, badErrors] of opened) {
      assert.deepEqual(await bad.evaluate(() => window.__e2eWrites), [], `${what}: nothing written`);
      assert.equal(await autosaveOf(bad), saved.autosave, `${what}: the autosave is unchanged`);
      assert.deepEqual(bad.dialogs, [], `${what}: no dialog`);
      assert.equal(await bad.locator('img').count(), 0, `${what}: no image element appeared`);
      assert.deepEqual(badErrors, [], `${what}: no page error`);
      await bad.close();
    }

    // 3 MB: Chromium itself refuses to navigate to a URL over 2 MiB, so the
    // page is never loaded with it (the page's own 2 MiB check is reached by
    // hashchange, in a test below). Nothing may be written either way.
    const huge = await context.newPage();
    let refused = null;
    try {
      await huge.goto(`${app.url}#v1.${'A'.repeat(3 * 1024 * 1024)}`, { timeout: 15_000 });
    } catch (err) {
      refused = err.message.split('\n')[0];
    }
    const landed = huge.url();
    assert.ok(
      refused || !landed.startsWith(app.url),
      `Chromium was expected to refuse the 3 MB link; it opened ${landed.slice(0, 80)}…`,
    );
    await huge.close();
    const { page: after } = await openPage(context, app.url);
    assert.equal(await autosaveOf(after), saved.autosave, 'the autosave survived the 3 MB link');
    assert.deepEqual(await getScenario(after), savedScenario);
  });

  // A fresh context (no autosave): a bad link opens the default scenario.
  await withContext(app, { name: `${t.name} (fresh)` }, async (context) => {
    await context.addInitScript(recordStorageWrites);
    const { page, errors } = await openPage(context, `${app.url}#v9.AAAA`);
    const text = await visibleNotice(page);
    assert.match(text, /newer version/);
    assert.match(text, /Showing the default scenario instead\.$/);
    assert.deepEqual(normalize(await getScenario(page)), DEFAULT);
    await page.waitForTimeout(PERSIST_DELAY_MS + 150);
    assert.deepEqual(await page.evaluate(() => window.__e2eWrites), [], 'nothing written');
    assert.deepEqual(errors, []);
  });
});

// Regression: a link that lost its tail was reported as garbled (its last four
// bytes were taken for the checksum); it must say "cut short".
test('bad links: a link that lost its end says "cut short (was it copied whole?)"', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await trackPersist(page);
    await openPreset(page, 'sender-ahead');
    // The preset opens unsaved: its link is in the URL only.
    const link = {
      hash: await until(async () => {
        const hash = await page.evaluate(() => location.hash);
        return /^#v[12]\./.test(hash) ? hash : null;
      }, { what: "the preset's link" }),
    };
    const scenario = await getScenario(page);
    const wording = {};
    for (const lost of [1, 2, 3, 10, Math.floor(link.hash.length / 2)]) {
      const text = await noticeAfter(page, () =>
        page.evaluate((h) => { location.hash = h; }, link.hash.slice(0, -lost)));
      wording[`last ${lost} lost`] = text;
      assert.deepEqual(await getScenario(page), scenario, 'the scenario is kept');
    }
    assert.deepEqual(errors, []);
    const wrong = Object.entries(wording).filter(([, text]) => !/cut short \(was it copied whole\?\)/.test(text));
    assert.deepEqual(wrong, [], 'every cut-short link says "cut short"');
  });
});

test('editing the fragment by hand: a valid link opens as a new, unsaved document beside the saved one; a garbled or 3 MB one shows a notice and keeps the scenario and what is saved', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await trackPersist(page);
    // Saved work: an edit of the default scenario (a double-click on C@680).
    const spot = await pointOnLane(page, C, 680);
    await page.mouse.dblclick(spot.x, spot.y);
    const saved = await settledLink(page);
    const savedScenario = await getScenario(page);
    // Another valid link: the sender-ahead preset's (opening it writes nothing).
    await openPreset(page, 'sender-ahead');
    const other = await settledLink(page, { differentFrom: saved.hash }).catch(() => null);
    assert.equal(other, null, 'a preset opens unsaved: the saved link stays the edited scenario');
    const otherHash = await page.evaluate(() => location.hash);
    const otherScenario = await getScenario(page);
    assert.equal(await page.evaluate(latestSavedLink), saved.hash.slice(1));
    // Back to the saved one, from My scenarios.
    await reveal(page, '#library-list');
    await page.click('#library-list li.library-entry [data-command="open"]');
    assert.deepEqual(await getScenario(page), savedScenario, 'My scenarios reopens the edited scenario');

    await page.evaluate((h) => { location.hash = h; }, otherHash);
    await until(async () => (await getScenario(page)).nodes.length === otherScenario.nodes.length, {
      what: 'the hand-edited link to open',
    });
    assert.deepEqual(await getScenario(page), otherScenario, 'the link typed into the address bar opened');
    assert.equal(await page.locator('#undo').isDisabled(), true, 'a new document: nothing to undo');
    assert.match(plain(await page.locator('#save-status').innerText()), /^Unsaved view/);
    await page.waitForTimeout(PERSIST_DELAY_MS + 150);
    assert.equal(await page.evaluate(latestSavedLink), saved.hash.slice(1), 'opening the link wrote nothing');
    const kept = { autosave: saved.hash.slice(1) };

    // A garbled link typed by hand.
    let text = await noticeAfter(page, () => page.evaluate((h) => { location.hash = h; }, garble(otherHash)));
    assert.match(text, /^This link could not be opened: the link is garbled \(its checksum does not match\)\. Your scenario is unchanged\.$/);
    assert.deepEqual(await getScenario(page), otherScenario);

    // A 3 MB link (only reachable this way in Chromium: see the autosave test).
    text = await noticeAfter(page, () =>
      page.evaluate(() => { location.hash = `v1.${'A'.repeat(3 * 1024 * 1024)}`; }));
    assert.match(text, /the link is too long \(3145731 characters; at most 2097152 are read\)\. Your scenario is unchanged\./);
    assert.deepEqual(await getScenario(page), otherScenario);
    await page.waitForTimeout(PERSIST_DELAY_MS + 150);
    assert.equal(await autosaveOf(page), kept.autosave, 'bad links never reach the autosave');
    assert.deepEqual(errors, []);
  });
});

test('undo/redo: a mouse drag of an event is one step (Ctrl+Z; Ctrl+Shift+Z and Ctrl+Y redo; #undo/#redo); a whole skew-slider drag is one step', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await trackPersist(page);
    const undo = page.locator('#undo');
    const redo = page.locator('#redo');
    assert.equal(await undo.isDisabled(), true, 'nothing to undo at start');
    assert.equal(await redo.isDisabled(), true, 'nothing to redo at start');
    const start = await getScenario(page);

    // Drag A@450 (local e2) 70 px right in 14 moves, counting the edits on the way.
    await page.evaluate(() => {
      window.__e2eTimes = [];
      window.__e2eTimer = setInterval(() => window.__e2eTimes.push(window.hlcviz.getScenario().events[2].at_ms), 0);
    });
    const p = await pointOfEvent(page, 'local', 2);
    await drag(page, p, { x: p.x + 70, y: p.y + 1 }, { steps: 14 });
    const seen = await page.evaluate(() => {
      clearInterval(window.__e2eTimer);
      return [...new Set(window.__e2eTimes)];
    });
    const dragged = await getScenario(page);
    const moved = dragged.events[2].at_ms;
    assert.ok(moved > 450 + 40, `the event moved: ${moved}`);
    assert.ok(seen.length >= 3, `the drag went through several positions: ${seen}`);
    assert.equal(await undo.isDisabled(), false);

    await page.keyboard.press('Control+z');
    assert.deepEqual(await getScenario(page), start, 'one Ctrl+Z undoes the whole drag');
    assert.equal(await undo.isDisabled(), true, 'it was one step');
    assert.equal(await redo.isDisabled(), false);
    await page.keyboard.press('Control+Shift+Z');
    assert.deepEqual(await getScenario(page), dragged, 'Ctrl+Shift+Z redoes it');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+y');
    assert.deepEqual(await getScenario(page), dragged, 'Ctrl+Y redoes it');
    await undo.click();
    assert.deepEqual(await getScenario(page), start, '#undo');
    await redo.click();
    assert.deepEqual(await getScenario(page), dragged, '#redo');
    await assertTraceFollows(page);

    // A slider drag: many input events, one step.
    const slider = page.locator('#nodes .node-row').nth(B).locator('.skew-slider');
    await slider.evaluate((s) => {
      window.__e2eInputs = 0;
      s.addEventListener('input', () => window.__e2eInputs++);
    });
    await dragSlider(page, slider, -40, 12);
    const inputs = await page.evaluate(() => window.__e2eInputs);
    const skewed = await getScenario(page);
    assert.ok(inputs >= 3, `the slider fired ${inputs} input events`);
    assert.ok(skewed.nodes[B].skew_ms < 250, `B's skew fell: ${skewed.nodes[B].skew_ms}`);
    await undo.click();
    assert.deepEqual(await getScenario(page), dragged, 'one #undo undoes the whole slider drag');
    assert.equal(await sliderSkew(slider), 300, 'the slider is back too');
    await redo.click();
    assert.deepEqual(await getScenario(page), skewed);
    await undo.click();
    await undo.click();
    assert.deepEqual(await getScenario(page), start, 'two steps in all');
    assert.equal(await undo.isDisabled(), true);
    assert.deepEqual(errors, []);
  });
});

/** The page's HLCs equal the independent replay of its own scenario. */
async function assertTraceFollows(page, what = 'trace') {
  const [scenario, trace] = await Promise.all([getScenario(page), getTrace(page)]);
  // Events refused because a node stopped itself keep their node's last live
  // clock and touch no other: the model leaves them out, and so does the
  // comparison (tests/policies.rs checks those rows).
  const refused = new Set(trace.events.filter((e) => e.refused != null).map((e) => `${e.event.kind}:${e.event.index}`));
  const model = replayWithRules(scenario, refused);
  for (const e of trace.events) {
    const ref = `${e.event.kind}:${e.event.index}`;
    if (refused.has(ref)) continue;
    const want = model.get(ref);
    assert.deepEqual(
      { ref, pt: e.pt, hlc: label(e.hlc), carried: e.carried, rejected: e.rejected !== null },
      { ref, pt: want.pt, hlc: label(want), carried: want.carried, rejected: want.rejected },
      `${what}: ${ref}`,
    );
  }
  assert.equal(trace.events.length, model.size + refused.size, `${what}: number of events`);
}

// Regression: shortcuts were ignored whenever any input or button had the
// focus; only text entry (and the keys a focused control uses) should block them.
test('undo/redo: Ctrl+Z works right after dragging a skew slider; a preset\'s Open starts a new document with its own history', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await trackPersist(page);
    const slider = page.locator('#nodes .node-row').nth(B).locator('.skew-slider');
    await dragSlider(page, slider, 30);
    assert.notEqual((await getScenario(page)).nodes[B].skew_ms, 300);
    await page.keyboard.press('Control+z');
    const afterSlider = (await getScenario(page)).nodes[B].skew_ms;

    await openPreset(page, 'plain');
    const opened = await getScenario(page);
    assert.equal(await page.locator('#undo').isDisabled(), true, 'nothing to undo in the new document');
    await page.keyboard.press('Control+z');
    assert.deepEqual(await getScenario(page), opened, 'Ctrl+Z does not undo the opening');
    await dragSlider(page, page.locator('#nodes .node-row').nth(0).locator('.skew-slider'), 30);
    assert.notDeepEqual(await getScenario(page), opened);
    await page.keyboard.press('Control+z');
    assert.deepEqual(await getScenario(page), opened, 'Ctrl+Z undoes an edit of the opened preset');
    assert.deepEqual(errors, []);
    assert.equal(afterSlider, 300, 'Ctrl+Z after the slider drag restores B\'s skew');
  });
});

test('presets: each opens its docs/examples file with its caption and a trace per the rules; the snapshot preset shows the physical cut inconsistent; each opens unsaved', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await trackPersist(page);
    await page.click('#tab-scenarios');
    const ids = await page.$$eval('#preset-list button', (bs) => bs.map((b) => b.dataset.preset));
    const start = await getScenario(page);
    assert.deepEqual([...ids].sort(), Object.keys(PRESET_FILES).sort(), 'every preset is known');
    assert.deepEqual(await getScenario(page), start, 'showing the gallery changes nothing');
    const captions = new Set();
    const opened = [];
    for (const id of ids) {
      const button = page.locator(`#preset-list button[data-preset="${id}"]`);
      const caption = (plain(await button.locator('.preset-caption').innerText())).trim();
      assert.ok(caption.length > 20, `${id}: caption "${caption}"`);
      captions.add(caption);
      await reveal(page, `#preset-list button[data-preset="${id}"]`);
      const text = await noticeAfter(page, () => button.click());
      const scenario = await getScenario(page);
      assert.deepEqual(normalize(scenario), normalize(example(PRESET_FILES[id])), `${id}: docs/examples/${PRESET_FILES[id]}`);
      assert.ok(text.endsWith(caption), `${id}: the notice gives the caption: ${text}`);
      await assertTraceFollows(page, id);
      const snap = (plain(await page.locator('#snap-result').textContent())).trim();
      if (id === 'snapshot') {
        assert.match(snap, /HLC cut at \(500, 0\): consistent\./);
        assert.match(snap, /Cut where each clock reads 500 ms: inconsistent: m1 received inside it but sent outside\./);
        assert.equal(await page.locator('#snap-result .bad').count(), 1, 'one verdict is marked bad');
      } else {
        assert.equal(snap, '', `${id}: no snapshot`);
      }
      opened.push(scenario);
    }
    assert.equal(captions.size, ids.length, 'every caption is its own');
    assert.equal(await page.locator('#undo').isDisabled(), true, 'a preset opens as a new document');
    await page.waitForTimeout(PERSIST_DELAY_MS + 150);
    assert.equal(await page.evaluate(latestSavedLink), null, 'opening presets saved nothing');
    assert.deepEqual(errors, []);
  });
});

test('export: JSON equals getScenario(); PNG is the canvas at device size; SVG is well-formed with every label and an escaped name; the ShiViz log parses with its own regex', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await trackPersist(page);
    // A node name that must be escaped in SVG and JSON.
    const tricky = 'A<&>"\'x';
    await retype(page, page.locator('#nodes .node-row').nth(A).locator('.node-name'), tricky);
    await page.keyboard.press('Tab');
    const scenario = await getScenario(page);
    assert.equal(scenario.nodes[A].name, tricky);
    const trace = await getTrace(page);
    // What the canvas paints now (before the clicks below scroll the page).
    await watchCanvasText(page);
    await repaint(page);
    const painted = (await canvasTexts(page)).map((x) => x.text);
    assert.ok(painted.includes(tricky), 'the canvas shows the new name');

    const json = await download(page, '#export-json');
    assert.equal(json.name, 'hlc-scenario.json');
    assert.deepEqual(JSON.parse(json.bytes.toString('utf8')), scenario);

    const png = await download(page, '#export-png');
    assert.equal(png.name, 'hlc-diagram.png');
    const canvas = await page.evaluate(() => {
      const c = document.getElementById('diagram');
      return { width: c.width, height: c.height };
    });
    assert.deepEqual(pngSize(png.bytes), canvas, 'the PNG is the canvas, pixel for pixel in size');

    const svg = await download(page, '#export-svg');
    assert.equal(svg.name, 'hlc-diagram.svg');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        errors: doc.getElementsByTagName('parsererror').length,
        root: doc.documentElement.localName,
        ns: doc.documentElement.namespaceURI,
        texts: [...doc.getElementsByTagName('text')].map((t) => t.textContent.replace(/[\u2066-\u2069]/g, '')),
        scripts: doc.getElementsByTagName('script').length,
      };
    }, svg.bytes.toString('utf8'));
    assert.equal(parsed.errors, 0, 'well-formed');
    assert.equal(parsed.root, 'svg');
    assert.equal(parsed.ns, 'http://www.w3.org/2000/svg');
    assert.equal(parsed.scripts, 0);
    assert.deepEqual([...parsed.texts].sort(), [...painted].sort(), 'the SVG has exactly the canvas\'s texts');
    // The canvas leaves out a label that would overlap its left neighbour's;
    // every other event's (l, c) is in the file.
    const labels = trace.events.map((e) => label(e.hlc));
    const missing = labels.filter((l) => !parsed.texts.includes(l));
    assert.ok(missing.length <= 1, `event labels missing from the SVG: ${missing}`);
    assert.ok(parsed.texts.includes(tricky), 'the escaped name reads back as itself');

    const log = await download(page, '#export-shiviz');
    assert.equal(log.name, 'hlc-shiviz.log');
    const text = log.bytes.toString('utf8');
    const lines = text.split('\n');
    assert.equal(lines[0], '(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})', 'ShiViz\'s default regex first');
    assert.equal(lines[1], '', 'then the (empty) execution delimiter');
    // Parse it the way ShiViz does: the regex applied globally over the text.
    const names = scenario.nodes.map((n) => n.name);
    const matches = [...text.matchAll(new RegExp(lines[0].replace('\\n', '\n'), 'g'))];
    assert.equal(matches.length, trace.events.length, 'one match per event');
    matches.forEach((m, i) => {
      const e = trace.events[i];
      assert.equal(m.groups.host, names[e.node], `event ${i}: host`);
      const want = Object.fromEntries(e.vector.map((v, k) => [names[k], v]).filter(([, v]) => v > 0));
      assert.deepEqual(JSON.parse(m.groups.clock), want, `event ${i}: clock`);
      assert.ok(m.groups.event.includes(label(e.hlc)), `event ${i}: "${m.groups.event}" gives the HLC`);
    });
    assert.ok(lines.filter((l) => /^\S+ \{.*\}$/.test(l)).length >= trace.events.length, 'host {...} clock lines');
    assert.deepEqual(errors, []);
  });
});

test('import: the exported JSON restores the scenario; a GoVector log becomes nodes and messages; garbage changes nothing', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await trackPersist(page);
    const at = await pointOnLane(page, B, 560);
    await page.mouse.dblclick(at.x, at.y);
    const edited = await getScenario(page);
    const json = await download(page, '#export-json');

    await openPreset(page, 'plain');
    assert.notDeepEqual(await getScenario(page), edited);
    let text = await noticeAfter(page, () => upload(page, 'hlc-scenario.json', json.bytes, 'application/json'));
    assert.equal(text, 'Opened hlc-scenario.json.');
    assert.deepEqual(await getScenario(page), edited, 'the file restored the scenario');
    assert.equal(await page.locator('#undo').isDisabled(), true, 'a file opens as a new document');
    await reveal(page, '#library-list');
    await page.click('#library-list li.library-entry [data-command="open"]');
    assert.deepEqual(await getScenario(page), edited, 'the edited scenario is still in My scenarios');
    text = await noticeAfter(page, () => upload(page, 'hlc-scenario.json', json.bytes, 'application/json'));

    // A GoVector log of a client, a server and a storage node.
    const logText = readFileSync(path.join(REPO_ROOT, 'tests', 'data', 'shiviz', 'govector.log'), 'utf8');
    text = await noticeAfter(page, () => upload(page, 'govector.log', Buffer.from(logText), 'text/plain'));
    assert.match(text, /^Imported govector\.log as a ShiViz log: 3 nodes, \d+ messages inferred from the vector clocks\./);
    const imported = await getScenario(page);
    assert.deepEqual(imported.nodes.map((n) => n.name).sort(), ['client', 'server', 'storage']);
    assert.ok(imported.messages.length >= 2, `messages: ${imported.messages.length}`);
    assert.equal(Number(text.match(/(\d+) messages/)[1]), imported.messages.length);
    // Every clock of the log is the vector clock of some event on its host.
    const trace = await getTrace(page);
    const names = imported.nodes.map((n) => n.name);
    const vectors = new Set(trace.events.map((e) => `${names[e.node]} ${JSON.stringify(Object.fromEntries(e.vector.map((v, k) => [names[k], v]).filter(([, v]) => v > 0).sort()))}`));
    for (const m of logText.matchAll(/^(\S+) (\{.*\})$/gm)) {
      const clock = Object.fromEntries(Object.entries(JSON.parse(m[2])).sort());
      assert.ok(vectors.has(`${m[1]} ${JSON.stringify(clock)}`), `log line "${m[0]}" is an event of the trace`);
    }

    // Round trip through ShiViz: export the log, import it back: the same
    // nodes, messages and vector clocks (real times are not in a log).
    const vectorsOf = (tr, names) => tr.events.map((e) => `${names[e.node]} [${e.vector.join(' ')}]`).sort();
    const shiviz = await download(page, '#export-shiviz');
    text = await noticeAfter(page, () => upload(page, 'hlc-shiviz.log', shiviz.bytes, 'text/plain'));
    assert.ok(text.startsWith(`Imported hlc-shiviz.log as a ShiViz log: 3 nodes, ${imported.messages.length} messages`), text);
    const back = await getScenario(page);
    assert.deepEqual(back.nodes.map((n) => n.name), names);
    assert.equal(back.messages.length, imported.messages.length);
    assert.equal(back.events.length, imported.events.length);
    assert.deepEqual(vectorsOf(await getTrace(page), names), vectorsOf(trace, names), 'the same vector clocks');
    assert.equal(await page.locator('#undo').isDisabled(), true, 'the log opened as a new document');

    // Garbage: binary noise, a text that is no log, a broken JSON.
    for (const [name, bytes, reason] of [
      ['noise.bin', randomBytes(2048), /is not UTF-8 text \(invalid byte at offset \d+\); save it as UTF-8 and try again\.|neither a scenario JSON file nor a ShiViz log/],
      ['notes.txt', Buffer.from('hello\nthis is not a log\n'), /neither a scenario JSON file nor a ShiViz log/],
      ['broken.json', Buffer.from('{"nodes": [{"name": "A"}], "events": [{"node": 7, "at_ms": 1}]}'), /broken\.json could not be opened/],
    ]) {
      text = await noticeAfter(page, () => upload(page, name, bytes));
      assert.match(text, reason, `${name}: ${text}`);
      assert.ok(text.startsWith(name), `${name}: the notice names the file: ${text}`);
      assert.deepEqual(await getScenario(page), back, `${name}: the scenario is unchanged`);
    }
    assert.deepEqual(errors, []);
  });
});

test('Copy link: the page URL with the current fragment goes to the clipboard and the share box at once; the notice says so', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await trackPersist(page);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.server.origin });
    // Hold the page's 250 ms persist timer, so only Copy link can write the
    // fragment: it must do so at once.
    await page.evaluate((delay) => {
      const setTimeout = window.setTimeout;
      window.__e2eHeld = [];
      window.__e2eRelease = () => {
        window.setTimeout = setTimeout;
        window.__e2eHeld.splice(0).forEach((fn) => fn());
      };
      window.setTimeout = function (fn, ms, ...rest) {
        if (ms === delay) return window.__e2eHeld.push(fn);
        return setTimeout.call(this, fn, ms, ...rest);
      };
    }, PERSIST_DELAY_MS);
    const at = await pointOnLane(page, A, 640);
    await page.mouse.dblclick(at.x, at.y);
    const held = await page.evaluate(() => [location.hash, window.__e2eHeld.length]);
    assert.deepEqual(held, ['', 1], 'the edit scheduled its write, which is held');
    const text = await noticeAfter(page, () => page.click('#copy-link'));
    const state = await page.evaluate(async () => ({
      clipboard: await navigator.clipboard.readText(),
      href: location.href,
      box: document.getElementById('share-link').value,
    }));
    await page.evaluate(() => window.__e2eRelease());
    assert.match(state.href, /#v[12]\.[A-Za-z0-9_-]+$/, 'the fragment was written at once');
    assert.equal(state.clipboard, state.href, 'the clipboard holds the page URL');
    assert.equal(state.box, state.href, 'so does the box under Share and keep');
    assert.equal(text, `Link copied to the clipboard (${state.href.length} characters).`);
    const settled = await settledLink(page);
    assert.equal(settled.href, state.href, 'the copied link is the scenario\'s link');
    await screenshot(page, 'share', { fullPage: true });

    // The second button, after another edit.
    const slider = page.locator('#nodes .node-row').nth(C).locator('.skew-slider');
    await dragSlider(page, slider, 20);
    await reveal(page, '#copy-link-2');
    const copied = await noticeAfter(page, () => page.click('#copy-link-2'));
    assert.match(copied, /^Link copied to the clipboard/);
    const again = await page.evaluate(async () => [await navigator.clipboard.readText(), location.href]);
    assert.equal(again[0], again[1]);
    assert.notEqual(again[1], state.href, 'a new link for the new scenario');
    assert.deepEqual(errors, []);
  });
});

test('a big scenario (64 nodes, 20,000 messages) makes a compressed link that reopens it whole, and Copy link says to send the file', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await reveal(page, '#gen-nodes');
    await retype(page, page.locator('#gen-nodes'), '64');
    await retype(page, page.locator('#gen-messages'), '20000');
    await page.keyboard.press('Enter');
    await until(async () => (await getScenario(page)).messages.length === 20_000, { timeout: 20_000, what: 'the random execution' });
    let hash = '';
    await until(async () => (hash = await page.evaluate(() => location.hash)).startsWith('#v2.'), { timeout: 10_000, what: 'a compressed link' });
    const scenario = await getScenario(page);
    t.diagnostic(`64 nodes, 20,000 messages: a ${hash.length - 1}-character link`);
    await reveal(page, '#copy-link-2');
    await page.click('#copy-link-2');
    await until(async () => /Export JSON/.test(plain(await lastNotice(page)) ?? ''), { what: 'the advice to send the file' });
    // Another browser opens the link whole.
    const other = await app.browser.newContext();
    try {
      const fresh = await other.newPage();
      await fresh.goto(`${app.url}${hash}`, { timeout: 30_000 });
      await waitForApp(fresh, { timeout: 30_000 });
      assert.deepEqual(await getScenario(fresh), scenario);
    } finally {
      await other.close();
    }
    assert.deepEqual(errors, []);
  });
});
