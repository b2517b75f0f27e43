// ziwo-webphone/full: the web phone companion and the REST client.
export * from './index.js';
export { ApiClient, createApiClient } from './api.js';
