import { describe, expect, it } from "vitest";
import { actionFromAnthropicStream, actionFromOpenAIStream } from "../../src/providers/provider-streams.js";

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

const toolDelta = (index: number, args: string) => ({ choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: args } }] } }] });
const textDelta = (content: string) => ({ choices: [{ index: 0, delta: { content } }] });

describe("actionFromOpenAIStream on plain chunks", () => {
  it("skips a tool call with blank arguments, as the batch parser does", async () => {
    const action = await actionFromOpenAIStream(from([toolDelta(0, "  "), toolDelta(1, '{"action_type":'), toolDelta(1, '"resolve"}')]), { role: "manager" });
    expect(action.action_type).toBe("resolve");
  });

  it("reads arguments that never close as the batch parser reads them", async () => {
    const action = await actionFromOpenAIStream(from([toolDelta(0, "[1, 2]")]), { role: "sre", fallback: "escalate" });
    expect(action.action_type).toBe("escalate");
  });

  it("finishes on text when no tool call came", async () => {
    const action = await actionFromOpenAIStream(from([textDelta('ok {"action_type": "restart",'), textDelta(' "target": "db"} more')]), { role: "sre" });
    expect(action).toEqual({ role: "sre", action_type: "restart", target: "db", args: {} });
  });

  it("aborts the request through the stream's controller", async () => {
    const controller = new AbortController();
    const stream = Object.assign(from([textDelta('{"action_type": "noop"}'), textDelta("never read")]), { controller });
    await actionFromOpenAIStream(stream, { role: "sre" });
    expect(controller.signal.aborted).toBe(true);
  });

  it("rejects something that is not a stream", async () => {
    await expect(actionFromOpenAIStream(42 as never, { role: "sre" })).rejects.toThrow(TypeError);
  });
});

const start = (index: number, block: unknown) => ({ type: "content_block_start", index, content_block: block });
const delta = (index: number, d: unknown) => ({ type: "content_block_delta", index, delta: d });
const stop = (index: number) => ({ type: "content_block_stop", index });

describe("actionFromAnthropicStream on plain events", () => {
  it("joins text blocks with a newline, as the batch parser does", async () => {
    const events = [start(0, { type: "text", text: "" }), delta(0, { type: "text_delta", text: '{"action_type":' }), stop(0), start(1, { type: "text", text: '"rollback"}' }), stop(1)];
    expect((await actionFromAnthropicStream(from(events), { role: "dev" })).action_type).toBe("rollback");
  });

  it("takes a tool_use whose input came whole at its start", async () => {
    const events = [start(0, { type: "tool_use", id: "t", name: "a", input: { action_type: "resolve" } }), stop(0)];
    expect((await actionFromAnthropicStream(from(events), { role: "manager" })).action_type).toBe("resolve");
  });

  it("lets a tool_use decide over text that came first but never closed an object", async () => {
    const events = [
      start(0, { type: "text", text: "Plan: {" }),
      stop(0),
      start(1, { type: "tool_use", id: "t", name: "a", input: {} }),
      delta(1, { type: "input_json_delta", partial_json: '{"action_type": "escalate"}' }),
      stop(1),
    ];
    expect((await actionFromAnthropicStream(from(events), { role: "manager" })).action_type).toBe("escalate");
  });

  it("gives the fallback for an empty tool_use input, which decides", async () => {
    const events = [start(0, { type: "tool_use", id: "t", name: "a", input: {} }), stop(0), start(1, { type: "text", text: '{"action_type": "restart"}' })];
    expect((await actionFromAnthropicStream(from(events), { role: "sre", fallback: "escalate" })).action_type).toBe("escalate");
  });
});
