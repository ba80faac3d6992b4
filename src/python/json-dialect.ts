/**
 * The JSON dialect of Python's `json.loads`: standard JSON plus the constants `NaN`,
 * `Infinity` and `-Infinity`; duplicate keys keep their first position and last
 * value; control characters inside strings rejected; integer literals longer than
 * 4,300 digits rejected (CPython raises ValueError, which the reference does not catch).
 *
 * The decoder is iterative (no recursion at any depth; documents nested deeper than
 * MAX_NESTING are rejected, where Python raises RecursionError) and reports failure as
 * a value, never by throwing: a rejected candidate costs a scan, not an exception.
 * `grammar/json.peggy` is its executable specification.
 */
import type { JsonObject, JsonValue } from "../model/types.js";
import { MAX_INT_DIGITS } from "./python-number.js";

/**
 * Python's json recurses once per nesting level and raises RecursionError at about a
 * thousand levels (998 from a shallow stack); the reference does not catch it. Deeper
 * documents are rejected here, as a candidate that does not decode, which also keeps
 * the worst case linear and cheap: nothing that deep is ever built.
 */
export const MAX_NESTING = 1000;

export type JsonDecodeResult =
  | { readonly ok: true; readonly value: JsonValue }
  | { readonly ok: false; readonly at: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const ARRAY = 0;
const OBJECT = 1;

/** Python json's whitespace: exactly space, tab, newline and carriage return. */
function skipWs(text: string, pos: number, end: number): number {
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    pos++;
  }
  return pos;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

const SIMPLE_ESCAPES = new Set([QUOTE, BACKSLASH, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

/** Sets own properties even for `__proto__`, which plain assignment would treat as the prototype. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * One pass over `text[start, end)`. In validate mode nothing is allocated and
 * `special` says whether `JSON.parse` would read the text differently from Python
 * (NaN, ±Infinity, the integer `-0`).
 */
class Scanner {
  pos: number;
  special = false;
  /** Whether the last string scanned had escapes. */
  private escaped = false;

  constructor(
    readonly text: string,
    start: number,
    readonly end: number,
    readonly build: boolean,
  ) {
    this.pos = start;
  }

  /** Scans the string whose opening quote is at `pos`; returns the index of its closing quote or -1. */
  private scanString(): number {
    const { text, end } = this;
    let i = this.pos + 1;
    this.escaped = false;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) return i;
      if (c === BACKSLASH) {
        const e = i + 1 < end ? text.charCodeAt(i + 1) : -1;
        if (SIMPLE_ESCAPES.has(e)) i += 2;
        else if (e === 0x75 && this.hex4(i + 2)) i += 6;
        else return -1;
        this.escaped = true;
      } else if (c < 0x20) {
        return -1;
      } else {
        i++;
      }
    }
    return -1;
  }

  private hex4(i: number): boolean {
    const { text } = this;
    return (
      i + 4 <= this.end &&
      isHex(text.charCodeAt(i)) &&
      isHex(text.charCodeAt(i + 1)) &&
      isHex(text.charCodeAt(i + 2)) &&
      isHex(text.charCodeAt(i + 3))
    );
  }

  /** Reads a string at `pos`; undefined when invalid. In validate mode the value is "". */
  readString(): string | undefined {
    const close = this.scanString();
    if (close < 0) return undefined;
    const open = this.pos;
    this.pos = close + 1;
    if (!this.build) return "";
    const literal = this.text.slice(open, close + 1);
    // A validated string literal decodes identically in JavaScript and Python.
    return this.escaped ? (JSON.parse(literal) as string) : literal.slice(1, -1);
  }

  /** Reads a number at `pos` (after an optional minus); undefined when invalid. */
  readNumber(): number | undefined {
    const { text, end } = this;
    const start = this.pos;
    let i = start;
    if (text.charCodeAt(i) === MINUS) {
      i++;
      if (text.startsWith("Infinity", i) && i + 8 <= end) {
        this.pos = i + 8;
        this.special = true;
        return -Infinity;
      }
    }
    const intStart = i;
    const first = i < end ? text.charCodeAt(i) : -1;
    if (first === ZERO) i++;
    else if (first > ZERO && first <= NINE) while (i < end && isDigit(text.charCodeAt(i))) i++;
    else return undefined;
    const intEnd = i;
    let isFloat = false;
    if (i + 1 < end && text.charCodeAt(i) === DOT && isDigit(text.charCodeAt(i + 1))) {
      i += 2;
      while (i < end && isDigit(text.charCodeAt(i))) i++;
      isFloat = true;
    }
    if (i < end && (text.charCodeAt(i) | 0x20) === 0x65) {
      let j = i + 1;
      const sign = j < end ? text.charCodeAt(j) : -1;
      if (sign === PLUS || sign === MINUS) j++;
      if (j < end && isDigit(text.charCodeAt(j))) {
        i = j + 1;
        while (i < end && isDigit(text.charCodeAt(i))) i++;
        isFloat = true;
      }
    }
    if (!isFloat) {
      if (intEnd - intStart > MAX_INT_DIGITS) return undefined;
      // Python reads the integer -0 as 0; JSON.parse would give -0.
      if (intStart > start && intEnd - intStart === 1 && first === ZERO) this.special = true;
    }
    this.pos = i;
    if (!this.build) return 0;
    const value = Number(text.slice(start, i));
    return isFloat ? value : value + 0;
  }

  private literal(word: string): boolean {
    if (this.pos + word.length > this.end || !this.text.startsWith(word, this.pos)) return false;
    this.pos += word.length;
    return true;
  }

  /** Reads a scalar at `pos`; undefined when there is none. */
  readScalar(): JsonValue | undefined {
    const c = this.text.charCodeAt(this.pos);
    if (c === QUOTE) return this.readString();
    if (c === MINUS || isDigit(c)) return this.readNumber();
    if (this.literal("true")) return true;
    if (this.literal("false")) return false;
    if (this.literal("null")) return null;
    if (this.literal("NaN")) {
      this.special = true;
      return Number.NaN;
    }
    if (this.literal("Infinity")) {
      this.special = true;
      return Infinity;
    }
    return undefined;
  }

  /** Reads `"key" :` and the whitespace after it; undefined when invalid. */
  readKey(): string | undefined {
    if (this.pos >= this.end || this.text.charCodeAt(this.pos) !== QUOTE) return undefined;
    const key = this.readString();
    if (key === undefined) return undefined;
    this.pos = skipWs(this.text, this.pos, this.end);
    if (this.pos >= this.end || this.text.charCodeAt(this.pos) !== COLON) return undefined;
    this.pos = skipWs(this.text, this.pos + 1, this.end);
    return key;
  }
}

interface ScanOutcome {
  readonly ok: boolean;
  readonly value: JsonValue;
  readonly special: boolean;
  readonly at: number;
}

/** Scans one JSON document (surrounding JSON whitespace allowed), building its value when `build`. */
function scan(text: string, start: number, end: number, build: boolean): ScanOutcome {
  const s = new Scanner(text, skipWs(text, start, end), end, build);
  const kinds: number[] = [];
  const containers: (JsonValue[] | JsonObject)[] = [];
  const keys: string[] = [];
  const fail = (): ScanOutcome => ({ ok: false, value: null, special: false, at: s.pos });
  for (;;) {
    if (s.pos >= end) return fail();
    let value: JsonValue;
    const c = text.charCodeAt(s.pos);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (kinds.length === MAX_NESTING) return fail();
      s.pos = skipWs(text, s.pos + 1, end);
      const close = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
      if (s.pos < end && text.charCodeAt(s.pos) === close) {
        s.pos++;
        value = c === OPEN_BRACE ? {} : [];
      } else {
        if (c === OPEN_BRACE) {
          const key = s.readKey();
          if (key === undefined) return fail();
          keys.push(key);
        } else {
          keys.push("");
        }
        kinds.push(c === OPEN_BRACE ? OBJECT : ARRAY);
        containers.push(build ? (c === OPEN_BRACE ? {} : []) : []);
        continue;
      }
    } else {
      const scalar = s.readScalar();
      if (scalar === undefined) return fail();
      value = scalar;
    }
    // A value is complete: hand it to its container, closing containers as they end.
    for (;;) {
      const top = kinds.length - 1;
      if (top < 0) {
        s.pos = skipWs(text, s.pos, end);
        return s.pos === end ? { ok: true, value, special: s.special, at: s.pos } : fail();
      }
      const container = containers[top] as JsonValue[] & JsonObject;
      const isObject = kinds[top] === OBJECT;
      if (build) {
        if (isObject) setOwn(container, keys[top] ?? "", value);
        else container.push(value);
      }
      s.pos = skipWs(text, s.pos, end);
      const next = s.pos < end ? text.charCodeAt(s.pos) : -1;
      if (next === COMMA) {
        s.pos = skipWs(text, s.pos + 1, end);
        if (isObject) {
          const key = s.readKey();
          if (key === undefined) return fail();
          keys[top] = key;
        }
        break;
      }
      if (next !== (isObject ? CLOSE_BRACE : CLOSE_BRACKET)) return fail();
      s.pos++;
      value = build ? container : null;
      kinds.pop();
      containers.pop();
      keys.pop();
    }
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const INVALID = 0;
const VALID = 1;
/** Valid, but JSON.parse would read it differently from Python (NaN, ±Infinity, the integer -0). */
const VALID_SPECIAL = 2;

/** Open containers of the validator: 1 for an object, 0 for an array. Grown on demand, never shrunk. */
let openStack = new Uint8Array(1024);

/** Whether a value `validateValue` read since this was last cleared holds a token JSON.parse reads differently from Python. */
let special = false;

/** Where the last failed validation found a character it could not accept (the text's length when it ran out). */
let failAt = 0;

function failAtChar(at: number, verdict: number = INVALID): number {
  failAt = at;
  return verdict;
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Validates a whole string as one Python JSON document, without allocating: VALID,
 * VALID_SPECIAL or INVALID (with failAt set).
 */
function validate(s: string): number {
  special = false;
  let pos = 0;
  while (isJsonSpace(s.charCodeAt(pos))) pos++;
  pos = validateValue(s, pos, 0);
  if (pos < 0) return INVALID;
  while (isJsonSpace(s.charCodeAt(pos))) pos++;
  if (pos !== s.length) return failAtChar(pos);
  return special ? VALID_SPECIAL : VALID;
}

/**
 * Validates the value that starts at `pos` (no whitespace before it), inside `outer`
 * open containers; returns the index just past it, or -1. Sets `special` when the
 * value holds a token JSON.parse reads differently. Reading past the end gives NaN,
 * which fails every comparison below, so no bounds checks are needed. This is the hot
 * path for every candidate, accepted or rejected.
 */
function validateValue(s: string, pos: number, outer: number): number {
  let depth = outer;
  let c = s.charCodeAt(pos);
  for (;;) {
    // A value starts at pos (after whitespace).
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++pos);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      // An empty container is a level too, as it is to Python's recursion.
      if (depth === MAX_NESTING) return failAtChar(pos, -1);
      const isObject = c === OPEN_BRACE;
      c = s.charCodeAt(++pos);
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++pos);
      if (c === (isObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
        c = s.charCodeAt(++pos);
      } else {
        if (depth === openStack.length) {
          const grown = new Uint8Array(depth * 2);
          grown.set(openStack);
          openStack = grown;
        }
        openStack[depth++] = isObject ? 1 : 0;
        if (isObject) {
          pos = validateKey(s, pos);
          if (pos < 0) return -1;
          c = s.charCodeAt(pos);
        }
        continue;
      }
    } else if (c === QUOTE) {
      pos = validateString(s, pos);
      if (pos < 0) return -1;
      c = s.charCodeAt(pos);
    } else {
      pos = validateScalar(s, pos, c);
      if (pos < 0) return -1;
      c = s.charCodeAt(pos);
    }
    // A value ended at pos: close containers, or move to the next member.
    for (;;) {
      if (depth === outer) return pos;
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++pos);
      const isObject = openStack[depth - 1] === 1;
      if (c === COMMA) {
        c = s.charCodeAt(++pos);
        if (isObject) {
          while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++pos);
          pos = validateKey(s, pos);
          if (pos < 0) return -1;
          c = s.charCodeAt(pos);
        }
        break;
      }
      if (c !== (isObject ? CLOSE_BRACE : CLOSE_BRACKET)) return failAtChar(pos, -1);
      depth--;
      c = s.charCodeAt(++pos);
    }
  }
}

