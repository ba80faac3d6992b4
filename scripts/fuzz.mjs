// Runs the property tests long: FUZZ_RUNS runs each (default 100,000). A failure
// prints fast-check's seed and path; replay it with
//   FUZZ_SEED=<seed> FUZZ_PATH=<path> npm run fuzz
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, FUZZ_RUNS: process.env.FUZZ_RUNS ?? "100000" };
console.log(`fuzz: ${env.FUZZ_RUNS} runs per property${env.FUZZ_SEED ? `, replaying seed ${env.FUZZ_SEED} path ${env.FUZZ_PATH ?? "(none)"}` : ""}`);
const result = spawnSync(join(root, "node_modules", ".bin", "vitest"), ["run", "--testTimeout=0", "property", ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: "inherit",
});
if (result.status !== 0) {
  console.error("\nfuzz: a property failed. Replay it with FUZZ_SEED=<seed> FUZZ_PATH=<path> npm run fuzz (both are printed above).");
}
process.exit(result.status ?? 1);
