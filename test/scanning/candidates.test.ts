import { describe, expect, it } from "vitest";
import { BalancedScanner, BareScanner, CandidateKind, FenceScanner, listCandidates, type CandidateScanner } from "../../src/scanning/candidates.js";

function texts(text: string, kind: CandidateKind): string[] {
  return listCandidates(text)
    .filter((span) => span.kind === kind)
    .map((span) => text.slice(span.start, span.end));
}

describe("listCandidates", () => {
  it("offers the whole text only when it starts with { and ends with }", () => {
    expect(texts('{"a": 1}', CandidateKind.WHOLE)).toEqual(['{"a": 1}']);
    expect(texts('x{"a": 1}', CandidateKind.WHOLE)).toEqual([]);
    expect(texts("{", CandidateKind.WHOLE)).toEqual([]);
  });

  it("takes the shortest fenced body that is followed by a closing fence", () => {
    expect(texts('```json\n{"a": "}"}\n```', CandidateKind.FENCED)).toEqual(['{"a": "}"}']);
    expect(texts("```{a}b}```", CandidateKind.FENCED)).toEqual(["{a}b}"]);
    expect(texts("````{x}``` ```json {y} ```", CandidateKind.FENCED)).toEqual(["{x}", "{y}"]);
  });

  it("accepts only lowercase json and Python whitespace after the opening fence", () => {
    expect(texts("```JSON {a}```", CandidateKind.FENCED)).toEqual([]);
    expect(texts("```\x1c{a}\x85```", CandidateKind.FENCED)).toEqual(["{a}"]);
    expect(texts("```\ufeff{a}```", CandidateKind.FENCED)).toEqual([]);
  });

  it("after an unclosed fence finds no more fences, as the regex does", () => {
    expect(texts("```{ never closed ``` {b} ```", CandidateKind.FENCED)).toEqual(["{ never closed ``` {b}"]);
    expect(texts("```{ open ```{", CandidateKind.FENCED)).toEqual([]);
  });

  it("finds top-level balanced blocks, string-aware outside braces too", () => {
    expect(texts('a {"x": {"y": "}"}} b {c}', CandidateKind.BALANCED)).toEqual(['{"x": {"y": "}"}}', "{c}"]);
    expect(texts('"quoted {" {real}', CandidateKind.BALANCED)).toEqual(["{real}"]);
    expect(texts("\\\" {a}", CandidateKind.BALANCED)).toEqual([]);
  });

  it("stops finding balanced blocks after one that never closes", () => {
    expect(texts("{ {a} ", CandidateKind.BALANCED)).toEqual([]);
    expect(texts("} {a}", CandidateKind.BALANCED)).toEqual(["{a}"]);
  });

  it("finds bare blocks with no brace inside", () => {
    expect(texts("{{a} {b {c}} {d}", CandidateKind.BARE)).toEqual(["{a}", "{c}", "{d}"]);
  });

  it("lists sources in the order they are tried", () => {
    const kinds = listCandidates('{"a": ```{b}``` }').map((span) => span.kind);
    expect(kinds).toEqual(["whole", "fenced", "balanced", "bare"]);
  });
});

describe("scanners fed in chunks", () => {
  const scanners: Array<[string, () => CandidateScanner]> = [
    ["fence", () => new FenceScanner()],
    ["balanced", () => new BalancedScanner()],
    ["bare", () => new BareScanner()],
  ];
  const text = 'chat "q{" ``` {x} ```json\n{"a": {"b": "}"}}\n``` {c} ``';

  it.each(scanners)("%s: the same spans however the text is cut", (_name, make) => {
    const spans = (size: number) => {
      const scanner = make();
      const found: Array<[number, number]> = [];
      for (let i = 0; i < text.length; i += size) {
        scanner.feed(text.slice(i, i + size), i, (start, end) => {
          found.push([start, end]);
          return false;
        });
      }
      return found;
    };
    expect(spans(1)).toEqual(spans(text.length));
    expect(spans(3)).toEqual(spans(text.length));
  });

  it("stops when the visitor says so", () => {
    const scanner = new BareScanner();
    const seen: number[] = [];
    expect(scanner.feed("{a}{b}", 0, (start) => (seen.push(start), true))).toBe(true);
    expect(seen).toEqual([0]);
  });
});

describe("listCandidates", () => {
  it("reads anything but a string as parseAction does, as no text (a red-team find: it threw an engine error)", () => {
    expect(listCandidates(5 as never)).toEqual([]);
    expect(listCandidates(null as never)).toEqual([]);
  });
});
