import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codePointPrefix, compareCodePoints, isPyBlank, isPyPrintable, pyReprString, pyStrip } from "../../src/python/python-text.js";

describe("pyStrip (Python str.strip)", () => {
  it("removes Python's whitespace, including U+001C-U+001F and U+0085", () => {
    expect(pyStrip("\x1c\x1d\x1e\x1f\x85\u3000 x \u2028\u2029\u205f")).toBe("x");
  });

  it("keeps the BOM and zero-width space, which JavaScript's trim treats differently", () => {
    expect(pyStrip("\ufeffx\ufeff")).toBe("\ufeffx\ufeff");
    expect(pyStrip("\u200bx")).toBe("\u200bx");
  });

  it("isPyBlank agrees with pyStrip", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(isPyBlank(s)).toBe(pyStrip(s) === "");
      }),
    );
  });
});

describe("codePointPrefix (Python s[:n])", () => {
  it("counts a surrogate pair as one code point and a lone surrogate as one", () => {
    expect(codePointPrefix("😀😀😀", 2)).toBe("😀😀");
    expect(codePointPrefix("\ud800a", 1)).toBe("\ud800");
    expect(codePointPrefix("ab", 5)).toBe("ab");
  });
});

describe("compareCodePoints (Python str ordering)", () => {
  it("puts U+FFEF before U+10000", () => {
    expect(compareCodePoints("\uffef", "\u{10000}")).toBeLessThan(0);
  });

  it("orders a lone high surrogate before U+E000 and before any astral character", () => {
    expect(compareCodePoints("\ud800", "\ue000")).toBeLessThan(0);
    expect(compareCodePoints("\ud83dx", "\u{1f600}")).toBeLessThan(0);
  });

  // Differential fuzzing against the reference found these: both strings hold the same
  // lone high surrogate just before they differ, and the comparison called them equal.
  it("lets what follows a lone high surrogate both share decide", () => {
    expect(compareCodePoints("\ud800\ud800", "\ud800a")).toBeGreaterThan(0);
    expect(compareCodePoints("\ud800a", "\ud800\ud800")).toBeLessThan(0);
    expect(compareCodePoints("x\ud800\ue000", "x\ud800\ud7ff")).toBeGreaterThan(0);
    expect(compareCodePoints("x\ud800\udc00", "x\ud800\ud7ff")).toBeGreaterThan(0);
  });

  it("is the order of the code point arrays", () => {
    const cps = (s: string) => [...s].map((c) => c.codePointAt(0) ?? 0);
    const reference = (a: string, b: string): number => {
      const x = cps(a);
      const y = cps(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
      return x.length - y.length;
    };
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 6 }), fc.string({ unit: "binary", maxLength: 6 }), (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(reference(a, b)));
      }),
    );
  });
});

describe("pyReprString (Python repr(str))", () => {
  it.each([
    ["abc", "'abc'"], ["it's", '"it\'s"'], [`it's "x"`, `'it\\'s "x"'`], ["a\\b", "'a\\\\b'"], ["\n\t\r", "'\\n\\t\\r'"],
    ["\x00\x7f", "'\\x00\\x7f'"], ["\u00a0é", "'\\xa0é'"], ["\u200b", "'\\u200b'"], ["\ud800", "'\\ud800'"], ["😀", "'😀'"], ["\u{e0001}", "'\\U000e0001'"],
  ])("%j → %s", (value, expected) => {
    expect(pyReprString(value)).toBe(expected);
  });

  // Differential fuzzing against the reference: Python 3.11 knows Unicode 14.0, so a
  // character assigned since (U+1FA75, U+1FAE8: 15.0; U+20C1: 17.0) is unassigned to it
  // and escaped, where the runtime's \p{…} would print it.
  it.each([
    ["\u{1fa75}", "'\\U0001fa75'"], ["\u{1fae8}!", "'\\U0001fae8!'"], ["\u20c1", "'\\u20c1'"], ["\u{31350}", "'\\U00031350'"],
    ["\u20c0", "'\u20c0'"], ["\u{1f979}", "'\u{1f979}'"],
  ])("knows Unicode 14.0 as Python 3.11 does: %j → %s", (value, expected) => {
    expect(pyReprString(value)).toBe(expected);
  });
});

describe("isPyPrintable (Python 3.11 str.isprintable, one code point)", () => {
  it.each([
    [0x20, true], [0x7e, true], [0xe9, true], [0x1f600, true], [0x20c0, true], [0x10ffff - 2, false],
    [0x00, false], [0x1f, false], [0x7f, false], [0xa0, false], [0xad, false], [0x0378, false], [0x2028, false], [0x3000, false],
    [0xd800, false], [0xe000, false], [0xfeff, false], [0x1fa75, false], [0x20c1, false], [0xe0001, false], [0x10ffff, false],
  ])("U+%s: %s", (code, printable) => {
    expect(isPyPrintable(code)).toBe(printable);
  });
});
