/**
 * MiniMax M2: `<think>` reasoning; calls as `<minimax:tool_call><invoke name=NAME>`
 * `<parameter name=K>V</parameter>…</invoke></minimax:tool_call>` (vLLM MiniMax M2 tool
 * parser tests; llama.cpp). DeepSeek V3.2's DSML is the same shape with `｜DSML｜`
 * prefixed tags and a `string="true|false"` attribute, so the reader is shared.
 * Grammar: grammar/minimax-m2.peggy.
 */
import { argumentsObject, cutInClose, literal, parameterValue, skipSpace, THINK, type CallBlock, type CallSyntax, type ReadContext, type SyntaxFamily } from "./kit.js";
import type { JsonValue } from "../../model/types.js";

const NAME_ATTR = /\bname[ \t]*=[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/;
const STRING_ATTR = /\bstring[ \t]*=[ \t]*["']?(true|false)/;

function attribute(tag: string): string | undefined {
  const m = NAME_ATTR.exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3] ?? "").trim() : undefined;
}

/**
 * `<{prefix}invoke name=…>` at `at`, then `<{prefix}parameter name=…>V</{prefix}parameter>`
 * up to `</{prefix}invoke>`; the parameters before a cut are kept.
 */
export function readInvoke(ctx: ReadContext, at: number, prefix: string): CallBlock | undefined {
  const { text } = ctx;
  const tagEnd = ctx.find(">", at);
  if (tagEnd < 0) return undefined;
  const name = attribute(text.slice(at, tagEnd));
  if (!name) return undefined;
  const parameter = `<${prefix}parameter`;
  const parameterClose = `</${prefix}parameter>`;
  const invokeClose = `</${prefix}invoke>`;
  const members: [string, JsonValue][] = [];
  let pos = skipSpace(text, tagEnd + 1);
  let complete = false;
  while (pos < text.length) {
    if (text.startsWith(invokeClose, pos)) {
      complete = true;
      pos += invokeClose.length;
      break;
    }
    if (!text.startsWith(parameter, pos)) break;
    const open = ctx.find(">", pos);
    const found = open < 0 ? -1 : ctx.find(parameterClose, open);
    // Cut inside the value: it is not complete, unless the cut came inside its closing tag.
    const close = found >= 0 || open < 0 ? found : cutInClose(text, open + 1, [parameterClose, invokeClose]);
    if (close < 0) break;
    const tag = text.slice(pos, open);
    const key = attribute(tag);
    if (key === undefined) return undefined;
    const kind = STRING_ATTR.exec(tag)?.[1];
    members.push([key, parameterValue(text.slice(open + 1, close), kind === undefined ? undefined : kind === "false")]);
    if (found < 0) {
      pos = text.length;
      break;
    }
    pos = skipSpace(text, close + parameterClose.length);
  }
  return { start: at, end: pos, calls: [{ name, arguments: argumentsObject(members), complete, repairs: [] }] };
}

const MINIMAX_INVOKE: CallSyntax = {
  syntax: "<minimax:tool_call><invoke name=…><parameter name=…>",
  marker: literal("<invoke") + "[ \\t]",
  endsReasoning: true,
  read: (ctx, at) => readInvoke(ctx, at, ""),
};

export const minimaxM2: SyntaxFamily = {
  family: "minimax_m2",
  reasoning: [THINK],
  calls: [MINIMAX_INVOKE],
  envelopes: [],
};
