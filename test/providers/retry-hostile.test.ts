// generateActionWithRetry under values and options nobody here made: it never rejects,
// never leaves an unhandled rejection, can always be stopped, and refuses options that
// cannot work with a TypeError at the call.
import { describe, expect, it } from "vitest";
import { generateActionWithRetry, generateActionWithRetryDetailed, MAX_KEPT_ATTEMPTS, RetryOutcome } from "../../src/providers/retry.js";

const restart = '{"action_type": "restart", "target": "db"}';

function throwingProxy(): object {
  const fail = () => {
    throw new Error("trap");
  };
  return new Proxy({}, { get: fail, has: fail, ownKeys: fail, getPrototypeOf: fail, getOwnPropertyDescriptor: fail });
}

describe("retry: thrown values that cannot be read", () => {
  const unreadable: [string, () => unknown][] = [
    ["a Proxy whose traps throw", throwingProxy],
    ["an Error whose message getter throws", () => Object.defineProperty(new Error("x"), "message", { get: () => { throw new Error("message"); } })],
    ["an object whose status getter throws", () => ({ get status() { throw new Error("status"); } })],
    ["an object whose toString throws", () => ({ toString: () => { throw new Error("toString"); } })],
    ["a null-prototype object", () => Object.create(null) as object],
    ["a symbol", () => Symbol("s")],
    ["headers that throw", () => ({ status: 429, get headers() { throw new Error("headers"); } })],
  ];
  it.each(unreadable)("regression: %s is retried, then the next attempt decides", async (_name, make) => {
    let calls = 0;
    const warnings: string[] = [];
    const generate = () => {
      if (calls++ === 0) throw make();
      return restart;
    };
    const action = await generateActionWithRetry("p", { role: "sre", generate, logger: { warn: (m) => warnings.push(m) } });
    expect(action.action_type).toBe("restart");
    expect(warnings).toHaveLength(1);
  });

  it("regression: a generate that returns a Proxy or a cyclic object reads as text, not a crash", async () => {
    const cyclic: Record<string, unknown> = { action_type: "escalate" };
    cyclic.self = cyclic;
    for (const value of [throwingProxy(), cyclic]) {
      const action = await generateActionWithRetry("p", { role: "sre", generate: () => value as unknown as string, maxAttempts: 1 });
      expect(action.role).toBe("sre");
    }
  });
});

describe("retry: hooks that reject", () => {
  it("regression: an async onAttempt and logger that reject leave no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      const action = await generateActionWithRetry("p", {
        role: "sre",
        maxAttempts: 2,
        generate: (_prompt, { attempt }) => (attempt === 1 ? "nothing" : restart),
        onAttempt: async () => Promise.reject(new Error("hook")),
        logger: { warn: async () => Promise.reject(new Error("warn")), info: async () => Promise.reject(new Error("info")) },
      });
      expect(action.action_type).toBe("restart");
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", listener);
    }
  });
});

