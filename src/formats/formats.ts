/**
 * Opt-in output formats: what models write instead of, or around, a bare JSON action.
 * Each format is one case in `formatHooks` below, which says where it plugs into
 * parsing: the registered syntax families' reasoning blocks and calls (`native.ts`,
 * `families/`), a candidate source, or a JSON dialect. Each syntax family has its
 * grammar under grammar/; `docs/formats.md` walks through adding one.
 */
import { match, P } from "ts-pattern";
import { BALANCED_SOURCE, BalancedScanner, CandidateKind, REFERENCE_SOURCES, WHOLE_SOURCE, type CandidateSource } from "../scanning/candidates.js";
import { decodeLenient as scanLenient } from "./lenient-json.js";
import { isJsonObject, setOwn } from "../python/json-dialect.js";
import { isPySpace } from "../python/python-text.js";
import type { SpecSpan } from "../scanning/candidate-spec.js";
import type { JsonObject, JsonValue } from "../model/types.js";

export const OutputFormat = {
  /** `<tool_call>…</tool_call>` blocks and `{"name": …, "arguments": …}` envelopes. */
  TOOL_CALL: "tool_call",
  /** JSON inside `<think>…</think>` is never the action. */
  REASONING: "reasoning",
  /** Python literals: single quotes, True, False, None. */
  PYTHON: "python",
  /** Trailing commas, comments, unquoted keys. */
  RELAXED: "relaxed",
  /**
   * An object cut off by the token limit, closed after its last complete member; and
   * complete objects inside a block the text never closes.
   */
  TRUNCATED: "truncated",
  /** `[ACTION] scale payments replicas=4` lines (the worked example of docs/formats.md). */
  ACTION_LINE: "action_line",
} as const;
export type OutputFormat = (typeof OutputFormat)[keyof typeof OutputFormat];

/** `"lenient"` (every format) or a list of formats. */
export type FormatsOption = "lenient" | readonly OutputFormat[];

/** Every repair a format can make, as parseActionDetailed reports it. */
export const RepairCode = {
  SKIPPED_REASONING: "skipped_reasoning",
  UNWRAPPED_TOOL_CALL: "unwrapped_tool_call",
  SINGLE_QUOTES: "single_quotes",
  PYTHON_CONSTANTS: "python_constants",
  TRAILING_COMMA: "trailing_comma",
  COMMENT: "comment",
  UNQUOTED_KEY: "unquoted_key",
  CLOSED_TRUNCATED_VALUE: "closed_truncated_value",
  DROPPED_INCOMPLETE_MEMBER: "dropped_incomplete_member",
} as const;
export type RepairCode = (typeof RepairCode)[keyof typeof RepairCode];

/** What the lenient grammar makes of one candidate. */
export interface LenientResult {
  readonly ok: boolean;
  readonly value?: JsonValue;
  readonly repairs?: readonly RepairCode[];
}

const ALL_FORMATS: readonly OutputFormat[] = Object.values(OutputFormat);
const KNOWN_FORMATS: ReadonlySet<string> = new Set(ALL_FORMATS);

/** An unknown format as its error names it: a primitive as text, an object by its kind (its own text may throw, or nest past the stack). */
function formatName(name: unknown): string {
  if (typeof name === "function") return "(a function)";
  if (typeof name !== "object" || name === null) return `"${String(name)}"`;
  return Array.isArray(name) ? "(a list)" : "(an object)";
}

/** The set of formats an option names; throws a TypeError naming an unknown one. */
export function resolveFormats(option: FormatsOption | undefined, caller: string): ReadonlySet<OutputFormat> {
  if (option === undefined) return new Set();
  if (option === "lenient") return new Set(ALL_FORMATS);
  if (!Array.isArray(option)) throw new TypeError(`${caller}: options.formats must be "lenient" or a list of formats`);
  for (const name of option) {
    if (!KNOWN_FORMATS.has(name)) throw new TypeError(`${caller}: unknown format ${formatName(name)} (known: ${ALL_FORMATS.join(", ")})`);
  }
  return new Set(option);
}

// ---------------------------------------------------------------------------
// reasoning: a pass over the text before the search
// ---------------------------------------------------------------------------

/** `text` with the given spans blanked out by spaces, so no candidate starts inside one while every offset stays. */
export function blankSpans(text: string, spans: readonly SpecSpan[]): string {
  let out = "";
  let at = 0;
  for (const { start, end } of spans) {
    out += text.slice(at, start) + " ".repeat(end - start);
    at = end;
  }
  return out + text.slice(at);
}

// ---------------------------------------------------------------------------
// tool_call and truncated: candidate sources
// ---------------------------------------------------------------------------

