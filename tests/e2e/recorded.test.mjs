// A log recorded by real processes with the hlc crate's recorder (a committed
// run of examples/udp_cluster.rs, the recorded_import fuzz seed) opens through
// Import: the notice says what was read, its details give each host's
// estimated offset with its bounds, and the scenario replays each event at its
// recorded wall clock.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, screenshot, useApp, waitForApp } from './harness.mjs';
import { getScenario, getTrace, plain, until } from './ui.mjs';

const app = useApp();
const LOG = readFileSync(path.join(REPO_ROOT, 'fuzz/corpus/recorded_import/seed-udp-cluster'));

test('a recorded UDP run opens with each host offset and its bounds in the notes', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await page.setInputFiles('#import-file', { name: 'cluster.jsonl', mimeType: 'application/octet-stream', buffer: LOG });
    const notice = await until(async () => {
      const text = plain(await page.evaluate(() => window.hlcviz.lastNotice()));
      return text?.startsWith('Imported cluster.jsonl') ? text : null;
    }, { what: 'the import notice', timeout: 10_000 });
    assert.match(notice, /^Imported cluster\.jsonl as a recorded log: 3 hosts, 18 messages;/);

    await page.click('#notice-more');
    const details = plain(await page.locator('#notice-list').textContent());
    assert.match(details, /host b: offset \+\d+\.\d ms \(between \+\d+\.\d and \+\d+\.\d ms\)/);
    assert.match(details, /host c: offset −\d+\.\d ms \(between −\d+\.\d and −\d+\.\d ms\)/);

    // Every event's pt is its recorded wall clock (ms) minus the one shift
    // the notes state.
    const base = Number(details.match(/Time 0 on the diagram is (-?\d+) ms/)[1]);
    const scenario = await getScenario(page);
    assert.deepEqual(scenario.nodes.map((n) => n.name), ['a', 'b', 'c']);
    const trace = await getTrace(page);
    // wall_ns passes 2^53, so it is read as a BigInt, not a JSON number.
    const walls = LOG.toString().split('\n').filter((l) => l.includes('"kind"')).map((l) => ({
      host: JSON.parse(l).host,
      ms: Number(BigInt(l.match(/"wall_ns":(-?\d+)/)[1]) / 1_000_000n),
    }));
    const replayed = trace.events.map((e) => ({ host: scenario.nodes[e.node].name, ms: e.pt + base }));
    const key = (x) => `${x.host}@${x.ms}`;
    assert.deepEqual(replayed.map(key).sort(), walls.map(key).sort());
    await screenshot(page, 'recorded-udp-cluster');
    assert.deepEqual(errors, []);
  });
});
