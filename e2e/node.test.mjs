// The REST client on a server: `import { createApiClient } from 'ziwo-webphone/full'` in Node,
// no document and no extra step (the module reads its own wasm), the same typed errors; and
// the CTI proxy example against the project's API stand-in.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { startApiServer } from '../scripts/api-server.mjs';
import { startCtiProxy } from '../examples/cti-proxy/server.mjs';

const T = { timeout: 30_000 };
let api;
before(async () => { api = await startApiServer({ token: 'tok-node', apiKey: 'key-node' }); });
after(async () => { await api?.close(); });

test('createApiClient works in Node with no document, from the package name, with typed errors', T, async () => {
  assert.equal(typeof globalThis.document, 'undefined');
  // The package's own name: what a CRM's server imports (Node resolves it through "exports").
  const { createApiClient, isZiwoError } = await import('ziwo-webphone/full');
  const client = await createApiClient({ contactCenter: 'acme', token: 'tok-node', baseUrl: api.url });
  const list = await client.callHistoryList({ limit: 2 });
  assert.ok(Array.isArray(list));
  const code = async (run) => { try { await run(); return 'ok'; } catch (e) { return isZiwoError(e) ? e.code : `raw ${e?.name}: ${e?.message}`; } };
  // Wrong credentials, the API down, a base URL that is not absolute here, no session store.
  const wrong = await createApiClient({ contactCenter: 'acme', token: 'tok-wrong', baseUrl: api.url });
  assert.equal(await code(() => wrong.callHistoryList()), 'unauthorized');
  const down = await createApiClient({ contactCenter: 'acme', token: 'tok-node', baseUrl: 'http://127.0.0.1:9' });
  assert.equal(await code(() => down.callHistoryList()), 'network');
  assert.equal(await code(() => createApiClient({ contactCenter: 'acme', token: 't', baseUrl: '/relative' })), 'invalid-url');
  assert.equal(await code(() => createApiClient({ fromSession: true })), 'storage-unavailable');
  // A server that never answers: the timeout's timer runs on Node's own setTimeout.
  const silent = createServer(() => {});
  await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const slow = await createApiClient({ contactCenter: 'acme', token: 'tok-node', baseUrl: `http://127.0.0.1:${silent.address().port}`, timeoutMs: 200 });
    assert.equal(await code(() => slow.callHistoryList()), 'timeout');
  } finally {
    silent.closeAllConnections?.();
    await new Promise((resolve) => silent.close(resolve));
  }
});

test('a client of a proxy or a stand-in needs no contact-center name; the agent\'s recent calls', T, async () => {
  const { createApiClient, isZiwoError } = await import('ziwo-webphone/full');
  const client = await createApiClient({ baseUrl: api.url, token: 'tok-node' });
  const recent = await client.agentCalls({ fetchStart: 0, fetchStop: 3 });
  assert.equal(recent.length, 3);
  assert.ok(recent.every((c) => c.agentCCLogin === '1001'), 'the agent\'s own calls');
  const sent = api.requests().filter((r) => r.path === '/agents/channels/calls');
  assert.equal(sent.at(-1).query, 'fetchStart=0&fetchStop=3');
  assert.equal(sent.at(-1).headers.access_token, 'tok-node');
  const code = async (run) => { try { await run(); return 'ok'; } catch (e) { return isZiwoError(e) ? e.code : `raw ${e?.message}`; } };
  // Neither a name nor a base URL: no origin to send to.
  assert.equal(await code(() => createApiClient({ token: 'tok-node' })), 'invalid-contact-center');
  assert.equal(await code(() => client.agentCalls({ fetchStart: 5, fetchStop: 2 })), 'invalid-option');
});

