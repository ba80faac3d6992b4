/**
 * Functionary: v3.2 writes `NAME\n{…}` and further calls as `>>>NAME\n{…}`, with `all`
 * as the name of plain text (`all\ntext>>>NAME\n{…}`); v3.1 writes
 * `<function=NAME>{…}</function>` (llama.cpp Functionary). Grammar: grammar/functionary.peggy.
 */
import { FUNCTION_JSON } from "./llama3-json.js";
import { nameAt, namedJsonCall, type CallBlock, type ReadContext, type SyntaxFamily } from "./kit.js";

/** `NAME\n{…}` from `from` (`\r\n` where the text's lines end so); `all` is text, not a call. */
function readRecipient(ctx: ReadContext, at: number, from: number): CallBlock | undefined {
  const name = nameAt(ctx.text, from);
  if (name === undefined || name === "all") return undefined;
  let newline = from + name.length;
  if (ctx.text.charCodeAt(newline) === 0x0d) newline++;
  if (ctx.text.charCodeAt(newline) !== 0x0a) return undefined;
  return namedJsonCall(ctx, at, name, newline + 1);
}

export const functionary: SyntaxFamily = {
  family: "functionary",
  reasoning: [],
  calls: [
    { syntax: ">>>NAME\n{…}", marker: ">>>", endsReasoning: true, read: (ctx, at, length) => readRecipient(ctx, at, at + length) },
    { syntax: "NAME\n{…} (at the start)", marker: "^[A-Za-z_][\\w.\\-]*\\r?\\n", endsReasoning: false, read: (ctx, at) => readRecipient(ctx, at, at) },
    FUNCTION_JSON,
  ],
  envelopes: [],
};
