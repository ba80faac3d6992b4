/**
 * Streamed OpenAI and Anthropic responses, as the official SDKs deliver them: the action
 * is read while the response arrives, and the request is aborted as soon as the action
 * is complete, so the server stops generating (saving tokens and latency on every turn).
 *
 * Tool-call arguments and text are fed to stream parsers as they arrive. The first
 * complete object decides, tool-call arguments before text when both complete in the
 * same chunk, and only when the batch parser reads the text received so far the same
 * way (with a format that skips reasoning, text never stops the stream early: until the
 * text is complete an action in it may be a draft inside reasoning). When
 * nothing completes before the stream ends, the whole response is read exactly as
 * parseOpenAIResponse / parseAnthropicResponse read it. Each delta costs time in its
 * own length only: no step re-reads what came before.
 */
import { decodePythonJson, isJsonObject } from "../python/json-dialect.js";
import {
  actionFromArguments,
  callAction,
  namedCallAction,
  parseAnthropicResponse,
  parseOpenAIResponse,
  resolveReading,
  type ResponseParseOptions,
  textVerdict,
  type ResponseReading,
  type TextVerdict,
} from "./providers.js";
import { attempt, field, firstItem, items, plainCopy, shapeOf } from "./readable.js";
import { isPyBlank } from "../python/python-text.js";
import { StreamingActionParser } from "../parsing/streaming.js";
import type { ChaosOpsAction } from "../model/types.js";

export interface StreamActionOptions extends ResponseParseOptions {
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

/** A parser for one stream of text, reading as parseAction does with the same options. */
export function textParser(reading: ResponseReading, formats: ResponseParseOptions["formats"]): StreamingActionParser {
  return new StreamingActionParser({ role: reading.role, fallback: reading.fallback, ...(formats === undefined ? {} : { formats }) });
}

/**
 * When a named call's arguments close, for formats that read calls: arguments are JSON,
 * not a completion, so a plain parser (finished at the first closed object) tells when,
 * while the formats' parser waits for the end in case the object is a draft in reasoning.
 * Asked once: then the name decides, or the usual reading does.
 */
export class NamedArguments {
  private readonly closer: StreamingActionParser;
  private asked = false;

  private constructor(reading: ResponseReading) {
    this.closer = new StreamingActionParser({ role: reading.role, fallback: reading.fallback });
  }

  /** One per call, only when the formats read calls. */
  static for(reading: ResponseReading): NamedArguments | undefined {
    return reading.plan?.nativeCalls ? new NamedArguments(reading) : undefined;
  }

  feed(piece: string): void {
    if (!this.closer.finished) this.closer.feed(piece);
  }

