/**
 * Phi-4-mini and Firefunction v2: `functools[{"name", "arguments" | "parameters"}, …]`
 * (vLLM phi4mini_tool_parser; llama.cpp Firefunction). Grammar: grammar/phi4-functools.peggy.
 */
import { jsonBlockAfter, type SyntaxFamily } from "./kit.js";

export const phi4Functools: SyntaxFamily = {
  family: "phi4_functools",
  reasoning: [],
  calls: [
    {
      syntax: "functools[…]",
      marker: "functools[ \\t]*\\[",
      endsReasoning: true,
      read: (ctx, at, length) => jsonBlockAfter(ctx, at, at + length - 1),
    },
  ],
  envelopes: [],
};
