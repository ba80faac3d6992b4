/**
 * The executable specification of the JSON dialect: the peggy parser compiled from
 * `grammar/json.peggy`. Recursive and slow by design; `json-dialect.ts` must agree
 * with it. Its SyntaxError is turned into a result at this boundary.
 */
import { parse } from "../generated/json.js";
import type { JsonDecodeResult } from "./json-dialect.js";

/** Python `json.loads(text)` per the grammar. */
export function specDecodeJson(text: string): JsonDecodeResult {
  try {
    return { ok: true, value: parse(text) };
  } catch (error) {
    const at = (error as { location?: { start?: { offset?: number } } }).location?.start?.offset ?? 0;
    return { ok: false, at };
  }
}
