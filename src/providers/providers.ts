/**
 * OpenAI and Anthropic: request payloads built from an observation, and the action
 * read back from a response. Responses are read the way the reference reads them,
 * from plain JSON or from SDK objects alike; a field that cannot be read is treated
 * as absent, so no response shape makes these throw.
 */
import { actionFromFields, actionFromPayload, fallbackAction, recognizedActionType } from "../actions/action-mapping.js";
import { decodeActionFields, decodePythonJson, fieldsOf, isJsonObject } from "../python/json-dialect.js";
import { findAction, locateAction } from "../parsing/parse-action.js";
import { candidateReader, searchWithFormats, type ParseActionOptions } from "../parsing/parse-detailed.js";
import { resolveOptions, type ResolvedOptions } from "../parsing/parse-options.js";
import { decodeLenient, planFor, toolCallArguments, type FormatPlan } from "../formats/formats.js";
import { callFields } from "../formats/native.js";
import { argumentsOf, type NativeCall } from "../formats/families/kit.js";
import { CandidateKind } from "../scanning/candidates.js";
import { attempt, field, firstItem, items, plainCopy, shapeOf } from "./readable.js";
import { renderBody, resolveSystemPrompt, type PromptOptions } from "../prompting/prompts.js";
import { isPyBlank } from "../python/python-text.js";
import { pyStr, pyTruthy } from "../python/python-value.js";
import type { ChaosOpsAction, ChaosOpsObservation, JsonObject } from "../model/types.js";

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
  return findAction(raw, reading, reading.plan);
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

/**
 * The call a structured tool call's arguments make, decoded as the families decode a
 * call's arguments: whole (strict JSON, then the plan's dialect), else, when `cut` may be
 * read and the truncated format is on, closed after the last complete member.
 */
function structuredCall(name: string, args: unknown, plan: FormatPlan, cut: boolean): NativeCall | undefined {
  if (typeof args !== "string") {
    const mapping = asMapping(args);
    return mapping && { name, arguments: mapping as JsonObject, complete: true, repairs: [] };
  }
  const whole = argumentsOf(args, plan.dialect);
  if (whole) return { name, arguments: whole, complete: true, repairs: [] };
  if (!cut || !plan.cutCalls) return undefined;
  const decoded = decodeLenient(args, 0, args.length, { ...plan.dialect, truncated: true });
  return decoded.ok && isJsonObject(decoded.value) ? { name, arguments: decoded.value, complete: false, repairs: [] } : undefined;
}

/**
 * A structured tool call (OpenAI `function.name`, Anthropic `tool_use.name`, AI SDK
 * `toolName`) as the families read a call, when the formats read native calls: the name
 * is the action type when the arguments carry no recognised `action_type` (one function
 * per action type, `openaiToolSpecs()`). Undefined when the formats do not read calls,
 * when the arguments are a whole action (read exactly as without formats), and when
 * callFields reads no action in the call. `cut`: arguments the stream ended in may be
 * read as the truncated format reads JSON.
 */
export function namedCallAction(name: unknown, args: unknown, reading: ResponseReading, cut: boolean): ChaosOpsAction | undefined {
  const plan = reading.plan;
  if (!plan?.nativeCalls || typeof name !== "string") return undefined;
  const call = structuredCall(name, args, plan, cut);
  if (!call?.arguments || recognizedActionType(fieldsOf(call.arguments).actionType) !== undefined) return undefined;
  const fields = callFields(call);
  return fields && actionFromFields(fields, reading.role, reading.fallback);
}

/** A structured call's arguments (text or an object) → action: by its name when that decides, else as the reference reads them. */
export function callAction(name: unknown, args: string | Record<string, unknown>, reading: ResponseReading): ChaosOpsAction {
  const named = namedCallAction(name, args, reading, true);
  if (named) return named;
  return typeof args === "string" ? actionFromArguments(args, reading) : actionFromMapping(args, reading);
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
    const fn = field(call, "function");
    const args = field(fn, "arguments");
    if (!truthy(args)) continue;
    if (typeof args !== "string") {
      // The reference raises on non-string arguments; some SDKs and servers hand back the object.
      const payload = asMapping(args);
      return payload ? callAction(field(fn, "name"), payload, reading) : fallbackAction(reading.role, reading.fallback);
    }
    if (!isPyBlank(args)) return callAction(field(fn, "name"), args, reading);
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
      // Input as JSON text (a cut stream, some proxies): skipped as the reference does, unless the formats read calls.
      if (typeof input === "string" && reading.plan?.nativeCalls && !isPyBlank(input)) return callAction(field(block, "name"), input, reading);
      const payload = asMapping(truthy(input) ? input : {});
      if (payload) return callAction(field(block, "name"), payload, reading);
    } else if (type === "text") {
      const value = field(block, "text");
      texts.push(truthy(value) ? text(value) : "");
    }
  }
  return actionFromText(texts.join("\n"), reading);
}
