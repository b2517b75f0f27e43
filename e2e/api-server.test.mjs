// Tests of scripts/api-server.mjs (no browser): the loopback stand-in for ZIWO's REST API that
// the REST client's tests run against. Every route, its auth, its body checks, the refusal of
// credentials in URLs, CORS, pagination, failures on demand, the request log, and the CDRs it
// writes for the calls the web phone simulator reports.
import { before, after, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  startApiServer,
  apiRoutes,
  callTrackerWebhookExamples,
  DEFAULT_TOKEN,
  DEFAULT_API_KEY,
  TEST_USER,
} from '../scripts/api-server.mjs';

const TOKEN = DEFAULT_TOKEN;
const KEY = DEFAULT_API_KEY;
const SEED_CALL_ID = 'fdf893f5-ff46-44a9-ac63-7491e7b09dce';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server;
before(async () => {
  server = await startApiServer({});
});
after(() => server?.close());
beforeEach(() => server.reset());

/**
 * One request with fetch. `auth`: 'token' (default) | 'key' | 'none'. `json` sends a JSON body,
 * `form` an urlencoded one, `body` + `type` anything else.
 */
async function api(method, path, { auth = 'token', json, form, body, type, headers = {}, signal } = {}) {
  const h = { ...headers };
  if (auth === 'token') h.access_token = TOKEN;
  if (auth === 'key') h.api_key = KEY;
  let payload = body;
  if (json !== undefined) {
    payload = JSON.stringify(json);
    h['content-type'] = 'application/json';
  }
  if (form !== undefined) {
    payload = new URLSearchParams(form).toString();
    h['content-type'] = 'application/x-www-form-urlencoded';
  }
  if (type) h['content-type'] = type;
  const res = await fetch(server.url + path, { method, headers: h, body: payload, signal });
  const buf = Buffer.from(await res.arrayBuffer());
  const text = buf.toString('utf8');
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: parsed, buf };
}

/** Asserts a successful envelope and returns its content. */
function content(r) {
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.result, true, r.text);
  assert.deepEqual(r.json.info, {});
  return r.json.content;
}

/** Asserts an error envelope with `status` and a message matching `message`. */
function refused(r, status, message) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.json.result, false, r.text);
  assert.deepEqual(r.json.content, {});
  assert.equal(typeof r.json.info.message, 'string');
  if (message) assert.match(r.json.info.message, message);
}

