// Type test of the script-tag build's declaration: the global `ZiwoWebPhone` has the ES
// module's exports and types.
/// <reference path="../dist/ziwo-webphone.global.d.ts" />
import type { WebPhone } from 'ziwo-webphone';

const phone: WebPhone = await ZiwoWebPhone.createWebPhone();
phone.onCall((e) => e.state === 'ringing');
await window.ZiwoWebPhone.load();
const isError: boolean = ZiwoWebPhone.isZiwoError(new Error());
// @ts-expect-error: misspelt state, through the global too
phone.onCall((e) => e.state === 'ringng');
// @ts-expect-error: the global has only the module's exports
ZiwoWebPhone.install('acme');
console.log(isError);
export {};
