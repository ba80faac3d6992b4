/**
 * The action's JSON Schema and the provider tool specs built from it: one source of
 * truth for function calling, tool use and local validation.
 */
import { ActionType, AgentRole, FailureType } from "./enums.js";

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

const TOOL_DESCRIPTION = "Emit exactly one ChaosOps incident-response action for the current turn.";

/**
 * An OpenAI `tools[]` entry for structured action output.
 *
 * @example
 * client.chat.completions.create({ model, messages, tools: [openaiToolSpec()] })
 */
export function openaiToolSpec(name = "chaosops_action") {
  return {
    type: "function" as const,
    function: { name, description: TOOL_DESCRIPTION, parameters: ACTION_JSON_SCHEMA },
  };
}

/**
 * An Anthropic `tools[]` entry for structured action output.
 *
 * @example
 * client.messages.create({ model, max_tokens, tools: [anthropicToolSpec()], ...payload })
 */
export function anthropicToolSpec(name = "chaosops_action") {
  return { name, description: TOOL_DESCRIPTION, input_schema: ACTION_JSON_SCHEMA };
}
