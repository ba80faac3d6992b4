// An independent corpus of native syntaxes (test/fixtures/native-syntaxes/independent.jsonl),
// written from each family's definition without looking at the public sample or the
// readers: every completion gives the meant action with formats "lenient" through every
// entry point, and parseActionDetailed agrees with parseAction.
import { loadNativeCorpus, type NativeCase } from "../support/native-corpus.js";
import { describe, expect, it } from "vitest";
import { parseAction } from "../../src/parsing/parse-action.js";
import { parseActionDetailed } from "../../src/parsing/parse-detailed.js";
import { StreamingActionParser } from "../../src/parsing/streaming.js";
import { parseAnthropicResponse, parseOpenAIResponse } from "../../src/providers/providers.js";
import type { ChaosOpsAction } from "../../src/model/types.js";


const CASES = loadNativeCorpus("independent");

const named = CASES.map((c) => [`${c.id} (${c.syntax})`, c] as const);
const options = (c: NativeCase) => ({ role: c.role, fallback: c.fallback, formats: "lenient" as const });

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function streamed(chunks: readonly string[], c: NativeCase) {
  const parser = new StreamingActionParser(options(c));
  for (const chunk of chunks) if (parser.feed(chunk)) break;
  return { action: parser.action(), finished: parser.finished };
}

describe("native syntaxes: the independent corpus", () => {
  it("covers the 22 families with at least 8 completions each", () => {
    const counts = new Map<string, number>();
    for (const c of CASES) counts.set(c.family, (counts.get(c.family) ?? 0) + 1);
    expect(counts.size).toBe(22);
    for (const n of counts.values()) expect(n).toBeGreaterThanOrEqual(8);
  });

  it.each(named)("%s through parseAction and parseActionDetailed", (_name, c) => {
    expect(parseAction(c.raw, options(c))).toEqual(c.expect);
    expect(parseActionDetailed(c.raw, options(c)).action).toEqual(c.expect);
  });

  it.each(named)("%s through the stream parser, whole and in chunks of 1, 2, 7 and 64", (_name, c) => {
    const whole = streamed([c.raw], c);
    expect(whole.action).toEqual(c.expect);
    for (const size of [1, 2, 7, 64]) {
      const chunked = streamed(pieces(c.raw, size), c);
      expect(chunked.action, `chunks of ${size}`).toEqual(c.expect);
      expect(chunked.finished, `chunks of ${size}`).toBe(whole.finished);
    }
  });

  it.each(named)("%s as response content (OpenAI and Anthropic)", (_name, c) => {
    const openai = { choices: [{ message: { role: "assistant", content: c.raw } }] };
    const anthropic = { content: [{ type: "text", text: c.raw }] };
    expect(parseOpenAIResponse(openai, options(c))).toEqual(c.expect);
    expect(parseAnthropicResponse(anthropic, options(c))).toEqual(c.expect);
  });
});

