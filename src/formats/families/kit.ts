/**
 * What a syntax family is made of, and the readers several families share. A family
 * declares its reasoning markup, its call syntaxes (each found by a marker, read by a
 * linear scanner from there) and the JSON envelope shapes it writes; `registry.ts` lists
 * the families and `../native.ts` runs them. Readers never recurse and never throw: they
 * return undefined where their syntax does not hold.
 */
import { decodeLenient, type DialectOptions, type RepairCode } from "../formats.js";
import { decodePythonJson, isJsonObject, setOwn } from "../../python/json-dialect.js";
import { pyStrip } from "../../python/python-text.js";
import type { JsonObject, JsonValue } from "../../model/types.js";

/** A reasoning block: text the action is never taken from. */
export interface ReasoningMarkup {
  readonly open: string;
  /** What ends the block; the first found after the opening wins. */
  readonly close: readonly string[];
  /** A close with no opening before it makes everything before it reasoning (the template opened it). */
  readonly orphanClose?: boolean;
}

/** One tool call as a family writes it, before it is read as an action. */
export interface NativeCall {
  /** The function name as written (without a `functions.` namespace); undefined when the syntax has none. */
  readonly name: string | undefined;
  /** The decoded arguments; undefined when the envelope had none. */
  readonly arguments: JsonObject | undefined;
  /** False when the text ended inside the call (its arguments closed after the last complete member). */
  readonly complete: boolean;
  readonly repairs: readonly RepairCode[];
}

/** The calls one block holds (a list syntax holds several), and where the block is. */
export interface CallBlock {
  readonly start: number;
  readonly end: number;
  readonly calls: readonly NativeCall[];
}

/** What a reader may use besides the text: cached lookups, a budget, the dialect. */
export interface ReadContext {
  readonly text: string;
  readonly dialect: DialectOptions;
  /** `text.indexOf(needle, from)`, amortised: repeated misses of one needle cost nothing. */
  find(needle: string, from: number): number;
  /** The envelope shapes of every registered family. */
  readonly envelopes: readonly EnvelopeShape[];
  /**
   * Whether a reader may still scan `length` characters. Readers that fail after
   * scanning far (an unclosed block at each of many markers) would add up to quadratic
   * time; past a budget proportional to the text, the rest is left to the JSON search.
   */
  charge(length: number): boolean;
}

/** One call syntax: found at `marker` (a regular expression source) and read from there. */
export interface CallSyntax {
  /** How the docs and parseActionDetailed name it. */
  readonly syntax: string;
  /** Regular-expression source of the marker the first look finds (literal text escaped). */
  readonly marker: string;
  /** Whether the marker also ends a reasoning block that was never closed (a special token). */
  readonly endsReasoning: boolean;
  /** Reads the call block whose marker is at `at` (its match `length` long); undefined when it is not one. */
  read(ctx: ReadContext, at: number, length: number): CallBlock | undefined;
}

/** A JSON envelope shape: the calls a decoded value stands for, or undefined when it is not this shape. */
export interface EnvelopeShape {
  readonly shape: string;
  /**
   * The top-level keys of which an object needs one to be this shape, or ONE_MEMBER for a
   * shape that reads any object of exactly one member. An object with none of them (and
   * more members) is not built for the envelope check: a flat object of many keys costs
   * far more to build than to scan.
   */
  readonly keys: readonly string[] | typeof ONE_MEMBER;
  /** A wrapper (`{"tool_calls": […]}`) holds other shapes: `inner` reads them (wrappers excluded, so nothing nests deeper). */
  readonly wrapper?: boolean;
  /** `loose`: the value came from a call block, so a bare `{"name": …}` counts. */
  calls(value: JsonObject, loose: boolean, inner: (value: JsonValue) => readonly NativeCall[]): readonly NativeCall[] | undefined;
}

/** One family: its reasoning markup, call syntaxes and envelope shapes. */
export interface SyntaxFamily {
  readonly family: string;
  readonly reasoning: readonly ReasoningMarkup[];
  readonly calls: readonly CallSyntax[];
  readonly envelopes: readonly EnvelopeShape[];
}

/**
 * What a family grammar's `Block` rule makes of a complete call block: where it ends,
 * the name, and the arguments as written (JSON text, parameter texts, or a body
 * rewritten as JSON); the property tests decode it and compare it with the reader.
 */
export interface GrammarBlock {
  readonly end: number;
  readonly name: string | null;
  readonly json?: string;
  readonly params?: readonly (readonly [string, string, boolean | null])[];
  readonly dict?: string;
  readonly body?: string;
}

/** EnvelopeShape.keys of a shape that reads any one-member object (`{"NAME": {…}}`). */
export const ONE_MEMBER = "one member";

