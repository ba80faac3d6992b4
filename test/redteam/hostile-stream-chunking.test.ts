// The stream parser promises that nothing depends on how the text was cut into chunks,
// and with formats that it reads what parseAction reads. Texts here are seeded random
// mixes of family markers, JSON and Python fragments and a few complete actions.
import { describe, expect, it } from "vitest";
import { parseAction, StreamingActionParser } from "../../src/index.js";
import type { ParseActionOptions as ParseOptions } from "../../src/index.js";
import { rng, UNITS } from "./blocks.js";

function streamed(text: string, options: ParseOptions, sizes: () => number): { finished: boolean; action: string } {
  const parser = new StreamingActionParser(options);
  for (let i = 0; i < text.length; ) {
    const size = sizes();
    if (parser.feed(text.slice(i, i + size))) return { finished: true, action: JSON.stringify(parser.action()) };
    i += size;
  }
  return { finished: false, action: JSON.stringify(parser.action()) };
}

const LENIENT: ParseOptions = { role: "sre", formats: "lenient" };
const CALLS: ParseOptions = { role: "sre", formats: ["reasoning", "tool_call"] };

describe("red team: stream chunking (counterexamples)", () => {
  // Was broken: a minimax `<invoke name=` opener followed by a mistral call without
  // [ARGS]: fed one character at a time the stream finished on resolve (the `<invoke`
  // block was not readable yet); fed whole it reads noop, as parseAction does. Found by
  // seeded random mixes of these blocks, minimised.
  const minimal = "</think><invoke name=[TOOL_CALLS]resolve{}>";
  it("lenient: one-character chunks read what one chunk reads (minimal)", () => {
    expect(streamed(minimal, LENIENT, () => 1)).toEqual(streamed(minimal, LENIENT, () => minimal.length));
  });
  it("lenient: a finished stream agrees with parseAction (minimal)", () => {
    expect(streamed(minimal, LENIENT, () => 1).action).toBe(JSON.stringify(parseAction(minimal, LENIENT)));
  });
  // Was broken: the same pair inside a longer completion, with a fenced answer and JSON after.
  const longer = '<tool_call>restart\n<arg_key> </think> {"tool_call": { <invoke name= [TOOL_CALLS]resolve[ARGS]{} <think> ```json\n{"action_type": "rollback", "target": "auth"}\n``` {"action_type":"escalate"}';
  it("lenient and [reasoning, tool_call]: chunking does not change the action (random mix, seed 11)", () => {
    for (const options of [LENIENT, CALLS]) expect(streamed(longer, options, () => 1)).toEqual(streamed(longer, options, () => longer.length));
  });
  // Was broken: chunked at random the stream finished on resolve; parseAction reads noop.
  const third = '</think> ``` " <invoke name= [TOOL_CALLS]resolve[ARGS]{} [, </parameter> {"action_type": "restart", "target": "db"}';
  it("lenient: a finished stream agrees with parseAction (random mix, seed 22)", () => {
    expect(streamed(third, LENIENT, () => 3).action).toBe(JSON.stringify(parseAction(third, LENIENT)));
  });
});

describe("red team: stream chunking (random mixes that pass today)", () => {
  const ACTIONS = [
    '{"action_type": "restart", "target": "db"}',
    '{"action_type":"escalate"}',
    '```json\n{"action_type": "rollback", "target": "auth"}\n```',
    '<tool_call>{"name": "scale", "arguments": {"target": "payments", "replicas": 3}}</tool_call>',
    '[restart(target="payments")]',
    "{'action_type': 'noop'}",
    "<function=restart><parameter=target>auth</parameter></function>",
    "</think>", "<think>", "[THINK]", "[/THINK]", '"', "'", "{", "}", "```",
  ];
  const modes: ParseOptions[] = [{ role: "sre" }, LENIENT, CALLS, { role: "sre", formats: ["python"] }, { role: "sre", formats: ["truncated"] }];
  it("seed 7: three chunkings agree, and an unfinished stream equals parseAction", () => {
    const random = rng(7);
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    for (let n = 0; n < 300; n++) {
      const parts = Array.from({ length: 1 + Math.floor(random() * 8) }, () => (random() < 0.5 ? pick(ACTIONS) : pick(UNITS)));
      const text = parts.join(random() < 0.5 ? "" : " ");
      for (const options of modes) {
        const ones = streamed(text, options, () => 1);
        const some = streamed(text, options, () => 1 + Math.floor(random() * 9));
        const whole = streamed(text, options, () => text.length);
        expect({ text, ones, some }).toEqual({ text, ones: whole, some: whole });
        if (!whole.finished) expect(whole.action).toBe(JSON.stringify(parseAction(text, options)));
      }
    }
  });
});
