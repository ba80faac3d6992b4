/**
 * `parseActionDetailed`: the action, and how it was found. Training pipelines turn
 * "how did this parse" into a format reward, so every parse is explained: the candidate
 * taken, the repairs applied, the candidates rejected and why, warnings about the
 * action, and whether the fallback was used. This is also the path parseAction takes
 * when output formats are enabled.
 */
import { actionFromFields, actionFromOwnFields, fallbackAction, recognizedActionType } from "../actions/action-mapping.js";
import { CandidateKind, findCandidate, isWholeCandidate } from "../scanning/candidates.js";
import { ActionType, ServiceName } from "../model/enums.js";
import { blankSpans, decodeLenient, planFor, RepairCode, type FormatPlan, type FormatsOption } from "../formats/formats.js";
import { envelopeAction, mayBeEnvelope, readNative, type FoundCall, type NativeReading, type ReasoningSpan } from "../formats/native.js";
import type { NativeCall } from "../formats/families/kit.js";
import { decodeActionFields, decodePythonJson, fieldsOf, isJsonObject, type ActionFields } from "../python/json-dialect.js";
import { resolveOptions, type ResolvedOptions } from "./parse-options.js";
import { pyLeadingSpace, pyStrip } from "../python/python-text.js";
import type { ChaosOpsAction, JsonObject, JsonValue, ParseOptions } from "../model/types.js";

export interface ParseActionOptions extends ParseOptions {
  /** Opt-in output formats; without them parsing is exactly the reference's. */
  formats?: FormatsOption;
}

/** Which reading decoded the candidate taken. */
export const DecodedFormat = {
  JSON: "json",
  PYTHON: "python",
  RELAXED: "relaxed",
  TRUNCATED: "truncated",
  TOOL_CALL: "tool_call",
  ACTION_LINE: "action_line",
} as const;
export type DecodedFormat = (typeof DecodedFormat)[keyof typeof DecodedFormat];

export const WarningCode = {
  NEGATIVE_REPLICAS: "negative_replicas",
  UNUSED_ARG: "unused_arg",
  UNKNOWN_TARGET: "unknown_target",
} as const;
export type WarningCode = (typeof WarningCode)[keyof typeof WarningCode];

export interface ParseWarning {
  readonly code: WarningCode;
  readonly message: string;
}

