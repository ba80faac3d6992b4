/**
 * `generateActionWithRetry`: ask the model again, with a reminder, until its output
 * holds a usable action; the reference's exact prompt sequence. For real providers it
 * can also back off (exponentially, with full jitter, honouring Retry-After) on the
 * failures worth retrying, time out each attempt, and be cancelled. Never rejects: not
 * on a thrown value that cannot be read, nor on a hook that throws or rejects. Options
 * that cannot work (a timeout of NaN, a signal that is not one) are programmer errors:
 * they throw a TypeError synchronously at the call, before any attempt.
 */
import { fallbackAction } from "../actions/action-mapping.js";
import { ActionType } from "../model/enums.js";
import { codePointPrefix } from "../python/python-text.js";
import { pyStr, pyTruthy } from "../python/python-value.js";
import type { ChaosOpsAction } from "../model/types.js";
import { actionFromText, resolveReading, type ResponseParseOptions, type ResponseReading } from "./providers.js";
import { attempt, field, plainCopy } from "./readable.js";
import { isAbortSignal } from "../model/abort-signal.js";

export const DEFAULT_REMINDER =
  "Previous reply did not contain a valid JSON action. Respond with ONLY a JSON object matching the schema.";

/** Where retry reports go; the default is silent. */
export interface RetryLogger {
  warn(message: string): unknown;
  info(message: string): unknown;
}

/** What `generate` is told about the attempt: pass `signal` on to the SDK so a timeout or cancel stops the request. */
export interface AttemptContext {
  readonly attempt: number;
  readonly signal: AbortSignal;
}

/** The model call: prompt in, completion text out (or a promise of it). */
export type GenerateFn = (prompt: string, context: AttemptContext) => string | null | undefined | Promise<string | null | undefined>;

export interface BackoffOptions {
  /** The first delay's ceiling, doubled after each failure (default 500 ms). */
  baseMs?: number;
  /** No delay is longer than this (default 30 s), Retry-After included. */
  maxMs?: number;
  /** "full" draws each delay uniformly below its ceiling (default); "none" waits the ceiling. */
  jitter?: "full" | "none";
}

/** One attempt, as `onAttempt` hears of it. */
export interface AttemptReport {
  readonly attempt: number;
  readonly prompt: string;
  /** The model's output, when it answered. */
  readonly raw?: string;
  /** What the provider threw (or the timeout), when it did not. */
  readonly error?: unknown;
  /** The action parsed from `raw`, and whether it was usable. */
  readonly action?: ChaosOpsAction;
  readonly usable?: boolean;
  /** How long the next attempt waits (0 when there is none, or no backoff). */
  readonly delayMs: number;
}

export interface RetryOptions extends ResponseParseOptions {
  generate: GenerateFn;
  /** Attempts in all; below 1 means 1, Infinity retries until usable output or `signal` aborts. Defaults to 3. */
  maxAttempts?: number;
  reminder?: string | null;
  logger?: Partial<RetryLogger>;
  /** Wait between attempts after retryable failures. Off by default, as in the reference. */
  backoff?: BackoffOptions | boolean;
  /**
   * Give up on an attempt after this many milliseconds (and retry, as for a network
   * error). A positive number; Infinity, and anything beyond what a timer can hold
   * (2^31 - 1 ms, about 24.8 days), means no timeout.
   */
  attemptTimeoutMs?: number;
  /** Cancels everything: the current attempt, any wait, and the attempts left. */
  signal?: AbortSignal;
  /** Hears of each attempt; a throw or a rejected promise from it is ignored. */
  onAttempt?: (report: AttemptReport) => unknown;
}

/** The longest delay a timer can hold; longer ones fire at once in Node and browsers. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Python `generate(prompt) or ""`; a non-string value reads as Python's `str()` of what can be read of it. */
function completionText(value: unknown): string {
  if (typeof value === "string") return value;
  if (!attempt(() => pyTruthy(value), false)) return "";
  return attempt(() => pyStr(plainCopy(value)), "");
}

/** A thrown value as log text, whatever it is: its message, its String(), or a placeholder. */
function describe(error: unknown): string {
  const message = attempt(() => (error instanceof Error ? error.message : undefined), undefined);
  if (typeof message === "string") return message;
  return attempt(() => String(error), "an error that cannot be printed");
}

/**
 * Did the parser find structured content? A fallback noop with no target, no args
 * and no braces in the output means the model wrote nothing parseable.
 */
