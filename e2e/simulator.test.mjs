// Tests of the web-phone simulator itself (www/sim/jorel.js): the library's browser tests
// trust it, so it must show every quirk of shared/ziwo-contract.md §1-4 that the library
// relies on, and report the calls it ends to the API stand-in for their CDRs (§6).
// Run: node --test e2e/
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup,
  withPage,
  simPageUrl,
  waitForSimEvent,
  simStates,
  FAST,
  AUTOLOGIN,
  sleep,
} from './helpers.mjs';
import { startApiServer } from '../scripts/api-server.mjs';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NUMBER = '+971501234567';
const T = { timeout: 15000 }; // a hung page must fail, not stall the run

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

// Opens the simulator page (auto-login keys unless told otherwise) and waits for the agent.
async function openConnected(page, params = FAST) {
  await page.goto(simPageUrl(env, params));
  await page.waitForFunction(() => window.__ziwoSim);
  await page.evaluate(() => window.__ziwoSim.whenConnected());
}

// The events index.html recorded, reduced to plain fields (details are cyclic).
function recorded(page, { prefix = '_jorel-dialog-state-', callID } = {}) {
  return page.evaluate(
    ([p, id]) =>
      window.__events
        .filter((e) => e.prefix === p && (id == null || (e.detail && e.detail.callID === id)))
        .map((e) => {
          const d = e.detail || {};
          return {
            state: e.state,
            callID: d.callID,
            origin: d.origin,
            message: d.message,
            code: d.code,
            direction: d.direction,
            customerNumber: d.customerNumber,
            primaryCallID: d.primaryCallID,
            hasPrimaryCallID: 'primaryCallID' in d,
          };
        }),
    [prefix, callID ?? null]
  );
}

describe('loading (§1, §3)', () => {
  test('_jorel-callPhoneNumber is absent before the load delay and present after', T, () =>
    withPage(env, async (page) => {
      await page.goto(simPageUrl(env, { ...FAST, loadDelayMs: 800 }));
      await page.waitForFunction(() => window.__ziwoSim);
      const early = await page.evaluate(() => ({
        loaded: window.__ziwoSim.loaded,
        fn: typeof window['_jorel-callPhoneNumber'],
        own: '_jorel-callPhoneNumber' in window,
        widget: !!document.getElementById('ziwo-sim-phone'),
        loaderFirst: document.body.firstElementChild.id,
      }));
      assert.deepEqual(early, { loaded: false, fn: 'undefined', own: false, widget: false, loaderFirst: 'jorelScriptLoader' });
      await page.evaluate(() => window.__ziwoSim.whenLoaded());
      const late = await page.evaluate(() => ({
        loaded: window.__ziwoSim.loaded,
        fn: typeof window['_jorel-callPhoneNumber'],
        widget: !!document.getElementById('ziwo-sim-phone'),
      }));
      assert.deepEqual(late, { loaded: true, fn: 'function', widget: true });
    }));

  test('widget honours _jorel-default-position / -size, with defaults for missing or bad values', T, async () => {
    await withPage(env, async (page) => {
      await page.goto(simPageUrl(env, { ...FAST, position: 'top-left', size: 'small' }));
      await page.waitForSelector('#ziwo-sim-phone');
      const w = page.locator('#ziwo-sim-phone');
      assert.equal(await w.getAttribute('data-position'), 'top-left');
      assert.equal(await w.getAttribute('data-size'), 'small');
      const box = await w.boundingBox();
      assert.ok(box.x < 40 && box.y < 40, `widget at top-left, got ${JSON.stringify(box)}`);
    });
    await withPage(env, { localStorage: { '_jorel-default-position': 'middle' } }, async (page) => {
      await page.goto(simPageUrl(env));
      await page.waitForSelector('#ziwo-sim-phone');
      const w = page.locator('#ziwo-sim-phone');
      assert.equal(await w.getAttribute('data-position'), 'bottom-right');
      assert.equal(await w.getAttribute('data-size'), 'normal');
      const box = await w.boundingBox();
      const vp = page.viewportSize();
      assert.ok(box.x + box.width > vp.width - 40 && box.y + box.height > vp.height - 40, 'widget at bottom-right');
    });
  });

  test('config: query parameters override __ziwoSimConfig, 0 ms delays stay asynchronous, one instance', T, () =>
    withPage(
      env,
      { localStorage: AUTOLOGIN, initScript: { content: 'window.__ziwoSimConfig = {loadDelayMs: 60000, stepDelayMs: 60000, answerDelayMs: 7, ccLogin: "2002"};' } },
      async (page) => {
        // Would time out if loadDelayMs stayed at 60 s. answerDelayMs is left to the object.
        await openConnected(page, { loadDelayMs: 0, connectDelayMs: 0, stepDelayMs: 0 });
        const r = await page.evaluate(() => {
          const sim = window.__ziwoSim;
          const n = sim.log.length;
          window['_jorel-callPhoneNumber']('+97144000000');
          const afterCall = sim.log.length;
          sim.inbound('+97155000000');
          const afterInbound = sim.log.length;
          // A second copy of the script must not start a second phone.
          const again = document.createElement('script');
          again.src = document.getElementById('jorelScriptLoader').src;
          return new Promise((resolve) => {
            again.onload = () =>
              resolve({ n, afterCall, afterInbound, config: sim.config, loadCount: sim.loadCount, widgets: document.querySelectorAll('#ziwo-sim-phone').length, ccLogin: localStorage.getItem('_jorel-ccLogin') });
            document.body.appendChild(again);
          });
        });
        assert.equal(r.afterCall, r.n, 'no event dispatched synchronously by callPhoneNumber');
        assert.equal(r.afterInbound, r.n, 'no event dispatched synchronously by inbound');
        assert.equal(r.config.loadDelayMs, 0);
        assert.equal(r.config.stepDelayMs, 0);
        assert.equal(r.config.answerDelayMs, 7, 'object config applies where no query param');
        assert.equal(r.ccLogin, '2002');
        assert.equal(r.loadCount, 2);
        assert.equal(r.widgets, 1);
        await waitForSimEvent(page, 'ringing');
      }
    ));
});

