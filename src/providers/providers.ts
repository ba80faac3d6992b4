/**
 * OpenAI and Anthropic: request payloads built from an observation, and the action
 * read back from a response. Responses are read the way the reference reads them,
 * from plain JSON or from SDK objects alike; a field that cannot be read is treated
 * as absent, so no response shape makes these throw.
 */
import { actionFromFields, actionFromPayload, fallbackAction } from "../actions/action-mapping.js";
import { decodeActionFields, decodePythonJson, isJsonObject } from "../python/json-dialect.js";
import { locateAction } from "../parsing/parse-action.js";
import { candidateReader, searchWithFormats, type ParseActionOptions } from "../parsing/parse-detailed.js";
import { resolveOptions, type ResolvedOptions } from "../parsing/parse-options.js";
import { planFor, toolCallArguments, type FormatPlan } from "../formats/formats.js";
import { CandidateKind } from "../scanning/candidates.js";
import { attempt, field, firstItem, items, plainCopy, shapeOf } from "./readable.js";
import { renderBody, resolveSystemPrompt, type PromptOptions } from "../prompting/prompts.js";
import { isPyBlank } from "../python/python-text.js";
import { pyStr, pyTruthy } from "../python/python-value.js";
import type { ChaosOpsAction, ChaosOpsObservation } from "../model/types.js";

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

export { field } from "./readable.js";

/** Options of the response parsers and stream helpers: parseAction's, `formats` included. */
export type ResponseParseOptions = ParseActionOptions;

/** The checked options, with the format plan when `formats` is given. */
export interface ResponseReading extends ResolvedOptions {
  readonly plan: FormatPlan | undefined;
}

/** Checks the options once (a TypeError names the bad field, formats included). */
export function resolveReading(options: ResponseParseOptions, caller: string): ResponseReading {
  const resolved = resolveOptions(options, caller);
  return { ...resolved, plan: options.formats === undefined ? undefined : planFor(options.formats, caller) };
}

/** A Python Mapping (or any object, as the reference's `isinstance(…, dict)` port reads it): a safe plain copy. */
function asMapping(value: unknown): Record<string, unknown> | undefined {
  const shape = shapeOf(value);
  return shape === "mapping" || shape === "object" ? (plainCopy(value) as Record<string, unknown>) : undefined;
}

/** Python `bool(value)` that reads what it can: unreadable means absent. */
function truthy(value: unknown): boolean {
  return attempt(() => pyTruthy(value), false);
}

/** Python `str(value)` of a value we did not make: cycles and unreadable parts left out. */
function text(value: unknown): string {
  return typeof value === "string" ? value : attempt(() => pyStr(plainCopy(value)), "");
}

/** Completion text → action, as parseAction reads it with the same options. */
export function actionFromText(raw: string, reading: ResponseReading): ChaosOpsAction {
  return reading.plan ? searchWithFormats(raw, reading, reading.plan, false).action : locateAction(raw, reading).action;
}

/** The batch reading of a text, and whether a stream may stop where the text ends. */
export interface TextVerdict {
  readonly action: ChaosOpsAction;
  /**
   * A candidate was taken, and no reasoning format is on. With one, a text can end a
   * stream only at its end: reasoning opened by a chat template shows only its closing
   * tag, and reasoning that seems ended by a call opener may close later, so until the
   * text is complete any action in it may be a draft.
   */
  readonly final: boolean;
}

export function textVerdict(raw: string, reading: ResponseReading): TextVerdict {
  if (!reading.plan) {
    const located = locateAction(raw, reading);
    return { action: located.action, final: located.candidate !== null };
  }
  const detail = searchWithFormats(raw, reading, reading.plan, false);
  return { action: detail.action, final: detail.candidate !== null && !reading.plan.maskReasoning };
}

/**
 * `_action_from_json_str`: Python `json.loads` first, then the candidate search. With
 * formats, an object is read as parseAction reads a whole candidate (a tool-call envelope
 * unwrapped), and text that is not JSON as parseAction reads it.
 */
