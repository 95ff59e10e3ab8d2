// Touch on a phone-sized page (390 x 844, hasTouch, isMobile), with real touch
// input sent through the DevTools protocol (Input.dispatchTouchEvent): pinch,
// two-finger pan, one-finger swipes, taps and double taps. Checked through
// window.hlcviz and what the page shows.
//
// Default scenario (src/app.rs default_scenario): nodes A, B, C; local events
// A@100, C@300, A@450, B@700, C@760; messages m0 A@200 -> B@260,
// m1 B@300 -> A@380, m2 A@520 -> C@640.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenshot, useApp, waitForApp } from './harness.mjs';
import { frames, geometry, getScenario, plain, pointOfEvent, pointOnLane, selection, toPage, until } from './ui.mjs';

const PHONE = { width: 390, height: 844 };
const app = useApp({ viewport: PHONE, context: { hasTouch: true, isMobile: true } });

const A = 0;
const B = 1;

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Fingers on the touch screen through CDP. Each call sends every finger that
 * is down (CDP diffs them against the last event: a finger left out lifts).
 */
async function touchScreen(page) {
  const cdp = await page.context().newCDPSession(page);
  const send = (type, points) =>
    cdp.send('Input.dispatchTouchEvent', {
      type,
      touchPoints: points.map((p, k) => ({ x: p.x, y: p.y, id: p.id ?? k, radiusX: 4, radiusY: 4, force: 1 })),
    });
  return {
    start: (points) => send('touchStart', points),
    move: (points) => send('touchMove', points),
    end: () => send('touchEnd', []),
    /** Moves every finger from `from` to `to` in `steps` even steps. */
    async slide(from, to, steps = 8) {
      for (let s = 1; s <= steps; s++) {
        await send(
          'touchMove',
          from.map((p, k) => ({
            id: p.id ?? k,
            x: p.x + ((to[k].x - p.x) * s) / steps,
            y: p.y + ((to[k].y - p.y) * s) / steps,
          })),
        );
      }
    },
    async tap(p) {
      await send('touchStart', [p]);
      await send('touchEnd', []);
    },
  };
}

/** A page point of empty plot space: halfway between lines A and B at `ms`. */
async function emptyAt(page, ms) {
  const a = await pointOnLane(page, A, ms);
  const b = await pointOnLane(page, B, ms);
  return { x: a.x, y: Math.round((a.y + b.y) / 2) };
}

const visibleTime = (page) => page.evaluate(() => window.hlcviz.visibleTime());
const noticeShown = (page) => page.evaluate(() => !document.getElementById('notice').hidden);

test('pinching out zooms time in around the fingers; a two-finger drag pans; neither edits', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const before = await getScenario(page);
    const fingers = await touchScreen(page);
    const view0 = await visibleTime(page);
    const mid = await emptyAt(page, 500);
    const geom = await geometry(page);
    const midMs = (x) => (x - geom.box.x - geom.x0) / geom.pxPerMs;
    const timeAtMid = midMs(mid.x);

    const from = [{ x: mid.x - 40, y: mid.y }, { x: mid.x + 40, y: mid.y + 10 }];
    const to = [{ x: mid.x - 100, y: mid.y - 5 }, { x: mid.x + 100, y: mid.y + 15 }];
    await fingers.start(from);
    await fingers.slide(from, to);
    await fingers.end();
    const view1 = await visibleTime(page);
    const span0 = view0.endMs - view0.startMs;
    const span1 = view1.endMs - view1.startMs;
    assert.ok(span1 < span0 * 0.5, `the visible span shrinks with the spread: ${span0} -> ${span1} ms`);
    // The time between the fingers stays between them.
    const after = await geometry(page);
    const stays = (mid.x - after.box.x - after.x0) / after.pxPerMs;
    assert.ok(Math.abs(stays - timeAtMid) < 0.05 * span1, `midpoint time ${timeAtMid} -> ${stays}`);

    // Two fingers sliding 80 px left move the picture left by as much.
    const pan = [{ x: mid.x - 50, y: mid.y }, { x: mid.x + 50, y: mid.y }];
    const panned = pan.map((p) => ({ x: p.x - 80, y: p.y + 20 }));
    await fingers.start(pan);
    await fingers.slide(pan, panned);
    await fingers.end();
    const view2 = await visibleTime(page);
    const msPerPx = span1 / (after.box.width - 112 - 16);
    assert.ok(
      Math.abs(view2.startMs - view1.startMs - 80 * msPerPx) < 2 * msPerPx,
      `panned by ${(view2.startMs - view1.startMs) / msPerPx} px, wanted 80`,
    );
    assert.ok(Math.abs((view2.endMs - view2.startMs) - span1) < 1e-6 * span1, 'a pure pan keeps the zoom');

    assert.deepEqual(await getScenario(page), before, 'no edit');
    assert.equal(await noticeShown(page), false, 'no notice');
    assert.deepEqual(errors, []);
  });
});