  /** The action by the call's name, once the arguments so far are one closed object. */
  action(name: unknown, args: string, reading: ResponseReading): ChaosOpsAction | undefined {
    if (this.asked || !this.closer.finished) return undefined;
    this.asked = true;
    return namedCallAction(name, args, reading, false);
  }
}

/** Equal actions (args compared as the JSON they are). */
function sameAction(a: ChaosOpsAction, b: ChaosOpsAction): boolean {
  return a.action_type === b.action_type && a.target === b.target && attempt(() => JSON.stringify(a.args) === JSON.stringify(b.args), false);
}

/**
 * The stream parser's finished action, when the batch reading of the same text agrees;
 * undefined when it does not (the rest of the stream is then read and the whole
 * response decides). Runs once per parser, when it finishes.
 */
export function confirmed(parser: StreamingActionParser, batch: () => TextVerdict): ChaosOpsAction | undefined {
  const streamed = parser.action();
  const verdict = batch();
  return verdict.final && sameAction(streamed, verdict.action) ? streamed : undefined;
}

/** A chunk's tool-call `index` as a number (0 when missing or unreadable, as the batch order puts it first). */
function indexOf(value: unknown): number {
  const index = attempt(() => Number(value ?? 0), 0);
  return Number.isNaN(index) ? 0 : index;
}

/** A string field, or "" for anything else. */
export function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** What the helpers take: the SDK's stream, or the promise `create()` returns for it. */
export type ChunkStream = AsyncIterable<unknown> | PromiseLike<AsyncIterable<unknown>>;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** Reads events until `step` returns an action; aborts the request then, when asked to. */
export async function consume(
  source: ChunkStream,
  options: StreamActionOptions,
  step: (event: unknown) => ChaosOpsAction | undefined,
  atEnd: () => ChaosOpsAction,
  /** Also called to stop the request, for streams that cannot stop it themselves. */
  stop?: () => void,
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
      stop?.();
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
  readonly index: number;
  /** The function's name, from the first delta that carries one. */
  name: string | undefined;
  named: NamedArguments | undefined;
  /**
   * Made when the call becomes the deciding one (the first whose arguments are not
   * blank: the batch parser skips blank ones and reads only that one), fed what came so
   * far: a flood of calls that cannot decide costs no parsers.
   */
  parser: StreamingActionParser | undefined;
  args: string;
  /** Whether this call's finished parser was already checked against the batch reading. */
  checked: boolean;
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
  const reading = resolveReading(options, "actionFromOpenAIStream");
  const content = textParser(reading, options.formats);
  const calls = new Map<number, ToolCall>();
  let contentText = "";
  let contentChecked = false;
  // The batch parser's choice among tool calls, the first whose arguments are not blank,
  // kept up to date as calls arrive instead of searched for on every chunk.
  let deciding: ToolCall | undefined;

  const feedCall = (call: unknown): void => {
    const index = indexOf(field(call, "index"));
    const fn = field(call, "function");
    const piece = text(field(fn, "arguments"));
    let entry = calls.get(index);
    if (!entry) {
      entry = { index, name: undefined, named: undefined, parser: undefined, args: "", checked: false };
      calls.set(index, entry);
    }
    entry.name ??= text(field(fn, "name")) || undefined;
    entry.args += piece;
    if (entry.parser) {
      entry.named?.feed(piece);
      entry.parser.feed(piece);
    } else if (!isPyBlank(piece) && (!deciding || index < deciding.index)) {
      deciding = entry;
      entry.named = NamedArguments.for(reading);
      entry.named?.feed(entry.args);
      entry.parser = textParser(reading, options.formats);
      entry.parser.feed(entry.args);
    }
  };

  const step = (chunk: unknown): ChaosOpsAction | undefined => {
    const delta = field(firstItem(field(chunk, "choices")), "delta");
    for (const call of items(field(delta, "tool_calls"))) feedCall(call);
    const named = deciding?.named?.action(deciding.name, deciding.args, reading);
    if (named) return named;
    const parser = deciding?.parser;
    if (deciding && parser?.finished && !deciding.checked) {
      const call = deciding;
      call.checked = true;
      // A named call decides once its arguments so far are one whole object; a cut is read only at the end.
      const action = namedCallAction(call.name, call.args, reading, false) ?? confirmed(parser, () => ({ action: actionFromArguments(call.args, reading), final: true }));
      if (action) return action;
    }
    const piece = text(field(delta, "content"));
    contentText += piece;
    if (!content.feed(piece) || deciding !== undefined || contentChecked) return undefined;
    contentChecked = true;
    return confirmed(content, () => textVerdict(contentText, reading));
  };

  const atEnd = (): ChaosOpsAction => {
    const toolCalls = [...calls.values()].sort((a, b) => a.index - b.index).map((call) => ({ function: { name: call.name, arguments: call.args } }));
    return parseOpenAIResponse({ choices: [{ message: { content: contentText, tool_calls: toolCalls } }] }, options);
  };
  return consume(stream, options, step, atEnd);
}

interface ToolUse {
  readonly name: unknown;
  readonly named: NamedArguments | undefined;
  readonly parser: StreamingActionParser;
  json: string;
  /** An input the block started with (a non-streaming server sends it whole). */
  readonly input: unknown;
}

/** The action a stopped tool_use block decides, as the batch parser reads it; undefined when it does not decide. */
function toolUseAction(block: ToolUse, reading: ResponseReading): ChaosOpsAction | undefined {
  if (block.json === "") {
    const shape = shapeOf(block.input);
    const input = shape === "mapping" || shape === "object" ? (plainCopy(block.input) as Record<string, unknown>) : {};
    return callAction(block.name, input, reading);
  }
  const decoded = decodePythonJson(block.json);
  if (!decoded.ok || !isJsonObject(decoded.value)) return undefined;
  return callAction(block.name, decoded.value, reading);
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
  const reading = resolveReading(options, "actionFromAnthropicStream");
  const textual = textParser(reading, options.formats);
  const kinds = new Map<number, string>();
  const toolUses = new Map<number, ToolUse>();
  const texts = new Map<number, string>();
  let sawToolUse = false;
  // Everything fed to the text parser (text blocks joined with newlines, as the batch parser joins them).
  let fedText = "";
  let textChecked = false;

  const feedText = (piece: string): ChaosOpsAction | undefined => {
    fedText += piece;
    if (!textual.feed(piece) || sawToolUse || textChecked) return undefined;
    textChecked = true;
    return confirmed(textual, () => textVerdict(fedText, reading));
  };

  const step = (event: unknown): ChaosOpsAction | undefined => {
    const type = field(event, "type");
    const index = indexOf(field(event, "index"));
    if (type === "content_block_start") {
      const block = field(event, "content_block");
      const kind = text(field(block, "type"));
      kinds.set(index, kind);
      if (kind === "tool_use") {
        sawToolUse = true;
        toolUses.set(index, { name: field(block, "name"), named: NamedArguments.for(reading), parser: textParser(reading, options.formats), json: "", input: field(block, "input") });
      } else if (kind === "text") {
        const opening = text(field(block, "text"));
        const joiner = texts.size > 0 ? "\n" : "";
        texts.set(index, opening);
        return feedText(joiner + opening);
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
          block.named?.feed(piece);
          const named = block.named?.action(block.name, block.json, reading);
          if (named) return named;
          if (block.parser.feed(piece)) return namedCallAction(block.name, block.json, reading, false) ?? block.parser.action();
        }
      } else if (deltaType === "text_delta" && kinds.get(index) === "text") {
        const piece = text(field(delta, "text"));
        texts.set(index, (texts.get(index) ?? "") + piece);
        return feedText(piece);
      }
      return undefined;
    }
    if (type === "content_block_stop") {
      const block = toolUses.get(index);
      if (block) return toolUseAction(block, reading);
    }
    return undefined;
  };

  const atEnd = (): ChaosOpsAction => {
    const content = [...kinds.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, kind]) => (kind === "text" ? { type: "text", text: texts.get(index) ?? "" } : { type: kind, name: toolUses.get(index)?.name, input: inputAtEnd(toolUses.get(index)) }));
    return parseAnthropicResponse({ content }, options);
  };
  return consume(stream, options, step, atEnd);
}

/**
 * A tool_use block's input when the stream ended: decoded JSON, the start's input, or
 * none; JSON that does not decode stays text, which only formats that read calls read.
 */
function inputAtEnd(block: ToolUse | undefined): unknown {
  if (!block) return undefined;
  if (block.json === "") return block.input;
  const decoded = decodePythonJson(block.json);
  return decoded.ok ? decoded.value : block.json;
}
