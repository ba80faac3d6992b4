/**
 * The parallel pipeline of `chaosops parse`. The main thread only moves bytes: it copies
 * the input into chunk buffers, cuts each after its last newline (the partial line
 * after it starts the next buffer), hands each buffer (transferred, not copied) to one of
 * `jobs` worker threads, and writes each chunk's output, also transferred back as bytes,
 * as soon as it is next in input order. Both buffers come back to be used again, and at
 * most a few chunks per worker are in flight, so memory does not grow with the input.
 * Until the first worker has loaded the parser, the main thread (which has it loaded
 * already) processes chunks itself: a small input does not wait for thread start-up.
 */
import { Worker } from "node:worker_threads";
import { StatsCounter } from "./batch-stats.js";
import { processChunk, RecordProcessor, type ChunkResult, type RecordOptions } from "./jsonl-records.js";
import type { Progress } from "./progress.js";

/** Lines are handed to workers in chunks of at most this many bytes (unless a line is longer). */
export const CHUNK_BYTES = 256 * 1024;
const NEWLINE = 0x0a;
/**
 * Worker threads start for an input of at least this size (when known), or once the main
 * thread has processed this much: a thread takes about as long to load the parser as
 * the main thread takes to parse several MB (on a 20,000-record file, 5.6 MB, threads
 * made the run about 1.5x slower).
 */
export const THREADS_FROM_BYTES = 8 * 1024 * 1024;
/** Chunks queued per worker: enough that a worker never waits for the next one. */
const IN_FLIGHT_PER_WORKER = 3;

export interface RunOptions {
  readonly records: RecordOptions;
  readonly jobs: number;
  /** The input's size, when known (a file): a large one starts the threads at once. */
  readonly inputBytes?: number;
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
  /** When the first worker thread came online (the main thread parsed until then); undefined when none did. */
  readonly threadsOnlineSeconds: number | undefined;
  readonly malformed: number;
  /** True when --strict stopped the run at a malformed line. */
  readonly stopped: boolean;
  readonly stats: StatsCounter;
}

/** A chunk for a worker: its lines, the number of its first line, and a spent output buffer to write into. */
export interface ChunkRequest {
  readonly seq: number;
  readonly bytes: Uint8Array;
  readonly firstLine: number;
  readonly reuse?: ArrayBuffer;
}

/** A chunk done, with the input buffer it came in (free to be filled again). */
type ChunkReply = ChunkResult & { readonly seq: number; readonly spent?: ArrayBuffer };

/** A buffer of `size` bytes that owns its memory (so that it can be transferred). */
const ownBuffer = (size: number): Buffer => Buffer.allocUnsafeSlow(size);

/**
 * Whole lines from a stream of bytes (or text), in chunks of at most `chunkBytes` (or,
 * where a line is longer, at most a few times the longest line), each ending just after a
 * newline (but the last), each at the start of a buffer of its own from `allocate`,
 * which the consumer may keep or transfer: it is never touched again here.
 */
export async function* lineChunks(
  input: AsyncIterable<Uint8Array | string>,
  chunkBytes = CHUNK_BYTES,
  allocate: (size: number) => Buffer = ownBuffer,
): AsyncGenerator<Uint8Array> {
  let buffer = allocate(chunkBytes);
  let fill = 0;
  for await (const piece of input) {
    let bytes = typeof piece === "string" ? Buffer.from(piece) : piece;
    while (bytes.length > 0) {
      const used = Math.min(buffer.length - fill, bytes.length);
      buffer.set(used === bytes.length ? bytes : bytes.subarray(0, used), fill);
      fill += used;
      bytes = bytes.subarray(used);
      if (fill < buffer.length) continue;
      const cut = buffer.lastIndexOf(NEWLINE, fill - 1) + 1;
      if (cut === 0) {
        // One line fills the buffer: it grows (doubling keeps the rescans linear).
        const grown = allocate(2 * buffer.length);
        grown.set(buffer);
        buffer = grown;
        continue;
      }
      let size = chunkBytes;
      while (size <= fill - cut) size *= 2;
      const next = allocate(size);
      next.set(buffer.subarray(cut, fill));
      yield buffer.subarray(0, cut);
      buffer = next;
      fill -= cut;
    }
  }
  if (fill > 0) yield buffer.subarray(0, fill);
}

function countLines(bytes: Uint8Array): number {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  for (let at = buffer.indexOf(NEWLINE); at >= 0; at = buffer.indexOf(NEWLINE, at + 1)) n++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== NEWLINE ? n + 1 : n;
}

/** Where the output of a chunk's first `lines` lines ends (each output line ends with a newline). */
function endOfLines(output: Uint8Array, lines: number): number {
  let end = 0;
  for (let i = 0; i < lines; i++) end = output.indexOf(NEWLINE, end) + 1;
  return end;
}