/** Validates the number or literal starting at `pos` (first character `c`); returns the index after it, or -1. */
function validateScalar(s: string, pos: number, c: number): number {
  if (c === MINUS && s.charCodeAt(pos + 1) === 0x49) {
    if (!s.startsWith("-Infinity", pos)) return failAtChar(pos, -1);
    special = true;
    return pos + 9;
  }
  if (c === MINUS || (c >= ZERO && c <= NINE)) {
    const end = validateNumber(s, pos);
    // Python reads the integer -0 as 0; JSON.parse would give -0.
    if (end - pos === 2 && c === MINUS && s.charCodeAt(pos + 1) === ZERO) special = true;
    return end;
  }
  if (c === 0x74 && s.startsWith("true", pos)) return pos + 4;
  if (c === 0x66 && s.startsWith("false", pos)) return pos + 5;
  if (c === 0x6e && s.startsWith("null", pos)) return pos + 4;
  if (c === 0x4e && s.startsWith("NaN", pos)) {
    special = true;
    return pos + 3;
  }
  if (c === 0x49 && s.startsWith("Infinity", pos)) {
    special = true;
    return pos + 8;
  }
  return failAtChar(pos, -1);
}
/** Validates the number starting at `pos` (a minus or a digit); returns the index after it, or -1. */
function validateNumber(s: string, pos: number): number {
  let c = s.charCodeAt(pos);
  if (c === MINUS) c = s.charCodeAt(++pos);
  const intStart = pos;
  if (c === ZERO) {
    c = s.charCodeAt(++pos);
  } else if (c > ZERO && c <= NINE) {
    do c = s.charCodeAt(++pos);
    while (c >= ZERO && c <= NINE);
  } else {
    return failAtChar(pos, -1);
  }
  const intEnd = pos;
  let isFloat = false;
  if (c === DOT) {
    let d = s.charCodeAt(pos + 1);
    if (d >= ZERO && d <= NINE) {
      pos++;
      do d = s.charCodeAt(++pos);
      while (d >= ZERO && d <= NINE);
      c = d;
      isFloat = true;
    }
  }
  if (c === 0x65 || c === 0x45) {
    let j = pos + 1;
    let d = s.charCodeAt(j);
    if (d === PLUS || d === MINUS) d = s.charCodeAt(++j);
    if (d >= ZERO && d <= NINE) {
      do d = s.charCodeAt(++j);
      while (d >= ZERO && d <= NINE);
      pos = j;
      isFloat = true;
    }
  }
  return !isFloat && intEnd - intStart > MAX_INT_DIGITS ? failAtChar(pos, -1) : pos;
}

