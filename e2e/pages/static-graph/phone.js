// Starts loading the phone's module as soon as it is evaluated.
import { load } from '/dist/index.js';

export const loading = load();
