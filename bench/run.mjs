#!/usr/bin/env node
// Benchmarks of issue #5 (items 1-4): figures, each beside a baseline measured in the same
// run, printed as a table (or JSON). Measurements, not tests: nothing here asserts a time.
//
//   ./scripts/build.sh && node bench/run.mjs          # the table (about 1 minute)
//   node bench/run.mjs --json                          # the same figures as JSON
//   node bench/run.mjs --save FILE.json                # the table, and the JSON saved to a file
//   node bench/run.mjs --only events,startup           # some parts: sizes, events, startup, memory, loader, popup
//   node bench/run.mjs --profile [--profile-variant library-nosub]  # + a CPU profile of the event path
//   node bench/run.mjs --dist DIR                      # another build of the package (e.g. one with wasm names)
//   node bench/run.mjs --quick                         # smaller counts, for trying the script
//   node bench/run.mjs --only loader,popup --loader-samples 41   # more fresh pages for figure 5
//   node bench/run.mjs --only loader --loader-latency 0,50,200   # the loader answering after 0, 50, 200 ms
//   node bench/run.mjs --only loader --loader-browsers chromium,firefox --loader-samples 9   # figure 5 in Firefox too (slow)
//
// 1. Bytes shipped: this package (scripts/size.mjs --json) beside the peers' browser bundles,
//    fetched with `npm pack` into bench/.cache/peers/ (pinned versions; skipped when present),
//    each JS file minified by esbuild and gzipped at level 9, as size.mjs does.
// 2. Cost per event: realistic call sequences (bench/workload.js) through the library to one
//    `onCall` subscriber, beside a plain-JS handler doing the same work (bench/baseline.js), net
//    of the cost of dispatching with no listener at all.
// 3. Start-up: fresh page per sample, from import() to listening, beside the plain-JS handler
//    bundled and minified by esbuild.
// 4. Memory: wasm memory and JS heap (after forced GC) after 100,000 calls through the tracker
//    and 100,000 subscribe/unsubscribe cycles, each after a warm-up.
// 5. Loader start: fresh page per sample, when (after navigation start) the request of the
//    phone's loader (`<script id="jorelScriptLoader">`, here bench/loader-stub.js, served
//    from another origin as aswat.co is, answering after 0 and 100 ms) begins, from its
//    Resource Timing entry, and when it has run: ZIWO's own snippet
//    (bench/loader-snippet.html) beside an install through the library
//    (bench/loader-library.html), the same install with the resource hints a CRM page
//    should use (bench/loader-hints.html: the modules preloaded, the wasm preloaded
//    as="fetch", load() called first), and those hints with the loader itself preloaded
//    (the same template with its PRELOAD line). The pages are templates, written to
//    bench/.cache/www/ and served as /cache/loader-<variant>.html.
// 6. Ring to pop-up: from the dispatch of `_jorel-dialog-state-ringing` to the call of
//    `window.open` (stubbed): the seed's pop-up script beside `phone.popup(url)`
//    (bench/popup.js), a fresh callID per sample, a few fresh pages per variant.
//
// Headless Debian Chromium through playwright-core (e2e/helpers.mjs), with
// --js-flags=--expose-gc and --enable-precise-memory-info.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync, transformSync } from 'esbuild';
import { launch, startServer } from '../e2e/helpers.mjs';
import { launchFirefox } from '../e2e/firefox.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');
const CACHE = path.join(HERE, '.cache');

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
function option(name, fallback) {
  const i = argv.findIndex((a) => a === name || a.startsWith(name + '='));
  if (i < 0) return fallback;
  return argv[i].includes('=') ? argv[i].split('=').slice(1).join('=') : argv[i + 1];
}
const JSON_OUT = flag('--json');
const QUICK = flag('--quick');
const PROFILE = flag('--profile');
const PROFILE_VARIANT = option('--profile-variant', 'library'); // or library-nosub, baseline, none
const PARTS = ['sizes', 'events', 'startup', 'memory', 'loader', 'popup'];
const ONLY = new Set(String(option('--only', PARTS.join(','))).split(','));
for (const p of ONLY) if (!PARTS.includes(p)) throw new Error(`--only: unknown part '${p}' (parts: ${PARTS.join(', ')})`);
const DIST = path.resolve(REPO, option('--dist', 'dist'));

const CFG = {
  eventCalls: Number(option('--calls', QUICK ? 400 : 1000)), // calls per timed run (18 events each on average)
  eventRuns: Number(option('--runs', QUICK ? 5 : 15)),
  startupSamples: Number(option('--samples', QUICK ? 5 : 21)),
  memWarmCalls: QUICK ? 2000 : 10_000,
  memCalls: QUICK ? 10_000 : 100_000,
  memWarmCycles: QUICK ? 2000 : 10_000,
  memCycles: QUICK ? 10_000 : 100_000,
  memChunk: 5000,
  loaderSamples: Number(option('--loader-samples', QUICK ? 5 : 21)), // fresh pages per variant
  // How long the stand-in loader takes to answer, one run of figure 5 each: at once, and as
  // a loader from another host on the internet might (a round trip or two and TLS).
  // Firefox starts a browser per page (a fresh profile): about 6 s a page here.
  loaderBrowsers: String(option('--loader-browsers', 'chromium')).split(',').map((x) => {
    if (x !== 'chromium' && x !== 'firefox') throw new Error(`--loader-browsers: '${x}' is not chromium or firefox`);
    return x;
  }),
  loaderLatencies: String(option('--loader-latency', '0,100')).split(',').map((x) => {
    const ms = Number(x);
    if (x === '' || !Number.isInteger(ms) || ms < 0 || ms > 10_000) throw new Error(`--loader-latency: '${x}' is not a whole number of ms (0-10000)`);
    return ms;
  }),
  popupPages: QUICK ? 2 : 5, // fresh pages per variant
  popupRings: QUICK ? 5 : 20, // rings per page (the first one of each page also shown apart)
};
const FRAME_MS = 1000 / 60; // one frame at 60 Hz, 16.7 ms
const GOAL_RATIO = 2; // issue #5: at most 2x the plain-JS cost per event
const GOAL_GROWTH = 64 * 1024; // issue #5: at most 64 KiB growth after warm-up

const log = (...a) => { if (!JSON_OUT) console.error(...a); };

// ---------------------------------------------------------------- helpers

const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length });
const round = (x, d = 3) => (x === null || x === undefined ? x : Number(x.toFixed(d)));

/** esbuild-minified size, as scripts/size.mjs measures the package's JS. */
function minifiedGzip(file) {
  const src = fs.readFileSync(file, 'utf8');
  const esm = /^\s*(import|export)\s/m.test(src);
  const code = transformSync(src, { minify: true, logLevel: 'silent', ...(esm ? { format: 'esm' } : {}) }).code;
  const buf = Buffer.from(code);
  return { raw: fs.statSync(file).size, shippedGzip: gz(fs.readFileSync(file)), minified: buf.length, gzip: gz(buf) };
}

