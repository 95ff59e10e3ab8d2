// The diagram is the page: layout, first use, hover feedback, presentation
// mode, playback with a scrubber, editing feel and accessibility, driven as a
// person would (real mouse, keys, slider and URL).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useApp, waitForApp, screenshot } from './harness.mjs';
import { clickAt, drag, getScenario, openPreset, pointOfEvent, pointOnLane, selection, until } from './ui.mjs';

const app = useApp();

const view = (page) => page.evaluate(() => window.hlcviz.view());

/** The canvas's share of the window (the part of it inside the window). */
const canvasShare = (page) => page.evaluate(() => {
  const r = document.getElementById('diagram').getBoundingClientRect();
  const w = Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0));
  const h = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
  return (w * h) / (innerWidth * innerHeight);
});

const box = (page, selector) => page.locator(selector).evaluate((el) => {
  const r = el.getBoundingClientRect();
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
});

/** Opens a pane of the drawer by its tab, as a person would. */
const openPane = (page, name) => page.click(`#tab-${name}`);

for (const [width, height] of [[1280, 800], [1920, 1080]]) {
  test(`layout at ${width}x${height}: the canvas fills the window from its height, the toolbar is one row, panels never move the diagram`, async (t) => {
    await app.withPage(t, async (page, errors) => {
      await waitForApp(page);
      // One row of tools: every toolbar control shares the first one's line.
      const tops = await page.$$eval('.toolbar button:not([hidden]), .toolbar select', (els) =>
        els.map((e) => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2)));
      assert.ok(Math.max(...tops) - Math.min(...tops) <= 4, `toolbar on one row: centres ${tops}`);
      // With the drawer closed the canvas covers at least 70% of the window.
      await page.click('#toggle-drawer');
      await until(async () => (await canvasShare(page)) >= 0.7, { what: 'canvas grows when the drawer closes' });
      const closed = await canvasShare(page);
      const stage = await box(page, '#diagram');
      assert.ok(stage.bottom <= height, 'the whole canvas is in the window');
      t.diagnostic(`canvas share with panels closed: ${(closed * 100).toFixed(1)}%`);
      // The canvas's height comes from the window, not from the node count.
      const before = (await view(page)).height;
      await page.evaluate(() => window.hlcviz.setScenario({ nodes: [{ name: 'A' }, { name: 'B' }], events: [], messages: [] }));
      await until(async () => Math.abs((await view(page)).height - before) < 1, { what: 'same height for 2 nodes' });
      await page.click('#toggle-drawer');
      await until(async () => (await canvasShare(page)) < closed, { what: 'drawer opens again' });
      // Using any panel leaves the diagram where it is, in view.
      const diagram = await box(page, '#diagram');
      for (const pane of ['clocks', 'event', 'checks', 'snapshot', 'scenarios', 'share']) {
        await openPane(page, pane);
        await page.locator(`#pane-${pane} section`).last().scrollIntoViewIfNeeded();
        assert.deepEqual(await box(page, '#diagram'), diagram, `the diagram stays put while ${pane} is used`);
      }
      assert.deepEqual(errors, []);
    }, { viewport: { width, height } });
  });
}

