/** A worker thread of `chaosops parse`: chunks of JSONL bytes in, their results out as bytes. */
import { parentPort, workerData } from "node:worker_threads";
import { processChunk, RecordProcessor, type RecordOptions } from "./jsonl-records.js";
import type { ChunkRequest } from "./batch-run.js";

interface WorkerSetup {
  readonly options: RecordOptions;
  readonly stats: boolean;
}

const { options, stats } = workerData as WorkerSetup;
const processor = new RecordProcessor(options, stats);

parentPort?.on("message", ({ seq, bytes, firstLine, reuse }: ChunkRequest) => {
  const result = processChunk(bytes, firstLine, processor, stats, reuse);
  // Both buffers go back: the input one to be filled again, the output one to be written (and then reused).
  parentPort?.postMessage({ seq, ...result, spent: bytes.buffer }, [result.output.buffer as ArrayBuffer, bytes.buffer as ArrayBuffer]);
});

// Ready once the parsing modules are loaded: until some worker is, the main thread parses.
parentPort?.postMessage({ ready: true });
