/**
 * Cohere Command: `<|START_THINKING|>…<|END_THINKING|>` reasoning; calls as
 * `<|START_ACTION|>[{"tool_call_id", "tool_name", "parameters"}]<|END_ACTION|>` (R7B, A)
 * or `Action: ```json [{"tool_name", "parameters"}]``` ` (R, R+); the answer in
 * `<|START_RESPONSE|>` (vLLM command_tool_parser, Cohere reasoning parser).
 * Grammar: grammar/command.peggy.
 */
import { jsonAfter, jsonBlockAfter, namedEnvelope, type SyntaxFamily } from "./kit.js";

export const command: SyntaxFamily = {
  family: "command",
  reasoning: [{ open: "<|START_THINKING|>", close: ["<|END_THINKING|>"] }],
  calls: [
    jsonAfter("<|START_ACTION|>[…]<|END_ACTION|>", "<|START_ACTION|>"),
    {
      syntax: "Action: ```json […]```",
      marker: "Action:[ \\t]*\\n?[ \\t]*```(?:json)?",
      endsReasoning: false,
      read: (ctx, at, length) => jsonBlockAfter(ctx, at, at + length),
    },
  ],
  envelopes: [namedEnvelope('{"tool_name", "parameters"}', "tool_name", ["parameters"])],
};
