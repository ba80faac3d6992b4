/**
 * Qwen3-Coder: `<think>` reasoning, which a `<tool_call>` may end without `</think>`;
 * calls as `<tool_call><function=NAME><parameter=K>V</parameter>…</function></tool_call>`,
 * also without the outer tags (vLLM qwen3coder_tool_parser and its tests). A value runs
 * to `</parameter>`, or to the next `<parameter=` or `</function>` when the model left
 * it open; it is text, or JSON where the text is JSON. Grammar: grammar/qwen3-coder.peggy.
 */
import { argumentsObject, cutInClose, findFirst, literal, parameterValue, skipSpace, THINK, type CallBlock, type CallSyntax, type ReadContext, type SyntaxFamily } from "./kit.js";
import type { JsonValue } from "../../model/types.js";

const FUNCTION = "<function=";
const PARAMETER = "<parameter=";
const PARAMETER_CLOSE = "</parameter>";
const FUNCTION_CLOSE = "</function>";
const VALUE_ENDS = [PARAMETER_CLOSE, PARAMETER, FUNCTION_CLOSE];

/** `<function=NAME>` then parameters, from the `<function=` at `at`; parameters before a cut are kept. */
export function readFunctionParameters(ctx: ReadContext, at: number): CallBlock | undefined {
  const { text } = ctx;
  const nameEnd = ctx.find(">", at + FUNCTION.length);
  if (nameEnd < 0) return undefined;
  const name = text.slice(at + FUNCTION.length, nameEnd).trim();
  if (name.length === 0 || /[\s<]/.test(name)) return undefined;
  let pos = skipSpace(text, nameEnd + 1);
  if (pos < text.length && !text.startsWith(PARAMETER, pos) && !text.startsWith(FUNCTION_CLOSE, pos)) return undefined;
  const members: [string, JsonValue][] = [];
  let complete = false;
  while (pos < text.length) {
    if (text.startsWith(FUNCTION_CLOSE, pos)) {
      complete = true;
      pos += FUNCTION_CLOSE.length;
      break;
    }
    if (!text.startsWith(PARAMETER, pos)) break;
    const keyEnd = ctx.find(">", pos + PARAMETER.length);
    if (keyEnd < 0) break;
    const end = findFirst(ctx, VALUE_ENDS, keyEnd + 1);
    // Cut inside the value: it is not complete, unless the cut came inside its closing tag.
    const valueEnd = end.at >= 0 ? end.at : cutInClose(text, keyEnd + 1, [PARAMETER_CLOSE, FUNCTION_CLOSE]);
    if (valueEnd < 0) break;
    members.push([text.slice(pos + PARAMETER.length, keyEnd).trim(), parameterValue(text.slice(keyEnd + 1, valueEnd))]);
    if (end.at < 0) {
      pos = text.length;
      break;
    }
    pos = skipSpace(text, end.needle === PARAMETER_CLOSE ? end.at + PARAMETER_CLOSE.length : end.at);
  }
  return { start: at, end: pos, calls: [{ name, arguments: argumentsObject(members), complete, repairs: [] }] };
}

export const FUNCTION_PARAMETERS: CallSyntax = {
  syntax: "<function=NAME><parameter=K>V</parameter></function>",
  marker: literal(FUNCTION),
  endsReasoning: true,
  read: (ctx, at) => readFunctionParameters(ctx, at),
};

export const qwen3Coder: SyntaxFamily = {
  family: "qwen3_coder",
  reasoning: [THINK],
  calls: [FUNCTION_PARAMETERS],
  envelopes: [],
};
