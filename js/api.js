// The REST client's facade (the `ziwo-webphone/full` entry): maps each method to its
// operation and arguments, in the order the crate's browser layer takes them
// (src/browser/bindings.rs, `build`). The layer builds every request (method, URL on the
// API's one origin, body, credential header), fetches it and judges the answer, for Rust
// users and npm users alike. Same module, same state as `ziwo-webphone`.
import { Api, unreadable } from './ziwo_webphone.js';
import { CALL_LOG_CLIENT, isZiwoError, load, loadedModule, useRestClient } from './index.js';

// This entry needs the module with the REST client: `load()` fetches it (not the
// companion's) when this file is part of the page before the first load.
useRestClient();

/** Loads the module and creates an `ApiClient`. */
export async function createApiClient(options) {
  await load();
  return new ApiClient(options);
}

// Every method returns a Promise that rejects with a `ZiwoError`, never throws: taking the
// page's arguments apart may throw (a getter, `JSON.stringify` of a cyclic object).
const attempt = (run) => {
  try {
    return run();
  } catch (e) {
    return Promise.reject(isZiwoError(e) ? e : unreadable());
  }
};
// Anything but an object becomes an argument that the layer refuses (`invalid-option`).
const isObject = (value) => value !== null && typeof value === 'object';
const pairs = (fields) => (isObject(fields) ? Object.entries(fields).flat() : [{}]);
const json = (value) => (isObject(value) ? JSON.stringify(value) : {});
const LINKS = {
  address: ['linkAddress', 'unlinkAddress'],
  number: ['linkNumber', 'unlinkNumber'],
  socialAccount: ['linkSocial', 'unlinkSocial'],
};

/**
 * A client of ZIWO's REST API with the web phone's session, an access token or a CTI
 * api_key. Credentials go only in headers, only to the API's origin.
 */
export class ApiClient {
  #api;
  #send;

  constructor(options) {
    loadedModule(true);
    const api = (this.#api = new Api(options));
    // `args` is a function: the page's arguments are taken apart inside `attempt`.
    const send = (this.#send = (op, args) => attempt(() => api.send(op, args())));
    const op = (name) => (...args) => send(name, () => args);
    this.cti = {
      call: (ccLogin, number, options) => send('ctiCall', () => [ccLogin, number, options?.notes]),
      ivr: (ivr, number, options) => send('ctiIvr', () => [ivr, number, options?.notes]),
      login: op('ctiLogin'),
      logout: op('ctiLogout'),
      setStatus: op('ctiStatus'),
    };
    this.whisper = {
      start: (agentId, options) => send('eavesdrop', () => [agentId, options?.positionName]),
      set: op('whisper'),
    };
    this.callTrackers = {
      list: (options) => send('trackerList', () => [options?.limit, options?.skip, options?.search, options?.order]),
      all: (options) => this.#all((p) => this.callTrackers.list({ ...options, ...p }), options),
      get: op('trackerGet'),
      create: (fields) => send('trackerCreate', () => pairs(fields)),
      update: (id, fields) => send('trackerUpdate', () => [id, ...pairs(fields)]),
      block: op('trackerBlock'),
      unblock: op('trackerUnblock'),
      delete: op('trackerDelete'),
      test: op('trackerTest'),
      logs: (query) => send('trackerLogs', () => [query?.fromDate, query?.toDate, query?.fetchStart, query?.fetchStop, ...(query?.callTrackers ?? [])]),
    };
    const entity = (create, update, remove) => ({
      create: (fields) => send(create, () => [json(fields)]),
      ...(update && { update: (id, fields) => send(update, () => [id, json(fields)]) }),
      delete: op(remove),
    });
    this.customers = {
      profiles: entity('profileCreate', 'profileUpdate', 'profileDelete'),
      addresses: entity('addressCreate', 'addressUpdate', 'addressDelete'),
      numbers: entity('numberCreate', undefined, 'numberDelete'),
      socialAccounts: entity('socialCreate', 'socialUpdate', 'socialDelete'),
      link: (profileId, kind, id) => send(LINKS[kind]?.[0] ?? '?', () => [profileId, id]),
      unlink: (profileId, kind, id) => send(LINKS[kind]?.[1] ?? '?', () => [profileId, id]),
      search: (q, options) => send('profileSearch', () => [q, options?.limit, options?.skip]),
      searchAll: (q, options) => this.#all((p) => this.customers.search(q, { ...options, ...p }), options),
    };
  }

  /** Walks the pages of a list lazily: `for await (const item of …)`. */
  async *#all(fetchPage, options) {
    const limit = options?.limit ?? 50;
    for (let skip = options?.skip ?? 0; ; skip += limit) {
      const items = await fetchPage({ limit, skip });
      yield* items;
      if (items.length < limit) return;
    }
  }

  /** Logs an agent in; with `saveSession`, writes the token as the web phone's auto-login. */
  login(username, password, options) { return attempt(() => this.#api.login(username, password, Boolean(options?.saveSession))); }
  callHistory(id) { return this.#send('callHistory', () => [id]); }
  callHistoryList(options) { return this.#send('callHistoryList', () => [options?.callId, options?.limit, options?.skip]); }
  callHistoryAll(options) { return this.#all((p) => this.callHistoryList({ ...options, ...p }), options); }
  /** The agent's own latest calls, newest first (`GET /agents/channels/calls`). */
  agentCalls(options) { return this.#send('agentCalls', () => [options?.fetchStart, options?.fetchStop]); }
  recording(callId) { return this.#send('recording', () => [callId]); }
  /** A copy of the layer's client, for `phone.onCallEnded(handler, { cdr: this })`. */
  [CALL_LOG_CLIENT]() { return this.#api.forCallLog(); }
  /** An object URL for an `<audio>` element (which cannot send the token itself). Revoke it with `URL.revokeObjectURL` when done. */
  async recordingUrl(callId) { return URL.createObjectURL(await this.recording(callId)); }
  adminCall(number, options) { return this.#send('adminCall', () => [number, options?.roamingOnly ? 'true' : 'false']); }
}
