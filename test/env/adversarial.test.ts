// ChaosOpsEnv against a server that misbehaves: odd frames, closes mid-call, silence,
// double answers, odd timeouts and arguments. Each case is a regression test for a
// break found by trying inputs the client's author did not write.
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { ChaosOpsEnv, EnvAbortError, EnvConnectionError, EnvProtocolError, EnvServerError, EnvTimeoutError, fetchHealth, type EnvAction } from "../../src/env/index.js";
import { OpenEnvServer } from "../support/openenv-server.js";

/** A minimal observation frame's text with this step and reward text (kept raw, so NaN can be sent). */
function observationText(step: number, reward = "0.0", extra = ""): string {
  return `{"type":"observation","data":{"observation":{"view":{"role":"sre"},"step":${step},"turn_role":"sre","message":"m"},"reward":${reward},"done":false${extra}}}`;
}

type Script = (socket: WebSocket, text: string, index: number) => void;

interface Scripted {
  url: string;
  received: string[];
  sockets: WebSocket[];
  stop(): Promise<void>;
}

const running: { stop(): Promise<void> }[] = [];
const opened: ChaosOpsEnv[] = [];
afterEach(async () => {
  for (const env of opened.splice(0)) await env.close();
  for (const server of running.splice(0)) await server.stop();
});