function trimmedSpan(text: string, start: number, end: number): [number, number] {
  while (start < end && isPySpace(text.charCodeAt(start))) start++;
  while (end > start && isPySpace(text.charCodeAt(end - 1))) end--;
  return [start, end];
}

/**
 * unclosedChildren's stacks, typed (a million pushes onto plain arrays cost ~10x the scan
 * itself, a `{` flood), kept from one call to the next and grown on demand, never shrunk:
 * large typed arrays made anew at every call counted against V8's external memory and
 * brought on full collections (a 1 MiB `{` flood took 80 to 100 ms a call for its first dozen
 * calls, then 26; kept, 25 to 35 from the third).
 */
let openStarts: Int32Array = new Int32Array(64);
let firstChildren: Int32Array = new Int32Array(64);

/**
 * Complete blocks directly inside the blocks still open at the end of the text, in
 * order: `{{{{ {"action_type": …}` has one. Scanned as the balanced scanner scans (a `"`
 * toggles strings everywhere, a backslash escapes inside them) in one pass: each open
 * level remembers where its children begin in one flat list, which is cut back when the
 * level closes, so the list only ever holds children of levels that are still open.
 */
export function unclosedChildren(text: string): SpecSpan[] {
  const children: SpecSpan[] = [];
  let opens = openStarts;
  let firstChild = firstChildren;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b) {
      if (depth === opens.length) {
        opens = openStarts = grown(opens);
        firstChild = firstChildren = grown(firstChild);
      }
      opens[depth] = i;
      firstChild[depth] = children.length;
      depth++;
    } else if (c === 0x7d && depth > 0) {
      depth--;
      const start = opens[depth] ?? 0;
      // Setting an array's length is a runtime call: cut only when there is something to cut.
      const kept = firstChild[depth] ?? 0;
      if (children.length !== kept) children.length = kept;
      if (depth > 0) children.push({ start, end: i + 1 });
    }
  }
  return children;
}

function grown(stack: Int32Array): Int32Array {
  const next = new Int32Array(stack.length * 2);
  next.set(stack);
  return next;
}

/** Complete objects inside a block the text never closes: junk before an action, say. */
export const NESTED_SOURCE: CandidateSource = {
  kind: CandidateKind.NESTED,
  run: (text, visit) => unclosedChildren(text).some(({ start, end }) => visit(start, end)),
};

/**
 * The text the balanced source last scanned to its end, and where the block it found
 * still open there starts: the truncated source, which runs right after it, takes that
 * block without scanning the text again. Cleared when taken, so no text is held on to.
 */
let scannedText: string | undefined;
let openAt = Infinity;

/** The balanced source, noting the block left open at the end for the truncated source. */
const BALANCED_NOTING_OPEN: CandidateSource = {
  kind: CandidateKind.BALANCED,
  run(text, visit) {
    const scanner = new BalancedScanner();
    if (text.includes("{") && scanner.feed(text, 0, visit)) return true;
    scannedText = text;
    openAt = scanner.keepFrom;
    return false;
  },
};

/** Where the balanced block still open at the end of `text` starts (Infinity when none is). */
function openBlockAt(text: string): number {
  if (text === scannedText) {
    scannedText = undefined;
    return openAt;
  }
  const scanner = new BalancedScanner();
  scanner.feed(text, 0, () => false);
  return scanner.keepFrom;
}

/** The balanced block still open when the text ends: where a cut-off action is. */
export const TRUNCATED_SOURCE: CandidateSource = {
  kind: CandidateKind.TRUNCATED,
  run(text, visit) {
    const start = openBlockAt(text);
    return start !== Infinity && visit(start, text.length);
  },
};

const ACTION_TAG = "[ACTION]";

/** Lines that start with `[ACTION]` (the grammar's ActionLineSpans, with indexOf). */
export function actionLineSpans(text: string): SpecSpan[] {
  const spans: SpecSpan[] = [];
  for (let start = text.indexOf(ACTION_TAG); start >= 0; ) {
    const newline = text.indexOf("\n", start);
    const end = newline < 0 ? text.length : newline;
    spans.push({ start, end });
    start = text.indexOf(ACTION_TAG, end);
  }
  return spans;
}

/** `[ACTION] …` lines, after every JSON source: a model that wrote JSON meant the JSON. */
export const ACTION_LINE_SOURCE: CandidateSource = {
  kind: CandidateKind.ACTION_LINE,
  run(text, visit) {
    for (const { start, end } of actionLineSpans(text)) {
      const [from, to] = trimmedSpan(text, start, end);
      if (visit(from, to)) return true;
    }
    return false;
  },
};

const NOT_AN_ACTION_LINE: LenientResult = { ok: false };

