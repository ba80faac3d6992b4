import { describe, expect, it } from "vitest";
import { generateActionWithRetry } from "../src/retry.js";
import type { ActionType, AgentRole } from "../src/enums.js";
import type { ChaosOpsAction } from "../src/types.js";
import { deviations } from "./support/deviations.js";
import { loadGolden } from "./support/golden.js";

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