export function actionFromArguments(raw: string, reading: ResponseReading): ChaosOpsAction {
  const decoded = decodePythonJson(raw);
  if (!decoded.ok) return actionFromText(raw, reading);
  if (!isJsonObject(decoded.value)) return fallbackAction(reading.role, reading.fallback);
  const fields = reading.plan ? candidateReader(reading.plan)(raw, 0, raw.length, CandidateKind.WHOLE)?.fields : decodeActionFields(raw);
  return fields ? actionFromFields(fields, reading.role, reading.fallback) : fallbackAction(reading.role, reading.fallback);
}

/** An object handed over as the arguments; with the tool-call format on, an envelope's arguments. */
export function actionFromMapping(payload: Record<string, unknown>, reading: ResponseReading): ChaosOpsAction {
  const inner = reading.plan?.nativeCalls ? toolCallArguments(payload) : undefined;
  if (typeof inner === "string") return actionFromArguments(inner, reading);
  return actionFromPayload(inner ?? payload, reading.role, reading.fallback);
}

export function firstMessage(response: unknown): unknown {
  const choices = field(response, "choices");
  if (!truthy(choices) || shapeOf(choices) !== "list") return undefined;
  const first = firstItem(choices);
  const message = field(first, "message");
  return truthy(message) ? message : first;
}

/** `content` as text: a string, or the `text` parts of a list joined with "". */
export function openAIContent(content: unknown): string {
  if (!truthy(content)) return "";
  if (shapeOf(content) !== "list") return text(content);
  let joined = "";
  for (const part of items(content)) {
    if (field(part, "type") !== "text") continue;
    const value = field(part, "text");
    joined += truthy(value) ? text(value) : "";
  }
  return joined;
}

/**
 * The action in a chat-completions response (plain JSON or the `openai` SDK's object):
 * the first tool call with non-blank `function.arguments`, else the message content.
 *
 * @example
 * parseOpenAIResponse(await client.chat.completions.create(request), { role: "sre" })
 */
export function parseOpenAIResponse(response: unknown, options: ResponseParseOptions): ChaosOpsAction {
  const reading = resolveReading(options, "parseOpenAIResponse");
  const message = firstMessage(response);
  if (message === undefined || message === null) return fallbackAction(reading.role, reading.fallback);
  for (const call of items(field(message, "tool_calls"))) {
    const args = field(field(call, "function"), "arguments");
    if (!truthy(args)) continue;
    if (typeof args !== "string") {
      // The reference raises on non-string arguments; some SDKs and servers hand back the object.
      const payload = asMapping(args);
      return payload ? actionFromMapping(payload, reading) : fallbackAction(reading.role, reading.fallback);
    }
    if (!isPyBlank(args)) return actionFromArguments(args, reading);
  }
  return actionFromText(openAIContent(field(message, "content")), reading);
}

/**
 * The action in an Anthropic messages response (plain JSON or the SDK's object): the
 * first `tool_use` block with an object input decides; otherwise the `text` blocks
 * joined with newlines are parsed.
 *
 * @example
 * parseAnthropicResponse(await client.messages.create(request), { role: "dev" })
 */
export function parseAnthropicResponse(response: unknown, options: ResponseParseOptions): ChaosOpsAction {
  const reading = resolveReading(options, "parseAnthropicResponse");
  const texts: string[] = [];
  for (const block of items(field(response, "content"))) {
    const type = field(block, "type");
    if (type === "tool_use") {
      const input = field(block, "input");
      const payload = asMapping(truthy(input) ? input : {});
      if (payload) return actionFromMapping(payload, reading);
    } else if (type === "text") {
      const value = field(block, "text");
      texts.push(truthy(value) ? text(value) : "");
    }
  }
  return actionFromText(texts.join("\n"), reading);
}