test('a pinch whose first finger lands on a line makes no message and no notice', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const before = await getScenario(page);
    const fingers = await touchScreen(page);
    const onB = await pointOnLane(page, B, 420);
    const onA = await pointOnLane(page, A, 560);
    // The first finger wanders far enough to start a rubber band...
    await fingers.start([{ x: onB.x, y: onB.y, id: 1 }]);
    await fingers.slide([{ x: onB.x, y: onB.y, id: 1 }], [{ x: onB.x + 10, y: onB.y - 30 }], 4);
    // ...then the second finger lands on A's line and the two spread.
    const from = [{ x: onB.x + 10, y: onB.y - 30, id: 1 }, { x: onA.x, y: onA.y, id: 2 }];
    await fingers.start(from);
    await fingers.slide(from, [{ x: onB.x - 30, y: onB.y }, { x: onA.x + 40, y: onA.y - 20 }]);
    // Lift the second finger first, then move and lift the first: nothing starts.
    await fingers.move([{ x: onB.x - 30, y: onB.y, id: 1 }]);
    await fingers.move([{ x: onB.x - 60, y: onB.y - 90, id: 1 }]);
    await fingers.end();
    await frames(page);
    assert.deepEqual(await getScenario(page), before, 'no message, no move');
    assert.equal(await page.evaluate(() => window.hlcviz.lastNotice()), null, 'no notice');
    assert.equal(await noticeShown(page), false);
    assert.deepEqual(errors, []);
  });
});

test('a one-finger vertical swipe on empty canvas scrolls the page; a sideways one pans time', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const tall = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
    assert.ok(tall > 300, `the page is taller than the phone's viewport (by ${tall} px)`);
    const before = await getScenario(page);
    const view0 = await visibleTime(page);
    const fingers = await touchScreen(page);
    const p = await emptyAt(page, 600);
    assert.equal(await page.evaluate(() => window.scrollY), 0);
    await fingers.start([p]);
    await fingers.slide([p], [{ x: p.x + 6, y: p.y - 200 }], 10);
    await fingers.end();
    const scrolled = await page.evaluate(() => window.scrollY);
    assert.ok(Math.abs(scrolled - 200) <= 2, `the page scrolled with the finger: scrollY ${scrolled}`);
    assert.deepEqual(await visibleTime(page), view0, 'the diagram did not pan');

    // Back down: the finger drags the page the other way.
    const q = await emptyAt(page, 600);
    await fingers.start([q]);
    await fingers.slide([q], [{ x: q.x, y: q.y + 120 }], 6);
    await fingers.end();
    const back = await page.evaluate(() => window.scrollY);
    assert.ok(Math.abs(back - 80) <= 2, `scrollY ${back}, wanted 80`);

    // Sideways: time pans, the page stays.
    const r = await emptyAt(page, 600);
    await fingers.start([r]);
    await fingers.slide([r], [{ x: r.x - 90, y: r.y + 10 }], 6);
    await fingers.end();
    const view1 = await visibleTime(page);
    assert.ok(view1.startMs > view0.startMs, `later times came in: ${view0.startMs} -> ${view1.startMs}`);
    assert.equal(await page.evaluate(() => window.scrollY), back, 'the page did not scroll');
    assert.deepEqual(await getScenario(page), before, 'no edit');
    assert.deepEqual(errors, []);
  });
});

/**
 * Waits for the sheet to show an explanation matching `words`, and checks the
 * event's dot is on screen above the sheet. Returns the sheet's box.
 */
async function assertSheetShows(page, kind, index, words) {
  await page.locator('#event-sheet').waitFor({ state: 'visible', timeout: 5_000 });
  assert.match(plain(await page.locator('#event-sheet-body').innerText()), words);
  await frames(page);
  const box = await page.locator('#event-sheet').boundingBox();
  const dot = await pointOfEvent(page, kind, index);
  assert.ok(dot.y > 0 && dot.y + 6 < box.y, `the event (y ${dot.y}) is above the sheet (top ${box.y})`);
  return box;
}

