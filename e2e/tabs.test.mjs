// Several tabs of one CRM in one browser: one pop-up per call whichever tabs see its
// events, a tab closing mid-call hands over cleanly, a logout in one tab reaches the others.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, withPage, sleep } from './helpers.mjs';

const FAST = '?loadDelayMs=0&connectDelayMs=0&stepDelayMs=10&answerDelayMs=30';
const AUTOLOGIN = { '_jorel-token': 'demo-token-tabs', '_jorel-ccName': 'demo' };
const T = { timeout: 30_000 };

let env;
before(async () => { env = await setup(); });
after(() => env?.close());

async function openTab(context) {
  const page = await context.newPage();
  await page.goto(env.url('/' + FAST));
  await page.waitForSelector('#agent[data-state="connected"]');
  return page;
}

/** The phone of `page` reports `state` for the call `callID`, as core-front would. */
function emit(page, callID, state) {
  return page.evaluate(([callID, state]) => {
    const date = new Date();
    window.__ziwoSim.emit(state, { callID, customerNumber: '+442079460958', direction: 'inbound',
      stateFlow: [{ state, date, dateUNIX: date.getTime() / 1000 }] });
  }, [callID, state]);
}

describe('many tabs', () => {
  test('one pop-up per call, whichever tabs see its events', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (first, { context }) => {
      await first.goto(env.url('/' + FAST));
      await first.waitForSelector('#agent[data-state="connected"]');
      const tabs = [first, await openTab(context), await openTab(context)];
      const popups = [];
      context.on('page', (p) => popups.push(p));
      // Every tab's phone reports the same ringing call at the same moment.
      await Promise.all(tabs.map((t) => emit(t, 'shared-1', 'ringing')));
      await Promise.all(tabs.map((t) => emit(t, 'shared-1', 'active')));
      await sleep(300);
      assert.equal(popups.length, 1, 'one pop-up for the call across three tabs');
      assert.match(popups[0].url(), /customer\.html\?phone=%2B442079460958&call=shared-1/);
    }));

  test('a tab that closes mid-call hands over: no second pop-up, the next call opens', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (first, { context }) => {
      await first.goto(env.url('/' + FAST));
      await first.waitForSelector('#agent[data-state="connected"]');
      const second = await openTab(context);
      const popups = [];
      context.on('page', (p) => popups.push(p.url()));
      await emit(first, 'handover-1', 'ringing');
      await sleep(200);
      assert.equal(popups.length, 1);
      await first.close();
      // The call goes on in the other tab, then a new call rings there.
      await emit(second, 'handover-1', 'ringing');
      await emit(second, 'handover-1', 'active');
      await emit(second, 'handover-2', 'ringing');
      await sleep(300);
      assert.equal(popups.length, 2);
      assert.match(popups[1], /call=handover-2$/);
    }));

  test('a logout in one tab reaches the others', T, () =>
    withPage(env, { localStorage: AUTOLOGIN }, async (first, { context }) => {
      await first.goto(env.url('/' + FAST));
      await first.waitForSelector('#agent[data-state="connected"]');
      const second = await openTab(context);
      // Log out in the first tab without reloading it.
      await first.evaluate(() => window.demoPhone.clearSession());
      await second.waitForSelector('#events li:has-text("Another tab logged out")');
      assert.match(await second.textContent('#session-text'), /Not signed in/);
    }));
});