/** grammar/formats.peggy's Word: `[A-Za-z0-9_./:-]`. */
function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x2d && c <= 0x3a) || c === 0x5f;
}

function wordEnd(text: string, at: number, end: number): number {
  while (at < end && isWordChar(text.charCodeAt(at))) at++;
  return at;
}

function blankEnd(text: string, at: number, end: number): number {
  for (let c = text.charCodeAt(at); at < end && (c === 0x20 || c === 0x09); c = text.charCodeAt(++at));
  return at;
}

/**
 * One action line as the action object it stands for: grammar/formats.peggy's
 * ActionLine (`[ACTION] type [target] key=value…`), read by one linear pass that never
 * looks past `end` (the grammar reads the slice alone).
 */
export function decodeActionLine(text: string, start: number, end: number): LenientResult {
  if (end - start < ACTION_TAG.length || !text.startsWith(ACTION_TAG, start)) return NOT_AN_ACTION_LINE;
  let at = start + ACTION_TAG.length;
  const typeStart = blankEnd(text, at, end);
  const typeEnd = wordEnd(text, typeStart, end);
  if (typeStart === at || typeEnd === typeStart) return NOT_AN_ACTION_LINE;
  at = typeEnd;
  let target: string | null = null;
  const targetStart = blankEnd(text, at, end);
  const targetEnd = wordEnd(text, targetStart, end);
  // A word followed by `=` is the first argument, not the target (the grammar's `!"="`).
  if (targetStart > at && targetEnd > targetStart && (targetEnd === end || text.charCodeAt(targetEnd) !== 0x3d)) {
    target = text.slice(targetStart, targetEnd);
    at = targetEnd;
  }
  const args: JsonObject = {};
  for (;;) {
    const keyStart = blankEnd(text, at, end);
    const keyEnd = wordEnd(text, keyStart, end);
    if (keyStart === at || keyEnd === keyStart || keyEnd === end || text.charCodeAt(keyEnd) !== 0x3d) break;
    let valueEnd = keyEnd + 1;
    for (let c = text.charCodeAt(valueEnd); valueEnd < end && c !== 0x20 && c !== 0x09 && c !== 0x0a; c = text.charCodeAt(++valueEnd));
    if (valueEnd === keyEnd + 1) break;
    setOwn(args, text.slice(keyStart, keyEnd), text.slice(keyEnd + 1, valueEnd));
    at = valueEnd;
  }
  if (blankEnd(text, at, end) !== end) return NOT_AN_ACTION_LINE;
  return { ok: true, value: { action_type: text.slice(typeStart, typeEnd), target, args }, repairs: [] };
}

// ---------------------------------------------------------------------------
// python, relaxed, truncated: the lenient JSON dialect
// ---------------------------------------------------------------------------

export interface DialectOptions {
  readonly python: boolean;
  readonly relaxed: boolean;
  readonly truncated: boolean;
}

/**
 * `text[start:end]` read in the lenient dialect with the given extensions
 * (grammar/lenient.peggy), by the linear scanner held to that grammar.
 */
export function decodeLenient(text: string, start: number, end: number, dialect: DialectOptions): LenientResult {
  return scanLenient(text, start, end, dialect);
}

// ---------------------------------------------------------------------------
// tool_call: a transform of the decoded object
// ---------------------------------------------------------------------------

const argumentsLike = P.union(P.string, P.when(isJsonObject));

/**
 * The arguments of a tool-call envelope, in the shapes models and servers write them:
 * `{"name", "arguments"}` (Hermes, Qwen), `{"name", "parameters"}` (Llama),
 * `{"function": {"name", "arguments"}}` (OpenAI), `{"type": "tool_use", "input"}`
 * (Anthropic). Undefined when the object is not an envelope (or is already an action).
 */
export function toolCallArguments(value: unknown): string | JsonObject | undefined {
  return match(value)
    .with({ action_type: P.not(P.nullish) }, () => undefined)
    .with({ name: P.string, arguments: argumentsLike }, (envelope) => envelope.arguments)
    .with({ name: P.string, parameters: argumentsLike }, (envelope) => envelope.parameters)
    .with({ function: { name: P.string, arguments: argumentsLike } }, (envelope) => envelope.function.arguments)
    .with({ type: "tool_use", input: argumentsLike }, (envelope) => envelope.input)
    .otherwise(() => undefined);
}

// ---------------------------------------------------------------------------
// The hooks: one case per format
// ---------------------------------------------------------------------------

/** A reader for candidates that are not JSON at all, by the source they come from. */
export type CandidateDecoder = (text: string, start: number, end: number) => LenientResult;

