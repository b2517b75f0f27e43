// The logged call carries its outcome (issue #16), through the JS API in Chromium
// (Playwright) and Firefox (WebDriver, see firefox.mjs), each test in both, against
// the web phone simulator and the API stand-in (scripts/api-server.mjs, its own instance,
// on the web phone's own session token): the CDR found on the third poll, never found,
// the API down, a refused credential, a reload during the wait, two tabs, 50 records at
// once, two calls of one customer. Requests are counted at the stand-in. The Rust API's
// side is in tests/web_calllog.rs.
import { before, after, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, withPage } from './helpers.mjs';
import { launchFirefox } from './firefox.mjs';
import { startApiServer } from '../scripts/api-server.mjs';

const T = { timeout: 90_000 };
/** The agent's session token: the phone's auto-login and the API client's credential. */
const TOKEN = 'tok-cdr-5f1d2c9e7a3b';
const NUMBER = '+15550100777';
let env;
let api;
let firefox;
/** The Firefox session's first tab: kept open (the session ends with its last tab). */
let firefoxSession;
before(async () => {
  [env, api] = await Promise.all([
    setup({ mounts: { '/dist/': 'dist', '/pages/': 'e2e/pages' } }),
    startApiServer({ port: 0, token: TOKEN }),
    launchFirefox().then(async (f) => { firefox = f; firefoxSession = await f.newPage(); }),
  ]);
});
after(async () => {
  await firefoxSession?.close();
  await Promise.allSettled([firefox?.close(), env?.close(), api?.close()]);
});
beforeEach(() => api.reset());

const SIM = () => '/sim/jorel.js?' + new URLSearchParams({
  loadDelayMs: 0, connectDelayMs: 0, stepDelayMs: 5, answerDelayMs: 0, apiUrl: api.url,
});

/**
 * Loads `ziwo-webphone/full` in `page`, installs the simulated phone (auto-login with
 * `TOKEN`) and sets a call log that waits `cdrWaitMs` for each CDR, with a client on the
 * phone's session. The handler appends each record (and when it came) to
 * `localStorage['test-log:<tab>']`, and takes it.
 */
async function callLog(page, { tab = 'tab-0', cdrWaitMs, phone = true } = {}) {
  await page.goto(env.url('/pages/blank.html'));
  await page.evaluate(async ({ tab, cdrWaitMs, sim, apiUrl, token, phone: withPhone }) => {
    document.title = tab;
    const lib = await import('/dist/full.js');
    const phone = await lib.createWebPhone();
    window.phone = phone;
    if (withPhone) {
      await phone.install({ contactCenter: 'acme', token, scriptUrl: sim });
      await phone.ready({ timeoutMs: 10_000 });
    } else {
      phone.setSession({ token, contactCenter: 'acme' });
    }
    const client = await lib.createApiClient({ fromSession: true, baseUrl: apiUrl });
    window.api = client;
    phone.onCallEnded((record) => {
      const key = 'test-log:' + document.title;
      const log = JSON.parse(localStorage.getItem(key) ?? '[]');
      log.push({ ...record, tab: document.title, deliveredAt: Date.now() });
      localStorage.setItem(key, JSON.stringify(log));
    }, { cdr: client, cdrWaitMs });
  }, { tab, cdrWaitMs, sim: SIM(), apiUrl: api.url, token: TOKEN, phone });
}

/** A call from `number`, answered by the agent and hung up by the agent; its id. */
function answeredCall(page, number = NUMBER) {
  return page.evaluate(async (number) => {
    const sim = window.__ziwoSim;
    const id = sim.inbound(number);
    const until = async (check) => {
      const end = Date.now() + 10_000;
      while (!check()) { if (Date.now() > end) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 10)); }
    };
    await until(() => phone.calls().some((c) => c.callId === id && c.state === 'ringing'));
    await phone.answer(id);
    await until(() => phone.calls().some((c) => c.callId === id && c.state === 'active'));
    await phone.hangup(id);
    await until(() => !phone.calls().some((c) => c.callId === id));
    return id;
  }, number);
}

