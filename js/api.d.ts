// Types of the REST client (entry `ziwo-webphone/full`).
import type { ZiwoError } from './index.js';

export interface ApiClientOptions {
  /** The instance name (`wayne-enterprise`): requests go to `https://wayne-enterprise-api.aswat.co`. Not needed with `baseUrl` (a CRM's proxy, a test stand-in). */
  contactCenter?: string;
  /** An agent's or admin's access token (header `access_token`). */
  token?: string;
  /** A CTI api_key (header `api_key`). Keep it on a server: in a browser anyone can read it. */
  apiKey?: string;
  /** Use the web phone's own session (`_jorel-token`, `_jorel-ccName`) instead. */
  fromSession?: boolean;
  /** Another origin (a proxy, a test server); only its origin is used. */
  baseUrl?: string;
  /** Abort requests after this many ms (default 15000). */
  timeoutMs?: number;
  /** Path overrides by operation name, e.g. `{ profileCreate: '/cdb/profiles' }` (same `{placeholders}`). */
  routes?: Partial<Record<ApiOperation, string>>;
}

export type ApiOperation =
  | 'login' | 'callHistory' | 'callHistoryList' | 'agentCalls' | 'recording' | 'adminCall'
  | 'ctiCall' | 'ctiLogin' | 'ctiStatus' | 'ctiIvr' | 'ctiLogout' | 'eavesdrop' | 'whisper'
  | 'trackerList' | 'trackerGet' | 'trackerCreate' | 'trackerUpdate' | 'trackerBlock' | 'trackerUnblock'
  | 'trackerDelete' | 'trackerLogs' | 'trackerTest'
  | 'profileCreate' | 'profileUpdate' | 'profileDelete' | 'profileSearch'
  | 'addressCreate' | 'addressUpdate' | 'addressDelete' | 'numberCreate' | 'numberDelete'
  | 'socialCreate' | 'socialUpdate' | 'socialDelete'
  | 'linkAddress' | 'unlinkAddress' | 'linkNumber' | 'unlinkNumber' | 'linkSocial' | 'unlinkSocial';

/** One page of a list: `limit` (1 to 50) items after `skip`. */
export interface PageOptions {
  limit?: number;
  skip?: number;
}

/** A step of a call's flow. */
export interface CallFlow {
  callID?: string;
  step?: number;
  extensionName?: string;
  extensionNumber?: string;
  transfered?: boolean;
  hangup?: boolean;
  [field: string]: unknown;
}

/** A call detail record (every field optional: ZIWO's records vary by call type). */
export interface Cdr {
  callID?: string;
  id?: string;
  direction?: string;
  duration?: number;
  holdTime?: number;
  hangupCause?: string;
  hangupBy?: string;
  disposition?: string;
  recordingFile?: string;
  callerIDNumber?: string;
  callerIDName?: string;
  didCalled?: string;
  agentCCLogin?: string;
  startDateTime?: string;
  answeredDateTime?: string;
  endDateTime?: string;
  callFlows?: CallFlow[];
  [field: string]: unknown;
}

/** A call tracker's fields, as the API names them. */
export interface CallTrackerFields {
  name?: string;
  startRequestURL?: string;
  startRequestAPIKey?: string;
  /** ms */
  startRequestTimeout?: number;
  endRequestURL?: string;
  endRequestAPIKey?: string;
  /** ms */
  endRequestTimeout?: number;
  welcomePlayback?: string;
  errorPlayback?: string;
}
export interface CallTracker extends CallTrackerFields {
  id: string;
  status?: string;
  [field: string]: unknown;
}
export interface CallTrackerLogQuery {
  fromDate?: string;
  toDate?: string;
  fetchStart?: number;
  fetchStop?: number;
  /** Only these trackers (ids). */
  callTrackers?: string[];
}
/** CTI agent status: -1 retrying, 0 logged out, 1 available, 2 on break, 3 meeting, 4 outgoing. */
export type AgentStatus = -1 | 0 | 1 | 2 | 3 | 4;
export type WhisperMode = 'agent' | 'both' | 'none';
/** A customer entity (the CDB's fields are the caller's: ZIWO does not document them). */
export type CustomerFields = Record<string, unknown>;
export interface CustomerEntity extends CustomerFields { id: string }
export interface CustomerEntities<Update extends boolean = true> {
  create(fields: CustomerFields): Promise<CustomerEntity>;
  update: Update extends true ? (id: string, fields: CustomerFields) => Promise<CustomerEntity> : never;
  delete(id: string): Promise<unknown>;
}

