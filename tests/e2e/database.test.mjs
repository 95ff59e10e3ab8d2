// The database lens (issue 13) in a real browser: a put and a get added with
// the event gestures (the Data tab's mode, a double-click, a drag), the read
// that finds nothing, goes stale without a max offset and restarts inside
// its uncertainty band with one; the presets (restart, stale or not,
// commit-wait, an observed timestamp, a node that stops itself); the real
// systems' clock policies and their link; bad keys.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useApp, waitForApp, screenshot } from './harness.mjs';
import {
  drag,
  getScenario,
  getTrace,
  lastNotice,
  openPreset,
  pixel,
  plain,
  pointOfEvent,
  pointOnLane,
  retype,
  reveal,
  until,
} from './ui.mjs';

const app = useApp();

const kvOf = (trace, kind, index) =>
  trace.events.find((e) => e.event.kind === kind && e.event.index === index)?.kv ?? null;

/** A pixel of the canvas at a page point (pixel() takes canvas coordinates). */
async function pagePixel(page, x, y) {
  const box = await page.locator('#diagram').boundingBox();
  return pixel(page, x - box.x, y - box.y);
}

async function mode(page, kind) {
  await reveal(page, `input[name=add-kind][value=${kind}]`);
  await page.check(`input[name=add-kind][value=${kind}]`);
}

/** Opens a preset by its button (ui.mjs), once its notice says it opened. */
async function openDbPreset(page, id) {
  await openPreset(page, id);
  await until(async () => plain(await lastNotice(page))?.includes(':'), { what: `preset ${id}` });
}

test('a put and a get by gesture: no max offset reads stale, a max offset restarts inside the band', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    // The default scenario: B's clock 300 ms ahead, no max offset.
    await mode(page, 'put');
    await retype(page, page.locator('#add-key'), 'k');
    await page.keyboard.press('Enter');
    const onB = await pointOnLane(page, 1, 150);
    await page.mouse.dblclick(onB.x, onB.y);
    await until(async () => (await getScenario(page)).events.some((e) => e.kv?.put?.key === 'k'), { what: 'the put' });
    const put = (await getScenario(page)).events.findIndex((e) => e.kv?.put);
    assert.deepEqual((await getScenario(page)).events[put].kv, { put: { key: 'k', value: 'v1' } });

    await mode(page, 'get');
    const onA = await pointOnLane(page, 0, 250);
    await page.mouse.dblclick(onA.x, onA.y);
    await until(async () => (await getScenario(page)).events.some((e) => e.kv?.get), { what: 'the get' });
    const get = (await getScenario(page)).events.findIndex((e) => e.kv?.get);
    let read = kvOf(await getTrace(page), 'local', get).read;
    assert.equal(read.attempts.length, 1);
    assert.equal(read.result, null, "B's version is stamped past A's read and there is no max offset");
    assert.notEqual(read.stale, null, 'the put was acknowledged before the get began: a stale read');
    assert.ok(await page.locator('#legend .key.data').isVisible(), 'the legend explains the marks');

    // A 500 ms max offset: B's version now lies in the read's uncertainty interval.
    await reveal(page, '#max-offset-on');
    await page.check('#max-offset-on');
    await until(async () => (await getScenario(page)).settings?.max_offset_ms === 500, { what: 'max offset' });
    const trace = await getTrace(page);
    read = kvOf(trace, 'local', get).read;
    assert.equal(read.attempts.length, 2, 'one restart');
    assert.equal(trace.versions[read.result].value, 'v1', 'the retry reads the put');
    assert.equal(read.stale, null);
    const p = await pointOfEvent(page, 'local', get);
    // The band: right of the read on A's line, tinted orange over white.
    const [r, g, b] = await pagePixel(page, p.x + 30, p.y + 5);
    assert.ok(r > 235 && g > 195 && g < 240 && b > 180 && b < 230, `band pixel ${[r, g, b]}`);
    await page.mouse.move(p.x, p.y);
    await until(() => page.locator('#tooltip').isVisible(), { what: 'the tooltip' });
    assert.match(await page.locator('#tooltip').textContent(), /ReadWithinUncertaintyIntervalError: read at time/);
    // The Data tab lists the key, its version and the read.
    await reveal(page, '#kv-view');
    const listed = plain(await page.locator('#kv-view').textContent());
    const v = trace.versions[read.result].ts;
    const r0 = read.attempts[0].ts;
    assert.match(listed, /key k/);
    assert.ok(listed.includes(`k = “v1” at (${v.l}, ${v.c})`), listed);
    assert.ok(listed.includes(`get by A at (${r0.l}, ${r0.c})`), listed);
    assert.match(listed, /→ k = “v1” after 1 restart/);
    // Undo takes the setting back; the read is stale again.
    await page.locator('#diagram').focus();
    await page.keyboard.press('Control+z');
    await until(async () => kvOf(await getTrace(page), 'local', get).read.stale !== null, { what: 'undo' });
    await screenshot(page, 'database-gestures-1280x800');
    assert.deepEqual(errors, []);
  });
});

