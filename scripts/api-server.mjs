#!/usr/bin/env node
// Dependency-free loopback stand-in for the ZIWO REST API (`https://<cc>-api.aswat.co`), for
// the REST client's tests and the demo. ZIWO itself is not reachable from here; this server
// answers each route the way `shared/ziwo-contract.md` (sections 5 and 6) and the seed
// document it, and is stricter than ZIWO where strictness proves something about the client.
//
//   node scripts/api-server.mjs [--port 47882] [--host 127.0.0.1] [--token test-access-token] [--api-key test-api-key]
//
// prints the URL and keeps running. Tests import `startApiServer` instead.
//
// What it enforces (docs/api-routes.md is the user-facing table):
// - every JSON answer is the envelope {result, content, info}; errors are result:false with
//   info.message;
// - agents' routes need the header `access_token: <token>`, CTI routes the header
//   `api_key: <key>`, admins' routes (call trackers, whispering) either (401 otherwise);
//   credentials in the URL (query or path) or in a body are refused with 400, so a client
//   that leaks them fails its tests;
// - bodies: JSON routes need `Content-Type: application/json`, form routes
//   `application/x-www-form-urlencoded`; unknown, missing or invalid fields give 400;
// - CORS for pages on other loopback origins, and `Cross-Origin-Resource-Policy: cross-origin`
//   (the wasm-bindgen test page is cross-origin isolated);
// - failures on demand and a request log through /__control/ (see CONTROL below), which the
//   client never calls.

import http from 'node:http';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_PORT = 47882;
export const DEFAULT_TOKEN = 'test-access-token';
export const DEFAULT_API_KEY = 'test-api-key';
/** The one account `POST /auth/login` accepts. */
export const TEST_USER = Object.freeze({ username: 'agent@example.com', password: 'secret' });

const MAX_BODY = 1 << 20;
const STATUSES = [-1, 0, 1, 2, 3, 4]; // contract 6: retrying, logged out, available, break, meeting, outgoing
const WHISPER = ['agent', 'both', 'none'];
// Query keys that carry credentials. Any of them in a URL is refused (400).
const CREDENTIAL_KEYS = new Set(['access_token', 'accesstoken', 'api_key', 'apikey', 'x-api-key', 'token', 'password', 'authorization']);

// Auth kinds of a route.
const NONE = 'none';
const TOKEN = 'access_token';
const KEY = 'api_key';
// Seed, "Admin API": admins' APIs take "the access token based authentication or even ... the
// API key based authentication". Used for the routes the seed marks ADMIN.
const ADMIN = 'access_token|api_key';

// Body kinds of a route. `?` = the body may be empty.
const NO_BODY = 'none'; // empty body (or `{}` / an empty form), anything else is 400
const JSON_BODY = 'json';
const JSON_OPT = 'json?';
const FORM = 'form';
const FORM_OPT = 'form?';
const JSON_OR_FORM = 'json|form';

// ---------------------------------------------------------------------------------------------
// THE ROUTE TABLE. Paths exactly as ZIWO names them; `{x}` matches one path segment (decoded).
// Source of each row: "seed" (shared/seed, ZIWO's developer portal), "contract"
// (shared/ziwo-contract.md from core-front / public integrations / the Android SDK), or
// "assumed" (the seed names the operation but gives no path or fields).
// Order matters where patterns overlap: the first row whose method and path match wins.
// ---------------------------------------------------------------------------------------------
const ROUTES = [
  // [method, path, auth, body kind, handler], // source
  ['POST', '/auth/login', NONE, JSON_OR_FORM, login], // contract (core-front JSON, Android form)

  ['GET', '/callHistory/', TOKEN, NO_BODY, listCdrs], // contract (public integrations: ?callID=&limit=&skip=)
  ['GET', '/callHistory/{id}', TOKEN, NO_BODY, getCdr], // seed ("Call History")
  ['GET', '/surveillance/recordings/{callID}.mp3', TOKEN, NO_BODY, getRecording], // seed ("Fetch Recordings", "Fetch Voicemail")
  ['GET', '/agents/channels/calls', TOKEN, NO_BODY, agentCalls], // contract §6 (ZIWO's Zendesk extension: ?fetchStart=0&fetchStop=6)

  ['POST', '/integrations/cti/agents/call/{number}', TOKEN, JSON_BODY, adminClickToCall], // contract (core-front, {roamingOnly})
  ['POST', '/integrations/cti/agents/{ccLogin}/call/{number}', KEY, JSON_OPT, ctiClickToCall], // contract (public integrations; notes: seed release notes v1.4.1)
  ['POST', '/integrations/cti/agents/{ccLogin}/login', KEY, NO_BODY, ctiLogin], // assumed (seed names "Agent login")
  ['PUT', '/integrations/cti/agents/{ccLogin}/status', KEY, JSON_BODY, ctiStatus], // assumed (seed "Agent change status"; codes: contract)
  ['POST', '/integrations/cti/agents/{ccLogin}/logout', KEY, NO_BODY, ctiLogout], // assumed (seed "Agent logout")
  ['POST', '/integrations/cti/ivrs/{ivr}/call/{number}', KEY, JSON_OPT, ctiClickToIvr], // assumed (seed "Click to IVR")

  ['POST', '/live/calls/eavesdrop/{agentId}', ADMIN, FORM_OPT, createEavesdrop], // seed ("Call Whispering")
  ['PUT', '/live/calls/eavesdrop/{callID}', ADMIN, FORM, updateEavesdrop], // seed ("Call Whispering")

  ['GET', '/admin/callTrackers/', ADMIN, NO_BODY, listTrackers], // seed ("Get Call Trackers")
  ['GET', '/admin/callTrackers/logs', ADMIN, NO_BODY, trackerLogs], // seed ("Get Call Tracker Request Logs")
  ['GET', '/admin/callTrackers/{id}', ADMIN, NO_BODY, getTracker], // seed ("Get Call Tracker")
  ['POST', '/admin/callTrackers', ADMIN, FORM, createTracker], // seed ("Create Call Tracker")
  ['PUT', '/admin/callTrackers/{id}', ADMIN, FORM, updateTracker], // seed ("Update Call Tracker")
  ['PUT', '/admin/callTrackers/{idOrName}/block', ADMIN, NO_BODY, blockTracker], // seed ("Block Call Tracker")
  ['PUT', '/admin/callTrackers/{idOrName}/unblock', ADMIN, NO_BODY, unblockTracker], // seed ("Unblock Call Tracker")
  ['PUT', '/admin/callTrackers/{id}/test', ADMIN, NO_BODY, testTracker], // seed ("Test Call Tracker")
  ['DELETE', '/admin/callTrackers/{idOrName}', ADMIN, NO_BODY, deleteTracker], // seed ("Delete Call Tracker")

  ['GET', '/customers/profiles/search', TOKEN, NO_BODY, searchProfiles], // assumed (seed "Search")
  ['POST', '/customers/profiles', TOKEN, JSON_BODY, entityCreate('profiles')], // assumed (seed "Create a profile")
  ['PUT', '/customers/profiles/{id}', TOKEN, JSON_BODY, entityUpdate('profiles')], // assumed (seed "Update profile info")
  ['DELETE', '/customers/profiles/{id}', TOKEN, NO_BODY, entityDelete('profiles')], // assumed (seed "Delete a profile")
  ['POST', '/customers/addresses', TOKEN, JSON_BODY, entityCreate('addresses')], // assumed (seed "Add an address entity")
  ['PUT', '/customers/addresses/{id}', TOKEN, JSON_BODY, entityUpdate('addresses')], // assumed (seed "Update an address entity")
  ['DELETE', '/customers/addresses/{id}', TOKEN, NO_BODY, entityDelete('addresses')], // assumed (seed "Delete an address entity")
  ['POST', '/customers/numbers', TOKEN, JSON_BODY, entityCreate('numbers')], // assumed (seed "Add a number entity")
  ['DELETE', '/customers/numbers/{id}', TOKEN, NO_BODY, entityDelete('numbers')], // assumed (seed "Delete a number entity")
  ['POST', '/customers/socialAccounts', TOKEN, JSON_BODY, entityCreate('socialAccounts')], // assumed (seed "Add a social account entity")
  ['PUT', '/customers/socialAccounts/{id}', TOKEN, JSON_BODY, entityUpdate('socialAccounts')], // assumed (seed "Update a social account entity")
  ['DELETE', '/customers/socialAccounts/{id}', TOKEN, NO_BODY, entityDelete('socialAccounts')], // assumed (seed "Delete a social account entity")
  ['PUT', '/customers/profiles/{id}/addresses/{addressId}', TOKEN, NO_BODY, link('addresses')], // assumed (seed "Link address")
  ['DELETE', '/customers/profiles/{id}/addresses/{addressId}', TOKEN, NO_BODY, unlink('addresses')], // assumed (seed "Unlink address")
  ['PUT', '/customers/profiles/{id}/numbers/{numberId}', TOKEN, NO_BODY, link('numbers')], // assumed (seed "Link number")
  ['DELETE', '/customers/profiles/{id}/numbers/{numberId}', TOKEN, NO_BODY, unlink('numbers')], // assumed (seed "Unlink number")
  ['PUT', '/customers/profiles/{id}/socialAccounts/{socialAccountId}', TOKEN, NO_BODY, link('socialAccounts')], // assumed (seed "Link social account")
  ['DELETE', '/customers/profiles/{id}/socialAccounts/{socialAccountId}', TOKEN, NO_BODY, unlink('socialAccounts')], // assumed (seed "Unlink social account")
].map(([method, pattern, auth, body, handler]) => ({ method, pattern, auth, body, handler, regex: compile(pattern) }));

