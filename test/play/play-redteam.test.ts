// `chaosops play` (the built CLI, in a subprocess) against the loopback ChaosOps server
// and an OpenAI-compatible loopback that answers as vLLM and llama.cpp's llama-server
// really do: tool calls with string arguments and null content, reasoning in
// `reasoning_content`, `finish_reason` "length" mid-action, their error bodies, 503 while
// the model loads, 429 with Retry-After. Also the one-session rule: a run refused with
// CAPACITY_REACHED. Each defect found is a named regression test.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ChaosOpsEnv, type StepResult, type TrajectoryLine } from "../../src/env/index.js";
import { FakeProvider, type Reply } from "../support/fake-provider.js";
import { play, trajectoryLines, usePlayLoopback } from "../support/play-loopback.js";

const dir = mkdtempSync(join(tmpdir(), "chaosops-play-redteam-"));

const loop = usePlayLoopback();

/** Each line against what the server applied and sent, in order. */
function expectLinesMatchServer(written: TrajectoryLine[]): void {
  const replies = loop.server.sent
    .map((frame) => JSON.parse(frame) as { type: string; data: StepResult })
    .filter((frame) => frame.type === "observation" && frame.data.observation.step > 0)
    .map((frame) => frame.data);
  expect(written).toHaveLength(loop.server.applied.length);
  written.forEach((line, i) => {
    const applied = loop.server.applied[i];
    expect({ role: line.role, action_type: line.action.action_type, target: line.action.target ?? null }).toEqual({ role: applied?.role, action_type: applied?.action_type, target: applied?.target });
    expect([line.reward, line.done, line.message]).toEqual([replies[i]?.reward, replies[i]?.done, replies[i]?.observation.message]);
  });
}

const completion = (message: Record<string, unknown>, finishReason: string): Reply => ({
  kind: "json",
  body: {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "local",
    choices: [{ index: 0, message: { role: "assistant", ...message }, logprobs: null, finish_reason: finishReason }],
    usage: { prompt_tokens: 500, completion_tokens: 20, total_tokens: 520 },
  },
});

/** vLLM with a reasoning parser and a tool parser: reasoning apart, content null, arguments a JSON string. */
const vllmToolCall = (args: string): Reply =>
  completion(
    {
      content: null,
      reasoning_content: "The db logs show a deadlock; the SRE should name it.",
      tool_calls: [{ id: "chatcmpl-tool-1", type: "function", function: { name: "chaosops_action", arguments: args } }],
    },
    "tool_calls",
  );

/** llama-server with --jinja: a tool call (content null, arguments a string), or text with the reasoning left in. */
const llamaToolCall = (args: string): Reply => completion({ content: null, tool_calls: [{ type: "function", function: { name: "chaosops_action", arguments: args }, id: "abc" }] }, "tool_calls");
const llamaText = (content: string, finishReason = "stop"): Reply => completion({ content }, finishReason);

