// node scripts/bench-lenient.mjs          (after `npm run build`): sections 1 and 2
// node scripts/bench-lenient.mjs --big    section 3 alone
//
// The lenient JSON dialect, side by side in one process, medians of repeated runs:
//   1. clean and Python-literal actions: the scanner vs JSON.parse, the strict decoder,
//      the grammar it replaced (peggy), and parseAction with and without formats;
//   2. hostile families at 1 MiB (vs JSON.parse of a valid 1 MiB document) and the
//      growth from 1 to 8 MiB, through decodeLenient and through parseAction;
//   3. 100 MB inputs, time and peak memory.
// Each measurement checks its answer first, so a fast wrong scanner cannot pass.
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { decodeLenient } from "../dist/formats/lenient-json.js";
import { specDecodeLenient } from "../dist/formats/lenient-spec.js";
import { decodePythonJson } from "../dist/python/json-dialect.js";
import { parseAction } from "../dist/index.js";

const MiB = 1 << 20;
const ON = { python: true, relaxed: true, truncated: false };
const CUT = { python: true, relaxed: true, truncated: true };
const lenient = { role: "sre", formats: "lenient" };

function check(condition, what) {
  if (!condition) throw new Error(`bench-lenient: wrong answer: ${what}`);
}

/** Time of one batch of calls to `fn` lasting at least `minMs`, in µs per call. */
function sample(fn, minMs) {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return (elapsed * 1000) / calls;
}

/**
 * Median µs per call of each function, sampled in turn round after round, so that a
 * busy machine slows all of them alike and the ratios stay meaningful.
 */
function compare(fns, { minMs = 50, rounds = 9 } = {}) {
  const samples = fns.map(() => []);
  for (let r = 0; r < rounds; r++) fns.forEach((fn, i) => samples[i].push(sample(fn, minMs)));
  return samples.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]);
}

