/**
 * Every way this library turns text into an action, so one suite can run against all
 * of them: batch parsing, and the stream parser fed whole, in pieces, and one
 * character at a time.
 */
import { StreamingActionParser } from "../../src/parsing/streaming.js";
import type { ParseActionOptions as ParseOptions } from "../../src/parsing/parse-detailed.js";
import type { ChaosOpsAction } from "../../src/model/types.js";

export interface StreamResult {
  readonly finished: boolean;
  readonly action: ChaosOpsAction;
}

export function streamChunks(chunks: Iterable<string>, options: ParseOptions): StreamResult {
  const parser = new StreamingActionParser(options);
  for (const chunk of chunks) parser.feed(chunk);
  return { finished: parser.finished, action: parser.action() };
}

export function cut(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

export const implementations: ReadonlyArray<readonly [string, (raw: string, options: ParseOptions) => StreamResult]> = [
  ["stream, whole", (raw, o) => streamChunks([raw], o)],
  ["stream, 7-character pieces", (raw, o) => streamChunks(cut(raw, 7), o)],
  ["stream, 64-character pieces", (raw, o) => streamChunks(cut(raw, 64), o)],
  ["stream, character by character", (raw, o) => streamChunks(raw, o)],
];
