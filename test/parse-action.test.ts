import { describe, expect, it } from "vitest";
import { parseAction } from "../src/parse-action.js";
import { locateAction, resolveOptions } from "../src/parse-action.js";
import type { ActionType, AgentRole } from "../src/enums.js";
import type { ChaosOpsAction } from "../src/types.js";
import { loadGolden } from "./support/golden.js";

interface ParseCase {
  id: string;
  family: string;
  raw: string;
  role: AgentRole;
  fallback: ActionType;
  expect: ChaosOpsAction;
  chosen: string | null;
}

const cases = loadGolden<ParseCase>("parse");

describe("parseAction: golden cases from the reference", () => {
  it.each(cases.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const located = locateAction(c.raw, resolveOptions({ role: c.role, fallback: c.fallback }, "test"));
    expect(located.action).toEqual(c.expect);
    expect(located.candidate?.kind ?? null).toBe(c.chosen);
  });
});