/** The route table as data (method, path, auth, body kind), e.g. for docs and tests. */
export function apiRoutes() {
  return ROUTES.map(({ method, pattern, auth, body }) => ({ method, path: pattern, auth, body }));
}

function compile(pattern) {
  const names = [];
  const source = pattern
    .split(/(\{[A-Za-z]+\})/)
    .map((part) => {
      const m = /^\{([A-Za-z]+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]);
      return '([^/]+?)';
    })
    .join('');
  return { re: new RegExp(`^${source}$`), names };
}

function matchRoute(method, pathname) {
  const m = method === 'HEAD' ? 'GET' : method;
  for (const route of ROUTES) {
    if (route.method !== m) continue;
    const hit = route.regex.re.exec(pathname);
    if (!hit) continue;
    const params = {};
    try {
      route.regex.names.forEach((name, i) => (params[name] = decodeURIComponent(hit[i + 1])));
    } catch {
      throw new HttpError(400, 'malformed path');
    }
    if (Object.values(params).some((v) => v === '' || v.includes('/'))) continue;
    return { route, params };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Errors and envelopes
// ---------------------------------------------------------------------------------------------
class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}
const bad = (message) => new HttpError(400, message);
const notFound = (message) => new HttpError(404, message);

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Cache-Control': 'no-store',
  // No keep-alive: Chromium silently retries a request whose *reused* connection closes
  // without an answer, which would turn the "drop" failure into a success.
  Connection: 'close',
};
const PREFLIGHT = {
  ...CORS,
  'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE',
  'Access-Control-Allow-Headers': 'access_token, api_key, content-type',
  'Access-Control-Max-Age': '600',
};

function sendRaw(res, status, headers, body) {
  if (res.writableEnded || res.destroyed) return;
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { ...CORS, ...headers, 'Content-Length': buf.length });
  res.end(buf);
}