// ---------------------------------------------------------------- 1. bytes shipped

// Pinned versions; `file` is the package's browser bundle, the one a page loads.
const PEERS = [
  {
    name: 'ziwo-core-front', version: '1.0.10', file: 'dist/ziwo-core-front.umd.js',
    what: "ZIWO's SDK, UMD bundle", reference: 16.7 * 1024,
  },
  {
    name: 'aircall-everywhere', version: '2.0.6', file: 'dist/index.js',
    what: 'Aircall Everywhere (main, the only bundle)', reference: 2.4 * 1024,
  },
  {
    name: '@twilio/voice-sdk', version: '2.18.5', file: 'dist/twilio.js',
    what: 'Twilio Voice, browser bundle (dist/twilio.js; dist/twilio.min.js is the same, minified by Twilio)', reference: 65.8 * 1024,
    also: 'dist/twilio.min.js',
  },
  {
    name: 'amazon-connect-streams', version: '2.28.2', file: 'release/connect-streams.js',
    what: 'Amazon Connect Streams (main; release/connect-streams-min.js is the same, minified by AWS)', reference: 190.5 * 1024,
    also: 'release/connect-streams-min.js',
  },
];

/** `npm pack name@version` + tar into bench/.cache/peers/<name>@<version>/, once. */
function fetchPeer(peer) {
  const dir = path.join(CACHE, 'peers', `${peer.name.replace('/', '+')}@${peer.version}`);
  const pkg = path.join(dir, 'package');
  const missing = path.join(dir, 'NOT-ON-NPM');
  if (fs.existsSync(path.join(pkg, peer.file))) return { dir: pkg };
  if (fs.existsSync(missing) && !flag('--refetch')) return { error: fs.readFileSync(missing, 'utf8').trim() };
  fs.mkdirSync(dir, { recursive: true });
  log(`  npm pack ${peer.name}@${peer.version} ...`);
  const packed = spawnSync('npm', ['pack', `${peer.name}@${peer.version}`, '--pack-destination', dir, '--loglevel=error'], { encoding: 'utf8' });
  if (packed.status !== 0) {
    const why = /E404|404 Not Found/.test(packed.stderr) ? 'not published on the npm registry (npm pack: 404)' : `npm pack failed: ${packed.stderr.split('\n')[0]}`;
    if (/E404|404 Not Found/.test(packed.stderr)) fs.writeFileSync(missing, why + '\n');
    return { error: why };
  }
  const tgz = packed.stdout.trim().split('\n').pop();
  const untar = spawnSync('tar', ['-xzf', path.join(dir, tgz), '-C', dir], { encoding: 'utf8' });
  if (untar.status !== 0) return { error: `tar failed: ${untar.stderr}` };
  return { dir: pkg };
}

function sizes() {
  const run = spawnSync(process.execPath, [path.join(REPO, 'scripts/size.mjs'), '--json'], { encoding: 'utf8', cwd: REPO });
  let own;
  try {
    own = JSON.parse(run.stdout);
  } catch {
    throw new Error(`scripts/size.mjs --json failed: ${run.stderr}`);
  }
  // size.mjs prints one entry ({parts, total}) or several ([{name, parts, total}, ...]).
  own = Array.isArray(own) ? own : [{ name: 'ziwo-webphone', ...own }];
  const peers = PEERS.map((peer) => {
    const got = fetchPeer(peer);
    const base = { name: peer.name, version: peer.version, file: peer.file, what: peer.what, reference: peer.reference };
    if (got.error) return { ...base, error: got.error };
    const m = minifiedGzip(path.join(got.dir, peer.file));
    const also = peer.also ? { file: peer.also, shippedGzip: gz(fs.readFileSync(path.join(got.dir, peer.also))) } : null;
    return { ...base, ...m, also };
  });
  const baselineFile = path.join(CACHE, 'www', 'baseline.min.js');
  const baseline = { file: 'bench/baseline.js (bundled + minified by esbuild)', minified: fs.statSync(baselineFile).size, gzip: gz(fs.readFileSync(baselineFile)) };
  return { own, peers, baseline };
}

// ---------------------------------------------------------------- preparation

/**
 * The glue's JS snippets, relative to `dir`: none since the build bundles the one snippet
 * into the glue; builds before that (--dist) had snippets/ziwo-webphone-<hash>/js/events.js.
 */
function snippetFiles(dir) {
  const root = path.join(dir, 'snippets');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true })
    .filter((f) => f.endsWith('.js'))
    .map((f) => path.join('snippets', f).split(path.sep).join('/'))
    .sort();
}

async function prepare() {
  // A build in progress (build.sh empties dist/ first) gets up to two minutes to finish.
  // The facade (index.js, api.js), the wasm-bindgen glue (with its snippet; older builds:
  // snippets/<crate>-<hash>/js/events.js beside it) and the wasm.
  const files = ['index.js', 'api.js', 'ziwo_webphone.js', 'ziwo_webphone_bg.wasm'];
  const present = () => files.every((f) => fs.existsSync(path.join(DIST, f)));
  for (let waited = 0; !present(); waited += 2) {
    if (waited >= 120 || !fs.existsSync(DIST) && waited >= 10) {
      throw new Error(`${path.relative(REPO, DIST)}/ is missing or incomplete: run ./scripts/build.sh first`);
    }
    if (waited === 0) log(`waiting for ${path.relative(REPO, DIST)}/ (a build may be running) ...`);
    await new Promise((r) => setTimeout(r, 2000));
  }
  await new Promise((r) => setTimeout(r, 500)); // let a build that just finished write its last file
  // A snapshot of the build: another build may replace dist/ while we run.
  const snap = path.join(CACHE, 'dist');
  fs.rmSync(snap, { recursive: true, force: true });
  fs.cpSync(DIST, snap, { recursive: true, filter: (src) => fs.statSync(src).isDirectory() || /\.(js|wasm)$/.test(src) });
  // The module the bench's pages load (they import index.js only): the companion's copy
  // (since issue #10's size work), or the one module of an older build (--dist).
  WASM_FILE = fs.existsSync(path.join(snap, COMPANION_WASM)) ? COMPANION_WASM : 'ziwo_webphone_bg.wasm';
  const wasm = fs.readFileSync(path.join(snap, WASM_FILE));
  // The baseline, packaged as a module and minified, as a page would ship it.
  fs.mkdirSync(path.join(CACHE, 'www'), { recursive: true });
  buildSync({
    entryPoints: [path.join(HERE, 'baseline.js')], bundle: true, minify: true, format: 'esm',
    outfile: path.join(CACHE, 'www', 'baseline.min.js'), logLevel: 'silent',
  });
  const jsFiles = ['index.js', 'api.js', 'ziwo_webphone.js', ...snippetFiles(snap)]
    .map((f) => ({ name: f, bytes: fs.statSync(path.join(snap, f)).size }));
  return { snap, snippets: snippetFiles(snap), wasmFile: WASM_FILE, wasmSha256: createHash('sha256').update(wasm).digest('hex').slice(0, 16), wasmBytes: wasm.length, jsFiles };
}

