// Secrets: a whole session of the library — auto-login install, calls, pop-ups, another
// tab's logout, the REST client with its failures, every log level — captured line by line:
// the token and the api_key appear in no console line, log message, error message or URL.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, withPage, waitForSimEvent } from './helpers.mjs';
import { startApiServer } from '../scripts/api-server.mjs';

const TOKEN = 'test-access-token';
const API_KEY = 'test-api-key';
let env;
let api;
before(async () => {
  [env, api] = await Promise.all([setup({ mounts: { '/dist/': 'dist', '/pages/': 'e2e/pages' } }), startApiServer()]);
});
after(async () => { await env?.close(); await api?.close(); });

test('the token and the api_key appear in no log line, error message or URL', { timeout: 30_000 }, () =>
  withPage(env, { allowPageErrors: true }, async (page, { context, errors }) => {
    const seen = [];
    page.on('console', (m) => seen.push(['console', m.text()]));
    context.on('request', (r) => seen.push(['url', r.url()]));
    context.on('page', (p) => seen.push(['popup', p.url()]));
    await page.goto(env.url('/pages/blank.html'));
    const other = await context.newPage();
    await other.goto(env.url('/pages/blank.html'));
    await page.evaluate(async ([token, apiKey, baseUrl]) => {
      const out = [];
      window.out = out;
      const until = async (check, what) => {
        const deadline = Date.now() + 10_000;
        while (!check()) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      // What the library logs when it opens, asks for or sees blocked the customer's pop-up.
      const popups = () => out.filter((l) => l.startsWith('log ') && l.includes("the customer's pop-up")).length;
      const lib = await import('/dist/full.js');
      lib.setLogger((level, message) => { out.push(`log ${level}: ${message}`); console.log(`[ziwo] ${level} ${message}`); }, 'debug');
      const note = (e) => out.push(`error ${e?.name} ${e?.code} ${e?.message} ${e?.key ?? ''} ${String(e?.stack ?? '')}`);
      const phone = await lib.createWebPhone();
      phone.onCall((e) => out.push(`call ${JSON.stringify(e)}`));
      phone.onPhoneEvent((e) => out.push(`event ${JSON.stringify(e)}`));
      phone.onSessionChange((c) => out.push(`session ${JSON.stringify(c)}`));
      phone.popup({ url: '/pages/blank.html?n={number}&c={callId}', onBlocked: (u) => out.push(`blocked ${u}`), onError: note });
      await phone.install({ contactCenter: 'acme', token, scriptUrl: '/sim/jorel.js?loadDelayMs=0&connectDelayMs=0&stepDelayMs=0&answerDelayMs=0' }).catch(note);
      await window.__ziwoSim.whenConnected();
      await phone.call('+15550100199').catch(note);
      // The outbound call answered, its pop-up (at 'early') done.
      await until(() => out.some((l) => l.startsWith('call ') && l.includes('"direction":"outbound"') && l.includes('"state":"active"')) && popups() >= 1, 'the outbound call and its pop-up');
      window.__ziwoSim.inbound('+971501234567');
      await until(() => popups() >= 2, "the inbound call's pop-up");
      await phone.install({ contactCenter: 'acme', token: '"json-quoted"' }).catch(note);
      try { phone.setSession({ token: 'bad token', contactCenter: 'acme' }); } catch (e) { note(e); }
      const client = await lib.createApiClient({ fromSession: true, baseUrl, timeoutMs: 300 });
      await client.callHistory('46').catch(note);
      for (const mode of ['401', 'result-false', 'non-json', 'slow:1000', 'drop', '500']) {
        await fetch(baseUrl + '/__control/fail', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode }) });
        await client.callHistory('46').catch(note);
      }
      await client.callHistory('does-not-exist').catch(note);
      const cti = await lib.createApiClient({ contactCenter: 'acme', apiKey, baseUrl });
      await cti.cti.call('1001', '+15550100', { notes: 'n' }).catch(note);
      await cti.cti.setStatus('1001', 9).catch(note);
      const wrong = await lib.createApiClient({ contactCenter: 'acme', token: 'wrong-token-123', baseUrl });
      await wrong.callHistory('46').catch(note);
      out.push(`calls ${JSON.stringify(phone.calls())}`);
    }, [TOKEN, API_KEY, api.url]);
    // Another tab logs out: this tab hears of it.
    await other.evaluate(() => localStorage.clear());
    await page.waitForFunction(() => window.out.some((l) => l.startsWith('session ') && l.includes('"signedIn":false')), null, { timeout: 10_000 });
    const produced = await page.evaluate(() => window.out);
    // Console messages reach Node in order: once a marker logged now has arrived, every
    // line logged before it has.
    await page.evaluate(() => console.log('secrets-marker'));
    const deadline = Date.now() + 10_000;
    while (!seen.some(([kind, text]) => kind === 'console' && text === 'secrets-marker')) {
      if (Date.now() > deadline) throw new Error('the console marker never arrived');
      await new Promise((r) => setTimeout(r, 20));
    }
    const lines = [...produced, ...seen.map(([kind, text]) => `${kind} ${text}`), ...errors.map((e) => `pageerror ${e.message} ${e.stack}`)];
    if (process.env.DEBUG_SECRETS) console.log(lines.map((l) => l.slice(0, 160)).join('\n'));
    assert.ok(lines.some((l) => l.startsWith('log debug:')), 'the logger was on at debug');
    assert.ok(lines.filter((l) => l.startsWith('error ')).length >= 10, 'the failures were produced: ' + lines.filter((l) => l.startsWith('error ')).join('\n'));
    assert.ok(lines.some((l) => l.startsWith('url ') && l.includes('/callHistory/46')), 'the API was called');
    for (const secret of [TOKEN, API_KEY]) {
      const leaks = lines.filter((l) => l.includes(secret));
      assert.deepEqual(leaks, [], `${secret} leaked`);
    }
    await waitForSimEvent(page, 'ringing');
  }));
