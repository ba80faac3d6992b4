/**
 * `parseAction`: completion text → exactly one action, as the reference's
 * `parse_action` does it, in time linear in the text and without throwing.
 */
import { actionFromOwnFields, fallbackAction, recognizedActionType } from "../actions/action-mapping.js";
import { BARE_SOURCE, CandidateKind, FENCED_SOURCE, findCandidate, firstBalancedAt, isWholeCandidate, type CandidateSpan } from "../scanning/candidates.js";
import { decodeActionFields, decodeActionFieldsAt, type ActionFields, type FieldsAt } from "../python/json-dialect.js";
import { pyLeadingSpace, pyStrip, pyStripEnd } from "../python/python-text.js";
import { planFor, type FormatPlan } from "../formats/formats.js";
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

/** The `{` whose object findFields has already read and found not to decode (-1: none). */
let failedAt = -1;

/** decodeActionFieldsAt, except at failedAt, which is known not to decode. */
function decodeUnlessFailed(text: string, start: number): FieldsAt | undefined {
  return start === failedAt ? undefined : decodeActionFieldsAt(text, start);
}

/**
 * The members of the first candidate of the stripped text `text[lo:hi]` that decodes to
 * an object: findCandidate over the reference's sources, except that a balanced block
 * is read in place from its `{` in the pass that finds it (firstBalancedAt), not copied
 * and read again. The scanners run over all of `text`: what strip removes holds no
 * brace, quote or backtick, so they find the same candidates, at offsets `lo` further
 * on, without the copy strip would make. The candidate's place (in `text`) is left in
 * foundKind/foundStart/foundEnd, so that parseAction, which does not need it,
 * allocates nothing for it.
 */
function findFields(text: string, lo: number, hi: number): ActionFields | undefined {
  failedAt = -1;
  // Most completions are the object alone: try it before setting up the scanners. A
  // whole candidate starts and ends with a brace, so it decodes exactly when the object
  // read from its `{` ends at its end (reading on into the stripped whitespace changes
  // no verdict); and that object is also the first balanced block.
  let first: FieldsAt | undefined;
  if (isWholeCandidate(text, lo, hi)) {
    first = decodeActionFieldsAt(text, lo);
    if (first?.end === hi) return foundAt(CandidateKind.WHOLE, lo, hi, first.fields);
    if (!first) failedAt = lo;
  }
  const fenced = findCandidate(text, decodeActionFields, FENCED_ONLY);
  if (fenced) return foundAt(fenced.kind, fenced.start, fenced.end, fenced.value);
  // The first balanced block decides, and it was read above: it is not read again.
  if (first) return foundAt(CandidateKind.BALANCED, lo, first.end, first.fields);
  const balanced = firstBalancedAt(text, decodeUnlessFailed);
  if (balanced) return foundAt(CandidateKind.BALANCED, balanced.start, balanced.end, balanced.fields);
  const bare = findCandidate(text, decodeActionFields, BARE_ONLY);
  return bare && foundAt(bare.kind, bare.start, bare.end, bare.value);
}

/** The action parseAction returns: locateAction without the account of how it was found. */
function defaultAction(raw: string, options: ResolvedOptions): ChaosOpsAction {
  const text = typeof raw === "string" ? raw : "";
  const lo = pyLeadingSpace(text);
  const fields = findFields(text, lo, pyStripEnd(text, lo));
  return fields ? actionFromOwnFields(fields, options.role, options.fallback) : fallbackAction(options.role, options.fallback);
}

/** parseAction, also telling which candidate was taken. */
export function locateAction(raw: string, options: ResolvedOptions): LocatedAction {
  const text = typeof raw === "string" ? pyStrip(raw) : "";
  const fields = findFields(text, 0, text.length);
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
  return findAction(raw, resolved, options.formats === undefined ? undefined : planFor(options.formats, "parseAction"));
}

/**
 * parseAction with its options resolved and its formats planned (`plan` undefined: the
 * reference's search), for callers that read many texts with the same options.
 */
export function findAction(raw: string, options: ResolvedOptions, plan: FormatPlan | undefined): ChaosOpsAction {
  return plan ? actionWithFormats(raw, options, plan) : defaultAction(raw, options);
}
