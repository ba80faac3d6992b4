// `formats` through every provider entry point: the response parsers, the SDK stream
// helpers, the AI SDK helpers and the retry wrapper read a completion as parseAction
// reads it with the same formats, and without formats exactly as before.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAction } from "../../src/parsing/parse-action.js";
import { parseAnthropicResponse, parseOpenAIResponse } from "../../src/providers/providers.js";
import { actionFromAnthropicStream, actionFromOpenAIStream } from "../../src/providers/provider-streams.js";
import { actionFromGenerateText, actionFromStreamText } from "../../src/providers/ai-sdk.js";
import { generateActionWithRetry, generateActionWithRetryDetailed } from "../../src/providers/retry.js";
import type { FormatsOption } from "../../src/formats/formats.js";
import type { ChaosOpsAction } from "../../src/model/types.js";

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

function cut(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

type Options = { role: "sre"; formats?: FormatsOption };

/** Every entry point, given a completion as message text. */
const viaText: Record<string, (text: string, options: Options) => ChaosOpsAction | Promise<ChaosOpsAction>> = {
  parseOpenAIResponse: (text, o) => parseOpenAIResponse({ choices: [{ message: { content: text } }] }, o),
  "parseOpenAIResponse (content parts)": (text, o) => parseOpenAIResponse({ choices: [{ message: { content: [{ type: "text", text }] } }] }, o),
  parseAnthropicResponse: (text, o) => parseAnthropicResponse({ content: [{ type: "text", text }] }, o),
  actionFromOpenAIStream: (text, o) => actionFromOpenAIStream(from(cut(text, 3).map((content) => ({ choices: [{ delta: { content } }] }))), o),
  actionFromAnthropicStream: (text, o) =>
    actionFromAnthropicStream(
      from([
        { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
        ...cut(text, 2).map((piece) => ({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: piece } })),
        { type: "content_block_stop", index: 0 },
      ]),
      o,
    ),
  actionFromGenerateText: (text, o) => actionFromGenerateText({ text, toolCalls: [] }, o),
  actionFromStreamText: (text, o) => actionFromStreamText(from(cut(text, 4).map((piece) => ({ type: "text-delta", id: "t", text: piece }))), o),
  generateActionWithRetry: (text, o) => generateActionWithRetry("p", { ...o, generate: () => text, maxAttempts: 1 }),
  generateActionWithRetryDetailed: async (text, o) => (await generateActionWithRetryDetailed("p", { ...o, generate: () => text, maxAttempts: 1 })).action,
};

/** Every entry point that reads tool-call arguments, given the arguments text. */
const viaArguments: Record<string, (args: string, options: Options) => ChaosOpsAction | Promise<ChaosOpsAction>> = {
  parseOpenAIResponse: (args, o) => parseOpenAIResponse({ choices: [{ message: { tool_calls: [{ function: { arguments: args } }] } }] }, o),
  actionFromOpenAIStream: (args, o) => actionFromOpenAIStream(from(cut(args, 3).map((a) => ({ choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: a } }] } }] }))), o),
  actionFromGenerateText: (args, o) => actionFromGenerateText({ text: "", toolCalls: [{ input: args }] }, o),
  actionFromStreamText: (args, o) =>
    actionFromStreamText(from([{ type: "tool-input-start", id: "c" }, ...cut(args, 3).map((delta) => ({ type: "tool-input-delta", id: "c", delta }))]), o),
};

const lenient = { role: "sre", formats: "lenient" } as const;
const plain = { role: "sre" } as const;

const TEXTS: [string, string][] = [
  ["a <think> draft is skipped", '<think>draft: {"action_type": "restart", "target": "db"}</think>\n{"action_type": "escalate", "target": "payments"}'],
  ["a <tool_call> envelope is unwrapped", '<tool_call>\n{"name": "chaosops_action", "arguments": {"action_type": "scale", "target": "auth", "args": {"replicas": 3}}}\n</tool_call>'],
  ["Python literals are read", "Plan: {'action_type': 'rollback', 'target': 'auth', 'args': {'urgent': True, 'note': None}}"],
  ["relaxed JSON is read", '{action_type: "resolve", target: "db",}'],
];