describe("retry: options", () => {
  it("regression: maxAttempts Infinity with an instant generate yields to the event loop and stops on abort", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    let calls = 0;
    const result = await generateActionWithRetryDetailed("p", {
      role: "sre",
      maxAttempts: Infinity,
      signal: controller.signal,
      generate: () => {
        calls++;
        return "no action here";
      },
    });
    expect(result.outcome).toBe(RetryOutcome.CANCELLED);
    expect(result.action.action_type).toBe("noop");
    expect(result.attempts).toBe(calls);
    expect(result.reports.length).toBe(Math.min(calls, MAX_KEPT_ATTEMPTS));
  });

  it.each([Infinity, 2 ** 31, 2 ** 40])("regression: attemptTimeoutMs %s means no timeout (no overflow to 1 ms)", async (attemptTimeoutMs) => {
    const generate = () => new Promise<string>((resolve) => setTimeout(() => resolve(restart), 25));
    const result = await generateActionWithRetryDetailed("p", { role: "sre", attemptTimeoutMs, generate, maxAttempts: 1 });
    expect(result.outcome).toBe(RetryOutcome.USABLE);
  });

  it("a finite attemptTimeoutMs still times an attempt out", async () => {
    const generate = (_p: string, { attempt }: { attempt: number }) => (attempt === 1 ? new Promise<string>(() => undefined) : restart);
    const result = await generateActionWithRetryDetailed("p", { role: "sre", attemptTimeoutMs: 20, generate });
    expect(result.attempts).toBe(2);
    expect(String((result.errors[0] as Error).message)).toMatch(/timed out after 20 ms/);
  });

  const bad: [string, Record<string, unknown>][] = [
    ["attemptTimeoutMs NaN", { attemptTimeoutMs: NaN }],
    ["attemptTimeoutMs 0", { attemptTimeoutMs: 0 }],
    ["attemptTimeoutMs -5", { attemptTimeoutMs: -5 }],
    ["attemptTimeoutMs as a string", { attemptTimeoutMs: "100" }],
    ["a signal that is not an AbortSignal", { signal: { aborted: "no" } }],
    ["a signal that is a plain object", { signal: {} }],
    ["maxAttempts NaN", { maxAttempts: NaN }],
    ["backoff.baseMs NaN", { backoff: { baseMs: NaN } }],
    ["backoff.maxMs negative", { backoff: { maxMs: -1 } }],
    ["backoff.jitter unknown", { backoff: { jitter: "half" } }],
    ["onAttempt not a function", { onAttempt: 1 }],
    ["logger not an object", { logger: "console" }],
    ["reminder not a string", { reminder: 42 }],
    ["formats unknown", { formats: ["nope"] }],
  ];
  it.each(bad)("regression: %s is a TypeError thrown at the call, before any attempt", (_name, extra) => {
    let calls = 0;
    const options = { role: "sre" as const, generate: () => (calls++, restart), ...extra };
    expect(() => generateActionWithRetry("p", options as never)).toThrow(TypeError);
    expect(() => generateActionWithRetryDetailed("p", options as never)).toThrow(TypeError);
    expect(calls).toBe(0);
  });

  it("accepts a signal from another realm or a polyfill (what is called on it is there)", async () => {
    const real = new AbortController().signal;
    const lookalike = { aborted: false, addEventListener: real.addEventListener.bind(real), removeEventListener: real.removeEventListener.bind(real) };
    expect((await generateActionWithRetry("p", { role: "sre", generate: () => restart, signal: lookalike as AbortSignal })).action_type).toBe("restart");
  });
});

describe("generateActionWithRetryDetailed", () => {
  it("tells the attempts, outputs, errors and that the fallback was used", async () => {
    const outputs: (string | Error)[] = [new Error("boom"), "I am not sure", "still nothing"];
    const result = await generateActionWithRetryDetailed("p", {
      role: "dev",
      generate: (_prompt, { attempt }) => {
        const output = outputs[attempt - 1]!;
        if (output instanceof Error) throw output;
        return output;
      },
    });
    expect(result.outcome).toBe(RetryOutcome.EXHAUSTED);
    expect(result.fallbackUsed).toBe(true);
    expect(result.attempts).toBe(3);
    expect(result.outputs).toEqual(["I am not sure", "still nothing"]);
    expect(result.errors.map((e) => (e as Error).message)).toEqual(["boom"]);
    expect(result.action).toEqual({ role: "dev", action_type: "noop", target: null, args: {} });
    expect(result.reports.map((r) => r.prompt.split("\n\n").length)).toEqual([1, 2, 3]);
    expect(result.reports[2]?.prompt.endsWith("Previous output:\nI am not sure")).toBe(true);
  });

  it("gives the same action as generateActionWithRetry, and no fallback when an attempt was usable", async () => {
    const generate = (_p: string, { attempt }: { attempt: number }) => (attempt === 1 ? "hmm" : restart);
    const detailed = await generateActionWithRetryDetailed("p", { role: "sre", generate });
    expect(detailed.action).toEqual(await generateActionWithRetry("p", { role: "sre", generate }));
    expect(detailed).toMatchObject({ outcome: RetryOutcome.USABLE, fallbackUsed: false, attempts: 2, outputs: ["hmm", restart], errors: [] });
  });

  it("reports a 4xx as not retryable", async () => {
    const result = await generateActionWithRetryDetailed("p", { role: "sre", generate: () => Promise.reject(Object.assign(new Error("bad"), { status: 400 })) });
    expect(result).toMatchObject({ outcome: RetryOutcome.NOT_RETRYABLE, attempts: 1, fallbackUsed: true });
  });
});
