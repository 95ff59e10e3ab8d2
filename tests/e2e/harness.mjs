// Shared helpers for the browser tests (node:test + playwright-core driving
// Debian's /usr/bin/chromium). Not a test file itself (no `.test.` in its name).
//
// Typical use, in tests/e2e/<name>.test.mjs:
//
//   import { test } from 'node:test';
//   import assert from 'node:assert/strict';
//   import { useApp, waitForApp, screenshot } from './harness.mjs';
//
//   const app = useApp();            // static server + Chromium, for this file
//   test('page loads', async (t) => {
//     await app.withPage(t, async (page, errors) => {
//       await waitForApp(page);
//       await screenshot(page, 'loaded');
//       assert.deepEqual(errors, []);
//     });
//   });
//
// Environment:
//   HLCVIZ_ROOT            directory to serve instead of the repo root
//   HLCVIZ_PREFIX          serve under this sub-path, e.g. /hlc-visualizer/
//   HLCVIZ_CHROMIUM        Chromium binary (default /usr/bin/chromium)
//   HLCVIZ_SCREENSHOT_DIR  where screenshot() writes (default target/screenshots)
//   HLCVIZ_HEADED=1        show the browser window (needs a display)

import { after, before } from 'node:test';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const CHROMIUM_PATH = process.env.HLCVIZ_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOT_DIR = path.resolve(
  process.env.HLCVIZ_SCREENSHOT_DIR || path.join(REPO_ROOT, 'target', 'screenshots'),
);

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

// ------------------------------------------------------------ static server

/** Normalises a sub-path prefix to the form '/', or '/name/'. */
function normalizePrefix(prefix) {
  let p = prefix || '/';
  if (!p.startsWith('/')) p = `/${p}`;
  if (!p.endsWith('/')) p = `${p}/`;
  return p;
}

/**
 * Starts a static file server on 127.0.0.1 with a random free port.
 *
 * options.root    directory to serve (default $HLCVIZ_ROOT or the repo root)
 * options.prefix  URL sub-path the root appears under (default $HLCVIZ_PREFIX
 *                 or '/'), e.g. '/hlc-visualizer/' like the deployed site;
 *                 anything outside the prefix is 404 ('/name' redirects to
 *                 '/name/').
 *
 * Returns { url, origin, port, root, prefix, requests, close() } where url is
 * the page URL (origin + prefix) and requests lists '<status> <path>' per
 * request served.
 */
