/**
 * Gemma: Gemma 3 prompted to call tools writes ```` ```tool_code\nf(k=v)\n``` ```` or
 * `[f(k=v)]` (Google's function-calling docs); FunctionGemma writes
 * `<start_function_call>call:f{k:<escape>v<escape>}<end_function_call>` (vLLM
 * functiongemma_tool_parser). The `call:` body is rewritten as JSON in one pass (keys
 * quoted, escaped strings as JSON strings, other words as numbers, booleans and null
 * or as strings) and read as JSON. Grammar: grammar/gemma.peggy.
 */
import { PYTHON_LIST, pythonAfter } from "./pythonic.js";
import { asCut, cutInClose, decodeTranslated, literal, nameAt, parameterValue, skipSpace, type CallBlock, type CallSyntax, type ReadContext, type SyntaxFamily } from "./kit.js";
import { isJsonObject } from "../../python/json-dialect.js";

const SCALAR = /[^,}\]]*/y;
const KEY = /[ \t\n\r]*("?)([A-Za-z_][\w.\-]*)\1[ \t\n\r]*:/y;
const LITERAL = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

/**
 * The `{…}` of a `call:` at `open` as JSON text, with strings between `escape` tokens;
 * where it ends and whether the text ended first. An incomplete string is dropped.
 */
export function callBodyJson(text: string, open: number, escape: string): { json: string; end: number; cut: boolean; closers: string } | undefined {
  let json = "{";
  // Whether each open container is an object (a key comes after its commas); no recursion.
  const objects: boolean[] = [true];
  let expectKey = true;
  let i = open + 1;
  for (;;) {
    i = skipSpace(text, i);
    if (i >= text.length) return cutAt(json, text, objects);
    const c = text.charCodeAt(i);
    if (c === 0x7d || c === 0x5d) {
      json += text[i];
      i++;
      objects.pop();
      if (objects.length === 0) return { json, end: i, cut: false, closers: "" };
      expectKey = false;
    } else if (c === 0x2c) {
      json += ",";
      i++;
      expectKey = objects[objects.length - 1] === true;
    } else if (expectKey) {
      KEY.lastIndex = i;
      const key = KEY.exec(text);
      if (!key) return skipSpace(text, i) >= text.length ? cutAt(json, text, objects) : undefined;
      json += `${JSON.stringify(key[2])}:`;
      i = KEY.lastIndex;
      expectKey = false;
    } else if (text.startsWith(escape, i)) {
      const close = text.indexOf(escape, i + escape.length);
      // A string cut inside its closing token was written whole.
      const whole = close >= 0 ? close : cutInClose(text, i + escape.length, [escape]);
      if (whole >= 0) json += escapedValue(text.slice(i + escape.length, whole));
      if (close < 0) return cutAt(json, text, objects);
      i = close + escape.length;
    } else if (c === 0x7b || c === 0x5b) {
      json += text[i];
      i++;
      objects.push(c === 0x7b);
      expectKey = c === 0x7b;
    } else {
      SCALAR.lastIndex = i;
      const word = (SCALAR.exec(text)?.[0] ?? "").trim();
      json += LITERAL.test(word) ? word : JSON.stringify(word);
      // A word the cut ends is kept: nothing but the cut delimits it.
      if (SCALAR.lastIndex >= text.length) return cutAt(json, text, objects);
      i = SCALAR.lastIndex;
    }
  }
}

/** A body the text ended in, with what would close its open containers. */
function cutAt(json: string, text: string, objects: readonly boolean[]) {
  const closers = objects.map((isObject) => (isObject ? "}" : "]")).reverse().join("");
  return { json, end: text.length, cut: true, closers };
}

/** An escaped string's text, or the JSON it holds (`args:<escape>{"reason": …}<escape>`), as JSON text. */
function escapedValue(inner: string): string {
  const value = parameterValue(inner);
  return typeof value === "string" ? JSON.stringify(inner) : JSON.stringify(value);
}

/** `call:NAME{…}` from `from`, strings between `escape` tokens. */
export function readCallBody(ctx: ReadContext, at: number, from: number, escape: string): CallBlock | undefined {
  const { text } = ctx;
  const start = skipSpace(text, from);
  if (!text.startsWith("call:", start) || !ctx.charge(0)) return undefined;
  const name = nameAt(text, start + 5);
  if (name === undefined) return undefined;
  const open = skipSpace(text, start + 5 + name.length);
  if (text.charCodeAt(open) !== 0x7b) return undefined;
  const body = callBodyJson(text, open, escape);
  if (!body) return undefined;
  ctx.charge(body.end - open);
  // As with pythonic calls, a body cut right after a value is first read as closed there.
  const decoded = (body.cut ? asCut(decodeTranslated(ctx, body.json + body.closers, false, false)) : undefined) ?? decodeTranslated(ctx, body.json, body.cut, false);
  if (!decoded || !isJsonObject(decoded.value)) return undefined;
  return { start: at, end: body.end, calls: [{ name, arguments: decoded.value, complete: decoded.complete, repairs: decoded.repairs }] };
}

const FUNCTION_GEMMA: CallSyntax = {
  syntax: "<start_function_call>call:NAME{k:<escape>v<escape>}<end_function_call>",
  marker: literal("<start_function_call>"),
  endsReasoning: true,
  read: (ctx, at, length) => readCallBody(ctx, at, at + length, "<escape>"),
};

export const gemma: SyntaxFamily = {
  family: "gemma",
  reasoning: [],
  calls: [pythonAfter("```tool_code\nNAME(k=v)\n```", "```tool_code"), PYTHON_LIST, FUNCTION_GEMMA],
  envelopes: [],
};
