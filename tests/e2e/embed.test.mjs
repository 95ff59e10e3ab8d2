// Embeds (docs/embedding.md), in a real cross-origin iframe: a second local
// server on another port serves parent pages whose <iframe> points at the
// app's server with ?embed. Checked: the embed draws the link's scenario,
// fits its frame, shows no header, drawer or hints, edits nothing unless
// &edit, plays, links to the full page, leaves the parent alone, asks no
// other origin for anything and writes no saved scenario. Also the Share
// pane's Embed button: its snippet, pasted as written, opens the same embed.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { collectErrors, launchBrowser, screenshot, startServer, waitForApp } from './harness.mjs';
import { example } from './share-helpers.mjs';
import { drag, getScenario, pointOfEvent, pointOnLane, reveal, selection, until } from './ui.mjs';

let app; // the visualizer's server
let parent; // the parent pages' server (another port: another origin)
let browser;
let dir;
let fragment; // '#v1.…' of the scenario below, as the full page wrote it
let scenario; // that scenario, as the full page reads it
let snippet; // the Embed button's snippet for it
let editSnippet; // the same with "allow editing" ticked

/** A parent page around `iframe` (a blog would cap an iframe's width so). */
function parentPage(iframe) {
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A blog post</title><style>body{font:16px serif;margin:16px}iframe{max-width:100%}</style></head>
<body><h1 id="post">A post about clocks</h1><p>Here is the diagram:</p>
${iframe}
<p>And more text under it.</p></body></html>`;
}

before(async () => {
  app = await startServer();
  browser = await launchBrowser();
  // The scenario: one that differs from the default, given to the full page,
  // whose URL then holds it; its Embed button gives the snippet.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(app.url);
  await waitForApp(page);
  await page.evaluate((s) => window.hlcviz.setScenario(s), example('sender-ahead.json'));
  await until(async () => /^#v[12]\./.test(await page.evaluate(() => location.hash)), { what: 'the link' });
  fragment = await page.evaluate(() => location.hash);
  scenario = await getScenario(page);
  await reveal(page, '#embed-snippet-button');
  await page.click('#embed-snippet-button');
  snippet = await page.inputValue('#embed-snippet');
  await page.check('#embed-editable');
  editSnippet = await page.inputValue('#embed-snippet');
  await context.close();

  dir = await mkdtemp(path.join(os.tmpdir(), 'hlcviz-embed-'));
  const frame = (query) =>
    `<iframe src="${app.url}?${query}${fragment}" width="800" height="400" style="border:0" title="HLC diagram"></iframe>`;
  await writeFile(path.join(dir, 'read-only.html'), parentPage(frame('embed')));
  await writeFile(path.join(dir, 'edit.html'), parentPage(frame('embed&edit')));
  await writeFile(path.join(dir, 'snippet.html'), parentPage(snippet));
  await writeFile(
    path.join(dir, 'tour.html'),
    parentPage(`<iframe src="${app.url}?embed&tour=7" width="800" height="460" style="border:0" title="HLC tour step"></iframe>`),
  );
  parent = await startServer({ root: dir });
});

after(async () => {
  await browser?.close();
  await app?.close();
  await parent?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Opens parent page `file` in a fresh context; returns the page, the embed's
 *  frame, the page's errors and every URL it requested. */
async function openParent(file, contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...contextOptions });
  const page = await context.newPage();
  const errors = collectErrors(page);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${parent.url}${file}`);
  let frame;
  await until(() => (frame = page.frames().find((f) => f.url().startsWith(app.origin))), {
    timeout: 10_000,
    what: 'the embed frame',
  });
  await frame.waitForFunction(() => window.hlcviz?.ready === true, null, { timeout: 20_000 });
  return { context, page, frame, errors, requests };
}

/** How many of the canvas's pixels are painted (not white, not transparent). */
const paintedPixels = (frame) =>
  frame.evaluate(() => {
    const canvas = document.getElementById('diagram');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) n++;
    }
    return n;
  });

/** The app origin's stored keys, read from a static file of that origin (no app runs there). */
async function storedKeys(context) {
  const page = await context.newPage();
  await page.goto(`${app.url}www/style.css`);
  const keys = await page.evaluate(() => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
  }));
  await page.close();
  return keys;
}

/** Double-clicks node 0's line and drags a message from node 0 to node 1. */
async function tryToEdit(page, frame) {
  const { startMs, endMs } = await frame.evaluate(() => window.hlcviz.visibleTime());
  const at = (f) => Math.round(startMs + f * (endMs - startMs));
  const lane = await pointOnLane(frame, 0, at(0.45));
  await page.mouse.dblclick(lane.x, lane.y);
  const from = await pointOnLane(frame, 0, at(0.55));
  const to = await pointOnLane(frame, 1, at(0.7));
  await drag(page, from, to);
}