describe.each(Object.entries(viaText))("formats through %s", (_name, read) => {
  it.each(TEXTS)("%s, as parseAction reads it with the same formats", async (_case, text) => {
    expect(await read(text, lenient)).toEqual(parseAction(text, lenient));
    expect(await read(text, plain)).toEqual(parseAction(text, plain));
    expect(parseAction(text, lenient)).not.toEqual(parseAction(text, plain));
  });

  it("takes a list of formats", async () => {
    const text = TEXTS[0]![1];
    expect((await read(text, { role: "sre", formats: ["reasoning"] })).action_type).toBe("escalate");
  });

  it("refuses an unknown format with a TypeError", async () => {
    await expect(async () => read("{}", { role: "sre", formats: ["klingon"] as never })).rejects.toThrow(TypeError);
  });
});

const ARGUMENTS: [string, string, Partial<ChaosOpsAction>][] = [
  ["Python-literal arguments", "{'action_type': 'restart', 'target': 'db'}", { action_type: "restart", target: "db" }],
  ["an envelope inside the arguments", '{"name": "chaosops_action", "arguments": {"action_type": "resolve"}}', { action_type: "resolve" }],
];

describe.each(Object.entries(viaArguments))("formats in tool-call arguments through %s", (_name, read) => {
  it.each(ARGUMENTS)("%s", async (_case, args, expected) => {
    expect(await read(args, lenient)).toMatchObject(expected);
    expect(await read(args, plain)).not.toMatchObject(expected);
  });
});

describe("Anthropic tool_use input with formats", () => {
  it("unwraps an envelope given as the input, whole or streamed", async () => {
    const input = { name: "chaosops_action", arguments: { action_type: "flag_rogue", target: "autoscaler" } };
    expect(parseAnthropicResponse({ content: [{ type: "tool_use", input }] }, lenient).action_type).toBe("flag_rogue");
    expect(parseAnthropicResponse({ content: [{ type: "tool_use", input }] }, plain).action_type).toBe("noop");
    const events = [
      { type: "content_block_start", index: 0, content_block: { type: "tool_use", input: {} } },
      ...cut(JSON.stringify(input), 4).map((partial_json) => ({ type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json } })),
      { type: "content_block_stop", index: 0 },
    ];
    expect((await actionFromAnthropicStream(from(events), lenient)).action_type).toBe("flag_rogue");
  });
});

/** Completions built from blocks that the formats care about. */
const BLOCKS = [
  "<think>",
  "</think>",
  "<tool_call>",
  "</tool_call>",
  '{"action_type": "restart", "target": "db"}',
  "{'action_type': 'scale', 'args': {'replicas': 2}}",
  '{"name": "f", "arguments": {"action_type": "resolve"}}',
  '{"action_type": "escalate",}',
  "{",
  "}",
  "```json\n",
  "```",
  " chatter ",
  "\n",
  '"',
];
const completion = fc.array(fc.constantFrom(...BLOCKS), { maxLength: 10 }).map((parts) => parts.join(""));

describe("every entry point agrees with parseAction on completions built from format blocks", () => {
  it.each(["parseOpenAIResponse", "parseAnthropicResponse", "actionFromGenerateText", "generateActionWithRetry"])("%s (whole text)", async (name) => {
    const read = viaText[name]!;
    await fc.assert(
      fc.asyncProperty(completion, fc.constantFrom<Options>(lenient, plain), async (text, options) => {
        expect(await read(text, options)).toEqual(parseAction(text, options));
      }),
    );
  });

  it.each(["actionFromOpenAIStream", "actionFromAnthropicStream", "actionFromStreamText"])("%s: the stream stops only where parseAction of what arrived agrees", async (name) => {
    const read = viaText[name]!;
    await fc.assert(
      fc.asyncProperty(completion, fc.constantFrom<Options>(lenient, plain), async (text, options) => {
        const streamed = await read(text, options);
        const prefixes = Array.from({ length: text.length + 1 }, (_, end) => parseAction(text.slice(0, end), options));
        expect(prefixes).toContainEqual(streamed);
      }),
    );
  });
});
