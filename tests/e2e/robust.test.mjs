// Robustness: a burst of a thousand edits, a storm of window resizes at
// several pixel ratios, gestures interrupted every way the browser can, the
// crash banner when the wasm cannot load, and a full localStorage.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenshot, useApp } from './harness.mjs';
import {
  latestSavedLink,
  encodeLink,
  openInstrumented,
  rng,
  settled,
} from './hostile-helpers.mjs';
import {
  GUTTER,
  RIGHT_MARGIN,
  assertTraceMatchesModel,
  drag,
  frames,
  geometry,
  getScenario,
  msAtPageX,
  snapped,
  pointOfEvent,
  pointOnLane,
  until, plain } from './ui.mjs';

const app = useApp();

/** setScenario(getScenario()) in the page: null if it was accepted, else why not. */
const reloadsItself = (page) =>
  page.evaluate(() => {
    try {
      window.hlcviz.setScenario(window.hlcviz.getScenario());
      return null;
    } catch (e) {
      return String(e && e.message);
    }
  });

/** A valid scenario is kept: it reloads through setScenario and replays as Figure 5 does. */
async function assertValid(page, what) {
  assert.equal(await reloadsItself(page), null, `${what}: setScenario(getScenario()) threw`);
  await assertTraceMatchesModel(page, what);
}

/** A random valid scenario with no two events at one instant anywhere. */
function randomScenario(rand) {
  const count = 2 + Math.floor(rand() * 4);
  const nodes = Array.from({ length: count }, (_, i) => ({ name: `n${i}`, skew_ms: Math.floor(rand() * 600) - 300 }));
  let t = 10;
  const next = () => (t += 5 + Math.floor(rand() * 40));
  const events = Array.from({ length: 2 + Math.floor(rand() * 5) }, () => ({ node: Math.floor(rand() * count), at_ms: next() }));
  const messages = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => {
    const from = Math.floor(rand() * count);
    const to = (from + 1 + Math.floor(rand() * (count - 1))) % count;
    const sent = next();
    return { from, sent_at_ms: sent, to, received_at_ms: next() };
  });
  return { nodes, events, messages };
}

test('a burst of 1,000 rapid edits: keys, slider input and setScenario; state, link and undo stay right', async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const { page, errors, dialogs } = await openInstrumented(context, app.url);
    const rand = rng(20240611);
    let edits = 0;
    const keys = async (list) => {
      for (const key of list) {
        await page.keyboard.press(key);
        if (key !== 'ArrowRight') edits++;
      }
    };
    await page.focus('#diagram');
    for (let round = 0; round < 10; round++) {
      // Real keys: select an event, move it, add events after it, delete.
      await keys(['ArrowRight', ...Array(12).fill('Shift+ArrowRight'), 'e', 'e', 'Delete', 'e', 'e', 'Delete', 'e', 'Delete']);
      // 50 slider input events in a tight loop on one node's skew slider, then its change.
      const values = Array.from({ length: 50 }, () => Math.floor(rand() * 2001) - 1000);
      edits += await page.evaluate(({ values, pick }) => {
        const sliders = document.querySelectorAll('#nodes .skew-slider');
        const slider = sliders[Math.floor(pick * sliders.length)];
        for (const v of values) {
          slider.value = String(v);
          slider.dispatchEvent(new Event('input', { bubbles: true }));
        }
        slider.dispatchEvent(new Event('change', { bubbles: true }));
        return values.length;
      }, { values, pick: rand() });
      // 30 whole scenarios through the API.
      const scenarios = Array.from({ length: 30 }, () => randomScenario(rand));
      edits += await page.evaluate((list) => {
        for (const s of list) window.hlcviz.setScenario(s);
        return list.length;
      }, scenarios);
    }
    assert.equal(edits, 1_000);

    // One more keyboard edit, to undo.
    await keys(['ArrowRight']);
    const before = await getScenario(page);
    await keys(['Shift+ArrowRight']);
    const after = await getScenario(page);
    assert.notDeepEqual(after, before, 'the last Shift+ArrowRight moved the selected event');

    await page.keyboard.press('Control+z');
    assert.deepEqual(await getScenario(page), before, 'Ctrl+Z undid the last move');
    await page.keyboard.press('Control+Shift+z');
    assert.deepEqual(await getScenario(page), after, 'Ctrl+Shift+Z redid it');

    const { hash } = await settled(page);
    assert.equal(hash.slice(1), encodeLink(after), 'the fragment encodes the final scenario');
    await assertValid(page, 'after the burst');
    const reopened = await openInstrumented(context, `${app.url}${hash}`);
    assert.deepEqual(await getScenario(reopened.page), after, 'the fragment reopens the final scenario');
    assert.deepEqual(reopened.errors, []);
    await reopened.page.close();
    await frames(page);
    await screenshot(page, 'after-burst');
    assert.deepEqual(errors, []);
    assert.deepEqual(dialogs, []);
  } finally {
    await context.close();
  }
});

