// Types of ziwo-webphone/simulator: the web phone simulator and its driver, for a CRM
// team's own integration tests and demos.

/** How the simulated phone behaves (the same keys as its query string and `__ziwoSimConfig`). */
export interface SimulatorConfig {
  /** The script "downloads and boots": the dial function appears after this (default 300). */
  loadDelayMs?: number;
  /** The login round trip before `connected` (default 200). */
  connectDelayMs?: number;
  /** One server round trip between call events (default 150). */
  stepDelayMs?: number;
  /** Outbound: the customer picks up this long after `early` (default 1500). */
  answerDelayMs?: number;
  /** `false`: outbound calls stay `early` until `remoteAnswer()` (default true). */
  autoAnswerOutbound?: boolean;
  /** Inbound answers in core-front's media-first order: active, answering, answering, active. */
  mediaFirst?: boolean;
  /** Every hang-up ends with a late error 1003, as the real server's late reply. */
  lateMissingCall?: boolean;
  /** core-front's `purge` before every `destroy`. */
  purge?: boolean;
  /** The agent's contact-center login (default '1001'). */
  ccLogin?: string;
  /** `'verto'` (default): details carry the verto `dialog` and `currentCall`; `'sdk'`: only ZIWO's SDK `currentCall`. */
  shape?: 'verto' | 'sdk';
  /**
   * The origin of the API stand-in (`scripts/api-server.mjs`, e.g. `'http://127.0.0.1:47882'`;
   * default `''` = off). When set, every call that ends is reported once to its
   * `POST /__control/calls`, so the stand-in writes the call's CDR after its configured delay,
   * as ZIWO's server does. Fire and forget: a failed report only warns in the console.
   */
  apiUrl?: string;
}

/** A call of the simulated phone. */
export interface SimulatedCall {
  readonly callID: string;
  readonly primaryCallID?: string;
  readonly customerNumber: string;
  readonly direction: 'inbound' | 'outbound' | 'internal' | 'service';
  readonly state: string | null;
  readonly muted: boolean;
}

/** What the simulated phone sent on its verto socket. */
export interface SentMessage {
  readonly method: 'verto.answer' | 'verto.modify' | 'verto.info' | 'verto.bye';
  readonly callID: string;
  readonly action?: 'hold' | 'unhold' | 'toggleHold' | 'transfer';
  readonly destination?: string;
  readonly dtmf?: string;
  readonly cause?: string;
  readonly causeCode?: number;
}

/**
 * The simulated phone's test controls. A `callId` left out means the latest call that the
 * control fits (the ringing one to answer, the active one to hang up...). Controls throw
 * when the phone cannot do it (no such call, not connected).
 */
export interface SimulatorDriver {
  readonly status: 'loading' | 'logged-out' | 'connecting' | 'connected' | 'disconnected';
  readonly connected: boolean;
  /** The live calls. */
  readonly calls: readonly SimulatedCall[];
  /** The numbers dialled through `window['_jorel-callPhoneNumber']`, in order. */
  readonly dialed: readonly string[];
  /** What the phone sent for the agent's actions (answer, hold, DTMF, transfer, hang-up). */
  readonly sent: readonly SentMessage[];
  /** Every event dispatched, under both prefixes, in order. */
  readonly log: readonly { readonly name: string; readonly callID?: string }[];
  readonly config: Readonly<SimulatorConfig>;
  whenLoaded(): Promise<void>;
  whenConnected(): Promise<void>;
  /** Changes the configuration from now on. */
  configure(config: SimulatorConfig): Readonly<SimulatorConfig>;
  /** A customer calls the agent; returns the new call's id (it rings after one step). */
  inbound(call: { number: string; direction?: 'inbound' | 'internal' | 'service'; primaryCallId?: string; mediaFirst?: boolean }): string;
  /** The agent answers with the phone's own button. */
  answer(callId?: string, options?: { mediaFirst?: boolean }): void;
  /** The customer picks up an outbound call left `early`. */
  remoteAnswer(callId?: string): void;
  /** The agent hangs up with the phone's own button. */
  hangup(callId?: string, options?: { lateMissingCall?: boolean }): void;
  /** The customer hangs up. */
  remoteHangup(callId?: string, options?: { lateMissingCall?: boolean }): void;
  hold(callId?: string): void;
  unhold(callId?: string): void;
  mute(callId?: string): void;
  unmute(callId?: string): void;
  /** Attended transfer: holds the active call and dials `number` as a second leg; returns its id. */
  transfer(number: string, callId?: string): string;
  /** Another tab or device takes the agent's session: `disconnected` twice. */
  takeSession(): void;
  /** Connects again after `takeSession()`. */
  reconnect(): void;
  /** The phone reports error `code` (1001 protocol, 1002 media, 1003 missing call, ...). */
  error(code: number, inner?: unknown): void;
  /** Dispatches any event suffix under both prefixes with this exact detail. */
  emit(name: string, detail: unknown): void;
  /** Ends every call without events and clears the logs; the session is kept. */
  reset(): void;
  /** Reloads the page: calls not ended come back as `recovering`. */
  reloadMidCall(): void;
}

/** The simulator script's URL (`jorel.js` next to this module). */
export declare const scriptUrl: string;
/** The simulator script's URL with `config` in its query string, for `install({ scriptUrl })`. */
export declare function simulatorUrl(config?: SimulatorConfig, base?: string): string;
/** Waits until the simulator runs in the page and returns its driver. */
export declare function connectSimulator(options?: { timeoutMs?: number; window?: Window }): Promise<SimulatorDriver>;
