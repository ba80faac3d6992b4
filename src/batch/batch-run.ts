/**
 * The parallel pipeline of `chaosops parse`: the input is cut into chunks of whole
 * lines, parsed by `jobs` threads (the main thread, which has little else to do, and
 * jobs - 1 workers), and written back in input order. Workers are kept fed first; the
 * main thread parses a chunk itself whenever they all have enough queued. At most a few
 * chunks per job are waiting to be written, so memory does not grow with the input.
 */
import { Worker } from "node:worker_threads";
import { StatsCounter } from "./batch-stats.js";
import { processChunk, RecordProcessor, type ChunkResult, type RecordOptions } from "./jsonl-records.js";
import type { Progress } from "./progress.js";

/** Lines are handed to workers in chunks of about this many bytes. */
const CHUNK_BYTES = 256 * 1024;
const NEWLINE = 0x0a;
const IN_FLIGHT_PER_WORKER = 3;
/** Chunks done or in progress but not yet written, per job: the reordering window. */
const WINDOW_PER_JOB = 4;

export interface RunOptions {
  readonly records: RecordOptions;
  readonly jobs: number;
  readonly stats: boolean;
  readonly strict: boolean;
  readonly write: (bytes: Uint8Array) => Promise<void>;
  readonly report: (message: string) => void;
  readonly progress?: Progress;
}

export interface RunSummary {
  readonly records: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly malformed: number;
  /** True when --strict stopped the run at a malformed line. */
  readonly stopped: boolean;
  readonly stats: StatsCounter;
}

interface Pending {
  readonly firstLine: number;
  readonly bytes: number;
  /** The worker parsing it, or -1 when the main thread did. */
  readonly worker: number;
  result?: ChunkResult;
}

/**
 * Whole lines from a stream of bytes (or text), in chunks of about CHUNK_BYTES, each in
 * a buffer of its own so it can be handed to a worker without a copy.
 */
async function* lineChunks(input: AsyncIterable<string | Buffer>): AsyncGenerator<Uint8Array> {
  let pieces: Buffer[] = [];
  let size = 0;
  const take = (end: number): Uint8Array => {
    const all = Buffer.concat(pieces, size);
    const chunk = new Uint8Array(end);
    chunk.set(all.subarray(0, end));
    pieces = end < size ? [all.subarray(end)] : [];
    size -= end;
    return chunk;
  };
  for await (const piece of input) {
    const bytes = typeof piece === "string" ? Buffer.from(piece) : piece;
    pieces.push(bytes);
    size += bytes.length;
    if (size < CHUNK_BYTES) continue;
    const lastNewline = bytes.lastIndexOf(NEWLINE);
    // The chunk ends after the last newline so far (always inside the newest piece, when it has one).
    if (lastNewline >= 0) yield take(size - bytes.length + lastNewline + 1);
  }
  if (size > 0) yield take(size);
}

function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let at = bytes.indexOf(NEWLINE); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) n++;
  return bytes[bytes.length - 1] === NEWLINE ? n : n + 1;
}

export async function runParse(input: AsyncIterable<string | Buffer>, options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const jobs = Math.max(1, Math.floor(options.jobs));
  const stats = new StatsCounter();
  const inline = new RecordProcessor(options.records, options.stats);
  const utf8 = new TextDecoder();
  const workers = Array.from(
    { length: jobs - 1 },
    () => new Worker(new URL("./batch-worker.js", import.meta.url), { workerData: { options: options.records, stats: options.stats } }),
  );
  const pending = new Map<number, Pending>();
  /** Chunks each worker has not answered yet: a new chunk goes to the least busy one. */
  const busy = new Array<number>(jobs - 1).fill(0);
  let nextToWrite = 0;
  let sent = 0;
  let records = 0;
  let bytes = 0;
  let malformed = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  let failure: Error | undefined;

  for (const worker of workers) {
    worker.on("message", (message: ChunkResult & { seq: number }) => {
      const slot = pending.get(message.seq);
      if (slot) {
        slot.result = message;
        busy[slot.worker] = (busy[slot.worker] ?? 1) - 1;
      }
      wake?.();
    });
    worker.on("error", (error) => {
      failure = error;
      wake?.();
    });
  }
  /** Waits until the chunk next in order is done (checking first: it may be done already). */
  const waitForNext = async (): Promise<void> => {
    while (!failure && !pending.get(nextToWrite)?.result) await new Promise<void>((resolve) => (wake = resolve));
    if (failure) throw failure;
  };

  /** Writes every finished chunk that is next in order, until --strict stops the run. */
  const flush = async (): Promise<void> => {
    for (let slot = pending.get(nextToWrite); slot?.result; slot = pending.get(nextToWrite)) {
      const { result } = slot;
      pending.delete(nextToWrite++);
      let end = result.output.byteLength;
      let lines = result.lines;
      for (const { index, offset, message } of result.errors) {
        options.report(`line ${slot.firstLine + index}: ${message}`);
        malformed++;
        if (options.strict) {
          end = offset;
          lines = index;
          stopped = true;
          break;
        }
      }
      await options.write(result.output.subarray(0, end));
      records += lines;
      bytes += slot.bytes;
      if (options.stats) stats.merge(result.counts);
      options.progress?.update(records, bytes);
      if (stopped) return;
    }
  };

  try {
    let firstLine = 1;
    for await (const bytes of lineChunks(input)) {
      while (!stopped && pending.size >= jobs * WINDOW_PER_JOB) {
        await waitForNext();
        await flush();
      }
      if (stopped) break;
      const seq = sent++;
      const lines = countLines(bytes);
      const worker = busy.findIndex((n) => n < IN_FLIGHT_PER_WORKER);
      if (worker >= 0) {
        busy[worker] = (busy[worker] ?? 0) + 1;
        pending.set(seq, { firstLine, bytes: bytes.byteLength, worker });
        workers[worker]?.postMessage({ seq, bytes, firstLine }, [bytes.buffer as ArrayBuffer]);
      } else {
        const result = processChunk(utf8.decode(bytes), firstLine, inline, options.stats);
        pending.set(seq, { firstLine, bytes: bytes.byteLength, worker: -1, result });
        await flush();
      }
      firstLine += lines;
    }
    while (!stopped && pending.size > 0) {
      await waitForNext();
      await flush();
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
    options.progress?.finish();
  }
  return { records, bytes, seconds: (performance.now() - started) / 1000, malformed, stopped, stats };
}