// --------------------------------------------------------------- resizing

/** Canvas backing store against its CSS box and devicePixelRatio, after two frames. */
const canvasSize = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            const c = document.getElementById('diagram');
            const box = c.getBoundingClientRect();
            resolve({ dpr: devicePixelRatio, width: c.width, height: c.height, cssWidth: box.width, cssHeight: box.height });
          }),
        ),
      ),
  );

function assertBackingStore(s, what) {
  assert.ok(
    Math.abs(s.width - s.cssWidth * s.dpr) <= 1 && Math.abs(s.height - s.cssHeight * s.dpr) <= 1,
    `${what}: canvas ${s.width}x${s.height} for a CSS box of ${s.cssWidth}x${s.cssHeight} at devicePixelRatio ${s.dpr}`,
  );
}

/** Double-clicks node `node`'s line mid-plot; asserts one event was added there, at the time under the pointer. */
async function assertDoubleClickAdds(page, node, what) {
  const before = await getScenario(page);
  const geom = await geometry(page);
  const y = await page.evaluate((n) => window.hlcviz.laneY(n), node);
  const cx = (GUTTER + geom.box.width - RIGHT_MARGIN) / 2;
  const p = { x: Math.round(geom.box.x + cx), y: Math.round(geom.box.y + y) };
  const want = snapped(geom, msAtPageX(geom, p.x));
  await page.mouse.dblclick(p.x, p.y);
  const after = await getScenario(page);
  assert.equal(after.events.length, before.events.length + 1, `${what}: the double-click added no event`);
  const added = after.events.find((e) => !before.events.some((b) => b.node === e.node && b.at_ms === e.at_ms));
  assert.equal(added.node, node, `${what}: added on the wrong node`);
  assert.ok(Math.abs(added.at_ms - want) <= 1, `${what}: added at ${added.at_ms} ms, expected ${want} ms`);
}

const SPREAD = {
  nodes: [{ name: 'A' }, { name: 'B', skew_ms: 120 }, { name: 'C', skew_ms: -80 }],
  events: [{ node: 0, at_ms: 0 }, { node: 2, at_ms: 1000 }],
  messages: [{ from: 0, sent_at_ms: 20, to: 2, received_at_ms: 60 }],
};

