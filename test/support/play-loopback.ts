// What the `chaosops play` tests share: the built CLI run in a subprocess (without
// blocking this process: the loopback servers answer from here), a loopback ChaosOps
// server and OpenAI-compatible endpoint made fresh for each test, and the trajectory file
// read back.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach } from "vitest";
import type { TrajectoryLine } from "../../src/env/index.js";
import { FakeProvider, type Reply } from "./fake-provider.js";
import { OpenEnvServer } from "./openenv-server.js";

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export interface PlayLoopback {
  server: OpenEnvServer;
  provider: FakeProvider;
  /** The endpoint's base URL, with its /v1. */
  baseUrl: string;
}

/** A loopback pair started before each test of the calling file and stopped after it; read its fields inside tests. */
export function usePlayLoopback(): PlayLoopback {
  const loop = {} as PlayLoopback;
  beforeEach(async () => {
    loop.server = await new OpenEnvServer().start();
    loop.provider = new FakeProvider();
    loop.baseUrl = `${await loop.provider.start()}/v1`;
  });
  afterEach(async () => {
    await loop.provider.stop();
    await loop.server.stop();
  });
  return loop;
}

export interface PlayOutcome {
  status: number | null;
  stderr: string;
  stdout: string;
}

export interface PlayRun {
  child: ChildProcess;
  done: Promise<PlayOutcome>;
}

/** `chaosops play …args`, running; `done` settles when it exits. */
export function startPlay(args: string[]): PlayRun {
  const child = spawn(process.execPath, [CLI, "play", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let stdout = "";
  child.stderr?.on("data", (chunk) => (stderr += String(chunk)));
  child.stdout?.on("data", (chunk) => (stdout += String(chunk)));
  const done = new Promise<PlayOutcome>((resolve) => child.on("close", (status) => resolve({ status, stderr, stdout })));
  return { child, done };
}

/** `chaosops play …args` to its end. */
export const play = (args: string[]): Promise<PlayOutcome> => startPlay(args).done;

/** The lines of a trajectory file. */
export function trajectoryLines(file: string): TrajectoryLine[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as TrajectoryLine);
}

/** A chat completion whose message is `content`. */
export const textReply = (content: string): Reply => ({ kind: "json", body: { choices: [{ message: { role: "assistant", content } }] } });
