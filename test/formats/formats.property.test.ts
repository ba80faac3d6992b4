import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { actionLineSpans, unclosedChildren } from "../../src/formats/formats.js";
import { readNative } from "../../src/formats/native.js";
import { parse as parseFormats } from "../../src/generated/formats.js";
import { anyText, completion } from "../support/arbitraries.js";

const TAGGED = ["<think>", "</think>", "[ACTION]", "\n", "x", "{", "}", "{", '"', "\\", "<", ">", "think", "/"];
const tagged = fc.oneof(
  fc.array(fc.constantFrom(...TAGGED), { maxLength: 24 }).map((parts) => parts.join("")),
  completion,
  anyText,
);

describe("format scanners agree with grammar/formats.peggy", () => {
  const dialect = { python: false, relaxed: false, truncated: false };
  const reasoningSpans = (text: string) => readNative(text, dialect, true, false).reasoning.map(({ start, end }) => ({ start, end }));
  it.each([
    ["<think> reasoning blocks (no other markup)", "ReasoningSpans", reasoningSpans],
    ["action lines", "ActionLineSpans", actionLineSpans],
    ["blocks inside unclosed blocks", "NestedSpans", unclosedChildren],
  ] as const)("on %s", (_name, startRule, scan) => {
    fc.assert(
      fc.property(tagged, (text) => {
        expect(scan(text)).toEqual(parseFormats(text, { startRule }));
      }),
    );
  });
});
