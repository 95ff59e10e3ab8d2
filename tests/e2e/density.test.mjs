// Density strips as pixels: a trace too dense to draw event by event shows
// a bar per 2 px column of each line, painted from a pixel buffer in wasm
// (src/pixels.rs) rather than one fillRect each. Checked on the canvas's own
// pixels, at device pixel ratios 1 and 2: the bars cover the line where its
// events are, their heights differ with how busy each column is, the node
// line still shows beyond the last event, and Find's ticks sit above them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useApp, waitForApp } from './harness.mjs';
import { frames, until } from './ui.mjs';

const app = useApp();

const EVENT = [0x25, 0x63, 0xeb];
const FOUND = [0xc0, 0x26, 0xd3];
const near = (p, c) => p[3] > 200 && c.every((v, k) => Math.abs(p[k] - v) <= 6);

/** Generates a random execution from the Scenarios tab, as a person would. */
async function generate(page, nodes, messages) {
  await page.locator('#tab-scenarios').click();
  await page.fill('#gen-nodes', String(nodes));
  await page.fill('#gen-messages', String(messages));
  await page.locator('#generate-form button[type=submit]').click();
  await until(async () => (await page.evaluate(() => window.hlcviz.getScenario().messages.length)) === messages,
    { timeout: 30_000, what: 'the generated scenario' });
}

/** One canvas row (CSS y) as [r, g, b, a] per device pixel. */
async function row(page, y) {
  return page.evaluate((cssY) => {
    const canvas = document.querySelector('canvas#diagram');
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    const data = canvas.getContext('2d').getImageData(0, Math.round(cssY * scale), canvas.width, 1).data;
    const out = [];
    for (let i = 0; i < data.length; i += 4) out.push([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    return { scale, pixels: out };
  }, y);
}

for (const ratio of [1, 2]) {
  test(`density strips are painted from pixels at device pixel ratio ${ratio}`, async (t) => {
    await app.withPage(t, async (page) => {
      await waitForApp(page);
      await generate(page, 6, 12000);
      await page.locator('.key.dense').waitFor({ state: 'visible', timeout: 5_000 });
      await frames(page);
      const lane = await page.evaluate(() => {
        const tr = window.hlcviz.getTrace();
        const times = tr.events.filter((e) => e.node === 0).map((e) => e.real_ms);
        return {
          y: window.hlcviz.laneY(0),
          x0: window.hlcviz.xOfTime(Math.min(...times)),
          x1: window.hlcviz.xOfTime(Math.max(...times)),
          width: document.querySelector('canvas#diagram').getBoundingClientRect().width,
        };
      });
      const { scale, pixels } = await row(page, lane.y);
      assert.equal(scale, ratio);
      const from = Math.ceil(lane.x0 * scale) + 2 * scale;
      const to = Math.floor(lane.x1 * scale) - 2 * scale;
      const span = pixels.slice(from, to);
      const bars = span.filter((p) => near(p, EVENT)).length;
      assert.ok(bars >= 0.9 * span.length, `bars cover the line where its events are (${bars} of ${span.length} px)`);
      // Busier columns are taller: 8 px above the line some columns have a
      // bar and some do not.
      const high = (await row(page, lane.y - 8)).pixels.slice(from, to).filter((p) => near(p, EVENT)).length;
      assert.ok(high > 0 && high < bars, `bar heights differ (${high} of ${bars} columns reach 8 px up)`);
      // Past the last event the node line is drawn, not erased by the tile.
      const after = pixels.slice(Math.ceil(lane.x1 * scale) + 6 * scale, Math.floor((lane.width - 40) * scale));
      if (after.length > 0) {
        assert.ok(after.every((p) => p[3] === 255 && !near(p, EVENT)), 'the line beyond the strip is untouched');
      }
      // Find: ticks above the columns holding a hit.
      await page.keyboard.press('/');
      await page.keyboard.type('kind:recv');
      await until(async () => /of [\d,]+ events/.test(await page.locator('#find-count').textContent()),
        { what: 'the search results' });
      await frames(page);
      const ticks = (await row(page, lane.y - 17)).pixels.filter((p) => near(p, FOUND)).length;
      assert.ok(ticks > 0, 'found ticks are drawn above the strip');
    }, { context: { deviceScaleFactor: ratio } });
  });
}

// Selecting an event brings a legend key (the causal colours), which can
// wrap the legend onto another row. The diagram must not move under the
// pointer as keys come and go: the legend keeps its tallest height at a
// window width.
test('selecting and deselecting an event in a big trace leaves the diagram where it is', async (t) => {
  for (const width of [1280, 1100, 960]) {
    await app.withPage(t, async (page) => {
      await waitForApp(page);
      await generate(page, 6, 3000);
      await frames(page);
      const box = async () => page.locator('canvas#diagram').boundingBox();
      const before = await box();
      for (let i = 0; i < 3; i++) {
        // Select a receive with a real click, then click empty space below the lines.
        const p = await page.evaluate((k) => window.hlcviz.eventPosition('recv', 40 + 97 * k), i);
        await page.mouse.click(before.x + p.x, before.y + p.y);
        await until(async () => (await page.evaluate(() => window.hlcviz.selection())) !== null, { what: 'a selection' });
        await frames(page);
        assert.deepEqual(await box(), before, `selected at ${width} px: the diagram stays put`);
        await page.keyboard.press('Escape');
        await until(async () => (await page.evaluate(() => window.hlcviz.selection())) === null, { what: 'no selection' });
        await frames(page);
        assert.deepEqual(await box(), before, `deselected at ${width} px: the diagram stays put`);
      }
    }, { viewport: { width, height: 800 } });
  }
});
