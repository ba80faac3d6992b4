// One function per action type, declared with openaiToolSpecs()/anthropicToolSpecs() and called
// through the real openai, @anthropic-ai/sdk and ai clients against the loopback server: the
// function's name is the action type with formats that read calls, and streams stop once the call closes.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, jsonSchema, streamText, tool } from "ai";
import { describe, expect, it } from "vitest";
import { anthropicToolSpecs, openaiToolSpecs } from "../../src/prompting/action-tools.js";
import { actionFromGenerateText, actionFromStreamText } from "../../src/providers/ai-sdk.js";
import { actionFromAnthropicStream, actionFromOpenAIStream } from "../../src/providers/provider-streams.js";
import { parseAnthropicResponse, parseOpenAIResponse } from "../../src/providers/providers.js";
import { sse, type Reply } from "../support/fake-provider.js";
import { useSdkClients } from "../support/sdk-clients.js";

const clients = useSdkClients();
const { provider } = clients;
const messages = [{ role: "user" as const, content: "STEP 1\nROLE SRE" }];
const UNTIL_HANG_UP = 4_000;
const LENIENT = { role: "sre" as const, formats: "lenient" as const };

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function chunk(delta: Record<string, unknown>, finish: string | null = null) {
  return { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-test", choices: [{ index: 0, delta, finish_reason: finish }] };
}

const completion = (name: string, args: string): Reply => ({
  kind: "json",
  body: {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "gpt-test",
    choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name, arguments: args } }] }, finish_reason: "tool_calls" }],
  },
});

/** The name in the first delta, the arguments in `size`-character deltas, the end held back until the client hangs up. */
function openaiCallStream(name: string, args: string, size: number): Reply {
  const first = chunk({ role: "assistant", content: null, tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name, arguments: "" } }] });
  const deltas = pieces(args, size).map((p) => chunk({ tool_calls: [{ index: 0, function: { arguments: p } }] }));
  return { kind: "sse", events: [first, ...deltas].map(sse.openai), later: [sse.openai(chunk({}, "tool_calls")), sse.openaiDone], pauseMs: UNTIL_HANG_UP };
}

const message = (content: unknown[]) => ({
  id: "msg_1",
  type: "message",
  role: "assistant",
  model: "claude-test",
  content,
  stop_reason: "tool_use",
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 10 },
});

function anthropicCallStream(name: string, json: string, size: number): Reply {
  const events: { type: string }[] = [
    { type: "message_start", ...{ message: message([]) } },
    { type: "content_block_start", ...{ index: 0, content_block: { type: "tool_use", id: "toolu_1", name, input: {} } } },
    ...pieces(json, size).map((p) => ({ type: "content_block_delta", ...{ index: 0, delta: { type: "input_json_delta", partial_json: p } } })),
  ];
  const later = [
    { type: "content_block_stop", index: 0 },
    { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 30 } },
    { type: "message_stop" },
  ];
  return { kind: "sse", events: events.map(sse.anthropic), later: later.map(sse.anthropic), pauseMs: UNTIL_HANG_UP };
}

const declaredNames = (body: unknown, pick: (tool: Record<string, unknown>) => unknown) => ((body as { tools?: Record<string, unknown>[] }).tools ?? []).map(pick);

describe("OpenAI, tools: openaiToolSpecs()", () => {
  it("reads scale(…) from a non-streamed response", async () => {
    provider.reply(completion("scale", '{"target": "payments", "replicas": 6}'));
    const response = await clients.openai.chat.completions.create({ model: "gpt-test", messages, tools: openaiToolSpecs() });
    expect(parseOpenAIResponse(response, LENIENT)).toEqual({ role: "sre", action_type: "scale", target: "payments", args: { replicas: 6 } });
    expect(parseOpenAIResponse(response, { role: "sre" }).action_type).toBe("noop");
    expect(declaredNames(provider.seen.at(-1)?.body, (t) => (t.function as { name: string }).name)).toContain("scale");
  });

  it("reads restart(…) from a stream whose name came in the first delta, and stops it once the arguments close", async () => {
    provider.reply(openaiCallStream("restart", '{"target": "db"}', 3));
    const stream = await clients.openai.chat.completions.create({ model: "gpt-test", messages, tools: openaiToolSpecs(), stream: true });
    expect(await actionFromOpenAIStream(stream, LENIENT)).toEqual({ role: "sre", action_type: "restart", target: "db", args: {} });
    await provider.settled();
    expect(provider.seen.at(-1)?.hungUpEarly).toBe(true);
  });
});

describe("Anthropic, tools: anthropicToolSpecs()", () => {
  it("reads a tool_use of escalate from a non-streamed message", async () => {
    provider.reply({ kind: "json", body: message([{ type: "tool_use", id: "toolu_1", name: "escalate", input: { target: "db", reason: "pager storm" } }]) });
    const response = await clients.anthropic.messages.create({ model: "claude-test", max_tokens: 100, messages, tools: anthropicToolSpecs() });
    expect(parseAnthropicResponse(response, LENIENT)).toEqual({ role: "sre", action_type: "escalate", target: "db", args: { reason: "pager storm" } });
    expect(declaredNames(provider.seen.at(-1)?.body, (t) => t.name)).toContain("escalate");
  });

  it("reads identify_root_cause from a stream, and stops it once the input closes", async () => {
    provider.reply(anthropicCallStream("identify_root_cause", '{"failure_type": "db_deadlock"}', 4));
    const stream = await clients.anthropic.messages.create({ model: "claude-test", max_tokens: 100, messages, tools: anthropicToolSpecs(), stream: true });
    expect(await actionFromAnthropicStream(stream, { ...LENIENT, role: "dev" })).toEqual({ role: "dev", action_type: "identify_root_cause", target: null, args: { failure_type: "db_deadlock" } });
    await provider.settled();
    expect(provider.seen.at(-1)?.hungUpEarly).toBe(true);
  });
});

describe("the ai package, tools from openaiToolSpecs()", () => {
  const model = () => createOpenAICompatible({ name: "fake", baseURL: `${clients.baseURL}/v1`, apiKey: "test" }).chatModel("gpt-test");
  const tools = Object.fromEntries(
    openaiToolSpecs().map(({ function: fn }) => [fn.name, tool({ description: fn.description, inputSchema: jsonSchema<Record<string, unknown>>(fn.parameters) })]),
  );

  it("actionFromGenerateText reads communicate(…)", async () => {
    provider.reply(completion("communicate", '{"to": "manager", "message": "db is back"}'));
    const result = await generateText({ model: model(), prompt: "STEP 1", tools });
    expect(actionFromGenerateText(result, { ...LENIENT, role: "dev" })).toEqual({ role: "dev", action_type: "communicate", target: null, args: { to: "manager", message: "db is back" } });
  });

  it("actionFromStreamText reads rollback(…) and stops the request once the call closes", async () => {
    provider.reply(openaiCallStream("rollback", '{"target": "auth"}', 2));
    const controller = new AbortController();
    const result = streamText({ model: model(), prompt: "STEP 1", tools, abortSignal: controller.signal });
    expect(await actionFromStreamText(result, { ...LENIENT, abortController: controller })).toEqual({ role: "sre", action_type: "rollback", target: "auth", args: {} });
    await provider.settled();
    expect(provider.seen.at(-1)?.hungUpEarly).toBe(true);
  });
});
