/** The built `chaosops` command, run as a user runs it: in a subprocess. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { decodePythonJson } from "../../src/python/json-dialect.js";

export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export function runCli(args: string[], input?: string | Buffer, cwd?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { input, encoding: "utf8", maxBuffer: 1 << 28, ...(cwd ? { cwd } : {}) });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The output lines, decoded. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const decoded = decodePythonJson(line);
      if (!decoded.ok) throw new Error(`not JSON: ${line}`);
      return decoded.value as Record<string, unknown>;
    });
}

/** A message printed with a stack trace has "    at " lines. */
export function hasStackTrace(stderr: string): boolean {
  return /\n\s+at /.test(stderr);
}
