// The loopback server the env tests run against, held to the recordings of the real
// server: sent the recorded frames, it answers with the recorded frames byte for byte
// (as the real server writes them: compact, floats as Python writes them, raw UTF-8).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { OpenEnvServer, loadHttpRecording, loadRecording, pythonCompact } from "../support/openenv-server.js";

let server: OpenEnvServer;
beforeEach(async () => {
  server = await new OpenEnvServer().start();
});
afterEach(() => server.stop());

/** A raw WebSocket that collects text frames and how it closed. */
async function rawSocket(url: string) {
  const frames: string[] = [];
  const socket = new WebSocket(url);
  const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
  socket.on("message", (data, isBinary) => frames.push(isBinary ? "<binary>" : String(data)));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const next = async (): Promise<string> => {
    for (let i = 0; i < 500 && frames.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    const frame = frames.shift();
    if (frame === undefined) throw new Error("no frame came");
    return frame;
  };
  return { socket, frames, closed, next };
}

describe("the recordings as the server sent them", () => {
  it("compacting a recorded value keeps its meaning and writes non-ASCII raw", () => {
    for (const file of ["ws_episode.jsonl", "ws_episode_resolve.jsonl", "ws_errors.jsonl"]) {
      for (const exchange of loadRecording(file)) {
        if (exchange.receivedText === undefined) continue;
        expect(JSON.parse(exchange.receivedText)).toEqual(exchange.received);
        expect(exchange.receivedText).not.toMatch(/": |", |\\u[0-9a-f]{4}/);
      }
    }
    const resolved = loadRecording("ws_episode_resolve.jsonl")[3]?.receivedText ?? "";
    expect(resolved).toContain('"message":"DEV: restart | -> db | ✓ incident resolved"},"reward":110.0,"done":true}}');
    expect(pythonCompact('{"a": [1.0, "\\u00d7 \\ud83d\\ude00 \\u0001"]}')).toBe('{"a":[1.0,"× 😀 \\u0001"]}');
  });
});

describe("the loopback server replays the recorded exchanges byte for byte", () => {
  for (const file of ["ws_episode.jsonl", "ws_episode_resolve.jsonl", "ws_errors.jsonl"]) {
    it(file, async () => {
      const first = await rawSocket(server.wsUrl);
      let current = first;
      for (const exchange of loadRecording(file)) {
        if (exchange.note.startsWith("second concurrent")) {
          const second = await rawSocket(server.wsUrl);
          expect(await second.closed).toBe(1000);
          expect(second.frames).toEqual(exchange.receivedFrames);
          continue;
        }
        if (exchange.note === "WebSocket to /nope") {
          const refused = new WebSocket(server.wsUrl.replace("/ws", "/nope"));
          const error = await new Promise<Error>((resolve) => refused.once("error", resolve));
          expect(error.message).toContain("403");
          continue;
        }
        const sent = exchange.sent as string;
        if (sent.startsWith("<binary> ")) {
          current.socket.send(Buffer.from(sent.slice("<binary> ".length)), { binary: true });
          expect(await current.closed).toBe(1000);
          expect(current.frames).toEqual(exchange.receivedFrames);
          continue;
        }
        current.socket.send(sent);
        if (exchange.received === null) {
          expect(await current.closed).toBe(1000);
          current = await rawSocket(server.wsUrl);
          continue;
        }
        const frame = await current.next();
        if (exchange.note === "state at end" && file === "ws_episode_resolve.jsonl") {
          // The episode id is a fresh UUID4 each time; everything else is as recorded.
          const uuid = /"episode_id":"[0-9a-f-]{36}"/;
          expect(frame).toMatch(uuid);
          expect(frame.replace(uuid, "")).toBe(exchange.receivedText?.replace(uuid, ""));
          continue;
        }
        expect(frame).toBe(exchange.receivedText);
      }
      current.socket.close();
    });
  }

  it("answers the recorded HTTP requests with the recorded status, content type and body", async () => {
    for (const request of loadHttpRecording()) {
      const response = await fetch(`${server.httpUrl}${request.path}`, {
        method: request.method,
        ...(request.contentType ? { headers: { "content-type": request.contentType } } : {}),
        ...(request.body === null ? {} : { body: request.body }),
      });
      expect(response.status).toBe(request.status);
      expect(response.headers.get("content-type")).toBe(request.responseType);
      expect(await response.text()).toBe(request.responseText);
    }
  });
});

describe("off the recorded paths the loopback server follows the documented rules", () => {
  it("builds the noop episode's replies from its rules exactly as recorded", async () => {
    // Ask for a noop episode with targets the recordings never saw: the view, step, turn
    // role, reward and done must follow the recorded noop episode.
    const recorded = loadRecording("ws_episode.jsonl").filter((e) => e.note.startsWith("step ") && e.note.endsWith("noop)"));
    const socket = await rawSocket(server.wsUrl);
    socket.socket.send('{"type":"reset"}');
    await socket.next();
    for (const exchange of recorded) {
      socket.socket.send('{"type":"step","data":{"role":"sre","action_type":"escalate"}}');
      const frame = await socket.next();
      const expected = (exchange.receivedText as string).replace(/"message":"[A-Z]+: noop/, (m) => m.replace("noop", "escalate"));
      expect(frame).toBe(expected);
    }
    socket.socket.close();
  });

  it("fills in the role whose turn it is, whatever role was sent", async () => {
    const socket = await rawSocket(server.wsUrl);
    socket.socket.send('{"type":"reset"}');
    await socket.next();
    for (const role of ["manager", "manager", "sre"]) {
      socket.socket.send(JSON.stringify({ type: "step", data: { role, action_type: "noop" } }));
      await socket.next();
    }
    expect(server.applied.map((a) => a.role)).toEqual(["sre", "oversight", "dev"]);
    socket.socket.close();
  });
});
