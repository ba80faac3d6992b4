// The bench's "native" and "lenientClean" jobs alone (bench/worker.mjs, as npm run bench runs
// them), for a quick look at issue 12's lenient targets without the whole benchmark.
//   npm run build && node scripts/bench-native-row.mjs [--rounds N] [--ms M] [--warm MS]
import { Worker } from "node:worker_threads";

const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const minMs = flag("--ms", 200);
const rounds = flag("--rounds", 7);
const warmMs = flag("--warm", 1500);

function runJob(job) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("../bench/worker.mjs", import.meta.url), { workerData: job, resourceLimits: { stackSizeMb: 4 } });
    worker.once("message", (result) => {
      void worker.terminate();
      resolve(result);
    });
    worker.once("error", reject);
  });
}

const native = await runJob({ kind: "native", peer: "chaosops-adapter (lenient)", minMs, rounds, warmMs });
console.log(`native (lenient): ${native.exact}/${native.count} exact, ${native.ratio.toFixed(2)}x JSON.parse of the answers (${(native.ms * 1000 / native.count).toFixed(2)} us/case)`);
const clean = await runJob({ kind: "lenientClean", minMs, rounds, warmMs, count: 540 });
console.log(`lenient on clean actions: ${clean.ratio.toFixed(2)}x default`);
console.log(`node ${process.version}`);
