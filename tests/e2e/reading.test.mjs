// Reading a big trace (64 nodes, 4,000 messages and 2,000 local events) as a person would: the
// overview strip dragged with the mouse, a search typed and stepped with
// Enter, lines hidden and grouped from the Clocks tab, runs of local events
// collapsed, and a message followed from the Event tab.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useApp, waitForApp } from './harness.mjs';
import { canvasTexts, clickAt, frames, pointOfEvent, until, watchCanvasText } from './ui.mjs';

const app = useApp();

const AXIS_BAND = 34;
const OVERVIEW_PX = 38;

test('a 64-node, 4,000-message trace: overview, search, hide and group, collapse, follow', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await watchCanvasText(page);
    // A generated execution, its nodes named in three groups.
    await page.locator('#tab-scenarios').click();
    await page.fill('#gen-nodes', '64');
    await page.fill('#gen-messages', '4000');
    await page.locator('#generate-form button[type=submit]').click();
    await until(async () => (await page.evaluate(() => window.hlcviz.getScenario().messages.length)) === 4000,
      { timeout: 30_000, what: 'the generated scenario' });
    await page.evaluate(() => {
      const s = window.hlcviz.getScenario();
      const groups = ['db', 'web', 'cache', 'queue'];
      s.nodes.forEach((n, i) => { n.name = `${groups[i % 4]}-${Math.floor(i / 4) + 1}`; });
      window.hlcviz.setScenario(s);
    });
    // A big trace opens with its find bar and its overview strip.
    await page.locator('#findbar').waitFor({ state: 'visible', timeout: 5_000 });
    let texts = await canvasTexts(page);
    assert.ok(texts.some((x) => x.text === 'whole trace'), 'the overview strip is drawn');
    // The axis counts in one unit.
    const ticks = texts.filter((x) => Math.abs(x.y - (AXIS_BAND - 10)) < 0.5 && x.text !== 'real time');
    const units = new Set(ticks.map((x) => x.text.split(' ').pop()));
    assert.equal(units.size, 1, `one unit on the axis: ${ticks.map((x) => x.text).join(', ')}`);

    // Overview: zoom in, then drag on the strip; the window follows the mouse.
    for (let i = 0; i < 6; i++) await page.locator('#zoom-in').click();
    const box = await page.locator('canvas#diagram').boundingBox();
    const y = box.y + AXIS_BAND + OVERVIEW_PX / 2;
    const before = await page.evaluate(() => window.hlcviz.visibleTime());
    await page.mouse.move(box.x + 300, y);
    await page.mouse.down();
    await page.mouse.move(box.x + 700, y, { steps: 8 });
    await page.mouse.up();
    await frames(page);
    const after = await page.evaluate(() => window.hlcviz.visibleTime());
    assert.ok(after.startMs > before.startMs, `the drag moved the window later (${before.startMs} -> ${after.startMs})`);
    assert.ok(Math.abs((after.endMs - after.startMs) - (before.endMs - before.startMs)) < 1, 'dragging pans, never zooms');
    assert.equal(await page.evaluate(() => window.hlcviz.selection()), null, 'a press on the strip selects nothing');

    // Search: typed in the find bar, stepped with Enter and Shift+Enter.
    const trace = await page.evaluate(() => {
      const tr = window.hlcviz.getTrace();
      const names = window.hlcviz.getScenario().nodes.map((n) => n.name);
      return tr.events.map((e) => ({ node: names[e.node], kind: e.kind ?? e.event?.kind, l: e.hlc?.l, real: e.real_ms }));
    });
    // A range over db-3's first five receives (the trace is random: a fixed
    // window could hold a single one, and stepping needs two).
    const received = trace.filter((e) => e.node === 'db-3' && e.kind === 'recv').map((e) => e.l).sort((a, b) => a - b);
    assert.ok(received.length >= 2, 'db-3 receives messages');
    const [from, to] = [received[0], received[Math.min(4, received.length - 1)]];
    const expected = trace.filter((e) => e.node.includes('db-3') && e.kind === 'recv' && e.l >= from && e.l <= to);
    assert.ok(expected.length >= 2, `at least two hits to step through (${expected.length})`);
    await page.locator('#find-input').click();
    await page.keyboard.type(`node:db-3 kind:recv hlc:${from}..${to}`);
    await until(async () => (await page.locator('#find-count').textContent()).includes(`of ${expected.length} event`),
      { what: `"1 of ${expected.length} events"` });
    assert.match(await page.locator('#find-count').textContent(), new RegExp(`^1 of ${expected.length} events?$`));
    await page.keyboard.press('Enter');
    await until(async () => (await page.locator('#find-count').textContent()).startsWith('2 of'), { what: 'Enter steps to 2' });
    const view = await page.evaluate(() => window.hlcviz.visibleTime());
    const second = expected.slice().sort((a, b) => a.real - b.real)[1] ?? expected[0];
    assert.ok(second.real >= view.startMs && second.real <= view.endMs, 'the view went to the second hit');
    await page.keyboard.press('Shift+Enter');
    await until(async () => (await page.locator('#find-count').textContent()).startsWith('1 of'), { what: 'Shift+Enter steps back' });
    // A bad range says why, and keeps the results.
    await page.fill('#find-input', 'hlc:9..1');
    await page.press('#find-input', 'Enter');
    await until(async () => /first number is the smaller/.test(await page.evaluate(() => window.hlcviz.lastNotice() ?? '')),
      { what: 'a notice naming the problem' });

    // Hide and group lines from the Clocks tab.
    await page.locator('#tab-clocks').click();
    await page.locator('#lines summary').click();
    await page.locator('#lines-group').check();
    // db-1, web-1, cache-1 are nodes 0, 1, 2 and db-2 is node 4.
    const [db1, db2, web1, cache1] = await page.evaluate(() => [0, 4, 1, 2].map((n) => window.hlcviz.laneY(n)));
    assert.ok(db1 < db2 && db2 < web1 && web1 < cache1, 'grouped: db-1, db-2, ..., web-1, ..., cache-1');
    await page.locator('#lines-list input[data-prefix="cache"]').uncheck();
    await page.locator('#lines-list input[data-prefix="queue"]').uncheck();
    await until(async () => /32 of 64/.test(await page.locator('#lines-summary').textContent()), { what: '32 of 64 lines shown' });
    assert.ok(Number.isNaN(await page.evaluate(() => window.hlcviz.laneY(2))), 'a hidden node has no line');
    texts = await canvasTexts(page);
    assert.match(await page.locator('#legend .key.lines').innerText(), /32 of 64 node lines shown, 32 hidden/,
      'the legend says nodes are hidden');
    assert.ok(!texts.some((x) => /^cache-/.test(x.text)), 'no hidden name in the gutter');
    await page.locator('#lines-list input[data-node="0"]').uncheck();
    assert.ok(Number.isNaN(await page.evaluate(() => window.hlcviz.laneY(0))), 'one node hidden by its own box');
    await page.locator('#lines-show-all').click();
    await until(async () => /all 64/.test(await page.locator('#lines-summary').textContent()), { what: 'every line back' });

    // Scrolled down the 64 lines, the axis and the overview stay in sight.
    const scrolled = await page.evaluate(() => {
      const stage = document.getElementById('stage');
      stage.scrollTop = 600;
      return stage.scrollTop - document.getElementById('diagram').offsetTop;
    });
    assert.ok(scrolled > 100, `the stage scrolls (${scrolled} px)`);
    await until(async () => (await canvasTexts(page)).some((x) => x.text === 'real time' && Math.abs(x.y - (scrolled + AXIS_BAND - 10)) < 1),
      { what: 'the axis stuck at the scrolled top' });
    const stuck = await page.locator('#stage').boundingBox();
    const window0 = await page.evaluate(() => window.hlcviz.visibleTime());
    await page.mouse.click(stuck.x + 200, stuck.y + AXIS_BAND + OVERVIEW_PX / 2);
    await until(async () => (await page.evaluate(() => window.hlcviz.visibleTime())).startMs !== window0.startMs,
      { what: 'a click on the stuck overview moves the window' });
    await page.evaluate(() => { document.getElementById('stage').scrollTop = 0; });

    // Follow a message: click a receive, then "Follow this message".
    await page.locator('#find-close').click();
    await page.locator('#findbar').waitFor({ state: 'hidden', timeout: 2_000 });
    for (let i = 0; i < 6; i++) await page.locator('#zoom-in').click();
    const recv = await page.evaluate(() => {
      const v = window.hlcviz.visibleTime();
      const tr = window.hlcviz.getTrace();
      const e = tr.events.find((e) => (e.kind ?? e.event?.kind) === 'recv' && e.real_ms > (v.startMs + v.endMs) / 2 && e.node < 8);
      return e ? { index: e.event.index, real: e.real_ms } : null;
    });
    assert.ok(recv, 'a receive in view');
    await clickAt(page, await pointOfEvent(page, 'recv', recv.index));
    await until(async () => (await page.evaluate(() => window.hlcviz.selection()))?.kind === 'recv', { what: 'the receive selected' });
    await page.locator('#tab-event').click();
    await page.locator('#follow-message').click();
    await page.locator('#findbar').waitFor({ state: 'visible', timeout: 2_000 });
    await until(async () => /^following .+ in its causal chain$/.test(await page.locator('#find-count').textContent()),
      { what: 'the find bar says what is followed' });
    await page.locator('#find-next').click();
    await frames(page);
    assert.ok(errors.length === 0, errors.join('\n'));

    // Collapse runs of local events: the diagram says how many each holds.
    await page.locator('#find-close').click();
    await page.keyboard.press('/');
    await page.locator('#findbar').waitFor({ state: 'visible', timeout: 2_000 });
    await page.locator('#collapse-runs').check();
    await page.locator('#fit').click();
    await until(async () => (await canvasTexts(page)).some((x) => /^\d+ local$/.test(x.text)),
      { timeout: 5_000, what: 'a collapsed run' });
  }, { viewport: { width: 1280, height: 800 } });
});
