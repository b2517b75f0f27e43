// The README's "Start the phone sooner": a page that preloads the phone's loader
// (<link rel="preload" as="script">) gets it downloaded once. install() inserts the
// seed's <script> with the same URL and nothing that would make the browser ask again
// (no crossorigin, no integrity, no query of its own), so the browser hands it the
// preloaded response. In Chromium and Firefox; the loader comes from another origin, as
// https://<cc>.aswat.co does, from a server that counts its requests.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { launch, startServer } from './helpers.mjs';
import { launchFirefox } from './firefox.mjs';

const T = { timeout: 60_000 };

let server;
let loader;
let chromium;
let firefox;
before(async () => {
  loader = await startLoader();
  [server, chromium, firefox] = await Promise.all([
    startServer({ root: 'www', mounts: { '/dist/': 'dist', '/pages/': 'e2e/pages' } }),
    launch(),
    launchFirefox(),
  ]);
});
after(async () => {
  await chromium?.close();
  await firefox?.close();
  await server?.close();
  await loader?.close();
});

/**
 * A stand-in loader on its own port: it records that it ran; `requests` counts the
 * requests for it. Not cacheable (`no-store`): the browser may not reuse it for any other
 * reason than the preload.
 */
function startLoader() {
  const state = { requests: 0 };
  const srv = http.createServer((req, res) => {
    if (new URL(req.url, 'http://x').pathname !== '/scripts/jorel.js') { res.writeHead(404).end(); return; }
    state.requests++;
    res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' });
    res.end('window.__loaderRuns = (window.__loaderRuns || 0) + 1;');
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(Object.assign(state, {
    url: `http://127.0.0.1:${srv.address().port}/scripts/jorel.js?cc=acme`,
    close: () => new Promise((done) => { srv.close(() => done()); srv.closeAllConnections(); }),
  }))));
}

async function until(check, what, ms = 10_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// In the page: installs through the library with the preloaded URL; what the page saw.
async function install(scriptUrl) {
  const lib = await import('/dist/index.js');
  const phone = await lib.createWebPhone();
  await phone.install({ contactCenter: 'acme', scriptUrl });
  const scripts = document.querySelectorAll('script#jorelScriptLoader');
  return {
    runs: window.__loaderRuns ?? 0,
    scripts: scripts.length,
    src: scripts[0]?.src,
    crossOrigin: scripts[0]?.crossOrigin ?? null,
    preloads: document.querySelectorAll('link[rel=preload][as=script]').length,
  };
}

async function preloadThenInstall(page) {
  loader.requests = 0;
  await page.goto(`${server.url}/pages/preload.html?loader=${encodeURIComponent(loader.url)}`);
  // The preload has asked for the loader before the library is even imported.
  await until(() => loader.requests >= 1, 'the preload\'s request');
  const seen = await page.evaluate(install, loader.url);
  // install() resolves when the script has loaded: any request of its own came before.
  return { ...seen, requests: loader.requests };
}

const EXPECTED = (url) => ({ runs: 1, scripts: 1, src: url, crossOrigin: null, preloads: 1, requests: 1 });

describe('the phone\'s loader preloaded by the page', () => {
  test('Chromium: install() runs the preloaded loader, downloaded once', T, async () => {
    const context = await chromium.newContext();
    try {
      assert.deepEqual(await preloadThenInstall(await context.newPage()), EXPECTED(loader.url));
    } finally {
      await context.close();
    }
  });

  test('Firefox: install() runs the preloaded loader, downloaded once', T, async () => {
    const page = await firefox.newPage();
    try {
      assert.deepEqual(await preloadThenInstall(page), EXPECTED(loader.url));
    } finally {
      await page.close();
    }
  });
});
