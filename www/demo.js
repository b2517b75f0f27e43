// The demo CRM page: everything the phone does reaches the page through ziwo-webphone.
import { createApiClient, createWebPhone, isZiwoError } from '/dist/full.js';
import { customers, findCustomer } from './customers.js';

const CONTACT_CENTER = 'demo';
const DEMO_TOKEN = 'demo-0b5e2c1a-9d7f-4e61-a3c2-5f8e7d6c4b3a';
// The simulator stands in for https://demo.aswat.co/scripts/jorel.js. `?` options of the
// simulator (delays) can be passed through the page's own query string.
const SIM_URL = 'sim/jorel.js' + location.search;
// The stand-in of ZIWO's REST API (scripts/api-server.mjs), started by scripts/demo.sh.
const API_URL = new URLSearchParams(location.search).get('api') || 'http://127.0.0.1:8081';

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};
const secs = (ms) => `${Math.round(ms / 1000)} s`;
const time = (ms) => new Date(ms).toLocaleTimeString();
const sim = () => window.__ziwoSim;

const phone = await createWebPhone();
window.demoPhone = phone; // for the curious, in the console

// ---- session ---------------------------------------------------------------------------
function showSession() {
  try {
    const s = phone.session();
    $('session-text').textContent = s
      ? `Signed in to “${s.contactCenter}”${s.ccLogin ? ` as agent ${s.ccLogin}` : ''} (token kept by the phone).`
      : 'Not signed in: the phone will ask for a login, or use auto-login.';
  } catch (e) {
    $('session-text').textContent = `Session unreadable: ${e.message}`;
  }
}
$('login').onclick = () => {
  phone.setSession({ token: DEMO_TOKEN, contactCenter: CONTACT_CENTER });
  location.reload(); // the phone reads the auto-login keys when it loads
};
$('logout').onclick = () => {
  phone.clearSession();
  location.reload();
};
phone.onSessionChange((change) => {
  logEvent(change.signedIn ? `Another tab signed in to ${change.contactCenter}` : 'Another tab logged out');
  showSession();
});
showSession();

// ---- phone status ------------------------------------------------------------------------
function setAgent(state, text) {
  $('agent').dataset.state = state;
  $('agent-status').textContent = text;
}
// When another tab or device takes the agent's session the phone says so, then reports
// the socket closing: keep the first, more useful, reason on screen.
let takenOver = false;
phone.onConnected((e) => {
  takenOver = false;
  setAgent('connected', `connected${e.agent.ccLogin ? ` · agent ${e.agent.ccLogin}` : ''}`);
  logEvent(`Connected to ${e.contactCenter ?? 'the contact center'}`);
  showSession();
});
phone.onDisconnected((e) => {
  takenOver ||= e.reason === 'duplicate-connection';
  const why = takenOver ? 'another tab or device took the session' : e.message ?? e.reason;
  setAgent('disconnected', `disconnected: ${why}`);
  logEvent(`Disconnected (${e.message ?? e.reason})`);
});
phone.onError((e) => logEvent(`Phone error ${e.code ?? '?'} (${e.kind})`));

// ---- customers and click to call ----------------------------------------------------------
for (const c of customers) {
  const dial = el('button', { className: 'link', textContent: c.phone, title: `Call ${c.name}` });
  dial.onclick = async () => {
    const status = $('dial-status');
    status.className = 'status';
    status.textContent = `Calling ${c.name}…`;
    try {
      await phone.call(c.phone, { timeoutMs: 8000 });
      status.textContent = `Dialled ${c.name}.`;
    } catch (e) {
      status.className = 'status error';
      status.textContent = isZiwoError(e) ? `Could not call ${c.name}: ${e.message} (${e.code})` : String(e);
    }
  };
  $('customers').tBodies[0].append(el('tr', {}, el('td', { textContent: c.name }), el('td', { textContent: c.company }), el('td', {}, dial), el('td', { textContent: c.tier })));
  $('caller').append(el('option', { value: c.phone, textContent: `${c.name} (${c.phone})` }));
}

// ---- live calls ---------------------------------------------------------------------------
function renderCalls() {
  const calls = phone.calls();
  const box = $('calls');
  if (calls.length === 0) {
    box.replaceChildren(el('p', { className: 'empty', textContent: 'No call right now.' }));
    return;
  }
  box.replaceChildren(...calls.map((call) => {
    const who = findCustomer(call.customerNumber)?.name ?? call.customerNumber ?? 'unknown';
    const history = el('ol', {}, ...call.history.map((h) => el('li', { textContent: `${h.rawState} at ${time(h.at)}` })));
    return el('div', { className: 'call', id: `call-${call.callId}` },
      el('header', {}, el('span', { textContent: `${call.direction === 'inbound' ? '⬇' : '⬆'} ${who}` }), el('span', { className: 'state', textContent: call.rawState })),
      el('div', { className: 'durations', textContent: `ringing ${secs(call.ringMs)} · talking ${secs(call.talkMs)} · on hold ${secs(call.holdMs)}${call.recovered ? ' · recovered after reload' : ''}` }),
      history);
  }));
}
setInterval(renderCalls, 1000);

