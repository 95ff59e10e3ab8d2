// Helpers for driving the page the way a person does: real pointer gestures
// on canvas positions (found through window.hlcviz's geometry functions and
// the canvas's bounding box), real keys, and small readers of what the page
// shows. Not a test file (no `.test.` in its name).
import assert from 'node:assert/strict';
import { pageClocks, replay, label } from './model.mjs';

// Geometry of the page (src/layout.rs).
export const AXIS_BAND = 34;
export const GUTTER = 112;
export const RIGHT_MARGIN = 16;
export const EVENT_PICK_RADIUS = 10;
export const LANE_PICK_DISTANCE = 16;

/** The scenario, trace, selection and last notice, read through the JS API. */
export const getScenario = (page) => page.evaluate(() => window.hlcviz.getScenario());
export const getTrace = (page) => page.evaluate(() => window.hlcviz.getTrace());
export const selection = (page) => page.evaluate(() => window.hlcviz.selection());
export const lastNotice = (page) =>
  page.evaluate(() => window.hlcviz.lastNotice()?.replace(/[\u2066-\u2069]/g, '') ?? null);

/**
 * Where the canvas is and how it maps time: { box (page CSS px), x0 (canvas x
 * of real time 0), pxPerMs }.
 */
export async function geometry(page) {
  const box = await page.locator('canvas#diagram').boundingBox();
  assert.ok(box, 'canvas#diagram has no bounding box');
  const { x0, x1000, snapMs } = await page.evaluate(() => ({
    x0: window.hlcviz.xOfTime(0),
    x1000: window.hlcviz.xOfTime(1000),
    snapMs: window.hlcviz.view().snap_ms,
  }));
  assert.ok(Number.isFinite(x0) && x1000 > x0, `xOfTime is not increasing: ${x0} ${x1000}`);
  return { box, x0, pxPerMs: (x1000 - x0) / 1000, snapMs };
}

/** The time a press at real time `ms` makes: snapped to the grid of the
 *  zoom (`hlcviz.view().snap_ms`), as new events and message ends are. */
export function snapped(geom, ms) {
  const step = geom.snapMs || 1;
  return Math.max(0, Math.round(ms / step) * step);
}

/** Integer page coordinates of a canvas-relative point. */
export function toPage(geom, cx, cy) {
  return { x: Math.round(geom.box.x + cx), y: Math.round(geom.box.y + cy) };
}

/** The whole ms of real time the page reads under page x `px` (what the app computes). */
export function msAtPageX(geom, px) {
  return Math.round((px - geom.box.x - geom.x0) / geom.pxPerMs);
}

/** Page point on node `node`'s line at real time `ms`, and the ms a press
 *  there makes (snapped; `exactMs`: the whole ms under it, what Alt gives). */
export async function pointOnLane(page, node, ms) {
  const geom = await geometry(page);
  const y = await page.evaluate((n) => window.hlcviz.laneY(n), node);
  const p = toPage(geom, geom.x0 + ms * geom.pxPerMs, y);
  // A person can only aim at what is drawn: keep inside the plot area.
  const cx = p.x - geom.box.x;
  assert.ok(
    cx >= GUTTER && cx <= geom.box.width - RIGHT_MARGIN && y > AXIS_BAND && y < geom.box.height,
    `node ${node} at ${ms} ms is outside the visible plot (canvas x ${cx.toFixed(1)}, y ${y})`,
  );
  const exactMs = msAtPageX(geom, p.x);
  return { ...p, ms: snapped(geom, exactMs), exactMs, geom };
}

/** Page point of an event's dot ('local' | 'send' | 'recv', index). */
export async function pointOfEvent(page, kind, index) {
  const geom = await geometry(page);
  const pos = await page.evaluate(([k, i]) => window.hlcviz.eventPosition(k, i), [kind, index]);
  assert.ok(pos, `eventPosition(${kind}, ${index}) is null`);
  return { ...toPage(geom, pos.x, pos.y), geom };
}

/** A press-move-release drag with the mouse, moving in small steps. */
export async function drag(page, from, to, { steps = 12, release = true } = {}) {
  await page.mouse.move(from.x, from.y, { steps: 3 });
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps });
  if (release) await page.mouse.up();
}

/** A click the way a mouse makes one: move there, press, release. */
export async function clickAt(page, p) {
  await page.mouse.move(p.x, p.y, { steps: 3 });
  await page.mouse.down();
  await page.mouse.up();
}

/**
 * The colour of the canvas pixel at canvas-relative CSS point (cx, cy), as
 * [r, g, b, a] (read from the backing store, so HiDPI scaling is accounted for).
 */
export async function pixel(page, cx, cy) {
  return page.evaluate(
    ([x, y]) => {
      const canvas = document.querySelector('canvas#diagram');
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      const ctx = canvas.getContext('2d');
      return Array.from(ctx.getImageData(Math.round(x * scale), Math.round(y * scale), 1, 1).data);
    },
    [cx, cy],
  );
}