/**
 * The loader pages (bench/loader-<template>.html) as bench/.cache/www/loader-<variant>.html,
 * served as /cache/loader-<variant>.html: {{LOADER}} is the stand-in loader's URL (another
 * origin, as aswat.co is). The hints template makes two pages: 'hints' without the line
 * marked {{PRELOAD}}, 'preload' with it (the marker's comment removed); in both {{WASM}} is
 * the module that index.js loads, and the line holding {{SNIPPET}} is repeated once per
 * snippet file of the glue (none today).
 */
function writeLoaderPages(snippets, wasmFile, loaderUrl) {
  const markers = { snippet: /^.*\{\{SNIPPET\}\}.*$/m, preload: /^(.*?)\s*<!-- \{\{PRELOAD\}\} -->$/m };
  for (const variant of Object.keys(LOADER_VARIANTS)) {
    const hints = variant === 'hints' || variant === 'preload';
    const name = `loader-${hints ? 'hints' : variant}.html`;
    const template = fs.readFileSync(path.join(HERE, name), 'utf8');
    // A marker in a comment does not count (but the PRELOAD marker is one).
    const markup = template.replace(markers.preload, '$1').replace(/<!--[\s\S]*?-->/g, '');
    if (!markup.includes('{{LOADER}}') || hints && (!markers.snippet.test(markup) || !markup.includes('{{WASM}}') || !markers.preload.test(template))) {
      throw new Error(`bench/${name}: a marker is missing ({{LOADER}}${hints ? ', {{SNIPPET}}, {{WASM}}, {{PRELOAD}}' : ''})`);
    }
    const html = template
      .replace(markers.preload, (line, link) => (variant === 'preload' ? link : '<!-- (the loader not preloaded) -->'))
      .replace(markers.snippet, (line) => snippets.map((f) => line.replace('{{SNIPPET}}', f)).join('\n'))
      .replaceAll('{{WASM}}', wasmFile).replaceAll('{{LOADER}}', loaderUrl);
    fs.writeFileSync(path.join(CACHE, 'www', `loader-${variant}.html`), html);
  }
}

/**
 * The stand-in loader's server (bench/loader-stub.js at /loader-stub.js), on its own port
 * so that the loader comes from another origin, as https://<cc>.aswat.co does. Each
 * response waits `latency` ms (set per run of figure 5: a loader on the internet takes
 * time to arrive) and is not cacheable, as the bench server's are; `requests` counts the
 * requests since the last reset.
 */
function startLoaderServer() {
  const body = fs.readFileSync(path.join(HERE, 'loader-stub.js'));
  const state = { latency: 0, requests: 0 };
  const server = http.createServer((req, res) => {
    if (new URL(req.url, 'http://x').pathname !== '/loader-stub.js') { res.writeHead(404).end(); return; }
    state.requests++;
    setTimeout(() => {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(body);
    }, state.latency);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(Object.assign(state, {
      url: `http://127.0.0.1:${server.address().port}/loader-stub.js`,
      close: () => new Promise((done) => { server.close(() => done()); server.closeAllConnections(); }),
    })));
  });
}

// ---------------------------------------------------------------- 2. cost per event

const VARIANTS = ['none', 'baseline', 'library', 'library-nosub'];

async function eventsBench(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url('/events.html'));
  await page.waitForFunction(() => window.benchReady === true);
  const equivalence = await page.evaluate(() => window.bench.equivalence());
  const raw = await page.evaluate((cfg) => window.bench.events(cfg), {
    calls: CFG.eventCalls, runs: CFG.eventRuns, warmupCalls: Math.max(200, CFG.eventCalls >> 1), variants: VARIANTS,
  });
  await context.close();
  const events = raw.none[0].events;
  const per = (runs) => stats(runs.map((r) => (r.ms * 1e6) / r.events)); // ns per dispatched event
  const out = { calls: CFG.eventCalls, eventsPerRun: events, transitionsPerRun: raw.none[0].transitions, runs: CFG.eventRuns, equivalence, errors, variants: {} };
  for (const v of VARIANTS) {
    out.variants[v] = { nsPerEvent: per(raw[v]), delivered: raw[v][0].delivered, msPerRun: stats(raw[v].map((r) => r.ms)) };
  }
  const none = out.variants.none.nsPerEvent.median;
  for (const v of VARIANTS.slice(1)) {
    const s = out.variants[v].nsPerEvent;
    out.variants[v].netNsPerEvent = s.median - none;
    // per delivered CallEvent (what a subscriber receives), net
    out.variants[v].netNsPerTransition = ((s.median - none) * events) / out.transitionsPerRun;
  }
  out.ratio = out.variants.library.netNsPerEvent / out.variants.baseline.netNsPerEvent;
  // The same from each variant's fastest run: on a busy machine, the least disturbed figure.
  const best = (v) => out.variants[v].nsPerEvent.min - out.variants.none.nsPerEvent.min;
  for (const v of VARIANTS.slice(1)) out.variants[v].bestNetNsPerEvent = best(v);
  out.ratioBest = best('library') / best('baseline');
  // The same ratio round by round (each round times every variant once, back to back).
  const perRound = raw.library.map((r, i) => (r.ms - raw.none[i].ms) / (raw.baseline[i].ms - raw.none[i].ms));
  out.ratioPerRound = stats(perRound);
  out.goalRatio = GOAL_RATIO;
  out.meetsGoal = out.ratio <= GOAL_RATIO;
  return out;
}

// ---------------------------------------------------------------- CPU profile (optional)

async function profileBench(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url('/events.html'));
  await page.waitForFunction(() => window.benchReady === true);
  await page.evaluate((v) => window.bench.events({ calls: 500, runs: 1, warmupCalls: 500, variants: [v] }), PROFILE_VARIANT);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  await page.evaluate((v) => window.bench.events({ calls: 3000, runs: 3, warmupCalls: 10, variants: [v] }), PROFILE_VARIANT);
  const { profile } = await cdp.send('Profiler.stop');
  await context.close();
  fs.writeFileSync(path.join(CACHE, `${PROFILE_VARIANT}-events.cpuprofile`), JSON.stringify(profile));
  // Self time per function, from the samples.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const dt = profile.timeDeltas[i] || 0;
    const f = n.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') return;
    const file = f.url ? f.url.split('/').pop() : '';
    const key = `${f.functionName || '(anonymous)'} ${file}${f.url ? ':' + (f.lineNumber + 1) : ''}`;
    self.set(key, (self.get(key) || 0) + dt);
    total += dt;
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)
    .map(([fn, us]) => ({ fn, selfMs: round(us / 1000, 1), share: round(us / total, 3) }));
  // Groups: where the time goes, by kind of code.
  const groups = {};
  for (const [key, us] of self) {
    // wasm functions' URLs: wasm://wasm/ziwo_webphone.wasm-<hash> (or ziwo_webphone_bg.wasm).
    const g = / [^ ]*\.wasm(-[0-9a-f]+)?(:|$)/.test(key) || /wasm-function|^\$/.test(key) ? 'wasm'
      : / ziwo_webphone\.js/.test(key) ? 'ziwo_webphone.js (the wasm-bindgen glue, and its snippet since they are one module)'
      : / events\.js/.test(key) ? 'snippets/…/events.js (the glue\'s snippet)'
      : / workload\.js/.test(key) ? 'workload (event building)'
      : / index\.js/.test(key) ? 'index.js (the facade)'
      : / page\.js/.test(key) ? 'bench page'
      : '(native: dispatchEvent, GC, builtins)';
    groups[g] = (groups[g] || 0) + us;
  }
  for (const g of Object.keys(groups)) groups[g] = round(groups[g] / total, 3);
  return { variant: PROFILE_VARIANT, file: `bench/.cache/${PROFILE_VARIANT}-events.cpuprofile`, totalMs: round(total / 1000, 1), groups, top };
}

