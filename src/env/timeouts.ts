/**
 * Timeout options, read one way across the client and the HTTP helpers: a timer cannot
 * hold more than 2^31 - 1 ms (longer ones, Infinity included, fire at once), so those
 * mean "no timeout"; NaN or a negative value is the caller's mistake.
 */

import { isAbortSignal } from "../model/abort-signal.js";

const MAX_TIMER_MS = 2 ** 31 - 1;

/** The `signal` option checked: anything but undefined or an AbortSignal is a TypeError. */
export function checkedSignal(value: unknown, caller: string): AbortSignal | undefined {
  if (value === undefined || isAbortSignal(value)) return value;
  throw new TypeError(`${caller}: options.signal must be an AbortSignal (got ${value === null ? "null" : typeof value})`);
}

/** The option checked: NaN or negative is a RangeError; undefined is the default. */
export function checkedTimeout(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) throw new RangeError(`${name} must be a number of milliseconds ≥ 0, or Infinity (got ${String(value)})`);
  return value;
}

/** setTimeout that treats a delay no timer can hold as "never". */
export function startTimer(ms: number, fire: () => void): ReturnType<typeof setTimeout> | undefined {
  return ms > MAX_TIMER_MS ? undefined : setTimeout(fire, ms);
}

/** AbortSignal.timeout, or a signal that never fires when no timer can hold the delay. */
export function timeoutSignal(ms: number): AbortSignal {
  return ms > MAX_TIMER_MS ? new AbortController().signal : AbortSignal.timeout(ms);
}