/**
 * The phone of `page` reports call `callId` from ring to end, as core-front does: its
 * `destroy` now, its hang-up `hangupAgo` s before.
 */
function endCall(page, callId, number = NUMBER, hangupAgo = 0.1) {
  return page.evaluate(({ callID, number, hangupAgo }) => {
    const now = Date.now() / 1000;
    for (const [state, at] of [['ringing', -9], ['active', -8], ['hangup', -hangupAgo], ['destroy', 0]]) {
      const detail = { callID, customerNumber: number, direction: 'inbound', stateFlow: [{ state, dateUNIX: now + at }] };
      window.dispatchEvent(new CustomEvent('_jorel-dialog-state-' + state, { detail }));
      window.dispatchEvent(new CustomEvent('ziwo-' + state, { detail }));
    }
  }, { callID: callId, number, hangupAgo });
}

/** Every tab's handler log, merged. */
const logOf = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('test-log:'))
  .flatMap((k) => JSON.parse(localStorage.getItem(k))));
/** Waits until `n` records of `callId` were delivered. */
const delivered = (page, callId, n = 1, timeout = 60_000) => page.waitForFunction(({ callId, n }) =>
  Object.keys(localStorage).filter((k) => k.startsWith('test-log:'))
    .flatMap((k) => JSON.parse(localStorage.getItem(k))).filter((r) => r.callId === callId).length >= n,
{ callId, n }, { timeout, polling: 50 });

/** The stand-in's requests for the call history of `callId`, and for the agent's recent calls. */
const historyOf = (callId) => api.requests().filter((r) => r.method === 'GET' && r.path === '/callHistory/' && r.params.callID?.[0] === callId);
const recentCalls = () => api.requests().filter((r) => r.method === 'GET' && r.path === '/agents/channels/calls');

/** Resolves when `check()` holds, polling the stand-in's log; rejects after `ms`. */
async function until(check, ms = 30_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Adds a CDR at the stand-in (ZIWO writing it). */
async function writeCdr(fields) {
  const res = await fetch(api.url + '/__control/cdrs', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields),
  });
  assert.equal(res.status, 200);
  return (await res.json()).content;
}

/**
 * Each browser's way to run a test body `fn(page, { newTab })` in a fresh page; `newTab()`
 * opens another page of the same browser profile (shared storage and Web Locks). Chromium:
 * a fresh context per test (helpers' withPage). Firefox: fresh tabs of the file's one
 * session, closed after the test; its profile's storage outlives them, so it is cleared
 * first.
 */
const BROWSERS = [
  ['Chromium', (fn) => withPage(env, (page, { context }) => fn(page, { newTab: () => context.newPage() }))],
  ['Firefox', async (fn) => {
    const tabs = [];
    const newTab = async () => { const tab = await firefoxSession.newTab(); tabs.push(tab); return tab; };
    try {
      const page = await newTab();
      await page.goto(env.url('/pages/blank.html'));
      await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
      return await fn(page, { newTab });
    } finally {
      for (const tab of tabs) await tab.close().catch(() => {});
    }
  }],
];

