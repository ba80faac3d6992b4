import { describe, expect, it } from "vitest";
import { buildPrompt } from "../src/prompts.js";
import { buildAnthropicMessages, buildOpenAIMessages } from "../src/providers.js";
import type { ChaosOpsObservation } from "../src/types.js";
import { loadGolden } from "./support/golden.js";

interface PromptCase {
  id: string;
  observation: ChaosOpsObservation;
  system_prompt: string;
  expect: string;
  expect_openai: unknown;
  expect_anthropic: unknown;
}

describe("buildPrompt and message builders: golden cases from the reference", () => {
  it.each(loadGolden<PromptCase>("prompt").map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const options = { systemPrompt: c.system_prompt };
    expect(buildPrompt(c.observation, options)).toBe(c.expect);
    expect(buildOpenAIMessages(c.observation, options)).toEqual(c.expect_openai);
    expect(buildAnthropicMessages(c.observation, options)).toEqual(c.expect_anthropic);
  });
});
