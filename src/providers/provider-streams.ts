/**
 * Streamed OpenAI and Anthropic responses, as the official SDKs deliver them: the action
 * is read while the response arrives, and the request is aborted as soon as the action
 * is complete, so the server stops generating (saving tokens and latency on every turn).
 *
 * Tool-call arguments and text are fed to stream parsers as they arrive. The first
 * complete object decides, tool-call arguments before text when both complete in the
 * same chunk. When nothing completes before the stream ends, the whole response is read
 * exactly as parseOpenAIResponse / parseAnthropicResponse read it.
 */
import { actionFromFields, actionFromPayload } from "../actions/action-mapping.js";
import { decodePythonJson, fieldsOf, isJsonObject } from "../python/json-dialect.js";
import { resolveOptions, type ResolvedOptions } from "../parsing/parse-options.js";
import { field, parseAnthropicResponse, parseOpenAIResponse } from "./providers.js";
import { isPyBlank } from "../python/python-text.js";
import { StreamingActionParser } from "../parsing/streaming.js";
import type { ChaosOpsAction, ParseOptions } from "../model/types.js";

export interface StreamActionOptions extends ParseOptions {
  /**
   * Abort the underlying request once the action is complete (default true). With
   * false the rest of the stream is still read, in the background and discarded, so
   * the request ends normally.
   */
  abortOnFinish?: boolean;
}

/** What the SDKs' stream objects offer for stopping a request. */
interface Abortable {
  controller?: { abort(): void };
  abort?: () => void;
}

function abort(stream: unknown): void {
  const target = stream as Abortable;
  if (typeof target.controller?.abort === "function") target.controller.abort();
  else if (typeof target.abort === "function") target.abort();
}

function items(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** What the helpers take: the SDK's stream, or the promise `create()` returns for it. */
export type ChunkStream = AsyncIterable<unknown> | PromiseLike<AsyncIterable<unknown>>;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** Reads events until `step` returns an action; aborts the request then, when asked to. */
async function consume(
  source: ChunkStream,
  options: StreamActionOptions,
  step: (event: unknown) => ChaosOpsAction | undefined,
  atEnd: () => ChaosOpsAction,
): Promise<ChaosOpsAction> {
  const stream: unknown = isThenable(source) ? await source : source;
  if (stream === null || typeof stream !== "object" || !(Symbol.asyncIterator in stream)) {
    throw new TypeError("expected the SDK's stream, or an async iterable of its chunks");
  }
  // Iterated by hand: leaving a for-await loop early would make the SDKs abort the request.
  const iterator = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    const action = step(next.value);
    if (!action) continue;
    if (options.abortOnFinish ?? true) {
      abort(stream);
      await iterator.return?.();
    } else {
      void drain(iterator);
    }
    return action;
  }
  return atEnd();
}

async function drain(iterator: AsyncIterator<unknown>): Promise<void> {
  try {
    while (!(await iterator.next()).done);
  } catch {
    // The action is already decided: a failure in what follows it changes nothing.
  }
}

interface ToolCall {
  readonly parser: StreamingActionParser;
  args: string;
}

/**
 * The action in a streamed chat completion: what `client.chat.completions.create({ …,
 * stream: true })` returns (awaited or not), or any async iterable of the same chunks.
 *
 * @example
 * const stream = await client.chat.completions.create({ model, messages, tools, stream: true });
 * const action = await actionFromOpenAIStream(stream, { role: "sre" }); // the request is aborted once the action closes
 */
export function actionFromOpenAIStream(stream: ChunkStream, options: StreamActionOptions): Promise<ChaosOpsAction> {
  const resolved = resolveOptions(options, "actionFromOpenAIStream");
  const content = new StreamingActionParser(resolved);
  const calls = new Map<number, ToolCall>();
  let contentText = "";

  /** The batch parser's choice among tool calls: the first whose arguments are not blank. */
  const decidingCall = (): ToolCall | undefined => {
    const ordered = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
    return ordered.find((call) => !isPyBlank(call.args));
  };

  const step = (chunk: unknown): ChaosOpsAction | undefined => {
    const delta = field(items(field(chunk, "choices"))[0], "delta");
    for (const call of items(field(delta, "tool_calls"))) {
      const index = Number(field(call, "index") ?? 0);
      const piece = text(field(field(call, "function"), "arguments"));
      const entry = calls.get(index) ?? { parser: new StreamingActionParser(resolved), args: "" };
      calls.set(index, entry);
      entry.args += piece;
      entry.parser.feed(piece);
    }
    const deciding = decidingCall();
    if (deciding?.parser.finished) return deciding.parser.action();
    const piece = text(field(delta, "content"));
    contentText += piece;
    if (content.feed(piece) && deciding === undefined) return content.action();
    return undefined;
  };

  const atEnd = (): ChaosOpsAction => {
    const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => ({ function: { arguments: call.args } }));
    return parseOpenAIResponse({ choices: [{ message: { content: contentText, tool_calls: toolCalls } }] }, resolved);
  };
  return consume(stream, options, step, atEnd);
}

