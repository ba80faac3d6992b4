import { describe, expect, it } from "vitest";
import { pyJsonDumpsSorted, pyRepr, pyStr, pyTruthy } from "../src/python-value.js";

describe("pyRepr and pyStr", () => {
  it("write JSON values as Python's repr and str do", () => {
    expect(pyRepr({ a: [1, 2.5, true, null, "it's"], b: {} })).toBe(`{'a': [1, 2.5, True, None, "it's"], 'b': {}}`);
    expect(pyStr(["{\"action_type\": \"restart\"}"])).toBe(`['{"action_type": "restart"}']`);
    expect(pyStr("plain")).toBe("plain");
    expect(pyStr(-0)).toBe("-0.0");
  });
});

describe("pyJsonDumpsSorted", () => {
  it("sorts keys at every depth", () => {
    expect(pyJsonDumpsSorted({ b: { d: 1, c: [2, { f: 3, e: 4 }] }, a: null })).toBe('{"a": null, "b": {"c": [2, {"e": 4, "f": 3}], "d": 1}}');
  });
});

describe("pyTruthy", () => {
  it.each([
    [null, false], [undefined, false], [0, false], [-0, false], [NaN, true], ["", false], [" ", true], [[], false], [[0], true],
    [{}, false], [{ a: 1 }, true], [new Map(), false], [false, false], [new (class X {})(), true],
  ])("%j → %s", (value, expected) => {
    expect(pyTruthy(value)).toBe(expected);
  });
});