describe('sessions (§2)', () => {
  test('auto-login from plain-string keys connects and writes _jorel-ccLogin', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page);
      const r = await page.evaluate(() => {
        const ev = window.__events.filter((e) => e.prefix === '_jorel-dialog-state-');
        const c = ev.find((e) => e.state === 'connected').detail;
        return {
          order: ev.map((e) => e.state),
          devices: ev.filter((e) => e.state.endsWith('-changed')).map((e) => typeof e.detail.device.deviceId + '/' + typeof e.detail.device.label),
          agentKeys: Object.keys(c.agent).sort(),
          ccLogin: c.agent.userInfo.ccLogin,
          hasPassword: typeof c.agent.userInfo.ccPassword === 'string' && c.agent.userInfo.ccPassword.length > 0,
          names: [c.agent.userInfo.firstName, c.agent.userInfo.lastName].every((x) => typeof x === 'string'),
          contactCenterName: c.contactCenterName,
          stored: localStorage.getItem('_jorel-ccLogin'),
          status: document.getElementById('ziwo-sim-phone').dataset.status,
          formHidden: document.querySelector('.ziwo-sim-login').hidden,
        };
      });
      assert.deepEqual(r.order, ['input-changed', 'output-changed', 'connected']);
      assert.deepEqual(r.devices, ['string/string', 'string/string']);
      assert.deepEqual(r.agentKeys, ['numbers', 'position', 'queues', 'userInfo', 'webRtc'], "the SDK's shape: the agent's own fields only in userInfo");
      assert.equal(r.ccLogin, '1001');
      assert.ok(r.hasPassword, 'agent carries ccPassword like core-front');
      assert.ok(r.names);
      assert.equal(r.contactCenterName, 'wayne-enterprise');
      assert.equal(r.stored, '1001', 'plain string, not JSON');
      assert.equal(r.status, 'connected');
      assert.equal(r.formHidden, true);
    }));

  test('a JSON-quoted token does not log in: error 1001 and the login form', T, () =>
    withPage(
      env,
      { localStorage: { '_jorel-token': JSON.stringify(AUTOLOGIN['_jorel-token']), '_jorel-ccName': 'wayne-enterprise' } },
      async (page) => {
        await page.goto(simPageUrl(env));
        await waitForSimEvent(page, 'error');
        // Nothing connects later: the simulator would connect from a timer of connectDelayMs
        // set at start-up (auto-login), before the error, and timers of equal or shorter delay
        // fire in the order they were set (HTML's timer ordering): one set now fires after it.
        await page.evaluate(() => new Promise((r) => setTimeout(r, window.__ziwoSim.config.connectDelayMs)));
        const r = await page.evaluate(() => ({
          connected: window.__ziwoSim.connected,
          events: window.__events.filter((e) => e.prefix === '_jorel-dialog-state-').map((e) => e.state),
          code: window.__events.find((e) => e.state === 'error').detail.code,
          ccLogin: localStorage.getItem('_jorel-ccLogin'),
          formVisible: !document.querySelector('.ziwo-sim-login').hidden,
        }));
        assert.equal(r.connected, false);
        assert.ok(!r.events.includes('connected'));
        assert.equal(r.code, 1001);
        assert.equal(r.ccLogin, null);
        assert.equal(r.formVisible, true);
      }
    ));

  test('manual login form writes the session keys and connects', T, () =>
    withPage(env, async (page) => {
      await page.goto(simPageUrl(env));
      await page.waitForSelector('.ziwo-sim-login:not([hidden])');
      await page.fill('.ziwo-sim-login input[name=ccName]', 'wayne-enterprise');
      await page.fill('.ziwo-sim-login input[name=username]', 'bruce@wayne.example');
      await page.fill('.ziwo-sim-login input[name=password]', 'secret');
      await page.click('.ziwo-sim-login button[type=submit]');
      await page.evaluate(() => window.__ziwoSim.whenConnected());
      const s = await page.evaluate(() => ({
        token: localStorage.getItem('_jorel-token'),
        ccName: localStorage.getItem('_jorel-ccName'),
        ccLogin: localStorage.getItem('_jorel-ccLogin'),
      }));
      assert.match(s.token, UUID_RE);
      assert.equal(s.ccName, 'wayne-enterprise');
      assert.equal(s.ccLogin, '1001');
      assert.ok(await page.locator('.ziwo-sim-login').isHidden());
    }));

  test('a throwing localStorage shows the login form without crashing', T, () =>
    withPage(
      env,
      {
        initScript: () => {
          Object.defineProperty(window, 'localStorage', {
            configurable: true,
            get() {
              throw new DOMException('The operation is insecure.', 'SecurityError');
            },
          });
        },
      },
      async (page) => {
        await page.goto(simPageUrl(env));
        await page.evaluate(() => window.__ziwoSim.whenLoaded());
        await page.waitForSelector('.ziwo-sim-login:not([hidden])');
        assert.equal(await page.evaluate(() => window.__ziwoSim.status), 'logged-out');
        await page.fill('.ziwo-sim-login input[name=ccName]', 'wayne-enterprise');
        await page.fill('.ziwo-sim-login input[name=username]', 'bruce@wayne.example');
        await page.fill('.ziwo-sim-login input[name=password]', 'secret');
        await page.click('.ziwo-sim-login button[type=submit]');
        await page.evaluate(() => window.__ziwoSim.whenConnected());
      }
    ));

  test('takeSession: disconnected (Duplicate connection, Socket closed), then reconnect', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page);
      await page.evaluate(() => window.__ziwoSim.takeSession());
      await waitForSimEvent(page, 'disconnected', { count: 2 });
      const r = await page.evaluate(() => {
        let thrown = null;
        try {
          window['_jorel-callPhoneNumber']('+97144000000');
        } catch (e) {
          thrown = e.message;
        }
        return { thrown, connected: window.__ziwoSim.connected };
      });
      const msgs = (await recorded(page)).filter((e) => e.state === 'disconnected').map((e) => e.message);
      assert.deepEqual(msgs, ['Duplicate connection', 'Socket closed']);
      assert.equal(r.thrown, 'Agent not connected');
      assert.equal(r.connected, false);
      await page.evaluate(() => window.__ziwoSim.reconnect());
      await waitForSimEvent(page, 'connected', { count: 2 });
      await page.evaluate(() => window['_jorel-callPhoneNumber']('+97144000000'));
      await waitForSimEvent(page, 'early');
    }));
});

describe('click to call (§3)', () => {
  test('before the agent is connected it throws and dispatches error 1004', T, () =>
    withPage(env, async (page) => {
      await page.goto(simPageUrl(env));
      await page.evaluate(() => window.__ziwoSim.whenLoaded());
      const r = await page.evaluate(() => {
        let thrown = null;
        try {
          window['_jorel-callPhoneNumber']('+971501234567');
        } catch (e) {
          thrown = e.message;
        }
        const err = window.__events.find((e) => e.type === '_jorel-dialog-state-error');
        return { thrown, code: err && err.detail.code, innerType: err && typeof err.detail.inner, dialed: window.__ziwoSim.dialed.slice() };
      });
      assert.deepEqual(r, { thrown: 'Agent not connected', code: 1004, innerType: 'object', dialed: [] });
    }));

  test('outbound: requesting, trying, early, active, active; dialed recorded; invalid numbers rejected', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page);
      const ret = await page.evaluate((n) => String(window['_jorel-callPhoneNumber'](n)), NUMBER);
      assert.equal(ret, 'undefined');
      await waitForSimEvent(page, 'active', { count: 2 });
      const ev = await recorded(page);
      const calls = ev.filter((e) => e.callID);
      assert.deepEqual(calls.map((e) => e.state), ['requesting', 'trying', 'early', 'active', 'active']);
      assert.match(calls[0].callID, UUID_RE);
      assert.ok(calls.every((e) => e.callID === calls[0].callID && e.direction === 'outbound' && e.customerNumber === NUMBER));
      assert.ok(calls.every((e) => !e.hasPrimaryCallID), 'primaryCallID only when set');
      const r = await page.evaluate(() => {
        let thrown = null;
        try {
          window['_jorel-callPhoneNumber']('00971 50 123');
        } catch (e) {
          thrown = e.message;
        }
        return { thrown, dialed: window.__ziwoSim.dialed.slice(), calls: window.__ziwoSim.calls };
      });
      assert.equal(r.thrown, 'Invalid phone number');
      assert.deepEqual(r.dialed, [NUMBER]);
      assert.equal(r.calls.length, 1);
      assert.equal(r.calls[0].state, 'active');
    }));
});

