import { describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { ACTION_JSON_SCHEMA, ACTION_JSON_SCHEMA_STRICT, anthropicToolSpec, openaiResponseFormat, openaiStrictToolSpec, openaiToolSpec } from "../../src/prompting/schema.js";
import { decodePythonJson } from "../../src/python/json-dialect.js";
import { parseAction } from "../../src/parsing/parse-action.js";
import type { ChaosOpsAction } from "../../src/model/types.js";
import { canonicalActions, malformedActions } from "../support/canonical-actions.js";
import { ActionType, FailureType } from "../../src/model/enums.js";

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
  it("fit the SDKs' types under strict (mutable arrays), each call a fresh copy of the frozen schema", () => {
    const anthropic: Anthropic.Tool = anthropicToolSpec();
    const openai: OpenAI.ChatCompletionFunctionTool = openaiToolSpec();
    const strict: OpenAI.ChatCompletionTool = openaiStrictToolSpec();
    const format: OpenAI.ResponseFormatJSONSchema = openaiResponseFormat();
    expect(anthropic.input_schema).toEqual(ACTION_JSON_SCHEMA);
    expect(format.json_schema.schema).toEqual(ACTION_JSON_SCHEMA_STRICT);
    anthropic.input_schema.required?.push("target");
    openai.function.parameters = {};
    expect(strict.type).toBe("function");
    expect(ACTION_JSON_SCHEMA.required).toEqual(["action_type"]);
    expect(anthropicToolSpec().input_schema.required).toEqual(["action_type"]);
    expect(openaiToolSpec().function.parameters).toEqual(ACTION_JSON_SCHEMA);
  });

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

describe("ACTION_JSON_SCHEMA_STRICT", () => {
  const ajv = new Ajv({ strict: false, allowUnionTypes: true });
  const validate = ajv.compile(ACTION_JSON_SCHEMA_STRICT);
  const strictForm = (action: ChaosOpsAction) => ({
    action_type: action.action_type,
    target: action.target,
    args: { to: null, message: null, replicas: null, failure_type: null, ...action.args },
  });

  it("accepts every canonical action in its strict form, which parses back to the same action", () => {
    for (const action of canonicalActions()) {
      const strict = strictForm(action);
      expect(validate(strict), JSON.stringify(ajv.errors)).toBe(true);
      expect(parseAction(JSON.stringify(strict), { role: action.role })).toEqual(action);
    }
  });

  it.each(malformedActions().filter((text) => decodePythonJson(text).ok))("rejects %s", (text) => {
    const decoded = decodePythonJson(text);
    expect(decoded.ok && validate(decoded.value)).toBe(false);
  });

  it("follows OpenAI's strict rules: every object closed, every property required, no unsupported keywords", () => {
    const visit = (node: unknown): void => {
      if (typeof node !== "object" || node === null) return;
      const schema = node as Record<string, unknown>;
      expect(schema).not.toHaveProperty("minimum");
      if (schema.type === "object") {
        expect(schema.additionalProperties).toBe(false);
        expect([...(schema.required as string[])].sort()).toEqual(Object.keys(schema.properties as object).sort());
      }
      for (const child of Object.values(schema)) visit(child);
    };
    visit(ACTION_JSON_SCHEMA_STRICT);
  });

  it("is what the strict tool spec and response format carry", () => {
    expect(openaiStrictToolSpec().function).toMatchObject({ name: "chaosops_action", strict: true, parameters: ACTION_JSON_SCHEMA_STRICT });
    expect(openaiResponseFormat("act")).toEqual({ type: "json_schema", json_schema: { name: "act", strict: true, schema: ACTION_JSON_SCHEMA_STRICT } });
  });
});