/** How far validateString walks by hand before it searches for the next special character. */
const SHORT_STRING = 24;
/**
 * The characters that end a run of plain string text. A search for one character of a
 * class keeps no backtracking state, so it is safe on a string of any length; a
 * `(?:plain|escape)*` pattern pushes one backtrack entry per character and overflows
 * V8's regexp stack at about 8M characters.
 */
const STRING_SPECIAL = /["\\\x00-\x1f]/g;
/** Whether the string validateString last read had an escape. */
let stringEscaped = false;

function isHex4(s: string, i: number): boolean {
  return isHex(s.charCodeAt(i)) && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2)) && isHex(s.charCodeAt(i + 3));
}

/** Validates the string starting at `pos`; returns the index after its closing quote, or -1. */
function validateString(s: string, pos: number): number {
  stringEscaped = false;
  let i = pos + 1;
  for (;;) {
    // Most strings (keys, action types, targets) and most runs after an escape are short
    // and plain: a charCodeAt walk is cheaper than a call into the regex engine, which
    // takes over to find the end of a long run.
    let c = s.charCodeAt(i);
    const stop = i + SHORT_STRING;
    while (c >= 0x20 && c !== QUOTE && c !== BACKSLASH && i < stop) c = s.charCodeAt(++i);
    if (i === stop) {
      STRING_SPECIAL.lastIndex = i;
      if (!STRING_SPECIAL.test(s)) return failAtChar(s.length, -1);
      i = STRING_SPECIAL.lastIndex - 1;
      c = s.charCodeAt(i);
    }
    if (c === QUOTE) return i + 1;
    if (c !== BACKSLASH) return failAtChar(i, -1); // a control character, or the end of the text
    const e = s.charCodeAt(i + 1);
    if (e === 0x75) {
      if (!isHex4(s, i + 2)) return failAtChar(i, -1);
      i += 6;
    } else if (SIMPLE_ESCAPES.has(e)) {
      i += 2;
    } else {
      return failAtChar(i, -1);
    }
    stringEscaped = true;
  }
}

