import { describe, expect, it } from "vitest";
import { parseAnthropicResponse, parseOpenAIResponse } from "../src/providers.js";
import type { ActionType, AgentRole } from "../src/enums.js";
import type { ChaosOpsAction } from "../src/types.js";
import { loadGolden } from "./support/golden.js";

interface ProviderCase {
  id: string;
  family: string;
  provider: "openai" | "anthropic";
  response: unknown;
  role: AgentRole;
  fallback: ActionType;
  expect: ChaosOpsAction;
}

function parseResponse(c: Pick<ProviderCase, "provider" | "response" | "role" | "fallback">): ChaosOpsAction {
  const parse = c.provider === "openai" ? parseOpenAIResponse : parseAnthropicResponse;
  return parse(c.response, { role: c.role, fallback: c.fallback });
}

describe("parseOpenAIResponse / parseAnthropicResponse: golden cases from the reference", () => {
  it.each(loadGolden<ProviderCase>("provider").map((c) => [c.id, c] as const))("%s", (_id, c) => {
    expect(parseResponse(c)).toEqual(c.expect);
  });
});