describe('call events (§4)', () => {
  test('every event goes out under both prefixes, back to back, with the identical detail', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page);
      const r = await page.evaluate(
        (n) =>
          new Promise((resolve) => {
            const got = [];
            const seen = (e) => {
              got.push(e);
              if (got.length === 2) {
                resolve({
                  order: got.map((x) => x.type),
                  same: got[0].detail === got[1].detail,
                  callID: got[0].detail.callID,
                  type: got[0].detail.type,
                });
              }
            };
            window.addEventListener('_jorel-dialog-state-ringing', seen);
            window.addEventListener('ziwo-ringing', seen);
            window.__ziwoSim.inbound(n);
          }),
        NUMBER
      );
      assert.deepEqual(r.order, ['_jorel-dialog-state-ringing', 'ziwo-ringing']);
      assert.equal(r.same, true);
      assert.equal(r.type, 'ringing');
      assert.match(r.callID, UUID_RE);
      // The whole log pairs up: jorel name immediately followed by the ziwo name.
      const log = await page.evaluate(() => window.__ziwoSim.log.map((e) => e.name));
      assert.equal(log.length % 2, 0);
      for (let i = 0; i < log.length; i += 2) {
        assert.ok(log[i].startsWith('_jorel-dialog-state-'), log[i]);
        assert.equal(log[i + 1], 'ziwo-' + log[i].slice('_jorel-dialog-state-'.length));
      }
    }));

  test('inbound: ringing, answering x2, active x2; agent hang-up: hangup(agent), hangup(customer), destroy', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page);
      const id = await page.evaluate((n) => window.__ziwoSim.inbound(n, { direction: 'service' }), NUMBER);
      await waitForSimEvent(page, 'ringing', { callID: id });
      await page.evaluate((id) => window.__ziwoSim.answer(id), id);
      await waitForSimEvent(page, 'active', { callID: id, count: 2 });
      await page.evaluate(() => window.__ziwoSim.hangup());
      await waitForSimEvent(page, 'destroy', { callID: id });
      const ev = await recorded(page, { callID: id });
      assert.deepEqual(ev.map((e) => e.state), ['ringing', 'answering', 'answering', 'active', 'active', 'hangup', 'hangup', 'destroy']);
      assert.deepEqual(ev.filter((e) => e.state === 'hangup').map((e) => e.origin), ['agent', 'customer']);
      assert.ok(ev.every((e) => e.direction === 'service' && e.customerNumber === NUMBER));
      const left = await page.evaluate(() => ({ calls: window.__ziwoSim.calls.length, stored: sessionStorage.getItem('_ziwo-sim-calls') }));
      assert.deepEqual(left, { calls: 0, stored: null });
    }));

  test('inbound with media first: active, answering, answering, active', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page);
      const id = await page.evaluate((n) => window.__ziwoSim.inbound(n, { mediaFirst: true, primaryCallID: 'p-1' }), NUMBER);
      await waitForSimEvent(page, 'ringing', { callID: id });
      await page.evaluate(() => window.__ziwoSim.answer());
      await waitForSimEvent(page, 'active', { callID: id, count: 2 });
      const ev = await recorded(page, { callID: id });
      assert.deepEqual(ev.map((e) => e.state), ['ringing', 'active', 'answering', 'answering', 'active']);
      assert.ok(ev.every((e) => e.primaryCallID === 'p-1'));
    }));

  test('remote hang-up: hangup(customer), destroy; lateMissingCall: error 1003 after destroy', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page);
      const a = await page.evaluate(() => window.__ziwoSim.inbound('+97150000001'));
      await waitForSimEvent(page, 'ringing', { callID: a });
      await page.evaluate((a) => window.__ziwoSim.remoteHangup(a), a);
      await waitForSimEvent(page, 'destroy', { callID: a });
      const ev = await recorded(page, { callID: a });
      assert.deepEqual(ev.map((e) => e.state + (e.origin ? ':' + e.origin : '')), ['ringing', 'hangup:customer', 'destroy']);

      await page.evaluate(() => window['_jorel-callPhoneNumber']('+97150000002'));
      await waitForSimEvent(page, 'active', { count: 2 });
      await page.evaluate(() => window.__ziwoSim.hangup({ lateMissingCall: true }));
      await waitForSimEvent(page, 'error');
      const tail = (await recorded(page)).slice(-4).map((e) => e.state + (e.code ? ':' + e.code : ''));
      assert.deepEqual(tail, ['hangup', 'hangup', 'destroy', 'error:1003']);
    }));

  test('currentCall and dialog are cyclic and not serialisable', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page);
      const r = await page.evaluate(
        (n) =>
          new Promise((resolve) => {
            window.addEventListener(
              '_jorel-dialog-state-ringing',
              (e) => {
                const d = e.detail;
                const err = (f) => {
                  try {
                    f();
                    return null;
                  } catch (x) {
                    return x.constructor.name + ': ' + x.message;
                  }
                };
                resolve({
                  detail: err(() => JSON.stringify(d)),
                  currentCall: err(() => JSON.stringify(d.currentCall)),
                  dialog: err(() => JSON.stringify(d.dialog)),
                  backReference: d.currentCall.verto.calls.includes(d.currentCall) && d.dialog.call === d.currentCall,
                  peerConnection: err(() => d.currentCall.rtcPeerConnection),
                  plain: JSON.stringify({ callID: d.callID, customerNumber: d.customerNumber, direction: d.direction }),
                });
              },
              { once: true }
            );
            window.__ziwoSim.inbound(n);
          }),
        NUMBER
      );
      assert.match(r.detail, /^TypeError: .*circular/i);
      assert.match(r.currentCall, /^TypeError: .*circular/i);
      assert.match(r.dialog, /^TypeError: .*circular/i);
      assert.equal(r.backReference, true);
      assert.match(r.peerConnection, /^Error: ziwo-sim/);
      assert.match(r.plain, /"direction":"inbound"/);
    }));

  test('stateFlow is the call\'s live array: it keeps growing after the event', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page);
      await page.evaluate(() => {
        window.addEventListener('_jorel-dialog-state-early', (e) => {
          window.__early = { detail: e.detail, lengthThen: e.detail.stateFlow.length };
        });
        window['_jorel-callPhoneNumber']('+97144000000');
      });
      await waitForSimEvent(page, 'active', { count: 2 });
      const r = await page.evaluate(() => {
        const early = window.__early;
        const last = window.__events.filter((e) => e.type === '_jorel-dialog-state-active').pop().detail;
        return {
          lengthThen: early.lengthThen,
          lengthNow: early.detail.stateFlow.length,
          sameArray: early.detail.stateFlow === last.stateFlow,
          sameCall: early.detail.currentCall === last.currentCall,
          newDetail: early.detail !== last,
          states: last.stateFlow.map((s) => s.state),
          entriesOk: last.stateFlow.every(
            (s) => s.date instanceof Date && typeof s.dateUNIX === 'number' && s.dateUNIX === s.date.getTime() / 1000
          ),
        };
      });
      assert.equal(r.lengthThen, 3);
      assert.equal(r.lengthNow, 5);
      assert.equal(r.sameArray, true);
      assert.equal(r.sameCall, true);
      assert.equal(r.newDetail, true);
      assert.deepEqual(r.states, ['requesting', 'trying', 'early', 'active', 'active']);
      assert.equal(r.entriesOk, true);
    }));

  test('attended transfer: first call held, second leg carries primaryCallID, events interleave', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page);
      const a = await page.evaluate(() => window.__ziwoSim.inbound('+97150000001'));
      await waitForSimEvent(page, 'ringing', { callID: a });
      await page.evaluate(() => window.__ziwoSim.answer());
      await waitForSimEvent(page, 'active', { callID: a, count: 2 });
      const b = await page.evaluate(() => window.__ziwoSim.transfer('+97150000002'));
      await waitForSimEvent(page, 'active', { callID: b, count: 2 });
      const ev = (await recorded(page)).filter((e) => e.callID);
      const seq = ev.map((e) => (e.callID === a ? 'A:' : 'B:') + e.state);
      assert.deepEqual(seq.slice(5), ['B:requesting', 'A:held', 'B:trying', 'B:early', 'B:active', 'B:active']);
      assert.ok(ev.filter((e) => e.callID === b).every((e) => e.primaryCallID === a && e.direction === 'outbound'));
      const calls = await page.evaluate(() => window.__ziwoSim.calls.map((c) => c.state));
      assert.deepEqual(calls, ['held', 'active']);
    }));

  test('hold, unhold and mute; widget buttons drive the call', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page);
      const id = await page.evaluate(() => window.__ziwoSim.inbound('+97150000001'));
      await page.click('#ziwo-sim-phone button[data-action=answer]');
      await waitForSimEvent(page, 'active', { callID: id, count: 2 });
      await page.click('#ziwo-sim-phone button[data-action=hold]');
      await waitForSimEvent(page, 'held', { callID: id });
      await page.click('#ziwo-sim-phone button[data-action=unhold]');
      await waitForSimEvent(page, 'active', { callID: id, count: 3 });
      await page.click('#ziwo-sim-phone button[data-action=mute]');
      await page.click('#ziwo-sim-phone button[data-action=unmute]');
      await page.click('#ziwo-sim-phone button[data-action=hangup]');
      await waitForSimEvent(page, 'destroy', { callID: id });
      assert.deepEqual(await simStates(page, { callID: id }), [
        'ringing', 'answering', 'answering', 'active', 'active', 'held', 'active', 'mute', 'unmute', 'hangup', 'hangup', 'destroy',
      ]);
    }));

  test('after a reload an unfinished call comes back as recovering, then its state', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page);
      const a = await page.evaluate(() => window.__ziwoSim.inbound('+97150000001'));
      await waitForSimEvent(page, 'ringing', { callID: a });
      await page.evaluate((a) => window.__ziwoSim.answer(a), a);
      await waitForSimEvent(page, 'active', { callID: a, count: 2 });
      const b = await page.evaluate(() => window.__ziwoSim.inbound('+97150000002', { direction: 'internal' }));
      await waitForSimEvent(page, 'ringing', { callID: b });
      await page.evaluate((b) => window.__ziwoSim.answer(b), b); // holds A first
      await waitForSimEvent(page, 'active', { callID: b, count: 2 });
      await waitForSimEvent(page, 'held', { callID: a });

      await page.reload();
      await page.waitForFunction(() => window.__ziwoSim);
      await waitForSimEvent(page, 'held', { callID: a });
      await waitForSimEvent(page, 'active', { callID: b });
      const states = await recorded(page);
      assert.deepEqual(states.map((e) => e.state).slice(0, 3), ['input-changed', 'output-changed', 'connected']);
      assert.deepEqual(states.filter((e) => e.callID === a).map((e) => e.state), ['recovering', 'held']);
      assert.deepEqual(states.filter((e) => e.callID === b).map((e) => e.state), ['recovering', 'active']);
      const bEvents = states.filter((e) => e.callID === b);
      assert.ok(bEvents.every((e) => e.direction === 'internal' && e.customerNumber === '+97150000002'));
      const flow = await page.evaluate((b) => {
        const d = window.__events.find((e) => e.state === 'recovering' && e.detail.callID === b).detail;
        return { states: d.stateFlow.map((s) => s.state), dates: d.stateFlow.every((s) => s.date instanceof Date && s.dateUNIX === s.date.getTime() / 1000) };
      }, b);
      assert.deepEqual(flow.states.slice(0, 4), ['ringing', 'answering', 'answering', 'active']);
      assert.equal(flow.states[flow.states.length - 2], 'recovering', 'restored history, then recovering');
      assert.equal(flow.dates, true);
      // The recovered call is live again.
      await page.evaluate((b) => window.__ziwoSim.hangup(b), b);
      await waitForSimEvent(page, 'destroy', { callID: b });
    }));

  test('a destroyed call is not recovered after a reload; reset() ends calls silently', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page);
      const a = await page.evaluate(() => window.__ziwoSim.inbound('+97150000001'));
      await waitForSimEvent(page, 'ringing', { callID: a });
      await page.evaluate(() => window.__ziwoSim.answer());
      await waitForSimEvent(page, 'active', { callID: a, count: 2 });
      await page.evaluate(() => window.__ziwoSim.hangup());
      await waitForSimEvent(page, 'destroy', { callID: a });
      // A second call, ended by reset(): no events, nothing stored.
      const b = await page.evaluate(() => window.__ziwoSim.inbound('+97150000002'));
      await waitForSimEvent(page, 'ringing', { callID: b });
      const r = await page.evaluate(() => {
        window.__ziwoSim.reset();
        return { log: window.__ziwoSim.log.length, calls: window.__ziwoSim.calls.length, stored: sessionStorage.getItem('_ziwo-sim-calls') };
      });
      assert.deepEqual(r, { log: 0, calls: 0, stored: null });

      await page.reload();
      await openConnected(page);
      // Nothing is recovered: the simulator replays a recovered call from a timer of
      // stepDelayMs set when it connects, and timers of equal or shorter delay fire in the
      // order they were set (HTML's timer ordering): one set now fires after it.
      await page.evaluate(() => new Promise((r) => setTimeout(r, window.__ziwoSim.config.stepDelayMs)));
      const states = (await recorded(page)).map((e) => e.state);
      assert.deepEqual(states, ['input-changed', 'output-changed', 'connected']);
    }));

  test('emit() and error() dispatch raw events under both prefixes', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page);
      const r = await page.evaluate(() => {
        const got = [];
        const d = { callID: 'x', weird: true };
        window.addEventListener('_jorel-dialog-state-future-state', (e) => got.push(e.detail));
        window.addEventListener('ziwo-future-state', (e) => got.push(e.detail));
        window.__ziwoSim.emit('future-state', d);
        window.__ziwoSim.error(1002, 'no media');
        const err = window.__events.filter((e) => e.state === 'error');
        return { n: got.length, same: got[0] === d && got[1] === d, errs: err.map((e) => e.type + ' ' + e.detail.code + ' ' + e.detail.inner), oneDetail: err[0].detail === err[1].detail };
      });
      assert.deepEqual(r, {
        n: 2,
        same: true,
        errs: ['_jorel-dialog-state-error 1002 no media', 'ziwo-error 1002 no media'],
        oneDetail: true,
      });
    }));
});