/** Index just past the closing quote of the key `validateKey` last read, and whether it had escapes. */
let keyEnd = -1;
let keyEscaped = false;

/** Validates `"key" :` and the whitespace after it at `pos`; returns the index of the value, or -1. */
function validateKey(s: string, pos: number): number {
  if (s.charCodeAt(pos) !== QUOTE) return failAtChar(pos, -1);
  pos = validateString(s, pos);
  if (pos < 0) return -1;
  keyEnd = pos;
  keyEscaped = stringEscaped;
  let c = s.charCodeAt(pos);
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++pos);
  if (c !== COLON) return failAtChar(pos, -1);
  c = s.charCodeAt(++pos);
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++pos);
  return pos;
}

/** How far past a position a token may look (`-Infinity`, `\uXXXX`): a failure this close to the end may be a cut, not an error. */
const LOOKAHEAD = 16;

/**
 * Whether some continuation of `prefix` (the start of a candidate still open) could
 * decode to a JSON object. False only when validation stops at a character well before
 * the end of the prefix, which no continuation can change; the stream parser then
 * stops keeping that candidate's text.
 */
export function mayBecomeObject(prefix: string): boolean {
  if (objectStart(prefix) < 0) return false;
  return validate(prefix) !== INVALID || failAt + LOOKAHEAD > prefix.length;
}

