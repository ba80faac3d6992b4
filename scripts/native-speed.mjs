// Lenient parsing of the native-syntax cases (bench/corpus.mjs nativeCases) against
// JSON.parse of their answers, and lenient against default on clean actions; with a
// second dist directory, both builds side by side in this one process (interleaved
// rounds, medians of CPU time), and their actions compared case by case.
//   node scripts/native-speed.mjs [dist-dir [other-dist-dir]] [--rounds N] [--ms M] [--warm MS]
import { isDeepStrictEqual } from "node:util";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { cleanActions, nativeCases } from "../bench/corpus.mjs";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const dirs = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--")));
if (dirs.length === 0) dirs.push("dist");
const rounds = flag("--rounds", 9);
const minMs = flag("--ms", 300);

const libs = [];
for (const dir of dirs) libs.push({ dir, lib: await import(pathToFileURL(resolve(dir, "index.js")).href) });

const cases = nativeCases();
const answers = cases.map((c) => JSON.stringify(c.expect));
const clean = cleanActions(180);

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
function timeOf(fn) {
  let spent = 0;
  const times = [];
  while (times.length < 3 || spent < minMs) {
    const start = cpuMs();
    fn();
    const took = cpuMs() - start;
    times.push(took);
    spent += took;
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}
const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1];

const runs = [];
for (const { dir, lib } of libs) {
  const lenientOf = (c) => ({ role: c.role, fallback: c.fallback, formats: "lenient" });
  const options = cases.map(lenientOf);
  runs.push({
    name: `${dir} lenient native`,
    fn: () => {
      for (let i = 0; i < cases.length; i++) lib.parseAction(cases[i].raw, options[i]);
    },
  });
  runs.push({ name: `${dir} lenient clean`, fn: () => { for (const t of clean) lib.parseAction(t, { role: "sre", formats: "lenient" }); } });
  runs.push({ name: `${dir} default clean`, fn: () => { for (const t of clean) lib.parseAction(t, { role: "sre" }); } });
  let ok = 0;
  for (const c of cases) if (isDeepStrictEqual(lib.parseAction(c.raw, lenientOf(c)), c.expect)) ok++;
  console.log(`${dir}: ${ok}/${cases.length} native cases exact`);
}
if (libs.length === 2) {
  let differ = 0;
  for (const c of cases) {
    const o = { role: c.role, fallback: c.fallback, formats: "lenient" };
    const a = libs[0].lib.parseAction(c.raw, o);
    const b = libs[1].lib.parseAction(c.raw, o);
    if (!isDeepStrictEqual(a, b)) {
      differ++;
      if (differ < 4) console.log("DIFFER", c.id, JSON.stringify(a), JSON.stringify(b));
    }
    const da = libs[0].lib.parseActionDetailed(c.raw, o);
    const db = libs[1].lib.parseActionDetailed(c.raw, o);
    if (!isDeepStrictEqual(da, db)) {
      differ++;
      if (differ < 4) console.log("DETAIL DIFFER", c.id);
    }
  }
  console.log(`builds differ on ${differ} cases`);
}
runs.push({ name: "JSON.parse answers", fn: () => { for (const t of answers) JSON.parse(t); } });
// Warm-up as npm run bench does it (1.5 s of CPU time each): V8 settles on its compiled code over the first second or so.
const warmMs = flag("--warm", 1500);
for (const r of runs) {
  const start = cpuMs();
  do r.fn();
  while (cpuMs() - start < warmMs);
}
const times = runs.map(() => []);
for (let k = 0; k < rounds; k++) runs.forEach((r, i) => times[i].push(timeOf(r.fn)));
const base = median(times.at(-1));
for (let i = 0; i < runs.length; i++) {
  const ratios = times[i].map((t, k) => t / times.at(-1)[k]);
  console.log(`${runs[i].name.padEnd(40)} ${(median(times[i]) * 1000 / (runs[i].name.includes("clean") ? clean.length : cases.length)).toFixed(2).padStart(8)} us/case  x${median(ratios).toFixed(1)} JSON.parse(answers)`);
}
for (let j = 0; j < libs.length; j++) {
  const ratios = times[3 * j + 1].map((t, k) => t / times[3 * j + 2][k]);
  console.log(`${libs[j].dir}: lenient/default on clean = ${median(ratios).toFixed(2)}`);
}
console.log(`${cases.length} native cases, ${clean.length} clean; node ${process.version}; base ${base.toFixed(3)} ms/round`);
