/**
 * # ziwo-webphone in a Vite app (vanilla TypeScript)
 *
 * A CRM page that lists customers with click-to-dial numbers, shows the last call event
 * and opens the customer's record in a pop-up when a call rings. It installs the library
 * from the package tarball, as any app would install it from npm, and needs no Vite
 * configuration: Vite finds the `.wasm` next to the package's `index.js` by itself.
 *
 *     ./scripts/build.sh && ./scripts/build-examples.sh   # from the repository: packs the
 *     cd examples/vite && npm run dev                      # library into examples/packed/
 *
 * (`npm run build && npm run preview` serves the production build.) In your own app,
 * `npm install ziwo-webphone` and the code below is all there is.
 *
 * Here the phone is the project's simulator (`scriptUrl: '/sim/jorel.js'`, copied into
 * `public/` by `npm run sim`); remove `scriptUrl` to load the real phone from
 * `https://<contactCenter>.aswat.co`. Sign in with the phone's own form, or pass the
 * agent's `token` to `install()`.
 */
import { createWebPhone, isZiwoError, type CallEvent } from 'ziwo-webphone';

const customers = [
  { name: 'Lucius Fox', number: '+1 (555) 010-0199' },
  { name: 'Selina Kyle', number: '+971 50 123 4567' },
];

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const status = $('#phone-status');
const lastCall = $('#last-call');
const blocked = $('#blocked');

const phone = await createWebPhone();

phone.onConnected((e) => {
  status.textContent = `Phone connected as agent ${e.agent.ccLogin ?? '?'}.`;
});
phone.onDisconnected((e) => {
  status.textContent = `Phone disconnected (${e.reason}).`;
});

phone.onCall((e: CallEvent) => {
  lastCall.textContent = `${e.direction} call with ${e.customerNumber ?? 'an unknown number'}: ${e.state}`;
  lastCall.dataset.state = e.state;
});

// The customer's record, once per call: at `ringing` for inbound calls, `early` for outbound.
phone.popup({
  url: '/customer.html?phone={number}',
  onBlocked(url) {
    blocked.hidden = false;
    blocked.innerHTML = '';
    const link = Object.assign(document.createElement('a'), { href: url, target: '_blank', textContent: 'Open the customer' });
    blocked.append('The browser blocked the pop-up: ', link);
  },
});

for (const customer of customers) {
  const button = Object.assign(document.createElement('button'), { type: 'button', textContent: customer.number });
  button.addEventListener('click', async () => {
    try {
      await phone.call(customer.number);
      status.textContent = `Dialled ${customer.name}.`;
    } catch (e) {
      status.textContent = isZiwoError(e) ? `Could not dial (${e.code}).` : String(e);
    }
  });
  const item = document.createElement('li');
  item.append(`${customer.name} `, button);
  $('#customers').append(item);
}

try {
  await phone.install({ contactCenter: 'acme', scriptUrl: '/sim/jorel.js', position: 'bottom-right' });
  if (status.textContent === 'Loading the phone…') status.textContent = 'Phone loaded: sign in to take calls.';
} catch (e) {
  status.textContent = isZiwoError(e) ? `The phone did not load (${e.code}).` : String(e);
}
