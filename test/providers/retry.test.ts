import { describe, expect, it } from "vitest";
import { generateActionWithRetry, isRetryable, retryAfterMs, type AttemptReport } from "../../src/providers/retry.js";
import type { ActionType, AgentRole } from "../../src/model/enums.js";
import type { ChaosOpsAction } from "../../src/model/types.js";
import { deviations } from "../support/deviations.js";
import { loadGolden } from "../support/golden.js";

type Output = string | null | { raise: string };

interface RetryCase {
  id: string;
  family: string;
  prompt: string;
  role: AgentRole;
  max_attempts: number;
  fallback: ActionType;
  reminder: string | null;
  outputs: Output[];
  expect: { prompts: string[]; action: ChaosOpsAction };
}

/** A scripted model: returns the outputs in order (throwing where told), recording each prompt. */
function scripted(outputs: readonly Output[]) {
  const prompts: string[] = [];
  let next = 0;
  const generate = (prompt: string): string | null => {
    prompts.push(prompt);
    const output = outputs[next++];
    if (output === undefined) throw new Error("script ran out of outputs");
    if (typeof output === "object" && output !== null) throw new Error(output.raise);
    return output;
  };
  return { prompts, generate };
}

describe("generateActionWithRetry: golden cases from the reference", () => {
  it.each(loadGolden<RetryCase>("retry").map((c) => [c.id, c] as const))("%s", async (_id, c) => {
    const model = scripted(c.outputs);
    const action = await generateActionWithRetry(c.prompt, {
      role: c.role,
      fallback: c.fallback,
      maxAttempts: c.max_attempts,
      reminder: c.reminder,
      generate: model.generate,
    });
    expect(action).toEqual(c.expect.action);
    expect(model.prompts).toEqual(c.expect.prompts);
  });
});

describe("generateActionWithRetry where the reference crashes (deviations.jsonl)", () => {
  it.each(deviations("retry").map((d) => [d.id, d] as const))("%s resolves to an action", async (_id, d) => {
    const c = d as unknown as RetryCase;
    const action = await generateActionWithRetry(c.prompt, {
      role: c.role,
      fallback: c.fallback,
      maxAttempts: c.max_attempts,
      reminder: c.reminder,
      generate: scripted(c.outputs).generate,
    });
    expect(action.role).toBe(c.role);
    expect(action.args).not.toHaveProperty("replicas");
  });
});

describe("generateActionWithRetry", () => {
  it("awaits async generators and treats null as an empty reply", async () => {
    const outputs = [null, Promise.resolve('{"action_type":"restart","target":"db"}')];
    let call = 0;
    const action = await generateActionWithRetry("p", { role: "sre", generate: () => outputs[call++] ?? null });
    expect(action.action_type).toBe("restart");
    expect(call).toBe(2);
  });

  it("logs each provider error and the exhausted budget through the logger", async () => {
    const warnings: string[] = [];
    const infos: string[] = [];
    const action = await generateActionWithRetry("p", {
      role: "dev",
      fallback: "escalate",
      maxAttempts: 2,
      generate: async () => {
        throw new Error("503 overloaded");
      },
      logger: { warn: (m) => warnings.push(m), info: (m) => infos.push(m) },
    });
    expect(action).toEqual({ role: "dev", action_type: "escalate", target: null, args: {} });
    expect(warnings).toEqual(["LLM generation attempt 1 failed: 503 overloaded", "LLM generation attempt 2 failed: 503 overloaded"]);
    expect(infos).toEqual(["LLM retry budget exhausted for role=dev; falling back to escalate"]);
  });

  it("treats maxAttempts below 1 as 1", async () => {
    let calls = 0;
    await generateActionWithRetry("p", { role: "sre", maxAttempts: -3, generate: () => (calls++, "nothing") });
    expect(calls).toBe(1);
  });

  it("quotes the first 500 code points of an unusable reply", async () => {
    const prompts: string[] = [];
    const reply = "😀".repeat(600);
    await generateActionWithRetry("p", { role: "sre", maxAttempts: 2, reminder: "R", generate: (p) => (prompts.push(p), reply) });
    expect(prompts[1]).toBe(`p\n\nR\n\nPrevious output:\n${"😀".repeat(500)}`);
  });

  it("accepts a deliberate noop with a JSON block", async () => {
    const action = await generateActionWithRetry("p", { role: "sre", generate: () => '{"action_type":"noop"}' });
    expect(action.action_type).toBe("noop");
  });
});