test('a drag in put mode sends the write to a replica; a get of a key never written finds no value', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await mode(page, 'put');
    await drag(page, await pointOnLane(page, 0, 150), await pointOnLane(page, 2, 220));
    await until(async () => (await getScenario(page)).messages.some((m) => m.put), { what: 'the carried write' });
    const scenario = await getScenario(page);
    const m = scenario.messages.findIndex((x) => x.put);
    assert.deepEqual(scenario.messages[m].put, { key: 'x', value: 'v1' });
    const trace = await getTrace(page);
    const send = trace.events.find((e) => e.event.kind === 'send' && e.event.index === m);
    const version = trace.versions[kvOf(trace, 'recv', m).version];
    assert.deepEqual(version.ts, send.hlc, "the version takes the coordinator's timestamp");

    await mode(page, 'get');
    await retype(page, page.locator('#add-key'), 'never');
    await page.keyboard.press('Enter');
    const onB = await pointOnLane(page, 1, 30);
    await page.mouse.dblclick(onB.x, onB.y);
    await until(async () => (await getScenario(page)).events.some((e) => e.kv?.get?.key === 'never'), { what: 'the get' });
    const get = (await getScenario(page)).events.findIndex((e) => e.kv?.get?.key === 'never');
    const read = kvOf(await getTrace(page), 'local', get).read;
    assert.equal(read.result, null);
    assert.equal(read.stale, null);
    const p = await pointOfEvent(page, 'local', get);
    await page.mouse.move(p.x, p.y);
    await until(() => page.locator('#tooltip').isVisible(), { what: 'the tooltip' });
    assert.match(await page.locator('#tooltip').textContent(), /no value/);
    assert.deepEqual(errors, []);
  });
});

test('a bad key is refused with a message and changes nothing', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await mode(page, 'put');
    const before = await getScenario(page);
    await retype(page, page.locator('#add-key'), '');
    await page.keyboard.press('Enter');
    await until(async () => /A key needs at least one character/.test(plain(await lastNotice(page)) ?? ''), {
      what: 'the refusal',
    });
    const onA = await pointOnLane(page, 0, 650);
    await page.mouse.dblclick(onA.x, onA.y);
    await until(async () => (await getScenario(page)).events.length === before.events.length + 1, { what: 'the put' });
    const added = (await getScenario(page)).events.at(-1);
    assert.deepEqual(added.kv, { put: { key: 'x', value: 'v1' } }, 'the last good key stays');
    // A hostile key through the JavaScript API is refused whole, with its reason.
    const why = await page.evaluate(() => {
      const s = window.hlcviz.getScenario();
      s.events.push({ node: 0, at_ms: 990, kv: { put: { key: 'k'.repeat(5000), value: '1' } } });
      try {
        window.hlcviz.setScenario(s);
        return null;
      } catch (e) {
        return e.message;
      }
    });
    assert.match(why ?? '', /key/);
    assert.equal((await getScenario(page)).events.length, before.events.length + 1, 'nothing lost, nothing added');
    assert.deepEqual(errors, []);
  });
});

