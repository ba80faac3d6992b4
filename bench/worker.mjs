// One benchmark job, in its own thread so a library that hangs can be stopped.
import { parentPort, workerData } from "node:worker_threads";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { ADVERSARIAL, cleanActions, longReasoningCases, nativeCases, realisticCorpus, validDocument } from "./corpus.mjs";
import { PEERS, streamInChunks } from "./peers.mjs";

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Median CPU time of one call, in milliseconds, over at least `minMs` of calls (and 3
 * batches). CPU time, not wall time: on a shared machine another process taking the
 * core does not count. Calls are timed in batches of at least a millisecond, so that
 * the clock's resolution does not matter for the fast ones.
 */
async function timeOf(fn, minMs) {
  let start = cpuMs();
  await fn();
  const first = cpuMs() - start;
  const perBatch = Math.max(1, Math.min(10_000, Math.ceil(1 / Math.max(first, 1e-4))));
  const times = [];
  let spent = first;
  while (times.length < 3 || (spent < minMs && times.length < 200)) {
    start = cpuMs();
    for (let i = 0; i < perBatch; i++) await fn();
    const took = cpuMs() - start;
    times.push(took / perBatch);
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

/** The golden files write non-finite floats as {"$float": "NaN" | "Infinity" | "-Infinity"} (test/support/golden.ts). */
function decodeFloats(_key, value) {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "$float") return Number(value.$float);
  }
  return value;
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

/**
 * Runs `fn` (at least once) until `ms` of CPU time have passed. The optimiser tiers a
 * library's code up over its first second or so of work (the lenient path's many small
 * readers took about a second to settle on the native sample); timed before that, a row
 * measures where the compiler happened to be.
 */
async function warmUp(fn, ms) {
  const start = cpuMs();
  do await fn();
  while (cpuMs() - start < ms);
}

/**
 * Each of `loops` against `baseline`, interleaved so that drift on a shared machine hits
 * them all alike: the median time of each loop and of the baseline, and the median of
 * each loop's ratios to the baseline's time in the same round.
 */
async function againstBaseline(baseline, loops, minMs, rounds = 7, warmMs = 0) {
  const names = Object.keys(loops);
  for (const name of names) await warmUp(loops[name], warmMs);
  await warmUp(baseline, warmMs);
  const times = Object.fromEntries(names.map((name) => [name, []]));
  const ratios = Object.fromEntries(names.map((name) => [name, []]));
  const bases = [];
  for (let i = 0; i < rounds; i++) {
    for (const name of names) times[name].push(await timeOf(loops[name], minMs));
    bases.push(await timeOf(baseline, minMs));
    for (const name of names) ratios[name].push(times[name].at(-1) / bases.at(-1));
  }
  const each = Object.fromEntries(names.map((name) => [name, { ms: median(times[name]), ratio: median(ratios[name]) }]));
  return { baseMs: median(bases), ...each };
}

/** `a` against `b`: againstBaseline with one loop. */
async function sideBySide(a, b, minMs, rounds = 7, warmMs = 0) {
  const { baseMs, loop } = await againstBaseline(b, { loop: a }, minMs, rounds, warmMs);
  return { ms: loop.ms, baseMs, ratio: loop.ratio };
}

/**
 * Runs of text outside strings with every string in them, whole: a match stops at the
 * first brace outside a string (or at a quote whose string never closes).
 */
const OUTSIDE_BRACES = /[^"{}]*(?:"[^"\\]*(?:\\[\s\S][^"\\]*)*"[^"{}]*)*/y;

/**
 * The least the reference's balanced-block rule needs to know before `end`: where its
 * strings are (a quote toggles string state from the text's first character, even
 * outside braces) and how deep the braces go. The fastest way we found (a red-team
 * session tried ten): the regex engine skips strings and chatter, JavaScript counts braces.
 */
function trackStringsAndBraces(text, end) {
  let depth = 0;
  for (let at = 0; ; at++) {
    OUTSIDE_BRACES.lastIndex = at;
    OUTSIDE_BRACES.test(text);
    at = OUTSIDE_BRACES.lastIndex;
    if (at >= end) return depth;
    const c = text.charCodeAt(at);
    if (c === 0x22) return depth; // a string that runs to the end
    if (c === 0x7b) depth++;
    else if (depth > 0) depth--;
  }
}