test('first use: a title and one sentence say what HLC is; hints fade as each is done, stay gone after a reload, and come back from Help; a legend explains the marks', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    assert.match(await page.locator('h1').innerText(), /HLC visualizer/);
    assert.match(await page.locator('.tagline').innerText(), /Hybrid Logical Clocks/);
    const legend = await page.locator('#legend').innerText();
    for (const key of ['local event', 'send', 'receive', 'message', 'pt back', '(l, c)']) {
      assert.ok(legend.includes(key), `legend names ${key}`);
    }
    const hints = page.locator('#hints');
    assert.ok(await hints.isVisible(), 'first visit: hints show');
    const done = () => page.$$eval('#hints-list li.done', (els) => els.map((e) => e.dataset.hint));
    assert.deepEqual(await done(), []);
    // The hints never cover a node line: the lines make room for them.
    const card = await box(page, '#hints');
    const canvas = await box(page, '#diagram');
    const lastLane = await page.evaluate(() => window.hlcviz.laneY(2));
    assert.ok(canvas.top + lastLane + 20 < card.top, `last line (${lastLane}) above the hints (${card.top - canvas.top})`);

    // 1. Double-click a line.
    const spot = await pointOnLane(page, 2, 420);
    await page.mouse.dblclick(spot.x, spot.y);
    await until(async () => (await done()).includes('add'), { what: 'add hint done' });
    // 2. Drag a message from A to C.
    await drag(page, await pointOnLane(page, 0, 700), await pointOnLane(page, 2, 760));
    await until(async () => (await done()).includes('send'), { what: 'send hint done' });
    assert.ok(await hints.isVisible(), 'one hint left: still shown');
    // 3. A skew slider, dragged with the mouse.
    await page.click('#tab-clocks');
    const slider = page.locator('.skew-slider[data-node="2"]');
    const s = await slider.boundingBox();
    await page.mouse.move(s.x + s.width / 2, s.y + s.height / 2);
    await page.mouse.down();
    await page.mouse.move(s.x + s.width * 0.8, s.y + s.height / 2, { steps: 5 });
    await page.mouse.up();
    await until(async () => !(await hints.isVisible()), { what: 'all done: the hints go' });
    await page.reload();
    await waitForApp(page);
    assert.equal(await hints.isVisible(), false, 'done hints stay gone on the next visit');
    await page.keyboard.press('?');
    await page.click('#hints-again');
    await until(() => hints.isVisible(), { what: 'Help brings the hints back' });
    assert.deepEqual(await done(), []);
    await page.click('#hints-close');
    assert.equal(await hints.isVisible(), false, 'the close button hides them');
    assert.deepEqual(errors, []);
  });
});

test('hover: the cursor says what a press would do (move an event, draw on a line, snapshot on the axis, pan empty space)', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const canvas = page.locator('#diagram');
    const cursorAt = async (p) => {
      await page.mouse.move(p.x, p.y);
      return canvas.evaluate((el) => [el.dataset.affordance, getComputedStyle(el).cursor]);
    };
    assert.deepEqual(await cursorAt(await pointOfEvent(page, 'local', 0)), ['move', 'grab']);
    assert.deepEqual(await cursorAt(await pointOnLane(page, 1, 450)), ['lane', 'crosshair']);
    const axis = await pointOnLane(page, 0, 450);
    const top = (await canvas.boundingBox()).y;
    assert.deepEqual(await cursorAt({ x: axis.x, y: top + 15 }), ['snapshot', 'pointer']);
    const lane0 = await pointOnLane(page, 0, 450);
    const lane1 = await pointOnLane(page, 1, 450);
    assert.deepEqual(await cursorAt({ x: lane0.x, y: (lane0.y + lane1.y) / 2 + 30 }), ['pan', 'grab']);
    // While a message is drawn the cursor stays a crosshair.
    const from = await pointOnLane(page, 1, 450);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 20, from.y + 40, { steps: 4 });
    assert.equal(await canvas.evaluate((el) => el.dataset.affordance), 'sending');
    await page.keyboard.press('Escape');
    await page.mouse.up();
    assert.deepEqual(errors, []);
  });
});

test('presentation mode: P and the Present button hide the panels and toolbar; Esc, P and Exit leave it', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const panelShown = () => page.locator('#panel').isVisible();
    assert.ok(await panelShown());
    await page.locator('#diagram').focus();
    await page.keyboard.press('p');
    await until(async () => (await view(page)).presentation, { what: 'P enters presentation mode' });
    assert.equal(await panelShown(), false, 'panels hidden');
    assert.equal(await page.locator('.toolbar').isVisible(), false, 'toolbar hidden');
    assert.ok(await canvasShare(page) > 0.8, 'the diagram takes the room');
    await screenshot(page, 'presentation-1280x800');
    await page.keyboard.press('Escape');
    await until(async () => !(await view(page)).presentation, { what: 'Esc leaves it' });
    assert.ok(await panelShown());
    await page.click('#present');
    await until(async () => (await view(page)).presentation, { what: 'the button enters it' });
    await page.click('#present-exit');
    await until(async () => !(await view(page)).presentation, { what: 'Exit leaves it' });
    assert.deepEqual(errors, []);
  });
});

