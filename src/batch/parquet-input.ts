/**
 * Parquet rollouts (datasets exported from the Hugging Face hub, say) as JSONL text,
 * one row group at a time, so memory stays bounded by the largest row group.
 * hyparquet is a pure-JavaScript reader with no dependencies of its own.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { toJsonLine } from "../python/python-value.js";
import { fileError } from "./cli-errors.js";
import { corruptInput, identityOf, type Input } from "./files.js";

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

/**
 * The rows of a Parquet file as JSONL, row group by row group. Row counts are checked
 * against the file's metadata before a group is written: a file whose counts disagree
 * (the reader would make up rows from missing values) stops the run as corrupt.
 */
export async function openParquetInput(path: string): Promise<Input> {
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    file = await asyncBufferFromFile(path);
  } catch (error) {
    throw fileError("read", path, error);
  }
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw corruptInput(path, (error as Error).message);
  }
  const declared = metadata.row_groups.reduce((sum, group) => sum + Number(group.num_rows), 0);
  if (declared !== Number(metadata.num_rows)) {
    throw corruptInput(path, `its row groups hold ${declared} rows, its footer says ${metadata.num_rows}`);
  }
  async function* pieces(): AsyncGenerator<string> {
    let rowStart = 0;
    for (const [index, group] of metadata.row_groups.entries()) {
      const rowEnd = rowStart + Number(group.num_rows);
      let rows: Record<string, unknown>[];
      try {
        rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd });
      } catch (error) {
        throw corruptInput(path, `row group ${index}: ${(error as Error).message}`);
      }
      const short = rows.length !== rowEnd - rowStart || rows.some((row) => Object.values(row).includes(undefined));
      if (short) throw corruptInput(path, `row group ${index} declares ${group.num_rows} rows but its columns hold fewer values`);
      yield rows.map((row) => `${toJsonLine(plain(row))}\n`).join("");
      rowStart = rowEnd;
    }
  }
  const found = identityOf(path);
  return { pieces: pieces(), ...(found ? { identity: found } : {}) };
}