/** A candidate, with offsets into the text as it was given (before stripping). */
export interface CandidateDetail {
  readonly kind: CandidateKind;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface TakenCandidate extends CandidateDetail {
  readonly format: DecodedFormat;
}

export interface RejectedCandidate extends CandidateDetail {
  readonly reason: string;
}

/** The model's own call syntax an action was read from, named by its family. */
export interface NativeCallDetail {
  /** The syntax family (`qwen3_hermes`, `mistral`, `gpt_oss`, …) whose syntax or envelope shape it is. */
  readonly family: string;
  /** The syntax or envelope shape, as the family names it. */
  readonly syntax: string;
  /** The function name as written; null when the syntax has none (an action object in a call block). */
  readonly name: string | null;
  /** The call's arguments as decoded. */
  readonly arguments: JsonObject;
  /** False when the text ended inside the call. */
  readonly complete: boolean;
}

/** A reasoning block skipped, with offsets into the text as given. */
export interface ReasoningDetail {
  readonly family: string;
  readonly start: number;
  readonly end: number;
  /** False when the block never closed (cut off, or ended by a call opener). */
  readonly closed: boolean;
}

export interface ParseDetail {
  readonly action: ChaosOpsAction;
  /** The family and syntax the action was read from, when it was a tool call; else null. */
  readonly native?: NativeCallDetail | null;
  /** The reasoning blocks skipped (only with the reasoning format). */
  readonly reasoning?: readonly ReasoningDetail[];
  /** The candidate the action came from; null when none decoded to an object. */
  readonly candidate: TakenCandidate | null;
  readonly repairs: readonly RepairCode[];
  /** The first MAX_REJECTED candidates tried before the one taken, in order, with why each was passed over. */
  readonly rejected: readonly RejectedCandidate[];
  /** How many candidates were passed over, including those `rejected` does not list. */
  readonly rejectedCount: number;
  readonly warnings: readonly ParseWarning[];
  /** True when the action type is the fallback: nothing decoded, or no known action_type. */
  readonly fallbackUsed: boolean;
}

/** The args each action type reads; any other arg is reported as unused. */
const USED_ARGS: Record<ActionType, readonly string[]> = {
  [ActionType.NOOP]: [],
  [ActionType.COMMUNICATE]: ["to", "message"],
  [ActionType.RESTART]: [],
  [ActionType.ROLLBACK]: [],
  [ActionType.SCALE]: ["replicas"],
  [ActionType.FLAG_ROGUE]: [],
  [ActionType.IDENTIFY_ROOT_CAUSE]: ["failure_type"],
  [ActionType.ESCALATE]: [],
  [ActionType.RESOLVE]: [],
};
const KNOWN_TARGETS: ReadonlySet<string> = new Set(Object.values(ServiceName));

/** What is worth a second look in an action that parsed. */
export function actionWarnings(action: ChaosOpsAction): ParseWarning[] {
  if (typeof action !== "object" || action === null || typeof action.args !== "object" || action.args === null || USED_ARGS[action.action_type] === undefined) {
    throw new TypeError("actionWarnings: action must be a ChaosOps action {role, action_type, target, args}");
  }
  const warnings: ParseWarning[] = [];
  const { replicas } = action.args;
  if (typeof replicas === "number" && replicas < 0) {
    warnings.push({ code: WarningCode.NEGATIVE_REPLICAS, message: `replicas is negative (${replicas})` });
  }
  const used = USED_ARGS[action.action_type];
  for (const key of Object.keys(action.args)) {
    if (!used.includes(key)) {
      warnings.push({ code: WarningCode.UNUSED_ARG, message: `${action.action_type} does not use the arg "${key}"` });
    }
  }
  if (action.target !== null && !KNOWN_TARGETS.has(action.target)) {
    warnings.push({ code: WarningCode.UNKNOWN_TARGET, message: `target "${action.target}" is not a known service or fleet agent` });
  }
  return warnings;
}

export interface Decoded {
  readonly fields: ActionFields;
  readonly format: DecodedFormat;
  readonly repairs: readonly RepairCode[];
  /** The envelope's call, when the object was one. */
  readonly native?: NativeCallDetail;
}

function callDetail(family: string, syntax: string, call: NativeCall): NativeCallDetail {
  return { family, syntax, name: call.name ?? null, arguments: call.arguments ?? {}, complete: call.complete };
}

const PYTHON_REPAIRS: ReadonlySet<RepairCode> = new Set([RepairCode.SINGLE_QUOTES, RepairCode.PYTHON_CONSTANTS]);

function lenientFormat(kind: CandidateKind, repairs: readonly RepairCode[]): DecodedFormat {
  if (kind === CandidateKind.TRUNCATED) return DecodedFormat.TRUNCATED;
  return repairs.some((code) => PYTHON_REPAIRS.has(code)) ? DecodedFormat.PYTHON : DecodedFormat.RELAXED;
}

/**
 * Rejected candidates listed in a detail; the rest are only counted, so a flood of junk
 * blocks costs neither memory nor the work of explaining each one.
 */
export const MAX_REJECTED = 100;

/** One search: the candidates in the plan's order, each decoded as the plan allows. */
class Search {
  readonly rejected: RejectedCandidate[] = [];
  rejectedCount = 0;

  constructor(
    private readonly plan: FormatPlan,
    private readonly detail: boolean,
    private readonly offset: number,
    /** Set when the search reads one text (not the stream's blocks): the bit sets below refer to it. */
    private readonly oneText = false,
    /** Set when the whole text was already read strictly and did not decode: it is not read strictly again. */
    private readonly wholeNotJson = false,
  ) {}

  /**
   * Without detail, the balanced blocks passed over, as two bit sets over the text (their
   * first and last characters): a bare block that is one of them is passed over again
   * without a second decode. Made on the first rejection; a sixteenth of the text's size.
   */
  private blockStarts: Uint32Array | undefined;
  private blockEnds: Uint32Array | undefined;

