// Driving the call from the CRM through the npm package's JavaScript API, against the
// simulator's two shapes of call object (the verto `dialog` of the web phone, the SDK's
// `currentCall`): answer, hang up, hold, mute, DTMF, transfer; mute as a change, not a
// state; logged in or not and `ready()`; click-to-dial. Each case runs in Chromium
// (Playwright) and Firefox (WebDriver). The Rust API's side is in tests/web_control.rs.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, withPage } from './helpers.mjs';
import { launchFirefox } from './firefox.mjs';

const T = { timeout: 60_000 };
const SIM = '/sim/jorel.js?loadDelayMs=0&connectDelayMs=0&stepDelayMs=5&answerDelayMs=0';

const until = `async (check, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) { if (Date.now() > end) throw new Error('timed out waiting'); await new Promise((r) => setTimeout(r, 10)); }
}`;

// Each case gets `SIM` (the simulator's URL) and `SHAPE` ('verto' or 'sdk'), and returns
// plain data. A fresh page per case; storage is cleared first (a fresh profile has none:
// the clear keeps each case self-contained).
const CASES = {
  async 'a call panel: answer, mute, keypad, hold, resume, hang up; refused actions send nothing'() {
    localStorage.clear();
    sessionStorage.clear();
    const phone = await lib.createWebPhone();
    const states = [];
    const mutes = [];
    phone.onCall((e) => states.push(e.state));
    phone.onMute((e) => mutes.push([e.muted, e.call.state, e.call.muted]));
    await phone.install({ contactCenter: 'acme', token: 'tok-panel', scriptUrl: SIM + '&shape=' + SHAPE });
    const agent = await phone.ready({ timeoutMs: 5000 });
    const sim = window.__ziwoSim;
    const id = sim.inbound('+15550100');
    const state = () => phone.calls().find((c) => c.callId === id)?.state;
    await waitFor(() => state() === 'ringing');
    await phone.answer(id);
    await waitFor(() => state() === 'active' && states.filter((s) => s === 'active').length === (SHAPE === 'sdk' ? 2 : 1));
    await phone.mute(id);
    const muted = phone.calls()[0].muted;
    await phone.unmute(id);
    await phone.dtmf(id, '12#');
    await phone.hold(id);
    await waitFor(() => state() === 'held');
    await phone.unhold(id);
    await waitFor(() => state() === 'active');
    // Refused: nothing reaches the phone.
    const sentBefore = sim.sent.length;
    const invokedBefore = sim.invoked.length;
    const refused = [];
    const attempt = async (run) => { try { await run(); refused.push('ok'); } catch (e) { refused.push(e.code); } };
    await attempt(() => phone.answer(id));
    await attempt(() => phone.unhold(id));
    await attempt(() => phone.dtmf(id, '12x'));
    await attempt(() => phone.transfer(id, 'call me'));
    await attempt(() => phone.hold('no-such-id'));
    await attempt(() => phone.answer(42));
    const nothingSent = sim.sent.length === sentBefore && sim.invoked.length === invokedBefore;
    const snapshot = phone.calls()[0];
    await phone.hangup(id);
    await waitFor(() => phone.calls().length === 0 && states.includes('destroy'));
    let afterEnd;
    try { await phone.hangup(id); } catch (e) { afterEnd = e.code; }
    return {
      agent,
      states,
      mutes,
      muted,
      refused,
      nothingSent,
      mutedMs: snapshot.mutedMs >= 0,
      historyHasMute: snapshot.history.map((h) => h.state).filter((s) => s === 'mute' || s === 'unmute'),
      sent: sim.sent.map((m) => m.method.replace('verto.', '') + (m.action ? ':' + m.action : '') + (m.dtmf ? ':' + m.dtmf : '')),
      targets: [...new Set(sim.invoked.map((i) => i.target))],
      afterEnd,
    };
  },

  async 'a listener that answers and hangs up from inside onCall: every listener hears every event once, in order'() {
    localStorage.clear();
    sessionStorage.clear();
    const phone = await lib.createWebPhone();
    let id;
    const first = [];
    phone.onCall((e) => first.push(e.callId === id ? e.state : 'other:' + e.state));
    phone.onCall((e) => {
      if (e.callId !== id) return;
      if (e.state === 'ringing') phone.answer(e.callId);
      if (e.state === 'active') phone.hangup(e.callId);
    });
    const last = [];
    phone.onCall((e) => last.push(e.callId === id ? e.state : 'other:' + e.state));
    await phone.install({ contactCenter: 'acme', token: 'tok-nested', scriptUrl: SIM + '&shape=' + SHAPE });
    await phone.ready();
    const sim = window.__ziwoSim;
    id = sim.inbound('+15550101');
    await waitFor(() => first.includes('destroy'));
    // The server's late answer and bye come after destroy; then a new call rings: nothing
    // more of the first was heard in between.
    sim.inbound('+15550102');
    await waitFor(() => first.includes('other:ringing'));
    return { first, last, byes: sim.sent.filter((m) => m.method === 'verto.bye').length };
  },

  async 'mute is not a call state: onCall never hears it, the snapshot and onMute do'() {
    localStorage.clear();
    sessionStorage.clear();
    const phone = await lib.createWebPhone();
    const heard = [];
    phone.onCall((e) => heard.push(`${e.previousState}>${e.state}`));
    const mutes = [];
    phone.onMute((e) => mutes.push(e.muted));
    await phone.install({ contactCenter: 'acme', token: 'tok-mute', scriptUrl: SIM + '&shape=' + SHAPE });
    await phone.ready();
    const sim = window.__ziwoSim;
    const id = sim.inbound('+15550103');
    await waitFor(() => phone.calls()[0]?.state === 'ringing');
    sim.answer(id);
    await waitFor(() => heard.includes('answering>active'));
    sim.mute(id); // the phone's own button
    const during = phone.calls()[0];
    sim.unmute(id);
    sim.remoteHangup(id);
    await waitFor(() => heard.some((h) => h.endsWith('>destroy')));
    return {
      heard,
      mutes,
      during: { state: during.state, muted: during.muted, last: during.history[during.history.length - 1].state },
    };
  },

  async 'logged in or not: logged-out without a session, ready() with one, disconnected is not logged out'() {
    localStorage.clear();
    sessionStorage.clear();
    const phone = await lib.createWebPhone();
    const out = { before: phone.connection };
    out.timeout = await phone.ready({ timeoutMs: 50 }).then(() => 'ok', (e) => e.code);
    const waiting = phone.ready({ timeoutMs: 5000 }).then(() => 'ok', (e) => e.code);
    await phone.install({ contactCenter: 'acme', scriptUrl: SIM + '&shape=' + SHAPE });
    out.noSession = await waiting;
    out.loggedOut = phone.connection;
    out.bad = await phone.ready({ timeoutMs: -1 }).then(() => 'ok', (e) => e.code);
    // The agent logs in with the phone's own form: connected.
    const form = document.querySelector('#ziwo-sim-phone form');
    form.elements.ccName.value = 'acme';
    form.elements.username.value = 'ada@acme.example';
    form.elements.password.value = 'secret';
    form.requestSubmit();
    out.agent = await phone.ready({ timeoutMs: 5000 });
    out.connected = phone.connection;
    window.__ziwoSim.takeSession();
    await waitFor(() => phone.connection !== 'connected');
    out.taken = phone.connection;
    // A logout inside the phone removes the token in this tab.
    localStorage.removeItem('_jorel-token');
    out.afterLogout = phone.connection;
    const pending = phone.ready({ timeoutMs: 5000 }).then(() => 'ok', (e) => e.code);
    out.readyNow = await pending;
    localStorage.setItem('_jorel-token', 'tok-again');
    const disposing = phone.ready({ timeoutMs: 5000 }).then(() => 'ok', (e) => e.code);
    phone.dispose();
    out.disposed = await disposing;
    return out;
  },

  async 'a phone created after the agent connected knows it, and one created after a disconnect knows that'() {
    localStorage.clear();
    sessionStorage.clear();
    const first = await lib.createWebPhone();
    // A phone created inside a `connected` listener knows it too.
    let inside;
    first.onConnected(() => {
      const phone = new lib.WebPhone();
      inside = phone.connection;
      phone.dispose();
    });
    await first.install({ contactCenter: 'acme', token: 'tok-late', scriptUrl: SIM + '&shape=' + SHAPE });
    const agent = await first.ready({ timeoutMs: 5000 });
    first.dispose();
    // A view of the CRM mounted later makes its own phone: no event comes for it.
    const late = await lib.createWebPhone();
    const out = { inside, connection: late.connection };
    out.agent = await late.ready({ timeoutMs: 0 }).catch((e) => e.code);
    out.sameAgent = JSON.stringify(out.agent) === JSON.stringify(agent);
    // Another tab takes the session: disconnected, the session still stored.
    window.__ziwoSim.takeSession();
    await waitFor(() => late.connection !== 'connected');
    late.dispose();
    const later = await lib.createWebPhone();
    out.afterDisconnect = later.connection;
    out.readyAfterDisconnect = await later.ready({ timeoutMs: 50 }).then(() => 'ok', (e) => e.code);
    localStorage.removeItem('_jorel-token');
    out.afterLogout = later.connection;
    later.dispose();
    return out;
  },

  async 'click-to-dial: links and numbered elements, added later too; bad numbers and modified clicks'() {
    localStorage.clear();
    sessionStorage.clear();
    const phone = await lib.createWebPhone();
    await phone.install({ contactCenter: 'acme', token: 'tok-links', scriptUrl: SIM + '&shape=' + SHAPE });
    await phone.ready();
    const box = document.createElement('section');
    box.innerHTML = '<a id="tel" href="tel:+971%2050%20123%204567">call</a><a id="plain" href="#x">plain</a>' +
      '<a id="bad" href="tel:not-a-number">bad</a>';
    document.body.append(box);
    const outside = document.createElement('a');
    outside.href = 'tel:+15550199';
    outside.id = 'outside';
    document.body.append(outside);
    // After the library's listener: whether the click was cancelled; then no navigation.
    let cancelled;
    document.addEventListener('click', (e) => { cancelled = e.defaultPrevented; e.preventDefault(); });
    const click = (id, init = {}) => {
      cancelled = undefined;
      document.getElementById(id).dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, ...init }));
      return cancelled;
    };
    const errors = [];
    const undo = phone.linkify(box, { onError: (e, el) => errors.push([e.code, el.id]) });
    const out = { tel: click('tel') };
    box.insertAdjacentHTML('beforeend', '<span id="later" data-ziwo-number="+44 20 7946 0000"><i id="inner">Ada</i></span>');
    out.later = click('inner');
    out.plain = click('plain');
    out.bad = click('bad');
    out.ctrl = click('tel', { ctrlKey: true });
    out.meta = click('tel', { metaKey: true });
    out.outside = click('outside');
    await waitFor(() => window.__ziwoSim.dialed.length >= 2);
    undo();
    out.undone = click('tel');
    out.dialed = window.__ziwoSim.dialed.slice();
    out.errors = errors;
    let thrown;
    try { phone.linkify('body'); } catch (e) { thrown = e.code; }
    out.badRoot = thrown;
    return out;
  },
};

