// Type test: each line under `@ts-expect-error` must NOT compile. If one of them compiles
// (a type became too loose), tsc reports "Unused '@ts-expect-error' directive" and fails.
import {
  createWebPhone, isZiwoError, WebPhone,
  type ConnectedEvent, type DisconnectedEvent, type CallEvent,
} from 'ziwo-webphone';

const phone = await createWebPhone();

phone.onCall((e) => {
  // @ts-expect-error: misspelt state name
  if (e.state === 'ringng') return;
  // @ts-expect-error: 'incoming' is not a direction
  if (e.direction === 'incoming') return;
  // @ts-expect-error: misspelt payload field
  console.log(e.customerNumbr);
  // @ts-expect-error: misspelt field of the call snapshot
  console.log(e.call.talkms);
  // @ts-expect-error: the customer's number may be null
  console.log(e.customerNumber.length);
  // @ts-expect-error: events are read-only
  e.state = 'active';
  // @ts-expect-error: a call event is not a phone event
  console.log(e.agent);
});

// Wrong position or size in install.
// @ts-expect-error: no such position
void phone.install({ contactCenter: 'acme', position: 'middle' });
// @ts-expect-error: no such size
void phone.install({ contactCenter: 'acme', size: 'large' });
// @ts-expect-error: position and size swapped
void phone.install({ contactCenter: 'acme', position: 'small', size: 'bottom-left' });
// @ts-expect-error: misspelt option
void phone.install({ contactCentre: 'acme' });
// @ts-expect-error: the contact center is required
void phone.install({ position: 'top-left' });

// A listener for the wrong payload.
// @ts-expect-error: onConnected's listener gets a ConnectedEvent
phone.onConnected((e: DisconnectedEvent) => e.reason);
// @ts-expect-error: onCall's listener gets a CallEvent
phone.onCall((e: ConnectedEvent) => e.agent);
// @ts-expect-error: an error event's code is a number
phone.onError((e) => e.code === 'media');
// @ts-expect-error: a pop-up resolver gives a URL string, not a number
phone.popup({ url: (number: string) => number.length });
// @ts-expect-error: onBlocked gets the URL and the call event
phone.popup({ url: '/c?n={number}', onBlocked: (url: URL, e: CallEvent) => [url, e] });
phone.onPhoneEvent((e) => {
  // @ts-expect-error: not narrowed to 'connected' yet
  console.log(e.agent);
  // @ts-expect-error: no such phone event
  if (e.type === 'conected') return;
});

// Wrong pop-up states.
// @ts-expect-error: misspelt state
phone.popup({ url: '/c?n={number}', inbound: 'ringng' });
// @ts-expect-error: 'unknown' cannot open a pop-up
phone.popup({ url: '/c?n={number}', outbound: 'unknown' });

// Other misuse.
// @ts-expect-error: numbers are strings
void phone.call(5550100);
// @ts-expect-error: the option is timeoutMs
void phone.call('+1', { timeout: 5 });
// @ts-expect-error: the session needs its contact center
phone.setSession({ token: 't' });
// @ts-expect-error: not a method
phone.hangup();
// @ts-expect-error: disposed is read-only
new WebPhone().disposed = true;
try {
  await phone.call('+1');
} catch (e) {
  // @ts-expect-error: a caught value is unknown until isZiwoError says otherwise
  console.log(e.code);
  // @ts-expect-error: no such error code
  if (isZiwoError(e) && e.code === 'invalid-numbr') throw e;
}

// Mute is not a call state; the call controls take a call id.
phone.onCall((e) => {
  // @ts-expect-error: 'mute' is never a call's state (onMute hears it)
  if (e.state === 'mute') return;
  // @ts-expect-error: nor 'unmute'
  if (e.previousState === 'unmute') return;
});
// @ts-expect-error: answer takes the call's id
void phone.answer();
// @ts-expect-error: dtmf needs its digits
void phone.dtmf('c-1');
// @ts-expect-error: the connection has no 'offline'
if (phone.connection === 'offline') console.log('never');
// @ts-expect-error: linkify's root is a document or an element
phone.linkify('#customers');

// The simulator's driver is typed.
import { connectSimulator } from 'ziwo-webphone/simulator';
const driver = await connectSimulator();
// @ts-expect-error: inbound takes an object with the number
driver.inbound('+15550100');
// @ts-expect-error: no such shape
driver.configure({ shape: 'jssip' });
// @ts-expect-error: no such reason
phone.onCallEnded(() => {}, { onDropped: (d) => d.reason === 'expired' });
// @ts-expect-error: cdr takes an ApiClient, not its options
phone.onCallEnded(() => {}, { cdr: { baseUrl: 'http://127.0.0.1:8081' } });
// @ts-expect-error: no such CDR status
phone.onCallEnded((r) => r.cdrStatus === 'pending');
