/**
 * `parseAction`: completion text → exactly one action, as the reference's
 * `parse_action` does it, in time linear in the text and without throwing.
 */
import { actionFromFields, fallbackAction, recognizedActionType } from "../actions/action-mapping.js";
import { BALANCED_SOURCE, BARE_SOURCE, CandidateKind, FENCED_SOURCE, findCandidate, isWholeCandidate, type CandidateSpan } from "../scanning/candidates.js";
import { decodeActionFields, type ActionFields } from "../python/json-dialect.js";
import { pyStrip } from "../python/python-text.js";
import { planFor } from "../formats/formats.js";
import { actionWithFormats, type ParseActionOptions } from "./parse-detailed.js";
import { resolveOptions, type ResolvedOptions } from "./parse-options.js";
import type { ChaosOpsAction } from "../model/types.js";

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

const AFTER_WHOLE = [FENCED_SOURCE, BALANCED_SOURCE, BARE_SOURCE];

/** The first candidate of `text` (stripped) that decodes to an object, with its members. */
function findFields(text: string): (CandidateSpan & { readonly value: ActionFields }) | undefined {
  // Most completions are the object alone: try it before setting up the scanners.
  if (isWholeCandidate(text)) {
    const value = decodeActionFields(text);
    if (value) return { kind: CandidateKind.WHOLE, start: 0, end: text.length, value };
  }
  return findCandidate(text, decodeActionFields, AFTER_WHOLE);
}

/** The action parseAction returns: locateAction without the account of how it was found. */
function actionOf(raw: string, options: ResolvedOptions): ChaosOpsAction {
  const found = findFields(typeof raw === "string" ? pyStrip(raw) : "");
  return found ? actionFromFields(found.value, options.role, options.fallback) : fallbackAction(options.role, options.fallback);
}

/** parseAction, also telling which candidate was taken. */
export function locateAction(raw: string, options: ResolvedOptions): LocatedAction {
  const text = typeof raw === "string" ? pyStrip(raw) : "";
  const found = findFields(text);
  if (found) return located(found.value, text, { kind: found.kind, start: found.start, end: found.end }, options);
  return { action: fallbackAction(options.role, options.fallback), candidate: null, text, fallbackUsed: true };
}

/**
 * Extracts one action from a model's completion, exactly as the Python reference's
 * `parse_action` does: the whole text, then fenced blocks, then top-level balanced
 * blocks, then bare blocks; the first that decodes to a JSON object decides. Never
 * throws on any string, and runs in time linear in its length.
 *
 * With `formats` (`"lenient"`, or a list of OutputFormat values) it also reads tool-call
 * blocks and envelopes, skips reasoning blocks, and accepts Python literals, relaxed
 * JSON and truncated objects; without it, it is exactly the reference.
 *
 * @example
 * parseAction('Sure! {"action_type": "restart", "target": "db"}', { role: "sre" })
 * // → { role: "sre", action_type: "restart", target: "db", args: {} }
 */
export function parseAction(raw: string, options: ParseActionOptions): ChaosOpsAction {
  const resolved = resolveOptions(options, "parseAction");
  if (options.formats === undefined) return actionOf(raw, resolved);
  return actionWithFormats(raw, resolved, planFor(options.formats, "parseAction"));
}
