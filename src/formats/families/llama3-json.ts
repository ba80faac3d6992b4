/**
 * Llama 3.1 / 3.2 JSON tool calls: `<|python_tag|>{"name", "parameters"}`, bare
 * `{"name", "parameters"}` objects (`; `-separated), `"type": "function"`, `"arguments"`
 * in place of `"parameters"`; custom tools as `<function=NAME>{…}</function>` (vLLM
 * llama_tool_parser; llama.cpp Llama 3.1; Meta's prompt format). Bare objects are found
 * by the JSON search and read through the envelope shape. Grammar: grammar/llama3-json.peggy.
 */
import { jsonAfter, literal, NAME_ARGUMENTS, namedJsonCall, type CallSyntax, type SyntaxFamily } from "./kit.js";

const FUNCTION = "<function=";

/** `<function=NAME>{…}</function>`: the name up to `>`, then a JSON object. */
export const FUNCTION_JSON: CallSyntax = {
  syntax: "<function=NAME>{…}</function>",
  marker: literal(FUNCTION),
  endsReasoning: true,
  read(ctx, at) {
    const nameEnd = ctx.find(">", at + FUNCTION.length);
    if (nameEnd < 0) return undefined;
    const name = ctx.text.slice(at + FUNCTION.length, nameEnd).trim();
    if (name.length === 0 || /[\s<]/.test(name)) return undefined;
    const block = namedJsonCall(ctx, at, name, nameEnd + 1);
    if (!block) return undefined;
    const close = ctx.text.startsWith("</function>", block.end) ? block.end + "</function>".length : block.end;
    return { ...block, end: close };
  },
};

export const llama3Json: SyntaxFamily = {
  family: "llama3_json",
  reasoning: [],
  calls: [jsonAfter("<|python_tag|>{…}", "<|python_tag|>"), FUNCTION_JSON],
  envelopes: [NAME_ARGUMENTS],
};
