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

/**
 * name → (text, case?) → the decoded value (or a promise of it); may throw. Ours take
 * the case's role and fallback when there is one (the native samples have both).
 */
export const PEERS = {
  "chaosops-adapter": (text, c) => parseAction(text, { role: c?.role ?? "sre", fallback: c?.fallback }),
  "chaosops-adapter (lenient)": (text, c) => parseAction(text, { role: c?.role ?? "sre", fallback: c?.fallback, formats: "lenient" }),
  jsonrepair: (text) => JSON.parse(jsonrepair(text)),
  "partial-json": (text) => partialJson(text),
  "best-effort-json-parser": (text) => bestEffort(text),
  "dirty-json": (text) => dirtyJson.parse(text),
  "ai parsePartialJson": async (text) => (await parsePartialJson(text)).value,
  "JSON.parse": (text) => JSON.parse(text),
};

/** The stream parser fed in chunks of `size` characters. */
export function streamInChunks(text, size, lenient = false) {
  const parser = new StreamingActionParser(lenient ? { role: "sre", formats: "lenient" } : { role: "sre" });
  for (let i = 0; i < text.length && !parser.feed(text.slice(i, i + size)); i += size);
  return parser.action();
}
