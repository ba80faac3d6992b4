// node scripts/bench-lenient-path.mjs [--before DIR] [--rounds N]   (after `npm run build`)
//
// What `formats: "lenient"` costs through parseAction, side by side in one process
// (rounds interleaved, medians), against the floor, JSON.parse:
//   - clean JSON actions (golden "clean" cases): lenient vs default;
//   - `{a:} ` flood and a flat object with many keys at 1 MiB, vs JSON.parse of a valid
//     1 MiB document, and the growth to 8 MiB;
//   - realistic native-syntax completions (test/fixtures/native-syntaxes/sample.jsonl),
//     per completion, vs JSON.parse of the expected answer.
// With `--before DIR` (a copy of an earlier build: DIR/dist/index.js) both builds are
// timed in the same rounds, and each answer is checked equal between them.
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
const rounds = Number(arg("--rounds") ?? 7);
const beforeDir = arg("--before");
const after = await import("../dist/index.js");
const before = beforeDir ? await import(pathToFileURL(resolve(beforeDir, "dist/index.js")).href) : undefined;
const builds = before ? [["before", before], ["after", after]] : [["now", after]];

const MiB = 1 << 20;
const LENIENT = { role: "sre", formats: "lenient" };
const fmt = (us) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(2)} µs`);
const x = (a, b) => `${(a / b).toFixed(2)}x`;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function check(condition, what) {
  if (!condition) throw new Error(`bench-lenient-path: wrong answer: ${what}`);
}

/** µs per call of one batch lasting at least minMs. */
function sample(fn, minMs) {
  let calls = 0;
  const start = performance.now();
  let elapsed;
  do {
    fn();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return (elapsed * 1000) / calls;
}

/** Median µs per call of each named function, sampled in turn round after round. */
function compare(named, minMs) {
  const samples = named.map(() => []);
  for (let r = 0; r < rounds; r++) named.forEach(([, fn], i) => samples[i].push(sample(fn, minMs)));
  return Object.fromEntries(named.map(([name], i) => [name, median(samples[i])]));
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

console.log(`# lenient path: ${cpus()[0]?.model ?? "?"} x${cpus().length}, Node ${process.version}, ${rounds} rounds${before ? `, before = ${beforeDir}` : ""}\n`);

// Clean JSON actions ------------------------------------------------------------------
const clean = readFileSync(new URL("../test/fixtures/golden/parse.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line))
  .filter((c) => c.family === "clean")
  .map((c) => c.raw);
const each = (texts, fn) => () => {
  for (const t of texts) fn(t);
};
for (const t of clean) {
  const expected = after.parseAction(t, { role: "sre" });
  for (const [, lib] of builds) check(same(lib.parseAction(t, LENIENT), expected), `clean lenient ${t}`);
}
{
  const named = [["JSON.parse", each(clean, (t) => JSON.parse(t))]];
  for (const [label, lib] of builds) {
    named.push([`${label} default`, each(clean, (t) => lib.parseAction(t, { role: "sre" }))]);
    named.push([`${label} lenient`, each(clean, (t) => lib.parseAction(t, LENIENT))]);
  }
  const m = compare(named, 40);
  console.log(`## ${clean.length} clean JSON actions (golden family "clean"), per action\n`);
  console.log("| build | default | lenient | lenient / default | lenient / JSON.parse |\n| --- | --- | --- | --- | --- |");
  for (const [label] of builds) {
    const d = m[`${label} default`];
    const l = m[`${label} lenient`];
    console.log(`| ${label} | ${fmt(d / clean.length)} | ${fmt(l / clean.length)} | ${x(l, d)} | ${x(l, m["JSON.parse"])} |`);
  }
}

// Hostile families at 1 and 8 MiB ------------------------------------------------------
const repeatTo = (unit, size) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const FAMILIES = {
  "{a:} flood": (n) => repeatTo("{a:} ", n),
  "many keys": (n) => `{${Array.from({ length: Math.floor(n / 10) }, (_, i) => `"k${i}":0`).join(",")}}`,
};
const docUnit = '{"action_type": "scale", "target": "payments", "args": {"replicas": 3}}';
const validDoc = `[${Array(Math.floor(MiB / (docUnit.length + 2))).fill(docUnit).join(", ")}]`;
console.log("\n## hostile families through parseAction lenient (floor: JSON.parse of a valid 1 MiB document)\n");
console.log("| family | build | 1 MiB | vs floor | 8 MiB / 1 MiB |\n| --- | --- | --- | --- | --- |");
for (const [family, make] of Object.entries(FAMILIES)) {
  const small = make(MiB);
  const big = make(8 * MiB);
  for (const text of [small, big]) {
    const expected = after.parseAction(text, LENIENT);
    for (const [, lib] of builds) check(same(lib.parseAction(text, LENIENT), expected), family);
  }
  const named = [["floor", () => JSON.parse(validDoc)]];
  for (const [label, lib] of builds) {
    named.push([`${label} 1`, () => lib.parseAction(small, LENIENT)]);
    named.push([`${label} 8`, () => lib.parseAction(big, LENIENT)]);
  }
  const m = compare(named, 1);
  for (const [label] of builds) {
    console.log(`| ${family} | ${label} | ${fmt(m[`${label} 1`])} | ${x(m[`${label} 1`], m.floor)} | ${x(m[`${label} 8`], m[`${label} 1`])} |`);
  }
}

// Native-syntax completions ------------------------------------------------------------
const natives = readFileSync(new URL("../test/fixtures/native-syntaxes/sample.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line));
const answers = natives.map((c) => JSON.stringify({ action_type: c.expect.action_type, target: c.expect.target, args: c.expect.args }));
for (const c of natives) {
  const options = { role: c.role, fallback: c.fallback, formats: "lenient" };
  const expected = after.parseAction(c.raw, options);
  for (const [, lib] of builds) check(same(lib.parseAction(c.raw, options), expected), c.id);
}
{
  const named = [["JSON.parse of the answer", each(answers, (t) => JSON.parse(t))]];
  for (const [label, lib] of builds) {
    named.push([label, () => {
      for (const c of natives) lib.parseAction(c.raw, { role: c.role, fallback: c.fallback, formats: "lenient" });
    }]);
  }
  const m = compare(named, 40);
  console.log(`\n## ${natives.length} native-syntax completions, parseAction lenient, per completion\n`);
  console.log("| build | per completion | vs JSON.parse of the answer |\n| --- | --- | --- |");
  for (const [label] of builds) console.log(`| ${label} | ${fmt(m[label] / natives.length)} | ${x(m[label], m["JSON.parse of the answer"])} |`);
}
