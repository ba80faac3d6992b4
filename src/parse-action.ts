/**
 * `parseAction`: completion text → exactly one action, as the reference's
 * `parse_action` does it, in time linear in the text and without throwing.
 */
import { actionFromFields, fallbackAction, recognizedActionType } from "./action-mapping.js";
import { CandidateKind, findCandidate, isWholeCandidate, type CandidateSpan } from "./candidates.js";
import { ActionType, isActionType, isAgentRole, type AgentRole } from "./enums.js";
import { decodeActionFields, type ActionFields } from "./json-dialect.js";
import { pyStrip } from "./python-text.js";
import type { ChaosOpsAction, ParseOptions } from "./types.js";

export interface ResolvedOptions {
  readonly role: AgentRole;
  readonly fallback: ActionType;
}

function optionsError(caller: string, field: "role" | "fallback"): TypeError {
  return new TypeError(
    field === "role"
      ? `${caller}: options.role must be one of "sre", "dev", "manager", "oversight"`
      : `${caller}: options.fallback must be an ActionType value`,
  );
}

/** Checks the caller's options once, with a message that names the bad field. */
export function resolveOptions(options: ParseOptions, caller: string): ResolvedOptions {
  if (typeof options !== "object" || options === null || !isAgentRole(options.role)) throw optionsError(caller, "role");
  const fallback = options.fallback ?? ActionType.NOOP;
  if (!isActionType(fallback)) throw optionsError(caller, "fallback");
  return { role: options.role, fallback };
}

export interface LocatedAction {
  readonly action: ChaosOpsAction;
  /** The candidate that decoded to an object, in the stripped text; null when none did. */
  readonly candidate: CandidateSpan | null;
  /** The stripped text the candidate offsets refer to. */
  readonly text: string;
  /** True when the action type is the fallback: no candidate decoded, or its action_type was not one. */
  readonly fallbackUsed: boolean;
}

function located(fields: ActionFields, text: string, span: CandidateSpan, options: ResolvedOptions): LocatedAction {
  return {
    action: actionFromFields(fields, options.role, options.fallback),
    candidate: span,
    text,
    fallbackUsed: recognizedActionType(fields.actionType) === undefined,
  };
}

/** parseAction, also telling which candidate was taken. */
export function locateAction(raw: string, options: ResolvedOptions): LocatedAction {
  const text = typeof raw === "string" ? pyStrip(raw) : "";
  // Most completions are the object alone: try it before setting up the scanners.
  if (isWholeCandidate(text)) {
    const fields = decodeActionFields(text);
    if (fields) return located(fields, text, { kind: CandidateKind.WHOLE, start: 0, end: text.length }, options);
  }
  const found = findCandidate(text, decodeActionFields, 1);
  if (found) return located(found.value, text, found, options);
  return { action: fallbackAction(options.role, options.fallback), candidate: null, text, fallbackUsed: true };
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
