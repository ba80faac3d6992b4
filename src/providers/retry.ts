/**
 * `generateActionWithRetry`: ask the model again, with a reminder, until its output
 * holds a usable action; the reference's exact prompt sequence. For real providers it
 * can also back off (exponentially, with full jitter, honouring Retry-After) on the
 * failures worth retrying, time out each attempt, and be cancelled. Never throws.
 */
import { fallbackAction } from "../actions/action-mapping.js";
import { ActionType } from "../model/enums.js";
import { locateAction } from "../parsing/parse-action.js";
import { resolveOptions } from "../parsing/parse-options.js";
import { codePointPrefix } from "../python/python-text.js";
import { pyStr, pyTruthy } from "../python/python-value.js";
import type { ChaosOpsAction, ParseOptions } from "../model/types.js";

export const DEFAULT_REMINDER =
  "Previous reply did not contain a valid JSON action. Respond with ONLY a JSON object matching the schema.";

/** Where retry reports go; the default is silent. */
export interface RetryLogger {
  warn(message: string): void;
  info(message: string): void;
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

export interface RetryOptions extends ParseOptions {
  generate: GenerateFn;
  /** Attempts in all; below 1 means 1. Defaults to 3. */
  maxAttempts?: number;
  reminder?: string | null;
  logger?: Partial<RetryLogger>;
  /** Wait between attempts after retryable failures. Off by default, as in the reference. */
  backoff?: BackoffOptions | boolean;
  /** Give up on an attempt after this long (and retry, as for a network error). */
  attemptTimeoutMs?: number;
  /** Cancels everything: the current attempt, any wait, and the attempts left. */
  signal?: AbortSignal;
  onAttempt?: (report: AttemptReport) => void;
}

/** Python `generate(prompt) or ""`; a non-string value reads as Python's `str()` of it. */
function completionText(value: unknown): string {
  if (!pyTruthy(value)) return "";
  return typeof value === "string" ? value : pyStr(value);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Did the parser find structured content? A fallback noop with no target, no args
 * and no braces in the output means the model wrote nothing parseable.
 */
export function isUsableAction(action: ChaosOpsAction, raw: string): boolean {
  if (action.target || Object.keys(action.args).length > 0) return true;
  if (action.action_type !== ActionType.NOOP) return true;
  return raw.includes("{") && raw.includes("}");
}

/** The HTTP status an SDK error carries (`status` in openai and @anthropic-ai/sdk). */
function httpStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const candidates = [(error as { status?: unknown }).status, (error as { statusCode?: unknown }).statusCode];
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
  const headers = (error as { headers?: unknown } | null)?.headers;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (typeof headers === "object" && headers !== null) {
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === "string" ? value : undefined;
  }
  return undefined;
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

function backoffDelay(options: RetryOptions, failures: number, error: unknown): number {
  if (!options.backoff) return 0;
  const settings = options.backoff === true ? {} : options.backoff;
  const maxMs = settings.maxMs ?? 30_000;
  const ceiling = Math.min(maxMs, (settings.baseMs ?? 500) * 2 ** (failures - 1));
  const drawn = settings.jitter === "none" ? ceiling : Math.random() * ceiling;
  const asked = retryAfterMs(error);
  return Math.min(maxMs, asked === undefined ? drawn : Math.max(drawn, asked));
}

class Cancelled extends Error {}

/** Resolves after `ms`, or rejects with Cancelled as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Cancelled());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** One call of `generate`, bounded by the attempt's timeout and the caller's signal. */
async function callOnce(options: RetryOptions, prompt: string, attempt: number): Promise<string> {
  const controller = new AbortController();
  const stop = (reason: unknown) => controller.abort(reason);
  const onCancel = () => stop(new Cancelled());
  options.signal?.addEventListener("abort", onCancel, { once: true });
  const timer =
    options.attemptTimeoutMs === undefined
      ? undefined
      : setTimeout(() => stop(new Error(`attempt ${attempt} timed out after ${options.attemptTimeoutMs} ms`)), options.attemptTimeoutMs);
  try {
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
    });
    aborted.catch(() => undefined);
    const generated = Promise.resolve().then(() => options.generate(prompt, { attempt, signal: controller.signal }));
    return completionText(await Promise.race([generated, aborted]));
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onCancel);
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A reporting hook must not break the retry loop.
  }
}

/**
 * Calls `generate` up to `maxAttempts` times and returns the first usable action.
 * After a provider error the next prompt is `prompt + "\n\n" + reminder`; after
 * unusable output it also quotes the first 500 code points of that output. When every
 * attempt fails, a non-retryable error (a 4xx other than 429) occurs, or `signal`
 * aborts, it returns the fallback action.
 *
 * @example
 * await generateActionWithRetry(buildPrompt(obs), {
 *   role: "sre",
 *   generate: (prompt, { signal }) => llm.complete(prompt, { signal }),
 *   backoff: { baseMs: 500, maxMs: 20_000 },
 *   attemptTimeoutMs: 30_000,
 * });
 */
export async function generateActionWithRetry(prompt: string, options: RetryOptions): Promise<ChaosOpsAction> {
  const resolved = resolveOptions(options, "generateActionWithRetry");
  if (typeof options.generate !== "function") throw new TypeError("generateActionWithRetry: options.generate must be a function");
  const reminder = options.reminder ?? DEFAULT_REMINDER;
  const attempts = Math.max(1, Math.floor(options.maxAttempts ?? 3) || 1);
  const log = (level: keyof RetryLogger, message: string) => safely(() => options.logger?.[level]?.(message));
  const report = (entry: AttemptReport) => safely(() => options.onAttempt?.(entry));
  const giveUp = (why: string) => {
    log("info", `${why} for role=${resolved.role}; falling back to ${resolved.fallback}`);
    return fallbackAction(resolved.role, resolved.fallback);
  };
  let current = prompt;
  let failures = 0;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (options.signal?.aborted) return giveUp("LLM generation cancelled");
    let raw: string;
    try {
      raw = await callOnce(options, current, attempt);
    } catch (error) {
      if (error instanceof Cancelled) return giveUp("LLM generation cancelled");
      log("warn", `LLM generation attempt ${attempt} failed: ${describe(error)}`);
      const retryable = isRetryable(error);
      const delayMs = retryable && attempt < attempts ? backoffDelay(options, ++failures, error) : 0;
      report({ attempt, prompt: current, error, delayMs });
      if (!retryable) return giveUp(`LLM generation failed with HTTP ${httpStatus(error)}, which a retry cannot fix,`);
      current = `${prompt}\n\n${reminder}`;
      try {
        if (delayMs > 0) await sleep(delayMs, options.signal);
      } catch {
        return giveUp("LLM generation cancelled");
      }
      continue;
    }
    const { action } = locateAction(raw, resolved);
    const usable = isUsableAction(action, raw);
    report({ attempt, prompt: current, raw, action, usable, delayMs: 0 });
    if (usable) return action;
    current = `${prompt}\n\n${reminder}\n\nPrevious output:\n${codePointPrefix(raw, 500)}`;
  }
  return giveUp("LLM retry budget exhausted");
}
