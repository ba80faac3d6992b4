/**
 * The executable specification of candidate extraction: the peggy parser compiled
 * from `grammar/candidates.peggy`. Slow and recursive by design (it mirrors the
 * reference's regexes literally); the hot path in `candidates.ts` must agree with it.
 * Its SyntaxError never escapes: the grammar accepts every string.
 */
import { parse } from "../generated/candidates.js";
import { CandidateKind, isWholeCandidate, type CandidateSpan } from "./candidates.js";
import { pyStrip } from "../python/python-text.js";

export interface SpecSpan {
  start: number;
  end: number;
}

const RULES = [
  [CandidateKind.WHOLE, "Whole"],
  [CandidateKind.FENCED, "Fenced"],
  [CandidateKind.BALANCED, "Balanced"],
  [CandidateKind.BARE, "Bare"],
] as const;

/** Every candidate of `raw` (stripped first), in the order parseAction tries them, per the grammar. */
export function specCandidates(raw: string): CandidateSpan[] {
  const text = pyStrip(raw);
  const spans: CandidateSpan[] = [];
  for (const [kind, startRule] of RULES) {
    if (kind === CandidateKind.WHOLE && !isWholeCandidate(text)) continue;
    for (const { start, end } of parse(text, { startRule })) spans.push({ kind, start, end });
  }
  return spans;
}
