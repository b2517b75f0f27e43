// Checks shared by the facades: every options value from the page is untrusted.

export function invalid(message) {
  const error = new Error(message);
  error.name = 'ZiwoError';
  error.code = 'invalid-option';
  return error;
}

export function object(value, what) {
  if (value === null || typeof value !== 'object') throw invalid(`${what} must be an object`);
  return value;
}

export function string(options, key) {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${key} must be a string`);
  return value;
}

export function callback(options, key) {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'function') throw invalid(`${key} must be a function`);
  return value;
}

// A rejected Promise rather than a throw, for the methods that return a Promise.
export function attempt(run) {
  try {
    return run();
  } catch (error) {
    return Promise.reject(error);
  }
}