// ---------------------------------------------------------------- 3. start-up

async function startupSample(browser, url, variant) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url('/blank.html'));
  const r = await page.evaluate(async ([variant, lib, base]) => {
    const t0 = performance.now();
    if (variant === 'library') {
      const m = await import(lib);
      const t1 = performance.now();
      await m.load();
      const t2 = performance.now();
      const phone = await m.createWebPhone();
      const t3 = performance.now();
      phone.dispose();
      return { total: t3 - t0, import: t1 - t0, wasm: t2 - t1, construct: t3 - t2 };
    }
    const m = await import(base);
    const t1 = performance.now();
    const phone = m.createBaselinePhone();
    const t2 = performance.now();
    phone.dispose();
    return { total: t2 - t0, import: t1 - t0, construct: t2 - t1 };
  }, [variant, url('/dist/index.js'), url('/cache/baseline.min.js')]);
  await context.close();
  return r;
}

async function startupBench(browser, url) {
  // Two discarded samples each: the first pages of a browser pay for its own start.
  for (let i = 0; i < 2; i++) for (const v of ['library', 'baseline']) await startupSample(browser, url, v);
  const samples = { library: [], baseline: [] };
  for (let i = 0; i < CFG.startupSamples; i++) {
    for (const v of i % 2 ? ['baseline', 'library'] : ['library', 'baseline']) samples[v].push(await startupSample(browser, url, v));
  }
  const summary = (list) => Object.fromEntries(Object.keys(list[0]).map((k) => [k, stats(list.map((s) => s[k]))]));
  const out = { samples: CFG.startupSamples, library: summary(samples.library), baseline: summary(samples.baseline) };
  out.ratio = out.library.total.median / out.baseline.total.median;
  return out;
}

// ---------------------------------------------------------------- 4. memory

async function memoryBench(browser, url, variant) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url('/events.html'));
  await page.waitForFunction(() => window.benchReady === true);
  const r = await page.evaluate((cfg) => window.bench.memory(cfg), {
    variant, warmCalls: CFG.memWarmCalls, calls: CFG.memCalls, warmCycles: CFG.memWarmCycles, cycles: CFG.memCycles, chunk: CFG.memChunk,
  });
  await context.close();
  const growth = (a, b, k) => (a[k] === null ? null : b[k] - a[k]);
  const calls = { heap: growth(r.callsWarm, r.callsAfter, 'heap'), wasm: growth(r.callsWarm, r.callsAfter, 'wasm') };
  const subs = { heap: growth(r.subsWarm, r.subsAfter, 'heap'), wasm: growth(r.subsWarm, r.subsAfter, 'wasm') };
  const meets = (g) => (g.heap ?? 0) <= GOAL_GROWTH && (g.wasm ?? 0) <= GOAL_GROWTH;
  return {
    ...r, errors,
    calls: { count: CFG.memCalls, warmup: CFG.memWarmCalls, growth: calls, meetsGoal: meets(calls) },
    subscriptions: { count: CFG.memCycles, warmup: CFG.memWarmCycles, growth: subs, meetsGoal: meets(subs) },
  };
}

// ---------------------------------------------------------------- 5. loader start

const LOADER_VARIANTS = {
  snippet: '/cache/loader-snippet.html', library: '/cache/loader-library.html',
  hints: '/cache/loader-hints.html', preload: '/cache/loader-preload.html',
};
const LOADER_ORDER = ['library', 'snippet', 'hints', 'preload'];
const COMPANION_WASM = 'ziwo_webphone_companion_bg.wasm';
let WASM_FILE = COMPANION_WASM; // set by prepare()

async function loaderSample(browser, url, variant, loader) {
  // Chromium (Playwright) or Firefox (WebDriver, e2e/firefox.mjs: a fresh profile per page,
  // no events from the page).
  const chromium = typeof browser.newContext === 'function';
  const context = chromium ? await browser.newContext() : null;
  const page = chromium ? await context.newPage() : await browser.newPage();
  const errors = [];
  // Second witness of the wasm's reuse: the requests Chromium sends (a fetch() served by a
  // preload sends none), and its console warnings about preloads (unused, mismatched).
  const wasmRequests = [];
  const wasmTypes = [];
  const preloadWarnings = [];
  if (chromium) {
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => { if (r.url().endsWith('/' + WASM_FILE)) wasmRequests.push(r.resourceType()); });
    page.on('response', (r) => { if (r.url().endsWith('/' + WASM_FILE)) wasmTypes.push(r.headers()['content-type'] ?? 'none'); });
    page.on('console', (m) => { if (/preload/i.test(m.text())) preloadWarnings.push(m.text()); });
  }
  loader.requests = 0;
  try {
    await page.goto(url(LOADER_VARIANTS[variant]));
    // Until the stand-in loader has run (a deadline, not a sleep).
    await page.waitForFunction(() => typeof window.__loaderRan === 'number' || window.__installError, null, { timeout: 15_000 });
    const r = await page.evaluate((wasmFile) => {
      const resources = performance.getEntriesByType('resource');
      const loaderEntries = resources.filter((e) => e.name.includes('/loader-stub.js'));
      const entry = loaderEntries[0];
      const wasm = resources.filter((e) => e.name.endsWith('/' + wasmFile));
      const mark = (name) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? null;
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        requestStart: entry ? entry.startTime : null, // the figure: when the loader's fetch began
        responseEnd: entry ? entry.responseEnd : null,
        ran: window.__loaderRan ?? null,
        loaderInitiators: loaderEntries.map((e) => e.initiatorType),
        pageScript: mark('page-script'),
        created: mark('created'),
        installed: mark('installed'),
        wasmStart: wasm.length ? wasm[0].startTime : null,
        wasmResponseEnd: wasm.length ? wasm[0].responseEnd : null,
        documentResponseEnd: nav ? nav.responseEnd : null,
        installError: window.__installError ?? null,
        // Every Resource Timing entry of the wasm (one per request) and of the JS modules.
        wasmEntries: wasm.map((e) => ({ initiatorType: e.initiatorType, startTime: e.startTime, responseEnd: e.responseEnd })),
        moduleEntries: resources.filter((e) => /\/dist\/.*\.js$/.test(new URL(e.name).pathname))
          .map((e) => ({ file: new URL(e.name).pathname.replace('/dist/', ''), initiatorType: e.initiatorType, startTime: e.startTime })),
        element: (() => {
          const s = document.getElementById('jorelScriptLoader');
          return s ? { first: document.body.firstElementChild === s, async: s.async, type: s.type } : null;
        })(),
        storage: [localStorage.getItem('_jorel-default-position'), localStorage.getItem('_jorel-default-size')],
      };
    }, WASM_FILE);
    // The loader has run: its one response has arrived, so the count is final.
    return { ...r, loaderRequests: loader.requests, wasmRequests: [...wasmRequests], wasmContentTypes: [...wasmTypes], preloadWarnings: [...preloadWarnings] };
  } finally {
    if (errors.length) log(`    page errors (${variant}): ${errors.join('; ')}`);
    await (chromium ? context.close() : page.close());
  }
}

