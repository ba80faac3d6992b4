import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { pyJsonDumpsSorted, pyRepr, pyStr, pyTruthy, toJsonLine } from "../../src/python/python-value.js";

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

describe("toJsonLine", () => {
  it("writes exactly what JSON.stringify writes", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e21, 5e-324), (value, odd) => {
        const withOdd = { value, odd, list: [odd, "\ud800", "é"] };
        expect(toJsonLine(withOdd)).toBe(JSON.stringify(withOdd));
      }),
    );
  });

  it("writes nesting too deep for JSON.stringify", () => {
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(toJsonLine(deep).length).toBe(100_000 * 6 + 1);
  });
});
