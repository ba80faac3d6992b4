// Structured tool calls to one function per action type (openaiToolSpecs / anthropicToolSpecs):
// the function's name is the action type when the formats read native calls, through every
// provider entry point; without formats the reference's reading stays.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ActionType, FailureType } from "../../src/model/enums.js";
import type { ChaosOpsAction } from "../../src/model/types.js";
import type { FormatsOption } from "../../src/formats/formats.js";
import { anthropicToolSpecs, openaiToolSpecs } from "../../src/prompting/action-tools.js";
import { parseAnthropicResponse, parseOpenAIResponse } from "../../src/providers/providers.js";
import { actionFromAnthropicStream, actionFromOpenAIStream } from "../../src/providers/provider-streams.js";
import { actionFromGenerateText, actionFromStreamText } from "../../src/providers/ai-sdk.js";
import { actionJson, actionType, args as anyArgs, chunkings, role as anyRole, target as anyTarget } from "../support/arbitraries.js";

/** Realistic arguments a model gives each declared function, and the action a person reads in the call. */
const CALLS: Record<ActionType, { args: Record<string, unknown>; target: string | null; expectedArgs: Record<string, unknown> }> = {
  noop: { args: {}, target: null, expectedArgs: {} },
  communicate: { args: { to: "dev", message: "Rolling back payments in 2 min, hold deploys." }, target: null, expectedArgs: { to: "dev", message: "Rolling back payments in 2 min, hold deploys." } },
  restart: { args: { target: "db" }, target: "db", expectedArgs: {} },
  rollback: { args: { target: "payments" }, target: "payments", expectedArgs: {} },
  scale: { args: { target: "payments", replicas: 4 }, target: "payments", expectedArgs: { replicas: 4 } },
  flag_rogue: { args: { target: "autoscaler" }, target: "autoscaler", expectedArgs: {} },
  identify_root_cause: { args: { failure_type: Object.values(FailureType)[0] }, target: null, expectedArgs: { failure_type: Object.values(FailureType)[0] } },
  escalate: { args: { target: "db", reason: "error budget burnt, need the DBA on call" }, target: "db", expectedArgs: { reason: "error budget burnt, need the DBA on call" } },
  resolve: { args: { target: "db" }, target: "db", expectedArgs: {} },
};

const ROLE = "sre" as const;
const LENIENT = { role: ROLE, formats: "lenient" as FormatsOption };
const TOOL_CALL_ONLY = { role: ROLE, formats: ["tool_call"] as FormatsOption };

interface Case {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly json: string;
  readonly expected: ChaosOpsAction;
}

/** One call per declared function, its arguments checked against the declaration. */
function cases(): Case[] {
  const anthropic = new Map(anthropicToolSpecs().map((spec) => [spec.name, spec.input_schema]));
  return openaiToolSpecs().map(({ function: fn }) => {
    const call = CALLS[fn.name];
    for (const key of Object.keys(call.args)) expect(fn.parameters.properties).toHaveProperty(key);
    for (const key of fn.parameters.required) expect(call.args).toHaveProperty(key);
    expect(anthropic.get(fn.name)).toEqual(fn.parameters);
    return {
      name: fn.name,
      args: call.args,
      json: JSON.stringify(call.args, null, 1),
      expected: { role: ROLE, action_type: fn.name, target: call.target, args: call.expectedArgs },
    };
  });
}

const CASES = cases();

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [""];
}

/** An async iterable that counts what was taken from it. */
function counted<T>(events: readonly T[]): AsyncIterable<T> & { taken: number } {
  const source = {
    taken: 0,
    async *[Symbol.asyncIterator]() {
      for (const event of events) {
        source.taken++;
        yield event;
      }
    },
  };
  return source;
}

const openaiChunk = (delta: Record<string, unknown>) => ({ choices: [{ index: 0, delta, finish_reason: null }] });

function openaiEvents(name: string, argPieces: readonly string[], tail = 3): unknown[] {
  return [
    openaiChunk({ role: "assistant", content: null, tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name, arguments: "" } }] }),
    ...argPieces.map((p) => openaiChunk({ tool_calls: [{ index: 0, function: { arguments: p } }] })),
    ...Array.from({ length: tail }, () => openaiChunk({ content: "" })),
    { choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
  ];
}

