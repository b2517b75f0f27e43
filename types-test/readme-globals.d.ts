// What the README's snippets take for granted: the CRM's own functions and values, and the
// `phone` of the first snippet. A script (no import/export), so these are global; a snippet
// that declares one of these names itself shadows it.
declare var phone: import('ziwo-webphone').WebPhone;
declare var accessToken: string;
declare var cspNonce: string;
declare var token: string;
declare function saveCallLog(
  customerNumber: string | null,
  talkMs: number,
  history: readonly import('ziwo-webphone').HistoryEntry[],
): void;
declare function lookUp(number: string): Promise<{ url: string } | null>;
declare function showOpenCustomerLink(url: string): void;