  private hasDialect(kind: CandidateKind): boolean {
    const { python, relaxed } = this.plan.dialect;
    return python || relaxed || kind === CandidateKind.TRUNCATED;
  }

  /** The object `text[start:end]` decodes to in the lenient dialect, or why it does not. */
  private lenient(text: string, start: number, end: number, kind: CandidateKind): Decoded | string {
    const dialect = kind === CandidateKind.TRUNCATED ? this.plan.truncatedDialect : this.plan.dialect;
    const result = decodeLenient(text, start, end, dialect);
    if (!result.ok) return "not valid JSON, nor in the enabled lenient formats";
    if (!isJsonObject(result.value)) return "not a JSON object";
    // A cut before the first complete member leaves nothing that was written as an action.
    if (kind === CandidateKind.TRUNCATED && Object.keys(result.value).length === 0) return "nothing complete before the cut";
    const repairs = result.repairs ?? [];
    const decoded = this.unwrap({ fields: fieldsOf(result.value), format: lenientFormat(kind, repairs), repairs }, result.value);
    // The reference never read this object, so its first-object-wins rule does not hold for
    // it: `{'a': 1}` in chatter must not hide the action after it (formats never read worse).
    if (recognizedActionType(decoded.fields.actionType) === undefined) return "read only in the lenient formats, and stands for no action";
    return decoded;
  }

  /** A tool-call envelope's call in place of the envelope, when that format is on. */
  private unwrap(decoded: Decoded, value: JsonValue | undefined): Decoded {
    if (!this.plan.nativeCalls || decoded.fields.actionType !== undefined || value === undefined) return decoded;
    const found = envelopeAction(value);
    if (!found) return decoded;
    return {
      fields: found.fields,
      format: DecodedFormat.TOOL_CALL,
      repairs: [...decoded.repairs, RepairCode.UNWRAPPED_TOOL_CALL],
      native: callDetail(found.family, found.shape, found.call),
    };
  }

  /** A candidate its format reads itself (an action line, say). */
  private custom(text: string, start: number, end: number, kind: CandidateKind): Decoded | string | undefined {
    const decode = this.plan.decoders.get(kind);
    if (!decode) return undefined;
    const result = decode(text, start, end);
    if (!result.ok || !isJsonObject(result.value)) return `the ${kind} format cannot read it`;
    return { fields: fieldsOf(result.value), format: kind as DecodedFormat, repairs: result.repairs ?? [] };
  }

  readonly accept = (text: string, start: number, end: number, kind: CandidateKind): Decoded | undefined => {
    if (kind === CandidateKind.BARE && this.passedOverBlock(start, end)) {
      this.rejectedCount++;
      return undefined;
    }
    const custom = this.custom(text, start, end, kind);
    if (custom !== undefined) return this.settle(custom, text, start, end, kind);
    const shared = this.oneText && kind !== CandidateKind.TRUNCATED;
    if (shared && start === this.rejectedStart && end === this.rejectedEnd) return this.settle(this.rejectedReason, text, start, end, kind);
    const fields = this.mayBeJson(kind) ? decodeActionFields(text, start, end) : undefined;
    if (fields) return this.strict(text, start, end, fields);
    const outcome = this.hasDialect(kind) ? this.lenient(text, start, end, kind) : strictReason(text, start, end, this.listing());
    if (shared && typeof outcome === "string") this.noteRejected(start, end, outcome);
    return this.settle(outcome, text, start, end, kind);
  };

  /**
   * The last candidate that neither reading took, when sources read it alike (all but the
   * truncated one and custom formats): the whole text is also its first balanced block,
   * and a large object the lenient reading rejects (it stands for no action) is not read
   * a second time.
   */
  private rejectedStart = -1;
  private rejectedEnd = -1;
  private rejectedReason = "";

  private noteRejected(start: number, end: number, reason: string): void {
    this.rejectedStart = start;
    this.rejectedEnd = end;
    this.rejectedReason = reason;
  }

