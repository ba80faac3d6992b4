// npm run fuzz: the property tests run long, then the complexity fuzzer.
//
// Property tests: FUZZ_RUNS runs each (default 100,000). A failure prints fast-check's
// seed and path; replay it with
//   FUZZ_SEED=<seed> FUZZ_PATH=<path> npm run fuzz
// Complexity fuzzer (scripts/complexity.mjs): every entry point on inputs built from
// random building blocks at 64 KiB and 512 KiB, plus the stream parser's and the CLI's
// memory; 60 s of families when FUZZ_RUNS <= 2000 (CI), 30 minutes otherwise
// (COMPLEXITY_SECONDS overrides). A failure prints COMPLEXITY_SEED to replay it.
// FUZZ_COMPLEXITY=0 or FUZZ_PROPERTIES=0 skips one of the two.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, FUZZ_RUNS: process.env.FUZZ_RUNS ?? "100000" };
let status = 0;
if (env.FUZZ_PROPERTIES !== "0") {
  console.log(`fuzz: ${env.FUZZ_RUNS} runs per property${env.FUZZ_SEED ? `, replaying seed ${env.FUZZ_SEED} path ${env.FUZZ_PATH ?? "(none)"}` : ""}`);
  const result = spawnSync(join(root, "node_modules", ".bin", "vitest"), ["run", "--testTimeout=0", "property", ...process.argv.slice(2)], { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) {
    console.error("\nfuzz: a property failed. Replay it with FUZZ_SEED=<seed> FUZZ_PATH=<path> npm run fuzz (both are printed above).");
    status = result.status ?? 1;
  }
}
if (env.FUZZ_COMPLEXITY !== "0") {
  console.log("fuzz: complexity (time growth, throws, memory) on every entry point");
  const result = spawnSync(process.execPath, [join(root, "scripts", "complexity.mjs")], { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) status ||= result.status ?? 1;
}
process.exit(status);
