import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CandidateKind, listCandidates } from "../../src/scanning/candidates.js";
import { specCandidates } from "../../src/scanning/candidate-spec.js";
import { specDecodeJson } from "../../src/python/json-spec.js";
import { locateAction, parseAction } from "../../src/parsing/parse-action.js";
import { resolveOptions } from "../../src/parsing/parse-options.js";
import { pyStrip } from "../../src/python/python-text.js";
import { StreamingActionParser } from "../../src/parsing/streaming.js";
import type { ChaosOpsAction } from "../../src/model/types.js";
import { anyText, chunkings, completion, role } from "../support/arbitraries.js";
import { streamChunks } from "../support/implementations.js";

const text = fc.oneof(completion, anyText);
const textWithChunkings = text.chain((t) => fc.tuple(fc.constant(t), chunkings(t), chunkings(t)));

/**
 * Building blocks chosen without looking at the scanners: the characters that change
 * scanning state (quotes, fences, braces, backslashes), whole and broken actions, and
 * runs long enough that the stream stops keeping a block that cannot decode.
 */
const ACTIONS = ['{"action_type": "escalate"}', '{"action_type": "restart"}', '{"action_type": "resolve", "target": "db"}', "{}"];
const block = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('"', "{", "}", "\\", "```", " ") },
  { weight: 3, arbitrary: fc.constantFrom(...ACTIONS) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom("```", "```json ", "```json\n"), fc.constantFrom(...ACTIONS), fc.constantFrom("```", " ```", "")).map((p) => p.join("")) },
  { weight: 1, arbitrary: fc.constantFrom("x", ":", ",", "\n", '{"a":', "[", "]") },
  { weight: 1, arbitrary: fc.constantFrom("y".repeat(5000), `{"action_type": "rollback", "target": "${"z".repeat(5000)}"}`, `{"a": "${"w".repeat(5000)}`) },
);
const blockText = fc.array(block, { maxLength: 12 }).map((parts) => parts.join(""));

/** The shortest prefix of `raw` after which the stream has finished, fed one character at a time. */
function finishingPrefix(raw: string, options: { role: ChaosOpsAction["role"] }): string | undefined {
  const parser = new StreamingActionParser(options);
  for (let i = 0; i < raw.length; i++) if (parser.feed(raw.charAt(i))) return raw.slice(0, i + 1);
  return undefined;
}

describe("StreamingActionParser properties", () => {
  it("0. equals batch parsing of the text up to where it finished, or of all of it (quotes, fences, braces, backslashes in any order)", () => {
    fc.assert(
      fc.property(blockText.chain((t) => fc.tuple(fc.constant(t), chunkings(t))), role, ([raw, chunks], r) => {
        const prefix = finishingPrefix(raw, { role: r });
        const streamed = streamChunks(chunks, { role: r });
        expect(streamed.finished).toBe(prefix !== undefined);
        expect(streamed.action).toEqual(parseAction(prefix ?? raw, { role: r }));
      }),
      // The orderings that matter are a few among many: more runs than the default.
      { numRuns: Math.max(1000, fc.readConfigureGlobal().numRuns ?? 0) },
    );
  });

  it("1. every chunking of a text gives the same finished flag and action", () => {
    fc.assert(
      fc.property(textWithChunkings, role, ([raw, a, b], r) => {
        const whole = streamChunks([raw], { role: r });
        expect(streamChunks(a, { role: r })).toEqual(whole);
        expect(streamChunks(b, { role: r })).toEqual(whole);
        expect(streamChunks(raw, { role: r })).toEqual(whole);
      }),
    );
  });

  it("1b. with every format on, chunking still changes nothing", () => {
    fc.assert(
      fc.property(textWithChunkings, role, ([raw, a], r) => {
        const options = { role: r, formats: "lenient" } as const;
        expect(streamChunks(a, options)).toEqual(streamChunks([raw], options));
      }),
    );
  });

  it("2. agrees with batch whenever batch takes the whole text or the first balanced block", () => {
    fc.assert(
      fc.property(textWithChunkings, role, ([raw, chunks], r) => {
        const { candidate, text: stripped, action } = locateAction(raw, resolveOptions({ role: r }, "test"));
        const firstBalanced = listCandidates(stripped).find((s) => s.kind === CandidateKind.BALANCED);
        const takesFirst =
          candidate?.kind === CandidateKind.WHOLE || (candidate?.kind === CandidateKind.BALANCED && candidate.start === firstBalanced?.start);
        fc.pre(takesFirst);
        const streamed = streamChunks(chunks, { role: r });
        expect(streamed.finished).toBe(true);
        expect(streamed.action).toEqual(action);
      }),
    );
  });

  it("3. while unfinished, agrees with batch on the whole text", () => {
    fc.assert(
      fc.property(textWithChunkings, role, ([raw, chunks], r) => {
        const streamed = streamChunks(chunks, { role: r });
        fc.pre(!streamed.finished);
        expect(streamed.action).toEqual(parseAction(raw, { role: r }));
      }),
    );
  });

  it("4. neither parser throws on any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), role, (raw, r) => {
        expect(() => parseAction(raw, { role: r })).not.toThrow();
        expect(() => streamChunks([raw], { role: r })).not.toThrow();
      }),
    );
  });
});

/**
 * A plain model of the stream: the text fed so far, judged from scratch by the
 * grammars. Finished once some balanced block decodes to a JSON object; the action is
 * then batch parsing's of the text up to that block's end, otherwise of all the text.
 */
interface Model {
  text: string;
}

function modelView(model: Model, r: ChaosOpsAction["role"]): { finished: boolean; action: ChaosOpsAction } {
  const stripped = pyStrip(model.text);
  for (const span of specCandidates(model.text)) {
    if (span.kind !== CandidateKind.BALANCED) continue;
    const block = stripped.slice(span.start, span.end);
    const decoded = specDecodeJson(block);
    if (decoded.ok && typeof decoded.value === "object" && decoded.value !== null && !Array.isArray(decoded.value)) {
      return { finished: true, action: parseAction(stripped.slice(0, span.end), { role: r }) };
    }
  }
  return { finished: false, action: parseAction(model.text, { role: r }) };
}

class Feed implements fc.Command<Model, StreamingActionParser> {
  constructor(readonly chunk: string) {}
  check(): boolean {
    return true;
  }
  run(model: Model, parser: StreamingActionParser): void {
    const done = parser.feed(this.chunk);
    model.text += this.chunk;
    const expected = modelView(model, parser.role);
    expect(done).toBe(parser.finished);
    expect(parser.finished).toBe(expected.finished);
    expect(parser.action()).toEqual(expected.action);
  }
  toString(): string {
    return `feed(${JSON.stringify(this.chunk)})`;
  }
}

describe("StreamingActionParser against a model", () => {
  it("7. agrees with the grammar-built model after every feed", () => {
    const chunk = fc.oneof(completion, fc.constantFrom("{", "}", '"', "\\", "```", '{"action_type":"restart"}', "x"));
    fc.assert(
      fc.property(role, fc.commands([chunk.map((c) => new Feed(c))], { maxCommands: 12 }), (r, commands) => {
        fc.modelRun(() => ({ model: { text: "" }, real: new StreamingActionParser({ role: r }) }), commands);
      }),
    );
  });
});