describe("retry classification and Retry-After", () => {
  it("retries 429, 5xx and errors without a status, not other 4xx", () => {
    expect(isRetryable(Object.assign(new Error("x"), { status: 429 }))).toBe(true);
    expect(isRetryable(Object.assign(new Error("x"), { status: 503 }))).toBe(true);
    expect(isRetryable(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBe(true);
    expect(isRetryable(new Error("timeout"))).toBe(true);
    for (const status of [400, 401, 403, 404, 422]) expect(isRetryable(Object.assign(new Error("x"), { status }))).toBe(false);
  });

  it("reads Retry-After as seconds or a date, and retry-after-ms", () => {
    const now = Date.parse("2026-11-21T12:00:00Z");
    expect(retryAfterMs({ headers: { "retry-after": "3" } }, now)).toBe(3000);
    expect(retryAfterMs({ headers: new Headers({ "retry-after": "Sat, 21 Nov 2026 12:00:02 GMT" }) }, now)).toBe(2000);
    expect(retryAfterMs({ headers: { "retry-after-ms": "250", "retry-after": "9" } }, now)).toBe(250);
    expect(retryAfterMs({ headers: { "retry-after": "soon" } }, now)).toBeUndefined();
    expect(retryAfterMs(new Error("no headers"), now)).toBeUndefined();
  });

  it("backs off exponentially up to the cap, and only with backoff on", async () => {
    const reports: AttemptReport[] = [];
    const failing = () => {
      throw Object.assign(new Error("overloaded"), { status: 529 });
    };
    await generateActionWithRetry("p", { role: "sre", maxAttempts: 4, generate: failing, backoff: { baseMs: 2, maxMs: 6, jitter: "none" }, onAttempt: (r) => reports.push(r) });
    expect(reports.map((r) => r.delayMs)).toEqual([2, 4, 6, 0]);
    reports.length = 0;
    await generateActionWithRetry("p", { role: "sre", maxAttempts: 2, generate: failing, onAttempt: (r) => reports.push(r) });
    expect(reports.map((r) => r.delayMs)).toEqual([0, 0]);
  });

  it("draws full-jitter delays below the ceiling", async () => {
    const reports: AttemptReport[] = [];
    const failing = () => {
      throw new Error("network");
    };
    await generateActionWithRetry("p", { role: "sre", maxAttempts: 6, generate: failing, backoff: { baseMs: 4, maxMs: 10 }, onAttempt: (r) => reports.push(r) });
    const ceilings = [4, 8, 10, 10, 10];
    reports.slice(0, 5).forEach((r, i) => {
      expect(r.delayMs).toBeGreaterThanOrEqual(0);
      expect(r.delayMs).toBeLessThanOrEqual(ceilings[i] ?? 0);
    });
  });

  it("reports every attempt with its prompt, output and action", async () => {
    const reports: AttemptReport[] = [];
    const outputs = ["nothing", '{"action_type": "resolve"}'];
    await generateActionWithRetry("p", { role: "manager", reminder: "R", generate: () => outputs.shift() ?? "", onAttempt: (r) => reports.push(r) });
    expect(reports.map(({ attempt, prompt, raw, usable }) => ({ attempt, prompt, raw, usable }))).toEqual([
      { attempt: 1, prompt: "p", raw: "nothing", usable: false },
      { attempt: 2, prompt: "p\n\nR\n\nPrevious output:\nnothing", raw: '{"action_type": "resolve"}', usable: true },
    ]);
  });

  it("gives each attempt a signal that a timeout aborts", async () => {
    const signals: AbortSignal[] = [];
    const action = await generateActionWithRetry("p", {
      role: "sre",
      maxAttempts: 2,
      attemptTimeoutMs: 20,
      generate: (_prompt, { signal }) => {
        signals.push(signal);
        return new Promise(() => undefined);
      },
    });
    expect(action.action_type).toBe("noop");
    expect(signals).toHaveLength(2);
    expect(signals.every((s) => s.aborted)).toBe(true);
  });

  it("survives a logger or hook that throws", async () => {
    const angry = () => {
      throw new Error("hook");
    };
    const action = await generateActionWithRetry("p", { role: "sre", generate: () => "{}", logger: { warn: angry, info: angry }, onAttempt: angry });
    expect(action.action_type).toBe("noop");
  });
});

describe("isUsableAction on what is no action", () => {
  it("is a TypeError for no object, and reads a raw text that is no string as none (red-team finds: engine errors)", async () => {
    const { isUsableAction } = await import("../../src/providers/retry.js");
    expect(() => isUsableAction(null as never, "x")).toThrow(/isUsableAction: action must be an action object/);
    const noop = { role: "sre", action_type: "noop", target: null, args: {} } as ChaosOpsAction;
    expect(isUsableAction(noop, 5 as never)).toBe(false);
    expect(isUsableAction({ ...noop, args: null } as never, "{}")).toBe(true);
  });
});
