/**
 * Python number formatting and `int()` conversion, exactly as CPython 3.11 does them.
 */
import { isPySpace, lastAtOrBefore } from "./python-text.js";

/** Python's text for an integer-valued double: every digit, never exponent form. */
export function integerText(value: number): string {
  return Math.abs(value) < 1e21 ? value.toFixed(0) : BigInt(value).toString();
}

/** Python `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const [mantissa = "", exponentText = "0"] = value.toExponential().split("e");
  const sign = value < 0 ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const magnitude = String(Math.abs(exponent)).padStart(2, "0");
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? "-" : "+"}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits}${"0".repeat(exponent + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** Python `str(n)` for a number read from JSON: a safe integer is an int, anything else a float. */
export function pyNumberText(value: number): string {
  return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : pyFloatRepr(value);
}

function roundHalfEven(magnitude: number): number {
  if (magnitude >= 2 ** 52) return magnitude;
  const floor = Math.floor(magnitude);
  const rest = magnitude - floor; // exact below 2**52
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Python `format(value, ".0f")`: half to even on the exact binary value, sign of -0 kept. */
export function formatFixed0(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  const negative = value < 0 || Object.is(value, -0);
  return (negative ? "-" : "") + integerText(roundHalfEven(Math.abs(value)));
}

/** Python `format(value, ".0%")`: multiplied by 100 as a double, then `.0f`, then `%`. */
export function formatPercent0(value: number): string {
  return `${formatFixed0(value * 100)}%`;
}

/**
 * First code points of each run of ten Unicode decimal digits (Numeric_Type=Decimal),
 * as of Unicode 14.0, the database of CPython 3.11. `int()` reads all of them.
 */
const DECIMAL_ZEROS = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0,
  0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620,
  0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0,
  0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60,
  0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

/** The decimal value of a Unicode digit, or -1. */
export function decimalDigitValue(code: number): number {
  const offset = code - (DECIMAL_ZEROS[lastAtOrBefore(DECIMAL_ZEROS, code)] ?? 0);
  return offset >= 0 && offset < 10 ? offset : -1;
}

/** CPython refuses to convert integer strings longer than this (sys.int_info.default_max_str_digits). */
export const MAX_INT_DIGITS = 4300;

const SPACE = 0x20;

/** What pyIntFromString's reader gives past the last code point: no code point is negative. */
const END = -1;

/**
 * CPython first maps non-ASCII whitespace to a space and non-ASCII decimal digits to
 * ASCII, then parses ASCII with C `isspace` (which lacks U+001C-U+001F). Any other code
 * point stays as it is: no rule of the ASCII parse accepts it, so `int()` refuses the text.
 */
function asciiFold(code: number): number {
  if (code < 0x80) return code;
  if (isPySpace(code)) return SPACE;
  const digit = decimalDigitValue(code);
  return digit < 0 ? code : 0x30 + digit;
}

function isAsciiSpace(code: number): boolean {
  return code === SPACE || (code >= 0x09 && code <= 0x0d);
}

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/**
 * Python `int(text)` for a str, or undefined where Python raises ValueError. One pass
 * over the code points that stops as soon as the answer is known, so a string of a
 * million digits costs no more than the first 4,301. Digits past the largest double
 * (about 1.8e308) give undefined too: Python's int holds them, no JavaScript number
 * does, and the key is dropped as for `1e400`.
 */
export function pyIntFromString(text: string): number | undefined {
  /** The current code point, folded to ASCII (END past the last), and the index after it. */
  let code = END;
  let next = 0;
  const read = (): void => {
    if (next >= text.length) {
      code = END;
      return;
    }
    const point = text.codePointAt(next) ?? 0;
    next += point > 0xffff ? 2 : 1;
    code = asciiFold(point);
  };
  read();
  while (isAsciiSpace(code)) read();
  let negative = false;
  if (code === 0x2b || code === 0x2d) {
    negative = code === 0x2d;
    read();
  }
  let digits = "";
  while (isAsciiDigit(code)) {
    if (digits.length === MAX_INT_DIGITS) return undefined;
    digits += String.fromCharCode(code);
    read();
    // An underscore counts only between two digits.
    if (code === 0x5f) {
      read();
      if (!isAsciiDigit(code)) return undefined;
    }
  }
  while (isAsciiSpace(code)) read();
  if (code !== END || digits === "") return undefined;
  const magnitude = Number(digits);
  if (magnitude === Infinity) return undefined;
  return negative && magnitude !== 0 ? -magnitude : magnitude;
}

/**
 * Python `int(value)` for a value read from JSON, or undefined where Python raises
 * (TypeError, ValueError, and OverflowError for ±Infinity, which the reference
 * does not catch: we drop the key instead).
 */
export function pyInt(value: unknown): number | undefined {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return Number.isFinite(value) ? Math.trunc(value) + 0 : undefined;
  if (typeof value === "string") return pyIntFromString(value);
  return undefined;
}
