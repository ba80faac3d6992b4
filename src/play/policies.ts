/**
 * Policies: who answers each turn. The runner builds the turn's messages with this
 * library (OpenAI-style or Anthropic-style, as the policy asks) and hands them over; a
 * policy returns the model's raw completion, which the runner parses. Ready-made ones
 * call an OpenAI-compatible or Anthropic client (with tool specs or plain text, retried
 * with generateActionWithRetry), or a plain function.
 */
import { isPyBlank } from "../python/python-text.js";
import { firstMessage, openAIContent, type AnthropicPayload, type ChatMessage } from "../providers/providers.js";
import { field, items } from "../providers/readable.js";
import { generateActionWithRetry, type BackoffOptions, type RetryLogger } from "../providers/retry.js";
import { anthropicToolSpec, openaiStrictToolSpec, openaiToolSpec } from "../prompting/schema.js";
import type { ActionType, AgentRole } from "../model/enums.js";
import type { FormatsOption } from "../formats/formats.js";
import type { ChaosOpsObservation } from "../model/types.js";

/** Which messages the runner builds for a policy: `buildOpenAIMessages` or `buildAnthropicMessages`. */
export const PromptStyle = {
  OPENAI: "openai",
  ANTHROPIC: "anthropic",
} as const;
export type PromptStyle = (typeof PromptStyle)[keyof typeof PromptStyle];

export type PromptMessages = ChatMessage[] | AnthropicPayload;

export interface TurnRequest {
  readonly role: AgentRole;
  readonly observation: ChaosOpsObservation;
  /** Built by the runner in the policy's style. */
  readonly messages: PromptMessages;
  /** Turn number in the episode, from 0. */
  readonly turn: number;
  readonly signal?: AbortSignal;
  /** The episode's output formats: the retry wrapper reads replies as the runner will, so a reply they accept is not asked again. */
  readonly formats?: FormatsOption;
  /** The episode's fallback action type. */
  readonly fallback?: ActionType;
}

export interface TurnReply {
  /** The model's raw output: its text, or the arguments of the tool call it made. */
  readonly completion: string;
  /** The messages `completion` answers, when not the request's (a retry adds a reminder). */
  readonly messages?: PromptMessages;
  /** Model calls made for this turn. */
  readonly attempts?: number;
  /** Why the last call failed, when it did (the completion is then ""). */
  readonly error?: string;
}

export interface Policy {
  readonly style: PromptStyle;
  act(request: TurnRequest): TurnReply | Promise<TurnReply>;
}

/** How model calls are retried (see generateActionWithRetry). */
export interface RetrySettings {
  /** Calls per turn in all (default 3). */
  maxAttempts?: number;
  /** Wait between failed calls (default: exponential from 500 ms, with jitter). */
  backoff?: BackoffOptions | boolean;
  /** Give up on one call after this long (default 120 s). */
  attemptTimeoutMs?: number;
  reminder?: string | null;
  logger?: Partial<RetryLogger>;
}

/**
 * A plain function as a policy: it gets the turn (messages included) and returns the
 * completion text.
 *
 * @example
 * functionPolicy(({ role }) => role === "dev" ? '{"action_type": "restart", "target": "db"}' : '{"action_type": "noop"}')
 */
export function functionPolicy(
  fn: (request: TurnRequest) => string | TurnReply | Promise<string | TurnReply>,
  options: { style?: PromptStyle } = {},
): Policy {
  return {
    style: options.style ?? PromptStyle.OPENAI,
    act: async (request) => {
      const reply = await fn(request);
      return typeof reply === "string" ? { completion: reply } : reply;
    },
  };
}

/** The single prompt string the retry wrapper works on: system, blank line, body (as buildPrompt). */
function flatPrompt(messages: PromptMessages): string {
  const parts = Array.isArray(messages) ? messages.map((m) => m.content) : [messages.system, ...messages.messages.map((m) => m.content)];
  return parts.filter((part) => part !== "").join("\n\n");
}

/** The messages with what the retry wrapper appended (reminder, previous output) added to the user turn. */
function withSuffix(messages: PromptMessages, suffix: string): PromptMessages {
  if (suffix === "") return messages;
  if (Array.isArray(messages)) {
    return messages.map((m, i) => (i === messages.length - 1 ? { ...m, content: m.content + suffix } : m));
  }
  const last = messages.messages.length - 1;
  return { ...messages, messages: messages.messages.map((m, i) => (i === last ? { ...m, content: m.content + suffix } : m)) };
}

/**
 * One turn through generateActionWithRetry: the reference's reminder sequence, backoff
 * on 429/5xx/network errors, a timeout per call. The reply is the last call's output
 * and the messages it answered, for the runner to parse.
 */
async function actWithRetry(
  request: TurnRequest,
  settings: RetrySettings,
  call: (messages: PromptMessages, signal: AbortSignal) => Promise<string>,
): Promise<TurnReply> {
  const base = flatPrompt(request.messages);
  let last: { messages: PromptMessages; completion: string; error?: string; attempt: number } | undefined;
  await generateActionWithRetry(base, {
    role: request.role,
    maxAttempts: settings.maxAttempts ?? 3,
    backoff: settings.backoff ?? true,
    attemptTimeoutMs: settings.attemptTimeoutMs ?? 120_000,
    ...(settings.reminder === undefined ? {} : { reminder: settings.reminder }),
    ...(settings.logger ? { logger: settings.logger } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.formats === undefined ? {} : { formats: request.formats }),
    ...(request.fallback === undefined ? {} : { fallback: request.fallback }),
    generate: async (prompt, { attempt, signal }) => {
      const messages = withSuffix(request.messages, prompt.startsWith(base) ? prompt.slice(base.length) : "");
      last = { messages, completion: "", attempt };
      const completion = await call(messages, signal);
      last.completion = completion;
      return completion;
    },
    onAttempt: (report) => {
      if (last && report.error !== undefined) last.error = report.error instanceof Error ? report.error.message : String(report.error);
    },
  });
  if (!last) return { completion: "", attempts: 0, ...(request.signal?.aborted ? { error: "aborted" } : {}) };
  return { completion: last.completion, messages: last.messages, attempts: last.attempt, ...(last.error ? { error: last.error } : {}) };
}

