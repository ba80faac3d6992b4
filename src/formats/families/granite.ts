/**
 * Granite 3.x: reasoning as prose between "Here is my thought process:" and "Here is my
 * response:" (or "Here's …"); calls as `<|tool_call|>[…]` (3.0) or `<tool_call>[…]` (3.1, read by the
 * `<tool_call>` reader) (vLLM granite_tool_parser, granite_reasoning_parser).
 * Grammar: grammar/granite.peggy.
 */
import { TOOL_CALL_JSON } from "./qwen3-hermes.js";
import { jsonAfter, type SyntaxFamily } from "./kit.js";

/** Both spellings open and close (vLLM's granite reasoning parser accepts either). */
const RESPONSE = ["Here is my response:", "Here's my response:"];

export const granite: SyntaxFamily = {
  family: "granite",
  reasoning: [
    { open: "Here is my thought process:", close: RESPONSE },
    { open: "Here's my thought process:", close: RESPONSE },
  ],
  calls: [jsonAfter("<|tool_call|>[…]", "<|tool_call|>"), TOOL_CALL_JSON],
  envelopes: [],
};
