// Issue 11's first promise with inputs built here: any string gives an action (no throw,
// no stack overflow) through every entry point and mode, and hostile response objects
// give an action too. Answers only; time and memory are probed by scripts/redteam-*.mjs.
import { describe, expect, it } from "vitest";
import {
  parseAction,
  parseActionDetailed,
  parseAnthropicResponse,
  parseOpenAIResponse,
  StreamingActionParser,
} from "../../src/index.js";
import type { ParseActionOptions as ParseOptions } from "../../src/index.js";
import { MAX_FAILED_READS } from "../../src/providers/readable.js";
import { MARKERS } from "./blocks.js";

const MODES: ParseOptions[] = [
  { role: "sre" },
  { role: "sre", formats: "lenient" },
  { role: "sre", formats: ["reasoning", "tool_call"] },
  { role: "sre", formats: ["python"] },
  { role: "sre", formats: ["relaxed"] },
  { role: "sre", formats: ["truncated"] },
];

function readEverywhere(text: string, options: ParseOptions, chunk = 65_536): string[] {
  const parser = new StreamingActionParser(options);
  for (let i = 0; i < text.length; i += chunk) if (parser.feed(text.slice(i, i + chunk))) break;
  return [
    parseAction(text, options).action_type,
    parseActionDetailed(text, options).action.action_type,
    parser.action().action_type,
    parseOpenAIResponse({ choices: [{ message: { content: text, tool_calls: [{ function: { name: "chaosops_action", arguments: text } }] } }] }, options).action_type,
    parseAnthropicResponse({ content: [{ type: "text", text }] }, options).action_type,
  ];
}

describe("red team: strings of 8,388,608 characters and more", () => {
  const LONG = 8_388_608 + 5;
  const cases: Record<string, () => string> = {
    "a JSON target": () => `{"action_type":"restart","target":"${"a".repeat(LONG)}"}`,
    "a target of \\n escapes": () => `{"action_type":"restart","target":"${"\\n".repeat(LONG / 2 + 1)}"}`,
    "a target of lone surrogates": () => `{"action_type":"restart","target":"${"\ud800".repeat(LONG)}"}`,
    "a pythonic call's string": () => `[restart(target="${"a".repeat(LONG)}")]`,
    "a Python dict's string": () => `{'action_type': 'restart', 'target': '${"a".repeat(LONG)}'}`,
    "an XML parameter": () => `<function=restart><parameter=target>${"a".repeat(LONG)}</parameter></function>`,
    "a gemma <escape> string": () => `<start_function_call>call:restart{target:<escape>${"c".repeat(LONG)}<escape>}<end_function_call>`,
    "a key": () => `{"${"k".repeat(LONG)}":1,"action_type":"restart"}`,
  };
  for (const [name, build] of Object.entries(cases)) {
    it(`${name}: every entry point, default and lenient`, () => {
      const text = build();
      for (const options of [MODES[0]!, MODES[1]!]) {
        for (const action of readEverywhere(text, options)) expect(typeof action).toBe("string");
      }
    });
  }
});

describe("red team: nesting that never closes, after every family's marker", () => {
  const DEEP = ["[", '{"a":', "f(k=", "((", "{'a':", "call:f{k:", "<function=f><parameter=a>"];
  it("parseAction in every mode, 60,000 characters each", () => {
    for (const marker of MARKERS) {
      for (const deep of DEEP) {
        const text = marker + deep.repeat(Math.ceil(60_000 / deep.length));
        for (const options of MODES) expect(typeof parseAction(text, options).action_type).toBe("string");
      }
    }
  });
  it("every entry point, lenient, 300,000 characters of the worst shapes", () => {
    for (const marker of ["<tool_call>", "[TOOL_CALLS]restart[ARGS]", "<|python_start|>", "functools", "<|tool_call>", "call:", "[restart(a="]) {
      for (const deep of DEEP) {
        const text = marker + deep.repeat(Math.ceil(300_000 / deep.length));
        for (const action of readEverywhere(text, MODES[1]!, 4_096)) expect(typeof action).toBe("string");
      }
    }
  });
});

describe("red team: response objects nobody should send", () => {
  const fail = (): never => {
    throw new Error("trap");
  };
  /** An array claiming 2^32 - 1 elements whose every read throws; counts the reads. */
  function throwingArray(): { list: unknown[]; reads: () => number } {
    let reads = 0;
    const list = new Proxy([], {
      get(_target, key) {
        if (key === "length") return 2 ** 32 - 1;
        reads++;
        return fail();
      },
    });
    return { list, reads: () => reads };
  }

  it("a throwing array of 2^32 - 1 elements is given up after a bounded number of reads (was a million: 6-9 s a response)", () => {
    const shapes: [string, (list: unknown[]) => unknown, typeof parseOpenAIResponse][] = [
      ["OpenAI content", (list) => ({ choices: [{ message: { content: list } }] }), parseOpenAIResponse],
      ["OpenAI tool_calls", (list) => ({ choices: [{ message: { tool_calls: list } }] }), parseOpenAIResponse],
      ["OpenAI arguments", (list) => ({ choices: [{ message: { tool_calls: [{ function: { name: "restart", arguments: { target: list } } }] } }] }), parseOpenAIResponse],
      ["Anthropic content", (list) => ({ content: list }), parseAnthropicResponse],
      ["Anthropic input", (list) => ({ content: [{ type: "tool_use", name: "restart", input: { target: list } }] }), parseAnthropicResponse],
    ];
    for (const [name, shape, parse] of shapes) {
      for (const options of [MODES[0]!, MODES[1]!]) {
        const { list, reads } = throwingArray();
        expect(typeof parse(shape(list), options).action_type).toBe("string");
        expect({ name, reads: reads() <= 20 * MAX_FAILED_READS }).toEqual({ name, reads: true });
      }
    }
  });

  it("sparse arrays, revoked proxies, cycles and values JSON cannot hold give an action", () => {
    const sparse: unknown[] = [];
    sparse.length = 2 ** 32 - 1;
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    const cycle: Record<string, unknown> = {};
    cycle.choices = [cycle];
    cycle.message = cycle;
    cycle.content = [cycle];
    cycle.tool_calls = [cycle];
    cycle.function = cycle;
    const primitive = { [Symbol.toPrimitive]: fail, toString: fail, valueOf: fail };
    const values: unknown[] = [sparse, revocable.proxy, cycle, primitive, 1n, Symbol("s"), fail, new Map([["content", "x"]]), new Uint8Array(8), Object.create(null)];
    for (const value of values) {
      const responses = [
        value,
        { choices: value },
        { choices: [{ message: value }] },
        { choices: [{ message: { content: value, tool_calls: [{ function: { name: "restart", arguments: value } }] } }] },
        { choices: [{ message: { content: [{ type: "text", text: value }] } }] },
        { content: value },
        { content: [{ type: "text", text: value }, { type: "tool_use", name: "restart", input: value }] },
        { content: [{ type: "tool_use", name: value, input: { action_type: value, target: value, args: value } }] },
      ];
      for (const response of responses) {
        for (const options of [MODES[0]!, MODES[1]!]) {
          expect(typeof parseOpenAIResponse(response, options).action_type).toBe("string");
          expect(typeof parseAnthropicResponse(response, options).action_type).toBe("string");
        }
      }
    }
  });
});
