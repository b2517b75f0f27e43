// The REST client's JavaScript API (`ziwo-webphone/full`), in Chromium, against the
// loopback API stand-in: the calls a CRM makes, page walking, recordings for <audio>,
// typed errors, and where the credentials go.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, withPage } from './helpers.mjs';
import { startApiServer } from '../scripts/api-server.mjs';

const T = { timeout: 30_000 };
let env;
let api;
before(async () => {
  [env, api] = await Promise.all([setup({ mounts: { '/dist/': 'dist', '/pages/': 'e2e/pages' } }), startApiServer()]);
});
after(async () => { await env?.close(); await api?.close(); });

async function open(page) {
  await page.goto(env.url('/pages/blank.html'));
  await page.evaluate(async (baseUrl) => {
    window.lib = await import('/dist/full.js');
    window.baseUrl = baseUrl;
  }, api.url);
}

describe('REST client (JavaScript)', () => {
  test('login saves the session; a client from the session reads call history', T, () =>
    withPage(env, async (page) => {
      api.reset();
      await open(page);
      const result = await page.evaluate(async () => {
        const anonymous = await lib.createApiClient({ contactCenter: 'acme', baseUrl });
        const token = await anonymous.login('agent@example.com', 'secret', { saveSession: true });
        const stored = [localStorage.getItem('_jorel-token'), localStorage.getItem('_jorel-ccName')];
        const client = await lib.createApiClient({ fromSession: true, baseUrl });
        const cdr = await client.callHistory('46');
        let all = 0;
        for await (const _ of client.callHistoryAll()) all += 1;
        const one = await client.callHistoryList({ callId: cdr.callID });
        const blob = await client.recording(cdr.callID);
        const url = await client.recordingUrl(cdr.callID);
        const audio = new Audio();
        const duration = await new Promise((resolve, reject) => {
          audio.onloadedmetadata = () => resolve(audio.duration);
          audio.onerror = () => reject(new Error('the recording did not load'));
          audio.src = url;
        });
        URL.revokeObjectURL(url);
        return { token, stored, callID: cdr.callID, all, one: one.length, blob: [blob.type, blob.size > 0], duration };
      });
      assert.equal(result.token, 'test-access-token');
      assert.deepEqual(result.stored, ['test-access-token', 'acme']);
      assert.match(result.callID, /^fdf893f5/);
      assert.equal(result.all, 120, 'three pages of 50, walked lazily');
      assert.equal(result.one, 1);
      assert.deepEqual(result.blob, ['audio/mpeg', true]);
      assert.ok(result.duration > 0, 'the recording plays in <audio>');
      // Every request carried the token in its header and nowhere else.
      const sent = api.requests().filter((r) => r.method !== 'OPTIONS');
      assert.ok(sent.length >= 6);
      for (const r of sent) {
        assert.ok(!r.url.includes('test-access-token'), r.url);
        if (r.path !== '/auth/login') assert.equal(r.headers.access_token, 'test-access-token', r.path);
      }
    }));

  test('CTI, whispering, call trackers and customers', T, () =>
    withPage(env, async (page) => {
      api.reset();
      await open(page);
      const result = await page.evaluate(async () => {
        const cti = await lib.createApiClient({ contactCenter: 'acme', apiKey: 'test-api-key', baseUrl });
        const admin = await lib.createApiClient({ contactCenter: 'acme', token: 'test-access-token', baseUrl });
        await cti.cti.login('1001');
        await cti.cti.setStatus('1001', 1);
        const call = await cti.cti.call('1001', '+971 50 123 4567', { notes: 'VIP' });
        const ivr = await cti.cti.ivr('main', '+15550100199');
        await cti.cti.logout('1001');
        const adminCall = await admin.adminCall('+15550100199', { roamingOnly: true });
        const eaves = await admin.whisper.start('5555', { positionName: 'desk' });
        await admin.whisper.set(eaves.callID, 'agent');
        const created = await admin.callTrackers.create({ name: 'Spring', startRequestURL: 'https://crm.example/start', startRequestTimeout: 3000 });
        await admin.callTrackers.update(created.id, { endRequestURL: 'https://crm.example/end' });
        await admin.callTrackers.block('Spring');
        const blocked = await admin.callTrackers.get(created.id);
        await admin.callTrackers.unblock(created.id);
        const names = [];
        for await (const t of admin.callTrackers.all({ limit: 2, order: '~name' })) names.push(t.name);
        const logs = await admin.callTrackers.logs({ fetchStart: 0, fetchStop: 5, callTrackers: ['1'] });
        await admin.callTrackers.test(created.id);
        await admin.callTrackers.delete(created.id);
        const profile = await admin.customers.profiles.create({ firstName: 'Harvey', lastName: 'Dent' });
        const number = await admin.customers.numbers.create({ number: '+442079460958' });
        await admin.customers.link(profile.id, 'number', String(number.id));
        const found = await admin.customers.search('+442079460958');
        await admin.customers.unlink(profile.id, 'number', String(number.id));
        await admin.customers.profiles.delete(String(profile.id));
        return { ids: [call.callID, ivr.callID, adminCall.callID, eaves.callID].every((id) => typeof id === 'string'),
          status: blocked.status, names, logs: logs.length, found: found.length, hasNumbersUpdate: 'update' in admin.customers.numbers };
      });
      assert.deepEqual(result, { ids: true, status: 'blocked', names: ['calltracker-01', 'Spring', 'CT'], logs: 5, found: 1, hasNumbersUpdate: false });
    }));

  test('failures are typed ZiwoErrors, bad arguments are refused before sending', T, () =>
    withPage(env, async (page) => {
      api.reset();
      await open(page);
      for (const mode of ['500', '401', 'result-false', 'non-json', 'slow:2000', 'drop']) api.fail({ mode, path: '/callHistory/' });
      const codes = await page.evaluate(async () => {
        const client = await lib.createApiClient({ contactCenter: 'acme', token: 'test-access-token', baseUrl, timeoutMs: 500 });
        const out = [];
        for (let i = 0; i < 6; i++) {
          try { await client.callHistory('46'); out.push('ok'); } catch (e) { out.push(lib.isZiwoError(e) ? `${e.code}${e.status ? ' ' + e.status : ''}` : String(e)); }
        }
        for (const bad of [() => client.callHistory(''), () => client.callHistoryList({ limit: 51 }), () => client.whisper.set('x', 'loud'),
          () => client.cti.setStatus('1001', 7), () => client.adminCall('call me'), () => client.callTrackers.create({ colour: 'red' }),
          // Dot segments, plain or encoded, would leave their path (GET /, DELETE /admin/...).
          () => client.callHistory('..'), () => client.callTrackers.delete('..'), () => client.customers.profiles.delete('%2e%2E'),
          () => client.callTrackers.block('.'), () => client.cti.call('.', '+15550100')]) {
          try { await bad(); out.push('sent'); } catch (e) { out.push(e.code); }
        }
        try { await lib.createApiClient({ contactCenter: 'acme', token: 't', apiKey: 'k' }); } catch (e) { out.push(e.code); }
        try { await lib.createApiClient({ fromSession: true }); } catch (e) { out.push(e.code); }
        return out;
      });
      assert.deepEqual(codes, ['http-status 500', 'unauthorized 401', 'api-refused 200', 'malformed-response', 'timeout', 'network',
        'invalid-option', 'invalid-option', 'invalid-option', 'invalid-option', 'invalid-number', 'invalid-option',
        'invalid-option', 'invalid-option', 'invalid-option', 'invalid-option', 'invalid-option',
        'invalid-option', 'not-signed-in']);
      assert.equal(api.requests().filter((r) => r.method !== 'OPTIONS').length, 6, 'the invalid calls never left the page');
    }));

  test('every method returns a Promise that rejects with a ZiwoError, whatever the page hands it', T, () =>
    withPage(env, async (page) => {
      api.reset();
      await open(page);
      const outcomes = await page.evaluate(async () => {
        const client = await lib.createApiClient({ contactCenter: 'acme', token: 'test-access-token', baseUrl });
        const cyclic = {};
        cyclic.self = cyclic;
        const hostile = new Proxy({}, { get() { throw new Error('getter'); } });
        const calls = [
          () => client.callTrackers.logs(null), // no query, as logs(): a request, answered
          () => client.customers.profiles.create(cyclic),
          () => client.customers.profiles.create({ n: 1n }),
          () => client.callHistoryList({ limit: {} }),
          () => client.cti.call('1001', '+15550100', hostile),
          () => client.callTrackers.create(null),
          () => client.callTrackers.logs({ callTrackers: 5 }),
          () => client.whisper.start('7', hostile),
          () => client.login('agent', 'secret', hostile),
          () => client.callHistoryList(hostile),
        ];
        const out = [];
        for (const call of calls) {
          let returned;
          try { returned = call(); } catch (e) { out.push('threw ' + (e && e.code)); continue; }
          if (!(returned instanceof Promise)) { out.push('not a promise'); continue; }
          try { await returned; out.push('resolved'); } catch (e) { out.push(lib.isZiwoError(e) ? e.code : 'raw ' + e); }
        }
        return out;
      });
      assert.deepEqual(outcomes, ['resolved', ...Array(9).fill('invalid-option')]);
      assert.equal(api.requests().filter((r) => r.method !== 'OPTIONS').length, 1, 'only logs(null) was sent');
    }));
});
