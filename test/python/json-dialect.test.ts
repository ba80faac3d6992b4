import { describe, expect, it } from "vitest";
import { decodeActionFields, decodePythonJson } from "../../src/python/json-dialect.js";

function value(text: string): unknown {
  const result = decodePythonJson(text);
  if (!result.ok) throw new Error(`rejected ${text}`);
  return result.value;
}

describe("decodePythonJson (Python json.loads)", () => {
  it("reads NaN, Infinity and -Infinity", () => {
    expect(value("[NaN, Infinity, -Infinity]")).toEqual([NaN, Infinity, -Infinity]);
  });

  it("reads the integer -0 as 0 and the float -0.0 as -0", () => {
    expect(Object.is(value("-0"), 0)).toBe(true);
    expect(Object.is(value("-0.0"), -0)).toBe(true);
    expect(Object.is(value("-1e-400"), -0)).toBe(true);
  });

  it("keeps the first position and the last value of a duplicate key", () => {
    const parsed = value('{"a": 1, "b": 2, "a": 3}') as Record<string, number>;
    expect(Object.keys(parsed)).toEqual(["a", "b"]);
    expect(parsed.a).toBe(3);
  });

  it("keeps __proto__ as an own key and never touches the prototype", () => {
    const parsed = value('{"__proto__": {"polluted": true}, "constructor": 1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(["__proto__", "constructor"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['{"a": "\x01"}', "a control character in a string"],
    ["{'a': 1}", "single quotes"],
    ['{"a": 1,}', "a trailing comma"],
    ["[1,]", "a trailing comma in an array"],
    ["01", "a leading zero"],
    ["1.", "a bare decimal point"],
    ["-NaN", "negative NaN"],
    ['"\\x41"', "an unknown escape"],
    ['"\\u12"', "a short unicode escape"],
    ["\u00a0{}", "non-JSON whitespace"],
    ["{} x", "extra data"],
    [`[${"1".repeat(4301)}]`, "an integer of more than 4300 digits"],
  ])("rejects %j (%s)", (text) => {
    expect(decodePythonJson(text).ok).toBe(false);
  });

  it("accepts JSON whitespace around the value, and 4300-digit integers", () => {
    expect(value(" \t\n\r{}\r\n")).toEqual({});
    expect(decodePythonJson(`[${"1".repeat(4300)}]`).ok).toBe(true);
    expect(decodePythonJson(`[${"1".repeat(5000)}.5]`).ok).toBe(true);
  });

  it("decodes escapes, surrogate pairs and lone surrogates as Python does", () => {
    expect(value('"\\ud83d\\ude00 \\ud800 \\u00e9\\n\\/"')).toBe("😀 \ud800 é\n/");
  });

  it("decodes 1,000 levels of nesting and rejects deeper, without recursion at any depth", () => {
    const arrays = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
    expect(decodePythonJson(arrays(1000)).ok).toBe(true);
    expect(decodePythonJson(arrays(1001)).ok).toBe(false);
    expect(decodePythonJson(arrays(1_000_000)).ok).toBe(false);
    expect(decodePythonJson(`[${arrays(999)}, NaN]`).ok).toBe(true);
    expect(decodePythonJson(`[${arrays(1000)}, NaN]`).ok).toBe(false);
    expect(decodeActionFields(`{"args":${'{"a":'.repeat(999)}1${"}".repeat(999)}}`)).toBeDefined();
    expect(decodeActionFields(`{"args":${'{"a":'.repeat(1000)}1${"}".repeat(1000)}}`)).toBeUndefined();
  });
});

describe("decodeActionFields", () => {
  it("reads only objects, within the given range", () => {
    const text = 'xx{"target": NaN}yy';
    expect(decodeActionFields(text, 2, text.length - 2)?.target).toBeNaN();
    expect(decodeActionFields("[1]")).toBeUndefined();
    expect(decodeActionFields('{"action_type": 1')).toBeUndefined();
  });

  it("reads the last occurrence of each member, escaped keys included", () => {
    const fields = decodeActionFields('{"action_type": "noop", "args": {"a": [1]}, "action\\u005ftype": "restart", "target": {"x": "y"}}');
    expect(fields).toEqual({ actionType: "restart", target: { x: "y" }, targetLiteral: '{"x": "y"}', args: { a: [1] } });
  });

  it("keeps the source text of a number, list or object target", () => {
    expect(decodeActionFields('{"target": 2.0}')?.targetLiteral).toBe("2.0");
    expect(decodeActionFields('{"target": -Infinity}')?.targetLiteral).toBe("-Infinity");
    expect(decodeActionFields('{"target": [1.0, {"a": 1}] }')?.targetLiteral).toBe('[1.0, {"a": 1}]');
    expect(decodeActionFields('{"target": "2.0"}')?.targetLiteral).toBeUndefined();
    expect(decodeActionFields('{"target": true}')?.targetLiteral).toBeUndefined();
    expect(decodeActionFields('{"target": null}')?.targetLiteral).toBeUndefined();
  });

  it("ignores members of nested objects", () => {
    expect(decodeActionFields('{"args": {"action_type": "restart", "target": "db"}}')).toEqual({
      actionType: undefined,
      target: undefined,
      targetLiteral: undefined,
      args: { action_type: "restart", target: "db" },
    });
  });

  it("builds members with Python's reading where JSON.parse would differ", () => {
    const fields = decodeActionFields('{"args": {"n": -0, "m": -0.0, "x": NaN}}');
    const args = fields?.args as Record<string, number>;
    expect(Object.is(args.n, 0)).toBe(true);
    expect(Object.is(args.m, -0)).toBe(true);
    expect(args.x).toBeNaN();
  });

  it("builds args as it reads them: nested values, escapes, duplicates and __proto__ as json.loads reads them", () => {
    const fields = decodeActionFields('{"args": {"a": [1, {"b": -0}], "\\u0061": "x\\ny", "__proto__": {"admin": true}, "a": [-Infinity]}}');
    const args = fields?.args as Record<string, unknown>;
    expect(Object.keys(args)).toEqual(["a", "__proto__"]);
    expect(args.a).toEqual([-Infinity]);
    expect(Object.getPrototypeOf(args)).toBe(Object.prototype);
    expect(Object.hasOwn(args, "__proto__")).toBe(true);
    expect(decodeActionFields('{"args": {"k": "x\\ny", "n": 1.5e3, "t": true, "f": false, "z": null}}')?.args).toEqual({
      k: "x\ny",
      n: 1500,
      t: true,
      f: false,
      z: null,
    });
  });

  it("takes the last args, which gives none unless it is an object", () => {
    expect(decodeActionFields('{"args": {"a": 1}, "args": "x"}')?.args).toBeUndefined();
    expect(decodeActionFields('{"args": "x", "args": {"a": 1}}')?.args).toEqual({ a: 1 });
    expect(decodeActionFields('{"args": {"a": 1}, "args": {}}')?.args).toEqual({});
  });

  it("rejects args that are not valid JSON, wherever the fault", () => {
    for (const args of ['{"a": 1,}', '{"a" 1}', '{"a": 1 "b": 2}', "{a: 1}", '{"a": 01}', '{"a": [1,]}', '{"a": "\\x"}', '{"a": 1}}'])
      expect(decodeActionFields(`{"args": ${args}}`)).toBeUndefined();
  });
});

describe("decodePythonJson on what is no text or no offset (red-team finds: engine errors)", () => {
  it("a text that is no string does not decode, and offsets that are no integers are a TypeError", () => {
    expect(decodePythonJson(5 as never)).toEqual({ ok: false, at: 0 });
    expect(() => decodePythonJson("{}", 0, 10n as never)).toThrow(/start and end must be integer offsets/);
    expect(() => decodePythonJson("{}", {} as never)).toThrow(TypeError);
    expect(decodePythonJson('x{"a": 1}', 1)).toEqual({ ok: true, value: { a: 1 } });
  });
});
