// `chaosops play` as a user runs it (the built CLI in a subprocess) against the loopback
// ChaosOps server and a loopback OpenAI-compatible endpoint: the trajectory file must
// hold what the server applied and sent.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StepResult, TrajectoryLine } from "../../src/env/index.js";
import type { Reply } from "../support/fake-provider.js";
import { OpenEnvServer } from "../support/openenv-server.js";
import { play, textReply, trajectoryLines, usePlayLoopback } from "../support/play-loopback.js";

const dir = mkdtempSync(join(tmpdir(), "chaosops-play-"));

const loop = usePlayLoopback();

const toolCall = (args: string): Reply => ({
  kind: "json",
  body: { choices: [{ message: { role: "assistant", content: null, tool_calls: [{ id: "1", type: "function", function: { name: "chaosops_action", arguments: args } }] } }] },
});

/** The observation frames the server sent, without the resets'. */
function stepReplies(): StepResult[] {
  return loop.server.sent
    .map((frame) => JSON.parse(frame) as { type: string; data: StepResult })
    .filter((frame) => frame.type === "observation" && frame.data.observation.message !== "Incident detected. Turn 1: SRE. Diagnose, coordinate, and resolve.")
    .map((frame) => frame.data);
}

/** Each line against what the server applied and sent, in order. */
function expectLinesMatchServer(written: TrajectoryLine[]): void {
  const replies = stepReplies();
  expect(written).toHaveLength(loop.server.applied.length);
  written.forEach((line, i) => {
    const applied = loop.server.applied[i];
    expect({ role: line.role, action_type: line.action.action_type, target: line.action.target, args: line.action.args }).toEqual(applied);
    expect([line.reward, line.done, line.message]).toEqual([replies[i]?.reward, replies[i]?.done, replies[i]?.observation.message]);
  });
}

describe("chaosops play", () => {
  it("plays a whole episode to done; the file holds the applied actions, rewards and done the server sent", async () => {
    loop.provider.reply(
      textReply('The db logs show a deadlock.\n{"action_type": "identify_root_cause", "args": {"failure_type": "db_deadlock"}}'),
      textReply('{"action_type": "noop"}'),
      toolCall('{"action_type": "restart", "target": "db"}'),
    );
    const out = join(dir, "resolve.jsonl");
    const { status, stderr } = await play(["--env", loop.server.wsUrl, "--base-url", loop.baseUrl, "--model", "local", "--api-key", "k", "--seed", "7", "--tools", "--temperature", "0.2", "--out", out]);
    expect(status).toBe(0);
    const written = trajectoryLines(out);
    expectLinesMatchServer(written);
    expect(written.map((l) => [l.episode, l.step, l.role, l.reward, l.done])).toEqual([
      [1, 0, "sre", 28, false],
      [1, 1, "oversight", -4, false],
      [1, 2, "dev", 110, true],
    ]);
    expect(written[2]?.completion).toBe('{"action_type": "restart", "target": "db"}');
    expect(written[0]?.detail).toMatchObject({ fallback_used: false, candidate: { kind: "balanced" } });
    expect(written.map((l) => l.messages)).toEqual(loop.provider.seen.map((s) => (s.body as { messages: unknown }).messages));
    const request = loop.provider.seen[0]?.body as { model: string; temperature: number; tools: unknown[] };
    expect([request.model, request.temperature, request.tools.length]).toEqual(["local", 0.2, 1]);
    expect(JSON.parse(loop.server.received[0] as string)).toEqual({ type: "reset", data: { seed: 7 } });
    expect(stderr).toContain("episode 1: 3 turns, return 134 (server's cumulative_reward 134), resolved, fallback rate 0/3 (0.0%)");
    expect(stderr).toContain("episode 1 step 2 dev: restart db → reward 110, done");
  });

  it("plays several episodes in one session, each to done, with --max-turns and fallbacks counted", async () => {
    loop.provider.reply(...Array.from({ length: 6 }, (_, i) => textReply(i % 3 === 2 ? "no idea" : '{"action_type": "noop"}')));
    const out = join(dir, "two.jsonl");
    const { status, stderr } = await play(["--env", loop.server.wsUrl, "--base-url", loop.baseUrl, "--model", "m", "--episodes", "2", "--max-turns", "3", "--attempts", "1", "--quiet", "--out", out]);
    expect(status).toBe(0);
    const written = trajectoryLines(out);
    expectLinesMatchServer(written);
    expect(written.map((l) => [l.episode, l.step, l.detail.fallback_used])).toEqual([
      [1, 0, false], [1, 1, false], [1, 2, true],
      [2, 0, false], [2, 1, false], [2, 2, true],
    ]);
    expect(stderr).toContain("episode 2: 3 turns, return -12 (server's cumulative_reward -12), not resolved, fallback rate 1/3 (33.3%), stopped by --max-turns");
    expect(stderr).not.toContain("step 0");
  });

  it("retries a failing model call with the retry wrapper", async () => {
    loop.provider.reply({ kind: "json", status: 503, body: { error: { message: "loading model" } } }, textReply('{"action_type": "escalate"}'));
    const out = join(dir, "retry.jsonl");
    const { status, stderr } = await play(["--env", loop.server.wsUrl, "--base-url", loop.baseUrl, "--model", "m", "--max-turns", "1", "--out", out]);
    expect(status).toBe(0);
    const [line] = trajectoryLines(out);
    expect([line?.attempts, line?.action.action_type, line?.reward]).toEqual([2, "escalate", -2]);
    expect(stderr).toContain("LLM generation attempt 1 failed");
    expectLinesMatchServer(trajectoryLines(out));
  });

  it("a lost connection ends the episode with a clear error, the lines written so far intact", async () => {
    loop.provider.reply(...Array.from({ length: 5 }, () => textReply('{"action_type": "noop"}')));
    loop.server.dropBeforeReply(4);
    const out = join(dir, "lost.jsonl");
    const { status, stderr } = await play(["--env", loop.server.wsUrl, "--base-url", loop.baseUrl, "--model", "m", "--quiet", "--out", out]);
    expect(status).toBe(1);
    expect(stderr).toContain("episode interrupted after 2 turn(s)");
    expect(stderr).toContain("closed the connection (code 1006)");
    expect(stderr).toContain(`the 2 finished turn(s) are in ${out}`);
    const written = trajectoryLines(out);
    expect(written.map((l) => [l.step, l.reward])).toEqual([[0, -2], [1, -4]]);
    expect(readFileSync(out, "utf8").endsWith("\n")).toBe(true);
  });

  it("says clearly when the server is not there, and on bad usage", async () => {
    await loop.server.stop();
    const out = join(dir, "none.jsonl");
    const absent = await play(["--env", loop.server.wsUrl, "--base-url", loop.baseUrl, "--model", "m", "--out", out]);
    expect(absent.status).toBe(1);
    expect(absent.stderr).toContain(`cannot connect to the ChaosOps server at ${loop.server.wsUrl}`);
    loop.server = await new OpenEnvServer().start();
    const usage = await play(["--env", loop.server.wsUrl, "--model", "m", "--out", out]);
    expect([usage.status, usage.stderr.split("\n")[0]]).toEqual([2, "chaosops play: --base-url is required"]);
    const formats = await play(["--env", loop.server.wsUrl, "--base-url", loop.baseUrl, "--model", "m", "--out", out, "--formats", "yaml"]);
    expect(formats.status).toBe(2);
    const help = await play(["--help"]);
    expect([help.status, help.stdout.startsWith("usage:\n  chaosops play")]).toEqual([0, true]);
  });
});
