// Serves the strict-CSP example: the page with a fresh nonce and its Content-Security-Policy
// header on every response, the library (the repository's dist/) under /dist/, and, on a
// second port that stands for the phone's own host (https://<cc>.aswat.co), the simulator.
//
//   node examples/csp/server.mjs [--port 8082]      (or: node examples/serve.mjs csp)
//
// Tests import `startCspServer`, which can be given another `policy` to prove that the
// browser enforces it.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startServer, mimeType } from '../../scripts/serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(HERE, '../../dist');

/** The example's policy: scripts from the page's origin or carrying the nonce, and wasm. */
export const strictPolicy = (nonce) =>
  `script-src 'self' 'nonce-${nonce}' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'`;

/**
 * Starts the page server and the phone's server.
 * @param {object} [options]
 * @param {number} [options.port=0] the page's port (0: any free port)
 * @param {(nonce: string, phoneOrigin: string) => string} [options.policy=strictPolicy]
 * @returns {Promise<{url: string, phoneUrl: string, close: () => Promise<void>}>}
 */
export async function startCspServer({ port = 0, host = '127.0.0.1', policy = strictPolicy } = {}) {
  const phone = await startServer({ root: 'www/sim', host });
  const phoneScript = `${phone.url}/jorel.js`;
  const template = fs.readFileSync(path.join(HERE, 'index.html'), 'utf8');

  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    if (pathname === '/' || pathname === '/index.html') {
      const nonce = randomBytes(16).toString('base64');
      const html = template
        .replaceAll('{{nonce}}', nonce)
        .replaceAll('{{phoneScript}}', JSON.stringify(phoneScript).replaceAll('<', '\\u003c'));
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': policy(nonce, phone.url),
        'Cache-Control': 'no-store',
      });
      return res.end(html);
    }
    // /dist/<file>: the built library, one level, no other path.
    const match = /^\/dist\/([\w.-]+)$/.exec(pathname);
    const file = match && path.join(DIST, match[1]);
    if (file && !match[1].startsWith('.') && fs.existsSync(file)) {
      res.writeHead(200, { 'Content-Type': mimeType(file), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      return fs.createReadStream(file).pipe(res);
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    url: `http://${host}:${server.address().port}`,
    phoneUrl: phone.url,
    close: async () => {
      await new Promise((done) => { server.close(() => done()); server.closeAllConnections?.(); });
      await phone.close();
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const { url, phoneUrl } = await startCspServer({ port: i > 0 ? Number(process.argv[i + 1]) : 8082 });
  console.log(`Strict-CSP example on ${url}/ (the phone's host: ${phoneUrl}/)`);
}
