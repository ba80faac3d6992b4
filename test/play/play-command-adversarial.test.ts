// `chaosops play` (the built CLI, in a subprocess) where things go wrong: an --out it
// cannot write, a server that is not there, Ctrl-C mid-episode, a model that only fails.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OpenEnvServer } from "../support/openenv-server.js";
import { startPlay, textReply, trajectoryLines, usePlayLoopback } from "../support/play-loopback.js";

const dir = mkdtempSync(join(tmpdir(), "chaosops-play-adv-"));

const loop = usePlayLoopback();

const hasStackTrace = (stderr: string) => /\n\s+at /.test(stderr);

describe("chaosops play where things go wrong", () => {
  it("regression: --out in a missing folder is a clear error, not a stack trace", async () => {
    const out = join(dir, "missing", "t.jsonl");
    const { status, stderr } = await startPlay(["--env", loop.server.wsUrl, "--base-url", loop.baseUrl, "--model", "m", "--out", out]).done;
    expect(status).toBe(1);
    expect(stderr).toMatch(/^chaosops play: cannot write --out .*missing/);
    expect(hasStackTrace(stderr)).toBe(false);
  });

  it("regression: a server that is not there leaves an existing --out file as it was", async () => {
    const out = join(dir, "kept.jsonl");
    writeFileSync(out, '{"earlier": "run"}\n');
    const url = loop.server.wsUrl;
    await loop.server.stop();
    loop.server = await new OpenEnvServer().start();
    const { status, stderr } = await startPlay(["--env", url, "--base-url", loop.baseUrl, "--model", "m", "--out", out]).done;
    expect(status).toBe(1);
    expect(stderr).toMatch(/cannot connect/);
    expect(readFileSync(out, "utf8")).toBe('{"earlier": "run"}\n');
  });

  it("Ctrl-C mid-episode: exit 130, every finished line intact and whole", async () => {
    loop.provider.reply(textReply('{"action_type": "noop"}'), textReply('{"action_type": "noop"}'), { kind: "hang" });
    const out = join(dir, "sigint.jsonl");
    const run = startPlay(["--env", loop.server.wsUrl, "--base-url", loop.baseUrl, "--model", "m", "--quiet", "--out", out]);
    for (let i = 0; i < 200 && !(existsSync(out) && trajectoryLines(out).length === 2); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    run.child.kill("SIGINT");
    const { status, stderr } = await run.done;
    expect(status).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    expect(trajectoryLines(out).map((line) => line.step)).toEqual([0, 1]);
    expect(readFileSync(out, "utf8").endsWith("\n")).toBe(true);
  });

  it("a model endpoint that only fails (500, then 429): the episode goes on with fallbacks and says why", async () => {
    loop.provider.reply(
      { kind: "json", status: 500, body: { error: { message: "boom" } } },
      { kind: "json", status: 429, headers: { "retry-after": "0" }, body: { error: { message: "slow down" } } },
    );
    const out = join(dir, "failing.jsonl");
    const { status, stderr } = await startPlay(["--env", loop.server.wsUrl, "--base-url", loop.baseUrl, "--model", "m", "--attempts", "1", "--max-turns", "3", "--out", out]).done;
    expect(status).toBe(0);
    const written = trajectoryLines(out);
    expect(written).toHaveLength(3);
    expect(written.every((line) => line.action.action_type === "noop")).toBe(true);
    expect(stderr).toMatch(/fallback rate 3\/3/);
    expect(stderr).toMatch(/model error: .*500/);
  });
});
