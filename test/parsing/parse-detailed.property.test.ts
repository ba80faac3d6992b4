import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CandidateKind } from "../../src/scanning/candidates.js";
import { isActionType } from "../../src/model/enums.js";
import { locateAction, parseAction } from "../../src/parsing/parse-action.js";
import { parseActionDetailed } from "../../src/parsing/parse-detailed.js";
import { resolveOptions } from "../../src/parsing/parse-options.js";
import { anyText, completion, role } from "../support/arbitraries.js";

const text = fc.oneof(completion, anyText);

describe("parseActionDetailed properties", () => {
  it("without formats, takes exactly the candidate and action parseAction takes", () => {
    fc.assert(
      fc.property(text, role, (raw, r) => {
        const detail = parseActionDetailed(raw, { role: r });
        const fast = locateAction(raw, resolveOptions({ role: r }, "test"));
        expect(detail.action).toEqual(fast.action);
        expect(detail.fallbackUsed).toBe(fast.fallbackUsed);
        expect(detail.candidate?.kind ?? null).toBe(fast.candidate?.kind ?? null);
        if (detail.candidate) expect(raw.slice(detail.candidate.start, detail.candidate.end)).toBe(detail.candidate.text);
      }),
    );
  });

  it("with every format, never throws and always gives a valid action", () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: "binary" })), role, (raw, r) => {
        const action = parseAction(raw, { role: r, formats: "lenient" });
        expect(isActionType(action.action_type)).toBe(true);
        expect(action.role).toBe(r);
      }),
    );
  });

  it("with every format, agrees with the reference when the whole text is an action and there are no tags", () => {
    fc.assert(
      fc.property(text, role, (raw, r) => {
        fc.pre(!/<\/?think>|<tool_call>/.test(raw));
        const fast = locateAction(raw, resolveOptions({ role: r }, "test"));
        fc.pre(fast.candidate?.kind === CandidateKind.WHOLE);
        expect(parseAction(raw, { role: r, formats: "lenient" })).toEqual(fast.action);
      }),
    );
  });
});
