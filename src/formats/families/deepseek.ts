/**
 * DeepSeek V3 / R1 / V3.1: `<think>` reasoning (or only `</think>`); calls as
 * `<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>NAME\n```json{…}```<｜tool▁call▁end｜>`
 * (V3, R1) or `<｜tool▁call▁begin｜>NAME<｜tool▁sep｜>{…}<｜tool▁call▁end｜>` (V3.1)
 * (vLLM deepseekv3_tool_parser, deepseek_r1_reasoning_parser). The bars are full-width
 * (U+FF5C) and the spaces U+2581. Grammar: grammar/deepseek.peggy.
 */
import { literal, namedJsonCall, skipSpace, THINK, type CallSyntax, type SyntaxFamily } from "./kit.js";

const CALL_BEGIN = "<｜tool▁call▁begin｜>";
const SEP = "<｜tool▁sep｜>";
const FENCE = /```(?:json)?/y;
const NAME_ENDS = ["\n", "`", "{"];

/** The nearest of `needles` from `from` (`end` when none comes). */
function nearestOf(find: (needle: string, from: number) => number, needles: readonly string[], from: number, end: number): number {
  let nearest = end;
  for (const needle of needles) {
    const at = find(needle, from);
    if (at >= 0 && at < nearest) nearest = at;
  }
  return nearest;
}

const DEEPSEEK_CALL: CallSyntax = {
  syntax: "<｜tool▁call▁begin｜>…<｜tool▁sep｜>…<｜tool▁call▁end｜>",
  marker: literal(CALL_BEGIN),
  endsReasoning: true,
  read(ctx, at, length) {
    const { text } = ctx;
    const sep = ctx.find(SEP, at + length);
    if (sep < 0) return undefined;
    const head = text.slice(at + length, sep).trim();
    if (head.includes("｜")) return undefined;
    if (head !== "function") return head.length > 0 ? namedJsonCall(ctx, at, head, sep + SEP.length) : undefined;
    const nameStart = sep + SEP.length;
    // The name runs to the next newline, backtick or brace: found with the amortised
    // find, since a walk to it from each of many markers would cost quadratic time.
    const nameEnd = nearestOf(ctx.find, NAME_ENDS, nameStart, text.length);
    const name = text.slice(nameStart, nameEnd).trim();
    // No name after the separator: not the V3 form, but a V3.1 call whose name is `function`.
    if (name.length === 0) return namedJsonCall(ctx, at, head, nameStart);
    FENCE.lastIndex = skipSpace(text, nameEnd);
    const body = FENCE.test(text) ? FENCE.lastIndex : nameEnd;
    return namedJsonCall(ctx, at, name, body);
  },
};

export const deepseek: SyntaxFamily = {
  family: "deepseek",
  reasoning: [THINK],
  calls: [DEEPSEEK_CALL],
  envelopes: [],
};
