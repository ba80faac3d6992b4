/** Reads the golden cases produced by the Python reference (test/fixtures/golden). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ActionType, AgentRole } from "../../src/model/enums.js";
import type { ChaosOpsAction } from "../../src/model/types.js";

/** A line of parse.jsonl. */
export interface ParseCase {
  id: string;
  family: string;
  raw: string;
  role: AgentRole;
  fallback: ActionType;
  expect: ChaosOpsAction;
  chosen: string | null;
}

const DIR = fileURLToPath(new URL("../fixtures/golden/", import.meta.url));

/** Non-finite floats are written as {"$float": "NaN" | "Infinity" | "-Infinity"}. */
function decodeFloats(_key: string, value: unknown): unknown {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "$float") return Number((value as { $float: string }).$float);
  }
  return value;
}

export function loadGolden<T = Record<string, unknown>>(name: string): T[] {
  return readFileSync(`${DIR}${name}.jsonl`, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line, decodeFloats) as T);
}
