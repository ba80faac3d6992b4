import { describe, expect, it } from "vitest";
import { ACTION_JSON_SCHEMA, anthropicToolSpec, openaiToolSpec } from "../src/schema.js";
import { ActionType, FailureType } from "../src/enums.js";

describe("ACTION_JSON_SCHEMA", () => {
  it("lists every action type and failure type, and requires only action_type", () => {
    expect(ACTION_JSON_SCHEMA.properties.action_type.enum).toEqual(Object.values(ActionType));
    expect(ACTION_JSON_SCHEMA.properties.args.properties.failure_type.enum).toEqual(Object.values(FailureType));
    expect(ACTION_JSON_SCHEMA.required).toEqual(["action_type"]);
    expect(ACTION_JSON_SCHEMA.properties.target.type).toEqual(["string", "null"]);
  });

  it("is frozen, so no caller can change it for everyone", () => {
    expect(Object.isFrozen(ACTION_JSON_SCHEMA.properties.args.properties)).toBe(true);
  });
});

describe("tool specs", () => {
  it("wrap the schema as OpenAI and Anthropic expect", () => {
    expect(openaiToolSpec()).toEqual({
      type: "function",
      function: { name: "chaosops_action", description: "Emit exactly one ChaosOps incident-response action for the current turn.", parameters: ACTION_JSON_SCHEMA },
    });
    expect(anthropicToolSpec("act")).toEqual({
      name: "act",
      description: "Emit exactly one ChaosOps incident-response action for the current turn.",
      input_schema: ACTION_JSON_SCHEMA,
    });
  });
});