describe("an OpenAI-compatible endpoint that answers as vLLM does", () => {
  it("tool calls with null content and reasoning apart: the arguments are the completion; the resolving episode's rewards as sent", async () => {
    loop.provider.reply(
      vllmToolCall('{"action_type": "identify_root_cause", "args": {"failure_type": "db_deadlock"}}'),
      vllmToolCall('{"action_type": "noop"}'),
      vllmToolCall('{"action_type": "restart", "target": "db"}'),
    );
    const out = join(dir, "vllm.jsonl");
    const { status, stderr } = await play(["--env", loop.server.wsUrl, "--base-url", loop.baseUrl, "--model", "Qwen/Qwen3-8B", "--tools", "--seed", "7", "--quiet", "--out", out]);
    expect(status).toBe(0);
    const written = trajectoryLines(out);
    expectLinesMatchServer(written);
    expect(written.map((l) => [l.role, l.completion, l.reward, l.done])).toEqual([
      ["sre", '{"action_type": "identify_root_cause", "args": {"failure_type": "db_deadlock"}}', 28, false],
      ["oversight", '{"action_type": "noop"}', -4, false],
      ["dev", '{"action_type": "restart", "target": "db"}', 110, true],
    ]);
    expect(stderr).toContain("episode 1: 3 turns, return 134 (server's cumulative_reward 134), resolved, fallback rate 0/3 (0.0%)");
  });

  it("vLLM's 400 error body (context too long) is not retried: the turn falls back, says why, and the episode goes on", async () => {
    const tooLong = { object: "error", message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.", type: "BadRequestError", param: null, code: 400 };
    loop.provider.reply({ kind: "json", status: 400, body: tooLong }, vllmToolCall('{"action_type": "noop"}'));
    const out = join(dir, "vllm-400.jsonl");
    const { status, stderr } = await play(["--env", loop.server.wsUrl, "--base-url", loop.baseUrl, "--model", "m", "--tools", "--max-turns", "2", "--out", out]);
    expect(status).toBe(0);
    const written = trajectoryLines(out);
    expectLinesMatchServer(written);
    expect(written.map((l) => [l.attempts, l.detail.fallback_used, l.action.action_type])).toEqual([[1, true, "noop"], [1, false, "noop"]]);
    expect(written[0]?.model_error).toContain("maximum context length");
    expect(stderr).toContain("model error");
  });
});

describe("an OpenAI-compatible endpoint that answers as llama.cpp's llama-server does", () => {
  it("503 while the model loads and 429 with Retry-After are retried; the line holds the answer that came", async () => {
    loop.provider.reply(
      { kind: "json", status: 503, body: { error: { code: 503, message: "Loading model", type: "unavailable_error" } } },
      { kind: "json", status: 429, headers: { "retry-after": "0" }, body: { error: { code: 429, message: "too many requests", type: "rate_limit_error" } } },
      llamaToolCall('{"action_type":"identify_root_cause","args":{"failure_type":"db_deadlock"}}'),
    );
    const out = join(dir, "llama-retry.jsonl");
    const { status } = await play(["--env", loop.server.wsUrl, "--base-url", loop.baseUrl, "--model", "local", "--tools", "--seed", "7", "--max-turns", "1", "--quiet", "--out", out]);
    expect(status).toBe(0);
    const [line] = trajectoryLines(out);
    expect([line?.attempts, line?.action.action_type, line?.reward]).toEqual([3, "identify_root_cause", 28]);
    expectLinesMatchServer(trajectoryLines(out));
  });

  it("text with the reasoning left in (<think>…</think>), and an action cut by max_tokens (finish_reason length) read with --formats lenient", async () => {
    loop.provider.reply(
      llamaText('<think>\nThe db is deadlocked. {"action_type": "escalate"} would be wrong.\n</think>\n{"action_type": "identify_root_cause", "args": {"failure_type": "db_deadlock"}}'),
      llamaText('{"action_type": "noop"}'),
      llamaText('{"action_type": "restart", "target": "db"', "length"),
    );
    const out = join(dir, "llama-text.jsonl");
    const { status } = await play(["--env", loop.server.wsUrl, "--base-url", loop.baseUrl, "--model", "local", "--formats", "lenient", "--seed", "7", "--quiet", "--out", out]);
    expect(status).toBe(0);
    const written = trajectoryLines(out);
    expectLinesMatchServer(written);
    expect(written.map((l) => [l.action.action_type, l.action.target ?? null, l.reward, l.done])).toEqual([
      ["identify_root_cause", null, 28, false],
      ["noop", null, -4, false],
      ["restart", "db", 110, true],
    ]);
  });
});

describe("one session at a time", () => {
  it("regression: a run refused with CAPACITY_REACHED says so and leaves an existing --out file as it was (it was emptied)", async () => {
    const holder = await ChaosOpsEnv.connect(loop.server.wsUrl);
    try {
      await holder.reset();
      const out = join(dir, "busy.jsonl");
      writeFileSync(out, '{"episode":1}\n');
      const { status, stderr } = await play(["--env", loop.server.wsUrl, "--base-url", loop.baseUrl, "--model", "m", "--out", out]);
      expect(status).toBe(1);
      expect(stderr).toContain("CAPACITY_REACHED: Server at capacity: 1/1 sessions active.");
      expect(readFileSync(out, "utf8")).toBe('{"episode":1}\n');
      expect(loop.provider.seen).toHaveLength(0);
    } finally {
      await holder.close();
    }
  });
});

describe("a model endpoint set up wrong", () => {
  it.each([
    ["404, a --base-url without /v1 (vLLM serves only /v1/chat/completions)", 404, { detail: "Not Found" }],
    ["404, vLLM's unknown model", 404, { object: "error", message: "The model `gpt-4` does not exist.", type: "NotFoundError", param: null, code: 404 }],
    ["401, llama-server started with --api-key", 401, { error: { code: 401, message: "Invalid API Key", type: "authentication_error" } }],
  ])("regression: %s stops the run with a clear error (exit 1) instead of writing an episode of fallbacks", async (_name, status, body) => {
    loop.provider.reply(...Array.from({ length: 30 }, () => ({ kind: "json" as const, status, body })));
    const out = join(dir, `wrong-${status}.jsonl`);
    writeFileSync(out, '{"episode":1}\n');
    const run = await play(["--env", loop.server.wsUrl, "--base-url", loop.baseUrl, "--model", "m", "--quiet", "--out", out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`answered HTTP ${status}`);
    expect(run.stderr).toContain("check --base-url (the API root, e.g. http://127.0.0.1:8080/v1), --model and --api-key");
    expect(loop.provider.seen).toHaveLength(1);
    expect(readFileSync(out, "utf8")).toBe('{"episode":1}\n');
  });
});

describe("a model endpoint that is not there", () => {
  it("regression: nothing listening at --base-url: every attempt of the first turn is tried, then the run stops with a clear error (exit 1), the earlier file kept", async () => {
    const url = loop.baseUrl;
    await loop.provider.stop();
    loop.provider = new FakeProvider();
    await loop.provider.start();
    const out = join(dir, "no-model.jsonl");
    writeFileSync(out, '{"episode":1}\n');
    const run = await play(["--env", loop.server.wsUrl, "--base-url", url, "--model", "m", "--attempts", "2", "--quiet", "--out", out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("LLM generation attempt 1 failed");
    expect(run.stderr).toContain("cause: connect ECONNREFUSED");
    expect(run.stderr).toContain(`nothing answers at --base-url ${url}: is the model server running`);
    expect(readFileSync(out, "utf8")).toBe('{"episode":1}\n');
  });
});