/**
 * The part of an OpenAI-compatible client used: `chat.completions.create` (the `openai`
 * SDK's, or `openaiCompatibleClient`). It is sent an OpenAIChatRequest; the parameter is
 * typed `never` so that SDK clients, whose request types are their own, fit as they are.
 */
export interface OpenAIChatClient {
  chat: { completions: { create(body: never, options?: { signal?: AbortSignal }): PromiseLike<unknown> } };
}

export interface OpenAIChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ReturnType<typeof openaiToolSpec>[] | ReturnType<typeof openaiStrictToolSpec>[];
  tool_choice?: "auto" | "required";
  [extra: string]: unknown;
}

export interface OpenAIPolicyOptions {
  client: OpenAIChatClient;
  model: string;
  /** Offer the action as a tool (`true`, or `"strict"` for strict structured outputs); default: plain text. */
  tools?: boolean | "strict";
  /** With tools: "required" makes the model call it. */
  toolChoice?: "auto" | "required";
  /** More request fields: temperature, max_tokens, seed, … */
  request?: Record<string, unknown>;
  retry?: RetrySettings;
}

/**
 * The completion in a chat-completions response: the first tool call's non-blank
 * `function.arguments` (read in the order parseOpenAIResponse reads them), else the
 * message content.
 */
export function openAICompletionText(response: unknown): string {
  const message = firstMessage(response);
  if (message === undefined || message === null) return "";
  for (const call of items(field(message, "tool_calls"))) {
    const args = field(field(call, "function"), "arguments");
    if (typeof args === "string" && !isPyBlank(args)) return args;
    if (typeof args === "object" && args !== null) return JSON.stringify(args);
  }
  return openAIContent(field(message, "content"));
}

/**
 * A policy backed by a chat-completions endpoint: OpenAI, or any compatible server
 * (vLLM, llama.cpp's llama-server, SGLang, Ollama).
 *
 * @example
 * openaiPolicy({ client: new OpenAI({ baseURL: "http://127.0.0.1:8000/v1", apiKey: "none" }), model: "Qwen/Qwen2.5-7B-Instruct" })
 */
export function openaiPolicy(options: OpenAIPolicyOptions): Policy {
  if (typeof options !== "object" || options === null || typeof options.client?.chat?.completions?.create !== "function") {
    throw new TypeError("openaiPolicy: options.client must be an OpenAI client (chat.completions.create)");
  }
  const tools = options.tools ? { tools: [options.tools === "strict" ? openaiStrictToolSpec() : openaiToolSpec()], ...(options.toolChoice ? { tool_choice: options.toolChoice } : {}) } : {};
  return {
    style: PromptStyle.OPENAI,
    act: (request) =>
      actWithRetry(request, options.retry ?? {}, async (messages, signal) => {
        const body = { ...options.request, model: options.model, messages: messages as ChatMessage[], ...tools } as OpenAIChatRequest;
        return openAICompletionText(await options.client.chat.completions.create(body as never, { signal }));
      }),
  };
}

/** The part of an Anthropic client used: `messages.create` (the `@anthropic-ai/sdk`'s), sent an AnthropicRequest. */
export interface AnthropicMessagesClient {
  messages: { create(body: never, options?: { signal?: AbortSignal }): PromiseLike<unknown> };
}

export interface AnthropicRequest extends AnthropicPayload {
  model: string;
  max_tokens: number;
  tools?: ReturnType<typeof anthropicToolSpec>[];
  [extra: string]: unknown;
}

export interface AnthropicPolicyOptions {
  client: AnthropicMessagesClient;
  model: string;
  /** Default 1024. */
  maxTokens?: number;
  /** Offer the action as a tool; default: plain text. */
  tools?: boolean;
  request?: Record<string, unknown>;
  retry?: RetrySettings;
}

/** The completion in a messages response: the first `tool_use` block's input as JSON, else the text blocks joined with newlines. */
export function anthropicCompletionText(response: unknown): string {
  const texts: string[] = [];
  for (const block of items(field(response, "content"))) {
    const type = field(block, "type");
    if (type === "tool_use") return JSON.stringify(field(block, "input") ?? {});
    if (type === "text") texts.push(String(field(block, "text") ?? ""));
  }
  return texts.join("\n");
}

/**
 * A policy backed by Anthropic's messages API.
 *
 * @example
 * anthropicPolicy({ client: new Anthropic(), model: "claude-sonnet-4-5", tools: true })
 */
export function anthropicPolicy(options: AnthropicPolicyOptions): Policy {
  if (typeof options !== "object" || options === null || typeof options.client?.messages?.create !== "function") {
    throw new TypeError("anthropicPolicy: options.client must be an Anthropic client (messages.create)");
  }
  return {
    style: PromptStyle.ANTHROPIC,
    act: (request) =>
      actWithRetry(request, options.retry ?? {}, async (messages, signal) => {
        const payload = messages as AnthropicPayload;
        const body: AnthropicRequest = {
          ...options.request,
          model: options.model,
          max_tokens: options.maxTokens ?? 1024,
          system: payload.system,
          messages: payload.messages,
          ...(options.tools ? { tools: [anthropicToolSpec()] } : {}),
        };
        return anthropicCompletionText(await options.client.messages.create(body as never, { signal }));
      }),
  };
}
