// Properties of the client: any frame text decodes or is an EnvProtocolError; and over
// any sequence of requests, some given up on (aborted) while their replies are late,
// every request that is still waited for gets its own reply.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChaosOpsEnv, EnvAbortError, EnvProtocolError, decodeServerFrame, decodeStepResult, type EnvAction } from "../../src/env/index.js";
import { OpenEnvServer, UNASKED_FRAME } from "../support/openenv-server.js";

describe("decodeServerFrame", () => {
  it("any text is a frame or an EnvProtocolError, never another exception", () => {
    const frameLike = fc.record(
      { type: fc.constantFrom("observation", "state", "error", "mcp", "other"), data: fc.jsonValue() },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), frameLike.map((f) => JSON.stringify(f))), (text) => {
        try {
          decodeServerFrame(text);
        } catch (error) {
          expect(error).toBeInstanceOf(EnvProtocolError);
        }
      }),
    );
  });

  // Red-team finds: a message or a field nested 100,000 deep overflowed the stack when the
  // message was made; a cycle or a BigInt in an HTTP body could not be printed.
  const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
  it("an error frame whose message is no string, at any depth, is an error frame with that message as JSON", () => {
    const frame = decodeServerFrame(`{"type":"error","data":{"code":"EXECUTION_ERROR","message":${deep}}}`);
    expect(frame.type === "error" && frame.data.message).toBe(deep);
    const object = decodeServerFrame('{"type":"error","data":{"code":"X","message":{"a":[1,2]}}}');
    expect(object.type === "error" && object.data.message).toBe('{"a":[1,2]}');
  });

  it("decodeStepResult takes a valid body whatever else it holds, and names a bad one without printing it first", () => {
    const body = JSON.parse(`{"observation":{"view":{"x":${deep}},"step":1,"turn_role":"sre"},"reward":0,"done":false}`) as unknown;
    expect(decodeStepResult(body)).toBe(body);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => decodeStepResult(cyclic)).toThrow(EnvProtocolError);
    expect(() => decodeStepResult({ x: 1n })).toThrow(EnvProtocolError);
    expect(() => decodeStepResult(JSON.parse(`{"x":${deep}}`))).toThrow(EnvProtocolError);
  });
});

describe("replies are matched to requests", () => {
  let server: OpenEnvServer;
  beforeAll(async () => {
    server = await new OpenEnvServer().start();
  });
  afterAll(() => server.stop());

  const action = fc.record({
    role: fc.constantFrom("sre", "dev", "manager", "oversight"),
    action_type: fc.constantFrom("noop", "restart", "escalate", "identify_root_cause"),
    target: fc.option(fc.constantFrom("db", "auth"), { nil: null }),
  }) as fc.Arbitrary<EnvAction>;
  const op = fc.record({
    kind: fc.constantFrom("reset", "step", "state"),
    action,
    abandon: fc.boolean(),
  });

  it("every request not given up on resolves to the frame the server sent for it, whatever unasked frames come between", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), fc.constantFrom(0, 0, 5), fc.array(fc.boolean(), { maxLength: 14 }), async (ops, delayMs, unasked) => {
        server.delayMs = delayMs;
        server.unaskedBefore.splice(0, Infinity, ...unasked);
        const env = await ChaosOpsEnv.connect(server.wsUrl);
        const firstSent = server.sent.length;
        try {
          await env.reset();
          const calls = ops.map((o) => {
            const controller = new AbortController();
            const call = o.kind === "reset" ? env.reset({}, controller) : o.kind === "state" ? env.state(controller) : env.step(o.action, controller);
            if (o.abandon) controller.abort();
            return call.then(
              (value) => ({ value }),
              (error: unknown) => ({ error }),
            );
          });
          const settled = await Promise.all(calls);
          await env.state(); // after this reply every earlier one has come
          const replies = server.sent
            .slice(firstSent)
            .filter((text) => text !== UNASKED_FRAME)
            .slice(1)
            .map((text) => (JSON.parse(text) as { data: unknown }).data);
          settled.forEach((result, i) => {
            if ("error" in result) {
              expect(ops[i]?.abandon).toBe(true);
              expect(result.error).toBeInstanceOf(EnvAbortError);
            } else expect(result.value).toEqual(replies[i]);
          });
        } finally {
          await env.close();
        }
      }),
      { numRuns: Math.min(Number(process.env.FUZZ_RUNS ?? 200), 60) },
    );
  });
});
