// Clocks side by side, used like a person does: the label menu (#clock-view),
// the table of every clock, the live invariants, the production rules (max
// offset, counter width with carry) and clock faults (drift, steps), and the
// packed 64-bit view of a selected event. Checked through window.hlcviz, the
// DOM and the canvas, against values computed here in plain JavaScript.
//
// Default scenario (docs/examples/default.json): nodes A (skew 0), B (+300),
// C (-100); local events A@100, C@300, A@450, B@700, C@760; messages
// m0 A@200 -> B@260, m1 B@300 -> A@380, m2 A@520 -> C@640.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenshot, useApp, waitForApp } from './harness.mjs';
import { label, refOf } from './model.mjs';
import {
  GUTTER,
  canvasTexts,
  clickAt,
  getScenario,
  getTrace,
  pointOfEvent,
  repaint,
  retype,
  selection,
  until,
  watchCanvasText, plain, reveal, openPreset } from './ui.mjs';
import { noticeAfter, packedBits, packedHex, physicalTime, replayWithRules } from './share-helpers.mjs';

const app = useApp();

const A = 0;
const B = 1;
const C = 2;

const VIEWS = ['hlc', 'naive', 'lamport', 'vector', 'pt'];

/** The label of a trace event under each clock, as the page should print it. */
const labelOf = {
  hlc: (e) => label(e.hlc),
  naive: (e) => String(e.naive_l),
  lamport: (e) => String(e.lamport),
  vector: (e) => `[${e.vector.join(' ')}]`,
  pt: (e) => `pt ${e.pt}`,
};


/** The event table as shown: headers and rows ({index, cells by header}). */
async function readTable(page) {
  return page.evaluate(() => {
    const headers = [...document.querySelectorAll('#event-table-head th')].filter((th) => !th.hidden).map((th) => th.textContent.replace(/[\u2066-\u2069]/g, '').trim());
    const rows = [...document.querySelectorAll('#event-table-body tr')].map((tr) => ({
      index: Number(tr.dataset.index),
      selected: tr.classList.contains('selected'),
      cells: Object.fromEntries([...tr.children].map((td, k) => [headers[k], td.textContent.replace(/[\u2066-\u2069]/g, '')])),
    }));
    return { headers, rows, note: document.getElementById('table-note').textContent };
  });
}


/** The texts painted in the label row just above each node's line, right of the gutter. */
async function paintedLabels(page, nodes) {
  await repaint(page);
  const lanes = await page.evaluate((n) => Array.from({ length: n }, (_, i) => window.hlcviz.laneY(i)), nodes);
  const texts = await canvasTexts(page);
  return texts.filter((t) => t.x > GUTTER && lanes.some((y) => t.y < y && y - t.y < 25)).map((t) => t.text);
}

/** Every node's HLC strictly increases along its events (in replay order). */
function assertMonotonic(trace, what) {
  const last = new Map();
  for (const e of trace.events) {
    const prev = last.get(e.node);
    if (prev) {
      assert.ok(
        e.hlc.l > prev.l || (e.hlc.l === prev.l && e.hlc.c > prev.c),
        `${what}: node ${e.node}'s HLC went from ${label(prev)} to ${label(e.hlc)} at ${refOf(e)}`,
      );
    }
    last.set(e.node, e.hlc);
  }
}

/** The page's trace equals the JS replay with the production rules and clock faults. */
function assertTraceIsModel(scenario, trace, what) {
  const model = replayWithRules(scenario);
  assert.equal(trace.events.length, model.size, `${what}: number of events`);
  for (const e of trace.events) {
    const want = model.get(refOf(e));
    assert.deepEqual(
      { ref: refOf(e), pt: e.pt, hlc: label(e.hlc), carried: e.carried, rejected: e.rejected !== null },
      { ref: refOf(e), pt: want.pt, hlc: label(want), carried: want.carried, rejected: want.rejected },
      `${what}: ${refOf(e)}`,
    );
  }
  return model;
}