/** A literal as a marker source. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// ---------------------------------------------------------------------------
// Lexical helpers
// ---------------------------------------------------------------------------

const SPACE = /[ \t\n\r]*/y;
const NAME = /[A-Za-z_][\w.\-]*/y;

export function skipSpace(text: string, at: number): number {
  // Most places have no space at all: that costs no call into the regex engine.
  const c = text.charCodeAt(at);
  if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return at;
  SPACE.lastIndex = at;
  SPACE.test(text);
  return SPACE.lastIndex;
}

/** The function name at `at` (letters, digits, `_ . -`), or undefined. */
export function nameAt(text: string, at: number): string | undefined {
  NAME.lastIndex = at;
  const m = NAME.exec(text);
  return m ? m[0] : undefined;
}

/** Whether `text` has `word` at `at`. */
export function startsAt(text: string, at: number, word: string): boolean {
  return text.startsWith(word, at);
}

/** A name as an action type would read it: `functions.restart:0` → `restart`. */
export function bareName(name: string): string {
  let out = name.trim();
  const dot = out.lastIndexOf(".");
  if (dot >= 0) out = out.slice(dot + 1);
  const colon = out.indexOf(":");
  return colon >= 0 ? out.slice(0, colon) : out;
}

// ---------------------------------------------------------------------------
// JSON values after a marker
// ---------------------------------------------------------------------------

/**
 * The end of the JSON (or Python) value that opens at `at` with `{` or `[`: one pass,
 * string-aware for both quote kinds; `closed` is false when the text ends first.
 */
export function valueExtent(text: string, at: number): { end: number; closed: boolean } {
  let depth = 0;
  const n = text.length;
  for (let i = at; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      i = closingQuote(text, i, c === 0x22 ? '"' : "'");
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if ((c === 0x7d || c === 0x5d) && --depth === 0) {
      return { end: i + 1, closed: true };
    }
  }
  return { end: n, closed: false };
}

/**
 * Where the string opened at `open` closes (`text.length` when it does not): inside a
 * string only its own quote and a backslash matter, so the quotes are found by indexOf
 * (native, fast over long messages) and one is escaped when an odd run of backslashes
 * precedes it. Each backslash is looked at once: a run stops at the quote before it.
 */
function closingQuote(text: string, open: number, quote: string): number {
  for (let from = open + 1; ; ) {
    const at = text.indexOf(quote, from);
    if (at < 0) return text.length;
    let k = at - 1;
    while (k > open && text.charCodeAt(k) === 0x5c) k--;
    if ((at - 1 - k) % 2 === 0) return at;
    from = at + 1;
  }
}

export interface DecodedValue {
  readonly value: JsonValue;
  readonly complete: boolean;
  readonly repairs: readonly RepairCode[];
}

/** `text[start:end]` as JSON, then in the enabled dialect; `cut` reads it as the truncated format does. */
export function decodeValue(ctx: ReadContext, start: number, end: number, cut: boolean): DecodedValue | undefined {
  if (!cut) {
    const strict = decodePythonJson(ctx.text, start, end);
    if (strict.ok) return { value: strict.value, complete: true, repairs: [] };
  }
  const { python, relaxed, truncated } = ctx.dialect;
  if (cut && !truncated) return undefined;
  if (!cut && !python && !relaxed) return undefined;
  const result = decodeLenient(ctx.text, start, end, { python, relaxed, truncated: cut });
  return result.ok && result.value !== undefined ? { value: result.value, complete: !cut, repairs: result.repairs ?? [] } : undefined;
}

/** The value opening at `at` (after spaces), decoded; its end where the text resumes. */
export function valueAt(ctx: ReadContext, from: number): (DecodedValue & { start: number; end: number }) | undefined {
  const start = skipSpace(ctx.text, from);
  const c = ctx.text.charCodeAt(start);
  if ((c !== 0x7b && c !== 0x5b) || !ctx.charge(0)) return undefined;
  const { end, closed } = valueExtent(ctx.text, start);
  ctx.charge(end - start);
  const decoded = decodeValue(ctx, start, end, !closed);
  // Spelled out: a spread copies through a generic path, and this runs once per call read.
  return decoded && { value: decoded.value, complete: decoded.complete, repairs: decoded.repairs, start, end };
}

/** The calls an envelope value stands for, by the first registered shape that reads it. */
export function envelopeCalls(ctx: Pick<ReadContext, "envelopes">, value: JsonValue, loose: boolean, wrappers = true): readonly NativeCall[] {
  const items = Array.isArray(value) ? value : [value];
  const calls: NativeCall[] = [];
  const inner = (nested: JsonValue) => envelopeCalls(ctx, nested, loose, false);
  for (const item of items) {
    if (!isJsonObject(item)) continue;
    for (const shape of ctx.envelopes) {
      if (shape.wrapper && !wrappers) continue;
      const found = shape.calls(item, loose, inner);
      if (found) {
        calls.push(...found);
        break;
      }
    }
  }
  return calls;
}

