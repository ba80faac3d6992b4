// ChaosOpsEnv and the HTTP helpers against the loopback server: the recorded episodes,
// every recorded error frame, and the ways a connection fails.
import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ChaosOpsEnv,
  EnvAbortError,
  EnvConnectionError,
  EnvErrorCode,
  EnvHttpError,
  EnvProtocolError,
  EnvServerError,
  EnvTimeoutError,
  fetchHealth,
  fetchMetadata,
  fetchSchema,
  httpBaseUrl,
  type EnvAction,
} from "../../src/env/index.js";
import { webSocketConstructor } from "../../src/env/socket.js";
import { OpenEnvServer, loadHttpRecording, loadRecording, type RecordedExchange } from "../support/openenv-server.js";

let server: OpenEnvServer;
const opened: ChaosOpsEnv[] = [];
beforeEach(async () => {
  server = await new OpenEnvServer().start();
});
afterEach(async () => {
  for (const env of opened.splice(0)) await env.close();
  await server.stop();
});

async function connect(url = server.wsUrl, options = {}): Promise<ChaosOpsEnv> {
  const env = await ChaosOpsEnv.connect(url, options);
  opened.push(env);
  return env;
}

/** The `data` of a recorded reply. */
function data(exchange: RecordedExchange | undefined): unknown {
  return (exchange?.received as { data: unknown }).data;
}