function sendJson(res, status, envelope) {
  sendRaw(res, status, { 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify(envelope));
}

const ok = (content, info = {}) => ({ result: true, content, info });
const refusal = (message) => ({ result: false, content: {}, info: { message } });

// ---------------------------------------------------------------------------------------------
// Seed data (deterministic). `freshState()` builds it; reset restores it.
// ---------------------------------------------------------------------------------------------
const CDR_COUNT = 120;
const AGENTS = ['1001', '1002', '1003'];
// The agent `login` answers for: the one whose recent calls /agents/channels/calls lists.
const LOGGED_IN_AGENT = '1001';
const DID = '+97144000000';
const SEED_CALL_ID = 'fdf893f5-ff46-44a9-ac63-7491e7b09dce';
const SEED_EAVESDROP_CALL_ID = 'e0a89fd6-f0da-481e-9372-622e6eb09ec2';

/** Deterministic UUID-shaped id from a label. */
function fakeUuid(label) {
  const h = crypto.createHash('sha1').update(String(label)).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const iso = (unix) => new Date(unix * 1000).toISOString();

// The seed's end-call webhook CDR ("Call Trackers (examples)", POST End call example), verbatim.
function seedEndCallCdr() {
  return {
    callID: SEED_CALL_ID,
    answeredRawTime: 1468150607,
    hangupBy: 'originatee',
    audioQuality: '100',
    duration: 28,
    createdAt: '2016-07-10T11:37:03.944Z',
    callerIDName: '044508146',
    recordingFile: `${SEED_CALL_ID}.mp3`,
    direction: 'inbound',
    updatedAt: '2016-07-10T11:37:03.944Z',
    callerIDNumber: '044508146',
    endRawTime: 1468150623,
    endDateTime: '2016-07-10T11:37:03.000Z',
    holdTime: 0,
    startRawTime: 1468150595,
    callLegSide: 'unknown',
    hangupCause: 'NORMAL_CLEARING',
    disposition: 'ANSWER',
    agentCCLogin: 'unknown',
    startDateTime: '2016-07-10T11:36:35.000Z',
    answeredDateTime: '2016-07-10T11:36:47.000Z',
    didCalled: '061234567',
    channelName: 'sofia/internal/[email protected]',
    position: '0505874603',
    gateway: 'external',
    status: 'active',
    id: '46:5196',
    version: '3',
    extendedInfo: {
      numbers: {
        createdAt: '2016-07-10T06:24:20.420Z',
        linkData: 'callTracker-01',
        didDisplay: '061234567',
        didCalled: '061234567',
        linkType: 'callTracker',
        did: '061234567',
        updatedAt: '2016-07-10T08:11:07.086Z',
        status: 'active',
        id: '19:8278',
        version: '44',
      },
    },
    callFlows: [
      {
        callID: SEED_CALL_ID,
        transfered: false,
        extensionName: 'general_incoming',
        createdAt: '2016-07-10T11:37:03.953Z',
        extensionNumber: '061234567',
        step: 1,
        hangup: true,
        updatedAt: '2016-07-10T11:37:03.953Z',
        status: 'active',
        id: '50:2071',
        version: '2',
      },
    ],
  };
}

/**
 * The two call-tracker webhooks of the seed ("Call Trackers (examples)"): what ZIWO sends to
 * the integrator's start/end URLs and what it expects back. A fresh deep copy on each call.
 * The seed's start-call response is cut off after the first rule; it is closed here with
 * `]}, "info": {}}`. The seed gives no end-call response; `{result: true, content: {}, info: {}}`
 * is assumed. The seed's curl sends the start call as multipart form data (`--form`); the
 * contract says "form": `urlencoded` is given too.
 */
export function callTrackerWebhookExamples() {
  return {
    startCall: {
      request: {
        method: 'POST',
        path: '/callTrackers/example/startCall',
        headers: { 'X-API-Key': 'some-random-uuid-comes-here' },
        contentType: 'multipart/form-data',
        fields: { didCalled: '061234567' },
        urlencoded: 'didCalled=061234567',
      },
      response: {
        result: true,
        content: {
          didCalled: '061234567',
          rules: [{ action: 'call', number: '0505874603', callerID: '042789926', timeout: 10 }],
        },
        info: {},
      },
    },
    endCall: {
      request: {
        method: 'POST',
        path: '/callTrackers/example/endCall',
        headers: { 'X-API-Key': 'some-random-uuid-comes-here', 'Content-Type': 'application/json' },
        contentType: 'application/json',
        body: seedEndCallCdr(),
      },
      response: { result: true, content: {}, info: {} },
    },
  };
}

function makeCdr(i) {
  const callID = fakeUuid(`cdr-${i}`);
  const direction = ['inbound', 'outbound', 'inbound', 'outbound', 'internal'][i % 5];
  const answered = i % 7 !== 0;
  const busy = !answered && i % 14 === 0;
  const voicemail = !answered && !busy && direction === 'inbound';
  const agent = AGENTS[i % AGENTS.length];
  const customer = i === CDR_COUNT ? '+971501234567' : `+9715${String(10000000 + ((i * 7919) % 89999999)).padStart(8, '0')}`;
  const start = Date.UTC(2024, 4, 1, 8) / 1000 + (i - 1) * 45 * 60;
  const ring = 3 + (i % 9);
  const talk = answered ? 20 + ((i * 37) % 400) : voicemail ? 12 : 0;
  const end = start + ring + talk;
  const stamp = iso(end).replace('.000Z', '.250Z');
  const inbound = direction === 'inbound';
  return {
    id: i,
    callID,
    answeredRawTime: answered ? start + ring : null,
    hangupBy: answered ? (i % 2 ? 'originator' : 'originatee') : 'originator',
    audioQuality: answered ? '100' : '0',
    duration: end - start,
    createdAt: stamp,
    callerIDName: inbound ? customer : `Agent ${agent}`,
    recordingFile: answered || voicemail ? `${callID}.mp3` : null,
    direction,
    updatedAt: stamp,
    callerIDNumber: inbound ? customer : direction === 'internal' ? agent : DID,
    endRawTime: end,
    endDateTime: iso(end),
    holdTime: answered && i % 5 === 0 ? 10 + (i % 20) : 0,
    startRawTime: start,
    callLegSide: 'unknown',
    hangupCause: answered ? 'NORMAL_CLEARING' : busy ? 'USER_BUSY' : 'NO_ANSWER',
    disposition: answered ? 'ANSWER' : busy ? 'BUSY' : 'NO ANSWER',
    agentCCLogin: agent,
    startDateTime: iso(start),
    answeredDateTime: answered ? iso(start + ring) : null,
    didCalled: inbound ? DID : direction === 'internal' ? AGENTS[(i + 1) % AGENTS.length] : customer,
    channelName: `sofia/internal/${agent}@wayne-enterprise.aswat.co`,
    position: agent,
    gateway: direction === 'internal' ? 'internal' : 'external',
    status: 'active',
    version: '1',
    extendedInfo: {},
    callFlows: [
      {
        callID,
        transfered: false,
        extensionName: inbound ? 'general_incoming' : direction === 'internal' ? 'internal' : 'outbound',
        createdAt: stamp,
        extensionNumber: inbound ? DID : customer,
        step: 1,
        hangup: true,
        updatedAt: stamp,
        status: 'active',
        id: `50:${2000 + i}`,
        version: '1',
      },
    ],
  };
}

function seedCdrs() {
  const cdrs = [];
  for (let i = 1; i <= CDR_COUNT; i++) {
    // CDR 46 is the seed's own example (its URL is `/callHistory/46`), with a numeric id like
    // every CDR of this server (the seed's webhook CDR carries the record id "46:5196").
    cdrs.push(i === 46 ? { ...seedEndCallCdr(), id: 46 } : makeCdr(i));
  }
  return cdrs;
}

const TRACKER_FIELDS = [
  'name',
  'startRequestURL',
  'startRequestAPIKey',
  'startRequestTimeout',
  'endRequestURL',
  'endRequestAPIKey',
  'endRequestTimeout',
  'welcomePlayback',
  'errorPlayback',
];

function seedTrackers() {
  const at = '2016-07-01T09:00:00.000Z';
  return [
    {
      id: 1,
      name: 'CT',
      startRequestURL: 'http://127.0.0.1:7000/callTrackers/example/startCall',
      endRequestURL: 'http://127.0.0.1:7000/callTrackers/example/endCall',
      startRequestAPIKey: null,
      endRequestAPIKey: null,
      startRequestTimeout: null,
      endRequestTimeout: null,
      welcomePlayback: null,
      errorPlayback: null,
      status: 'active',
      createdAt: at,
      updatedAt: at,
    },
    {
      id: 2,
      name: 'calltracker-01',
      startRequestURL: 'https://ct.example.com/start.php',
      endRequestURL: 'https://ct.example.com:8080/end.php',
      startRequestAPIKey: 'some-random-uuid-comes-here',
      endRequestAPIKey: 'some-random-uuid-comes-here',
      startRequestTimeout: 10000,
      endRequestTimeout: 10000,
      welcomePlayback: null,
      errorPlayback: null,
      status: 'active',
      createdAt: at,
      updatedAt: at,
    },
  ];
}

function seedTrackerLogs(trackers) {
  const logs = [];
  for (let i = 1; i <= 40; i++) {
    const tracker = trackers[i % 2 === 1 ? 0 : 1];
    const type = Math.ceil(i / 2) % 2 === 1 ? 'start' : 'end';
    const failed = i % 9 === 0;
    logs.push({
      id: i,
      callTrackerID: tracker.id,
      callTrackerName: tracker.name,
      callID: fakeUuid(`ct-log-${Math.ceil(i / 4)}`),
      type,
      requestURL: type === 'start' ? tracker.startRequestURL : tracker.endRequestURL,
      statusCode: failed ? 504 : 200,
      responseTime: failed ? 10000 : 80 + ((i * 13) % 300),
      error: failed ? 'ETIMEDOUT' : null,
      createdAt: iso(Date.UTC(2016, 6, 10, 8) / 1000 + i * 3600 * 7),
    });
  }
  return logs;
}

// CRM customers (CDB): assumed fields. Each kind: the fields a create/update may carry
// (all strings, null clears on update), and the check a create must pass.
const ENTITY = {
  profiles: {
    label: 'Profile',
    fields: ['firstName', 'lastName', 'email', 'gender', 'company', 'notes'],
    create: (b) => {
      if (!b.firstName && !b.lastName) throw bad('firstName or lastName is required');
    },
  },
  addresses: {
    label: 'Address',
    fields: ['label', 'street', 'city', 'state', 'postalCode', 'country'],
    create: (b) => {
      if (!['street', 'city', 'state', 'postalCode', 'country'].some((k) => b[k])) {
        throw bad('an address needs at least one of street, city, state, postalCode, country');
      }
    },
  },
  numbers: {
    label: 'Number',
    fields: ['number', 'label'],
    create: (b) => {
      if (!b.number) throw bad('number is required');
    },
  },
  socialAccounts: {
    label: 'Social account',
    fields: ['network', 'handle', 'url'],
    create: (b) => {
      if (!b.network) throw bad('network is required');
      if (!b.handle) throw bad('handle is required');
    },
  },
};

function seedCustomers() {
  const at = '2024-04-01T10:00:00.000Z';
  const stamp = (o) => ({ ...o, createdAt: at, updatedAt: at });
  const c = {
    profiles: new Map(),
    addresses: new Map(),
    numbers: new Map(),
    socialAccounts: new Map(),
    nextId: { profiles: 3, addresses: 3, numbers: 4, socialAccounts: 2 },
  };
  c.profiles.set(1, stamp({ id: 1, firstName: 'Selina', lastName: 'Kyle', email: 'selina@kyle-imports.example', gender: 'female', company: 'Kyle Imports', notes: null, links: { addresses: [1], numbers: [1], socialAccounts: [1] } }));
  c.profiles.set(2, stamp({ id: 2, firstName: 'Lucius', lastName: 'Fox', email: 'lucius@fox-engineering.example', gender: 'male', company: 'Fox Engineering', notes: null, links: { addresses: [2], numbers: [2, 3], socialAccounts: [] } }));
  c.addresses.set(1, stamp({ id: 1, label: 'home', street: '12 Marina Walk', city: 'Dubai', state: null, postalCode: null, country: 'AE' }));
  c.addresses.set(2, stamp({ id: 2, label: 'office', street: '1 Wayne Tower', city: 'Gotham', state: 'NJ', postalCode: '07001', country: 'US' }));
  c.numbers.set(1, stamp({ id: 1, number: '+971501234567', label: 'mobile' }));
  c.numbers.set(2, stamp({ id: 2, number: '+15550100199', label: 'office' }));
  c.numbers.set(3, stamp({ id: 3, number: '+15550100100', label: 'mobile' }));
  c.socialAccounts.set(1, stamp({ id: 1, network: 'twitter', handle: '@selina', url: null }));
  return c;
}

function freshState() {
  const trackers = seedTrackers();
  return {
    cdrs: seedCdrs(),
    trackers,
    nextTrackerId: 3,
    trackerLogs: seedTrackerLogs(trackers),
    agents: new Map(AGENTS.map((a) => [a, 0])), // ccLogin -> status (0 logged out)
    eavesdrops: new Map([[SEED_EAVESDROP_CALL_ID, { agentId: '5555', positionName: null, whisper: 'none' }]]),
    customers: seedCustomers(),
  };
}

// A short, valid MP3: an ID3v2.3 tag whose title is the call id (so a test can tell which
// recording it got) followed by 20 silent MPEG-1 Layer III frames (32 kbit/s, 44.1 kHz, mono;
// 104 bytes each, about half a second).
function mp3For(callID) {
  const text = Buffer.from(`\0${callID}`, 'latin1');
  const frame = Buffer.alloc(10);
  frame.write('TIT2', 0, 'latin1');
  frame.writeUInt32BE(text.length, 4);
  const tagBody = Buffer.concat([frame, text]);
  const size = tagBody.length;
  const header = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, (size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]);
  const audioFrame = Buffer.alloc(104);
  audioFrame.set([0xff, 0xfb, 0x10, 0xc0]);
  return Buffer.concat([header, tagBody, ...Array(20).fill(audioFrame)]);
}

// ---------------------------------------------------------------------------------------------
// Request helpers
// ---------------------------------------------------------------------------------------------
function mediaType(req) {
  return String(req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
}

/** Reads the body as declared by the route; returns a plain object of fields. */
function parseBody(req, text, kind) {
  const type = mediaType(req);
  const empty = text.trim() === '';
  if (kind === NO_BODY) {
    if (empty) return {};
    if (type === 'application/json') {
      let v;
      try {
        v = JSON.parse(text);
      } catch {
        throw bad('this route takes no body (and the body is not valid JSON)');
      }
      if (isPlainObject(v) && Object.keys(v).length === 0) return {};
    }
    throw bad('this route takes no body');
  }
  if (empty && (kind === JSON_OPT || kind === FORM_OPT)) return {};
  const wantsJson = kind === JSON_BODY || kind === JSON_OPT || (kind === JSON_OR_FORM && type === 'application/json');
  const wantsForm = kind === FORM || kind === FORM_OPT || (kind === JSON_OR_FORM && type === 'application/x-www-form-urlencoded');
  if (wantsJson) {
    if (type !== 'application/json') throw bad(`expected Content-Type: application/json, got ${type || 'none'}`);
    let v;
    try {
      v = JSON.parse(text);
    } catch {
      throw bad('body is not valid JSON');
    }
    if (!isPlainObject(v)) throw bad('body must be a JSON object');
    return v;
  }
  if (wantsForm) {
    if (type !== 'application/x-www-form-urlencoded') {
      throw bad(`expected Content-Type: application/x-www-form-urlencoded, got ${type || 'none'}`);
    }
    const out = {};
    for (const [k, v] of new URLSearchParams(text)) {
      if (Object.hasOwn(out, k)) throw bad(`duplicate field "${k}"`);
      out[k] = v;
    }
    return out;
  }
  throw bad(`expected Content-Type: application/json or application/x-www-form-urlencoded, got ${type || 'none'}`);
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function onlyFields(body, allowed) {
  for (const k of Object.keys(body)) {
    if (!allowed.includes(k)) throw bad(`unknown field "${k}"`);
  }
}

function optionalString(body, key, { max = 1000 } = {}) {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw bad(`${key} must be a string`);
  if (v.length > max) throw bad(`${key} is longer than ${max} characters`);
  return v;
}

/** Reads query parameter `key` as an integer in [min, max], `dflt` when absent or empty. */
function intParam(query, key, dflt, min, max) {
  const raw = query.get(key);
  if (raw === null || raw === '') return dflt;
  if (!/^-?\d+$/.test(raw)) throw bad(`${key} must be an integer`);
  const n = Number(raw);
  if (n < min || n > max) throw bad(`${key} must be between ${min} and ${max}`);
  return n;
}

function pageOf(items, query) {
  const limit = intParam(query, 'limit', 50, 1, 50);
  const skip = intParam(query, 'skip', 0, 0, Number.MAX_SAFE_INTEGER);
  return items.slice(skip, skip + limit);
}

const PHONE = /^\+?\d+$/; // core-front's number check

function checkNumber(number) {
  if (!PHONE.test(number)) throw bad(`invalid number "${number}" (expected ^\\+?\\d+$)`);
  return number;
}

function checkAgent(state, ccLogin) {
  if (!state.agents.has(ccLogin)) throw notFound(`Agent ${ccLogin} not found`);
}

function checkNotes(body) {
  onlyFields(body, ['notes']);
  optionalString(body, 'notes', { max: 4096 });
}

// ---------------------------------------------------------------------------------------------
// Handlers: (ctx) => content | {status, content} | {raw: {status, headers, body}}.
// ctx = {state, params, query, body, server}.
// ---------------------------------------------------------------------------------------------
function login({ body, server }) {
  onlyFields(body, ['username', 'password']);
  if (typeof body.username !== 'string' || body.username === '') throw bad('username is required');
  if (typeof body.password !== 'string' || body.password === '') throw bad('password is required');
  if (body.username !== TEST_USER.username || body.password !== TEST_USER.password) {
    return { status: 200, envelope: refusal('Invalid credentials') };
  }
  return {
    access_token: server.token,
    id: 7,
    username: TEST_USER.username,
    firstName: 'Ada',
    lastName: 'Agent',
    type: 'agent',
    ccLogin: LOGGED_IN_AGENT,
    contactCenterName: 'wayne-enterprise',
  };
}

function listCdrs({ state, query }) {
  const callID = query.get('callID');
  let cdrs = [...state.cdrs].sort((a, b) => b.id - a.id); // newest first
  if (callID) cdrs = cdrs.filter((c) => c.callID === callID);
  return pageOf(cdrs, query);
}

/** A CDR's end time in ms for sorting: endRawTime (seconds), else endDateTime, else 0. */
function cdrEndMs(cdr) {
  if (typeof cdr.endRawTime === 'number' && Number.isFinite(cdr.endRawTime)) return cdr.endRawTime * 1000;
  const ms = typeof cdr.endDateTime === 'string' ? Date.parse(cdr.endDateTime) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/** A CDR's end time in ms as precisely as it says (endDateTime has ms), for ties within a second. */
function cdrEndPreciseMs(cdr) {
  const ms = typeof cdr.endDateTime === 'string' ? Date.parse(cdr.endDateTime) : NaN;
  return Number.isNaN(ms) ? cdrEndMs(cdr) : ms;
}

// The logged-in agent's recent calls, newest first (by end time, then id), sliced
// [fetchStart, fetchStop): fetchStop is an index here (the Zendesk extension asks 0..6 for
// six calls), unlike the call-tracker logs' page size.
function agentCalls({ state, query }) {
  const fetchStart = intParam(query, 'fetchStart', 0, 0, Number.MAX_SAFE_INTEGER);
  const fetchStop = intParam(query, 'fetchStop', 6, 0, Number.MAX_SAFE_INTEGER);
  if (fetchStop < fetchStart) throw bad('fetchStop must not be less than fetchStart');
  if (fetchStop - fetchStart > 50) throw bad('at most 50 calls at once (fetchStop - fetchStart <= 50)');
  return state.cdrs
    .filter((c) => c.agentCCLogin === LOGGED_IN_AGENT)
    .sort((a, b) => cdrEndMs(b) - cdrEndMs(a) || cdrEndPreciseMs(b) - cdrEndPreciseMs(a) || cdrIdNumber(b) - cdrIdNumber(a))
    .slice(fetchStart, fetchStop);
}

function cdrIdNumber(cdr) {
  return typeof cdr.id === 'number' ? cdr.id : 0;
}

function getCdr({ state, params }) {
  const cdr = /^\d+$/.test(params.id) ? state.cdrs.find((c) => c.id === Number(params.id)) : undefined;
  if (!cdr) throw notFound(`CDR ${params.id} not found`);
  return cdr;
}

function getRecording({ state, params }) {
  const cdr = state.cdrs.find((c) => c.recordingFile && c.recordingFile === `${params.callID}.mp3`);
  if (!cdr) throw notFound(`Recording ${params.callID}.mp3 not found`);
  return { raw: { status: 200, headers: { 'Content-Type': 'audio/mpeg' }, body: mp3For(params.callID) } };
}

function adminClickToCall({ params, body }) {
  checkNumber(params.number);
  onlyFields(body, ['roamingOnly']);
  if (typeof body.roamingOnly !== 'boolean') throw bad('roamingOnly must be a boolean');
  return { callID: crypto.randomUUID() };
}

function ctiClickToCall({ state, params, body }) {
  checkAgent(state, params.ccLogin);
  checkNumber(params.number);
  checkNotes(body);
  return { callID: crypto.randomUUID() };
}

function ctiClickToIvr({ params, body }) {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(params.ivr)) throw bad(`invalid IVR "${params.ivr}"`);
  checkNumber(params.number);
  checkNotes(body);
  return { callID: crypto.randomUUID() };
}

function ctiLogin({ state, params }) {
  checkAgent(state, params.ccLogin);
  state.agents.set(params.ccLogin, 1);
  return { ccLogin: params.ccLogin, status: 1 };
}

function ctiLogout({ state, params }) {
  checkAgent(state, params.ccLogin);
  state.agents.set(params.ccLogin, 0);
  return { ccLogin: params.ccLogin, status: 0 };
}

function ctiStatus({ state, params, body }) {
  checkAgent(state, params.ccLogin);
  onlyFields(body, ['status']);
  if (!STATUSES.includes(body.status)) throw bad(`status must be one of ${STATUSES.join(', ')}`);
  state.agents.set(params.ccLogin, body.status);
  return { ccLogin: params.ccLogin, status: body.status };
}

function createEavesdrop({ state, params, body }) {
  if (!/^\d+$/.test(params.agentId)) throw bad(`invalid agentId "${params.agentId}"`);
  onlyFields(body, ['positionName']);
  const positionName = optionalString(body, 'positionName', { max: 100 }) || null;
  const callID = crypto.randomUUID();
  state.eavesdrops.set(callID, { agentId: params.agentId, positionName, whisper: 'none' });
  return { callID };
}

function updateEavesdrop({ state, params, body }) {
  onlyFields(body, ['whisper']);
  if (!WHISPER.includes(body.whisper)) throw bad(`whisper must be one of ${WHISPER.join(', ')}`);
  const call = state.eavesdrops.get(params.callID);
  if (!call) throw notFound(`Eavesdrop call ${params.callID} not found`);
  call.whisper = body.whisper;
  return {};
}

// Call trackers ---------------------------------------------------------------------------------
function findTracker(state, idOrName, { byName = true } = {}) {
  const t = /^\d+$/.test(idOrName)
    ? state.trackers.find((x) => x.id === Number(idOrName))
    : byName
      ? state.trackers.find((x) => x.name === idOrName)
      : undefined;
  if (!t) throw notFound(`Call tracker ${idOrName} not found`);
  return t;
}

const TRACKER_ORDER = ['id', 'name', 'status', 'createdAt', 'updatedAt', 'startRequestURL', 'endRequestURL'];

function listTrackers({ state, query }) {
  let list = [...state.trackers];
  const search = (query.get('search') || '').toLowerCase();
  if (search) list = list.filter((t) => t.name.toLowerCase().includes(search));
  const order = query.get('order') || '';
  if (order) {
    const desc = order.startsWith('~');
    const key = desc ? order.slice(1) : order;
    if (!TRACKER_ORDER.includes(key)) throw bad(`cannot order by "${key}" (one of ${TRACKER_ORDER.join(', ')}, ~ for descending)`);
    list.sort((a, b) => {
      const x = a[key] ?? '';
      const y = b[key] ?? '';
      // Code-unit order (not the locale's), so results do not depend on the machine.
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
      return desc ? -c : c;
    });
  }
  return pageOf(list, query);
}

function getTracker({ state, params }) {
  return findTracker(state, params.id, { byName: false });
}

/** Validates tracker form fields into typed values (null for an empty value). */
function trackerFields(body) {
  onlyFields(body, TRACKER_FIELDS);
  const out = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === '') {
      out[k] = null;
    } else if (k.endsWith('Timeout')) {
      if (!/^\d+$/.test(v) || Number(v) > 600000) throw bad(`${k} must be a number of milliseconds (0..600000)`);
      out[k] = Number(v);
    } else if (k.endsWith('URL')) {
      let u;
      try {
        u = new URL(v);
      } catch {
        throw bad(`${k} must be an http(s) URL`);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw bad(`${k} must be an http(s) URL`);
      out[k] = v;
    } else {
      if (v.length > 200) throw bad(`${k} is longer than 200 characters`);
      out[k] = v;
    }
  }
  if (out.name !== undefined && out.name !== null && /^\d+$/.test(out.name)) {
    throw bad('name must not be a number (it would be read as an id)');
  }
  return out;
}

function checkTrackerName(state, name, self) {
  if (state.trackers.some((t) => t.name === name && t !== self)) throw bad(`a call tracker named "${name}" already exists`);
}

function createTracker({ state, body }) {
  const f = trackerFields(body);
  if (!f.name) throw bad('name is required');
  if (!f.startRequestURL) throw bad('startRequestURL is required');
  checkTrackerName(state, f.name);
  const now = new Date().toISOString();
  const tracker = { id: state.nextTrackerId++ };
  for (const k of TRACKER_FIELDS) tracker[k] = f[k] ?? null;
  Object.assign(tracker, { status: 'active', createdAt: now, updatedAt: now });
  state.trackers.push(tracker);
  return tracker;
}

function updateTracker({ state, params, body }) {
  const tracker = findTracker(state, params.id, { byName: false });
  const f = trackerFields(body);
  if (Object.keys(f).length === 0) throw bad('nothing to update');
  if ('name' in f) {
    if (!f.name) throw bad('name cannot be empty');
    checkTrackerName(state, f.name, tracker);
  }
  if ('startRequestURL' in f && !f.startRequestURL) throw bad('startRequestURL cannot be empty');
  Object.assign(tracker, f, { updatedAt: new Date().toISOString() });
  return {};
}

function blockTracker({ state, params }) {
  findTracker(state, params.idOrName).status = 'blocked';
  return {};
}

function unblockTracker({ state, params }) {
  findTracker(state, params.idOrName).status = 'active';
  return {};
}

function deleteTracker({ state, params }) {
  const t = findTracker(state, params.idOrName);
  state.trackers.splice(state.trackers.indexOf(t), 1);
  return {};
}

function testTracker({ state, params }) {
  findTracker(state, params.id, { byName: false });
  return {};
}

/** `2016-07-10` (a whole day) or a full ISO timestamp. Returns [startMs, endMs]. */
function dateBound(query, key) {
  const raw = query.get(key);
  if (raw === null || raw === '') return null;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const ms = Date.parse(day ? `${raw}T00:00:00Z` : raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(ms)) throw bad(`${key} must be a date (YYYY-MM-DD) or an ISO timestamp`);
  return [ms, day ? ms + 86400000 - 1 : ms];
}

function trackerLogs({ state, query }) {
  if (query.has('callTrackers')) throw bad('use repeated callTrackers[] parameters for tracker ids');
  const ids = query.getAll('callTrackers[]').filter((v) => v !== '');
  for (const id of ids) if (!/^\d+$/.test(id)) throw bad(`callTrackers[] must be tracker ids, got "${id}"`);
  const from = dateBound(query, 'fromDate');
  const to = dateBound(query, 'toDate');
  const fetchStart = intParam(query, 'fetchStart', 0, 0, Number.MAX_SAFE_INTEGER);
  // The seed: "fetchStop ... is the number of records to fetch per page" (a count, not an index).
  const fetchStop = intParam(query, 'fetchStop', 50, 1, 1000);
  let rows = [...state.trackerLogs].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  if (ids.length) rows = rows.filter((r) => ids.includes(String(r.callTrackerID)));
  if (from) rows = rows.filter((r) => Date.parse(r.createdAt) >= from[0]);
  if (to) rows = rows.filter((r) => Date.parse(r.createdAt) <= to[1]);
  return rows.slice(fetchStart, fetchStart + fetchStop);
}

// CRM customers ---------------------------------------------------------------------------------
function entityId(state, kind, raw) {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  const e = state.customers[kind].get(n);
  if (!e) throw notFound(`${ENTITY[kind].label} ${raw} not found`);
  return e;
}

function entityFields(kind, body, { update = false } = {}) {
  const spec = ENTITY[kind];
  onlyFields(body, spec.fields);
  const out = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === null && update) {
      out[k] = null;
      continue;
    }
    if (typeof v !== 'string') throw bad(`${k} must be a string${update ? ' or null' : ''}`);
    if (v.length > 1000) throw bad(`${k} is longer than 1000 characters`);
    out[k] = v;
  }
  if (typeof out.number === 'string') checkNumber(out.number);
  if (typeof out.email === 'string' && out.email && !/^[^@\s]+@[^@\s]+$/.test(out.email)) throw bad('email is not an email address');
  if (update && (out.number === null || out.network === null || out.handle === null)) throw bad('required fields cannot be cleared');
  return out;
}

