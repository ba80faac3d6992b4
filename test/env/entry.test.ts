// The env entry stays apart: the core entry (src/index.ts) must not reach src/env,
// src/play or the `ws` package through any import, so it runs where they cannot.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../../src/", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));
const IMPORT = /(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

/** Every module reachable from `entry` by static or dynamic import: local files and package names. */
function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const spec = (match[1] ?? match[2]) as string;
      if (!spec.startsWith(".")) packages.add(spec);
      else if (!spec.includes("/generated/")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
    }
  };
  visit(join(src, entry));
  return { files, packages };
}

describe("entries", () => {
  it("the core entry reaches neither src/env, src/play nor ws", () => {
    const { files, packages } = reachable("index.ts");
    expect([...files].filter((f) => f.includes("/src/env/") || f.includes("/src/play/"))).toEqual([]);
    expect(packages.has("ws")).toBe(false);
    expect(files.size).toBeGreaterThan(10);
  });

  it("the env entry reaches ws only through a dynamic import, and the runner and policies", () => {
    const { files } = reachable("env/index.ts");
    expect([...files].some((f) => f.endsWith("play/run-episode.ts"))).toBe(true);
    const socket = readFileSync(join(src, "env/socket.ts"), "utf8");
    expect(socket).toContain('await import("ws")');
    expect(socket).not.toMatch(/^import .* from "ws"/m);
  });
});

describe("the built env entry, by name", () => {
  const names = ["ChaosOpsEnv", "runEpisode", "openaiPolicy", "anthropicPolicy", "functionPolicy", "EnvServerError", "EnvConnectionError", "fetchHealth", "fetchSchema", "sftPair", "formatReward"];
  const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" });

  it("imports as ESM and requires as CommonJS with the same names", () => {
    const esm = JSON.parse(run(["--input-type=module", "-e", 'import * as m from "chaosops-adapter/env"; console.log(JSON.stringify(Object.keys(m)))'])) as string[];
    const cjs = JSON.parse(run(["-e", 'console.log(JSON.stringify(Object.keys(require("chaosops-adapter/env"))))'])) as string[];
    for (const name of names) expect(esm).toContain(name);
    expect(new Set(cjs)).toEqual(new Set(esm));
  });
});