// Raw request: the request target is sent exactly as given.
function raw(method, target, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(server.url, { method, path: target, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

// A concrete path for every route pattern.
const SAMPLE = {
  id: '1',
  callID: SEED_CALL_ID,
  number: '+971501234567',
  ccLogin: '1001',
  ivr: 'sales',
  agentId: '5555',
  idOrName: '1',
  addressId: '1',
  numberId: '1',
  socialAccountId: '1',
};
const concrete = (pattern) => pattern.replace(/\{([A-Za-z]+)\}/g, (_, name) => encodeURIComponent(SAMPLE[name]));

describe('envelope, CORS and routing', () => {
  test('every response carries CORS and CORP headers, errors included', async () => {
    for (const r of [
      await api('GET', '/callHistory/1'),
      await api('GET', '/callHistory/1', { auth: 'none' }),
      await api('GET', '/nope'),
      await api('GET', `/surveillance/recordings/${SEED_CALL_ID}.mp3`),
    ]) {
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      assert.equal(r.headers.get('cross-origin-resource-policy'), 'cross-origin');
      // No keep-alive, so that a browser never resends a dropped request on a reused socket.
      assert.equal(r.headers.get('connection'), 'close');
    }
  });

  test('preflights are answered on every path, control routes included, before auth', async () => {
    for (const p of ['/callHistory/1', '/integrations/cti/agents/1001/call/123', '/__control/fail', '/anything']) {
      const r = await raw('OPTIONS', p, {
        Origin: 'http://127.0.0.1:9999',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'access_token,content-type',
      });
      assert.equal(r.status, 204, p);
      assert.equal(r.headers['access-control-allow-origin'], '*');
      assert.equal(r.headers['access-control-allow-methods'], 'GET, POST, PUT, DELETE');
      assert.equal(r.headers['access-control-allow-headers'], 'access_token, api_key, content-type');
      assert.equal(r.headers['cross-origin-resource-policy'], 'cross-origin');
    }
  });

  test('unknown paths and methods give a 404 envelope; paths are exact', async () => {
    refused(await api('GET', '/nope'), 404, /Not found: GET \/nope/);
    refused(await api('GET', '/callHistory'), 404); // the list is /callHistory/ with the slash
    refused(await api('POST', '/callHistory/1'), 404);
    refused(await api('PUT', '/customers/numbers/1', { json: { number: '+1' } }), 404); // numbers have no update
    refused(await api('GET', '/admin/callTrackers'), 404); // the list is /admin/callTrackers/
  });

  test('the route table is one table with a source for each row', async () => {
    const routes = apiRoutes();
    assert.ok(routes.length >= 38, `${routes.length} routes`);
    const src = (await import('node:fs')).readFileSync(fileURLToPath(new URL('../scripts/api-server.mjs', import.meta.url)), 'utf8');
    for (const r of routes) {
      const line = src.split('\n').find((l) => l.includes(`['${r.method}', '${r.path}',`));
      assert.ok(line, `${r.method} ${r.path} in the table`);
      assert.match(line, /\/\/ (seed|contract|assumed)\b/, `${r.method} ${r.path} has a source`);
    }
  });
});

test('docs/api-routes.md lists every route of the table', async () => {
  const fs = await import('node:fs');
  const doc = fs.readFileSync(fileURLToPath(new URL('../docs/api-routes.md', import.meta.url)), 'utf8');
  const norm = (s) => s.replace(/\{[A-Za-z]+\}/g, '{}');
  const documented = norm(doc);
  for (const r of apiRoutes()) assert.ok(documented.includes(norm(r.path)), `${r.method} ${r.path} documented`);
});

describe('auth and credentials', () => {
  test('every route but login refuses a request without its credential, or with the wrong one', async () => {
    for (const r of apiRoutes()) {
      const p = concrete(r.path);
      if (r.auth === 'none') continue;
      refused(await api(r.method, p, { auth: 'none' }), 401, /^Unauthorized$/);
      // The credential of the other kind is not enough (admins' routes take either).
      if (r.auth !== 'access_token|api_key') {
        refused(await api(r.method, p, { auth: r.auth === 'access_token' ? 'key' : 'token' }), 401, /^Unauthorized$/);
      }
      // Wrong values, and the right value with different case or spaces, in either header.
      for (const name of ['access_token', 'api_key']) {
        const right = name === 'access_token' ? TOKEN : KEY;
        for (const v of ['wrong', right.toUpperCase(), ` ${right}x`]) {
          refused(await api(r.method, p, { auth: 'none', headers: { [name]: v } }), 401, /^Unauthorized$/);
        }
      }
    }
  });

  test('CTI routes take api_key, admins\' routes either, the others access_token', async () => {
    const auth = (path) => apiRoutes().filter((r) => r.path.startsWith(path)).map((r) => r.auth);
    const cti = apiRoutes().filter((r) => r.path.startsWith('/integrations/cti/'));
    assert.equal(cti.length, 6);
    for (const r of cti) {
      assert.equal(r.auth, r.path === '/integrations/cti/agents/call/{number}' ? 'access_token' : 'api_key', r.path);
    }
    assert.deepEqual(auth('/auth/'), ['none']);
    for (const p of ['/admin/', '/live/']) {
      assert.ok(auth(p).length > 0 && auth(p).every((a) => a === 'access_token|api_key'), p);
    }
    for (const p of ['/callHistory/', '/surveillance/', '/customers/']) {
      assert.ok(auth(p).length > 0 && auth(p).every((a) => a === 'access_token'), p);
    }
    // Seed, "Admin API": an admin may use the API key instead of an access token.
    assert.equal(content(await api('GET', '/admin/callTrackers/1', { auth: 'key' })).id, 1);
    assert.match(content(await api('POST', '/live/calls/eavesdrop/5555', { auth: 'key' })).callID, UUID);
    refused(await api('GET', '/callHistory/1', { auth: 'key' }), 401);
    refused(await api('POST', '/integrations/cti/agents/call/123', { auth: 'key', json: { roamingOnly: true } }), 401);
  });

  test('credentials in the URL are refused with 400, even when the header is right', async () => {
    for (const p of [
      `/callHistory/1?access_token=${TOKEN}`,
      '/callHistory/1?access_token=anything',
      '/callHistory/?api_key=x',
      '/callHistory/?API_KEY=x',
      '/callHistory/?apiKey=x',
      '/callHistory/?token=x',
      `/callHistory/?callID=${TOKEN}`,
      `/callHistory/${TOKEN}`,
      `/integrations/cti/agents/1001/call/123?x=${encodeURIComponent(KEY)}`,
      `/customers/profiles/search?q=${KEY}`,
      '/auth/login?username=agent%40example.com&password=secret',
    ]) {
      const r = await api(p.startsWith('/auth') ? 'POST' : 'GET', p, { auth: p.includes('/cti/') ? 'key' : 'token' });
      refused(r, 400, /^credentials in URL$/);
    }
    // Absolute-form request target with user info.
    const r = await raw('GET', `http://user:${TOKEN}@127.0.0.1/callHistory/1`, { access_token: TOKEN });
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.body).info.message, 'credentials in URL');
  });

  test('credentials in a body are refused with 400', async () => {
    refused(await api('POST', '/integrations/cti/agents/1001/call/123', { auth: 'key', json: { api_key: KEY } }), 400, /credentials in body/);
    refused(await api('POST', '/live/calls/eavesdrop/5555', { form: { access_token: TOKEN } }), 400, /credentials in body/);
    // …but a password is what login takes.
    assert.equal(content(await api('POST', '/auth/login', { auth: 'none', json: TEST_USER })).access_token, TOKEN);
  });

  test('a server started with its own token and api key accepts those only', async () => {
    const other = await startApiServer({ token: 'tok-2', apiKey: 'key-2' });
    try {
      const get = (h) => fetch(`${other.url}/callHistory/1`, { headers: h });
      assert.equal((await get({ access_token: 'tok-2' })).status, 200);
      assert.equal((await get({ access_token: TOKEN })).status, 401);
      const cti = (h) => fetch(`${other.url}/integrations/cti/agents/1001/login`, { method: 'POST', headers: h });
      assert.equal((await cti({ api_key: 'key-2' })).status, 200);
      assert.equal((await cti({ api_key: KEY })).status, 401);
      const login = await fetch(`${other.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(TEST_USER),
      });
      assert.equal((await login.json()).content.access_token, 'tok-2');
    } finally {
      await other.close();
    }
    await assert.rejects(startApiServer({ token: '' }));
  });
});

describe('POST /auth/login', () => {
  test('JSON and form bodies with the test account give the token and a profile', async () => {
    for (const opts of [{ json: TEST_USER }, { form: TEST_USER }, { json: TEST_USER, type: 'application/json; charset=utf-8' }]) {
      const c = content(await api('POST', '/auth/login', { auth: 'none', ...opts }));
      assert.equal(c.access_token, TOKEN);
      for (const k of ['id', 'username', 'firstName', 'lastName', 'type', 'ccLogin']) assert.ok(k in c, k);
      assert.equal(c.username, TEST_USER.username);
    }
  });

  test('wrong credentials are an HTTP 200 refusal; malformed bodies are 400', async () => {
    for (const creds of [
      { username: TEST_USER.username, password: 'nope' },
      { username: 'other@example.com', password: TEST_USER.password },
      { username: 'AGENT@example.com', password: TEST_USER.password },
    ]) {
      refused(await api('POST', '/auth/login', { auth: 'none', json: creds }), 200, /^Invalid credentials$/);
    }
    refused(await api('POST', '/auth/login', { auth: 'none', json: { username: TEST_USER.username } }), 400, /password is required/);
    refused(await api('POST', '/auth/login', { auth: 'none', json: { ...TEST_USER, password: 1 } }), 400, /password/);
    refused(await api('POST', '/auth/login', { auth: 'none', json: { ...TEST_USER, remember: true } }), 400, /unknown field "remember"/);
    refused(await api('POST', '/auth/login', { auth: 'none', body: JSON.stringify(TEST_USER), type: 'text/plain' }), 400, /Content-Type/);
    refused(await api('POST', '/auth/login', { auth: 'none', body: '{"username":', type: 'application/json' }), 400, /not valid JSON/);
    refused(await api('POST', '/auth/login', { auth: 'none', body: '[1]', type: 'application/json' }), 400, /JSON object/);
    refused(await api('POST', '/auth/login', { auth: 'none' }), 400, /Content-Type/);
  });
});

describe('call history and recordings', () => {
  const CDR_FIELDS = [
    'id', 'callID', 'duration', 'hangupCause', 'disposition', 'recordingFile', 'direction', 'startDateTime',
    'answeredDateTime', 'endDateTime', 'startRawTime', 'answeredRawTime', 'endRawTime', 'callerIDNumber',
    'callerIDName', 'didCalled', 'agentCCLogin', 'holdTime', 'hangupBy', 'callFlows', 'createdAt', 'updatedAt',
  ];

  test('GET /callHistory/{id}: the seed example at 46, generated CDRs elsewhere, 404 otherwise', async () => {
    const seed = content(await api('GET', '/callHistory/46'));
    assert.equal(seed.id, 46);
    assert.equal(seed.callID, SEED_CALL_ID);
    assert.equal(seed.duration, 28);
    assert.equal(seed.hangupCause, 'NORMAL_CLEARING');
    assert.equal(seed.disposition, 'ANSWER');
    assert.equal(seed.recordingFile, `${SEED_CALL_ID}.mp3`);
    assert.equal(seed.callFlows[0].extensionName, 'general_incoming');
    for (const id of [1, 7, 50, 120]) {
      const cdr = content(await api('GET', `/callHistory/${id}`));
      assert.equal(cdr.id, id);
      for (const k of CDR_FIELDS) assert.ok(k in cdr, `${k} in CDR ${id}`);
      assert.match(cdr.callID, UUID);
      assert.ok(Array.isArray(cdr.callFlows) && cdr.callFlows.length > 0);
      assert.equal(cdr.duration, cdr.endRawTime - cdr.startRawTime);
      assert.ok(['inbound', 'outbound', 'internal'].includes(cdr.direction));
    }
    const missed = content(await api('GET', '/callHistory/7'));
    assert.equal(missed.answeredDateTime, null);
    assert.notEqual(missed.disposition, 'ANSWER');
    for (const id of ['0', '121', '999', 'abc', '46:5196']) refused(await api('GET', `/callHistory/${encodeURIComponent(id)}`), 404, /not found/);
  });

  test('GET /callHistory/ pages 120 CDRs newest first, limit ≤ 50', async () => {
    const pages = [];
    for (let skip = 0; ; skip += 50) {
      const page = content(await api('GET', `/callHistory/?limit=50&skip=${skip}`));
      pages.push(page);
      if (page.length < 50) break;
    }
    assert.deepEqual(pages.map((p) => p.length), [50, 50, 20]);
    const ids = pages.flat().map((c) => c.id);
    assert.equal(new Set(ids).size, 120);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
    assert.equal(ids[0], 120);
    assert.deepEqual(content(await api('GET', '/callHistory/?limit=50&skip=120')), []);
    assert.equal(content(await api('GET', '/callHistory/')).length, 50); // default limit
    assert.deepEqual(content(await api('GET', '/callHistory/?limit=3&skip=2')).map((c) => c.id), [118, 117, 116]);
    for (const q of ['limit=51', 'limit=0', 'limit=-1', 'limit=abc', 'skip=-1', 'skip=1.5']) {
      refused(await api('GET', `/callHistory/?${q}`), 400, /limit|skip/);
    }
  });

  test('GET /callHistory/?callID= finds the CDRs of one call', async () => {
    const found = content(await api('GET', `/callHistory/?callID=${SEED_CALL_ID}&limit=10&skip=0`));
    assert.equal(found.length, 1);
    assert.equal(found[0].id, 46);
    const latest = content(await api('GET', '/callHistory/120'));
    assert.deepEqual(content(await api('GET', `/callHistory/?callID=${latest.callID}`)).map((c) => c.id), [120]);
    assert.deepEqual(content(await api('GET', '/callHistory/?callID=00000000-0000-4000-8000-000000000000')), []);
  });

  test('GET /surveillance/recordings/{callID}.mp3 serves MP3 bytes, voicemail too; 404 without a recording', async () => {
    for (const id of [46, 120]) {
      const cdr = content(await api('GET', `/callHistory/${id}`));
      const r = await api('GET', `/surveillance/recordings/${cdr.recordingFile}`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'audio/mpeg');
      assert.equal(Number(r.headers.get('content-length')), r.buf.length);
      assert.equal(r.buf.subarray(0, 3).toString('latin1'), 'ID3');
      assert.ok(r.buf.includes(Buffer.from(cdr.callID)), 'the tag names the call');
      const sync = r.buf.indexOf(Buffer.from([0xff, 0xfb]));
      assert.ok(sync > 10, 'an MPEG audio frame follows the tag');
    }
    // CDRs 1..120: unanswered inbound calls have a voicemail, other unanswered calls nothing.
    const page = [...content(await api('GET', '/callHistory/?limit=50')), ...content(await api('GET', '/callHistory/?limit=50&skip=50'))];
    const voicemail = page.find((c) => c.disposition !== 'ANSWER' && c.recordingFile);
    const none = page.find((c) => !c.recordingFile);
    assert.ok(voicemail && none);
    assert.equal((await api('GET', `/surveillance/recordings/${voicemail.callID}.mp3`)).status, 200);
    refused(await api('GET', `/surveillance/recordings/${none.callID}.mp3`), 404, /Recording/);
    refused(await api('GET', '/surveillance/recordings/unknown.mp3'), 404);
    refused(await api('GET', `/surveillance/recordings/${SEED_CALL_ID}`), 404); // .mp3 is part of the path
  });
});

describe('click to call and CTI', () => {
  test('admin click-to-call: access_token, JSON {roamingOnly}, returns a callID', async () => {
    for (const roamingOnly of [true, false]) {
      const c = content(await api('POST', '/integrations/cti/agents/call/+971501234567', { json: { roamingOnly } }));
      assert.match(c.callID, UUID);
    }
    assert.match(content(await api('POST', '/integrations/cti/agents/call/%2B971501234567', { json: { roamingOnly: false } })).callID, UUID);
    refused(await api('POST', '/integrations/cti/agents/call/123'), 400, /Content-Type/);
    refused(await api('POST', '/integrations/cti/agents/call/123', { json: {} }), 400, /roamingOnly/);
    refused(await api('POST', '/integrations/cti/agents/call/123', { json: { roamingOnly: 'true' } }), 400, /roamingOnly must be a boolean/);
    refused(await api('POST', '/integrations/cti/agents/call/123', { form: { roamingOnly: 'true' } }), 400, /application\/json/);
    refused(await api('POST', '/integrations/cti/agents/call/123', { json: { roamingOnly: true, extra: 1 } }), 400, /unknown field/);
    refused(await api('POST', '/integrations/cti/agents/call/12a3', { json: { roamingOnly: true } }), 400, /invalid number/);
  });

  test('CTI click to call and click to IVR: optional notes, callID back', async () => {
    const calls = [
      ['/integrations/cti/agents/1001/call/+971501234567', {}],
      ['/integrations/cti/agents/1002/call/971501234567', { json: { notes: 'renewal, ticket 42' } }],
      ['/integrations/cti/ivrs/sales/call/+15550100199', {}],
      ['/integrations/cti/ivrs/1/call/+15550100199', { json: { notes: 'survey' } }],
    ];
    const ids = [];
    for (const [p, opts] of calls) ids.push(content(await api('POST', p, { auth: 'key', ...opts })).callID);
    ids.forEach((id) => assert.match(id, UUID));
    assert.equal(new Set(ids).size, ids.length);
    refused(await api('POST', '/integrations/cti/agents/1001/call/123', { auth: 'key', json: { notes: 5 } }), 400, /notes must be a string/);
    refused(await api('POST', '/integrations/cti/agents/1001/call/123', { auth: 'key', json: { comment: 'x' } }), 400, /unknown field "comment"/);
    refused(await api('POST', '/integrations/cti/agents/1001/call/123', { auth: 'key', form: { notes: 'x' } }), 400, /application\/json/);
    refused(await api('POST', '/integrations/cti/agents/1001/call/123', { auth: 'key', json: { notes: 'x'.repeat(4097) } }), 400, /longer than 4096/);
    content(await api('POST', '/integrations/cti/agents/1001/call/123', { auth: 'key', json: { notes: 'x'.repeat(4096) } }));
    refused(await api('POST', '/integrations/cti/agents/1001/call/abc', { auth: 'key' }), 400, /invalid number/);
    refused(await api('POST', '/integrations/cti/agents/9999/call/123', { auth: 'key' }), 404, /Agent 9999 not found/);
    refused(await api('POST', '/integrations/cti/ivrs/no%20pe/call/123', { auth: 'key' }), 400, /invalid IVR/);
  });

  test('CTI agent login, every status code, logout', async () => {
    assert.deepEqual(content(await api('POST', '/integrations/cti/agents/1001/login', { auth: 'key' })), { ccLogin: '1001', status: 1 });
    for (const status of [-1, 0, 1, 2, 3, 4]) {
      const c = content(await api('PUT', '/integrations/cti/agents/1001/status', { auth: 'key', json: { status } }));
      assert.deepEqual(c, { ccLogin: '1001', status });
    }
    for (const status of [5, -2, '1', 1.5, null]) {
      refused(await api('PUT', '/integrations/cti/agents/1001/status', { auth: 'key', json: { status } }), 400, /status must be one of -1, 0, 1, 2, 3, 4/);
    }
    refused(await api('PUT', '/integrations/cti/agents/1001/status', { auth: 'key', json: {} }), 400, /status/);
    refused(await api('PUT', '/integrations/cti/agents/1001/status', { auth: 'key', form: { status: '1' } }), 400, /application\/json/);
    assert.deepEqual(content(await api('POST', '/integrations/cti/agents/1001/logout', { auth: 'key' })), { ccLogin: '1001', status: 0 });
    // Login/logout take no body; an empty JSON object is tolerated.
    content(await api('POST', '/integrations/cti/agents/1002/login', { auth: 'key', json: {} }));
    refused(await api('POST', '/integrations/cti/agents/1002/login', { auth: 'key', json: { force: true } }), 400, /no body/);
    refused(await api('POST', '/integrations/cti/agents/4242/login', { auth: 'key' }), 404, /Agent 4242/);
    refused(await api('PUT', '/integrations/cti/agents/4242/status', { auth: 'key', json: { status: 1 } }), 404);
    refused(await api('POST', '/integrations/cti/agents/4242/logout', { auth: 'key' }), 404);
  });
});

describe('call whispering', () => {
  test('create eavesdrop (optional positionName, form) and update the whisper state', async () => {
    const a = content(await api('POST', '/live/calls/eavesdrop/5555')).callID;
    const b = content(await api('POST', '/live/calls/eavesdrop/5555', { form: { positionName: 'mydesk' } })).callID;
    assert.match(a, UUID);
    assert.match(b, UUID);
    assert.notEqual(a, b);
    for (const whisper of ['agent', 'both', 'none']) {
      assert.deepEqual(content(await api('PUT', `/live/calls/eavesdrop/${a}`, { form: { whisper } })), {});
    }
    // The seed's example call id exists from the start.
    assert.deepEqual(content(await api('PUT', '/live/calls/eavesdrop/e0a89fd6-f0da-481e-9372-622e6eb09ec2', { form: { whisper: 'agent' } })), {});
    for (const whisper of ['Agent', 'all', '']) {
      refused(await api('PUT', `/live/calls/eavesdrop/${a}`, { form: { whisper } }), 400, /whisper must be one of agent, both, none/);
    }
    refused(await api('PUT', `/live/calls/eavesdrop/${a}`, { json: { whisper: 'agent' } }), 400, /x-www-form-urlencoded/);
    refused(await api('PUT', `/live/calls/eavesdrop/${a}`), 400, /x-www-form-urlencoded/);
    refused(await api('PUT', '/live/calls/eavesdrop/00000000-0000-4000-8000-000000000000', { form: { whisper: 'agent' } }), 404, /Eavesdrop/);
    refused(await api('POST', '/live/calls/eavesdrop/5555', { json: { positionName: 'mydesk' } }), 400, /x-www-form-urlencoded/);
    refused(await api('POST', '/live/calls/eavesdrop/5555', { form: { position: 'mydesk' } }), 400, /unknown field "position"/);
    refused(await api('POST', '/live/calls/eavesdrop/agent-x'), 400, /invalid agentId/);
  });
});

describe('call trackers', () => {
  const NEW = {
    name: 'calltracker-02',
    startRequestURL: 'https://ct.example.com/start.php',
    startRequestAPIKey: '',
    startRequestTimeout: '10000',
    endRequestURL: 'https://ct.example.com:8080/end.php',
    endRequestAPIKey: 'k-123',
    endRequestTimeout: '',
    welcomePlayback: 'abc123',
    errorPlayback: '',
  };
  const TRACKER_FIELDS = ['id', 'name', 'startRequestURL', 'startRequestAPIKey', 'startRequestTimeout', 'endRequestURL', 'endRequestAPIKey', 'endRequestTimeout', 'welcomePlayback', 'errorPlayback', 'status'];

  test('list: two seeded, limit ≤ 50, skip, search, order with ~', async () => {
    const all = content(await api('GET', '/admin/callTrackers/?limit=50&skip=0&search&order'));
    assert.deepEqual(all.map((t) => t.name), ['CT', 'calltracker-01']);
    for (const t of all) for (const k of TRACKER_FIELDS) assert.ok(k in t, k);
    assert.deepEqual(content(await api('GET', '/admin/callTrackers/?limit=1&skip=0')).map((t) => t.id), [1]);
    assert.deepEqual(content(await api('GET', '/admin/callTrackers/?limit=1&skip=1')).map((t) => t.id), [2]);
    assert.deepEqual(content(await api('GET', '/admin/callTrackers/?search=TRACKER')).map((t) => t.id), [2]);
    assert.deepEqual(content(await api('GET', '/admin/callTrackers/?search=nothing')), []);
    assert.deepEqual(content(await api('GET', '/admin/callTrackers/?order=~id')).map((t) => t.id), [2, 1]);
    assert.deepEqual(content(await api('GET', '/admin/callTrackers/?order=~name')).map((t) => t.name), ['calltracker-01', 'CT']);
    assert.deepEqual(content(await api('GET', '/admin/callTrackers/?order=name&search=')).map((t) => t.name), ['CT', 'calltracker-01']); // code-unit order
    content(await api('POST', '/admin/callTrackers', { form: { name: 'alpha', startRequestURL: 'https://x.example/' } }));
    assert.deepEqual(content(await api('GET', '/admin/callTrackers/?order=name')).map((t) => t.name), ['CT', 'alpha', 'calltracker-01']);
    assert.deepEqual(content(await api('GET', '/admin/callTrackers/?order=~createdAt&limit=1')).map((t) => t.name), ['alpha']);
    refused(await api('GET', '/admin/callTrackers/?limit=51'), 400, /limit/);
    refused(await api('GET', '/admin/callTrackers/?order=~secret'), 400, /cannot order by "secret"/);
  });

  test('get by id; 404 for unknown ids and names', async () => {
    const t = content(await api('GET', '/admin/callTrackers/1'));
    assert.equal(t.name, 'CT');
    assert.equal(t.startRequestURL, 'http://127.0.0.1:7000/callTrackers/example/startCall');
    refused(await api('GET', '/admin/callTrackers/99'), 404, /Call tracker 99 not found/);
    refused(await api('GET', '/admin/callTrackers/CT'), 404);
  });

  test('create (form) returns the tracker with an id and typed values', async () => {
    const t = content(await api('POST', '/admin/callTrackers', { form: NEW }));
    assert.equal(t.id, 3);
    assert.equal(t.name, NEW.name);
    assert.equal(t.startRequestTimeout, 10000);
    assert.equal(t.endRequestTimeout, null);
    assert.equal(t.startRequestAPIKey, null);
    assert.equal(t.endRequestAPIKey, 'k-123');
    assert.equal(t.welcomePlayback, 'abc123');
    assert.equal(t.status, 'active');
    assert.deepEqual(content(await api('GET', '/admin/callTrackers/3')), t);
    // Only the two required fields.
    const min = content(await api('POST', '/admin/callTrackers', { form: { name: 'min', startRequestURL: 'http://127.0.0.1:1/s' } }));
    assert.equal(min.id, 4);
    assert.equal(min.endRequestURL, null);
  });

  test('create refuses bad bodies', async () => {
    const cases = [
      [{ startRequestURL: 'https://x.example/' }, /name is required/],
      [{ name: 'x' }, /startRequestURL is required/],
      [{ name: 'x', startRequestURL: '' }, /startRequestURL is required/],
      [{ name: 'x', startRequestURL: 'ftp://x.example/' }, /startRequestURL must be an http\(s\) URL/],
      [{ name: 'x', startRequestURL: 'not a url' }, /startRequestURL must be an http\(s\) URL/],
      [{ name: 'x', startRequestURL: 'https://x.example/', startRequestTimeout: '10s' }, /startRequestTimeout must be a number of milliseconds/],
      [{ name: 'x', startRequestURL: 'https://x.example/', endRequestURL: 'javascript:alert(1)' }, /endRequestURL/],
      [{ name: 'x', startRequestURL: 'https://x.example/', voicemail: '1' }, /unknown field "voicemail"/],
      [{ name: 'CT', startRequestURL: 'https://x.example/' }, /already exists/],
      [{ name: '123', startRequestURL: 'https://x.example/' }, /must not be a number/],
    ];
    for (const [form, message] of cases) refused(await api('POST', '/admin/callTrackers', { form }), 400, message);
    refused(await api('POST', '/admin/callTrackers', { json: { name: 'x', startRequestURL: 'https://x.example/' } }), 400, /x-www-form-urlencoded/);
    refused(await api('POST', '/admin/callTrackers', { body: 'name=x&name=y&startRequestURL=https%3A%2F%2Fx.example%2F', type: 'application/x-www-form-urlencoded' }), 400, /duplicate field "name"/);
    assert.equal(content(await api('GET', '/admin/callTrackers/')).length, 2, 'nothing was created');
  });

  test('update (partial form), block/unblock and delete by id or name, test', async () => {
    assert.deepEqual(content(await api('PUT', '/admin/callTrackers/2', { form: { startRequestTimeout: '5000', endRequestAPIKey: '' } })), {});
    const t = content(await api('GET', '/admin/callTrackers/2'));
    assert.equal(t.startRequestTimeout, 5000);
    assert.equal(t.endRequestAPIKey, null);
    assert.equal(t.name, 'calltracker-01', 'untouched fields stay');
    content(await api('PUT', '/admin/callTrackers/2', { form: { name: 'renamed' } }));
    assert.equal(content(await api('GET', '/admin/callTrackers/2')).name, 'renamed');
    refused(await api('PUT', '/admin/callTrackers/2', { form: {} }), 400, /nothing to update/);
    refused(await api('PUT', '/admin/callTrackers/2', { form: { name: 'CT' } }), 400, /already exists/);
    refused(await api('PUT', '/admin/callTrackers/2', { form: { startRequestURL: '' } }), 400, /cannot be empty/);
    refused(await api('PUT', '/admin/callTrackers/2', { json: { name: 'y' } }), 400, /x-www-form-urlencoded/);
    refused(await api('PUT', '/admin/callTrackers/99', { form: { name: 'y' } }), 404);

    assert.deepEqual(content(await api('PUT', '/admin/callTrackers/renamed/block')), {});
    assert.equal(content(await api('GET', '/admin/callTrackers/2')).status, 'blocked');
    assert.deepEqual(content(await api('PUT', '/admin/callTrackers/2/unblock')), {});
    assert.equal(content(await api('GET', '/admin/callTrackers/2')).status, 'active');
    content(await api('PUT', '/admin/callTrackers/1/block', { form: {} })); // the seed's curl sends an empty form
    assert.equal(content(await api('GET', '/admin/callTrackers/1')).status, 'blocked');
    refused(await api('PUT', '/admin/callTrackers/nope/block'), 404);
    refused(await api('PUT', '/admin/callTrackers/1/block', { form: { reason: 'x' } }), 400, /no body/);

    assert.deepEqual(content(await api('PUT', '/admin/callTrackers/2/test')), {});
    refused(await api('PUT', '/admin/callTrackers/99/test'), 404);

    assert.deepEqual(content(await api('DELETE', '/admin/callTrackers/renamed')), {});
    refused(await api('GET', '/admin/callTrackers/2'), 404);
    assert.deepEqual(content(await api('DELETE', '/admin/callTrackers/1')), {});
    assert.deepEqual(content(await api('GET', '/admin/callTrackers/')), []);
    refused(await api('DELETE', '/admin/callTrackers/1'), 404);
  });

  test('logs: date range, fetchStart/fetchStop, repeated callTrackers[]', async () => {
    const LOG_FIELDS = ['id', 'callTrackerID', 'callID', 'type', 'requestURL', 'statusCode', 'responseTime', 'error', 'createdAt'];
    // The seed's own example request.
    const seedQuery = 'fromDate=2015-01-01&toDate=2017-01-01&fetchStart=0&fetchStop=50&callTrackers%5B%5D=1';
    const one = content(await api('GET', `/admin/callTrackers/logs?${seedQuery}`));
    assert.equal(one.length, 20);
    for (const row of one) {
      for (const k of LOG_FIELDS) assert.ok(k in row, k);
      assert.equal(row.callTrackerID, 1);
      assert.ok(['start', 'end'].includes(row.type));
    }
    assert.equal(content(await api('GET', '/admin/callTrackers/logs?callTrackers[]=1&callTrackers[]=2')).length, 40);
    assert.equal(content(await api('GET', '/admin/callTrackers/logs')).length, 40);
    assert.equal(content(await api('GET', '/admin/callTrackers/logs?callTrackers[]=99')).length, 0);
    // fetchStop is a count (the seed: "the number of records to fetch per page").
    const p1 = content(await api('GET', '/admin/callTrackers/logs?fetchStart=0&fetchStop=15'));
    const p2 = content(await api('GET', '/admin/callTrackers/logs?fetchStart=15&fetchStop=15'));
    const p3 = content(await api('GET', '/admin/callTrackers/logs?fetchStart=30&fetchStop=15'));
    assert.deepEqual([p1.length, p2.length, p3.length], [15, 15, 10]);
    assert.equal(new Set([...p1, ...p2, ...p3].map((r) => r.id)).size, 40);
    const times = [...p1, ...p2, ...p3].map((r) => r.createdAt);
    assert.deepEqual(times, [...times].sort());
    // Date filters: toDate is inclusive of its whole day.
    const day = content(await api('GET', '/admin/callTrackers/logs?fromDate=2016-07-11&toDate=2016-07-11'));
    assert.ok(day.length > 0 && day.every((r) => r.createdAt.startsWith('2016-07-11')), JSON.stringify(day.map((r) => r.createdAt)));
    assert.deepEqual(content(await api('GET', '/admin/callTrackers/logs?fromDate=2017-01-01')), []);
    assert.deepEqual(content(await api('GET', '/admin/callTrackers/logs?toDate=2015-01-01')), []);
    refused(await api('GET', '/admin/callTrackers/logs?fromDate=yesterday'), 400, /fromDate/);
    refused(await api('GET', '/admin/callTrackers/logs?fetchStart=-1'), 400, /fetchStart/);
    refused(await api('GET', '/admin/callTrackers/logs?fetchStop=0'), 400, /fetchStop/);
    refused(await api('GET', '/admin/callTrackers/logs?callTrackers=1'), 400, /callTrackers\[\]/);
    refused(await api('GET', '/admin/callTrackers/logs?callTrackers[]=CT'), 400, /tracker ids/);
  });
});

describe('CRM customers', () => {
  test('seeded profiles are found by name and by a linked number, formatting ignored', async () => {
    const byName = content(await api('GET', '/customers/profiles/search?q=selina'));
    assert.deepEqual(byName.map((p) => `${p.firstName} ${p.lastName}`), ['Selina Kyle']);
    const p = byName[0];
    for (const k of ['id', 'firstName', 'lastName', 'email', 'gender', 'company', 'notes', 'addresses', 'numbers', 'socialAccounts', 'createdAt', 'updatedAt']) assert.ok(k in p, k);
    assert.equal(p.numbers[0].number, '+971501234567');
    assert.equal(p.addresses[0].city, 'Dubai');
    assert.equal(p.socialAccounts[0].network, 'twitter');
    assert.ok(!('links' in p));
    for (const q of ['+971 50 123 4567', '971501234567', '0100199']) {
      assert.equal(content(await api('GET', `/customers/profiles/search?q=${encodeURIComponent(q)}`)).length, 1, q);
    }
    assert.equal(content(await api('GET', '/customers/profiles/search?q=')).length, 2);
    assert.equal(content(await api('GET', '/customers/profiles/search?q=&limit=1&skip=1')).length, 1);
    assert.deepEqual(content(await api('GET', '/customers/profiles/search?q=nobody')), []);
    refused(await api('GET', '/customers/profiles/search?q=a&limit=51'), 400, /limit/);
  });

  test('create, link, search, unlink, update, delete', async () => {
    const profile = content(await api('POST', '/customers/profiles', { json: { firstName: 'Harvey', lastName: 'Dent', company: 'Dent & Partners' } }));
    assert.equal(typeof profile.id, 'number');
    assert.deepEqual([profile.addresses, profile.numbers, profile.socialAccounts], [[], [], []]);
    assert.equal(profile.email, null);
    const address = content(await api('POST', '/customers/addresses', { json: { street: '2 Court St', city: 'Gotham', country: 'US' } }));
    const number = content(await api('POST', '/customers/numbers', { json: { number: '+442079460958', label: 'office' } }));
    const social = content(await api('POST', '/customers/socialAccounts', { json: { network: 'linkedin', handle: 'hdent' } }));
    for (const e of [address, number, social]) assert.equal(typeof e.id, 'number');
    assert.equal(number.number, '+442079460958');

    let linked;
    for (const [kind, e] of [['addresses', address], ['numbers', number], ['socialAccounts', social]]) {
      linked = content(await api('PUT', `/customers/profiles/${profile.id}/${kind}/${e.id}`));
      assert.deepEqual(linked[kind].map((x) => x.id), [e.id], kind);
      // Linking again changes nothing.
      assert.deepEqual(content(await api('PUT', `/customers/profiles/${profile.id}/${kind}/${e.id}`))[kind].length, 1);
    }
    // An address can be shared: link the seeded profile 1 to it too.
    assert.equal(content(await api('PUT', `/customers/profiles/1/addresses/${address.id}`)).addresses.length, 2);
    assert.deepEqual(content(await api('GET', '/customers/profiles/search?q=4420794')).map((p) => p.id), [profile.id]);
    assert.deepEqual(content(await api('GET', '/customers/profiles/search?q=harvey%20dent')).map((p) => p.id), [profile.id]);

    const updated = content(await api('PUT', `/customers/addresses/${address.id}`, { json: { city: 'New Gotham', state: null } }));
    assert.equal(updated.city, 'New Gotham');
    assert.equal(updated.street, '2 Court St');
    assert.equal(content(await api('GET', '/customers/profiles/search?q=harvey')).at(0).addresses[0].city, 'New Gotham');
    assert.equal(content(await api('PUT', `/customers/socialAccounts/${social.id}`, { json: { handle: 'harvey.dent' } })).handle, 'harvey.dent');
    assert.equal(content(await api('PUT', `/customers/profiles/${profile.id}`, { json: { email: 'two@face.example' } })).email, 'two@face.example');

    const unlinked = content(await api('DELETE', `/customers/profiles/${profile.id}/numbers/${number.id}`));
    assert.deepEqual(unlinked.numbers, []);
    refused(await api('DELETE', `/customers/profiles/${profile.id}/numbers/${number.id}`), 404, /not linked/);
    assert.deepEqual(content(await api('GET', '/customers/profiles/search?q=4420794')), []);
    content(await api('DELETE', `/customers/profiles/${profile.id}/socialAccounts/${social.id}`));

    // Deleting an address unlinks it everywhere.
    assert.deepEqual(content(await api('DELETE', `/customers/addresses/${address.id}`)), {});
    assert.equal(content(await api('GET', '/customers/profiles/search?q=selina'))[0].addresses.length, 1);
    assert.deepEqual(content(await api('DELETE', `/customers/numbers/${number.id}`)), {});
    assert.deepEqual(content(await api('DELETE', `/customers/socialAccounts/${social.id}`)), {});
    assert.deepEqual(content(await api('DELETE', `/customers/profiles/${profile.id}`)), {});
    assert.deepEqual(content(await api('GET', '/customers/profiles/search?q=harvey')), []);
    for (const p of [`/customers/profiles/${profile.id}`, `/customers/addresses/${address.id}`, `/customers/numbers/${number.id}`, `/customers/socialAccounts/${social.id}`]) {
      refused(await api('DELETE', p), 404, /not found/);
    }
  });

  test('customer bodies are checked', async () => {
    const cases = [
      ['POST', '/customers/profiles', { email: 'a@b.example' }, /firstName or lastName is required/],
      ['POST', '/customers/profiles', { firstName: 'A', email: 'not-an-email' }, /email/],
      ['POST', '/customers/profiles', { firstName: 'A', age: 3 }, /unknown field "age"/],
      ['POST', '/customers/profiles', { firstName: 42 }, /firstName must be a string/],
      ['POST', '/customers/addresses', { label: 'home' }, /at least one of/],
      ['POST', '/customers/numbers', { label: 'x' }, /number is required/],
      ['POST', '/customers/numbers', { number: '+44 20 7946' }, /invalid number/],
      ['POST', '/customers/socialAccounts', { network: 'x' }, /handle is required/],
      ['PUT', '/customers/profiles/1', {}, /nothing to update/],
      ['PUT', '/customers/profiles/1', { firstName: null, lastName: null }, /firstName or lastName/],
      ['PUT', '/customers/socialAccounts/1', { handle: null }, /cannot be cleared/],
    ];
    for (const [method, p, json, message] of cases) refused(await api(method, p, { json }), 400, message);
    refused(await api('POST', '/customers/profiles', { form: { firstName: 'A' } }), 400, /application\/json/);
    refused(await api('PUT', '/customers/profiles/99', { json: { firstName: 'A' } }), 404, /Profile 99 not found/);
    refused(await api('PUT', '/customers/profiles/1/numbers/99'), 404, /Number 99 not found/);
    refused(await api('PUT', '/customers/profiles/99/numbers/1'), 404, /Profile 99 not found/);
    // The failed update did not half-apply.
    assert.equal(content(await api('GET', '/customers/profiles/search?q=selina'))[0].firstName, 'Selina');
  });
});

describe('failures on demand', () => {
  const arm = (f) => api('POST', '/__control/fail', { auth: 'none', json: f });

  test('"500": HTML body, CORS headers still there', async () => {
    assert.deepEqual(content(await arm({ mode: '500' })), { mode: '500', path: '', times: 1 });
    const r = await api('GET', '/callHistory/1');
    assert.equal(r.status, 500);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.match(r.text, /^<html>/);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.equal(r.headers.get('cross-origin-resource-policy'), 'cross-origin');
    content(await api('GET', '/callHistory/1')); // once only
  });

  test('"401", "403" and "result-false" envelopes', async () => {
    await arm({ mode: '401' });
    refused(await api('GET', '/callHistory/1'), 401, /^Unauthorized$/);
    await arm({ mode: '403' });
    refused(await api('GET', '/callHistory/1'), 403, /^Forbidden$/);
    await arm({ mode: 'result-false' });
    refused(await api('POST', '/integrations/cti/agents/1001/login', { auth: 'key' }), 200, /^Refused by test$/);
    content(await api('GET', '/callHistory/1'));
  });

  test('"non-json": HTTP 200, application/json, an HTML body', async () => {
    await arm({ mode: 'non-json' });
    const r = await api('GET', '/callHistory/1');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.equal(r.text, '<html>oops</html>');
    assert.equal(r.json, undefined);
  });

  test('"slow:<ms>" answers normally after the delay, and a client timeout can beat it', async () => {
    await arm({ mode: 'slow:250' });
    const t0 = Date.now();
    assert.equal(content(await api('GET', '/callHistory/46')).callID, SEED_CALL_ID);
    assert.ok(Date.now() - t0 >= 240, `${Date.now() - t0} ms`);
    await arm({ mode: 'slow:2000' });
    const t1 = Date.now();
    await assert.rejects(api('GET', '/callHistory/46', { signal: AbortSignal.timeout(100) }), { name: 'TimeoutError' });
    assert.ok(Date.now() - t1 < 1500);
  });

  test('"drop" destroys the socket without a response', async () => {
    await arm({ mode: 'drop' });
    await assert.rejects(api('GET', '/callHistory/1'), TypeError);
    content(await api('GET', '/callHistory/1'));
    await arm({ mode: 'drop', times: 2 });
    await assert.rejects(api('POST', '/integrations/cti/agents/1001/login', { auth: 'key' }), TypeError);
    // On the wire: no status line, and the connection is reset rather than closed cleanly
    // (a clean close before any byte makes Firefox resend a GET, which would then succeed).
    const { port } = new URL(server.url);
    const wire = await new Promise((resolve) => {
      let got = '';
      const sock = net.connect(Number(port), '127.0.0.1', () => sock.write('GET /callHistory/1 HTTP/1.1\r\nHost: x\r\naccess_token: ' + TOKEN + '\r\n\r\n'));
      sock.on('data', (c) => (got += c));
      sock.on('error', (e) => resolve({ got, end: e.code }));
      sock.on('close', () => resolve({ got, end: 'close' }));
    });
    assert.doesNotMatch(wire.got, /^HTTP\/1\.\d \d{3}/);
    assert.equal(wire.end, 'ECONNRESET');
    content(await api('GET', '/callHistory/1'));
  });

  test('times and path prefix select which requests fail; preflights and control routes never fail', async () => {
    await arm({ mode: '500', path: '/admin/callTrackers', times: 2 });
    content(await api('GET', '/callHistory/1'));
    assert.equal((await raw('OPTIONS', '/admin/callTrackers/1')).status, 204);
    content(await api('GET', '/__control/requests', { auth: 'none' }));
    assert.equal((await api('GET', '/admin/callTrackers/1')).status, 500);
    assert.equal((await api('GET', '/admin/callTrackers/')).status, 500);
    content(await api('GET', '/admin/callTrackers/1'));
    // Armed failures queue up in order.
    await arm({ mode: '401' });
    await arm({ mode: '403' });
    assert.equal((await api('GET', '/callHistory/1')).status, 401);
    assert.equal((await api('GET', '/callHistory/1')).status, 403);
    assert.equal((await api('GET', '/callHistory/1')).status, 200);
    // A failure applies before auth and body checks.
    await arm({ mode: 'result-false' });
    refused(await api('GET', '/callHistory/1', { auth: 'none' }), 200, /Refused by test/);
  });

  test('bad control requests are refused; reset disarms', async () => {
    for (const f of [{ mode: '418' }, { mode: 'slow' }, { mode: 'slow:x' }, {}, { mode: '500', times: 0 }, { mode: '500', path: 1 }, { mode: '500', when: 'now' }]) {
      refused(await arm(f), 400);
    }
    refused(await api('POST', '/__control/fail', { auth: 'none', form: { mode: '500' } }), 400, /application\/json/);
    refused(await api('GET', '/__control/nope', { auth: 'none' }), 404);
    await arm({ mode: '500', times: 5 });
    content(await api('POST', '/__control/reset', { auth: 'none' }));
    content(await api('GET', '/callHistory/1'));
  });

  test('the JS handle arms failures too', async () => {
    server.fail({ mode: '403', path: '/callHistory/' });
    assert.equal((await api('GET', '/callHistory/1')).status, 403);
    assert.throws(() => server.fail({ mode: 'nope' }), /mode must be one of/);
  });
});

describe('request log and reset', () => {
  test('GET /__control/requests lists what the client sent, control requests excluded', async () => {
    await api('GET', '/callHistory/?callID=abc&limit=5&skip=0');
    await api('POST', '/integrations/cti/agents/1001/call/+971501234567', { auth: 'key', json: { notes: 'n' } });
    await api('POST', '/admin/callTrackers', { form: { name: 'x', startRequestURL: 'https://x.example/' } });
    await raw('OPTIONS', '/callHistory/1', { Origin: 'http://127.0.0.1:1', 'Access-Control-Request-Method': 'GET' });
    const log = content(await api('GET', '/__control/requests', { auth: 'none' }));
    assert.deepEqual(log.map((r) => `${r.method} ${r.path}`), [
      'GET /callHistory/',
      'POST /integrations/cti/agents/1001/call/+971501234567',
      'POST /admin/callTrackers',
      'OPTIONS /callHistory/1',
    ]);
    const [list, call, create, preflight] = log;
    assert.equal(list.query, 'callID=abc&limit=5&skip=0');
    assert.deepEqual(list.params, { callID: ['abc'], limit: ['5'], skip: ['0'] });
    assert.equal(list.url, '/callHistory/?callID=abc&limit=5&skip=0');
    assert.equal(list.headers.access_token, TOKEN);
    assert.equal(list.body, '');
    assert.equal(call.headers.api_key, KEY);
    assert.equal(call.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(call.body), { notes: 'n' });
    assert.equal(create.body, 'name=x&startRequestURL=https%3A%2F%2Fx.example%2F');
    assert.equal(preflight.headers['access-control-request-method'], 'GET');
    for (const r of log) assert.ok(typeof r.seq === 'number' && !Number.isNaN(Date.parse(r.time)));
    // Filter by path prefix, and the JS handle sees the same log.
    assert.deepEqual(content(await api('GET', '/__control/requests?path=/admin/', { auth: 'none' })).map((r) => r.path), ['/admin/callTrackers']);
    assert.deepEqual(server.requests().map((r) => r.path), log.map((r) => r.path));
  });

  test('refused and failed requests are logged too, so a test can see a leaked credential', async () => {
    await api('GET', `/callHistory/1?access_token=${TOKEN}`, { auth: 'none' });
    server.fail({ mode: 'drop' });
    await api('GET', '/callHistory/2').catch(() => {});
    const log = server.requests();
    assert.equal(log.length, 2);
    assert.equal(log[0].params.access_token[0], TOKEN);
    assert.equal(log[1].path, '/callHistory/2');
  });

  test('reset clears the log and restores the seed data', async () => {
    content(await api('DELETE', '/admin/callTrackers/1'));
    content(await api('POST', '/customers/profiles', { json: { firstName: 'Temp' } }));
    content(await api('PUT', '/integrations/cti/agents/1001/status', { auth: 'key', json: { status: 2 } }));
    assert.ok(server.requests().length > 0);
    content(await api('POST', '/__control/reset', { auth: 'none' }));
    assert.deepEqual(server.requests(), []);
    assert.equal(content(await api('GET', '/admin/callTrackers/')).length, 2);
    assert.deepEqual(content(await api('GET', '/customers/profiles/search?q=temp')), []);
    // Ids start over too.
    assert.equal(content(await api('POST', '/admin/callTrackers', { form: { name: 'again', startRequestURL: 'https://x.example/' } })).id, 3);
    server.reset();
    assert.deepEqual(server.requests(), []);
  });

  test('POST /__control/cdrs adds a CDR (e.g. the demo\'s last call) with a recording', async () => {
    const callID = '11111111-2222-4333-8444-555555555555';
    const cdr = content(await api('POST', '/__control/cdrs', { auth: 'none', json: { callID, direction: 'outbound', didCalled: '+971501234567' } }));
    assert.equal(cdr.id, 121);
    assert.equal(cdr.callID, callID);
    assert.equal(cdr.callFlows[0].callID, callID);
    assert.deepEqual(content(await api('GET', `/callHistory/?callID=${callID}`)), [cdr]);
    assert.deepEqual(content(await api('GET', '/callHistory/121')), cdr);
    assert.equal((await api('GET', `/surveillance/recordings/${callID}.mp3`)).status, 200);
    refused(await api('POST', '/__control/cdrs', { auth: 'none', json: { direction: 'inbound' } }), 400, /callID/);
  });

  test('bodies over 1 MB are refused with 413', async () => {
    refused(await api('POST', '/customers/profiles', { json: { firstName: 'x'.repeat(1_100_000) } }), 413, /too large/);
  });
});

/** Polls `fn` until it returns something truthy; fails after `timeout` ms. */
async function until(fn, { timeout = 5000, what = 'a condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const DID = '+97144000000';
const AGENT_CALLS = '/agents/channels/calls';

/** The CDRs carrying `callID` (GET /callHistory/?callID=). */
async function cdrsOf(callID) {
  return content(await api('GET', `/callHistory/?callID=${encodeURIComponent(callID)}`));
}

/** Waits until the CDR of the reported call `simCallID` (filed under `callID`) is written. */
function written(simCallID, callID = simCallID) {
  return until(async () => (await cdrsOf(callID)).find((c) => c.simCallID === simCallID), { what: `the CDR of ${simCallID}` });
}

const T0 = Date.UTC(2025, 0, 2, 10, 0, 0, 400);

/** A reported call: inbound, answered after 5.2 s, 60.4 s of talk, 12.4 s held, agent hung up. */
function call(fields = {}) {
  return {
    callID: crypto.randomUUID(),
    direction: 'inbound',
    customerNumber: '+971501234567',
    startedAt: T0,
    answeredAt: T0 + 5200,
    endedAt: T0 + 65600,
    hangupBy: 'agent',
    holdMs: 12400,
    ...fields,
  };
}

async function report(body) {
  return content(await api('POST', '/__control/calls', { auth: 'none', json: body }));
}

async function configure(body) {
  return content(await api('POST', '/__control/config', { auth: 'none', json: body }));
}

describe('GET /agents/channels/calls (the agent\'s recent calls)', () => {
  const ends = (list) => list.map((c) => c.endRawTime);

  test('the logged-in agent\'s CDRs, newest first, fetchStart=0&fetchStop=6 by default', async () => {
    const list = content(await api('GET', AGENT_CALLS));
    assert.equal(list.length, 6);
    assert.deepEqual(list.map((c) => c.id), [120, 117, 114, 111, 108, 105]);
    assert.ok(list.every((c) => c.agentCCLogin === '1001'));
    assert.deepEqual(ends(list), [...ends(list)].sort((a, b) => b - a));
    // login's agent is the one listed.
    assert.equal(content(await api('POST', '/auth/login', { auth: 'none', json: TEST_USER })).ccLogin, '1001');
    assert.deepEqual(content(await api('GET', `${AGENT_CALLS}?fetchStart=0&fetchStop=6`)), list);
  });

  test('fetchStart/fetchStop slice [fetchStart, fetchStop) of the list', async () => {
    const all = content(await api('GET', `${AGENT_CALLS}?fetchStart=0&fetchStop=50`));
    assert.equal(all.length, 40); // 120 seeded CDRs, one in three is agent 1001's
    assert.deepEqual(ends(all), [...ends(all)].sort((a, b) => b - a));
    assert.deepEqual(content(await api('GET', `${AGENT_CALLS}?fetchStart=2&fetchStop=4`)), all.slice(2, 4));
    assert.deepEqual(content(await api('GET', `${AGENT_CALLS}?fetchStart=38&fetchStop=60`)), all.slice(38));
    assert.deepEqual(content(await api('GET', `${AGENT_CALLS}?fetchStart=3&fetchStop=3`)), []);
    assert.deepEqual(content(await api('GET', `${AGENT_CALLS}?fetchStop=2`)), all.slice(0, 2));
    assert.deepEqual(content(await api('GET', `${AGENT_CALLS}?fetchStart=5`)), all.slice(5, 6));
  });

  test('bad fetchStart/fetchStop are 400', async () => {
    for (const q of ['fetchStart=-1', 'fetchStop=-1', 'fetchStart=x', 'fetchStop=1.5', 'fetchStart=5&fetchStop=4', 'fetchStart=7', 'fetchStop=51', 'fetchStart=10&fetchStop=61']) {
      refused(await api('GET', `${AGENT_CALLS}?${q}`), 400, /fetchStart|fetchStop|50/);
    }
    assert.equal(content(await api('GET', `${AGENT_CALLS}?fetchStart=10&fetchStop=60`)).length, 30);
  });

  test('access_token only', async () => {
    refused(await api('GET', AGENT_CALLS, { auth: 'none' }), 401, /^Unauthorized$/);
    refused(await api('GET', AGENT_CALLS, { auth: 'key' }), 401, /^Unauthorized$/);
    refused(await api('GET', AGENT_CALLS, { auth: 'none', headers: { access_token: 'wrong' } }), 401, /^Unauthorized$/);
  });

  test('other agents\' calls are left out; ties in end time go to the higher id', async () => {
    const end = Math.floor(Date.now() / 1000);
    const cdr = (callID, agentCCLogin) =>
      api('POST', '/__control/cdrs', { auth: 'none', json: { callID, agentCCLogin, endRawTime: end, endDateTime: new Date(end * 1000).toISOString() } });
    const mine1 = content(await cdr('mine-1', '1001'));
    content(await cdr('theirs', '1002'));
    const mine2 = content(await cdr('mine-2', '1001'));
    const list = content(await api('GET', `${AGENT_CALLS}?fetchStop=3`));
    assert.deepEqual(list.map((c) => c.callID), ['mine-2', 'mine-1', content(await api('GET', '/callHistory/120')).callID]);
    assert.deepEqual([list[0].id, list[1].id], [mine2.id, mine1.id]);
  });
});

describe('CDRs of the calls the web phone ends (/__control/calls, /__control/config)', () => {
  test('config: defaults, changes, validation; reset restores it', async () => {
    const defaults = { cdrDelayMs: 3000, cdrCallId: 'call' };
    assert.deepEqual(content(await api('GET', '/__control/config', { auth: 'none' })), defaults);
    assert.deepEqual(await configure({ cdrDelayMs: 0 }), { cdrDelayMs: 0, cdrCallId: 'call' });
    assert.deepEqual(await configure({ cdrCallId: 'primary' }), { cdrDelayMs: 0, cdrCallId: 'primary' });
    assert.deepEqual(await configure({ cdrDelayMs: null, cdrCallId: 'other' }), { cdrDelayMs: null, cdrCallId: 'other' });
    assert.deepEqual(await configure({}), { cdrDelayMs: null, cdrCallId: 'other' });
    assert.deepEqual(content(await api('GET', '/__control/config', { auth: 'none' })), { cdrDelayMs: null, cdrCallId: 'other' });
    for (const body of [{ cdrDelayMs: -1 }, { cdrDelayMs: 600001 }, { cdrDelayMs: 1.5 }, { cdrDelayMs: '5' }, { cdrCallId: 'x' }, { cdrCallId: null }, { delay: 1 }, []]) {
      refused(await api('POST', '/__control/config', { auth: 'none', json: body }), 400);
    }
    refused(await api('POST', '/__control/config', { auth: 'none', body: 'cdrDelayMs=1', type: 'application/x-www-form-urlencoded' }), 400, /application\/json/);
    assert.deepEqual(await configure({ cdrDelayMs: 600000 }), { cdrDelayMs: 600000, cdrCallId: 'other' });
    content(await api('POST', '/__control/reset', { auth: 'none' }));
    assert.deepEqual(content(await api('GET', '/__control/config', { auth: 'none' })), defaults);
    // The JS handle too.
    assert.deepEqual(server.configure({ cdrDelayMs: 5 }), { cdrDelayMs: 5, cdrCallId: 'call' });
    assert.throws(() => server.configure({ cdrCallId: 'nope' }), /cdrCallId/);
    server.reset();
    assert.deepEqual(content(await api('GET', '/__control/config', { auth: 'none' })), defaults);
  });

  test('the CDR is written cdrDelayMs after the report, not before', async () => {
    const delay = 300;
    await configure({ cdrDelayMs: delay });
    const c = call();
    const t0 = Date.now();
    assert.deepEqual(await report(c), { scheduled: true, delayMs: delay });
    assert.deepEqual(await cdrsOf(c.callID), [], 'not written at once');
    await written(c.callID);
    assert.ok(Date.now() - t0 >= delay - 5, `written after ${Date.now() - t0} ms`);
    // The default delay is 3 s: answered at once, written later.
    server.reset();
    assert.deepEqual(server.reportCall(call()), { scheduled: true, delayMs: 3000 });
  });

  test('an answered inbound call the agent hung up: ANSWER, originatee, a recording', async () => {
    await configure({ cdrDelayMs: 0 });
    const c = call({ primaryCallID: 'p-1' });
    const before = Date.now();
    await report(c);
    const cdr = await written(c.callID);
    const { createdAt, updatedAt, callFlows, ...rest } = cdr;
    assert.deepEqual(
      Object.fromEntries(Object.entries(rest).filter(([k]) => !['channelName', 'position', 'gateway', 'callLegSide', 'status', 'version', 'extendedInfo', 'audioQuality'].includes(k))),
      {
        id: 121,
        callID: c.callID,
        simCallID: c.callID,
        direction: 'inbound',
        callerIDNumber: '+971501234567',
        callerIDName: '+971501234567',
        didCalled: DID,
        startDateTime: '2025-01-02T10:00:00.400Z',
        answeredDateTime: '2025-01-02T10:00:05.600Z',
        endDateTime: '2025-01-02T10:01:06.000Z',
        startRawTime: Math.floor(T0 / 1000),
        answeredRawTime: Math.floor((T0 + 5200) / 1000),
        endRawTime: (T0 + 65600) / 1000,
        duration: 66, // 65.6 s
        holdTime: 12, // 12.4 s
        disposition: 'ANSWER',
        hangupCause: 'NORMAL_CLEARING',
        hangupBy: 'originatee',
        recordingFile: `${c.callID}.mp3`,
        agentCCLogin: '1001',
      }
    );
    assert.equal(cdr.audioQuality, '100');
    assert.equal(cdr.position, '1001');
    assert.equal(cdr.gateway, 'external');
    assert.ok(Date.parse(createdAt) >= before - 1000 && createdAt === updatedAt, createdAt);
    assert.equal(callFlows.length, 1);
    assert.equal(callFlows[0].callID, c.callID);
    assert.equal(callFlows[0].extensionNumber, DID);
    // Served like any other CDR.
    assert.deepEqual(content(await api('GET', '/callHistory/121')), cdr);
    assert.deepEqual(content(await api('GET', `${AGENT_CALLS}?fetchStop=1`)), [cdr], 'the newest of the agent\'s calls');
    const rec = await api('GET', `/surveillance/recordings/${c.callID}.mp3`);
    assert.equal(rec.status, 200);
    assert.equal(rec.headers.get('content-type'), 'audio/mpeg');
    assert.ok(rec.buf.includes(Buffer.from(c.callID, 'latin1')));
  });

  test('hangupBy, disposition and hangupCause for each way a call ends', async () => {
    await configure({ cdrDelayMs: 0 });
    const cases = [
      // [reported fields, hangupBy, disposition, hangupCause]
      [{ direction: 'inbound', hangupBy: 'customer' }, 'originator', 'ANSWER', 'NORMAL_CLEARING'],
      [{ direction: 'inbound', hangupBy: 'customer', answeredAt: null }, 'originator', 'NO ANSWER', 'NO_ANSWER'], // missed
      [{ direction: 'inbound', hangupBy: 'agent', answeredAt: null }, 'originatee', 'NO ANSWER', 'CALL_REJECTED'], // rejected
      [{ direction: 'outbound', hangupBy: 'agent' }, 'originator', 'ANSWER', 'NORMAL_CLEARING'],
      [{ direction: 'outbound', hangupBy: 'customer' }, 'originatee', 'ANSWER', 'NORMAL_CLEARING'],
      [{ direction: 'outbound', hangupBy: 'agent', answeredAt: null }, 'originator', 'NO ANSWER', 'NO_ANSWER'], // cancelled
      [{ direction: 'internal', hangupBy: 'customer' }, 'originator', 'ANSWER', 'NORMAL_CLEARING'],
      [{ direction: 'service', hangupBy: 'agent', answeredAt: null }, 'originatee', 'NO ANSWER', 'CALL_REJECTED'],
    ];
    for (const [fields, hangupBy, disposition, hangupCause] of cases) {
      const c = call(fields);
      await report(c);
      const cdr = await written(c.callID);
      const what = JSON.stringify(fields);
      assert.deepEqual([cdr.hangupBy, cdr.disposition, cdr.hangupCause], [hangupBy, disposition, hangupCause], what);
      assert.equal(cdr.direction, fields.direction, what);
      const answered = fields.answeredAt !== null;
      assert.equal(cdr.recordingFile, answered ? `${c.callID}.mp3` : null, what);
      assert.equal(cdr.answeredDateTime, answered ? '2025-01-02T10:00:05.600Z' : null, what);
      assert.equal(cdr.answeredRawTime, answered ? Math.floor((T0 + 5200) / 1000) : null, what);
      assert.equal((await api('GET', `/surveillance/recordings/${c.callID}.mp3`)).status, answered ? 200 : 404, what);
      if (fields.direction === 'outbound') {
        assert.deepEqual([cdr.callerIDNumber, cdr.callerIDName, cdr.didCalled], [DID, DID, '+971501234567'], what);
      } else {
        assert.deepEqual([cdr.callerIDNumber, cdr.callerIDName], ['+971501234567', '+971501234567'], what);
      }
    }
  });

  test('ccLogin: another agent\'s call is not among the logged-in agent\'s recent calls', async () => {
    await configure({ cdrDelayMs: 0 });
    const now = Date.now();
    const theirs = call({ ccLogin: '1002', startedAt: now - 2000, answeredAt: null, endedAt: now, hangupBy: 'customer', holdMs: 0 });
    const mine = call({ startedAt: now - 3000, answeredAt: now - 2500, endedAt: now - 1000, holdMs: 0 });
    await report(theirs);
    await report(mine);
    assert.equal((await written(theirs.callID)).agentCCLogin, '1002');
    const cdr = await written(mine.callID);
    assert.equal(cdr.agentCCLogin, '1001');
    assert.equal(cdr.duration, 2);
    assert.equal(cdr.holdTime, 0);
    // Newest first: the call that just ended leads, the other agent's is left out.
    const recent = content(await api('GET', AGENT_CALLS));
    assert.deepEqual(recent[0], cdr);
    assert.ok(!recent.some((c) => c.simCallID === theirs.callID));
  });

  test('cdrDelayMs null: never written (a later call with delay 0 is)', async () => {
    await configure({ cdrDelayMs: null });
    const never = call();
    assert.deepEqual(await report(never), { scheduled: false, delayMs: null });
    await configure({ cdrDelayMs: 0 });
    const later = call();
    assert.deepEqual(await report(later), { scheduled: true, delayMs: 0 });
    await written(later.callID);
    assert.deepEqual(await cdrsOf(never.callID), []);
    assert.ok(!content(await api('GET', `${AGENT_CALLS}?fetchStop=50`)).some((c) => c.simCallID === never.callID));
  });

  test('cdrCallId "primary": a leg is filed under its primaryCallID (its own id without one)', async () => {
    await configure({ cdrDelayMs: 0, cdrCallId: 'primary' });
    const primary = crypto.randomUUID();
    const leg = call({ primaryCallID: primary, direction: 'outbound' });
    const alone = call();
    await report(leg);
    await report(alone);
    const cdr = await written(leg.callID, primary);
    assert.equal(cdr.callID, primary);
    assert.equal(cdr.simCallID, leg.callID);
    assert.equal(cdr.recordingFile, `${primary}.mp3`);
    assert.equal(cdr.callFlows[0].callID, primary);
    assert.equal((await api('GET', `/surveillance/recordings/${primary}.mp3`)).status, 200);
    assert.deepEqual(await cdrsOf(leg.callID), []);
    assert.equal((await written(alone.callID)).callID, alone.callID);
  });

  test('cdrCallId "other": a fresh callID, found only among the agent\'s recent calls', async () => {
    await configure({ cdrDelayMs: 0, cdrCallId: 'other' });
    const now = Date.now();
    const c = call({ primaryCallID: 'prim-1', startedAt: now - 1000, answeredAt: now - 500, endedAt: now });
    await report(c);
    const cdr = await until(async () => content(await api('GET', AGENT_CALLS)).find((x) => x.simCallID === c.callID), { what: 'the CDR' });
    assert.match(cdr.callID, UUID);
    assert.ok(cdr.callID !== c.callID && cdr.callID !== 'prim-1');
    assert.equal(cdr.recordingFile, `${cdr.callID}.mp3`);
    assert.deepEqual(await cdrsOf(c.callID), []);
    assert.deepEqual(await cdrsOf('prim-1'), []);
    assert.deepEqual(await cdrsOf(cdr.callID), [cdr]);
  });

  test('reset cancels CDRs not written yet', async () => {
    await configure({ cdrDelayMs: 150 });
    const cancelled = call();
    await report(cancelled);
    content(await api('POST', '/__control/reset', { auth: 'none' }));
    // A call reported after the reset, written later than the cancelled one would have been
    // (timers fire in order): once it is there, the cancelled one's time has passed.
    await configure({ cdrDelayMs: 200 });
    const kept = call();
    await report(kept);
    const cdr = await written(kept.callID);
    assert.equal(cdr.id, 121, 'ids start over after the reset, and only one CDR was added');
    assert.deepEqual(await cdrsOf(cancelled.callID), []);
  });

  test('bad reports are 400', async () => {
    const c = call();
    for (const body of [
      { ...c, callID: undefined },
      { ...c, callID: 'has space' },
      { ...c, callID: 'x'.repeat(65) },
      { ...c, primaryCallID: 'a/b' },
      { ...c, direction: 'sideways' },
      { ...c, direction: undefined },
      { ...c, customerNumber: 5 },
      { ...c, startedAt: undefined },
      { ...c, startedAt: 'now' },
      { ...c, endedAt: T0 - 1 },
      { ...c, answeredAt: T0 - 1 },
      { ...c, answeredAt: T0 + 70000 },
      { ...c, hangupBy: 'nobody' },
      { ...c, holdMs: -1 },
      { ...c, ccLogin: 'a b' },
      { ...c, extra: 1 },
    ]) {
      refused(await api('POST', '/__control/calls', { auth: 'none', json: body }), 400);
    }
    refused(await api('POST', '/__control/calls', { auth: 'none' }), 400, /callID/);
    refused(await api('POST', '/__control/calls', { auth: 'none', body: JSON.stringify(c), type: 'text/plain' }), 400, /application\/json/);
    assert.throws(() => server.reportCall({ ...c, direction: 'x' }), /direction/);
    // Optional fields may be left out: holdMs 0, answeredAt null, no number.
    await configure({ cdrDelayMs: 0 });
    const bare = { callID: 'bare-1', direction: 'inbound', startedAt: T0, endedAt: T0 + 1000, hangupBy: 'customer' };
    await report(bare);
    const cdr = await written('bare-1');
    assert.deepEqual([cdr.holdTime, cdr.disposition, cdr.callerIDNumber, cdr.agentCCLogin], [0, 'NO ANSWER', null, '1001']);
  });
});

describe('request log timing', () => {
  test('entries carry receivedAt and finishedAt, so overlapping requests show', async () => {
    server.fail({ mode: 'slow:150', path: '/callHistory/1' });
    const slow = api('GET', '/callHistory/1');
    await until(() => server.requests().length === 1, { what: 'the slow request to arrive' });
    const inFlight = server.requests()[0];
    assert.equal(inFlight.finishedAt, null, 'unanswered yet');
    await api('GET', '/callHistory/2');
    await slow;
    await until(() => server.requests().every((r) => r.finishedAt !== null), { what: 'both to finish' });
    const [a, b] = server.requests();
    for (const r of [a, b]) {
      assert.equal(typeof r.receivedAt, 'number');
      assert.ok(r.finishedAt >= r.receivedAt);
      assert.equal(Date.parse(r.time), r.receivedAt);
    }
    assert.ok(a.finishedAt - a.receivedAt >= 140, `the slow one took ${a.finishedAt - a.receivedAt} ms`);
    // b came and went while a was in flight.
    assert.ok(b.receivedAt >= a.receivedAt && b.finishedAt <= a.finishedAt);
    // Same over HTTP.
    const log = content(await api('GET', '/__control/requests', { auth: 'none' }));
    assert.deepEqual(log.map((r) => [r.receivedAt, r.finishedAt]), [[a.receivedAt, a.finishedAt], [b.receivedAt, b.finishedAt]]);
  });

  test('a dropped request finishes when its connection closes', async () => {
    server.fail({ mode: 'drop' });
    await api('GET', '/callHistory/2').catch(() => {});
    const [r] = await until(() => (server.requests()[0]?.finishedAt != null ? server.requests() : null), { what: 'finishedAt' });
    assert.ok(r.finishedAt >= r.receivedAt);
  });
});

describe('call tracker webhook examples', () => {
  test('the two webhook payloads of the seed', () => {
    const ex = callTrackerWebhookExamples();
    assert.deepEqual(ex.startCall.request.fields, { didCalled: '061234567' });
    assert.equal(ex.startCall.request.urlencoded, 'didCalled=061234567');
    assert.equal(ex.startCall.request.headers['X-API-Key'], 'some-random-uuid-comes-here');
    assert.deepEqual(ex.startCall.response, {
      result: true,
      content: { didCalled: '061234567', rules: [{ action: 'call', number: '0505874603', callerID: '042789926', timeout: 10 }] },
      info: {},
    });
    const cdr = ex.endCall.request.body;
    assert.equal(ex.endCall.request.headers['Content-Type'], 'application/json');
    assert.equal(cdr.callID, SEED_CALL_ID);
    assert.equal(cdr.id, '46:5196');
    assert.equal(cdr.duration, 28);
    assert.equal(cdr.extendedInfo.numbers.linkType, 'callTracker');
    assert.equal(cdr.callFlows.length, 1);
    assert.equal(cdr.callFlows[0].step, 1);
    assert.deepEqual(ex.endCall.response, { result: true, content: {}, info: {} });
    // Fresh copies: changing one does not change the next.
    cdr.callFlows.push({});
    ex.startCall.response.content.rules.length = 0;
    const again = callTrackerWebhookExamples();
    assert.equal(again.endCall.request.body.callFlows.length, 1);
    assert.equal(again.startCall.response.content.rules.length, 1);
  });

  test('the seed CDR served at /callHistory/46 is the end-call webhook body (numeric id)', async () => {
    const served = content(await api('GET', '/callHistory/46'));
    assert.deepEqual({ ...served, id: '46:5196' }, callTrackerWebhookExamples().endCall.request.body);
  });
});

describe('command line', () => {
  test('--port, --token and --api-key; prints the URL; bad arguments exit 2', async () => {
    const script = fileURLToPath(new URL('../scripts/api-server.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, '--port', '0', '--token=cli-token', '--api-key', 'cli-key'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c) => {
          out += c;
          const m = /on (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
          if (m) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      assert.equal((await fetch(`${url}/callHistory/1`, { headers: { access_token: 'cli-token' } })).status, 200);
      assert.equal((await fetch(`${url}/callHistory/1`, { headers: { access_token: TOKEN } })).status, 401);
      const r = await fetch(`${url}/integrations/cti/agents/1001/login`, { method: 'POST', headers: { api_key: 'cli-key' } });
      assert.equal(r.status, 200);
    } finally {
      child.kill();
    }
    for (const args of [['--nope'], ['--port', 'x'], ['--token']]) {
      const code = await new Promise((resolve) => spawn(process.execPath, [script, ...args], { stdio: 'ignore' }).once('exit', resolve));
      assert.equal(code, 2, args.join(' '));
    }
  });
});