  /**
   * Whether a candidate of this kind may decode strictly. A truncated candidate never
   * does: it is a block the balanced scanner found open at the end, and a JSON object
   * closes that block at its last `}` (its strings and braces are where the scanner
   * sees them), so one that ran to the end would have closed it.
   */
  private mayBeJson(kind: CandidateKind): boolean {
    return kind === CandidateKind.TRUNCATED ? false : !(kind === CandidateKind.WHOLE && this.wholeNotJson);
  }

  /** A candidate the strict decoder read as `fields`: it, or the envelope's call it is. */
  strict(text: string, start: number, end: number, fields: ActionFields): Decoded {
    const value = this.plan.nativeCalls && fields.actionType === undefined && mayBeEnvelope(text, start, end) ? fullValue(text, start, end) : undefined;
    return this.unwrap({ fields, format: DecodedFormat.JSON, repairs: [] }, value);
  }

  /** Whether the next rejection is listed, with its reason. */
  private listing(): boolean {
    return this.detail && this.rejected.length < MAX_REJECTED;
  }

  /** A decoded candidate, or a rejection noted (when explaining) and passed over. */
  private settle(outcome: Decoded | string, text: string, start: number, end: number, kind: CandidateKind): Decoded | undefined {
    if (typeof outcome !== "string") return outcome;
    if (this.listing()) this.rejected.push({ ...this.place(text, start, end, kind), reason: outcome });
    else if (this.oneText && !this.detail && kind === CandidateKind.BALANCED) this.notePassedOver(text.length, start, end);
    this.rejectedCount++;
    return undefined;
  }

  private notePassedOver(length: number, start: number, end: number): void {
    const words = (length >>> 5) + 1;
    const starts = (this.blockStarts ??= new Uint32Array(words));
    const ends = (this.blockEnds ??= new Uint32Array(words));
    starts[start >>> 5] = (starts[start >>> 5] ?? 0) | (1 << (start & 31));
    ends[(end - 1) >>> 5] = (ends[(end - 1) >>> 5] ?? 0) | (1 << ((end - 1) & 31));
  }

  /**
   * Whether `text[start:end]` is a balanced block already passed over. Top-level balanced
   * blocks do not overlap, and a bare block ends at the first `}` after its `{`, which
   * cannot lie past the end of the balanced block opened by that `{`: so a marked start
   * and a marked end are the same block. Whether a block decodes does not depend on its
   * source (only truncated and custom sources read differently), so it fails again.
   */
  private passedOverBlock(start: number, end: number): boolean {
    const { blockStarts: starts, blockEnds: ends } = this;
    if (starts === undefined || ends === undefined) return false;
    return ((starts[start >>> 5] ?? 0) & (1 << (start & 31))) !== 0 && ((ends[(end - 1) >>> 5] ?? 0) & (1 << ((end - 1) & 31))) !== 0;
  }