/** A profile as the API shows it: linked entities embedded. */
function viewProfile(c, p) {
  const { links, ...rest } = p;
  return {
    ...rest,
    addresses: links.addresses.map((id) => c.addresses.get(id)),
    numbers: links.numbers.map((id) => c.numbers.get(id)),
    socialAccounts: links.socialAccounts.map((id) => c.socialAccounts.get(id)),
  };
}

function view(c, kind, e) {
  return kind === 'profiles' ? viewProfile(c, e) : e;
}

function entityCreate(kind) {
  return function create({ state, body }) {
    const c = state.customers;
    const f = entityFields(kind, body);
    ENTITY[kind].create(f);
    const now = new Date().toISOString();
    const e = { id: c.nextId[kind]++ };
    for (const k of ENTITY[kind].fields) e[k] = f[k] ?? null;
    Object.assign(e, { createdAt: now, updatedAt: now });
    if (kind === 'profiles') e.links = { addresses: [], numbers: [], socialAccounts: [] };
    c[kind].set(e.id, e);
    return view(c, kind, e);
  };
}

function entityUpdate(kind) {
  return function update({ state, params, body }) {
    const c = state.customers;
    const e = entityId(state, kind, params.id);
    const f = entityFields(kind, body, { update: true });
    if (Object.keys(f).length === 0) throw bad('nothing to update');
    if (kind === 'profiles' && !{ ...e, ...f }.firstName && !{ ...e, ...f }.lastName) throw bad('a profile needs firstName or lastName');
    Object.assign(e, f, { updatedAt: new Date().toISOString() });
    return view(c, kind, e);
  };
}

