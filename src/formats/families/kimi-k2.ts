/**
 * Kimi K2: `<think>` reasoning, which a tool section may end without `</think>`, and
 * Kimi-VL's `◁think▷…◁/think▷`; calls as `<|tool_calls_section_begin|><|tool_call_begin|>`
 * `functions.NAME:0<|tool_call_argument_begin|>{…}<|tool_call_end|>…<|tool_calls_section_end|>`
 * (vLLM Kimi K2 tool and reasoning parsers). Grammar: grammar/kimi-k2.peggy.
 */
import { literal, namedJsonCall, THINK, type SyntaxFamily } from "./kit.js";

const ARGUMENT_BEGIN = "<|tool_call_argument_begin|>";

export const kimiK2: SyntaxFamily = {
  family: "kimi_k2",
  reasoning: [THINK, { open: "◁think▷", close: ["◁/think▷"], orphanClose: true }],
  calls: [
    {
      syntax: "<|tool_call_begin|>functions.NAME:0<|tool_call_argument_begin|>{…}<|tool_call_end|>",
      marker: literal("<|tool_call_begin|>"),
      endsReasoning: true,
      read(ctx, at, length) {
        const argsAt = ctx.find(ARGUMENT_BEGIN, at + length);
        if (argsAt < 0) return undefined;
        const id = ctx.text.slice(at + length, argsAt).trim();
        if (id.length === 0 || id.includes("<|")) return undefined;
        return namedJsonCall(ctx, at, id, argsAt + ARGUMENT_BEGIN.length);
      },
    },
  ],
  envelopes: [],
};
