/**
 * `parseAction`: completion text → exactly one action, as the reference's
 * `parse_action` does it, in time linear in the text and without throwing.
 */
import { actionFromOwnFields, fallbackAction, recognizedActionType } from "../actions/action-mapping.js";
import { BARE_SOURCE, CandidateKind, FENCED_SOURCE, findCandidate, firstBalancedAt, isWholeCandidate, type CandidateSpan } from "../scanning/candidates.js";
import { decodeActionFields, decodeActionFieldsAt, type ActionFields, type FieldsAt } from "../python/json-dialect.js";
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

const FENCED_ONLY = [FENCED_SOURCE];
const BARE_ONLY = [BARE_SOURCE];

/** Where the candidate findFields last returned is in its text (set whenever it finds one). */
let foundKind: CandidateKind = CandidateKind.WHOLE;
let foundStart = 0;
let foundEnd = 0;

function foundAt<T>(kind: CandidateKind, start: number, end: number, value: T): T {
  foundKind = kind;
  foundStart = start;
  foundEnd = end;
  return value;
}

/** decodeActionFieldsAt where the object at offset 0 is already known not to decode. */
const decodeAfterFirst = (text: string, start: number): FieldsAt | undefined => (start === 0 ? undefined : decodeActionFieldsAt(text, start));

/**
 * The members of the first candidate of `text` (stripped) that decodes to an object:
 * findCandidate over the reference's sources, except that a balanced block is read in
 * place from its `{` in the pass that finds it (firstBalancedAt), not copied and read
 * again. Its place is left in foundKind/foundStart/foundEnd, so that parseAction, which
 * does not need it, allocates nothing for it.
 */
function findFields(text: string): ActionFields | undefined {
  let balancedAt = decodeActionFieldsAt;
  // Most completions are the object alone: try it before setting up the scanners. A
  // whole candidate starts and ends with a brace, so it decodes exactly when the object
  // read from its `{` ends at its end; and that object is also the first balanced block.
  if (isWholeCandidate(text)) {
    const first = decodeActionFieldsAt(text, 0);
    if (first?.end === text.length) return foundAt(CandidateKind.WHOLE, 0, text.length, first.fields);
    // With no fence to try in between, the first balanced block decides now; otherwise it
    // is known not to decode (or is read again, after the fences).
    if (first && !text.includes("```")) return foundAt(CandidateKind.BALANCED, 0, first.end, first.fields);
    if (!first) balancedAt = decodeAfterFirst;
  }
  const fenced = findCandidate(text, decodeActionFields, FENCED_ONLY);
  if (fenced) return foundAt(fenced.kind, fenced.start, fenced.end, fenced.value);
  const balanced = firstBalancedAt(text, balancedAt);
  if (balanced) return foundAt(CandidateKind.BALANCED, balanced.start, balanced.end, balanced.fields);
  const bare = findCandidate(text, decodeActionFields, BARE_ONLY);
  return bare && foundAt(bare.kind, bare.start, bare.end, bare.value);
}

/** The action parseAction returns: locateAction without the account of how it was found. */
function actionOf(raw: string, options: ResolvedOptions): ChaosOpsAction {
  const fields = findFields(typeof raw === "string" ? pyStrip(raw) : "");
  return fields ? actionFromOwnFields(fields, options.role, options.fallback) : fallbackAction(options.role, options.fallback);
}

/** parseAction, also telling which candidate was taken. */
export function locateAction(raw: string, options: ResolvedOptions): LocatedAction {
  const text = typeof raw === "string" ? pyStrip(raw) : "";
  const fields = findFields(text);
  if (!fields) return { action: fallbackAction(options.role, options.fallback), candidate: null, text, fallbackUsed: true };
  return {
    action: actionFromOwnFields(fields, options.role, options.fallback),
    candidate: { kind: foundKind, start: foundStart, end: foundEnd },
    text,
    fallbackUsed: recognizedActionType(fields.actionType) === undefined,
  };
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
