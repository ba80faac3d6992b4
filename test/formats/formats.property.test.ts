import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { actionLineSpans, reasoningSpans, toolCallSpans, unclosedChildren } from "../../src/formats/formats.js";
import { parse as parseFormats } from "../../src/generated/formats.js";
import { anyText, completion } from "../support/arbitraries.js";

const TAGGED = ["<think>", "</think>", "<tool_call>", "</tool_call>", "[ACTION]", "\n", "x", "{", "}", "{", '"', "\\", "<", ">", "think", "/"];
const tagged = fc.oneof(
  fc.array(fc.constantFrom(...TAGGED), { maxLength: 24 }).map((parts) => parts.join("")),
  completion,
  anyText,
);

describe("format scanners agree with grammar/formats.peggy", () => {
  it.each([
    ["reasoning blocks", "ReasoningSpans", reasoningSpans],
    ["tool-call blocks", "ToolCallSpans", toolCallSpans],
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
