/**
 * Pythonic calls: `[f(k=v), g(k=v)]` (Llama 3.2, Gemma 3 prompted), Llama 4's
 * `<|python_start|>[…]<|python_end|>`, Olmo 3's `<function_calls>\nf(k=v)\n</function_calls>`
 * with `<think>` reasoning (vLLM llama4_pythonic_tool_parser, olmo3_tool_parser). The
 * keyword arguments are Python literals; they are rewritten as one Python dict and read
 * by the lenient dialect. Grammar: grammar/pythonic.peggy.
 */
import { asCut, decodeTranslated, literal, nameAt, skipSpace, THINK, type CallBlock, type CallSyntax, type NativeCall, type ReadContext, type SyntaxFamily } from "./kit.js";
import { isJsonObject } from "../../python/json-dialect.js";

/** `name =` (not `==`) after optional spaces; the name is found again from where the spaces end. */
const KEYWORD = /[ \t\n\r]*[A-Za-z_]\w*[ \t\n\r]*=(?!=)/y;
const NAME_END = /\w*/y;
const STOPS = /[()[\]{}"',\\]/g;

/**
 * Where the keyword arguments read so far lie: name start, name end, value start, value
 * end for each complete one, then the name of the one being read. Kept between calls,
 * and the dict text is made only when the arguments end: most `name(` in chatter are not
 * calls, and a flood of them then leaves no garbage behind.
 */
const parts: number[] = [];

/** `{` and each complete argument as `"name":value,`, from the first `count` parts. */
function completeArguments(text: string, count: number): string {
  let dict = "{";
  for (let k = 0; k + 3 < count; k += 4) {
    // A name of ASCII letters, digits and underscores needs no escaping to be a JSON string.
    dict += `"${text.slice(parts[k], parts[k + 1])}":${text.slice(parts[k + 2], parts[k + 3])},`;
  }
  return dict;
}

/** The dict text when the arguments end before `end` (the text's end when they were cut). */
function openArguments(text: string, valueStart: number, end: number): string {
  const count = parts.length;
  const named = count % 4 === 2 ? `"${text.slice(parts[count - 2], parts[count - 1])}":` : "";
  return completeArguments(text, count) + named + text.slice(valueStart, end);
}

/**
 * The keyword arguments from the `(` at `open` as the text of a Python dict, where they
 * end, and whether the text ended first. One pass; a positional argument is not a call.
 */
export function keywordArguments(text: string, open: number): { dict: string; end: number; cut: boolean } | undefined {
  parts.length = 0;
  let depth = 0;
  let quote = 0;
  let argStart = open + 1;
  let expectKey = true;
  for (let i = open + 1; i <= text.length; ) {
    if (expectKey && quote === 0 && depth === 0) {
      const next = skipSpace(text, i);
      if (text.charCodeAt(next) === 0x29) {
        const dict = completeArguments(text, parts.length);
        return { dict: `${dict.length > 1 ? dict.slice(0, -1) : dict}}`, end: next + 1, cut: false };
      }
      KEYWORD.lastIndex = i;
      if (!KEYWORD.test(text)) return next >= text.length ? { dict: completeArguments(text, parts.length), end: text.length, cut: true } : undefined;
      NAME_END.lastIndex = next + 1;
      NAME_END.test(text);
      parts.push(next, NAME_END.lastIndex);
      i = argStart = KEYWORD.lastIndex;
      expectKey = false;
      continue;
    }
    STOPS.lastIndex = i;
    if (!STOPS.test(text)) return { dict: openArguments(text, argStart, text.length), end: text.length, cut: true };
    const at = STOPS.lastIndex - 1;
    const c = text.charCodeAt(at);
    i = at + 1;
    if (quote !== 0) {
      if (c === 0x5c) i++;
      else if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x28 || c === 0x5b || c === 0x7b) {
      depth++;
    } else if (c === 0x29 || c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
      else if (c === 0x29) return { dict: `${openArguments(text, argStart, at)}}`, end: at + 1, cut: false };
      else return undefined;
    } else if (c === 0x2c && depth === 0) {
      parts.push(argStart, at);
      argStart = i;
      expectKey = true;
    }
  }
  return { dict: openArguments(text, argStart, text.length), end: text.length, cut: true };
}

/** Calls from `from`: `[f(…), g(…)]` when it opens with `[`, else calls one after another. */
export function readPythonCalls(ctx: ReadContext, at: number, from: number): CallBlock | undefined {
  const { text } = ctx;
  let pos = skipSpace(text, from);
  const bracketed = text.charCodeAt(pos) === 0x5b;
  if (bracketed) pos++;
  const calls: NativeCall[] = [];
  while (ctx.charge(0)) {
    pos = skipSpace(text, pos);
    const name = nameAt(text, pos);
    if (name === undefined) break;
    const open = skipSpace(text, pos + name.length);
    if (text.charCodeAt(open) !== 0x28) break;
    const args = keywordArguments(text, open);
    if (!args) break;
    ctx.charge(args.end - open);
    // A value at the very end of a cut call is delimited by nothing but the cut: read the
    // arguments as closed there first, then as the truncated format reads them.
    const decoded = (args.cut ? asCut(decodeTranslated(ctx, `${args.dict}}`, false, true)) : undefined) ?? decodeTranslated(ctx, args.dict, args.cut, true);
    if (!decoded || !isJsonObject(decoded.value)) break;
    calls.push({ name, arguments: decoded.value, complete: decoded.complete, repairs: decoded.repairs });
    pos = skipSpace(text, args.end);
    const comma = text.charCodeAt(pos) === 0x2c;
    // Python allows a trailing comma before the closing bracket: `[f(),]`.
    const close = comma ? skipSpace(text, pos + 1) : pos;
    if (bracketed && text.charCodeAt(close) === 0x5d) {
      pos = close + 1;
      break;
    }
    if (comma) pos++;
  }
  return calls.length > 0 ? { start: at, end: pos, calls } : undefined;
}

/** A pythonic call block after a literal marker. */
export function pythonAfter(syntax: string, marker: string): CallSyntax {
  return { syntax, marker: literal(marker), endsReasoning: true, read: (ctx, at, length) => readPythonCalls(ctx, at, at + length) };
}

/** `[f(k=v), …]` in plain text: the marker is the bracket, a name and a parenthesis. */
export const PYTHON_LIST: CallSyntax = {
  syntax: "[NAME(k=v), …]",
  marker: "\\[[ \\t\\n\\r]*[A-Za-z_][\\w.\\-]*[ \\t]*\\(",
  endsReasoning: false,
  read: (ctx, at) => readPythonCalls(ctx, at, at),
};

export const pythonic: SyntaxFamily = {
  family: "pythonic",
  reasoning: [THINK],
  calls: [PYTHON_LIST, pythonAfter("<|python_start|>[NAME(k=v)]<|python_end|>", "<|python_start|>"), pythonAfter("<function_calls>\nNAME(k=v)\n</function_calls>", "<function_calls>")],
  envelopes: [],
};
