import { describe, expect, it } from "vitest";
import { anthropicToolSpecs, openaiToolSpecs } from "../../src/prompting/action-tools.js";
import { ActionType, AgentRole, FailureType } from "../../src/model/enums.js";
import { parseAction } from "../../src/parsing/parse-action.js";
import type { JsonObject } from "../../src/model/types.js";

/** Arguments a model could send each function, built from the declared properties. */
function sampleArguments(properties: Record<string, { type?: unknown; enum?: readonly unknown[] }>): JsonObject {
  const out: JsonObject = {};
  for (const [key, schema] of Object.entries(properties)) {
    if (schema.enum) out[key] = schema.enum[0] as string;
    else if (schema.type === "integer") out[key] = 3;
    else out[key] = key === "target" ? "payments" : `${key} text`;
  }
  return out;
}

/** The same call in a few families' syntaxes. */
const SYNTAXES: readonly ((name: string, args: JsonObject) => string)[] = [
  (name, args) => `<tool_call>\n${JSON.stringify({ name, arguments: args })}\n</tool_call>`,
  (name, args) => `[TOOL_CALLS]${name}[ARGS]${JSON.stringify(args)}`,
  (name, args) => `<|tool_calls_section_begin|><|tool_call_begin|>functions.${name}:0<|tool_call_argument_begin|>${JSON.stringify(args)}<|tool_call_end|>`,
  (name, args) => `<function=${name}>${Object.entries(args).map(([k, v]) => `<parameter=${k}>${String(v)}</parameter>`).join("")}</function>`,
  (name, args) => `[${name}(${Object.entries(args).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")})]`,
];

describe("one function per action type", () => {
  it("declares exactly the action types, for OpenAI and Anthropic alike", () => {
    const openai = openaiToolSpecs();
    const anthropic = anthropicToolSpecs();
    expect(openai.map((tool) => tool.function.name)).toEqual(Object.values(ActionType));
    expect(anthropic.map((tool) => tool.name)).toEqual(Object.values(ActionType));
    for (const [i, tool] of openai.entries()) expect(anthropic[i]?.input_schema).toEqual(tool.function.parameters);
  });

  it("takes its enums from the action schema", () => {
    const byName = new Map(openaiToolSpecs().map((tool) => [tool.function.name, tool.function.parameters]));
    expect(byName.get("communicate")?.properties).toMatchObject({ to: { enum: Object.values(AgentRole) } });
    expect(byName.get("identify_root_cause")?.properties).toMatchObject({ failure_type: { enum: Object.values(FailureType) } });
    expect(byName.get("scale")?.required).toEqual(["target", "replicas"]);
  });

  it.each(openaiToolSpecs().map((tool) => [tool.function.name, tool.function.parameters] as const))(
    "a call to %s, in every syntax, parses to that action",
    (name, parameters) => {
      const args = sampleArguments(parameters.properties as Record<string, { type?: unknown; enum?: readonly unknown[] }>);
      const { target = null, ...rest } = args;
      for (const write of SYNTAXES) {
        expect(parseAction(write(name, args), { role: "sre", formats: "lenient" }), write(name, args)).toEqual({ role: "sre", action_type: name, target, args: rest });
      }
    },
  );
});
