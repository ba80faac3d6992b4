import { describe, expect, it } from "vitest";
import { decodeLenient, type LenientDialect } from "../../src/formats/lenient-json.js";
import { specDecodeLenient } from "../../src/formats/lenient-spec.js";
import { parseAction } from "../../src/parsing/parse-action.js";

const ALL: LenientDialect = { python: true, relaxed: true, truncated: false };
const CUT: LenientDialect = { python: true, relaxed: true, truncated: true };
const lenient = { role: "sre", formats: "lenient" } as const;

function decode(text: string, dialect: LenientDialect = ALL) {
  return decodeLenient(text, 0, text.length, dialect);
}

/** The scanner, checked against the grammar on the same (small) text. */
function decodeBoth(text: string, dialect: LenientDialect = ALL) {
  const scanned = decode(text, dialect);
  expect(scanned).toEqual(specDecodeLenient(text, 0, text.length, dialect));
  return scanned;
}

describe("lenient dialect: what it reads", () => {
  it("reads Python literals, relaxed JSON and both together, naming each repair once, in order", () => {
    expect(decodeBoth("{'a': True, /* x */ b: [None, 'it\\'s',], // y\n}")).toEqual({
      ok: true,
      value: { a: true, b: [null, "it's"] },
      repairs: ["single_quotes", "python_constants", "comment", "unquoted_key", "trailing_comma"],
    });
  });

  it("decodes Python escapes, and keeps one Python rejects as written", () => {
    expect(decodeBoth("'\\x41\\u00e9\\U0001F600\\n\\\nz\\q\\x4'").value).toBe("Aé😀\nz\\q\\x4");
  });

  it("keeps a \\U escape beyond U+10FFFF as written (the grammar threw here)", () => {
    expect(decodeBoth("{'a': '\\UFFFFFFFF'}").value).toEqual({ a: "\\UFFFFFFFF" });
  });

  it("rejects an integer of more than 4,300 digits, as json.loads does", () => {
    expect(decodeBoth(`{'n': ${"9".repeat(4300)}}`).ok).toBe(true);
    expect(decodeBoth(`{'n': ${"9".repeat(4301)}}`).ok).toBe(false);
  });

  it("reads strict JSON with no repair", () => {
    expect(decodeBoth('{"a": [1, -0, 2.5e3, NaN, "\\u00e9"]}')).toEqual({ ok: true, value: { a: [1, 0, 2500, Number.NaN, "é"] }, repairs: [] });
  });

  it("does not read an extension that is off", () => {
    expect(decodeBoth("{'a': 1}", { python: false, relaxed: true, truncated: false }).ok).toBe(false);
    expect(decodeBoth('{"a": 1,}', { python: true, relaxed: false, truncated: false }).ok).toBe(false);
  });
});

describe("lenient dialect: truncation", () => {
  it("keeps the members after a closed nested container (the grammar dropped them)", () => {
    expect(decodeBoth('{"a": {"b": 1}, "c": 2, "d": "cu', CUT)).toEqual({
      ok: true,
      value: { a: { b: 1 }, c: 2 },
      repairs: ["dropped_incomplete_member", "closed_truncated_value"],
    });
    expect(decodeBoth('{"a": 1}', CUT)).toEqual({ ok: true, value: { a: 1 }, repairs: [] });
  });

  it("does not trust a number the text ends in, or in the middle of", () => {
    for (const tail of ["12", "12.", "1.5e", "1e+"]) expect(decodeBoth(`{"a": 1, "b": ${tail}`, CUT).value).toEqual({ a: 1 });
    expect(decodeBoth('{"a": 1, "b": 12 ', CUT).value).toEqual({ a: 1, b: 12 });
  });

  it("drops text after a complete value", () => {
    expect(decodeBoth('{"a": 1} and more', CUT)).toEqual({ ok: true, value: { a: 1 }, repairs: ["dropped_incomplete_member"] });
  });

  it("reports repairs made inside the member it drops, as the grammar does", () => {
    expect(decodeBoth('{"a": 1, b: x', CUT).repairs).toEqual(["unquoted_key", "dropped_incomplete_member", "closed_truncated_value"]);
  });
});

describe("lenient dialect: hostile input (issue 11)", () => {
  it("unclosed /* comment inside an object: read once, then cut or rejected", () => {
    const text = `{"action_type": "restart", /* ${"x".repeat(1 << 20)}`;
    expect(decode(text).ok).toBe(false);
    expect(decode(text, CUT)).toEqual({ ok: true, value: { action_type: "restart" }, repairs: ["dropped_incomplete_member", "closed_truncated_value"] });
    expect(parseAction(text, lenient).action_type).toBe("restart");
    const many = `{"a": 1 ${"/* ".repeat(200_000)}`;
    expect(decode(many, CUT).value).toEqual({ a: 1 });
  });

  it("{a:} floods: each candidate rejected at once, nothing built per character", () => {
    const text = "{a:} ".repeat(200_000);
    expect(decode(text).ok).toBe(false);
    expect(decode(text, CUT)).toEqual({ ok: true, value: {}, repairs: ["unquoted_key", "dropped_incomplete_member", "closed_truncated_value"] });
    expect(parseAction(text, lenient).action_type).toBe("noop");
  });

  it("strings of 8M+ characters in single quotes, plain and escaped", () => {
    const long = "x".repeat(8_400_000);
    const plain = decode(`{'action_type': 'restart', 'target': '${long}'}`);
    expect((plain.value as { target: string }).target.length).toBe(long.length);
    const escaped = decode(`['${"\\'".repeat(4_200_000)}', "${"\\'".repeat(4_200_000)}"]`);
    expect(escaped.value).toEqual(["'".repeat(4_200_000), "'".repeat(4_200_000)]);
    expect(parseAction(`{'action_type': 'restart', 'target': '${long}'}`, lenient).action_type).toBe("restart");
  });

  it("a large input (16 MB of Python literals, cut off) decodes in one pass", () => {
    const item = "{'target': 'payments', 'ok': True}, ";
    const count = Math.floor((16 << 20) / item.length);
    const text = `[${item.repeat(count)}{'target': 'cu`;
    const result = decode(text, CUT);
    // The cut object is kept, closed before its first member.
    expect((result.value as unknown[]).length).toBe(count + 1);
    expect((result.value as unknown[]).slice(count - 1)).toEqual([{ target: "payments", ok: true }, {}]);
  });

  it("nesting: 1,000 levels read, deeper rejected or (truncated) cut there, never a stack overflow", () => {
    const at = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
    expect(decodeBoth(at(1000)).ok).toBe(true);
    expect(decodeBoth(at(1001)).ok).toBe(false);
    for (const text of [at(100_000), `{'args': ${"[".repeat(5000)}${"]".repeat(5000)}}`, "{a: ".repeat(100_000)]) {
      expect(decode(text).ok).toBe(false);
      expect(decode(text, CUT).ok).toBe(true);
    }
  });
});
