/**
 * A fresh project that installs the packed tarball, as a user's would: `npm pack`, the
 * tarball unpacked into node_modules/chaosops-adapter, and its dependencies (plus
 * TypeScript, @types/node and the provider SDKs for the examples) linked from this
 * repository's node_modules, so that it works offline.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

const LINKED = ["typescript", "@types/node", "undici-types", "openai", "@anthropic-ai/sdk", "ai", "@ai-sdk/openai-compatible"];

/** Packs the repository (already built) into `dir` and returns the tarball's path. */
export function pack(dir: string): string {
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: repoRoot, encoding: "utf8" });
  const [info] = JSON.parse(out) as { filename: string }[];
  if (!info) throw new Error("npm pack wrote nothing");
  return join(dir, info.filename);
}

function link(project: string, name: string): void {
  const target = join(project, "node_modules", name);
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(join(repoRoot, "node_modules", name), target, "dir");
}

export interface Consumer {
  readonly dir: string;
  readonly tarball: string;
  write(file: string, text: string): void;
  /** Runs `node` with `args` in the project; stdout. */
  node(...args: string[]): string;
  /** Runs the TypeScript compiler in the project; its output (it throws on errors). */
  tsc(...args: string[]): string;
}

/** A new project of the given package type with the tarball installed. */
export function createConsumer(type: "module" | "commonjs", tarball?: string): Consumer {
  const dir = mkdtempSync(join(tmpdir(), `chaosops-consumer-${type}-`));
  const tgz = tarball ?? pack(dir);
  const installed = join(dir, "node_modules", "chaosops-adapter");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", tgz, "-C", installed, "--strip-components=1"]);
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  for (const name of [...Object.keys(manifest.dependencies ?? {}), ...LINKED]) link(dir, name);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type }));
  const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return {
    dir,
    tarball: tgz,
    write: (file, text) => {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    },
    node: (...args) => run(args),
    tsc: (...args) => {
      try {
        return run([join(dir, "node_modules", "typescript", "bin", "tsc"), ...args]);
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new Error(`tsc ${args.join(" ")} failed:\n${stdout ?? ""}${stderr ?? ""}`);
      }
    },
  };
}
