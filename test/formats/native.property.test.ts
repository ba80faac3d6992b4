// Promises of the syntax families, checked on completions built from building blocks
// taken from the families' documentation (test/fixtures/native-syntaxes/SOURCE.md), not
// from the readers: every family's reasoning hides a draft, lenient never reads an
// action worse than the default parser, nothing throws, and the detailed parse agrees.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAction } from "../../src/parsing/parse-action.js";
import { parseActionDetailed } from "../../src/parsing/parse-detailed.js";
import { isActionType } from "../../src/model/enums.js";
import { StreamingActionParser } from "../../src/parsing/streaming.js";
import { actionJson, anyText, role } from "../support/arbitraries.js";
import { compileFamilies, markerEvents, mayHaveMarker, NATIVE_PLAN, reasoningBlocks, type DraftEnd, type NativePlan } from "../../src/formats/native.js";
import type { SyntaxFamily } from "../../src/formats/families/kit.js";

/** Reasoning markup of every family: opening, closing. */
const REASONING: readonly (readonly [string, string])[] = [
  ["<think>", "</think>"],
  ["<scratch_pad>", "</scratch_pad>"],
  ["[THINK]", "[/THINK]"],
  ["◁think▷", "◁/think▷"],
  ["<seed:think>", "</seed:think>"],
  ["<|START_THINKING|>", "<|END_THINKING|>"],
  ["Here is my thought process:", "Here is my response:"],
  ["Here's my thought process:", "Here's my response:"],
  ["<|channel>thought\n", "<channel|>"],
  ["<|inner_prefix|>", "<|inner_suffix|>"],
  ["<|channel|>analysis<|message|>", "<|end|>"],
];

/** Call openers and pieces of every family's call syntax, each alone. */
const CALL_PIECES = [
  "<tool_call>", "</tool_call>", "<function=", "</function>", "<parameter=", "</parameter>", "<|python_tag|>", "<|python_start|>",
  "<|python_end|>", "<function_calls>", "</function_calls>", "[TOOL_CALLS]", "[ARGS]", "[CALL_ID]", "<｜tool▁calls▁begin｜>",
  "<｜tool▁call▁begin｜>", "<｜tool▁sep｜>", "<｜tool▁call▁end｜>", '<｜DSML｜invoke name="', '<｜DSML｜parameter name="',
  "</｜DSML｜parameter>", "```tool_code", "<start_function_call>", "<escape>", "<|tool_call>", "<tool_call|>", '<|"|>',
  "<|tool_call|>", "<arg_key>", "</arg_key>", "<arg_value>", "</arg_value>", "<|tool_calls_section_begin|>", "<|tool_call_begin|>",
  "<|tool_call_argument_begin|>", "<|tool_call_end|>", "functools[", "<|START_ACTION|>", "<|END_ACTION|>", "Action: ```json",
  "<|START_RESPONSE|>", "<seed:tool_call>", "<minimax:tool_call>", '<invoke name="', '<parameter name="', "</invoke>", "<tool_calls>",
  "</tool_calls>", "<answer>", "</answer>", "<|tools_prefix|>", "<|tools_suffix|>", ">>>", "all\n", "to=functions.", "<|message|>",
  "<|call|>", "<|start|>assistant", "<|channel|>final", "<|channel|>commentary", "<|constrain|>json", "<|return|>",
];
const CHATTER = ["hello", "db", "x", " ", "\n", "{", "}", "[", "]", '"', ":", ",", "`", "'", "note", "json"];

const pieces = (from: readonly string[], max: number) => fc.array(fc.constantFrom(...from), { maxLength: max }).map((parts) => parts.join(""));
const chatter = pieces([...CALL_PIECES, ...CHATTER], 12);

const soup = fc
  .array(fc.oneof(chatter, actionJson, anyText, fc.constantFrom(...REASONING.flat()), fc.constantFrom("restart", "scale", "chaosops_action", "(", ")", "=", "call:", "target", "4")), { maxLength: 10 })
  .map((parts) => parts.join(""));