function anthropicEvents(name: string, jsonPieces: readonly string[], stop = true): unknown[] {
  return [
    { type: "message_start", message: { content: [] } },
    { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_1", name, input: {} } },
    ...jsonPieces.map((p) => ({ type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: p } })),
    ...(stop ? [{ type: "content_block_stop", index: 0 }, { type: "message_delta", delta: { stop_reason: "tool_use" } }, { type: "message_stop" }] : []),
  ];
}

function streamTextParts(name: string, deltas: readonly string[], input: unknown, whole = true): unknown[] {
  return [
    { type: "start" },
    { type: "tool-input-start", id: "call_1", toolName: name },
    ...deltas.map((delta) => ({ type: "tool-input-delta", id: "call_1", delta })),
    { type: "tool-input-end", id: "call_1" },
    ...(whole ? [{ type: "tool-call", toolCallId: "call_1", toolName: name, input }] : []),
    { type: "finish" },
  ];
}

const openaiResponse = (name: string, args: unknown) => ({ choices: [{ message: { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name, arguments: args } }] } }] });
const anthropicResponse = (name: string, input: unknown) => ({ content: [{ type: "tool_use", id: "toolu_1", name, input }] });

describe("one function per action type, with formats that read calls", () => {
  it.each(CASES)("parseOpenAIResponse reads $name(…) as its action (arguments as text and as an object)", ({ name, json, args, expected }) => {
    expect(parseOpenAIResponse(openaiResponse(name, json), LENIENT)).toEqual(expected);
    expect(parseOpenAIResponse(openaiResponse(name, args), LENIENT)).toEqual(expected);
    expect(parseOpenAIResponse(openaiResponse(`functions.${name}`, json), TOOL_CALL_ONLY)).toEqual(expected);
  });

  it.each(CASES)("parseAnthropicResponse reads tool_use $name as its action", ({ name, args, expected }) => {
    expect(parseAnthropicResponse(anthropicResponse(name, args), LENIENT)).toEqual(expected);
    expect(parseAnthropicResponse(anthropicResponse(name, args), TOOL_CALL_ONLY)).toEqual(expected);
  });

  it.each(CASES)("actionFromGenerateText reads toolName $name as its action (ai v5 input, v4 args)", ({ name, args, json, expected }) => {
    expect(actionFromGenerateText({ text: "", toolCalls: [{ toolName: name, input: args }] }, LENIENT)).toEqual(expected);
    expect(actionFromGenerateText({ text: "", toolCalls: [{ toolName: name, args: json }] }, LENIENT)).toEqual(expected);
  });

  it.each(CASES)("actionFromOpenAIStream reads $name in deltas of 1–7 characters and stops once the arguments close", async ({ name, json, expected }) => {
    for (let size = 1; size <= 7; size++) {
      const events = openaiEvents(name, pieces(json, size));
      const stream = counted(events);
      expect(await actionFromOpenAIStream(stream, LENIENT)).toEqual(expected);
      expect(stream.taken).toBeLessThan(events.length);
    }
  });

  it.each(CASES)("actionFromAnthropicStream reads $name in deltas of 1–7 characters", async ({ name, json, expected }) => {
    for (let size = 1; size <= 7; size++) {
      const events = anthropicEvents(name, pieces(json, size));
      const stream = counted(events);
      expect(await actionFromAnthropicStream(stream, LENIENT)).toEqual(expected);
      expect(stream.taken).toBeLessThan(events.length);
    }
  });

  it.each(CASES)("actionFromStreamText reads $name in deltas of 1–7 characters, with or without the whole tool-call part", async ({ name, json, args, expected }) => {
    for (let size = 1; size <= 7; size++) {
      expect(await actionFromStreamText(counted(streamTextParts(name, pieces(json, size), args)), LENIENT)).toEqual(expected);
      const parts = streamTextParts(name, pieces(json, size), undefined, false);
      const stream = counted(parts);
      expect(await actionFromStreamText(stream, LENIENT)).toEqual(expected);
      expect(stream.taken).toBeLessThan(parts.length);
    }
  });

  it("streams cut anywhere read the same as the whole call (random chunkings)", async () => {
    const arb = fc.tuple(fc.constantFrom(...CASES), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 40 }));
    await fc.assert(
      fc.asyncProperty(arb, async ([c, sizes]) => {
        const chunks: string[] = [];
        for (let at = 0, i = 0; at < c.json.length; i++) {
          const size = sizes[i % sizes.length] ?? 1;
          chunks.push(c.json.slice(at, at + size));
          at += size;
        }
        expect(await actionFromOpenAIStream(counted(openaiEvents(c.name, chunks)), LENIENT)).toEqual(c.expected);
        expect(await actionFromAnthropicStream(counted(anthropicEvents(c.name, chunks)), LENIENT)).toEqual(c.expected);
        expect(await actionFromStreamText(counted(streamTextParts(c.name, chunks, undefined, false)), LENIENT)).toEqual(c.expected);
      }),
    );
  });
});

