// The window listeners of the phone's events, shared by the Rust browser layer
// (src/browser/phone.rs imports it as a wasm-bindgen snippet) and the JS facade
// (js/index.js): the twin of an event is dropped here, before any call into wasm.

/**
 * Listens to the phone's events on `window`: `names` alternate `_jorel-dialog-state-<x>`
 * and `ziwo-<x>` (even index: the first prefix). Drops the twin that core-front
 * dispatches under the second prefix with the very same detail, then calls
 * `handler(index, detail)`. Returns the function that removes every listener.
 */
export function listen(names, handler) {
  let previous = -1;
  let previousDetail;
  const listeners = names.map((name, index) => {
    const listener = (event) => {
      const detail = event.detail;
      const twin = previous >= 0 && previous >> 1 === index >> 1 && (previous & 1) !== (index & 1) &&
        Object.is(previousDetail, detail);
      previous = twin ? -1 : index;
      previousDetail = twin ? undefined : detail;
      if (!twin) handler(index, detail);
    };
    window.addEventListener(name, listener);
    return [name, listener];
  });
  return () => {
    for (const [name, listener] of listeners) window.removeEventListener(name, listener);
    previousDetail = undefined;
  };
}
