// The REST client's facade (the `ziwo-webphone/full` entry): takes the page's arguments
// apart and does the fetch; the WebAssembly module builds every request (method, URL on
// the API's one origin, body, credential header) and judges every answer.
import { API_CHECK, API_FREE, API_NEW, API_REQUEST, API_SESSION_PLAN, answer, call, error } from './wasm.js';
import { load } from './index.js';
import { attempt, invalid, object, resolve, setItem, storage, stored, writeAll } from './util.js';

/** Loads the module and creates an `ApiClient`. */
export async function createApiClient(options) {
  await load();
  return new ApiClient(options);
}

const text = (value, what) => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw invalid(`${what} must be a string`);
};
const page = (options) => {
  const o = options == null ? {} : object(options, 'page options');
  return [text(o.limit, 'limit'), text(o.skip, 'skip')];
};
const json = (value, what) => JSON.stringify(object(value, what));
// A client's decisions live in the module until the client is garbage-collected.
const clients = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((handle) => call(API_FREE, [], handle)) : undefined;

/**
 * A client of ZIWO's REST API with the web phone's session, an access token or a CTI
 * api_key. Credentials go only in headers, only to the API's origin.
 */
export class ApiClient {
  #api;
  #timeout;

  constructor(options) {
    const o = object(options ?? {}, 'API options');
    const routes = o.routes == null ? [] : Object.entries(object(o.routes, 'routes')).flatMap(([k, v]) => [k, text(v, 'a route')]);
    const timeout = o.timeoutMs ?? 15000;
    if (!(typeof timeout === 'number' && timeout > 0 && timeout <= 600000)) throw invalid('timeoutMs must be a number of ms between 1 and 600000');
    // Resolved against the page here; the module takes only an http(s) origin from it.
    const base = o.baseUrl != null && o.baseUrl !== '' ? resolve(text(o.baseUrl, 'baseUrl')) : undefined;
    const fromSession = o.fromSession === true;
    const session = fromSession ? stored(storage()) : [, , ,];
    this.#api = call(API_NEW, [text(o.contactCenter, 'contactCenter'), text(o.token, 'token'), text(o.apiKey, 'apiKey'),
      ...session, base, ...routes], 0, fromSession ? 1 : 0);
    clients?.register(this, this.#api);
    this.#timeout = timeout;
    const send = (op) => (...args) => this.#send(op, args);
    this.cti = {
      call: (ccLogin, number, options) => this.#send('ctiCall', [ccLogin, number, options?.notes]),
      ivr: (ivr, number, options) => this.#send('ctiIvr', [ivr, number, options?.notes]),
      login: send('ctiLogin'),
      logout: send('ctiLogout'),
      setStatus: send('ctiStatus'),
    };
    this.whisper = {
      start: (agentId, options) => this.#send('eavesdrop', [agentId, options?.positionName]),
      set: send('whisper'),
    };
    const trackerFields = (fields) => Object.entries(object(fields, 'call tracker fields')).flatMap(([k, v]) => [k, text(v, k)]);
    this.callTrackers = {
      list: (options) => this.#send('trackerList', [...page(options), options?.search, options?.order]),
      all: (options) => this.#all((p) => this.callTrackers.list({ ...options, ...p }), options),
      get: send('trackerGet'),
      create: (fields) => this.#send('trackerCreate', trackerFields(fields)),
      update: (id, fields) => this.#send('trackerUpdate', [id, ...trackerFields(fields)]),
      block: send('trackerBlock'),
      unblock: send('trackerUnblock'),
      delete: send('trackerDelete'),
      test: send('trackerTest'),
      logs: (query = {}) => this.#send('trackerLogs', [query.fromDate, query.toDate, query.fetchStart, query.fetchStop, ...(query.callTrackers ?? [])]),
    };
    const entity = (create, update, remove) => ({
      create: (fields) => this.#send(create, [json(fields, 'the entity')]),
      ...(update && { update: (id, fields) => this.#send(update, [id, json(fields, 'the entity')]) }),
      delete: send(remove),
    });
    this.customers = {
      profiles: entity('profileCreate', 'profileUpdate', 'profileDelete'),
      addresses: entity('addressCreate', 'addressUpdate', 'addressDelete'),
      numbers: entity('numberCreate', undefined, 'numberDelete'),
      socialAccounts: entity('socialCreate', 'socialUpdate', 'socialDelete'),
      link: (profileId, kind, id) => this.#send(LINKS[kind]?.[0] ?? '?', [profileId, id]),
      unlink: (profileId, kind, id) => this.#send(LINKS[kind]?.[1] ?? '?', [profileId, id]),
      search: (q, options) => this.#send('profileSearch', [q, ...page(options)]),
      searchAll: (q, options) => this.#all((p) => this.customers.search(q, { ...options, ...p }), options),
    };
  }

  #send(op, args) {
    return attempt(() => this.#fetch(answer(API_REQUEST, [op, ...args.map((a, i) => text(a, `argument ${i + 1}`))], this.#api)));
  }

  /** Sends `[method, url, body, binary, header, value...]`: the content, or a Blob. */
  async #fetch([method, url, body, binary, ...pairs]) {
    if (typeof fetch !== 'function') throw error('no-document');
    const headers = {};
    for (let i = 0; i < pairs.length; i += 2) headers[pairs[i]] = pairs[i + 1];
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(); }, this.#timeout);
    const failed = () => error(timedOut ? 'timeout' : 'network');
    try {
      let response;
      try {
        // No redirects (a header must not follow one to another host), no cookies.
        response = await fetch(url, {
          method, headers, body: body === '' ? undefined : body,
          redirect: 'error', credentials: 'omit', cache: 'no-store', signal: controller.signal,
        });
      } catch { throw failed(); }
      const { status } = response;
      if (binary && status >= 200 && status < 300) {
        try { return await response.blob(); } catch { throw failed(); }
      }
      let text;
      try { text = await response.text(); } catch { throw failed(); }
      let reply;
      try { reply = JSON.parse(text); } catch { /* not JSON: judged below */ }
      const isObject = reply !== null && typeof reply === 'object' && !Array.isArray(reply);
      const info = isObject ? reply.info : undefined;
      const result = isObject && typeof reply.result === 'boolean' ? Number(reply.result) : -1;
      // The module keeps at most 200 characters of it, after removing the credential
      // (at most 4096): the rest is not worth copying.
      call(API_CHECK, [info !== null && typeof info === 'object' && typeof info.message === 'string' ? info.message.slice(0, 4500) : undefined],
        this.#api, status, isObject ? 1 : 0, result);
      return reply.content;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Walks the pages of a list lazily: `for await (const item of …)`. */
  async *#all(fetchPage, options) {
    const limit = options?.limit ?? 50;
    for (let skip = options?.skip ?? 0; ; skip += limit) {
      const items = await fetchPage({ limit, skip });
      if (!Array.isArray(items)) throw error('malformed-response');
      yield* items;
      if (items.length < limit) return;
    }
  }

  /** Logs an agent in; with `saveSession`, writes the token as the web phone's auto-login. */
  async login(username, password, options) {
    const content = await this.#send('login', [username, password]);
    const token = content?.access_token;
    if (typeof token !== 'string') throw error('malformed-response');
    if (options?.saveSession) writeAll(answer(API_SESSION_PLAN, [token], this.#api), setItem);
    return token;
  }

  callHistory(id) { return this.#send('callHistory', [id]); }
  callHistoryList(options) { return this.#send('callHistoryList', [options?.callId, ...page(options)]); }
  callHistoryAll(options) { return this.#all((p) => this.callHistoryList({ ...options, ...p }), options); }
  recording(callId) { return this.#send('recording', [callId]); }
  /** An object URL for an `<audio>` element (which cannot send the token itself). Revoke it with `URL.revokeObjectURL` when done. */
  async recordingUrl(callId) { return URL.createObjectURL(await this.recording(callId)); }
  adminCall(number, options) { return this.#send('adminCall', [number, options?.roamingOnly ? 'true' : 'false']); }
}

const LINKS = {
  address: ['linkAddress', 'unlinkAddress'],
  number: ['linkNumber', 'unlinkNumber'],
  socialAccount: ['linkSocial', 'unlinkSocial'],
};
