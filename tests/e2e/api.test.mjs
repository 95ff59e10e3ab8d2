// The window.hlcviz JavaScript API: setScenario refuses invalid input with an
// Error naming the problem (keeping the old scenario), and a valid one
// replaces the diagram, whose trace then matches the independent model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { label } from './model.mjs';
import { useApp, waitForApp } from './harness.mjs';
import {
  assertLabelPainted,
  assertTraceMatchesModel,
  clickAt,
  dotPainted,
  frames,
  getScenario,
  getTrace,
  pointOfEvent,
  selection,
  watchCanvasText,
} from './ui.mjs';

const app = useApp();

/** Calls setScenario in the page; returns {ok} or {isError, name, message}. */
const trySet = (page, scenario) =>
  page.evaluate((s) => {
    try {
      const result = window.hlcviz.setScenario(s);
      return { ok: true, result: result === undefined ? 'undefined' : String(result) };
    } catch (e) {
      return { ok: false, isError: e instanceof Error, message: String(e && e.message) };
    }
  }, scenario);

test('setScenario: invalid input throws an Error naming the problem and keeps the old scenario', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const before = await getScenario(page);
    const traceBefore = await getTrace(page);
    const two = [{ name: 'A' }, { name: 'B' }];
    const cases = [
      [{ nodes: two, messages: [{ from: 0, sent_at_ms: 10, to: 0, received_at_ms: 20 }] },
        /message 0 is sent from a node to itself/],
      [{ nodes: two, messages: [{ from: 0, sent_at_ms: 20, to: 1, received_at_ms: 10 }] },
        /message 0 is received at 10 ms, not after it is sent at 20 ms/],
      [{ nodes: two, events: [{ node: 5, at_ms: 10 }] }, /event 0 names node 5, but there are only 2 nodes/],
      [{ nodes: two, events: [{ node: 1, at_ms: 10 }, { node: 1, at_ms: 10 }] }, /two events at the same instant 10 ms/],
      [{ nodes: [{ name: '  ' }] }, /node 0: name is empty/],
      [{ nodes: [{ name: 'A', skew_ms: 999999999999 }] }, /node 0 skew_ms = 999999999999 is out of range/],
      [{ nodes: [] }, /no nodes/],
      [{ nodes: [{ name: 'A', colour: 'red' }] }, /unknown field `colour`/],
      [{ version: 2, nodes: two }, /format version 2 is not supported/],
      ['{"nodes": [', /not a valid scenario file/],
    ];
    for (const [input, problem] of cases) {
      const r = await trySet(page, input);
      assert.equal(r.ok, false, `accepted ${JSON.stringify(input)}`);
      assert.equal(r.isError, true, `threw a non-Error for ${JSON.stringify(input)}: ${r.message}`);
      assert.match(r.message, problem, `message for ${JSON.stringify(input)}`);
      assert.deepEqual(await getScenario(page), before, `scenario kept after ${JSON.stringify(input)}`);
    }
    assert.deepEqual(await getTrace(page), traceBefore, 'trace kept');
    assert.equal(await page.locator('#nodes .node-row').count(), 3, 'panel kept');
    assert.deepEqual(errors, []);
  });
});

test('setScenario: a valid scenario replaces and redraws the diagram; the trace follows Figure 5', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    // Select something first: replacing the scenario must drop it.
    await clickAt(page, await pointOfEvent(page, 'local', 0));
    assert.deepEqual(await selection(page), { kind: 'local', index: 0 });

    const scenario = {
      nodes: [{ name: 'P', skew_ms: 50 }, { name: 'Q', skew_ms: -20 }],
      events: [{ node: 0, at_ms: 1000 }, { node: 1, at_ms: 1300 }, { node: 0, at_ms: 1800 }],
      messages: [
        { from: 0, sent_at_ms: 1100, to: 1, received_at_ms: 1150 },
        { from: 1, sent_at_ms: 1500, to: 0, received_at_ms: 1520 },
      ],
    };
    await watchCanvasText(page);
    const r = await trySet(page, scenario);
    assert.deepEqual(r, { ok: true, result: 'undefined' });
    const got = await getScenario(page);
    assert.deepEqual(got.nodes.map((n) => [n.name, n.skew_ms]), [['P', 50], ['Q', -20]]);
    assert.deepEqual(got.events, scenario.events);
    assert.deepEqual(got.messages, scenario.messages);
    assert.equal(await selection(page), null, 'the old selection is gone');

    const clocks = await assertTraceMatchesModel(page, 'after setScenario');
    // Hand-checked: Q receives m0 (l_m = 1150) at pt 1130: (1150, 1); P
    // receives m1 (l_m = 1480 after Q's local (1280, 0)) at pt 1570: (1570, 0).
    assert.equal(label(clocks.get('send:0')), '(1150, 0)');
    assert.equal(label(clocks.get('recv:0')), '(1150, 1)');
    assert.equal(label(clocks.get('recv:1')), '(1570, 0)');

    // The panel and the canvas show the new scenario: rows, fitted view, dots.
    assert.deepEqual(
      await page.locator('#nodes .node-name').evaluateAll((els) => els.map((e) => e.value)),
      ['P', 'Q'],
    );
    await frames(page);
    const box = await page.locator('#diagram').boundingBox();
    for (const [kind, n] of [['local', 3], ['send', 2], ['recv', 2]]) {
      for (let i = 0; i < n; i++) {
        const pos = await page.evaluate(([k, j]) => window.hlcviz.eventPosition(k, j), [kind, i]);
        assert.ok(pos.x > 112 && pos.x < box.width - 16 && pos.y > 34 && pos.y < box.height,
          `${kind} ${i} is inside the fitted plot: ${JSON.stringify(pos)}`);
        assert.ok(await dotPainted(page, kind, i), `${kind} ${i} is painted`);
      }
    }
    assert.equal(await page.evaluate(() => window.hlcviz.eventPosition('local', 4)), null, 'old events are gone');
    await assertLabelPainted(page, 'recv', 0, '(1150, 1)');
    await assertLabelPainted(page, 'recv', 1, '(1570, 0)');
    const names = (await page.evaluate(() => window.__e2eFrame.map((t) => t.text)));
    assert.ok(names.includes('P') && names.includes('Q') && !names.includes('A'), 'the canvas names P and Q only');

    // A JSON string is accepted too.
    const r2 = await trySet(page, JSON.stringify({ nodes: [{ name: 'Solo' }], events: [{ node: 0, at_ms: 5 }] }));
    assert.equal(r2.ok, true, r2.message);
    const solo = await assertTraceMatchesModel(page, 'after setScenario(string)');
    assert.equal(label(solo.get('local:0')), '(5, 0)');
    assert.deepEqual(errors, []);
  });
});