/** The action a recorded step frame carried. */
function sentAction(exchange: RecordedExchange): EnvAction {
  return (JSON.parse(exchange.sent as string) as { data: EnvAction }).data;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("the recorded episodes through the client", () => {
  it("noop episode: every observation and state as the server sent it, and the frames the client sent", async () => {
    const recording = loadRecording("ws_episode.jsonl");
    const env = await connect();
    expect(await env.reset({ seed: 7, episodeId: "ep-ws-1" })).toEqual(data(recording[0]));
    expect(server.received[0]).toBe('{"type":"reset","data":{"seed":7,"episode_id":"ep-ws-1"}}');
    expect(await env.state()).toEqual(data(recording[1]));
    for (const exchange of recording.slice(2)) {
      if (exchange.note === "close") continue;
      const reply = exchange.note.startsWith("state") ? await env.state() : await env.step(sentAction(exchange));
      expect(reply).toEqual(data(exchange));
    }
    expect(server.received[2]).toBe('{"type":"step","data":{"role":"sre","action_type":"noop"}}');
    await env.close();
    expect(server.received.at(-1)).toBe('{"type":"close"}');
    expect(env.closed).toBe(true);
  });

  it("resolving episode: rewards, done and the state's resolved flag", async () => {
    const recording = loadRecording("ws_episode_resolve.jsonl");
    const env = await connect();
    await env.reset({ seed: 7 });
    const results = [];
    for (const exchange of recording.slice(1, 4)) results.push(await env.step(sentAction(exchange)));
    expect(results).toEqual(recording.slice(1, 4).map(data));
    expect(results.map((r) => [r.reward, r.done])).toEqual([[28, false], [-4, false], [110, true]]);
    const state = await env.state();
    expect(state).toMatchObject({ step_count: 3, resolved: true, cumulative_reward: 134 });
    expect(state.episode_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps fields the client does not know", async () => {
    const env = await connect();
    const reset = data(loadRecording("ws_episode.jsonl")[0]) as Record<string, unknown>;
    const extended = { ...reset, metadata: { note: "new" }, observation: { ...(reset.observation as object), extra: [1] } };
    server.injected.push({ text: JSON.stringify({ type: "observation", data: extended, trace: "x" }) });
    expect(await env.reset()).toEqual(extended);
  });
});

describe("error frames", () => {
  const recordedErrors = loadRecording("ws_errors.jsonl").filter((e) => (e.received as { type?: string } | null)?.type === "error");

  it("the recordings hold every code the client is asked to tell apart", () => {
    expect(new Set(recordedErrors.map((e) => (data(e) as { code: string }).code))).toEqual(
      new Set([EnvErrorCode.INVALID_JSON, EnvErrorCode.UNKNOWN_TYPE, EnvErrorCode.VALIDATION_ERROR, EnvErrorCode.EXECUTION_ERROR]),
    );
  });

  for (const exchange of recordedErrors) {
    it(`${exchange.note}: a typed error with the frame's code, message and errors; the session goes on`, async () => {
      const env = await connect();
      await env.reset();
      server.injected.push({ text: exchange.receivedText as string });
      const error = await env.state().catch((e: unknown) => e);
      const frame = data(exchange) as { code: string; message: string; errors?: unknown[] };
      expect(error).toBeInstanceOf(EnvServerError);
      expect(error).toMatchObject({ code: frame.code, errors: frame.errors ?? [], data: frame });
      expect((error as Error).message).toBe(`${frame.code}: ${frame.message} (in reply to state)`);
      expect((await env.state()).step_count).toBe(0);
    });
  }

  it("VALIDATION_ERROR for an action the server does not know, as pydantic words it", async () => {
    const env = await connect();
    await env.reset();
    const error = (await env.step({ role: "sre", action_type: "explode" } as unknown as EnvAction).catch((e: unknown) => e)) as EnvServerError;
    const recorded = data(recordedErrors.find((e) => e.note === "step bad action_type")) as { errors: unknown[] };
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.errors).toEqual(recorded.errors);
  });

  it("EXECUTION_ERROR for scale with non-integer replicas: the turn stays, the step count moves on (as recorded)", async () => {
    const recording = loadRecording("ws_errors.jsonl");
    const at = (note: string) => recording.find((e) => e.note.startsWith(note)) as RecordedExchange;
    const env = await connect();
    await env.reset();
    expect(await env.step(sentAction(at("step: resolve sent by SRE")))).toEqual(data(at("step: resolve sent by SRE")));
    expect(await env.step(sentAction(at("step: communicate without")))).toEqual(data(at("step: communicate without")));
    await expect(env.step(sentAction(at("step: scale with")))).rejects.toMatchObject({ code: "EXECUTION_ERROR", message: expect.stringContaining("invalid literal for int() with base 10: 'many'") });
    const after = await env.step(sentAction(at("step: restart an unknown")));
    expect(after).toEqual(data(at("step: restart an unknown")));
    expect([after.observation.step, after.observation.turn_role]).toEqual([4, "manager"]);
  });

  it("EXECUTION_ERROR for a scenario in reset", async () => {
    const env = await connect();
    await expect(env.reset({ scenario: "cascade" })).rejects.toMatchObject({ code: "EXECUTION_ERROR", data: { message: "'str' object has no attribute 'seed'" } });
    expect((await env.reset()).observation.step).toBe(0);
  });

  it("CAPACITY_REACHED for a second session; the slot frees when the first closes", async () => {
    const first = await connect();
    await first.reset();
    const second = await connect();
    const error = (await second.reset().catch((e: unknown) => e)) as EnvServerError;
    expect(error).toBeInstanceOf(EnvServerError);
    expect(error.code).toBe("CAPACITY_REACHED");
    expect(error.data).toMatchObject({ active_sessions: 1, max_sessions: 1 });
    await expect(second.state()).rejects.toMatchObject({ code: "CAPACITY_REACHED" });
    expect(second.closed).toBe(true);
    await first.close();
    const third = await connect();
    expect((await third.reset()).observation.turn_role).toBe("sre");
  });

  it("CAPACITY_REACHED that comes before any request is what the next request rejects with", async () => {
    const first = await connect();
    await first.reset();
    const second = await connect();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second.closed).toBe(true);
    await expect(second.reset()).rejects.toMatchObject({ code: "CAPACITY_REACHED" });
  });

  it("SESSION_ERROR, then the server closes: later requests get a connection error with code 1000", async () => {
    const frame = loadRecording("ws_errors.jsonl").find((e) => e.note.startsWith("binary frame"))?.receivedFrames?.[0] as string;
    const env = await connect();
    server.injected.push({ text: frame, close: true });
    await expect(env.reset()).rejects.toMatchObject({ code: "SESSION_ERROR", data: { message: "'text'" } });
    const later = (await env.state().catch((e: unknown) => e)) as EnvConnectionError;
    expect(later).toBeInstanceOf(EnvConnectionError);
    expect(later.closeCode).toBe(1000);
  });

  it("a frame that breaks the protocol is an EnvProtocolError, and the session goes on", async () => {
    const env = await connect();
    for (const text of ["not json", '{"data":{}}', '{"type":"observation","data":{"observation":{}}}', '{"type":"observation","data":{"observation":{"view":{},"step":0,"turn_role":"sre","message":""},"done":false}}', '{"type":"error","data":{"message":"x"}}', '{"type":"state","data":{}}']) {
      server.injected.push({ text });
      await expect(env.reset()).rejects.toBeInstanceOf(EnvProtocolError);
    }
    expect((await env.reset()).observation.step).toBe(0);
  });
});

