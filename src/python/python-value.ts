/**
 * Python's view of a JSON value: its truthiness, and its two ways of writing one as
 * text, `json.dumps` (training targets) and `repr` (what `str()` makes of a non-string
 * target or message content). Both writers walk the tree with an explicit stack, so
 * no nesting depth can overflow the call stack.
 */
import { compareCodePoints, pyReprString } from "./python-text.js";
import { pyFloatRepr, pyNumberText } from "./python-number.js";

interface TreeStyle {
  readonly scalar: (value: unknown) => string;
  readonly key: (key: string) => string;
  readonly sortKeys: boolean;
  readonly itemSeparator: string;
  readonly keySeparator: string;
}

interface Frame {
  readonly container: object;
  readonly keys: readonly string[] | null;
  readonly items: readonly unknown[];
  index: number;
}

/**
 * A scalar already spelled as Python writes it: a number kept from its source text, where
 * a JavaScript number would lose its digits or that it was written as a float.
 */
export class PyText {
  constructor(readonly text: string) {}
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null && !(value instanceof PyText);
}

function openFrame(container: object, style: TreeStyle): Frame {
  if (Array.isArray(container)) return { container, keys: null, items: container, index: 0 };
  // A dict in Python's own order, which a JavaScript object cannot keep (index-like keys first).
  if (container instanceof Map) {
    const map = container as Map<string, unknown>;
    const keys = [...map.keys()];
    if (style.sortKeys) keys.sort(compareCodePoints);
    return { container, keys, items: keys.map((key) => map.get(key)), index: 0 };
  }
  const record = container as Record<string, unknown>;
  const keys = Object.keys(record);
  if (style.sortKeys) keys.sort(compareCodePoints);
  return { container, keys, items: keys.map((key) => record[key]), index: 0 };
}

function writeTree(root: unknown, style: TreeStyle): string {
  if (!isContainer(root)) return style.scalar(root);
  const stack: Frame[] = [];
  const open = new Set<object>();
  let out = "";
  const enter = (container: object): void => {
    // Python's json.dumps raises "Circular reference detected"; repr would print "[...]".
    if (open.has(container)) throw new TypeError("cannot serialize a circular structure");
    open.add(container);
    const frame = openFrame(container, style);
    out += frame.keys ? "{" : "[";
    stack.push(frame);
  };
  enter(root);
  for (let frame = stack[stack.length - 1]; frame; frame = stack[stack.length - 1]) {
    if (frame.index === frame.items.length) {
      out += frame.keys ? "}" : "]";
      open.delete(frame.container);
      stack.pop();
      continue;
    }
    const i = frame.index++;
    if (i > 0) out += style.itemSeparator;
    if (frame.keys) out += style.key(frame.keys[i] ?? "") + style.keySeparator;
    const item = frame.items[i];
    if (isContainer(item)) enter(item);
    else out += style.scalar(item);
  }
  return out;
}

const JSON_PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const SHORT_ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: "\\\\", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x08: "\\b", 0x0c: "\\f" };

/** Python `json.dumps(str)` with `ensure_ascii=True`: every unit outside printable ASCII as `\uXXXX`. */
export function pyJsonString(text: string): string {
  if (JSON_PLAIN.test(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const short = SHORT_ESCAPES[unit];
    if (short !== undefined) out += short;
    else if (unit < 0x20 || unit > 0x7e) out += `\\u${unit.toString(16).padStart(4, "0")}`;
    else out += text[i];
  }
  return `${out}"`;
}

function jsonNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  return pyNumberText(value);
}

/** How one way of writing spells each kind of scalar (a bigint is always its digits). */
interface ScalarSpelling {
  readonly string: (text: string) => string;
  readonly number: (value: number) => string;
  readonly true: string;
  readonly false: string;
  /** null, and anything a JSON value cannot hold. */
  readonly none: string;
}

function scalarWriter(spelling: ScalarSpelling): (value: unknown) => string {
  return (value) => {
    if (value instanceof PyText) return value.text;
    switch (typeof value) {
      case "string":
        return spelling.string(value);
      case "number":
        return spelling.number(value);
      case "boolean":
        return value ? spelling.true : spelling.false;
      case "bigint":
        return value.toString();
      default:
        return spelling.none;
    }
  };
}

const jsonScalar = scalarWriter({ string: pyJsonString, number: jsonNumber, true: "true", false: "false", none: "null" });
const reprScalar = scalarWriter({ string: pyReprString, number: pyNumberText, true: "True", false: "False", none: "None" });
/** As JSON.stringify writes scalars: a non-finite number as null. */
const lineScalar = scalarWriter({
  string: (text) => JSON.stringify(text),
  number: (value) => (Number.isFinite(value) ? JSON.stringify(value) : "null"),
  true: "true",
  false: "false",
  none: "null",
});

const JSON_STYLE: TreeStyle = { scalar: jsonScalar, key: pyJsonString, sortKeys: true, itemSeparator: ", ", keySeparator: ": " };
const REPR_STYLE: TreeStyle = { scalar: reprScalar, key: pyReprString, sortKeys: false, itemSeparator: ", ", keySeparator: ": " };
const LINE_STYLE: TreeStyle = {
  scalar: lineScalar,
  key: (key) => JSON.stringify(key),
  sortKeys: false,
  itemSeparator: ",",
  keySeparator: ":",
};

/**
 * Python `json.dumps(value, sort_keys=True)`: keys in code-point order at every depth,
 * `", "` and `": "` separators, ASCII only, NaN and Infinity as Python writes them.
 * A safe integer is written as an int, any other number as a Python float.
 */
export function pyJsonDumpsSorted(value: unknown): string {
  return writeTree(value, JSON_STYLE);
}

/**
 * One compact JSON line, keys in their own order, for JSONL output: byte for byte what
 * JSON.stringify writes (so strict JSON readers take it; a non-finite number becomes
 * null), but at any nesting depth, where JSON.stringify overflows the stack.
 */
export function toJsonLine(value: unknown): string {
  return writeTree(value, LINE_STYLE);
}

/** Python `repr()` of a JSON value (`{'a': [1, True, None]}`). */
export function pyRepr(value: unknown): string {
  return writeTree(value, REPR_STYLE);
}

/** Python `str()` of a JSON value: a string as is, anything else as its repr. */
export function pyStr(value: unknown): string {
  return typeof value === "string" ? value : pyRepr(value);
}

/** Python `str(float(literal))` for a JSON number literal that was written as a float. */
function pyFloatLiteralText(literal: string): string {
  if (literal === "NaN") return "nan";
  if (literal === "Infinity") return "inf";
  if (literal === "-Infinity") return "-inf";
  return pyFloatRepr(Number(literal));
}

/**
 * Python `str()` of the number `json.loads` reads from a JSON number literal: a float's
 * repr when written as one (`2.0`, `1e5`, `NaN`), else the integer's digits, all of them
 * (a JSON integer has no leading zeros or plus sign; `-0` is the int 0).
 */
export function pyNumberLiteralText(literal: string): string {
  if (/[.eEIN]/.test(literal)) return pyFloatLiteralText(literal);
  return literal === "-0" ? "0" : literal;
}

/** Python `bool(value)` for a value read from JSON or handed over by an SDK. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  switch (typeof value) {
    case "boolean":
      return value;
    case "number":
      return value !== 0;
    case "string":
      return value.length > 0;
    case "bigint":
      return value !== 0n;
    case "object":
      if (Array.isArray(value)) return value.length > 0;
      if (value instanceof Map || value instanceof Set) return value.size > 0;
      return Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null
        ? Object.keys(value).length > 0
        : true;
    default:
      return true;
  }
}
