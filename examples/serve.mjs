#!/usr/bin/env node
// Serves one example, as it is meant to be deployed, against the web phone simulator.
//
//   node examples/serve.mjs vite|react|script-tag|csp [--port 8081]
//
// vite, react: their build output (examples/<name>/dist, from ./scripts/build-examples.sh),
//   which holds the simulator at /sim/jorel.js (copied into public/ by the build);
// script-tag: examples/script-tag with the library's dist/ at /dist/ and the simulator at /sim/;
// csp: examples/csp/server.mjs (a nonce and a CSP header per response).
// Tests import `serveExample(name)`.
import fs from 'node:fs';
import { startServer } from '../scripts/serve.mjs';
import { startCspServer } from './csp/server.mjs';

export const EXAMPLES = ['vite', 'react', 'script-tag', 'csp'];

/** Starts the server of example `name`; resolves to `{url, close}` (and `phoneUrl` for csp). */
export function serveExample(name, { port = 0 } = {}) {
  switch (name) {
    case 'vite':
    case 'react': {
      const dist = new URL(`./${name}/dist/index.html`, import.meta.url);
      if (!fs.existsSync(dist)) throw new Error(`examples/${name} is not built: run ./scripts/build-examples.sh`);
      return startServer({ root: `examples/${name}/dist`, port });
    }
    case 'script-tag':
      return startServer({ root: 'examples/script-tag', port, mounts: { '/dist/': 'dist', '/sim/': 'www/sim' } });
    case 'csp':
      return startCspServer({ port });
    default:
      throw new Error(`unknown example ${name}: one of ${EXAMPLES.join(', ')}`);
  }
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(new URL(import.meta.url).pathname)) {
  const [name] = process.argv.slice(2);
  const i = process.argv.indexOf('--port');
  if (!EXAMPLES.includes(name)) {
    console.error(`usage: node examples/serve.mjs ${EXAMPLES.join('|')} [--port 8081]`);
    process.exit(2);
  }
  const { url } = await serveExample(name, { port: i > 0 ? Number(process.argv[i + 1]) : 8081 });
  console.log(`Example ${name} on ${url}/ (simulator: sign in with its form, or set localStorage '_jorel-token' and '_jorel-ccName')`);
}
