// Shared boilerplate for the browser tests (node --test e2e/): one static server and one
// headless Chromium per test file, a fresh browser context (fresh storage) per test.
//
//   import { before, after, test } from 'node:test';
//   import { setup, withPage, FAST, AUTOLOGIN, waitForSimEvent } from './helpers.mjs';
//   let env;
//   before(async () => { env = await setup(); });
//   after(() => env.close());
//   test('x', () => withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
//     await page.goto(env.url('/sim/index.html?' + new URLSearchParams(FAST)));
//     ...
//   }));

import { chromium } from 'playwright-core';
import { startServer } from '../scripts/serve.mjs';

export { startServer };

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Without the network flags Chromium keeps trying to reach hosts this network refuses.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const PREFIXES = ['_jorel-dialog-state-', 'ziwo-'];

// Simulator config for fast tests (pass as query string of jorel.js or of /sim/index.html).
export const FAST = { loadDelayMs: 0, connectDelayMs: 0, stepDelayMs: 0, answerDelayMs: 0 };

// Plain-string auto-login keys, as the seed's snippet writes them.
export const AUTOLOGIN = {
  '_jorel-token': 'b10c6840-a9e7-11e8-8476-8d2a2f09b159',
  '_jorel-ccName': 'wayne-enterprise',
};

/** Launches headless Debian Chromium. Extra `args` are appended to CHROMIUM_ARGS. */
export function launch(options = {}) {
  return chromium.launch({
    headless: true,
    ...options,
    executablePath: options.executablePath || CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...(options.args || [])],
  });
}

/**
 * Starts the server (root `www`, `/dist/` -> `dist` by default) and the browser.
 * @returns {Promise<{server, browser, baseURL: string, url: (path?: string) => string, close: () => Promise<void>}>}
 */
export async function setup({ root = 'www', mounts = { '/dist/': 'dist' }, launchOptions } = {}) {
  const [server, browser] = await Promise.all([startServer({ root, mounts }), launch(launchOptions)]);
  return {
    server,
    browser,
    baseURL: server.url,
    url: (path = '/') => new URL(path, server.url + '/').href,
    async close() {
      await browser.close().catch(() => {});
      await server.close();
    },
  };
}

/**
 * Runs `fn(page, {context, errors})` in a fresh context, then closes it.
 * options.localStorage: {key: value} written (plain strings) before any page script, on
 *   every navigation of the context (so it survives reloads).
 * options.initScript: function or {content} run before any page script (context.addInitScript).
 * options.allowPageErrors: unless true, uncaught page errors fail the test.
 */
export async function withPage(env, options, fn) {
  if (typeof options === 'function') {
    fn = options;
    options = {};
  }
  const context = await env.browser.newContext();
  try {
    if (options.localStorage) {
      await context.addInitScript((entries) => {
        try {
          for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
        } catch {
          /* about:blank and opaque origins have no storage */
        }
      }, options.localStorage);
    }
    if (options.initScript) await context.addInitScript(options.initScript);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err));
    const result = await fn(page, { context, errors });
    if (!options.allowPageErrors && errors.length) {
      throw new Error('uncaught page errors: ' + errors.map((e) => e.message).join('; '));
    }
    return result;
  } finally {
    await context.close();
  }
}

/** URL of the simulator's own page with config as query parameters. */
export function simPageUrl(env, params = FAST) {
  return env.url('/sim/index.html?' + new URLSearchParams(params));
}

/**
 * Waits until the simulator has dispatched `count` events named `name` (full name, e.g.
 * '_jorel-dialog-state-active'; a bare state gets the '_jorel-dialog-state-' prefix),
 * optionally for one callID. Works on any page that loaded jorel.js.
 */
export async function waitForSimEvent(page, name, { callID, count = 1, timeout = 5000 } = {}) {
  const full = name.startsWith(PREFIXES[0]) || name.startsWith(PREFIXES[1]) ? name : PREFIXES[0] + name;
  await page.waitForFunction(
    ([n, id, c]) =>
      !!window.__ziwoSim &&
      window.__ziwoSim.log.filter((e) => e.name === n && (id == null || e.callID === id)).length >= c,
    [full, callID ?? null, count],
    { timeout }
  );
}

/** The simulator's event log as state names under one prefix, optionally for one call. */
export function simStates(page, { callID, prefix = PREFIXES[0] } = {}) {
  return page.evaluate(
    ([id, p]) =>
      window.__ziwoSim.log
        .filter((e) => e.name.startsWith(p) && (id == null || e.callID === id))
        .map((e) => e.name.slice(p.length)),
    [callID ?? null, prefix]
  );
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits in Node until `check()` holds, failing after `timeout` ms with `what`. */
export async function waitFor(check, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * An init script (`withPage`'s `initScript`): the page records in `window.__windows` the
 * windows it asks for (the context's 'page' events come later).
 */
export const RECORD_WINDOWS = () => {
  const open = window.open;
  window.__windows = [];
  window.open = function (url, ...rest) {
    window.__windows.push(String(url));
    return open.call(this, url, ...rest);
  };
};

/**
 * The windows the `pages` asked for (see RECORD_WINDOWS), once each has answered every
 * claim it made so far on the pop-ups of `callIDs`: a request for a call's Web Lock, made
 * now with `ifAvailable` (so that it never waits for the tab that holds it), is answered
 * after the page's earlier ones, and the library opens the window in its own answer.
 */
export async function windowsAfterClaims(pages, callIDs) {
  const all = await Promise.all(pages.map((page) => page.evaluate(async (ids) => {
    for (const id of ids) {
      // Chromium refuses an answer that comes while the page opens a window: ask again.
      for (let tries = 0; ; tries++) {
        try { await navigator.locks.request('ziwo-webphone-popup:' + id, { ifAvailable: true }, () => {}); break; } catch (e) { if (tries >= 3) throw e; }
      }
    }
    return window.__windows;
  }, callIDs)));
  return all.flat();
}