  place(text: string, start: number, end: number, kind: CandidateKind): CandidateDetail {
    return { kind, start: start + this.offset, end: end + this.offset, text: text.slice(start, end) };
  }
}

/**
 * How a search with these formats reads one candidate: its action members, the reading
 * that decoded it and the repairs, or undefined when it does not decode. The stream
 * parser reads its blocks with it when formats are on.
 */
export function candidateReader(plan: FormatPlan): (text: string, start: number, end: number, kind: CandidateKind) => Decoded | undefined {
  return new Search(plan, false, 0).accept;
}

function fullValue(text: string, start: number, end: number): JsonValue | undefined {
  const decoded = decodePythonJson(text, start, end);
  return decoded.ok ? decoded.value : undefined;
}

function strictReason(text: string, start: number, end: number, detail: boolean): string {
  if (!detail) return "";
  const decoded = decodePythonJson(text, start, end);
  return decoded.ok ? "not a JSON object" : `not valid JSON (at character ${decoded.at - start + 1})`;
}

const NO_NATIVE: NativeReading = { reasoning: [], call: undefined, undecidedBefore: false, decided: 0, decidedCost: 0 };

function firstLook(stripped: string, plan: FormatPlan): NativeReading {
  return plan.maskReasoning || plan.nativeCalls ? readNative(stripped, plan.callDialect, plan.maskReasoning, plan.nativeCalls) : NO_NATIVE;
}

/**
 * The text searched when reasoning is skipped, for a search that reports no offsets: the
 * reasoning blanked and the whole stripped. One block that opens the text (the usual
 * `<think>…</think> answer`) is cut off rather than blanked: stripping would remove
 * those blanks anyway, and the copy is saved.
 */
function searchText(stripped: string, spans: readonly ReasoningSpan[]): string {
  const first = spans[0];
  if (spans.length === 1 && first?.start === 0) return pyStrip(stripped.slice(first.end));
  return pyStrip(blankSpans(stripped, spans));
}

/**
 * The action a search with formats finds, and nothing else: what searchWithFormats gives
 * without detail, minus the account (no detail object, no candidate text, no repairs).
 * Every reading on this path decodes values of its own, and only the action leaves it:
 * the action takes the args it was read with rather than a copy.
 */
export function actionWithFormats(raw: string, options: ResolvedOptions, plan: FormatPlan): ChaosOpsAction {
  const stripped = pyStrip(typeof raw === "string" ? raw : "");
  // Most completions are one action: read it as the default path does, before the first
  // look, which would find nothing in it (see wholeActionFields).
  const whole = wholeActionFields(stripped);
  if (whole !== undefined && recognizedActionType(whole.actionType) !== undefined) return actionFromOwnFields(whole, options.role, options.fallback);
  const native = firstLook(stripped, plan);
  if (native.call) return actionFromOwnFields(native.call.fields, options.role, options.fallback);
  const text = native.reasoning.length === 0 ? stripped : searchText(stripped, native.reasoning);
  let wholeNotJson = false;
  // Or one action after its reasoning. The whole text is the first source, so when it
  // decodes it decides (decoded once).
  if (isWholeCandidate(text)) {
    const fields = text === stripped ? whole : decodeActionFields(text);
    if (fields !== undefined && (plan.wholeFirst || recognizedActionType(fields.actionType) !== undefined)) {
      const taken = recognizedActionType(fields.actionType) === undefined ? new Search(plan, false, 0, true).strict(text, 0, text.length, fields).fields : fields;
      return actionFromOwnFields(taken, options.role, options.fallback);
    }
    wholeNotJson = fields === undefined;
  }
  const search = new Search(plan, false, 0, true, wholeNotJson);
  const found = findCandidate(text, search.accept, plan.sources);
  return found ? actionFromOwnFields(found.value.fields, options.role, options.fallback) : fallbackAction(options.role, options.fallback);
}

/** The whole search with formats, explained when `detail` is set. */
export function searchWithFormats(raw: string, options: ResolvedOptions, plan: FormatPlan, detail: boolean): ParseDetail {
  const input = typeof raw === "string" ? raw : "";
  const stripped = pyStrip(input);
  const lead = pyLeadingSpace(input);
  if (!detail) {
    // Most completions are one action and nothing else: read it as the default path does.
    const whole = wholeAction(stripped, options);
    if (whole) return whole;
  }
  const native = firstLook(stripped, plan);
  const reasoning = detail ? native.reasoning.map((span) => ({ ...span, start: span.start + lead, end: span.end + lead })) : [];
  const repairs: RepairCode[] = native.reasoning.length === 0 ? [] : [RepairCode.SKIPPED_REASONING];
  if (native.call) return nativeResult(native.call, stripped, lead, options, repairs, reasoning, detail);
  const masked = native.reasoning.length === 0 ? undefined : blankSpans(stripped, native.reasoning);
  const text = masked === undefined ? stripped : pyStrip(masked);
  const offset = lead + (masked === undefined ? 0 : pyLeadingSpace(masked));
  const search = new Search(plan, detail, offset, true);
  const found = findCandidate(text, search.accept, plan.sources);
  if (!found) {
    return result(fallbackAction(options.role, options.fallback), null, repairs, search, true, detail, null, reasoning);
  }
  const { fields, format, repairs: made, native: call } = found.value;
  const action = actionFromFields(fields, options.role, options.fallback);
  const candidate = { ...search.place(text, found.start, found.end, found.kind), format };
  const fallbackUsed = recognizedActionType(fields.actionType) === undefined;
  return result(action, candidate, [...repairs, ...made], search, fallbackUsed, detail, call ?? null, reasoning);
}

/**
 * The members of a stripped completion that is one JSON object, read before the first
 * look. When they name a known action type they are the answer in every format: outside
 * its strings a JSON object holds only brackets, commas, colons, numbers and literals,
 * where no registered marker matches (a property in test/formats holds the registry to
 * that), and the first look takes markup in an action's strings as its text
 * (answerBlocks), so it would find no call and no reasoning.
 */
function wholeActionFields(stripped: string): ActionFields | undefined {
  return isWholeCandidate(stripped) ? decodeActionFields(stripped) : undefined;
}

/** The action a completion that is one JSON action (with a known type) stands for. */
function wholeAction(text: string, options: ResolvedOptions): ParseDetail | undefined {
  const fields = wholeActionFields(text);
  if (fields === undefined || recognizedActionType(fields.actionType) === undefined) return undefined;
  const candidate: TakenCandidate = { kind: CandidateKind.WHOLE, start: 0, end: text.length, text, format: DecodedFormat.JSON };
  return result(actionFromFields(fields, options.role, options.fallback), candidate, [], NOTHING_REJECTED, false, false, null, []);
}

/** The result when a family's call syntax gave the action. */
function nativeResult(
  found: FoundCall,
  text: string,
  lead: number,
  options: ResolvedOptions,
  repairs: readonly RepairCode[],
  reasoning: readonly ReasoningDetail[],
  detail: boolean,
): ParseDetail {
  const action = actionFromFields(found.fields, options.role, options.fallback);
  const candidate: TakenCandidate = {
    kind: CandidateKind.TOOL_CALL,
    start: found.start + lead,
    end: found.end + lead,
    text: text.slice(found.start, found.end),
    format: DecodedFormat.TOOL_CALL,
  };
  const fallbackUsed = recognizedActionType(found.fields.actionType) === undefined;
  const native = callDetail(found.family, found.syntax, found.call);
  return result(action, candidate, [...repairs, RepairCode.UNWRAPPED_TOOL_CALL, ...found.call.repairs], NOTHING_REJECTED, fallbackUsed, detail, native, reasoning);
}

/** The candidates a search passed over: the first MAX_REJECTED, and how many in all. */
interface Rejections {
  readonly rejected: readonly RejectedCandidate[];
  readonly rejectedCount: number;
}

const NOTHING_REJECTED: Rejections = { rejected: [], rejectedCount: 0 };

function result(
  action: ChaosOpsAction,
  candidate: TakenCandidate | null,
  repairs: readonly RepairCode[],
  { rejected, rejectedCount }: Rejections,
  fallbackUsed: boolean,
  detail: boolean,
  native: NativeCallDetail | null,
  reasoning: readonly ReasoningDetail[],
): ParseDetail {
  const warnings = detail ? actionWarnings(action) : [];
  return { action, native, reasoning, candidate, repairs, rejected, rejectedCount: detail ? rejectedCount : 0, warnings, fallbackUsed };
}

/**
 * parseAction, explained: the action plus the candidate taken (kind, format, offsets
 * into `raw`, text), the repairs applied, the candidates rejected with the reason,
 * warnings (negative replicas, an arg the action type does not use, a target that is
 * not a known service or fleet agent) and whether the fallback was used. Takes the
 * same `formats` option as parseAction, and gives the same action.
 *
 * @example
 * parseActionDetailed("<tool_call>{\"name\": \"act\", \"arguments\": {\"action_type\": \"resolve\"}}</tool_call>",
 *   { role: "manager", formats: "lenient" }).candidate?.format // → "tool_call"
 */
export function parseActionDetailed(raw: string, options: ParseActionOptions): ParseDetail {
  const resolved = resolveOptions(options, "parseActionDetailed");
  const plan = planFor(options.formats ?? [], "parseActionDetailed");
  return searchWithFormats(raw, resolved, plan, true);
}
