/** A worker thread of `chaosops parse`: chunks of JSONL bytes in, their results out as bytes. */
import { parentPort, workerData } from "node:worker_threads";
import { processChunk, RecordProcessor, type RecordOptions } from "./jsonl-records.js";

interface WorkerSetup {
  readonly options: RecordOptions;
  readonly stats: boolean;
}

const { options, stats } = workerData as WorkerSetup;
const processor = new RecordProcessor(options, stats);

parentPort?.on("message", ({ seq, bytes, firstLine }: { seq: number; bytes: Uint8Array; firstLine: number }) => {
  const result = processChunk(bytes, firstLine, processor, stats);
  // A small Buffer may be a slice of a shared pool: transfer only a buffer of its own.
  const own = result.output.byteOffset === 0 && result.output.byteLength === result.output.buffer.byteLength;
  const output = own ? result.output : new Uint8Array(result.output);
  parentPort?.postMessage({ seq, ...result, output }, [output.buffer as ArrayBuffer]);
});

// Ready once the parsing modules are loaded: what the run's throughput leaves out as start-up.
parentPort?.postMessage({ ready: true });
