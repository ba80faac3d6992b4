// Every library in the benchmark, each used the way its documentation says, and
// each scored on what it can do: a library that cannot pull JSON out of chatter is
// given the whole text all the same.
import { jsonrepair } from "jsonrepair";
import { parse as partialJson } from "partial-json";
import { parse as bestEffort, disableErrorLogging } from "best-effort-json-parser";
import dirtyJson from "dirty-json";
import { parsePartialJson } from "ai";
import { parseAction, StreamingActionParser } from "../dist/index.js";

disableErrorLogging?.();

/** name → (text) → the decoded value (or a promise of it); may throw. */
export const PEERS = {
  "chaosops-adapter": (text) => parseAction(text, { role: "sre" }),
  "chaosops-adapter (lenient)": (text) => parseAction(text, { role: "sre", formats: "lenient" }),
  jsonrepair: (text) => JSON.parse(jsonrepair(text)),
  "partial-json": (text) => partialJson(text),
  "best-effort-json-parser": (text) => bestEffort(text),
  "dirty-json": (text) => dirtyJson.parse(text),
  "ai parsePartialJson": async (text) => (await parsePartialJson(text)).value,
  "JSON.parse": (text) => JSON.parse(text),
};

/** The stream parser fed in chunks of `size` characters. */
export function streamInChunks(text, size) {
  const parser = new StreamingActionParser({ role: "sre" });
  for (let i = 0; i < text.length && !parser.feed(text.slice(i, i + size)); i += size);
  return parser.action();
}