describe("failures of the connection", () => {
  it("a clear error when nothing listens at the address", async () => {
    const url = `ws://127.0.0.1:${await freePort()}/ws`;
    const error = (await ChaosOpsEnv.connect(url).catch((e: unknown) => e)) as EnvConnectionError;
    expect(error).toBeInstanceOf(EnvConnectionError);
    expect(error.message).toContain(url);
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("a clear error when the path is not the WebSocket route (HTTP 403)", async () => {
    const error = (await ChaosOpsEnv.connect(server.wsUrl.replace("/ws", "/nope")).catch((e: unknown) => e)) as EnvConnectionError;
    expect(error).toBeInstanceOf(EnvConnectionError);
    expect(error.message).toContain("403");
  });

  it("a dropped connection rejects the request waiting for its reply, and every later one", async () => {
    const env = await connect();
    await env.reset();
    server.dropBeforeReply(1);
    const error = (await env.step({ role: "sre", action_type: "noop" }).catch((e: unknown) => e)) as EnvConnectionError;
    expect(error).toBeInstanceOf(EnvConnectionError);
    expect(error.closeCode).toBe(1006);
    expect(error.message).toContain("while waiting for the reply to step");
    await expect(env.state()).rejects.toBeInstanceOf(EnvConnectionError);
    expect(env.closed).toBe(true);
  });

  it("a timeout rejects the request; its late reply is dropped and the next request gets its own", async () => {
    const env = await connect();
    await env.reset();
    server.delayMs = 300;
    await expect(env.state({ timeoutMs: 30 })).rejects.toBeInstanceOf(EnvTimeoutError);
    server.delayMs = 0;
    const step = await env.step({ role: "sre", action_type: "noop" });
    expect(step.observation.turn_role).toBe("oversight");
    expect((await env.state()).step_count).toBe(1);
  });

  it("a handshake that does not finish in time", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `ws://127.0.0.1:${(silent.address() as { port: number }).port}/ws`;
    await expect(ChaosOpsEnv.connect(url, { connectTimeoutMs: 50 })).rejects.toBeInstanceOf(EnvTimeoutError);
    silent.close();
  });

  it("AbortSignal: an aborted call rejects (and is never sent when aborted before)", async () => {
    const env = await connect();
    await env.reset();
    const before = server.received.length;
    await expect(env.state({ signal: AbortSignal.abort("stop") })).rejects.toBeInstanceOf(EnvAbortError);
    expect(server.received.length).toBe(before);
    server.delayMs = 200;
    const controller = new AbortController();
    const pending = env.state({ signal: controller.signal });
    controller.abort(new Error("user"));
    const error = (await pending.catch((e: unknown) => e)) as EnvAbortError;
    expect(error).toBeInstanceOf(EnvAbortError);
    expect((error.cause as Error).message).toBe("user");
    server.delayMs = 0;
    await expect(ChaosOpsEnv.connect(server.wsUrl, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(EnvAbortError);
  });

  it("a signal that is no AbortSignal, or options that are no object, is a TypeError at the call (a red-team find: it crashed the process from a timer)", async () => {
    const env = await connect();
    await env.reset();
    const before = server.received.length;
    const fake = {} as AbortSignal;
    await expect(env.reset({}, { signal: fake })).rejects.toThrow(/reset: options.signal must be an AbortSignal/);
    await expect(env.step({ role: "sre", action_type: "noop" }, { signal: fake })).rejects.toBeInstanceOf(TypeError);
    await expect(env.state({ signal: fake })).rejects.toBeInstanceOf(TypeError);
    await expect(env.state(null as never)).rejects.toThrow(/state: options must be an object/);
    expect(server.received.length).toBe(before);
    await expect(ChaosOpsEnv.connect(server.wsUrl, { signal: fake })).rejects.toThrow(/ChaosOpsEnv.connect: options.signal must be an AbortSignal/);
    await expect(ChaosOpsEnv.connect(server.wsUrl, null as never)).rejects.toBeInstanceOf(TypeError);
    // An action or reset JSON cannot hold, however deep, is the caller's TypeError too.
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    await expect(env.step({ role: "sre", action_type: "noop", args: deep })).rejects.toThrow(/cannot send step/);
    await expect(env.reset({ seed: deep as never })).rejects.toBeInstanceOf(TypeError);
    // The session goes on, and no timer is left to throw later.
    expect((await env.state()).step_count).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it("close() rejects a request still waiting, and later calls", async () => {
    const env = await connect();
    await env.reset();
    server.silent = true;
    const pending = env.state();
    await env.close();
    await expect(pending).rejects.toBeInstanceOf(EnvConnectionError);
    await expect(env.step({ role: "sre", action_type: "noop" })).rejects.toThrow("closed by the client");
  });
});

describe("the WebSocket in use", () => {
  it("can be the caller's; close() gives up on a connection that never finishes closing", async () => {
    const sent: string[] = [];
    class Stuck {
      readyState = 0;
      private readonly listeners = new Map<string, ((event: object) => void)[]>();
      constructor() {
        setTimeout(() => ((this.readyState = 1), this.emit("open")), 1);
      }
      addEventListener(type: string, listener: (event: object) => void) {
        this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
      }
      private emit(type: string) {
        for (const listener of this.listeners.get(type) ?? []) listener({});
      }
      send(text: string) {
        sent.push(text);
      }
      close() {}
    }
    const env = await ChaosOpsEnv.connect("ws://stuck/ws", { WebSocket: Stuck });
    await env.close();
    expect(sent).toEqual(['{"type":"close"}']);
    expect(env.closed).toBe(true);
    await expect(env.state()).rejects.toThrow("closed by the client");
  });


  it("is the runtime's when it has one, else ws's", async () => {
    const global = globalThis as { WebSocket?: unknown };
    const saved = global.WebSocket;
    class Native {}
    try {
      global.WebSocket = Native;
      expect(await webSocketConstructor()).toBe(Native);
      delete global.WebSocket;
      expect((await webSocketConstructor()).name).toBe("WebSocket");
    } finally {
      if (saved !== undefined) global.WebSocket = saved;
    }
  });
});

describe("HTTP", () => {
  const recorded = loadHttpRecording();

  it("health, schema and metadata from the ws URL or the http one", async () => {
    expect(await fetchHealth(server.wsUrl)).toEqual({ status: "healthy" });
    expect(await fetchSchema(server.httpUrl)).toEqual(recorded.find((r) => r.path === "/schema")?.json);
    expect(await fetchMetadata(`${server.httpUrl}/`)).toMatchObject({ name: "ChaosOpsEnvironment", version: "1.0.0" });
  });

  it("httpBaseUrl", () => {
    expect(httpBaseUrl("ws://h:8000/ws")).toBe("http://h:8000");
    expect(httpBaseUrl("wss://h/env/ws/")).toBe("https://h/env");
    expect(httpBaseUrl("http://h:1/")).toBe("http://h:1");
    expect(() => httpBaseUrl("ftp://h")).toThrow(TypeError);
  });

  it("a status other than 2xx is an EnvHttpError with the body; no server is an EnvConnectionError", async () => {
    const error = (await fetchHealth(`${server.httpUrl}/prefix`).catch((e: unknown) => e)) as EnvHttpError;
    expect(error).toBeInstanceOf(EnvHttpError);
    expect([error.status, error.body]).toEqual([404, { detail: "Not Found" }]);
    await expect(fetchHealth(`http://127.0.0.1:${await freePort()}`)).rejects.toBeInstanceOf(EnvConnectionError);
  });
});