/** JSON.parse of `text`, where a throw is part of what is measured. */
function parseOrUndefined(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * What the golden cases cost a parser given more than the text: where the candidate
 * parseAction takes lies (cut out beforehand), and every candidate the reference's order
 * tries. They are reference points, not a proven floor: a parser cannot beat a
 * JSON.parse of the candidate it takes, but a JSON.parse that succeeds also proves
 * where the strings of the text it read are, so the read before it could be shorter.
 */
async function goldenReferencePoints(cases) {
  const { locateAction } = await import("../dist/parsing/parse-action.js");
  const { resolveOptions } = await import("../dist/parsing/parse-options.js");
  const { findCandidate, REFERENCE_SOURCES } = await import("../dist/scanning/candidates.js");
  const { decodeActionFields } = await import("../dist/python/json-dialect.js");
  const taken = cases.map((c) => {
    const { text, candidate } = locateAction(c.raw, resolveOptions(c, "bench"));
    return { text, end: candidate ? candidate.end : text.length, json: candidate ? text.slice(candidate.start, candidate.end) : undefined };
  });
  const tried = taken.map(({ text }) => {
    const spans = [];
    findCandidate(text, (t, start, end) => (spans.push(t.slice(start, end)), decodeActionFields(t, start, end)), REFERENCE_SOURCES);
    return spans;
  });
  const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
  return {
    takenAlone: () => {
      for (const { json } of taken) if (json !== undefined) parseOrUndefined(json);
    },
    stringsThenTaken: () => {
      for (const { text, end, json } of taken) {
        trackStringsAndBraces(text, end);
        if (json !== undefined) parseOrUndefined(json);
      }
    },
    referenceOrder: () => {
      for (const spans of tried) {
        for (const span of spans) if (isObject(parseOrUndefined(span))) break;
      }
    },
  };
}

const jobs = {
  async robustness({ peer, families, perFamily }) {
    const parse = PEERS[peer];
    const byFamily = {};
    for (const family of families) {
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
      byFamily[family] = { cases: cases.length, ok, threw };
    }
    return byFamily;
  },

  async corpusSpeed({ peer, corpus, perFamily, minMs, warmMs }) {
    const parse = PEERS[peer];
    const texts = corpus === "clean" ? cleanActions(perFamily * 9) : realisticCorpus(perFamily).map((c) => c.text);
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    const run = async () => {
      for (const text of texts) {
        try {
          // Only a peer that answers with a promise is waited for: an await per text would
          // charge a synchronous parser a microtask that is not its cost.
          const out = parse(text);
          if (out instanceof Promise) await out;
        } catch {
          // a throw is part of the library's cost
        }
      }
    };
    const baselineTexts = corpus === "clean" ? texts : realisticCorpus(perFamily).map((c) => JSON.stringify(c.intended));
    const baseline = () => {
      for (const text of baselineTexts) JSON.parse(text);
    };
    await warmUp(run, warmMs ?? 0);
    await warmUp(baseline, warmMs ?? 0);
    const ms = await timeOf(run, minMs);
    const baseMs = await timeOf(baseline, minMs);
    return { ms, baseMs, count: texts.length, bytes };
  },

  /** parseAction over the reference's golden parse cases, against JSON.parse of each expected action. */
  async golden({ minMs, rounds, warmMs }) {
    const lines = readFileSync(new URL("../test/fixtures/golden/parse.jsonl", import.meta.url), "utf8").trim().split("\n");
    const cases = lines.map((line) => JSON.parse(line, decodeFloats));
    const expected = cases.map((c) => JSON.stringify(c.expect));
    const { parseAction } = await import("../dist/index.js");
    // Benchmarks assert before they time: every answer must be the reference's.
    const wrong = cases.filter((c) => !isDeepStrictEqual(parseAction(c.raw, { role: c.role, fallback: c.fallback }), c.expect));
    if (wrong.length > 0) return { error: `parseAction differs from the reference on ${wrong.length} golden cases, e.g. ${wrong[0].id}` };
    const run = () => {
      for (const c of cases) parseAction(c.raw, { role: c.role, fallback: c.fallback });
    };
    const baseline = () => {
      for (const text of expected) JSON.parse(text);
    };
    const loops = { parseAction: run, ...(await goldenReferencePoints(cases)) };
    return { count: cases.length, ...(await againstBaseline(baseline, loops, minMs, rounds, warmMs)) };
  },

  /** Lenient against default on clean actions: what turning formats on costs a model that writes plain JSON. */
  async lenientClean({ minMs, count, rounds, warmMs }) {
    const { parseAction } = await import("../dist/index.js");
    const texts = cleanActions(count);
    const lenient = { role: "sre", formats: "lenient" };
    const plain = { role: "sre" };
    const wrong = texts.filter((t) => !isDeepStrictEqual(parseAction(t, lenient), parseAction(t, plain)));
    if (wrong.length > 0) return { error: `lenient and default differ on ${wrong.length} clean actions, e.g. ${wrong[0]}` };
    const run = (options) => () => {
      for (const text of texts) parseAction(text, options);
    };
    return { count: texts.length, ...(await sideBySide(run(lenient), run(plain), minMs, rounds, warmMs)) };
  },

  /**
   * One library on the native-syntax completions (and the formats cases), or on the
   * completions with long reasoning (`set`): how many answers it gets, and its time
   * against JSON.parse of the answers alone.
   */
  async native({ peer, minMs, rounds, warmMs, set = "native" }) {
    const cases = set === "long reasoning" ? longReasoningCases() : nativeCases();
    const parse = PEERS[peer];
    let ok = 0;
    let exact = 0;
    let threw = 0;
    const misses = [];
    // The first pass, cold, is timed apart from the checks: what a short script gets.
    const values = [];
    const coldStart = cpuMs();
    for (const c of cases) {
      try {
        const out = parse(c.raw, c);
        values.push({ value: out instanceof Promise ? await out : out });
      } catch {
        values.push(undefined);
      }
    }
    const coldMs = cpuMs() - coldStart;
    cases.forEach((c, i) => {
      const result = values[i];
      if (result === undefined) {
        threw++;
        return;
      }
      const meant = recovered(result.value, c.expect);
      if (meant) ok++;
      if (c.exact ? isDeepStrictEqual(result.value, c.expect) : meant) exact++;
      else misses.push(c.id);
    });
    const answers = cases.map((c) => JSON.stringify(c.expect));
    const run = async () => {
      for (const c of cases) {
        try {
          const out = parse(c.raw, c); // waited for only when a promise, as in corpusSpeed
          if (out instanceof Promise) await out;
        } catch {
          // a throw is part of the library's cost
        }
      }
    };
    const baseline = () => {
      for (const text of answers) JSON.parse(text);
    };
    return { count: cases.length, ok, exact, threw, misses: misses.slice(0, 5), coldMs, ...(await sideBySide(run, baseline, minMs, rounds, warmMs)) };
  },

  /** The native-syntax texts' strings and braces tracked to their end, then JSON.parse of each answer: a reference point beside the lenient row. */
  async nativeReference({ minMs, rounds, warmMs }) {
    const cases = nativeCases();
    const answers = cases.map((c) => JSON.stringify(c.expect));
    const tracked = () => {
      for (let i = 0; i < cases.length; i++) {
        trackStringsAndBraces(cases[i].raw, cases[i].raw.length);
        JSON.parse(answers[i]);
      }
    };
    const baseline = () => {
      for (const text of answers) JSON.parse(text);
    };
    return { count: cases.length, ...(await sideBySide(tracked, baseline, minMs, rounds, warmMs)) };
  },

  /**
   * One library on one family at every size, measured round-robin in one thread, so
   * that drift on a shared machine hits every size alike (the growth ratio compares them).
   */
  async scaling({ peer, family, sizes, minMs, rounds = 3, warmMs = 0 }) {
    const parse = PEERS[peer];
    const texts = sizes.map((size) => ADVERSARIAL[family](size));
    const docs = texts.map((text) => validDocument(text.length));
    const times = sizes.map(() => []);
    const bases = sizes.map(() => []);
    let threw = false;
    // Warm-up: the optimiser's first passes are not the input's cost (a 1 MiB input runs
    // only a few times while it is timed, and a growth ratio between a warm small size and
    // a cold large one measures the compiler).
    for (const text of texts) {
      await warmUp(async () => {
        try {
          await parse(text);
        } catch {
          threw = true;
        }
      }, warmMs / texts.length);
    }
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

  async stream({ family, size, chunk, minMs, lenient = false }) {
    const text = ADVERSARIAL[family](size);
    const doc = validDocument(text.length);
    const ms = await timeOf(() => streamInChunks(text, chunk, lenient), minMs);
    const baseMs = await timeOf(() => JSON.parse(doc), minMs);
    return { ms, baseMs, chars: text.length };
  },
};

/** Quick mode: our three modes on one family in one worker (starting a worker costs more than the work). */
jobs.ours = async ({ family, sizes, minMs, size, chunk }) => ({
  "chaosops-adapter": await jobs.scaling({ peer: "chaosops-adapter", family, sizes, minMs }),
  "chaosops-adapter (lenient)": await jobs.scaling({ peer: "chaosops-adapter (lenient)", family, sizes, minMs }),
  stream: await jobs.stream({ family, size, chunk, minMs }),
});

const { kind, ...job } = workerData;
parentPort.postMessage(await jobs[kind](job));
