/**
 * The Vercel AI SDK (`ai`): the action in what `generateText` returns (tool calls first,
 * then text) and in what `streamText` streams (tool-input deltas and text deltas, read
 * as they arrive, the request stopped once the action is complete). Typed structurally:
 * nothing here imports `ai`, so the library does not depend on it.
 */
import { fallbackAction } from "../actions/action-mapping.js";
import { isPyBlank } from "../python/python-text.js";
import type { StreamingActionParser } from "../parsing/streaming.js";
import type { ChaosOpsAction } from "../model/types.js";
import { actionFromArguments, actionFromText, callAction, namedCallAction, resolveReading, textVerdict, type ResponseReading } from "./providers.js";
import { confirmed, consume, NamedArguments, text, textParser, type StreamActionOptions } from "./provider-streams.js";
import { field, items, plainCopy, shapeOf } from "./readable.js";

/** The part of a `generateText` result read here (`input` in ai v5, `args` in v4). */
export interface GenerateTextLike {
  readonly text?: string;
  readonly toolCalls?: readonly { readonly toolName?: string; readonly input?: unknown; readonly args?: unknown }[];
}

/** A `streamText` result (its `fullStream` is read), or any async iterable of its parts. */
export type StreamTextLike = { readonly fullStream: AsyncIterable<unknown> } | AsyncIterable<unknown>;

export interface AiSdkStreamOptions extends StreamActionOptions {
  /**
   * The controller whose signal was given to `streamText` as `abortSignal`: aborted once
   * the action is complete (unless `abortOnFinish` is false), which ends the request.
   * Without it the stream is only cancelled.
   */
  abortController?: { abort(): void };
}

/**
 * A tool call's input, as the OpenAI parser reads `function.arguments`: an object (or
 * JSON text of one) gives the action, blank text is skipped (undefined), anything else
 * gives the fallback at once.
 */
function toolCallAction(name: unknown, input: unknown, reading: ResponseReading): ChaosOpsAction | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input === "string") return isPyBlank(input) ? undefined : callAction(name, input, reading);
  const shape = shapeOf(input);
  if (shape === "mapping" || shape === "object") return callAction(name, plainCopy(input) as Record<string, unknown>, reading);
  return fallbackAction(reading.role, reading.fallback);
}

function inputOf(call: unknown): unknown {
  const input = field(call, "input");
  return input === undefined ? field(call, "args") : input;
}

/**
 * The action in a `generateText` result: the first tool call with an input decides,
 * otherwise the text is read as parseAction reads it (with the same `formats`).
 *
 * @example
 * const result = await generateText({ model, prompt: buildPrompt(obs), tools: { chaosops_action: tool } });
 * actionFromGenerateText(result, { role: "sre" });
 */
export function actionFromGenerateText(result: GenerateTextLike | unknown, options: StreamActionOptions): ChaosOpsAction {
  const reading = resolveReading(options, "actionFromGenerateText");
  for (const call of items(field(result, "toolCalls"))) {
    const action = toolCallAction(field(call, "toolName"), inputOf(call), reading);
    if (action) return action;
  }
  return actionFromText(text(field(result, "text")), reading);
}

interface ToolInput {
  readonly order: number;
  /** The tool's name, from `tool-input-start` (or the whole `tool-call`). */
  name: unknown;
  readonly named: NamedArguments | undefined;
  input: string;
  /** Made once the input is not blank. */
  parser: StreamingActionParser | undefined;
  checked: boolean;
  /** The whole input, once the `tool-call` part came. */
  final?: unknown;
}

function partsOf(source: StreamTextLike): AsyncIterable<unknown> {
  const full = field(source, "fullStream");
  return (full ?? source) as AsyncIterable<unknown>;
}

/**
 * The action in a `streamText` result, read from its parts as they arrive: tool-input
 * deltas and text deltas go to stream parsers; the first complete tool call (or, with
 * no tool call, the first complete object in the text, when the batch reading of the
 * text so far agrees) decides, and the request is stopped there. When nothing completes,
 * the whole stream is read as actionFromGenerateText reads a result. An `error` part
 * rejects, as the official SDK helpers reject on a failed request.
 *
 * @example
 * const controller = new AbortController();
 * const result = streamText({ model, prompt: buildPrompt(obs), tools, abortSignal: controller.signal });
 * const action = await actionFromStreamText(result, { role: "sre", abortController: controller });
 */
export function actionFromStreamText(result: StreamTextLike, options: AiSdkStreamOptions): Promise<ChaosOpsAction> {
  const reading = resolveReading(options, "actionFromStreamText");
  const content = textParser(reading, options.formats);
  const calls = new Map<unknown, ToolInput>();
  let contentText = "";
  let contentChecked = false;
  let deciding: ToolInput | undefined;

  const callFor = (id: unknown): ToolInput => {
    let call = calls.get(id);
    if (!call) {
      call = { order: calls.size, name: undefined, named: NamedArguments.for(reading), input: "", parser: undefined, checked: false };
      calls.set(id, call);
    }
    return call;
  };
  const written = (call: ToolInput) => {
    if (!deciding || call.order < deciding.order) deciding = call;
  };

  const onToolDelta = (call: ToolInput, piece: string): ChaosOpsAction | undefined => {
    call.input += piece;
    call.named?.feed(piece);
    if (call.parser) call.parser.feed(piece);
    else if (!isPyBlank(piece)) {
      call.parser = textParser(reading, options.formats);
      call.parser.feed(call.input);
      written(call);
    }
    const named = deciding?.named?.action(deciding.name, deciding.input, reading);
    if (named) return named;
    const parser = deciding?.parser;
    if (!deciding || !parser?.finished || deciding.checked) return undefined;
    const decidingCall = deciding;
    decidingCall.checked = true;
    // A named call decides once its input so far is one whole object; a cut is read only at the end.
    return (
      namedCallAction(decidingCall.name, decidingCall.input, reading, false) ??
      confirmed(parser, () => ({ action: actionFromArguments(decidingCall.input, reading), final: true }))
    );
  };

  const step = (part: unknown): ChaosOpsAction | undefined => {
    switch (field(part, "type")) {
      case "error":
        throw field(part, "error") ?? new Error("the AI SDK stream reported an error");
      case "tool-input-start":
        callFor(field(part, "id")).name ??= field(part, "toolName");
        return undefined;
      case "tool-input-delta":
        return onToolDelta(callFor(field(part, "id")), text(field(part, "delta")));
      case "tool-call": {
        const call = callFor(field(part, "toolCallId"));
        call.final = inputOf(part);
        call.name ??= field(part, "toolName");
        const action = toolCallAction(call.name, call.final, reading);
        if (!action) return undefined;
        written(call);
        // A whole call decides once no earlier call can: the earliest written one.
        return deciding === call ? action : undefined;
      }
      case "text-delta": {
        const piece = text(field(part, "text")) || text(field(part, "textDelta"));
        contentText += piece;
        if (!content.feed(piece) || deciding !== undefined || contentChecked) return undefined;
        contentChecked = true;
        return confirmed(content, () => textVerdict(contentText, reading));
      }
      default:
        return undefined;
    }
  };

  const atEnd = (): ChaosOpsAction => {
    const toolCalls = [...calls.values()].sort((a, b) => a.order - b.order).map((call) => ({ toolName: call.name, input: call.final ?? call.input }));
    return actionFromGenerateText({ text: contentText, toolCalls }, options);
  };
  return consume(partsOf(result), options, step, atEnd, () => options.abortController?.abort());
}
