// The complexity fuzzer (issue 11): builds inputs from random building blocks at two
// sizes (8x apart), runs every entry point and mode on them, and fails when the time
// grows clearly faster than the input, when a call throws, when one is far slower than
// JSON.parse on the same amount of text, when the stream parser keeps memory, or when
// the CLI's peak memory grows with its input.
//
//   node scripts/complexity.mjs [--seconds N] [--family NAME]… [--entry NAME]… [--report FILE]
//                               [--no-memory] [--no-cli]
//   COMPLEXITY_SEED=<n> replays the random families and entry choice of an earlier run.
//
// Built for a noisy shared machine: every job runs in a child process (a hang is killed,
// a leak stays there), time is the process's CPU time divided by a calibration workload
// measured just before (scripts/complexity-child.mjs), ratios are medians over rounds,
// and a suspect is measured again in a fresh process before it counts as a failure.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ENTRIES } from "./complexity-entries.mjs";
import { NAMED, NEVER_OPEN, randomFamily } from "./complexity-inputs.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const KiB = 1024;
const MiB = 1024 * KiB;
const SIZES = [64 * KiB, 512 * KiB];
/** 8x the input may cost this much more time before it counts as superlinear (linear is 8, quadratic 64). */
const GROWTH_LIMIT = Number(process.env.COMPLEXITY_GROWTH_LIMIT ?? 20);
/** Per character, at the large size, against JSON.parse of a valid document (the bench's target is 40x). */
const SLOW_LIMIT = Number(process.env.COMPLEXITY_SLOW_LIMIT ?? 100);
const STREAM_RETAINED_MB = 5;

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string" },
    family: { type: "string", multiple: true },
    entry: { type: "string", multiple: true },
    report: { type: "string" },
    "no-memory": { type: "boolean" },
    "no-cli": { type: "boolean" },
  },
});
const runs = Number(process.env.FUZZ_RUNS ?? 100_000);
const quick = runs <= 2000;
const budgetMs = 1000 * Number(args.seconds ?? process.env.COMPLEXITY_SECONDS ?? (quick ? 60 : 1800));
const seed = Number(process.env.COMPLEXITY_SEED ?? Math.floor(Math.random() * 1e9));
const started = Date.now();
const left = () => budgetMs - (Date.now() - started);
const log = (text) => process.stderr.write(`${text}\n`);

/** CPU time of a process from /proc (Linux; utime + stime in clock ticks of 10 ms), or undefined elsewhere. */
function childCpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Runs one child job; resolves with its events, plus {hung: entry} when killed. */
function runChild(job, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--expose-gc", "--stack-size=984", join(here, "complexity-child.mjs"), JSON.stringify(job)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    const events = [];
    let buffer = "";
    let stderr = "";
    let current;
    child.stdout.on("data", (data) => {
      buffer += data;
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const event = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        if (event.type === "begin") current = event.entry;
        else events.push(event);
      }
    });
    child.stderr.on("data", (data) => (stderr += data));
    // The limit is on the child's CPU time (a loaded machine stretches wall time many times
    // over), with wall time 10x the limit as a safety net.
    let killed = false;
    const wallStart = Date.now();
    const timer = setInterval(() => {
      const cpu = childCpuMs(child.pid);
      if ((cpu ?? Date.now() - wallStart) > timeoutMs || Date.now() - wallStart > 10 * timeoutMs) {
        killed = true;
        child.kill("SIGKILL");
      }
    }, 500);
    child.on("close", (code, signal) => {
      clearInterval(timer);
      const done = new Set(events.map((e) => e.entry));
      if (killed && current && !done.has(current)) events.push({ type: "result", entry: current, hung: timeoutMs });
      else if (killed) events.push({ type: "crash", entry: current, signal: `killed after ${Math.round(timeoutMs / 1000)} s of CPU`, stderr: "" });
      else if (code !== 0) events.push({ type: "crash", entry: current, code, signal, stderr: stderr.slice(-2000) });
      resolve(events);
    });
  });
}

function verdict(result) {
  if (result.hung) return `hung (killed after ${Math.round(result.hung / 1000)} s of CPU)`;
  if (result.threw) return `threw ${result.threw}`;
  if (result.growth > GROWTH_LIMIT) return `8x the input took ${result.growth.toFixed(1)}x the time`;
  if (result.vsJsonParse > SLOW_LIMIT) return `${Math.round(result.vsJsonParse)}x JSON.parse per character`;
  return undefined;
}

const failures = [];
const passes = [];
const fmtMs = (ms) => (ms === undefined ? "-" : ms < 10 ? ms.toFixed(2) : ms.toFixed(0));