export function isUsableAction(action: ChaosOpsAction, raw: string): boolean {
  if (typeof action !== "object" || action === null) throw new TypeError("isUsableAction: action must be an action object {role, action_type, target, args}");
  if (action.target || (typeof action.args === "object" && action.args !== null && Object.keys(action.args).length > 0)) return true;
  if (action.action_type !== ActionType.NOOP) return true;
  return typeof raw === "string" && raw.includes("{") && raw.includes("}");
}

/** The HTTP status an SDK error carries (`status` in openai and @anthropic-ai/sdk); undefined when unreadable. */
function httpStatus(error: unknown): number | undefined {
  const candidates = [field(error, "status"), field(error, "statusCode")];
  return candidates.find((value): value is number => typeof value === "number");
}

/**
 * Worth another attempt: 429 and 5xx, and anything without an HTTP status (network
 * errors, timeouts, a model wrapper's own errors, which the reference retries too).
 * Any other 4xx would fail the same way again.
 */
export function isRetryable(error: unknown): boolean {
  const status = httpStatus(error);
  return status === undefined || status === 429 || status >= 500;
}

function header(error: unknown, name: string): string | undefined {
  const headers = field(error, "headers");
  const value = attempt(() => (headers instanceof Headers ? headers.get(name) : field(headers, name)), undefined);
  return typeof value === "string" ? value : undefined;
}

/** The wait a Retry-After (or retry-after-ms) header asks for, in milliseconds. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  const ms = Number(header(error, "retry-after-ms"));
  if (header(error, "retry-after-ms") !== undefined && Number.isFinite(ms)) return Math.max(0, ms);
  const value = header(error, "retry-after");
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() !== "" && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The options, checked once at the call; a TypeError names the first that cannot work. */
interface Settings {
  readonly reading: ResponseReading;
  readonly generate: GenerateFn;
  readonly attempts: number;
  readonly reminder: string;
  readonly backoff: Required<BackoffOptions> | undefined;
  /** undefined: no timeout. */
  readonly timeoutMs: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly log: (level: keyof RetryLogger, message: string) => void;
  readonly report: (entry: AttemptReport) => void;
}

function optionError(caller: string, what: string): TypeError {
  return new TypeError(`${caller}: options.${what}`);
}

function isNumber(value: unknown): value is number {
  return typeof value === "number" && !Number.isNaN(value);
}

function checkBackoff(option: RetryOptions["backoff"], caller: string): Required<BackoffOptions> | undefined {
  if (option === undefined || option === false) return undefined;
  const settings: BackoffOptions = option === true ? {} : option;
  if (typeof settings !== "object" || settings === null) throw optionError(caller, "backoff must be true, false or { baseMs?, maxMs?, jitter? }");
  const { baseMs = 500, maxMs = 30_000, jitter = "full" } = settings;
  if (!isNumber(baseMs) || baseMs < 0) throw optionError(caller, "backoff.baseMs must be a number of milliseconds, 0 or more");
  if (!isNumber(maxMs) || maxMs < 0) throw optionError(caller, "backoff.maxMs must be a number of milliseconds, 0 or more");
  if (jitter !== "full" && jitter !== "none") throw optionError(caller, 'backoff.jitter must be "full" or "none"');
  return { baseMs, maxMs, jitter };
}

function checkTimeout(value: unknown, caller: string): number | undefined {
  if (value === undefined) return undefined;
  if (!isNumber(value) || value <= 0) {
    throw optionError(caller, "attemptTimeoutMs must be a positive number of milliseconds (Infinity for none)");
  }
  return value > MAX_TIMER_MS ? undefined : value;
}

/** Calls a hook; what it throws, and a promise it returns that rejects, are ignored. */
function safely(call: () => unknown): void {
  try {
    const result = call();
    if (typeof result === "object" && result !== null && typeof (result as { then?: unknown }).then === "function") {
      (result as PromiseLike<unknown>).then(undefined, () => undefined);
    }
  } catch {
    // A reporting hook must not break the retry loop.
  }
}