test('a tap on an event opens the sheet with its explanation, the event stays in view; close and Escape close it', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const sheet = page.locator('#event-sheet');
    assert.equal(await sheet.isVisible(), false);
    const fingers = await touchScreen(page);
    // C's last local event (C@760), on the lowest line: under where the sheet opens.
    const dot = await pointOfEvent(page, 'local', 4);
    await fingers.tap(dot);
    const box = await assertSheetShows(page, 'local', 4, /C: local event e4\s+real time 760 ms[^]*HLC \(\d+, \d+\)[^]*Why: /);
    assert.deepEqual(await selection(page), { kind: 'local', index: 4 });
    assert.equal(await sheet.getAttribute('role'), 'dialog');
    assert.equal(await sheet.getAttribute('aria-label'), 'Selected event');
    assert.ok(box.height <= 0.46 * 844, `at most ~45% of the viewport: ${box.height}`);
    assert.ok(Math.abs(box.y + box.height - 844) < 1, 'along the bottom edge');
    await screenshot(page, 'touch-sheet-open');

    await page.locator('#event-sheet-close').click();
    await sheet.waitFor({ state: 'hidden', timeout: 2_000 });
    assert.deepEqual(await selection(page), { kind: 'local', index: 4 }, 'closing keeps the selection');

    // Another tap opens it again; Escape closes it (and clears the selection).
    const again = await pointOfEvent(page, 'local', 4);
    await fingers.tap(again);
    await sheet.waitFor({ state: 'visible', timeout: 2_000 });
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden', timeout: 2_000 });

    // A tap on empty canvas clears the selection and so closes it.
    const third = await pointOfEvent(page, 'local', 3);
    await fingers.tap(third);
    await assertSheetShows(page, 'local', 3, /B: local event e3/);
    await pause(400); // not a double tap
    await fingers.tap(await emptyAt(page, 600));
    await sheet.waitFor({ state: 'hidden', timeout: 2_000 });
    assert.equal(await selection(page), null);

    // A mouse click selects without the sheet (the side panel explains).
    const byMouse = await pointOfEvent(page, 'local', 0);
    await page.mouse.click(byMouse.x, byMouse.y);
    assert.deepEqual(await selection(page), { kind: 'local', index: 0 });
    await frames(page);
    assert.equal(await sheet.isVisible(), false, 'a mouse click does not open the sheet');
    assert.deepEqual(errors, []);
  });
});

test('a tap on an event low on a tall diagram scrolls the page so the sheet does not cover it', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await page.click('#hints-close'); // the lines use the whole diagram
    await page.evaluate(() => window.hlcviz.setScenario({
      nodes: ['P', 'Q', 'R', 'S', 'T'].map((name) => ({ name })),
      events: [{ node: 0, at_ms: 100 }, { node: 4, at_ms: 400 }],
    }));
    await frames(page);
    const dot = await pointOfEvent(page, 'local', 1);
    assert.ok(dot.y > 844 * 0.6, `the event starts low on the screen (y ${dot.y})`);
    const fingers = await touchScreen(page);
    await fingers.tap(dot);
    await assertSheetShows(page, 'local', 1, /T: local event e1/);
    assert.ok(await page.evaluate(() => window.scrollY) > 0, 'the page scrolled');
    await screenshot(page, 'touch-sheet-scrolled');
    assert.deepEqual(errors, []);
  });
});

test('a double tap on a line adds one local event there', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const before = await getScenario(page);
    const fingers = await touchScreen(page);
    const at = await pointOnLane(page, B, 560);
    await fingers.tap(at);
    await pause(80);
    await fingers.tap({ x: at.x, y: at.y + 2 }); // a finger lands a little off
    const after = await until(async () => {
      const s = await getScenario(page);
      return s.events.length > before.events.length ? s : null;
    }, { what: 'an added event' });
    await pause(300); // a second (browser dblclick) addition would have landed by now
    const settled = await getScenario(page);
    assert.equal(settled.events.length, before.events.length + 1, 'exactly one event added');
    const added = after.events.at(-1);
    assert.equal(added.node, B);
    assert.ok(Math.abs(added.at_ms - at.ms) <= 1, `at ${added.at_ms} ms, wanted ${at.ms}`);
    assert.deepEqual(settled.messages, before.messages);
    assert.deepEqual(errors, []);
  });
});

test('the help on a touch screen lists the touch gestures first', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const fingers = await touchScreen(page);
    const button = await page.locator('#help-button').boundingBox();
    await fingers.tap({ x: button.x + button.width / 2, y: button.y + button.height / 2 });
    const help = page.locator('#help');
    await help.waitFor({ state: 'visible', timeout: 2_000 });
    const touchRows = page.locator('#help-touch');
    assert.equal(await touchRows.isVisible(), true);
    const text = plain(await touchRows.innerText());
    for (const gesture of [/Tap an event/, /Double-tap a node line/, /Pinch/, /two fingers/, /Swipe/]) {
      assert.match(text, gesture);
    }
    const all = plain(await page.locator('#help-table').innerText());
    assert.ok(all.indexOf('Pinch') < all.indexOf('Double-click'), 'touch rows come first');
    await screenshot(page, 'touch-help');
    assert.deepEqual(errors, []);
  });
});

test('with a mouse only, the help lists no touch gestures', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await page.locator('#help-button').click();
    await page.locator('#help').waitFor({ state: 'visible', timeout: 2_000 });
    assert.equal(await page.locator('#help-touch').isVisible(), false);
    assert.equal(await page.locator('#help-mouse').isVisible(), true);
    assert.deepEqual(errors, []);
  }, { viewport: { width: 1280, height: 800 }, context: { hasTouch: false, isMobile: false } });
});
