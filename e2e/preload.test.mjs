// The README's "Start the phone sooner": a page that preloads the phone's loader
// (<link rel="preload" as="script">) gets it downloaded once. install() inserts the
// seed's <script> with the same URL and nothing that would make the browser ask again
// (no crossorigin, no integrity), so the browser hands it the preloaded response: when
// the preload has finished, when it is still downloading, and under a nonce CSP with the
// link's nonce. In Chromium and Firefox. The loader comes from another origin, as
// https://<cc>.aswat.co does, from a server that counts its requests and can hold its
// responses.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { launch, startServer, waitFor } from './helpers.mjs';
import { launchFirefox } from './firefox.mjs';

const T = { timeout: 60_000 };

let server;
let loader;
let chromium;
let firefox;
before(async () => {
  const started = await Promise.allSettled([
    startServer({ root: 'www', mounts: { '/dist/': 'dist', '/pages/': 'e2e/pages' } }),
    startLoader(),
    launch(),
    launchFirefox(),
  ]);
  [server, loader, chromium, firefox] = started.map((s) => s.value);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
});
after(async () => {
  await Promise.allSettled([chromium?.close(), firefox?.close(), server?.close(), loader?.close()]);
});

/**
 * A stand-in loader at /scripts/jorel.js on its own port: it counts the runs; `requests`
 * counts the requests for it. Not cacheable (`no-store`): the browser may not reuse it
 * for any other reason than the preload. With `hold`, its responses wait for a request
 * to /release (`requestsAtRelease`: how many had come by then).
 */
function startLoader() {
  const state = { requests: 0, hold: false, held: [], requestsAtRelease: null };
  const send = (res) => {
    res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' });
    res.end('window.__loaderRuns = (window.__loaderRuns || 0) + 1;');
  };
  const srv = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/release') {
      state.requestsAtRelease = state.requests;
      state.hold = false;
      state.held.splice(0).forEach(send);
      res.writeHead(204).end();
    } else if (path === '/scripts/jorel.js') {
      state.requests++;
      if (state.hold) state.held.push(res);
      else send(res);
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => {
    const origin = `http://127.0.0.1:${srv.address().port}`;
    resolve(Object.assign(state, {
      url: `${origin}/scripts/jorel.js?cc=acme`,
      release: `${origin}/release`,
      reset() { Object.assign(state, { requests: 0, hold: false, held: [], requestsAtRelease: null }); },
      close: () => new Promise((done) => { srv.close(() => done()); srv.closeAllConnections(); }),
    }));
  }));
}

/** The page's URL with the loader's and the case's parameters. */
function pageUrl(page, params) {
  return `${server.url}/pages/${page}?${new URLSearchParams({ loader: loader.url, release: loader.release, ...params })}`;
}

// In the page, once the phone is installed: what it saw.
function seen() {
  const scripts = document.querySelectorAll('script#jorelScriptLoader');
  return {
    runs: window.__loaderRuns ?? 0,
    scripts: scripts.length,
    src: scripts[0]?.src,
    crossOrigin: scripts[0]?.crossOrigin ?? null,
    // Who asked for the loader: the link's preload, or a script of its own.
    initiators: performance.getEntriesByType('resource').filter((e) => e.name.includes('/scripts/jorel.js')).map((e) => e.initiatorType),
  };
}

// In the page: installs through the library with the preloaded URL.
async function install(scriptUrl) {
  const lib = await import('/dist/index.js');
  const phone = await lib.createWebPhone();
  await phone.install({ contactCenter: 'acme', scriptUrl });
}

/** Waits for the page's own install() (pages/preload-install.js) and its outcome. */
async function installedInPage(page) {
  await page.waitForFunction(() => window.__installed !== undefined, null, { timeout: 20_000 });
  return page.evaluate(async () => ({ installed: await window.__installed, scriptsAtRelease: window.__scriptsAtRelease }));
}

const CASES = {
  // The page has loaded (its load event waits for the preload), then installs.
  async 'a finished preload is reused'(page) {
    await page.goto(pageUrl('preload.html', {}));
    // The preload asks before the library is imported, and its response has arrived
    // (a Resource Timing entry is added when a fetch completes).
    await waitFor(() => loader.requests === 1, "the preload's request");
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/scripts/jorel.js')), null, { timeout: 10_000 });
    await page.evaluate(install, loader.url);
    // install() resolves when the script has loaded: any request of its own came before.
    return { ...(await page.evaluate(seen)), requests: loader.requests };
  },

  // The page installs at once; the loader's server holds the preload's response until
  // the script is in (the page asks /release after install() returned).
  async 'a preload still downloading is reused'(page) {
    loader.hold = true;
    await page.goto(pageUrl('preload.html', { install: '1' }));
    const r = await installedInPage(page);
    assert.deepEqual(r, { installed: 'loaded', scriptsAtRelease: 1 });
    assert.equal(loader.requestsAtRelease, 1, 'the preload alone had asked when the script went in');
    return { ...(await page.evaluate(seen)), requests: loader.requests };
  },

  // Under script-src 'self' 'nonce-n0nce': the link carries the nonce that install() gets.
  async 'under a nonce CSP, a preload with the nonce is reused'(page) {
    await page.goto(pageUrl('preload-csp.html', { install: '1', nonce: 'n0nce' }));
    assert.equal((await installedInPage(page)).installed, 'loaded');
    return { ...(await page.evaluate(seen)), requests: loader.requests };
  },
};

const REUSED = () => ({ runs: 1, scripts: 1, src: loader.url, crossOrigin: null, initiators: ['link'], requests: 1 });

for (const [name, launchPage] of [
  ['Chromium', async () => { const c = await chromium.newContext(); return { page: await c.newPage(), close: () => c.close() }; }],
  ['Firefox', async () => { const p = await firefox.newPage(); return { page: p, close: () => p.close() }; }],
]) {
  describe(`${name}: the phone's loader preloaded by the page`, () => {
    for (const [title, run] of Object.entries(CASES)) {
      test(`${title}: downloaded once, run once`, T, async () => {
        loader.reset();
        const { page, close } = await launchPage();
        try {
          assert.deepEqual(await run(page), REUSED());
        } finally {
          await close();
          loader.reset();
        }
      });
    }

    // The counter sees a second download: a preload that does not match the script.
    test('a preload that does not match the script (crossorigin) is downloaded again', T, async () => {
      loader.reset();
      const { page, close } = await launchPage();
      try {
        await page.goto(pageUrl('preload.html', { crossorigin: 'anonymous' }));
        await waitFor(() => loader.requests === 1, 'the preload');
        await page.evaluate(install, loader.url);
        assert.equal(loader.requests, 2);
        assert.equal((await page.evaluate(seen)).runs, 1);
      } finally {
        await close();
      }
    });
  });
}
