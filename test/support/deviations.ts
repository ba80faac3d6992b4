/** The reference's own outputs for the inputs where this port differs on purpose (test/fixtures/golden/deviations.jsonl). */
import { loadGolden } from "./golden.js";

export interface Deviation {
  id: string;
  kind: "parse" | "provider" | "retry" | "render";
  family: string;
  why: string;
  reference: unknown;
  [input: string]: unknown;
}

export function deviations(kind: Deviation["kind"]): Deviation[] {
  return loadGolden<Deviation>("deviations").filter((d) => d.kind === kind);
}

/** The reference raised instead of answering. */
export function raised(d: Deviation): boolean {
  return typeof d.reference === "string" && d.reference.startsWith("raises");
}
