// The demo CRM page end to end, in Chromium, against the library build in dist/ and the
// web phone simulator: click to call, exactly one pop-up per inbound call, no second
// pop-up after a reload mid-call.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, withPage, waitForSimEvent, waitFor, RECORD_WINDOWS, windowsAfterClaims } from './helpers.mjs';
import { startApiServer } from '../scripts/api-server.mjs';

const FAST = '?loadDelayMs=0&connectDelayMs=0&stepDelayMs=20&answerDelayMs=50';
const AUTOLOGIN = { '_jorel-token': 'demo-token-1', '_jorel-ccName': 'demo' };
const T = { timeout: 30_000 };

let env;
let api;
let fast = FAST;
before(async () => {
  [env, api] = await Promise.all([setup(), startApiServer({ token: AUTOLOGIN['_jorel-token'] })]);
  fast = `${FAST}&api=${encodeURIComponent(api.url)}`;
});
after(async () => { await env?.close(); await api?.close(); });

/** Opens the demo, signed in, and waits until the phone is connected. */
async function openDemo(page) {
  await page.goto(env.url('/' + fast));
  await page.waitForSelector('#agent[data-state="connected"]', { timeout: 10_000 });
}

/** Counts the pop-ups (new pages) the context opens. */
function countPopups(context) {
  const popups = [];
  context.on('page', (p) => popups.push(p));
  return popups;
}

/** The call id of the first simulator event named `state`. */
const callOf = (page, state) => page.evaluate((s) => window.__ziwoSim.log.find((e) => e.name.endsWith(s)).callID, state);

