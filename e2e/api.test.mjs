// The JavaScript API of the npm package (dist/), in Chromium: what a CRM developer
// calls, with the simulator as the phone.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, withPage, sleep, waitFor } from './helpers.mjs';

const T = { timeout: 30_000 };
const SIM = '/sim/jorel.js?loadDelayMs=0&connectDelayMs=0&stepDelayMs=0&answerDelayMs=0';
const AUTOLOGIN = { '_jorel-token': 'tok-e2e', '_jorel-ccName': 'acme' };

let env;
before(async () => {
  env = await setup({
    mounts: { '/dist/': 'dist', '/pages/': 'e2e/pages' },
    launchOptions: { args: ['--js-flags=--expose-gc'] },
  });
});
after(() => env?.close());

/**
 * Opens the blank page with the library loaded as `window.lib`, and two waits for the
 * tests' page code: `until(check, what)` (a condition, maybe async, with a deadline) and `claimsAnswered(id)`
 * (until every request this page made so far for call `id`'s pop-up lock has been answered:
 * a request made now, with `ifAvailable` so that it never waits for a holder, is answered
 * after them; the library opens the pop-up, or calls the resolver, in its own answer).
 */
async function open(page) {
  await page.goto(env.url('/pages/blank.html'));
  await page.evaluate(async () => {
    window.lib = await import('/dist/index.js');
    window.until = async (check, what, timeout = 10_000) => {
      const deadline = Date.now() + timeout;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    window.claimsAnswered = async (id) => {
      // Chromium refuses an answer that comes while the page opens a window: ask again.
      for (let tries = 0; ; tries++) {
        try { return await navigator.locks.request('ziwo-webphone-popup:' + id, { ifAvailable: true }, () => {}); } catch (e) { if (tries >= 3) throw e; }
      }
    };
  });
}

describe('JavaScript API', () => {
  test('importing the package in Node touches nothing', T, async () => {
    const lib = await import('../dist/index.js');
    assert.equal(typeof lib.createWebPhone, 'function');
    assert.equal(typeof lib.load, 'function');
    assert.equal(typeof globalThis.window, 'undefined');
  });

  test('load() takes every documented source; a failed load rejects and can be retried', T, async () => {
    const sources = {
      default: 'undefined',
      string: "'/dist/ziwo_webphone_bg.wasm'",
      url: "new URL('/dist/ziwo_webphone_bg.wasm', location.href)",
      request: "new Request('/dist/ziwo_webphone_bg.wasm')",
      response: "fetch('/dist/ziwo_webphone_bg.wasm')",
      bytes: "fetch('/dist/ziwo_webphone_bg.wasm').then((r) => r.arrayBuffer())",
      module: "WebAssembly.compileStreaming(fetch('/dist/ziwo_webphone_bg.wasm'))",
    };
    for (const [name, source] of Object.entries(sources)) {
      await withPage(env, async (page) => {
        await page.goto(env.url('/pages/blank.html'));
        const calls = await page.evaluate(async (source) => {
          const lib = await import('/dist/index.js');
          await lib.load(await (0, eval)(source));
          const phone = new lib.WebPhone();
          return phone.calls().length;
        }, source);
        assert.equal(calls, 0, name);
      });
    }
    await withPage(env, async (page) => {
      await page.goto(env.url('/pages/blank.html'));
      const result = await page.evaluate(async () => {
        const lib = await import('/dist/index.js');
        const outcomes = [];
        for (const source of ['/dist/missing.wasm', '/dist/index.js']) {
          try { await lib.load(source); outcomes.push('resolved'); } catch (e) { outcomes.push(lib.isZiwoError(e) && e.code); }
        }
        let before;
        try { new lib.WebPhone(); before = 'created'; } catch (e) { before = `${e.code}: ${e.message}`; }
        await lib.load();
        return { outcomes, before, after: new lib.WebPhone().connection };
      });
      assert.deepEqual(result.outcomes, ['wasm-unavailable', 'wasm-invalid']);
      assert.match(result.before, /^not-loaded: .*await load\(\) \(or init\(\)\) first/);
      assert.equal(result.after, 'unknown');
    });
  });

  test('text that is too long or not text is a typed error and writes nothing', T, () =>
    withPage(env, async (page) => {
      await open(page);
      const result = await page.evaluate(async () => {
        const phone = await lib.createWebPhone();
        const codes = [];
        const attempt = async (run) => { try { await run(); codes.push('ok'); } catch (e) { codes.push(e.code); } };
        await attempt(() => phone.setSession({ token: 'x'.repeat(4e6), contactCenter: 'acme' }));
        await attempt(() => phone.call('1'.repeat(5e6)));
        await attempt(() => phone.setSession({ token: 42, contactCenter: 'acme' }));
        await attempt(() => phone.call(15550100));
        const written = localStorage.length;
        // A page's override of getItem that returns something else than text.
        const getItem = Storage.prototype.getItem;
        Storage.prototype.getItem = () => 42;
        await attempt(() => phone.session());
        Storage.prototype.getItem = getItem;
        return { codes, written };
      });
      assert.deepEqual(result.codes, ['invalid-token', 'invalid-number', 'invalid-option', 'invalid-option', 'storage-unavailable']);
      assert.equal(result.written, 0);
    }));

  test('install validates first, rejects with typed errors and changes nothing', T, () =>
    withPage(env, async (page) => {
      await open(page);
      const result = await page.evaluate(async () => {
        const phone = await lib.createWebPhone();
        const errors = [];
        for (const options of [{ contactCenter: 'evil.com/x' }, 'Acme', { contactCenter: 'acme', position: 'middle' }, { contactCenter: 'acme', token: '"json"' }, { contactCenter: 'acme', scriptUrl: 'javascript:alert(1)' }, {}, null]) {
          try { await phone.install(options); errors.push('resolved'); } catch (e) { errors.push([lib.isZiwoError(e), e.name, e.code]); }
        }
        return { errors, scripts: document.querySelectorAll('script#jorelScriptLoader').length, keys: localStorage.length };
      });
      assert.deepEqual(result.errors, [
        [true, 'ZiwoError', 'invalid-contact-center'],
        [true, 'ZiwoError', 'invalid-contact-center'],
        [true, 'ZiwoError', 'invalid-option'],
        [true, 'ZiwoError', 'invalid-token'],
        [true, 'ZiwoError', 'invalid-url'],
        [true, 'ZiwoError', 'invalid-option'],
        [true, 'ZiwoError', 'invalid-option'],
      ]);
      assert.equal(result.scripts, 0);
      assert.equal(result.keys, 0);
    }));

  test('install, call events, click to call, unsubscribe', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await open(page);
      const result = await page.evaluate(async (sim) => {
        const phone = await lib.createWebPhone();
        const states = [];
        const events = [];
        const off = phone.onCall((e) => { states.push(e.state); events.push(JSON.parse(JSON.stringify(e))); });
        const connected = new Promise((r) => phone.onConnected(r));
        await phone.install({ contactCenter: 'acme', position: 'top-left', size: 'mini', scriptUrl: sim });
        await phone.install({ contactCenter: 'acme', scriptUrl: sim });
        const agent = await connected;
        await phone.call('+1 (555) 010-0199');
        // The end of the simulator's outbound flow: 'active', then 'active' again (a repeat).
        const count = (name) => __ziwoSim.log.filter((e) => e.name === name).length;
        await until(() => count('ziwo-active') >= 2, "the simulator's second 'active'");
        off();
        off();
        const live = phone.calls();
        __ziwoSim.hangup();
        // The simulator logs each event just before it dispatches it, in the same task.
        await until(() => count('ziwo-destroy') >= 1, "the simulator's 'destroy'");
        return {
          states, last: events[events.length - 1], agent,
          dialed: __ziwoSim.dialed, scripts: document.querySelectorAll('script#jorelScriptLoader').length,
          position: localStorage.getItem('_jorel-default-position'), live, after: phone.calls(),
        };
      }, SIM);
      assert.equal(result.scripts, 1);
      assert.equal(result.position, 'top-left');
      assert.deepEqual(result.dialed, ['+15550100199']);
      assert.deepEqual(result.states, ['requesting', 'trying', 'early', 'active'], 'no repeats, no twins, nothing after unsubscribe');
      assert.deepEqual(result.agent, { type: 'connected', agent: { ccLogin: '1001', firstName: result.agent.agent.firstName, lastName: result.agent.agent.lastName }, contactCenter: 'acme' });
      const e = result.last;
      assert.deepEqual(Object.keys(e).sort(), ['at', 'call', 'callId', 'customerNumber', 'direction', 'previousState', 'primaryCallId', 'rawState', 'recovered', 'state'].sort());
      assert.equal(e.customerNumber, '+15550100199');
      assert.equal(e.direction, 'outbound');
      assert.equal(e.previousState, 'early');
      assert.deepEqual(e.call.history.map((h) => h.state), ['requesting', 'trying', 'early', 'active']);
      for (const k of ['ringMs', 'talkMs', 'holdMs', 'startedAt', 'at']) assert.equal(typeof e.call[k], 'number', k);
      assert.equal(result.live.length, 1);
      assert.equal(result.live[0].state, 'active');
      assert.deepEqual(result.after, [], 'forgotten after destroy');
    }));

  test('click to call reports typed errors', T, () =>
    withPage(env, async (page) => {
      await open(page);
      const codes = await page.evaluate(async () => {
        const phone = await lib.createWebPhone();
        const out = [];
        for (const [n, o] of [['call me', undefined], [15550100, undefined], ['+1555', { timeoutMs: 50 }], ['+1555', { timeoutMs: -1 }]]) {
          try { await phone.call(n, o); out.push('ok'); } catch (e) { out.push(e.code); }
        }
        window['_jorel-callPhoneNumber'] = () => { throw new Error('Agent not connected'); };
        try { await phone.call('+1555'); } catch (e) { out.push(e.code + ': ' + e.message); }
        return out;
      });
      assert.deepEqual(codes, ['invalid-number', 'invalid-option', 'phone-not-ready', 'invalid-option', 'phone-threw: the web phone refused the call: Agent not connected']);
    }));

  test('a subscription lives until unsubscribed, even when JS drops every handle', T, () =>
    withPage(env, async (page) => {
      await open(page);
      const seen = await page.evaluate(async () => {
        window.seen = [];
        let phoneRef;
        await (async () => {
          const phone = await lib.createWebPhone();
          phone.onCall((e) => window.seen.push(e.state));
          phoneRef = new WeakRef(phone);
        })();
        const tick = () => new Promise((r) => setTimeout(r, 0));
        // Until the phone has been collected (a WeakRef keeps its target until the end of
        // the task that read it: collect in the next one)...
        await until(async () => { await tick(); gc(); await tick(); return phoneRef.deref() === undefined; }, 'the phone to be collected');
        // ... and its finalizer (the wasm glue's) has run: V8 runs the registries whose
        // targets died in first-in first-out order, so a registry made dirty by a later
        // collection runs after it.
        let swept = false;
        const sentinel = new FinalizationRegistry(() => { swept = true; });
        (() => { sentinel.register({}, 0); })();
        await until(async () => { await tick(); gc(); await tick(); return swept; }, 'a finalizer after the phone\'s');
        const detail = { callID: 'gc-1', customerNumber: '+1', direction: 'inbound' };
        window.dispatchEvent(new CustomEvent('_jorel-dialog-state-ringing', { detail }));
        return window.seen;
      });
      assert.deepEqual(seen, ['ringing']);
    }));

  test('a listener that throws does not stop the others', T, () =>
    withPage(env, { allowPageErrors: true }, async (page) => {
      await open(page);
      const result = await page.evaluate(async () => {
        const phone = await lib.createWebPhone();
        const rejections = [];
        window.addEventListener('unhandledrejection', (e) => { rejections.push(e.reason.message); e.preventDefault(); });
        const seen = [];
        phone.onCall(() => { throw new Error('listener bug'); });
        phone.onCall((e) => seen.push(e.state));
        window.dispatchEvent(new CustomEvent('_jorel-dialog-state-ringing', { detail: { callID: 't-1' } }));
        await until(() => rejections.length > 0, "the listener's error as an unhandled rejection");
        return { seen, rejections };
      });
      assert.deepEqual(result.seen, ['ringing']);
      assert.deepEqual(result.rejections, ['listener bug']);
    }));

  test('pop-ups from a resolver Promise open once per call', T, () =>
    withPage(env, async (page, { context }) => {
      await open(page);
      const popups = [];
      context.on('page', (p) => popups.push(p.url()));
      await page.evaluate(async () => {
        const phone = await lib.createWebPhone();
        window.asked = [];
        window.off = phone.popup({
          url: async (number, event) => { asked.push([number, event.state]); return '/pages/blank.html?customer=' + encodeURIComponent(number); },
        });
        const fire = (state) => window.dispatchEvent(new CustomEvent('_jorel-dialog-state-' + state, { detail: { callID: 'pp-1', customerNumber: '+971 50', direction: 'inbound' } }));
        fire('ringing'); fire('answering'); fire('active');
      });
      // Opened before off(): a pop-up cleared before its resolver answers opens nothing.
      await waitFor(() => popups.length >= 1, "pp-1's pop-up");
      const result = await page.evaluate(async () => {
        off();
        window.dispatchEvent(new CustomEvent('_jorel-dialog-state-ringing', { detail: { callID: 'pp-2', customerNumber: '+1', direction: 'inbound' } }));
        // The events went to the library as they were dispatched: once its claims on the
        // calls' pop-ups (if any) are answered, so are the resolver calls they make.
        await claimsAnswered('pp-1');
        await claimsAnswered('pp-2');
        return asked;
      });
      assert.deepEqual(result, [['+971 50', 'ringing']]);
      assert.equal(popups.length, 1);
      assert.match(popups[0], /\/pages\/blank\.html\?customer=%2B971%2050$/);
    }));

  test("features: 'noopener' opens the pop-up without reporting it blocked", T, () =>
    withPage(env, async (page, { context }) => {
      await open(page);
      const popups = [];
      context.on('page', (p) => popups.push(p.url()));
      await page.evaluate(async () => {
        const phone = await lib.createWebPhone();
        window.blocked = [];
        phone.popup({ url: '/pages/blank.html?n={number}', features: 'noopener', onBlocked: (url) => window.blocked.push(url) });
        window.dispatchEvent(new CustomEvent('_jorel-dialog-state-ringing', { detail: { callID: 'nop-1', customerNumber: '+1', direction: 'inbound' } }));
      });
      const deadline = Date.now() + 5000;
      while (popups.length < 1 && Date.now() < deadline) await sleep(20);
      assert.equal(popups.length, 1);
      // onBlocked would have run in the same task as window.open, before the new page.
      assert.deepEqual(await page.evaluate(() => window.blocked), []);
      assert.deepEqual(await page.evaluate(() => window.opener), null);
    }));

  test('a listener that changes its event object changes neither the pop-up nor the next listener', T, () =>
    withPage(env, async (page) => {
      await open(page);
      const result = await page.evaluate(async () => {
        const phone = await lib.createWebPhone();
        const opened = [];
        window.open = (url) => { opened.push(new URL(url).search); return {}; };
        const given = [];
        phone.popup({ url: (number, event) => { given.push([number, event.customerNumber]); return '/pages/blank.html?n=' + number; } });
        phone.onCall((e) => { e.customerNumber = 'evil/../x'; e.callId = 7; e.call.customerNumber = null; });
        const second = [];
        phone.onCall((e) => second.push(e.customerNumber));
        window.dispatchEvent(new CustomEvent('_jorel-dialog-state-ringing', { detail: { callID: 'mut-1', customerNumber: '+971 50', direction: 'inbound' } }));
        await until(() => opened.length > 0, 'the pop-up');
        return { opened, given, second };
      });
      assert.deepEqual(result.given, [['+971 50', '+971 50']], 'the resolver got the call as the phone sent it');
      assert.deepEqual(result.opened, ['?n=+971%2050']);
      assert.deepEqual(result.second, ['evil/../x'], 'listeners share one object, as they always did');
    }));

  test("a call whose lock another tab holds opens nothing here; a pop-up disposed or replaced before the tabs answer opens nothing", T, () =>
    withPage(env, async (page) => {
      await open(page);
      const result = await page.evaluate(async () => {
        const opened = [];
        window.open = (url) => { opened.push(new URL(url).search); return {}; };
        const ring = (id) => window.dispatchEvent(new CustomEvent('_jorel-dialog-state-ringing', { detail: { callID: id, customerNumber: '+971 50', direction: 'inbound' } }));
        // Until every request made so far for the call's lock has run.
        const answered = (id) => navigator.locks.request('ziwo-webphone-popup:' + id, () => {});
        // Another tab holds the call's lock: it opens the pop-up; this tab does not wait.
        let release;
        await new Promise((granted) => navigator.locks.request('ziwo-webphone-popup:lock-0', () => { granted(); return new Promise((r) => { release = r; }); }));
        const phone = await lib.createWebPhone();
        const lines = [];
        lib.setLogger((level, message) => lines.push(message), 'info');
        phone.popup('/pages/blank.html?n={number}&c={callId}');
        ring('lock-0');
        const decided = Date.now() + 5000;
        while (!lines.includes("another tab is opening this call's pop-up") && Date.now() < decided) await new Promise((r) => setTimeout(r, 10));
        lib.setLogger(null);
        const heardOther = lines.includes("another tab is opening this call's pop-up");
        const whileHeld = opened.length;
        release();
        await answered('lock-0');
        // Disposed, or replaced, between the ring and the tabs' answer.
        ring('lock-1');
        phone.dispose();
        await answered('lock-1');
        const replaced = await lib.createWebPhone();
        replaced.popup('/pages/blank.html?first={number}');
        ring('lock-2');
        replaced.popup('/pages/blank.html?second={number}&c={callId}');
        await answered('lock-2');
        ring('lock-3');
        const deadline = Date.now() + 5000;
        while (opened.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        return { heardOther, whileHeld, opened, claims: localStorage.getItem('_ziwo-webphone-popups') };
      });
      assert.equal(result.heardOther, true, 'this tab saw the call taken by the other');
      assert.equal(result.whileHeld, 0);
      assert.deepEqual(result.opened, ['?second=%2B971%2050&c=lock-3'], 'only the next call of the new settings');
      assert.match(result.claims, /^lock-3\t\d+\n$/, 'no claim for the calls that opened nothing here');
    }));

  test("the page's odd values break nothing: arrays that change when read again, huge claims, storage that answers undefined, a getter that disposes the phone", T, () =>
    withPage(env, async (page) => {
      await open(page);
      const result = await page.evaluate(async () => {
        await lib.load();
        // An extraStates array whose item is short when sized and long when encoded.
        let reads = 0;
        const shifty = new Proxy(['ab'], { get: (t, k) => (k === '0' && reads++ > 0 ? 'x'.repeat(200000) : t[k]) });
        let shiftyOutcome;
        try { new lib.WebPhone({ extraStates: shifty }).dispose(); shiftyOutcome = 'created'; } catch (e) { shiftyOutcome = e.code; }

        // Cross-tab claims too long to read: the pop-up opens here and listeners still hear the call.
        localStorage.setItem('_ziwo-webphone-popups', 'c\t1\n'.repeat(200000));
        const phone = new lib.WebPhone();
        const opened = [];
        window.open = (url) => { opened.push(new URL(url).search); return {}; };
        phone.popup({ url: '/pages/blank.html?n={number}' });
        const heard = [];
        phone.onCall((e) => heard.push(e.state));
        window.dispatchEvent(new CustomEvent('_jorel-dialog-state-ringing', { detail: { callID: 'big-1', customerNumber: '+971 50', direction: 'inbound' } }));
        await until(() => opened.length > 0, 'the pop-up');
        localStorage.clear();

        // A storage stand-in that answers undefined for a missing key.
        const getItem = Storage.prototype.getItem;
        Storage.prototype.getItem = function (key) { const v = getItem.call(this, key); return v === null ? undefined : v; };
        phone.setSession({ token: 'tok-undefined-ok', contactCenter: 'acme' });
        const session = phone.session();
        Storage.prototype.getItem = getItem;

        // A detail getter that disposes the phone and makes another: the event reaches neither.
        let other;
        const detail = { get callID() { phone.dispose(); other = new lib.WebPhone(); return 'gone-1'; } };
        window.dispatchEvent(new CustomEvent('_jorel-dialog-state-active', { detail }));
        const afterDispose = other.calls().map((c) => c.callId);
        return { shiftyOutcome, opened, heard, session, afterDispose, works: new lib.WebPhone().connection };
      });
      assert.equal(result.shiftyOutcome, 'created');
      assert.deepEqual(result.opened, ['?n=%2B971%2050']);
      assert.deepEqual(result.heard, ['ringing']);
      assert.deepEqual(result.session, { token: 'tok-undefined-ok', contactCenter: 'acme', ccLogin: null });
      assert.deepEqual(result.afterDispose, []);
      assert.equal(result.works, 'unknown');
    }));

  test("a page's own 'storage' events with odd keys are ignored, and nothing breaks", T, () =>
    withPage(env, async (page) => {
      await open(page);
      const result = await page.evaluate(async () => {
        const phone = await lib.createWebPhone();
        const changes = [];
        phone.onSessionChange((c) => changes.push(c.signedIn));
        for (const key of [7, {}, Symbol.iterator]) {
          const fake = new Event('storage');
          Object.defineProperty(fake, 'key', { value: key });
          Object.defineProperty(fake, 'storageArea', { value: localStorage });
          window.dispatchEvent(fake);
        }
        window.dispatchEvent(new StorageEvent('storage', { key: '_jorel-token', storageArea: sessionStorage }));
        // The module still works after all that.
        phone.setSession({ token: 'tok-after', contactCenter: 'acme' });
        window.dispatchEvent(new StorageEvent('storage', { key: '_jorel-token', storageArea: localStorage }));
        return { changes, session: phone.session().token, calls: phone.calls().length };
      });
      assert.deepEqual(result, { changes: [true], session: 'tok-after', calls: 0 });
    }));

  test('sessions: plain strings in, typed errors out, changes from other tabs reported', T, () =>
    withPage(env, async (page, { context }) => {
      await open(page);
      const other = await context.newPage();
      await other.goto(env.url('/pages/blank.html'));
      const result = await page.evaluate(async () => {
        const phone = await lib.createWebPhone();
        window.changes = [];
        phone.onSessionChange((c) => window.changes.push(c));
        const out = {};
        phone.setSession({ token: 'tok-1', contactCenter: 'acme' });
        out.stored = [localStorage.getItem('_jorel-token'), localStorage.getItem('_jorel-ccName')];
        out.session = phone.session();
        for (const bad of [{ token: 'a b', contactCenter: 'acme' }, { token: 't', contactCenter: 'a.b' }]) {
          try { phone.setSession(bad); } catch (e) { (out.errors ||= []).push(e.code); }
        }
        localStorage.setItem('_jorel-ccName', 'not/valid');
        try { phone.session(); } catch (e) { out.corrupt = [e.code, e.key]; }
        localStorage.setItem('_jorel-ccName', 'acme');
        return out;
      });
      assert.deepEqual(result.stored, ['tok-1', 'acme']);
      assert.deepEqual(result.session, { token: 'tok-1', contactCenter: 'acme', ccLogin: null });
      assert.deepEqual(result.errors, ['invalid-token', 'invalid-contact-center']);
      assert.deepEqual(result.corrupt, ['corrupt-session', '_jorel-ccName']);
      // Another tab logs out: this one hears of it, without the token.
      await other.evaluate(() => { localStorage.removeItem('_jorel-token'); });
      await page.waitForFunction(() => window.changes.length > 0);
      const changes = await page.evaluate(() => window.changes);
      assert.deepEqual(changes.at(-1), { signedIn: false, contactCenter: null, ccLogin: null, error: null });
    }));

  test('dispose removes every listener; a new phone works', T, () =>
    withPage(env, async (page) => {
      await open(page);
      const result = await page.evaluate(async () => {
        const phone = await lib.createWebPhone();
        const seen = [];
        phone.onCall((e) => seen.push('old:' + e.state));
        phone.dispose();
        phone.dispose();
        let code;
        try { phone.onCall(() => {}); } catch (e) { code = e.code; }
        const again = await lib.createWebPhone();
        again.onCall((e) => seen.push('new:' + e.state));
        window.dispatchEvent(new CustomEvent('ziwo-ringing', { detail: { callID: 'd-1' } }));
        return { seen, code, disposed: phone.disposed };
      });
      assert.deepEqual(result, { seen: ['new:ringing'], code: 'disposed', disposed: true });
    }));
});
