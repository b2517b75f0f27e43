// The npm package's JavaScript API in Firefox (WebDriver, see firefox.mjs): the browser
// mechanics that js/index.js and js/api.js do themselves (the loader script, localStorage,
// the dial function's polling, window listeners, window.open, Web Locks, fetch), with the
// simulator as the phone and the loopback API stand-in. Chromium runs the same ground, and
// more, in api.test.mjs, rest.test.mjs, simulator.test.mjs and tabs.test.mjs.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './helpers.mjs';
import { launchFirefox } from './firefox.mjs';
import { startApiServer } from '../scripts/api-server.mjs';

const T = { timeout: 60_000 };
const SIM = '/sim/jorel.js?loadDelayMs=0&connectDelayMs=0&stepDelayMs=0&answerDelayMs=0';
const TOKEN = 'tok-firefox-e2e';

let server;
let api;
let firefox;
before(async () => {
  [server, api, firefox] = await Promise.all([
    startServer({ root: 'www', mounts: { '/dist/': 'dist', '/pages/': 'e2e/pages' } }),
    startApiServer(),
    launchFirefox(),
  ]);
});
after(async () => {
  await firefox?.close();
  await server?.close();
  await api?.close();
});

/** Runs `fn(page)` in a fresh Firefox on the blank page, with the package as `window.lib`. */
async function withFirefox(entry, fn) {
  const page = await firefox.newPage();
  try {
    await page.goto(server.url + '/pages/blank.html');
    await page.evaluate(async ([entry, apiUrl]) => {
      window.lib = await import(entry);
      window.apiUrl = apiUrl;
    }, [entry, api.url]);
    return await fn(page);
  } finally {
    await page.close();
  }
}

