// The worked example in docs/formats.md quotes the repository: keep the two in step.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");
const squash = (text: string) => text.replace(/\s+/g, " ").trim();

const QUOTED_FROM: Record<string, string[]> = {
  peggy: ["grammar/formats.peggy"],
  ts: ["src/formats/formats.ts", "test/formats/formats.test.ts"],
};

describe("docs/formats.md", () => {
  const blocks = [...read("docs/formats.md").matchAll(/```(peggy|ts)\n([\s\S]*?)```/g)];

  it("quotes code blocks", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.map((m, i) => [i, m[1] ?? "", m[2] ?? ""] as const))("block %i (%s) is in the repository, or is a usage example", (_i, lang, code) => {
    const sources = (QUOTED_FROM[lang] ?? []).map((path) => squash(read(path)));
    const isQuote = sources.some((source) => source.includes(squash(code)));
    const isUsage = /parseActionDetailed\(completion/.test(code);
    expect(isQuote || isUsage, code).toBe(true);
  });
});
