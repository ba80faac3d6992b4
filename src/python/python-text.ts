/**
 * Python `str` semantics the reference relies on and JavaScript does not share:
 * what counts as whitespace, slicing by code point, and ordering by code point.
 */
import { NOT_PRINTABLE_RANGES } from "./python-printable-table.js";

/**
 * Python's `str.isspace()` set, which is also what `str.strip()` and the regex `\s`
 * use. Unlike JavaScript's `trim()` it includes U+001C-U+001F and U+0085 and leaves
 * the BOM (U+FEFF) alone.
 */
export function isPySpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  if (code === 0x85 || code === 0xa0 || code === 0x1680) return true;
  if (code < 0x2000) return false;
  return (
    code <= 0x200a || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000
  );
}

/** How many of Python's whitespace characters `text` starts with. */
export function pyLeadingSpace(text: string): number {
  let i = 0;
  while (i < text.length && isPySpace(text.charCodeAt(i))) i++;
  return i;
}

/** Where `text.slice(start)` ends once Python's trailing whitespace is stripped (never before `start`). */
export function pyStripEnd(text: string, start: number): number {
  let end = text.length;
  while (end > start && isPySpace(text.charCodeAt(end - 1))) end--;
  return end;
}

/** Python `str.strip()` with no argument. */
export function pyStrip(text: string): string {
  const lo = pyLeadingSpace(text);
  const hi = pyStripEnd(text, lo);
  return lo === 0 && hi === text.length ? text : text.slice(lo, hi);
}

/** True when `text` is empty after Python's `strip()`. */
export function isPyBlank(text: string): boolean {
  return pyLeadingSpace(text) === text.length;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Python `text[:count]`: the first `count` code points (a surrogate pair is one). */
export function codePointPrefix(text: string, count: number): string {
  let i = 0;
  for (let seen = 0; seen < count && i < text.length; seen++) {
    i += isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
  }
  return text.slice(0, i);
}

/**
 * Orders strings by code point, as Python compares `str`. UTF-16 code-unit order
 * (JavaScript's default) puts U+E000-U+FFFF after astral characters.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  // A shared high surrogate just before the difference may pair up in one string only;
  // paired in neither, it is the same lone code point in both, and what follows decides.
  if (i > 0 && isHighSurrogate(a.charCodeAt(i - 1))) {
    const before = (a.codePointAt(i - 1) ?? 0) - (b.codePointAt(i - 1) ?? 0);
    if (before !== 0) return before;
  }
  return (a.codePointAt(i) ?? 0) - (b.codePointAt(i) ?? 0);
}

/**
 * The index of the last of the ascending `starts` that is at most `code` (0 when none
 * is): where a code point falls in a table of ranges.
 */
export function lastAtOrBefore(starts: ArrayLike<number>, code: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= code) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The first and last code points of each range of NOT_PRINTABLE_RANGES, decoded on first use. */
let notPrintable: { readonly starts: Int32Array; readonly ends: Int32Array } | undefined;

function notPrintableRanges(): { readonly starts: Int32Array; readonly ends: Int32Array } {
  if (notPrintable) return notPrintable;
  const ranges = NOT_PRINTABLE_RANGES.split(";");
  const starts = new Int32Array(ranges.length);
  const ends = new Int32Array(ranges.length);
  let end = -1;
  ranges.forEach((range, i) => {
    const [gap = "0", length = "0"] = range.split(",");
    starts[i] = end + 1 + parseInt(gap, 36);
    end = (starts[i] ?? 0) + parseInt(length, 36);
    ends[i] = end;
  });
  notPrintable = { starts, ends };
  return notPrintable;
}

/**
 * Whether Python 3.11's repr() keeps the code point as it is. Its Unicode is 14.0: a
 * character assigned since (printable to the runtime's `\p{…}`, 17.0 in Node 20.20) is
 * unassigned to it, and escaped.
 */
export function isPyPrintable(code: number): boolean {
  const { starts, ends } = notPrintableRanges();
  const i = lastAtOrBefore(starts, code);
  return !((starts[i] ?? 0) <= code && code <= (ends[i] ?? -1));
}

/** What may need an escape in repr(): anything but printable ASCII, quotes and backslash. */
const MAY_NEED_REPR_ESCAPE = /[^\x20-\x7e]|['"\\]/;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}

function reprEscape(code: number): string {
  if (code === 0x09) return "\\t";
  if (code === 0x0a) return "\\n";
  if (code === 0x0d) return "\\r";
  if (code <= 0xff) return `\\x${hex(code, 2)}`;
  if (code <= 0xffff) return `\\u${hex(code, 4)}`;
  return `\\U${hex(code, 8)}`;
}

/** Python `repr(str)`: quotes chosen as Python chooses them, non-printables escaped. */
export function pyReprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  if (!MAY_NEED_REPR_ESCAPE.test(text)) return quote + text + quote;
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (isPyPrintable(code)) out += ch;
    else out += reprEscape(code);
  }
  return out + quote;
}
