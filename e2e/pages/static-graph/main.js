// A page's module graph where a module loads the phone at its top level before another
// module of the same graph imports ziwo-webphone/full (e2e/layer.test.mjs).
import { loading } from './phone.js';
import { createApiClient } from './crm.js';

export const ready = loading.then(() => createApiClient({ baseUrl: location.origin, token: 'tok' }));
