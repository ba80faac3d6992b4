import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAction, parseActionDetailed } from "../../src/index.js";
import { pyReprOfJsonSource } from "../../src/python/json-source-repr.js";
import { pyFloatRepr } from "../../src/python/python-number.js";
import { pyReprString } from "../../src/python/python-text.js";

const targetOf = (json: string) => parseAction(`{"action_type": "noop", "target": ${json}}`, { role: "sre" }).target;

describe("str() of a list or object target, from its source text", () => {
  // Expected texts are Python 3.11's: str(json.loads(text)["target"]).
  it.each([
    // A red-team session found integers past 2^53 in a list printed as floats, or as inf.
    ["[10000000000000000]", "[10000000000000000]"],
    ["[9007199254740992]", "[9007199254740992]"],
    ["[12345678901234567]", "[12345678901234567]"],
    ['{"a":100000000000000000000}', "{'a': 100000000000000000000}"],
    [`[${"9".repeat(400)}]`, `[${"9".repeat(400)}]`],
    ["[1.0]", "[1.0]"],
    ['{"b":1,"1":2}', "{'b': 1, '1': 2}"],
    ['{"a":1,"b":2,"a":3}', "{'a': 3, 'b': 2}"],
    ["[-0, -0.0, 0.0, 1e5, 1E-7, NaN, Infinity, -Infinity]", "[0, -0.0, 0.0, 100000.0, 1e-07, nan, inf, -inf]"],
    ['[{"x": [true, false, null, "it\'s \\"q\\" \\u00e9 \\ud800"]}, {}, []]', `[{'x': [True, False, None, 'it\\'s "q" é \\ud800']}, {}, []]`],
    ['{"": {"": []}}', "{'': {'': []}}"],
    ["[1e400, -1e400, 123456789012345678901234567890.5]", "[inf, -inf, 1.2345678901234568e+29]"],
    ["[ 1 ,\n\t2 ]", "[1, 2]"],
    ['{"k" : "v" , "2": {"10": 1, "9": 2}}', "{'k': 'v', '2': {'10': 1, '9': 2}}"],
  ])("%s → %s", (json, expected) => {
    expect(targetOf(json)).toBe(expected);
    expect(parseActionDetailed(`Sure: {"target": ${json}, "action_type": "noop"}`, { role: "sre", formats: "lenient" }).action.target).toBe(expected);
  });

  it("reads nesting as deep as the decoder allows without recursion", () => {
    const depth = 990;
    expect(targetOf(`${"[".repeat(depth)}1${"]".repeat(depth)}`)).toBe(`${"[".repeat(depth)}1${"]".repeat(depth)}`);
    expect(pyReprOfJsonSource(`${'{"a":'.repeat(5000)}0${"}".repeat(5000)}`, 0, 5000 * 6 + 1)).toBe(`${"{'a': ".repeat(5000)}0${"}".repeat(5000)}`);
  });
});

/** A JSON text and the text Python's str() gives for what json.loads makes of it, built side by side. */
interface Written {
  readonly json: string;
  readonly python: string;
}

const space = fc.constantFrom("", "", " ", "\n", "\t ", "\r\n");
const integer = fc.oneof(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.bigInt({ min: -100n, max: 100n })).map((n): Written => ({ json: String(n), python: String(n) }));
const floatWritten = fc.double({ noNaN: true, noDefaultInfinity: true }).chain((x) =>
  fc.constantFrom(x.toExponential(), Number.isInteger(x) && Math.abs(x) < 1e21 ? `${x.toFixed(0)}.0` : String(x)).map((json): Written => ({ json, python: pyFloatRepr(Number(json)) })),
);
const constant = fc.constantFrom<Written>(
  { json: "true", python: "True" },
  { json: "false", python: "False" },
  { json: "null", python: "None" },
  { json: "NaN", python: "nan" },
  { json: "Infinity", python: "inf" },
  { json: "-Infinity", python: "-inf" },
  { json: "-0", python: "0" },
  { json: "-0.0", python: "-0.0" },
);
const text = fc.oneof(fc.string({ unit: "binary", maxLength: 8 }), fc.constantFrom("0", "1", "10", "a", "it's", 'say "hi"', "\\", "\ud800", "é"));
const stringWritten = text.map((s): Written => ({ json: JSON.stringify(s), python: pyReprString(s) }));

const { value } = fc.letrec<{ value: Written; list: Written; dict: Written }>((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, integer, floatWritten, constant, stringWritten, tie("list"), tie("dict")),
  list: fc.tuple(fc.array(fc.tuple(tie("value"), space), { maxLength: 5 }), space).map(([items, pad]) => ({
    json: `[${pad}${items.map(([item, s]) => item.json + s).join(",")}]`,
    python: `[${items.map(([item]) => item.python).join(", ")}]`,
  })),
  // Keys drawn from a few, so that repeats and index-like keys are common.
  dict: fc.tuple(fc.array(fc.tuple(text, tie("value"), space), { maxLength: 5 }), space).map(([members, pad]) => {
    const python = new Map<string, string>();
    for (const [key, member] of members) python.set(key, member.python);
    return {
      json: `{${pad}${members.map(([key, member, s]) => `${JSON.stringify(key)}${s}:${s}${member.json}${s}`).join(",")}}`,
      python: `{${[...python].map(([key, member]) => `${pyReprString(key)}: ${member}`).join(", ")}}`,
    };
  }),
}));

describe("str() of a target from its source text, property", () => {
  it("is Python's for any list or object: integer digits, floats, repeated and index-like keys", () => {
    fc.assert(
      fc.property(value.filter((w) => /^[[{]/.test(w.json)), (written) => {
        expect(targetOf(written.json)).toBe(written.python);
      }),
    );
  });
});
