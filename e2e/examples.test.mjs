// The examples (examples/), each served as it is meant to be deployed and loaded in
// Chromium with the simulator signed in: a simulated inbound call reaches the page's own
// handler, and clicking a number dials it. The Vite and React apps are their production
// builds, made from the packed tarball by ./scripts/build-examples.sh (run it first).
// The strict-CSP page is also checked for violations, and against two weaker servers that
// prove the policy is enforced: the nonce and 'wasm-unsafe-eval' are what let it work.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, FAST } from './helpers.mjs';
import { serveExample } from '../examples/serve.mjs';
import { startCspServer } from '../examples/csp/server.mjs';

const T = { timeout: 30_000 };
const AUTOLOGIN = { '_jorel-token': 'tok-examples', '_jorel-ccName': 'acme' };
const INBOUND = '+15550100';
const LUCIUS = { shown: '+1 (555) 010-0199', dialed: '+15550100199' };

// Before any page script: the simulator's fast timings, and a record of every CSP
// violation (they are also logged to the console, which is recorded too).
const INIT = {
  content: `window.__ziwoSimConfig = ${JSON.stringify(FAST)};
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI });
    }, true);`,
};

let browser;
const servers = {};
before(async () => {
  browser = await launch();
  for (const name of ['vite', 'react', 'script-tag', 'csp']) servers[name] = await serveExample(name);
});
after(async () => {
  await browser?.close();
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

/** Runs `fn` in a fresh context (fresh storage), signed in to the simulator. */
const inPage = (fn) =>
  withPage({ browser }, { localStorage: AUTOLOGIN, initScript: INIT }, async (page, ctx) => {
    const consoleCsp = [];
    page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) consoleCsp.push(m.text()); });
    return fn(page, { ...ctx, consoleCsp });
  });

/**
 * Waits (at most 5 s) until `fn(arg)` is truthy in the page; on a time-out, fails with
 * `what` and what the page shows, rather than a bare TimeoutError.
 */
async function waitFor(page, what, fn, arg) {
  try {
    await page.waitForFunction(fn, arg, { timeout: 5_000 });
  } catch (error) {
    const shown = await page.evaluate(() => ({
      lastCall: document.querySelector('#last-call')?.textContent,
      status: document.querySelector('#phone-status')?.textContent,
      sim: window.__ziwoSim ? { loaded: window.__ziwoSim.loaded, status: window.__ziwoSim.status, dialed: window.__ziwoSim.dialed } : 'not loaded',
      csp: window.__cspViolations,
    })).catch(() => ({}));
    throw new Error(`timed out waiting for ${what}; the page shows ${JSON.stringify(shown)}`, { cause: error });
  }
}

/** Opens `url` and waits until the example's phone is loaded and connected. */
async function open(page, url) {
  const response = await page.goto(url);
  assert.equal(response.status(), 200);
  await waitFor(page, 'the phone to connect', () => window.__ziwoSim?.connected);
  return response;
}

const lastCall = (page) => page.locator('#last-call');

/** (a) a simulated inbound call reaches the page's handler; (b) a click dials. */
async function inboundAndDial(page) {
  await page.evaluate((n) => window.__ziwoSim.inbound(n), INBOUND);
  await waitFor(page, 'the inbound call in #last-call',
    (n) => document.querySelector('#last-call')?.textContent === `inbound call with ${n}: ringing`, INBOUND);

  assert.deepEqual(await page.evaluate(() => window.__ziwoSim.dialed), []);
  await page.getByRole('button', { name: LUCIUS.shown }).click();
  await waitFor(page, 'a number to be dialled', () => window.__ziwoSim.dialed.length > 0);
  assert.deepEqual(await page.evaluate(() => window.__ziwoSim.dialed), [LUCIUS.dialed]);
  // The page's handler hears the outbound call too.
  await waitFor(page, 'the outbound call in #last-call',
    (n) => document.querySelector('#last-call')?.textContent.startsWith(`outbound call with ${n}: `), LUCIUS.dialed);
}

/** The pop-up of the inbound call: the example's customer page, with the number. */
async function expectPopup(popupEvent) {
  const popup = await popupEvent;
  await popup.waitForLoadState();
  const url = new URL(popup.url());
  assert.equal(url.pathname, '/customer.html');
  assert.equal(url.searchParams.get('phone'), INBOUND);
  assert.equal(await popup.textContent('#phone'), INBOUND);
}

