// Against a real ChaosOps server, when there is one: set CHAOSOPS_ENV_URL (e.g.
// ws://127.0.0.1:8000/ws) to run these. They replay the recorded episodes through the
// client and play one through `chaosops play` with a loopback model, checking that the
// server's replies match the recordings and the trajectory file matches the replies.
// (The real server cannot be installed where this project's CI runs, so there they skip.)
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ChaosOpsEnv, EnvServerError, fetchHealth, functionPolicy, runEpisode, type EnvAction, type TrajectoryLine } from "../../src/env/index.js";
import { FakeProvider } from "../support/fake-provider.js";
import { loadRecording, type RecordedExchange } from "../support/openenv-server.js";

const url = process.env.CHAOSOPS_ENV_URL;
const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

const data = (exchange: RecordedExchange | undefined) => (exchange?.received as { data: unknown }).data;
const withoutId = (state: unknown) => ({ ...(state as object), episode_id: "" });

describe.skipIf(!url)("the real ChaosOps server", () => {
  const wsUrl = url as string;

  it("is up, and answers the recorded noop episode as recorded", async () => {
    expect(await fetchHealth(wsUrl)).toEqual({ status: "healthy" });
    const recording = loadRecording("ws_episode.jsonl");
    const env = await ChaosOpsEnv.connect(wsUrl);
    try {
      expect(await env.reset({ seed: 7, episodeId: "ep-ws-1" })).toEqual(data(recording[0]));
      for (const exchange of recording.slice(1)) {
        if (exchange.note === "close") continue;
        const reply = exchange.note.startsWith("state") ? await env.state() : await env.step((JSON.parse(exchange.sent as string) as { data: EnvAction }).data);
        expect(reply).toEqual(data(exchange));
      }
      const second = await ChaosOpsEnv.connect(wsUrl);
      await expect(second.reset()).rejects.toBeInstanceOf(EnvServerError);
      await second.close();
    } finally {
      await env.close();
    }
  });

  it("plays the oracle episode to the recorded rewards and state", async () => {
    const recording = loadRecording("ws_episode_resolve.jsonl");
    const env = await ChaosOpsEnv.connect(wsUrl);
    try {
      const policy = functionPolicy(({ role }) =>
        role === "sre" ? '{"action_type": "identify_root_cause", "args": {"failure_type": "db_deadlock"}}' : role === "dev" ? '{"action_type": "restart", "target": "db"}' : '{"action_type": "noop"}',
      );
      const episode = await runEpisode({ env, policy, seed: 7 });
      expect(episode.turns.map((t) => t.reward)).toEqual([28, -4, 110]);
      expect(withoutId(episode.state)).toEqual(withoutId(data(recording[4])));
    } finally {
      await env.close();
    }
  });

  it("chaosops play: the file holds the rewards and done the server sent", async () => {
    const provider = new FakeProvider();
    const base = await provider.start();
    const answer = (content: string) => ({ kind: "json" as const, body: { choices: [{ message: { role: "assistant", content } }] } });
    provider.reply(answer('{"action_type": "identify_root_cause", "args": {"failure_type": "db_deadlock"}}'), answer('{"action_type": "noop"}'), answer('{"action_type": "restart", "target": "db"}'));
    const out = join(mkdtempSync(join(tmpdir(), "chaosops-real-")), "t.jsonl");
    const status = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [CLI, "play", "--env", wsUrl, "--base-url", `${base}/v1`, "--model", "m", "--seed", "7", "--quiet", "--out", out], { stdio: "ignore" });
      child.on("close", resolve);
    });
    await provider.stop();
    expect(status).toBe(0);
    const lines = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as TrajectoryLine);
    const recorded = loadRecording("ws_episode_resolve.jsonl").slice(1, 4);
    expect(lines.map((l) => [l.role, l.action.action_type, l.reward, l.done, l.message])).toEqual(
      recorded.map((e) => {
        const sent = (JSON.parse(e.sent as string) as { data: EnvAction }).data;
        const reply = data(e) as { reward: number; done: boolean; observation: { message: string } };
        return [sent.role, sent.action_type, reply.reward, reply.done, reply.observation.message];
      }),
    );
  });
});
