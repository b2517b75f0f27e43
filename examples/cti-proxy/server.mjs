// A small server that keeps the contact center's CTI `api_key` (never in a browser: anyone
// could read it there) and lets the CRM's pages ask for two CTI actions:
//
//   POST /cti/status  {"ccLogin": "1001", "status": 1}          the agent's status
//   POST /cti/call    {"ccLogin": "1001", "number": "+1555..."}  click to call for an agent
//
// Answers `{"ok": true, "result": ...}`, or `{"ok": false, "code": "...", "message": "..."}`
// with 400 for the page's mistakes and 502 for the API's. Run it:
//
//   ZIWO_CONTACT_CENTER=acme ZIWO_API_KEY=... node examples/cti-proxy/server.mjs
//   (ZIWO_API_BASE_URL=http://127.0.0.1:8081 for the project's API stand-in)
import { createServer } from 'node:http';
import { createApiClient, isZiwoError } from 'ziwo-webphone/full';

/** Errors of the page's request (400); any other is the API's (502). */
const PAGE_ERRORS = new Set(['invalid-number', 'invalid-option']);
const MAX_BODY = 4096;

export async function startCtiProxy({ contactCenter, apiKey, baseUrl, port = 0, host = '127.0.0.1' }) {
  const api = await createApiClient({ contactCenter, apiKey, baseUrl });
  const actions = {
    '/cti/status': ({ ccLogin, status }) => api.cti.setStatus(String(ccLogin), Number(status)),
    '/cti/call': ({ ccLogin, number }) => api.cti.call(String(ccLogin), String(number)),
  };
  const server = createServer(async (req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const action = actions[req.url];
    if (req.method !== 'POST' || !action) return send(404, { ok: false, code: 'not-found', message: 'no such action' });
    let text = '';
    for await (const chunk of req) {
      text += chunk;
      if (text.length > MAX_BODY) return send(413, { ok: false, code: 'too-large', message: 'the body is too large' });
    }
    let body;
    try { body = JSON.parse(text); } catch { return send(400, { ok: false, code: 'invalid-json', message: 'the body is not JSON' }); }
    try {
      send(200, { ok: true, result: await action(body ?? {}) });
    } catch (e) {
      if (!isZiwoError(e)) throw e;
      // The library's messages never hold the api_key or the values passed in.
      send(PAGE_ERRORS.has(e.code) ? 400 : 502, { ok: false, code: e.code, message: e.message });
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address();
  return { url: `http://${host}:${bound}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

if (import.meta.url === new URL(process.argv[1], 'file:').href) {
  const { ZIWO_CONTACT_CENTER: contactCenter, ZIWO_API_KEY: apiKey, ZIWO_API_BASE_URL: baseUrl, PORT } = process.env;
  const proxy = await startCtiProxy({ contactCenter, apiKey, baseUrl, port: Number(PORT ?? 8090) });
  console.log(`CTI proxy on ${proxy.url}/ (POST /cti/status, POST /cti/call)`);
}
