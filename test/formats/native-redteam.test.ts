// A second independent corpus of native syntaxes (test/fixtures/native-syntaxes/redteam.jsonl:
// 1,420 completions red-team sessions wrote from the family definitions, the chat templates
// and the vLLM and llama.cpp parsers' tests, without reading our readers; its generator is
// not kept here, since the project runs no Python, so the file is fixture data to extend
// by hand):
// every completion gives the meant action with formats "lenient" through every entry point
// (parseAction, parseActionDetailed, the stream parser whole, char by char and in random
// chunks, both response parsers, both provider streams, the retry wrapper). Cases tagged
// default-parity are plain JSON answers with markup quoted in their strings: the default
// parser reads them, and formats must read them no worse.
import { loadNativeCorpus, type NativeCase } from "../support/native-corpus.js";
import { describe, expect, it } from "vitest";
import { parseAction } from "../../src/parsing/parse-action.js";
import { parseActionDetailed } from "../../src/parsing/parse-detailed.js";
import { StreamingActionParser } from "../../src/parsing/streaming.js";
import { parseAnthropicResponse, parseOpenAIResponse } from "../../src/providers/providers.js";
import { actionFromAnthropicStream, actionFromOpenAIStream } from "../../src/providers/provider-streams.js";
import { generateActionWithRetry } from "../../src/providers/retry.js";
import type { ChaosOpsAction } from "../../src/model/types.js";

const CASES = loadNativeCorpus("redteam");
const options = (c: NativeCase) => ({ role: c.role, fallback: c.fallback, formats: "lenient" as const });

/** Pieces of 1 to 9 characters from a seeded generator, so boundaries fall anywhere (inside special tokens too). */
function randomPieces(text: string, seed: number): string[] {
  let state = seed >>> 0;
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const size = 1 + (state % 9);
    out.push(text.slice(i, i + size));
    i += size;
  }
  return out;
}

function streamed(chunks: readonly string[], o: ReturnType<typeof options>): ChaosOpsAction {
  const parser = new StreamingActionParser(o);
  for (const chunk of chunks) if (parser.feed(chunk)) break;
  return parser.action();
}

/** Lenient parseAction, the explained search and the stream fed character by character all give `expected`. */
function expectEveryEntryGives(raw: string, o: ReturnType<typeof options>, expected: ChaosOpsAction): void {
  expect(parseAction(raw, o)).toEqual(expected);
  expect(parseActionDetailed(raw, o).action).toEqual(expected);
  expect(streamed([...raw], o)).toEqual(expected);
}

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

const named = CASES.map((c, i) => [`${c.id} (${c.syntax})`, c, i] as const);

describe("native syntaxes: the red-team corpus", () => {
  it("covers the 22 families with at least 25 completions each", () => {
    const counts = new Map<string, number>();
    for (const c of CASES) counts.set(c.family, (counts.get(c.family) ?? 0) + 1);
    expect(counts.size).toBe(22);
    for (const [family, n] of counts) expect(n, family).toBeGreaterThanOrEqual(25);
  });

  it.each(named)("%s: parseAction, parseActionDetailed, the stream parser and the response parsers", (_name, c, i) => {
    const o = options(c);
    expect(parseAction(c.raw, o), "parseAction").toEqual(c.expect);
    expect(parseActionDetailed(c.raw, o).action, "parseActionDetailed").toEqual(c.expect);
    expect(streamed([c.raw], o), "stream, whole").toEqual(c.expect);
    expect(streamed([...c.raw], o), "stream, char by char").toEqual(c.expect);
    expect(streamed(randomPieces(c.raw, i + 1), o), "stream, random chunks").toEqual(c.expect);
    expect(parseOpenAIResponse({ choices: [{ message: { role: "assistant", content: c.raw } }] }, o), "parseOpenAIResponse").toEqual(c.expect);
    expect(parseAnthropicResponse({ content: [{ type: "text", text: c.raw }] }, o), "parseAnthropicResponse").toEqual(c.expect);
  });

  it.each(named)("%s: provider streams and the retry wrapper", async (_name, c, i) => {
    const o = options(c);
    const openai = from(randomPieces(c.raw, i + 7).map((content) => ({ choices: [{ index: 0, delta: { content } }] })));
    expect(await actionFromOpenAIStream(openai, o), "actionFromOpenAIStream").toEqual(c.expect);
    const anthropic = from([
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      ...randomPieces(c.raw, i + 13).map((text) => ({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } })),
      { type: "content_block_stop", index: 0 },
    ]);
    expect(await actionFromAnthropicStream(anthropic, o), "actionFromAnthropicStream").toEqual(c.expect);
    expect(await generateActionWithRetry("p", { ...o, generate: () => c.raw, maxAttempts: 1 }), "generateActionWithRetry").toEqual(c.expect);
  });

  const parity = CASES.filter((c) => c.tags.includes("default-parity"));
  it.each(parity.map((c) => [c.id, c] as const))("%s: the default parser reads it so, and formats read it no worse", (_id, c) => {
    expect(parseAction(c.raw, { role: c.role, fallback: c.fallback })).toEqual(c.expect);
  });
});