test('clock views: each #clock-view option relabels the events with its clock; the trace is unchanged; the tooltip and the table show every clock', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const options = await page.$$eval('#clock-view option', (os) => os.map((o) => o.value));
    assert.deepEqual(options, VIEWS);
    const trace = await getTrace(page);
    const nodes = trace.nodes.length;
    await watchCanvasText(page);
    const seen = {};
    for (const view of VIEWS) {
      await page.selectOption('#clock-view', view);
      assert.deepEqual(await getTrace(page), trace, `${view}: the trace does not depend on the labels`);
      const painted = await paintedLabels(page, nodes);
      const expected = trace.events.map(labelOf[view]);
      const stray = painted.filter((text) => !expected.includes(text));
      assert.deepEqual(stray, [], `${view}: labels that are not this clock's`);
      // Labels that would overlap their left neighbour are left out; most fit.
      assert.ok(painted.length >= expected.length - 2, `${view}: only ${painted.length} labels: ${painted}`);
      seen[view] = painted.join('|');
    }
    assert.equal(new Set(Object.values(seen)).size, VIEWS.length, 'every view paints other labels');

    // The tooltip, in Lamport view, still explains every clock of A's receive of m1.
    await page.selectOption('#clock-view', 'lamport');
    const e = trace.events.find((x) => refOf(x) === 'recv:1');
    const p = await pointOfEvent(page, 'recv', 1);
    await page.mouse.move(p.x - 30, p.y + 30, { steps: 3 });
    await page.mouse.move(p.x + 1, p.y, { steps: 5 });
    const tooltip = page.locator('#tooltip');
    await tooltip.waitFor({ state: 'visible', timeout: 2_000 });
    const tip = plain(await tooltip.innerText());
    assert.ok(tip.includes(`real time ${e.real_ms} ms · node clock pt ${e.pt} ms`), tip);
    assert.ok(tip.includes(`HLC ${label(e.hlc)}`), tip);
    assert.ok(tip.includes(`naive l ${e.naive_l} · Lamport ${e.lamport} · vector [${e.vector.join(' ')}]`), tip);

    // The table: one row per event, every clock in its column.
    await page.click('#toggle-table');
    assert.equal(await page.getAttribute('#toggle-table', 'aria-pressed'), 'true');
    const table = await readTable(page);
    assert.deepEqual(table.headers, ['#', 'node', 'event', 'real', 'pt', 'HLC (l, c)', 'l − pt', 'naive l', 'Lamport', 'vector', 'rule']);
    assert.equal(table.rows.length, trace.events.length);
    for (const row of table.rows) {
      const ev = trace.events[row.index];
      assert.deepEqual(row.cells, {
        ...row.cells,
        '#': String(ev.index),
        node: trace.nodes[ev.node].name,
        event: { local: `local e${ev.event.index}`, send: `send m${ev.event.index}`, recv: `recv m${ev.event.index}` }[ev.event.kind],
        real: String(ev.real_ms),
        pt: String(ev.pt),
        'HLC (l, c)': label(ev.hlc),
        'l − pt': String(ev.hlc.l - ev.pt),
        'naive l': String(ev.naive_l),
        Lamport: String(ev.lamport),
        vector: `[${ev.vector.join(' ')}]`,
      }, `row of trace event ${row.index}`);
    }
    assert.deepEqual(errors, []);
  });
});

test('table: a header click sorts by that column, a second click reverses; a row click selects its event', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const trace = await getTrace(page);
    await page.click('#toggle-table');
    let table = await readTable(page);
    assert.deepEqual(table.rows.map((r) => r.index), trace.events.map((e) => e.index), 'replay order at first');

    const byPt = trace.events.map((e) => e.index).sort((a, b) => trace.events[a].pt - trace.events[b].pt || a - b);
    await page.click('#event-table-head button:text-is("pt")');
    table = await readTable(page);
    assert.deepEqual(table.rows.map((r) => r.index), byPt, 'ascending pt, ties in replay order');
    assert.match(table.note, /^11 events, sorted by pt \(ascending\)\.$/);
    const pts = table.rows.map((r) => Number(r.cells.pt));
    assert.deepEqual(pts, [...pts].sort((a, b) => a - b));

    await page.click('#event-table-head button:text-is("pt")');
    table = await readTable(page);
    assert.deepEqual(table.rows.map((r) => r.index), [...byPt].reverse(), 'a second click reverses');
    assert.match(table.note, /sorted by pt \(descending\)/);

    // By HLC: (l, c) in lexicographic order.
    await page.click('#event-table-head button:text-is("HLC (l, c)")');
    table = await readTable(page);
    const hlcs = table.rows.map((r) => trace.events[r.index].hlc);
    for (let i = 1; i < hlcs.length; i++) {
      const [a, b] = [hlcs[i - 1], hlcs[i]];
      assert.ok(a.l < b.l || (a.l === b.l && a.c <= b.c), `HLC order: ${label(a)} before ${label(b)}`);
    }

    // Click the third row: its event is selected, everywhere.
    const row = table.rows[2];
    const ev = trace.events[row.index];
    await page.locator(`#event-table-body tr[data-index="${row.index}"] td`).nth(1).click();
    assert.deepEqual(await selection(page), ev.event, 'the row\'s event is selected');
    table = await readTable(page);
    assert.deepEqual(table.rows.filter((r) => r.selected).map((r) => r.index), [row.index], 'the row is marked');
    const details = plain(await page.locator('#details').innerText());
    assert.ok(details.includes(`HLC ${label(ev.hlc)}`), details);
    await page.locator('#table-view').scrollIntoViewIfNeeded();
    await screenshot(page, 'clocks-table', { fullPage: true });
    assert.deepEqual(errors, []);
  });
});