test('playback: the scrubber sweeps the time axis; dragging it seeks; the end and Stop restore the whole view; Play/Pause never shifts the toolbar', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await page.click('#zoom-in');
    await page.click('#zoom-in');
    const zoomed = await view(page);
    const toolbar = async () => page.$$eval('.toolbar button', (els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
    const before = await toolbar();
    const scrubber = page.locator('#scrubber');
    assert.equal(await scrubber.isVisible(), false, 'no scrubber before playback');
    await page.click('#play');
    await until(() => scrubber.isVisible(), { what: 'scrubber shows' });
    assert.deepEqual(await toolbar(), before, 'Pause takes the room Play took');
    const playing = await view(page);
    assert.ok(playing.end_ms - playing.start_ms > zoomed.end_ms - zoomed.start_ms, 'play shows the whole execution');
    // The scrubber lies along the axis, from the first event to the last.
    const trace = await page.evaluate(() => window.hlcviz.getTrace());
    const times = trace.events.map((e) => e.real_ms);
    const [first, last] = [Math.min(...times), Math.max(...times)];
    const sb = await scrubber.boundingBox();
    const cv = await page.locator('#diagram').boundingBox();
    const xFirst = cv.x + await page.evaluate((ms) => window.hlcviz.xOfTime(ms), first);
    const xLast = cv.x + await page.evaluate((ms) => window.hlcviz.xOfTime(ms), last);
    assert.ok(Math.abs(sb.x + 8 - xFirst) < 2 && Math.abs(sb.x + sb.width - 8 - xLast) < 2, 'scrubber spans the events on the axis');
    // Drag its thumb to the middle: the cursor goes there and playback pauses.
    await page.click('#play'); // pause
    const mid = (first + last) / 2;
    const thumb = await view(page);
    const fromX = sb.x + 8 + ((thumb.playback.cursor_ms - first) / (last - first)) * (sb.width - 16);
    await page.mouse.move(fromX, sb.y + sb.height / 2);
    await page.mouse.down();
    await page.mouse.move(sb.x + sb.width / 2, sb.y + sb.height / 2, { steps: 6 });
    await page.mouse.up();
    const sought = await view(page);
    assert.ok(Math.abs(sought.playback.cursor_ms - mid) <= (last - first) * 0.03, `seek to the middle: ${sought.playback.cursor_ms} vs ${mid}`);
    assert.equal(sought.playback.playing, false);
    // Stop: no cursor, no scrubber, the whole view.
    await page.click('#stop');
    assert.equal((await view(page)).playback, null);
    assert.equal(await scrubber.isVisible(), false);
    // Played to the end at 5 s/s: the same.
    await page.selectOption('#speed', '5000');
    await page.click('#play');
    await until(async () => (await view(page)).playback === null, { timeout: 5_000, what: 'the end stops playback' });
    assert.equal(await scrubber.isVisible(), false);
    const end = await view(page);
    assert.ok(end.start_ms <= first && end.end_ms >= last, 'the end shows every event');
    assert.deepEqual(errors, []);
  });
});

test('editing feel: new events snap to round times (Alt: exact); a new event does not switch to causal colours; a click does', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    const snap = (await view(page)).snap_ms;
    assert.ok(snap >= 1);
    const count = async () => (await getScenario(page)).events.length;
    const n0 = await count();
    const at = await pointOnLane(page, 2, 437.3);
    await page.mouse.dblclick(at.x, at.y);
    await until(async () => (await count()) === n0 + 1, { what: 'event added' });
    let s = await getScenario(page);
    assert.equal(s.events[n0].at_ms % snap, 0, `snapped to ${snap} ms: ${s.events[n0].at_ms}`);
    assert.equal((await view(page)).causal, false, 'no causal colouring after adding');
    assert.ok(await selection(page), 'the new event is selected (Delete removes it)');
    // Alt held: the exact time under the pointer.
    const exact = await pointOnLane(page, 2, 773);
    await page.keyboard.down('Alt');
    await page.mouse.dblclick(exact.x, exact.y);
    await page.keyboard.up('Alt');
    await until(async () => (await count()) === n0 + 2, { what: 'second event added' });
    s = await getScenario(page);
    const t2 = s.events[n0 + 1].at_ms;
    assert.ok(Math.abs(t2 - 773) <= Math.max(2, (await view(page)).ms_per_px), `Alt: exact time ${t2}`);
    // A click on an event shows its causal past and future.
    await clickAt(page, await pointOfEvent(page, 'local', 0));
    assert.equal((await view(page)).causal, true);
    assert.ok(await page.locator('#legend .key.causal').isVisible(), 'the legend explains the colours');
    assert.deepEqual(errors, []);
  });
});

