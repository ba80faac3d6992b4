/**
 * Pythonic calls: `[f(k=v), g(k=v)]` (Llama 3.2, Gemma 3 prompted), Llama 4's
 * `<|python_start|>[…]<|python_end|>`, Olmo 3's `<function_calls>\nf(k=v)\n</function_calls>`
 * with `<think>` reasoning (vLLM llama4_pythonic_tool_parser, olmo3_tool_parser). The
 * keyword arguments are Python literals; they are rewritten as one Python dict and read
 * by the lenient dialect. Grammar: grammar/pythonic.peggy.
 */
import { asCut, decodeTranslated, literal, nameAt, skipSpace, THINK, type CallBlock, type CallSyntax, type NativeCall, type ReadContext, type SyntaxFamily } from "./kit.js";
import { isJsonObject } from "../../python/json-dialect.js";

const KEYWORD = /[ \t\n\r]*([A-Za-z_]\w*)[ \t\n\r]*=(?!=)/y;
const STOPS = /[()[\]{}"',\\]/g;

/**
 * The keyword arguments from the `(` at `open` as the text of a Python dict, where they
 * end, and whether the text ended first. One pass; a positional argument is not a call.
 */
export function keywordArguments(text: string, open: number): { dict: string; end: number; cut: boolean } | undefined {
  let dict = "{";
  let depth = 0;
  let quote = 0;
  let argStart = open + 1;
  let expectKey = true;
  for (let i = open + 1; i <= text.length; ) {
    if (expectKey && quote === 0 && depth === 0) {
      if (text.startsWith(")", skipSpace(text, i))) return { dict: `${dict.endsWith(",") ? dict.slice(0, -1) : dict}}`, end: skipSpace(text, i) + 1, cut: false };
      KEYWORD.lastIndex = i;
      const key = KEYWORD.exec(text);
      if (!key) return skipSpace(text, i) >= text.length ? { dict, end: text.length, cut: true } : undefined;
      dict += `${JSON.stringify(key[1])}:`;
      i = argStart = KEYWORD.lastIndex;
      expectKey = false;
      continue;
    }
    STOPS.lastIndex = i;
    const m = STOPS.exec(text);
    if (!m) return { dict: dict + text.slice(argStart), end: text.length, cut: true };
    const at = m.index;
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
      else if (c === 0x29) return { dict: `${dict}${text.slice(argStart, at)}}`, end: at + 1, cut: false };
      else return undefined;
    } else if (c === 0x2c && depth === 0) {
      dict += `${text.slice(argStart, at)},`;
      argStart = i;
      expectKey = true;
    }
  }
  return { dict: dict + text.slice(argStart), end: text.length, cut: true };
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
