/**
 * Parquet rollouts (datasets exported from the Hugging Face hub, say) as JSONL text,
 * one row group at a time, so memory stays bounded by the largest row group.
 * hyparquet is a pure-JavaScript reader with no dependencies of its own.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { toJsonLine } from "../python/python-value.js";

const utf8 = new TextDecoder();

/**
 * A row value as JSON: Parquet's int64 arrives as BigInt (a safe one becomes a number,
 * a larger one its digits), unannotated byte arrays as bytes (read as UTF-8).
 */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return utf8.decode(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, plain(v)]));
  }
  return value;
}

/** The rows of a Parquet file as chunks of JSONL, row group by row group. */
export async function* parquetAsJsonl(path: string): AsyncGenerator<string> {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd });
    yield rows.map((row) => `${toJsonLine(plain(row))}\n`).join("");
    rowStart = rowEnd;
  }
}