const panel = (shape) => ({
  agent: { ccLogin: '1001', firstName: 'Sim', lastName: 'Agent', contactCenter: 'acme' },
  // The SDK dispatches `active` inside answer(), then the server's answering and active.
  states: shape === 'sdk'
    ? ['ringing', 'active', 'answering', 'active', 'held', 'active', 'hangup', 'purge', 'destroy']
    : ['ringing', 'answering', 'active', 'held', 'active', 'hangup', 'destroy'],
  // The SDK reports mute changes with events; the verto dialog switches the microphone
  // silently, so the library cannot know (and does not pretend).
  mutes: shape === 'sdk' ? [[true, 'active', true], [false, 'active', false]] : [],
  muted: shape === 'sdk',
  refused: ['invalid-state', 'invalid-state', 'invalid-digits', 'invalid-number', 'no-such-call', 'invalid-option'],
  nothingSent: true,
  mutedMs: true,
  historyHasMute: shape === 'sdk' ? ['mute', 'unmute'] : [],
  // The dialog sends the digits at once; the SDK's Call one by one.
  sent: shape === 'sdk'
    ? ['answer', 'info:1', 'info:2', 'info:#', 'modify:hold', 'modify:unhold', 'bye']
    : ['answer', 'info:12#', 'modify:hold', 'modify:unhold', 'bye'],
  targets: [shape === 'sdk' ? 'currentCall' : 'dialog'],
  afterEnd: 'no-such-call',
});