/** Time growth of one family through the given entry points; suspects re-measured in a fresh process. */
async function timeFamily(family, entries) {
  const timeout = quick ? 60_000 : 180_000;
  let todo = [...entries];
  const results = [];
  while (todo.length > 0) {
    const events = await runChild({ family, sizes: SIZES, entries: todo, rounds: quick ? 2 : 3 }, timeout);
    const got = events.filter((e) => e.type === "result");
    results.push(...got);
    const crash = events.find((e) => e.type === "crash");
    if (crash) results.push({ entry: crash.entry ?? "(start)", threw: `process died (${crash.signal ?? crash.code}): ${crash.stderr.split("\n").filter(Boolean).slice(-3).join(" / ")}` });
    const seen = new Set(results.map((r) => r.entry));
    const next = todo.filter((e) => !seen.has(e));
    if (next.length === todo.length) break;
    todo = next;
  }
  for (const result of results) {
    let problem = verdict(result);
    let confirmed = result;
    // Seconds of CPU for a growth far past the limit is no accident of the machine.
    const clear = result.growth > 3 * GROWTH_LIMIT && result.ms?.[1] > 2000;
    if (problem && !clear && !result.threw && !result.hung && result.entry !== "(start)") {
      // Noise check: measure this one again, alone, in a fresh process.
      const again = (await runChild({ family, sizes: SIZES, entries: [result.entry], rounds: 3 }, timeout)).find((e) => e.type === "result" && e.entry === result.entry);
      if (again && !verdict(again)) {
        problem = undefined;
        confirmed = again;
      }
      else if (again) confirmed = { ...again, growth: Math.min(again.growth ?? Infinity, result.growth), vsJsonParse: Math.min(again.vsJsonParse ?? Infinity, result.vsJsonParse) };
    }
    const row = { family, entry: result.entry, problem, growth: confirmed.growth, ms: confirmed.ms, vsJsonParse: confirmed.vsJsonParse };
    (problem ? failures : passes).push(row);
    log(`  ${problem ? "FAIL" : "ok  "} ${family} / ${result.entry}: ${problem ?? `growth ${confirmed.growth?.toFixed(1)}x, ${fmtMs(confirmed.ms?.[1])} ms at 512 KiB`}`);
  }
}

/**
 * What the stream parser may keep after `fedMb` MB: in default mode only what is open,
 * under 5 MB for a family with no open block; with formats the text fed (README: the
 * readers need its context), once, as one-byte strings (every family here is ASCII),
 * and no more than 5 MB besides.
 */
function retainedLimitMb(fedMb, lenient) {
  return lenient ? 1.1 * fedMb + STREAM_RETAINED_MB : STREAM_RETAINED_MB;
}

/** The stream parser's memory after `totalMb` MB of a family with no open block, within retainedLimitMb. */
async function streamMemory(family, chunk, totalMb, lenient = false) {
  const [event] = (await runChild({ kind: "memory", family, size: Math.max(chunk, 64 * KiB), chunk, totalMb, lenient }, 300_000)).filter((e) => e.type === "memory" || e.type === "crash");
  const entry = `StreamingActionParser${lenient ? " lenient" : ""}, ${chunk}-char chunks, ${totalMb} MB`;
  let problem;
  if (!event) problem = "no result";
  else if (event.type === "crash") problem = `process died (${event.signal ?? event.code}) ${event.stderr.slice(-300)}`.trim();
  else if (event.retainedMb > retainedLimitMb(event.fedMb, lenient)) problem = `retained ${event.retainedMb.toFixed(1)} MB after ${event.fedMb.toFixed(0)} MB`;
  else if (event.fedMb < totalMb * 0.99) problem = `finished after ${event.fedMb.toFixed(1)} MB of a text with no action`;
  const row = { family, entry, problem, retainedMb: event?.retainedMb };
  (problem ? failures : passes).push(row);
  log(`  ${problem ? "FAIL" : "ok  "} ${family} / ${entry}: ${problem ?? `retained ${event.retainedMb.toFixed(2)} MB after ${event.fedMb.toFixed(0)} MB`}`);
}

/** Every entry point once on a text past 8M characters (where a backtracking regexp overflows): no throw. */
async function huge(family, entries) {
  const events = await runChild({ kind: "huge", family, size: 8.4e6, entries }, 600_000);
  for (const entry of entries) {
    const result = events.find((e) => e.entry === entry && e.type === "result");
    const crash = events.find((e) => e.type === "crash" && e.entry === entry);
    const problem = result?.threw ? `threw ${result.threw}` : result?.hung ? "hung" : crash ? `process died: ${crash.stderr.slice(-200)}` : !result ? "not run (an earlier entry hung)" : undefined;
    (problem ? failures : passes).push({ family: `${family}, 8.4M characters`, entry, problem, ms: result?.ms });
    log(`  ${problem ? "FAIL" : "ok  "} ${family}, 8.4M characters / ${entry}: ${problem ?? `${fmtMs(result.ms[0])} ms`}`);
  }
}