test('the presets: a restart, a stale read and none with a larger max offset, commit-wait, an observed timestamp', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const readOf = async () => {
      const trace = await getTrace(page);
      const e = trace.events.find((x) => x.kv?.read);
      return { trace, read: e.kv.read, explanation: e.kv.explanation.join(' ') };
    };
    await openDbPreset(page, 'db-read-restart');
    let { read, explanation } = await readOf();
    assert.equal(read.attempts.length, 2);
    assert.match(explanation, /ReadWithinUncertaintyIntervalError/);

    await openDbPreset(page, 'db-stale-read');
    ({ read, explanation } = await readOf());
    assert.notEqual(read.stale, null);
    assert.match(explanation, /STALE/);
    await reveal(page, '#kv-view');
    assert.equal(await page.locator('#kv-view button.stale').count(), 1, 'the Data tab flags it');
    await screenshot(page, 'database-stale-1280x800');

    await openDbPreset(page, 'db-no-stale-read');
    ({ read } = await readOf());
    assert.equal(read.stale, null);
    assert.equal(read.attempts.length, 2, 'the wider interval makes it restart instead');

    await openDbPreset(page, 'db-commit-wait');
    const { trace } = await readOf();
    assert.ok(trace.versions.every((v) => v.wait_ms === 250), 'each write waits out the 250 ms max offset');
    assert.equal(await page.locator('#commit-wait').inputValue(), 'max_offset');
    // The table shows the latency too, in its database column.
    await page.click('#toggle-table');
    await until(() => page.locator('#event-table-data').isVisible(), { what: 'the data column' });
    assert.match(await page.locator('#event-table-body').textContent(), /put x=1 \(wait 250 ms\)/);
    await page.click('#toggle-table');

    await openDbPreset(page, 'db-observed-timestamp');
    ({ read, explanation } = await readOf());
    assert.equal(read.attempts.length, 2);
    assert.match(explanation, /observed timestamp/);
    // Turning observed timestamps off: the later write is uncertain too.
    await reveal(page, '#observed-timestamps');
    await page.uncheck('#observed-timestamps');
    await until(async () => (await readOf()).read.attempts.length === 3, { what: 'a second restart' });
    assert.deepEqual(errors, []);
  });
});

test('a node that stops itself: its line greys, its later events are refused, a put on it says so', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await openDbPreset(page, 'node-stops');
    const trace = await getTrace(page);
    const refused = trace.events.filter((e) => e.refused);
    assert.ok(refused.length >= 2, `${refused.length} refused events`);
    assert.ok(refused.every((e) => /stopped/.test(e.refused)));
    assert.ok(await page.locator('#legend .key.stopped').isVisible());
    const c = 2;
    const after = Math.max(...refused.filter((e) => e.node === c).map((e) => e.real_ms)) + 40;
    const onC = await pointOnLane(page, c, after);
    const [r, g, b] = await pagePixel(page, onC.x, onC.y - 3);
    assert.ok(Math.abs(r - g) < 12 && Math.abs(g - b) < 16 && r < 230 && r > 120, `grey lane ${[r, g, b]}`);
    await mode(page, 'put');
    await page.mouse.dblclick(onC.x, onC.y);
    await until(async () => /Added, but refused/.test(plain(await lastNotice(page)) ?? ''), { what: 'the refusal' });
    assert.match(plain(await lastNotice(page)), /stopped/);
    const last = (await getScenario(page)).events.length - 1;
    const put = (await getTrace(page)).events.find((e) => e.event.kind === 'local' && e.event.index === last);
    assert.ok(put.refused, 'the put stays on the diagram, refused');
    assert.equal(put.kv.version, null, 'and writes nothing');
    await screenshot(page, 'database-node-stops-1280x800');
    assert.deepEqual(errors, []);
  });
});

test("a real system's clock policy is one click, and the link keeps it", async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await reveal(page, '#system-policies button[data-system="cockroachdb"]');
    await page.click('#system-policies button[data-system="cockroachdb"]');
    await until(async () => (await getScenario(page)).settings?.max_offset_ms === 500, { what: 'the policy' });
    const settings = (await getScenario(page)).settings;
    assert.deepEqual(settings.stop_on_skew, { threshold_ms: 400, majority: true });
    assert.ok(await page.locator('#stop-on').isChecked());
    assert.equal(await page.inputValue('#stop-ms'), '400');
    await until(async () => /^#v[12]\./.test(await page.evaluate(() => location.hash)), { what: 'the link' });
    const link = await page.evaluate(() => location.href);
    const other = await page.context().browser().newContext();
    const fresh = await other.newPage();
    await fresh.goto(link);
    await waitForApp(fresh);
    assert.deepEqual((await fresh.evaluate(() => window.hlcviz.getScenario())).settings, settings);
    await other.close();
    assert.deepEqual(errors, []);
  });
});

for (const [w, h, name] of [
  [1280, 800, '1280x800'],
  [1920, 1080, '1920x1080'],
  [390, 844, 'phone'],
]) {
  test(`screenshots at ${name}: a read restart with the Data tab`, async (t) => {
    await app.withPage(t, async (page, errors) => {
      await page.setViewportSize({ width: w, height: h });
      await waitForApp(page);
      await openDbPreset(page, 'db-read-restart');
      // (On a phone the panels sit under the pinned diagram: the Data tab's
      // content is below the fold, and the diagram is what this shows.)
      if (w >= 900) await reveal(page, '#kv-view');
      await screenshot(page, `database-restart-${name}`);
      assert.deepEqual(errors, []);
    });
  });
}
