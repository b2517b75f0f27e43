// ziwo-webphone/simulator: the web phone simulator, for a CRM team's own integration tests
// and demos, offline. `jorel.js` (next to this file) stands in for
// https://<cc>.aswat.co/scripts/jorel.js and behaves as ZIWO's contract says the real phone
// does, quirks included (both event prefixes, repeated states, cyclic call objects, a
// recovered call after a reload, the verto dialog or the SDK's call object). This module
// gives its URL and a typed driver of its test controls (`window.__ziwoSim`).
//
// Install the library with the simulator instead of the real phone:
//   await phone.install({ contactCenter: 'acme', token: 't', scriptUrl: simulatorUrl({ stepDelayMs: 0 }) });
//   const sim = await connectSimulator();
//   const callId = sim.inbound({ number: '+15550100' });

/** The simulator script's URL, next to this module (bundlers copy it as an asset). */
export const scriptUrl = new URL('./jorel.js', import.meta.url).href;

/** `scriptUrl` (or `base`) with the simulator's options in its query string. */
export function simulatorUrl(config = {}, base = scriptUrl) {
  const url = new URL(base, typeof location === 'object' ? location.href : undefined);
  for (const [key, value] of Object.entries(config)) {
    if (value !== undefined && key !== 'agent') url.searchParams.set(key, String(value));
  }
  return url.href;
}

/**
 * Waits (at most `timeoutMs`, default 10000) until the simulator script has run in `window`
 * and returns its driver. Rejects when it did not run in time (not installed, blocked).
 */
export async function connectSimulator({ timeoutMs = 10_000, window: win = globalThis.window } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (!win.__ziwoSim) {
    if (Date.now() > deadline) {
      throw new Error('ziwo-webphone/simulator: the simulator did not start: install the phone with scriptUrl: simulatorUrl()');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return driver(win);
}

function driver(win) {
  const sim = win.__ziwoSim;
  return {
    get status() { return sim.status; },
    get connected() { return sim.connected; },
    get calls() { return sim.calls; },
    get dialed() { return sim.dialed.slice(); },
    get sent() { return sim.sent.slice(); },
    get log() { return sim.log.slice(); },
    get config() { return sim.config; },
    whenLoaded: () => sim.whenLoaded(),
    whenConnected: () => sim.whenConnected(),
    configure: (config) => sim.configure(config),
    inbound: ({ number, direction, primaryCallId, mediaFirst }) =>
      sim.inbound(number, { direction, primaryCallID: primaryCallId, mediaFirst }),
    answer: (callId, options) => sim.answer(callId, options),
    remoteAnswer: (callId) => sim.remoteAnswer(callId),
    hangup: (callId, options) => sim.hangup(callId, options),
    remoteHangup: (callId, options) => sim.remoteHangup(callId, options),
    hold: (callId) => sim.hold(callId),
    unhold: (callId) => sim.unhold(callId),
    mute: (callId) => sim.mute(callId),
    unmute: (callId) => sim.unmute(callId),
    transfer: (number, callId) => sim.transfer(number, callId),
    takeSession: () => sim.takeSession(),
    reconnect: () => sim.reconnect(),
    error: (code, inner) => sim.error(code, inner),
    emit: (name, detail) => sim.emit(name, detail),
    reset: () => sim.reset(),
    reloadMidCall: () => win.location.reload(),
  };
}
