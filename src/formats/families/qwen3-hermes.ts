/**
 * Qwen3 / Hermes: `<think>` reasoning (its opening tag often in the prompt), calls as
 * `<tool_call>{"name", "arguments"}</tool_call>` with arguments an object or a JSON
 * string (vLLM hermes_tool_parser, qwen3_reasoning_parser). Hermes 2 Pro writes a
 * Python dict there, Granite 3.1 a list. Grammar: grammar/qwen3-hermes.peggy.
 */
import { DIRECT_ACTION, jsonAfter, NAME_ARGUMENTS, THINK, type CallSyntax, type SyntaxFamily } from "./kit.js";

/** `<tool_call>` followed by a JSON object, a list of them, or a Python dict. */
export const TOOL_CALL_JSON: CallSyntax = jsonAfter("<tool_call>{…}</tool_call>", "<tool_call>");

export const qwen3Hermes: SyntaxFamily = {
  family: "qwen3_hermes",
  reasoning: [THINK],
  calls: [TOOL_CALL_JSON],
  envelopes: [DIRECT_ACTION, NAME_ARGUMENTS],
};
