// The packed tarball in a fresh project: import and require, TypeScript under every module
// resolution a user may have, and @arethetypeswrong/cli's verdict on the tarball.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { beforeAll, describe, expect, it } from "vitest";
import { createConsumer, pack, repoRoot, type Consumer } from "./support/consumer.js";

const ROLE = /^You are the SRE/;

const USE = `
import { parseAction, loadRolePrompt, buildPrompt, AgentRole, type ChaosOpsAction, type ChaosOpsObservation } from "chaosops-adapter";
import { loadRolePrompt as loadFrom } from "chaosops-adapter/node";
import { ChaosOpsEnv } from "chaosops-adapter/env";

const action: ChaosOpsAction = parseAction('ok {"action_type": "scale", "target": "db", "args": {"replicas": 3}}', { role: AgentRole.SRE });
const observation: ChaosOpsObservation = {
  step: 1,
  turn_role: "sre",
  view: { role: "sre", visible_metrics: {}, visible_logs: [], visible_alerts: [], visible_fleet_actions: [], shared_chat: [] },
};
const replicas: number | undefined = action.action_type === "scale" ? action.args.replicas : undefined;
const env: typeof ChaosOpsEnv = ChaosOpsEnv;
console.log(JSON.stringify([typeof env, action.action_type, replicas, loadRolePrompt("sre").slice(0, 16), loadFrom("sre", { promptDir: "." }), buildPrompt(observation).length > 100]));
`;
const EXPECTED = JSON.stringify(["function", "scale", 3, "You are the SRE ", "", true]);

// [package type, module, moduleResolution]
const TS_SETUPS = [
  ["commonjs", "node16", "node16"],
  ["module", "node16", "node16"],
  ["commonjs", "nodenext", "nodenext"],
  ["module", "nodenext", "nodenext"],
  ["module", "esnext", "bundler"],
] as const;

let tarball: string;
const consumers: Partial<Record<"module" | "commonjs", Consumer>> = {};
const consumer = (type: "module" | "commonjs"): Consumer => (consumers[type] ??= createConsumer(type, tarball));

beforeAll(() => {
  tarball = pack(mkdtempSync(join(tmpdir(), "chaosops-pack-")));
}, 120_000);

const LISTING = `JSON.stringify({ core: Object.keys(core).sort(), node: Object.keys(node).sort(), env: Object.keys(env).sort(), same: node.parseAction === core.parseAction, prompt: core.loadRolePrompt("sre") })`;
const LIST_ESM = `import * as core from "chaosops-adapter"; import * as node from "chaosops-adapter/node"; import * as env from "chaosops-adapter/env";
console.log(${LISTING});`;
const LIST_CJS = `const core = require("chaosops-adapter"); const node = require("chaosops-adapter/node"); const env = require("chaosops-adapter/env");
console.log(${LISTING});`;

interface Listing {
  core: string[];
  node: string[];
  env: string[];
  same: boolean;
  prompt: string;
}

describe("the packed tarball in a fresh project", () => {
  it("ships the licence, the changelog, the sample observation and both builds, no TypeScript sources, and source maps that carry theirs", () => {
    const installed = join(consumer("module").dir, "node_modules", "chaosops-adapter");
    for (const file of ["LICENSE", "CHANGELOG.md", "README.md", "examples/observation.json", "dist/index.js", "dist/cjs/index.js", "dist/node.d.ts", "dist/cjs/node.d.ts"]) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }
    expect(existsSync(join(installed, "src"))).toBe(false);
    const maps = readdirSync(join(installed, "dist"), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(0);
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(readFileSync(join(installed, "dist", map), "utf8")) as { sources: string[]; sourcesContent?: (string | null)[] };
      expect(sourcesContent?.filter((content) => typeof content === "string").length, `${map} carries its sources`).toBe(sources.length);
    }
  });

  it("imports as ESM and requires as CommonJS: the same names, the node entry a superset sharing the core's code", () => {
    const imported = JSON.parse(consumer("module").node("--input-type=module", "-e", LIST_ESM)) as Listing;
    const required = JSON.parse(consumer("commonjs").node("-e", LIST_CJS)) as Listing;
    expect(required).toEqual(imported);
    expect(imported.core).toContain("parseAction");
    expect(imported.env).toContain("ChaosOpsEnv");
    expect(imported.core).not.toContain("DEFAULT_PROMPT_DIR");
    expect(imported.node).toEqual(expect.arrayContaining(imported.core));
    expect(imported.same).toBe(true);
    expect(imported.prompt).toMatch(ROLE);
  });

  it.each(TS_SETUPS.map((setup) => [setup.join(" / "), ...setup] as const))("compiles under strict TypeScript and runs: %s", (name, type, module, moduleResolution) => {
    const project = consumer(type);
    const dir = name.replaceAll(/[^a-z0-9]+/g, "-");
    project.write(`${dir}/index.ts`, USE);
    project.write(
      `${dir}/tsconfig.json`,
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          module,
          moduleResolution,
          target: "ES2022",
          // a bundler project is taken to be a browser's; the others Node's
          ...(moduleResolution === "bundler" ? { lib: ["ES2022", "DOM"], types: [] } : { lib: ["ES2022"], types: ["node"] }),
          outDir: "out",
          rootDir: ".",
          skipLibCheck: false,
        },
        include: ["index.ts"],
      }),
    );
    project.tsc("-p", `${dir}/tsconfig.json`);
    expect(project.node(`${dir}/out/index.js`).trim()).toBe(EXPECTED);
  }, 180_000);

  it("runs the installed CLI: render the shipped sample observation, parse Parquet without hyparquet installed", () => {
    const project = consumer("commonjs");
    const cli = join("node_modules", "chaosops-adapter", "dist", "cli.js");
    expect(existsSync(join(project.dir, "node_modules", "hyparquet"))).toBe(false);
    const prompt = project.node(cli, "render", join("node_modules", "chaosops-adapter", "examples", "observation.json"));
    expect(prompt).toMatch(/^You are the SRE[\s\S]*\n\nSTEP 3\nROLE SRE\n/);
    const parquet = join(project.dir, "rollouts.parquet");
    const completions = ['{"action_type": "restart", "target": "db"}', 'Scaling. {"action_type": "scale", "target": "payments", "args": {"replicas": 4}}'];
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: "role", data: ["sre", "sre"], type: "STRING" },
        { name: "completion", data: completions, type: "STRING" },
      ],
    });
    writeFileSync(parquet, Buffer.from(buffer));
    const lines = project.node(cli, "parse", parquet, "--quiet").trim().split("\n").map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([
      { role: "sre", action_type: "restart", target: "db", args: {} },
      { role: "sre", action_type: "scale", target: "payments", args: { replicas: 4 } },
    ]);
  });

  it("passes @arethetypeswrong/cli (node16 from CJS and ESM, bundler)", () => {
    const excluded = existsSync(join(repoRoot, "src", "env", "index.ts")) ? [] : ["--exclude-entrypoints", "./env"];
    const attw = join(repoRoot, "node_modules", "@arethetypeswrong", "cli", "dist", "index.js");
    const out = execFileSync(process.execPath, [attw, tarball, "--profile", "node16", "--format", "json", ...excluded], { encoding: "utf8" });
    const report = JSON.parse(out) as { analysis: { problems: { resolutionKind?: string }[] } };
    // node10 (TypeScript's pre-`exports` resolution) cannot see subpath entries at all
    expect(report.analysis.problems.filter((problem) => problem.resolutionKind !== "node10")).toEqual([]);
  }, 120_000);
});
