// The head of a CRM page as the README's "Start the phone sooner" shows it:
// <link rel="preload" href="https://<cc>.aswat.co/scripts/jorel.js" as="script">, the
// loader's URL (a test server's, whose port changes) taken from ?loader=, with the
// ?nonce= of a page under a nonce CSP, and ?crossorigin= for a preload that must not match.
(() => {
  const q = new URLSearchParams(location.search);
  const link = document.createElement('link');
  link.rel = 'preload';
  link.as = 'script';
  if (q.has('nonce')) link.nonce = q.get('nonce');
  if (q.has('crossorigin')) link.crossOrigin = q.get('crossorigin');
  link.href = q.get('loader');
  document.head.append(link);
})();
