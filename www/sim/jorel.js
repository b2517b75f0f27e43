/*
 * ZIWO web phone ("jorel") SIMULATOR, for the demo page and the browser tests.
 *
 * The real phone is https://<cc>.aswat.co/scripts/jorel.js; we cannot run it, so this file
 * reproduces its observable behaviour as described in shared/ziwo-contract.md, quirks included.
 * Plain ES2019 script, one IIFE, no build step. Globals: window['_jorel-callPhoneNumber']
 * (only once "loaded") and window.__ziwoSim (test controls, synchronously). It reads
 * window.__ziwoSimConfig and the query string of its own src.
 *
 * Behaviour -> contract section it honours:
 *  §1  Loaded by <script id="jorelScriptLoader" async> prepended to body; reads
 *      localStorage '_jorel-default-position' / '_jorel-default-size' (plain strings, defaults
 *      bottom-right / normal) and renders #ziwo-sim-phone at that corner.
 *  §2  Auto-login from plain-string '_jorel-token' + '_jorel-ccName'; a JSON-quoted value
 *      ('"abc"') is rejected (error 1001, login form). Manual login form writes the three keys.
 *      Writes '_jorel-ccLogin' on connect. A throwing localStorage shows the login form.
 *  §3  window['_jorel-callPhoneNumber'] exists only after the load delay; before connect it
 *      dispatches error 1004 and throws; numbers must match ^\+?\d+$ (core-front's check).
 *  §4  Every event is dispatched twice, '_jorel-dialog-state-<x>' then 'ziwo-<x>', with the
 *      SAME detail object. Call details are a new object per emission holding the call's LIVE
 *      stateFlow array and cyclic, non-serialisable currentCall/dialog. Flows and their
 *      duplicates: outbound requesting,trying,early,active,active; inbound ringing,answering,
 *      answering,active,active (or active,answering,answering,active when media comes first);
 *      agent hang-up hangup(agent),hangup(customer),destroy; remote hang-up hangup,destroy;
 *      optional late error 1003 after destroy; attended transfer interleaves two calls;
 *      'recovering' after a reload; input-/output-changed at start-up; 'disconnected' twice
 *      (Duplicate connection, Socket closed) when another tab takes the session.
 *  §4b Acting on a call. Config `shape`: 'verto' (default; the older phone: details carry
 *      `dialog` AND `currentCall`) or 'sdk' (ziwo-core-front: no `dialog` key at all).
 *      currentCall is core-front's Call: answer, hangup, hold, unhold, mute, unmute,
 *      dtmf(char), blindTransfer(dest); it guards nothing (a second answer sends a second
 *      verto.answer, hangup on an ended call sends another bye); answer puts the other active
 *      calls on hold and dispatches 'active' synchronously, hangup dispatches
 *      hangup, purge, destroy synchronously (the server's bye comes later as a stray 'hangup'),
 *      hold/unhold change state only when the "server" confirms. dialog is FreeSWITCH
 *      verto.js's $.verto.dialog: answer (once: verto.js's `answered` flag), hangup (nothing
 *      once the call has hung up), hold, unhold, toggleHold (verto.modify 'toggleHold'),
 *      dtmf(digits) and transfer(dest) (nothing for an empty argument), setMute('on' = microphone
 *      ON = unmuted | 'off' = muted | 'toggle'; returns true when muted; dispatches no event,
 *      as verto.js switches only the microphone track) and getMute() (true when
 *      the microphone is ON, i.e. NOT muted: verto.js returns its audioEnabled flag).
 *      Test record: sim.sent (what went out on the verto socket) and sim.invoked (every method
 *      call on either object, {target, method, args}).
 *  §6  CDRs. ZIWO's server keeps a CDR of every call some time after it ends; the API stand-in
 *      (scripts/api-server.mjs) is a separate program, so config `apiUrl` (default '' = off;
 *      its http(s) origin, e.g. 'http://127.0.0.1:47882') tells it: every call that ends
 *      ('destroy', however it came: agent or remote hang-up, reject, transfer, a recovered
 *      call...) is reported once with POST apiUrl + '/__control/calls' {callID, primaryCallID,
 *      direction, customerNumber, startedAt (created here), answeredAt (first 'active', or
 *      null), endedAt (first 'hangup'), hangupBy ('agent' for the agent's hang-up, reject or
 *      transfer, 'customer' for remoteHangup), holdMs (time 'held'), ccLogin}, fire and forget
 *      (a failure is only warned about, once). The stand-in writes the CDR after its own delay.
 *      reset() and a reload end no call: nothing is reported.
 *
 * Timing: events that would come from the server fire asynchronously (setTimeout, even with
 * a 0 ms delay): the first stepDelayMs after the control call, the next ones stepDelayMs
 * apart. Agent-local events are synchronous, as in core-front: 'mute', 'unmute' and the
 * first 'hangup' (origin 'agent') are dispatched inside the call that causes them.
 */
