// The one browser layer, through the npm package's JavaScript API: the behaviours that
// the Rust layer and the old JavaScript facade used to disagree on (issue "One browser
// layer"), each decided once in src/browser/ and checked here in Chromium and Firefox.
// The Rust API's side of each is in tests/web_*.rs.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, withPage } from './helpers.mjs';
import { launchFirefox } from './firefox.mjs';

const T = { timeout: 60_000 };
const SIM = '/sim/jorel.js?loadDelayMs=0&connectDelayMs=0&stepDelayMs=0&answerDelayMs=0';

// Each case runs in the page with the package as `lib` and returns plain data; the same
// function runs in Chromium (Playwright) and Firefox (WebDriver).
const until = `async (check, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) { if (Date.now() > end) throw new Error('timed out waiting'); await new Promise((r) => setTimeout(r, 10)); }
}`;

const CASES = {
  async 'after dispose, every method fails with disposed and nothing is dialled or installed'() {
    const phone = await lib.createWebPhone();
    const dialled = [];
    window['_jorel-callPhoneNumber'] = (n) => { dialled.push(n); };
    phone.dispose();
    const codes = [];
    const attempt = async (run) => { try { await run(); codes.push('ok'); } catch (e) { codes.push(e.code); } };
    await attempt(() => phone.call('+15550100'));
    await attempt(() => phone.install({ contactCenter: 'acme', scriptUrl: '/pages/blank.html' }));
    await attempt(() => phone.onCall(() => {}));
    await attempt(() => phone.onSessionChange(() => {}));
    await attempt(() => phone.popup('/pages/blank.html?n={number}'));
    delete window['_jorel-callPhoneNumber'];
    return { codes, dialled, scripts: document.querySelectorAll('#jorelScriptLoader').length };
  },

  async 'events dispatched from inside a listener reach every listener in order, none lost'() {
    const phone = await lib.createWebPhone();
    const first = [];
    const second = [];
    // As core-front does: each event under both prefixes, with the same detail.
    const fire = (state) => {
      const detail = { callID: 'nest-1', customerNumber: '+1', direction: 'inbound' };
      window.dispatchEvent(new CustomEvent('_jorel-dialog-state-' + state, { detail }));
      window.dispatchEvent(new CustomEvent('ziwo-' + state, { detail }));
    };
    // As core-front does: answering from a listener dispatches `active` synchronously,
    // between `ringing` and its twin.
    phone.onCall((e) => {
      first.push(e.state);
      if (e.state === 'ringing') fire('active');
    });
    phone.onCall((e) => second.push(`${e.previousState}>${e.state}`));
    fire('ringing');
    fire('hangup');
    fire('destroy');
    return { first, second, live: phone.calls().length };
  },

  async 'two thousand calls under both prefixes: every transition reaches the listener, once'() {
    const phone = await lib.createWebPhone();
    let heard = 0;
    const bad = [];
    phone.onCall((e) => { heard++; if (e.callId !== e.call.callId) bad.push(e.callId); });
    const states = ['ringing', 'answering', 'active', 'held', 'active', 'hangup', 'destroy'];
    for (let i = 0; i < 2000; i++) {
      const detail = { callID: `load-${i}-${'x'.repeat(i % 50)}`, customerNumber: '+97150' + i, direction: 'inbound' };
      for (const state of states) {
        window.dispatchEvent(new CustomEvent('_jorel-dialog-state-' + state, { detail }));
        window.dispatchEvent(new CustomEvent('ziwo-' + state, { detail }));
      }
    }
    return { heard, bad, live: phone.calls().length };
  },

  async 'a storage read that throws is storage-unavailable, never logged out'() {
    const phone = await lib.createWebPhone();
    phone.setSession({ token: 'tok-read', contactCenter: 'acme' });
    const changes = [];
    phone.onSessionChange((c) => changes.push({ signedIn: c.signedIn, code: c.error && c.error.code, keys: Object.keys(c).sort() }));
    const getItem = Storage.prototype.getItem;
    Storage.prototype.getItem = function () { throw new Error('blocked'); };
    let code;
    try { phone.session(); code = 'read'; } catch (e) { code = e.code; }
    window.dispatchEvent(new StorageEvent('storage', { key: '_jorel-token', storageArea: localStorage }));
    Storage.prototype.getItem = getItem;
    return { code, changes };
  },

  async "a dial function that throws an error whose message getter throws still rejects, typed"() {
    const phone = await lib.createWebPhone();
    const outcomes = [];
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', { get() { throw new Error('getter'); } });
    window['_jorel-callPhoneNumber'] = () => { throw hostile; };
    try { await phone.call('+1555'); outcomes.push('resolved'); } catch (e) { outcomes.push([lib.isZiwoError(e), e.code, e.message]); }
    window['_jorel-callPhoneNumber'] = () => Promise.reject(hostile);
    try { await phone.call('+1555'); outcomes.push('resolved'); } catch (e) { outcomes.push([lib.isZiwoError(e), e.code, e.message]); }
    // A Promise that never settles: the call settles at its timeout all the same.
    window['_jorel-callPhoneNumber'] = () => new Promise(() => {});
    try { await phone.call('+1555', { timeoutMs: 100 }); outcomes.push('resolved'); } catch (e) { outcomes.push([lib.isZiwoError(e), e.code, e.message]); }
    delete window['_jorel-callPhoneNumber'];
    return outcomes;
  },

  async "the phone's and the API's messages never carry the token or the number, whatever their length"() {
    await lib.load();
    localStorage.setItem('_jorel-token', 'Ab3$xYz');
    localStorage.setItem('_jorel-ccName', 'acme');
    const phone = new lib.WebPhone();
    window['_jorel-callPhoneNumber'] = (n) => { throw new Error(`no agent for ${n} (97150123) with Ab3$xYz`); };
    const dial = await phone.call('+971 50123').then(() => 'resolved', (e) => e.message);
    delete window['_jorel-callPhoneNumber'];
    const realFetch = window.fetch;
    window.fetch = async () => new Response(JSON.stringify({ result: false, info: { message: 'unknown token Ab3$xYz' } }), { status: 200 });
    const api = new lib.ApiClient({ fromSession: true, baseUrl: location.origin });
    const refusal = await api.callHistory('46').then(() => 'resolved', (e) => e.message);
    window.fetch = realFetch;
    localStorage.clear();
    return { dial, refusal };
  },

  async 'timeouts are checked alike for dialling and the API'() {
    const phone = await lib.createWebPhone();
    const codes = [];
    for (const timeoutMs of [-1, 600001, NaN, '50']) {
      try { await phone.call('+1555', { timeoutMs }); codes.push('ok'); } catch (e) { codes.push(e.code); }
    }
    for (const timeoutMs of [0, 600001]) {
      try { await lib.createApiClient({ contactCenter: 'acme', token: 't', timeoutMs }); codes.push('ok'); } catch (e) { codes.push(e.code); }
    }
    return codes;
  },

  async 'a second install with another contact center or token is refused and writes nothing'() {
    const phone = await lib.createWebPhone();
    await phone.install({ contactCenter: 'acme', token: 'tok-first', scriptUrl: SIM });
    const before = JSON.stringify(Object.entries(localStorage).sort());
    const codes = [];
    for (const options of [{ contactCenter: 'other', scriptUrl: SIM }, { contactCenter: 'acme', token: 'tok-second', scriptUrl: SIM },
      { contactCenter: 'acme', scriptUrl: SIM + '&other=1' }, { contactCenter: 'acme', token: 'tok-first', scriptUrl: SIM, position: 'top-left' }]) {
      try { await phone.install(options); codes.push('ok'); } catch (e) { codes.push(e.code); }
    }
    const after = JSON.stringify(Object.entries(localStorage).filter(([k]) => k !== '_jorel-default-position' && k !== '_jorel-ccLogin').sort());
    return { codes, unchanged: before.replace(/,?\["_jorel-ccLogin","[^"]*"\]/, '') === after, scripts: document.querySelectorAll('#jorelScriptLoader').length };
  },

  async "the connected event's agent is read from agent.userInfo, as ZIWO's SDK sends it"() {
    const phone = await lib.createWebPhone();
    const agents = [];
    phone.onConnected((e) => agents.push(e.agent));
    const connected = (agent) => window.dispatchEvent(new CustomEvent('_jorel-dialog-state-connected', { detail: { agent, contactCenterName: 'acme' } }));
    connected({ userInfo: { ccLogin: '1001', firstName: 'Ada', lastName: 'L' }, queues: [], numbers: [], webRtc: {}, position: {} });
    connected({ ccLogin: '1002', firstName: 'Top', lastName: 'Level' });
    return agents;
  },

  async 'the logger takes (sink, level), as in Rust, and a throwing sink breaks nothing'() {
    await lib.load();
    const lines = [];
    lib.setLogger((level, message) => lines.push(level + ': ' + message), 'debug');
    const phone = new lib.WebPhone();
    window.dispatchEvent(new CustomEvent('ziwo-ringing', { detail: { callID: 'log-1' } }));
    let bad;
    try { lib.setLogger(() => {}, 'loud'); } catch (e) { bad = e.code; }
    lib.setLogger(() => { throw new Error('sink bug'); }, 'debug');
    const heard = [];
    phone.onCall((e) => heard.push(e.state));
    window.dispatchEvent(new CustomEvent('ziwo-active', { detail: { callID: 'log-1' } }));
    lib.setLogger(null);
    phone.dispose();
    return { lines, bad, heard };
  },

  async "a template value that is a dot segment opens nothing and is reported"() {
    const phone = await lib.createWebPhone();
    const opened = [];
    window.open = (url) => { opened.push(url); return {}; };
    const errors = [];
    phone.popup({ url: '/pages/customers/{number}?call={callId}', onError: (e, event) => errors.push([e.code, event.callId]) });
    const ring = (callID, customerNumber) => window.dispatchEvent(new CustomEvent('_jorel-dialog-state-ringing', { detail: { callID, customerNumber, direction: 'inbound' } }));
    ring('dots-1', '..');
    ring('dots-2', '%2e%2E');
    ring('..', '+971 50');
    ring('dots-3', '+971 50');
    await waitFor(() => opened.length + errors.length >= 4);
    return { opened: opened.map((u) => new URL(u).pathname + new URL(u).search), errors };
  },

  async 'odd values from the page and the phone: refused or kept apart, typed'() {
    await lib.load();
    const out = {};
    const code = (run) => { try { run(); return 'ok'; } catch (e) { return e.code; } };
    const phone = new lib.WebPhone({ extraStates: ['connected', 'transferring'] });
    out.emptyTemplate = code(() => phone.popup(''));
    out.blankTemplate = code(() => phone.popup({ url: '   ' }));
    out.numericContactCenter = await lib.createApiClient({ contactCenter: 42 }).then(() => 'ok', (e) => e.code);
    // An extra state already listened to is one listener: each event once.
    const connected = [];
    phone.onConnected(() => connected.push(1));
    window.dispatchEvent(new CustomEvent('_jorel-dialog-state-connected', { detail: { agent: {}, contactCenterName: 'acme' } }));
    out.connected = connected.length;
    // Ids with lone surrogates are not merged into one: they are no valid callID.
    const heard = [];
    phone.onCall((e) => heard.push(e.callId));
    for (const callID of ['sur\uD800', 'sur\uDBFF']) {
      window.dispatchEvent(new CustomEvent('_jorel-dialog-state-ringing', { detail: { callID, customerNumber: '+1', direction: 'inbound' } }));
    }
    out.lone = [heard.length, phone.calls().length];
    // A stored token far too long is a corrupt session, named.
    localStorage.setItem('_jorel-token', 'x'.repeat(400000));
    localStorage.setItem('_jorel-ccName', 'acme');
    try { phone.session(); out.longToken = 'read'; } catch (e) { out.longToken = [e.code, e.key]; }
    localStorage.clear();
    // Storage that answers something else than text writes nothing.
    const getItem = Storage.prototype.getItem;
    Storage.prototype.getItem = () => 42;
    out.oddStorage = [code(() => phone.setSession({ token: 'tok-odd', contactCenter: 'acme' })),
      await phone.install({ contactCenter: 'acme', token: 'tok-odd', scriptUrl: SIM }).then(() => 'ok', (e) => e.code)];
    Storage.prototype.getItem = getItem;
    out.written = localStorage.length;
    // An element of the CRM's own with the loader's id is no loader.
    const div = document.createElement('div');
    div.id = 'jorelScriptLoader';
    document.body.append(div);
    await phone.install({ contactCenter: 'acme', scriptUrl: SIM });
    out.loader = document.querySelectorAll('script#jorelScriptLoader').length;
    return out;
  },

  async "the page's exceptions never pass through the module: fetch, arrays, routes, responses"() {
    await lib.load();
    const realFetch = window.fetch;
    const out = {};
    const api = new lib.ApiClient({ contactCenter: 'acme', token: 'tok-review', baseUrl: location.origin });
    window.fetch = () => { throw new Error('page fetch'); };
    const codes = new Set();
    for (let i = 0; i < 2000; i++) await api.callHistory('46').catch((e) => codes.add(e.code));
    out.fetchThrows = [...codes];
    window.fetch = () => Promise.resolve({ get status() { throw new Error('status'); } });
    out.oddResponse = await api.callHistory('46').then(() => 'resolved', (e) => e.code);
    window.fetch = realFetch;
    const hostile = [];
    Object.defineProperty(hostile, 0, { get() { throw new Error('item'); } });
    hostile.length = 1;
    const extra = new Set();
    for (let i = 0; i < 500; i++) { try { new lib.WebPhone({ extraStates: hostile }); extra.add('created'); } catch (e) { extra.add(e.code); } }
    out.extraStates = [...extra];
    out.routes = (() => { try { new lib.ApiClient({ contactCenter: 'acme', routes: new Proxy({}, { ownKeys() { throw new Error('keys'); } }) }); return 'created'; } catch (e) { return e.code; } })();
    // The module still works.
    const phone = new lib.WebPhone();
    window.dispatchEvent(new CustomEvent('ziwo-ringing', { detail: { callID: 'after-1' } }));
    out.works = phone.calls().map((c) => c.callId);
    return out;
  },

  async 'memory stays flat over pop-ups, API requests and dials that return a Promise'() {
    const { default: init } = await import('/dist/ziwo_webphone.js');
    const phone = await lib.createWebPhone();
    window.open = () => ({});
    phone.popup({ url: async (n) => '/pages/blank.html?n=' + n });
    // Each request's timeout timer holds a little until it fires (never cancelled, so that
    // its callback is freed): a short timeout, waited out below.
    const api = new lib.ApiClient({ contactCenter: 'acme', token: 'tok-memory', baseUrl: location.origin, timeoutMs: 1000 });
    window['_jorel-callPhoneNumber'] = () => Promise.resolve();
    const round = async (from, count) => {
      for (let i = from; i < from + count; i++) {
        window.dispatchEvent(new CustomEvent('_jorel-dialog-state-ringing', { detail: { callID: 'mem-' + i, customerNumber: '+1', direction: 'inbound' } }));
        window.dispatchEvent(new CustomEvent('_jorel-dialog-state-destroy', { detail: { callID: 'mem-' + i } }));
        await api.callHistory('46').catch(() => {});
        await phone.call('+15550100', { timeoutMs: 1000 });
      }
      // Timers of equal delay fire in the order they were set (HTML's timer ordering):
      // this one fires after every request's 1000 ms timeout timer set before it.
      await new Promise((r) => setTimeout(r, 1000));
    };
    const memory = (await init()).memory;
    await round(0, 300);
    const before = memory.buffer.byteLength;
    await round(300, 1000);
    delete window['_jorel-callPhoneNumber'];
    // The module's memory grows by 64 KiB pages: a page is within noise, leaks are more.
    const grew = (memory.buffer.byteLength - before) / 1024;
    return { grewKiB: grew <= 64 ? 0 : grew };
  },

  async 'a call on and off hold all day keeps a bounded history, and flat memory'() {
    const { default: init } = await import('/dist/ziwo_webphone.js');
    const phone = await lib.createWebPhone();
    let last;
    phone.onCall((e) => { last = e; });
    const memory = (await init()).memory;
    const fire = (state, at) => window.dispatchEvent(new CustomEvent('_jorel-dialog-state-' + state,
      { detail: { callID: 'hold-all-day', customerNumber: '+1', direction: 'inbound', stateFlow: [{ state, dateUNIX: at }] } }));
    fire('ringing', 1000);
    fire('active', 1002);
    for (let i = 0; i < 1000; i++) fire(i % 2 ? 'active' : 'held', 1003 + i);
    const before = memory.buffer.byteLength;
    for (let i = 1000; i < 20000; i++) fire(i % 2 ? 'active' : 'held', 1003 + i);
    const grew = (memory.buffer.byteLength - before) / 1024;
    return {
      history: last.call.history.length,
      first: last.call.history.slice(0, 2).map((h) => h.state),
      talkS: Math.round(last.call.talkMs / 1000),
      holdS: Math.round(last.call.holdMs / 1000),
      grewKiB: grew <= 64 ? 0 : grew,
    };
  },

  async 'a listener that disposes the phone stops the others from hearing the event'() {
    const phone = await lib.createWebPhone();
    const log = [];
    phone.onCall(() => { log.push('A'); phone.dispose(); });
    phone.onCall(() => log.push('B'));
    phone.onCall(() => log.push('C'));
    window.dispatchEvent(new CustomEvent('_jorel-dialog-state-ringing', { detail: { callID: 'disp-1' } }));
    return log;
  },

  async 'option values as before: a null timeout is the default, a number is text'() {
    await lib.load();
    const out = [];
    out.push(await lib.createApiClient({ contactCenter: 'acme', token: 'tok', timeoutMs: null }).then(() => 'ok', (e) => e.code));
    window['_jorel-callPhoneNumber'] = () => {};
    out.push(await lib.createWebPhone().then((p) => p.call('+1555', { timeoutMs: null }).then(() => 'ok', (e) => e.code)));
    delete window['_jorel-callPhoneNumber'];
    return out;
  },

  async 'an unreadable claims record opens the pop-up here and overwrites nobody'() {
    const phone = await lib.createWebPhone();
    const opened = [];
    window.open = (url) => { opened.push(new URL(url).search); return {}; };
    phone.popup('/pages/blank.html?n={number}');
    const getItem = Storage.prototype.getItem;
    Storage.prototype.getItem = function (key) { if (key === '_ziwo-webphone-popups') throw new Error('blocked'); return getItem.call(this, key); };
    window.dispatchEvent(new CustomEvent('_jorel-dialog-state-ringing', { detail: { callID: 'claim-1', customerNumber: '+971 50', direction: 'inbound' } }));
    await waitFor(() => opened.length > 0);
    Storage.prototype.getItem = getItem;
    return { opened, written: localStorage.getItem('_ziwo-webphone-popups') };
  },
};

CASES['loading errors are ZiwoErrors that say what to fix, and a failed load can be tried again'] = async function () {
  const out = {};
  try { new lib.WebPhone(); } catch (e) { out.early = [e.name, e.code, /await load\(\)/.test(e.message), lib.isZiwoError(e)]; }
  const outcome = (p, pattern) => p.then(() => 'ok', (e) => [e.name, e.code, pattern.test(e.message)]);
  out.missing = await outcome(lib.load('/dist/no-such.wasm'), /HTTP 404.*serve dist\/ziwo_webphone_bg\.wasm/);
  out.html = await outcome(lib.load('/pages/blank.html'), /not WebAssembly \(text\/html.*SPA fallback/);
  out.bytes = await outcome(lib.load(new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9])), /does not compile/);
  out.retry = await lib.load().then(() => 'ok', (e) => e.code);
  out.phone = Array.isArray(new lib.WebPhone().calls());
  return out;
};

const EXPECTED = {
  'loading errors are ZiwoErrors that say what to fix, and a failed load can be tried again': {
    early: ['ZiwoError', 'not-loaded', true, true],
    missing: ['ZiwoError', 'wasm-unavailable', true],
    html: ['ZiwoError', 'wasm-invalid', true],
    bytes: ['ZiwoError', 'wasm-invalid', true],
    retry: 'ok',
    phone: true,
  },
  'after dispose, every method fails with disposed and nothing is dialled or installed': {
    codes: ['disposed', 'disposed', 'disposed', 'disposed', 'disposed'], dialled: [], scripts: 0,
  },
  'events dispatched from inside a listener reach every listener in order, none lost': {
    first: ['ringing', 'active', 'hangup', 'destroy'],
    second: ['null>ringing', 'ringing>active', 'active>hangup', 'hangup>destroy'],
    live: 0,
  },
  'two thousand calls under both prefixes: every transition reaches the listener, once': { heard: 14000, bad: [], live: 0 },
  'a storage read that throws is storage-unavailable, never logged out': {
    code: 'storage-unavailable',
    changes: [{ signedIn: false, code: 'storage-unavailable', keys: ['ccLogin', 'contactCenter', 'error', 'signedIn'] }],
  },
  "a dial function that throws an error whose message getter throws still rejects, typed": [
    [true, 'phone-threw', 'the web phone refused the call'],
    [true, 'phone-threw', 'the web phone refused the call'],
    [true, 'phone-not-ready', 'the web phone was not ready to dial in time'],
  ],
  "the phone's and the API's messages never carry the token or the number, whatever their length": {
    dial: 'the web phone refused the call: no agent for <redacted> (<redacted>) with <redacted>',
    refusal: 'the API refused the request: unknown token <redacted>',
  },
  'timeouts are checked alike for dialling and the API': ['invalid-option', 'invalid-option', 'invalid-option', 'invalid-option', 'invalid-option', 'invalid-option'],
  'a second install with another contact center or token is refused and writes nothing': {
    codes: ['already-installed', 'already-installed', 'already-installed', 'ok'], unchanged: true, scripts: 1,
  },
  "the connected event's agent is read from agent.userInfo, as ZIWO's SDK sends it": [
    { ccLogin: '1001', firstName: 'Ada', lastName: 'L' },
    { ccLogin: null, firstName: null, lastName: null },
  ],
  'the logger takes (sink, level), as in Rust, and a throwing sink breaks nothing': {
    lines: ['debug: event ziwo-ringing'], bad: 'invalid-option', heard: ['active'],
  },
  "a template value that is a dot segment opens nothing and is reported": {
    opened: ['/pages/customers/%2B971%2050?call=dots-3'],
    errors: [['popup-failed', 'dots-1'], ['popup-failed', 'dots-2'], ['popup-failed', '..']],
  },
  'odd values from the page and the phone: refused or kept apart, typed': {
    emptyTemplate: 'invalid-url', blankTemplate: 'invalid-url', numericContactCenter: 'invalid-option',
    connected: 1, lone: [0, 0], longToken: ['corrupt-session', '_jorel-token'],
    oddStorage: ['storage-unavailable', 'storage-unavailable'], written: 0, loader: 1,
  },
  "the page's exceptions never pass through the module: fetch, arrays, routes, responses": {
    fetchThrows: ['network'], oddResponse: 'network', extraStates: ['invalid-option'], routes: 'invalid-option', works: ['after-1'],
  },
  'memory stays flat over pop-ups, API requests and dials that return a Promise': { grewKiB: 0 },
  'a call on and off hold all day keeps a bounded history, and flat memory': {
    history: 64, first: ['ringing', 'active'], talkS: 10000, holdS: 10000, grewKiB: 0,
  },
  'a listener that disposes the phone stops the others from hearing the event': ['A'],
  'option values as before: a null timeout is the default, a number is text': ['ok', 'ok'],
  'an unreadable claims record opens the pop-up here and overwrites nobody': { opened: ['?n=%2B971%2050'], written: null },
};

/** `CASES[name]` as the source of an async function of `[sim]` that the page runs. */
const source = (name) => `async ([SIM]) => { const waitFor = ${until}; return (${CASES[name].toString().replace(/^async [\s\S]*?\(\) \{/, 'async function () {')})(); }`;

let env;
let firefox;
before(async () => {
  [env, firefox] = await Promise.all([setup({ mounts: { '/dist/': 'dist', '/pages/': 'e2e/pages' } }), launchFirefox()]);
});
after(async () => {
  await firefox?.close();
  await env?.close();
});

for (const name of Object.keys(CASES)) {
  describe(name, () => {
    test('Chromium', T, () =>
      withPage(env, { allowPageErrors: true }, async (page) => {
        await page.goto(env.url('/pages/blank.html'));
        await page.evaluate(async () => { window.lib = await import('/dist/full.js'); });
        const result = await page.evaluate(`(${source(name)})(${JSON.stringify([SIM])})`);
        assert.deepEqual(result, EXPECTED[name]);
      }));
    test('Firefox', T, async () => {
      const page = await firefox.newPage();
      try {
        await page.goto(env.url('/pages/blank.html'));
        await page.evaluate(async () => { window.lib = await import('/dist/full.js'); });
        const result = await page.evaluate(source(name), [SIM]);
        assert.deepEqual(result, EXPECTED[name]);
      } finally {
        await page.close();
      }
    });
  });
}

describe('both entries', () => {
  test('a page that imports ziwo-webphone and ziwo-webphone/full loads one wasm, one logger, one set of phones', T, () =>
    withPage(env, async (page) => {
      const wasm = [];
      page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname); });
      await page.goto(env.url('/pages/blank.html'));
      const result = await page.evaluate(async () => {
        const [companion, full] = await Promise.all([import('/dist/index.js'), import('/dist/full.js')]);
        await Promise.all([companion.load(), full.load()]);
        const lines = [];
        companion.setLogger((level, message) => lines.push(message), 'debug');
        const phone = new full.WebPhone();
        window.dispatchEvent(new CustomEvent('ziwo-ringing', { detail: { callID: 'both-1' } }));
        return { lines, sameClass: companion.WebPhone === full.WebPhone, calls: phone.calls().length };
      });
      assert.deepEqual(wasm, ['/dist/ziwo_webphone_bg.wasm'], 'the module with the REST client, once');
      assert.deepEqual(result, { lines: ['event ziwo-ringing'], sameClass: true, calls: 1 });
    }));

  // Which module a page loads: the companion's (without the REST client) unless the page
  // imports ziwo-webphone/full. Each case starts on a blank page and returns plain data;
  // `wasm` is every .wasm the page fetched (Resource Timing, in both browsers).
  const LOADING = {
    async "a page that imports only ziwo-webphone loads the companion's wasm; ziwo-webphone/full imported later says how to load it"() {
      const lib = await import('/dist/index.js');
      const phone = await lib.createWebPhone();
      window.dispatchEvent(new CustomEvent('ziwo-ringing', { detail: { callID: 'companion-1' } }));
      const full = await import('/dist/full.js');
      const failure = async (run) => { try { await run(); return 'ok'; } catch (e) { return [e.code, /import ziwo-webphone\/full where the page first loads/i.test(e.message)]; } };
      const late = await failure(() => full.createApiClient({ baseUrl: location.origin, token: 'tok' }));
      const constructed = await failure(() => new full.ApiClient({ baseUrl: location.origin, token: 'tok' }));
      window.dispatchEvent(new CustomEvent('ziwo-active', { detail: { callID: 'companion-1' } }));
      const wasm = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).map((e) => new URL(e.name).pathname);
      return { wasm, late, constructed, state: phone.calls()[0]?.state };
    },
    async 'a page that loads the full module itself can import ziwo-webphone/full later'() {
      const lib = await import('/dist/index.js');
      await lib.load('/dist/ziwo_webphone_bg.wasm');
      const phone = new lib.WebPhone();
      const full = await import('/dist/full.js');
      const api = await full.createApiClient({ baseUrl: location.origin, token: 'tok' });
      const off = phone.onCallEnded(() => {}, { cdr: api });
      off();
      const wasm = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).map((e) => new URL(e.name).pathname);
      return { wasm, client: api instanceof full.ApiClient };
    },
    async 'a module that loads at its top level before another imports ziwo-webphone/full: the full module'() {
      // e2e/pages/static-graph: main.js imports phone.js (load() when evaluated), then
      // crm.js (re-exports createApiClient from ziwo-webphone/full).
      const { ready } = await import('/pages/static-graph/main.js');
      const full = await import('/dist/full.js');
      const api = await ready;
      const wasm = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).map((e) => new URL(e.name).pathname);
      return { wasm, client: api instanceof full.ApiClient };
    },
    async "ziwo-webphone/full refuses the companion's wasm before it loads anything"() {
      const full = await import('/dist/full.js');
      const outcomes = [];
      const companion = '/dist/ziwo_webphone_companion_bg.wasm';
      for (const source of [companion, WebAssembly.compileStreaming(fetch(companion))]) {
        try { await full.load(source); outcomes.push('loaded'); } catch (e) { outcomes.push([e.code, e.message.includes('dist/ziwo_webphone_bg.wasm')]); }
      }
      let before;
      try { new full.WebPhone(); before = 'created'; } catch (e) { before = e.code; }
      await full.load();
      const api = await full.createApiClient({ baseUrl: location.origin, token: 'tok' });
      return { outcomes, before, client: api instanceof full.ApiClient };
    },
  };
  const LOADED = {
    "a page that imports only ziwo-webphone loads the companion's wasm; ziwo-webphone/full imported later says how to load it": {
      wasm: ['/dist/ziwo_webphone_companion_bg.wasm'], late: ['not-loaded', true], constructed: ['not-loaded', true], state: 'active',
    },
    'a page that loads the full module itself can import ziwo-webphone/full later': {
      wasm: ['/dist/ziwo_webphone_bg.wasm'], client: true,
    },
    'a module that loads at its top level before another imports ziwo-webphone/full: the full module': {
      wasm: ['/dist/ziwo_webphone_bg.wasm'], client: true,
    },
    "ziwo-webphone/full refuses the companion's wasm before it loads anything": {
      outcomes: [['wasm-invalid', true], ['wasm-invalid', true]], before: 'not-loaded', client: true,
    },
  };
  for (const [name, run] of Object.entries(LOADING)) {
    const fn = run.toString().replace(/^async [\s\S]*?\(\) \{/, 'async function () {');
    describe(name, () => {
      test('Chromium', T, () =>
        withPage(env, async (page) => {
          await page.goto(env.url('/pages/blank.html'));
          assert.deepEqual(await page.evaluate(`(${fn})()`), LOADED[name]);
        }));
      test('Firefox', T, async () => {
        const page = await firefox.newPage();
        try {
          await page.goto(env.url('/pages/blank.html'));
          assert.deepEqual(await page.evaluate(`async () => (${fn})()`), LOADED[name]);
        } finally {
          await page.close();
        }
      });
    });
  }
});
