// The CRM's REST calls, in a module evaluated after phone.js.
export { createApiClient } from '/dist/full.js';
