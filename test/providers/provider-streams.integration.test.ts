// The stream helpers driven through the real openai and @anthropic-ai/sdk clients,
// against a loopback server that answers in the providers' recorded shapes.
import { describe, expect, it } from "vitest";
import { actionFromAnthropicStream, actionFromOpenAIStream } from "../../src/providers/provider-streams.js";
import { parseAnthropicResponse, parseOpenAIResponse } from "../../src/providers/providers.js";
import { sse, type Reply } from "../support/fake-provider.js";
import { useSdkClients } from "../support/sdk-clients.js";

const clients = useSdkClients();
const { provider } = clients;

const messages = [{ role: "user" as const, content: "STEP 1\nROLE SRE" }];

/** An OpenAI stream chunk with one delta. */
function chunk(delta: Record<string, unknown>, finish: string | null = null) {
  return { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-test", choices: [{ index: 0, delta, finish_reason: finish }] };
}

/** Splits text into pieces of `size` characters. */
function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** A hang-up ends the server's pause at once; the long pause only bounds a client that never stops. */
const UNTIL_HANG_UP = 4_000;

function openaiToolStream(args: string, size: number, tail: number, pauseMs = UNTIL_HANG_UP): Reply {
  const first = chunk({ role: "assistant", content: null, tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "chaosops_action", arguments: "" } }] });
  const deltas = pieces(args, size).map((p) => chunk({ tool_calls: [{ index: 0, function: { arguments: p } }] }));
  const later = [...Array.from({ length: tail }, () => chunk({ content: "" })), chunk({}, "tool_calls")].map(sse.openai);
  return { kind: "sse", events: [first, ...deltas].map(sse.openai), later: [...later, sse.openaiDone], pauseMs };
}

describe("OpenAI through the openai SDK", () => {
  it("reads a non-streamed tool call", async () => {
    provider.reply({
      kind: "json",
      body: {
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1,
        model: "gpt-test",
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "chaosops_action", arguments: '{"action_type":"scale","target":"payments","args":{"replicas":6}}' } }] },
            finish_reason: "tool_calls",
          },
        ],
      },
    });
    const response = await clients.openai.chat.completions.create({ model: "gpt-test", messages });
    expect(parseOpenAIResponse(response, { role: "sre" })).toEqual({ role: "sre", action_type: "scale", target: "payments", args: { replicas: 6 } });
  });

  it("reads a tool call split across many deltas, and stops the stream once it closes", async () => {
    provider.reply(openaiToolStream('{"action_type": "restart", "target": "db", "args": {"reason": "lock waits on orders"}}', 3, 20));
    const stream = await clients.openai.chat.completions.create({ model: "gpt-test", messages, stream: true });
    const action = await actionFromOpenAIStream(stream, { role: "sre" });
    expect(action).toEqual({ role: "sre", action_type: "restart", target: "db", args: { reason: "lock waits on orders" } });
    await provider.settled();
    expect(provider.seen.at(-1)?.hungUpEarly).toBe(true);
  });

  it("takes the promise create() returns, not only the stream", async () => {
    provider.reply(openaiToolStream('{"action_type": "escalate"}', 4, 1));
    const pending = clients.openai.chat.completions.create({ model: "gpt-test", messages, stream: true });
    expect((await actionFromOpenAIStream(pending, { role: "manager" })).action_type).toBe("escalate");
  });

  it("reads a text answer with chatter, braces and quotes before the action", async () => {
    const text = 'Looking at {the} "metrics" first.\n```json\n{"action_type": "rollback", "target": "auth"}\n```\nDone.';
    const events = [chunk({ role: "assistant", content: "" }), ...pieces(text, 4).map((p) => chunk({ content: p }))].map(sse.openai);
    provider.reply({ kind: "sse", events: [...events, sse.openai(chunk({}, "stop")), sse.openaiDone] });
    const stream = await clients.openai.chat.completions.create({ model: "gpt-test", messages, stream: true });
    expect(await actionFromOpenAIStream(stream, { role: "dev" })).toEqual({ role: "dev", action_type: "rollback", target: "auth", args: {} });
  });

  it("lets the request end normally when abortOnFinish is false", async () => {
    provider.reply(openaiToolStream('{"action_type": "resolve"}', 5, 2, 300));
    const stream = await clients.openai.chat.completions.create({ model: "gpt-test", messages, stream: true });
    expect((await actionFromOpenAIStream(stream, { role: "manager", abortOnFinish: false })).action_type).toBe("resolve");
    await provider.settled();
    expect(provider.seen.at(-1)?.hungUpEarly).toBe(false);
  });

  it("falls back to the whole response when no object ever closes", async () => {
    provider.reply({ kind: "sse", events: [chunk({ role: "assistant", content: "I am not sure." }), chunk({}, "stop")].map(sse.openai).concat(sse.openaiDone) });
    const stream = await clients.openai.chat.completions.create({ model: "gpt-test", messages, stream: true });
    expect(await actionFromOpenAIStream(stream, { role: "sre", fallback: "escalate" })).toEqual({ role: "sre", action_type: "escalate", target: null, args: {} });
  });
});