/** Whether a pixel is clearly coloured (not the white background, nor the
 *  faint grey grid lines). */
const inked = ([r, g, b]) => Math.min(r, g, b) < 200;

/**
 * Whether an event's dot is painted: 3 px and 6 px above its centre (inside
 * a filled dot, and on the ring of a send's hollow dot; both off the node
 * line and below the label) at least one pixel is clearly coloured.
 */
export async function dotPainted(page, kind, index) {
  const pos = await page.evaluate(([k, i]) => window.hlcviz.eventPosition(k, i), [kind, index]);
  assert.ok(pos, `eventPosition(${kind}, ${index}) is null`);
  return inked(await pixel(page, pos.x, pos.y - 3)) || inked(await pixel(page, pos.x, pos.y - 6));
}

/** Waits for the next two animation frames (the page paints on rAF). */
export const frames = (page) =>
  page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/**
 * Asserts the page's trace gives every event of its own scenario the HLC
 * timestamp (and pt) the independent Figure 5 replay computes. Returns the
 * model's clocks.
 */
export async function assertTraceMatchesModel(page, what = 'trace') {
  const [scenario, trace] = await page.evaluate(() => [
    window.hlcviz.getScenario(),
    window.hlcviz.getTrace(),
  ]);
  const expected = replay(scenario);
  const actual = pageClocks(trace);
  assert.equal(trace.format, 'hlcviz-trace/1');
  assert.equal(actual.size, expected.size, `${what}: number of events`);
  for (const [ref, want] of expected) {
    const got = actual.get(ref);
    assert.ok(got, `${what}: the page's trace has no event ${ref}`);
    assert.deepEqual(
      { ref, node: got.node, real: got.real, pt: got.pt, hlc: label(got) },
      { ref, node: want.node, real: want.real, pt: want.pt, hlc: label(want) },
      `${what}: event ${ref} differs from the Figure 5 replay`,
    );
  }
  // Replay order: real time, ties by node index.
  assert.deepEqual(
    trace.events.map((e) => `${e.event.kind}:${e.event.index}`),
    expected.order,
    `${what}: replay order`,
  );
  return expected;
}

/** The visible notice's text, asserting it is shown (not hidden, has a box). */
export async function visibleNotice(page) {
  const notice = page.locator('#notice');
  await notice.waitFor({ state: 'visible', timeout: 2_000 });
  assert.equal(await notice.getAttribute('hidden'), null, '#notice still has the hidden attribute');
  const box = await notice.boundingBox();
  const viewport = page.viewportSize();
  assert.ok(box && box.width > 0 && box.height > 0, '#notice has no size');
  assert.ok(
    box.y >= 0 && box.y + box.height <= viewport.height && box.x >= 0 && box.x + box.width <= viewport.width,
    `#notice is outside the viewport: ${JSON.stringify(box)}`,
  );
  return plain((await page.locator('#notice-text').textContent()).trim());
}

/** Text as a person reads it: without the invisible bidi isolates (U+2066 to
 *  U+2069) the page puts around every name (src/bidi.rs). */
export const plain = (text) => (text == null ? text : String(text).replace(/[\u2066-\u2069]/g, ''));

/** The notice element's state: {hidden, text}, and the API's lastNotice(). */
export async function noticeState(page) {
  return page.evaluate(() => {
    const el = document.getElementById('notice');
    const text = document.getElementById('notice-text').textContent;
    const strip = (t) => (t == null ? t : t.replace(/[\u2066-\u2069]/g, ''));
    return { hidden: el.hidden, text: strip(text), last: strip(window.hlcviz.lastNotice()) };
  });
}

