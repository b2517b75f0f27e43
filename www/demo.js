// The demo CRM page: everything the phone does reaches the page through ziwo-webphone.
import { createApiClient, createWebPhone, isZiwoError } from '/dist/full.js';
import { connectSimulator, simulatorUrl } from '/dist/simulator/index.js';
import { customers, findCustomer } from './customers.js';

const CONTACT_CENTER = 'demo';
const DEMO_TOKEN = 'demo-0b5e2c1a-9d7f-4e61-a3c2-5f8e7d6c4b3a';
// The simulator (`ziwo-webphone/simulator`) stands in for https://demo.aswat.co/scripts/jorel.js,
// with ZIWO's SDK call object (it reports mute changes; `?shape=verto` for the verto dialog).
// Its options (delays...) can be passed through the page's own query string.
// The stand-in of ZIWO's REST API (scripts/api-server.mjs), started by scripts/demo.sh. The
// simulator tells it of every call it ends, and it writes the call's CDR a few seconds
// later, as ZIWO's server does.
const API_URL = new URLSearchParams(location.search).get('api') || 'http://127.0.0.1:8081';
const SIM_URL = simulatorUrl({ shape: 'sdk', apiUrl: API_URL, ...Object.fromEntries(new URLSearchParams(location.search)) });

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};
const secs = (ms) => `${Math.round(ms / 1000)} s`;
const time = (ms) => new Date(ms).toLocaleTimeString();
// The simulator's driver, once its script runs (the buttons that play the customer's side).
let driver;
const sim = () => driver;

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

// ---- phone status: the login badge ----------------------------------------------------------
function setAgent(state, text) {
  $('agent').dataset.state = state;
  $('agent-status').textContent = text;
}
const LOGGED_OUT = 'logged out: log in with the phone, or auto-login';
// When another tab or device takes the agent's session the phone says so, then reports
// the socket closing: keep the first, more useful, reason on screen.
let takenOver = false;
phone.onConnected((e) => {
  takenOver = false;
  setAgent('connected', `connected${e.agent.ccLogin ? ` · agent ${e.agent.ccLogin}` : ''}`);
  logEvent(`Connected to ${e.contactCenter ?? 'the contact center'}`);
  showSession();
  startCallLog();
});
phone.onDisconnected((e) => {
  takenOver ||= e.reason === 'duplicate-connection';
  const why = takenOver ? 'another tab or device took the session' : e.message ?? e.reason;
  if (phone.connection === 'logged-out') setAgent('logged-out', LOGGED_OUT);
  else setAgent('disconnected', `disconnected: ${why}`);
  logEvent(`Disconnected (${e.message ?? e.reason})`);
});
phone.onError((e) => logEvent(`Phone error ${e.code ?? '?'} (${e.kind})`));

// ---- customers and click to call ----------------------------------------------------------
// The numbers are plain tel: links; linkify() dials them through the phone (and any link or
// data-ziwo-number element added to the table later).
for (const c of customers) {
  const dial = el('a', { href: `tel:${c.phone.replace(/[^\d+]/g, '')}`, textContent: c.phone, title: `Call ${c.name}` });
  dial.onclick = () => {
    $('dial-status').className = 'status';
    $('dial-status').textContent = `Calling ${c.name}…`;
  };
  $('customers').tBodies[0].append(el('tr', {}, el('td', { textContent: c.name }), el('td', { textContent: c.company }), el('td', {}, dial), el('td', { textContent: c.tier })));
  $('caller').append(el('option', { value: c.phone, textContent: `${c.name} (${c.phone})` }));
}
phone.linkify($('customers'), {
  onError(error) {
    $('dial-status').className = 'status error';
    $('dial-status').textContent = `Could not call: ${error.message} (${error.code})`;
  },
});
phone.onCall((e) => {
  if (e.direction === 'outbound' && e.previousState === null) {
    $('dial-status').className = 'status';
    $('dial-status').textContent = `Dialled ${findCustomer(e.customerNumber)?.name ?? e.customerNumber}.`;
  }
});

// ---- live calls: the CRM's own call panel --------------------------------------------------
// One card per call, kept while the call lives (its inputs keep their text and focus); its
// buttons drive the call through the library: answer, hang up, hold, mute, keypad, transfer.
const cards = new Map();

