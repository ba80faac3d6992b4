// The AI SDK helpers driven through the real `ai` package and its OpenAI-compatible
// provider, against the loopback server, as the official SDK helpers are tested.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, jsonSchema, streamText, tool } from "ai";
import { describe, expect, it } from "vitest";
import { actionFromGenerateText, actionFromStreamText } from "../../src/providers/ai-sdk.js";
import { sse, type Reply } from "../support/fake-provider.js";
import { useSdkClients } from "../support/sdk-clients.js";

const clients = useSdkClients();
const { provider } = clients;

const model = () => createOpenAICompatible({ name: "fake", baseURL: `${clients.baseURL}/v1`, apiKey: "test" }).chatModel("gpt-test");
const tools = {
  chaosops_action: tool({
    description: "Take one ChaosOps action",
    inputSchema: jsonSchema<Record<string, unknown>>({ type: "object", properties: { action_type: { type: "string" } }, additionalProperties: true }),
  }),
};

/** A hang-up ends the server's pause at once; the long pause only bounds a client that never stops. */
const UNTIL_HANG_UP = 4_000;

function chunk(delta: Record<string, unknown>, finish: string | null = null) {
  return { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-test", choices: [{ index: 0, delta, finish_reason: finish }] };
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function toolStream(args: string, size: number, pauseMs = UNTIL_HANG_UP): Reply {
  const first = chunk({ role: "assistant", content: null, tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "chaosops_action", arguments: "" } }] });
  const deltas = pieces(args, size).map((p) => chunk({ tool_calls: [{ index: 0, function: { arguments: p } }] }));
  const later = [chunk({ content: "" }), chunk({}, "tool_calls")].map(sse.openai);
  return { kind: "sse", events: [first, ...deltas].map(sse.openai), later: [...later, sse.openaiDone], pauseMs };
}

function textStream(text: string, size: number, pauseMs = UNTIL_HANG_UP, tail = "trailing words"): Reply {
  const events = [chunk({ role: "assistant", content: "" }), ...pieces(text, size).map((p) => chunk({ content: p }))].map(sse.openai);
  return { kind: "sse", events, later: [sse.openai(chunk({ content: tail })), sse.openai(chunk({}, "stop")), sse.openaiDone], pauseMs };
}

const completion = (message: Record<string, unknown>, finish = "stop"): Reply => ({
  kind: "json",
  body: { id: "chatcmpl-1", object: "chat.completion", created: 1, model: "gpt-test", choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: finish }] },
});

describe("actionFromGenerateText with the real ai package", () => {
  it("reads a tool call", async () => {
    provider.reply(
      completion({ content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "chaosops_action", arguments: '{"action_type":"scale","target":"payments","args":{"replicas":6}}' } }] }, "tool_calls"),
    );
    const result = await generateText({ model: model(), prompt: "STEP 1", tools });
    expect(actionFromGenerateText(result, { role: "sre" })).toEqual({ role: "sre", action_type: "scale", target: "payments", args: { replicas: 6 } });
  });

  it("reads the text when there is no tool call, with formats as parseAction reads them", async () => {
    provider.reply(completion({ content: '<think>{"action_type": "restart"}</think> {"action_type": "escalate", "target": "db"}' }));
    const result = await generateText({ model: model(), prompt: "STEP 1" });
    expect(actionFromGenerateText(result, { role: "manager", formats: "lenient" })).toEqual({ role: "manager", action_type: "escalate", target: "db", args: {} });
    expect(actionFromGenerateText(result, { role: "manager" }).action_type).toBe("restart");
  });
});

describe("actionFromStreamText with the real ai package", () => {
  it("reads tool-input deltas and stops the request once the call closes (observed server-side)", async () => {
    provider.reply(toolStream('{"action_type": "restart", "target": "db", "args": {"reason": "lock waits"}}', 3));
    const controller = new AbortController();
    const result = streamText({ model: model(), prompt: "STEP 1", tools, abortSignal: controller.signal });
    const action = await actionFromStreamText(result, { role: "sre", abortController: controller });
    expect(action).toEqual({ role: "sre", action_type: "restart", target: "db", args: { reason: "lock waits" } });
    await provider.settled();
    expect(provider.seen.at(-1)?.hungUpEarly).toBe(true);
  });

  it("reads text deltas with chatter and stops the request once the action closes", async () => {
    provider.reply(textStream('Looking at {the} "metrics".\n```json\n{"action_type": "rollback", "target": "auth"}\n```', 4));
    const controller = new AbortController();
    const result = streamText({ model: model(), prompt: "STEP 1", abortSignal: controller.signal });
    expect(await actionFromStreamText(result, { role: "dev", abortController: controller })).toEqual({ role: "dev", action_type: "rollback", target: "auth", args: {} });
    await provider.settled();
    expect(provider.seen.at(-1)?.hungUpEarly).toBe(true);
  });

  it("does not stop on a draft inside reasoning with formats on: the answer after it decides", async () => {
    provider.reply(textStream('<think>maybe {"action_type": "restart"}</think>', 5, 300, ' {"action_type": "escalate"}'));
    const controller = new AbortController();
    const result = streamText({ model: model(), prompt: "STEP 1", abortSignal: controller.signal });
    expect((await actionFromStreamText(result, { role: "manager", formats: "lenient", abortController: controller })).action_type).toBe("escalate");
  });

  it("lets the request end normally when abortOnFinish is false", async () => {
    provider.reply(toolStream('{"action_type": "resolve"}', 5, 300));
    const result = streamText({ model: model(), prompt: "STEP 1", tools });
    expect((await actionFromStreamText(result, { role: "manager", abortOnFinish: false })).action_type).toBe("resolve");
    await provider.settled();
    expect(provider.seen.at(-1)?.hungUpEarly).toBe(false);
  });

  it("falls back to the whole stream when no object ever closes", async () => {
    provider.reply({ kind: "sse", events: [chunk({ role: "assistant", content: "I am not sure." }), chunk({}, "stop")].map(sse.openai).concat(sse.openaiDone) });
    const result = streamText({ model: model(), prompt: "STEP 1" });
    expect(await actionFromStreamText(result, { role: "sre", fallback: "escalate" })).toEqual({ role: "sre", action_type: "escalate", target: null, args: {} });
  });
});
