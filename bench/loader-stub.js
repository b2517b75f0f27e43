// A stand-in for the phone's loader (https://<cc>.aswat.co/scripts/jorel.js), served by
// bench/run.mjs's server for the loader-start figure: it only records when it ran.
window.__loaderRan = performance.now();