// ---- §4b: acting on a call through detail.currentCall (core-front's Call) and detail.dialog
// (FreeSWITCH verto.js's dialog), and the record of what went out on the verto socket.

const STEP = { ...FAST, stepDelayMs: 20 };
const SDK = { ...STEP, shape: 'sdk' };

// Calls `target` ('currentCall' | 'dialog') . `method`(...args) on the object in the call's
// latest event, and reports what happened before the method returned: the events dispatched
// (`state[:origin]`, any call), what it sent, what it returned, what it threw.
function act(page, callID, target, method, ...args) {
  return page.evaluate(
    ([id, t, m, a]) => {
      const sim = window.__ziwoSim;
      const d = window.__events.filter((e) => e.prefix === '_jorel-dialog-state-' && e.detail && e.detail.callID === id).pop().detail;
      const n = window.__events.length;
      const s = sim.sent.length;
      let value;
      let error = null;
      try {
        value = d[t][m](...a);
      } catch (x) {
        error = x.message;
      }
      return {
        during: window.__events
          .slice(n)
          .filter((e) => e.prefix === '_jorel-dialog-state-')
          .map((e) => e.state + (e.detail.origin ? ':' + e.detail.origin : '')),
        sent: sim.sent.slice(s),
        promise: value instanceof Promise,
        value: value instanceof Promise ? 'promise' : value,
        error,
      };
    },
    [callID, target, method, args]
  );
}

// An inbound call, answered through the simulator's control, up to its second 'active'.
async function activeInbound(page, number) {
  const id = await page.evaluate((n) => window.__ziwoSim.inbound(n), number);
  await waitForSimEvent(page, 'ringing', { callID: id });
  await page.evaluate((id) => window.__ziwoSim.answer(id), id);
  await waitForSimEvent(page, 'active', { callID: id, count: 2 });
  return id;
}

async function ringing(page, number) {
  const id = await page.evaluate((n) => window.__ziwoSim.inbound(n), number);
  await waitForSimEvent(page, 'ringing', { callID: id });
  return id;
}

// Everything the server does stepDelayMs after an action has happened once a call started
// after that action has rung (same delay, scheduled later): waits for that, not for a time.
async function settle(page) {
  await ringing(page, '+97150009999');
}

const states = (page, callID) => recorded(page, { callID }).then((ev) => ev.map((e) => e.state + (e.origin ? ':' + e.origin : '')));
const sentSince = (page, n) => page.evaluate((n) => window.__ziwoSim.sent.slice(n), n);
const sentCount = (page) => page.evaluate(() => window.__ziwoSim.sent.length);

