import { describe, expect, it } from "vitest";
import { actionToTrainingTarget } from "../src/training-target.js";
import type { ChaosOpsAction } from "../src/types.js";
import { loadGolden } from "./support/golden.js";

interface TargetCase {
  id: string;
  action: ChaosOpsAction;
  expect: string;
}

describe("actionToTrainingTarget: golden cases from the reference", () => {
  it.each(loadGolden<TargetCase>("target").map((c) => [c.id, c] as const))("%s", (_id, c) => {
    expect(actionToTrainingTarget(c.action)).toBe(c.expect);
  });
});
