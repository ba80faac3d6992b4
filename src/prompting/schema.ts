/**
 * The action's JSON Schema and the provider tool specs built from it: one source of
 * truth for function calling, tool use and local validation.
 */
import { ActionType, AgentRole, FailureType } from "../model/enums.js";

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** JSON Schema of an action payload, exactly as the reference defines it. */
export const ACTION_JSON_SCHEMA = deepFreeze({
  type: "object",
  additionalProperties: false,
  required: ["action_type"],
  properties: {
    action_type: {
      type: "string",
      enum: Object.values(ActionType),
      description: "Which action to take this turn.",
    },
    target: {
      type: ["string", "null"],
      description: "Target service or fleet-agent name (e.g., 'db', 'autoscaler'). Omit or null for NOOP / COMMUNICATE.",
    },
    args: {
      type: "object",
      description:
        "Action-specific parameters. communicate: {to?: role, message: str}. scale: {replicas: int}. identify_root_cause: {failure_type: FailureType}.",
      additionalProperties: true,
      properties: {
        to: {
          type: "string",
          enum: Object.values(AgentRole),
          description: "Private recipient role for communicate.",
        },
        message: { type: "string" },
        replicas: { type: "integer", minimum: 0 },
        failure_type: { type: "string", enum: Object.values(FailureType) },
      },
    },
  },
} as const);

/**
 * The same action for OpenAI's strict structured outputs (`strict: true`), which accept
 * a subset of JSON Schema: every property required, no additional properties, optional
 * values expressed as a union with null. The parsers drop null args, so a strict reply
 * maps to the same action as the lenient one.
 */
export const ACTION_JSON_SCHEMA_STRICT = deepFreeze({
  type: "object",
  additionalProperties: false,
  required: ["action_type", "target", "args"],
  properties: {
    action_type: ACTION_JSON_SCHEMA.properties.action_type,
    target: ACTION_JSON_SCHEMA.properties.target,
    args: {
      type: "object",
      description: ACTION_JSON_SCHEMA.properties.args.description,
      additionalProperties: false,
      required: ["to", "message", "replicas", "failure_type"],
      properties: {
        to: { type: ["string", "null"], enum: [...Object.values(AgentRole), null], description: "Private recipient role for communicate; null to broadcast." },
        message: { type: ["string", "null"], description: "Message text for communicate; null otherwise." },
        replicas: { type: ["integer", "null"], description: "New replica count (0 or more) for scale; null otherwise." },
        failure_type: { type: ["string", "null"], enum: [...Object.values(FailureType), null], description: "Root cause for identify_root_cause; null otherwise." },
      },
    },
  },
} as const);

const TOOL_DESCRIPTION = "Emit exactly one ChaosOps incident-response action for the current turn.";

/** `T` with every readonly array and property made mutable, as the SDKs' tool types want them. */
export type DeepMutable<T> = T extends readonly (infer U)[]
  ? DeepMutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;

/**
 * A fresh, mutable copy of a frozen schema for a tool spec: the SDKs' types want mutable
 * arrays, and a caller who edits their spec must not edit everyone's.
 */
function schemaCopy<T>(schema: T): DeepMutable<T> {
  return structuredClone(schema) as DeepMutable<T>;
}

/**
 * An OpenAI `tools[]` entry for structured action output.
 *
 * @example
 * client.chat.completions.create({ model, messages, tools: [openaiToolSpec()] })
 */
export function openaiToolSpec(name = "chaosops_action") {
  return {
    type: "function" as const,
    function: { name, description: TOOL_DESCRIPTION, parameters: schemaCopy(ACTION_JSON_SCHEMA) },
  };
}

/**
 * An OpenAI `tools[]` entry with strict structured outputs: the model can only call it
 * with a schema-valid action.
 *
 * @example
 * client.chat.completions.create({ model, messages, tools: [openaiStrictToolSpec()], tool_choice: "required" })
 */
export function openaiStrictToolSpec(name = "chaosops_action") {
  return {
    type: "function" as const,
    function: { name, description: TOOL_DESCRIPTION, strict: true, parameters: schemaCopy(ACTION_JSON_SCHEMA_STRICT) },
  };
}

/**
 * An OpenAI `response_format` that makes the whole reply one schema-valid action.
 *
 * @example
 * client.chat.completions.create({ model, messages, response_format: openaiResponseFormat() })
 */
export function openaiResponseFormat(name = "chaosops_action") {
  return { type: "json_schema" as const, json_schema: { name, strict: true, schema: schemaCopy(ACTION_JSON_SCHEMA_STRICT) } };
}

/**
 * An Anthropic `tools[]` entry for structured action output.
 *
 * @example
 * client.messages.create({ model, max_tokens, tools: [anthropicToolSpec()], ...payload })
 */
export function anthropicToolSpec(name = "chaosops_action") {
  return { name, description: TOOL_DESCRIPTION, input_schema: schemaCopy(ACTION_JSON_SCHEMA) };
}