test('invariants: on the message loop the naive clock breaks the drift bound (click selects the worst event); the HLC passes all six', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await openPreset(page, 'message-loop');
    // Its caption talks about naive l, so it opens with naive labels.
    await until(async () => (await page.inputValue('#clock-view')) === 'naive', { what: 'naive labels' });
    await page.selectOption('#clock-view', 'hlc');
    await reveal(page, '#invariants');
    const list = page.locator('#invariants');
    assert.equal(await list.locator('li.verdict-ok').count(), 6, 'HLC: six invariants hold');
    assert.equal(await list.locator('button.verdict-bad').count(), 0);

    await page.selectOption('#clock-view', 'naive');
    assert.match(plain(await page.locator('#invariants-clock').innerText()), /naive Figure 3 clock/);
    assert.equal(await list.locator('li').count(), 6);
    const drift = list.locator('button.verdict-bad', { hasText: 'l - pt never exceeds the largest clock spread eps' });
    assert.equal(await drift.count(), 1, 'the drift bound fails');
    const text = plain(await drift.innerText());
    const m = text.match(/max l - pt = (-?\d+) ms, bound (-?\d+) ms \((\d+) event\(s\); click to select the first\)/);
    assert.ok(m, text);
    const [worst, bound, count] = m.slice(1).map(Number);
    const trace = await getTrace(page);
    const gaps = trace.events.map((e) => e.naive_l - e.pt);
    assert.equal(worst, Math.max(...gaps), 'the worst naive l - pt');
    assert.equal(count, gaps.filter((g) => g > bound).length, 'the number of events past the bound');
    // eps: both clocks drift alike from 0 skew, so the spread is 0, plus 1 ms for drift rounding.
    assert.equal(bound, 1);

    assert.equal(await selection(page), null);
    await drift.click();
    const selected = await selection(page);
    assert.ok(selected, 'clicking the failing item selects an event');
    const ev = trace.events.find((e) => e.event.kind === selected.kind && e.event.index === selected.index);
    assert.ok(ev.naive_l - ev.pt > bound, `the selected event's naive l - pt = ${ev.naive_l - ev.pt} exceeds ${bound}`);
    assert.equal(ev.naive_l - ev.pt, worst, 'and it is the worst one');
    assert.ok((plain(await page.locator('#details').innerText())).includes(`naive l ${ev.naive_l}`));
    await screenshot(page, 'invariants-naive', { fullPage: true });

    await page.selectOption('#clock-view', 'hlc');
    assert.match(plain(await page.locator('#invariants-clock').innerText()), /Checked on the HLC/);
    assert.equal(await list.locator('li.verdict-ok').count(), 6, 'back on the HLC every item passes');
    assert.equal(await list.locator('button.verdict-bad').count(), 0);
    assert.deepEqual(errors, []);
  });
});

