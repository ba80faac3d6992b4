import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { listCandidates } from "../../src/scanning/candidates.js";
import { specCandidates } from "../../src/scanning/candidate-spec.js";
import { pyStrip } from "../../src/python/python-text.js";
import { anyText, completion, nastyText } from "../support/arbitraries.js";

describe("candidate scanners agree with grammar/candidates.peggy", () => {
  for (const [name, text] of [
    ["completions", completion],
    ["scanner-relevant characters", nastyText],
    ["any Unicode", anyText],
  ] as const) {
    it(`on ${name}`, () => {
      fc.assert(
        fc.property(text, (raw) => {
          expect(listCandidates(pyStrip(raw))).toEqual(specCandidates(raw));
        }),
      );
    });
  }
});
