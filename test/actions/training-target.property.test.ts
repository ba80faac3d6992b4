import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAction } from "../../src/parsing/parse-action.js";
import { actionToTrainingTarget } from "../../src/actions/training-target.js";
import { action } from "../support/arbitraries.js";

describe("actionToTrainingTarget properties", () => {
  it("5. parseAction reads every valid action back from its training target", () => {
    fc.assert(
      fc.property(action, (a) => {
        const target = actionToTrainingTarget(a);
        expect(parseAction(target, { role: a.role })).toEqual(a);
      }),
    );
  });

  it("writes printable ASCII only, with sorted top-level keys", () => {
    fc.assert(
      fc.property(action, (a) => {
        const target = actionToTrainingTarget(a);
        expect(target).toMatch(/^[\x20-\x7e]*$/);
        expect(target.startsWith('{"action_type": ')).toBe(true);
      }),
    );
  });
});