export async function startServer(options = {}) {
  const wanted = path.resolve(options.root || process.env.HLCVIZ_ROOT || REPO_ROOT);
  const root = await realpath(wanted).catch(() => {
    throw new Error(`startServer: directory to serve does not exist: ${wanted}`);
  });
  const prefix = normalizePrefix(options.prefix ?? process.env.HLCVIZ_PREFIX);
  const requests = [];

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, `internal error: ${err.message}\n`);
      else res.destroy();
    });
  });

  function send(res, status, body, headers = {}) {
    res.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
    });
    res.end(body);
  }

  async function handle(req, res) {
    const log = (status) => requests.push(`${status} ${req.url}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      log(405);
      return send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      log(400);
      return send(res, 400, 'bad request\n');
    }
    if (pathname.includes('\0') || pathname.includes('\\')) {
      log(400);
      return send(res, 400, 'bad request\n');
    }
    if (prefix !== '/' && pathname === prefix.slice(0, -1)) {
      log(301);
      return send(res, 301, '', { Location: prefix });
    }
    if (!pathname.startsWith(prefix)) {
      log(404);
      return send(res, 404, 'not found (outside the served prefix)\n');
    }
    const rel = pathname.slice(prefix.length);
    // Refuse traversal: any '..' segment, and anything resolving outside root
    // (including through symlinks).
    if (rel.split('/').includes('..')) {
      log(403);
      return send(res, 403, 'forbidden\n');
    }
    let file = path.resolve(root, `.${path.sep}${rel}`);
    const inside = (p) => p === root || p.startsWith(root + path.sep);
    if (!inside(file)) {
      log(403);
      return send(res, 403, 'forbidden\n');
    }
    let info;
    try {
      file = await realpath(file);
      if (!inside(file)) {
        log(403);
        return send(res, 403, 'forbidden\n');
      }
      info = await stat(file);
      if (info.isDirectory()) {
        if (!pathname.endsWith('/')) {
          log(301);
          return send(res, 301, '', { Location: `${pathname}/` });
        }
        file = path.join(file, 'index.html');
        info = await stat(file);
      }
    } catch {
      log(404);
      return send(res, 404, 'not found\n');
    }
    if (!info.isFile()) {
      log(404);
      return send(res, 404, 'not found\n');
    }
    log(200);
    const type = MIME_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': info.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}${prefix}`,
    origin,
    port,
    root,
    prefix,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

// ------------------------------------------------------------------ browser

/**
 * Launches headless Chromium (Debian's) through playwright-core. Playwright
 * gives each launch a fresh temporary --user-data-dir and removes it on close.
 */
export async function launchBrowser(options = {}) {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: run 'bash scripts/setup.sh --browser' ` +
        '(or set HLCVIZ_CHROMIUM to a Chromium binary)',
    );
  }
  const headed = process.env.HLCVIZ_HEADED === '1';
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: !headed,
    args: headed ? CHROMIUM_ARGS.filter((a) => a !== '--headless') : CHROMIUM_ARGS,
    timeout: 60_000,
    ...options,
  });
}

const pageErrors = new WeakMap();

/**
 * Starts collecting problems on `page` into an array (returned, and also
 * remembered for waitForApp's error message): console.error messages,
 * uncaught page errors, failed requests and HTTP responses >= 400 (except
 * the browser's automatic /favicon.ico probe).
 * Tests normally assert `assert.deepEqual(errors, [])`.
 */
export function collectErrors(page) {
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      // Chromium's own /favicon.ico probe (page without <link rel="icon">) is
      // browser noise, not an app error.
      if (loc && /\/favicon\.ico(?:\?.*)?$/.test(loc.url || '')) return;
      const where = loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : '';
      errors.push(`console.error: ${msg.text()}${where}`);
    }
  });
  page.on('pageerror', (err) => {
    errors.push(`pageerror: ${err.stack || err.message || String(err)}`);
  });
  page.on('requestfailed', (req) => {
    errors.push(`requestfailed: ${req.method()} ${req.url()}: ${req.failure()?.errorText ?? '?'}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`http ${res.status()}: ${res.url()}`);
  });
  pageErrors.set(page, errors);
  return errors;
}

/** The error array collectErrors() started for `page` (empty if none). */
export function errorsOf(page) {
  return pageErrors.get(page) ?? [];
}

function formatErrors(errors) {
  return errors.length ? `\n  ${errors.join('\n  ')}` : ' (none)';
}

/** True for a collected error that means the app can never start: an uncaught
 *  page error, or a script / wasm file that failed to load. */
function isFatal(error) {
  if (error.startsWith('pageerror:')) return true;
  // Formats from collectErrors: 'http 404: URL', 'requestfailed: GET URL: why'.
  let url = null;
  if (error.startsWith('http ')) url = error.split(' ')[2];
  else if (error.startsWith('requestfailed: ')) url = (error.split(' ')[2] || '').replace(/:$/, '');
  return Boolean(url && /\.(?:m?js|wasm)(?:\?.*)?$/.test(url));
}

/**
 * Waits until the page's JS API is up: `window.hlcviz` exists and
 * `window.hlcviz.ready === true`. Throws an error listing the collected
 * console/page errors on timeout, or earlier (failFast, the default) as soon
 * as an uncaught page error or a failed .js/.wasm load shows the app cannot
 * start.
 */