/** A WebSocket server on loopback whose replies are whatever `script` does. */
async function scripted(script: Script, host = "127.0.0.1"): Promise<Scripted> {
  const wss = new WebSocketServer({ host, port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const received: string[] = [];
  const sockets: WebSocket[] = [];
  wss.on("connection", (socket) => {
    sockets.push(socket);
    socket.on("message", (data) => {
      if (String(data) === '{"type":"close"}') return socket.close(1000);
      received.push(String(data));
      script(socket, String(data), received.length - 1);
    });
  });
  const port = (wss.address() as { port: number }).port;
  const server = {
    url: `ws://${host.includes(":") ? `[${host}]` : host}:${port}/ws`,
    received,
    sockets,
    stop: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
  running.push(server);
  return server;
}

async function connect(url: string, options = {}): Promise<ChaosOpsEnv> {
  const env = await ChaosOpsEnv.connect(url, options);
  opened.push(env);
  return env;
}

const outboxes = new WeakMap<WebSocket, Promise<void>>();
/** Sends after `ms`, but after every reply queued before it, as one connection's replies come. */
function later(socket: WebSocket, text: string, ms: number): void {
  const chain = (outboxes.get(socket) ?? Promise.resolve()).then(() => new Promise<void>((resolve) => setTimeout(() => (socket.send(text), resolve()), ms)));
  outboxes.set(socket, chain);
}

/** Answers each request with an observation whose step is the request's index. */
const echo: Script = (socket, text, index) => {
  if (JSON.parse(text).type !== "close") socket.send(observationText(index));
};

const NOOP: EnvAction = { role: "sre", action_type: "noop" };

describe("odd frames from the server", () => {
  it("binary frame holding a JSON reply is read as text", async () => {
    const server = await scripted((socket) => socket.send(Buffer.from(observationText(3))));
    const env = await connect(server.url);
    expect((await env.reset()).observation.step).toBe(3);
  });

  it("a frame of a type no request is answered with is not a reply: passed over, the call gets the reply after it", async () => {
    const server = await scripted((socket, _text, index) => {
      if (index === 0) socket.send('{"type":"dance","data":{}}');
      socket.send(observationText(index));
    });
    const env = await connect(server.url);
    expect((await env.reset()).observation.step).toBe(0);
    expect((await env.step(NOOP)).observation.step).toBe(1);
  });

  it.each([
    ["missing data", '{"type":"observation"}'],
    ["data a string", '{"type":"observation","data":"x"}'],
    ["reward a string", observationText(0, '"1.0"')],
    ["reward NaN (Python's json.dumps writes it)", observationText(0, "NaN")],
    ["step null", '{"type":"observation","data":{"observation":{"view":{},"step":null,"turn_role":"sre"},"reward":0,"done":false}}'],
    ["error without code", '{"type":"error","data":{"message":"x"}}'],
    ["an array", "[1,2]"],
    ["empty text", ""],
  ])("malformed reply (%s) is an EnvProtocolError, and the next call still works", async (_name, bad) => {
    const server = await scripted((socket, _text, index) => socket.send(index === 0 ? bad : observationText(index)));
    const env = await connect(server.url);
    await expect(env.reset()).rejects.toBeInstanceOf(EnvProtocolError);
    expect((await env.step(NOOP)).observation.step).toBe(1);
  });

  it("extra fields and a very large reward are kept as sent", async () => {
    const server = await scripted((socket) => socket.send(observationText(0, "1e308", ',"extra":{"a":[1]}')));
    const env = await connect(server.url);
    const result = await env.reset();
    expect(result.reward).toBe(1e308);
    expect(result.extra).toEqual({ a: [1] });
  });

  it("a 17 MB reply arrives whole", async () => {
    const big = "x".repeat(17 * 1024 * 1024);
    const server = await scripted((socket) => socket.send(observationText(0, "0.0", `,"big":"${big}"`)));
    const env = await connect(server.url);
    expect(((await env.reset()).big as string).length).toBe(big.length);
  });

  it("a reply answered twice: the extra copy is dropped and the next call gets its own reply", async () => {
    const server = await scripted((socket, text, index) => {
      if (index === 0) socket.send(observationText(100));
      if (index === 0) socket.send(observationText(100));
      else if (JSON.parse(text).type !== "close") socket.send(observationText(index));
    });
    const env = await connect(server.url);
    expect((await env.reset()).observation.step).toBe(100);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await env.step(NOOP)).observation.step).toBe(1);
  });

  it("regression: an error frame answered twice does not end the session", async () => {
    const server = await scripted((socket, text, index) => {
      const error = '{"type":"error","data":{"message":"bad","code":"EXECUTION_ERROR"}}';
      if (index === 0) {
        socket.send(error);
        socket.send(error);
      } else if (JSON.parse(text).type !== "close") socket.send(observationText(index));
    });
    const env = await connect(server.url);
    await expect(env.step(NOOP)).rejects.toBeInstanceOf(EnvServerError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(env.closed).toBe(false);
    expect((await env.step(NOOP)).observation.step).toBe(1);
  });
});

describe("the server closes or goes quiet mid-call", () => {
  it.each([1000, 1001, 1011, 1012, 4000, 4999])("close code %i while a step waits: EnvConnectionError with that code, no hang", async (code) => {
    const server = await scripted((socket) => socket.close(code, "bye"));
    const env = await connect(server.url);
    const error = await env.step(NOOP).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvConnectionError);
    expect((error as EnvConnectionError).closeCode).toBe(code);
    await expect(env.step(NOOP)).rejects.toBeInstanceOf(EnvConnectionError);
  });

  it("connection cut without a close frame (1006) while two calls wait: both rejected", async () => {
    let count = 0;
    const server = await scripted((socket) => {
      if (++count === 2) socket.terminate();
    });
    const env = await connect(server.url);
    const results = await Promise.allSettled([env.reset(), env.step(NOOP)]);
    for (const result of results) {
      expect(result.status).toBe("rejected");
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(EnvConnectionError);
    }
    expect(((results[0] as PromiseRejectedResult).reason as EnvConnectionError).closeCode).toBe(1006);
  });

  it("a reply that arrives after the client closed is ignored", async () => {
    const server = await scripted((socket, text) => {
      if (JSON.parse(text).type === "close") {
        socket.send(observationText(9));
        socket.close(1000);
      }
    });
    const env = await connect(server.url);
    await env.close();
    expect(env.closed).toBe(true);
    await expect(env.state()).rejects.toBeInstanceOf(EnvConnectionError);
  });

  it("silent server: the call times out, and a late reply does not reach the next call", async () => {
    const server = await scripted((socket, _text, index) => {
      later(socket, observationText(index), index === 0 ? 150 : 0);
    });
    const env = await connect(server.url);
    await expect(env.reset({}, { timeoutMs: 30 })).rejects.toBeInstanceOf(EnvTimeoutError);
    const next = await env.step(NOOP);
    expect(next.observation.step).toBe(1);
  });
});

describe("timeouts and aborts", () => {
  it.each([Infinity, 2 ** 31, 2 ** 40])("regression: timeoutMs %s means no timeout (a timer cannot hold it and fires at once)", async (timeoutMs) => {
    const server = await scripted((socket, _text, index) => setTimeout(() => socket.send(observationText(index)), 40));
    const env = await connect(server.url, { timeoutMs });
    expect((await env.reset()).observation.step).toBe(0);
    expect((await env.step(NOOP, { timeoutMs })).observation.step).toBe(1);
  });

  it.each([NaN, -1, -Infinity])("regression: timeoutMs %s is a RangeError, not a silent 1 ms timeout", async (timeoutMs) => {
    const server = await scripted(echo);
    await expect(ChaosOpsEnv.connect(server.url, { timeoutMs })).rejects.toBeInstanceOf(RangeError);
    await expect(ChaosOpsEnv.connect(server.url, { connectTimeoutMs: timeoutMs })).rejects.toBeInstanceOf(RangeError);
    const env = await connect(server.url);
    await expect(env.step(NOOP, { timeoutMs })).rejects.toBeInstanceOf(RangeError);
    expect((await env.step(NOOP)).observation.step).toBeGreaterThanOrEqual(0);
  });

  it("timeoutMs 0 times out at once without breaking the session", async () => {
    const server = await scripted((socket, _text, index) => later(socket, observationText(index), 30));
    const env = await connect(server.url);
    await expect(env.reset({}, { timeoutMs: 0 })).rejects.toBeInstanceOf(EnvTimeoutError);
    expect((await env.step(NOOP)).observation.step).toBe(1);
  });

  it("abort before send, and abort after send with the reply dropped", async () => {
    const server = await scripted((socket, _text, index) => setTimeout(() => socket.send(observationText(index)), 30));
    const env = await connect(server.url);
    await expect(env.reset({}, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(EnvAbortError);
    expect(server.received).toHaveLength(0);
    const controller = new AbortController();
    const pending = env.reset({}, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(EnvAbortError);
    expect((await env.step(NOOP)).observation.step).toBe(1);
  });

  it("two calls at once on one session get their replies in order", async () => {
    const server = await scripted((socket, _text, index) => later(socket, observationText(index), index === 0 ? 30 : 0));
    const env = await connect(server.url);
    const [a, b, c] = await Promise.all([env.reset(), env.step(NOOP), env.step(NOOP)]);
    expect([a.observation.step, b.observation.step, c.observation.step]).toEqual([0, 1, 2]);
  });
});

describe("connecting", () => {
  /** A TCP server that accepts and never answers the handshake. */
  async function mute(): Promise<string> {
    const sockets: Socket[] = [];
    const server: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    running.push({
      stop: async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    });
    return `ws://127.0.0.1:${(server.address() as { port: number }).port}/ws`;
  }

  it("a handshake that never completes: EnvTimeoutError after connectTimeoutMs", async () => {
    const url = await mute();
    await expect(ChaosOpsEnv.connect(url, { connectTimeoutMs: 50 })).rejects.toBeInstanceOf(EnvTimeoutError);
  });

  it("abort during the handshake: EnvAbortError", async () => {
    const url = await mute();
    const controller = new AbortController();
    const pending = ChaosOpsEnv.connect(url, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(EnvAbortError);
  });

  it("http:// URL, IPv6 loopback, and a wrong port", async () => {
    const server = await scripted(echo);
    const env = await connect(server.url.replace("ws://", "http://"));
    expect((await env.reset()).observation.step).toBe(0);
    const six = await scripted(echo, "::1");
    const env6 = await connect(six.url);
    expect((await env6.reset()).observation.step).toBe(0);
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await ChaosOpsEnv.connect(`ws://127.0.0.1:${port}/ws`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvConnectionError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it.each(["127.0.0.1:8000/ws", "ftp://127.0.0.1/ws", "", "ws://"])("a URL that is not a WebSocket URL (%j) is an EnvConnectionError", async (url) => {
    await expect(ChaosOpsEnv.connect(url)).rejects.toBeInstanceOf(EnvConnectionError);
  });
});

describe("bad arguments", () => {
  it.each([null, undefined, 42, "noop", []])("regression: step(%j) is a TypeError naming the action, nothing sent", async (action) => {
    const server = await scripted(echo);
    const env = await connect(server.url);
    const error = await env.step(action as unknown as EnvAction).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/action/);
    expect(server.received).toHaveLength(0);
  });

  it("regression: args that JSON cannot hold (BigInt, a cycle) are a TypeError, not a lost connection", async () => {
    const server = await scripted(echo);
    const env = await connect(server.url);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const args of [{ n: 1n }, cycle]) {
      const error = await env.step({ ...NOOP, args }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect(error).not.toBeInstanceOf(EnvConnectionError);
    }
    expect(env.closed).toBe(false);
    expect((await env.step(NOOP)).observation.step).toBe(0);
  });

  it("a step the server rejects (role 'ceo') is its VALIDATION_ERROR, session usable", async () => {
    const server = await scripted((socket, text, index) => {
      const role = JSON.parse(text).data?.role;
      socket.send(role === "ceo" ? '{"type":"error","data":{"message":"Invalid message","code":"VALIDATION_ERROR","errors":[]}}' : observationText(index));
    });
    const env = await connect(server.url);
    const error = await env.step({ role: "ceo" as never, action_type: "noop" }).catch((e: unknown) => e);
    expect((error as EnvServerError).code).toBe("VALIDATION_ERROR");
    expect((await env.step(NOOP)).observation.step).toBe(1);
  });
});

describe("HTTP helpers' timeouts", () => {
  it.each([Infinity, 2 ** 31])("regression: timeoutMs %s means no timeout (AbortSignal.timeout throws on Infinity and fires at once past 2^31-1)", async (timeoutMs) => {
    const server = await new OpenEnvServer().start();
    running.push(server);
    expect(await fetchHealth(server.wsUrl, { timeoutMs })).toEqual({ status: "healthy" });
  });

  it.each([NaN, -5])("timeoutMs %s is a RangeError", async (timeoutMs) => {
    await expect(fetchHealth("http://127.0.0.1:1", { timeoutMs })).rejects.toBeInstanceOf(RangeError);
  });
});