function settingsOf(prompt: unknown, options: RetryOptions, caller: string): Settings {
  if (typeof prompt !== "string") throw new TypeError(`${caller}: the prompt must be a string`);
  const reading = resolveReading(options, caller);
  const { generate, maxAttempts = 3, reminder, logger, onAttempt, signal } = options;
  if (typeof generate !== "function") throw optionError(caller, "generate must be a function");
  if (!isNumber(maxAttempts)) throw optionError(caller, "maxAttempts must be a number (Infinity to retry until usable)");
  if (reminder !== undefined && reminder !== null && typeof reminder !== "string") throw optionError(caller, "reminder must be a string");
  if (logger !== undefined && (typeof logger !== "object" || logger === null)) throw optionError(caller, "logger must be an object with warn and info");
  if (onAttempt !== undefined && typeof onAttempt !== "function") throw optionError(caller, "onAttempt must be a function");
  if (signal !== undefined && !isAbortSignal(signal)) throw optionError(caller, "signal must be an AbortSignal");
  return {
    reading,
    generate,
    attempts: Math.max(1, Math.floor(maxAttempts)),
    reminder: reminder ?? DEFAULT_REMINDER,
    backoff: checkBackoff(options.backoff, caller),
    timeoutMs: checkTimeout(options.attemptTimeoutMs, caller),
    signal,
    log: (level, message) => safely(() => logger?.[level]?.(message)),
    report: (entry) => safely(() => onAttempt?.(entry)),
  };
}

function backoffDelay(settings: Settings, failures: number, error: unknown): number {
  if (!settings.backoff) return 0;
  const { baseMs, maxMs, jitter } = settings.backoff;
  const ceiling = Math.min(maxMs, baseMs * 2 ** (failures - 1));
  const drawn = jitter === "none" ? ceiling : Math.random() * ceiling;
  const asked = retryAfterMs(error);
  return Math.min(maxMs, asked === undefined ? drawn : Math.max(drawn, asked));
}

/** The value the retry loop rejects its own waits with; never seen by the caller. */
const CANCELLED = Symbol("cancelled");

/**
 * Resolves after `ms` (a macrotask even for 0, so a loop of instant attempts still lets
 * timers and aborts run), or rejects with CANCELLED as soon as `signal` aborts.
 */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(CANCELLED);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.min(ms, MAX_TIMER_MS));
    const onAbort = () => {
      clearTimeout(timer);
      reject(CANCELLED);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** One call of `generate`, bounded by the attempt's timeout and the caller's signal. */
async function callOnce(settings: Settings, prompt: string, attemptNumber: number): Promise<string> {
  const controller = new AbortController();
  const stop = (reason: unknown) => controller.abort(reason);
  const onCancel = () => stop(CANCELLED);
  settings.signal?.addEventListener("abort", onCancel, { once: true });
  const timer =
    settings.timeoutMs === undefined
      ? undefined
      : setTimeout(() => stop(new Error(`attempt ${attemptNumber} timed out after ${settings.timeoutMs} ms`)), settings.timeoutMs);
  try {
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
    });
    aborted.catch(() => undefined);
    const generated = Promise.resolve().then(() => settings.generate(prompt, { attempt: attemptNumber, signal: controller.signal }));
    generated.catch(() => undefined); // a late rejection after a timeout is not unhandled
    return completionText(await Promise.race([generated, aborted]));
  } finally {
    clearTimeout(timer);
    settings.signal?.removeEventListener("abort", onCancel);
  }
}

/** Why the retry loop stopped. */
export const RetryOutcome = {
  /** An attempt gave usable output: its action is the result. */
  USABLE: "usable",
  /** Every attempt failed or gave unusable output. */
  EXHAUSTED: "exhausted",
  /** The provider answered with a 4xx other than 429, which another attempt cannot fix. */
  NOT_RETRYABLE: "not_retryable",
  /** `signal` aborted. */
  CANCELLED: "cancelled",
} as const;
export type RetryOutcome = (typeof RetryOutcome)[keyof typeof RetryOutcome];

/** Attempt reports a detailed result keeps; with `maxAttempts: Infinity` the rest are counted, not kept. */
export const MAX_KEPT_ATTEMPTS = 100;

/** generateActionWithRetry's action, with the account of how it was reached. */
export interface RetryResult {
  readonly action: ChaosOpsAction;
  /** Attempts made (calls of `generate`). */
  readonly attempts: number;
  readonly outcome: RetryOutcome;
  /** True when no attempt gave usable output and the action is the fallback. */
  readonly fallbackUsed: boolean;
  /** Each attempt as onAttempt heard of it (the first MAX_KEPT_ATTEMPTS). */
  readonly reports: readonly AttemptReport[];
  /** The outputs the model gave, in order (from the kept reports). */
  readonly outputs: readonly string[];
  /** What the provider threw, in order (from the kept reports). */
  readonly errors: readonly unknown[];
}