/** Figure 5 in `browserName`'s `browser`, with the stand-in loader answering after `latency` ms. */
async function loaderBench(browser, browserName, url, loader, latency) {
  loader.latency = latency;
  for (let i = 0; i < 2; i++) for (const v of LOADER_ORDER) await loaderSample(browser, url, v, loader); // discarded
  const samples = Object.fromEntries(LOADER_ORDER.map((v) => [v, []]));
  for (let i = 0; i < CFG.loaderSamples; i++) {
    // Each round measures every variant once, back to back, the order rotated round by round.
    const order = LOADER_ORDER.map((_, j) => LOADER_ORDER[(i + j) % LOADER_ORDER.length]);
    for (const v of order) samples[v].push(await loaderSample(browser, url, v, loader));
  }
  const keys = ['requestStart', 'responseEnd', 'ran', 'pageScript', 'created', 'installed', 'wasmStart', 'wasmResponseEnd', 'documentResponseEnd'];
  const summary = (list) => Object.fromEntries(keys
    .map((k) => [k, list.map((s) => s[k]).filter((x) => typeof x === 'number')])
    .filter(([, xs]) => xs.length)
    .map(([k, xs]) => [k, stats(xs)]));
  const out = { browser: browserName, latencyMs: latency, samples: CFG.loaderSamples, ...Object.fromEntries(LOADER_ORDER.map((v) => [v, summary(samples[v])])) };
  const last = (v) => samples[v][samples[v].length - 1];
  // The wasm's requests per page: Resource Timing entries (with their initiators), requests
  // Chromium sent, console warnings about preloads; and the modules' entries per page.
  const count = (xs) => xs.reduce((m, x) => ({ ...m, [x]: (m[x] || 0) + 1 }), {});
  const wasmCheck = (v) => ({
    entriesPerPage: count(samples[v].map((s) => s.wasmEntries.length)),
    initiators: count(samples[v].map((s) => s.wasmEntries.map((e) => e.initiatorType).join('+') || 'none')),
    networkRequestsPerPage: count(samples[v].map((s) => s.wasmRequests.length)),
    contentTypes: count(samples[v].flatMap((s) => s.wasmContentTypes)),
    moduleEntriesPerPage: count(samples[v].map((s) => s.moduleEntries.length)),
    moduleInitiators: count(samples[v].flatMap((s) => s.moduleEntries.map((e) => `${e.file}:${e.initiatorType}`))),
    preloadWarnings: [...new Set(samples[v].flatMap((s) => s.preloadWarnings))],
    lastPage: { wasmEntries: last(v).wasmEntries, moduleEntries: last(v).moduleEntries },
  });
  // The loader's requests per page (counted by its server) and its Resource Timing entries.
  const loaderCheck = (v) => ({
    requestsPerPage: count(samples[v].map((s) => s.loaderRequests)),
    initiators: count(samples[v].map((s) => s.loaderInitiators.join('+') || 'none')),
  });
  out.check = {
    ...Object.fromEntries(LOADER_ORDER.map((v) => [v, { element: last(v).element, storage: last(v).storage }])),
    missing: Object.fromEntries(Object.entries(samples).map(([v, l]) => [v, l.filter((s) => s.requestStart === null).length])),
    installErrors: LOADER_ORDER.filter((v) => v !== 'snippet').flatMap((v) => samples[v]).map((s) => s.installError).filter(Boolean),
    wasm: { library: wasmCheck('library'), hints: wasmCheck('hints'), preload: wasmCheck('preload') },
    loader: Object.fromEntries(LOADER_ORDER.map((v) => [v, loaderCheck(v)])),
  };
  // The wasm's preloaded response reused: one wasm entry (the preload's) and one request on every page.
  const only = (o, key) => Object.keys(o).join() === key;
  const w = out.check.wasm.hints;
  // (Firefox through WebDriver shows no requests: its Resource Timing entries only.)
  out.check.wasm.hintsReused = only(w.entriesPerPage, '1') && only(w.initiators, 'link')
    && (browserName !== 'chromium' || only(w.networkRequestsPerPage, '1'));
  // The loader's preloaded response reused by install()'s <script>: one request, one entry (the link's), on every page.
  const l = out.check.loader.preload;
  out.check.loader.preloadReused = only(l.requestsPerPage, '1') && only(l.initiators, 'link');
  const diff = (a, b, key) => {
    const pairs = samples[a].map((s, i) => s[key] - samples[b][i][key]).filter((x) => Number.isFinite(x));
    const ms = out[a][key].median - out[b][key].median;
    return { ms, frames: ms / FRAME_MS, perPair: stats(pairs) };
  };
  // Later than ZIWO's snippet (pair by pair: each pair measured in the same round): when the
  // loader's request starts, and when the loader has run.
  out.vsSnippet = Object.fromEntries(['library', 'hints', 'preload'].map((v) => [v, { requestStart: diff(v, 'snippet', 'requestStart'), ran: diff(v, 'snippet', 'ran') }]));
  out.hintsVsLibrary = diff('hints', 'library', 'requestStart');
  return out;
}

// ---------------------------------------------------------------- 6. ring to pop-up

