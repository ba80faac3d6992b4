// Every entry point and mode the complexity fuzzer drives, each as (text) → a prepared
// call: what is not the parser's work (cutting chunks, building events) is done before timing.
import {
  actionFromAnthropicStream,
  actionFromOpenAIStream,
  parseAction,
  parseActionDetailed,
  parseAnthropicResponse,
  parseOpenAIResponse,
  StreamingActionParser,
} from "../dist/index.js";

const LENIENT = { role: "sre", formats: "lenient" };
const DEFAULT = { role: "sre" };

export function pieces(text, size) {
  const out = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

async function* iterate(list) {
  for (const item of list) yield item;
}

function feedAll(parser, chunks) {
  for (const chunk of chunks) if (parser.feed(chunk)) break;
  return parser.action();
}

const openaiDelta = (delta) => ({ choices: [{ index: 0, delta }] });
const anthropicText = (chunks) => [
  { type: "message_start", message: { content: [] } },
  { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
  ...chunks.map((text) => ({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } })),
  { type: "content_block_stop", index: 0 },
  { type: "message_stop" },
];
const anthropicTool = (chunks) => [
  { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "t", name: "chaosops_action", input: {} } },
  ...chunks.map((partial_json) => ({ type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json } })),
  { type: "content_block_stop", index: 0 },
];

/**
 * Every entry point and mode: name → (text) → a prepared call (inputs that are not the
 * parser's work, such as cutting chunks, are made before timing).
 */
export const ENTRIES = {
  "parseAction": (t) => () => parseAction(t, DEFAULT),
  "parseAction lenient": (t) => () => parseAction(t, LENIENT),
  "parseActionDetailed": (t) => () => parseActionDetailed(t, DEFAULT),
  "parseActionDetailed lenient": (t) => () => parseActionDetailed(t, LENIENT),
  "stream 16-char chunks": (t) => {
    const chunks = pieces(t, 16);
    return () => feedAll(new StreamingActionParser(DEFAULT), chunks);
  },
  "stream 64 KiB chunks": (t) => {
    const chunks = pieces(t, 65536);
    return () => feedAll(new StreamingActionParser(DEFAULT), chunks);
  },
  "stream lenient 16-char chunks": (t) => {
    const chunks = pieces(t, 16);
    return () => feedAll(new StreamingActionParser(LENIENT), chunks);
  },
  // Provider helpers ask `finished` after every chunk: asking once cost a reading of the whole text (quadratic).
  "stream lenient 16-char chunks, finished asked after each": (t) => {
    const chunks = pieces(t, 16);
    return () => {
      const parser = new StreamingActionParser(LENIENT);
      for (const chunk of chunks) if (parser.feed(chunk) || parser.finished) break;
      return parser.action();
    };
  },
  "parseOpenAIResponse content": (t) => () => parseOpenAIResponse({ choices: [{ message: { content: t } }] }, DEFAULT),
  "parseOpenAIResponse content lenient": (t) => () => parseOpenAIResponse({ choices: [{ message: { content: t } }] }, LENIENT),
  "parseOpenAIResponse tool arguments": (t) => () =>
    parseOpenAIResponse({ choices: [{ message: { content: null, tool_calls: [{ type: "function", function: { name: "chaosops_action", arguments: t } }] } }] }, DEFAULT),
  "parseAnthropicResponse text": (t) => () => parseAnthropicResponse({ content: [{ type: "text", text: t }] }, DEFAULT),
  "parseAnthropicResponse text lenient": (t) => () => parseAnthropicResponse({ content: [{ type: "text", text: t }] }, LENIENT),
  "actionFromOpenAIStream content, 16-char deltas": (t) => {
    const chunks = pieces(t, 16).map((content) => openaiDelta({ content }));
    return () => actionFromOpenAIStream(iterate(chunks), DEFAULT);
  },
  "actionFromOpenAIStream tool arguments, 16-char deltas": (t) => {
    const chunks = pieces(t, 16).map((args) => openaiDelta({ tool_calls: [{ index: 0, function: { arguments: args } }] }));
    return () => actionFromOpenAIStream(iterate(chunks), DEFAULT);
  },
  "actionFromOpenAIStream tool arguments lenient, 16-char deltas": (t) => {
    const chunks = pieces(t, 16).map((args) => openaiDelta({ tool_calls: [{ index: 0, function: { arguments: args } }] }));
    return () => actionFromOpenAIStream(iterate(chunks), LENIENT);
  },
  "actionFromOpenAIStream one tool call per 16-char delta": (t) => {
    const chunks = pieces(t, 16).map((args, index) => openaiDelta({ tool_calls: [{ index, function: { name: "chaosops_action", arguments: args } }] }));
    return () => actionFromOpenAIStream(iterate(chunks), DEFAULT);
  },
  "actionFromOpenAIStream content lenient": (t) => {
    const chunks = pieces(t, 16).map((content) => openaiDelta({ content }));
    return () => actionFromOpenAIStream(iterate(chunks), LENIENT);
  },
  "actionFromAnthropicStream text, 16-char deltas": (t) => {
    const events = anthropicText(pieces(t, 16));
    return () => actionFromAnthropicStream(iterate(events), DEFAULT);
  },
  "actionFromAnthropicStream tool input, 16-char deltas": (t) => {
    const events = anthropicTool(pieces(t, 16));
    return () => actionFromAnthropicStream(iterate(events), DEFAULT);
  },
  "actionFromAnthropicStream tool input lenient, 16-char deltas": (t) => {
    const events = anthropicTool(pieces(t, 16));
    return () => actionFromAnthropicStream(iterate(events), LENIENT);
  },
};

