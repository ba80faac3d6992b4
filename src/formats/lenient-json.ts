/**
 * The lenient JSON dialect (Python literals, relaxed JSON, truncation), read in one
 * forward pass: no recursion (containers live on an explicit stack), no exception, no
 * regular expression, and each character looked at a bounded number of times, so any
 * text decodes in linear time. `grammar/lenient.peggy` is the specification; property
 * tests hold this scanner to it, value and repairs alike (src/formats/lenient-spec.ts).
 *
 * The scanner follows the grammar's PEG reading step by step. Three of its consequences
 * shape the code:
 * - A member that fails to read fails the whole text, except under truncation, where
 *   its container is closed where the text ends and every container around it too.
 * - Repairs are noted as rules match, even inside a member truncation then drops.
 * - A trailing comma is looked for only after the next member failed to start.
 */
import type { JsonObject, JsonValue } from "../model/types.js";
import { MAX_NESTING, setOwn } from "../python/json-dialect.js";
import { MAX_INT_DIGITS } from "../python/python-number.js";

/** The extensions to read with (each a format of the same name). */
export interface LenientDialect {
  readonly python: boolean;
  readonly relaxed: boolean;
  readonly truncated: boolean;
}

/** The repairs the dialect names, as parseActionDetailed reports them. */
export type LenientRepair =
  | "single_quotes"
  | "python_constants"
  | "trailing_comma"
  | "comment"
  | "unquoted_key"
  | "closed_truncated_value"
  | "dropped_incomplete_member";

/** What the dialect makes of one text: the value and the repairs it took, in the order first made. */
export interface LenientDecoded {
  readonly ok: boolean;
  readonly value?: JsonValue;
  readonly repairs?: readonly LenientRepair[];
}

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const DOLLAR = 0x24;
const APOSTROPHE = 0x27;
const STAR = 0x2a;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const UNDERSCORE = 0x5f;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

const ARRAY = 0;
const OBJECT = 1;

/** A value that failed to read. */
const FAILED = Symbol("failed");
/** A container that opened: its members come next. */
const OPENED = Symbol("opened");

const NOT_OK: LenientDecoded = Object.freeze({ ok: false });

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isLetter(c: number): boolean {
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

/** `[A-Za-z0-9_]`: a constant followed by one of these is a longer word. */
function isIdentChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === UNDERSCORE;
}

/** `[0-9.eE+-]`: what could still follow a number the text was cut in. */
function isNumberChar(c: number): boolean {
  return isDigit(c) || c === DOT || (c | 0x20) === 0x65 || c === PLUS || c === MINUS;
}