/** A client of ZIWO's REST API. Every method rejects with a `ZiwoError`: `network`, `timeout`, `unauthorized` (log in again), `http-status`, `api-refused`, `malformed-response`, or an `invalid-*` code for bad arguments. */
export declare class ApiClient {
  /**
   * Needs the module with the REST client loaded (`load()` loads it when the page imports
   * `ziwo-webphone/full` before its first load): else it throws `not-loaded`, e.g. when the
   * companion's module was loaded before a lazy import of `ziwo-webphone/full`.
   */
  constructor(options: ApiClientOptions);
  /** `POST /auth/login`: the agent's access token; with `saveSession`, also the web phone's auto-login. */
  login(username: string, password: string, options?: { saveSession?: boolean }): Promise<string>;
  /** `GET /callHistory/{id}`. */
  callHistory(id: string): Promise<Cdr>;
  /** `GET /callHistory/?callID=…&limit=…&skip=…`: one page of CDRs, of one call or of all. */
  callHistoryList(options?: PageOptions & { callId?: string }): Promise<Cdr[]>;
  /** Every CDR (of one call, or all), fetched page by page as you iterate. */
  callHistoryAll(options?: PageOptions & { callId?: string }): AsyncIterable<Cdr>;
  /** The agent's own latest calls, newest first (`GET /agents/channels/calls?fetchStart&fetchStop`; default 0 and 6, at most 50 at once). */
  agentCalls(options?: { fetchStart?: number; fetchStop?: number }): Promise<Cdr[]>;
  /** A recording or voicemail (`GET /surveillance/recordings/{callID}.mp3`). */
  recording(callId: string): Promise<Blob>;
  /** The recording as an object URL for `<audio src>`; revoke it when done. */
  recordingUrl(callId: string): Promise<string>;
  /** Admin click to call: makes the agent's phone call `number`. */
  adminCall(number: string, options?: { roamingOnly?: boolean }): Promise<{ callID: string }>;
  readonly cti: {
    call(ccLogin: string, number: string, options?: { notes?: string }): Promise<{ callID: string }>;
    ivr(ivr: string, number: string, options?: { notes?: string }): Promise<{ callID: string }>;
    login(ccLogin: string): Promise<unknown>;
    logout(ccLogin: string): Promise<unknown>;
    setStatus(ccLogin: string, status: AgentStatus): Promise<unknown>;
  };
  readonly whisper: {
    /** Starts listening to the agent's calls (the supervisor's position rings). */
    start(agentId: string, options?: { positionName?: string }): Promise<{ callID: string }>;
    set(callID: string, mode: WhisperMode): Promise<unknown>;
  };
  readonly callTrackers: {
    list(options?: PageOptions & { search?: string; order?: string }): Promise<CallTracker[]>;
    all(options?: PageOptions & { search?: string; order?: string }): AsyncIterable<CallTracker>;
    get(id: string): Promise<CallTracker>;
    create(fields: CallTrackerFields & { name: string; startRequestURL: string }): Promise<CallTracker>;
    update(id: string, fields: CallTrackerFields): Promise<CallTracker>;
    block(idOrName: string): Promise<unknown>;
    unblock(idOrName: string): Promise<unknown>;
    delete(idOrName: string): Promise<unknown>;
    test(id: string): Promise<unknown>;
    logs(query?: CallTrackerLogQuery): Promise<Record<string, unknown>[]>;
  };
  readonly customers: {
    profiles: CustomerEntities;
    addresses: CustomerEntities;
    numbers: CustomerEntities<false>;
    socialAccounts: CustomerEntities;
    link(profileId: string, kind: 'address' | 'number' | 'socialAccount', id: string): Promise<unknown>;
    unlink(profileId: string, kind: 'address' | 'number' | 'socialAccount', id: string): Promise<unknown>;
    search(text: string, page?: PageOptions): Promise<CustomerEntity[]>;
    searchAll(text: string, page?: PageOptions): AsyncIterable<CustomerEntity>;
  };
}
/** Loads the module and creates an `ApiClient` (`not-loaded`: see the constructor). */
export declare function createApiClient(options: ApiClientOptions): Promise<ApiClient>;
