/**
 * OpenAI and Anthropic: request payloads built from an observation, and the action
 * read back from a response. Responses are read the way the reference reads them,
 * from plain JSON or from SDK objects alike; a field that cannot be read is treated
 * as absent, so no response shape makes these throw.
 */
import { actionFromFields, actionFromPayload, fallbackAction } from "../actions/action-mapping.js";
import { decodeActionFields, decodePythonJson, isJsonObject } from "../python/json-dialect.js";
import { locateAction } from "../parsing/parse-action.js";
import { resolveOptions, type ResolvedOptions } from "../parsing/parse-options.js";
import { renderBody, resolveSystemPrompt, type PromptOptions } from "../prompting/prompts.js";
import { isPyBlank } from "../python/python-text.js";
import { pyStr, pyTruthy } from "../python/python-value.js";
import type { ChaosOpsAction, ChaosOpsObservation, ParseOptions } from "../model/types.js";

export interface ChatMessage {
  role: "system" | "user";
  content: string;
}

export interface AnthropicPayload {
  system: string;
  messages: { role: "user"; content: string }[];
}

/**
 * Chat-completions `messages`: the system prompt (when there is one), then the
 * rendered observation as the user message.
 *
 * @example
 * client.chat.completions.create({ model, messages: buildOpenAIMessages(obs), tools: [openaiToolSpec()] })
 */
export function buildOpenAIMessages(obs: ChaosOpsObservation, options: PromptOptions = {}): ChatMessage[] {
  const system = resolveSystemPrompt(obs, options);
  const body = renderBody(obs);
  const messages: ChatMessage[] = system ? [{ role: "system", content: system }] : [];
  messages.push({ role: "user", content: body });
  return messages;
}

/**
 * The `system` and `messages` of an Anthropic `messages.create` call.
 *
 * @example
 * client.messages.create({ model, max_tokens: 512, ...buildAnthropicMessages(obs) })
 */
export function buildAnthropicMessages(obs: ChaosOpsObservation, options: PromptOptions = {}): AnthropicPayload {
  const system = resolveSystemPrompt(obs, options);
  return { system: system || "", messages: [{ role: "user", content: renderBody(obs) }] };
}

/** The reference's `_get`: a mapping's key or an object's attribute; anything else has none. */
export function field(source: unknown, key: string): unknown {
  if (source instanceof Map) return source.get(key);
  if (typeof source !== "object" || source === null || Array.isArray(source)) return undefined;
  return (source as Record<string, unknown>)[key];
}

/** A Python Mapping's contents, or undefined for anything else. */
function asMapping(value: unknown): object | undefined {
  if (value instanceof Map) return Object.fromEntries(value);
  return isJsonObject(value) ? value : undefined;
}

/** Python iterates only what it can; the port reads lists and treats other shapes as empty. */
export function items(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function parseText(text: string, options: ResolvedOptions): ChaosOpsAction {
  return locateAction(text, options).action;
}

/** `_action_from_json_str`: Python `json.loads` first, then the candidate search. */
function actionFromArguments(raw: string, options: ResolvedOptions): ChaosOpsAction {
  const decoded = decodePythonJson(raw);
  if (!decoded.ok) return parseText(raw, options);
  const fields = isJsonObject(decoded.value) ? decodeActionFields(raw) : undefined;
  return fields ? actionFromFields(fields, options.role, options.fallback) : fallbackAction(options.role, options.fallback);
}

function actionFromMapping(payload: object, options: ResolvedOptions): ChaosOpsAction {
  return actionFromPayload(payload, options.role, options.fallback);
}

export function firstMessage(response: unknown): unknown {
  const choices = field(response, "choices");
  if (!pyTruthy(choices) || !Array.isArray(choices)) return undefined;
  const first: unknown = choices[0];
  const message = field(first, "message");
  return pyTruthy(message) ? message : first;
}

/** `content` as text: a string, or the `text` parts of a list joined with "". */
export function openAIContent(content: unknown): string {
  if (!pyTruthy(content)) return "";
  if (!Array.isArray(content)) return pyStr(content);
  let text = "";
  for (const part of content) {
    if (field(part, "type") !== "text") continue;
    const value = field(part, "text");
    text += pyTruthy(value) ? pyStr(value) : "";
  }
  return text;
}

/**
 * The action in a chat-completions response (plain JSON or the `openai` SDK's object):
 * the first tool call with non-blank `function.arguments`, else the message content.
 *
 * @example
 * parseOpenAIResponse(await client.chat.completions.create(request), { role: "sre" })
 */
export function parseOpenAIResponse(response: unknown, options: ParseOptions): ChaosOpsAction {
  const resolved = resolveOptions(options, "parseOpenAIResponse");
  const message = firstMessage(response);
  if (message === undefined || message === null) return fallbackAction(resolved.role, resolved.fallback);
  for (const call of items(field(message, "tool_calls"))) {
    const args = field(field(call, "function"), "arguments");
    if (!pyTruthy(args)) continue;
    if (typeof args !== "string") {
      // The reference raises on non-string arguments; some SDKs and servers hand back the object.
      const payload = asMapping(args);
      return payload ? actionFromMapping(payload, resolved) : fallbackAction(resolved.role, resolved.fallback);
    }
    if (!isPyBlank(args)) return actionFromArguments(args, resolved);
  }
  return parseText(openAIContent(field(message, "content")), resolved);
}

/**
 * The action in an Anthropic messages response (plain JSON or the SDK's object): the
 * first `tool_use` block with an object input decides; otherwise the `text` blocks
 * joined with newlines are parsed.
 *
 * @example
 * parseAnthropicResponse(await client.messages.create(request), { role: "dev" })
 */
export function parseAnthropicResponse(response: unknown, options: ParseOptions): ChaosOpsAction {
  const resolved = resolveOptions(options, "parseAnthropicResponse");
  const texts: string[] = [];
  for (const block of items(field(response, "content"))) {
    const type = field(block, "type");
    if (type === "tool_use") {
      const input = field(block, "input");
      const payload = asMapping(pyTruthy(input) ? input : {});
      if (payload) return actionFromMapping(payload, resolved);
    } else if (type === "text") {
      const text = field(block, "text");
      texts.push(pyTruthy(text) ? pyStr(text) : "");
    }
  }
  return parseText(texts.join("\n"), resolved);
}
