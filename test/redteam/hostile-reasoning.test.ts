// Issue 10: a draft action inside reasoning is never the answer. Every family's
// reasoning markup around a draft in every family's call syntax, plus JSON, fences and
// Python dicts, with chatter that opens quotes and braces before it; through parseAction,
// the stream parser at three chunkings and both response parsers. Also the provider
// fields that carry reasoning apart from the text.
import { describe, expect, it } from "vitest";
import {
  actionFromAnthropicStream,
  actionFromOpenAIStream,
  actionFromStreamText,
  generateActionWithRetry,
  parseAction,
  parseAnthropicResponse,
  parseOpenAIResponse,
  StreamingActionParser,
} from "../../src/index.js";
import type { ParseActionOptions as ParseOptions } from "../../src/index.js";

const REASONING: readonly [string, string][] = [
  ["<think>", "</think>"],
  ["", "</think>"],
  ["[THINK]", "[/THINK]"],
  ["◁think▷", "◁/think▷"],
  ["<seed:think>", "</seed:think>"],
  ["<seed:think>", "<seed:cot_budget_reflect>half the budget</seed:cot_budget_reflect></seed:think>"],
  ["<|START_THINKING|>", "<|END_THINKING|>"],
  ["Here is my thought process:", "Here is my response:"],
  ["<|channel>thought\n", "<channel|>"],
  ["<|inner_prefix|>", "<|inner_suffix|>"],
  ["<scratch_pad>", "</scratch_pad>"],
  ["<|channel|>analysis<|message|>", "<|end|><|start|>assistant<|channel|>final<|message|>"],
];

const DRAFTS: Record<string, string> = {
  json: '{"action_type": "restart", "target": "db"}',
  fenced: '```json\n{"action_type": "restart", "target": "db"}\n```',
  pydict: "{'action_type': 'restart', 'target': 'db'}",
  relaxed: "{action_type: 'restart', target: 'db',}",
  hermes: '<tool_call>{"name": "restart", "arguments": {"target": "db"}}</tool_call>',
  pythonic: '[restart(target="db")]',
  llama4: '<|python_start|>[restart(target="db")]<|python_end|>',
  mistral: '[TOOL_CALLS]restart[ARGS]{"target": "db"}',
  qwen3coder: "<function=restart><parameter=target>db</parameter></function>",
  functiongemma: "<start_function_call>call:restart{target:<escape>db<escape>}<end_function_call>",
  gemma4: '<|tool_call>call:restart{target:<|"|>db<|"|>}<tool_call|>',
  functools: 'functools[{"name": "restart", "arguments": {"target": "db"}}]',
  functionary: '>>>restart\n{"target": "db"}',
  llama3: '<|python_tag|>{"name": "restart", "parameters": {"target": "db"}}',
  deepseek: '<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>restart\n```json\n{"target": "db"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>',
  glm45: "<tool_call>restart\n<arg_key>target</arg_key>\n<arg_value>db</arg_value>\n</tool_call>",
  kimi: '<|tool_calls_section_begin|><|tool_call_begin|>functions.restart:0<|tool_call_argument_begin|>{"target": "db"}<|tool_call_end|><|tool_calls_section_end|>',
  harmony: '<|start|>assistant<|channel|>commentary to=functions.restart <|constrain|>json<|message|>{"target": "db"}<|call|>',
  command: '<|START_ACTION|>[{"tool_name": "restart", "parameters": {"target": "db"}}]<|END_ACTION|>',
  minimax: '<minimax:tool_call><invoke name="restart"><parameter name="target">db</parameter></invoke></minimax:tool_call>',
  hunyuan: '<tool_calls>[{"name": "restart", "arguments": {"target": "db"}}]</tool_calls>',
  apertus: '<|tools_prefix|>[{"restart": {"target": "db"}}]<|tools_suffix|>',
  llamacpp: '{"tool_call": {"name": "restart", "arguments": {"target": "db"}}}',
  dsml: '<｜DSML｜function_calls><｜DSML｜invoke name="restart"><｜DSML｜parameter name="target" string="true">db</｜DSML｜parameter></｜DSML｜invoke></｜DSML｜function_calls>',
  seed: "<seed:tool_call><function=restart><parameter=target>db</parameter></function></seed:tool_call>",
  toolcode: '```tool_code\nrestart(target="db")\n```',
  granite: '<|tool_call|>[{"name": "restart", "arguments": {"target": "db"}}]',
};
/** Drafts with no call opener: reasoning cut after them has no answer at all. */
const PLAIN = ["json", "fenced", "pydict", "relaxed"];
const CHATTER = ["", "Let me think. ", 'He said "hi ', "it's {", "```\n"];
const ANSWER = '{"action_type": "escalate", "target": "db"}';
const MODES: ParseOptions[] = [
  { role: "sre", formats: "lenient" },
  { role: "sre", formats: ["reasoning", "tool_call"] },
];