describe('examples', () => {
  for (const name of ['vite', 'react']) {
    test(`${name}: the built app hears an inbound call, pops up the customer, and dials on click`, T, () =>
      inPage(async (page, { context }) => {
        await open(page, servers[name].url + '/');
        assert.equal(await lastCall(page).textContent(), 'No call yet.');
        // Built from the tarball: the bundler emitted the .wasm as an asset; the app imports
        // ziwo-webphone only, so it loads the companion's module.
        const wasm = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.endsWith('.wasm')));
        assert.equal(wasm.length, 1);
        assert.match(wasm[0], /\/assets\/ziwo_webphone_companion_bg-[\w-]+\.wasm$/);
        const popup = context.waitForEvent('page', { timeout: 5_000 });
        popup.catch(() => {}); // awaited below, unless the test fails before
        await inboundAndDial(page);
        await expectPopup(popup);
      }));
  }

  test('react: the useZiwoCalls hook lists the live calls', T, () =>
    inPage(async (page) => {
      await open(page, servers.react.url + '/');
      await page.evaluate((n) => window.__ziwoSim.inbound(n), INBOUND);
      await waitFor(page, 'the call in #live-calls',
        (n) => [...document.querySelectorAll('#live-calls li')].some((li) => li.textContent.startsWith(`${n} · ringing`)), INBOUND);
    }));

  test('script-tag: one <script> and one call, the global ZiwoWebPhone and its .wasm found next to the script', T, () =>
    inPage(async (page) => {
      await open(page, servers['script-tag'].url + '/');
      const { exports, extraGlobals, wasm } = await page.evaluate(() => ({
        exports: Object.keys(window.ZiwoWebPhone).sort(),
        extraGlobals: Object.keys(window).filter((k) => /ziwo/i.test(k) && !['ZiwoWebPhone', '__ziwoSim', '__ziwoSimConfig'].includes(k)),
        wasm: performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname).filter((p) => p.endsWith('.wasm')),
      }));
      // The same exports as the ES module (which importing in Node proves touches nothing).
      const esm = Object.keys(await import('../dist/index.js')).sort();
      assert.deepEqual(exports, esm);
      assert.ok(esm.includes('createWebPhone') && esm.includes('init'));
      assert.deepEqual(extraGlobals, [], 'the script defines one global');
      assert.deepEqual(wasm, ['/dist/ziwo_webphone_companion_bg.wasm'], 'the companion\'s .wasm beside the script, not beside the page');
      await inboundAndDial(page);
    }));

  describe('csp: a page under script-src \'self\' \'nonce-…\' \'wasm-unsafe-eval\'', () => {
    test('works with no violation: the nonce reaches the loader, the wasm compiles', T, () =>
      inPage(async (page, { consoleCsp }) => {
        const response = await open(page, servers.csp.url + '/');
        const policy = response.headers()['content-security-policy'];
        const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
        assert.ok(nonce, policy);
        assert.match(policy, /script-src 'self' 'nonce-[^']+' 'wasm-unsafe-eval'/);
        assert.doesNotMatch(policy, /unsafe-inline|'unsafe-eval'/);
        // The phone's loader comes from another origin, which the policy does not list:
        // its nonce is what allows it.
        const loader = await page.evaluate(() => {
          const s = document.getElementById('jorelScriptLoader');
          return { src: s.src, nonce: s.nonce };
        });
        assert.equal(loader.nonce, nonce);
        assert.equal(new URL(loader.src).origin, servers.csp.phoneUrl);
        assert.notEqual(servers.csp.phoneUrl, servers.csp.url);
        assert.ok(!policy.includes(servers.csp.phoneUrl));

        await inboundAndDial(page);
        await waitFor(page, 'install() to resolve', () => document.querySelector('#phone-status').textContent === 'Phone loaded.');
        // A second response has another nonce.
        const again = await page.request.get(servers.csp.url + '/');
        assert.notEqual(/'nonce-([^']+)'/.exec(again.headers()['content-security-policy'])?.[1], nonce);

        assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
        assert.deepEqual(consoleCsp, []);
      }));

    test('without the nonce passed to install, the loader is refused (the policy is enforced)', T, () =>
      inPage(async (page) => {
        await page.route(servers.csp.url + '/', async (route) => {
          const response = await route.fetch();
          const body = (await response.text()).replace(/,\s*nonce\s*\}\)/, ' })');
          assert.ok(!/,\s*nonce\s*\}\)/.test(body));
          await route.fulfill({ response, body });
        });
        await page.goto(servers.csp.url + '/');
        await waitFor(page, 'install() to fail', () => document.querySelector('#phone-status').textContent === 'The phone did not load: script-failed');
        const violations = await page.evaluate(() => window.__cspViolations);
        assert.deepEqual(violations, [{ directive: 'script-src-elem', blocked: `${servers.csp.phoneUrl}/jorel.js` }]);
      }));

    test("without 'wasm-unsafe-eval', the wasm is refused (so it loaded under it)", T, async () => {
      const weaker = await startCspServer({ policy: (nonce) => `script-src 'self' 'nonce-${nonce}'` });
      try {
        await inPage(async (page) => {
          await page.goto(weaker.url + '/');
          await waitFor(page, 'createWebPhone() to fail', () => document.querySelector('#phone-status').textContent === 'The phone did not load: wasm-blocked');
          const violations = await page.evaluate(() => window.__cspViolations);
          assert.deepEqual(violations, [{ directive: 'script-src', blocked: 'wasm-eval' }]);
        });
      } finally {
        await weaker.close();
      }
    });
  });
});