function hexValue(c: number): number {
  if (isDigit(c)) return c - ZERO;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** The value of the `digits` hex digits at `s[at]`, or -1 when they are not all hex digits before `end`. */
function hexAt(s: string, at: number, digits: number, end: number): number {
  if (at + digits > end) return -1;
  let value = 0;
  for (let i = at; i < at + digits; i++) {
    const digit = hexValue(s.charCodeAt(i));
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** Python's one-character escapes, by the character after the backslash (-1: none, -2: a line continuation). */
const PY_ESCAPE = new Int32Array(128).fill(-1);
for (const [escape, code] of [
  ["n", LF],
  ["t", TAB],
  ["r", CR],
  ["b", 0x08],
  ["f", 0x0c],
  ["v", 0x0b],
  ["a", 0x07],
  ["0", 0x00],
  ["\\", BACKSLASH],
  ["'", APOSTROPHE],
  ['"', QUOTE],
] as const) {
  PY_ESCAPE[escape.charCodeAt(0)] = code;
}
PY_ESCAPE[LF] = -2;

/** JSON's one-character escapes, by the character after the backslash (-1: none). */
const JSON_ESCAPE = new Int32Array(128).fill(-1);
for (const [escape, code] of [
  ['"', QUOTE],
  ["\\", BACKSLASH],
  ["/", SLASH],
  ["b", 0x08],
  ["f", 0x0c],
  ["n", LF],
  ["r", CR],
  ["t", TAB],
] as const) {
  JSON_ESCAPE[escape.charCodeAt(0)] = code;
}

function escapeOf(table: Int32Array, c: number): number {
  return c < 128 ? (table[c] ?? -1) : -1;
}

/**
 * Decoded string contents, built in a fixed buffer flushed to a string every CHUNK code
 * units: millions of escapes cost a few hundred strings, not a rope of millions.
 */
const CHUNK = 4096;
const chunkBuffer = new Uint16Array(CHUNK);
let chunkLength = 0;
let chunks: string[] = [];

function flushChunk(): void {
  chunks.push(String.fromCharCode.apply(null, chunkBuffer.subarray(0, chunkLength) as unknown as number[]));
  chunkLength = 0;
}

function pushUnit(unit: number): void {
  if (chunkLength === CHUNK) flushChunk();
  chunkBuffer[chunkLength++] = unit;
}

function takeChunks(): string {
  flushChunk();
  const out = chunks.length === 1 ? (chunks[0] ?? "") : chunks.join("");
  chunks = [];
  return out;
}

/** The contents of the Python string literal `s[open..close]` (quotes at both ends), escapes decoded. */
function decodePythonString(s: string, open: number, close: number): string {
  for (let i = open + 1; i < close; ) {
    const c = s.charCodeAt(i);
    if (c !== BACKSLASH) {
      pushUnit(c);
      i++;
      continue;
    }
    const e = s.charCodeAt(i + 1);
    const hexDigits = e === 0x78 ? 2 : e === 0x75 ? 4 : e === 0x55 ? 8 : 0;
    const code = hexDigits === 0 ? -1 : hexAt(s, i + 2, hexDigits, close);
    if (code >= 0 && code <= 0x10ffff) {
      if (code > 0xffff) {
        pushUnit(0xd800 + ((code - 0x10000) >> 10));
        pushUnit(0xdc00 + ((code - 0x10000) & 0x3ff));
      } else {
        pushUnit(code);
      }
      i += 2 + hexDigits;
      continue;
    }
    const simple = escapeOf(PY_ESCAPE, e);
    if (simple >= 0) {
      pushUnit(simple);
    } else if (simple === -1) {
      // An escape Python rejects stays as written.
      pushUnit(BACKSLASH);
      pushUnit(e);
    }
    i += 2;
  }
  return takeChunks();
}

/** The contents of a JSON string literal that uses Python's `\'` escape. */
function decodeJsonStringWithApostrophes(s: string, open: number, close: number): string {
  for (let i = open + 1; i < close; ) {
    const c = s.charCodeAt(i);
    if (c !== BACKSLASH) {
      pushUnit(c);
      i++;
      continue;
    }
    const e = s.charCodeAt(i + 1);
    if (e === 0x75) {
      pushUnit(hexAt(s, i + 2, 4, close));
      i += 6;
    } else {
      pushUnit(e === APOSTROPHE ? APOSTROPHE : escapeOf(JSON_ESCAPE, e));
      i += 2;
    }
  }
  return takeChunks();
}

/** Python reads the integer -0 as 0. */
function numberValue(literal: string, isFloat: boolean): number {
  return isFloat ? Number(literal) : Number(literal) + 0;
}

/**
 * The grammar's Lenient rule with an explicit stack. One instance serves every decode
 * (nothing here re-enters it), so a rejected candidate allocates almost nothing.
 */
class LenientScanner {
  private s = "";
  private end = 0;
  private python = false;
  private relaxed = false;
  private truncated = false;
  /** Position after the scalar or key just read. */
  private pos = 0;
  private repairMask = 0;
  private repairs: LenientRepair[] | undefined;
  /** No `*` `/` occurs at or after this position (an unclosed comment is looked for once). */
  private noCommentCloseFrom = Infinity;

  /** The open containers, innermost last: kind, value so far, and the key of the member being read. */
  private readonly kinds: number[] = [];
  private readonly containers: (JsonValue[] | JsonObject | null)[] = [];
  private readonly keys: string[] = [];
  /**
   * Where the innermost container goes on when its next member fails to read: the comma
   * before that member, or the member itself when it is the first.
   */
  private resume = 0;

  /** Reads `s` whole; the stacks are emptied again before it returns, so no value stays reachable. */
  decode(s: string, dialect: LenientDialect): LenientDecoded {
    this.s = s;
    this.end = s.length;
    this.python = dialect.python;
    this.relaxed = dialect.relaxed;
    this.truncated = dialect.truncated;
    this.repairMask = 0;
    this.repairs = undefined;
    this.noCommentCloseFrom = Infinity;
    try {
      return this.scan();
    } finally {
      // Only a failed or cut decode leaves containers open.
      // Popped one by one: setting an array's length is a runtime call, dearer than a few pops.
      const { kinds, containers, keys } = this;
      while (kinds.length !== 0) {
        kinds.pop();
        containers.pop();
        keys.pop();
      }
      this.s = "";
    }
  }

  private repair(code: LenientRepair, bit: number): void {
    if ((this.repairMask & bit) !== 0) return;
    this.repairMask |= bit;
    (this.repairs ??= []).push(code);
  }

  /** Ws: JSON whitespace, and comments when relaxed. */
  private skipWs(pos: number): number {
    const { s } = this;
    for (;;) {
      const c = s.charCodeAt(pos);
      if (c === SPACE || c === LF || c === CR || c === TAB) {
        pos++;
        continue;
      }
      if (c !== SLASH || !this.relaxed) return pos;
      const next = s.charCodeAt(pos + 1);
      if (next === SLASH) {
        // repair: comment
        const newline = s.indexOf("\n", pos + 2);
        pos = newline < 0 ? this.end : newline;
      } else if (next === STAR) {
        // repair: comment (an unclosed one is not a comment)
        const close = this.commentClose(pos + 2);
        if (close < 0) return pos;
        pos = close + 2;
      } else {
        return pos;
      }
      this.repair("comment", 1);
    }
  }

  private commentClose(from: number): number {
    if (from >= this.noCommentCloseFrom) return -1;
    const close = this.s.indexOf("*/", from);
    if (close < 0) this.noCommentCloseFrom = from;
    return close;
  }

  private scan(): LenientDecoded {
    const { s, end, kinds, containers, keys } = this;
    let at = this.skipWs(0);
    for (;;) {
      let value: JsonValue | typeof FAILED | typeof OPENED = this.readValue(at);
      let after = this.pos;
      if (value === OPENED) {
        const first = this.skipWs(at + 1);
        this.resume = first;
        at = kinds[kinds.length - 1] === OBJECT ? this.readMemberHead(first) : first;
        if (at >= 0) continue;
        value = FAILED;
      }
      if (value === FAILED) {
        if (kinds.length === 0) return NOT_OK;
        after = this.closeAfter(this.resume);
        if (after < 0) return NOT_OK;
        value = this.pop();
      }
      // A value is complete at `after`: hand it to its container, closing containers as they end.
      for (;;) {
        const top = kinds.length - 1;
        if (top < 0) {
          const rest = this.skipWs(after);
          if (rest < end) {
            if (!this.truncated) return NOT_OK;
            // repair: dropped_incomplete_member (text after a complete value)
            this.repair("dropped_incomplete_member", 64);
          }
          return { ok: true, value, repairs: this.repairs ?? [] };
        }
        const isObject = kinds[top] === OBJECT;
        let container = containers[top] as (JsonValue[] & JsonObject) | null;
        if (container === null) {
          container = (isObject ? {} : []) as JsonValue[] & JsonObject;
          containers[top] = container;
        }
        if (isObject) setOwn(container, keys[top] ?? "", value);
        else container.push(value);
        const next = this.skipWs(after);
        if (s.charCodeAt(next) === COMMA) {
          this.resume = next;
          const item = this.skipWs(next + 1);
          at = isObject ? this.readMemberHead(item) : item;
          if (at >= 0) break;
          after = this.closeAfter(next);
        } else {
          after = this.closeAfter(next);
        }
        if (after < 0) return NOT_OK;
        value = this.pop();
      }
    }
  }

  private pop(): JsonValue {
    const kind = this.kinds.pop();
    this.keys.pop();
    return this.containers.pop() ?? (kind === OBJECT ? {} : []);
  }

  /**
   * The end of the innermost container, whose members stopped at `q` (after whitespace):
   * its closing bracket, perhaps after a trailing comma; or, truncated, the end of the
   * text. -1 when it cannot close.
   */
  private closeAfter(q: number): number {
    const { s } = this;
    if (this.relaxed && s.charCodeAt(q) === COMMA) {
      const r = this.skipWs(q + 1);
      const c = s.charCodeAt(r);
      if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        // repair: trailing_comma (either bracket: the wrong one then fails to close)
        this.repair("trailing_comma", 4);
        q = r;
      }
    }
    const close = this.kinds[this.kinds.length - 1] === OBJECT ? CLOSE_BRACE : CLOSE_BRACKET;
    if (s.charCodeAt(q) === close) return q + 1;
    if (!this.truncated) return -1;
    // repair: dropped_incomplete_member
    if (q < this.end) this.repair("dropped_incomplete_member", 64);
    // repair: closed_truncated_value
    this.repair("closed_truncated_value", 32);
    return this.end;
  }

  /** `Key Ws ":" Ws` at `at`, the key noted for the innermost object; the value's position, or -1. */
  private readMemberHead(at: number): number {
    const key = this.readKey(at);
    if (key === undefined) return -1;
    const colon = this.skipWs(this.pos);
    if (this.s.charCodeAt(colon) !== COLON) return -1;
    this.keys[this.keys.length - 1] = key;
    return this.skipWs(colon + 1);
  }

  private readKey(at: number): string | undefined {
    const c = this.s.charCodeAt(at);
    if (c === QUOTE) return this.readJsonString(at);
    if (c === APOSTROPHE) return this.python ? this.readPythonString(at) : undefined;
    if (!this.relaxed || !(isLetter(c) || c === UNDERSCORE || c === DOLLAR)) return undefined;
    let i = at + 1;
    for (let d = this.s.charCodeAt(i); isIdentChar(d) || d === DOLLAR || d === MINUS; d = this.s.charCodeAt(++i));
    // repair: unquoted_key
    this.repair("unquoted_key", 16);
    this.pos = i;
    return this.s.slice(at, i);
  }

  /** The value at `at` (its end in `pos`), OPENED for a container now on the stack, or FAILED. */
  private readValue(at: number): JsonValue | typeof FAILED | typeof OPENED {
    const { s } = this;
    const c = s.charCodeAt(at);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (this.kinds.length === MAX_NESTING) return FAILED;
      const isObject = c === OPEN_BRACE;
      this.kinds.push(isObject ? OBJECT : ARRAY);
      // Built when its first member is: a container that fails at once costs no allocation.
      this.containers.push(null);
      this.keys.push("");
      return OPENED;
    }
    if (c === QUOTE) return this.readJsonString(at) ?? FAILED;
    if (c === APOSTROPHE) return this.python ? (this.readPythonString(at) ?? FAILED) : FAILED;
    if (c === MINUS || isDigit(c)) {
      if (c === MINUS && this.word(at, "-Infinity")) return -Infinity;
      return this.readNumber(at);
    }
    if (this.word(at, "true")) return true;
    if (this.word(at, "false")) return false;
    if (this.word(at, "null")) return null;
    if (this.word(at, "NaN")) return Number.NaN;
    if (this.word(at, "Infinity")) return Infinity;
    if (!this.python) return FAILED;
    let constant: JsonValue | typeof FAILED = FAILED;
    if (this.word(at, "True")) constant = true;
    else if (this.word(at, "False")) constant = false;
    else if (this.word(at, "None")) constant = null;
    // repair: python_constants
    if (constant !== FAILED) this.repair("python_constants", 2);
    return constant;
  }

  /** Whether `word` is at `at` and not followed by an identifier character (its end in `pos`). */
  private word(at: number, word: string): boolean {
    if (!this.s.startsWith(word, at) || isIdentChar(this.s.charCodeAt(at + word.length))) return false;
    this.pos = at + word.length;
    return true;
  }

  private readNumber(at: number): number | typeof FAILED {
    const { s } = this;
    let i = at;
    if (s.charCodeAt(i) === MINUS) i++;
    const intStart = i;
    const first = s.charCodeAt(i);
    if (first === ZERO) i++;
    else if (isDigit(first)) while (isDigit(s.charCodeAt(i))) i++;
    else return FAILED;
    const intEnd = i;
    let isFloat = false;
    if (s.charCodeAt(i) === DOT && isDigit(s.charCodeAt(i + 1))) {
      i += 2;
      while (isDigit(s.charCodeAt(i))) i++;
      isFloat = true;
    }
    if ((s.charCodeAt(i) | 0x20) === 0x65) {
      let j = i + 1;
      const sign = s.charCodeAt(j);
      if (sign === PLUS || sign === MINUS) j++;
      if (isDigit(s.charCodeAt(j))) {
        while (isDigit(s.charCodeAt(j))) j++;
        i = j;
        isFloat = true;
      }
    }
    if (this.truncated) {
      // A number the text ends in, or in the middle of, may have been cut short.
      let rest = i;
      while (isNumberChar(s.charCodeAt(rest))) rest++;
      if (rest === this.end) return FAILED;
    }
    if (!isFloat && intEnd - intStart > MAX_INT_DIGITS) return FAILED;
    this.pos = i;
    return numberValue(s.slice(at, i), isFloat);
  }

  /** A double-quoted string at `at` (its end in `pos`); `\'` is an escape too when python. */
  private readJsonString(at: number): string | undefined {
    const { s } = this;
    let escaped = false;
    let apostrophe = false;
    let i = at + 1;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        const e = s.charCodeAt(i + 1);
        if (escapeOf(JSON_ESCAPE, e) >= 0) {
          i += 2;
        } else if (e === 0x75 && hexAt(s, i + 2, 4, this.end) >= 0) {
          i += 6;
        } else if (e === APOSTROPHE && this.python) {
          apostrophe = true;
          i += 2;
        } else {
          return undefined;
        }
        escaped = true;
      } else if (!(c >= SPACE)) {
        // A control character, or the end of the text.
        return undefined;
      } else {
        i++;
      }
    }
    this.pos = i + 1;
    if (!escaped) return s.slice(at + 1, i);
    if (apostrophe) return decodeJsonStringWithApostrophes(s, at, i);
    // A validated JSON string literal: the native parser decodes it exactly.
    return JSON.parse(s.slice(at, i + 1)) as string;
  }

  /** A single-quoted Python string at `at` (its end in `pos`), noting the repair. */
  private readPythonString(at: number): string | undefined {
    const { s } = this;
    let escaped = false;
    let i = at + 1;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === APOSTROPHE) break;
      if (c === BACKSLASH) {
        // Every escape is a backslash and one more character; hex digits that follow are plain.
        if (i + 1 >= this.end) return undefined;
        escaped = true;
        i += 2;
      } else if (c === LF || Number.isNaN(c)) {
        return undefined;
      } else {
        i++;
      }
    }
    // repair: single_quotes
    this.repair("single_quotes", 8);
    this.pos = i + 1;
    return escaped ? decodePythonString(s, at, i) : s.slice(at + 1, i);
  }
}

/**
 * `text[start:end]` read in the lenient JSON dialect with the given extensions:
 * `{ ok: true, value, repairs }`, or `{ ok: false }` when the dialect does not read it.
 * Never throws; linear time at any size and any nesting (deeper than 1,000 levels is
 * rejected as the strict decoder rejects it, or under truncation cut there).
 *
 * @example
 * decodeLenient("{'a': True,}", 0, 12, { python: true, relaxed: true, truncated: false });
 * // { ok: true, value: { a: true }, repairs: ["single_quotes", "python_constants", "trailing_comma"] }
 */
export function decodeLenient(text: string, start: number, end: number, dialect: LenientDialect): LenientDecoded {
  // A slice keeps every search (a comment's end, a newline) inside the candidate.
  const s = start === 0 && end === text.length ? text : text.slice(start, end);
  return scanner.decode(s, dialect);
}

const scanner = new LenientScanner();