const message = (content: unknown[]) => ({
  id: "msg_1",
  type: "message",
  role: "assistant",
  model: "claude-test",
  content,
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 10 },
});

function anthropicEvents(blocks: Array<{ kind: "text"; text: string } | { kind: "tool_use"; json: string }>, size: number): string[] {
  const events: { type: string }[] = [{ type: "message_start", ...{ message: message([]) } }];
  blocks.forEach((block, index) => {
    if (block.kind === "text") {
      events.push({ type: "content_block_start", ...{ index, content_block: { type: "text", text: "" } } });
      for (const p of pieces(block.text, size)) events.push({ type: "content_block_delta", ...{ index, delta: { type: "text_delta", text: p } } });
    } else {
      events.push({ type: "content_block_start", ...{ index, content_block: { type: "tool_use", id: "toolu_1", name: "chaosops_action", input: {} } } });
      for (const p of pieces(block.json, size)) events.push({ type: "content_block_delta", ...{ index, delta: { type: "input_json_delta", partial_json: p } } });
    }
    events.push({ type: "content_block_stop", ...{ index } });
  });
  return events.map(sse.anthropic);
}

const anthropicEnd = [
  { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 30 } },
  { type: "message_stop" },
].map(sse.anthropic);

describe("Anthropic through the @anthropic-ai/sdk client", () => {
  it("reads a non-streamed tool_use after text", async () => {
    provider.reply({
      kind: "json",
      body: message([
        { type: "text", text: "I will flag it." },
        { type: "tool_use", id: "toolu_1", name: "chaosops_action", input: { action_type: "flag_rogue", target: "autoscaler" } },
      ]),
    });
    const response = await clients.anthropic.messages.create({ model: "claude-test", max_tokens: 100, messages });
    expect(parseAnthropicResponse(response, { role: "oversight" })).toEqual({ role: "oversight", action_type: "flag_rogue", target: "autoscaler", args: {} });
  });

  it("reads tool input split across input_json_delta events, and stops the stream once it closes", async () => {
    const events = anthropicEvents(
      [
        { kind: "text", text: "Let me scale payments." },
        { kind: "tool_use", json: '{"action_type": "scale", "target": "payments", "args": {"replicas": 4}}' },
      ],
      2,
    );
    const cut = events.findIndex((e) => e.includes("content_block_stop") && e.includes('"index":1'));
    provider.reply({ kind: "sse", events: events.slice(0, cut), later: [...events.slice(cut), ...anthropicEnd], pauseMs: UNTIL_HANG_UP });
    const stream = await clients.anthropic.messages.create({ model: "claude-test", max_tokens: 100, messages, stream: true });
    expect(await actionFromAnthropicStream(stream, { role: "sre" })).toEqual({ role: "sre", action_type: "scale", target: "payments", args: { replicas: 4 } });
    await provider.settled();
    expect(provider.seen.at(-1)?.hungUpEarly).toBe(true);
  });

  it("reads a text answer through messages.stream()", async () => {
    const events = anthropicEvents([{ kind: "text", text: 'Chatter with {braces} and "quotes". {"action_type": "identify_root_cause", "args": {"failure_type": "db_deadlock"}} trailing' }], 5);
    provider.reply({ kind: "sse", events: [...events, ...anthropicEnd] });
    const stream = clients.anthropic.messages.stream({ model: "claude-test", max_tokens: 100, messages });
    expect(await actionFromAnthropicStream(stream, { role: "dev" })).toEqual({
      role: "dev",
      action_type: "identify_root_cause",
      target: null,
      args: { failure_type: "db_deadlock" },
    });
  });
});