const RSS_PRELOAD = join(here, "complexity-usage.mjs");

/** Runs the CLI on a JSONL file; its CPU ms and peak RSS (MB), from a preload that reports them at exit. */
function runCli(file, extra) {
  const out = join(dirname(file), "out.jsonl");
  const result = spawnSync(process.execPath, ["--import", RSS_PRELOAD, join(root, "dist", "cli.js"), "parse", file, "--role", "sre", "--quiet", "--out", out, ...extra], {
    encoding: "utf8",
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const usage = /COMPLEXITY_USAGE (\{.*\})/.exec(result.stderr ?? "")?.[1];
  const lines = result.status === 0 ? readFileSync(out, "utf8").split("\n").filter(Boolean).length : 0;
  return { status: result.status, signal: result.signal, stderr: (result.stderr ?? "").replace(/COMPLEXITY_USAGE.*\n?/, "").slice(-500), lines, ...(usage ? JSON.parse(usage) : {}) };
}

const records = (texts) => texts.map((completion, i) => JSON.stringify({ id: `r${i}`, completion })).join("\n") + "\n";

/**
 * The CLI on a file of a family's lines at both sizes, against the same file holding
 * plain text of the same size (so process start and line decoding cancel out): the
 * parsing cost must grow like the input. Every record must come out, in order.
 */
function cliTime(family, make, extra) {
  const dir = mkdtempSync(join(tmpdir(), "complexity-cli-"));
  const count = 2;
  const measure = (texts) => {
    const file = join(dir, "in.jsonl");
    writeFileSync(file, records(texts));
    const runs = [0, 1, 2].map(() => runCli(file, extra));
    return { ...runs[0], cpuMs: [...runs.map((r) => r.cpuMs ?? Infinity)].sort((a, b) => a - b)[1] };
  };
  const entry = `chaosops parse ${extra.join(" ")}`.trim();
  try {
    const [small, large] = SIZES.map((size) => measure(Array.from({ length: count }, () => make(size))));
    const [plainSmall, plainLarge] = SIZES.map((size) => measure(Array.from({ length: count }, () => "a".repeat(size))));
    let problem;
    for (const r of [small, large]) {
      if (r.status !== 0) problem = `exit ${r.status ?? r.signal}: ${r.stderr.trim().split("\n").at(-1)}`;
      else if (r.lines !== count) problem = `${r.lines} output lines for ${count} records`;
    }
    const costSmall = Math.max(small.cpuMs - plainSmall.cpuMs, 5);
    const costLarge = large.cpuMs - plainLarge.cpuMs;
    const growth = costLarge / costSmall;
    // Below half a second for 1 MiB the difference is noise (process start varies more than that).
    if (!problem && growth > GROWTH_LIMIT && costLarge > 500) problem = `8x the input took ${growth.toFixed(1)}x the parsing time (${Math.round(costSmall)} → ${Math.round(costLarge)} ms)`;
    const row = { family, entry, problem, growth, ms: [costSmall, costLarge] };
    (problem ? failures : passes).push(row);
    log(`  ${problem ? "FAIL" : "ok  "} ${family} / ${entry}: ${problem ?? `parsing ${Math.round(costSmall)} → ${Math.round(costLarge)} ms`}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Peak RSS of the CLI on realistic records, at 8x the input: it must stay flat. */
async function cliMemory(extra) {
  const { realisticCorpus } = await import("../bench/corpus.mjs");
  const texts = realisticCorpus(40).map((c) => c.text);
  const dir = mkdtempSync(join(tmpdir(), "complexity-rss-"));
  const entry = `chaosops parse ${extra.join(" ")} peak RSS`.trim();
  // Big enough that the pipeline's window of records in flight is full at the small size too.
  const targetMb = quick ? 16 : 32;
  try {
    const peak = [targetMb, targetMb * 8].map((mb) => {
      const file = join(dir, "in.jsonl");
      const body = records(texts);
      writeFileSync(file, body.repeat(Math.ceil((mb * 1e6) / body.length)));
      return runCli(file, extra);
    });
    const [small, large] = peak;
    let problem;
    if (small.status !== 0 || large.status !== 0) problem = `exit ${large.status ?? large.signal}`;
    else if (large.maxRssMb > small.maxRssMb * 1.5 + 32) problem = `peak RSS ${small.maxRssMb} MB at ${targetMb} MB of input, ${large.maxRssMb} MB at ${targetMb * 8} MB`;
    (problem ? failures : passes).push({ family: "realistic records", entry, problem, rss: [small.maxRssMb, large.maxRssMb] });
    log(`  ${problem ? "FAIL" : "ok  "} realistic records / ${entry}: ${problem ?? `peak RSS ${small.maxRssMb} MB → ${large.maxRssMb} MB for 8x the input`}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function pickSome(list, count, r) {
  const copy = [...list];
  const out = [];
  while (out.length < count && copy.length > 0) out.push(copy.splice(Math.floor(r() * copy.length), 1)[0]);
  return out;
}

// ---------------------------------------------------------------------------

const { rng } = await import("../bench/rng.mjs");
const r = rng(seed);
const allEntries = Object.keys(ENTRIES);
const chosenEntries = args.entry ?? allEntries;
const CORE = ["parseAction", "parseAction lenient", "stream 16-char chunks"];
/** Quick runs take the core entry points and a few others at random (the seed says which). */
const entriesFor = () => (quick && !args.entry ? [...CORE, ...pickSome(chosenEntries.filter((e) => !CORE.includes(e)), 3, r)] : chosenEntries);

log(`complexity: seed ${seed}, ${quick ? "quick" : "long"} run, budget ${Math.round(budgetMs / 1000)} s, sizes ${SIZES.map((s) => `${s / KiB} KiB`).join(" and ")}, growth limit ${GROWTH_LIMIT}x, ${allEntries.length} entry points`);
if (!args.family) {
  if (!args["no-memory"]) {
    log("stream parser memory");
    // Large chunks find finished chunks kept whole; small ones find per-feed leftovers (fewer MB: a feed costs).
    const families = Object.keys(NEVER_OPEN);
    const checks = quick
      ? [["chatter and tags", MiB, 100, false], ["{x} blocks", MiB, 100, false]]
      : families.flatMap((family, i) => [[family, MiB, 100, false], [family, MiB, 30, true], [family, [16, 1000, 4096][i % 3], 10, i % 2 === 0]]);
    for (const [family, chunk, mb, lenient] of checks) await streamMemory(family, chunk, mb, lenient);
  }
  log("no throw at 8.4M characters");
  for (const family of ["long target", "escape flood in a string"]) await huge(family, quick ? CORE : allEntries);
  if (!args["no-cli"]) {
    log("CLI");
    cliTime("many keys", NAMED["many keys"], ["--jobs", "1"]);
    if (!quick) cliTime("{a:} flood", NAMED["{a:} flood"], ["--jobs", "1", "--formats", "lenient"]);
    await cliMemory(["--jobs", "2"]);
    if (!quick) await cliMemory(["--jobs", "2", "--detail", "--formats", "lenient"]);
  }
}
// Quick runs start with the case the fuzzer must always find, then the others in an order the seed picks.
const named = quick ? ["many keys", ...pickSome(Object.keys(NAMED).filter((f) => f !== "many keys"), Infinity, r)] : Object.keys(NAMED);
const skipped = [];
for (const [i, family] of (args.family ?? named).entries()) {
  if (i > 0 && left() <= 0) {
    skipped.push(family);
    continue;
  }
  log(`family: ${family}`);
  await timeFamily(family, entriesFor());
}
if (!args.family) {
  let tried = 0;
  while (left() > 0) {
    const family = randomFamily(Math.floor(r() * 1e9));
    log(`family: ${family.name}`);
    await timeFamily(family.name, entriesFor());
    tried++;
  }
  log(`${tried} random families tried`);
}
if (skipped.length > 0) log(`out of time before: ${skipped.join(", ")} (another seed takes another order)`);

const summary = [
  `complexity fuzzer: seed ${seed}, ${Math.round((Date.now() - started) / 1000)} s, ${passes.length} checks passed, ${failures.length} failed.`,
  ...failures.map((f) => `FAIL ${f.family} / ${f.entry}: ${f.problem}${f.ms ? ` (${f.ms.map(fmtMs).join(" → ")} ms)` : ""}`),
];
console.log(summary.join("\n"));
if (args.report) {
  const rows = failures.map((f) => `| ${f.family} | ${f.entry} | ${f.problem} | ${f.ms ? f.ms.map(fmtMs).join(" → ") : "-"} |`);
  writeFileSync(args.report, [`Complexity fuzzer, seed ${seed}, ${new Date().toISOString()}`, "", "| family | entry point | problem | ms at 64 KiB → 512 KiB |", "| --- | --- | --- | --- |", ...rows, ""].join("\n"));
}
if (failures.length > 0) {
  log(`\nReplay: COMPLEXITY_SEED=${seed} node scripts/complexity.mjs [--family NAME] [--entry NAME]`);
  process.exitCode = 1;
}
