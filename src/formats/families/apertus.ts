/**
 * Apertus: `<|inner_prefix|>…<|inner_suffix|>` inner monologue; calls as
 * `<|tools_prefix|>[{"NAME": {args}}]<|tools_suffix|>` (vLLM apertus_tool_parser).
 * Grammar: grammar/apertus.peggy.
 */
import { jsonAfter, ONE_MEMBER, type EnvelopeShape, type SyntaxFamily } from "./kit.js";
import { isJsonObject } from "../../python/json-dialect.js";

/** `{"NAME": {…}}`: one member, whose key is the function and whose value its arguments. */
const NAME_KEY: EnvelopeShape = {
  shape: '{"NAME": {…}}',
  keys: ONE_MEMBER,
  calls(value) {
    let only: string | undefined;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (only !== undefined) return undefined;
      only = key;
    }
    const args = only === undefined ? undefined : value[only];
    return only !== undefined && isJsonObject(args) ? [{ name: only, arguments: args, complete: true, repairs: [] }] : undefined;
  },
};

export const apertus: SyntaxFamily = {
  family: "apertus",
  reasoning: [{ open: "<|inner_prefix|>", close: ["<|inner_suffix|>"] }],
  calls: [jsonAfter("<|tools_prefix|>[…]<|tools_suffix|>", "<|tools_prefix|>")],
  envelopes: [NAME_KEY],
};