test('the CTI proxy example: the api_key stays on the server, the page gets typed answers', T, async () => {
  const proxy = await startCtiProxy({ contactCenter: 'acme', apiKey: 'key-node', baseUrl: api.url });
  try {
    const post = async (path, body) => {
      const res = await fetch(proxy.url + path, { method: 'POST', body: JSON.stringify(body) });
      return [res.status, await res.json()];
    };
    const [status, call] = await post('/cti/call', { ccLogin: '1001', number: '+1 555 0100' });
    assert.equal(status, 200, JSON.stringify(call));
    assert.equal(call.ok, true);
    assert.equal(typeof call.result.callID, 'string');
    const [s2, agent] = await post('/cti/status', { ccLogin: '1001', status: 1 });
    assert.equal(s2, 200, JSON.stringify(agent));
    const [s3, bad] = await post('/cti/call', { ccLogin: '1001', number: 'call me' });
    assert.deepEqual([s3, bad.ok, bad.code], [400, false, 'invalid-number']);
    assert.equal((await post('/cti/nothing', {}))[0], 404);
    // What reached the API: the api_key in its header, never in a URL or a body.
    const sent = api.requests().filter((r) => r.path.startsWith('/integrations/cti/'));
    assert.ok(sent.length >= 2);
    assert.ok(sent.every((r) => r.headers.api_key === 'key-node' && !r.url?.includes('key-node')));
  } finally {
    await proxy.close();
  }
  const wrongKey = await startCtiProxy({ contactCenter: 'acme', apiKey: 'key-wrong', baseUrl: api.url });
  try {
    const res = await fetch(wrongKey.url + '/cti/call', { method: 'POST', body: JSON.stringify({ ccLogin: '1001', number: '+15550100' }) });
    const body = await res.json();
    assert.deepEqual([res.status, body.code], [502, 'unauthorized']);
    assert.ok(!JSON.stringify(body).includes('key-wrong'));
  } finally {
    await wrongKey.close();
  }
});

test("a server that imports only ziwo-webphone loads the companion's module; ziwo-webphone/full first gets the REST client", T, async () => {
  // Each in a fresh Node (the module is loaded once per process): the package's entries by
  // name, the first load() reading its own file.
  const run = (code) => new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', code], { cwd: fileURLToPath(new URL('..', import.meta.url)) },
      (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(JSON.parse(stdout))));
  });
  const companionFirst = await run(`
    const lib = await import('ziwo-webphone');
    await lib.load();
    const full = await import('ziwo-webphone/full');
    try { await full.createApiClient({ baseUrl: ${JSON.stringify(api.url)}, token: 'tok-node' }); console.log('"created"'); }
    catch (e) { console.log(JSON.stringify([e.code, /ziwo_webphone_bg\.wasm/.test(e.message)])); }`);
  assert.deepEqual(companionFirst, ['not-loaded', true]);
  const fullFirst = await run(`
    const [lib, full] = await Promise.all([import('ziwo-webphone'), import('ziwo-webphone/full')]);
    await lib.load();
    const client = await full.createApiClient({ baseUrl: ${JSON.stringify(api.url)}, token: 'tok-node' });
    console.log(JSON.stringify((await client.agentCalls({ fetchStart: 0, fetchStop: 1 })).length));`);
  assert.equal(fullFirst, 1);
});

test('bundled, a page that imports only the phone from ziwo-webphone/full still loads the module with the REST client', T, async () => {
  // What a CRM's build does (esbuild here; webpack and Vite read package.json's
  // `sideEffects` alike): the page's entry takes only `load` from ziwo-webphone/full (its
  // REST client comes later, from a lazy chunk or another bundle), and ships only the full
  // module's .wasm. The bundler must keep the full entry's mark (`useRestClient()`), or
  // load() asks for the companion's .wasm, which is not there.
  const repo = fileURLToPath(new URL('..', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'ziwo-bundle-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(repo, join(dir, 'node_modules', 'ziwo-webphone'), 'dir');
    writeFileSync(join(dir, 'app.js'), "import { load } from 'ziwo-webphone/full';\nexport const start = () => load();\n");
    await build({ entryPoints: [join(dir, 'app.js')], bundle: true, format: 'esm', platform: 'node', outdir: join(dir, 'out'), logLevel: 'error' });
    copyFileSync(join(repo, 'dist', 'ziwo_webphone_bg.wasm'), join(dir, 'out', 'ziwo_webphone_bg.wasm'));
    const outcome = await new Promise((resolve, reject) => {
      const code = `const app = await import(${JSON.stringify(pathToFileURL(join(dir, 'out', 'app.js')).href)});
        try { await app.start(); console.log('loaded'); } catch (e) { console.log(e.code); }`;
      execFile(process.execPath, ['--input-type=module', '-e', code], (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout.trim())));
    });
    assert.equal(outcome, 'loaded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