/** The index of the `{` that `s` starts with after JSON whitespace, or -1 when it starts otherwise. */
function objectStart(s: string): number {
  let first = 0;
  while (isJsonSpace(s.charCodeAt(first))) first++;
  return s.charCodeAt(first) === OPEN_BRACE ? first : -1;
}

/**
 * The members of a decoded object that an action is made from; undefined where absent
 * or of a type the mapping ignores (only a string can name an action type, and only an
 * object gives args), so a huge array there is never built.
 */
export interface ActionFields {
  readonly actionType: string | undefined;
  readonly target: JsonValue | undefined;
  /**
   * The target's source text when it is a number, a list or an object, so that its
   * `str()` is Python's: `2.0` stays `"2.0"`, and a list keeps its integers' digits.
   */
  readonly targetLiteral: string | undefined;
  readonly args: JsonObject | undefined;
}

/** The action members of an object already in memory. */
export function fieldsOf(payload: object): ActionFields {
  const member = (key: string) => (Object.hasOwn(payload, key) ? (payload as Record<string, JsonValue>)[key] : undefined);
  const actionType = member("action_type");
  const args = member("args");
  return {
    actionType: typeof actionType === "string" ? actionType : undefined,
    target: member("target"),
    targetLiteral: undefined,
    args: isJsonObject(args) ? args : undefined,
  };
}

/** The string a validated string literal `s[start:end]` (quotes included) stands for. */
function stringAt(s: string, start: number, end: number, escaped: boolean): string {
  // A validated string literal decodes identically in JavaScript and Python.
  return escaped ? (JSON.parse(s.slice(start, end)) as string) : s.slice(start + 1, end - 1);
}

/**
 * The value the validated span `s[start:end]` stands for. `escaped`: it is a string
 * with escapes; `special`: it holds a token JSON.parse reads differently from Python,
 * so the slower builder reads it instead.
 */
function valueAt(s: string, start: number, end: number, escaped: boolean, special: boolean): JsonValue {
  const c = s.charCodeAt(start);
  if (c === QUOTE) return stringAt(s, start, end, escaped);
  if (special) return scan(s, start, end, true).value;
  if (c === 0x6e) return null;
  if (c === 0x74) return true;
  if (c === 0x66) return false;
  // Number reads a JSON number literal as JSON.parse does, for less (the integer -0,
  // which Python reads as 0, is special and never gets here).
  if (c <= NINE) return Number(s.slice(start, end));
  return JSON.parse(s.slice(start, end)) as JsonValue;
}

/** The top-level members an action is read from; only action_type and target are read from spans. */
const ACTION_TYPE = 0;
const TARGET = 1;
const ARGS = 2;
const MEMBER_NAMES = ["action_type", "target", "args"] as const;

/**
 * Where readAction last saw the values of action_type and target: [start, end) in its
 * input, -1 when absent; the last occurrence wins, as in a Python dict. Built only once
 * the object is known to be valid, and only those two. Read right after readAction
 * returns, before it runs again.
 */