test('production rules: a max offset set with the checkbox and field rejects the receive from a clock far ahead; counter widths carry into l as computed here', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    // Default scenario: A receives m1 from B (300 ms ahead) at pt 380 with
    // l_m = 600: 220 ms ahead. C receives m2 (l_m = 600) at pt 540: 60 ahead.
    assert.equal(await page.isChecked('#max-offset-on'), false);
    await retype(page, page.locator('#max-offset'), '100');
    await page.keyboard.press('Tab');
    await page.check('#max-offset-on');
    let scenario = await getScenario(page);
    assert.deepEqual(scenario.settings, { max_offset_ms: 100, counter_bits: 16 });
    let trace = await getTrace(page);
    let byRef = new Map(trace.events.map((e) => [refOf(e), e]));
    assert.notEqual(byRef.get('recv:1').rejected, null, 'the receive of m1 (220 ms ahead) is rejected');
    assert.equal(byRef.get('recv:2').rejected, null, 'the receive of m2 (60 ms ahead) is kept');
    assert.equal(label(byRef.get('recv:1').hlc), '(380, 0)', 'A ignores l_m and ticks on its own pt');
    assertTraceIsModel(scenario, trace, 'max offset 100');
    assertMonotonic(trace, 'max offset 100');
    await page.click('#toggle-table');
    const table = await readTable(page);
    assert.equal(table.rows.find((r) => r.cells.event.startsWith('recv m1')).cells.event, 'recv m1 (rejected)');

    // A wider bound (250 ms) keeps it.
    await retype(page, page.locator('#max-offset'), '250');
    await page.keyboard.press('Tab');
    scenario = await getScenario(page);
    assert.equal(scenario.settings.max_offset_ms, 250);
    trace = await getTrace(page);
    assert.ok(trace.events.every((e) => e.rejected === null), 'nothing rejected at 250 ms');
    assertTraceIsModel(scenario, trace, 'max offset 250');
    await page.uncheck('#max-offset-on');
    assert.equal((await getScenario(page)).settings.max_offset_ms, null, 'unchecked: no bound');

    // The max-offset preset: B 500 ms ahead is refused, C 60 ms ahead is not.
    await openPreset(page, 'max-offset');
    assert.equal(await page.isChecked('#max-offset-on'), true);
    assert.equal(await page.inputValue('#max-offset'), '100');
    scenario = await getScenario(page);
    trace = await getTrace(page);
    byRef = new Map(trace.events.map((e) => [refOf(e), e]));
    assert.notEqual(byRef.get('recv:0').rejected, null);
    assert.equal(byRef.get('recv:1').rejected, null);
    assertTraceIsModel(scenario, trace, 'max-offset preset');

    // The counter-overflow preset: 2 bits. B receives A's (100, 0) at pt 1,
    // then ticks 7 times with pt far below 100.
    await openPreset(page, 'counter-overflow');
    assert.equal(await page.inputValue('#counter-bits'), '2');
    await reveal(page, '#counter-bits');
    const bOf = (tr) => tr.events.filter((e) => e.node === B).map((e) => label(e.hlc));
    trace = await getTrace(page);
    assert.deepEqual(bOf(trace), ['(100, 1)', '(100, 2)', '(100, 3)', '(101, 0)', '(101, 1)', '(101, 2)', '(101, 3)', '(102, 0)']);
    assertTraceIsModel(await getScenario(page), trace, '2 bits');
    for (const bits of ['1', '3', '16', '2']) {
      await retype(page, page.locator('#counter-bits'), bits);
      await page.keyboard.press('Tab');
      scenario = await getScenario(page);
      assert.equal(scenario.settings.counter_bits, Number(bits));
      trace = await getTrace(page);
      const model = assertTraceIsModel(scenario, trace, `${bits} bits`);
      assertMonotonic(trace, `${bits} bits`);
      const carries = trace.events.filter((e) => e.carried).length;
      assert.equal(carries, [...model.values()].filter((e) => e.carried).length);
      if (bits === '16') assert.equal(carries, 0, '16 bits: no carry');
      if (bits === '1') assert.ok(carries >= 3, `1 bit carries often: ${carries}`);
    }
    // A bad width is refused with a notice.
    const text = await noticeAfter(page, async () => {
      await retype(page, page.locator('#counter-bits'), '40');
      await page.keyboard.press('Tab');
    });
    assert.match(text, /counter width must be a whole number of bits from 1 to 32/);
    assert.equal((await getScenario(page)).settings.counter_bits, 2);
    assert.deepEqual(errors, []);
  });
});

