// Each family's reader agrees with its grammar (grammar/<family>.peggy, the
// specification): on blocks built from the family's tokens and random pieces, a complete
// block the grammar reads is read by the reader to the same end, name and arguments.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FAMILIES } from "../../src/formats/families/registry.js";
import { argumentsObject, envelopeCalls, decodeTranslated, parameterValue, type CallSyntax, type GrammarBlock, type ReadContext } from "../../src/formats/families/kit.js";
import { NATIVE_PLAN } from "../../src/formats/native.js";
import { isJsonObject } from "../../src/python/json-dialect.js";
import { parse as gQwen3Hermes } from "../../src/generated/qwen3-hermes.js";
import { parse as gGranite } from "../../src/generated/granite.js";
import { parse as gHunyuan } from "../../src/generated/hunyuan.js";
import { parse as gPhi4Functools } from "../../src/generated/phi4-functools.js";
import { parse as gCommand } from "../../src/generated/command.js";
import { parse as gApertus } from "../../src/generated/apertus.js";
import { parse as gLlama3Json } from "../../src/generated/llama3-json.js";
import { parse as gQwen3Coder } from "../../src/generated/qwen3-coder.js";
import { parse as gSeedOss } from "../../src/generated/seed-oss.js";
import { parse as gGlm45 } from "../../src/generated/glm45.js";
import { parse as gMinimaxM2 } from "../../src/generated/minimax-m2.js";
import { parse as gDeepseekDsml } from "../../src/generated/deepseek-dsml.js";
import { parse as gKimiK2 } from "../../src/generated/kimi-k2.js";
import { parse as gDeepseek } from "../../src/generated/deepseek.js";
import { parse as gMistral } from "../../src/generated/mistral.js";
import { parse as gGptOss } from "../../src/generated/gpt-oss.js";
import { parse as gFunctionary } from "../../src/generated/functionary.js";
import { parse as gPythonic } from "../../src/generated/pythonic.js";
import { parse as gGemma } from "../../src/generated/gemma.js";
import { parse as gGemma4 } from "../../src/generated/gemma4.js";
import type { JsonValue } from "../../src/model/types.js";

type Parse = (text: string, options: Record<string, unknown>) => GrammarBlock | null;
const GRAMMARS: Record<string, Parse> = {
  "qwen3-hermes": gQwen3Hermes as Parse,
  "granite": gGranite as Parse,
  "hunyuan": gHunyuan as Parse,
  "phi4-functools": gPhi4Functools as Parse,
  "command": gCommand as Parse,
  "apertus": gApertus as Parse,
  "llama3-json": gLlama3Json as Parse,
  "qwen3-coder": gQwen3Coder as Parse,
  "seed-oss": gSeedOss as Parse,
  "glm45": gGlm45 as Parse,
  "minimax-m2": gMinimaxM2 as Parse,
  "deepseek-dsml": gDeepseekDsml as Parse,
  "kimi-k2": gKimiK2 as Parse,
  "deepseek": gDeepseek as Parse,
  "mistral": gMistral as Parse,
  "gpt-oss": gGptOss as Parse,
  "functionary": gFunctionary as Parse,
  "pythonic": gPythonic as Parse,
  "gemma": gGemma as Parse,
  "gemma4": gGemma4 as Parse,
};
const grammar = (name: string): Parse => {
  const found = GRAMMARS[name];
  if (!found) throw new Error(`no grammar ${name}`);
  return found;
};

const dialect = { python: true, relaxed: true, truncated: true };
function context(text: string): ReadContext {
  return { text, dialect, find: (needle, from) => text.indexOf(needle, from), envelopes: NATIVE_PLAN.envelopes, charge: () => true };
}

