/**
 * `generateActionWithRetry`: ask the model again, with a reminder, until its output
 * holds a usable action; the reference's exact prompt sequence. Never throws.
 */
import { fallbackAction } from "./action-mapping.js";
import { ActionType } from "./enums.js";
import { locateAction } from "./parse-action.js";
import { resolveOptions } from "./parse-options.js";
import { codePointPrefix } from "./python-text.js";
import { pyStr, pyTruthy } from "./python-value.js";
import type { ChaosOpsAction, ParseOptions } from "./types.js";

export const DEFAULT_REMINDER =
  "Previous reply did not contain a valid JSON action. Respond with ONLY a JSON object matching the schema.";

/** Where retry reports go; the default is silent. */
export interface RetryLogger {
  warn(message: string): void;
  info(message: string): void;
}

/** The model call: prompt in, completion text out (or a promise of it). */
export type GenerateFn = (prompt: string) => string | null | undefined | Promise<string | null | undefined>;

export interface RetryOptions extends ParseOptions {
  generate: GenerateFn;
  /** Attempts in all; below 1 means 1. Defaults to 3. */
  maxAttempts?: number;
  reminder?: string | null;
  logger?: Partial<RetryLogger>;
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

/**
 * Calls `generate` up to `maxAttempts` times and returns the first usable action.
 * After a provider error the next prompt is `prompt + "\n\n" + reminder`; after
 * unusable output it also quotes the first 500 code points of that output. When
 * every attempt fails, returns the fallback action.
 *
 * @example
 * await generateActionWithRetry(buildPrompt(obs), { role: "sre", generate: (p) => llm.complete(p) })
 */
export async function generateActionWithRetry(prompt: string, options: RetryOptions): Promise<ChaosOpsAction> {
  const resolved = resolveOptions(options, "generateActionWithRetry");
  if (typeof options.generate !== "function") throw new TypeError("generateActionWithRetry: options.generate must be a function");
  const reminder = options.reminder ?? DEFAULT_REMINDER;
  const attempts = Math.max(1, Math.floor(options.maxAttempts ?? 3) || 1);
  const warn = (message: string): void => options.logger?.warn?.(message);
  let current = prompt;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let raw: string;
    try {
      raw = completionText(await options.generate(current));
    } catch (error) {
      warn(`LLM generation attempt ${attempt} failed: ${describe(error)}`);
      current = `${prompt}\n\n${reminder}`;
      continue;
    }
    const { action } = locateAction(raw, resolved);
    if (isUsableAction(action, raw)) return action;
    current = `${prompt}\n\n${reminder}\n\nPrevious output:\n${codePointPrefix(raw, 500)}`;
  }
  options.logger?.info?.(`LLM retry budget exhausted for role=${resolved.role}; falling back to ${resolved.fallback}`);
  return fallbackAction(resolved.role, resolved.fallback);
}
