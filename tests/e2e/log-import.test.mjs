// A ShiViz-style log through the Share tab's Import options, like a person:
// a custom parser expression and delimiter (ShiViz's own for its
// multiple-comparison example), the execution picker, and a pathological
// expression that a backtracking engine never finishes, which must end in the
// "took too long" notice with the page still answering.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, screenshot, useApp, waitForApp } from './harness.mjs';
import { getScenario, plain, until } from './ui.mjs';

const app = useApp();
const LOG = readFileSync(path.join(REPO_ROOT, 'tests/data/shiviz/multiple-comparison.log'));
const PARSER = String.raw`(?<ip>(\d{1,3}\.){3}\d{1,3}) (?<date>(\d{1,2}/){2}\d{4} (\d{2}:){2}\d{2} (AM|PM)) (?<action>(INFO|GET|POST)) (?<event>.*)\n(?<host>\w*) (?<clock>.*)`;
const DELIMITER = '^=== (?<trace>.*) ===$';

const notice = (page, prefix, timeout = 10_000) => until(async () => {
  const text = plain(await page.evaluate(() => window.hlcviz.lastNotice()));
  return text?.startsWith(prefix) ? text : null;
}, { what: `a notice starting "${prefix}"`, timeout });

test('a multi-execution log opens with a custom expression, execution 2 on request; a pathological expression is stopped', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await page.click('#tab-share');
    await page.click('#import-options summary');
    await page.fill('#import-parser', PARSER);
    await page.fill('#import-delimiter', DELIMITER);
    await page.setInputFiles('#import-file', { name: 'comparison.log', mimeType: 'text/plain', buffer: LOG });
    const first = await notice(page, 'Imported comparison.log (execution 1 of 5)');
    assert.match(first, /with the parser expression: 2 nodes, \d+ messages inferred from the vector clocks; times from the log/);
    assert.equal(await page.locator('#import-execution-row').isVisible(), true);
    const options = await page.locator('#import-execution option').allTextContents();
    assert.deepEqual(options.map(plain), [
      '1. Base execution', '2. Same as base', '3. Different host from base',
      '4. All events are different from base', '5. Some events are different from base',
    ]);
    const base = await getScenario(page);

    await page.selectOption('#import-execution', '1');
    await notice(page, 'Imported comparison.log (execution 2 of 5)');
    await page.click('#notice-more');
    const details = plain(await page.locator('#notice-list').textContent());
    assert.match(details, /Execution 2 of 5 \(`Same as base`\)/);
    assert.equal(await page.locator('#import-execution').inputValue(), '1');
    // The times are the log's: the hosts' skews come from their offsets.
    assert.match(details, /Times are read from the log as `date`: US date and 12-hour time/);
    assert.match(details, /offset [+−]\d+\.\d ms/);
    await page.selectOption('#import-execution', '2');
    await notice(page, 'Imported comparison.log (execution 3 of 5)');
    const third = await getScenario(page);
    assert.notDeepEqual(third.nodes.map((n) => n.name), base.nodes.map((n) => n.name), 'execution 3 has another host');
    await screenshot(page, 'log-import-execution');

    // (a+)+$ on a long line of a's that ends in b backtracks for ever in a
    // backtracking engine: the worker is stopped and the person told.
    await page.fill('#import-parser', '(?<event>(a+)+$)(?<host>x*)(?<clock>y*)');
    await page.fill('#import-delimiter', '');
    await page.setInputFiles('#import-file', {
      name: 'slow.log', mimeType: 'text/plain', buffer: Buffer.from('a'.repeat(60) + 'b\n'),
    });
    const slow = await notice(page, 'The parser expression took too long on slow.log', 15_000);
    assert.match(slow, /more than 5 s\) and was stopped/);
    // Still answering: the scenario is the one opened before, and a tab opens.
    const t0 = Date.now();
    assert.deepEqual(await getScenario(page), third);
    await page.click('#tab-clocks');
    assert.ok(Date.now() - t0 < 5_000, 'the page answers');
    assert.deepEqual(errors, []);
  });
});