interface ToolUse {
  readonly parser: StreamingActionParser;
  json: string;
  /** An input the block started with (a non-streaming server sends it whole). */
  readonly input: unknown;
}

/** The input a finished tool_use block ends up with, as the batch parser reads it. */
function toolUseAction(block: ToolUse, options: ResolvedOptions): ChaosOpsAction | undefined {
  if (block.json === "") {
    const input = isJsonObject(block.input) ? block.input : {};
    return actionFromPayload(input, options.role, options.fallback);
  }
  const decoded = decodePythonJson(block.json);
  if (!decoded.ok || !isJsonObject(decoded.value)) return undefined;
  return actionFromFields(fieldsOf(decoded.value), options.role, options.fallback);
}

/**
 * The action in a streamed Anthropic message: what `client.messages.create({ …, stream:
 * true })` or `client.messages.stream(…)` returns, or any async iterable of the same events.
 *
 * @example
 * const stream = client.messages.stream({ model, max_tokens: 512, tools, ...buildAnthropicMessages(obs) });
 * const action = await actionFromAnthropicStream(stream, { role: "dev" });
 */
export function actionFromAnthropicStream(stream: ChunkStream, options: StreamActionOptions): Promise<ChaosOpsAction> {
  const resolved = resolveOptions(options, "actionFromAnthropicStream");
  const textParser = new StreamingActionParser(resolved);
  const kinds = new Map<number, string>();
  const toolUses = new Map<number, ToolUse>();
  const texts = new Map<number, string>();
  let sawToolUse = false;

  const step = (event: unknown): ChaosOpsAction | undefined => {
    const type = field(event, "type");
    const index = Number(field(event, "index") ?? 0);
    if (type === "content_block_start") {
      const block = field(event, "content_block");
      const kind = text(field(block, "type"));
      kinds.set(index, kind);
      if (kind === "tool_use") {
        sawToolUse = true;
        toolUses.set(index, { parser: new StreamingActionParser(resolved), json: "", input: field(block, "input") });
      } else if (kind === "text") {
        // Text blocks are joined with newlines, as the batch parser joins them.
        if (texts.size > 0) textParser.feed("\n");
        texts.set(index, text(field(block, "text")));
        if (textParser.feed(text(field(block, "text"))) && !sawToolUse) return textParser.action();
      }
      return undefined;
    }
    if (type === "content_block_delta") {
      const delta = field(event, "delta");
      const deltaType = field(delta, "type");
      if (deltaType === "input_json_delta") {
        const block = toolUses.get(index);
        const piece = text(field(delta, "partial_json"));
        // Blocks arrive one after another: an earlier tool_use that could decide already has.
        if (block) {
          block.json += piece;
          if (block.parser.feed(piece)) return block.parser.action();
        }
      } else if (deltaType === "text_delta" && kinds.get(index) === "text") {
        const piece = text(field(delta, "text"));
        texts.set(index, (texts.get(index) ?? "") + piece);
        if (textParser.feed(piece) && !sawToolUse) return textParser.action();
      }
      return undefined;
    }
    if (type === "content_block_stop") {
      const block = toolUses.get(index);
      if (block) return toolUseAction(block, resolved);
    }
    return undefined;
  };

  const atEnd = (): ChaosOpsAction => {
    const content = [...kinds.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, kind]) => (kind === "text" ? { type: "text", text: texts.get(index) ?? "" } : { type: kind, input: inputAtEnd(toolUses.get(index)) }));
    return parseAnthropicResponse({ content }, resolved);
  };
  return consume(stream, options, step, atEnd);
}

/** A tool_use block's input when the stream ended: decoded JSON, the start's input, or none. */
function inputAtEnd(block: ToolUse | undefined): unknown {
  if (!block) return undefined;
  if (block.json === "") return block.input;
  const decoded = decodePythonJson(block.json);
  return decoded.ok ? decoded.value : "unreadable";
}
