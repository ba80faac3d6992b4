/** The native-syntax corpora (test/fixtures/native-syntaxes): completions with the action a person would say was meant. */
import { readFileSync } from "node:fs";
import type { ActionType, AgentRole } from "../../src/model/enums.js";
import type { ChaosOpsAction } from "../../src/model/types.js";

export interface NativeCase {
  readonly id: string;
  readonly family: string;
  readonly syntax: string;
  readonly raw: string;
  readonly role: AgentRole;
  readonly fallback: ActionType;
  readonly expect: ChaosOpsAction;
  readonly tags: readonly string[];
  /** The model gave no answer (cut inside its reasoning): the fallback is expected. */
  readonly by_fallback?: boolean;
}

/** `sample.jsonl` (the public sample), or `independent.jsonl` and `redteam.jsonl` (written from the syntax sources). */
export function loadNativeCorpus(name: "sample" | "independent" | "redteam"): readonly NativeCase[] {
  return readFileSync(new URL(`../fixtures/native-syntaxes/${name}.jsonl`, import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as NativeCase);
}