function everyReading(text: string, options: ParseOptions): string[] {
  const readings = [parseAction(text, options).action_type];
  for (const size of [1, 3, 17]) {
    const parser = new StreamingActionParser(options);
    for (let i = 0; i < text.length; i += size) if (parser.feed(text.slice(i, i + size))) break;
    readings.push(parser.action().action_type);
  }
  readings.push(parseOpenAIResponse({ choices: [{ message: { content: text } }] }, options).action_type);
  readings.push(parseAnthropicResponse({ content: [{ type: "text", text }] }, options).action_type);
  return readings;
}

describe("red team: a draft inside closed reasoning is never the answer", () => {
  for (const [open, close] of REASONING) {
    it(`${JSON.stringify(open || "(opened by the template)")} … ${JSON.stringify(close)}`, () => {
      for (const [name, draft] of Object.entries(DRAFTS)) {
        // A harmony `<|start|>` begins a new message: the analysis message has ended there.
        if (name === "harmony" && open.includes("<|channel|>analysis")) continue;
        for (const chatter of CHATTER) {
          for (const options of MODES) {
            const closed = `${open}${chatter}${draft} ok ${close}`;
            expect({ name, chatter, readings: everyReading(closed, options) }).toEqual({ name, chatter, readings: Array(6).fill("noop") });
            const answered = `${closed}\n${ANSWER}`;
            expect({ name, chatter, readings: everyReading(answered, options) }).toEqual({ name, chatter, readings: Array(6).fill("escalate") });
          }
        }
      }
    });
  }

  it("reasoning cut after a plain draft gives the fallback", () => {
    for (const [open] of REASONING.filter(([o]) => o !== "")) {
      for (const name of PLAIN) {
        for (const options of MODES) {
          const text = `${open}${DRAFTS[name]} still thinking`;
          expect({ open, name, readings: everyReading(text, options) }).toEqual({ open, name, readings: Array(6).fill("noop") });
        }
      }
    }
  });
});

describe("red team: reasoning carried beside the text is never read", () => {
  const draft = DRAFTS.json!;
  async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
    yield* items;
  }
  for (const options of [{ role: "sre" }, ...MODES] as ParseOptions[]) {
    const label = JSON.stringify(options.formats ?? "default");
    it(`${label}: OpenAI reasoning_content / reasoning, Anthropic thinking, in batch and stream`, async () => {
      expect(parseOpenAIResponse({ choices: [{ message: { content: null, reasoning_content: draft } }] }, options).action_type).toBe("noop");
      expect(parseOpenAIResponse({ choices: [{ message: { content: "", reasoning: draft } }] }, options).action_type).toBe("noop");
      expect(parseOpenAIResponse({ output: [{ type: "reasoning", summary: [{ type: "summary_text", text: draft }] }] }, options).action_type).toBe("noop");
      expect(parseAnthropicResponse({ content: [{ type: "thinking", thinking: draft, signature: "s" }] }, options).action_type).toBe("noop");
      expect(parseAnthropicResponse({ content: [{ type: "redacted_thinking", data: draft }] }, options).action_type).toBe("noop");
      expect((await actionFromOpenAIStream(from([{ choices: [{ delta: { reasoning_content: draft } }] }]), options)).action_type).toBe("noop");
      expect((await actionFromOpenAIStream(from([{ choices: [{ delta: { reasoning: draft } }] }]), options)).action_type).toBe("noop");
      const thinking = [
        { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } },
        { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: draft } },
        { type: "content_block_stop", index: 0 },
      ];
      expect((await actionFromAnthropicStream(from(thinking), options)).action_type).toBe("noop");
      const reasoningParts = [{ type: "reasoning-start", id: "r" }, { type: "reasoning-delta", id: "r", text: draft }, { type: "reasoning-end", id: "r" }];
      expect((await actionFromStreamText({ fullStream: from(reasoningParts) } as never, options)).action_type).toBe("noop");
    });
  }

  it("the retry wrapper with formats does not take a draft from <think>", async () => {
    for (const options of MODES) {
      const action = await generateActionWithRetry("p", { ...options, maxAttempts: 1, generate: () => `<think>${draft}</think>` });
      expect(action.action_type).toBe("noop");
    }
  });
});