/** Spent buffers kept for reuse: fresh memory costs page faults, reused memory does not. */
class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  constructor(private readonly keep: number) {}

  put(buffer: ArrayBuffer | undefined): void {
    if (buffer && this.free.length < this.keep) this.free.push(buffer);
  }

  /** A buffer of exactly `size` bytes (for chunks). */
  sized(size: number): Buffer {
    const index = this.free.findIndex((buffer) => buffer.byteLength === size);
    if (index < 0) return ownBuffer(size);
    const [found] = this.free.splice(index, 1);
    return Buffer.from(found as ArrayBuffer);
  }

  /** Any spent buffer (for output, which grows as it needs). */
  any(): ArrayBuffer | undefined {
    return this.free.pop();
  }
}

/**
 * A pool of worker threads, each with a queue of chunks, answering in any order. The
 * threads start on `start()`; until one of them is online, the main thread (which has
 * the parser loaded already) processes chunks itself.
 */
class Workers {
  private threads: Worker[] = [];
  private busy: number[] = [];
  private ready: boolean[] = [];
  private readonly done = new Map<number, ChunkReply>();
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private local: RecordProcessor | undefined;
  /** Bytes processed on the main thread. */
  localBytes = 0;
  /** When the first thread came online, in seconds since `started`. */
  onlineAfter: number | undefined;
  /** Spent input buffers (to be filled again) and output buffers (to be written into again). */
  readonly inputs: BufferPool;
  readonly outputs: BufferPool;

  constructor(
    private readonly jobs: number,
    private readonly options: RecordOptions,
    private readonly stats: boolean,
    private readonly started: number,
  ) {
    this.inputs = new BufferPool(jobs * IN_FLIGHT_PER_WORKER + 1);
    this.outputs = new BufferPool(jobs * IN_FLIGHT_PER_WORKER + 1);
  }

  start(): void {
    if (this.threads.length > 0) return;
    const { options, stats } = this;
    this.threads = Array.from({ length: this.jobs }, () => new Worker(new URL("./batch-worker.js", import.meta.url), { workerData: { options, stats } }));
    this.busy = this.threads.map(() => 0);
    this.ready = this.threads.map(() => false);
    this.threads.forEach((thread, index) => {
      thread.on("message", (reply: ChunkReply | { ready: true }) => {
        if ("ready" in reply) {
          this.ready[index] = true;
          this.onlineAfter ??= (performance.now() - this.started) / 1000;
          return;
        }
        this.busy[index] = (this.busy[index] ?? 1) - 1;
        this.inputs.put(reply.spent);
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

  /**
   * Hands a chunk to the least busy thread that is online, or processes it here while
   * none is; false when every queue is full.
   */
  trySend(request: ChunkRequest): boolean {
    let chosen = -1;
    for (let i = 0; i < this.busy.length; i++) {
      const n = this.busy[i] ?? 0;
      if (this.ready[i] && n < IN_FLIGHT_PER_WORKER && (chosen < 0 || n < (this.busy[chosen] ?? 0))) chosen = i;
    }
    if (chosen >= 0) {
      this.busy[chosen] = (this.busy[chosen] ?? 0) + 1;
      const transfer = [request.bytes.buffer as ArrayBuffer];
      if (request.reuse) transfer.push(request.reuse);
      this.threads[chosen]?.postMessage(request, transfer);
      return true;
    }
    if (this.onlineAfter !== undefined) return false;
    this.local ??= new RecordProcessor(this.options, this.stats);
    const result = processChunk(request.bytes, request.firstLine, this.local, this.stats, request.reuse);
    this.localBytes += request.bytes.length;
    this.inputs.put(request.bytes.buffer as ArrayBuffer);
    this.done.set(request.seq, { seq: request.seq, ...result });
    return true;
  }

  take(seq: number): ChunkReply | undefined {
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
  const workers = new Workers(Math.max(1, Math.floor(options.jobs)), options.records, options.stats, started);
  // A small input is done before a thread could start: the threads start only for a large one.
  if ((options.inputBytes ?? 0) >= THREADS_FROM_BYTES) workers.start();
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
      workers.outputs.put(reply.output.buffer as ArrayBuffer);
      records += lines;
      bytes += chunk?.bytes ?? 0;
      if (options.stats) stats.merge(reply.counts);
      options.progress?.update(records, bytes);
      if (stopped) return;
    }
  };

  try {
    let firstLine = 1;
    for await (const chunk of lineChunks(input, CHUNK_BYTES, (size) => workers.inputs.sized(size))) {
      const seq = nextSeq++;
      sent.set(seq, { firstLine, bytes: chunk.byteLength });
      const request = { seq, bytes: chunk, firstLine, reuse: workers.outputs.any() };
      firstLine += countLines(chunk);
      while (!stopped && !workers.trySend(request)) {
        await workers.next();
        await flush();
      }
      if (stopped) break;
      if (workers.localBytes >= THREADS_FROM_BYTES) workers.start();
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
  return { records, bytes, seconds, threadsOnlineSeconds: workers.onlineAfter, malformed, stopped, stats };
}
