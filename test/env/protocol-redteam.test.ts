// ChaosOpsEnv checked against the protocol as the recordings show it, by servers that
// behave as the real one may where the loopback server does not: the frames the real
// client sent, frames split into fragments, frames the client never asks for arriving
// beside the replies, OpenEnv's optional reward, a server that pings, closes mid-episode
// or refuses the session. Each defect found is a named regression test.
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { ChaosOpsEnv, EnvConnectionError, EnvServerError, functionPolicy, runEpisode, type EnvAction } from "../../src/env/index.js";
import { OpenEnvServer, loadRecording, type RecordedExchange } from "../support/openenv-server.js";

const running: { stop(): Promise<void> }[] = [];
const opened: ChaosOpsEnv[] = [];
afterEach(async () => {
  for (const env of opened.splice(0)) await env.close();
  for (const server of running.splice(0)) await server.stop();
});

async function connect(url: string): Promise<ChaosOpsEnv> {
  const env = await ChaosOpsEnv.connect(url, { timeoutMs: 2_000 });
  opened.push(env);
  return env;
}

async function loopback(): Promise<OpenEnvServer> {
  const server = await new OpenEnvServer().start();
  running.push(server);
  return server;
}

/** A WebSocket server whose every reply is what `answer` sends on the socket. */
async function scripted(answer: (socket: WebSocket, text: string, index: number) => void): Promise<{ url: string; received: string[] }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const received: string[] = [];
  wss.on("connection", (socket) => {
    socket.on("message", (data) => {
      const text = String(data);
      if (JSON.parse(text).type === "close") return socket.close(1000);
      received.push(text);
      answer(socket, text, received.length - 1);
    });
  });
  running.push({
    stop: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  });
  return { url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`, received };
}

const data = (exchange: RecordedExchange | undefined) => (exchange?.received as { data: unknown }).data;
const sentAction = (exchange: RecordedExchange) => (JSON.parse(exchange.sent as string) as { data: EnvAction }).data;

/** A minimal observation frame's text (step as given, reward text raw). */
function observationText(step: number, reward = "0.0"): string {
  return `{"type":"observation","data":{"observation":{"view":{"role":"sre"},"step":${step},"turn_role":"sre","message":"m"},"reward":${reward},"done":false}}`;
}

describe("the frames the client sends are the frames the real client sent", () => {
  for (const file of ["ws_episode.jsonl", "ws_episode_resolve.jsonl"]) {
    it(`regression: ${file}: every reset, step, state and close frame holds what the recording's frame holds, key for key (no target: null, no args: {})`, async () => {
      const server = await loopback();
      const recording = loadRecording(file);
      const env = await connect(server.wsUrl);
      for (const exchange of recording) {
        const sent = JSON.parse(exchange.sent as string) as { type: string; data?: { seed?: number; episode_id?: string } & EnvAction };
        if (sent.type === "reset") await env.reset({ seed: sent.data?.seed, ...(sent.data?.episode_id ? { episodeId: sent.data.episode_id } : {}) });
        else if (sent.type === "step") await env.step(sentAction(exchange));
        else if (sent.type === "state") await env.state();
        else await env.close();
      }
      // The real client wrote Python's separators; the server reads JSON, so the text is compared as JSON, in key order.
      expect(server.received.map((text) => JSON.stringify(JSON.parse(text)))).toEqual(recording.map((e) => JSON.stringify(JSON.parse(e.sent as string))));
    });
  }
});

describe("frames the client never asks for", () => {
  it.each([
    ["an unknown type", '{"type":"log","data":{"line":"x"}}'],
    ["an mcp frame", '{"type":"mcp","data":{"jsonrpc":"2.0","method":"notifications/progress"}}'],
  ])("regression: %s arriving before each reply is passed over: every call still gets its own reply, none shifted onto the next", async (_name, extra) => {
    const server = await scripted((socket, _text, index) => {
      socket.send(extra);
      socket.send(observationText(index));
    });
    const env = await connect(server.url);
    expect((await env.reset()).observation.step).toBe(0);
    expect((await env.step({ role: "sre", action_type: "noop" })).observation.step).toBe(1);
    expect((await env.step({ role: "sre", action_type: "noop" })).observation.step).toBe(2);
  });

  it("a reply split into WebSocket fragments arrives whole", async () => {
    const server = await scripted((socket, _text, index) => {
      const text = observationText(index, "-2.0");
      const pieces = [text.slice(0, 7), text.slice(7, 40), text.slice(40)];
      pieces.forEach((piece, i) => socket.send(piece, { fin: i === pieces.length - 1 }));
    });
    const env = await connect(server.url);
    expect((await env.reset()).reward).toBe(-2);
    expect((await env.step({ role: "sre", action_type: "noop" })).observation.step).toBe(1);
  });
});

describe("OpenEnv's optional reward", () => {
  it("regression: reward null (OpenEnv's Observation.reward is Optional) is an observation, kept as null; the runner counts it as 0", async () => {
    const server = await scripted((socket, _text, index) => socket.send(index === 0 ? observationText(0, "null") : observationText(index, "-2.0").replace('"done":false', '"done":true')));
    const env = await connect(server.url);
    const episode = await runEpisode({ env, policy: functionPolicy(() => '{"action_type": "noop"}'), finalState: false });
    expect(episode.reset.reward).toBeNull();
    expect([episode.turns.length, episode.return]).toEqual([1, -2]);
  });

  it("numbers written as floats (step 3.0) and rewards as ints (0) read as the same numbers", async () => {
    const server = await scripted((socket) => socket.send(observationText(0, "0").replace('"step":0', '"step":3.0')));
    const env = await connect(server.url);
    const result = await env.reset();
    expect([result.observation.step, result.reward]).toEqual([3, 0]);
  });
});

