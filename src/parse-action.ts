/**
 * `parseAction`: completion text → exactly one action, as the reference's
 * `parse_action` does it, in time linear in the text and without throwing.
 */
import { actionFromPayload, fallbackAction } from "./action-mapping.js";
import { findCandidate, type CandidateSpan } from "./candidates.js";
import { ActionType, isActionType, isAgentRole, type AgentRole } from "./enums.js";
import { decodeJsonObject, topLevelNumberLiterals } from "./json-dialect.js";
import { pyStrip } from "./python-text.js";
import type { ChaosOpsAction, JsonObject, ParseOptions } from "./types.js";

export interface ResolvedOptions {
  readonly role: AgentRole;
  readonly fallback: ActionType;
}

/** Checks the caller's options once, with a message that names the bad field. */
export function resolveOptions(options: ParseOptions, caller: string): ResolvedOptions {
  if (typeof options !== "object" || options === null || !isAgentRole(options.role)) {
    throw new TypeError(`${caller}: options.role must be one of "sre", "dev", "manager", "oversight"`);
  }
  const fallback = options.fallback ?? ActionType.NOOP;
  if (!isActionType(fallback)) throw new TypeError(`${caller}: options.fallback must be an ActionType value`);
  return { role: options.role, fallback };
}

export interface LocatedAction {
  readonly action: ChaosOpsAction;
  /** The candidate that decoded to an object, in the stripped text; null when none did. */
  readonly candidate: CandidateSpan | null;
  /** The stripped text the candidate offsets refer to. */
  readonly text: string;
}

/** The action of a decoded object taken from `text[start:end]`. */
export function actionFromCandidate(
  payload: JsonObject,
  text: string,
  start: number,
  end: number,
  options: ResolvedOptions,
): ChaosOpsAction {
  return actionFromPayload(payload, {
    ...options,
    numberLiteral: (key) => topLevelNumberLiterals(text, start, end).get(key),
  });
}

/** parseAction, also telling which candidate was taken. */
export function locateAction(raw: string, options: ResolvedOptions): LocatedAction {
  const text = typeof raw === "string" ? pyStrip(raw) : "";
  const found = findCandidate(text, (_kind, start, end) => decodeJsonObject(text, start, end));
  if (!found) return { action: fallbackAction(options.role, options.fallback), candidate: null, text };
  const { kind, start, end, value } = found;
  return { action: actionFromCandidate(value, text, start, end, options), candidate: { kind, start, end }, text };
}

/**
 * Extracts one action from a model's completion, exactly as the Python reference's
 * `parse_action` does: the whole text, then fenced blocks, then top-level balanced
 * blocks, then bare blocks; the first that decodes to a JSON object decides. Never
 * throws on any string, and runs in time linear in its length.
 *
 * @example
 * parseAction('Sure! {"action_type": "restart", "target": "db"}', { role: "sre" })
 * // → { role: "sre", action_type: "restart", target: "db", args: {} }
 */
export function parseAction(raw: string, options: ParseOptions): ChaosOpsAction {
  return locateAction(raw, resolveOptions(options, "parseAction")).action;
}
