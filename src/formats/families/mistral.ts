/**
 * Mistral / Magistral: `[THINK]…[/THINK]` reasoning (or `<think>`); calls as
 * `[TOOL_CALLS] [{"name", "arguments", "id"}]` (v3, v7), `[TOOL_CALLS]NAME[CALL_ID]id[ARGS]{…}`
 * (v11) and `[TOOL_CALLS]NAME[ARGS]{…}` (v13) (mistral-common; vLLM mistral_tool_parser,
 * mistral_reasoning_parser). Grammar: grammar/mistral.peggy.
 */
import { jsonBlockAfter, literal, nameAt, namedJsonCall, skipSpace, THINK, type CallSyntax, type SyntaxFamily } from "./kit.js";

const CALL_ID = "[CALL_ID]";
const ARGS = "[ARGS]";

const TOOL_CALLS: CallSyntax = {
  syntax: "[TOOL_CALLS]",
  marker: literal("[TOOL_CALLS]"),
  endsReasoning: true,
  read(ctx, at, length) {
    const { text } = ctx;
    const from = skipSpace(text, at + length);
    const c = text.charCodeAt(from);
    if (c === 0x5b || c === 0x7b) return jsonBlockAfter(ctx, at, from);
    const name = nameAt(text, from);
    if (name === undefined) return undefined;
    let pos = from + name.length;
    if (text.startsWith(CALL_ID, pos)) {
      pos = ctx.find(ARGS, pos + CALL_ID.length);
      if (pos < 0) return undefined;
    }
    if (text.startsWith(ARGS, pos)) pos += ARGS.length;
    return namedJsonCall(ctx, at, name, pos);
  },
};

export const mistral: SyntaxFamily = {
  family: "mistral",
  reasoning: [{ open: "[THINK]", close: ["[/THINK]"], orphanClose: true }, THINK],
  calls: [TOOL_CALLS],
  envelopes: [],
};