test('skew: the slider is finest near zero, arrow keys step 1 ms, and a preset opens on one click with the clock its caption names', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    await page.evaluate(() => window.hlcviz.setScenario({ nodes: [{ name: 'A' }, { name: 'B' }], events: [], messages: [] }));
    await page.click('#tab-clocks');
    const slider = page.locator('.skew-slider[data-node="1"]');
    const b = await slider.boundingBox();
    const y = b.y + b.height / 2;
    const centre = b.x + b.width / 2;
    await page.mouse.move(centre, y);
    await page.mouse.down();
    await page.mouse.move(centre + 10, y, { steps: 5 });
    await page.mouse.up();
    const near = (await getScenario(page)).nodes[1].skew_ms ?? 0;
    assert.ok(near > 0 && near <= 10, `10 px from the centre is a few ms: ${near}`);
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    assert.equal((await getScenario(page)).nodes[1].skew_ms, near + 1, 'ArrowRight: +1 ms');
    await page.mouse.move(centre, y);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width - 2, y, { steps: 8 });
    await page.mouse.up();
    const far = (await getScenario(page)).nodes[1].skew_ms;
    assert.ok(far >= 900, `the far end reaches a second: ${far}`);

    await page.click('#tab-scenarios');
    await page.click('#preset-list button[data-preset="message-loop"]');
    await until(async () => (await getScenario(page)).messages.length > 0, { what: 'preset opened on one click' });
    assert.equal(await page.inputValue('#clock-view'), 'naive', 'its caption talks about naive l: the labels show it');
    assert.equal((await view(page)).clock_view, 'naive');
    assert.deepEqual(errors, []);
  });
});

test('accessibility: a visible focus ring on the canvas; T opens the table from the canvas; reduced motion turns transitions off', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await waitForApp(page);
    await page.keyboard.press('Tab');
    for (let k = 0; k < 40 && !(await page.evaluate(() => document.activeElement?.id === 'diagram')); k++) {
      await page.keyboard.press('Tab');
    }
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'diagram', 'the canvas is reachable with Tab');
    const ring = await page.locator('#diagram').evaluate((el) => {
      const s = getComputedStyle(el);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), offset: parseFloat(s.outlineOffset) };
    });
    assert.equal(ring.style, 'solid');
    assert.ok(ring.width >= 2 && ring.offset <= -ring.width, `the ring is drawn inside the canvas, never clipped: ${JSON.stringify(ring)}`);
    await page.keyboard.press('t');
    await until(() => page.locator('#table-view').isVisible(), { what: 'T shows the table' });
    const rows = await page.locator('#event-table-body tr').count();
    assert.equal(rows, (await page.evaluate(() => window.hlcviz.getTrace())).events.length, 'one row per event');
    const transition = await page.evaluate(() => {
      const li = document.querySelector('#hints-list li');
      return li ? getComputedStyle(li).transitionDuration : '0s';
    });
    assert.match(transition, /^0s/, 'reduced motion: no transitions');
    assert.deepEqual(errors, []);
  });
});