const HELPERS = {
  attribute: (attrs: string) => /\bname[ \t]*=[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/.exec(attrs)?.slice(1).find((v) => v !== undefined)?.trim(),
  stringAttribute: (attrs: string) => {
    const m = /\bstring[ \t]*=[ \t]*["']?(true|false)/.exec(attrs);
    return m ? m[1] === "true" : null;
  },
  escaped: (text: string) => JSON.stringify(parameterValue(text) === text.trim() || typeof parameterValue(text) === "string" ? text : parameterValue(text)),
  word: (word: string) => (/^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/.test(word.trim()) ? word.trim() : JSON.stringify(word.trim())),
};

/** The calls a grammar block stands for, decoded with the shared value rules. */
function grammarCalls(block: GrammarBlock, text: string): { name: string | undefined; arguments: JsonValue | undefined }[] {
  const ctx = context(text);
  const name = block.name ?? undefined;
  if (block.params) return [{ name, arguments: argumentsObject(block.params.map(([k, t, s]) => [k, parameterValue(t, s === null ? undefined : !s)])) }];
  const source = block.json ?? block.dict ?? block.body ?? "";
  const decoded = decodeTranslated(ctx, source, false, block.dict !== undefined);
  if (!decoded) return [];
  if (block.name === null) return envelopeCalls(ctx, decoded.value, true).map((call) => ({ name: call.name, arguments: call.arguments }));
  return isJsonObject(decoded.value) ? [{ name, arguments: decoded.value }] : [];
}

const syntaxes = new Map<string, CallSyntax>();
for (const family of FAMILIES) for (const syntax of family.calls) if (!syntaxes.has(syntax.syntax)) syntaxes.set(syntax.syntax, syntax);
const bySyntax = (prefix: string): CallSyntax => {
  const found = [...syntaxes.values()].find((s) => s.syntax.startsWith(prefix));
  if (!found) throw new Error(`no syntax ${prefix}`);
  return found;
};

const NAMES = ["restart", "scale", "chaosops_action", "functions.restart:0", "all"];
const JSONS = ['{"target": "db"}', '{"action_type": "restart", "target": "db"}', '[{"name": "scale", "arguments": {"target": "db", "replicas": 2}}]', '{"x": "}"}', "{'a': 1}", "{", "}", "[]"];
const COMMON = [...NAMES, ...JSONS, " ", "\n", "x", "<", ">", '"', ",", "db", "4"];

/** [grammar, syntax name prefix, the block's own tokens] */
const TABLE: readonly (readonly [string, string, readonly string[]])[] = [
  ["qwen3-hermes", "<tool_call>{", ["<tool_call>", "</tool_call>"]],
  ["granite", "<|tool_call|>", ["<|tool_call|>"]],
  ["hunyuan", "<tool_calls>", ["<tool_calls>", "</tool_calls>"]],
  ["phi4-functools", "functools", ["functools[", "functools ["]],
  ["command", "<|START_ACTION|>", ["<|START_ACTION|>", "<|END_ACTION|>"]],
  ["apertus", "<|tools_prefix|>", ["<|tools_prefix|>", '[{"restart": {"target": "db"}}]']],
  ["llama3-json", "<function=NAME>{", ["<function=", "</function>", "restart>"]],
  ["qwen3-coder", "<function=NAME><parameter", ["<function=", "restart>", "<parameter=", "target>", "</parameter>", "</function>"]],
  ["seed-oss", "<seed:tool_call>", ["<seed:tool_call>", "<function=", "restart>", "<parameter=", "target>", "</parameter>", "</function>"]],
  ["glm45", "<tool_call>NAME", ["<tool_call>", "<arg_key>", "target", "</arg_key>", "<arg_value>", "</arg_value>", "</tool_call>"]],
  ["minimax-m2", "<minimax:tool_call>", ['<invoke name="restart">', '<parameter name="target">', "</parameter>", "</invoke>"]],
  ["deepseek-dsml", "<｜DSML｜invoke", ['<｜DSML｜invoke name="scale">', '<｜DSML｜parameter name="replicas" string="false">', '<｜DSML｜parameter name="target" string="true">', "</｜DSML｜parameter>", "</｜DSML｜invoke>"]],
  ["kimi-k2", "<|tool_call_begin|>", ["<|tool_call_begin|>", "<|tool_call_argument_begin|>", "functions.restart:0"]],
  ["deepseek", "<｜tool▁call▁begin｜>", ["<｜tool▁call▁begin｜>", "<｜tool▁sep｜>", "function", "```json\n", "```"]],
  ["mistral", "[TOOL_CALLS]", ["[TOOL_CALLS]", "[ARGS]", "[CALL_ID]", "a1B2"]],
  ["gpt-oss", "to=functions.NAME", ["to=functions.", " <|constrain|>json", "<|message|>", "<|call|>", "<|channel|>commentary"]],
  ["functionary", ">>>NAME", [">>>", "\n", "\r\n", "\r"]],
  ["pythonic", "[NAME(k=v)", ["[restart(", "[scale(", "[", "]", "(", ")", "target=", "'db'", "replicas=4", "=", "True", "None"]],
  ["gemma", "<start_function_call>", ["<start_function_call>", "call:", "{", "}", "target:", "<escape>", "db", "replicas:4", ","]],
  ["gemma4", '<|tool_call>call', ["<|tool_call>", "call:", "{", "}", "target:", '<|"|>', "db", "replicas:4", ","]],
];

describe("family readers agree with their grammars", () => {
  it.each(TABLE)("%s", (name, syntaxPrefix, tokens) => {
    const parse = grammar(name);
    const syntax = bySyntax(syntaxPrefix);
    const marker = new RegExp(syntax.marker, "y");
    const block = fc.array(fc.constantFrom(...tokens, ...COMMON), { maxLength: 14 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(fc.constantFrom(...tokens), block, (first, rest) => {
        const text = first + rest;
        marker.lastIndex = 0;
        const m = marker.exec(text);
        fc.pre(m !== null);
        const spec = parse(text, { startRule: "Block", ...HELPERS });
        const read = syntax.read(context(text), 0, m?.[0].length ?? 0);
        if (spec === null) return;
        const expected = grammarCalls(spec, text);
        fc.pre(expected.length > 0);
        expect(read, text).toBeDefined();
        expect(read?.end, text).toBe(spec.end);
        expect(read?.calls.map((call) => ({ name: call.name, arguments: call.arguments })), text).toEqual(expected);
        expect(read?.calls.every((call) => call.complete)).toBe(true);
      }),
      { numRuns: Math.max(200, Number(process.env.FUZZ_RUNS ?? 200)) * 5 },
    );
  });
});

describe("family grammar counterexamples", () => {
  it.each([
    ["gemma", "<start_function_call>", "<start_function_call>call:chaosops_action{target:{'a': 1}"],
    ["gemma4", "<|tool_call>call", '<|tool_call>call:db{target:{"x": "}"}'],
  ])("%s: a `{` that opens no body is no word either (%s)", (name, prefix, text) => {
    expect(grammar(name)(text, { startRule: "Block", ...HELPERS })).toBeNull();
    const syntax = bySyntax(prefix);
    const m = new RegExp(syntax.marker, "y").exec(text);
    const read = m ? syntax.read(context(text), 0, m[0].length) : undefined;
    expect(read?.calls.filter((call) => call.complete) ?? []).toEqual([]);
  });
  it("pythonic: `[restart(),]` ends after the bracket for the grammar and the reader (a trailing comma before `]`)", () => {
    const text = "[restart(),]";
    const spec = grammar("pythonic")(text, { startRule: "Block", ...HELPERS });
    expect(spec?.end).toBe(12);
    const syntax = bySyntax("[NAME(k=v)");
    const m = new RegExp(syntax.marker, "y").exec(text);
    const read = m ? syntax.read(context(text), 0, m[0].length) : undefined;
    expect(read?.end).toBe(12);
    expect(read?.calls.map((call) => call.name)).toEqual(["restart"]);
  });

  it("pythonic: `[restart(,)]` is no call for the grammar nor the reader (Python rejects f(,))", () => {
    const text = "[restart(,)]";
    expect(grammar("pythonic")(text, { startRule: "Block", ...HELPERS })).toBeNull();
    const syntax = bySyntax("[NAME(k=v)");
    const m = new RegExp(syntax.marker, "y").exec(text);
    const read = m ? syntax.read(context(text), 0, m[0].length) : undefined;
    expect(read?.calls ?? []).toEqual([]);
  });
});

describe("family readers agree with their grammars: named counterexamples", () => {
  // `function<｜tool▁sep｜>` with no name after it is not the V3 form: it is a V3.1 call named
  // `function` (the reader used to drop it while the grammar read it).
  it.each([
    '<｜tool▁call▁begin｜>function<｜tool▁sep｜>{"target": "db"}',
    "<｜tool▁call▁begin｜>function<｜tool▁sep｜>\n{'a': 1}",
    '<｜tool▁call▁begin｜>function<｜tool▁sep｜>{"x": "}"}',
  ])("deepseek: %s", (text) => {
    const syntax = bySyntax("<｜tool▁call▁begin｜>");
    const spec = grammar("deepseek")(text, { startRule: "Block", ...HELPERS });
    expect(spec).not.toBeNull();
    const read = syntax.read(context(text), 0, "<｜tool▁call▁begin｜>".length);
    expect(read?.end).toBe(spec?.end);
    expect(read?.calls.map((call) => ({ name: call.name, arguments: call.arguments }))).toEqual(grammarCalls(spec as NonNullable<typeof spec>, text));
  });
});
