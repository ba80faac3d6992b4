// The public sample of native syntaxes (22 families, both tool declarations): every
// completion gives the meant action with formats "lenient", through parseAction and
// parseActionDetailed, which agree and name the family.
import { loadNativeCorpus, type NativeCase } from "../support/native-corpus.js";
import { describe, expect, it } from "vitest";
import { parseAction } from "../../src/parsing/parse-action.js";
import { parseActionDetailed } from "../../src/parsing/parse-detailed.js";
import { StreamingActionParser } from "../../src/parsing/streaming.js";


const SAMPLES = loadNativeCorpus("sample");

const cases = SAMPLES.map((sample) => [`${sample.id} (${sample.syntax})`, sample] as const);

describe("native syntaxes: the public sample", () => {
  it("covers the 22 families", () => {
    expect(new Set(SAMPLES.map((sample) => sample.family)).size).toBe(22);
  });

  it.each(cases)("%s through parseAction", (_name, sample) => {
    expect(parseAction(sample.raw, { role: sample.role, fallback: sample.fallback, formats: "lenient" })).toEqual(sample.expect);
  });

  it.each(cases)("%s through parseActionDetailed, which names what it read", (_name, sample) => {
    const detail = parseActionDetailed(sample.raw, { role: sample.role, fallback: sample.fallback, formats: "lenient" });
    expect(detail.action).toEqual(sample.expect);
    if (detail.candidate) expect(sample.raw.slice(detail.candidate.start, detail.candidate.end)).toBe(detail.candidate.text);
    for (const span of detail.reasoning ?? []) expect(span.end).toBeGreaterThan(span.start);
    if (sample.tags.some((tag) => tag.startsWith("draft_"))) expect(detail.reasoning?.length ?? 0).toBeGreaterThan(0);
  });
});

/** `text` in pieces of `size` code units (so boundaries fall inside special tokens and surrogate pairs). */
function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Streams the chunks; returns the action and whether (and when) the parser finished. */
function stream(chunks: readonly string[], sample: NativeCase) {
  const parser = new StreamingActionParser({ role: sample.role, fallback: sample.fallback, formats: "lenient" });
  let fed = 0;
  for (const chunk of chunks) {
    fed += chunk.length;
    if (parser.feed(chunk)) break;
  }
  return { action: parser.action(), finished: parser.finished, fed };
}

describe("native syntaxes: the public sample through the stream parser", () => {
  it.each(cases)("%s, whole and in chunks of 1, 2, 3, 5 and 16", (_name, sample) => {
    const whole = stream([sample.raw], sample);
    expect(whole.action).toEqual(sample.expect);
    for (const size of [1, 2, 3, 5, 16]) {
      const chunked = stream(pieces(sample.raw, size), sample);
      expect(chunked.action, `chunks of ${size}`).toEqual(sample.expect);
      expect(chunked.finished, `chunks of ${size}`).toBe(whole.finished);
    }
  });

  it("finishes on a call after closed reasoning as soon as the call is complete", () => {
    const sample = SAMPLES.find((s) => s.id === "pub-seed_oss-009");
    if (!sample) throw new Error("sample missing");
    const end = sample.raw.lastIndexOf("</function>") + "</function>".length;
    const { finished, fed } = stream(pieces(sample.raw, 1), sample);
    expect(finished).toBe(true);
    expect(fed).toBe(end);
  });
});