test('a read-only embed draws the link, fits its frame, edits nothing and touches nothing outside it', async () => {
  const { context, page, frame, errors, requests } = await openParent('read-only.html');
  try {
    const parentBefore = await page.evaluate(() => document.documentElement.outerHTML);
    const parentUrl = page.url();

    assert.deepEqual(await getScenario(frame), scenario, "the embed shows the link's scenario");
    await until(async () => (await paintedPixels(frame)) > 2_000, { what: 'the diagram painted' });

    // Fitted to the frame: the canvas inside the iframe's box, nothing scrolls.
    const box = await page.locator('iframe').boundingBox();
    const canvas = await frame.locator('#diagram').boundingBox();
    assert.ok(canvas.x >= box.x && canvas.x + canvas.width <= box.x + box.width + 0.5, `${JSON.stringify({ box, canvas })}`);
    assert.ok(canvas.y >= box.y && canvas.y + canvas.height <= box.y + box.height + 0.5, `${JSON.stringify({ box, canvas })}`);
    assert.ok(canvas.width > box.width * 0.9 && canvas.height > box.height * 0.6, 'the diagram takes the frame');
    const scroll = await frame.evaluate(() => {
      const doc = document.documentElement;
      const stage = document.getElementById('stage');
      return {
        page: doc.scrollWidth > doc.clientWidth || doc.scrollHeight > doc.clientHeight,
        stage: stage.scrollHeight > stage.clientHeight || stage.scrollWidth > stage.clientWidth,
      };
    });
    assert.deepEqual(scroll, { page: false, stage: false }, 'no scrollbars');

    // The diagram alone: no header, drawer, hints; the small bar instead.
    for (const hidden of ['.topbar', '#panel', '#hints', '#notice', '#table-view']) {
      assert.equal(await frame.locator(hidden).isVisible(), false, `${hidden} is hidden`);
    }
    for (const shown of ['#embed-bar #play', '#embed-bar #clock-view', '#embed-bar #embed-open']) {
      assert.ok(await frame.locator(shown).isVisible(), `${shown} is shown`);
    }
    assert.equal((await frame.evaluate(() => window.hlcviz.view())).read_only, true);

    // Open in the full page: the same URL without embed, in a new tab.
    const link = frame.locator('#embed-open');
    assert.equal(await link.getAttribute('href'), `${app.url}${fragment}`);
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal(await link.getAttribute('rel'), 'noopener');

    // Gestures and keys that would edit change nothing; looking still works.
    await tryToEdit(page, frame);
    const event = await pointOfEvent(frame, 'local', 0);
    await page.mouse.click(event.x, event.y);
    assert.deepEqual(await selection(frame), { kind: 'local', index: 0 }, 'a click selects');
    for (const key of ['Delete', 'e', 'Shift+ArrowRight', 'Control+z']) await page.keyboard.press(key);
    assert.deepEqual(await getScenario(frame), scenario, 'nothing was edited');

    // Play plays.
    await frame.click('#play');
    await until(async () => (await frame.evaluate(() => window.hlcviz.view())).playback?.playing === true, {
      what: 'playback',
    });
    const cursor = (await frame.evaluate(() => window.hlcviz.view())).playback.cursor_ms;
    await until(async () => (await frame.evaluate(() => window.hlcviz.view())).playback?.cursor_ms > cursor, {
      what: 'the cursor moving',
    });
    await frame.click('#play'); // pause
    await frame.selectOption('#clock-view', 'lamport');
    assert.equal((await frame.evaluate(() => window.hlcviz.view())).clock_view, 'lamport');

    await screenshot(page, 'embed-1280x800');

    // The parent is as it was; the frame never reached for it.
    assert.equal(await page.evaluate(() => document.documentElement.outerHTML), parentBefore);
    assert.equal(page.url(), parentUrl);
    assert.deepEqual(errors, []);

    // Every request but the parent page itself went to the app's origin.
    const elsewhere = requests.filter((u) => !u.startsWith(app.origin) && u !== `${parent.url}read-only.html`);
    assert.deepEqual(elsewhere, []);
    assert.ok(requests.some((u) => u.endsWith('.wasm')), 'the wasm came from the app origin');

    // Leaving (pagehide in the frame) writes nothing either.
    await page.goto('about:blank');
    assert.deepEqual(await storedKeys(context), { local: [], session: [] });
  } finally {
    await context.close();
  }
});

