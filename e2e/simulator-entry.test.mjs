// The shipped simulator (`ziwo-webphone/simulator`): the same script the project's demo and
// tests run, and its typed driver, used as a CRM team would in its own integration tests.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setup, withPage } from './helpers.mjs';

const T = { timeout: 60_000 };
let env;
before(async () => { env = await setup({ mounts: { '/dist/': 'dist', '/pages/': 'e2e/pages' } }); });
after(async () => { await env?.close(); });

test('the package ships the very simulator the demo and the tests run, and the entry imports without a window', T, async () => {
  assert.deepEqual(readFileSync('dist/simulator/jorel.js'), readFileSync('www/sim/jorel.js'));
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.deepEqual(pkg.exports['./simulator'], { types: './dist/simulator/index.d.ts', default: './dist/simulator/index.js' });
  const entry = await import('../dist/simulator/index.js');
  assert.match(entry.scriptUrl, /\/dist\/simulator\/jorel\.js$/);
  assert.match(entry.simulatorUrl({ stepDelayMs: 0, shape: 'sdk' }, 'https://crm.example/sim.js'),
    /^https:\/\/crm\.example\/sim\.js\?stepDelayMs=0&shape=sdk$/);
});

test('a CRM test: install with the simulator, drive a call from both sides, reload mid-call', T, () =>
  withPage(env, async (page) => {
    await page.goto(env.url('/pages/blank.html'));
    const first = await page.evaluate(async () => {
      const lib = await import('/dist/index.js');
      const { connectSimulator, simulatorUrl } = await import('/dist/simulator/index.js');
      const phone = await lib.createWebPhone();
      const heard = [];
      phone.onCall((e) => heard.push(e.state));
      await phone.install({ contactCenter: 'acme', token: 'tok-crm-test',
        scriptUrl: simulatorUrl({ loadDelayMs: 0, connectDelayMs: 0, stepDelayMs: 5, shape: 'sdk' }) });
      const sim = await connectSimulator();
      await sim.whenConnected();
      const until = async (check) => {
        const end = Date.now() + 5000;
        while (!check()) { if (Date.now() > end) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 10)); }
      };
      // The customer calls; the CRM's own panel answers through the library.
      const id = sim.inbound({ number: '+15550100' });
      await until(() => heard.includes('ringing'));
      await phone.answer(id);
      // The SDK's own `active`, then the server's answer.
      await until(() => heard.filter((s) => s === 'active').length === 2);
      const sent = sim.sent.map((m) => m.method);
      // The customer hangs up.
      sim.remoteHangup(id);
      await until(() => heard.includes('destroy'));
      // An outbound call from the CRM, left ringing on the customer's side, then answered.
      sim.configure({ autoAnswerOutbound: false });
      await phone.call('+1 555 0199');
      await until(() => heard.filter((s) => s === 'early').length === 1);
      sim.remoteAnswer();
      await until(() => heard.filter((s) => s === 'active').length === 3);
      sessionStorage.setItem('crm-test', 'reloaded');
      window.driver = sim;
      return { heard, sent, dialed: sim.dialed, status: sim.status };
    });
    assert.deepEqual(first.sent, ['verto.answer']);
    assert.deepEqual(first.dialed, ['+15550199']);
    assert.equal(first.status, 'connected');
    // The driver reloads the page with the outbound call live.
    await Promise.all([page.waitForEvent('load'), page.evaluate(() => { setTimeout(() => window.driver.reloadMidCall(), 0); })]);
    await page.waitForFunction(() => sessionStorage.getItem('crm-test') === 'reloaded' && document.readyState === 'complete');
    // After the reload the page installs the phone again: the call comes back, recovered.
    const second = await page.evaluate(async () => {
      const lib = await import('/dist/index.js');
      const { connectSimulator, simulatorUrl } = await import('/dist/simulator/index.js');
      const phone = await lib.createWebPhone();
      const heard = [];
      phone.onCall((e) => heard.push([e.state, e.recovered]));
      await phone.install({ contactCenter: 'acme', token: 'tok-crm-test',
        scriptUrl: simulatorUrl({ loadDelayMs: 0, connectDelayMs: 0, stepDelayMs: 5, shape: 'sdk' }) });
      await connectSimulator();
      const end = Date.now() + 5000;
      while (!heard.some(([s]) => s === 'active')) { if (Date.now() > end) break; await new Promise((r) => setTimeout(r, 10)); }
      return heard;
    });
    assert.deepEqual(second, [['recovering', true], ['active', true]]);
  }));