test('clock faults: drift and a 100 ms step back set in the node\'s "clock faults" panel; pt drops after the step while every HLC keeps increasing', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const faults = page.locator('#nodes details.faults[data-node="0"]');
    assert.equal(await faults.getAttribute('open'), null, 'folded at first');
    await faults.locator('summary').click();
    assert.equal(await faults.getAttribute('open'), '', 'opened');
    // Out of range first: refused with a notice.
    const refused = await noticeAfter(page, async () => {
      await retype(page, faults.locator('input.drift-value'), '200000');
      await page.keyboard.press('Tab');
    });
    assert.equal(refused, 'A drift must be a whole number of ppm from -100000 to 100000.');
    assert.equal((await getScenario(page)).nodes[A].drift_ppm ?? 0, 0);
    await retype(page, faults.locator('input.drift-value'), '20000');
    await page.keyboard.press('Tab');
    assert.equal((await getScenario(page)).nodes[A].drift_ppm, 20000);
    await retype(page, faults.locator('input.step-at'), '480');
    await retype(page, faults.locator('input.step-by'), '-100');
    await faults.getByRole('button', { name: 'Add step' }).click();

    const scenario = await getScenario(page);
    assert.deepEqual(scenario.nodes[A], { ...scenario.nodes[A], name: 'A', skew_ms: 0, drift_ppm: 20000, steps: [{ at_ms: 480, by_ms: -100 }] });
    const reopened = page.locator('#nodes details.faults[data-node="0"]');
    assert.equal(await reopened.getAttribute('open'), '', 'the panel stays open');
    assert.match(plain(await reopened.locator('summary').innerText()), /\(\+20000 ppm, 1 step\(s\)\)/);
    assert.match(plain(await reopened.innerText()), /at 480 ms the clock steps -100 ms/);

    const trace = await getTrace(page);
    for (const e of trace.events) {
      assert.equal(e.pt, physicalTime(scenario.nodes[e.node], e.real_ms), `pt of ${refOf(e)}`);
    }
    assertTraceIsModel(scenario, trace, 'drift and step');
    assertMonotonic(trace, 'drift and step');
    const onA = trace.events.filter((e) => e.node === A);
    const before = onA.filter((e) => e.real_ms < 480).at(-1);
    const after = onA.find((e) => e.real_ms >= 480);
    assert.equal(before.pt, 459, 'A@450 reads 450 + 2% = 459');
    assert.equal(after.pt, 520 + 10 - 100, 'A@520 reads 520 + 2% - 100 = 430');
    assert.ok(after.pt < before.pt, 'pt drops after the step');
    assert.equal(after.hlc.l, before.hlc.l, 'l holds');
    assert.equal(after.hlc.c, before.hlc.c + 1, 'c counts');
    const list = page.locator('#invariants');
    assert.equal(await list.locator('li.verdict-ok').count(), 6, 'the HLC invariants still hold');

    // Remove the step again with its ✕.
    await reopened.getByRole('button', { name: 'Remove this clock step' }).click();
    assert.deepEqual((await getScenario(page)).nodes[A].steps ?? [], []);
    assert.deepEqual(errors, []);
  });
});

test('a selected event shows its timestamp packed into 64 bits: the hex is (l << 16 | c), the bits are l\'s 48 and c\'s 16', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const trace = await getTrace(page);
    for (const [kind, index] of [['recv', 1], ['local', 3], ['recv', 2]]) {
      const ev = trace.events.find((e) => e.event.kind === kind && e.event.index === index);
      await clickAt(page, await pointOfEvent(page, kind, index));
      assert.deepEqual(await selection(page), { kind, index });
      const bits = page.locator('#details .bits');
      const title = plain(await bits.locator('p').first().innerText());
      assert.equal(title, `packed into 64 bits (48 of l, 16 of c): ${packedHex(ev.hlc.l, ev.hlc.c)}`);
      const want = packedBits(ev.hlc.l, ev.hlc.c);
      assert.equal(plain(await bits.locator('p.l').innerText()), `l ${want.l}`);
      assert.equal(plain(await bits.locator('p.c').innerText()), `c ${want.c}`);
    }
    // A negative l (C 500 ms behind: its first event reads pt -200) does not pack.
    await reveal(page, '#nodes');
    const skew = page.locator('#nodes .node-row').nth(C).locator('.skew-value');
    await retype(page, skew, '-500');
    await page.keyboard.press('Tab');
    const ev = (await getTrace(page)).events.find((e) => refOf(e) === 'local:1');
    assert.equal(label(ev.hlc), '(-200, 0)');
    await page.locator('#diagram').focus();
    await clickAt(page, await pointOfEvent(page, 'local', 1));
    assert.deepEqual(await selection(page), { kind: 'local', index: 1 });
    assert.match(plain(await page.locator('#details .bits').innerText()), /^Does not pack into 64 bits: l = -200 does not fit in 48 unsigned bits/);
    assert.deepEqual(errors, []);
  });
});
