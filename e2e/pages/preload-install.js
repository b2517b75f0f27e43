// With ?install=1: the page installs the phone through the library as soon as it can,
// with the loader's URL (and ?nonce=) from the query, then asks ?release= so that the
// loader's server, which held the preload's response, sends it. `window.__installed`
// settles with 'loaded' or the error's code.
const q = new URLSearchParams(location.search);
if (q.get('install') === '1') {
  const { createWebPhone } = await import('/dist/index.js');
  const phone = await createWebPhone();
  const options = { contactCenter: 'acme', scriptUrl: q.get('loader') };
  if (q.has('nonce')) options.nonce = q.get('nonce');
  window.__installed = phone.install(options).then(() => 'loaded', (e) => e?.code ?? String(e));
  window.__scriptsAtRelease = document.querySelectorAll('script#jorelScriptLoader').length;
  await fetch(q.get('release'), { mode: 'no-cors' });
}
