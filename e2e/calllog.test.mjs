// The call log through the JS API, in Chromium: a reload between a call's end and the
// handler's answer, several tabs that see the same call, a handler that fails.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, withPage } from './helpers.mjs';

const T = { timeout: 60_000 };
let env;
before(async () => { env = await setup({ mounts: { '/dist/': 'dist', '/pages/': 'e2e/pages' } }); });
after(() => env?.close());

/**
 * Loads the package in `page` and sets a call log whose handler records each record in
 * `localStorage['test-log:<the tab's title>']` (one key per tab: two tabs writing one key
 * at once would lose an update) and answers as `mode` says: 'take', 'hang' (never answers)
 * or 'fail-3' (rejects three times, then takes).
 */
async function callLog(page, mode) {
  await page.goto(env.url('/pages/blank.html'));
  await page.evaluate(async (mode) => {
    const lib = await import('/dist/index.js');
    const phone = await lib.createWebPhone();
    window.phone = phone;
    let failures = 0;
    phone.onCallEnded((record) => {
      const key = 'test-log:' + document.title;
      const log = JSON.parse(localStorage.getItem(key) ?? '[]');
      log.push({ callId: record.callId, tab: document.title, talkMs: record.talkMs, answered: record.answered, keys: Object.keys(record).sort().join() });
      localStorage.setItem(key, JSON.stringify(log));
      if (mode === 'hang') return new Promise(() => {});
      if (mode === 'fail-3' && failures++ < 3) return Promise.reject(new Error('the CRM is down'));
      return Promise.resolve();
    });
  }, mode);
}

/** The phone of `page` reports the states of call `callId`, as core-front does. */
function endCall(page, callId) {
  return page.evaluate((callID) => {
    for (const [state, at] of [['ringing', 1000], ['active', 3000], ['hangup', 9000], ['destroy', 9100]]) {
      const detail = { callID, customerNumber: '+15550100', direction: 'inbound', stateFlow: [{ state, dateUNIX: 1.7e9 + at / 1000 }] };
      window.dispatchEvent(new CustomEvent('_jorel-dialog-state-' + state, { detail }));
      window.dispatchEvent(new CustomEvent('ziwo-' + state, { detail }));
    }
  }, callId);
}

/** Every tab's handler log, merged. */
const logOf = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('test-log:'))
  .flatMap((k) => JSON.parse(localStorage.getItem(k))));
const entry = (page, id) => page.evaluate((id) => localStorage.getItem('_ziwo-webphone-log:' + id), id);

test('a reload between the end and the handler\'s answer: delivered after the reload, once taken', T, () =>
  withPage(env, async (page) => {
    await callLog(page, 'hang');
    await endCall(page, 'reload-1');
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('test-log:') && localStorage.getItem(k).includes('reload-1')));
    assert.match(await entry(page, 'reload-1'), /^v1\u001fP/, 'pending while the handler has not answered');
    await page.reload();
    await callLog(page, 'take');
    await page.waitForFunction(() => (localStorage.getItem('_ziwo-webphone-log:reload-1') ?? '').startsWith('v1\u001fD'));
    const log = await logOf(page);
    assert.equal(log.length, 2, 'handed over before the reload, and once after it');
    assert.equal(log[1].talkMs, 6000);
    assert.equal(log[1].keys, 'answered,answeredAt,callId,cdr,cdrError,cdrStatus,customerNumber,direction,endedAt,history,holdMs,mutedMs,primaryCallId,recovered,ringMs,startedAt,talkMs');
    // A later page: nothing more of it. A call ended there is delivered: by then the later
    // page's log had read the outbox (it reads it when set).
    await page.reload();
    await callLog(page, 'take');
    await endCall(page, 'after-1');
    await page.waitForFunction(() => (localStorage.getItem('_ziwo-webphone-log:after-1') ?? '').startsWith('v1\u001fD'));
    assert.deepEqual((await logOf(page)).map((r) => r.callId), ['reload-1', 'reload-1', 'after-1']);
  }));

for (const n of [2, 3]) {
  test(`${n} tabs see the same call: the CRM gets it once`, T, () =>
    withPage(env, async (first, { context }) => {
      const tabs = [first];
      for (let i = 1; i < n; i++) tabs.push(await context.newPage());
      await Promise.all(tabs.map(async (t, i) => { await callLog(t, 'take'); await t.evaluate((i) => { document.title = 'tab-' + i; }, i); }));
      for (let c = 0; c < 10; c++) await Promise.all(tabs.map((t) => endCall(t, `shared-${n}-${c}`)));
      await first.waitForFunction((n) => {
        const keys = Array.from({ length: 10 }, (_, c) => `_ziwo-webphone-log:shared-${n}-${c}`);
        return keys.every((k) => (localStorage.getItem(k) ?? '').startsWith('v1\u001fD'));
      }, n);
      // One more call, ended in every tab after the others: once it is delivered, every
      // tab has decided the earlier ones (each tab handles the calls in order).
      await Promise.all(tabs.map((t) => endCall(t, `shared-${n}-last`)));
      await first.waitForFunction((n) => (localStorage.getItem(`_ziwo-webphone-log:shared-${n}-last`) ?? '').startsWith('v1\u001fD'), n);
      const log = (await logOf(first)).filter((r) => !r.callId.endsWith('-last'));
      const ids = log.map((r) => r.callId).sort();
      assert.deepEqual(ids, Array.from({ length: 10 }, (_, c) => `shared-${n}-${c}`).sort(), JSON.stringify(log));
    }));
}

test('a handler that fails three times gets the record a fourth time, with backoff', T, () =>
  withPage(env, async (page) => {
    await callLog(page, 'fail-3');
    const start = Date.now();
    await endCall(page, 'retry-1');
    await page.waitForFunction(() => (localStorage.getItem('_ziwo-webphone-log:retry-1') ?? '').startsWith('v1\u001fD'), null, { timeout: 20_000 });
    assert.ok(Date.now() - start >= 7000 - 200, 'waited 1 + 2 + 4 s');
    assert.equal((await logOf(page)).length, 4);
  }));