/** How the enabled formats change the search. */
export interface FormatPlan {
  /** Skip every registered family's reasoning blocks. */
  readonly maskReasoning: boolean;
  /** Read every registered family's call syntaxes and envelope shapes. */
  readonly nativeCalls: boolean;
  /** Read a call cut in its arguments as the truncated format reads JSON. */
  readonly cutCalls: boolean;
  readonly sources: readonly CandidateSource[];
  /** The dialect candidates are read in; `truncated` is off (a truncated candidate uses the next). */
  readonly dialect: DialectOptions;
  /** The dialect with truncation on, for the truncated source's candidate. */
  readonly truncatedDialect: DialectOptions;
  /** The dialect a native call's arguments are read in (truncated when cut calls are read). */
  readonly callDialect: DialectOptions;
  readonly decoders: ReadonlyMap<CandidateKind, CandidateDecoder>;
  /** The whole text is the first candidate, read as any JSON candidate: when it decodes, it decides. */
  readonly wholeFirst: boolean;
}

interface FormatHook {
  readonly prepass?: "mask_reasoning";
  /** The registered families' call syntaxes, read before the JSON search, and their envelope shapes. */
  readonly native?: "calls";
  readonly sourceAfterBalanced?: readonly CandidateSource[];
  /** A source tried after every reference source, with its own decoder. */
  readonly sourceLast?: readonly [CandidateSource, CandidateDecoder];
  readonly dialect?: keyof DialectOptions;
}

function formatHooks(format: OutputFormat): FormatHook {
  return match(format)
    .with(OutputFormat.REASONING, (): FormatHook => ({ prepass: "mask_reasoning" }))
    .with(OutputFormat.TOOL_CALL, (): FormatHook => ({ native: "calls" }))
    .with(OutputFormat.PYTHON, (): FormatHook => ({ dialect: "python" }))
    .with(OutputFormat.RELAXED, (): FormatHook => ({ dialect: "relaxed" }))
    .with(OutputFormat.TRUNCATED, (): FormatHook => ({ sourceAfterBalanced: [TRUNCATED_SOURCE, NESTED_SOURCE] }))
    .with(OutputFormat.ACTION_LINE, (): FormatHook => ({ sourceLast: [ACTION_LINE_SOURCE, decodeActionLine] }))
    .exhaustive();
}

/** The search the enabled formats call for; with none, exactly the reference's. */
function planFormats(formats: ReadonlySet<OutputFormat>): FormatPlan {
  const hooks = [...formats].map(formatHooks);
  const afterBalanced = hooks.flatMap((hook) => hook.sourceAfterBalanced ?? []);
  const last = hooks.flatMap((hook) => (hook.sourceLast ? [hook.sourceLast] : []));
  const balanced = afterBalanced.includes(TRUNCATED_SOURCE) ? BALANCED_NOTING_OPEN : BALANCED_SOURCE;
  const sources = REFERENCE_SOURCES.flatMap((source) => (source === BALANCED_SOURCE ? [balanced, ...afterBalanced] : [source]));
  const dialects = new Set(hooks.map((hook) => hook.dialect));
  const dialect = { python: dialects.has("python"), relaxed: dialects.has("relaxed"), truncated: false };
  const cutCalls = formats.has(OutputFormat.TRUNCATED);
  const decoders = new Map(last.map(([source, decoder]) => [source.kind, decoder]));
  const ordered = [...sources, ...last.map(([source]) => source)];
  return {
    maskReasoning: hooks.some((hook) => hook.prepass === "mask_reasoning"),
    nativeCalls: hooks.some((hook) => hook.native === "calls"),
    sources: ordered,
    dialect,
    truncatedDialect: { ...dialect, truncated: true },
    callDialect: { ...dialect, truncated: cutCalls },
    cutCalls,
    decoders,
    wholeFirst: ordered[0] === WHOLE_SOURCE && !decoders.has(CandidateKind.WHOLE),
  };
}

const plans = new Map<string, FormatPlan>();

/**
 * The plan for a `formats` option, made once per distinct option: planning runs a
 * match per format, which would otherwise cost more than parsing a short completion.
 */
export function planFor(option: FormatsOption, caller: string): FormatPlan {
  if (option === "lenient") return planOf(option, () => resolveFormats(option, caller));
  // Checked on every call, cache hit or not: `[null]` must not pass because `[]` was planned.
  const formats = resolveFormats(option, caller);
  return planOf([...formats].sort().join(","), () => formats);
}

function planOf(key: string, formats: () => ReadonlySet<OutputFormat>): FormatPlan {
  const cached = plans.get(key);
  if (cached) return cached;
  const plan = planFormats(formats());
  plans.set(key, plan);
  return plan;
}
