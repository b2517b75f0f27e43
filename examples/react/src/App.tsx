import { use, useEffect, useState } from 'react';
import { isZiwoError } from 'ziwo-webphone';
import { phonePromise, useZiwoCalls } from './ziwo';

const customers = [
  { name: 'Lucius Fox', number: '+1 (555) 010-0199' },
  { name: 'Selina Kyle', number: '+971 50 123 4567' },
];

const describe = (e: unknown) => (isZiwoError(e) ? e.code : String(e));

export function App() {
  const phone = use(phonePromise);
  const { last, calls } = useZiwoCalls(phone);
  const [status, setStatus] = useState('Loading the phone…');

  useEffect(() => {
    // Idempotent: StrictMode's second run adds no second script.
    phone
      .install({ contactCenter: 'acme', scriptUrl: '/sim/jorel.js', position: 'bottom-right' })
      .then(() => setStatus('Phone loaded.'), (e) => setStatus(`The phone did not load (${describe(e)}).`));
  }, [phone]);

  // The customer's record, once per call; the returned function turns the pop-up off.
  useEffect(() => phone.popup({ url: '/customer.html?phone={number}' }), [phone]);

  const dial = (name: string, number: string) =>
    phone.call(number).then(() => setStatus(`Dialled ${name}.`), (e) => setStatus(`Could not dial (${describe(e)}).`));

  return (
    <>
      <h1>Customers</h1>
      <p id="phone-status">{status}</p>
      <ul id="customers">
        {customers.map((c) => (
          <li key={c.number}>
            {c.name} <button type="button" onClick={() => dial(c.name, c.number)}>{c.number}</button>
          </li>
        ))}
      </ul>
      <h2>Last call event</h2>
      <p id="last-call">{last ? `${last.direction} call with ${last.customerNumber ?? 'an unknown number'}: ${last.state}` : 'No call yet.'}</p>
      <h2>Live calls</h2>
      <ul id="live-calls">
        {calls.map((c) => (
          <li key={c.callId}>{c.customerNumber} · {c.state} · talked {Math.round(c.talkMs / 1000)} s</li>
        ))}
      </ul>
    </>
  );
}
