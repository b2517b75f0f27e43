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
