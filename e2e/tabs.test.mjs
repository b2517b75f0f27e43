// Several tabs of one CRM in one browser: one pop-up per call whichever tabs see its
// events, a tab closing mid-call hands over cleanly, a logout in one tab reaches the others.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, withPage, sleep, waitFor, RECORD_WINDOWS, windowsAfterClaims } from './helpers.mjs';
import { launchFirefox } from './firefox.mjs';

const FAST = '?loadDelayMs=0&connectDelayMs=0&stepDelayMs=10&answerDelayMs=30';
const AUTOLOGIN = { '_jorel-token': 'demo-token-tabs', '_jorel-ccName': 'demo' };
const T = { timeout: 30_000 };

let env;
before(async () => { env = await setup({ mounts: { '/dist/': 'dist', '/pages/': 'e2e/pages' } }); });
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
    withPage(env, { localStorage: AUTOLOGIN, initScript: RECORD_WINDOWS }, async (first, { context }) => {
      await first.goto(env.url('/' + FAST));
      await first.waitForSelector('#agent[data-state="connected"]');
      const tabs = [first, await openTab(context), await openTab(context)];
      const popups = [];
      context.on('page', (p) => popups.push(p));
      // Every tab's phone reports the same ringing call at the same moment.
      await Promise.all(tabs.map((t) => emit(t, 'shared-1', 'ringing')));
      await Promise.all(tabs.map((t) => emit(t, 'shared-1', 'active')));
      const windows = await windowsAfterClaims(tabs, ['shared-1']);
      assert.equal(windows.length, 1, 'one window asked for the call across three tabs: ' + windows.join(', '));
      await waitFor(() => popups.length >= 1, 'the pop-up');
      assert.equal(popups.length, 1, 'one pop-up for the call across three tabs');
      assert.match(popups[0].url(), /customer\.html\?phone=%2B442079460958&call=shared-1/);
    }));

  test('a tab that closes mid-call hands over: no second pop-up, the next call opens', T, () =>
    withPage(env, { localStorage: AUTOLOGIN, initScript: RECORD_WINDOWS }, async (first, { context }) => {
      await first.goto(env.url('/' + FAST));
      await first.waitForSelector('#agent[data-state="connected"]');
      const second = await openTab(context);
      const popups = [];
      context.on('page', (p) => popups.push(p.url()));
      await emit(first, 'handover-1', 'ringing');
      await waitFor(() => popups.length >= 1, 'the pop-up of handover-1');
      assert.equal(popups.length, 1);
      await first.close();
      // The call goes on in the other tab, then a new call rings there.
      await emit(second, 'handover-1', 'ringing');
      await emit(second, 'handover-1', 'active');
      await emit(second, 'handover-2', 'ringing');
      const windows = await windowsAfterClaims([second], ['handover-1', 'handover-2']);
      assert.equal(windows.length, 1, 'the second tab asked for one window: ' + windows.join(', '));
      assert.match(windows[0], /call=handover-2$/);
      await waitFor(() => popups.length >= 2, 'the pop-up of handover-2');
      assert.equal(popups.length, 2);
      assert.match(popups[1], /call=handover-2$/);
    }));

  test('one window per call: 2, 3 and 4 tabs, the same call at the same moment, an async resolver, a real window.open, skewed clocks', { timeout: 240_000 }, async () => {
    // Clocks of the tabs: on time, 2 minutes ahead, a day behind, 10 s behind.
    const SKEW = [0, 120_000, -86_400_000, -10_000];
    const figures = [];
    for (const [tabs, calls] of [[2, 80], [3, 60], [4, 60]]) {
      const context = await env.browser.newContext();
      try {
        const pages = [];
        for (let t = 0; t < tabs; t++) {
          const page = await context.newPage();
          await page.goto(env.url('/pages/blank.html'));
          await page.evaluate(async (skew) => {
            const real = Date.now;
            Date.now = () => real() + skew;
            const lib = await import('/dist/index.js');
            await lib.load();
            window.decided = { opened: 0, other: 0 };
            lib.setLogger((level, message) => {
              if (message === "opened the customer's pop-up") window.decided.opened++;
              if (message.startsWith('another tab')) window.decided.other++;
            }, 'info');
            const phone = new lib.WebPhone();
            phone.popup({
              url: async (number, event) => {
                await new Promise((r) => setTimeout(r, 30)); // a CRM lookup
                return '/pages/blank.html?call=' + encodeURIComponent(event.callId);
              },
            });
            window.ring = (callID) => window.dispatchEvent(new CustomEvent('_jorel-dialog-state-ringing',
              { detail: { callID, customerNumber: '+442079460958', direction: 'inbound' } }));
          }, SKEW[t]);
          pages.push(page);
        }
        const windows = [];
        context.on('page', async (p) => {
          await p.waitForURL(/call=/, { timeout: 20_000 }).catch(() => {});
          windows.push(p.url());
          p.close().catch(() => {});
        });
        // Every tab's phone reports call i at the same moment: timers in the pages, on the
        // machine's clock (performance.timeOrigin, which the skew above leaves alone).
        // (Rings sent one by one through page.evaluate lose events of their own while a
        // window opens in the page, even events of a plain listener: a harness artefact.)
        const start = Date.now() + 500;
        await Promise.all(pages.map((p) => p.evaluate(([start, tabs, calls]) => {
          for (let i = 0; i < calls; i++) {
            setTimeout(() => window.ring(`tabs${tabs}-${i}`), start + i * 40 - (performance.timeOrigin + performance.now()));
          }
        }, [start, tabs, calls])));
        // Every tab has decided every call, and every window asked for has opened.
        const decided = async () => {
          const all = await Promise.all(pages.map((p) => p.evaluate(() => window.decided)));
          return all.reduce((a, d) => ({ opened: a.opened + d.opened, other: a.other + d.other }), { opened: 0, other: 0 });
        };
        const deadline = Date.now() + 60_000;
        let d = await decided();
        while ((d.opened + d.other < calls * tabs || windows.length < d.opened) && Date.now() < deadline) {
          await sleep(50);
          d = await decided();
        }
        const perCall = new Map();
        for (const url of windows) {
          const call = new URL(url).searchParams.get('call');
          if (call) perCall.set(call, (perCall.get(call) ?? 0) + 1);
        }
        figures.push({ tabs, calls, windows: [...perCall.values()].reduce((a, b) => a + b, 0), decided: d });
        const twice = [...perCall].filter(([, n]) => n > 1);
        assert.deepEqual(twice, [], `calls opened twice (${tabs} tabs)`);
        assert.deepEqual([...perCall].filter(([, n]) => n > 1), [], `calls opened twice (${tabs} tabs)`);
        assert.equal(d.opened + d.other, calls * tabs, `every tab decided every call (${tabs} tabs)`);
        assert.equal(d.opened, calls, `one tab opened each call (${tabs} tabs)`);
        assert.equal(perCall.size, calls, `a window for every call (${tabs} tabs)`);
        assert.ok([...perCall.values()].every((n) => n === 1), `exactly one window per call (${tabs} tabs): ${JSON.stringify([...perCall])}`);
      } finally {
        await context.close();
      }
    }
    console.log('tabs: ' + figures.map((f) => `${f.tabs} tabs, ${f.calls} calls, ${f.windows} windows`).join('; '));
  });

  test('Firefox: one tab asks for each call\'s pop-up, 2 and 3 tabs of one profile, skewed clocks', { timeout: 240_000 }, async () => {
    const firefox = await launchFirefox();
    try {
      const SKEW = [0, 120_000, -86_400_000];
      for (const [tabs, calls] of [[2, 30], [3, 30]]) {
        const first = await firefox.newPage();
        try {
          const pages = [first];
          for (let t = 1; t < tabs; t++) pages.push(await first.newTab());
          for (const [t, page] of pages.entries()) {
            await page.goto(env.url('/pages/blank.html'));
            await page.evaluate(async (skew) => {
              const real = Date.now;
              Date.now = () => real() + skew;
              const lib = await import('/dist/index.js');
              await lib.load();
              window.asked = [];
              window.others = 0;
              lib.setLogger((level, message) => { if (message.startsWith('another tab')) window.others++; }, 'info');
              window.open = () => ({}); // what is counted is who asks, not what the browser allows
              const phone = new lib.WebPhone();
              phone.popup({ url: async (number, event) => { window.asked.push(event.callId); return '/pages/blank.html'; } });
              window.ring = (callID) => window.dispatchEvent(new CustomEvent('_jorel-dialog-state-ringing',
                { detail: { callID, customerNumber: '+442079460958', direction: 'inbound' } }));
            }, SKEW[t]);
          }
          // The same instant in every tab (background tabs' timers may be held back: the
          // tab that rings late finds the call taken).
          const start = Date.now() + 1500;
          for (const page of pages) {
            await page.evaluate(([start, tabs, calls]) => {
              for (let i = 0; i < calls; i++) {
                setTimeout(() => window.ring(`ff${tabs}-${i}`), start + i * 40 - (performance.timeOrigin + performance.now()));
              }
            }, [start, tabs, calls]);
          }
          const deadline = Date.now() + 60_000;
          let asked = [];
          let others = 0;
          for (;;) {
            asked = [];
            others = 0;
            for (const page of pages) {
              const r = await page.evaluate(() => [window.asked, window.others]);
              asked.push(...r[0]);
              others += r[1];
            }
            if (asked.length + others >= calls * tabs || Date.now() > deadline) break;
            await sleep(200);
          }
          const perCall = new Map();
          for (const id of asked) perCall.set(id, (perCall.get(id) ?? 0) + 1);
          assert.deepEqual([...perCall].filter(([, n]) => n > 1), [], `calls asked for twice (${tabs} tabs)`);
          assert.equal(perCall.size, calls, `every call asked for once (${tabs} tabs)`);
          assert.equal(others, calls * (tabs - 1), `the other tabs left it (${tabs} tabs)`);
        } finally {
          await first.close();
        }
      }
    } finally {
      await firefox.close();
    }
  });

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
