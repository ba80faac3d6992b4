/**
 * Hermes 2 Pro (NousResearch Hermes-Function-Calling): a `<scratch_pad>` of planned
 * `functions.f(k=v)` calls, then `<tool_call>` with a JSON object or a Python dict.
 */
import { TOOL_CALL_JSON } from "./qwen3-hermes.js";
import type { SyntaxFamily } from "./kit.js";

export const hermes2Pro: SyntaxFamily = {
  family: "hermes2pro",
  reasoning: [{ open: "<scratch_pad>", close: ["</scratch_pad>"] }],
  calls: [TOOL_CALL_JSON],
  envelopes: [],
};
