// Every TypeScript example in README.md and docs/ (a docs block that quotes the repository
// is checked by docs.test.ts instead) is compiled with `tsc --strict` against the packed
// package in a fresh project, and run. Examples may use three names the project provides:
// `observation` (examples/observation.json, as shipped), `completion` (a model's reply) and
// `role`. Examples that call a provider's API (they import an SDK client) run against a
// loopback server that answers as the API does, through the SDKs' base-URL variables.
// Examples that connect to a ChaosOps environment server are compiled only: they need a
// server at a fixed address; test/env and test/play run the same calls on loopback.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeProvider, sse, type Reply } from "./support/fake-provider.js";
import { createConsumer, repoRoot, type Consumer } from "./support/consumer.js";

interface Example {
  name: string;
  code: string;
  /** It calls a provider's API through an SDK client. */
  callsApi: boolean;
  /** It needs a ChaosOps environment server: compiled, not run. */
  needsServer: boolean;
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
      callsApi: /from "(openai|@anthropic-ai\/sdk|ai)"/.test(code),
      needsServer: /ChaosOpsEnv\.connect\(/.test(code),
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

const ACTION = '{"action_type": "restart", "target": "db"}';

const openaiChunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  sse.openai({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-test", choices: [{ index: 0, delta, finish_reason: finish }] });
const anthropicMessage = (content: unknown[]) => ({
  id: "msg_1",
  type: "message",
  role: "assistant",
  model: "claude-test",
  content,
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 10 },
});

/** What the API answers to the call an example makes: the action, as text or as a tool call. */
function replyFor(code: string): Reply {
  if (code.includes("@anthropic-ai/sdk")) {
    if (!/messages\.stream\(|stream: true/.test(code)) {
      return { kind: "json", body: anthropicMessage([{ type: "tool_use", id: "toolu_1", name: "chaosops_action", input: JSON.parse(ACTION) as unknown }]) };
    }
    const events = [
      { type: "message_start", message: anthropicMessage([]) },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: ACTION } },
      { type: "content_block_stop", index: 0 },
      { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 30 } },
      { type: "message_stop" },
    ];
    return { kind: "sse", events: events.map(sse.anthropic) };
  }
  if (code.includes("stream: true")) {
    return { kind: "sse", events: [openaiChunk({ role: "assistant", content: ACTION }), openaiChunk({}, "stop"), sse.openaiDone] };
  }
  const message = code.includes("generateActionWithRetry") || code.includes('from "ai"')
    ? { role: "assistant", content: ACTION }
    : { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "chaosops_action", arguments: ACTION } }] };
  return { kind: "json", body: { id: "chatcmpl-1", object: "chat.completion", created: 1, model: "gpt-test", choices: [{ index: 0, message, finish_reason: "stop" }] } };
}

/** The example, and the action it made printed, when it makes one. */
const printingAction = (code: string) => (/^const action = /m.test(code) ? `${code}\nconsole.log(JSON.stringify(action));\n` : code);

const file = (index: number) => `examples/example-${String(index).padStart(2, "0")}`;

let project: Consumer;

beforeAll(() => {
  project = createConsumer("module");
  const exported = JSON.parse(project.node("--input-type=module", "-e", 'import * as m from "chaosops-adapter"; console.log(JSON.stringify(Object.keys(m)))')) as string[];
  project.write("examples/globals.d.ts", GLOBALS);
  project.write("examples/setup.ts", SETUP);
  examples.forEach((example, index) => project.write(`${file(index)}.ts`, `import "./setup.js";\n${printingAction(withImports(example.code, exported))}`));
  project.write(
    "tsconfig.json",
    JSON.stringify({
      compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "ES2022", lib: ["ES2022"], types: ["node"], outDir: "out", rootDir: ".", skipLibCheck: true },
      include: ["examples"],
    }),
  );
  project.tsc("-p", "tsconfig.json");
}, 300_000);

const provider = new FakeProvider();
let base = "";
beforeAll(async () => {
  base = await provider.start();
});
afterAll(() => provider.stop());

describe("README and docs examples", () => {
  it("finds the examples", () => {
    expect(examples.filter((example) => example.name.startsWith("README.md")).length).toBeGreaterThanOrEqual(10);
  });

  it.each(examples.map((example, index) => [example.name, example, index] as const))("%s compiles under strict and runs", async (_name, example, index) => {
    expect(existsSync(join(project.dir, `out/${file(index)}.js`))).toBe(true);
    if (example.needsServer) return;
    if (!example.callsApi) {
      expect(() => project.node(`out/${file(index)}.js`)).not.toThrow();
      return;
    }
    provider.reply(replyFor(example.code));
    const before = provider.seen.length;
    const env = { ...process.env, OPENAI_BASE_URL: `${base}/v1`, OPENAI_API_KEY: "test", ANTHROPIC_BASE_URL: base, ANTHROPIC_API_KEY: "test" };
    const { stdout } = await promisify(execFile)(process.execPath, [`out/${file(index)}.js`], { cwd: project.dir, env, encoding: "utf8" });
    expect(provider.seen.length).toBe(before + 1);
    expect(JSON.parse(stdout.trim().split("\n").at(-1) ?? "null")).toMatchObject({ action_type: "restart", target: "db" });
  });
});

describe("README console examples", () => {
  it("shows what `chaosops render examples/observation.json` prints", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    const shown = /\$ chaosops render examples\/observation\.json \| tail -n (\d+)\n([\s\S]*?)\n\n/.exec(readme);
    expect(shown).not.toBeNull();
    const [, lines = "", output = ""] = shown ?? [];
    const printed = execFileSync(process.execPath, ["dist/cli.js", "render", "examples/observation.json"], { cwd: repoRoot, encoding: "utf8" });
    expect(printed.trimEnd().split("\n").slice(-Number(lines)).join("\n")).toBe(output);
  });
});

describe("links in the user and contributor documents", () => {
  it.each(["README.md", "CONTRIBUTING.md"])("%s links only to files in the repository", (document) => {
    const text = readFileSync(join(repoRoot, document), "utf8");
    const local = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1] ?? "").filter((target) => !/^[a-z]+:/.test(target));
    expect(local.length).toBeGreaterThan(0);
    expect(local.filter((target) => !existsSync(join(repoRoot, target)))).toEqual([]);
  });
});
