// Snapshots: a click on the real-time axis, or an HLC time typed into the
// panel, compares the cut at that HLC time with the cut where every node's own
// clock reads l. Verdicts are checked against the independent model.
//
// Default scenario: B's clock is +300 ms ahead; B sends m1 at real 300 (pt 600)
// and A receives it at real 380 (pt 380). So the cut where each clock reads
// 500 ms holds A's receive of m1 but not B's send: inconsistent, naming m1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hlcCutCrossing, physicalCutCrossing } from './model.mjs';
import { screenshot, useApp, waitForApp } from './harness.mjs';
import {
  AXIS_BAND,
  clickAt,
  frames,
  geometry,
  getScenario,
  msAtPageX,
  snapped,
  retype,
  toPage,
  visibleNotice,
} from './ui.mjs';

const app = useApp();

const resultLines = (page) => page.locator('#snap-result p').allInnerTexts();

/** The two lines #snap-result should show for theta, from the model. */
function expectedLines(scenario, l, c) {
  const hlc = hlcCutCrossing(scenario, { l, c });
  const physical = physicalCutCrossing(scenario, l);
  return [
    hlc.length === 0 ? `HLC cut at (${l}, ${c}): consistent.` : `HLC cut at (${l}, ${c}): inconsistent!`,
    physical.length === 0
      ? `Cut where each clock reads ${l} ms: consistent here.`
      : `Cut where each clock reads ${l} ms: inconsistent: ${physical.map((m) => `m${m}`).join(', ')} received inside it but sent outside.`,
  ];
}

test('snapshot: clicking the time axis at 500 ms: HLC cut consistent, physical cut inconsistent (m1)', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const scenario = await getScenario(page);
    assert.deepEqual(await resultLines(page), [], 'no snapshot at start');

    const geom = await geometry(page);
    const p = toPage(geom, geom.x0 + 500 * geom.pxPerMs, AXIS_BAND / 2);
    assert.ok(p.y - geom.box.y < AXIS_BAND, 'inside the axis band');
    const l = snapped(geom, msAtPageX(geom, p.x));
    assert.equal(l, 500, `the click lands on ${l} ms (snapped to the zoom's grid)`);
    await clickAt(page, p);

    const lines = await resultLines(page);
    assert.equal(lines.length, 2, `two verdicts: ${JSON.stringify(lines)}`);
    assert.match(lines[0], new RegExp(`^HLC cut at \\(${l}, 0\\): consistent\\.$`));
    assert.match(lines[1], new RegExp(`^Cut where each clock reads ${l} ms: inconsistent: m1 received inside it but sent outside\\.$`));
    // The model agrees (and would name m1 only).
    assert.deepEqual(physicalCutCrossing(scenario, l), [1]);
    assert.deepEqual(hlcCutCrossing(scenario, { l, c: 0 }), []);
    assert.deepEqual(lines, expectedLines(scenario, l, 0));
    assert.deepEqual(await page.locator('#snap-result p').evaluateAll((ps) => ps.map((p) => p.className)), ['ok', 'bad']);
    assert.equal(await page.locator('#snap-l').inputValue(), String(l), '#snap-l shows the time');
    assert.equal(await page.locator('#snap-c').inputValue(), '0');
    assert.deepEqual(await getScenario(page), scenario, 'a snapshot changes no event');
    await frames(page);
    await screenshot(page, 'snapshot');

    // Escape (nothing selected) clears the snapshot.
    await page.keyboard.press('Escape');
    assert.deepEqual(await resultLines(page), [], 'Escape cleared it');
    assert.deepEqual(errors, []);
  });
});

test('snapshot: typed HLC times with #snap-l / #snap-c / Take, and Clear', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const scenario = await getScenario(page);

    for (const [l, c] of [[500, 0], [550, 0], [600, 2], [1000, 0]]) {
      await retype(page, page.locator('#snap-l'), String(l));
      await retype(page, page.locator('#snap-c'), String(c));
      await page.locator('#snap-take').click();
      const lines = await resultLines(page);
      assert.deepEqual(lines, expectedLines(scenario, l, c), `snapshot at (${l}, ${c})`);
    }
    // Hand-checked: at 500 and 550 only m1 crosses; at 600 every clock has
    // passed its sends and receives consistently.
    assert.deepEqual(physicalCutCrossing(scenario, 550), [1]);
    assert.deepEqual(physicalCutCrossing(scenario, 600), []);

    await retype(page, page.locator('#snap-l'), '500');
    await retype(page, page.locator('#snap-c'), '0');
    await page.locator('#snap-take').click();
    assert.match((await resultLines(page))[1], /inconsistent: m1/);
    await page.locator('#snap-clear').click();
    assert.deepEqual(await resultLines(page), [], 'Clear empties the verdicts');

    // A negative counter is refused with a notice.
    await retype(page, page.locator('#snap-c'), '-1');
    await page.locator('#snap-take').click();
    assert.match(await visibleNotice(page), /whole c of 0 or more/);
    assert.deepEqual(await resultLines(page), []);
    assert.deepEqual(errors, []);
  });
});