function entityDelete(kind) {
  return function del({ state, params }) {
    const c = state.customers;
    const e = entityId(state, kind, params.id);
    c[kind].delete(e.id);
    if (kind !== 'profiles') {
      for (const p of c.profiles.values()) p.links[kind] = p.links[kind].filter((id) => id !== e.id);
    }
    return {};
  };
}

/** The second id of a link/unlink path: `{addressId}`, `{numberId}` or `{socialAccountId}`. */
function linkedId(params) {
  return params.addressId ?? params.numberId ?? params.socialAccountId;
}

function link(kind) {
  return function doLink({ state, params }) {
    const c = state.customers;
    const p = entityId(state, 'profiles', params.id);
    const e = entityId(state, kind, linkedId(params));
    if (!p.links[kind].includes(e.id)) p.links[kind].push(e.id);
    return viewProfile(c, p);
  };
}

function unlink(kind) {
  return function doUnlink({ state, params }) {
    const c = state.customers;
    const p = entityId(state, 'profiles', params.id);
    const e = entityId(state, kind, linkedId(params));
    if (!p.links[kind].includes(e.id)) throw notFound(`${ENTITY[kind].label} ${e.id} is not linked to profile ${p.id}`);
    p.links[kind] = p.links[kind].filter((id) => id !== e.id);
    return viewProfile(c, p);
  };
}