describe("a call cut in its arguments", () => {
  const cut = '{"target": "payments", "replicas": 4, "rea';
  const expected: ChaosOpsAction = { role: ROLE, action_type: "scale", target: "payments", args: { replicas: 4 } };

  it("is read as the truncated format reads JSON, only at the end of the stream", async () => {
    expect(parseOpenAIResponse(openaiResponse("scale", cut), LENIENT)).toEqual(expected);
    for (let size = 1; size <= 7; size++) {
      expect(await actionFromOpenAIStream(counted(openaiEvents("scale", pieces(cut, size))), LENIENT)).toEqual(expected);
      expect(await actionFromAnthropicStream(counted(anthropicEvents("scale", pieces(cut, size), false)), LENIENT)).toEqual(expected);
      expect(await actionFromStreamText(counted(streamTextParts("scale", pieces(cut, size), undefined, false)), LENIENT)).toEqual(expected);
    }
  });

  it("gives nothing by its name before its first complete member (read as without a name)", () => {
    const early = '{"target": "paym';
    expect(parseOpenAIResponse(openaiResponse("scale", early), LENIENT)).toEqual(parseOpenAIResponse(openaiResponse("chaosops_action", early), LENIENT));
  });

  it("is not read by its name without the truncated format", () => {
    expect(parseOpenAIResponse(openaiResponse("scale", cut), { role: ROLE, formats: ["tool_call"] }).action_type).toBe("noop");
  });
});

