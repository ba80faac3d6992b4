import { describe, expect, it } from "vitest";
import { generateActionWithRetry } from "../src/retry.js";
import type { ActionType, AgentRole } from "../src/enums.js";
import type { ChaosOpsAction } from "../src/types.js";
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
