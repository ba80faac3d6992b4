/**
 * Tool declarations with one function per action type (`restart(target)`,
 * `scale(target, replicas)`, …): the second way a deployment can declare the action,
 * beside the single `chaosops_action` tool of `schema.ts`. The function's name is the
 * action type and its arguments hold `target` and the args, which is exactly how the
 * parser reads such a call in every family's syntax. Built from the same enums and
 * property schemas as ACTION_JSON_SCHEMA.
 */
import { ActionType } from "../model/enums.js";
import { ACTION_JSON_SCHEMA } from "./schema.js";

const { target, args } = ACTION_JSON_SCHEMA.properties;
const { to, message, replicas, failure_type: failureType } = args.properties;

const TARGET = { type: "string", description: target.description } as const;

interface ActionFunction {
  readonly description: string;
  readonly properties: Readonly<Record<string, object>>;
  readonly required: readonly string[];
}

/** What each action type's function takes; a Record, so a new action type does not compile without one. */
const FUNCTIONS: Readonly<Record<ActionType, ActionFunction>> = {
  [ActionType.NOOP]: { description: "Take no action this turn.", properties: {}, required: [] },
  [ActionType.COMMUNICATE]: {
    description: "Send a message to the team, or privately to one role.",
    properties: { to, message },
    required: ["message"],
  },
  [ActionType.RESTART]: { description: "Restart a service.", properties: { target: TARGET }, required: ["target"] },
  [ActionType.ROLLBACK]: { description: "Roll a service back to its previous deploy.", properties: { target: TARGET }, required: ["target"] },
  [ActionType.SCALE]: { description: "Set a service's replica count.", properties: { target: TARGET, replicas }, required: ["target", "replicas"] },
  [ActionType.FLAG_ROGUE]: { description: "Flag a fleet agent as misbehaving.", properties: { target: TARGET }, required: ["target"] },
  [ActionType.IDENTIFY_ROOT_CAUSE]: { description: "Name the root cause of the incident.", properties: { failure_type: failureType }, required: ["failure_type"] },
  [ActionType.ESCALATE]: { description: "Escalate the incident beyond the team.", properties: { target: TARGET, reason: { type: "string" } }, required: [] },
  [ActionType.RESOLVE]: { description: "Declare the incident resolved.", properties: { target: TARGET }, required: [] },
};

function parametersOf(fn: ActionFunction) {
  return { type: "object" as const, properties: fn.properties, required: [...fn.required], additionalProperties: true };
}

/**
 * OpenAI `tools[]` entries, one function per action type.
 *
 * @example
 * client.chat.completions.create({ model, messages, tools: openaiToolSpecs() })
 * // the model calls e.g. scale({"target": "payments", "replicas": 4}); parseOpenAIResponse reads it
 */
export function openaiToolSpecs() {
  return Object.values(ActionType).map((name) => ({
    type: "function" as const,
    function: { name, description: FUNCTIONS[name].description, parameters: parametersOf(FUNCTIONS[name]) },
  }));
}

/**
 * Anthropic `tools[]` entries, one function per action type.
 *
 * @example
 * client.messages.create({ model, max_tokens, tools: anthropicToolSpecs(), ...payload })
 */
export function anthropicToolSpecs() {
  return Object.values(ActionType).map((name) => ({ name, description: FUNCTIONS[name].description, input_schema: parametersOf(FUNCTIONS[name]) }));
}