// The page as a person sees it, at a laptop, a desktop and a phone, in normal
// and presentation mode (target/screenshots/hero-*.png): no sideways scroll,
// the toolbar inside the window, the diagram the largest thing on it.
for (const [width, height, touch] of [[1280, 800, false], [1920, 1080, false], [390, 844, true]]) {
  test(`screenshots at ${width}x${height}: normal and presentation, nothing off-screen`, async (t) => {
    await app.withPage(t, async (page, errors) => {
      await waitForApp(page);
      const fits = () => page.evaluate(() => ({
        sideways: document.documentElement.scrollWidth - innerWidth,
        toolbar: [...document.querySelectorAll('.toolbar button:not([hidden]), .toolbar select')]
          .filter((e) => e.offsetParent !== null)
          .every((e) => { const r = e.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; }),
      }));
      const normal = await fits();
      assert.ok(normal.sideways <= 0, `no sideways scroll (${normal.sideways} px)`);
      assert.ok(normal.toolbar, 'every toolbar control is inside the window');
      await screenshot(page, `hero-${width}x${height}`);
      await openPreset(page, 'slow-fast');
      await page.click('#notice-close').catch(() => {});
      await screenshot(page, `hero-slow-fast-${width}x${height}`);
      if (touch) {
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        await screenshot(page, `hero-panels-${width}x${height}`);
        await page.evaluate(() => window.scrollTo(0, 0));
      }
      await page.locator('#diagram').focus();
      await page.keyboard.press('p');
      await until(async () => (await view(page)).presentation, { what: 'presentation mode' });
      await page.waitForTimeout(200);
      const presenting = await fits();
      assert.ok(presenting.sideways <= 0, `presentation: no sideways scroll (${presenting.sideways} px)`);
      await screenshot(page, `hero-presentation-${width}x${height}`);
      assert.deepEqual(errors, []);
    }, { viewport: { width, height }, context: touch ? { hasTouch: true, isMobile: true } : {} });
  });
}

test('contrast: every visible text on the page reaches 4.5:1 against what is behind it (the canvas text is checked natively in tests/labels.rs)', async (t) => {
  await app.withPage(t, async (page, errors) => {
    await waitForApp(page);
    // Some text in every state worth seeing: a selection, the Event pane, a notice.
    await clickAt(page, await pointOfEvent(page, 'local', 0));
    const worst = [];
    for (const pane of ['clocks', 'event', 'checks', 'snapshot', 'scenarios', 'share']) {
      await page.click(`#tab-${pane}`);
      worst.push(...await page.evaluate(() => {
        const parse = (c) => { const m = c.match(/[\d.]+/g) || ['0', '0', '0', '0']; return m.map(Number).concat(m.length < 4 ? [1] : []).slice(0, 4); };
        const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
        const over = (top, bottom) => [0, 1, 2].map((k) => top[k] * top[3] + bottom[k] * (1 - top[3]));
        const behind = (el) => {
          const layers = [];
          for (let e = el; e; e = e.parentElement) {
            const bg = parse(getComputedStyle(e).backgroundColor);
            if (bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) break; }
          }
          return layers.reverse().reduce((acc, layer) => over(layer, acc), [255, 255, 255]);
        };
        const opacity = (el) => { let o = 1; for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; };
        const out = [];
        for (const el of document.querySelectorAll('body *')) {
          const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
          if (!own || !el.checkVisibility?.() || el.closest('[hidden]')) continue;
          const r = el.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) continue;
          const fg = parse(getComputedStyle(el).color);
          const bg = behind(el);
          const seen = over([fg[0], fg[1], fg[2], fg[3] * opacity(el)], bg);
          const [a, b] = [lum(seen), lum(bg)].sort((x, y) => y - x);
          out.push({ ratio: (a + 0.05) / (b + 0.05), text: el.textContent.trim().slice(0, 40), id: el.id || el.className || el.tagName });
        }
        return out;
      }));
    }
    worst.sort((a, b) => a.ratio - b.ratio);
    t.diagnostic(`lowest page text contrast: ${worst[0].ratio.toFixed(2)}:1 (${worst[0].id}: "${worst[0].text}")`);
    const failing = worst.filter((w) => w.ratio < 4.5);
    assert.deepEqual(failing, [], 'text under 4.5:1');
    assert.deepEqual(errors, []);
  });
});