// Counterexamples the red-team corpus found, kept by name.
describe("native syntaxes: markup quoted in a plain JSON answer's strings is text (formats read no worse than default)", () => {
  const reason = { reason: "db" };
  const cases: readonly (readonly [string, string, Record<string, unknown>])[] = [
    ["qwen3_coder parameters", '{"action_type": "escalate", "args": {"reason": "db"}, "log": "<function=restart><parameter=target>db</parameter></function>"}', reason],
    ["a pythonic list", '{"action_type": "escalate", "args": {"reason": "db"}, "log": "[restart(target=\'db\')]"}', reason],
    ["a Gemma 4 call", '{"action_type": "escalate", "args": {"reason": "db"}, "log": "<|tool_call>call:restart{target:<|\\"|>db<|\\"|>}<tool_call|>"}', reason],
    ["a DeepSeek V3.1 call", '{"action_type": "escalate", "args": {"reason": "db"}, "log": "<｜tool▁call▁begin｜>restart<｜tool▁sep｜>{}"}', reason],
    ["a GLM call", '{"action_type": "escalate", "args": {"reason": "db"}, "log": "<tool_call>restart<arg_key>target</arg_key><arg_value>db</arg_value></tool_call>"}', reason],
    ["a FunctionGemma call", '{"action_type": "escalate", "args": {"reason": "db"}, "log": "<start_function_call>call:restart{target:<escape>db<escape>}<end_function_call>"}', reason],
    ["a Seed-OSS call", '{"action_type": "escalate", "args": {"reason": "db"}, "log": "<seed:tool_call><function=restart></function></seed:tool_call>"}', reason],
    ["a harmony call", '{"action_type": "escalate", "args": {"reason": "db"}, "log": "<|channel|>commentary to=functions.restart <|message|>{}<|call|>"}', reason],
    ["an orphan </think>", '{"action_type": "escalate", "args": {"reason": "db"}, "why": "</think> is odd"}', reason],
    ["an envelope quoting a pythonic call", '{"name": "escalate", "arguments": {"reason": "db", "log": "[restart(target=\'db\')]"}}', { reason: "db", log: "[restart(target='db')]" }],
    ["after closed reasoning", '<think>x</think>{"action_type": "escalate", "args": {"reason": "db"}, "log": "[restart(target=\'db\')]"}', reason],
  ];
  it.each(cases)("%s", (_name, raw, args) => {
    const o = { role: "manager" as const, fallback: "noop" as const, formats: "lenient" as const };
    const expected: ChaosOpsAction = { role: "manager", action_type: "escalate", target: null, args };
    // Char by char and in pieces: the stream must not settle on the quoted call while the answer is still open.
    expectEveryEntryGives(raw, o, expected);
    for (const seed of [1, 2, 3]) expect(streamed(randomPieces(raw, seed), o), `pieces seeded ${seed}`).toEqual(expected);
  });
});

// Found by the red team of the whole-action read (session 5): an action of a type no agent has is still the answer.
describe("native syntaxes: markup quoted in an answer of an unknown action type is text too (the fallback, as default gives)", () => {
  it.each([
    ["a pythonic list", '{"action_type": "bogus", "note": "[restart(target=\'db\')]"}'],
    ["the last of two action types", '{"action_type": "restart", "action_type": "bogus", "note": "[escalate()]"}'],
    ["a hermes call", '{"action_type": "Restart it", "log": "<tool_call>{\\"name\\": \\"restart\\", \\"arguments\\": {}}</tool_call>"}'],
  ])("%s", (_name, raw) => {
    const o = { role: "sre" as const, fallback: "noop" as const, formats: "lenient" as const };
    const fallback = parseAction(raw, { role: "sre", fallback: "noop" });
    expect(fallback.action_type).toBe("noop");
    expectEveryEntryGives(raw, o, fallback);
  });
});

