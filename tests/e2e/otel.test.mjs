// An OpenTelemetry trace written by the OpenTelemetry Python SDK (a committed
// run of tests/otel/make_traces.py) opens through Import: the notice says what
// was read, its details give each service's estimated offset, and the nodes
// are the services.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, screenshot, useApp, waitForApp } from './harness.mjs';
import { getScenario, plain, until } from './ui.mjs';

const app = useApp();
const TRACE = readFileSync(path.join(REPO_ROOT, 'tests/data/otel/checkout.otlp.json'));

test('an OTLP/JSON trace of the OpenTelemetry SDK opens with one node per service', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await page.setInputFiles('#import-file', { name: 'checkout.json', mimeType: 'application/json', buffer: TRACE });
    const notice = await until(async () => {
      const text = plain(await page.evaluate(() => window.hlcviz.lastNotice()));
      return text?.startsWith('Imported checkout.json') ? text : null;
    }, { what: 'the import notice', timeout: 10_000 });
    assert.match(notice, /^Imported checkout\.json as an OpenTelemetry trace: 3 services, 8 spans, 6 messages;/);

    await page.click('#notice-more');
    const details = plain(await page.locator('#notice-list').textContent());
    assert.match(details, /service inventory: offset \+2\d\d\.\d ms \(between \+\d+\.\d and \+\d+\.\d ms\)/);

    const scenario = await getScenario(page);
    assert.deepEqual(scenario.nodes.map((n) => n.name), ['frontend', 'cart', 'inventory']);
    await screenshot(page, 'otel-checkout');
    assert.deepEqual(errors, []);
  });
});
