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
declare function toast(text: string): void;
declare function render(call: import('ziwo-webphone').CallSnapshot): void;
declare function showLoginHint(): void;
declare var callId: string;
declare var answerButton: HTMLButtonElement;
declare var hangupButton: HTMLButtonElement;
declare var holdButton: HTMLButtonElement;
declare var muteButton: HTMLButtonElement;
declare var transferButton: HTMLButtonElement;
declare var transferTo: HTMLInputElement;
declare var keypad: HTMLFormElement & { digits: HTMLInputElement };
declare var badge: HTMLElement;
