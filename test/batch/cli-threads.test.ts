// Inputs large enough for the worker threads (the main thread parses small ones alone,
// and the first chunks of large ones while the threads start): however the work is
// split between threads, the output is the one reading of the whole input, in order.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { THREADS_FROM_BYTES } from "../../src/batch/batch-run.js";
import { processChunk, RecordProcessor } from "../../src/batch/jsonl-records.js";
import { loadGolden, type ParseCase } from "../support/golden.js";
import { runCli } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "chaosops-threads-"));
const cases = loadGolden<ParseCase>("parse");

/** Records from the reference's cases, with malformed lines, BOMs, CRLF, blank lines and multi-byte text among them. */
const line = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...cases).map((c) => JSON.stringify({ id: c.id, role: c.role, completion: c.raw })) },
  { weight: 1, arbitrary: fc.constantFrom("", "not json", '{"role": "sre"', "NaN", '{"role": "ceo", "completion": "{}"}') },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }).map((text) => JSON.stringify({ role: "dev", completion: `{"action_type": "communicate", "args": {"message": ${JSON.stringify(text)}}}` })) },
);
const decorated = fc.tuple(line, fc.boolean(), fc.boolean()).map(([text, bom, crlf]) => `${bom ? "\uFEFF" : ""}${text}${crlf ? "\r" : ""}`);

/** About `bytes` of input from a fixed seed (the same file on every run). */
function input(bytes: number, seed: number): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (const batch of fc.sample(fc.array(decorated, { minLength: 500, maxLength: 500 }), { seed, numRuns: 1000 })) {
    for (const text of batch) {
      lines.push(text);
      size += Buffer.byteLength(text) + 1;
    }
    if (size >= bytes) break;
  }
  return Buffer.from(lines.join("\n"));
}

const processor = new RecordProcessor({ field: "completion", roleField: "role", idField: "id", fallback: "noop", formats: [], detail: false }, false);
// Larger than the threshold from a file; from a pipe the threads start once the main thread has done that much.
const big = input(THREADS_FROM_BYTES * 1.25, 7);
const file = join(dir, "big.jsonl");
writeFileSync(file, big);
const expected = Buffer.from(processChunk(big, 1, processor, false).output).toString("utf8");

describe("chaosops parse on an input for threads", () => {
  it.each(["1", "2"])("--jobs %s writes the whole input's reading, from a file and from a pipe", (jobs) => {
    const out = join(dir, `big.${jobs}.out`);
    const fromFile = runCli(["parse", file, "--jobs", jobs, "-q", "--stats", "-o", out]);
    expect(fromFile.status).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(expected);
    expect(fromFile.stderr).toMatch(/worker threads online after [\d.]+ s/);
    const fromPipe = runCli(["parse", "-", "--jobs", jobs, "-q"], big);
    expect(fromPipe.status).toBe(0);
    expect(fromPipe.stdout).toBe(expected);
  }, 180_000);

  it("--strict stops at the first malformed line past the first chunks, with everything before it written", () => {
    const bad = new Set(processChunk(big, 1, processor, false).errors.map((error) => error.index));
    const good = big
      .toString("utf8")
      .split("\n")
      .filter((_, index) => !bad.has(index));
    const at = good.length - 100;
    const text = [...good.slice(0, at), "broken", ...good.slice(at)].join("\n");
    const strictFile = join(dir, "strict.jsonl");
    writeFileSync(strictFile, text);
    const { status, stdout, stderr } = runCli(["parse", strictFile, "--strict", "-q", "--jobs", "2", "--stats"]);
    expect(stderr).toMatch(/worker threads online after [\d.]+ s/);
    expect(status).toBe(1);
    expect(stderr).toContain(`line ${at + 1}:`);
    expect(stdout).toBe(Buffer.from(processChunk(Buffer.from(`${good.slice(0, at).join("\n")}\n`), 1, processor, false).output).toString());
  }, 180_000);
});
