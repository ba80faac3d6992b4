/**
 * The executable specification of the lenient JSON dialect: the peggy parser compiled
 * from `grammar/lenient.peggy`. Recursive and slow by design, and never on the hot
 * path (only tests import it); `lenient-json.ts` must agree with it. Its SyntaxError
 * is turned into `{ ok: false }` here, at the boundary.
 */
import { parse, SyntaxError as GrammarSyntaxError } from "../generated/lenient.js";
import type { LenientDecoded, LenientDialect } from "./lenient-json.js";

/** `text[start:end]` in the lenient dialect, per the grammar. */
export function specDecodeLenient(text: string, start: number, end: number, dialect: LenientDialect): LenientDecoded {
  try {
    return parse(text.slice(start, end), { startRule: "Lenient", ...dialect });
  } catch (error) {
    if (error instanceof GrammarSyntaxError) return { ok: false };
    throw error;
  }
}
