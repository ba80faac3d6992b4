import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeLenient, type LenientDecoded, type LenientDialect } from "../../src/formats/lenient-json.js";
import { specDecodeLenient } from "../../src/formats/lenient-spec.js";
import { decodePythonJson } from "../../src/python/json-dialect.js";
import { anyText, completion, jsonValue } from "../support/arbitraries.js";

/** Value and repairs as one string: key order, -0, NaN and the order of repairs all count. */
function canon(result: LenientDecoded): string {
  return JSON.stringify(result, (_key, value: unknown) => (typeof value === "number" ? { n: Object.is(value, -0) ? "-0" : String(value) } : value));
}

const dialect: fc.Arbitrary<LenientDialect> = fc.record({ python: fc.boolean(), relaxed: fc.boolean(), truncated: fc.boolean() });

/** Building blocks of every construct the dialect (or a cut through it) can meet. */
const BLOCKS = [
  "{", "}", "[", "]", ",", ":", " ", "\n", "\t", "\r", "'", '"', "\\", "\\'", '\\"', "\\n", "\\x41", "\\x4", "\\u00e9", "\\u12",
  "\\U0001F600", "\\UFFFFFFFF", "\\q", "\\\n", "True", "False", "None", "true", "false", "null", "NaN", "Infinity", "-Infinity",
  "Truex", "nullx", "//", "/*", "*/", "// note\n", "/* note */", "0", "-0", "12", "1.5", "1e5", "2E-3", "12.", "1e", "-", "01",
  "a", "$b", "k-1", "_", "action_type", "__proto__", "x y", "😀", "\ud83d", "\ude00", "\x00", "\x1f", "é", "Here:", "```",
];
const blocks = fc.array(fc.constantFrom(...BLOCKS), { maxLength: 30 }).map((parts) => parts.join(""));

/** Which extensions a generated value uses: a model writes in one style, and a value in none of them is strict JSON. */
interface Style {
  readonly comments: boolean;
  readonly python: boolean;
  readonly unquoted: boolean;
  readonly trailing: boolean;
}

const pyStringPart = fc.constantFrom("a", "b c", '"', "\\'", "\\n", "\\t", "\\x41", "\\u00e9", "\\U0001F600", "\\UFFFFFFFF", "\\q", "\\\n", "\\\\", "😀", "\ud800", "\x01", "\r");

function lenientValueIn(style: Style): fc.Arbitrary<string> {
  const ws = style.comments ? fc.constantFrom("", "", " ", "\n  ", "\t", "// c\n", "/* c */", " /* a */ // b\n") : fc.constantFrom("", "", " ", "\n  ", "\t\r");
  const scalar = fc.oneof(
    fc.string({ unit: "binary", maxLength: 6 }).map((text) => JSON.stringify(text)),
    fc.constantFrom('"\\u00e9\\n"', '"a\\/b"', ...(style.python ? ['"it\\\'s"'] : [])),
    ...(style.python ? [fc.array(pyStringPart, { maxLength: 4 }).map((parts) => `'${parts.join("")}'`)] : []),
    fc.constantFrom("true", "false", "null", "NaN", "Infinity", "-Infinity", "0", "-0", "12", "-1.5e3", "3.25", "1E2", ...(style.python ? ["True", "False", "None"] : [])),
    fc.integer().map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  );
  const key = fc.oneof(
    fc.string({ unit: "binary", maxLength: 5 }).map((text) => JSON.stringify(text)),
    fc.constantFrom('"__proto__"', '"action_type"'),
    ...(style.python ? [fc.constantFrom("'k'", "'it\\'s'")] : []),
    ...(style.unquoted ? [fc.constantFrom("action_type", "$x", "_a-b", "True", "__proto__")] : []),
  );
  const comma = fc.tuple(ws, ws).map(([a, b]) => `${a},${b}`);
  const trailing = style.trailing ? fc.boolean() : fc.constant(false);
  return fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("array"), tie("object")),
    array: fc
      .tuple(ws, fc.array(tie("value"), { maxLength: 4 }), comma, trailing, ws)
      .map(([open, items, sep, extra, close]) => `[${open}${items.join(sep)}${extra && items.length > 0 ? "," : ""}${close}]`),
    object: fc
      .tuple(ws, fc.array(fc.tuple(key, ws, ws, tie("value")), { maxLength: 4 }), comma, trailing, ws)
      .map(([open, members, sep, extra, close]) => {
        const body = members.map(([k, before, after, v]) => `${k}${before}:${after}${v}`).join(sep);
        return `{${open}${body}${extra && members.length > 0 ? "," : ""}${close}}`;
      }),
  })).value as fc.Arbitrary<string>;
}

/** Values written the ways models write them: quotes of both kinds, comments, trailing commas, unquoted keys. */
const lenientValue = fc.record({ comments: fc.boolean(), python: fc.boolean(), unquoted: fc.boolean(), trailing: fc.boolean() }).chain(lenientValueIn);