describe("the session's life", () => {
  it("a server that pings (uvicorn pings every 20 s and drops a client that does not pong) gets its pongs while a call waits", async () => {
    let pongs = 0;
    const server = await scripted((socket, _text, index) => {
      socket.on("pong", () => pongs++);
      socket.ping();
      socket.ping();
      setTimeout(() => socket.send(observationText(index)), 100);
    });
    const env = await connect(server.url);
    await env.reset();
    expect(pongs).toBe(2);
  });

  it("CAPACITY_REACHED sent right after the handshake, then close 1000: every call says so, with the code", async () => {
    const server = await loopback();
    const first = await connect(server.wsUrl);
    await first.reset();
    const second = await connect(server.wsUrl);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second.closed).toBe(true);
    const error = (await second.reset().catch((e: unknown) => e)) as EnvServerError;
    expect(error).toBeInstanceOf(EnvServerError);
    expect([error.code, error.data.active_sessions, error.data.max_sessions]).toEqual(["CAPACITY_REACHED", 1, 1]);
    await expect(second.state()).rejects.toMatchObject({ code: "CAPACITY_REACHED" });
  });

  it("after done the server still answers steps (step 21, done true): the runner stops at the first done and the session plays a new episode", async () => {
    const server = await loopback();
    const env = await connect(server.wsUrl);
    const policy = functionPolicy(() => '{"action_type": "noop"}');
    const first = await runEpisode({ env, policy, seed: 7 });
    expect([first.turns.length, first.done, first.turns.at(-1)?.message]).toEqual([20, true, "MANAGER: noop | × episode ended unresolved"]);
    const second = await runEpisode({ env, policy, maxTurns: 1 });
    expect([second.reset.observation.step, second.turns[0]?.reward]).toEqual([0, -2]);
  });

  it("the server closing mid-episode (1012, service restart) ends the episode with the turns played and the close code", async () => {
    const recording = loadRecording("ws_episode.jsonl");
    const server = await scripted((socket, _text, index) => {
      if (index < 3) socket.send(JSON.stringify(recording[index === 0 ? 0 : index + 1]?.received));
      else socket.close(1012, "service restart");
    });
    const env = await connect(server.url);
    const error = await runEpisode({ env, policy: functionPolicy(() => '{"action_type": "noop"}') }).catch((e: unknown) => e);
    expect((error as { turns: unknown[] }).turns).toHaveLength(2);
    const cause = (error as Error).cause as EnvConnectionError;
    expect(cause).toBeInstanceOf(EnvConnectionError);
    expect([cause.closeCode, cause.message]).toEqual([1012, expect.stringContaining("closed the connection (code 1012: service restart)")]);
  });

  it("unicode in the server's messages (✓, ×, →) comes through as the server wrote it", async () => {
    const recording = loadRecording("ws_episode_resolve.jsonl");
    const server = await loopback();
    const env = await connect(server.wsUrl);
    await env.reset({ seed: 7 });
    const results = [];
    for (const exchange of recording.slice(1, 4)) results.push(await env.step(sentAction(exchange)));
    expect(results.map((r) => r.observation.message)).toEqual(recording.slice(1, 4).map((e) => (data(e) as { observation: { message: string } }).observation.message));
    expect(results[2]?.observation.message).toBe("DEV: restart | -> db | ✓ incident resolved");
  });
});

describe("transport", () => {
  it("permessage-deflate, as uvicorn negotiates it: a large observation (1 MiB of logs) arrives compressed and whole", async () => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: { threshold: 0 } });
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    running.push({ stop: () => new Promise<void>((resolve) => wss.close(() => resolve())) });
    const logs = Array.from({ length: 8_000 }, (_, i) => ({ timestamp: i, service: "db", level: "ERROR", message: `deadlock ✓ ${i} ${"x".repeat(100)}`, is_red_herring: false }));
    let extensions = "";
    wss.on("connection", (socket) => {
      extensions = socket.extensions;
      socket.on("message", () => socket.send(observationText(0).replace('"view":{"role":"sre"}', `"view":{"role":"sre","visible_logs":${JSON.stringify(logs)}}`)));
    });
    const env = await connect(`ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`);
    const result = await env.reset();
    expect(extensions).toContain("permessage-deflate");
    expect(result.observation.view.visible_logs).toEqual(logs);
  });
});

describe("message sizes", () => {
  it("a step frame over the server's 16 MiB limit: the server closes with 1009, and the error says what that means", async () => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, maxPayload: 16 * 1024 * 1024 });
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    // The server's side reports the oversized frame as an error event before it closes with 1009.
    wss.on("connection", (socket) => socket.on("error", () => {}));
    running.push({ stop: () => new Promise<void>((resolve) => wss.close(() => resolve())) });
    const env = await connect(`ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`);
    const error = (await env.step({ role: "sre", action_type: "communicate", args: { message: "x".repeat(17 * 1024 * 1024) } }).catch((e: unknown) => e)) as EnvConnectionError;
    expect(error).toBeInstanceOf(EnvConnectionError);
    expect([error.closeCode, error.message]).toEqual([1009, expect.stringContaining("(code 1009: message too big; the server takes frames of at most 16 MiB)")]);
  });
});