function actionButton(card, action, label, run, className = '') {
  const button = el('button', { type: 'button', textContent: label, className });
  button.setAttribute('data-action', action);
  button.onclick = async () => {
    card.status.className = 'status';
    card.status.textContent = '';
    try {
      await run();
    } catch (e) {
      card.status.className = 'status error';
      card.status.textContent = `${label}: ${isZiwoError(e) ? `${e.message} (${e.code})` : e}`;
    }
  };
  return button;
}

function makeCard(call) {
  const id = call.callId;
  const card = { key: '' };
  card.state = el('span', { className: 'state' });
  card.durations = el('div', { className: 'durations' });
  card.buttons = el('div', { className: 'row actions' });
  card.digits = el('input', { placeholder: 'tones, e.g. 1#', size: 10, ariaLabel: 'Keypad tones' });
  card.transferTo = el('input', { placeholder: '+44 20 7946 0000', size: 14, ariaLabel: 'Transfer to' });
  card.keypad = el('div', { className: 'row keypad' },
    card.digits, actionButton(card, 'dtmf', 'Send tones', async () => { await phone.dtmf(id, card.digits.value); card.digits.value = ''; }, 'secondary'),
    card.transferTo, actionButton(card, 'transfer', 'Transfer', () => phone.transfer(id, card.transferTo.value), 'secondary'));
  card.status = el('p', { className: 'status', role: 'status' });
  card.history = el('ol');
  const who = findCustomer(call.customerNumber)?.name ?? call.customerNumber ?? 'unknown';
  card.root = el('div', { className: 'call', id: `call-${id}` },
    el('header', {}, el('span', { textContent: `${call.direction === 'inbound' ? '⬇' : '⬆'} ${who}` }), card.state),
    card.durations, card.buttons, card.keypad, card.status, card.history);
  return card;
}

function buttonsFor(card, call) {
  const id = call.callId;
  const b = (action, label, className) => actionButton(card, action, label, () => phone[action](id), className);
  const mute = call.muted ? b('unmute', 'Unmute', 'secondary') : b('mute', 'Mute', 'secondary');
  switch (call.state) {
    case 'ringing': return [b('answer', 'Answer'), b('hangup', 'Reject', 'danger')];
    case 'active': return [b('hold', 'Hold', 'secondary'), mute, b('hangup', 'Hang up', 'danger')];
    case 'held': return [b('unhold', 'Resume'), mute, b('hangup', 'Hang up', 'danger')];
    case 'requesting': case 'trying': case 'early': case 'answering': case 'recovering': return [b('hangup', 'Hang up', 'danger')];
    default: return [];
  }
}

function renderCalls() {
  const calls = phone.calls();
  const box = $('calls');
  for (const [id, card] of cards) {
    if (!calls.some((c) => c.callId === id)) { card.root.remove(); cards.delete(id); }
  }
  box.querySelector('.empty')?.remove();
  if (calls.length === 0) box.append(el('p', { className: 'empty', textContent: 'No call right now.' }));
  for (const call of calls) {
    let card = cards.get(call.callId);
    if (!card) {
      card = makeCard(call);
      cards.set(call.callId, card);
      box.append(card.root);
    }
    card.state.textContent = call.rawState + (call.muted ? ' · muted' : '');
    card.durations.textContent = `ringing ${secs(call.ringMs)} · talking ${secs(call.talkMs)} · on hold ${secs(call.holdMs)}` +
      `${call.mutedMs > 0 ? ` · muted ${secs(call.mutedMs)}` : ''}${call.recovered ? ' · recovered after reload' : ''}`;
    card.history.replaceChildren(...call.history.map((h) => el('li', { textContent: `${h.rawState} at ${time(h.at)}` })));
    const key = `${call.state}/${call.muted}`;
    if (key !== card.key) {
      card.key = key;
      card.buttons.replaceChildren(...buttonsFor(card, call));
      card.keypad.hidden = call.state !== 'active';
    }
  }
}
setInterval(renderCalls, 1000);

// Every transition of every call, once (the library drops repeats and the ziwo- twins);
// mute changes are not transitions: they have their own listener.
phone.onCall((e) => {
  renderCalls();
  if (e.state === 'destroy') logCall(e.call);
});
phone.onMute(renderCalls);