/** A lenient value as it reaches the decoder: whole, cut anywhere, with junk spliced in, or chatter around it. */
const container = lenientValue.filter((text) => text.startsWith("{") || text.startsWith("["));
const candidate = fc.oneof(
  { arbitrary: lenientValue, weight: 2 },
  { arbitrary: container.chain((text) => fc.nat({ max: text.length }).map((cut) => text.slice(0, cut))), weight: 3 },
  {
    arbitrary: fc.tuple(container, fc.nat(), fc.oneof(blocks, anyText)).map(([text, at, junk]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + junk + text.slice(i);
    }),
    weight: 2,
  },
  fc.tuple(fc.constantFrom("", " ", "\n", "/* c */"), lenientValue, fc.constantFrom("", " ", "// c", "/* c")).map((parts) => parts.join("")),
  fc.tuple(lenientValue, fc.constantFrom("junk", " {", "}", "]", ",", " x")).map((parts) => parts.join("")),
  blocks,
  completion,
  anyText,
);

describe("the lenient scanner agrees with grammar/lenient.peggy", () => {
  it("on building blocks, lenient values, cut and spliced values, completions and any text", () => {
    fc.assert(
      fc.property(candidate, dialect, (text, options) => {
        expect(canon(decodeLenient(text, 0, text.length, options))).toBe(canon(specDecodeLenient(text, 0, text.length, options)));
      }),
    );
  });

  it("on a span inside a longer text, reading nothing outside it", () => {
    fc.assert(
      fc.property(fc.oneof(blocks, anyText), candidate, fc.oneof(blocks, anyText), dialect, (before, text, after, options) => {
        const whole = before + text + after;
        const scanned = decodeLenient(whole, before.length, before.length + text.length, options);
        expect(canon(scanned)).toBe(canon(specDecodeLenient(text, 0, text.length, options)));
      }),
    );
  });

  it("on nesting near the limit, in brackets of both kinds", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("[", "{'k': ", "{a: "), { minLength: 990, maxLength: 1010 }), fc.constantFrom("1", "'x'", ""), dialect, (opens, leaf, options) => {
        const closes = opens.map((open) => (open === "[" ? "]" : "}")).reverse();
        const text = opens.join("") + leaf + closes.join("");
        expect(canon(decodeLenient(text, 0, text.length, options))).toBe(canon(specDecodeLenient(text, 0, text.length, options)));
      }),
      { numRuns: Math.min(20, fc.readConfigureGlobal().numRuns ?? 20) },
    );
  });
});

/**
 * Whether `partial` is `full` closed after some complete member: its members are members
 * of `full`, equal but for at most one (the last written), which is such a prefix itself.
 * (Objects are compared by key: integer-like keys do not keep their written order.)
 */
function isClosedPrefix(partial: unknown, full: unknown): boolean {
  if (Array.isArray(partial) && Array.isArray(full)) {
    if (partial.length > full.length) return false;
    return partial.every((item, i) => (i < partial.length - 1 ? canonValue(item) === canonValue(full[i]) : isClosedPrefix(item, full[i])));
  }
  if (isObject(partial) && isObject(full)) {
    const keys = Object.keys(partial);
    if (keys.some((k) => !Object.hasOwn(full, k))) return false;
    const differing = keys.filter((k) => canonValue(partial[k]) !== canonValue(full[k]));
    return differing.length === 0 || (differing.length === 1 && isClosedPrefix(partial[differing[0] ?? ""], full[differing[0] ?? ""]));
  }
  return canonValue(partial) === canonValue(full);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function canonValue(value: unknown): string {
  return canon({ ok: true, value: value as never });
}

describe("the lenient dialect keeps its promises", () => {
  it("reads strict JSON exactly as json.loads does, with no repair, whatever the extensions", () => {
    fc.assert(
      fc.property(jsonValue, fc.constantFrom(undefined, 2), fc.boolean(), fc.boolean(), (value, indent, python, relaxed) => {
        const text = JSON.stringify(value, null, indent);
        const strict = decodePythonJson(text);
        expect(canon(decodeLenient(text, 0, text.length, { python, relaxed, truncated: false }))).toBe(canon({ ok: true, value: strict.ok ? strict.value : undefined, repairs: [] }));
      }),
    );
  });

  it("closes a document cut anywhere after its last complete member, never inventing one", () => {
    fc.assert(
      fc.property(jsonValue.filter((v) => typeof v === "object" && v !== null), fc.nat(), (value, at) => {
        const text = JSON.stringify(value);
        const cut = text.slice(0, at % (text.length + 1));
        const result = decodeLenient(cut, 0, cut.length, { python: false, relaxed: false, truncated: true });
        if (cut.length === text.length) expect(canonValue(result.value)).toBe(canonValue(value));
        if (result.ok) expect(isClosedPrefix(result.value, value)).toBe(true);
        else expect(cut.trim()).toBe("");
      }),
    );
  });
});
