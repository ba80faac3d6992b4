/**
 * GLM-4.5: `<think>` reasoning; calls as `<tool_call>NAME` then `<arg_key>k</arg_key>`
 * `<arg_value>v</arg_value>` pairs, then `</tool_call>` (vLLM GLM-4 MoE tool parser
 * tests; llama.cpp GLM 4.5). Values are text, or JSON where the text is JSON.
 * Grammar: grammar/glm45.peggy.
 */
import { argumentsObject, cutInClose, literal, nameAt, parameterValue, skipSpace, THINK, type CallBlock, type CallSyntax, type ReadContext, type SyntaxFamily } from "./kit.js";
import type { JsonValue } from "../../model/types.js";

const KEY_OPEN = "<arg_key>";
const KEY_CLOSE = "</arg_key>";
const VALUE_OPEN = "<arg_value>";
const VALUE_CLOSE = "</arg_value>";
const END = "</tool_call>";

/** GLM's call after `<tool_call>` at `from`; the pairs read before a cut, or before other text, are kept. */
export function readGlmCall(ctx: ReadContext, at: number, from: number): CallBlock | undefined {
  const { text } = ctx;
  const nameStart = skipSpace(text, from);
  const name = nameAt(text, nameStart);
  if (name === undefined) return undefined;
  let pos = skipSpace(text, nameStart + name.length);
  if (!text.startsWith(KEY_OPEN, pos) && !text.startsWith(END, pos) && pos < text.length) return undefined;
  const members: [string, JsonValue][] = [];
  let complete = false;
  while (pos < text.length) {
    if (text.startsWith(END, pos)) {
      complete = true;
      pos += END.length;
      break;
    }
    if (!text.startsWith(KEY_OPEN, pos)) break;
    // A pair the text ends in is a cut (the pairs before it are kept), not a malformed call.
    const keyEnd = ctx.find(KEY_CLOSE, pos);
    if (keyEnd < 0) {
      pos = text.length;
      break;
    }
    const valueOpen = skipSpace(text, keyEnd + KEY_CLOSE.length);
    if (!text.startsWith(VALUE_OPEN, valueOpen)) {
      if (VALUE_OPEN.startsWith(text.slice(valueOpen))) pos = text.length;
      break;
    }
    const found = ctx.find(VALUE_CLOSE, valueOpen);
    const valueEnd = found >= 0 ? found : cutInClose(text, valueOpen + VALUE_OPEN.length, [VALUE_CLOSE]);
    if (valueEnd >= 0) members.push([text.slice(pos + KEY_OPEN.length, keyEnd).trim(), parameterValue(text.slice(valueOpen + VALUE_OPEN.length, valueEnd))]);
    if (found < 0) {
      pos = text.length;
      break;
    }
    pos = skipSpace(text, found + VALUE_CLOSE.length);
  }
  // Pairs that end in other text than `</tool_call>` (an end-of-turn token, prose, the next
  // call) are a call left open, read as Qwen3-Coder's is: the pairs before it, not complete.
  if (!complete && pos < text.length && members.length === 0) return undefined;
  return {
    start: at,
    end: pos,
    calls: [{ name, arguments: argumentsObject(members), complete, repairs: [] }],
  };
}

const GLM_CALL: CallSyntax = {
  syntax: "<tool_call>NAME<arg_key>k</arg_key><arg_value>v</arg_value></tool_call>",
  marker: literal("<tool_call>"),
  endsReasoning: true,
  read: (ctx, at, length) => readGlmCall(ctx, at, at + length),
};

export const glm45: SyntaxFamily = {
  family: "glm45",
  reasoning: [THINK],
  calls: [GLM_CALL],
  envelopes: [],
};