/** Reasoning markup, call openers and words only: unclosed blocks with calls and other blocks inside them come often. */
const markupSoup = pieces(["<think>", "</think>", "[THINK]", "[/THINK]", "◁think▷", "◁/think▷", "<tool_call>", ">>>", "[TOOL_CALLS]", "x"], 12);

/** Feeds `raw` cut at the given offsets (anywhere: inside special tokens too). */
function streamAt(raw: string, cuts: readonly number[], r: (typeof role extends fc.Arbitrary<infer T> ? T : never)) {
  const parser = new StreamingActionParser({ role: r, formats: "lenient" });
  let from = 0;
  for (const at of [...cuts].sort((a, b) => a - b).map((c) => c % (raw.length + 1))) {
    if (parser.feed(raw.slice(from, Math.max(from, at)))) break;
    from = Math.max(from, at);
  }
  parser.feed(raw.slice(from));
  return { action: parser.action(), finished: parser.finished };
}

describe("syntax families: properties", () => {
  it("stream: chunking changes nothing, and a finished stream agrees with batch on the whole text", () => {
    fc.assert(
      fc.property(soup, fc.array(fc.nat(), { maxLength: 12 }), role, (raw, cuts, r) => {
        const whole = streamAt(raw, [], r);
        expect(streamAt(raw, cuts, r)).toEqual(whole);
        expect(whole.action).toEqual(parseAction(raw, { role: r, formats: "lenient" }));
      }),
    );
  });

  it("never take the action from any family's reasoning: a draft there is skipped, a cut inside gives the fallback", () => {
    fc.assert(
      fc.property(fc.constantFrom(...REASONING), actionJson, actionJson, role, (pair, draft, answer, r) => {
        const [open, close] = pair;
        const options = { role: r, fallback: "noop", formats: "lenient" } as const;
        const expected = parseAction(answer, { role: r });
        expect(parseAction(`${open}Maybe ${draft}? No.${close}\n${answer}`, options)).toEqual(expected);
        expect(parseAction(`${open}Maybe ${draft}? Still thinking`, options)).toEqual({ role: r, action_type: "noop", target: null, args: {} });
      }),
    );
  });

  it("with lenient, read an action outside any reasoning as the default parser does", () => {
    fc.assert(
      fc.property(chatter, actionJson, chatter, role, (before, answer, after, r) => {
        const raw = `${before} ${answer} ${after}`;
        const expected = parseAction(answer, { role: r });
        fc.pre(expected.action_type !== "noop" || answer.includes("noop"));
        fc.pre(JSON.stringify(parseAction(raw, { role: r })) === JSON.stringify(expected));
        expect(parseAction(raw, { role: r, formats: "lenient" })).toEqual(expected);
      }),
    );
  });

  it("never throw on any mix of every family's markup, and the detailed parse agrees", () => {
    fc.assert(
      fc.property(soup, role, (raw, r) => {
        const action = parseAction(raw, { role: r, formats: "lenient" });
        expect(isActionType(action.action_type)).toBe(true);
        expect(parseActionDetailed(raw, { role: r, formats: "lenient" }).action).toEqual(action);
      }),
    );
  });
});

/**
 * What the first look must find: the leftmost match of the alternation of every marker
 * (registry order breaks ties), then the next after it, as one global regular expression
 * finds them; a marker index per match.
 */
function alternationMarkers(text: string, plan: NativePlan): [number, number, number][] {
  const all = new RegExp(plan.sources.map((source) => `(${source})`).join("|"), "g");
  const found: [number, number, number][] = [];
  for (let m = all.exec(text); m; m = all.exec(text)) {
    if (m[0].length === 0) {
      all.lastIndex = m.index + 1;
      continue;
    }
    found.push([m.index, m[0].length, m.slice(1).findIndex((group) => group !== undefined)]);
  }
  return found;
}

const firstLook = (text: string, plan: NativePlan) => {
  const found = markerEvents(text, plan).map((event) => [event.at, event.length, plan.roles.indexOf(event.role)]);
  // The quick answer readNative takes first: a text it says has no marker has none.
  if (!mayHaveMarker(text, plan)) expect(found).toEqual([]);
  return found;
};