const nested = (shape) => {
  const heard = shape === 'sdk'
    ? ['ringing', 'active', 'hangup', 'purge', 'destroy']
    : ['ringing', 'answering', 'active', 'hangup', 'destroy'];
  return { first: [...heard, 'other:ringing'], last: [...heard, 'other:ringing'], byes: 1 };
};

const EXPECTED = {
  'a call panel: answer, mute, keypad, hold, resume, hang up; refused actions send nothing': panel,
  'a listener that answers and hangs up from inside onCall: every listener hears every event once, in order': nested,
  'mute is not a call state: onCall never hears it, the snapshot and onMute do': () => ({
    heard: ['null>ringing', 'ringing>answering', 'answering>active', 'active>hangup', 'hangup>destroy'],
    mutes: [true, false],
    during: { state: 'active', muted: true, last: 'mute' },
  }),
  'logged in or not: logged-out without a session, ready() with one, disconnected is not logged out': () => ({
    before: 'unknown',
    timeout: 'timeout',
    noSession: 'logged-out',
    loggedOut: 'logged-out',
    bad: 'invalid-option',
    agent: { ccLogin: '1001', firstName: 'Sim', lastName: 'Agent', contactCenter: 'acme' },
    connected: 'connected',
    taken: 'disconnected',
    afterLogout: 'logged-out',
    readyNow: 'logged-out',
    disposed: 'disposed',
  }),
  'a phone created after the agent connected knows it, and one created after a disconnect knows that': () => ({
    inside: 'connected',
    connection: 'connected',
    agent: { ccLogin: '1001', firstName: 'Sim', lastName: 'Agent', contactCenter: 'acme' },
    sameAgent: true,
    afterDisconnect: 'disconnected',
    readyAfterDisconnect: 'timeout',
    afterLogout: 'logged-out',
  }),
  'click-to-dial: links and numbered elements, added later too; bad numbers and modified clicks': () => ({
    tel: true,
    later: true,
    plain: false,
    bad: true,
    ctrl: false,
    meta: false,
    outside: false,
    undone: false,
    dialed: ['+971501234567', '+442079460000'],
    errors: [['invalid-number', 'bad']],
    badRoot: 'invalid-option',
  }),
};

const source = (name) =>
  `async ([SIM, SHAPE]) => { const waitFor = ${until}; return (${CASES[name].toString().replace(/^async [\s\S]*?\(\) \{/, 'async function () {')})(); }`;

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
  for (const shape of ['verto', 'sdk']) {
    describe(`${name} (${shape})`, () => {
      test('Chromium', T, () =>
        withPage(env, { allowPageErrors: true }, async (page) => {
          await page.goto(env.url('/pages/blank.html'));
          await page.evaluate(async () => { window.lib = await import('/dist/full.js'); });
          const result = await page.evaluate(`(${source(name)})(${JSON.stringify([SIM, shape])})`);
          assert.deepEqual(result, EXPECTED[name](shape));
        }));
      test('Firefox', T, async () => {
        const page = await firefox.newPage();
        try {
          await page.goto(env.url('/pages/blank.html'));
          await page.evaluate(async () => { window.lib = await import('/dist/full.js'); });
          const result = await page.evaluate(source(name), [SIM, shape]);
          assert.deepEqual(result, EXPECTED[name](shape));
        } finally {
          await page.close();
        }
      });
    });
  }
}
