// Firefox for the page tests: a small W3C WebDriver client over geckodriver (installed by
// scripts/setup.sh, as wasm-pack's Firefox tests need it too). Playwright drives Chromium
// here; its Firefox is a patched build that this machine cannot download, and Debian's
// firefox-esr speaks WebDriver only.
//
//   const firefox = await launchFirefox();
//   const page = await firefox.newPage();       // a fresh profile: fresh storage
//   await page.goto(url);
//   const value = await page.evaluate(async (arg) => ..., arg);  // as Playwright's
//   await page.waitForFunction((arg) => ..., arg, { timeout }); await page.reload();
//   const tab = await page.newTab();             // same profile: shared storage
//   await tab.close();                           // closes the tab
//   await page.close(); await firefox.close();   // ends the session; stops geckodriver
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const GECKODRIVER = process.env.GECKODRIVER || 'geckodriver';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function command(base, method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
  return json.value;
}

/** Starts geckodriver; `newPage()` opens a headless Firefox with a fresh profile. */
export async function launchFirefox() {
  const port = await freePort();
  const driver = spawn(GECKODRIVER, ['--port', String(port)], { stdio: 'ignore' });
  const exited = new Promise((resolve) => driver.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await command(base, 'GET', '/status')).ready !== undefined) break;
    } catch (e) {
      if (i > 100 || driver.exitCode !== null) throw new Error(`geckodriver did not start: ${e.message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    async newPage() {
      const { sessionId } = await command(base, 'POST', '/session', {
        capabilities: {
          alwaysMatch: {
            browserName: 'firefox',
            'moz:firefoxOptions': {
              args: ['-headless'],
              // Pop-ups open without a click, as a CRM's user would allow them.
              prefs: { 'dom.disable_open_during_load': false, 'browser.shell.checkDefaultBrowser': false },
            },
          },
        },
      });
      const session = `/session/${sessionId}`;
      await command(base, 'POST', `${session}/timeouts`, { script: 30_000 });
      const evaluate = async (fn, arg) => {
        const script = `const done = arguments[arguments.length - 1];
          Promise.resolve().then(() => (${fn})(arguments[0])).then(
            (value) => done({ value: value === undefined ? null : value }),
            (e) => done({ error: String((e && e.stack) || e) }));`;
        const result = await command(base, 'POST', `${session}/execute/async`, { script, args: [arg ?? null] });
        if (result && 'error' in result) throw new Error(`in Firefox: ${result.error}`);
        return result?.value;
      };
      // Several tabs of one Firefox (one profile: they share storage and Web Locks): each
      // page object switches to its own tab before it acts, one command at a time (tabs
      // driven side by side would switch under each other).
      let current = null;
      let queue = Promise.resolve();
      const serial = (run) => {
        const result = queue.then(run);
        queue = result.catch(() => {});
        return result;
      };
      const tab = (handle) => {
        const use = async () => {
          if (handle && handle !== current) await command(base, 'POST', `${session}/window`, { handle });
          current = handle;
        };
        const here = {
          goto: (url) => serial(async () => { await use(); return command(base, 'POST', `${session}/url`, { url }); }),
          evaluate: (fn, arg) => serial(async () => { await use(); return evaluate(fn, arg); }),
          reload: () => serial(async () => { await use(); return command(base, 'POST', `${session}/refresh`, {}); }),
          async waitForFunction(fn, arg, { timeout = 5000 } = {}) {
            const deadline = Date.now() + timeout;
            for (;;) {
              const value = await here.evaluate(fn, arg);
              if (value) return value;
              if (Date.now() > deadline) throw new Error(`waitForFunction timed out: ${fn}`);
              await new Promise((r) => setTimeout(r, 50));
            }
          },
          /** Closes this tab (another must stay open: the last one ends the session). */
          close: () => serial(async () => { await use(); current = null; await command(base, 'DELETE', `${session}/window`); }),
        };
        return here;
      };
      const first = await command(base, 'GET', `${session}/window`);
      current = first;
      return {
        ...tab(first),
        /** Another tab of this Firefox. */
        newTab: () => serial(async () => {
          // A new window is opened from the current tab: it must be open.
          if (current === null) await command(base, 'POST', `${session}/window`, { handle: (current = first) });
          const { handle } = await command(base, 'POST', `${session}/window/new`, { type: 'tab' });
          return tab(handle);
        }),
        close: () => command(base, 'DELETE', session).catch(() => {}),
      };
    },
    async close() {
      driver.kill();
      await exited;
    },
  };
}
