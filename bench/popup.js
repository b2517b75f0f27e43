// In-page side of bench/run.mjs's ring-to-pop-up figure (loaded by popup.html): from the
// dispatch of `_jorel-dialog-state-ringing` to the call of `window.open`, stubbed to
// record performance.now() and return a window-like object (so nothing is blocked and
// nothing opens). One variant per page:
//
// - 'snippet': the seed's "CRM profile Pop-up" script, word for word, its
//   getCrmUrlFromPhoneNumber completed with the CRM's URL (a String, which the seed
//   allows; `await` of it costs one microtask);
// - 'library': ziwo-webphone's `phone.popup(url)`, which claims the call across tabs under
//   a Web Lock (navigator.locks) before it opens, so its `window.open` comes later, in
//   the lock's callback.

const LIBRARY = '/dist/index.js';
const CRM = 'https://crm.example/customers?phone=';

let onOpen = null;
const opened = [];

// Installed before either variant, so both call the same stub.
window.open = function open(url) {
  const t = performance.now();
  opened.push(String(url));
  if (onOpen) onOpen(t, String(url));
  return {};
};

let phone = null;

export async function setUp(variant) {
  if (variant === 'snippet') {
    // The seed's script (Step 3 of "CRM Profile Pop-up").
    function getCrmUrlFromPhoneNumber(customerNumber) {
      // Here include your CRM logic to get the customer data URL from the customer phone number
      // This function can either return a String or a Promise resolving a String
      return CRM + encodeURIComponent(customerNumber);
    }

    async function openingCustomerPopUpFromEvent(event) {
      window.open(await getCrmUrlFromPhoneNumber(event.detail.customerNumber));
    }

    window.addEventListener('_jorel-dialog-state-ringing', openingCustomerPopUpFromEvent);
    window.addEventListener('_jorel-dialog-state-early', openingCustomerPopUpFromEvent);
  } else {
    const { createWebPhone } = await import(LIBRARY);
    phone = await createWebPhone();
    phone.popup(CRM + '{number}');
  }
  return { crossOriginIsolated: window.crossOriginIsolated === true, locks: !!(navigator.locks && navigator.locks.request) };
}

let seq = 0;

function dispatch(state, callID, number, flow) {
  const dateUNIX = Date.now() / 1000;
  flow.push({ state, date: new Date(dateUNIX * 1000), dateUNIX });
  window.dispatchEvent(new CustomEvent('_jorel-dialog-state-' + state, {
    detail: { callID, customerNumber: number, direction: 'inbound', stateFlow: flow },
  }));
}

/**
 * `samples` rings, each a new call (a fresh callID): dispatch `ringing`, wait for the
 * stub's call (at most `deadlineMs`: a deadline, not a sleep), then end the call
 * (`destroy`, not timed) and let the event loop turn. Returns the delays in ms (null:
 * no window.open before the deadline) and the URLs opened.
 */
export async function ring({ samples, deadlineMs = 2000 }) {
  const delays = [];
  const urls = [];
  for (let i = 0; i < samples; i++) {
    seq += 1;
    const callID = `bench-${seq}-${crypto.randomUUID()}`;
    const number = '+97150' + String(1000000 + seq);
    const flow = [];
    let timer;
    const got = new Promise((resolve) => {
      onOpen = (t, url) => resolve({ t, url });
      timer = setTimeout(() => resolve(null), deadlineMs);
    });
    const t0 = performance.now();
    dispatch('ringing', callID, number, flow);
    const r = await got;
    clearTimeout(timer);
    onOpen = null;
    delays.push(r ? r.t - t0 : null);
    urls.push(r ? r.url : null);
    dispatch('destroy', callID, number, flow);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const expected = CRM + encodeURIComponent('+97150' + String(1000000 + seq));
  return { delays, lastUrl: urls[urls.length - 1], expectedLastUrl: expected, opened: opened.length };
}

export function tearDown() {
  if (phone) phone.dispose();
  phone = null;
}
