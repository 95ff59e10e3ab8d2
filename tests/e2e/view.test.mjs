// Keyboard shortcuts, zoom (keys, buttons, wheel) and playback, used like a
// person would: real key presses, toolbar clicks, wheel turns over the canvas.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useApp, waitForApp } from './harness.mjs';
import { clickAt, dotPainted, frames, geometry, pointOnLane, selection, until, plain } from './ui.mjs';

const app = useApp();

/** Asserts the view zoomed by `factor` around canvas x `anchor` (± tol px) from `g0` to `g1`. */
function assertZoom(g0, g1, factor, what) {
  const ratio = g1.pxPerMs / g0.pxPerMs;
  assert.ok(Math.abs(ratio - factor) < 1e-6 * factor + 1e-9,
    `${what}: scale changed by ${ratio}, expected ${factor}`);
  // The fixed point x* with x1(t) = x* + (x0(t) - x*) * factor.
  return (g1.x0 - factor * g0.x0) / (1 - factor);
}

test('keyboard: ? and Escape toggle the help; arrows move the selection; + - F, buttons and the wheel zoom', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const help = page.locator('#help');
    assert.equal(await help.isVisible(), false);
    await page.keyboard.press('?');
    await help.waitFor({ state: 'visible', timeout: 2_000 });
    const rows = await page.locator('#help-table tr').count();
    assert.ok(rows >= 10, `help lists the gestures (${rows} rows)`);
    assert.match(plain(await help.innerText()), /Double-click a node line/);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden', timeout: 2_000 });
    await page.locator('#help-button').click();
    await help.waitFor({ state: 'visible', timeout: 2_000 });
    await page.locator('#help-close').click();
    await help.waitFor({ state: 'hidden', timeout: 2_000 });

    // Arrow keys walk the events; focus the diagram first by clicking empty space.
    const empty = await pointOnLane(page, 0, 650);
    await clickAt(page, { x: empty.x, y: empty.y + 45 });
    assert.equal(await selection(page), null);
    const steps = [
      ['ArrowRight', { kind: 'local', index: 0 }], // nothing selected: the first event (A@100)
      ['ArrowRight', { kind: 'send', index: 0 }], // next on A: send of m0 at 200
      ['ArrowDown', { kind: 'recv', index: 0 }], // B, nearest to 200: receive of m0 at 260
      ['ArrowDown', { kind: 'local', index: 1 }], // C, nearest to 260: C@300
      ['ArrowUp', { kind: 'send', index: 1 }], // B, nearest to 300: send of m1 at 300
      ['ArrowLeft', { kind: 'recv', index: 0 }], // previous on B
      ['ArrowLeft', { kind: 'recv', index: 0 }], // already B's first: stays
      ['ArrowUp', { kind: 'send', index: 0 }], // A, nearest to 260: send of m0 at 200
    ];
    for (const [key, want] of steps) {
      await page.keyboard.press(key);
      assert.deepEqual(await selection(page), want, `after ${key}`);
    }
    assert.match(plain(await page.locator('#details').innerText()), /A: send of message m0 to B/);
    await page.keyboard.press('Escape');
    assert.equal(await selection(page), null, 'Escape clears the selection');

    // Zoom with + and -, around the middle of the plot; F fits again.
    const fitted = await geometry(page);
    const plotMiddle = await page.evaluate(() => {
      const w = document.querySelector('#diagram').getBoundingClientRect().width;
      return 112 + (w - 112 - 16) / 2; // GUTTER + plot width / 2
    });
    await page.keyboard.press('+');
    const zoomedIn = await geometry(page);
    let anchor = assertZoom(fitted, zoomedIn, 1.25, '+');
    assert.ok(Math.abs(anchor - plotMiddle) < 3, `+ zooms around the middle (${anchor} vs ${plotMiddle})`);
    await page.keyboard.press('+');
    const twice = await geometry(page);
    assertZoom(zoomedIn, twice, 1.25, '+ again');
    await page.keyboard.press('-');
    assertZoom(twice, await geometry(page), 0.8, '-');
    await page.keyboard.press('F');
    assert.deepEqual(await geometry(page), fitted, 'F fits the view again');

    // The toolbar buttons.
    await page.locator('#zoom-in').click();
    assertZoom(fitted, await geometry(page), 1.25, '#zoom-in');
    await page.locator('#zoom-out').click();
    await page.locator('#zoom-out').click();
    const out = await geometry(page);
    assert.ok(Math.abs(out.pxPerMs / fitted.pxPerMs - 0.8) < 1e-9, '#zoom-out twice after #zoom-in');
    await page.locator('#fit').click();
    assert.deepEqual(await geometry(page), fitted, '#fit fits the view again');

    // The wheel zooms around the pointer: the time under it stays put.
    const at = await pointOnLane(page, 1, 500);
    const pointer = { x: at.x, y: at.y - 40 };
    await page.mouse.move(pointer.x, pointer.y, { steps: 4 });
    await page.mouse.wheel(0, -200);
    const wheeled = await until(async () => {
      const g = await geometry(page);
      return g.pxPerMs !== fitted.pxPerMs && g;
    }, { what: 'the wheel to zoom' });
    anchor = assertZoom(fitted, wheeled, Math.exp(200 * 0.0015), 'wheel up');
    assert.ok(Math.abs(anchor - (pointer.x - fitted.box.x)) < 0.5,
      `wheel zooms around the pointer (${anchor} vs ${pointer.x - fitted.box.x})`);
    await page.mouse.wheel(0, 200);
    const back = await until(async () => {
      const g = await geometry(page);
      return g.pxPerMs !== wheeled.pxPerMs && g;
    }, { what: 'the wheel to zoom out' });
    assert.ok(Math.abs(back.pxPerMs - fitted.pxPerMs) < 1e-9 && Math.abs(back.x0 - fitted.x0) < 1e-6,
      'wheel down undoes wheel up');
    // Shift+wheel pans.
    await page.keyboard.down('Shift');
    await page.mouse.wheel(0, 100);
    await page.keyboard.up('Shift');
    const panned = await until(async () => {
      const g = await geometry(page);
      return g.x0 !== back.x0 && g;
    }, { what: 'Shift+wheel to pan' });
    assert.ok(Math.abs(panned.pxPerMs / back.pxPerMs - 1) < 1e-9, 'Shift+wheel does not zoom');
    assert.ok(Math.abs(panned.x0 - back.x0 + 100) < 1e-6, `Shift+wheel pans 100 px (${back.x0} -> ${panned.x0})`);
    assert.deepEqual(errors, []);
  });
});

