// The worked example in docs/formats.md quotes the repository, and its steps are the
// steps every registered family took: keep the two in step.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FAMILIES } from "../src/formats/families/registry.js";

const root = new URL("..", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");
const squash = (text: string) => text.replace(/\s+/g, " ").trim();

const QUOTED_FROM: Record<string, string[]> = {
  peggy: ["grammar/formats.peggy", "grammar/kimi-k2.peggy"],
  ts: [
    "src/formats/formats.ts",
    "src/formats/families/kimi-k2.ts",
    "src/formats/families/registry.ts",
    "test/formats/formats.test.ts",
    "test/formats/family-grammars.property.test.ts",
  ],
};

/** `kimi_k2` → `kimi-k2`: a family's grammar and module are named after it. */
const fileName = (family: string) => family.replace(/_/g, "-");

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

  const samples = read("test/fixtures/native-syntaxes/sample.jsonl");
  const build = read("scripts/build.mjs");
  it.each(FAMILIES.map((family) => family.family))("family %s took the documented steps: grammar, module, build entry, fixture cases", (family) => {
    const name = fileName(family);
    if (family !== "llamacpp_generic") {
      expect(existsSync(new URL(`grammar/${name}.peggy`, root)), `grammar/${name}.peggy`).toBe(true);
      expect(build).toContain(`"${name}"`);
    }
    expect(existsSync(new URL(`src/formats/families/${name}.ts`, root)), `src/formats/families/${name}.ts`).toBe(true);
    expect(samples).toContain(`"family": "${family}"`);
  });
});
