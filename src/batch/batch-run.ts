/**
 * The parallel pipeline of `chaosops parse`. The main thread only moves bytes: it cuts
 * the input into chunks of whole lines, each in a buffer of its own that is handed
 * (transferred, not copied) to one of `jobs` worker threads, and writes each chunk's
 * output, also transferred back as bytes, as soon as it is next in input order. At most
 * a few chunks per worker are in flight, so memory does not grow with the input.
 */
import { Worker } from "node:worker_threads";
import { StatsCounter } from "./batch-stats.js";
import type { ChunkResult, RecordOptions } from "./jsonl-records.js";
import type { Progress } from "./progress.js";

/** Lines are handed to workers in chunks of about this many bytes. */
export const CHUNK_BYTES = 256 * 1024;
const NEWLINE = 0x0a;
/** Chunks queued per worker: enough that a worker never waits for the next one. */
const IN_FLIGHT_PER_WORKER = 3;

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
  /** The whole run, and the part of it spent starting the worker threads. */
  readonly seconds: number;
  readonly startupSeconds: number;
  readonly malformed: number;
  /** True when --strict stopped the run at a malformed line. */
  readonly stopped: boolean;
  readonly stats: StatsCounter;
}

type WorkerReply = ChunkResult & { readonly seq: number };

/**
 * Whole lines from a stream of bytes (or text), in chunks of at least `chunkBytes`
 * (unless the input ends first), each ending just after a newline (but the last), each
 * in an ArrayBuffer of its own. A line longer than a chunk makes a chunk of its own size.
 */
export async function* lineChunks(input: AsyncIterable<Uint8Array | string>, chunkBytes = CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  let pieces: Uint8Array[] = [];
  let size = 0;
  const take = (end: number): Uint8Array => {
    const chunk = new Uint8Array(end);
    let at = 0;
    const rest: Uint8Array[] = [];
    for (const piece of pieces) {
      const used = Math.min(piece.length, end - at);
      if (used > 0) chunk.set(used === piece.length ? piece : piece.subarray(0, used), at);
      if (used < piece.length) rest.push(piece.subarray(used));
      at += used;
    }
    pieces = rest;
    size -= end;
    return chunk;
  };
  for await (const piece of input) {
    const bytes = typeof piece === "string" ? Buffer.from(piece) : piece;
    if (bytes.length === 0) continue;
    pieces.push(bytes);
    size += bytes.length;
    if (size < chunkBytes) continue;
    const lastNewline = bytes.lastIndexOf(NEWLINE);
    // The chunk ends after the last newline so far (always inside the newest piece, when it has one).
    if (lastNewline >= 0) yield take(size - bytes.length + lastNewline + 1);
  }
  if (size > 0) yield take(size);
}

function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let at = bytes.indexOf(NEWLINE); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) n++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== NEWLINE ? n + 1 : n;
}

/** Where the output of a chunk's first `lines` lines ends (each output line ends with a newline). */
function endOfLines(output: Uint8Array, lines: number): number {
  let end = 0;
  for (let i = 0; i < lines; i++) end = output.indexOf(NEWLINE, end) + 1;
  return end;
}

/** A pool of worker threads, each with a queue of chunks, answering in any order. */
class Workers {
  private readonly threads: Worker[];
  private readonly busy: number[];
  private readonly done = new Map<number, WorkerReply>();
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  /** Resolves when every thread has loaded the parser (what throughput leaves out). */
  readonly online: Promise<void>;