function searchProfiles({ state, query }) {
  const c = state.customers;
  const q = (query.get('q') || '').trim().toLowerCase();
  const qDigits = /^[+\d\s().-]+$/.test(q) ? q.replace(/\D/g, '') : '';
  const hits = [...c.profiles.values()].filter((p) => {
    if (!q) return true;
    const name = `${p.firstName || ''} ${p.lastName || ''}`.toLowerCase();
    if (name.includes(q)) return true;
    return qDigits !== '' && p.links.numbers.some((id) => c.numbers.get(id).number.replace(/\D/g, '').includes(qDigits));
  });
  return pageOf(hits, query).map((p) => viewProfile(c, p));
}

// ---------------------------------------------------------------------------------------------
// CONTROL API (for tests; the client never calls it; no auth; CORS like every route):
//   POST /__control/fail      JSON {mode, path?, times?}  arms the next `times` (default 1)
//                             requests whose path starts with `path` (default: any) to fail.
//                             mode: "500" | "401" | "403" | "result-false" | "non-json" |
//                                   "slow:<ms>" | "drop"
//   POST /__control/reset     clears armed failures and the request log, restores seed data
//   GET  /__control/requests  every request received (except /__control/ ones), oldest first;
//                             `?path=<prefix>` filters
//   POST /__control/cdrs      JSON partial CDR with at least `callID`: adds a CDR (defaults
//                             filled; answered, with a recording, unless said otherwise), e.g.
//                             for the demo's last call
//   POST /__control/calls     JSON: a call the web phone (simulator) ended, as ZIWO's server
//                             would see it: {callID, primaryCallID?, direction, customerNumber?,
//                             startedAt, answeredAt (null: never answered), endedAt (ms since
//                             epoch), hangupBy: "agent" | "customer", holdMs?, ccLogin?}.
//                             Its CDR is written `cdrDelayMs` later (ZIWO writes it after the
//                             bye, not at once); answers at once {scheduled, delayMs}
//   POST /__control/config    JSON {cdrDelayMs?: 0..600000 | null (never written), cdrCallId?:
//                             "call" | "primary" | "other"}: how /__control/calls writes CDRs
//                             (defaults 3000 and "call"; see CDR_CONFIG); answers the config
//   GET  /__control/config    the config
// reset also restores the config and cancels CDRs not written yet. The request log's entries
// carry receivedAt and finishedAt (ms since epoch; finishedAt null while unanswered), so a test
// can tell which requests overlapped.
// ---------------------------------------------------------------------------------------------
const MODES = /^(500|401|403|result-false|non-json|drop|slow:\d{1,6})$/;

function armFailure(server, body) {
  if (!isPlainObject(body)) throw bad('body must be a JSON object');
  onlyFields(body, ['mode', 'path', 'times']);
  if (typeof body.mode !== 'string' || !MODES.test(body.mode)) {
    throw bad('mode must be one of "500", "401", "403", "result-false", "non-json", "slow:<ms>", "drop"');
  }
  const p = body.path ?? '';
  if (typeof p !== 'string') throw bad('path must be a string');
  const times = body.times ?? 1;
  if (!Number.isInteger(times) || times < 1) throw bad('times must be a positive integer');
  const armed = { mode: body.mode, path: p, times };
  server.failures.push(armed);
  return { ...armed };
}

function addCdr(server, body) {
  if (!isPlainObject(body)) throw bad('body must be a JSON object');
  if (typeof body.callID !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(body.callID)) throw bad('callID is required');
  const state = server.state;
  const id = nextCdrId(state);
  const base = makeCdr(id);
  const cdr = { ...base, recordingFile: `${body.callID}.mp3`, ...body, id };
  cdr.callFlows = body.callFlows ?? base.callFlows.map((f) => ({ ...f, callID: body.callID }));
  state.cdrs.push(cdr);
  return cdr;
}

function nextCdrId(state) {
  return Math.max(0, ...state.cdrs.map(cdrIdNumber)) + 1;
}

// How reported calls become CDRs. cdrDelayMs: how long after the report the CDR appears
// (null: never); cdrCallId: which callID it carries: "call" the call's own, "primary" its
// primaryCallID when it has one (a transfer leg filed under the first call), "other" a fresh
// one (only the agent's recent calls can find it then).
const CDR_CONFIG = Object.freeze({ cdrDelayMs: 3000, cdrCallId: 'call' });
const CDR_CALL_ID_MODES = ['call', 'primary', 'other'];
const CALL_DIRECTIONS = ['inbound', 'outbound', 'internal', 'service'];
const CALL_ID_RE = /^[A-Za-z0-9-]{1,64}$/;
const MAX_DELAY_MS = 600000;

function configure(server, body) {
  if (!isPlainObject(body)) throw bad('body must be a JSON object');
  onlyFields(body, ['cdrDelayMs', 'cdrCallId']);
  const next = { ...server.config };
  if (body.cdrDelayMs !== undefined) {
    const d = body.cdrDelayMs;
    if (d !== null && (!Number.isInteger(d) || d < 0 || d > MAX_DELAY_MS)) {
      throw bad(`cdrDelayMs must be an integer between 0 and ${MAX_DELAY_MS}, or null (never)`);
    }
    next.cdrDelayMs = d;
  }
  if (body.cdrCallId !== undefined) {
    if (!CDR_CALL_ID_MODES.includes(body.cdrCallId)) throw bad(`cdrCallId must be one of ${CDR_CALL_ID_MODES.join(', ')}`);
    next.cdrCallId = body.cdrCallId;
  }
  server.config = next;
  return { ...next };
}

