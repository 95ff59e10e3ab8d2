// Smoke test: the page loads, its wasm starts, the diagram canvas is there.
// Needs the wasm built into www/pkg/ (scripts/build-web.sh; scripts/test.sh
// does that before running these tests).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenshot, useApp, waitForApp, withPage } from './harness.mjs';

async function checkLoaded(page, errors) {
  await waitForApp(page);
  const canvas = page.locator('canvas#diagram');
  assert.equal(await canvas.count(), 1, 'expected exactly one <canvas id="diagram">');
  const box = await canvas.boundingBox();
  assert.ok(box, '<canvas id="diagram"> is not rendered (display: none?)');
  assert.ok(box.width > 0 && box.height > 0, `canvas has zero layout size: ${JSON.stringify(box)}`);
  const backing = await canvas.evaluate((c) => ({ width: c.width, height: c.height }));
  assert.ok(
    backing.width > 0 && backing.height > 0,
    `canvas backing store has zero size: ${JSON.stringify(backing)}`,
  );
  assert.deepEqual(errors, [], 'console / page errors while loading');
}

const app = useApp();

test('page loads, window.hlcviz.ready, canvas#diagram has a size, no errors', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await checkLoaded(page, errors);
    await screenshot(page, 'smoke');
  });
});

test('page also works served under a sub-path (/hlc-visualizer/)', async () => {
  await withPage(checkLoaded, { prefix: '/hlc-visualizer/', name: 'smoke-subpath' });
});
