// The page's phone and a React hook over its call events.
import { useEffect, useState } from 'react';
import { createWebPhone, type CallEvent, type CallSnapshot, type WebPhone } from 'ziwo-webphone';

/**
 * The page's one phone, created once outside React (StrictMode runs effects twice; the
 * phone must not be created twice). Read it in a component with React 19's `use()`.
 */
export const phonePromise: Promise<WebPhone> = createWebPhone();

export interface ZiwoCalls {
  /** The latest call transition, or null before the first one. */
  last: CallEvent | null;
  /** The live calls, oldest first. */
  calls: CallSnapshot[];
}

/** The latest call event and the live calls; re-renders on every call transition. */
export function useZiwoCalls(phone: WebPhone): ZiwoCalls {
  const [state, setState] = useState<ZiwoCalls>(() => ({ last: null, calls: phone.calls() }));
  // `onCall` returns its unsubscribe function: exactly what an effect's clean-up is.
  useEffect(() => phone.onCall((last) => setState({ last, calls: phone.calls() })), [phone]);
  return state;
}
