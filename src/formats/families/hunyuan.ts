/**
 * Hunyuan A13B: `<think>\n…\n</think>\n<answer>…</answer>`; calls as
 * `<tool_calls>[{"name", "arguments"}]</tool_calls>` (vLLM hunyuan_a13b_tool_parser).
 * Grammar: grammar/hunyuan.peggy.
 */
import { jsonAfter, THINK, type SyntaxFamily } from "./kit.js";

export const hunyuan: SyntaxFamily = {
  family: "hunyuan",
  reasoning: [THINK],
  calls: [jsonAfter("<tool_calls>[…]</tool_calls>", "<tool_calls>")],
  envelopes: [],
};