const isTime = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Validates a reported call (POST /__control/calls); returns it with defaults filled. */
function checkCall(body) {
  if (!isPlainObject(body)) throw bad('body must be a JSON object');
  onlyFields(body, ['callID', 'primaryCallID', 'direction', 'customerNumber', 'startedAt', 'answeredAt', 'endedAt', 'hangupBy', 'holdMs', 'ccLogin']);
  if (typeof body.callID !== 'string' || !CALL_ID_RE.test(body.callID)) throw bad('callID is required ([A-Za-z0-9-]{1,64})');
  const primaryCallID = body.primaryCallID ?? null;
  if (primaryCallID !== null && (typeof primaryCallID !== 'string' || !CALL_ID_RE.test(primaryCallID))) {
    throw bad('primaryCallID must be a call id ([A-Za-z0-9-]{1,64})');
  }
  if (!CALL_DIRECTIONS.includes(body.direction)) throw bad(`direction must be one of ${CALL_DIRECTIONS.join(', ')}`);
  const customerNumber = body.customerNumber ?? null;
  if (customerNumber !== null && (typeof customerNumber !== 'string' || customerNumber.length > 64)) {
    throw bad('customerNumber must be a string of at most 64 characters');
  }
  if (!isTime(body.startedAt)) throw bad('startedAt must be a time in ms since the epoch');
  if (!isTime(body.endedAt)) throw bad('endedAt must be a time in ms since the epoch');
  if (body.endedAt < body.startedAt) throw bad('endedAt is before startedAt');
  const answeredAt = body.answeredAt ?? null;
  if (answeredAt !== null && (!isTime(answeredAt) || answeredAt < body.startedAt || answeredAt > body.endedAt)) {
    throw bad('answeredAt must be null or a time in ms between startedAt and endedAt');
  }
  if (body.hangupBy !== 'agent' && body.hangupBy !== 'customer') throw bad('hangupBy must be "agent" or "customer"');
  const holdMs = body.holdMs ?? 0;
  if (!isTime(holdMs)) throw bad('holdMs must be a non-negative number');
  const ccLogin = body.ccLogin ?? null;
  if (ccLogin !== null && (typeof ccLogin !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(ccLogin))) {
    throw bad('ccLogin must be an agent login ([A-Za-z0-9_.-]{1,64})');
  }
  return { ...body, primaryCallID, customerNumber, answeredAt, holdMs, ccLogin };
}

/** The CDR ZIWO's server would keep for a reported call (checkCall's output). */
function cdrOfCall(state, call, mode) {
  const id = nextCdrId(state);
  const base = makeCdr(id);
  const callID = mode === 'other' ? crypto.randomUUID() : mode === 'primary' && call.primaryCallID ? call.primaryCallID : call.callID;
  const answered = call.answeredAt !== null;
  const outbound = call.direction === 'outbound';
  const agent = call.ccLogin || LOGGED_IN_AGENT;
  const number = call.customerNumber;
  const secs = (ms) => Math.floor(ms / 1000);
  const isoMs = (ms) => new Date(Math.floor(ms)).toISOString();
  // Who hung up, in ZIWO's words: the side that placed the call is the originator (the
  // customer of an inbound call, the agent of an outbound one).
  const agentPlaced = outbound;
  const byOriginator = (call.hangupBy === 'agent') === agentPlaced;
  // The agent turned down a call that rang: rejected, not missed.
  const rejected = !answered && !outbound && call.hangupBy === 'agent';
  const now = new Date().toISOString();
  const didCalled = outbound ? number : call.direction === 'internal' ? agent : DID;
  return {
    ...base,
    id,
    callID,
    simCallID: call.callID,
    direction: call.direction,
    callerIDNumber: outbound ? DID : number,
    callerIDName: outbound ? DID : number,
    didCalled,
    startDateTime: isoMs(call.startedAt),
    answeredDateTime: answered ? isoMs(call.answeredAt) : null,
    endDateTime: isoMs(call.endedAt),
    startRawTime: secs(call.startedAt),
    answeredRawTime: answered ? secs(call.answeredAt) : null,
    endRawTime: secs(call.endedAt),
    duration: Math.round((call.endedAt - call.startedAt) / 1000),
    holdTime: Math.round(call.holdMs / 1000),
    disposition: answered ? 'ANSWER' : 'NO ANSWER',
    hangupCause: answered ? 'NORMAL_CLEARING' : rejected ? 'CALL_REJECTED' : 'NO_ANSWER',
    hangupBy: byOriginator ? 'originator' : 'originatee',
    audioQuality: answered ? '100' : '0',
    recordingFile: answered ? `${callID}.mp3` : null,
    agentCCLogin: agent,
    channelName: `sofia/internal/${agent}@wayne-enterprise.aswat.co`,
    position: agent,
    gateway: call.direction === 'internal' ? 'internal' : 'external',
    createdAt: now,
    updatedAt: now,
    callFlows: base.callFlows.map((f) => ({
      ...f,
      callID,
      extensionName: outbound ? 'outbound' : call.direction === 'internal' ? 'internal' : 'general_incoming',
      extensionNumber: outbound ? number : DID,
      createdAt: now,
      updatedAt: now,
    })),
  };
}

/** POST /__control/calls: schedules the CDR of a reported call (a reset cancels it). */
function reportCall(server, body) {
  const call = checkCall(body);
  const delayMs = server.config.cdrDelayMs;
  const mode = server.config.cdrCallId;
  if (delayMs === null) return { scheduled: false, delayMs };
  const generation = server.generation;
  server.sleep(delayMs).then(() => {
    if (server.generation !== generation) return; // reset since
    server.state.cdrs.push(cdrOfCall(server.state, call, mode));
  });
  return { scheduled: true, delayMs };
}

function logView(entry) {
  return structuredClone(entry);
}