/** A JSON block of envelopes right after a marker (`[TOOL_CALLS] […]`, `<tool_call>{…}`). */
export function jsonBlockAfter(ctx: ReadContext, at: number, from: number): CallBlock | undefined {
  const start = skipSpace(ctx.text, from);
  if (ctx.text.charCodeAt(start) === 0x5b) {
    const listed = cutList(ctx, at, start);
    if (listed) return listed;
  }
  const decoded = valueAt(ctx, start);
  if (!decoded) return undefined;
  const calls = envelopeCalls(ctx, decoded.value, true).map((call) => withCut(call, decoded));
  return calls.length > 0 ? { start: at, end: decoded.end, calls } : undefined;
}

/**
 * A list of calls the text ends in: each complete element read as it is, and only the
 * element the cut is in read as the truncated format reads it, so that a complete first
 * call is taken whole; what follows an element other than a comma ends the list. Undefined
 * when the list closes (it is read as one value): the elements are walked before any is
 * decoded, so a closed list is not decoded twice.
 */
function cutList(ctx: ReadContext, at: number, open: number): CallBlock | undefined {
  const elements = elementsBeforeCut(ctx, open);
  if (!elements) return undefined;
  const calls: NativeCall[] = [];
  for (const { start, end, closed } of elements) {
    const decoded = decodeValue(ctx, start, end, !closed);
    if (decoded) calls.push(...envelopeCalls(ctx, decoded.value, true).map((call) => withCut(call, decoded)));
  }
  return calls.length > 0 ? { start: at, end: ctx.text.length, calls } : undefined;
}

/** The elements cutList reads from the list opened at `open`; undefined when the list closes. */
function elementsBeforeCut(ctx: ReadContext, open: number): { start: number; end: number; closed: boolean }[] | undefined {
  const { text } = ctx;
  const elements: { start: number; end: number; closed: boolean }[] = [];
  let pos = skipSpace(text, open + 1);
  while (pos < text.length && ctx.charge(0)) {
    const c = text.charCodeAt(pos);
    if (c !== 0x7b && c !== 0x5b) break;
    const { end, closed } = valueExtent(text, pos);
    ctx.charge(end - pos);
    elements.push({ start: pos, end, closed });
    if (!closed) break;
    pos = skipSpace(text, end);
    if (pos >= text.length) break;
    if (text.charCodeAt(pos) === 0x5d) return undefined;
    if (text.charCodeAt(pos) !== 0x2c) break;
    pos = skipSpace(text, pos + 1);
  }
  return elements;
}

function withCut(call: NativeCall, decoded: DecodedValue): NativeCall {
  if (decoded.complete && decoded.repairs.length === 0) return call;
  return { ...call, complete: call.complete && decoded.complete, repairs: [...decoded.repairs, ...call.repairs] };
}

/** A named call whose arguments are the JSON value at `from` (`NAME<sep>{…}`). */
export function namedJsonCall(ctx: ReadContext, at: number, name: string, from: number): CallBlock | undefined {
  const decoded = valueAt(ctx, from);
  if (!decoded || !isJsonObject(decoded.value)) return undefined;
  return { start: at, end: decoded.end, calls: [{ name, arguments: decoded.value, complete: decoded.complete, repairs: decoded.repairs }] };
}

/** Arguments given as a JSON string (OpenAI style), read strictly and then in the dialect. */
export function argumentsOf(value: JsonValue | undefined, dialect?: DialectOptions): JsonObject | undefined {
  if (isJsonObject(value)) return value;
  if (typeof value !== "string") return undefined;
  const strict = decodePythonJson(value);
  if (strict.ok) return isJsonObject(strict.value) ? strict.value : undefined;
  if (!dialect || !(dialect.python || dialect.relaxed)) return undefined;
  const lenient = decodeLenient(value, 0, value.length, { ...dialect, truncated: false });
  return lenient.ok && isJsonObject(lenient.value) ? lenient.value : undefined;
}

// ---------------------------------------------------------------------------
// XML-style parameters: text values, JSON where the text is JSON
// ---------------------------------------------------------------------------

/**
 * A parameter's text as a value: JSON when it is an object or list (`args` as
 * `{"replicas": 4}`) or `null`, otherwise the text itself (`int()` reads `"4"` later).
 */
export function parameterValue(raw: string, asJson?: boolean): JsonValue {
  const text = pyStrip(raw);
  const c = text.charCodeAt(0);
  if (asJson !== false && (asJson === true || c === 0x7b || c === 0x5b || text === "null")) {
    const decoded = decodePythonJson(text);
    if (decoded.ok) return decoded.value;
  }
  return text;
}