describe("native syntaxes: a call written with no arguments as null or an empty string", () => {
  const resolve: ChaosOpsAction = { role: "manager", action_type: "resolve", target: null, args: {} };
  it.each([
    ["hermes, arguments null", '<tool_call>\n{"name": "resolve", "arguments": null}\n</tool_call>'],
    ["hermes, arguments \"\"", '<tool_call>\n{"name": "resolve", "arguments": ""}\n</tool_call>'],
    ["llama 3, parameters null", '{"name": "resolve", "parameters": null}'],
    ["llama.cpp generic, arguments null", '{"tool_call": {"name": "resolve", "arguments": null}}'],
  ])("%s is the call", (_name, raw) => {
    expect(parseAction(raw, { role: "manager", fallback: "noop", formats: "lenient" })).toEqual(resolve);
  });
});

describe("native syntaxes: Functionary v3.2 with CRLF line ends", () => {
  it.each([
    [">>> before the call", '>>>restart\r\n{"target": "db"}'],
    ["the first call, at the start", 'restart\r\n{"target": "db"}'],
    ["after all\\ntext", 'all\r\nChecking.>>>restart\r\n{"target": "db"}'],
  ])("%s", (_name, raw) => {
    expect(parseAction(raw, { role: "sre", fallback: "noop", formats: "lenient" })).toEqual({ role: "sre", action_type: "restart", target: "db", args: {} });
  });
});

describe("native syntaxes: messages and calls left open before the next token", () => {
  const o = { role: "sre" as const, fallback: "noop" as const, formats: "lenient" as const };
  const restartDb: ChaosOpsAction = { role: "sre", action_type: "restart", target: "db", args: {} };
  const draft = '<|channel|>analysis<|message|>draft {"action_type": "rollback", "target": "payments"}';
  const pairs = "<tool_call>restart\n<arg_key>target</arg_key>\n<arg_value>db</arg_value>\n";
  it.each([
    // A harmony header token ends an analysis message left without <|end|>.
    ["harmony analysis, then the final channel", `${draft}<|channel|>final<|message|>{"action_type": "restart", "target": "db"}`],
    ["harmony analysis, then a commentary call", `${draft}<|channel|>commentary to=functions.restart <|constrain|>json<|message|>{"target": "db"}<|call|>`],
    // GLM pairs that end in other text than </tool_call> are read as Qwen3-Coder's open call is.
    ["GLM pairs, then an end-of-turn token", `${pairs}<|observation|>`],
    ["GLM pairs, then prose", `${pairs}\nRestarting the database now.`],
    ["GLM pairs, then the next call", `${pairs}<tool_call>resolve\n</tool_call>`],
  ])("%s", (_name, raw) => {
    expect(parseAction(raw, o)).toEqual(restartDb);
    expect(streamed([...raw], o)).toEqual(restartDb);
  });

  it.each([
    ["a harmony analysis message cut with a draft", draft],
    ["a GLM key with no value before other text", "<tool_call>restart\n<arg_key>target</arg_key>\nfoo"],
  ])("%s gives the fallback", (_name, raw) => {
    expect(parseAction(raw, o).action_type).toBe("noop");
  });
});

// Golden parse cases the reference reads to an action that formats used to read worse: an object
// only the lenient dialect reads, and that is no action, no longer stops the search.
describe("formats read a completion no worse than the default parser", () => {
  const lenient = (raw: string) => parseAction(raw, { role: "sre", fallback: "noop", formats: "lenient" });
  const plain = (raw: string) => parseAction(raw, { role: "sre", fallback: "noop" });
  it.each([
    ["a Python dict in chatter before the action (golden parse-1-000191)", '{\'a\': 1} 𝟘\n\n{"action_type":"restart","target":"auth","args":{}}\r\n'],
    ["a dict printed in a fence before the action (golden parse-1-000264)", "```\nprint({'a': 1})```\n\n{\"action_type\":\"scale\",\"target\":\"notifications\",\"args\":{\"replicas\":4}}"],
    ["unquoted keys in chatter before the action", '{x: 1} then {"action_type": "rollback", "target": "payments"}'],
  ])("%s", (_name, raw) => {
    const expected = plain(raw);
    expect(expected.action_type).not.toBe("noop");
    expect(lenient(raw)).toEqual(expected);
    expect(streamed([...raw], { role: "sre", fallback: "noop", formats: "lenient" })).toEqual(expected);
  });
});
