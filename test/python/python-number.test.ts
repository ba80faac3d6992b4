import { describe, expect, it } from "vitest";
import { decimalDigitValue, formatFixed0, formatPercent0, pyFloatRepr, pyInt, pyIntFromString, pyNumberText } from "../../src/python/python-number.js";

describe("formatFixed0 (Python .0f)", () => {
  it.each([
    [2.5, "2"], [3.5, "4"], [71.5, "72"], [0.5, "0"], [1.5, "2"], [-2.5, "-2"], [-0.4, "-0"], [-0, "-0"], [0, "0"],
    [99.49999999999999, "99"], [1e22, "10000000000000000000000"], [1.7976931348623157e308, "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368"],
    [NaN, "nan"], [Infinity, "inf"], [-Infinity, "-inf"], [4503599627370495.5, "4503599627370496"], [4503599627370494.5, "4503599627370494"],
  ])("%s → %s", (value, expected) => {
    expect(formatFixed0(value)).toBe(expected);
  });
});

describe("formatPercent0 (Python .0%)", () => {
  it.each([[0.145, "14%"], [0.005, "0%"], [0.015, "2%"], [0.125, "12%"], [1, "100%"], [5e-324, "0%"], [0.995, "100%"]])("%s → %s", (value, expected) => {
    expect(formatPercent0(value)).toBe(expected);
  });
});

describe("pyFloatRepr (Python repr(float))", () => {
  it.each([
    [0.1, "0.1"], [1e-5, "1e-05"], [0.0001, "0.0001"], [1e16, "1e+16"], [1e15, "1000000000000000.0"], [2, "2.0"], [-0, "-0.0"],
    [1.5e300, "1.5e+300"], [123456789012345678, "1.2345678901234568e+17"], [5e-324, "5e-324"], [NaN, "nan"], [-Infinity, "-inf"],
  ])("%s → %s", (value, expected) => {
    expect(pyFloatRepr(value)).toBe(expected);
  });

  it("writes safe integers as ints and everything else as floats", () => {
    expect(pyNumberText(7)).toBe("7");
    expect(pyNumberText(2 ** 53)).toBe("9007199254740992.0");
    expect(pyNumberText(-0)).toBe("-0.0");
  });
});

describe("pyInt (Python int())", () => {
  it.each([
    [" 3 ", 3], ["\x853", 3], ["1_000", 1000], ["\u0663", 3], ["+7", 7], ["-0", 0], ["\u00a0-12\u3000", -12], ["\u{1d7d9}\u{1d7da}", 12], ["007", 7],
  ])("reads %j as %s", (text, expected) => {
    expect(pyIntFromString(text)).toBe(expected);
  });

  it.each(["", " ", "3.0", "1__0", "_1", "1_", "\x1c3", "3\x1f", "0x10", "- 1", "1e3", "٣.", "\u{1e4f5}", "3\u0000", "1".repeat(4301)])("rejects %j", (text) => {
    expect(pyIntFromString(text)).toBeUndefined();
  });

  // Found by differential fuzzing against the reference: a non-ASCII character that is
  // neither whitespace nor a decimal digit ended the text instead of refusing it.
  it.each(["3\u200b", "0\u00aa", "2 \u00d7 5", "7\ud800", "\udfd17", "3\u{1e4f5}", "1\u00b2", "\u00bd"])("refuses %j, as int() raises ValueError", (text) => {
    expect(pyIntFromString(text)).toBeUndefined();
  });

  it("refuses digits past the largest double, which no JavaScript number holds", () => {
    expect(pyIntFromString("9".repeat(309))).toBeUndefined();
    expect(pyIntFromString("-" + "9".repeat(309))).toBeUndefined();
    expect(pyIntFromString("9".repeat(308))).toBe(Number("9".repeat(308)));
  });

  it("accepts 4300 digits", () => {
    expect(pyIntFromString("0".repeat(4299) + "7")).toBe(7);
    expect(pyIntFromString("0".repeat(4300) + "7")).toBeUndefined();
  });

  it("truncates floats toward zero and never gives -0", () => {
    expect(pyInt(2.9)).toBe(2);
    expect(pyInt(-2.9)).toBe(-2);
    expect(Object.is(pyInt(-0.5), 0)).toBe(true);
  });

  it("reads booleans as 1 and 0 and refuses what Python refuses", () => {
    expect(pyInt(true)).toBe(1);
    expect(pyInt(false)).toBe(0);
    for (const value of [NaN, Infinity, -Infinity, null, [], {}, undefined]) expect(pyInt(value)).toBeUndefined();
  });

  it("knows every Unicode 14 decimal digit and nothing newer", () => {
    expect(decimalDigitValue(0x0669)).toBe(9);
    expect(decimalDigitValue(0x1fbf9)).toBe(9);
    expect(decimalDigitValue(0x1e4f0)).toBe(-1);
    expect(decimalDigitValue(0x2155)).toBe(-1);
  });
});
