// One complexity-fuzzer job, in its own process (started by scripts/complexity.mjs with
// --expose-gc), so that a hang can be killed and a leak cannot spill into the next job.
// Prints one JSON line per event on stdout: {start}, then {result} per entry point.
//
// Time is CPU time of this process (process.cpuUsage), not wall time: on a shared
// machine another process taking the core does not count against us. Each measurement
// is divided by a calibration workload measured right before it (a fixed JSON.parse), so
// that a slower moment of the machine cancels out of the ratio between the two sizes.
import { ENTRIES, pieces } from "./complexity-entries.mjs";
import { StreamingActionParser } from "../dist/index.js";
import { familyByName } from "./complexity-inputs.mjs";

const LENIENT = { role: "sre", formats: "lenient" };
const DEFAULT = { role: "sre" };

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** CPU ms per call, over at least `minMs` and `minCalls` calls (fewer when one call is slow). */
async function perCall(fn, minMs, minCalls) {
  let calls = 0;
  const start = cpuMs();
  let spent = 0;
  while (calls < minCalls || spent < minMs) {
    await fn();
    calls++;
    spent = cpuMs() - start;
    if (spent > 1500 && calls >= 1) break;
  }
  return spent / calls;
}

const CAL_DOC = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ action_type: "communicate", target: null, args: { to: "sre", message: `m${i}` } })));
/** A fixed workload: what one unit of machine speed costs right now. */
const calibrate = () => perCall(() => JSON.parse(CAL_DOC), 15, 5);

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

async function measureEntry(name, texts, rounds) {
  const calls = texts.map((t) => ENTRIES[name](t));
  const result = { type: "result", entry: name, sizes: texts.map((t) => t.length), ms: [], growth: undefined };
  try {
    // Warm-up on the small input: the optimiser's first passes are not the input's cost.
    for (let i = 0; i < 3; i++) await calls[0]();
    const ratios = [];
    const rawRatios = [];
    const perChar = [];
    const ms = texts.map(() => []);
    for (let round = 0; round < rounds; round++) {
      const normalised = [];
      for (let i = 0; i < calls.length; i++) {
        const cal = await calibrate();
        const t = await perCall(calls[i], 40, 3);
        ms[i].push(t);
        normalised.push(t / cal);
        if (i === calls.length - 1) perChar.push(t / cal / (texts[i].length / CAL_DOC.length));
      }
      const [small, large] = normalised;
      // Per character, times 8: linear reads 8 whatever the exact sizes.
      const scale = (texts[0].length * 8) / texts[1].length;
      ratios.push((large / small) * scale);
      rawRatios.push((ms[1].at(-1) / ms[0].at(-1)) * scale);
      // One slow large call is already a clear answer; the parent re-measures before failing.
      if (ms[1].at(-1) > 1000) break;
    }
    // A real superlinearity shows with and without the calibration; a calibration taken in a
    // busier moment than its measurement shows in one only.
    result.growth = Math.min(median(ratios), median(rawRatios));
    result.vsJsonParse = median(perChar);
    result.ms = ms.map(median);
  } catch (error) {
    result.threw = `${error?.name}: ${String(error?.message).slice(0, 200)}`;
  }
  return result;
}

/**
 * The stream parser after `totalMb` MB of a family that never completes an action,
 * fed in `chunk`-character pieces: what it still holds after a full GC.
 */
function streamMemory(text, totalMb, chunk, options) {
  globalThis.gc();
  const before = process.memoryUsage();
  const parser = new StreamingActionParser(options);
  const chunks = pieces(text, chunk);
  let fed = 0;
  let finished = false;
  while (fed < totalMb * 1e6 && !finished) {
    for (const piece of chunks) {
      // A fresh copy each time, as a network stream delivers: nothing shared with our array.
      if (parser.feed((" " + piece).slice(1))) {
        finished = true;
        break;
      }
      fed += piece.length;
    }
  }
  parser.action();
  globalThis.gc();
  globalThis.gc();
  const after = process.memoryUsage();
  const retainedMb = (after.heapUsed + after.external - before.heapUsed - before.external) / 1e6;
  return { type: "memory", fedMb: fed / 1e6, finished, retainedMb, keep: parser.finished };
}

const job = JSON.parse(process.argv[2]);
const make = familyByName(job.family);
console.log(JSON.stringify({ type: "start", family: job.family }));
if (job.kind === "memory") {
  const options = job.lenient ? LENIENT : DEFAULT;
  console.log(JSON.stringify({ ...streamMemory(make(job.size), job.totalMb, job.chunk, options), entry: `StreamingActionParser${job.lenient ? " lenient" : ""}, ${job.chunk}-char chunks` }));
} else if (job.kind === "huge") {
  // One call per entry point on one very long text: nothing may throw (V8 limits sit near 8M characters).
  const text = make(job.size);
  for (const name of job.entries ?? Object.keys(ENTRIES)) {
    console.log(JSON.stringify({ type: "begin", entry: name }));
    const result = { type: "result", entry: name, sizes: [text.length] };
    try {
      const start = performance.now();
      await ENTRIES[name](text)();
      result.ms = [performance.now() - start];
    } catch (error) {
      result.threw = `${error?.name}: ${String(error?.message).slice(0, 200)}`;
    }
    console.log(JSON.stringify(result));
  }
} else {
  const texts = job.sizes.map((size) => make(size));
  for (const name of job.entries ?? Object.keys(ENTRIES)) {
    console.log(JSON.stringify({ type: "begin", entry: name }));
    console.log(JSON.stringify(await measureEntry(name, texts, job.rounds ?? 3)));
  }
}
