#!/usr/bin/env node
// Dependency-free static file server for the demo page, the web-phone simulator and the
// browser tests.
//
//   node scripts/serve.mjs [--port 8080] [--root www] [--host 127.0.0.1]
//
// serves <repo>/<root> and mounts <repo>/dist under /dist/ (the built library), prints the
// URL and keeps running. Tests import `startServer` instead.
//
// Every response carries `Cache-Control: no-store` (a test must never see a stale build),
// `.wasm` is served as `application/wasm` (needed by WebAssembly.instantiateStreaming),
// directories serve their index.html, and no request can read outside its root.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

export function mimeType(file) {
  return MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

// Normalises a mount prefix to '/x/' form.
function normalisePrefix(prefix) {
  let p = String(prefix);
  if (!p.startsWith('/')) p = '/' + p;
  if (!p.endsWith('/')) p += '/';
  return p;
}

function resolveDir(dir) {
  return path.resolve(REPO, dir);
}

// Is `child` the directory `parent` itself or inside it?
function isInside(parent, child) {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/**
 * Starts a static server.
 * @param {object} [options]
 * @param {string} [options.root='www'] directory to serve, relative to the repository (or absolute)
 * @param {number} [options.port=0] 0 picks a free port
 * @param {string} [options.host='127.0.0.1']
 * @param {Record<string,string>} [options.mounts={}] URL prefix -> directory, e.g. {'/dist/': 'dist'}
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>} `url` has no trailing slash
 */
export function startServer({ root = 'www', port = 0, host = '127.0.0.1', mounts = {} } = {}) {
  // Longest prefix first, so '/dist/x/' wins over '/dist/'.
  const table = Object.entries(mounts)
    .map(([prefix, dir]) => ({ prefix: normalisePrefix(prefix), dir: resolveDir(dir) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const rootDir = resolveDir(root);

  const server = http.createServer((req, res) => {
    handle(req, res, rootDir, table).catch((err) => {
      if (!res.headersSent) send(res, 500, 'Internal Server Error');
      else res.destroy();
      console.error('serve:', err);
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const actual = server.address().port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${actual}`,
        port: actual,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections?.();
          }),
      });
    });
  });
}

function send(res, status, text, extra = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(text);
}

async function handle(req, res, rootDir, table) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
  }
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  } catch {
    return send(res, 400, 'Bad Request');
  }
  if (pathname.includes('\0')) return send(res, 400, 'Bad Request');

  let base = rootDir;
  let rel = pathname;
  const mount = table.find((m) => pathname.startsWith(m.prefix) || pathname + '/' === m.prefix);
  if (mount) {
    base = mount.dir;
    rel = pathname.slice(mount.prefix.length - 1) || '/';
  }

  // path.join normalises '..' segments; the check below rejects whatever still escapes,
  // and realpath catches symlinks that point outside the served directory.
  let file = path.join(base, rel);
  if (!isInside(base, file)) return send(res, 404, 'Not Found');

  let stat;
  try {
    stat = await fs.promises.stat(file);
    if (stat.isDirectory()) {
      if (!pathname.endsWith('/')) {
        // Redirect so that relative URLs inside index.html resolve against the directory.
        const url = new URL(req.url, 'http://localhost');
        return send(res, 301, 'Moved Permanently', { Location: url.pathname + '/' + url.search });
      }
      file = path.join(file, 'index.html');
      stat = await fs.promises.stat(file);
    }
    if (!stat.isFile()) return send(res, 404, 'Not Found');
    const [realBase, realFile] = await Promise.all([fs.promises.realpath(base), fs.promises.realpath(file)]);
    if (!isInside(realBase, realFile)) return send(res, 404, 'Not Found');
  } catch {
    return send(res, 404, 'Not Found');
  }

  res.writeHead(200, {
    'Content-Type': mimeType(file),
    'Content-Length': stat.size,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    // The wasm-bindgen test runner's page is cross-origin isolated (COEP require-corp):
    // it may load the simulator from this server only if the server allows it.
    'Cross-Origin-Resource-Policy': 'cross-origin',
  });
  if (req.method === 'HEAD') return res.end();
  await new Promise((resolve, reject) => {
    const stream = fs.createReadStream(file);
    stream.on('error', reject);
    res.on('close', resolve);
    stream.pipe(res);
  });
}

function parseArgs(argv) {
  const opts = { port: 8080, root: 'www', host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--port') opts.port = Number(value());
    else if (flag === '--root') opts.root = value();
    else if (flag === '--host') opts.host = value();
    else if (flag === '--help' || flag === '-h') {
      console.log('usage: node scripts/serve.mjs [--port 8080] [--root www] [--host 127.0.0.1]');
      process.exit(0);
    } else {
      console.error(`serve: unknown argument ${argv[i]}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    console.error('serve: --port must be an integer between 0 and 65535');
    process.exit(2);
  }
  return opts;
}

const runAsScript = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runAsScript) {
  const opts = parseArgs(process.argv.slice(2));
  const { url } = await startServer({ ...opts, mounts: { '/dist/': 'dist' } });
  console.log(`Serving ${resolveDir(opts.root)} (and ${resolveDir('dist')} at /dist/) on ${url}/`);
  console.log(`Simulator: ${url}/sim/`);
}
