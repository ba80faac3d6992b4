// Default parseAction on the reference's golden parse cases against the floor: a
// JSON.parse of each case's expected action. Interleaved rounds, median ratio.
// Run after `npm run build`:  node scripts/golden-ratio.mjs [rounds=15] [ms per timing=200] [warm-up ms=1500]
// (`--cpu-prof` on this script profiles the same loop.)
import { readFileSync } from "node:fs";
import { parseAction } from "../dist/index.js";

const rounds = Number(process.argv[2] ?? 15);
const minMs = Number(process.argv[3] ?? 200);
const lines = readFileSync(new URL("../test/fixtures/golden/parse.jsonl", import.meta.url), "utf8").trim().split("\n");
const cases = lines.map((line) => JSON.parse(line));
const expected = cases.map((c) => JSON.stringify(c.expect));
const options = cases.map((c) => ({ role: c.role, fallback: c.fallback }));

let sink = 0;
const run = () => {
  for (let i = 0; i < cases.length; i++) sink += parseAction(cases[i].raw, options[i]).action_type.length;
};
const floor = () => {
  for (let i = 0; i < expected.length; i++) sink += JSON.parse(expected[i]).action_type.length;
};

/** Milliseconds per pass over the corpus, from as many passes as fit in minMs. */
function timeOf(fn) {
  let passes = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    passes++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return elapsed / passes;
}

// Warm-up as npm run bench does it: V8 settles on its compiled code over the first second or so.
const warmUntil = performance.now() + Number(process.argv[4] ?? 1500);
while (performance.now() < warmUntil) {
  run();
  floor();
}
const ratios = [];
const parseMs = [];
const floorMs = [];
for (let r = 0; r < rounds; r++) {
  const a = timeOf(run);
  const b = timeOf(floor);
  parseMs.push(a);
  floorMs.push(b);
  ratios.push(a / b);
}
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
console.log(
  `node ${process.version}, ${cases.length} cases, ${rounds} interleaved rounds: parseAction ${median(parseMs).toFixed(3)} ms, ` +
    `JSON.parse of the expected actions ${median(floorMs).toFixed(3)} ms, median ratio ${median(ratios).toFixed(2)}x (min ${Math.min(...ratios).toFixed(2)}x)`,
);
if (sink === 0) console.log("");