/** Polls `fn` (async) until it returns a truthy value; returns it. */
export async function until(fn, { timeout = 3_000, interval = 25, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Selects all text of a focused field and types `text` key by key. */
export async function retype(page, locator, text) {
  await reveal(page, locator);
  await locator.click();
  await page.keyboard.press('Control+A');
  if (text === '') await page.keyboard.press('Backspace');
  else await page.keyboard.type(text, { delay: 5 });
}

/**
 * Starts recording the text the page paints on its canvas: every fillText
 * call (text and CSS-px position) of the latest frame. The page's wasm calls
 * the 2D context's methods by name on each paint, and each paint starts with
 * setTransform, so wrapping both after load sees every later frame.
 */
export async function watchCanvasText(page) {
  await page.evaluate(() => {
    if (window.__e2eFrame) return;
    window.__e2eFrame = [];
    const proto = CanvasRenderingContext2D.prototype;
    const { fillText, setTransform } = proto;
    const ours = (ctx) => ctx.canvas && ctx.canvas.id === 'diagram';
    proto.setTransform = function (...args) {
      if (ours(this)) window.__e2eFrame = [];
      return setTransform.apply(this, args);
    };
    proto.fillText = function (text, x, y, ...rest) {
      // Names are drawn bidi-isolated (U+2068 … U+2069); record what a person reads.
      if (ours(this)) window.__e2eFrame.push({ text: String(text).replace(/[\u2066-\u2069]/g, ''), x, y, font: this.font });
      return fillText.call(this, text, x, y, ...rest);
    };
  });
}

/** The text of the latest painted frame (after letting two more frames run). */
export async function canvasTexts(page) {
  await frames(page);
  return page.evaluate(() => window.__e2eFrame.slice());
}

/** Makes the page paint a new frame without changing anything: moves the
 *  mouse over the bottom margin of the diagram (empty space). */
export async function repaint(page) {
  const box = await page.locator('canvas#diagram').boundingBox();
  await page.mouse.move(Math.round(box.x + box.width / 2), Math.round(box.y + box.height - 8), { steps: 2 });
}

/**
 * Asserts the latest frame painted `text` as the label of an event: centred
 * over the event's x (centred, or shifted to stay inside the plot), just above its dot.
 */
export async function assertLabelPainted(page, kind, index, text) {
  const pos = await page.evaluate(([k, i]) => window.hlcviz.eventPosition(k, i), [kind, index]);
  assert.ok(pos, `eventPosition(${kind}, ${index}) is null`);
  const texts = await canvasTexts(page);
  // The placement pass (src/labels.rs) puts a label above, below or beside
  // its dot, up to a row further out: near it, whichever side.
  const reach = (t) => t.text.length * 8 + 24;
  const near = texts.filter((t) => Math.abs(t.x - pos.x) <= reach(t) && Math.abs(t.y - pos.y) <= 48);
  assert.ok(
    near.some((t) => t.text === text),
    `the canvas shows no label ${text} near ${kind} ${index} (${pos.x.toFixed(1)}, ${pos.y}); ` +
      `texts there: ${JSON.stringify(near.map((t) => t.text))}`,
  );
}

/** The page x of a range input's thumb for its current value, and the value under a page x.
 *  Chromium's default slider thumb is 16 px wide; the track runs under its centre. */
export async function sliderGeometry(slider) {
  const box = await slider.boundingBox();
  const { min, max, value, range } = await slider.evaluate((s) => ({
    min: Number(s.min),
    max: Number(s.max),
    value: Number(s.value),
    range: Number(s.dataset.range || 0),
  }));
  // A skew slider's value is a position; its skew is range·(position/max)²
  // with the position's sign (src/slider.rs: finest near zero).
  const skewOfPosition = (p) => Math.sign(p) * Math.round(range * (p / max) ** 2);
  const thumb = 16;
  const track = box.width - thumb;
  return {
    box,
    min,
    max,
    msPerPx: (max - min) / track,
    thumbX: box.x + thumb / 2 + ((value - min) / (max - min)) * track,
    y: box.y + box.height / 2,
    xOf: (v) => box.x + thumb / 2 + ((v - min) / (max - min)) * track,
    valueAt: (x) => Math.min(max, Math.max(min, Math.round(min + ((x - box.x - thumb / 2) / track) * (max - min)))),
    /** The skew (ms) a skew slider gives with its thumb at page x. */
    skewAt(x) { return skewOfPosition(this.valueAt(x)); },
  };
}

/** The skew (ms) a skew slider's thumb shows now (its value is a position). */
export async function sliderSkew(slider) {
  const g = await sliderGeometry(slider);
  return g.skewAt(g.thumbX);
}

/** Drags a range input's thumb by dx px with the mouse, in `steps` moves. */
export async function dragSlider(page, slider, dx, steps = 10) {
  await reveal(page, slider);
  const g = await sliderGeometry(slider);
  const from = { x: Math.round(g.thumbX), y: Math.round(g.y) };
  await page.mouse.move(from.x, from.y - 15, { steps: 2 });
  await page.mouse.move(from.x, from.y, { steps: 2 });
  await page.mouse.down();
  await page.mouse.move(from.x + dx, from.y + 1, { steps });
  await page.mouse.up();
}

/**
 * Shows the drawer pane that holds `selector`, by clicking its tab as a person
 * would (the panels are tabs: Clocks, Event, Checks, Snapshot, Scenarios,
 * Share). Does nothing when the element is in no pane or its pane shows.
 */
export async function reveal(page, selector) {
  const target = typeof selector === 'string' ? page.locator(selector) : selector;
  const pane = await target.first()
    .evaluate((el) => el.closest('[data-pane]')?.dataset.pane ?? null);
  if (pane && !(await page.locator(`#pane-${pane}`).isVisible())) {
    await page.click(`#tab-${pane}`);
  }
}

/** Opens a preset with one click on its button in the Scenarios pane. */
export async function openPreset(page, id) {
  const button = `#preset-list button[data-preset="${id}"]`;
  await reveal(page, button);
  await page.click(button);
}
