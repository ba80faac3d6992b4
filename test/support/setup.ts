// Property tests take their run count from FUZZ_RUNS (short in CI, long in `npm run fuzz`)
// and replay a failure from FUZZ_SEED and FUZZ_PATH.
import fc from "fast-check";

const numRuns = Number(process.env.FUZZ_RUNS ?? 200);
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const path = process.env.FUZZ_PATH;

fc.configureGlobal({
  numRuns,
  ...(seed === undefined ? {} : { seed }),
  ...(path === undefined ? {} : { path, endOnFailure: true }),
});
