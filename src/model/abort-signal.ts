/**
 * What the options that take an AbortSignal accept: an AbortSignal, or one from another
 * realm or a polyfill, as long as what we call on it is there. A getter that throws makes
 * it no signal.
 */
export function isAbortSignal(value: unknown): value is AbortSignal {
  try {
    const signal = value as AbortSignal;
    return (
      typeof signal === "object" &&
      signal !== null &&
      typeof signal.aborted === "boolean" &&
      typeof signal.addEventListener === "function" &&
      typeof signal.removeEventListener === "function"
    );
  } catch {
    return false;
  }
}