// Every transition of every call, once (the library drops repeats and the ziwo- twins).
phone.onCall((e) => {
  renderCalls();
  if (e.state === 'destroy') {
    logCall(e.call);
    showLastCall(e.call);
  }
});

function logCall(call) {
  const who = findCustomer(call.customerNumber)?.name ?? call.customerNumber ?? 'unknown';
  $('call-log').tBodies[0].prepend(el('tr', {},
    el('td', { textContent: time(call.at) }), el('td', { textContent: who }), el('td', { textContent: call.direction }),
    el('td', { textContent: secs(call.ringMs) }), el('td', { textContent: secs(call.talkMs) }), el('td', { textContent: secs(call.holdMs) }),
    el('td', { textContent: call.history.map((h) => h.rawState).join(' → ') })));
}

// ---- the last call's record and recording, from the REST API ------------------------------
async function showLastCall(call) {
  const box = $('last-call');
  try {
    // What ZIWO's server does by itself when a call ends: keep its CDR. The stand-in API is
    // told here, because the simulated phone and the stand-in API are separate programs.
    const seconds = Math.round(call.talkMs / 1000);
    await fetch(API_URL + '/__control/cdrs', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ callID: call.callId, direction: call.direction, callerIDNumber: call.customerNumber ?? undefined,
        duration: seconds, holdTime: Math.round(call.holdMs / 1000), disposition: call.talkMs > 0 ? 'ANSWER' : 'NO ANSWER' }),
    });
    const api = await createApiClient({ fromSession: true, baseUrl: API_URL });
    const [cdr] = await api.callHistoryList({ callId: call.callId, limit: 1 });
    const rows = [['Call', cdr.callID], ['Direction', cdr.direction], ['Customer', cdr.callerIDNumber],
      ['Duration', `${cdr.duration} s`], ['On hold', `${cdr.holdTime} s`], ['Disposition', cdr.disposition], ['Hang-up', cdr.hangupCause]];
    const audio = el('audio', { controls: true, src: await api.recordingUrl(cdr.callID) });
    if (box.dataset.url) URL.revokeObjectURL(box.dataset.url);
    box.dataset.url = audio.src;
    box.replaceChildren(el('dl', {}, ...rows.flatMap(([k, v]) => [el('dt', { textContent: k }), el('dd', { textContent: String(v ?? '—') })])), audio);
  } catch (e) {
    box.replaceChildren(el('p', { className: 'status error', textContent: `Call history unavailable: ${isZiwoError(e) ? `${e.message} (${e.code})` : e}` }));
  }
}

function logEvent(text) {
  $('events').prepend(el('li', { textContent: `${time(Date.now())} ${text}` }));
}

// ---- the CRM pop-up ----------------------------------------------------------------------
phone.popup({
  url: 'customer.html?phone={number}&call={callId}',
  target: '_blank',
  onBlocked(url, e) {
    const who = findCustomer(e.customerNumber)?.name ?? e.customerNumber;
    const link = el('a', { href: url, target: '_blank', rel: 'noopener', textContent: `open ${who}'s record` });
    $('blocked').hidden = false;
    $('blocked').replaceChildren('The browser blocked the pop-up: ', link, '.');
  },
  onError(error) { logEvent(`Pop-up failed: ${error.message}`); },
});
phone.onCall((e) => {
  // Shown for the record; the pop-up itself is opened by the library.
  if ((e.state === 'ringing' && e.direction === 'inbound') || (e.state === 'early' && e.direction === 'outbound')) {
    if (!e.recovered) $('popups').prepend(el('li', { textContent: `${time(e.at)} ${findCustomer(e.customerNumber)?.name ?? e.customerNumber}` }));
  }
});

// ---- simulator controls ------------------------------------------------------------------
$('sim-inbound').onclick = () => sim()?.inbound($('caller').value.replace(/[^\d+]/g, ''));
for (const button of document.querySelectorAll('[data-sim]')) {
  button.onclick = () => { try { sim()?.[button.dataset.sim](); } catch (e) { logEvent(`Simulator: ${e.message}`); } };
}
$('sim-take').onclick = () => sim()?.takeSession();
$('sim-reconnect').onclick = () => sim()?.reconnect();
$('reload').onclick = () => location.reload();

// ---- install the phone (last: every listener above is in place) --------------------------
setAgent('offline', 'loading…');
try {
  await phone.install({ contactCenter: CONTACT_CENTER, position: 'bottom-right', size: 'normal', scriptUrl: SIM_URL });
  setAgent('offline', 'loaded, connecting…');
} catch (e) {
  setAgent('disconnected', `could not load the phone: ${e.message}`);
}
