// One benchmark job, in its own thread so a library that hangs can be stopped.
import { parentPort, workerData } from "node:worker_threads";
import { readFileSync } from "node:fs";
import { ADVERSARIAL, cleanActions, realisticCorpus, validDocument } from "./corpus.mjs";
import { PEERS, streamInChunks } from "./peers.mjs";

/** Median time of one call, in milliseconds, over at least `minMs` of calls (and 3 calls). */
async function timeOf(fn, minMs) {
  const times = [];
  let spent = 0;
  while (times.length < 3 || (spent < minMs && times.length < 200)) {
    const start = performance.now();
    await fn();
    const took = performance.now() - start;
    times.push(took);
    spent += took;
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function normalise(value) {
  const action = value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  if (!action || typeof action.action_type !== "string") return undefined;
  return { action_type: action.action_type.trim().toLowerCase(), target: action.target ?? null, args: action.args };
}

/** Did the library get the action the model meant: type, target and every meant arg? */
function recovered(value, intended) {
  const got = normalise(value);
  if (!got || got.action_type !== intended.action_type || got.target !== intended.target) return false;
  const args = got.args && typeof got.args === "object" ? got.args : {};
  return Object.entries(intended.args).every(([key, meant]) => String(args[key]) === String(meant));
}

const jobs = {
  async robustness({ peer, family, perFamily }) {
    const parse = PEERS[peer];
    const cases = realisticCorpus(perFamily).filter((c) => c.family === family);
    let ok = 0;
    let threw = 0;
    for (const c of cases) {
      try {
        if (recovered(await parse(c.text), c.intended)) ok++;
      } catch {
        threw++;
      }
    }
    return { cases: cases.length, ok, threw };
  },

  async corpusSpeed({ peer, corpus, perFamily, minMs }) {
    const parse = PEERS[peer];
    const texts = corpus === "clean" ? cleanActions(perFamily * 9) : realisticCorpus(perFamily).map((c) => c.text);
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    const run = async () => {
      for (const text of texts) {
        try {
          await parse(text);
        } catch {
          // a throw is part of the library's cost
        }
      }
    };
    const baselineTexts = corpus === "clean" ? texts : realisticCorpus(perFamily).map((c) => JSON.stringify(c.intended));
    const baseline = () => {
      for (const text of baselineTexts) JSON.parse(text);
    };
    await run();
    const ms = await timeOf(run, minMs);
    const baseMs = await timeOf(baseline, minMs);
    return { ms, baseMs, count: texts.length, bytes };
  },

  /** parseAction over the reference's golden parse cases, against JSON.parse of each expected action. */
  async golden({ minMs }) {
    const lines = readFileSync(new URL("../test/fixtures/golden/parse.jsonl", import.meta.url), "utf8").trim().split("\n");
    const cases = lines.map((line) => JSON.parse(line));
    const expected = cases.map((c) => JSON.stringify(c.expect));
    const { parseAction } = await import("../dist/index.js");
    const run = () => {
      for (const c of cases) parseAction(c.raw, { role: c.role, fallback: c.fallback });
    };
    const baseline = () => {
      for (const text of expected) JSON.parse(text);
    };
    run();
    // Interleaved, so drift on a shared machine hits both alike.
    const ratios = [];
    let ms = 0;
    let baseMs = 0;
    for (let i = 0; i < 7; i++) {
      const a = await timeOf(run, minMs);
      const b = await timeOf(baseline, minMs);
      ratios.push(a / b);
      ms += a / 7;
      baseMs += b / 7;
    }
    ratios.sort((x, y) => x - y);
    return { count: cases.length, ms, baseMs, ratio: ratios[3] };
  },

  /**
   * One library on one family at every size, measured round-robin in one thread, so
   * that drift on a shared machine hits every size alike (the growth ratio compares them).
   */
  async scaling({ peer, family, sizes, minMs, rounds = 3 }) {
    const parse = PEERS[peer];
    const texts = sizes.map((size) => ADVERSARIAL[family](size));
    const docs = texts.map((text) => validDocument(text.length));
    const times = sizes.map(() => []);
    const bases = sizes.map(() => []);
    let threw = false;
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < sizes.length; i++) {
        times[i].push(
          await timeOf(async () => {
            try {
              await parse(texts[i]);
            } catch {
              threw = true;
            }
          }, minMs / rounds),
        );
        bases[i].push(await timeOf(() => JSON.parse(docs[i]), minMs / rounds));
      }
    }
    const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
    return sizes.map((size, i) => ({ size, ms: median(times[i]), baseMs: median(bases[i]), threw }));
  },

  async adversarial({ peer, family, size, minMs }) {
    const parse = PEERS[peer];
    const text = ADVERSARIAL[family](size);
    const doc = validDocument(text.length);
    let threw = false;
    const run = async () => {
      try {
        await parse(text);
      } catch {
        threw = true;
      }
    };
    const ms = await timeOf(run, minMs);
    const baseMs = await timeOf(() => JSON.parse(doc), minMs);
    return { ms, baseMs, threw, chars: text.length };
  },

  async stream({ family, size, chunk, minMs }) {
    const text = ADVERSARIAL[family](size);
    const doc = validDocument(text.length);
    const ms = await timeOf(() => streamInChunks(text, chunk), minMs);
    const baseMs = await timeOf(() => JSON.parse(doc), minMs);
    return { ms, baseMs, chars: text.length };
  },
};

const { kind, ...job } = workerData;
parentPort.postMessage(await jobs[kind](job));