const memberStart = new Int32Array(2);
const memberEnd = new Int32Array(2);
/** Whether each member's value, when a string, had escapes (so only those go through JSON.parse). */
const memberEscaped = new Uint8Array(2);
/** Whether each member's value holds a token JSON.parse reads differently from Python. */
const memberSpecial = new Uint8Array(2);
/**
 * The args readAction last built, in the pass that validated it: the last `args`
 * member's value when that is an object, else undefined.
 */
let builtArgs: JsonObject | undefined;

/** Which action member the key `s[start:end]` (quotes included) names, or -1. */
function memberOf(s: string, start: number, end: number, escaped: boolean): number {
  // An escaped key can still name a member ("action\u005ftype"); decoding it is rare.
  if (escaped) return MEMBER_NAMES.indexOf(JSON.parse(s.slice(start, end)) as (typeof MEMBER_NAMES)[number]);
  // This runs for every top-level key: the length rules out most keys before any character is compared.
  const length = end - start - 2;
  for (let member = 0; member < MEMBER_NAMES.length; member++) {
    const name = MEMBER_NAMES[member] as string;
    if (name.length === length && isNameAt(s, start + 1, name)) return member;
  }
  return -1;
}

function isNameAt(s: string, at: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) if (s.charCodeAt(at + i) !== name.charCodeAt(i)) return false;
  return true;
}

/**
 * Reads the object whose `{` is at `pos`, in one pass: validates all of it, builds args
 * (when an object) as it validates it, and notes where action_type and target are.
 * Returns the index just past its `}`, or -1 when no JSON object starts there. Reading
 * stops at the first character no object can continue with.
 */
function readAction(s: string, pos: number): number {
  memberStart[ACTION_TYPE] = -1;
  memberStart[TARGET] = -1;
  builtArgs = undefined;
  let c = s.charCodeAt(++pos);
  while (isJsonSpace(c)) c = s.charCodeAt(++pos);
  if (c === CLOSE_BRACE) return pos + 1;
  for (;;) {
    const keyStart = pos;
    pos = validateKey(s, pos);
    if (pos < 0) return -1;
    const member = memberOf(s, keyStart, keyEnd, keyEscaped);
    pos = member === ARGS ? readArgsMember(s, pos) : readMember(s, pos, member);
    if (pos < 0) return -1;
    c = s.charCodeAt(pos);
    while (isJsonSpace(c)) c = s.charCodeAt(++pos);
    if (c === CLOSE_BRACE) return pos + 1;
    if (c !== COMMA) return failAtChar(pos, -1);
    c = s.charCodeAt(++pos);
    while (isJsonSpace(c)) c = s.charCodeAt(++pos);
  }
}

/** Validates the value of a top-level member at `pos`, noting its span when it is action_type or target. */
function readMember(s: string, pos: number, member: number): number {
  special = false;
  const end = validateValue(s, pos, 1);
  if (end >= 0 && member >= 0) {
    memberStart[member] = pos;
    memberEnd[member] = end;
    // Meaningful only for a string, for which it is that string's own flag.
    memberEscaped[member] = stringEscaped ? 1 : 0;
    memberSpecial[member] = special ? 1 : 0;
  }
  return end;
}

/** Reads the value of an `args` member at `pos`: built when an object, else only validated. */
function readArgsMember(s: string, pos: number): number {
  if (s.charCodeAt(pos) === OPEN_BRACE) return readArgs(s, pos);
  builtArgs = undefined;
  special = false;
  return validateValue(s, pos, 1);
}

/**
 * Builds the args object whose `{` is at `pos` as it validates it (into builtArgs);
 * returns the index just past its `}`, or -1. Its members' values are built from their
 * spans, each right after it is validated: no second pass over the args.
 */
function readArgs(s: string, pos: number): number {
  const args: JsonObject = {};
  let c = s.charCodeAt(++pos);
  while (isJsonSpace(c)) c = s.charCodeAt(++pos);
  if (c !== CLOSE_BRACE) {
    for (;;) {
      const keyStart = pos;
      pos = validateKey(s, pos);
      if (pos < 0) return -1;
      const key = stringAt(s, keyStart, keyEnd, keyEscaped);
      const valueStart = pos;
      special = false;
      // The top-level object and args are the two levels open around the value.
      pos = validateValue(s, pos, 2);
      if (pos < 0) return -1;
      setOwn(args, key, valueAt(s, valueStart, pos, stringEscaped, special));
      c = s.charCodeAt(pos);
      while (isJsonSpace(c)) c = s.charCodeAt(++pos);
      if (c === CLOSE_BRACE) break;
      if (c !== COMMA) return failAtChar(pos, -1);
      c = s.charCodeAt(++pos);
      while (isJsonSpace(c)) c = s.charCodeAt(++pos);
    }
  }
  builtArgs = args;
  return pos + 1;
}