test('play: Play starts playback (button says Pause), later events are hidden until Stop', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const play = page.locator('#play');
    assert.match(plain(await play.innerText()), /Play/);
    await frames(page);
    // Every dot is painted before playback.
    const late = [['local', 3], ['local', 4]]; // B@700, C@760
    for (const [k, i] of [['local', 0], ...late]) assert.ok(await dotPainted(page, k, i), `${k} ${i} painted`);

    await play.click();
    assert.match(plain(await play.innerText()), /Pause/, 'button says Pause while playing');
    // The cursor starts at the first event (100 ms) and moves at 300 ms/s:
    // A@450 appears after ~1.2 s while B@700 and C@760 are still hidden.
    await until(() => dotPainted(page, 'local', 2), { timeout: 5_000, what: 'A@450 to appear' });
    for (const [k, i] of late) {
      assert.equal(await dotPainted(page, k, i), false, `${k} ${i} (beyond the cursor) is hidden`);
    }
    assert.ok(await dotPainted(page, 'local', 0), 'A@100 (before the cursor) is shown');

    // Pause: the cursor stops, so the late events stay hidden.
    await play.click();
    assert.match(plain(await play.innerText()), /Play/, 'button says Play when paused');
    await page.waitForTimeout(1_200);
    await frames(page);
    for (const [k, i] of late) assert.equal(await dotPainted(page, k, i), false, `${k} ${i} still hidden while paused`);

    // Stop: everything again.
    await page.locator('#stop').click();
    await frames(page);
    assert.match(plain(await play.innerText()), /Play/);
    for (const [k, i] of [['local', 0], ['local', 2], ...late]) {
      assert.ok(await dotPainted(page, k, i), `${k} ${i} shown after Stop`);
    }

    // Space bar plays and pauses too (with the diagram focused).
    const empty = await pointOnLane(page, 0, 650);
    await clickAt(page, { x: empty.x, y: empty.y + 45 });
    await page.keyboard.press(' ');
    assert.match(plain(await play.innerText()), /Pause/, 'Space starts playback');
    await page.keyboard.press(' ');
    assert.match(plain(await play.innerText()), /Play/, 'Space pauses');
    await page.locator('#stop').click();
    assert.deepEqual(errors, []);
  });
});
