// The batch tool against its floor: `chaosops parse` of a large rollout file with
// --jobs 1 and --jobs 2, side by side with a single-threaded loop that only reads the
// lines, JSON.parses each and writes one small JSON object per line (what any tool
// must at least do). Each command runs under /usr/bin/time for its wall time and peak
// resident memory; runs are interleaved and repeated, and medians are reported. CPU
// seconds (all threads) are the steadier number on a shared machine: a loaded one gives
// a process with more threads a larger share, which flatters wall times.
//
//   node bench/batch.mjs [--records N] [--repeat R] [--keep] [--input FILE] [--cli dist/cli.js]
//   import { batchBench } from "./batch.mjs"   (bench/run.mjs)
import { spawnSync } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "dist", "cli.js");
const SELF = fileURLToPath(import.meta.url);

/** Rollout records cycled from the reference's parse cases (about 275 bytes each). */
export async function writeRollouts(path, records) {
  const cases = readFileSync(join(ROOT, "test/fixtures/golden/parse.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));
  const lines = cases.map((c, i) => `${JSON.stringify({ id: `r-${i}`, role: c.role, completion: c.raw })}\n`);
  const out = createWriteStream(path);
  for (let i = 0; i < records; i++) {
    if (!out.write(lines[i % lines.length])) await once(out, "drain");
  }
  out.end();
  await once(out, "close");
}

/**
 * The floor: read the file in large pieces, split the lines, JSON.parse each and write
 * one small JSON object per line, in one thread, with nothing parsed.
 */
export async function baselineLoop(input, output) {
  const out = createWriteStream(output);
  const utf8 = new TextDecoder();
  let rest = "";
  let n = 0;
  const writeLines = async (text) => {
    let chunk = "";
    for (const line of text.split("\n")) {
      if (line === "") continue;
      const record = JSON.parse(line);
      n++;
      chunk += `${JSON.stringify({ id: record.id, role: record.role, action_type: "noop", target: null, args: {} })}\n`;
    }
    if (!out.write(chunk)) await once(out, "drain");
  };
  for await (const piece of createReadStream(input, { highWaterMark: 1 << 20 })) {
    const text = rest + utf8.decode(piece, { stream: true });
    const cut = text.lastIndexOf("\n") + 1;
    rest = text.slice(cut);
    await writeLines(text.slice(0, cut));
  }
  await writeLines(rest + utf8.decode());
  out.end();
  await once(out, "close");
  return n;
}

/**
 * One command under /usr/bin/time: wall seconds, CPU seconds (user + system, all
 * threads: what a loaded machine distorts least) and peak RSS (MB).
 */
function timed(args) {
  const result = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", process.execPath, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`bench/batch: ${args.join(" ")} failed: ${result.stderr}`);
  const [seconds, user, system, kb] = result.stderr.trim().split("\n").pop().split(" ").map(Number);
  return { seconds, cpu: user + system, rssMb: kb / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Runs the comparison and returns the rows (median wall time, median peak RSS, ratio to
 * the baseline), after checking that --jobs 1 and --jobs 2 write identical output.
 */
export async function batchBench({ records = 1_000_000, repeat = 3, keep = false, input: given, cli = CLI, log = (text) => process.stderr.write(`${text}\n`) } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "chaosops-batch-"));
  const input = given ?? join(dir, "rollouts.jsonl");
  if (!given) await writeRollouts(input, records);
  const lines = given ? readFileSync(input).reduce((n, byte) => (byte === 10 ? n + 1 : n), 0) : records;
  const out = (name) => join(dir, `${name}.jsonl`);
  const commands = {
    baseline: [SELF, "--baseline", input, out("baseline")],
    "chaosops parse --jobs 1": [cli, "parse", input, "--jobs", "1", "--quiet", "--out", out("jobs1")],
    "chaosops parse --jobs 2": [cli, "parse", input, "--jobs", "2", "--quiet", "--out", out("jobs2")],
  };
  const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  const loads = [];
  for (let r = 0; r < repeat; r++) {
    for (const [name, args] of Object.entries(commands)) {
      loads.push(loadavg()[0]);
      const sample = timed(args);
      samples[name].push(sample);
      log(`  ${name}: ${sample.seconds.toFixed(2)} s wall, ${sample.cpu.toFixed(2)} s CPU, ${Math.round(sample.rssMb)} MB`);
    }
  }
  const identical = readFileSync(out("jobs1")).equals(readFileSync(out("jobs2")));
  if (!identical) throw new Error("bench/batch: --jobs 1 and --jobs 2 wrote different output");
  const base = median(samples.baseline.map((s) => s.seconds));
  const baseCpu = median(samples.baseline.map((s) => s.cpu));
  const rows = Object.entries(samples).map(([name, runs]) => {
    const seconds = median(runs.map((s) => s.seconds));
    const cpu = median(runs.map((s) => s.cpu));
    return { name, seconds, cpu, rssMb: median(runs.map((s) => s.rssMb)), ratio: seconds / base, cpuRatio: cpu / baseCpu, runs: runs.map((s) => s.seconds) };
  });
  const result = { records: lines, bytes: statSync(input).size, cores: cpus().length, node: process.version, load: median(loads), rows, identical };
  if (keep) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  return result;
}

export function batchTable(result) {
  const lines = [
    `| ${result.records.toLocaleString("en")} records (${(result.bytes / 1e6).toFixed(0)} MB) | wall s (median) | runs | CPU s (median) | peak RSS MB | wall vs baseline | CPU vs baseline |`,
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...result.rows.map((r) => `| ${r.name} | ${r.seconds.toFixed(2)} | ${r.runs.map((s) => s.toFixed(2)).join(", ")} | ${r.cpu.toFixed(2)} | ${Math.round(r.rssMb)} | ${r.ratio.toFixed(2)}x | ${r.cpuRatio.toFixed(2)}x |`),
  ];
  return `${lines.join("\n")}\n\n${result.cores} cores, Node ${result.node}, median 1-minute load during the runs ${result.load.toFixed(1)}; --jobs 1 and --jobs 2 output identical: ${result.identical}.`;
}

if (process.argv[1] === SELF) {
  const args = process.argv.slice(2);
  if (args[0] === "--baseline") {
    await baselineLoop(args[1], args[2]);
  } else {
    const text = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
    const option = (name, fallback) => (text(name) === undefined ? fallback : Number(text(name)));
    const cli = text("--cli") ?? CLI;
    if (!existsSync(cli)) throw new Error("bench/batch: run `npm run build` first");
    const given = text("--input");
    const result = await batchBench({ records: option("--records", 1_000_000), repeat: option("--repeat", 3), keep: args.includes("--keep"), cli, ...(given ? { input: given } : {}) });
    process.stdout.write(`${batchTable(result)}\n`);
  }
}
