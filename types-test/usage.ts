// Type test: the whole JS API used as documented compiles under `strict` (and the errors of
// errors.ts are therefore real mistakes, not an API that failed to resolve).
import {
  createWebPhone, isZiwoError, load, setLogger, WebPhone,
  type CallEvent, type CallSnapshot, type CallState, type PhoneEvent, type Session, type ZiwoErrorCode,
} from 'ziwo-webphone';

await load();
await load(new URL('https://cdn.example/ziwo_webphone_bg.wasm'));
setLogger((level, message) => console[level === 'debug' ? 'log' : level](message), 'info');
setLogger(null);

const phone: WebPhone = await createWebPhone({ extraStates: ['transferring'] });
const direct = new WebPhone();
direct.dispose();
const disposed: boolean = direct.disposed;

await phone.install('acme');
await phone.install({ contactCenter: 'acme', position: 'top-left', size: 'mini', token: 't', nonce: 'n', scriptUrl: '/sim/jorel.js' });
await phone.call('+1 555', { timeoutMs: 5_000 });

const unsubscribe: () => void = phone.onCall((e) => {
  const state: CallState = e.state;
  const ringing: boolean = e.state === 'ringing' && e.direction === 'inbound';
  const number: string | null = e.customerNumber;
  const previous: CallState | null = e.previousState;
  const talk: number = e.call.talkMs + e.call.ringMs + e.call.holdMs;
  const first = e.call.history[0];
  console.log(state, ringing, number, previous, talk, first?.rawState, first?.at, e.recovered, e.callId, e.primaryCallId, e.at);
});
unsubscribe();

phone.onPhoneEvent((e: PhoneEvent) => {
  switch (e.type) {
    case 'connected': return e.agent.ccLogin;
    case 'disconnected': return e.reason === 'duplicate-connection';
    case 'error': return e.code === 1003 || e.kind === 'missing-call';
    case 'device-changed': return e.device;
  }
});
phone.onConnected((e) => e.agent.firstName);
phone.onDisconnected((e) => e.message);
phone.onError((e) => e.kind);
phone.onSessionChange((change) => change.signedIn && change.error?.code);

const stop = phone.popup({
  // The README's alternative: a resolver.
  url: async (number, event: CallEvent) => (await lookUp(number))?.url ?? (event.direction === 'inbound' ? null : undefined),
  inbound: 'answering',
  outbound: null,
  onBlocked: (url: string) => showOpenCustomerLink(url),
  onError: (error) => error.code,
});
stop();
phone.popup('https://crm.example/customers?phone={number}&call={callId}');

const live: CallSnapshot[] = phone.calls();
const session: Session | null = phone.session();
phone.setSession({ token: 't', contactCenter: 'acme' });
phone.clearSession();

try {
  await phone.call('+1');
} catch (e) {
  if (isZiwoError(e)) {
    const code: ZiwoErrorCode = e.code;
    console.log(code === 'phone-not-ready', e.message, e.key);
  }
}
console.log(disposed, live, session);

// Driving the call, mute, logged in or not, click-to-dial.
const unmute: () => void = phone.onMute((m) => {
  const muted: boolean = m.muted && m.call.muted;
  const mutedMs: number = m.call.mutedMs;
  const at: number = m.at;
  console.log(muted, mutedMs, at, m.callId);
});
unmute();
const callId = 'c-1';
const controls: Promise<void>[] = [
  phone.answer(callId), phone.hangup(callId), phone.hold(callId), phone.unhold(callId),
  phone.mute(callId), phone.unmute(callId), phone.dtmf(callId, '12#'), phone.transfer(callId, '+15550100'),
];
await Promise.allSettled(controls);
const connection: 'unknown' | 'connected' | 'disconnected' | 'logged-out' = phone.connection;
const agent = await phone.ready({ timeoutMs: 1_000 });
const login: string | null = agent.ccLogin;
console.log(connection, login, agent.contactCenter);
const undoLinks: () => void = phone.linkify(document.body, { onError: (error, element) => console.log(error.code, element.id) });
undoLinks();
phone.linkify()();
const controlCodes: ZiwoErrorCode[] = ['no-such-call', 'invalid-state', 'not-supported', 'invalid-digits', 'logged-out', 'timeout'];
console.log(controlCodes);

// The shipped simulator and its driver.
import { connectSimulator, scriptUrl, simulatorUrl, type SimulatorDriver } from 'ziwo-webphone/simulator';
const simUrl: string = simulatorUrl({ stepDelayMs: 0, shape: 'sdk', autoAnswerOutbound: false }, scriptUrl);
await phone.install({ contactCenter: 'acme', scriptUrl: simUrl });
const sim: SimulatorDriver = await connectSimulator({ timeoutMs: 5_000 });
const simCall: string = sim.inbound({ number: '+15550100', mediaFirst: true });
sim.remoteHangup(simCall, { lateMissingCall: true });
const simSent: readonly string[] = sim.sent.map((m) => m.method);
console.log(simSent, sim.dialed.length, sim.status === 'connected');

// The call log.
import type { CallDetail, CallRecord, DroppedRecord } from 'ziwo-webphone';
import { createApiClient, type Cdr } from 'ziwo-webphone/full';
const stopLog: () => void = phone.onCallEnded(async (record: CallRecord) => {
  const answeredAt: number | null = record.answeredAt;
  const talk: number = record.talkMs + record.mutedMs;
  console.log(answeredAt, talk, record.answered, record.endedAt, record.history.length);
}, { onDropped: (d: DroppedRecord) => console.log(d.reason, d.record?.callId, d.key, d.error?.code) });
stopLog();
// The call log waits for each call's CDR through a client of ziwo-webphone/full.
const cdrClient = await createApiClient({ baseUrl: 'http://127.0.0.1:8081', token: 'tok' });
const recentCdrs: Cdr[] = await cdrClient.agentCalls({ fetchStart: 0, fetchStop: 6 });
const stopCdrLog = phone.onCallEnded((record: CallRecord) => {
  const status: 'found' | 'not-found' | 'failed' | null = record.cdrStatus;
  const detail: CallDetail | null = record.cdr;
  const outcome: string | null = detail?.disposition ?? null;
  const seconds: number | null = detail?.durationS ?? null;
  const raw: unknown = detail?.fields['recordingFile'];
  console.log(status, outcome, seconds, raw, record.cdrError?.code, record.cdrError?.message, recentCdrs.length);
}, { cdr: cdrClient, cdrWaitMs: 60_000 });
stopCdrLog();