describe('demo page', () => {
  test('without a session the badge says logged out; auto-login writes plain-string keys and the phone connects', T, () =>
    withPage(env, async (page) => {
      await page.goto(env.url('/' + fast));
      // The phone shows its own login form: the library tells the page.
      await page.waitForSelector('#agent[data-state="logged-out"]');
      assert.match(await page.textContent('#agent-status'), /logged out/);
      await page.click('#login');
      await page.waitForSelector('#agent[data-state="connected"]', { timeout: 10_000 });
      const keys = await page.evaluate(() => [localStorage.getItem('_jorel-token'), localStorage.getItem('_jorel-ccName')]);
      assert.equal(keys[1], 'demo');
      assert.match(keys[0], /^demo-[0-9a-f-]+$/, 'a plain string, not JSON');
      assert.equal(await page.locator('script#jorelScriptLoader').count(), 1);
      assert.match(await page.textContent('#session-text'), /Signed in to “demo” as agent 1001/);
    }));

  test('clicking a number dials it through the phone', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openDemo(page);
      await page.click('text=+1 (555) 010-0199');
      await page.waitForFunction(() => window.__ziwoSim.dialed.length === 1);
      assert.deepEqual(await page.evaluate(() => window.__ziwoSim.dialed), ['+15550100199']);
      await page.waitForSelector('text=Dialled Lucius Fox.');
      // The outbound call shows in the live call panel with its history.
      await page.waitForSelector('#calls .call .state:text("active")');
      const history = await page.locator('#calls .call li').allTextContents();
      assert.deepEqual(history.map((h) => h.split(' ')[0]), ['requesting', 'trying', 'early', 'active']);
    }));

  test('an inbound call opens exactly one pop-up of the customer record', T, () =>
    withPage(env, { localStorage: AUTOLOGIN, initScript: RECORD_WINDOWS }, async (page, { context }) => {
      await openDemo(page);
      const popups = countPopups(context);
      await page.selectOption('#caller', { label: 'Harvey Dent (+44 20 7946 0958)' });
      await page.click('#sim-inbound');
      await waitForSimEvent(page, 'ringing');
      await page.click('#calls button[data-action="answer"]');
      await waitForSimEvent(page, 'active', { count: 2 });
      await page.click('#calls button[data-action="hold"]');
      await waitForSimEvent(page, 'held');
      await page.click('#calls button[data-action="unhold"]');
      await waitForSimEvent(page, 'active', { count: 3 });
      // The call's events reached the library as the simulator dispatched them.
      const windows = await windowsAfterClaims([page], [await callOf(page, 'ringing')]);
      assert.equal(windows.length, 1, 'one window asked for the call, whatever its events');
      await waitFor(() => popups.length >= 1, 'the pop-up');
      assert.equal(popups.length, 1, 'one pop-up for the call, whatever its events');
      const popup = popups[0];
      await popup.waitForLoadState();
      assert.equal(new URL(popup.url()).pathname, '/customer.html');
      assert.equal(new URL(popup.url()).searchParams.get('phone'), '+442079460958');
      assert.equal(await popup.textContent('#name'), 'Harvey Dent');
      // The call is logged when it ends, with its durations.
      await page.click('#calls button[data-action="hangup"]');
      await page.waitForSelector('#call-log tbody tr');
      const row = await page.locator('#call-log tbody tr').first().allTextContents();
      // ZIWO's SDK (the demo's simulator shape) answers at once, then the server's answer.
      assert.match(row[0], /Harvey Dent.*inbound.*ringing → active → answering → active → held → active → hangup → purge → destroy/);
    }));

  test("the call panel mutes, sends tones and shows what the library refused", T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openDemo(page);
      await page.click('#sim-inbound');
      await waitForSimEvent(page, 'ringing');
      await page.click('#calls button[data-action="answer"]');
      await waitForSimEvent(page, 'active', { count: 2 });
      await page.click('#calls button[data-action="mute"]');
      await page.waitForSelector('#calls .call .state:text("active · muted")');
      await page.fill('#calls .keypad input[aria-label="Keypad tones"]', '42#');
      await page.click('#calls button[data-action="dtmf"]');
      // The SDK's call takes one tone per dtmf(), sent in order.
      await page.waitForFunction(() => window.__ziwoSim.sent.filter((m) => m.method === 'verto.info').map((m) => m.dtmf).join('') === '42#');
      await page.fill('#calls .keypad input[aria-label="Keypad tones"]', 'x');
      await page.click('#calls button[data-action="dtmf"]');
      await page.waitForSelector('#calls .status.error:has-text("invalid-digits")');
      await page.click('#calls button[data-action="unmute"]');
      await page.waitForSelector('#calls .call .state:text-is("active")');
      await page.click('#calls button[data-action="hangup"]');
      await page.waitForSelector('#call-log tbody tr');
      assert.match((await page.locator('#call-log tbody tr').first().allTextContents())[0], /active → mute → unmute → hangup/);
    }));

  test('when a call ends, the call log waits for its record and recording from the REST API', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      // The earlier tests' calls came from the same customer on other "devices" (contexts),
      // seconds ago: their CDRs would be candidates of the agent's recent calls.
      api.reset();
      await openDemo(page);
      await page.click('#sim-inbound');
      await waitForSimEvent(page, 'ringing');
      await page.click('#calls button[data-action="answer"]');
      await waitForSimEvent(page, 'active', { count: 2 });
      await page.click('#calls button[data-action="hangup"]');
      // The row comes at once; its outcome once the stand-in wrote the CDR (the simulator
      // reported the call) and the call log found it.
      await page.waitForSelector('#call-log tbody tr .outcome:has-text("waiting")');
      await page.waitForSelector('#call-log tbody tr .outcome button');
      assert.match(await page.textContent('#call-log tbody tr .outcome'), /ANSWER · \d+ s · hung up by the callee/);
      await page.click('#call-log tbody tr .outcome button');
      await page.waitForSelector('#call-log tbody tr .outcome audio');
      const played = await page.$eval('#call-log tbody tr .outcome audio', (a) => new Promise((resolve, reject) => {
        if (a.readyState >= 1) return resolve(a.duration);
        a.onloadedmetadata = () => resolve(a.duration);
        a.onerror = () => reject(new Error('recording did not load'));
      }));
      assert.ok(played > 0);
      await page.waitForSelector('#last-call audio');
      const callId = await page.evaluate(() => window.__ziwoSim.log.find((e) => e.name.endsWith('ringing')).callID);
      const text = await page.textContent('#last-call dl');
      assert.ok(text.includes(callId), text);
      assert.match(text, /Customer\+971501234567/);
      assert.match(text, /DispositionANSWER/);
      assert.match(text, /Hung up byoriginatee/);
      const duration = await page.$eval('#last-call audio', (a) => new Promise((resolve, reject) => {
        if (a.readyState >= 1) return resolve(a.duration);
        a.onloadedmetadata = () => resolve(a.duration);
        a.onerror = () => reject(new Error('recording did not load'));
      }));
      assert.ok(duration > 0);
      const sent = api.requests().filter((r) => r.method === 'GET');
      assert.ok(sent.some((r) => r.path === '/callHistory/' && r.headers.access_token === AUTOLOGIN['_jorel-token']));
    }));

  test('a reload mid-call recovers the call without a second pop-up', T, () =>
    withPage(env, { localStorage: AUTOLOGIN, initScript: RECORD_WINDOWS }, async (page, { context }) => {
      await openDemo(page);
      const popups = countPopups(context);
      await page.click('#sim-inbound');
      await waitForSimEvent(page, 'ringing');
      await page.click('#calls button[data-action="answer"]');
      await waitForSimEvent(page, 'active', { count: 2 });
      await waitFor(() => popups.length >= 1, 'the pop-up');
      assert.equal(popups.length, 1);
      await page.reload();
      await page.waitForSelector('#agent[data-state="connected"]');
      await waitForSimEvent(page, 'recovering');
      await waitForSimEvent(page, 'active');
      await page.waitForSelector('#calls .call .durations:has-text("recovered after reload")');
      // The recovered call's events reached the library as the simulator dispatched them.
      assert.deepEqual(await windowsAfterClaims([page], [await callOf(page, 'recovering')]), [], 'the reloaded page asked for no window');
      assert.equal(popups.length, 1, 'the recovered call is not a new call');
    }));

  test('another tab taking the session shows as a disconnection', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (page) => {
      await openDemo(page);
      await page.click('#sim-take');
      await page.waitForSelector('#agent[data-state="disconnected"]');
      assert.match(await page.textContent('#agent-status'), /another tab or device took the session/);
      await page.click('#sim-reconnect');
      await page.waitForSelector('#agent[data-state="connected"]');
    }));

  test('a blocked pop-up is offered as a link', T, () =>
    withPage(env, { localStorage: AUTOLOGIN, initScript: () => { window.open = () => null; } }, async (page, { context }) => {
      await openDemo(page);
      const popups = countPopups(context);
      await page.click('#sim-inbound');
      await page.waitForSelector('#blocked a');
      const href = await page.getAttribute('#blocked a', 'href');
      assert.match(href, /\/customer\.html\?phone=%2B971501234567&call=/);
      assert.equal(popups.length, 0);
    }));
});
