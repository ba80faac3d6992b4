// Every TypeScript example in README.md and docs/ (a docs block that quotes the repository
// is checked by docs.test.ts instead) is compiled with `tsc --strict` against the packed
// package in a fresh project, and run. Examples may use three names the project provides:
// `observation` (examples/observation.json, as shipped), `completion` (a model's reply) and
// `role`. Examples that call a paid provider API (they import an SDK client) are compiled
// only; the same calls run against a loopback server in test/providers.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createConsumer, repoRoot, type Consumer } from "./support/consumer.js";

interface Example {
  name: string;
  code: string;
  compileOnly: boolean;
}

const squash = (text: string) => text.replace(/\s+/g, " ").trim();

function sourceFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|peggy)$/.test(entry.name))
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), "utf8"));
}

const quotable = [...sourceFiles("src"), ...sourceFiles("test"), ...sourceFiles("grammar")].map(squash);

function examplesIn(file: string): Example[] {
  const text = readFileSync(join(repoRoot, file), "utf8");
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((match) => ({ code: match[1] ?? "", line: text.slice(0, match.index).split("\n").length + 1 }))
    .filter(({ code }) => !quotable.some((source) => source.includes(squash(code))))
    .map(({ code, line }) => ({
      name: `${file}:${line}`,
      code,
      compileOnly: /from "(openai|@anthropic-ai\/sdk)"/.test(code),
    }));
}

const docs = readdirSync(join(repoRoot, "docs")).filter((file) => file.endsWith(".md")).map((file) => `docs/${file}`);
const examples = ["README.md", ...docs].flatMap(examplesIn);

const GLOBALS = `import type { AgentRole, ChaosOpsObservation } from "chaosops-adapter";
declare global {
  var observation: ChaosOpsObservation;
  var completion: string;
  var role: AgentRole;
}
export {};
`;
const SETUP = `import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const path = createRequire(import.meta.url).resolve("chaosops-adapter/package.json").replace(/package\\.json$/, "examples/observation.json");
globalThis.observation = JSON.parse(readFileSync(path, "utf8"));
globalThis.completion = 'Checking the db first. {"action_type": "restart", "target": "db"}';
globalThis.role = "sre";
`;

/** A docs snippet without imports gets the package's names it uses. */
function withImports(code: string, exported: readonly string[]): string {
  if (/^import /m.test(code)) return code;
  const used = exported.filter((name) => new RegExp(`\\b${name}\\b`).test(code));
  return used.length ? `import { ${used.join(", ")} } from "chaosops-adapter";\n${code}` : code;
}

const file = (index: number) => `examples/example-${String(index).padStart(2, "0")}`;

let project: Consumer;

beforeAll(() => {
  project = createConsumer("module");
  const exported = JSON.parse(project.node("--input-type=module", "-e", 'import * as m from "chaosops-adapter"; console.log(JSON.stringify(Object.keys(m)))')) as string[];
  project.write("examples/globals.d.ts", GLOBALS);
  project.write("examples/setup.ts", SETUP);
  examples.forEach((example, index) => project.write(`${file(index)}.ts`, `import "./setup.js";\n${withImports(example.code, exported)}`));
  project.write(
    "tsconfig.json",
    JSON.stringify({
      compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "ES2022", lib: ["ES2022"], types: ["node"], outDir: "out", rootDir: ".", skipLibCheck: true },
      include: ["examples"],
    }),
  );
  project.tsc("-p", "tsconfig.json");
}, 300_000);

describe("README and docs examples", () => {
  it("finds the examples", () => {
    expect(examples.filter((example) => example.name.startsWith("README.md")).length).toBeGreaterThanOrEqual(10);
  });

  it.each(examples.map((example, index) => [example.name, example, index] as const))("%s compiles under strict and runs", (_name, example, index) => {
    if (example.compileOnly) return; // compiled in beforeAll: it needs a paid provider's API to run
    expect(() => project.node(`out/${file(index)}.js`)).not.toThrow();
  });
});