(function () {
  'use strict';

  if (window.__ziwoSim) {
    // Injected twice (e.g. a loader that does not check for an existing script): the real
    // phone would render twice; we only count it, so tests can assert loadCount === 1.
    window.__ziwoSim.loadCount += 1;
    return;
  }

  var PREFIXES = ['_jorel-dialog-state-', 'ziwo-'];
  var KEY = {
    token: '_jorel-token',
    ccName: '_jorel-ccName',
    ccLogin: '_jorel-ccLogin',
    position: '_jorel-default-position',
    size: '_jorel-default-size',
  };
  var CALLS_KEY = '_ziwo-sim-calls'; // sessionStorage: unfinished calls, for recovery
  var POSITIONS = ['bottom-right', 'bottom-left', 'top-right', 'top-left'];
  var SIZES = ['normal', 'small', 'mini'];
  var DIRECTIONS = ['outbound', 'inbound', 'internal', 'service'];
  var NUMBER_RE = /^\+?\d+$/;
  var CC_NAME_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

  /* ------------------------------------------------------------------ config */

  var DEFAULTS = {
    loadDelayMs: 300, // script "downloads and boots": callPhoneNumber appears after this
    connectDelayMs: 200, // login round trip before 'connected'
    stepDelayMs: 150, // one server round trip between call events
    answerDelayMs: 1500, // outbound: customer picks up this long after 'early'
    autoAnswerOutbound: true, // false: outbound calls stay 'early' until remoteAnswer()
    mediaFirst: false, // inbound answer order active,answering,answering,active
    lateMissingCall: false, // every hang-up ends with a late error 1003
    purge: false, // emit core-front's 'purge' right before every 'destroy'
    ccLogin: '1001', // the agent's contact-center login
    shape: 'verto', // 'verto': details carry dialog + currentCall; 'sdk': currentCall only (§4b)
    apiUrl: '', // the API stand-in's origin: ended calls are reported there for a CDR (§6); '' = off
  };
  var SHAPES = ['verto', 'sdk'];

  // coerce() plus the keys whose values are an enumeration.
  function coerceKey(key, value) {
    var v = coerce(value, DEFAULTS[key]);
    if (key === 'shape' && SHAPES.indexOf(v) < 0) v = DEFAULTS.shape;
    if (key === 'apiUrl') v = httpUrl(v);
    return v;
  }

  // An http(s) URL without its trailing slashes, or '' (off) for anything else.
  function httpUrl(value) {
    if (typeof value !== 'string' || value === '') return '';
    try {
      var u = new URL(value);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return '';
    } catch (e) {
      return '';
    }
    return value.replace(/\/+$/, '');
  }

  function coerce(value, def) {
    if (typeof def === 'number') {
      var n = Number(value);
      return value !== '' && value !== null && isFinite(n) && n >= 0 ? n : def;
    }
    if (typeof def === 'boolean') {
      if (typeof value === 'boolean') return value;
      return value === '' || value === 'true' || value === '1';
    }
    return value === undefined || value === null ? def : value;
  }

  function readConfig() {
    var cfg = {};
    var user = window.__ziwoSimConfig;
    var params = null;
    try {
      var script = document.currentScript || document.getElementById('jorelScriptLoader');
      if (script && script.src) params = new URL(script.src, location.href).searchParams;
    } catch (e) {
      params = null;
    }
    Object.keys(DEFAULTS).forEach(function (k) {
      var v = DEFAULTS[k];
      if (user && typeof user === 'object' && user[k] !== undefined) v = coerceKey(k, user[k]);
      if (params && params.has(k)) v = coerceKey(k, params.get(k)); // query wins
      cfg[k] = v;
    });
    cfg.agent = user && user.agent && typeof user.agent === 'object' ? user.agent : null;
    return cfg;
  }

  var cfg = readConfig();

  /* ----------------------------------------------------------------- helpers */

  function uuid() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === 'function') return c.randomUUID();
    var b = new Uint8Array(16);
    if (c && typeof c.getRandomValues === 'function') c.getRandomValues(b);
    else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  // Storage access never throws out of here: blocked storage is a normal situation (§2).
  function lsGet(key) {
    return window.localStorage.getItem(key); // may throw: callers catch
  }
  function lsSet(key, value) {
    try {
      window.localStorage.setItem(key, value);
      return true;
    } catch (e) {
      return false;
    }
  }
  function lsTryGet(key) {
    try {
      return lsGet(key);
    } catch (e) {
      return null;
    }
  }
  function ssGet(key) {
    try {
      return window.sessionStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }
  function ssSet(key, value) {
    try {
      if (value === null) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, value);
    } catch (e) {
      /* recovery simply will not work */
    }
  }

  /* ------------------------------------------------------------------ events */

  var log = []; // {name, callID} per dispatched event, both prefixes, in order

  // core-front's ZiwoEvent.dispatchEvents: one detail object, two event names, back to back.
  function fire(name, detail) {
    PREFIXES.forEach(function (p) {
      log.push({ name: p + name, callID: detail && typeof detail === 'object' ? detail.callID : undefined });
      window.dispatchEvent(new CustomEvent(p + name, { detail: detail }));
    });
  }

  function fireError(code, inner) {
    fire('error', { code: code, inner: inner });
  }

  /* ------------------------------------------------------------------ timers */

  var globalTimers = [];

  function later(call, ms, fn) {
    var list = call ? call.timers : globalTimers;
    var id = setTimeout(function () {
      var i = list.indexOf(id);
      if (i >= 0) list.splice(i, 1);
      fn();
    }, ms);
    list.push(id);
    return id;
  }

  // Runs [[delayMs, fn], ...] in order, each delay counted from the previous step. The chain
  // lives in call.timers, so cancel(call) stops what is left of it.
  function steps(call, list) {
    (function next(i) {
      if (i >= list.length) return;
      later(call, list[i][0], function () {
        list[i][1]();
        next(i + 1);
      });
    })(0);
  }

  function cancel(call) {
    call.timers.forEach(clearTimeout);
    call.timers.length = 0;
  }

  /* ------------------------------------------------------------- phone model */

  // Stands for core-front's Verto singleton: each call points at it and it points back at
  // each call through `calls`, which is what makes currentCall cyclic (§4).
  var phone = {
    sessid: uuid(),
    calls: [],
    connectedAgent: null,
    contactCenterName: null,
    socket: { url: null, readyState: 0 },
  };

  var status = 'loading'; // loading | logged-out | connecting | connected | disconnected
  var statusMessage = '';
  var loaded = false;
  var dialed = [];
  var loginError = '';
  var sent = []; // what the phone sent on the verto socket (§4b), plain objects, in order
  var invoked = []; // {target: 'dialog' | 'currentCall', method, args}: every method call

  var LIVE_STATES = ['requesting', 'trying', 'early', 'ringing', 'answering', 'active', 'held', 'recovering', null];

  // The live call object (core-front's Call): handed out as detail.currentCall. Keep `verto`
  // the first own property, so JSON.stringify meets the cycle before anything else.
  function SimCall(o) {
    this.verto = phone;
    this.callId = o.callID || uuid();
    if (o.primaryCallID) this.primaryCallId = o.primaryCallID;
    this.phoneNumber = o.customerNumber;
    this.direction = o.direction;
    this.states = o.states || []; // THE stateFlow array: shared by every event, keeps growing
    this.state = o.state || null; // last call state (not mute/unmute/purge)
    this.muted = false;
    this.ending = false;
    this.answerRequested = false;
    this.mediaFirst = o.mediaFirst;
    Object.defineProperty(this, 'timers', { value: [], enumerable: false });
    // What the CDR report needs beyond the stateFlow (§6); kept off the call's own keys, as
    // core-front's Call has none of them.
    Object.defineProperty(this, 'ended', {
      value: { startedAt: typeof o.startedAt === 'number' ? o.startedAt : Date.now(), hangupBy: null, reported: false },
      enumerable: false,
    });
    // A real RTCPeerConnection must never be walked or serialised by the library: reading
    // this property is a bug in the reader, so make it loud.
    Object.defineProperty(this, 'rtcPeerConnection', {
      enumerable: true,
      get: function () {
        throw new Error('ziwo-sim: currentCall.rtcPeerConnection was read; a library must not walk currentCall');
      },
    });
    this.channel = { stream: null, remoteStream: null, call: this };
    // The verto dialog (older phone, §4b): also cyclic, able to drive the call. Kept out of
    // the call's own properties: core-front's Call has no dialog.
    dialogs.set(this, new SimDialog(this));
    phone.calls.push(this);
  }

  var dialogs = new WeakMap(); // SimCall -> SimDialog

  // FreeSWITCH verto.js's $.verto.dialog, as far as a page can see it. Its methods are on
  // SimDialog.prototype (see "call control" below).
  function SimDialog(call) {
    this.callID = call.callId;
    this.direction = call.direction;
    this.verto = phone;
    this.call = call;
  }

  function summary(call) {
    return {
      callID: call.callId,
      primaryCallID: call.primaryCallId,
      customerNumber: call.phoneNumber,
      direction: call.direction,
      state: call.state,
      muted: call.muted,
    };
  }

  // core-front's Call.pushState: record the state in the live array, then emit a NEW detail.
  function push(call, state, extra) {
    var d = new Date();
    call.states.push({ state: state, date: d, dateUNIX: d.getTime() / 1000 });
    if (state === 'mute') call.muted = true;
    else if (state === 'unmute') call.muted = false;
    else if (state !== 'purge') call.state = state;

    var detail = Object.assign({}, extra, {
      type: state,
      callID: call.callId,
      customerNumber: call.phoneNumber,
      direction: call.direction,
      stateFlow: call.states,
      currentCall: call,
    });
    if (cfg.shape === 'verto') detail.dialog = dialogs.get(call);
    if (call.primaryCallId) detail.primaryCallID = call.primaryCallId;
    fire(state, detail);

    if (state === 'hangup' && !call.ended.hangupBy) {
      call.ended.hangupBy = extra && extra.origin === 'customer' ? 'customer' : 'agent';
    }
    if (state === 'destroy') {
      cancel(call);
      var i = phone.calls.indexOf(call);
      if (i >= 0) phone.calls.splice(i, 1);
      reportEnded(call);
    }
    persist();
    render();
  }

  /* -------------------------------------------------------------- CDRs (§6) */

  // The times of an ended call, from its stateFlow: answered at the first 'active', ended at
  // the first 'hangup' (or 'destroy'), held from each 'held' to the next 'active' or the end.
  function callTimes(call) {
    var t = { answeredAt: null, endedAt: null, holdMs: 0 };
    var heldSince = null;
    call.states.forEach(function (x) {
      if (t.endedAt !== null) return;
      var at = Math.round(x.dateUNIX * 1000);
      if (x.state === 'held') {
        if (heldSince === null) heldSince = at;
        return;
      }
      var ends = x.state === 'hangup' || x.state === 'destroy';
      if (heldSince !== null && (x.state === 'active' || ends)) {
        t.holdMs += Math.max(0, at - heldSince);
        heldSince = null;
      }
      if (x.state === 'active' && t.answeredAt === null) t.answeredAt = at;
      if (ends) t.endedAt = at;
    });
    if (t.endedAt === null) t.endedAt = Date.now();
    return t;
  }

  var reportWarned = false;

  function reportFailed(why) {
    if (reportWarned) return;
    reportWarned = true;
    console.warn('ziwo-sim: could not report an ended call to ' + cfg.apiUrl + ' (no CDR for it): ' + why);
  }

  // Tells the API stand-in that `call` ended, once, so it writes the call's CDR (§6).
  function reportEnded(call) {
    if (call.ended.reported) return;
    call.ended.reported = true;
    if (!cfg.apiUrl) return;
    if (typeof window.fetch !== 'function') {
      reportFailed('no fetch');
      return;
    }
    var t = callTimes(call);
    var startedAt = Math.min(call.ended.startedAt, t.endedAt);
    var agent = phone.connectedAgent;
    var body = {
      callID: call.callId,
      direction: call.direction,
      startedAt: startedAt,
      answeredAt: t.answeredAt === null ? null : Math.max(startedAt, t.answeredAt),
      endedAt: t.endedAt,
      hangupBy: call.ended.hangupBy || 'customer',
      holdMs: t.holdMs,
      ccLogin: String(agent ? agent.userInfo.ccLogin : cfg.ccLogin),
    };
    if (call.primaryCallId) body.primaryCallID = call.primaryCallId;
    if (call.phoneNumber !== undefined && call.phoneNumber !== null) body.customerNumber = String(call.phoneNumber);
    try {
      window.fetch(cfg.apiUrl + '/__control/calls', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        keepalive: true, // the page may be leaving right after the hang-up
      }).then(
        function (res) { if (!res.ok) reportFailed('HTTP ' + res.status); },
        function (err) { reportFailed(String(err)); }
      );
    } catch (err) {
      reportFailed(String(err));
    }
  }

  /* ---------------------------------------------------------------- recovery */

  // Calls the server would re-attach after a reload: answered and not ended. Read at start-up,
  // replayed once the agent is connected.
  var pendingRecovery = loadStoredCalls();

  function loadStoredCalls() {
    var raw = ssGet(CALLS_KEY);
    if (!raw) return [];
    try {
      var list = JSON.parse(raw);
      if (!Array.isArray(list)) return [];
      return list.filter(function (s) {
        return s && typeof s.callID === 'string' && (s.state === 'active' || s.state === 'held') && Array.isArray(s.stateFlow);
      });
    } catch (e) {
      return [];
    }
  }

  function persist() {
    var list = pendingRecovery.concat(
      phone.calls.map(function (c) {
        var s = summary(c);
        s.startedAt = c.ended.startedAt;
        s.stateFlow = c.states.map(function (x) {
          return { state: x.state, date: x.date.toISOString(), dateUNIX: x.dateUNIX };
        });
        return s;
      })
    );
    ssSet(CALLS_KEY, list.length ? JSON.stringify(list) : null);
  }

  function recoverPending() {
    var list = pendingRecovery;
    pendingRecovery = [];
    list.forEach(function (s) {
      var call = new SimCall({
        callID: s.callID,
        startedAt: typeof s.startedAt === 'number' && isFinite(s.startedAt) ? s.startedAt : undefined,
        primaryCallID: s.primaryCallID,
        customerNumber: s.customerNumber,
        direction: s.direction,
        state: s.state,
        states: s.stateFlow.map(function (x) {
          var unix = Number(x.dateUNIX);
          return { state: String(x.state), date: new Date(unix * 1000), dateUNIX: unix };
        }),
      });
      call.muted = !!s.muted;
      var back = s.state === 'held' ? 'held' : 'active';
      steps(call, [
        [cfg.stepDelayMs, function () { push(call, 'recovering'); }],
        [cfg.stepDelayMs, function () { push(call, back); }],
      ]);
    });
  }

  /* --------------------------------------------------------------- sessions */

  var loadedWaiters = [];
  var connectedWaiters = [];
  var loadedPromise = new Promise(function (resolve) { loadedWaiters.push(resolve); });

  function makeAgent(ccName, username) {
    var info = Object.assign(
      {
        id: 42,
        firstName: 'Sim',
        lastName: 'Agent',
        username: username || 'agent@' + ccName + '.example',
        ccLogin: cfg.ccLogin,
        // core-front's agent info carries the SIP password: a library must never forward it.
        ccPassword: 'sim-sip-secret',
        status: 'active',
        type: 'agent',
        photo: null,
        roleId: 3,
        contactNumber: null,
      },
      cfg.agent || {}
    );
    // ZIWO's SDK shape (contract §4): the agent's own fields only in `userInfo`, nothing
    // at the top of `agent` beside queues, numbers, webRtc and position.
    return {
      userInfo: info,
      queues: [],
      numbers: [],
      webRtc: { socket: 'wss://' + ccName + '-api.aswat.co:8443' },
      position: { name: 'agent-' + info.ccLogin, password: 'md5-of-login-and-sip-password', hostname: ccName + '-api.aswat.co' },
    };
  }

  function setStatus(s, message) {
    status = s;
    statusMessage = message || '';
    render();
  }

  function connect(agent, ccName) {
    if (status === 'connected') return;
    phone.connectedAgent = agent;
    phone.contactCenterName = ccName;
    phone.socket = { url: agent.webRtc.socket, readyState: 1 };
    status = 'connected';
    statusMessage = '';
    lsSet(KEY.ccLogin, String(agent.userInfo.ccLogin)); // plain string, like the real phone (§2)
    fire('connected', { agent: agent, contactCenterName: ccName });
    connectedWaiters.splice(0).forEach(function (resolve) { resolve(); });
    render();
    recoverPending();
  }

  // §2 Auto Login: '_jorel-token' and '_jorel-ccName', read as plain strings.
  function autoLogin() {
    var token;
    var ccName;
    try {
      token = lsGet(KEY.token);
      ccName = lsGet(KEY.ccName);
    } catch (e) {
      setStatus('logged-out', 'Storage unavailable');
      return;
    }
    if (!token || !ccName) {
      setStatus('logged-out');
      return;
    }
    if (token.charAt(0) === '"' || ccName.charAt(0) === '"') {
      // A JSON-encoded value ("\"abc\"") is sent as-is and the server refuses it.
      setStatus('logged-out', 'Authentication failed');
      fireError(1001, { message: 'Authentication failed: stored credentials are not plain strings' });
      return;
    }
    setStatus('connecting');
    later(null, cfg.connectDelayMs, function () { connect(makeAgent(ccName), ccName); });
  }

  function manualLogin(ccName, username, password) {
    if (!ccName || !username || !password) {
      loginError = 'All three fields are required.';
      render();
      return;
    }
    if (!CC_NAME_RE.test(ccName)) {
      loginError = 'Unknown contact center.';
      render();
      return;
    }
    loginError = '';
    // What the real phone keeps so that a refresh does not log out (§2).
    lsSet(KEY.token, uuid());
    lsSet(KEY.ccName, ccName);
    lsSet(KEY.ccLogin, String(cfg.agent && cfg.agent.ccLogin !== undefined ? cfg.agent.ccLogin : cfg.ccLogin));
    setStatus('connecting');
    later(null, cfg.connectDelayMs, function () { connect(makeAgent(ccName, username), ccName); });
  }

  /* ------------------------------------------------------------------ calls */

  function requireConnected(what) {
    if (status !== 'connected') throw new Error('ziwo-sim: ' + what + ' needs a connected agent');
  }

  // Finds the call a control acts on: by id, or the most recent call in one of `states`.
  function findCall(callID, states, action) {
    var calls = phone.calls;
    if (callID !== undefined && callID !== null) {
      for (var i = 0; i < calls.length; i++) {
        if (calls[i].callId === callID) {
          var c = calls[i];
          if (c.ending || states.indexOf(c.state) < 0) {
            throw new Error('ziwo-sim: cannot ' + action + ' call ' + callID + ' in state ' + (c.ending ? 'hangup' : c.state));
          }
          return c;
        }
      }
      throw new Error('ziwo-sim: no live call ' + callID);
    }
    for (var j = calls.length - 1; j >= 0; j--) {
      if (!calls[j].ending && states.indexOf(calls[j].state) >= 0) return calls[j];
    }
    throw new Error('ziwo-sim: no call to ' + action + ' (wanted state ' + states.join('|') + ')');
  }

  function pickForHangup(callID) {
    if (callID !== undefined && callID !== null) return findCall(callID, LIVE_STATES, 'hang up');
    try {
      return findCall(null, ['active'], 'hang up'); // the call the agent is talking on
    } catch (e) {
      return findCall(null, LIVE_STATES, 'hang up');
    }
  }

  // core-front holds every other call before answering or unholding one: a verto.modify
  // hold each, and 'held' when the server confirms.
  function holdOthers(call) {
    phone.calls.forEach(function (other) {
      if (other !== call && !other.ending && other.state === 'active') {
        send({ method: 'verto.modify', callID: other.callId, action: 'hold' });
        steps(other, [[cfg.stepDelayMs, function () { push(other, 'held'); }]]);
      }
    });
  }

  function outboundFlow(call) {
    var s = cfg.stepDelayMs;
    var list = [
      [s, function () { push(call, 'requesting'); }],
      [s, function () { push(call, 'trying'); }],
      [s, function () { push(call, 'early'); }],
    ];
    if (cfg.autoAnswerOutbound) list = list.concat(customerAnswers(call, cfg.answerDelayMs));
    steps(call, list);
  }

  // The customer picks up: 'active' for the media, 'active' again for verto.display.
  function customerAnswers(call, firstDelay) {
    return [
      [firstDelay, function () { push(call, 'active'); }],
      [cfg.stepDelayMs, function () { push(call, 'active'); }],
    ];
  }

  // End of every call: [purge,] destroy, and optionally the server's late reply (§4).
  function finish(call, opts) {
    if (cfg.purge) push(call, 'purge');
    push(call, 'destroy');
    var late = opts && opts.lateMissingCall !== undefined ? opts.lateMissingCall : cfg.lateMissingCall;
    if (late) {
      later(null, cfg.stepDelayMs, function () { fireError(1003, 'Received event from unknown callID'); });
    }
  }

  /* ----------------------------------------------------- call control (§4b) */

  // Timers of what the server does after a call was destroyed (the stray bye): reset() stops
  // them, a call's own cancel() does not.
  var afterlife = { timers: [] };

  function send(message) {
    sent.push(message);
  }

  // A plain copy of an argument, for sim.invoked: never a live object.
  function plain(value) {
    if (value === null || typeof value !== 'object') return typeof value === 'function' ? String(value) : value;
    try {
      return JSON.parse(JSON.stringify(value));
    } catch (e) {
      return String(value);
    }
  }

  function record(target, method, args) {
    invoked.push({ target: target, method: method, args: Array.prototype.map.call(args, plain) });
  }

  function isDestroyed(call) {
    return phone.calls.indexOf(call) < 0;
  }

  // Whether the server still acts on the call: not destroyed and not on its way out.
  function isLive(call) {
    return !isDestroyed(call) && !call.ending;
  }

  // steps() for what the server does in reply: nothing once the call has gone.
  function serverSteps(call, list) {
    steps(call, list.map(function (step) {
      return [step[0], function () { if (isLive(call)) step[1](); }];
    }));
  }

  // core-front: ORIGINATOR_CANCEL/487 for an outbound call the customer has not answered.
  function bye(call) {
    var unanswered = call.direction === 'outbound' && ['requesting', 'trying', 'early', null].indexOf(call.state) >= 0;
    send({
      method: 'verto.bye',
      callID: call.callId,
      cause: unanswered ? 'ORIGINATOR_CANCEL' : 'NORMAL_CLEARING',
      causeCode: unanswered ? 487 : 16,
    });
  }

  function mediaFirstFor(call, opts) {
    if (opts && opts.mediaFirst !== undefined) return !!opts.mediaFirst;
    return call.mediaFirst !== undefined ? !!call.mediaFirst : !!cfg.mediaFirst;
  }

  // The older phone's answer as the server answers it: core-front repeats 'answering'
  // (verto.answer handled twice) and 'active' (local answer + verto.display); when media
  // arrives first the order is scrambled (§4).
  function answerFlow(call, mediaFirst) {
    var groups = mediaFirst
      ? [['active'], ['answering', 'answering'], ['active']]
      : [['answering', 'answering'], ['active'], ['active']];
    serverSteps(call, groups.map(function (g) {
      return [cfg.stepDelayMs, function () { g.forEach(function (s) { push(call, s); }); }];
    }));
  }

  // The agent's hang-up as the older phone reports it: 'hangup' (origin agent) at once, then
  // the server's bye ('hangup', origin customer) and the end of the call.
  function agentHangup(call, opts) {
    call.ending = true;
    cancel(call);
    push(call, 'hangup', { origin: 'agent' });
    steps(call, [[cfg.stepDelayMs, function () {
      push(call, 'hangup', { origin: 'customer' });
      finish(call, opts);
    }]]);
  }

  function holdCall(call) {
    send({ method: 'verto.modify', callID: call.callId, action: 'hold' });
    serverSteps(call, [[cfg.stepDelayMs, function () { push(call, 'held'); }]]);
  }

  function unholdCall(call, others) {
    if (others) holdOthers(call);
    send({ method: 'verto.modify', callID: call.callId, action: 'unhold' });
    serverSteps(call, [[cfg.stepDelayMs, function () { push(call, 'active'); }]]);
  }

  // Blind transfer: the server moves the customer elsewhere and the call leaves the agent.
  function transferCall(call, destination) {
    send({ method: 'verto.modify', callID: call.callId, action: 'transfer', destination: String(destination) });
    serverSteps(call, [[cfg.stepDelayMs, function () {
      call.ending = true;
      push(call, 'hangup', { origin: 'transfer' });
      finish(call);
    }]]);
  }

  function dtmfCall(call, digits) {
    send({ method: 'verto.info', callID: call.callId, dtmf: String(digits) });
  }

  // ---- ziwo-core-front's Call (detail.currentCall). Guards nothing.

  SimCall.prototype.answer = function () {
    record('currentCall', 'answer', arguments);
    requireConnected('currentCall.answer()');
    holdOthers(this);
    send({ method: 'verto.answer', callID: this.callId });
    this.answerRequested = true;
    if (!isDestroyed(this)) {
      // Media first, then the server: active (local), answering x2 (verto.answer), active.
      push(this, 'active');
      var call = this;
      serverSteps(call, [
        [cfg.stepDelayMs, function () { push(call, 'answering'); push(call, 'answering'); }],
        [cfg.stepDelayMs, function () { push(call, 'active'); }],
      ]);
    }
    return Promise.resolve();
  };

  SimCall.prototype.hangup = function () {
    record('currentCall', 'hangup', arguments);
    requireConnected('currentCall.hangup()');
    var call = this;
    var destroyed = isDestroyed(call);
    cancel(call);
    bye(call);
    call.ending = true;
    push(call, 'hangup', { origin: 'agent' });
    if (!destroyed) {
      push(call, 'purge');
      push(call, 'destroy');
      // The server's own bye for a call core-front has already destroyed.
      later(afterlife, cfg.stepDelayMs, function () {
        push(call, 'hangup', { origin: 'customer' });
        if (cfg.lateMissingCall) {
          later(afterlife, cfg.stepDelayMs, function () { fireError(1003, 'Received event from unknown callID'); });
        }
      });
    }
    return Promise.resolve();
  };

  SimCall.prototype.hold = function () {
    record('currentCall', 'hold', arguments);
    requireConnected('currentCall.hold()');
    holdCall(this);
    return Promise.resolve();
  };

  SimCall.prototype.unhold = function () {
    record('currentCall', 'unhold', arguments);
    requireConnected('currentCall.unhold()');
    unholdCall(this, true);
    return Promise.resolve();
  };

  // Local in core-front (the microphone tracks are switched): nothing sent, event at once.
  SimCall.prototype.mute = function () {
    record('currentCall', 'mute', arguments);
    push(this, 'mute');
    return Promise.resolve();
  };

  SimCall.prototype.unmute = function () {
    record('currentCall', 'unmute', arguments);
    push(this, 'unmute');
    return Promise.resolve();
  };

  SimCall.prototype.dtmf = function (char) {
    record('currentCall', 'dtmf', arguments);
    requireConnected('currentCall.dtmf()');
    dtmfCall(this, char);
    return Promise.resolve();
  };

  SimCall.prototype.blindTransfer = function (destination) {
    record('currentCall', 'blindTransfer', arguments);
    requireConnected('currentCall.blindTransfer()');
    transferCall(this, destination);
    return Promise.resolve();
  };

  // ---- FreeSWITCH verto.js's dialog (detail.dialog, shape 'verto'). Its only guards are
  // verto.js's own: `answered`, a hang-up only from a live state, and empty dtmf/transfer.

  SimDialog.prototype.answer = function () {
    record('dialog', 'answer', arguments);
    requireConnected('dialog.answer()');
    var call = this.call;
    if (call.answerRequested) return; // verto.js: if (!dialog.answered) { ... }
    call.answerRequested = true;
    send({ method: 'verto.answer', callID: call.callId });
    answerFlow(call, mediaFirstFor(call));
  };

  SimDialog.prototype.hangup = function () {
    record('dialog', 'hangup', arguments);
    requireConnected('dialog.hangup()');
    var call = this.call;
    // verto.js only leaves a state before 'hangup': once hung up there is nothing to send.
    if (isDestroyed(call) || call.state === 'hangup') return;
    bye(call);
    agentHangup(call);
  };

  SimDialog.prototype.hold = function () {
    record('dialog', 'hold', arguments);
    requireConnected('dialog.hold()');
    holdCall(this.call);
  };

  SimDialog.prototype.unhold = function () {
    record('dialog', 'unhold', arguments);
    requireConnected('dialog.unhold()');
    unholdCall(this.call, false);
  };

  // verto.js sends {action: 'toggleHold'} and the server decides from the call's state.
  SimDialog.prototype.toggleHold = function () {
    record('dialog', 'toggleHold', arguments);
    requireConnected('dialog.toggleHold()');
    var call = this.call;
    send({ method: 'verto.modify', callID: call.callId, action: 'toggleHold' });
    serverSteps(call, [[cfg.stepDelayMs, function () {
      if (call.state === 'held') push(call, 'active');
      else if (call.state === 'active') push(call, 'held');
    }]]);
  };

  // verto.js's FSRTC.setMute switches the microphone track: 'on' ENABLES it (unmuted), 'off'
  // disables it (muted), 'toggle' flips it; it returns !audioEnabled, i.e. true when muted.
  SimDialog.prototype.setMute = function (what) {
    record('dialog', 'setMute', arguments);
    var call = this.call;
    var muted;
    if (what === 'on') muted = false;
    else if (what === 'off') muted = true;
    else if (what === 'toggle') muted = !call.muted;
    else return call.muted;
    // Only the microphone track changes: verto.js dispatches no event for it (the SDK's
    // mute()/unmute() and the phone's own buttons do).
    call.muted = muted;
    persist();
    render();
    return call.muted;
  };

  // verto.js's FSRTC.getMute returns audioEnabled: true while the microphone is ON.
  SimDialog.prototype.getMute = function () {
    record('dialog', 'getMute', arguments);
    return !this.call.muted;
  };

  SimDialog.prototype.dtmf = function (digits) {
    record('dialog', 'dtmf', arguments);
    requireConnected('dialog.dtmf()');
    if (digits) dtmfCall(this.call, digits);
  };

  SimDialog.prototype.transfer = function (destination) {
    record('dialog', 'transfer', arguments);
    requireConnected('dialog.transfer()');
    if (destination) transferCall(this.call, destination);
  };

  function validNumber(number) {
    return typeof number === 'string' && NUMBER_RE.test(number);
  }

  // §3 window['_jorel-callPhoneNumber'](number)
  function callPhoneNumber(number) {
    if (status !== 'connected') {
      fireError(1004, { message: 'Agent not connected' });
      throw new Error('Agent not connected');
    }
    if (!validNumber(number)) {
      fireError(1004, { message: 'Invalid phone number', number: String(number) });
      throw new Error('Invalid phone number');
    }
    dialed.push(number);
    outboundFlow(new SimCall({ customerNumber: number, direction: 'outbound' }));
    render();
    return undefined;
  }

  /* ------------------------------------------------------------ control API */

  var sim = {
    loadCount: 1,
    get loaded() { return loaded; },
    get connected() { return status === 'connected'; },
    get status() { return status; },
    get config() { return Object.assign({}, cfg); },
    dialed: dialed,
    log: log,
    sent: sent,
    invoked: invoked,
    get calls() { return phone.calls.map(summary); },

    whenLoaded: function () { return loadedPromise; },
    whenConnected: function () {
      if (status === 'connected') return Promise.resolve();
      return new Promise(function (resolve) { connectedWaiters.push(resolve); });
    },

    // Changes config at run time (same keys as __ziwoSimConfig).
    configure: function (partial) {
      Object.keys(partial || {}).forEach(function (k) {
        if (k in DEFAULTS) cfg[k] = coerceKey(k, partial[k]);
        else if (k === 'agent') cfg.agent = partial.agent;
      });
      return sim.config;
    },

    // An inbound call rings the agent. opts: {direction, primaryCallID, mediaFirst}.
    inbound: function (number, opts) {
      requireConnected('inbound()');
      opts = opts || {};
      var direction = opts.direction || 'inbound';
      if (DIRECTIONS.indexOf(direction) < 0) throw new Error('ziwo-sim: unknown direction ' + direction);
      var call = new SimCall({
        customerNumber: String(number),
        direction: direction,
        primaryCallID: opts.primaryCallID,
        mediaFirst: opts.mediaFirst,
      });
      steps(call, [[cfg.stepDelayMs, function () { push(call, 'ringing'); }]]);
      render();
      return call.callId;
    },

    // The agent answers a ringing call (in the phone's own widget). opts: {mediaFirst}.
    answer: function (callID, opts) {
      var call = findCall(callID, ['ringing'], 'answer');
      if (call.answerRequested) throw new Error('ziwo-sim: call ' + call.callId + ' is already being answered');
      call.answerRequested = true;
      holdOthers(call);
      send({ method: 'verto.answer', callID: call.callId });
      answerFlow(call, mediaFirstFor(call, opts));
    },

    // Outbound call left in 'early' (autoAnswerOutbound false): the customer picks up.
    remoteAnswer: function (callID) {
      var call = findCall(callID, ['early'], 'remote-answer');
      cancel(call);
      steps(call, customerAnswers(call, cfg.stepDelayMs));
    },

    hold: function (callID) {
      holdCall(findCall(callID, ['active'], 'hold'));
    },

    unhold: function (callID) {
      unholdCall(findCall(callID, ['held'], 'unhold'), true);
    },

    // Local, synchronous in core-front (not sent over the socket).
    mute: function (callID) {
      push(findCall(callID, ['active', 'held'], 'mute'), 'mute');
    },
    unmute: function (callID) {
      push(findCall(callID, ['active', 'held'], 'unmute'), 'unmute');
    },

    // Agent hangs up: 'hangup' (origin agent) at once, then the server's bye ('hangup',
    // origin customer) and 'destroy'. opts: {lateMissingCall}.
    hangup: function (callID, opts) {
      if (callID && typeof callID === 'object') {
        opts = callID;
        callID = undefined;
      }
      var call = pickForHangup(callID);
      bye(call);
      agentHangup(call, opts);
    },

    // The customer hangs up. opts: {lateMissingCall}.
    remoteHangup: function (callID, opts) {
      if (callID && typeof callID === 'object') {
        opts = callID;
        callID = undefined;
      }
      var call = pickForHangup(callID);
      call.ending = true;
      cancel(call);
      steps(call, [[cfg.stepDelayMs, function () {
        push(call, 'hangup', { origin: 'customer' });
        finish(call, opts);
      }]]);
    },

    // Attended transfer: hold the active call and dial `number` as a second leg whose
    // primaryCallID is the first call's id. Returns the new callID.
    transfer: function (number, callID) {
      requireConnected('transfer()');
      if (!validNumber(number)) throw new Error('ziwo-sim: invalid number ' + number);
      var first = findCall(callID, ['active'], 'transfer');
      var second = new SimCall({
        customerNumber: number,
        direction: 'outbound',
        primaryCallID: first.primaryCallId || first.callId,
      });
      outboundFlow(second); // 'requesting' of the new leg ...
      send({ method: 'verto.modify', callID: first.callId, action: 'hold' });
      steps(first, [[cfg.stepDelayMs, function () { push(first, 'held'); }]]); // ... then 'held'
      render();
      return second.callId;
    },

    // Another tab or device logged in as this agent.
    takeSession: function () {
      requireConnected('takeSession()');
      later(null, cfg.stepDelayMs, function () {
        phone.socket.readyState = 3;
        setStatus('disconnected', 'Duplicate connection');
        fire('disconnected', { message: 'Duplicate connection' });
        later(null, cfg.stepDelayMs, function () {
          setStatus('disconnected', 'Socket closed');
          fire('disconnected', { message: 'Socket closed' });
        });
      });
    },

    // Connects again after takeSession() (or retries the auto-login).
    reconnect: function () {
      if (status === 'connected' || status === 'connecting') return;
      if (!phone.connectedAgent) {
        autoLogin();
        return;
      }
      setStatus('connecting');
      later(null, cfg.connectDelayMs, function () { connect(phone.connectedAgent, phone.contactCenterName); });
    },

    error: function (code, inner) {
      fireError(code, inner);
    },

    // Escape hatch: dispatch any suffix under both prefixes with this exact detail.
    emit: function (name, detail) {
      fire(String(name), detail);
    },

    // Ends every call without events and clears log, dialed, sent and invoked. The session
    // is kept.
    reset: function () {
      phone.calls.forEach(cancel);
      phone.calls.length = 0;
      cancel(afterlife);
      pendingRecovery = [];
      log.length = 0;
      dialed.length = 0;
      sent.length = 0;
      invoked.length = 0;
      persist();
      render();
    },
  };

  window.__ziwoSim = sim;

  /* ----------------------------------------------------------------- widget */

  var CSS = [
    '#ziwo-sim-phone{position:fixed;z-index:2147483000;width:250px;box-sizing:border-box;font:13px/1.35 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#fff;border:1px solid #d5dae3;border-radius:10px;box-shadow:0 6px 24px rgba(0,0,0,.15);overflow:hidden}',
    '#ziwo-sim-phone[data-position=bottom-right]{right:16px;bottom:16px}',
    '#ziwo-sim-phone[data-position=bottom-left]{left:16px;bottom:16px}',
    '#ziwo-sim-phone[data-position=top-right]{right:16px;top:16px}',
    '#ziwo-sim-phone[data-position=top-left]{left:16px;top:16px}',
    '#ziwo-sim-phone[data-size=small]{width:210px;font-size:12px}',
    '#ziwo-sim-phone[data-size=mini]{width:170px;font-size:11px}',
    '#ziwo-sim-phone[data-size=mini] .ziwo-sim-agent{display:none}',
    '.ziwo-sim-head{display:flex;align-items:center;gap:6px;padding:6px 10px;background:#0b1f3a;color:#fff}',
    '.ziwo-sim-title{font-weight:600}',
    '.ziwo-sim-status{margin-left:auto;opacity:.85;font-size:.92em}',
    '.ziwo-sim-dot{width:8px;height:8px;border-radius:50%;background:#9aa3b2;flex:none}',
    '.ziwo-sim-dot[data-status=connected]{background:#2ecc71}',
    '.ziwo-sim-dot[data-status=connecting]{background:#f1c40f}',
    '.ziwo-sim-dot[data-status=disconnected]{background:#e74c3c}',
    '.ziwo-sim-body{padding:6px 10px 8px}',
    '.ziwo-sim-body:empty{display:none}',
    '.ziwo-sim-agent,.ziwo-sim-idle{color:#6b7385;margin:2px 0}',
    '.ziwo-sim-call{border-top:1px solid #eef0f4;padding:6px 0 2px}',
    '.ziwo-sim-number{font-weight:600}',
    '.ziwo-sim-meta{color:#6b7385}',
    '.ziwo-sim-btns{display:flex;flex-wrap:wrap;gap:4px;margin-top:4px}',
    '.ziwo-sim-btn{font:inherit;padding:2px 8px;border:1px solid #c3cad6;border-radius:6px;background:#f6f7f9;color:inherit;cursor:pointer}',
    '.ziwo-sim-btn:hover{background:#eceff3}',
    '.ziwo-sim-btn[data-action=answer]{background:#2ecc71;border-color:#27ae60;color:#fff}',
    '.ziwo-sim-btn[data-action=hangup]{background:#e74c3c;border-color:#c0392b;color:#fff}',
    '.ziwo-sim-login label{display:block;margin:4px 0 0;color:#6b7385}',
    '.ziwo-sim-login input{display:block;width:100%;box-sizing:border-box;font:inherit;padding:3px 5px;border:1px solid #c3cad6;border-radius:5px}',
    '.ziwo-sim-login .ziwo-sim-btn{margin-top:6px}',
    '.ziwo-sim-error{color:#c0392b;margin:4px 0 0}',
    '.ziwo-sim-error:empty{display:none}',
  ].join('\n');

  var ui = null; // {root, dot, status, body, login, loginError}

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function button(action, label) {
    return el('button', { type: 'button', class: 'ziwo-sim-btn', 'data-action': action, text: label });
  }

  function pickSetting(key, allowed) {
    var v = lsTryGet(key);
    return allowed.indexOf(v) >= 0 ? v : allowed[0];
  }

  function mount() {
    if (ui || !document.body) return;
    if (!document.getElementById('ziwo-sim-style')) {
      document.head.appendChild(el('style', { id: 'ziwo-sim-style', text: CSS }));
    }
    var root = el('div', {
      id: 'ziwo-sim-phone',
      class: 'ziwo-sim-phone',
      role: 'region',
      'aria-label': 'ZIWO web phone (simulator)',
      'data-position': pickSetting(KEY.position, POSITIONS),
      'data-size': pickSetting(KEY.size, SIZES),
    });
    var dot = el('span', { class: 'ziwo-sim-dot' });
    var statusText = el('span', { class: 'ziwo-sim-status' });
    var body = el('div', { class: 'ziwo-sim-body' });
    var loginErr = el('p', { class: 'ziwo-sim-error', role: 'alert' });
    var login = el('form', { class: 'ziwo-sim-body ziwo-sim-login', autocomplete: 'off' }, [
      el('label', { text: 'Contact center' }, [el('input', { name: 'ccName', placeholder: 'wayne-enterprise', required: '' })]),
      el('label', { text: 'Username' }, [el('input', { name: 'username', type: 'email', placeholder: 'agent@example.com', required: '' })]),
      el('label', { text: 'Password' }, [el('input', { name: 'password', type: 'password', required: '' })]),
      loginErr,
      el('button', { type: 'submit', class: 'ziwo-sim-btn', text: 'Log in' }),
    ]);
    var stored = lsTryGet(KEY.ccName);
    if (stored && stored.charAt(0) !== '"') login.elements.ccName.value = stored;
    root.appendChild(el('div', { class: 'ziwo-sim-head' }, [dot, el('span', { class: 'ziwo-sim-title', text: 'ZIWO' }), statusText]));
    root.appendChild(body);
    root.appendChild(login);

    root.addEventListener('click', function (e) {
      var b = e.target.closest('button[data-action]');
      if (!b) return;
      var row = b.closest('[data-call-id]');
      try {
        if (b.dataset.action === 'reconnect') sim.reconnect();
        else sim[b.dataset.action](row ? row.getAttribute('data-call-id') : undefined);
      } catch (err) {
        console.warn(err);
      }
    });
    login.addEventListener('submit', function (e) {
      e.preventDefault();
      var f = login.elements;
      manualLogin(f.ccName.value.trim().toLowerCase(), f.username.value.trim(), f.password.value);
    });

    document.body.appendChild(root);
    ui = { root: root, dot: dot, status: statusText, body: body, login: login, loginError: loginErr };
    render();
  }

  var STATUS_TEXT = {
    loading: 'Loading…',
    'logged-out': 'Not logged in',
    connecting: 'Connecting…',
    connected: 'Connected',
    disconnected: 'Disconnected',
  };

  function render() {
    if (!ui) return;
    ui.dot.setAttribute('data-status', status);
    ui.root.setAttribute('data-status', status);
    ui.status.textContent = STATUS_TEXT[status] + (statusMessage ? ' (' + statusMessage + ')' : '');
    ui.login.hidden = status !== 'logged-out';
    ui.loginError.textContent = loginError;

    var body = ui.body;
    body.textContent = '';
    var agent = phone.connectedAgent;
    if (agent && status === 'connected') {
      body.appendChild(el('p', {
        class: 'ziwo-sim-agent',
        text: agent.userInfo.firstName + ' ' + agent.userInfo.lastName + ' · ' + agent.userInfo.ccLogin + ' · ' + phone.contactCenterName,
      }));
    }
    if (status === 'disconnected') {
      body.appendChild(el('div', { class: 'ziwo-sim-btns' }, [button('reconnect', 'Reconnect')]));
    }
    var shown = phone.calls.filter(function (c) { return c.state; });
    if (status === 'connected' && !shown.length) body.appendChild(el('p', { class: 'ziwo-sim-idle', text: 'No call' }));
    shown.forEach(function (c) {
      var btns = [];
      if (!c.ending) {
        if (c.state === 'ringing' && !c.answerRequested) btns.push(button('answer', 'Answer'));
        if (c.state === 'active') btns.push(button('hold', 'Hold'));
        if (c.state === 'held') btns.push(button('unhold', 'Resume'));
        if (c.state === 'active' || c.state === 'held') btns.push(c.muted ? button('unmute', 'Unmute') : button('mute', 'Mute'));
        btns.push(button('hangup', 'Hang up'));
      }
      body.appendChild(el('div', { class: 'ziwo-sim-call', 'data-call-id': c.callId, 'data-state': c.state }, [
        el('div', { class: 'ziwo-sim-number', text: c.phoneNumber }),
        el('div', { class: 'ziwo-sim-meta', text: c.direction + ' · ' + c.state + (c.muted ? ' · muted' : '') }),
        btns.length ? el('div', { class: 'ziwo-sim-btns' }, btns) : null,
      ]));
    });
  }

  /* ------------------------------------------------------------------- boot */

  function boot() {
    loaded = true;
    window['_jorel-callPhoneNumber'] = callPhoneNumber;
    if (document.body) mount();
    else document.addEventListener('DOMContentLoaded', mount);
    persist(); // drops stored calls that cannot be recovered
    // core-front's IOService picks the default devices at start-up.
    fire('input-changed', { device: { deviceId: 'default', groupId: 'sim', kind: 'audioinput', label: 'Default - Simulated microphone' } });
    fire('output-changed', { device: { deviceId: 'default', groupId: 'sim', kind: 'audiooutput', label: 'Default - Simulated speakers' } });
    loadedWaiters.splice(0).forEach(function (resolve) { resolve(); });
    autoLogin();
  }

  later(null, cfg.loadDelayMs, boot);
})();
