// npm run bench [-- --quick]: robustness and speed of chaosops-adapter against the
// libraries people would otherwise use, in one run, same inputs for everyone.
// Full mode writes BENCHMARKS.md and bench/adversarial.svg; quick mode (CI) prints
// its tables and checks the worst-case targets loosely, so the benchmark never rots.
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { Worker } from "node:worker_threads";
import { ADVERSARIAL, FAMILIES, realisticCorpus } from "./corpus.mjs";
import { PEERS } from "./peers.mjs";
import { parseAction } from "../dist/index.js";
import { plot } from "./plot.mjs";

const quick = process.argv.includes("--quick");
const KB = 1024;
const settings = quick
  ? { perFamily: 10, minMs: 40, sizes: [64 * KB, 512 * KB], peerSizes: [], timeoutMs: 10_000 }
  : { perFamily: 60, minMs: 300, sizes: [16 * KB, 32 * KB, 64 * KB, 128 * KB, 256 * KB, 512 * KB, 1024 * KB], peerSizes: [16 * KB, 64 * KB, 256 * KB, 1024 * KB], timeoutMs: 15_000 };
const OURS = "chaosops-adapter";
const peers = Object.keys(PEERS);

/** Runs one job in a worker; undefined when it ran past the time limit or crashed. */
function runJob(job, timeoutMs = settings.timeoutMs) {
  return new Promise((resolve) => {
    const worker = new Worker(new URL("./worker.mjs", import.meta.url), { workerData: job, resourceLimits: { stackSizeMb: 4 } });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve(undefined);
    }, timeoutMs);
    worker.once("message", (result) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    });
    worker.once("error", () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

const pct = (n, d) => (d === 0 ? "-" : `${Math.round((100 * n) / d)}%`);
const fmt = (x, digits = 1) => (x === undefined ? "-" : x.toFixed(digits));
const sizeLabel = (n) => (n >= 1024 * KB ? `${n / (1024 * KB)} MiB` : `${n / KB} KiB`);
const log = (text) => process.stderr.write(`${text}\n`);

/** Benchmarks assert before they time: our answers on the corpus must be the reference's. */
function checkAnswers() {
  for (const c of realisticCorpus(settings.perFamily)) {
    const action = parseAction(c.text, { role: c.role });
    const mustRecover = ["clean", "chatter", "fences", "several objects"].includes(c.family);
    if (mustRecover && (action.action_type !== c.intended.action_type || action.target !== c.intended.target)) {
      throw new Error(`bench: parseAction missed the ${c.family} case ${JSON.stringify(c.text)}`);
    }
  }
}

async function robustness() {
  const rows = [];
  for (const peer of peers) {
    if (peer === "JSON.parse" && quick) continue;
    const row = [peer];
    let ok = 0;
    let threw = 0;
    let total = 0;
    let hung = 0;
    for (const family of Object.keys(FAMILIES)) {
      const result = await runJob({ kind: "robustness", peer, family, perFamily: settings.perFamily });
      if (!result) {
        hung += settings.perFamily;
        total += settings.perFamily;
        row.push("hang");
        continue;
      }
      ok += result.ok;
      threw += result.threw;
      total += result.cases;
      row.push(pct(result.ok, result.cases));
    }
    row.push(`**${pct(ok, total)}**`, pct(threw, total), pct(hung, total));
    rows.push(row);
    log(`robustness: ${peer} done`);
  }
  return table(["library", ...Object.keys(FAMILIES), "all", "threw", "hung"], rows);
}

async function corpusSpeed() {
  const rows = [];
  for (const peer of peers) {
    const cells = [peer];
    for (const corpus of ["realistic", "clean"]) {
      const r = await runJob({ kind: "corpusSpeed", peer, corpus, perFamily: settings.perFamily, minMs: settings.minMs });
      if (!r) {
        cells.push("hang", "-", "-");
        continue;
      }
      cells.push(fmt((r.bytes / 1e6) / (r.ms / 1000), 1), fmt((r.ms * 1000) / r.count, 2), `${fmt(r.ms / r.baseMs, 2)}x`);
    }
    rows.push(cells);
    log(`speed: ${peer} done`);
  }
  return table(
    ["library", "realistic MB/s", "realistic µs/completion", "realistic vs JSON.parse of the action", "clean MB/s", "clean µs/completion", "clean vs JSON.parse"],
    rows,
  );
}

async function golden() {
  const r = await runJob({ kind: "golden", minMs: settings.minMs });
  if (!r) return "(timed out)";
  return table(
    ["corpus", "cases", "parseAction (ms)", "JSON.parse of the expected actions (ms)", "ratio (median of 7, interleaved)"],
    [["test/fixtures/golden/parse.jsonl", String(r.count), fmt(r.ms, 2), fmt(r.baseMs, 2), `${fmt(r.ratio, 2)}x`]],
  );
}

async function adversarial() {
  const series = {};
  const targetRows = [];
  const failures = [];
  for (const family of Object.keys(ADVERSARIAL)) {
    series[family] = {};
    const ours = {};
    const measured = await runJob({ kind: "scaling", peer: OURS, family, sizes: settings.sizes, minMs: settings.minMs }, settings.timeoutMs * 4);
    if (!measured) failures.push(`${family}: timed out`);
    for (const r of measured ?? []) {
      if (r.threw) failures.push(`${family} at ${sizeLabel(r.size)}: threw`);
      ours[r.size] = r;
    }
    series[family][OURS] = settings.sizes.map((size) => [size, ours[size]?.ms]);
    const big = settings.sizes[settings.sizes.length - 1];
    const small = settings.sizes.find((s) => s * 8 === big);
    const stream = await runJob({ kind: "stream", family, size: big, chunk: 16, minMs: settings.minMs });
    const ratio = ours[big] && ours[big].ms / ours[big].baseMs;
    const growth = small && ours[small] && ours[big] ? ours[big].ms / ours[small].ms : undefined;
    const streamRatio = stream && stream.ms / stream.baseMs;
    targetRows.push([family, fmt(ours[big]?.ms, 2), `${fmt(ratio)}x`, growth === undefined ? "-" : `${fmt(growth)}x`, `${fmt(streamRatio)}x`]);
    // Quick mode runs on a busy CI machine: catch a lost linearity, not noise.
    const slack = quick ? 5 : 1;
    if (ratio !== undefined && ratio > 40 * slack) failures.push(`${family}: ${fmt(ratio)}x JSON.parse at ${sizeLabel(big)}`);
    if (growth !== undefined && growth > 10 * (quick ? 2 : 1.5)) failures.push(`${family}: 8x the input took ${fmt(growth)}x the time`);
    if (streamRatio !== undefined && streamRatio > 60 * slack) failures.push(`${family}: stream ${fmt(streamRatio)}x JSON.parse`);
    for (const peer of peers) {
      if (peer === OURS || settings.peerSizes.length === 0) continue;
      const points = [];
      for (const size of settings.peerSizes) {
        const r = await runJob({ kind: "adversarial", peer, family, size, minMs: settings.minMs });
        points.push([size, r?.ms]);
        // It hung, or took over a second: four times the input would only wait out the limit.
        if (!r || r.ms > 1000) break;
      }
      series[family][peer] = points;
    }
    log(`adversarial: ${family} done`);
  }
  const header = ["family", `ours at ${sizeLabel(settings.sizes.at(-1))} (ms)`, "vs JSON.parse of a valid document that size (target ≤ 40x)", "8x the input costs (target ≤ ~10x)", "stream, 16-character chunks, vs JSON.parse (target ≤ 60x)"];
  return { targets: table(header, targetRows), series, failures };
}

function peerTable(series) {
  const size = settings.peerSizes.at(-1);
  const rows = Object.entries(series).map(([family, byPeer]) => [
    family,
    ...peers.filter((p) => p !== "chaosops-adapter (lenient)").map((peer) => {
      const points = byPeer[peer] ?? [];
      const hit = points.find(([s]) => s === size);
      if (hit?.[1] !== undefined) return fmt(hit[1], 1);
      const last = points.filter(([, ms]) => ms !== undefined).at(-1);
      const hung = points.some(([, ms]) => ms === undefined);
      if (!last) return "hang";
      return `${hung ? "hang" : "not run"} (${sizeLabel(last[0])}: ${fmt(last[1], 0)} ms)`;
    }),
  ]);
  return table(["family (ms at 1 MiB)", ...peers.filter((p) => p !== "chaosops-adapter (lenient)")], rows);
}

/** BENCHMARKS.md: what was measured and how, then this run's tables. */
function benchmarksPage(report) {
  return `# Benchmarks

Written by \`npm run bench\` from one run (every number below comes from it). Same inputs
for every library, each used the way its documentation says; a library that cannot pull
JSON out of chatter is given the whole completion all the same and scored on what it
returns. Every call runs in a worker thread with a time limit (${settings.timeoutMs / 1000} s), so a library
that hangs is stopped and counted as hung. Times are medians of repeated calls; ratios are
against \`JSON.parse\` measured in the same worker, side by side, because the machine is
shared and absolute times drift.

- **Robustness**: ${settings.perFamily} generated completions per family (bench/corpus.mjs), each with
  the action the model meant. A library recovers it when its result has that action type,
  target and every meant arg. \`chaosops-adapter\` is the default (the Python reference's
  behaviour); \`(lenient)\` adds \`formats: "lenient"\`.
- **Speed on completions**: the whole robustness corpus, and clean actions alone;
  "vs JSON.parse of the action" divides by the time \`JSON.parse\` takes on each case's
  intended action alone (the floor: decoding the answer and nothing else).
- **Worst case**: each adversarial family at growing sizes; the targets are those of
  SPEC.md (40x a \`JSON.parse\` of a valid document of the same size at 1 MiB, at most
  about 10x the time for 8x the input, the stream parser fed 16-character chunks within
  60x).

To reproduce: \`npm ci && npm run bench\` (a few minutes, mostly waiting for the libraries
that hang); \`npm run bench:quick\` is the one-minute version CI runs.

${report}
`;
}

const started = Date.now();
checkAnswers();
log(`bench: ${quick ? "quick" : "full"} run`);
const robust = await robustness();
const speed = await corpusSpeed();
const goldenSpeed = await golden();
const adv = await adversarial();
const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}`;
const sections = [
  `Machine: ${machine}. Run time: ${Math.round((Date.now() - started) / 1000)} s.`,
  "## Robustness: share of completions whose intended action each library recovers",
  robust,
  "## Speed on completions",
  speed,
  "### The reference's golden parse cases",
  goldenSpeed,
  "## Worst case: adversarial inputs",
  adv.targets,
];
if (!quick) {
  writeFileSync(new URL("./adversarial.svg", import.meta.url), plot(adv.series, settings.sizes));
  sections.push("### Every library on the adversarial families", peerTable(adv.series), "![time against input size](bench/adversarial.svg)");
}
const report = sections.join("\n\n");
console.log(report);
if (!quick) writeFileSync(new URL("../BENCHMARKS.md", import.meta.url), benchmarksPage(report));
if (adv.failures.length > 0) {
  console.error(`\nbench: targets missed:\n- ${adv.failures.join("\n- ")}`);
  process.exitCode = 1;
}