const fmt = (us) => (us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${us.toFixed(2)} µs`);
const ratio = (a, b) => `${(a / b).toFixed(1)}x`;

console.log(`# lenient dialect: ${cpus()[0]?.model ?? "?"} x${cpus().length}, Node ${process.version}\n`);

const big = process.argv.includes("--big");

if (!big) sections12();

function sections12() {
// 1. Clean actions -------------------------------------------------------------------

const golden = readFileSync(new URL("../test/fixtures/golden/parse.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line))
  .filter((c) => c.family === "clean" && decodePythonJson(c.raw).ok);
const clean = golden.map((c) => c.raw);
const pythonic = clean.map((raw) => {
  const value = decodePythonJson(raw).value;
  // The same action as a Python dict literal (repr-like), so the dialect has work to do.
  const py = (v) =>
    v === null ? "None" : v === true ? "True" : v === false ? "False" : typeof v === "string" ? `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`
    : Array.isArray(v) ? `[${v.map(py).join(", ")}]` : typeof v === "object" ? `{${Object.entries(v).map(([k, x]) => `${py(k)}: ${py(x)}`).join(", ")}}` : String(v);
  return py(value);
});
for (const [i, raw] of clean.entries()) {
  check(JSON.stringify(decodeLenient(raw, 0, raw.length, ON).value) === JSON.stringify(JSON.parse(raw)), `clean ${i}`);
  const p = pythonic[i];
  check(JSON.stringify(decodeLenient(p, 0, p.length, ON)) === JSON.stringify(specDecodeLenient(p, 0, p.length, ON)), `python ${i}`);
}

const each = (texts, fn) => () => {
  for (const t of texts) fn(t);
};
const rows = [
  ["JSON.parse of the clean text", each(clean, (t) => JSON.parse(t))],
  ["strict decoder (json.loads dialect)", each(clean, (t) => decodePythonJson(t))],
  ["lenient scanner, clean text", each(clean, (t) => decodeLenient(t, 0, t.length, ON))],
  ["lenient grammar (peggy), clean text", each(clean, (t) => specDecodeLenient(t, 0, t.length, ON))],
  ["lenient scanner, as Python literals", each(pythonic, (t) => decodeLenient(t, 0, t.length, ON))],
  ["lenient grammar (peggy), as Python literals", each(pythonic, (t) => specDecodeLenient(t, 0, t.length, ON))],
  ["parseAction, default", each(clean, (t) => parseAction(t, { role: "sre" }))],
  ["parseAction, formats: lenient", each(clean, (t) => parseAction(t, lenient))],
  ["parseAction lenient, as Python literals", each(pythonic, (t) => parseAction(t, lenient))],
];
const medians = compare(rows.map(([, fn]) => fn));
const base = medians[0];
console.log(`## ${clean.length} clean actions from test/fixtures/golden/parse.jsonl (time per action, median)\n`);
console.log("| what | per action | vs JSON.parse |\n| --- | --- | --- |");
rows.forEach(([name], i) => console.log(`| ${name} | ${fmt(medians[i] / clean.length)} | ${ratio(medians[i], base)} |`));

// 2. Hostile families ----------------------------------------------------------------

const repeatTo = (unit, size) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const FAMILIES = {
  "unclosed /* in an object": (n) => `{"action_type": "restart", /* ${repeatTo("x", n)}`,
  "{a:} flood": (n) => repeatTo("{a:} ", n),
  "one long 'string'": (n) => `{'action_type': 'restart', 'target': '${repeatTo("x", n)}'}`,
  "'\\'' escapes": (n) => `{'target': '${repeatTo("\\'", n)}'}`,
  "many Python keys, cut": (n) => `{${repeatTo("'k': True, ", n)}`,
  "comments and trailing commas": (n) => `[${repeatTo("1, /* c */ 2, // d\n", n)}]`,
  "open brackets": (n) => repeatTo("[", n),
  "open Python members": (n) => repeatTo("{'a': ", n),
  "unquoted key run": (n) => `{${repeatTo("a", n)}`,
};
const docUnit = '{"action_type": "scale", "target": "payments", "args": {"replicas": 3}}';
const validDoc = `[${Array(Math.floor(MiB / (docUnit.length + 2))).fill(docUnit).join(", ")}]`;
check(JSON.parse(validDoc).length > 1000, "valid doc");
const parseDoc = () => JSON.parse(validDoc);
console.log("\n## hostile families (each timed in turn with JSON.parse of a valid 1 MiB document, the floor)\n");
console.log("| family | decodeLenient 1 MiB | vs floor | 8x input | parseAction lenient 1 MiB | vs floor | 8x input |\n| --- | --- | --- | --- | --- | --- | --- |");
for (const [name, make] of Object.entries(FAMILIES)) {
  const small = make(MiB);
  const big = make(8 * MiB);
  for (const text of [small, big]) {
    check(decodeLenient(text, 0, text.length, CUT).ok !== undefined, name);
    check(typeof parseAction(text, lenient).action_type === "string", name);
  }
  const decodeBoth = (text) => () => {
    decodeLenient(text, 0, text.length, ON);
    decodeLenient(text, 0, text.length, CUT);
  };
  const [floor, d1, d8, p1, p8] = compare([parseDoc, decodeBoth(small), decodeBoth(big), () => parseAction(small, lenient), () => parseAction(big, lenient)], { minMs: 1, rounds: 5 });
  console.log(`| ${name} | ${fmt(d1)} | ${ratio(d1, floor)} | ${ratio(d8, d1)} | ${fmt(p1)} | ${ratio(p1, floor)} | ${ratio(p8, p1)} |`);
}
console.log("\n(decodeLenient: one decode without and one with truncation; 8x input: time at 8 MiB over time at 1 MiB)");
}

// 3. 100 MB ----------------------------------------------------------------------------

if (big) {
  const mb = (bytes) => `${Math.round(bytes / MiB)} MB`;
  console.log("\n## 100 MB inputs (peak RSS of the process so far, heap after)\n");
  for (const [name, make, dialect] of [
    ["one 'string' of 100M characters", () => `{'target': '${"x".repeat(100 * MiB)}'}`, ON],
    ["100 MB of escapes in one 'string'", () => `{'target': '${"\\'".repeat(50 * MiB)}'}`, ON],
    ["100 MB Python list, cut", () => `[${"{'target': 'payments', 'ok': True}, ".repeat((100 * MiB) / 36)}{'tar`, CUT],
    ["100 MB unclosed /* comment", () => `{"action_type": "restart", /* ${"x".repeat(100 * MiB)}`, CUT],
  ]) {
    const text = make();
    const before = process.resourceUsage().maxRSS * 1024;
    const start = performance.now();
    const result = decodeLenient(text, 0, text.length, dialect);
    const ms = performance.now() - start;
    check(result.ok, name);
    const after = process.resourceUsage().maxRSS * 1024;
    console.log(`- ${name}: ${(ms / 1000).toFixed(2)} s, peak RSS ${mb(before)} → ${mb(after)}, heap ${mb(process.memoryUsage().heapUsed)}`);
  }
}