test('resize storm: 200 random window sizes at device pixel ratios 1, 2 and 3; canvas and hit testing follow', async () => {
  const rand = rng(7);
  const plan = [[1, 110], [2, 55], [3, 35]];
  let total = 0;
  for (const [ratio, count] of plan) {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: ratio });
    try {
      const { page, errors } = await openInstrumented(context, app.url);
      await page.evaluate((s) => window.hlcviz.setScenario(s), SPREAD);
      for (let i = 0; i < count; i++, total++) {
        const size = { width: 320 + Math.floor(rand() * 1681), height: 300 + Math.floor(rand() * 1101) };
        await page.setViewportSize(size);
        // Every 25th size is checked on the spot (the storm goes on meanwhile
        // otherwise); the narrowest window has its own test too.
        if (i % 25 === 24) assertBackingStore(await canvasSize(page), `ratio ${ratio}, ${size.width}x${size.height}`);
      }
      const last = { width: 700 + Math.floor(rand() * 1200), height: 600 + Math.floor(rand() * 700) };
      await page.setViewportSize(last);
      const s = await canvasSize(page);
      assert.equal(s.dpr, ratio);
      assertBackingStore(s, `ratio ${ratio}, final ${last.width}x${last.height}`);
      await page.focus('#diagram');
      await page.keyboard.press('f');
      await assertDoubleClickAdds(page, 1, `ratio ${ratio}`);
      await assertValid(page, `ratio ${ratio}`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
  assert.equal(total, 200);
});

test(
  'narrowest window (320 px): the canvas backing store is its CSS size times devicePixelRatio',
  async () => {
    const context = await app.browser.newContext({ viewport: { width: 320, height: 600 }, deviceScaleFactor: 2 });
    try {
      const { page, errors } = await openInstrumented(context, app.url);
      assertBackingStore(await canvasSize(page), '320x600 at ratio 2');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);

test(
  'a 64-character node name: the canvas follows its box (the side panel widens), drawing and hit testing agree',
  async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const { page, errors } = await openInstrumented(context, app.url);
      const name = page.locator('#nodes .node-name').first();
      await name.fill('N'.repeat(64));
      await name.press('Enter');
      assert.equal((await getScenario(page)).nodes[0].name, 'N'.repeat(64));
      assertBackingStore(await canvasSize(page), 'after the rename');
      await page.focus('#diagram');
      await page.keyboard.press('f');
      await assertDoubleClickAdds(page, 2, 'after the rename');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);

// ----------------------------------------------------- interrupted gestures

test('interrupted gestures: pointercancel, window blur, release outside the window, Escape on a message drag', async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const { page, errors } = await openInstrumented(context, app.url);
    const timeOf = async () => (await getScenario(page)).events[2].at_ms; // A@450
    const original = await timeOf();

    // (a) pointercancel mid-drag puts the event back.
    let p = await pointOfEvent(page, 'local', 2);
    await drag(page, p, { x: p.x + 45, y: p.y + 1 }, { release: false });
    assert.notEqual(await timeOf(), original, 'the drag moves the event');
    await page.evaluate(() =>
      document.getElementById('diagram').dispatchEvent(new PointerEvent('pointercancel', { pointerId: 1, bubbles: true })),
    );
    assert.equal(await timeOf(), original, '(a) pointercancel restored the time');
    await page.mouse.move(p.x + 80, p.y, { steps: 3 });
    await page.mouse.up();
    assert.equal(await timeOf(), original, '(a) the cancelled drag moves nothing afterwards');
    await assertValid(page, '(a) pointercancel');

    // (b) the window losing focus mid-drag puts it back.
    p = await pointOfEvent(page, 'local', 2);
    await drag(page, p, { x: p.x - 40, y: p.y }, { release: false });
    assert.notEqual(await timeOf(), original);
    await page.evaluate(() => window.dispatchEvent(new FocusEvent('blur')));
    assert.equal(await timeOf(), original, '(b) blur restored the time');
    await page.mouse.move(p.x - 70, p.y, { steps: 3 });
    await page.mouse.up();
    assert.equal(await timeOf(), original, '(b) the cancelled drag moves nothing afterwards');
    await assertValid(page, '(b) blur');

    // (c) dragged out of the window and released there: a valid scenario, the
    // gesture over (moving back over the canvas moves nothing).
    p = await pointOfEvent(page, 'local', 2);
    await drag(page, p, { x: p.x + 30, y: p.y }, { release: false });
    const viewport = page.viewportSize();
    await page.mouse.move(viewport.width + 60, p.y + 15, { steps: 6 });
    await page.mouse.move(viewport.width + 200, viewport.height + 80, { steps: 3 });
    await page.mouse.up();
    const released = await getScenario(page);
    await page.mouse.move(p.x, p.y, { steps: 6 });
    await page.mouse.move(p.x - 50, p.y, { steps: 4 });
    assert.deepEqual(await getScenario(page), released, '(c) the gesture ended with the release outside');
    await assertValid(page, '(c) released outside the window');

    // (d) a rubber-band message drag abandoned with Escape adds nothing.
    const before = await getScenario(page);
    const from = await pointOnLane(page, 0, 820);
    const to = await pointOnLane(page, 1, 900);
    await drag(page, from, to, { release: false });
    await page.keyboard.press('Escape');
    await page.mouse.up();
    assert.deepEqual(await getScenario(page), before, '(d) Escape abandoned the message');
    await assertValid(page, '(d) Escape');
    // And the same gesture completed does add it (the lanes were right).
    await drag(page, from, to);
    assert.equal((await getScenario(page)).messages.length, before.messages.length + 1, 'a completed drag sends');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// ------------------------------------------------------------ crash banner

test('crash banner: the wasm fails to load, #fatal explains, and its button reopens the autosave', async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    // An autosave, made by a real edit (a double-click on C's line).
    const first = await openInstrumented(context, app.url);
    const spot = await pointOnLane(first.page, 2, 680); // C@680 is free
    await first.page.mouse.dblclick(spot.x, spot.y);
    const { autosave } = await settled(first.page);
    const saved = await getScenario(first.page);
    assert.equal(saved.events.length, 6, 'the double-click added an event');
    assert.deepEqual(first.errors, []);
    await first.page.close();

    const probe = await openInstrumented(context, app.url, { navigate: false });
    const { page } = probe;
    await page.route('**/hlcviz_bg.wasm', (route) => route.abort());
    await page.goto(app.url, { waitUntil: 'load' });
    const banner = page.locator('#fatal');
    await banner.waitFor({ state: 'visible', timeout: 10_000 });
    const text = (plain(await page.locator('#fatal-text').innerText())).trim();
    const [, why] = text.match(/^The visualizer hit an error and stopped: (.*)\n/) ?? [];
    assert.ok(why && why.trim().length >= 5, `#fatal-text does not say what went wrong: ${JSON.stringify(text)}`);
    assert.match(text, /Your work is saved in My scenarios after every change; reload it to carry on\.$/);
    assert.equal(await page.locator('#fatal-reload').isVisible(), true);
    assert.equal(await page.evaluate(() => window.hlcviz?.ready ?? null), null, 'no API without the wasm');
    await screenshot(page, 'fatal-banner');
    // The only problems are the aborted wasm request and what it caused.
    assert.ok(
      probe.errors.every((e) => /hlcviz_bg\.wasm|Failed to fetch|net::ERR_FAILED/.test(e)),
      JSON.stringify(probe.errors),
    );

    await page.unroute('**/hlcviz_bg.wasm');
    probe.errors.length = 0;
    await Promise.all([page.waitForEvent('load'), page.click('#fatal-reload')]);
    await until(() => page.evaluate(() => window.hlcviz?.ready === true), { timeout: 10_000, what: 'the reloaded page' });
    assert.deepEqual(await getScenario(page), saved, 'the autosaved scenario is back');
    assert.equal(await page.evaluate(() => location.hash), `#${autosave}`);
    assert.equal(await banner.isVisible(), false);
    assert.deepEqual(probe.errors, []);
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------- storage quota

test('localStorage full: the save failure is a notice, not an error, and the page keeps working', async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const { page, errors, dialogs } = await openInstrumented(context, app.url);
    const filled = await page.evaluate((key) => {
      let stored = 0;
      let k = 0;
      for (let chunk = 1 << 20; chunk >= 1; chunk >>= 1) {
        const text = 'x'.repeat(chunk);
        for (;;) {
          try {
            localStorage.setItem(`fill.${k++}`, text);
            stored += chunk;
          } catch (e) {
            if (e.name !== 'QuotaExceededError') throw e;
            break;
          }
        }
      }
      return { stored, autosave: new Function(`return (${key})()`)() };
    }, latestSavedLink.toString());
    assert.ok(filled.stored > 1_000_000, `only ${filled.stored} characters fitted`);
    assert.equal(filled.autosave, null);

    // An edit: a double-click on B's line (B@560 is free).
    const spot = await pointOnLane(page, 1, 560);
    await page.mouse.dblclick(spot.x, spot.y);
    const edited = await getScenario(page);
    assert.equal(edited.events.length, 6);
    await page.waitForTimeout(600);
    const state = await page.evaluate((k) => ({
      notice: document.getElementById('notice').hidden ? null : document.getElementById('notice-text').textContent.replace(/[\u2066-\u2069]/g, ''),
      autosave: new Function(`return (${k})()`)(),
      hash: location.hash,
    }), latestSavedLink.toString());
    assert.match(state.notice ?? '', /^Could not save to My scenarios: browser storage is full \(QuotaExceededError\)\. The scenario is still in the link; delete old scenarios in My scenarios, or use Copy link or Export to keep it\.$/);
    assert.equal(state.autosave, null);
    assert.equal(state.hash, `#${encodeLink(edited)}`, 'the link holds the edit');

    // Still working: another edit (Shift+ArrowRight on the new, selected event) applies.
    await page.focus('#diagram');
    await page.keyboard.press('Shift+ArrowRight');
    const moved = await getScenario(page);
    assert.notDeepEqual(moved, edited, 'the second edit applied');
    await assertValid(page, 'with storage full');
    await until(async () => (await page.evaluate(() => location.hash)) === `#${encodeLink(moved)}`, { what: 'the link to follow' });

    // Room again: the next edit is autosaved (setScenario above dropped the selection).
    await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fill.')).forEach((k) => localStorage.removeItem(k)));
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    const { autosave } = await settled(page);
    assert.equal(autosave, encodeLink(await getScenario(page)));
    assert.deepEqual(errors, []);
    assert.deepEqual(dialogs, []);
  } finally {
    await context.close();
  }
});