async function popupPage(browser, url, variant) {
  const context = await browser.newContext();
  // The page cross-origin isolated (COOP + COEP on its document only), so that
  // performance.now() has its fine resolution (5 µs instead of 100 µs).
  await context.route((u) => u.pathname === '/popup.html', async (route) => {
    const response = await route.fetch();
    await route.fulfill({
      response,
      headers: { ...response.headers(), 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
    });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(url('/popup.html'));
    await page.waitForFunction(() => window.benchReady === true);
    const env = await page.evaluate((v) => window.popupBench.setUp(v), variant);
    const r = await page.evaluate((samples) => window.popupBench.ring({ samples, deadlineMs: 2000 }), CFG.popupRings);
    await page.evaluate(() => window.popupBench.tearDown());
    return { ...r, ...env, errors };
  } finally {
    await context.close();
  }
}

async function popupBench(browser, url) {
  const pages = { snippet: [], library: [] };
  for (let i = 0; i < CFG.popupPages; i++) {
    for (const v of i % 2 ? ['snippet', 'library'] : ['library', 'snippet']) pages[v].push(await popupPage(browser, url, v));
  }
  const out = { pages: CFG.popupPages, ringsPerPage: CFG.popupRings };
  for (const v of ['snippet', 'library']) {
    const all = pages[v].flatMap((p) => p.delays);
    const got = all.filter((x) => x !== null);
    const firsts = pages[v].map((p) => p.delays[0]).filter((x) => x !== null);
    const later = pages[v].flatMap((p) => p.delays.slice(1)).filter((x) => x !== null);
    out[v] = {
      all: got.length ? stats(got) : null,
      first: firsts.length ? stats(firsts) : null,
      later: later.length ? stats(later) : null,
      missed: all.length - got.length,
      opened: pages[v].reduce((n, p) => n + p.opened, 0),
      rings: all.length,
      urlAsExpected: pages[v].every((p) => p.lastUrl === p.expectedLastUrl),
      lastUrl: pages[v][0].lastUrl,
      crossOriginIsolated: pages[v].every((p) => p.crossOriginIsolated),
      locks: pages[v].every((p) => p.locks),
      errors: pages[v].flatMap((p) => p.errors),
    };
  }
  out.differenceMs = out.library.all && out.snippet.all ? out.library.all.median - out.snippet.all.median : null;
  out.differenceFirstMs = out.library.first && out.snippet.first ? out.library.first.median - out.snippet.first.median : null;
  return out;
}

// ---------------------------------------------------------------- printing

function table(rows, header) {
  const all = [header, ...rows].map((r) => r.map((c) => String(c ?? '')));
  const width = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => '  ' + r.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
  return [line(all[0]), '  ' + width.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

const signedKiB = (n) => (n === null ? 'n/a' : `${n >= 0 ? '+' : ''}${(n / 1024).toFixed(1)} KiB`);
const mib = (n) => (n === null ? 'n/a' : `${(n / 1048576).toFixed(2)} MiB`);
const ns = (x) => (x >= 10000 ? (x / 1000).toFixed(1) + ' µs' : Math.round(x) + ' ns');
const ms = (x) => x.toFixed(2) + ' ms';

function print(result) {
  const out = [];
  out.push(`ziwo-webphone benchmarks, ${result.date}`);
  out.push(`  Chromium ${result.browser ?? '(not started)'}, Node ${process.versions.node}, ${result.machine}, load average ${result.loadAverage.join(' ')} at start`);
  out.push(`  build measured: ${result.build.dist}/, wasm ${result.build.wasmFile ?? 'ziwo_webphone_bg.wasm'} ${result.build.wasmBytes} B, sha256 ${result.build.wasmSha256}…`);
  out.push(`  JS modules (raw): ${result.build.jsFiles.map((f) => `${f.name} ${f.bytes} B`).join(', ')}`);

  if (result.sizes) {
    const { own, peers, baseline } = result.sizes;
    out.push('\n1. Bytes shipped (JS minified by esbuild, gzip -9; KB = 1024 B)');
    const rows = [];
    for (const entry of own) {
      rows.push([entry.name, 'wasm + JS', kb(entry.total.raw), kb(entry.total.gzip), '']);
      for (const p of entry.parts) rows.push([`  ${p.name}`, '', kb(p.raw), kb(p.gzip), '']);
    }
    rows.push(['plain-JS baseline handler', 'bench/baseline.js, bundled', kb(baseline.minified), kb(baseline.gzip), '']);
    const notes = [];
    for (const p of peers) {
      const id = `${p.name}@${p.version}`;
      if (p.error) {
        rows.push([id, p.file, '', 'n/a', kb(p.reference)]);
        notes.push(`${id}: ${p.error}; only the issue's figure is shown.`);
      } else {
        rows.push([id, p.file, kb(p.minified), kb(p.gzip), kb(p.reference)]);
        notes.push(p.also
          ? `${id}: ${p.also.file}, minified by the vendor, as shipped: ${kb(p.also.shippedGzip)} gzip.`
          : `${id}: ${p.file} as shipped: ${kb(p.shippedGzip)} gzip.`);
      }
    }
    out.push(table(rows, ['package', 'file measured', 'raw (JS minified)', 'gzip', 'issue #5 quotes']));
    out.push(`  ${own[0].name} / ziwo-core-front's figure in the issue: ${(own[0].total.gzip / peers[0].reference).toFixed(2)}x. The plain-JS baseline does the event work only (no install, dial, session, pop-up).`);
    for (const n of notes) out.push('  ' + n);
  }

  if (result.events) {
    const e = result.events;
    out.push(`\n2. Cost per event: ${e.calls} calls per run (${e.eventsPerRun} dispatched events, ${e.transitionsPerRun} CallEvents), ${e.runs} runs, median [min-max]`);
    const label = {
      none: 'no listener (dispatch + building the details)',
      baseline: 'plain-JS handler, 1 subscriber',
      library: 'ziwo-webphone, 1 onCall subscriber',
      'library-nosub': 'ziwo-webphone, no subscriber (tracking only)',
    };
    const rows = VARIANTS.map((v) => {
      const x = e.variants[v];
      return [label[v], `${ns(x.nsPerEvent.median)} [${ns(x.nsPerEvent.min)}-${ns(x.nsPerEvent.max)}]`,
        v === 'none' ? '' : ns(x.netNsPerEvent), v === 'none' ? '' : ns(x.bestNetNsPerEvent),
        v === 'none' ? '' : ns(x.netNsPerTransition), String(x.delivered)];
    });
    out.push(table(rows, ['variant', 'per dispatched event', 'net of no listener', 'net, fastest runs', 'net per CallEvent', 'delivered']));
    out.push(`  library / plain-JS, net per event: ${e.ratio.toFixed(2)}x from the medians (${e.ratioBest.toFixed(2)}x from the fastest runs; round by round ${e.ratioPerRound.min.toFixed(2)}-${e.ratioPerRound.max.toFixed(2)}x)`);
    out.push(`  goal, at most ${e.goalRatio}x: ${e.meetsGoal ? 'MET' : `NOT MET, ${(e.ratio / e.goalRatio).toFixed(2)}x over the goal`}`);
    out.push(`  baseline check: both deliver ${e.equivalence.library}/${e.equivalence.baseline} events for 4 calls; identical objects: ${e.equivalence.identical ? 'yes' : 'NO'}${e.equivalence.identical ? '' : ' (same shape: ' + (e.equivalence.sameShape ? 'yes' : 'no') + ')'}`);
    if (e.errors.length) out.push(`  page errors: ${e.errors.join('; ')}`);
  }

  if (result.profile) {
    const p = result.profile;
    out.push(`\n   CPU profile of the '${p.variant}' run (${p.totalMs} ms sampled, saved to ${p.file}): self time by kind`);
    out.push(Object.entries(p.groups).sort((a, b) => b[1] - a[1]).map(([g, s]) => `    ${(s * 100).toFixed(1).padStart(5)} %  ${g}`).join('\n'));
    out.push('   top functions by self time:');
    out.push(p.top.slice(0, 15).map((t) => `    ${(t.share * 100).toFixed(1).padStart(5)} %  ${t.fn}`).join('\n'));
  }

  if (result.startup) {
    const s = result.startup;
    out.push(`\n3. Start-up: import() to listening, fresh page per sample, ${s.samples} samples, median [min-max]`);
    const f = (x) => (x ? `${ms(x.median)} [${ms(x.min)}-${ms(x.max)}]` : '');
    out.push(table([
      ['ziwo-webphone: import dist/index.js + await createWebPhone()', f(s.library.total), f(s.library.import), f(s.library.wasm), f(s.library.construct)],
      ['plain-JS handler: import baseline.min.js + createBaselinePhone()', f(s.baseline.total), f(s.baseline.import), '', f(s.baseline.construct)],
    ], ['variant', 'total', 'import (JS)', 'wasm fetch + compile + instantiate', 'construct (listen)']));
    out.push(`  library / plain-JS: ${s.ratio.toFixed(1)}x`);
  }

  if (result.memory) {
    const m = result.memory;
    const lib = m.library;
    const base = m.baseline;
    out.push(`\n4. Memory after forced GC (growth after warm-up; goal: at most ${signedKiB(GOAL_GROWTH).slice(1)} each)`);
    const rows = [];
    for (const [name, r] of [['ziwo-webphone', lib], ['plain-JS handler', base]]) {
      if (!r) continue;
      rows.push([`${name}: ${r.calls.count.toLocaleString('en')} calls (after ${r.calls.warmup.toLocaleString('en')})`,
        mib(r.callsWarm.wasm), signedKiB(r.calls.growth.wasm), mib(r.callsWarm.heap), signedKiB(r.calls.growth.heap),
        `${(r.callsMs / 1000).toFixed(1)} s`, r.calls.meetsGoal ? 'met' : 'NOT MET']);
      rows.push([`${name}: ${r.subscriptions.count.toLocaleString('en')} subscribe/unsubscribe (after ${r.subscriptions.warmup.toLocaleString('en')})`,
        mib(r.subsWarm.wasm), signedKiB(r.subscriptions.growth.wasm), mib(r.subsWarm.heap), signedKiB(r.subscriptions.growth.heap),
        `${(r.cyclesMs / 1000).toFixed(2)} s`, r.subscriptions.meetsGoal ? 'met' : 'NOT MET']);
    }
    out.push(table(rows, ['run', 'wasm memory', 'wasm growth', 'JS heap', 'JS heap growth', 'took', 'goal']));
    out.push(`  CallEvents delivered over warm-up + run: library ${lib?.callsDelivered ?? 'n/a'}, plain-JS ${base?.callsDelivered ?? 'n/a'}; calls still tracked at the end: ${lib?.liveCalls ?? 'n/a'} / ${base?.liveCalls ?? 'n/a'}`);
    out.push('  wasm memory: the instance\'s WebAssembly.Memory (buffer.byteLength): the exports\' `memory`, from the glue\'s default export (`init`) called again once loaded;');
    out.push('  JS heap: performance.memory.usedJSHeapSize (--enable-precise-memory-info) after gc() (--js-flags=--expose-gc).');
  }

  const f = (x) => (x ? `${ms(x.median)} [${ms(x.min)}-${ms(x.max)}]` : '');
  const frames = (x) => `${(x / FRAME_MS).toFixed(1)} frames of 16.7 ms`;

  for (const l of result.loader ?? []) {
    const firefox = l.browser === 'firefox';
    out.push(`\n5. Loader start in ${firefox ? 'Firefox' : 'Chromium'}: when the loader's request begins (Resource Timing startTime, ms after navigation start) and when it has run; the loader answers after ${l.latencyMs} ms; fresh page per sample, ${l.samples} samples, median [min-max]`);
    const row = (name, x, lib = true) => [name, f(x.requestStart), f(x.pageScript), lib ? f(x.wasmStart) : '', lib ? f(x.created) : '', lib ? f(x.installed) : '', f(x.ran)];
    out.push(table([
      row("ZIWO's snippet (inline <script>, bench/loader-snippet.html)", l.snippet, false),
      row('ziwo-webphone: import + await createWebPhone() + install()', l.library),
      row(`ziwo-webphone + hints: modulepreload x${2 + result.build.snippets.length}, wasm preload, load() first`, l.hints),
      row('ziwo-webphone + hints + the loader preloaded (link rel=preload as=script)', l.preload),
    ], ['page', 'loader request starts', 'page script runs', 'wasm request starts', 'phone created (wasm ready)', 'install() called', 'loader has run']));
    const d = (x) => `${x.ms >= 0 ? '+' : ''}${ms(x.ms)} (${frames(x.ms)}) from the medians; pair by pair ${ms(x.perPair.median)} [${ms(x.perPair.min)}-${ms(x.perPair.max)}]`;
    for (const [v, name] of [['library', 'library'], ['hints', 'library + hints'], ['preload', 'library + hints + loader preloaded']]) {
      out.push(`  ${(name + ' - snippet:').padEnd(44)} request ${d(l.vsSnippet[v].requestStart)}`);
      out.push(`  ${''.padEnd(44)} run     ${d(l.vsSnippet[v].ran)}`);
    }
    out.push(`  ${'library + hints - library:'.padEnd(44)} request ${d(l.hintsVsLibrary)}`);
    out.push(`  document received (navigation responseEnd): ${LOADER_ORDER.map((v) => `${v} ${f(l[v].documentResponseEnd)}`).join(', ')}`);
    const c = l.check;
    const el = (e) => (e ? `first in <body> ${e.first ? 'yes' : 'NO'}, async ${e.async}, type ${e.type}` : 'NO ELEMENT');
    for (const v of LOADER_ORDER) out.push(`  check, ${v}: ${el(c[v].element)}, localStorage ${c[v].storage.join('/')}`);
    const per = (o) => Object.entries(o).map(([k, n]) => `${k} (${n} pages)`).join(', ');
    for (const v of LOADER_ORDER) out.push(`  loader, ${v}: requests per page ${per(c.loader[v].requestsPerPage)}; Resource Timing initiators ${per(c.loader[v].initiators)}`);
    out.push(`  preloaded loader reused by install()'s <script> (one request, initiator link, on every page): ${c.loader.preloadReused ? 'yes' : 'NO'}`);
    for (const [v, name] of [['library', 'library'], ['hints', 'library + hints'], ['preload', 'library + hints + loader']]) {
      const w = c.wasm[v];
      const sent = firefox ? 'requests sent: not seen through WebDriver' : `requests sent per page ${per(w.networkRequestsPerPage)}`;
      out.push(`  wasm, ${name}: Resource Timing entries per page ${per(w.entriesPerPage)}, initiators ${per(w.initiators)}; ${sent}${w.preloadWarnings.length ? `; console: ${w.preloadWarnings.join(' | ')}` : ''}`);
      const inits = [...new Set(Object.keys(w.moduleInitiators).map((k) => k.split(':').pop()))];
      out.push(`        JS modules: Resource Timing entries per page ${per(w.moduleEntriesPerPage)}, initiators ${inits.join(', ')}`);
    }
    const types = Object.keys({ ...c.wasm.library.contentTypes, ...c.wasm.hints.contentTypes, ...c.wasm.preload.contentTypes });
    out.push(`  preloaded wasm response reused by load() (one entry, initiator link${firefox ? '' : ', one request'}, on every page): ${c.wasm.hintsReused ? 'yes' : 'NO'}; wasm served as ${types.join(', ') || 'n/a'}${types.length === 1 && types[0] === 'application/wasm' ? ', so load() compiles it with WebAssembly.compileStreaming' : ''}`);
    if (Object.values(c.missing).some(Boolean) || c.installErrors.length) {
      out.push(`  MISSING loader requests: ${LOADER_ORDER.map((v) => `${v} ${c.missing[v]}`).join(', ')}; install errors: ${c.installErrors.join(', ') || 'none'}`);
    }
    out.push('  Same page server (127.0.0.1, no cache); the stand-in loader from another origin (another port), not cacheable; the library pages load index.js, the glue and the wasm first');
    out.push('  (without hints one after the other as each module is parsed; with them all from the document\'s head).');
  }

  if (result.popup) {
    const p = result.popup;
    out.push(`\n6. Ring to pop-up: dispatch of _jorel-dialog-state-ringing to the call of window.open (stubbed), ${p.pages} fresh pages x ${p.ringsPerPage} rings per variant, median [min-max]`);
    const fine = (x) => (Math.abs(x) < 1 ? `${(x * 1000).toFixed(0)} µs` : ms(x));
    const g = (x) => (x ? `${fine(x.median)} [${fine(x.min)}-${fine(x.max)}]` : '');
    const row = (name, x) => [name, g(x.all), g(x.first), g(x.later), `${x.opened}/${x.rings}${x.missed ? `, ${x.missed} missed` : ''}`];
    out.push(table([
      row("seed's pop-up script (async listener, window.open(await url))", p.snippet),
      row("ziwo-webphone: phone.popup('https://crm.example/customers?phone={number}')", p.library),
    ], ['variant', 'all rings', "each page's first ring", 'later rings', 'opened']));
    const d = (x) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${fine(x)} (${(x / FRAME_MS).toFixed(3)} frames of 16.7 ms)`);
    out.push(`  library - seed's script: ${d(p.differenceMs)} from the medians of all rings; first rings: ${d(p.differenceFirstMs)}`);
    out.push(`  check: URL opened ${p.snippet.urlAsExpected && p.library.urlAsExpected ? 'the same for both' : 'DIFFERENT'} (${p.library.lastUrl}); Web Locks available: ${p.library.locks ? 'yes' : 'NO'}; cross-origin isolated (5 µs timer): ${p.snippet.crossOriginIsolated && p.library.crossOriginIsolated ? 'yes' : 'no (100 µs timer)'}`);
    const errs = [...p.snippet.errors, ...p.library.errors];
    if (errs.length) out.push(`  page errors: ${errs.join('; ')}`);
    out.push("  The library claims the call across tabs under a Web Lock (navigator.locks) before it opens: its window.open runs in the lock's callback.");
  }
  return out.join('\n');
}

// ---------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  const build = await prepare();
  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores, ${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((x) => round(x, 2)),
    build: { dist: path.relative(REPO, DIST) || '.', snippets: build.snippets, wasmFile: build.wasmFile, wasmSha256: build.wasmSha256, wasmBytes: build.wasmBytes, jsFiles: build.jsFiles },
    config: CFG,
  };
  if (ONLY.has('sizes')) {
    log('1/6 bytes shipped ...');
    result.sizes = sizes();
  }
  const needBrowser = PARTS.slice(1).some((p) => ONLY.has(p)) || PROFILE;
  if (needBrowser) {
    const [server, browser, loader] = await Promise.all([
      startServer({ root: HERE, mounts: { '/dist/': build.snap, '/cache/': path.join(CACHE, 'www') } }),
      launch({ args: ['--js-flags=--expose-gc', '--enable-precise-memory-info'] }),
      startLoaderServer(),
    ]);
    writeLoaderPages(build.snippets, build.wasmFile, loader.url);
    const url = (p) => server.url + p;
    result.browser = browser.version();
    try {
      if (ONLY.has('events')) {
        log('2/6 cost per event ...');
        result.events = await eventsBench(browser, url);
      }
      if (PROFILE) {
        log('    CPU profile ...');
        result.profile = await profileBench(browser, url);
      }
      if (ONLY.has('startup')) {
        log('3/6 start-up ...');
        result.startup = await startupBench(browser, url);
      }
      if (ONLY.has('memory')) {
        log('4/6 memory (library, then plain JS) ...');
        result.memory = { library: await memoryBench(browser, url, 'library'), baseline: await memoryBench(browser, url, 'baseline') };
      }
      if (ONLY.has('loader')) {
        result.loader = [];
        for (const name of CFG.loaderBrowsers) {
          const other = name === 'firefox' ? await launchFirefox() : null;
          try {
            for (const latency of CFG.loaderLatencies) {
              log(`5/6 loader start in ${name} (snippet, library, + hints, + loader preloaded; the loader answers after ${latency} ms) ...`);
              result.loader.push(await loaderBench(other ?? browser, name, url, loader, latency));
            }
          } finally {
            await other?.close();
          }
        }
      }
      if (ONLY.has('popup')) {
        log('6/6 ring to pop-up (seed\'s script, library) ...');
        result.popup = await popupBench(browser, url);
      }
    } finally {
      await browser.close().catch(() => {});
      await server.close();
      await loader.close();
    }
  }
  result.seconds = Math.round((Date.now() - started) / 1000);
  const json = JSON.stringify(result, (k, v) => (typeof v === 'number' && !Number.isInteger(v) ? round(v, 4) : v), 2);
  if (option('--save', null)) fs.writeFileSync(path.resolve(option('--save', null)), json + '\n');
  if (JSON_OUT) console.log(json);
  else console.log(print(result) + `\n\n(${result.seconds} s)`);
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