// Counterexamples the independent corpus found, kept by name.
describe("native syntaxes: calls cut inside a closing tag keep the value written whole", () => {
  const cases: readonly (readonly [string, string, ChaosOpsAction])[] = [
    ["qwen3_coder, cut in </parameter>", "<tool_call>\n<function=chaosops_action>\n<parameter=action_type>\nrestart\n</parameter>\n<parameter=target>\ndb\n</p", { role: "sre", action_type: "restart", target: "db", args: {} }],
    ["seed_oss, cut in </parameter>", "<seed:tool_call>\n<function=restart>\n<parameter=target>db</par", { role: "sre", action_type: "restart", target: "db", args: {} }],
    ["minimax_m2, cut in </parameter>", '<minimax:tool_call>\n<invoke name="restart">\n<parameter name="target">db</pa', { role: "sre", action_type: "restart", target: "db", args: {} }],
    ["deepseek_dsml, cut in its closing tag", '<｜DSML｜function_calls>\n<｜DSML｜invoke name="restart">\n<｜DSML｜parameter name="target" string="true">db</｜D', { role: "sre", action_type: "restart", target: "db", args: {} }],
    ["glm45, cut in </arg_value>", "<tool_call>chaosops_action\n<arg_key>action_type</arg_key>\n<arg_value>restart</arg_value>\n<arg_key>target</arg_key>\n<arg_value>db</a", { role: "sre", action_type: "restart", target: "db", args: {} }],
    ["glm45, cut inside a value keeps the pairs before it", "<tool_call>restart\n<arg_key>target</arg_key>\n<arg_value>db</arg_value>\n<arg_key>reason</arg_key>\n<arg_value>the pool is st", { role: "sre", action_type: "restart", target: "db", args: {} }],
    ["glm45, cut inside a key keeps the pairs before it", "<tool_call>restart\n<arg_key>target</arg_key>\n<arg_value>db</arg_value>\n<arg_key>rea", { role: "sre", action_type: "restart", target: "db", args: {} }],
    ["gemma4, cut in the closing <|\"|>", '<|tool_call>call:restart{target:<|"|>db<|"', { role: "sre", action_type: "restart", target: "db", args: {} }],
    ["gemma, cut in the closing <escape>", "<start_function_call>call:restart{target:<escape>db<esc", { role: "sre", action_type: "restart", target: "db", args: {} }],
  ];
  it.each(cases)("%s", (_name, raw, expected) => {
    const opts = { role: expected.role, fallback: "noop" as const, formats: "lenient" as const };
    expect(parseAction(raw, opts)).toEqual(expected);
    expect(parseActionDetailed(raw, opts).action).toEqual(expected);
    const parser = new StreamingActionParser(opts);
    for (const ch of raw) parser.feed(ch);
    expect(parser.action()).toEqual(expected);
  });

  it("a lone `<` the text ends in is the value's own text, not a cut closing tag", () => {
    const raw = "<seed:tool_call>\n<function=restart>\n<parameter=target>db<";
    expect(parseAction(raw, { role: "sre", fallback: "noop", formats: "lenient" }).target).toBeNull();
  });
});

describe("native syntaxes: DeepSeek with no name after `function<｜tool▁sep｜>`", () => {
  it("reads it as a V3.1 call whose arguments are the whole action", () => {
    const raw = '<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>{"action_type": "restart", "target": "db"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>';
    expect(parseAction(raw, { role: "sre", fallback: "noop", formats: "lenient" })).toEqual({ role: "sre", action_type: "restart", target: "db", args: {} });
  });
});

// Floods of every family's markers give an action and never throw (time is measured
// outside unit tests; see the report of branch redteam-native for the ratios).
const FLOOD_UNITS = [
  "<tool_call>", "<function=", "<function=restart>", "<function=f><parameter=x>", "[TOOL_CALLS]", "[TOOL_CALLS]f[ARGS]",
  "<|channel|>", "<|channel|>analysis<|message|>x", "to=functions.f <|message|>", "<｜tool▁call▁begin｜>", "<｜tool▁calls▁begin｜>",
  '<｜DSML｜invoke name="f"><｜DSML｜parameter name="x">', '<invoke name="f"><parameter name="x">', "<think>", "</think>", "<seed:think>",
  '<|tool_call>call:f{k:<|"|>', "<start_function_call>call:f{k:<escape>", "[f(", "<|python_tag|>{", "functools[",
  "<tool_call>f\n<arg_key>k</arg_key><arg_value>", "<|tool_call_begin|>functions.f:0<|tool_call_argument_begin|>{", "<|START_ACTION|>[",
  "<|tools_prefix|>[{", ">>>f\n{", "Here is my thought process:", "<|inner_prefix|>", "<tool_calls>[",
];

describe("native syntaxes: marker floods", () => {
  it.each(FLOOD_UNITS)("64 KiB of %j gives an action through parseAction and the stream", (unit) => {
    const text = unit.repeat(Math.ceil(65_536 / unit.length)).slice(0, 65_536);
    const opts = { role: "sre" as const, fallback: "noop" as const, formats: "lenient" as const };
    expect(parseAction(text, opts).role).toBe("sre");
    const parser = new StreamingActionParser(opts);
    for (let i = 0; i < text.length; i += 4096) if (parser.feed(text.slice(i, i + 4096))) break;
    expect(parser.action().role).toBe("sre");
  });
});
