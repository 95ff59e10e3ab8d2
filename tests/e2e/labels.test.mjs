// The label placer's text extent (labels::text_width) is never narrower than
// what Chromium draws: every row of tests/data/label-widths.json (the native
// tests keep it equal to text_width) is measured with the canvas's own font
// on the page's canvas, and the real width must not exceed the estimate, or
// two labels the placer believes apart could touch on screen.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, useApp, waitForApp } from './harness.mjs';

const app = useApp();

test('text_width is at least measureText for label strings at 12, 16 and 20 px', async (t) => {
  const rows = JSON.parse(await readFile(path.join(REPO_ROOT, 'tests/data/label-widths.json'), 'utf8'));
  const canvasSource = await readFile(path.join(REPO_ROOT, 'src/web/canvas.rs'), 'utf8');
  const family = canvasSource.match(/const FONT_FAMILY: &str = "([^"]+)";/)?.[1];
  assert.ok(family, 'FONT_FAMILY found in src/web/canvas.rs');
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const measured = await page.evaluate(({ rows, family }) => {
      const ctx = document.querySelector('canvas#diagram').getContext('2d');
      ctx.save();
      const out = rows.map((r) => {
        // As web::canvas::paint sets it.
        ctx.font = `${r.bold ? '600 ' : ''}${r.size}px ${family}`;
        return ctx.measureText(r.text).width;
      });
      ctx.restore();
      return out;
    }, { rows, family });
    let tightest = { ratio: 0 };
    const wider = [];
    rows.forEach((r, k) => {
      const ratio = measured[k] / r.estimate;
      if (ratio > tightest.ratio) tightest = { ratio, ...r, measured: measured[k] };
      if (measured[k] > r.estimate) wider.push(`${JSON.stringify(r.text)} ${r.size}px bold=${r.bold}: ${measured[k].toFixed(2)} > ${r.estimate.toFixed(2)}`);
    });
    console.log(`labels: ${rows.length} strings measured; tightest real/estimate ${tightest.ratio.toFixed(3)} ` +
      `(${JSON.stringify(tightest.text)} ${tightest.size}px bold=${tightest.bold}: ${tightest.measured.toFixed(2)} of ${tightest.estimate.toFixed(2)} px)`);
    assert.deepEqual(wider, [], 'measureText wider than the estimate');
    assert.deepEqual(errors, []);
  });
});