describe('JavaScript API in Firefox', () => {
  test('install: validated first, the seed\'s script, keys before it, one script, a failed load retried', T, () =>
    withFirefox('/dist/index.js', async (page) => {
      const r = await page.evaluate(async ([sim, token]) => {
        const phone = await lib.createWebPhone();
        const errors = [];
        for (const options of [{ contactCenter: 'evil.com/x' }, { contactCenter: 'acme', scriptUrl: 'javascript:alert(1)' }, { contactCenter: 'acme', nonce: 'a b' }]) {
          try { await phone.install(options); errors.push('resolved'); } catch (e) { errors.push(e.code); }
        }
        const untouched = [document.querySelectorAll('script').length, localStorage.length];
        let failed;
        try { await phone.install({ contactCenter: 'acme', scriptUrl: '/sim/missing.js' }); } catch (e) { failed = e.code; }
        const afterFailure = document.querySelectorAll('#jorelScriptLoader').length;
        // The simulator reads the keys when it runs: they must be there before the script.
        await phone.install({ contactCenter: 'acme', token, position: 'top-left', size: 'small', scriptUrl: sim });
        await phone.install({ contactCenter: 'acme', scriptUrl: sim });
        const script = document.getElementById('jorelScriptLoader');
        await window.__ziwoSim.whenConnected();
        return {
          errors, untouched, failed, afterFailure,
          scripts: document.querySelectorAll('#jorelScriptLoader').length,
          first: document.body.firstElementChild === script,
          attributes: [script.type, script.async, new URL(script.src).pathname],
          keys: ['_jorel-token', '_jorel-ccName', '_jorel-default-position', '_jorel-default-size'].map((k) => localStorage.getItem(k)),
          loads: window.__ziwoSim.loadCount,
          connected: phone.connection,
        };
      }, [SIM, TOKEN]);
      assert.deepEqual(r.errors, ['invalid-contact-center', 'invalid-url', 'invalid-option']);
      assert.deepEqual(r.untouched, [0, 0], 'bad input changes nothing');
      assert.equal(r.failed, 'script-failed');
      assert.equal(r.afterFailure, 0, 'a failed script is removed');
      assert.equal(r.scripts, 1);
      assert.ok(r.first, 'prepended to document.body');
      assert.deepEqual(r.attributes, ['text/javascript', true, '/sim/jorel.js']);
      assert.deepEqual(r.keys, [TOKEN, 'acme', 'top-left', 'small'], 'plain strings');
      assert.equal(r.loads, 1);
      assert.equal(r.connected, 'connected', 'the simulator auto-logged in from the keys');
    }));

  test('sessions: plain strings, all-or-none writes, typed errors', T, () =>
    withFirefox('/dist/index.js', async (page) => {
      const r = await page.evaluate(async (token) => {
        const phone = await lib.createWebPhone();
        phone.setSession({ token, contactCenter: 'acme' });
        const written = [localStorage.getItem('_jorel-token'), localStorage.getItem('_jorel-ccName')];
        const session = phone.session();
        // The second write throws (quota): the first is put back.
        const setItem = Storage.prototype.setItem;
        Storage.prototype.setItem = function (key, value) {
          if (key === '_jorel-ccName') throw new DOMException('full', 'QuotaExceededError');
          return setItem.call(this, key, value);
        };
        let quota;
        try { phone.setSession({ token: 'other-token', contactCenter: 'other' }); } catch (e) { quota = e.code; }
        Storage.prototype.setItem = setItem;
        const afterQuota = localStorage.getItem('_jorel-token');
        // Reading the second key throws: the first write is undone too.
        const getItem = Storage.prototype.getItem;
        Storage.prototype.getItem = function (key) {
          if (key === '_jorel-ccName') throw new DOMException('denied', 'SecurityError');
          return getItem.call(this, key);
        };
        let unreadable;
        try { phone.setSession({ token: 'third-token', contactCenter: 'third' }); } catch (e) { unreadable = e.code; }
        Storage.prototype.getItem = getItem;
        const afterUnreadable = localStorage.getItem('_jorel-token');
        localStorage.setItem('_jorel-ccName', 'Not A Label');
        let corrupt;
        try { phone.session(); } catch (e) { corrupt = [e.code, e.key]; }
        phone.clearSession();
        return { written, session, quota, afterQuota, unreadable, afterUnreadable, corrupt, cleared: phone.session(), left: localStorage.length };
      }, TOKEN);
      assert.deepEqual(r.written, [TOKEN, 'acme']);
      assert.deepEqual(r.session, { token: TOKEN, contactCenter: 'acme', ccLogin: null });
      assert.equal(r.quota, 'storage-failed');
      assert.equal(r.afterQuota, TOKEN, 'the write before the failure was undone');
      assert.equal(r.unreadable, 'storage-unavailable');
      assert.equal(r.afterUnreadable, TOKEN, 'the write before the failed read was undone');
      assert.deepEqual(r.corrupt, ['corrupt-session', '_jorel-ccName']);
      assert.equal(r.cleared, null);
      assert.equal(r.left, 0);
    }));

  test('click to call waits for the phone, normalises the number, reports typed outcomes', T, () =>
    withFirefox('/dist/index.js', async (page) => {
      const r = await page.evaluate(async ([sim, token]) => {
        const phone = await lib.createWebPhone();
        const outcome = (p) => p.then(() => 'ok', (e) => e.code);
        const notReady = await outcome(phone.call('+971501234567', { timeoutMs: 100 }));
        const invalid = await outcome(phone.call('+971 50 abc'));
        // Dialled before the phone has loaded: waits for it.
        const early = outcome(phone.call('+971 (50) 123-4567'));
        await phone.install({ contactCenter: 'acme', token, scriptUrl: sim });
        const dialled = await early;
        return { notReady, invalid, dialled, numbers: window.__ziwoSim.dialed.slice() };
      }, [SIM, TOKEN]);
      assert.equal(r.notReady, 'phone-not-ready');
      assert.equal(r.invalid, 'invalid-number');
      assert.equal(r.dialled, 'ok');
      assert.deepEqual(r.numbers, ['+971501234567']);
    }));

  test('call events: both prefixes are one event, repeats are not transitions, phone events typed', T, () =>
    withFirefox('/dist/index.js', async (page) => {
      const r = await page.evaluate(async ([sim, token]) => {
        const phone = await lib.createWebPhone();
        const calls = [];
        const events = [];
        phone.onCall((e) => calls.push([e.state, e.previousState, e.direction, e.customerNumber, e.call.history.length]));
        phone.onPhoneEvent((e) => events.push(e.type === 'disconnected' ? [e.type, e.reason] : [e.type]));
        await phone.install({ contactCenter: 'acme', token, scriptUrl: sim });
        await window.__ziwoSim.whenConnected();
        const id = window.__ziwoSim.inbound('+971501234567');
        const wait = (n) => new Promise((resolve) => { const t = setInterval(() => { if (calls.length >= n) { clearInterval(t); resolve(); } }, 5); });
        await wait(1);
        window.__ziwoSim.answer(id);
        await wait(3);
        window.__ziwoSim.hangup(id);
        await wait(5);
        window.__ziwoSim.takeSession();
        await new Promise((resolve) => { const t = setInterval(() => { if (events.filter((e) => e[0] === 'disconnected').length >= 2) { clearInterval(t); resolve(); } }, 5); });
        return { calls, events, live: phone.calls().length, connection: phone.connection };
      }, [SIM, TOKEN]);
      assert.deepEqual(r.calls, [
        ['ringing', null, 'inbound', '+971501234567', 1],
        ['answering', 'ringing', 'inbound', '+971501234567', 2],
        ['active', 'answering', 'inbound', '+971501234567', 3],
        ['hangup', 'active', 'inbound', '+971501234567', 4],
        ['destroy', 'hangup', 'inbound', '+971501234567', 5],
      ]);
      assert.deepEqual(r.events.filter((e) => e[0] === 'disconnected'), [
        ['disconnected', 'duplicate-connection'],
        ['disconnected', 'socket-closed'],
      ]);
      assert.ok(r.events.some((e) => e[0] === 'connected'));
      assert.equal(r.live, 0, 'the call is forgotten at destroy');
      assert.equal(r.connection, 'disconnected');
    }));

  test('pop-up: once per call from a template, a blocked pop-up reported with its URL', T, () =>
    withFirefox('/dist/index.js', async (page) => {
      const r = await page.evaluate(async ([sim, token]) => {
        const phone = await lib.createWebPhone();
        const opened = [];
        const blocked = [];
        const open = window.open;
        window.open = (url, target, features) => { opened.push([url, target, features]); return opened.length === 1 ? open.call(window, 'about:blank') : null; };
        phone.popup({ url: '/pages/blank.html?n={number}', features: 'popup', onBlocked: (url, e) => blocked.push([url, e.state]) });
        await phone.install({ contactCenter: 'acme', token, scriptUrl: sim });
        await window.__ziwoSim.whenConnected();
        const first = window.__ziwoSim.inbound('+971 50');
        const second = window.__ziwoSim.inbound('+44 20');
        await new Promise((resolve) => { const t = setInterval(() => { if (opened.length >= 2) { clearInterval(t); resolve(); } }, 5); });
        window.__ziwoSim.answer(first);
        // The answer's events, to the last (the simulator logs each just before it
        // dispatches it, in the same task), have reached the library...
        const actives = () => window.__ziwoSim.log.filter((e) => e.name === 'ziwo-active' && e.callID === first).length;
        const deadline = Date.now() + 10_000;
        while (actives() < 2) {
          if (Date.now() > deadline) throw new Error("timed out waiting for the answer's second 'active'");
          await new Promise((r) => setTimeout(r, 10));
        }
        // ... and the library has answered every claim it made on the call's pop-up: a request
        // for its Web Lock made now (ifAvailable: this tab holds it) is answered after them.
        await navigator.locks.request('ziwo-webphone-popup:' + first, { ifAvailable: true }, () => {});
        return { opened: opened.map(([url, target, features]) => [new URL(url).search, target, features]), blocked: blocked.map(([url, state]) => [new URL(url).search, state]), ids: [first, second].length };
      }, [SIM, TOKEN]);
      assert.deepEqual(r.opened, [['?n=%2B971%2050', '_blank', 'popup'], ['?n=%2B44%2020', '_blank', 'popup']], 'one pop-up per call, URL-encoded');
      assert.deepEqual(r.blocked, [['?n=%2B44%2020', 'ringing']]);
    }));

  test('REST client: fetch on the API origin, credentials in a header, every failure typed', T, () =>
    withFirefox('/dist/full.js', async (page) => {
      api.reset();
      const cdr = await page.evaluate(async () => {
        window.client = await lib.createApiClient({ contactCenter: 'acme', token: 'test-access-token', baseUrl: apiUrl, timeoutMs: 500 });
        const cdr = await client.callHistory('46');
        const blob = await client.recording(cdr.callID);
        return { callID: cdr.callID, blob: [blob.type, blob.size > 0] };
      });
      for (const mode of ['500', '401', 'result-false', 'non-json', 'slow:2000', 'drop']) api.fail({ mode, path: '/callHistory/' });
      const outcomes = await page.evaluate(async () => {
        const out = [];
        for (let i = 0; i < 6; i++) {
          try { await client.callHistory('46'); out.push('resolved'); } catch (e) { out.push(e.status === undefined ? e.code : `${e.code} ${e.status}`); }
        }
        return out;
      });
      const r = { ...cdr, outcomes };
      assert.match(r.callID, /^fdf893f5/);
      assert.deepEqual(r.blob, ['audio/mpeg', true]);
      assert.deepEqual(r.outcomes, ['http-status 500', 'unauthorized 401', 'api-refused 200', 'malformed-response', 'timeout', 'network']);
      for (const request of api.requests().filter((q) => q.method !== 'OPTIONS' && !q.path.startsWith('/__control'))) {
        assert.equal(request.headers.access_token, 'test-access-token', request.path);
        assert.ok(!request.url.includes('test-access-token'), request.url);
      }
    }));
});