/** Markers of every kind the plan buckets: literals, classes first, optional first characters, alternations, anchored. */
const ODD_MARKERS: SyntaxFamily = {
  family: "odd",
  reasoning: [{ open: "<<", close: [">>"], orphanClose: true }],
  calls: ["[a-c]x", "q?<<y", "z<|w<", "\\<<z", "<<", "(?:ab|<<)v", "^<", "\\(\\)"].map((marker) => ({ syntax: marker, marker, endsReasoning: true, read: () => undefined })),
  envelopes: [],
};

/** Markers that each start with one known character, found by the text their bucket shares. */
const KNOWN_MARKERS: SyntaxFamily = {
  family: "known",
  reasoning: [{ open: "<<", close: [">>"], orphanClose: true }],
  calls: ["ab?c", "a\\(x", "abd", "abd", "<<y", "<[ ]*z", "x+y", "\\[x", "^a", "^\\(", "\\(\\)"].map((marker) => ({ syntax: marker, marker, endsReasoning: true, read: () => undefined })),
  envelopes: [],
};

/** Markers anchored at the start of the text, of every first atom, beside one literal: no marker may start anywhere. */
const ANCHORED_MARKERS: SyntaxFamily = {
  family: "anchored",
  reasoning: [],
  calls: ["^a", "^\\(", "^[bc]d", "^\\wz", "^x?y", "^(?:q|r)", "<<"].map((marker) => ({ syntax: marker, marker, endsReasoning: true, read: () => undefined })),
  envelopes: [],
};

describe("the first look over a completion", () => {
  it("finds the markers the alternation of every registered marker finds", () => {
    fc.assert(
      fc.property(soup, (text) => {
        expect(firstLook(text, NATIVE_PLAN)).toEqual(alternationMarkers(text, NATIVE_PLAN));
      }),
    );
  });

  it.each([
    ["that do not start with one known character", ODD_MARKERS],
    ["that start with one known character, literal or not", KNOWN_MARKERS],
    ["anchored at the start", ANCHORED_MARKERS],
  ])("does so for markers %s", (_name, family) => {
    const plan = compileFamilies([family]);
    const odd = pieces(["<", "<<", ">>", "a", "b", "c", "d", "x", "y", "z", "w", "v", "q", "r", "(", ")", "[", "\\", " ", "_", "9"], 16);
    fc.assert(
      fc.property(odd, (text) => {
        expect(firstLook(text, plan)).toEqual(alternationMarkers(text, plan));
      }),
    );
  });
});