for (const [browser, inBrowser] of BROWSERS) {
  describe(browser, () => {
    test('the CDR appears on the third poll: the record is delivered once, with it and a playable recording; no token anywhere', T, () =>
      inBrowser(async (page) => {
        api.configure({ cdrDelayMs: null });
        await callLog(page, { cdrWaitMs: 60_000 });
        const id = await answeredCall(page);
        // Two polls (the call's id, then the agent's recent calls) found nothing.
        await until(() => recentCalls().filter((r) => r.finishedAt).length >= 2);
        assert.equal((await logOf(page)).length, 0, 'not delivered while it waits');
        await writeCdr({ callID: id, direction: 'inbound', callerIDNumber: NUMBER, disposition: 'ANSWER',
          hangupBy: 'originatee', hangupCause: 'NORMAL_CLEARING', duration: 42, holdTime: 3, extra: { kept: true } });
        await delivered(page, id);
        const [record] = await logOf(page);
        assert.equal(record.cdrStatus, 'found');
        assert.equal(record.cdrError, null);
        assert.equal(record.cdr.callId, id);
        assert.equal(record.cdr.disposition, 'ANSWER');
        assert.equal(record.cdr.hangupBy, 'originatee');
        assert.equal(record.cdr.durationS, 42);
        assert.equal(record.cdr.holdTimeS, 3);
        assert.equal(record.cdr.recordingFile, `${id}.mp3`);
        assert.equal(typeof record.cdr.endedAt, 'number');
        assert.deepEqual(record.cdr.fields.extra, { kept: true }, 'unknown fields kept');
        assert.equal(historyOf(id).length, 3, 'found on the third poll, and asked no more');
        assert.equal(recentCalls().length, 2);
        // The recording plays from the CDR, through the client (the token in a header only).
        const bytes = await page.evaluate(async (callId) => {
          const url = await api.recordingUrl(callId);
          const buffer = await (await fetch(url)).arrayBuffer();
          URL.revokeObjectURL(url);
          return buffer.byteLength;
        }, record.cdr.callId);
        assert.ok(bytes > 1000, `${bytes} bytes`);
        // Delivered once; the session token is in no record and no outbox entry.
        await page.waitForFunction((id) => /^v2\u001fD\u001f\d+\u001f./.test(localStorage.getItem('_ziwo-webphone-log:' + id) ?? ''), id);
        const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('_ziwo-webphone-log:') || k.startsWith('test-log:'))
          .map((k) => localStorage.getItem(k)).join('\n'));
        assert.ok(!stored.includes(TOKEN), 'no token in the records or the outbox');
        assert.equal((await logOf(page)).length, 1);
        for (const r of api.requests().filter((r) => !r.path.startsWith('/__control'))) {
          assert.ok(!r.url.includes(TOKEN), 'the token never in a URL');
        }
      }));

    test('a CDR that never appears: delivered when the wait runs out, not-found', T, () =>
      inBrowser(async (page) => {
        api.configure({ cdrDelayMs: null });
        await callLog(page, { cdrWaitMs: 3000 });
        const id = await answeredCall(page);
        await delivered(page, id);
        const [record] = await logOf(page);
        assert.equal(record.cdrStatus, 'not-found');
        assert.equal(record.cdr, null);
        assert.ok(record.deliveredAt >= record.endedAt + 3000, 'not before the wait ran out');
        assert.equal(historyOf(id).length, 3, 'polls 1, 2 and 3 s after the end (the wait\'s end)');
      }));

    test('the API down: failed when the wait runs out, with the typed error', T, () =>
      inBrowser(async (page) => {
        await callLog(page, { cdrWaitMs: 3000 });
        api.fail({ mode: '500', path: '/callHistory/', times: 1000 });
        const id = await answeredCall(page);
        await delivered(page, id);
        const [record] = await logOf(page);
        assert.equal(record.cdrStatus, 'failed');
        assert.equal(record.cdrError.code, 'http-status');
        assert.match(record.cdrError.message, /HTTP error/);
        assert.ok(record.deliveredAt >= record.endedAt + 3000, 'a 5xx is tried again within the wait');
        assert.ok(historyOf(id).length >= 2);
      }));

    test('401: the wait stops at once, failed, unauthorized', T, () =>
      inBrowser(async (page) => {
        await callLog(page, { cdrWaitMs: 60_000 });
        api.fail({ mode: '401', path: '/callHistory/', times: 1000 });
        const id = await answeredCall(page);
        await delivered(page, id, 1, 20_000);
        const [record] = await logOf(page);
        assert.equal(record.cdrStatus, 'failed');
        assert.equal(record.cdrError.code, 'unauthorized');
        assert.ok(!JSON.stringify(record).includes(TOKEN));
        assert.equal(historyOf(id).length, 1, 'one request, then no more');
        assert.equal(recentCalls().length, 0);
      }));

    test('a reload during the wait: the wait resumes where it stood and the record is delivered once', T, () =>
      inBrowser(async (page) => {
        api.configure({ cdrDelayMs: null });
        await callLog(page, { cdrWaitMs: 60_000 });
        const id = await answeredCall(page);
        await until(() => recentCalls().filter((r) => r.finishedAt).length >= 1);
        await page.reload();
        await callLog(page, { cdrWaitMs: 60_000 });
        // The next poll comes from the reloaded page.
        await until(() => historyOf(id).length >= 2);
        assert.equal((await logOf(page)).length, 0);
        await writeCdr({ callID: id, direction: 'inbound', callerIDNumber: NUMBER, disposition: 'ANSWER' });
        await delivered(page, id);
        // A later call, delivered after it: by then nothing more of the first could come.
        api.configure({ cdrDelayMs: 0 });
        const later = await answeredCall(page);
        await delivered(page, later);
        const log = await logOf(page);
        assert.deepEqual(log.map((r) => [r.callId, r.cdrStatus]), [[id, 'found'], [later, 'found']]);
        assert.equal(log[1].cdr.fields.simCallID, later, 'the stand-in wrote the later call\'s CDR');
      }));

    test('two tabs see the call: one lookup sequence, one delivery', T, () =>
      inBrowser(async (first, { newTab }) => {
        const second = await newTab();
        await callLog(first, { tab: 'tab-1', cdrWaitMs: 4000, phone: false });
        await callLog(second, { tab: 'tab-2', cdrWaitMs: 4000, phone: false });
        await Promise.all([endCall(first, 'shared-1'), endCall(second, 'shared-1')]);
        await delivered(first, 'shared-1');
        // Another call, seen by both, delivered after: the first is decided everywhere.
        await Promise.all([endCall(first, 'shared-2'), endCall(second, 'shared-2')]);
        await delivered(first, 'shared-2');
        // Each tab logs what it delivered (either tab may deliver either call).
        const log = (await logOf(first)).sort((a, b) => a.callId.localeCompare(b.callId));
        assert.deepEqual(log.map((r) => [r.callId, r.cdrStatus]), [['shared-1', 'not-found'], ['shared-2', 'not-found']]);
        // The schedule of one tab: 1, 2 and 4 s after the end (the wait's end).
        assert.equal(historyOf('shared-1').length, 3, JSON.stringify(historyOf('shared-1').map((r) => r.receivedAt)));
        assert.equal(historyOf('shared-2').length, 3);
      }));

    test('50 records at once: never more than 4 lookups at a time, one request each', T, () =>
      inBrowser(async (page) => {
        const ids = Array.from({ length: 50 }, (_, i) => `bulk-${i}`);
        for (const id of ids) await writeCdr({ callID: id, direction: 'inbound', callerIDNumber: NUMBER });
        api.fail({ mode: 'slow:200', path: '/callHistory/', times: 1000 });
        await callLog(page, { cdrWaitMs: 120_000, phone: false });
        // Half of them hung up long before their destroy: due at once when written.
        for (const [i, id] of ids.entries()) await endCall(page, id, NUMBER, i % 2 ? 2.5 : 0.1);
        await page.waitForFunction((n) => Object.keys(localStorage).filter((k) => k.startsWith('test-log:'))
          .flatMap((k) => JSON.parse(localStorage.getItem(k))).length >= n, ids.length, { timeout: 80_000, polling: 100 });
        const log = await logOf(page);
        assert.deepEqual(log.map((r) => r.callId).sort(), [...ids].sort());
        assert.ok(log.every((r) => r.cdrStatus === 'found' && r.cdr.callId === r.callId));
        const requests = api.requests().filter((r) => r.method === 'GET' && r.path === '/callHistory/');
        assert.equal(requests.length, 50, 'one request per record');
        let most = 0;
        for (const r of requests) {
          most = Math.max(most, requests.filter((o) => o.receivedAt <= r.receivedAt && o.finishedAt > r.receivedAt).length);
        }
        assert.ok(most <= 4, `${most} lookups at once`);
        assert.ok(most >= 2, `${most}: the lookups do run side by side`);
      }));

    test('two calls of one customer, one after the other: each record gets its own CDR from the agent\'s recent calls', T, () =>
      inBrowser(async (page) => {
        // The CDRs carry another call id than the phone's: only the recent calls find them. The
        // first call's CDR is written after the second's, so the first record's early polls
        // see only the second call's.
        api.configure({ cdrCallId: 'other', cdrDelayMs: 4000 });
        await callLog(page, { cdrWaitMs: 60_000 });
        const a = await answeredCall(page);
        // The second call comes once the first record has polled (a second after its end).
        await until(() => recentCalls().length >= 1);
        api.configure({ cdrDelayMs: 0 });
        const b = await answeredCall(page);
        await delivered(page, a);
        await delivered(page, b);
        const log = await logOf(page);
        const of = (id) => log.find((r) => r.callId === id);
        assert.equal(of(a).cdrStatus, 'found');
        assert.equal(of(b).cdrStatus, 'found');
        assert.equal(of(a).cdr.fields.simCallID, a);
        assert.equal(of(b).cdr.fields.simCallID, b);
        assert.notEqual(of(a).cdr.callId, a, 'found by number, direction and end, not by id');
        assert.equal(log.length, 2);
      }));

    test('onCallEnded refuses a cdr that is not a client, and a wait out of range', T, () =>
      inBrowser(async (page) => {
        await page.goto(env.url('/pages/blank.html'));
        const codes = await page.evaluate(async () => {
          const lib = await import('/dist/full.js');
          const phone = await lib.createWebPhone();
          const client = await lib.createApiClient({ baseUrl: 'http://127.0.0.1:9', token: 'x' });
          const code = (options) => { try { phone.onCallEnded(() => {}, options)(); return 'ok'; } catch (e) { return e.code; } };
          return [
            code({ cdr: {} }), code({ cdr: client, cdrWaitMs: -1 }), code({ cdr: client, cdrWaitMs: 600_001 }),
            code({ cdr: client, cdrWaitMs: '5' }), code({ cdr: client }), code({ cdr: client, cdrWaitMs: 0 }), code({ cdr: null }),
          ];
        });
        assert.deepEqual(codes, ['invalid-option', 'invalid-option', 'invalid-option', 'invalid-option', 'ok', 'ok', 'ok']);
      }));

    test('a hang-up long before the destroy: the first poll comes at once, not at the next event', T, () =>
      inBrowser(async (page) => {
        await writeCdr({ callID: 'late-destroy-1', direction: 'inbound', callerIDNumber: NUMBER, disposition: 'ANSWER' });
        await callLog(page, { cdrWaitMs: 60_000, phone: false });
        await endCall(page, 'late-destroy-1', NUMBER, 2.5);
        await delivered(page, 'late-destroy-1', 1, 20_000);
        const [record] = await logOf(page);
        assert.equal(record.cdrStatus, 'found');
        assert.equal(historyOf('late-destroy-1').length, 1);
      }));

    test('a call history that refuses the lookup by id: the agent\'s recent calls still find the CDR', T, () =>
      inBrowser(async (page) => {
        api.configure({ cdrDelayMs: 0 });
        api.fail({ mode: 'result-false', path: '/callHistory/', times: 1000 });
        await callLog(page, { cdrWaitMs: 60_000 });
        const id = await answeredCall(page);
        await delivered(page, id);
        const [record] = await logOf(page);
        assert.equal(record.cdrStatus, 'found');
        assert.equal(record.cdr.callId, id);
        assert.equal(historyOf(id).length, 1, 'asked by id once, refused');
        assert.equal(recentCalls().length, 1);
      }));
  });
}