describe("what stays as it was", () => {
  it.each(CASES.filter((c) => c.name !== "noop"))("without formats, $name(…) reads as the reference reads its arguments: no action_type, the fallback", async ({ name, json, args, expected }) => {
    // The reference reads `args` only from an `args` member: the per-action arguments are lost.
    const fallback = { ...expected, action_type: "noop", args: {} };
    expect(parseOpenAIResponse(openaiResponse(name, json), { role: ROLE })).toEqual(fallback);
    expect(parseAnthropicResponse(anthropicResponse(name, args), { role: ROLE })).toEqual(fallback);
    expect(actionFromGenerateText({ toolCalls: [{ toolName: name, input: args }] }, { role: ROLE })).toEqual(fallback);
    expect(await actionFromOpenAIStream(counted(openaiEvents(name, pieces(json, 3))), { role: ROLE })).toEqual(fallback);
    expect(await actionFromAnthropicStream(counted(anthropicEvents(name, pieces(json, 3))), { role: ROLE })).toEqual(fallback);
    expect(await actionFromStreamText(counted(streamTextParts(name, pieces(json, 3), args)), { role: ROLE })).toEqual(fallback);
  });

  it("formats without the tool-call format do not read the name", () => {
    expect(parseOpenAIResponse(openaiResponse("restart", '{"target": "db"}'), { role: ROLE, formats: ["python", "relaxed"] }).action_type).toBe("noop");
  });

  it("a call to an unknown function is read as callFields reads it: no action by name, the arguments as without a name", () => {
    const response = openaiResponse("lookup_runbook", '{"target": "db"}');
    expect(parseOpenAIResponse(response, LENIENT)).toEqual({ role: ROLE, action_type: "noop", target: "db", args: {} });
    const typed = openaiResponse("lookup_runbook", '{"action_type": "rollback", "target": "db"}');
    expect(parseOpenAIResponse(typed, LENIENT)).toEqual({ role: ROLE, action_type: "rollback", target: "db", args: {} });
  });

  it("arguments that name a recognised action type win over the function name", () => {
    expect(parseOpenAIResponse(openaiResponse("restart", '{"action_type": "rollback", "target": "db"}'), LENIENT).action_type).toBe("rollback");
    expect(parseOpenAIResponse(openaiResponse("restart", '{"action_type": "reboot", "target": "db"}'), LENIENT).action_type).toBe("restart");
  });

  it("property: with formats, a chaosops_action call whose arguments are a whole action gives what it gives without formats", async () => {
    await fc.assert(
      fc.asyncProperty(actionJson, anyRole, fc.integer({ min: 1, max: 7 }), async (json, role, size) => {
        const plain = { role };
        const lenient = { role, formats: "lenient" as FormatsOption };
        const payload = JSON.parse(json) as Record<string, unknown>;
        const expected = parseOpenAIResponse(openaiResponse("chaosops_action", json), plain);
        expect(parseOpenAIResponse(openaiResponse("chaosops_action", json), lenient)).toEqual(expected);
        expect(parseAnthropicResponse(anthropicResponse("chaosops_action", payload), lenient)).toEqual(parseAnthropicResponse(anthropicResponse("chaosops_action", payload), plain));
        expect(actionFromGenerateText({ toolCalls: [{ toolName: "chaosops_action", input: json }] }, lenient)).toEqual(expected);
        expect(await actionFromOpenAIStream(counted(openaiEvents("chaosops_action", pieces(json, size))), lenient)).toEqual(expected);
        expect(await actionFromAnthropicStream(counted(anthropicEvents("chaosops_action", pieces(json, size))), lenient)).toEqual(
          await actionFromAnthropicStream(counted(anthropicEvents("chaosops_action", pieces(json, size))), plain),
        );
        expect(await actionFromStreamText(counted(streamTextParts("chaosops_action", pieces(json, size), undefined, false)), lenient)).toEqual(expected);
      }),
    );
  });
});

describe("streams agree with the batch reading", () => {
  const name = fc.oneof(actionType, fc.constantFrom("chaosops_action", "functions.scale", "lookup_runbook"), fc.string({ maxLength: 12 }));
  const argsText = fc
    .record({ target: anyTarget, args: anyArgs, extra: anyArgs }, { requiredKeys: [] })
    .map((value) => ({ ...value.extra, ...(value.target === undefined ? {} : { target: value.target }), ...(value.args === undefined ? {} : { args: value.args }) }))
    .chain((value) => {
      const json = JSON.stringify(value);
      return fc.oneof(fc.constant(json), fc.nat({ max: json.length }).map((n) => json.slice(0, n)));
    });

  it("property: any named call, whole or cut, streamed in any chunking, reads as the whole response reads", async () => {
    await fc.assert(
      fc.asyncProperty(name, argsText.chain((text) => fc.tuple(fc.constant(text), chunkings(text))), async (fn, [text, chunks]) => {
        const batch = parseOpenAIResponse(openaiResponse(fn, text), LENIENT);
        expect(await actionFromOpenAIStream(counted(openaiEvents(fn, chunks)), LENIENT)).toEqual(batch);
        expect(await actionFromStreamText(counted(streamTextParts(fn, chunks, undefined, false)), LENIENT)).toEqual(actionFromGenerateText({ toolCalls: [{ toolName: fn, input: text }] }, LENIENT));
        const anthropicBatch = await actionFromAnthropicStream(counted(anthropicEvents(fn, [text])), LENIENT);
        expect(await actionFromAnthropicStream(counted(anthropicEvents(fn, chunks)), LENIENT)).toEqual(anthropicBatch);
      }),
    );
  });
});
