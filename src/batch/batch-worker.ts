/** A worker thread of `chaosops parse`: chunks of JSONL lines in, their results out. */
import { parentPort, workerData } from "node:worker_threads";
import { processChunk, RecordProcessor, type RecordOptions } from "./jsonl-records.js";

interface WorkerSetup {
  readonly options: RecordOptions;
  readonly stats: boolean;
}

const { options, stats } = workerData as WorkerSetup;
const processor = new RecordProcessor(options, stats);

const utf8 = new TextDecoder();

parentPort?.on("message", ({ seq, bytes, firstLine }: { seq: number; bytes: Uint8Array; firstLine: number }) => {
  const result = processChunk(utf8.decode(bytes), firstLine, processor, stats);
  // Buffer.from may hand out a slice of a shared pool: send a copy of just the output.
  const output = new Uint8Array(result.output);
  parentPort?.postMessage({ seq, ...result, output }, [output.buffer]);
});
