// The deployed site: what scripts/build-site.sh puts in target/site/ (release
// wasm after wasm-opt; scripts/test.sh's `site` stage builds it before the
// browser tests) served the way GitHub Pages serves a project site, under a
// sub-path (/hlc-visualizer/). This file builds nothing itself.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, collectErrors, screenshot, useApp, waitForApp } from './harness.mjs';

const SITE_DIR = path.join(REPO_ROOT, 'target', 'site');
const PREFIX = '/hlc-visualizer/';
// Exactly what scripts/build-site.sh ships (SITE_FILES there, plus .nojekyll).
const SITE_FILES = [
  '.nojekyll',
  'index.html',
  'www/log-worker.js',
  'www/main.js',
  'www/pkg/hlcviz.js',
  'www/pkg/hlcviz_bg.wasm',
  'www/style.css',
];
/** Shipped, but loaded only when it is used. */
const ON_DEMAND = 'www/log-worker.js';

function listFiles(dir, rel = '') {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((entry) => {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, child) : [child];
  });
}

if (!existsSync(path.join(SITE_DIR, 'index.html'))) {
  test('deployed site (target/site)', () => {
    assert.fail(
      `${SITE_DIR}/index.html is missing: run 'bash scripts/build-site.sh target/site' ` +
        "(scripts/test.sh's site stage) before these tests",
    );
  });
} else {
  const app = useApp({ root: SITE_DIR, prefix: PREFIX });

  test('target/site holds exactly the files the page needs', () => {
    assert.deepEqual(listFiles(SITE_DIR).sort(), SITE_FILES);
  });

  test(`site served under ${PREFIX}: loads, draws, no errors, nothing fetched outside the prefix`, async (t) => {
    // A page of our own (not app.withPage) so that the request listener is in
    // place before navigation.
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      const errors = collectErrors(page);
      const requested = [];
      const responses = [];
      page.on('request', (req) => requested.push(req.url()));
      page.on('response', (res) => responses.push(res));
      try {
        await page.goto(app.url, { waitUntil: 'load', timeout: 30_000 });
        await waitForApp(page);

        // The diagram has been painted: copy #diagram onto a scratch canvas
        // (works whatever context the page drew with) and count opaque,
        // non-white pixels.
        const ink = await page
          .waitForFunction(
            () => {
              const diagram = document.querySelector('canvas#diagram');
              if (!diagram || diagram.width === 0 || diagram.height === 0) return false;
              const scratch = document.createElement('canvas');
              scratch.width = diagram.width;
              scratch.height = diagram.height;
              const ctx = scratch.getContext('2d');
              ctx.drawImage(diagram, 0, 0);
              const { data } = ctx.getImageData(0, 0, scratch.width, scratch.height);
              let count = 0;
              for (let i = 0; i < data.length; i += 4) {
                if (data[i + 3] > 128 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) count += 1;
              }
              return count >= 200 ? { count, width: diagram.width, height: diagram.height } : false;
            },
            null,
            { timeout: 10_000, polling: 100 },
          )
          .then((handle) => handle.jsonValue())
          .catch(() => null);
        assert.ok(ink, 'canvas#diagram has (almost) no drawn pixels after 10 s: all white or transparent');
        t.diagnostic(`canvas ${ink.width}x${ink.height}: ${ink.count} drawn (non-white) pixels`);
        await screenshot(page, 'deploy-subpath');
        assert.deepEqual(errors, [], 'console / page / network errors');
      } catch (err) {
        await screenshot(page, 'FAILED-deploy-subpath').catch(() => {});
        throw err;
      }

      // Every request the page made (data: URLs aside) stays under the prefix.
      const base = new URL(app.url).href;
      const outside = requested.filter((url) => !url.startsWith('data:') && !url.startsWith(base));
      assert.deepEqual(outside, [], `requests outside ${base}`);
      const serverOutside = app.server.requests.filter((line) => !line.split(' ')[1].startsWith(PREFIX));
      assert.deepEqual(serverOutside, [], `server saw requests outside ${PREFIX}`);

      // Bytes transferred: the test server sends files as they are (no gzip),
      // so Content-Length is the raw size.
      let total = 0;
      const rows = [];
      for (const res of responses) {
        if (res.url().startsWith('data:')) continue;
        const length = Number(res.headers()['content-length'] ?? (await res.body()).length);
        total += length;
        rows.push(`${new URL(res.url()).pathname.slice(PREFIX.length) || 'index.html'} ${length}`);
      }
      // The log matcher's worker is fetched only when a log is imported with
      // a parser expression (tests/e2e/log-import.test.mjs).
      for (const f of SITE_FILES.filter((name) => name !== '.nojekyll' && name !== ON_DEMAND)) {
        assert.ok(rows.some((row) => row.startsWith(`${f} `)), `the page never fetched ${f}`);
      }
      assert.ok(!rows.some((row) => row.startsWith(`${ON_DEMAND} `)), `${ON_DEMAND} is fetched on demand only`);
      const summary =
        `${rows.length} requests, ${total} bytes raw (${(total / 1024).toFixed(1)} KiB): ` + rows.join(', ');
      t.diagnostic(summary);
      console.log(`deploy: site under ${PREFIX}: ${summary}`);
    } finally {
      await context.close().catch(() => {});
    }
  });
}
