// Tests of scripts/serve.mjs (no browser): MIME types, no-store, index.html, mounts, and no
// way out of the served directories.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../scripts/serve.mjs';

let server;
let dir;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ziwo-serve-'));
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  fs.writeFileSync(path.join(dir, 'x.mjs'), 'export {};');
  fs.writeFileSync(path.join(dir, 'sub', 'index.html'), '<p>sub</p>');
  fs.symlinkSync('/etc/hostname', path.join(dir, 'escape.txt'));
  server = await startServer({ root: 'www', mounts: { '/dist/': dir } });
});
after(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Raw request: the path is sent exactly as given (fetch would normalise '..').
function get(rawPath, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request(server.url + '/', { method, path: rawPath }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serves the root with MIME types and Cache-Control: no-store', async () => {
  const js = await get('/sim/jorel.js');
  assert.equal(js.status, 200);
  assert.match(js.headers['content-type'], /^text\/javascript/);
  assert.equal(js.headers['cache-control'], 'no-store');
  const html = await get('/sim/');
  assert.equal(html.status, 200);
  assert.match(html.headers['content-type'], /^text\/html/);
  assert.match(html.body, /jorelScriptLoader/);
});

test('mounts a second directory under its prefix', async () => {
  const wasm = await get('/dist/m.wasm');
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers['content-type'], 'application/wasm');
  assert.match((await get('/dist/x.mjs')).headers['content-type'], /^text\/javascript/);
  assert.equal((await get('/dist/sub/')).body, '<p>sub</p>');
  const redirect = await get('/dist/sub');
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.location, '/dist/sub/');
  assert.equal((await get('/dist/m.wasm', 'HEAD')).status, 200);
  assert.equal((await get('/dist/m.wasm', 'POST')).status, 405);
});

test('404 for missing files and for every way out of the root', async () => {
  for (const p of [
    '/nope.js',
    '/../package.json',
    '/sim/../../package.json',
    '/%2e%2e/package.json',
    '/sim/..%2f..%2fpackage.json',
    '/dist/..%2f..%2f..%2fetc%2fpasswd',
    '/dist/escape.txt',
  ]) {
    const r = await get(p);
    assert.ok(r.status === 404 || r.status === 400, `${p} -> ${r.status}`);
    assert.doesNotMatch(r.body, /"name": "ziwo-webphone"|root:/, p);
  }
});
