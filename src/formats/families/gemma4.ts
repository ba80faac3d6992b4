/**
 * Gemma 4: reasoning in a thought channel `<|channel>thought\n…<channel|>`; calls as
 * `<|tool_call>call:f{k:<|"|>v<|"|>,n:4}<tool_call|>` (vLLM gemma4_tool_parser and its
 * reasoning tests), read as FunctionGemma's `call:` body with `<|"|>` as the quote.
 * Grammar: grammar/gemma4.peggy.
 */
import { readCallBody } from "./gemma.js";
import { literal, type SyntaxFamily } from "./kit.js";

export const gemma4: SyntaxFamily = {
  family: "gemma4",
  reasoning: [{ open: "<|channel>thought", close: ["<channel|>"] }],
  calls: [
    {
      syntax: '<|tool_call>call:NAME{k:<|"|>v<|"|>}<tool_call|>',
      marker: literal("<|tool_call>"),
      endsReasoning: true,
      read: (ctx, at, length) => readCallBody(ctx, at, at + length, '<|"|>'),
    },
  ],
  envelopes: [],
};
