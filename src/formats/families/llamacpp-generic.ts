/**
 * llama.cpp's generic format (for models without a native one): the whole answer is
 * `{"tool_call": {"name", "arguments"}}` or `{"tool_calls": […]}`; also the provider
 * shapes `{"function": {"name", "arguments"}}` (OpenAI) and `{"type": "tool_use", "input"}`
 * (Anthropic, read by the `{"name", …}` shape). Found by the JSON search and read
 * through these envelope shapes. Grammar: grammar/llamacpp-generic.peggy.
 */
import { NAME_ARGUMENTS, type EnvelopeShape, type SyntaxFamily } from "./kit.js";
import { isJsonObject } from "../../python/json-dialect.js";

function wrapper(shape: string, key: string): EnvelopeShape {
  return {
    shape,
    keys: [key],
    wrapper: true,
    calls: (value, _loose, inner) => (Object.hasOwn(value, key) && (isJsonObject(value[key]) || Array.isArray(value[key])) ? inner(value[key] ?? null) : undefined),
  };
}

const OPENAI_FUNCTION: EnvelopeShape = {
  shape: '{"function": {"name", "arguments"}}',
  keys: ["function"],
  calls(value, loose, inner) {
    const fn = Object.hasOwn(value, "function") ? value.function : undefined;
    return isJsonObject(fn) ? NAME_ARGUMENTS.calls(fn, loose, inner) : undefined;
  },
};

export const llamacppGeneric: SyntaxFamily = {
  family: "llamacpp_generic",
  reasoning: [],
  calls: [],
  envelopes: [wrapper('{"tool_call": {…}}', "tool_call"), wrapper('{"tool_calls": […]}', "tool_calls"), OPENAI_FUNCTION],
};
