/**
 * # ziwo-webphone in a React app
 *
 * The Vite example's CRM page in React, with a small hook: `useZiwoCalls(phone)` returns the
 * latest call event and the live calls, and re-renders on every call transition
 * (`src/ziwo.ts`, a dozen lines). The phone is created once, outside React, and read with
 * `use()` under a `<Suspense>`; `install()` and `popup()` run in effects (both are safe
 * under StrictMode: `install` is idempotent and `popup` returns its clean-up).
 *
 *     ./scripts/build.sh && ./scripts/build-examples.sh   # from the repository
 *     cd examples/react && npm run dev                     # or: npm run preview
 *
 * The phone is the project's simulator (`scriptUrl: '/sim/jorel.js'`, copied into
 * `public/` by `npm run sim`); remove `scriptUrl` to load the real phone.
 */
import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Suspense fallback={<p>Loading the phone…</p>}>
      <App />
    </Suspense>
  </StrictMode>
);
