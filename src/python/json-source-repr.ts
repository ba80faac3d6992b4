/**
 * Python `str()` of a JSON list or object read from its source text, as the reference
 * sees the value `json.loads` gives: integers keep every digit (a JavaScript number
 * rounds them past 2^53, and prints `1e+16` or `inf` for them), a float stays a float
 * (`1.0`), and a dict keeps Python's order (a repeated key keeps its first place and
 * takes its last value; keys that look like array indices are not moved first).
 */
import { PyText, pyNumberLiteralText, pyRepr } from "./python-value.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

type Container = unknown[] | Map<string, unknown>;

/** The index of the quote closing the string that opens at `open` (`end` when none does: text nobody validated stops here). */
function stringEnd(text: string, open: number, end: number): number {
  let i = open + 1;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i;
    i += c === BACKSLASH ? 2 : 1;
  }
  return end;
}

/** Whether `c` may continue a number or constant: a digit, a letter (`NaN`, `1e5`), `.`, `+` or `-`. */
function continuesNumber(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x2e || c === 0x2b || c === 0x2d;
}

/** The end of the number or constant (`NaN`, `-Infinity`) that starts at `start`. */
function tokenEnd(text: string, start: number, end: number): number {
  let i = start + 1;
  while (i < end && continuesNumber(text.charCodeAt(i))) i++;
  return i;
}

/**
 * `str()` of the value `text[start:end]`, which the Python JSON validator accepted:
 * read into arrays, Maps and Python's scalar texts with an explicit stack (no nesting
 * depth overflows the call stack), then written by pyRepr.
 */
export function pyReprOfJsonSource(text: string, start: number, end: number): string {
  const stack: Container[] = [];
  const keys: string[] = [];
  let root: unknown;
  let expectKey = false;
  const add = (value: unknown): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) root = value;
    else if (Array.isArray(top)) top.push(value);
    else top.set(keys[stack.length - 1] ?? "", value);
  };
  let pos = start;
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const container: Container = c === OPEN_BRACE ? new Map<string, unknown>() : [];
      add(container);
      stack.push(container);
      keys.push("");
      expectKey = c === OPEN_BRACE;
      pos++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop();
      keys.pop();
      expectKey = false;
      pos++;
    } else if (c === COMMA) {
      expectKey = !Array.isArray(stack[stack.length - 1]);
      pos++;
    } else if (c === QUOTE) {
      const close = stringEnd(text, pos, end);
      const literal = text.slice(pos, close + 1);
      const value = literal.includes("\\") ? (JSON.parse(literal) as string) : literal.slice(1, -1);
      if (expectKey) keys[stack.length - 1] = value;
      else add(value);
      expectKey = false;
      pos = close + 1;
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      // true, false, null
      add(c === 0x74 ? true : c === 0x66 ? false : null);
      pos += c === 0x66 ? 5 : 4;
    } else if (c === 0x2d || c === 0x4e || c === 0x49 || (c >= 0x30 && c <= 0x39)) {
      const after = tokenEnd(text, pos, end);
      add(new PyText(pyNumberLiteralText(text.slice(pos, after))));
      pos = after;
    } else {
      // Whitespace and colons separate what the validator already checked.
      pos++;
    }
  }
  return pyRepr(root);
}