async function handleControl(server, req, res, url, text) {
  const route = `${req.method} ${url.pathname}`;
  try {
    let body = {};
    if (req.method === 'POST' && text.trim() !== '') {
      if (mediaType(req) !== 'application/json') throw bad('expected Content-Type: application/json');
      try {
        body = JSON.parse(text);
      } catch {
        throw bad('body is not valid JSON');
      }
    }
    if (route === 'POST /__control/fail') return sendJson(res, 200, ok(armFailure(server, body)));
    if (route === 'POST /__control/reset') {
      server.reset();
      return sendJson(res, 200, ok({}));
    }
    if (route === 'GET /__control/requests') {
      const prefix = url.searchParams.get('path') || '';
      return sendJson(res, 200, ok(server.log.filter((r) => r.path.startsWith(prefix)).map(logView)));
    }
    if (route === 'POST /__control/cdrs') return sendJson(res, 200, ok(addCdr(server, body)));
    if (route === 'POST /__control/calls') return sendJson(res, 200, ok(reportCall(server, body)));
    if (route === 'POST /__control/config') return sendJson(res, 200, ok(configure(server, body)));
    if (route === 'GET /__control/config') return sendJson(res, 200, ok({ ...server.config }));
    throw notFound(`Not found: ${route}`);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    return sendJson(res, err.status, refusal(err.message));
  }
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------
/** Is a credential in the request target (query keys, or the token/key value anywhere)? */
function credentialsInUrl(server, req, url) {
  for (const key of url.searchParams.keys()) if (CREDENTIAL_KEYS.has(key.toLowerCase())) return true;
  let decoded = req.url;
  try {
    decoded = decodeURIComponent(req.url.replace(/\+/g, ' '));
  } catch {
    /* keep raw */
  }
  if ([server.token, server.apiKey].some((secret) => secret && (req.url.includes(secret) || decoded.includes(secret)))) return true;
  // Absolute-form request target with userinfo (http://user:pass@host/...).
  return /^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(req.url);
}

function authorised(server, req, auth) {
  if (auth === NONE) return true;
  const token = req.headers[TOKEN] === server.token;
  const key = req.headers[KEY] === server.apiKey;
  return auth === TOKEN ? token : auth === KEY ? key : token || key;
}

function takeFailure(server, pathname) {
  const i = server.failures.findIndex((f) => pathname.startsWith(f.path));
  if (i < 0) return null;
  const f = server.failures[i];
  f.times -= 1;
  if (f.times <= 0) server.failures.splice(i, 1);
  return f.mode;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c); // beyond it, drain and refuse at the end
    });
    req.on('end', () => {
      if (size > MAX_BODY) reject(new HttpError(413, 'body too large'));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

async function handle(server, req, res) {
  const receivedAt = Date.now();
  let url;
  try {
    url = new URL(req.url, 'http://localhost');
  } catch {
    return sendJson(res, 400, refusal('malformed URL'));
  }
  const text = await readBody(req);
  const isControl = url.pathname.startsWith('/__control/');
  if (!isControl) {
    const entry = {
      seq: server.log.length + 1,
      time: new Date(receivedAt).toISOString(),
      receivedAt,
      finishedAt: null,
      method: req.method,
      url: req.url,
      path: url.pathname,
      query: url.search.slice(1),
      params: paramsObject(url.searchParams),
      headers: { ...req.headers },
      body: text,
    };
    server.log.push(entry);
    // When the answer went out (or the connection died without one): with receivedAt, which
    // requests were in flight at the same time.
    const done = () => {
      if (entry.finishedAt === null) entry.finishedAt = Date.now();
    };
    if (res.writableFinished || res.destroyed) done();
    else {
      res.once('finish', done);
      res.once('close', done);
    }
  }

  // Preflights always succeed: a failed preflight is a network error to fetch, which would
  // hide the failure a test armed for the real request.
  if (req.method === 'OPTIONS') {
    res.writeHead(204, PREFLIGHT);
    return res.end();
  }
  if (isControl) return handleControl(server, req, res, url, text);

  const mode = takeFailure(server, url.pathname);
  if (mode) {
    if (mode === 'drop') return dropConnection(server, req.socket);
    if (mode === '500') {
      return sendRaw(res, 500, { 'Content-Type': 'text/html; charset=utf-8' }, '<html><body><h1>500 Internal Server Error</h1></body></html>');
    }
    if (mode === '401') return sendJson(res, 401, refusal('Unauthorized'));
    if (mode === '403') return sendJson(res, 403, refusal('Forbidden'));
    if (mode === 'result-false') return sendJson(res, 200, refusal('Refused by test'));
    if (mode === 'non-json') return sendRaw(res, 200, { 'Content-Type': 'application/json' }, '<html>oops</html>');
    if (mode.startsWith('slow:')) {
      await server.sleep(Number(mode.slice(5)));
      if (res.destroyed || res.writableEnded) return;
    }
  }

  try {
    if (credentialsInUrl(server, req, url)) throw bad('credentials in URL');
    const hit = matchRoute(req.method, url.pathname);
    if (!hit) throw notFound(`Not found: ${req.method} ${url.pathname}`);
    const { route, params } = hit;
    if (!authorised(server, req, route.auth)) return sendJson(res, 401, refusal('Unauthorized'));
    const body = parseBody(req, text, route.body);
    for (const k of Object.keys(body)) {
      if (CREDENTIAL_KEYS.has(k.toLowerCase()) && !(route.handler === login && k === 'password')) throw bad('credentials in body');
    }
    const out = route.handler({ state: server.state, params, query: url.searchParams, body, server });
    if (out && out.raw) return sendRaw(res, out.raw.status, out.raw.headers, out.raw.body);
    if (out && out.envelope) return sendJson(res, out.status, out.envelope);
    return sendJson(res, 200, ok(out));
  } catch (err) {
    if (err instanceof HttpError) return sendJson(res, err.status, refusal(err.message));
    throw err;
  }
}

/**
 * The "drop" failure: the connection dies without a response, which fetch reports as a
 * network error (TypeError). A bare close is not enough: Firefox silently resends a GET whose
 * connection closed before any byte came back (and Chromium one on a reused connection), so
 * the retry would succeed. Two bytes that start no valid status line, then a TCP reset, make
 * both browsers give up: data was received (no resend) and the reset is an error (no lenient
 * "the headers ended at EOF" parsing).
 */
function dropConnection(server, socket) {
  socket.write('HT', () => {
    server.sleep(30).then(() => {
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
    });
  });
}

function paramsObject(searchParams) {
  const out = {};
  for (const [k, v] of searchParams) (out[k] ??= []).push(v);
  return out;
}

/**
 * Starts the API server on loopback.
 * @param {object} [options]
 * @param {number} [options.port=0] 0 picks a free port
 * @param {string} [options.host='127.0.0.1']
 * @param {string} [options.token='test-access-token'] the `access_token` header agents' and admins' routes require
 * @param {string} [options.apiKey='test-api-key'] the `api_key` header CTI routes require
 * @returns {Promise<{url: string, port: number, token: string, apiKey: string,
 *   close: () => Promise<void>, requests: () => object[], reset: () => void,
 *   fail: (f: {mode: string, path?: string, times?: number}) => object,
 *   configure: (c: {cdrDelayMs?: number | null, cdrCallId?: 'call' | 'primary' | 'other'}) => object,
 *   reportCall: (call: object) => {scheduled: boolean, delayMs: number | null}}>} `url` has no
 *   trailing slash; `configure` and `reportCall` are POST /__control/config and /__control/calls
 */
export function startApiServer({ port = 0, host = '127.0.0.1', token = DEFAULT_TOKEN, apiKey = DEFAULT_API_KEY } = {}) {
  if (typeof token !== 'string' || token === '' || typeof apiKey !== 'string' || apiKey === '') {
    return Promise.reject(new Error('token and apiKey must be non-empty strings'));
  }
  const timers = new Set();
  const server = {
    token,
    apiKey,
    state: freshState(),
    failures: [],
    log: [],
    config: { ...CDR_CONFIG },
    generation: 0, // bumped by reset: CDRs scheduled before it are not written
    reset() {
      this.state = freshState();
      this.failures = [];
      this.log = [];
      this.config = { ...CDR_CONFIG };
      this.generation += 1;
    },
    sleep(ms) {
      return new Promise((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, ms);
        timers.add(t);
      });
    },
  };

  const http_ = http.createServer((req, res) => {
    handle(server, req, res).catch((err) => {
      if (err instanceof HttpError) return sendJson(res, err.status, refusal(err.message));
      console.error('api-server:', err);
      if (!res.headersSent) sendJson(res, 500, refusal('Internal error'));
      else res.destroy();
    });
  });

  return new Promise((resolve, reject) => {
    http_.once('error', reject);
    http_.listen(port, host, () => {
      http_.off('error', reject);
      const actual = http_.address().port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${actual}`,
        port: actual,
        token,
        apiKey,
        requests: () => server.log.map(logView),
        reset: () => server.reset(),
        fail: (f) => armFailure(server, f),
        configure: (c) => configure(server, c),
        reportCall: (call) => reportCall(server, call),
        close: () =>
          new Promise((done) => {
            for (const t of timers) clearTimeout(t);
            timers.clear();
            http_.close(() => done());
            http_.closeAllConnections?.();
          }),
      });
    });
  });
}

function parseArgs(argv) {
  const opts = { port: DEFAULT_PORT, host: '127.0.0.1', token: DEFAULT_TOKEN, apiKey: DEFAULT_API_KEY };
  const usage = 'usage: node scripts/api-server.mjs [--port 47882] [--host 127.0.0.1] [--token test-access-token] [--api-key test-api-key]';
  for (let i = 0; i < argv.length; i++) {
    const eq = argv[i].indexOf('=');
    const flag = eq < 0 ? argv[i] : argv[i].slice(0, eq);
    const value = () => {
      const v = eq < 0 ? argv[++i] : argv[i].slice(eq + 1);
      if (v === undefined) {
        console.error(`api-server: ${flag} needs a value`);
        process.exit(2);
      }
      return v;
    };
    if (flag === '--port') opts.port = Number(value());
    else if (flag === '--host') opts.host = value();
    else if (flag === '--token') opts.token = value();
    else if (flag === '--api-key') opts.apiKey = value();
    else if (flag === '--help' || flag === '-h') {
      console.log(usage);
      process.exit(0);
    } else {
      console.error(`api-server: unknown argument ${argv[i]}\n${usage}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    console.error('api-server: --port must be an integer between 0 and 65535');
    process.exit(2);
  }
  if (!opts.token || !opts.apiKey) {
    console.error('api-server: --token and --api-key must not be empty');
    process.exit(2);
  }
  return opts;
}

const runAsScript = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runAsScript) {
  const opts = parseArgs(process.argv.slice(2));
  const { url } = await startApiServer(opts);
  console.log(`ZIWO API stand-in on ${url}/ (access_token: ${opts.token}, api_key: ${opts.apiKey}, login: ${TEST_USER.username} / ${TEST_USER.password})`);
  console.log(`Control: POST ${url}/__control/fail {mode, path?, times?}, POST ${url}/__control/reset, GET ${url}/__control/requests, POST ${url}/__control/calls, GET|POST ${url}/__control/config`);
}