/** The action members readAction just read from `s`. */
function recordedFields(s: string): ActionFields {
  return {
    actionType: memberString(s, ACTION_TYPE),
    target: memberValue(s, TARGET),
    targetLiteral: sourceOfNonString(s, TARGET),
    args: builtArgs,
  };
}

function memberString(s: string, member: number): string | undefined {
  const start = memberStart[member] ?? -1;
  if (start < 0 || s.charCodeAt(start) !== QUOTE) return undefined;
  return stringAt(s, start, memberEnd[member] ?? start, memberEscaped[member] === 1);
}

function memberValue(s: string, member: number): JsonValue | undefined {
  const start = memberStart[member] ?? -1;
  if (start < 0) return undefined;
  return valueAt(s, start, memberEnd[member] ?? start, memberEscaped[member] === 1, memberSpecial[member] === 1);
}

/** The member's source text when its value is a number, a list or an object. */
function sourceOfNonString(s: string, member: number): string | undefined {
  const start = memberStart[member] ?? -1;
  if (start < 0) return undefined;
  const c = s.charCodeAt(start);
  const isNumber = c === MINUS || isDigit(c) || c === 0x4e || c === 0x49;
  return isNumber || c === OPEN_BRACE || c === OPEN_BRACKET ? s.slice(start, memberEnd[member]) : undefined;
}

/**
 * The action members of the JSON object `text[start:end]`, or undefined when it is
 * not valid JSON or not an object. This is the hot path for every candidate, accepted
 * or rejected: one validating pass in JavaScript that builds args as it goes and notes
 * where action_type and target are, which are then built alone.
 */
export function decodeActionFields(text: string, start = 0, end = text.length): ActionFields | undefined {
  const s = start === 0 && end === text.length ? text : text.slice(start, end);
  const open = objectStart(s);
  if (open < 0) return undefined;
  let pos = readAction(s, open);
  if (pos < 0) return undefined;
  while (isJsonSpace(s.charCodeAt(pos))) pos++;
  return pos === s.length ? recordedFields(s) : undefined;
}

/** An object read in place from a longer text: its action members and the index just past its `}`. */
export interface FieldsAt {
  readonly fields: ActionFields;
  readonly start: number;
  readonly end: number;
}

/**
 * The object that starts at the `{` at `text[start]`, read in place: its members and
 * where it ends, or undefined when no JSON object starts there. `text[start:end]` is
 * then exactly what `decodeActionFields` accepts, and it is also the top-level balanced
 * block that starts at `start` (while a prefix is valid JSON, strings and braces are
 * where the balanced scanner sees them), so the scanner can accept the block in the pass
 * that finds it. Reading stops at the first character no object can continue with,
 * which is never past the end of that balanced block.
 */
export function decodeActionFieldsAt(text: string, start: number): FieldsAt | undefined {
  if (text.charCodeAt(start) !== OPEN_BRACE) return undefined;
  const end = readAction(text, start);
  return end < 0 ? undefined : { fields: recordedFields(text), start, end };
}

/**
 * Python `json.loads(text[start:end])`, as a result value instead of an exception:
 * validated without allocating, then built by the native JSON.parse wherever it reads
 * the text as Python does. `at` (on failure) is the offset in `text` where reading stopped.
 */
export function decodePythonJson(text: string, start = 0, end = text?.length): JsonDecodeResult {
  if (typeof text !== "string") return { ok: false, at: 0 };
  if (!Number.isInteger(start) || !Number.isInteger(end)) throw new TypeError("decodePythonJson: start and end must be integer offsets");
  const s = start === 0 && end === text.length ? text : text.slice(start, end);
  const verdict = validate(s);
  if (verdict === VALID) return { ok: true, value: JSON.parse(s) as JsonValue };
  const outcome = scan(s, 0, s.length, verdict === VALID_SPECIAL);
  return outcome.ok ? { ok: true, value: outcome.value } : { ok: false, at: start + outcome.at };
}