test('with &edit gestures edit inside the frame, and still nothing is saved', async () => {
  const { context, page, frame, errors } = await openParent('edit.html');
  try {
    assert.equal((await frame.evaluate(() => window.hlcviz.view())).read_only, false);
    await tryToEdit(page, frame);
    const edited = await getScenario(frame);
    assert.equal(edited.events.length, scenario.events.length + 1, 'the double-click added an event');
    assert.equal(edited.messages.length, scenario.messages.length + 1, 'the drag sent a message');
    // The frame's URL follows the edits; the link to the full page too.
    await until(async () => (await frame.evaluate(() => location.hash)) !== fragment, { what: 'the link updated' });
    const hash = await frame.evaluate(() => location.hash);
    assert.equal(await frame.locator('#embed-open').getAttribute('href'), `${app.url}${hash}`);
    assert.deepEqual(errors, []);
    await page.goto('about:blank');
    assert.deepEqual(await storedKeys(context), { local: [], session: [] });
  } finally {
    await context.close();
  }
});

test("the Share pane's Embed snippet, pasted as written, opens the same read-only embed", async () => {
  const src = `${app.url}?embed${fragment}`;
  const escaped = src.replaceAll('&', '&amp;');
  assert.equal(
    snippet,
    `<iframe src="${escaped}" width="800" height="400" style="border:0" title="HLC diagram" loading="lazy"></iframe>`,
  );
  assert.ok(editSnippet.includes(`src="${app.url}?embed&amp;edit${fragment.replaceAll('&', '&amp;')}"`), editSnippet);
  const { context, frame, errors } = await openParent('snippet.html');
  try {
    assert.equal(frame.url(), src);
    assert.deepEqual(await getScenario(frame), scenario);
    assert.equal((await frame.evaluate(() => window.hlcviz.view())).read_only, true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('on a phone the embed fits the column it is given', async () => {
  const { context, page, frame, errors } = await openParent('read-only.html', {
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
  });
  try {
    await until(async () => (await paintedPixels(frame)) > 1_000, { what: 'the diagram painted' });
    const box = await page.locator('iframe').boundingBox();
    assert.ok(box.width <= 390 - 16, `the parent caps the frame: ${box.width}`);
    const bar = await frame.locator('#embed-bar').boundingBox();
    assert.ok(bar.x + bar.width <= box.x + box.width + 0.5, 'the bar fits the frame');
    const overflow = await frame.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    assert.equal(overflow, false);
    await screenshot(page, 'embed-390x844');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an embedded tour step shows its text and highlights, links to that step, and saves nothing', async () => {
  const { context, page, frame, errors, requests } = await openParent('tour.html');
  try {
    const lesson = await frame.evaluate(() => window.hlcviz.lesson());
    assert.equal(lesson.kind, 'tour');
    assert.equal(lesson.step, 7);
    assert.ok(await frame.locator('#lesson').isVisible(), 'the step card shows');
    assert.equal(await frame.locator('#lesson-title').textContent(), lesson.title);
    for (const hidden of ['#lesson-next', '#lesson-back', '#lesson-leave', '#lesson-try']) {
      assert.equal(await frame.locator(hidden).isVisible(), false, `${hidden}: an embed is a figure`);
    }
    const text = await frame.locator('#lesson-text').textContent();
    for (const claim of lesson.claims) assert.ok(text.includes(claim.text));
    assert.equal((await frame.evaluate(() => window.hlcviz.view())).read_only, true);
    // Fitted: card and diagram inside the frame, no scrollbars.
    const box = await page.locator('iframe').boundingBox();
    const canvas = await frame.locator('#diagram').boundingBox();
    assert.ok(canvas.y + canvas.height <= box.y + box.height + 0.5 && canvas.height >= 200, JSON.stringify({ box, canvas }));
    // Open in the full page: that step of the tour.
    assert.equal(await frame.locator('#embed-open').getAttribute('href'), `${app.url}?tour=7`);
    await screenshot(page, 'embed-tour-1280x800');
    assert.deepEqual(errors, []);
    const elsewhere = requests.filter((u) => !u.startsWith(app.origin) && u !== `${parent.url}tour.html`);
    assert.deepEqual(elsewhere, []);
    await page.goto('about:blank');
    assert.deepEqual(await storedKeys(context), { local: [], session: [] }, 'no progress, no record');
  } finally {
    await context.close();
  }
});

test('an embedded tour step on a phone keeps room for its diagram', async () => {
  const { context, page, frame, errors } = await openParent('tour.html', {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  try {
    const box = await page.locator('iframe').boundingBox();
    const card = await frame.locator('#lesson').boundingBox();
    const canvas = await frame.locator('#diagram').boundingBox();
    assert.ok(box.width <= 390, 'the frame fits the column');
    assert.ok(card.height <= box.height * 0.4, `the text leaves the diagram room: card ${card.height}px of ${box.height}px`);
    assert.ok(canvas.height >= 200, `diagram ${canvas.height}px`);
    await screenshot(page, 'embed-tour-phone');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