describe("the first look that skips reasoning", () => {
  const find = (text: string) => (needle: string, from: number) => text.indexOf(needle, from);
  it("counterexample: a block that opens the text (found by the anchored look) is passed over too", () => {
    const text = "◁think▷<think>◁/think▷<think>";
    const kept = markerEvents(text, NATIVE_PLAN, true).map((event) => event.at);
    expect(kept).toEqual([0, 22]);
    expect(reasoningBlocks(markerEvents(text, NATIVE_PLAN, true), text, find(text))).toEqual(reasoningBlocks(markerEvents(text, NATIVE_PLAN), text, find(text)));
  });

  it("counterexample: a call marker that starts inside a closed block and runs past its close is inside it, as every event has it", () => {
    const text = "<|channel|>analysis<|message|><|end|>>>>";
    const calls = (events: readonly { at: number; role: { kind: string } }[]) => events.filter((e) => e.role.kind === "call" && e.at >= 37).length;
    expect(reasoningBlocks(markerEvents(text, NATIVE_PLAN, true), text, find(text))).toEqual([{ family: "gpt_oss", start: 0, end: 37, closed: true }]);
    expect(calls(markerEvents(text, NATIVE_PLAN, true))).toBe(calls(markerEvents(text, NATIVE_PLAN)));
  });

  it("gives the reasoning blocks and the calls outside them that every event gives", () => {
    fc.assert(
      fc.property(soup, (text) => {
        const all = markerEvents(text, NATIVE_PLAN);
        const kept = markerEvents(text, NATIVE_PLAN, true);
        const spans = reasoningBlocks(all, text, find(text));
        expect(reasoningBlocks(kept, text, find(text))).toEqual(spans);
        const outside = (events: typeof all) => events.filter((e) => e.role.kind === "call" && !spans.some((s) => s.start <= e.at && e.at < s.end)).map((e) => e.at);
        expect(outside(kept)).toEqual(outside(all));
      }),
    );
  });

  it("counterexample: past a draft, a call inside a closed block nested in the unclosed one does not end it", () => {
    const text = "<think>a<tool_call>b[THINK]<tool_call>c[/THINK]<tool_call>";
    const draftEnd: DraftEnd = (event) => (event.at === 8 ? event.at + event.length : -1);
    const spans = reasoningBlocks(markerEvents(text, NATIVE_PLAN), text, find(text), draftEnd);
    expect(spans).toEqual([{ family: "qwen3_hermes", start: 0, end: 47, closed: false }]);
    expect(reasoningBlocks(markerEvents(text, NATIVE_PLAN, true), text, find(text), draftEnd)).toEqual(spans);
  });

  it("gives the blocks every event gives whichever calls in unclosed reasoning are drafts, wherever they end", () => {
    fc.assert(
      fc.property(fc.oneof(soup, markupSoup), fc.func(fc.integer({ min: -1, max: 40 })), (text, pick) => {
        // Any answer that depends on the call's place alone, as reading the text gives.
        const draftEnd: DraftEnd = (event) => {
          const past = pick(event.at);
          return past < 0 ? -1 : event.at + event.length + past;
        };
        const spans = reasoningBlocks(markerEvents(text, NATIVE_PLAN), text, find(text), draftEnd);
        expect(reasoningBlocks(markerEvents(text, NATIVE_PLAN, true), text, find(text), draftEnd)).toEqual(spans);
      }),
    );
  });
});

describe("a completion that is one JSON object", () => {
  // Everything a JSON object (in Python's dialect) holds outside its strings, with any
  // string as `""`: the lenient path reads a whole action before the first look, which is
  // right only while no registered marker can match in such text.
  const OUTSIDE_STRINGS = ["{", "}", "[", "]", ",", ":", '""', "0", "-1.5e3", "true", "false", "null", "NaN", "Infinity", "-Infinity", " ", "\n", "\t", "\r"];
  const QUOTABLE = [...CALL_PIECES, ...REASONING.flat(), "restart(target='db')", "[restart(", "\\n", "\\\""];

  it("counterexample: text that does not open with its brace may start with an anchored marker", () => {
    expect(markerEvents("true\n", NATIVE_PLAN)).not.toEqual([]);
    expect(markerEvents("{true\n}", NATIVE_PLAN)).toEqual([]);
  });

  it("has no marker outside its strings, for any registered family", () => {
    fc.assert(
      fc.property(pieces(OUTSIDE_STRINGS, 40), (inside) => {
        expect(markerEvents(`{${inside}}`, NATIVE_PLAN)).toEqual([]);
      }),
    );
  });

  it("is read by lenient as by the default parser and by the explained search, whatever markup its strings quote", () => {
    const quoted = pieces(QUOTABLE, 6);
    const quoting = fc.record({ action_type: fc.constantFrom("restart", "scale", "resolve", "communicate", "RESTART"), target: fc.oneof(quoted, fc.constant(null)), args: fc.dictionary(quoted, quoted, { maxKeys: 3 }) });
    fc.assert(
      fc.property(quoting, role, fc.constantFrom(0, 2), (action, r, indent) => {
        const text = JSON.stringify(action, null, indent);
        const lenient = parseAction(text, { role: r, formats: "lenient" });
        expect(lenient).toEqual(parseAction(text, { role: r }));
        expect(parseActionDetailed(text, { role: r, formats: "lenient" }).action).toEqual(lenient);
      }),
    );
  });
});