describe('acting on a call (§4b)', () => {
  test("shape: 'verto' details carry dialog and currentCall, 'sdk' details no dialog key; bad values fall back", T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page, { ...FAST, shape: 'bogus' });
      const shapeOf = (id) =>
        page.evaluate((id) => {
          const d = window.__events.find((e) => e.state === 'ringing' && e.detail.callID === id).detail;
          return {
            hasDialog: 'dialog' in d,
            dialogIsLinked: !!d.dialog && d.dialog.call === d.currentCall && d.dialog.callID === id && d.dialog.verto === d.currentCall.verto,
            currentCall: typeof d.currentCall.answer === 'function' && d.currentCall.callId === id,
            callHasDialog: 'dialog' in d.currentCall,
          };
        }, id);
      assert.equal(await page.evaluate(() => window.__ziwoSim.config.shape), 'verto', 'an unknown shape falls back to verto');
      const a = await ringing(page, '+97150000001');
      assert.deepEqual(await shapeOf(a), { hasDialog: true, dialogIsLinked: true, currentCall: true, callHasDialog: false });

      assert.equal(await page.evaluate(() => window.__ziwoSim.configure({ shape: 'sdk' }).shape), 'sdk');
      const b = await ringing(page, '+97150000002');
      assert.deepEqual(await shapeOf(b), { hasDialog: false, dialogIsLinked: false, currentCall: true, callHasDialog: false });
      assert.equal(await page.evaluate(() => window.__ziwoSim.configure({ shape: 42 }).shape), 'verto');
    }));

  test('sdk answer(): holds the other active call, sends verto.answer, active synchronously, then answering x2, active', T, () =>
    withPage(env, { localStorage: AUTOLOGIN, initScript: { content: 'window.__ziwoSimConfig = {shape: "sdk"};' } }, async (page) => {
      await openConnected(page, STEP); // shape from __ziwoSimConfig
      assert.equal(await page.evaluate(() => window.__ziwoSim.config.shape), 'sdk');
      const a = await activeInbound(page, '+97150000001');
      const b = await ringing(page, '+97150000002');
      const r = await act(page, b, 'currentCall', 'answer');
      assert.equal(r.error, null);
      assert.equal(r.promise, true);
      assert.deepEqual(r.during, ['active'], "'active' is dispatched inside answer()");
      assert.deepEqual(r.sent, [
        { method: 'verto.modify', callID: a, action: 'hold' },
        { method: 'verto.answer', callID: b },
      ]);
      await waitForSimEvent(page, 'active', { callID: b, count: 2 });
      await waitForSimEvent(page, 'held', { callID: a });
      assert.deepEqual(await states(page, b), ['ringing', 'active', 'answering', 'answering', 'active']);
      assert.deepEqual((await states(page, a)).slice(-2), ['active', 'held']);
      assert.deepEqual(await page.evaluate(() => window.__ziwoSim.calls.map((c) => c.state)), ['held', 'active']);
    }));

  test('sdk guards nothing: a second answer() sends a second verto.answer and answers again', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page, SDK);
      const id = await ringing(page, NUMBER);
      const first = await act(page, id, 'currentCall', 'answer');
      const second = await act(page, id, 'currentCall', 'answer');
      assert.deepEqual(first.sent, [{ method: 'verto.answer', callID: id }]);
      assert.deepEqual(second.sent, [{ method: 'verto.answer', callID: id }]);
      assert.deepEqual(second.during, ['active']);
      await waitForSimEvent(page, 'active', { callID: id, count: 4 });
      const invoked = await page.evaluate(() => window.__ziwoSim.invoked);
      assert.deepEqual(invoked, [
        { target: 'currentCall', method: 'answer', args: [] },
        { target: 'currentCall', method: 'answer', args: [] },
      ]);
    }));

  test('sdk hangup(): verto.bye, then hangup, purge, destroy synchronously, a late hangup; again on the destroyed call', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page, SDK);
      const id = await activeInbound(page, NUMBER);
      const r = await act(page, id, 'currentCall', 'hangup');
      assert.equal(r.promise, true);
      assert.deepEqual(r.during, ['hangup:agent', 'purge', 'destroy']);
      assert.deepEqual(r.sent, [{ method: 'verto.bye', callID: id, cause: 'NORMAL_CLEARING', causeCode: 16 }]);
      assert.equal(await page.evaluate(() => window.__ziwoSim.calls.length), 0);
      await waitForSimEvent(page, 'hangup', { callID: id, count: 2 });
      assert.deepEqual((await states(page, id)).slice(-4), ['hangup:agent', 'purge', 'destroy', 'hangup:customer']);

      // No guard: another bye and another hangup, and nothing more (no second destroy).
      const again = await act(page, id, 'currentCall', 'hangup');
      assert.deepEqual(again.during, ['hangup:agent']);
      assert.deepEqual(again.sent, [{ method: 'verto.bye', callID: id, cause: 'NORMAL_CLEARING', causeCode: 16 }]);
      await settle(page);
      assert.deepEqual((await states(page, id)).slice(-5), ['hangup:agent', 'purge', 'destroy', 'hangup:customer', 'hangup:agent']);
    }));

  test('sdk hangup() of an outbound call not yet answered: ORIGINATOR_CANCEL/487', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page, { ...SDK, autoAnswerOutbound: false });
      await page.evaluate(() => window['_jorel-callPhoneNumber']('+97144000000'));
      await waitForSimEvent(page, 'early');
      const id = await page.evaluate(() => window.__ziwoSim.calls[0].callID);
      const r = await act(page, id, 'currentCall', 'hangup');
      assert.deepEqual(r.sent, [{ method: 'verto.bye', callID: id, cause: 'ORIGINATOR_CANCEL', causeCode: 487 }]);
      assert.deepEqual(r.during, ['hangup:agent', 'purge', 'destroy']);
    }));

  test('sdk hold()/unhold(): sent at once, held/active only when the server confirms; unhold() holds the other call', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page, SDK);
      const a = await activeInbound(page, '+97150000001');
      const hold = await act(page, a, 'currentCall', 'hold');
      assert.deepEqual(hold.during, [], 'no held before the server confirms');
      assert.deepEqual(hold.sent, [{ method: 'verto.modify', callID: a, action: 'hold' }]);
      assert.equal(hold.promise, true);
      await waitForSimEvent(page, 'held', { callID: a });

      const b = await activeInbound(page, '+97150000002');
      const unhold = await act(page, a, 'currentCall', 'unhold');
      assert.deepEqual(unhold.during, []);
      assert.deepEqual(unhold.sent, [
        { method: 'verto.modify', callID: b, action: 'hold' },
        { method: 'verto.modify', callID: a, action: 'unhold' },
      ]);
      await waitForSimEvent(page, 'active', { callID: a, count: 3 });
      await waitForSimEvent(page, 'held', { callID: b });
      assert.deepEqual((await states(page, a)).slice(-2), ['held', 'active']);
      assert.deepEqual(await page.evaluate(() => window.__ziwoSim.calls.map((c) => c.state)), ['active', 'held']);
    }));

  test('sdk mute()/unmute() send nothing and dispatch at once, unguarded; dtmf(c) sends one verto.info as given', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page, SDK);
      const id = await activeInbound(page, NUMBER);
      const m1 = await act(page, id, 'currentCall', 'mute');
      const m2 = await act(page, id, 'currentCall', 'mute');
      assert.deepEqual([m1.during, m2.during, m1.sent, m2.sent], [['mute'], ['mute'], [], []]);
      assert.equal(await page.evaluate(() => window.__ziwoSim.calls[0].muted), true);
      const u = await act(page, id, 'currentCall', 'unmute');
      assert.deepEqual([u.during, u.sent], [['unmute'], []]);
      assert.equal(await page.evaluate(() => window.__ziwoSim.calls[0].muted), false);

      const d1 = await act(page, id, 'currentCall', 'dtmf', '5');
      const d2 = await act(page, id, 'currentCall', 'dtmf', 7);
      const d3 = await act(page, id, 'currentCall', 'dtmf', '12');
      assert.deepEqual([...d1.sent, ...d2.sent, ...d3.sent], [
        { method: 'verto.info', callID: id, dtmf: '5' },
        { method: 'verto.info', callID: id, dtmf: '7' },
        { method: 'verto.info', callID: id, dtmf: '12' },
      ]);
      assert.deepEqual([d1.during, d2.during, d3.during], [[], [], []]);
      const invoked = await page.evaluate(() => window.__ziwoSim.invoked.map((i) => i.method + '(' + i.args.map((a) => typeof a + ':' + a).join(',') + ')'));
      assert.deepEqual(invoked, ['mute()', 'mute()', 'unmute()', 'dtmf(string:5)', 'dtmf(number:7)', 'dtmf(string:12)']);
    }));

  test('sdk blindTransfer(): verto.modify transfer, then the call leaves the agent: hangup(transfer), destroy', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page, SDK);
      const id = await activeInbound(page, NUMBER);
      const r = await act(page, id, 'currentCall', 'blindTransfer', '+97140000000');
      assert.deepEqual(r.during, []);
      assert.deepEqual(r.sent, [{ method: 'verto.modify', callID: id, action: 'transfer', destination: '+97140000000' }]);
      await waitForSimEvent(page, 'destroy', { callID: id });
      assert.deepEqual((await states(page, id)).slice(-3), ['active', 'hangup:transfer', 'destroy']);
      assert.equal(await page.evaluate(() => window.__ziwoSim.calls.length), 0);
    }));

  test('methods that send throw once the agent is not connected, and are still recorded', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page, STEP);
      const id = await activeInbound(page, NUMBER);
      await page.evaluate(() => window.__ziwoSim.takeSession());
      await waitForSimEvent(page, 'disconnected', { count: 2 });
      const n = await sentCount(page);
      const sdk = await act(page, id, 'currentCall', 'hold');
      const dlg = await act(page, id, 'dialog', 'hangup');
      assert.equal(sdk.error, 'ziwo-sim: currentCall.hold() needs a connected agent');
      assert.equal(dlg.error, 'ziwo-sim: dialog.hangup() needs a connected agent');
      assert.deepEqual(await sentSince(page, n), []);
      const invoked = await page.evaluate(() => window.__ziwoSim.invoked.map((i) => i.target + '.' + i.method));
      assert.deepEqual(invoked, ['currentCall.hold', 'dialog.hangup']);
    }));

  test("verto dialog answer(): verto.answer and the older phone's flow, once (verto.js's answered flag)", T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page, STEP);
      const id = await ringing(page, NUMBER);
      const r = await act(page, id, 'dialog', 'answer');
      assert.deepEqual(r.sent, [{ method: 'verto.answer', callID: id }]);
      assert.deepEqual(r.during, [], 'the older phone reports the answer asynchronously');
      const again = await act(page, id, 'dialog', 'answer');
      assert.deepEqual(again.sent, [], 'verto.js answers a dialog once');
      await waitForSimEvent(page, 'active', { callID: id, count: 2 });
      await settle(page);
      assert.deepEqual(await states(page, id), ['ringing', 'answering', 'answering', 'active', 'active']);
      const invoked = await page.evaluate(() => window.__ziwoSim.invoked);
      assert.deepEqual(invoked, [
        { target: 'dialog', method: 'answer', args: [] },
        { target: 'dialog', method: 'answer', args: [] },
      ]);
    }));

  test("verto dialog setMute()/getMute() follow verto.js: 'on' = microphone on (unmuted), no event, getMute() = microphone on", T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page, STEP);
      const id = await activeInbound(page, NUMBER);
      const run = async (method, ...args) => {
        const r = await act(page, id, 'dialog', method, ...args);
        assert.deepEqual(r.sent, [], method + ' sends nothing');
        return [r.value, r.during];
      };
      // verto.js only switches the microphone track: no event, whatever the change.
      assert.deepEqual(await run('getMute'), [true, []], 'microphone on at the start');
      assert.deepEqual(await run('setMute', 'off'), [true, []], "'off' mutes and returns true (muted)");
      assert.equal(await page.evaluate(() => window.__ziwoSim.calls[0].muted), true);
      assert.deepEqual(await run('getMute'), [false, []]);
      assert.deepEqual(await run('setMute', 'on'), [false, []]);
      assert.deepEqual(await run('setMute', 'toggle'), [true, []]);
      assert.deepEqual(await run('setMute', 'toggle'), [false, []]);
      assert.deepEqual(await run('setMute', 'on'), [false, []], 'no guard: unmute again');
      assert.deepEqual(await run('setMute', 'loud'), [false, []], 'an unknown value changes nothing');
      assert.equal(await page.evaluate(() => window.__ziwoSim.calls[0].muted), false);
    }));

  test('verto dialog dtmf() sends all digits in one verto.info; hold, toggleHold and unhold wait for the server', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page, STEP);
      const id = await activeInbound(page, NUMBER);
      const d = await act(page, id, 'dialog', 'dtmf', '123#');
      assert.deepEqual(d.sent, [{ method: 'verto.info', callID: id, dtmf: '123#' }]);
      assert.deepEqual((await act(page, id, 'dialog', 'dtmf', '')).sent, [], 'verto.js sends no empty dtmf');

      const h = await act(page, id, 'dialog', 'hold');
      assert.deepEqual([h.during, h.sent], [[], [{ method: 'verto.modify', callID: id, action: 'hold' }]]);
      await waitForSimEvent(page, 'held', { callID: id });
      const t = await act(page, id, 'dialog', 'toggleHold');
      assert.deepEqual([t.during, t.sent], [[], [{ method: 'verto.modify', callID: id, action: 'toggleHold' }]]);
      await waitForSimEvent(page, 'active', { callID: id, count: 3 });
      const t2 = await act(page, id, 'dialog', 'toggleHold');
      assert.deepEqual(t2.sent, [{ method: 'verto.modify', callID: id, action: 'toggleHold' }]);
      await waitForSimEvent(page, 'held', { callID: id, count: 2 });
      const u = await act(page, id, 'dialog', 'unhold');
      assert.deepEqual([u.during, u.sent], [[], [{ method: 'verto.modify', callID: id, action: 'unhold' }]]);
      await waitForSimEvent(page, 'active', { callID: id, count: 4 });
      assert.deepEqual((await states(page, id)).slice(-4), ['held', 'active', 'held', 'active']);
    }));

  test('verto dialog transfer() and hangup(): the call leaves; hangup once hung up sends nothing', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page, STEP);
      const a = await activeInbound(page, '+97150000001');
      assert.deepEqual((await act(page, a, 'dialog', 'transfer', '')).sent, [], 'verto.js sends no empty transfer');
      const t = await act(page, a, 'dialog', 'transfer', '+97140000000');
      assert.deepEqual(t.sent, [{ method: 'verto.modify', callID: a, action: 'transfer', destination: '+97140000000' }]);
      await waitForSimEvent(page, 'destroy', { callID: a });
      assert.deepEqual((await states(page, a)).slice(-2), ['hangup:transfer', 'destroy']);

      const b = await activeInbound(page, '+97150000002');
      const h = await act(page, b, 'dialog', 'hangup');
      assert.deepEqual(h.during, ['hangup:agent'], 'the first hangup is synchronous');
      assert.deepEqual(h.sent, [{ method: 'verto.bye', callID: b, cause: 'NORMAL_CLEARING', causeCode: 16 }]);
      const again = await act(page, b, 'dialog', 'hangup');
      assert.deepEqual([again.during, again.sent], [[], []], 'verto.js: nothing to send once hung up');
      await waitForSimEvent(page, 'destroy', { callID: b });
      const late = await act(page, b, 'dialog', 'hangup');
      assert.deepEqual([late.during, late.sent], [[], []]);
      assert.deepEqual((await states(page, b)).slice(-3), ['hangup:agent', 'hangup:customer', 'destroy']);
    }));

  test("the simulator's own controls record what the agent sent; invoked records target and method; reset() clears both", T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openConnected(page, STEP);
      const a = await activeInbound(page, '+97150000001');
      await page.evaluate((a) => window.__ziwoSim.hold(a), a);
      await waitForSimEvent(page, 'held', { callID: a });
      await page.evaluate((a) => window.__ziwoSim.unhold(a), a);
      await waitForSimEvent(page, 'active', { callID: a, count: 3 });
      await page.evaluate(() => window.__ziwoSim.mute());
      await page.evaluate(() => window.__ziwoSim.hangup());
      await waitForSimEvent(page, 'destroy', { callID: a });
      const b = await ringing(page, '+97150000002');
      await page.evaluate(() => window.__ziwoSim.remoteHangup()); // the customer: nothing sent
      await waitForSimEvent(page, 'destroy', { callID: b });
      assert.deepEqual(await page.evaluate(() => window.__ziwoSim.sent), [
        { method: 'verto.answer', callID: a },
        { method: 'verto.modify', callID: a, action: 'hold' },
        { method: 'verto.modify', callID: a, action: 'unhold' },
        { method: 'verto.bye', callID: a, cause: 'NORMAL_CLEARING', causeCode: 16 },
      ]);
      assert.deepEqual(await page.evaluate(() => window.__ziwoSim.invoked), [], 'controls are not method calls');

      const c = await ringing(page, '+97150000003');
      await act(page, c, 'dialog', 'setMute', 'toggle');
      await act(page, c, 'currentCall', 'dtmf', { digit: 1 });
      await act(page, c, 'dialog', 'getMute');
      assert.deepEqual(await page.evaluate(() => window.__ziwoSim.invoked), [
        { target: 'dialog', method: 'setMute', args: ['toggle'] },
        { target: 'currentCall', method: 'dtmf', args: [{ digit: 1 }] },
        { target: 'dialog', method: 'getMute', args: [] },
      ]);
      const r = await page.evaluate(() => {
        const sim = window.__ziwoSim;
        const before = { sent: sim.sent.length, invoked: sim.invoked.length };
        const arrays = [sim.sent, sim.invoked];
        sim.reset();
        return { before, after: { sent: sim.sent.length, invoked: sim.invoked.length }, same: sim.sent === arrays[0] && sim.invoked === arrays[1] };
      });
      assert.deepEqual(r, { before: { sent: 5, invoked: 3 }, after: { sent: 0, invoked: 0 }, same: true });
    }));
});

