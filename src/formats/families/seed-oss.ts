/**
 * Seed-OSS: `<seed:think>…</seed:think>` reasoning (with `<seed:cot_budget_reflect>`
 * notes inside); calls as `<seed:tool_call><function=NAME><parameter=K>V</parameter>…`
 * (vLLM Seed-OSS tool parser tests), the parameters read as Qwen3-Coder's.
 * Grammar: grammar/seed-oss.peggy.
 */
import { readFunctionParameters } from "./qwen3-coder.js";
import { literal, skipSpace, type CallSyntax, type SyntaxFamily } from "./kit.js";

const SEED_CALL: CallSyntax = {
  syntax: "<seed:tool_call><function=NAME><parameter=K>V</parameter>",
  marker: literal("<seed:tool_call>"),
  endsReasoning: true,
  read(ctx, at, length) {
    const from = skipSpace(ctx.text, at + length);
    if (!ctx.text.startsWith("<function=", from)) return undefined;
    const block = readFunctionParameters(ctx, from);
    return block && { ...block, start: at };
  },
};

export const seedOss: SyntaxFamily = {
  family: "seed_oss",
  reasoning: [{ open: "<seed:think>", close: ["</seed:think>"], orphanClose: true }],
  calls: [SEED_CALL],
  envelopes: [],
};