// A row per call as soon as it ends; its outcome (from ZIWO's CDR) fills in when the call
// log delivers the record.
function logCall(call) {
  const who = findCustomer(call.customerNumber)?.name ?? call.customerNumber ?? 'unknown';
  const row = el('tr', { id: `log-${call.callId}` },
    el('td', { textContent: time(call.at) }), el('td', { textContent: who }), el('td', { textContent: call.direction }),
    el('td', { textContent: secs(call.ringMs) }), el('td', { textContent: secs(call.talkMs) }), el('td', { textContent: secs(call.holdMs) }),
    el('td', { textContent: secs(call.mutedMs) }), el('td', { className: 'outcome', textContent: 'waiting for ZIWO’s record…' }),
    el('td', { className: 'states', textContent: call.history.map((h) => h.rawState).join(' → ') }));
  $('call-log').tBodies[0].prepend(row);
  return row;
}

// ---- the call log: one record per call, with its outcome and recording ----------------------
// The durable call log of the library (it survives reloads and closed tabs; one tab logs each
// call), waiting for each call's CDR through the REST client on the phone's own session.
let callLogStarted = false;
async function startCallLog() {
  if (callLogStarted) return;
  callLogStarted = true;
  try {
    const api = await createApiClient({ fromSession: true, baseUrl: API_URL });
    phone.onCallEnded((record) => showRecord(api, record), { cdr: api, cdrWaitMs: 30_000 });
  } catch (e) {
    callLogStarted = false;
    logEvent(`Call log unavailable: ${isZiwoError(e) ? `${e.message} (${e.code})` : e}`);
  }
}

/** What the CRM would save: here, the call log's row and the last call's card. */
function showRecord(api, record) {
  const cdr = record.cdr;
  const outcome = cdr
    ? `${cdr.disposition ?? '?'} · ${cdr.durationS ?? '?'} s · hung up by ${cdr.hangupBy === 'originator' ? 'the caller' : cdr.hangupBy === 'originatee' ? 'the callee' : cdr.hangupBy ?? '?'}`
    : record.cdrStatus === 'failed' ? `no record: ${record.cdrError.message}` : 'no record from ZIWO';
  const row = $(`log-${record.callId}`) ?? logCall({ ...record, at: record.endedAt });
  const cell = row.querySelector('.outcome');
  cell.textContent = outcome;
  if (cdr?.recordingFile) {
    const play = el('button', { type: 'button', textContent: '▶ Play' });
    play.onclick = () => playRecording(api, cdr.callId, cell);
    cell.append(' ', play);
  }
  if (cdr) showLastCall(api, record);
}

async function playRecording(api, callId, where) {
  try {
    const audio = el('audio', { controls: true, autoplay: true, src: await api.recordingUrl(callId) });
    audio.onended = () => URL.revokeObjectURL(audio.src);
    where.querySelector('audio')?.remove();
    where.append(audio);
  } catch (e) {
    logEvent(`Recording unavailable: ${isZiwoError(e) ? `${e.message} (${e.code})` : e}`);
  }
}

// ---- the last call's record and recording, from the REST API ------------------------------
async function showLastCall(api, record) {
  const box = $('last-call');
  const cdr = record.cdr;
  const rows = [['Call', cdr.callId], ['Direction', cdr.direction], ['Customer', record.customerNumber ?? cdr.callerIdNumber],
    ['Duration', `${cdr.durationS} s`], ['On hold', `${cdr.holdTimeS} s`], ['Disposition', cdr.disposition],
    ['Hang-up', cdr.hangupCause], ['Hung up by', cdr.hangupBy]];
  const list = el('dl', {}, ...rows.flatMap(([k, v]) => [el('dt', { textContent: k }), el('dd', { textContent: String(v ?? '—') })]));
  if (!cdr.recordingFile) return box.replaceChildren(list);
  try {
    const audio = el('audio', { controls: true, src: await api.recordingUrl(cdr.callId) });
    if (box.dataset.url) URL.revokeObjectURL(box.dataset.url);
    box.dataset.url = audio.src;
    box.replaceChildren(list, audio);
  } catch (e) {
    box.replaceChildren(list, el('p', { className: 'status error', textContent: `Recording unavailable: ${isZiwoError(e) ? `${e.message} (${e.code})` : e}` }));
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

// ---- simulator controls: the customer's and the network's side ------------------------------
$('sim-inbound').onclick = () => sim()?.inbound({ number: $('caller').value.replace(/[^\d+]/g, '') });
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
  driver = await connectSimulator();
  // Connected (the badge is set by onConnected), or logged out: the phone shows its form.
  await phone.ready({ timeoutMs: 60_000 }).then(startCallLog, (e) => {
    if (e.code === 'logged-out') setAgent('logged-out', LOGGED_OUT);
  });
} catch (e) {
  setAgent('disconnected', `could not load the phone: ${e.message}`);
}