  constructor(jobs: number, options: RecordOptions, stats: boolean) {
    this.threads = Array.from(
      { length: jobs },
      () => new Worker(new URL("./batch-worker.js", import.meta.url), { workerData: { options, stats } }),
    );
    this.busy = this.threads.map(() => 0);
    const ready: (() => void)[] = [];
    this.online = Promise.all(this.threads.map((_, i) => new Promise<void>((resolve) => (ready[i] = resolve)))).then(() => undefined);
    this.threads.forEach((thread, index) => {
      thread.on("message", (reply: WorkerReply | { ready: true }) => {
        if ("ready" in reply) return ready[index]?.();
        this.busy[index] = (this.busy[index] ?? 1) - 1;
        this.done.set(reply.seq, reply);
        this.wake?.();
      });
      thread.on("error", (error: Error) => this.fail(error));
      thread.on("exit", (code) => this.fail(new Error(`a worker thread stopped (exit code ${code})`)));
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
  }

  /** Hands a chunk to the least busy thread; false when every queue is full. */
  trySend(seq: number, bytes: Uint8Array, firstLine: number): boolean {
    let chosen = -1;
    for (let i = 0; i < this.busy.length; i++) {
      const n = this.busy[i] ?? 0;
      if (n < IN_FLIGHT_PER_WORKER && (chosen < 0 || n < (this.busy[chosen] ?? 0))) chosen = i;
    }
    if (chosen < 0) return false;
    this.busy[chosen] = (this.busy[chosen] ?? 0) + 1;
    this.threads[chosen]?.postMessage({ seq, bytes, firstLine }, [bytes.buffer as ArrayBuffer]);
    return true;
  }

  take(seq: number): WorkerReply | undefined {
    const reply = this.done.get(seq);
    this.done.delete(seq);
    return reply;
  }

  has(seq: number): boolean {
    return this.done.has(seq);
  }

  /** Waits for the next reply (or failure) from any thread. */
  async next(): Promise<void> {
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    for (const thread of this.threads) thread.removeAllListeners("exit");
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }
}

export async function runParse(input: AsyncIterable<Uint8Array | string>, options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  let startupSeconds = 0;
  const workers = new Workers(Math.max(1, Math.floor(options.jobs)), options.records, options.stats);
  void workers.online.then(() => (startupSeconds = (performance.now() - started) / 1000));
  const stats = new StatsCounter();
  /** First line number and input size of each chunk sent and not yet written. */
  const sent = new Map<number, { firstLine: number; bytes: number }>();
  let nextSeq = 0;
  let nextToWrite = 0;
  let records = 0;
  let bytes = 0;
  let malformed = 0;
  let stopped = false;

  /** Writes every finished chunk that is next in order, until --strict stops the run. */
  const flush = async (): Promise<void> => {
    for (let reply = workers.take(nextToWrite); reply; reply = workers.take(nextToWrite)) {
      const chunk = sent.get(nextToWrite);
      sent.delete(nextToWrite++);
      let { output, lines } = reply;
      for (const { index, message } of reply.errors) {
        options.report(`line ${(chunk?.firstLine ?? 0) + index}: ${message}`);
        malformed++;
        if (options.strict) {
          output = output.subarray(0, endOfLines(output, index));
          lines = index;
          stopped = true;
          break;
        }
      }
      await options.write(output);
      records += lines;
      bytes += chunk?.bytes ?? 0;
      if (options.stats) stats.merge(reply.counts);
      options.progress?.update(records, bytes);
      if (stopped) return;
    }
  };

  try {
    let firstLine = 1;
    for await (const chunk of lineChunks(input)) {
      const seq = nextSeq++;
      sent.set(seq, { firstLine, bytes: chunk.byteLength });
      firstLine += countLines(chunk);
      while (!workers.trySend(seq, chunk, sent.get(seq)?.firstLine ?? 0)) {
        await workers.next();
        await flush();
        if (stopped) break;
      }
      if (stopped) break;
      await flush();
      if (stopped) break;
    }
    while (!stopped && sent.size > 0) {
      if (!workers.has(nextToWrite)) await workers.next();
      await flush();
    }
  } finally {
    await workers.close();
    options.progress?.finish();
  }
  const seconds = (performance.now() - started) / 1000;
  return { records, bytes, seconds, startupSeconds: Math.min(startupSeconds, seconds), malformed, stopped, stats };
}
