import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { actionLineSpans, decodeActionLine, unclosedChildren } from "../../src/formats/formats.js";
import { markerEvents, NATIVE_PLAN, readNative } from "../../src/formats/native.js";
import { parse as parseFormats } from "../../src/generated/formats.js";
import { anyText, completion } from "../support/arbitraries.js";

const TAGGED = ["<think>", "</think>", "[ACTION]", "\n", "x", "{", "}", "{", '"', "\\", "<", ">", "think", "/"];
const tagged = fc.oneof(
  fc.array(fc.constantFrom(...TAGGED), { maxLength: 24 }).map((parts) => parts.join("")),
  completion,
  anyText,
);

describe("reasoning spans: counterexamples", () => {
  it("`<think>>>>`: functionary's `>>>` opener ends the unclosed block (other markup, outside the <think>-only grammar)", () => {
    const spans = readNative("<think>>>>", { python: false, relaxed: false, truncated: false }, true, false).reasoning;
    expect(spans.map(({ start, end }) => ({ start, end }))).toEqual([{ start: 0, end: 7 }]);
  });
});

describe("format scanners agree with grammar/formats.peggy", () => {
  const dialect = { python: false, relaxed: false, truncated: false };
  const reasoningSpans = (text: string) => readNative(text, dialect, true, false).reasoning.map(({ start, end }) => ({ start, end }));
  /** Markup the grammar's <think>-only ReasoningSpans does not know: a call opener (`>>>`) ends an unclosed block, say. */
  const otherMarkup = (text: string) => markerEvents(text, NATIVE_PLAN).some(({ role }) => role.kind === "call" || role.markup.open !== "<think>");
  it.each([
    ["<think> reasoning blocks (no other markup)", "ReasoningSpans", reasoningSpans],
    ["action lines", "ActionLineSpans", actionLineSpans],
    ["blocks inside unclosed blocks", "NestedSpans", unclosedChildren],
  ] as const)("on %s", (_name, startRule, scan) => {
    fc.assert(
      fc.property(tagged, (text) => {
        if (startRule === "ReasoningSpans") fc.pre(!otherMarkup(text));
        expect(scan(text)).toEqual(parseFormats(text, { startRule }));
      }),
    );
  });
});

/** Pieces an action line is made of, and what breaks one: blanks, words, `=`, other characters. */
const LINE_PIECES = ["[ACTION]", "[ACTION", " ", "\t", "  ", "scale", "payments", "replicas", "=", "4", "a.b/c:d-e_f", "__proto__", "x=y", "\n", "\r", "é", "[", "]", "\"", "{}", ""];
const actionLineText = fc.oneof(
  fc.array(fc.constantFrom(...LINE_PIECES), { maxLength: 14 }).map((parts) => parts.join("")),
  fc.array(fc.constantFrom(...LINE_PIECES.slice(3)), { maxLength: 12 }).map((parts) => `[ACTION] ${parts.join("")}`),
  anyText.map((text) => `[ACTION] ${text}`),
);

describe("the action-line reader agrees with grammar/formats.peggy's ActionLine", () => {
  it("on the whole text", () => {
    fc.assert(
      fc.property(actionLineText, (text) => {
        expect(decodeActionLine(text, 0, text.length)).toStrictEqual(parseFormats(text, { startRule: "ActionLine" }));
      }),
    );
  });

  it("on a slice, never looking past its end", () => {
    fc.assert(
      fc.property(actionLineText, actionLineText, actionLineText, (before, line, after) => {
        const text = before + line + after;
        const start = before.length;
        const end = start + line.length;
        expect(decodeActionLine(text, start, end)).toStrictEqual(parseFormats(line, { startRule: "ActionLine" }));
      }),
    );
  });

  it.each([
    ["[ACTION] scale payments replicas=4", { action_type: "scale", target: "payments", args: { replicas: "4" } }],
    ["[ACTION] scale replicas=4", { action_type: "scale", target: null, args: { replicas: "4" } }],
    ["[ACTION]\trestart db \t", { action_type: "restart", target: "db", args: {} }],
    ["[ACTION] a b k=v=w k=x", { action_type: "a", target: "b", args: { k: "x" } }],
  ])("reads %j", (text, value) => {
    expect(decodeActionLine(text, 0, text.length)).toStrictEqual({ ok: true, value, repairs: [] });
  });

  it.each(["[ACTION]", "[ACTION]scale", "[ACTION] scale payments foo", "[ACTION] a=b", "[ACTION] scale k=", "[ACTION] é", "[ACTION] scale\n"])(
    "rejects %j",
    (text) => {
      expect(decodeActionLine(text, 0, text.length)).toStrictEqual({ ok: false });
    },
  );
});