/**
 * Where a value ends when the text ends inside its closing tag (`db</param`): the value
 * was written whole and the cut came while closing it; -1 when the text does not end in
 * a prefix of one of `closes`. A prefix counts from two characters (a lone `<` may be
 * the value's own text). Constant work: only the tail is compared.
 */
export function cutInClose(text: string, from: number, closes: readonly string[]): number {
  for (const close of closes) {
    for (let k = Math.min(close.length - 1, text.length - from); k >= 2; k--) {
      if (text.endsWith(close.slice(0, k))) return text.length - k;
    }
  }
  return -1;
}

/** Builds an arguments object member by member (own properties, so `__proto__` is a key). */
export function argumentsObject(members: readonly (readonly [string, JsonValue])[]): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of members) setOwn(out, key, value);
  return out;
}

/** The first of `needles` found at or after `from` (by position), with its index; -1 when none. */
export function findFirst(ctx: ReadContext, needles: readonly string[], from: number): { at: number; needle: string } {
  let best = { at: -1, needle: "" };
  for (const needle of needles) {
    const at = ctx.find(needle, from);
    if (at >= 0 && (best.at < 0 || at < best.at)) best = { at, needle };
  }
  return best;
}

// ---------------------------------------------------------------------------
// Shared pieces several families declare
// ---------------------------------------------------------------------------

/** `<think>…</think>`, or only `…</think>` when the chat template opened it. */
/** A value written in another syntax and translated to JSON text, decoded; `cut` as the truncated format reads it. */
export function decodeTranslated(ctx: ReadContext, json: string, cut: boolean, python: boolean): DecodedValue | undefined {
  // A call without arguments (`f()`, `call:f{}`) decodes to an empty object in every dialect:
  // a flood of them should not pay for setting a decoder up each time.
  if (json === "{}" && !cut) return { value: {}, complete: true, repairs: [] };
  const dialect = !python || ctx.dialect.python ? ctx.dialect : { ...ctx.dialect, python: true };
  // Spelled out, as in valueAt: a spread copies through a generic path, once per call read.
  const inner: ReadContext = { text: json, dialect, find: ctx.find, envelopes: ctx.envelopes, charge: ctx.charge };
  return decodeValue(inner, 0, json.length, cut);
}

/** A value read from a call the text ended in: never complete, however it decoded. */
export function asCut(decoded: DecodedValue | undefined): DecodedValue | undefined {
  return decoded && { ...decoded, complete: false };
}

export const THINK: ReasoningMarkup = { open: "<think>", close: ["</think>"], orphanClose: true };

/** A call syntax whose block is JSON envelopes right after a literal marker. */
export function jsonAfter(syntax: string, marker: string, endsReasoning = true): CallSyntax {
  return { syntax, marker: literal(marker), endsReasoning, read: (ctx, at, length) => jsonBlockAfter(ctx, at, at + length) };
}

/** An object that already is an action (`<tool_call>{"action_type": …}</tool_call>`). */
export const DIRECT_ACTION: EnvelopeShape = {
  shape: '{"action_type", …}',
  keys: ["action_type"],
  calls: (value) => (Object.hasOwn(value, "action_type") ? [{ name: undefined, arguments: value, complete: true, repairs: [] }] : undefined),
};

/** The envelope most families write: `{"name", "arguments" | "parameters" | "input"}`. */
export const NAME_ARGUMENTS: EnvelopeShape = namedEnvelope('{"name", "arguments" | "parameters"}', "name", ["arguments", "parameters", "input"]);

/** `{"<name key>": NAME, "<args key>": {…} or "{…}"}`; in a call block the arguments may be missing. */
export function namedEnvelope(shape: string, nameKey: string, argsKeys: readonly string[]): EnvelopeShape {
  return {
    shape,
    keys: [nameKey],
    calls(value, loose) {
      const name = value[nameKey];
      if (typeof name !== "string" || !Object.hasOwn(value, nameKey)) return undefined;
      for (const key of argsKeys) {
        if (!Object.hasOwn(value, key)) continue;
        const given = value[key];
        // `null` or "" is how a call with no arguments is written (`resolve`), as the OpenAI format's empty arguments are.
        if (given === null || (typeof given === "string" && given.trim() === "")) return [{ name, arguments: undefined, complete: true, repairs: [] }];
        const args = argumentsOf(given);
        return args ? [{ name, arguments: args, complete: true, repairs: [] }] : undefined;
      }
      return loose ? [{ name, arguments: undefined, complete: true, repairs: [] }] : undefined;
    },
  };
}