export async function waitForApp(page, { timeout = 20_000, failFast = true } = {}) {
  const errors = errorsOf(page);
  const deadline = Date.now() + timeout;
  let state = 'not checked';
  let why = `not ready after ${timeout} ms`;
  for (;;) {
    if (page.isClosed()) {
      why = 'page was closed';
      break;
    }
    try {
      state = await page.evaluate(() =>
        window.hlcviz == null
          ? 'window.hlcviz is missing'
          : window.hlcviz.ready === true
            ? 'ready'
            : `window.hlcviz.ready = ${JSON.stringify(window.hlcviz.ready)}`,
      );
    } catch (err) {
      state = `cannot evaluate (${err.message.split('\n')[0]})`; // e.g. mid-navigation
    }
    if (state === 'ready') return;
    const fatal = failFast && errors.find(isFatal);
    if (fatal) {
      why = `failed to start (${fatal.split('\n')[0]})`;
      break;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const hint = errors.some((e) => e.includes('/pkg/'))
    ? '\nHint: www/pkg/ looks missing or stale: run `bash scripts/build-web.sh`.'
    : '';
  throw new Error(
    `waitForApp: app at ${page.url()} ${why}: ${state}.\n` +
      `Collected errors:${formatErrors(errors)}${hint}`,
  );
}

/** Sanitises a string into a file-name-friendly screenshot name. */
function fileName(name) {
  return String(name).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'screenshot';
}

/**
 * Saves a PNG of the page to target/screenshots/NAME.png and returns its path.
 * options are passed to page.screenshot (e.g. { fullPage: true }).
 */
export async function screenshot(page, name, options = {}) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${fileName(name)}.png`);
  await page.screenshot({ path: file, ...options });
  return file;
}

// ------------------------------------------------------- per-file lifecycle

/**
 * Registers node:test before/after hooks for the calling test file: one static
 * server and one Chromium for the file, closed in `after` whatever happened.
 *
 * options: { root, prefix } for startServer, { launch } for launchBrowser,
 *          { viewport } default viewport (1280x800),
 *          { context } more browser context options (e.g. hasTouch, isMobile).
 *
 * Returns an object whose fields are filled in once `before` ran:
 *   server, browser, url (page URL), and
 *   withPage(t?, fn, { path, viewport, context, waitUntil, name }) which opens a
 *   fresh browser context + page on url + path, calls fn(page, errors), and
 *   closes the context afterwards. If fn throws, a screenshot
 *   target/screenshots/FAILED-<name or test name>.png is saved first.
 */
export function useApp(options = {}) {
  const app = {
    server: null,
    browser: null,
    url: null,
    withPage: (tOrFn, maybeFn, maybeOpts) => withPageImpl(app, options, tOrFn, maybeFn, maybeOpts),
  };
  before(async () => {
    app.server = await startServer({ root: options.root, prefix: options.prefix });
    app.url = app.server.url;
    app.browser = await launchBrowser(options.launch);
  });
  after(async () => {
    const browser = app.browser;
    const server = app.server;
    app.browser = null;
    app.server = null;
    await Promise.allSettled([browser?.close(), server?.close()]);
  });
  return app;
}

let unnamed = 0;

async function withPageImpl(app, options, tOrFn, maybeFn, maybeOpts) {
  // Accept withPage(fn, opts) and withPage(t, fn, opts).
  let t = null;
  let fn = tOrFn;
  let opts = maybeFn;
  if (typeof tOrFn !== 'function') {
    t = tOrFn;
    fn = maybeFn;
    opts = maybeOpts;
  }
  opts = opts || {};
  if (!app.browser || !app.server) {
    throw new Error('withPage: server/browser not started (call useApp() at the top level of the test file)');
  }
  const context = await app.browser.newContext({
    viewport: opts.viewport || options.viewport || { width: 1280, height: 800 },
    ...(opts.context || options.context),
  });
  try {
    const page = await context.newPage();
    const errors = collectErrors(page);
    const target = new URL(opts.path || '', app.url).href;
    const response = await page.goto(target, { waitUntil: opts.waitUntil || 'load', timeout: 30_000 });
    if (response && response.status() >= 400) {
      throw new Error(
        `withPage: GET ${target} answered ${response.status()} - is there an index.html in ` +
          `${app.server.root}? (serve another directory with HLCVIZ_ROOT=...)`,
      );
    }
    try {
      return await fn(page, errors);
    } catch (err) {
      const name = `FAILED-${opts.name || t?.fullName || t?.name || `page-${++unnamed}`}`;
      try {
        const file = await screenshot(page, name);
        err.message += `\n(screenshot: ${path.relative(process.cwd(), file)})`;
      } catch {
        /* page may be gone */
      }
      throw err;
    }
  } finally {
    await context.close().catch(() => {});
  }
}

/**
 * One-shot helper without hooks: starts a server and Chromium, runs
 * fn(page, errors, server), and shuts everything down even if fn throws.
 * Same options as useApp plus { path, name }.
 */
export async function withPage(fn, options = {}) {
  const app = { server: null, browser: null, url: null };
  try {
    app.server = await startServer({ root: options.root, prefix: options.prefix });
    app.url = app.server.url;
    app.browser = await launchBrowser(options.launch);
    return await withPageImpl(app, options, (page, errors) => fn(page, errors, app.server), options);
  } finally {
    await Promise.allSettled([app.browser?.close(), app.server?.close()]);
  }
}