async function run(prompt: string, settings: Settings): Promise<RetryResult> {
  const { reading, reminder, signal, log } = settings;
  const reports: AttemptReport[] = [];
  let made = 0;
  const report = (entry: AttemptReport) => {
    if (reports.length < MAX_KEPT_ATTEMPTS) reports.push(entry);
    settings.report(entry);
  };
  const finish = (action: ChaosOpsAction, outcome: RetryOutcome): RetryResult => ({
    action,
    attempts: made,
    outcome,
    fallbackUsed: outcome !== RetryOutcome.USABLE,
    reports,
    outputs: reports.flatMap((entry) => (entry.raw === undefined ? [] : [entry.raw])),
    errors: reports.flatMap((entry) => ("error" in entry ? [entry.error] : [])),
  });
  const giveUp = (outcome: RetryOutcome, why: string) => {
    log("info", `${why} for role=${reading.role}; falling back to ${reading.fallback}`);
    return finish(fallbackAction(reading.role, reading.fallback), outcome);
  };
  const cancelled = () => giveUp(RetryOutcome.CANCELLED, "LLM generation cancelled");
  let current = prompt;
  let failures = 0;
  let delayMs = 0;
  for (let attemptNumber = 1; attemptNumber <= settings.attempts; attemptNumber++) {
    if (attemptNumber > 1) {
      try {
        await sleep(delayMs, signal);
      } catch {
        return cancelled();
      }
    }
    if (signal?.aborted) return cancelled();
    made = attemptNumber;
    let raw: string;
    try {
      raw = await callOnce(settings, current, attemptNumber);
    } catch (error) {
      if (error === CANCELLED) return cancelled();
      log("warn", `LLM generation attempt ${attemptNumber} failed: ${describe(error)}`);
      const retryable = isRetryable(error);
      delayMs = retryable && attemptNumber < settings.attempts ? backoffDelay(settings, ++failures, error) : 0;
      report({ attempt: attemptNumber, prompt: current, error, delayMs });
      if (!retryable) return giveUp(RetryOutcome.NOT_RETRYABLE, `LLM generation failed with HTTP ${httpStatus(error)}, which a retry cannot fix,`);
      current = `${prompt}\n\n${reminder}`;
      continue;
    }
    const action = actionFromText(raw, reading);
    const usable = isUsableAction(action, raw);
    delayMs = 0;
    report({ attempt: attemptNumber, prompt: current, raw, action, usable, delayMs });
    if (usable) return finish(action, RetryOutcome.USABLE);
    current = `${prompt}\n\n${reminder}\n\nPrevious output:\n${codePointPrefix(raw, 500)}`;
  }
  return giveUp(RetryOutcome.EXHAUSTED, "LLM retry budget exhausted");
}

/**
 * Calls `generate` up to `maxAttempts` times and returns the first usable action.
 * After a provider error the next prompt is `prompt + "\n\n" + reminder`; after
 * unusable output it also quotes the first 500 code points of that output. When every
 * attempt fails, a non-retryable error (a 4xx other than 429) occurs, or `signal`
 * aborts, it returns the fallback action. Outputs are read as parseAction reads them
 * with the same `formats`.
 *
 * @example
 * await generateActionWithRetry(buildPrompt(obs), {
 *   role: "sre",
 *   generate: (prompt, { signal }) => llm.complete(prompt, { signal }),
 *   backoff: { baseMs: 500, maxMs: 20_000 },
 *   attemptTimeoutMs: 30_000,
 * });
 */
export function generateActionWithRetry(prompt: string, options: RetryOptions): Promise<ChaosOpsAction> {
  const settings = settingsOf(prompt, options, "generateActionWithRetry");
  return run(prompt, settings).then((result) => result.action);
}

/**
 * generateActionWithRetry, with the account an eval logs: attempts made, why it stopped,
 * whether the fallback was used, and each attempt's prompt, output or error, and action.
 *
 * @example
 * const { action, attempts, fallbackUsed, outputs } = await generateActionWithRetryDetailed(prompt, { role: "sre", generate });
 */
export function generateActionWithRetryDetailed(prompt: string, options: RetryOptions): Promise<RetryResult> {
  return run(prompt, settingsOf(prompt, options, "generateActionWithRetryDetailed"));
}
