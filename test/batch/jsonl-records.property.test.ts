// How lines are read must not depend on where the input is cut: chunk sizes and read
// sizes are random, lines come from random building blocks (BOMs, \r\n, blank lines,
// broken JSON, multi-byte text), and the output must equal reading it in one piece.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineChunks } from "../../src/batch/batch-run.js";
import { chunkLines, processChunk, processLine, RecordProcessor } from "../../src/batch/jsonl-records.js";
import { resolveFormats } from "../../src/formats/formats.js";
import { actionJson, anyText, nastyText } from "../support/arbitraries.js";
import { loadNativeCorpus } from "../support/native-corpus.js";

const processor = new RecordProcessor({ field: "completion", roleField: "role", idField: "id", fallback: "noop", formats: [], detail: false }, true);
const utf8 = new TextEncoder();

const completion = fc.oneof(
  fc.constant('{"action_type": "restart", "target": "db"}'),
  fc.constant("Looking… ```json\n{\"action_type\": \"scale\", \"args\": {\"replicas\": 3}}\n```"),
  fc.string({ unit: "binary", maxLength: 12 }),
);
const line = fc.oneof(
  fc.record({ id: fc.nat(), role: fc.constantFrom("sre", "dev", "ceo"), completion }).map((r) => JSON.stringify(r)),
  fc.constantFrom("", " ", "oops", '{"role": "sre"', "NaN", '{"id": NaN, "role": "dev", "completion": "{}"}'),
);
const decorated = fc.tuple(line, fc.boolean(), fc.boolean()).map(([text, bom, crlf]) => `${bom ? "\uFEFF" : ""}${text}${crlf ? "\r" : ""}`);

async function* pieces(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    yield bytes.slice(at, at + size);
    at += size;
  }
}

async function outputOf(bytes: Uint8Array, sizes: number[], chunkBytes: number): Promise<string> {
  let out = "";
  let firstLine = 1;
  for await (const chunk of lineChunks(pieces(bytes, sizes), chunkBytes)) {
    const result = processChunk(chunk, firstLine, processor, false);
    firstLine += result.lines;
    out += Buffer.from(result.output).toString("utf8");
  }
  return out;
}

describe("lineChunks + processChunk", () => {
  it("give the same output lines however the input is cut", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(decorated, { minLength: 1, maxLength: 40 }), fc.boolean(), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 300 }), async (lines, finalNewline, sizes, chunkBytes) => {
        const text = lines.join("\n") + (finalNewline ? "\n" : "");
        const bytes = utf8.encode(text);
        const whole = await outputOf(bytes, [bytes.length], bytes.length + 1);
        expect(await outputOf(bytes, sizes, chunkBytes)).toBe(whole);
        // One output line per input line (an empty text has none; a final newline ends the last line).
        const expected = text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
        expect(whole.split("\n").length - 1).toBe(expected);
      }),
    );
  });

  it("reads a line with a byte order mark as the same line without one", () => {
    const text = JSON.stringify({ role: "sre", completion: '{"action_type": "resolve"}' });
    const plain = Buffer.from(processChunk(utf8.encode(`${text}\n`), 1, processor, false).output).toString();
    expect(Buffer.from(processChunk(utf8.encode(`\uFEFF${text}\n`), 1, processor, false).output).toString()).toBe(plain);
  });

  it("gives a record that breaks the parser an error line of its own; the rest are kept", () => {
    const breaking = { line: (text: string, n: number) => (text === "boom" ? (() => { throw new RangeError("Maximum call stack size exceeded"); })() : processor.line(text, n)) };
    const input = ['{"role": "sre", "completion": "{}"}', "boom", '{"role": "dev", "completion": "{}"}'].join("\n");
    const result = processChunk(utf8.encode(input), 7, breaking, false);
    const out = Buffer.from(result.output).toString().trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((r) => r.role ?? r.line)).toEqual(["sre", 8, "dev"]);
    expect(out[1]?.error).toContain("RangeError");
    expect(result.errors).toEqual([{ index: 1, message: expect.stringContaining("could not be processed") }]);
  });
});

