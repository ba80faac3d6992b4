/**
 * gpt-oss (harmony): reasoning in the `analysis` channel,
 * `<|channel|>analysis<|message|>…<|end|>`; a call is a message to `functions.NAME`, the
 * recipient after the channel (`<|channel|>commentary to=functions.NAME <|constrain|>json`)
 * or in the role header (`<|start|>assistant to=functions.NAME<|channel|>commentary json`),
 * its arguments after `<|message|>`, ended by `<|call|>`; the answer itself is in the
 * `final` channel (openai/harmony docs/format.md; llama.cpp gpt-oss). Grammar: grammar/gpt-oss.peggy.
 */
import { nameAt, namedJsonCall, type SyntaxFamily } from "./kit.js";

const MESSAGE = "<|message|>";
/** The header between the recipient and its message is a few tokens, never prose. */
const MAX_HEADER = 256;

export const gptOss: SyntaxFamily = {
  family: "gpt_oss",
  // A header token ends the analysis message too: a model that skips `<|end|><|start|>assistant`
  // still starts its next message (`final`, or `commentary to=…`) with `<|channel|>`.
  reasoning: [{ open: "<|channel|>analysis", close: ["<|end|>", "<|start|>", "<|channel|>"] }],
  calls: [
    {
      syntax: "to=functions.NAME … <|message|>{…}<|call|>",
      marker: "to=functions\\.",
      endsReasoning: true,
      read(ctx, at, length) {
        const name = nameAt(ctx.text, at + length);
        if (name === undefined) return undefined;
        const message = ctx.find(MESSAGE, at + length + name.length);
        if (message < 0 || message - at > MAX_HEADER) return undefined;
        const block = namedJsonCall(ctx, at, name, message + MESSAGE.length);
        return block && (ctx.text.startsWith("<|call|>", block.end) ? { ...block, end: block.end + 8 } : block);
      },
    },
  ],
  envelopes: [],
};