// §6: with `apiUrl`, every call the simulator ends is reported to the API stand-in, which
// writes its CDR as ZIWO's server does. This file's own stand-in (port 0), so a CDR config
// or reset here never touches another test file's.
describe('CDRs at the API stand-in (apiUrl, §6)', () => {
  let api;
  before(async () => {
    api = await startApiServer({ port: 0 });
  });
  after(async () => {
    await api?.close();
  });

  // Records every report the page sends (and whether it went through), then sends it.
  const RECORD_REPORTS = {
    content: `(() => {
      window.__reports = [];
      const send = window.fetch;
      window.fetch = function (url, init) {
        const p = send.apply(this, arguments);
        if (String(url).endsWith('/__control/calls')) {
          const r = { url: String(url), init: { ...init, body: undefined }, body: JSON.parse(init.body), done: false, ok: null };
          window.__reports.push(r);
          p.then((res) => { r.done = true; r.ok = res.ok; }, () => { r.done = true; r.ok = false; });
        }
        return p;
      };
    })();`,
  };
  const cfg = () => ({ ...STEP, apiUrl: api.url });
  const reports = (page, callID) => page.evaluate((id) => window.__reports.filter((r) => id == null || r.body.callID === id).map((r) => r.body), callID ?? null);
  const waitReported = (page, callID) =>
    page.waitForFunction((id) => window.__reports.some((r) => r.body.callID === id && r.done), callID, { timeout: 5000 });

  async function cdrsOf(callID) {
    const res = await fetch(`${api.url}/callHistory/?callID=${encodeURIComponent(callID)}`, { headers: { access_token: api.token } });
    assert.equal(res.status, 200);
    return (await res.json()).content;
  }

  // Waits (with a deadline) for the stand-in to have written the CDR of `callID`.
  async function cdrOf(callID, timeout = 5000) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const [cdr] = await cdrsOf(callID);
      if (cdr) return cdr;
      if (Date.now() > deadline) throw new Error(`no CDR for ${callID} within ${timeout} ms`);
      await sleep(20);
    }
  }

  const recordingStatus = async (callID) =>
    (await fetch(`${api.url}/surveillance/recordings/${callID}.mp3`, { headers: { access_token: api.token } })).status;

  before(() => api.configure({ cdrDelayMs: 0, cdrCallId: 'call' }));

  test('an inbound call answered, held, then hung up by the agent: ANSWER, originatee, a recording', T, () =>
    withPage(env, { localStorage: AUTOLOGIN, initScript: RECORD_REPORTS }, async (page) => {
      await openConnected(page, cfg());
      const t0 = await page.evaluate(() => Date.now());
      const id = await activeInbound(page, NUMBER);
      await page.evaluate((id) => window.__ziwoSim.hold(id), id);
      await waitForSimEvent(page, 'held', { callID: id });
      await page.evaluate((id) => window.__ziwoSim.unhold(id), id);
      await waitForSimEvent(page, 'active', { callID: id, count: 3 });
      await page.evaluate((id) => window.__ziwoSim.hangup(id), id);
      await waitForSimEvent(page, 'destroy', { callID: id });
      await waitReported(page, id);

      const [body] = await reports(page, id);
      const flow = await page.evaluate((id) => {
        const d = window.__events.filter((e) => e.prefix === '_jorel-dialog-state-' && e.detail.callID === id).pop().detail;
        return d.stateFlow.map((s) => ({ state: s.state, at: Math.round(s.dateUNIX * 1000) }));
      }, id);
      const at = (state) => flow.find((s) => s.state === state).at;
      const held = flow.findIndex((s) => s.state === 'held');
      assert.deepEqual(
        { ...body, startedAt: undefined },
        { callID: id, direction: 'inbound', customerNumber: NUMBER, startedAt: undefined, answeredAt: at('active'), endedAt: at('hangup'), hangupBy: 'agent', holdMs: flow[held + 1].at - flow[held].at, ccLogin: '1001' }
      );
      assert.ok(body.startedAt >= t0 && body.startedAt <= at('ringing'), 'started when the call was created');
      assert.ok(body.holdMs > 0 || flow[held + 1].at === flow[held].at);
      assert.deepEqual((await reports(page)).length, 1, 'reported once');
      assert.equal(await page.evaluate(() => window.__reports[0].init.keepalive), true);

      const cdr = await cdrOf(id);
      assert.equal(cdr.simCallID, id);
      assert.equal(cdr.direction, 'inbound');
      assert.equal(cdr.disposition, 'ANSWER');
      assert.equal(cdr.hangupCause, 'NORMAL_CLEARING');
      assert.equal(cdr.hangupBy, 'originatee');
      assert.equal(cdr.callerIDNumber, NUMBER);
      assert.equal(cdr.agentCCLogin, '1001');
      assert.equal(cdr.recordingFile, `${id}.mp3`);
      assert.equal(cdr.endDateTime, new Date(at('hangup')).toISOString());
      assert.equal(await recordingStatus(id), 200);
    }));

  test('a missed call (the customer hangs up while it rings): NO ANSWER, no recording', T, () =>
    withPage(env, { localStorage: AUTOLOGIN, initScript: RECORD_REPORTS }, async (page) => {
      await openConnected(page, cfg());
      const id = await ringing(page, '+97150000011');
      await page.evaluate((id) => window.__ziwoSim.remoteHangup(id), id);
      await waitForSimEvent(page, 'destroy', { callID: id });
      const [body] = await reports(page, id);
      assert.deepEqual([body.answeredAt, body.hangupBy, body.holdMs], [null, 'customer', 0]);
      const cdr = await cdrOf(id);
      assert.deepEqual(
        [cdr.disposition, cdr.hangupCause, cdr.hangupBy, cdr.recordingFile, cdr.answeredDateTime],
        ['NO ANSWER', 'NO_ANSWER', 'originator', null, null]
      );
      assert.equal(await recordingStatus(id), 404);
    }));

  test('every way a call ends is reported once: reject, outbound, SDK hang-up (and its stray bye), transfer; reset() is not', T, () =>
    withPage(env, { localStorage: AUTOLOGIN, initScript: RECORD_REPORTS }, async (page) => {
      await openConnected(page, { ...cfg(), shape: 'sdk' });
      // The agent rejects a ringing call.
      const rejected = await ringing(page, '+97150000021');
      await page.evaluate((id) => window.__ziwoSim.hangup(id), rejected);
      await waitForSimEvent(page, 'destroy', { callID: rejected });
      // An outbound call, answered, ended by currentCall.hangup(); its stray bye comes later.
      await page.evaluate(() => window['_jorel-callPhoneNumber']('+97150000022'));
      await waitForSimEvent(page, 'active', { count: 2 });
      const outbound = await page.evaluate(() => window.__ziwoSim.calls[0].callID);
      await act(page, outbound, 'currentCall', 'hangup');
      await waitForSimEvent(page, 'hangup', { callID: outbound, count: 2 });
      // A call transferred away.
      const moved = await activeInbound(page, '+97150000023');
      await act(page, moved, 'currentCall', 'blindTransfer', '+97140000000');
      await waitForSimEvent(page, 'destroy', { callID: moved });
      // A call ended by reset(): no event, no report.
      const dropped = await ringing(page, '+97150000024');
      await page.evaluate(() => window.__ziwoSim.reset());

      const sent = await reports(page);
      assert.deepEqual(sent.map((b) => b.callID), [rejected, outbound, moved]);
      assert.deepEqual(sent.map((b) => [b.direction, b.hangupBy, b.answeredAt === null]), [
        ['inbound', 'agent', true],
        ['outbound', 'agent', false],
        ['inbound', 'agent', false],
      ]);
      assert.equal(sent[1].customerNumber, '+97150000022');
      const [r, o, m] = await Promise.all([cdrOf(rejected), cdrOf(outbound), cdrOf(moved)]);
      assert.deepEqual([r.disposition, r.hangupCause, r.hangupBy, r.recordingFile], ['NO ANSWER', 'CALL_REJECTED', 'originatee', null]);
      assert.deepEqual([o.disposition, o.hangupBy, o.callerIDNumber, o.didCalled], ['ANSWER', 'originator', '+97144000000', '+97150000022']);
      assert.equal(m.disposition, 'ANSWER');
      // One CDR each; nothing for the call reset() dropped.
      for (const id of [rejected, outbound, moved]) assert.equal((await cdrsOf(id)).length, 1, id);
      assert.deepEqual(await cdrsOf(dropped), []);
    }));

  test('a call recovered after a reload is reported once it ends, with its first answer time; the reload reports nothing', T, () =>
    withPage(env, { localStorage: AUTOLOGIN, initScript: RECORD_REPORTS }, async (page) => {
      await openConnected(page, cfg());
      const t0 = await page.evaluate(() => Date.now());
      const id = await activeInbound(page, '+97150000031');
      const answeredAt = await page.evaluate((id) => {
        const d = window.__events.filter((e) => e.prefix === '_jorel-dialog-state-' && e.detail.callID === id).pop().detail;
        return Math.round(d.stateFlow.find((s) => s.state === 'active').dateUNIX * 1000);
      }, id);
      await page.reload();
      await page.waitForFunction(() => window.__ziwoSim);
      await waitForSimEvent(page, 'active', { callID: id });
      assert.deepEqual(await reports(page), []);
      await page.evaluate((id) => window.__ziwoSim.remoteHangup(id), id);
      await waitForSimEvent(page, 'destroy', { callID: id });
      const [body] = await reports(page, id);
      assert.equal(body.answeredAt, answeredAt);
      assert.ok(body.startedAt >= t0 && body.startedAt <= answeredAt, 'the start survived the reload');
      assert.equal(body.hangupBy, 'customer');
      const cdr = await cdrOf(id);
      assert.deepEqual([cdr.disposition, cdr.hangupBy], ['ANSWER', 'originator']);
      assert.equal((await cdrsOf(id)).length, 1);
    }));

  test('apiUrl: off by default; set through the query, __ziwoSimConfig or configure(); only http(s)', T, () =>
    withPage(env, { localStorage: AUTOLOGIN, initScript: RECORD_REPORTS }, async (page) => {
      await openConnected(page, STEP);
      assert.equal(await page.evaluate(() => window.__ziwoSim.config.apiUrl), '');
      const quiet = await ringing(page, '+97150000041');
      await page.evaluate((id) => window.__ziwoSim.remoteHangup(id), quiet);
      await waitForSimEvent(page, 'destroy', { callID: quiet });
      assert.deepEqual(await reports(page), [], 'the report would have been sent with the destroy');

      const set = (v) => page.evaluate((v) => window.__ziwoSim.configure({ apiUrl: v }).apiUrl, v);
      assert.equal(await set(api.url + '//'), api.url, 'trailing slashes dropped');
      for (const v of ['ftp://127.0.0.1/', 'not a url', 42, null]) assert.equal(await set(v), '', String(v));
      assert.equal(await set(api.url), api.url);
      const id = await ringing(page, '+97150000042');
      await page.evaluate((id) => window.__ziwoSim.remoteHangup(id), id);
      await waitReported(page, id);
      assert.equal((await reports(page, id))[0].callID, id);
      assert.equal((await cdrOf(id)).simCallID, id);
    }));

  test('apiUrl from __ziwoSimConfig; a stand-in that is not there: the call ends normally, one warning', T, () =>
    withPage(
      env,
      { localStorage: AUTOLOGIN, allowPageErrors: false, initScript: { content: `window.__ziwoSimConfig = {apiUrl: 'http://127.0.0.1:1'};` + RECORD_REPORTS.content } },
      async (page) => {
        const warnings = [];
        let markerSeen = false;
        page.on('console', (m) => {
          if (m.text() === 'test-marker') markerSeen = true;
          else if (m.type() === 'warning' && m.text().includes('could not report')) warnings.push(m.text());
        });
        await openConnected(page, STEP);
        assert.equal(await page.evaluate(() => window.__ziwoSim.config.apiUrl), 'http://127.0.0.1:1');
        for (const n of ['+97150000051', '+97150000052']) {
          const id = await ringing(page, n);
          await page.evaluate((id) => window.__ziwoSim.remoteHangup(id), id);
          await waitForSimEvent(page, 'destroy', { callID: id });
          await waitReported(page, id);
        }
        assert.deepEqual(await page.evaluate(() => window.__reports.map((r) => r.ok)), [false, false]);
        // Console messages reach Node asynchronously, in order: once a marker logged after both
        // failures were handled (before waitReported returned) has arrived, every warning has.
        await page.evaluate(() => console.log('test-marker'));
        const deadline = Date.now() + 5000;
        while (!markerSeen) {
          if (Date.now() > deadline) throw new Error('the console marker never arrived');
          await sleep(20);
        }
        assert.equal(warnings.length, 1, warnings.join('\n'));
        assert.equal(await page.evaluate(() => window.__ziwoSim.calls.length), 0);
      }
    ));
});