/** Random bytes with newlines, carriage returns, BOMs and cut multi-byte characters among them. */
const rawBytes = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 8 }),
      fc.constantFrom([0x0a], [0x0d, 0x0a], [0x0d], [0xef, 0xbb, 0xbf], [0xe2, 0x80], [0xf0, 0x9f, 0x98], [0xc3]).map((b) => Uint8Array.from(b)),
      line.map((text) => utf8.encode(text)),
    ),
    { maxLength: 30 },
  )
  .map((parts) => Buffer.concat(parts));

/** The reading of a chunk by its definition: decode it whole, split the text into lines, process each. */
function reference(bytes: Uint8Array): string {
  return chunkLines(Buffer.from(bytes).toString("utf8"))
    .map((text, i) => `${processLine(processor, text, i + 1).json}\n`)
    .join("");
}

describe("processChunk", () => {
  it("reads any bytes as decoding the whole chunk would (lines are cut and decoded one by one), into any spent buffer", () => {
    fc.assert(
      fc.property(rawBytes, fc.option(fc.nat({ max: 4096 }), { nil: undefined }), (bytes, spent) => {
        // A spent buffer holds old output: whatever is in it must not show.
        const reuse = spent === undefined ? undefined : new Uint8Array(spent).fill(0x7b).buffer;
        const result = processChunk(bytes, 1, processor, false, reuse);
        expect(Buffer.from(result.output).toString("utf8")).toBe(reference(bytes));
        expect(result.output.byteOffset).toBe(0);
      }),
    );
  });

  it("grows its output past the spent buffer's size and past its first guess (long, multi-byte records)", () => {
    const record = JSON.stringify({ role: "sre", completion: `{"action_type": "communicate", "args": {"message": "${"é€😀".repeat(4000)}"}}` });
    const bytes = utf8.encode(`${record}\n${record}\n`);
    const result = processChunk(bytes, 1, processor, false, new ArrayBuffer(16));
    expect(Buffer.from(result.output).toString("utf8")).toBe(reference(bytes));
  });
});

describe("lineChunks", () => {
  it("never touches a chunk it has handed out: a consumer may refill it at once (buffer reuse)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(decorated, { minLength: 1, maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 300 }), async (lines, sizes, chunkBytes) => {
        const bytes = utf8.encode(`${lines.join("\n")}\n`);
        const longest = Math.max(...lines.map((text) => utf8.encode(text).length + 1));
        const pool: Buffer[] = [];
        // Spent buffers come back to be filled again, as the workers' do.
        const allocate = (size: number): Buffer => {
          const index = pool.findIndex((buffer) => buffer.length === size);
          return index < 0 ? Buffer.alloc(size) : (pool.splice(index, 1)[0] as Buffer);
        };
        const seen: Buffer[] = [];
        for await (const chunk of lineChunks(pieces(bytes, sizes), chunkBytes, allocate)) {
          expect(chunk.byteOffset).toBe(0);
          // Bounded: the chunk size, or a few times the longest line when a line is longer.
          expect(chunk.length).toBeLessThanOrEqual(Math.max(chunkBytes, 4 * longest));
          seen.push(Buffer.from(chunk));
          const buffer = Buffer.from(chunk.buffer);
          buffer.fill(0x0a);
          pool.push(buffer);
        }
        expect(Buffer.concat(seen).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });
});

describe("RecordProcessor without explanations", () => {
  const options = { field: "completion", roleField: "role", idField: "id", fallback: "noop" as const, detail: false };
  const native = loadNativeCorpus("sample").map((c) => c.raw);
  const text = fc.oneof(completion, nastyText, anyText, actionJson, fc.constantFrom(...native));

  it.each([
    ["the reference's search", false],
    ["lenient", true],
  ])("writes what an explaining processor writes, %s", (_name, lenient) => {
    const resolved = lenient ? [...resolveFormats("lenient", "test")] : [];
    const plain = new RecordProcessor({ ...options, formats: resolved }, false);
    const explaining = new RecordProcessor({ ...options, formats: resolved }, true);
    fc.assert(
      fc.property(text, fc.constantFrom("sre", "dev", "manager", "oversight"), fc.option(fc.nat(), { nil: undefined }), (raw, role, id) => {
        const line = JSON.stringify({ id, role, completion: raw });
        const fast = processLine(plain, line, 1);
        const explained = processLine(explaining, line, 1);
        expect(fast.json).toBe(explained.json);
        expect(fast.result.ok && fast.result.detail).toBe(undefined);
      }),
    );
  });
});
