// The native-syntax sample (22 model families) through every provider entry point with
// `formats: "lenient"`: each gives the action a person would say the model meant.
import { loadNativeCorpus } from "../support/native-corpus.js";
import { describe, expect, it } from "vitest";
import { parseAnthropicResponse, parseOpenAIResponse } from "../../src/providers/providers.js";
import { actionFromAnthropicStream, actionFromOpenAIStream } from "../../src/providers/provider-streams.js";
import { actionFromGenerateText, actionFromStreamText } from "../../src/providers/ai-sdk.js";
import { generateActionWithRetry } from "../../src/providers/retry.js";
import type { ActionType, AgentRole } from "../../src/model/enums.js";
import type { ChaosOpsAction } from "../../src/model/types.js";


const SAMPLES = loadNativeCorpus("sample");

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** Cut into pieces of 1 to 7 characters, varying along the text, so boundaries fall anywhere (inside special tokens too). */
function cut(text: string, seed: number): string[] {
  const out: string[] = [];
  for (let i = 0, n = seed; i < text.length; n = (n * 5 + 3) % 7) {
    out.push(text.slice(i, i + n + 1));
    i += n + 1;
  }
  return out;
}

type Read = (raw: string, options: { role: AgentRole; fallback: ActionType; formats: "lenient" }, seed: number) => ChaosOpsAction | Promise<ChaosOpsAction>;

const ENTRY_POINTS: Record<string, Read> = {
  parseOpenAIResponse: (raw, o) => parseOpenAIResponse({ choices: [{ message: { role: "assistant", content: raw } }] }, o),
  parseAnthropicResponse: (raw, o) => parseAnthropicResponse({ content: [{ type: "text", text: raw }] }, o),
  actionFromOpenAIStream: (raw, o, seed) => actionFromOpenAIStream(from(cut(raw, seed).map((content) => ({ choices: [{ index: 0, delta: { content } }] }))), o),
  actionFromAnthropicStream: (raw, o, seed) =>
    actionFromAnthropicStream(
      from([
        { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
        ...cut(raw, seed).map((text) => ({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } })),
        { type: "content_block_stop", index: 0 },
      ]),
      o,
    ),
  actionFromGenerateText: (raw, o) => actionFromGenerateText({ text: raw, toolCalls: [] }, o),
  actionFromStreamText: (raw, o, seed) => actionFromStreamText(from(cut(raw, seed).map((text) => ({ type: "text-delta", id: "0", text }))), o),
  generateActionWithRetry: (raw, o) => generateActionWithRetry("p", { ...o, generate: () => raw, maxAttempts: 1 }),
};

describe.each(Object.entries(ENTRY_POINTS))("native syntaxes through %s", (_name, read) => {
  it.each(SAMPLES.map((s, i) => [`${s.id} (${s.syntax})`, s, i] as const))("%s", async (_id, sample, i) => {
    const options = { role: sample.role, fallback: sample.fallback, formats: "lenient" as const };
    expect(await read(sample.raw, options, i % 7)).toEqual(sample.expect);
  });
});
