/**
 * Rollout records in, result records out: the line-level work of `chaosops parse`,
 * done by the worker threads one chunk of lines at a time.
 */
import { isAgentRole, type ActionType, type AgentRole } from "../model/enums.js";
import { planFor, type FormatPlan, type OutputFormat } from "../formats/formats.js";
import { decodePythonJson, isJsonObject, type JsonDecodeResult } from "../python/json-dialect.js";
import { findAction } from "../parsing/parse-action.js";
import { searchWithFormats, type ParseDetail } from "../parsing/parse-detailed.js";
import { isPyBlank } from "../python/python-text.js";
import { toJsonLine } from "../python/python-value.js";
import { StatsCounter, type BatchCounts } from "./batch-stats.js";
import type { ChaosOpsAction, JsonObject, JsonValue } from "../model/types.js";

export interface RecordOptions {
  /** The field holding the completion text (a dotted path reaches into nested objects). */
  readonly field: string;
  /** The field holding the role, used when `role` is not given. */
  readonly roleField: string;
  /** One role for every record. */
  readonly role?: AgentRole;
  /** The field copied through as `id`, when present. */
  readonly idField: string;
  readonly fallback: ActionType;
  readonly formats: readonly OutputFormat[];
  /** Add parseActionDetailed's diagnostics to each output record. */
  readonly detail: boolean;
}

export type RecordResult =
  /** `detail` only from a processor that explains its results (for statistics, the table and --detail). */
  | { readonly ok: true; readonly output: Record<string, unknown>; readonly detail: ParseDetail | undefined }
  | { readonly ok: false; readonly output: Record<string, unknown>; readonly error: string };

/** A malformed line of a chunk: its index there (its output line has the same index). */
export interface ChunkError {
  readonly index: number;
  readonly message: string;
}

/** A chunk of input lines, done: one output line per input line, in order, as UTF-8. */
export interface ChunkResult {
  readonly output: Uint8Array;
  readonly lines: number;
  readonly errors: readonly ChunkError[];
  readonly counts: BatchCounts;
}

const BOM = "\uFEFF";

function failure(line: number, error: string, id?: JsonValue | bigint): RecordResult {
  return { ok: false, error, output: id === undefined ? { line, error } : { line, id, error } };
}

/**
 * A record line as Python's `json.loads` reads it. The native JSON.parse reads every
 * line it accepts as Python does, except that it also accepts what Python refuses for
 * its own limits (nesting past 1000 levels, integers past 4,300 digits); lines it
 * refuses (NaN, Infinity, or broken) go to the Python dialect decoder.
 */
function readRecord(text: string): JsonDecodeResult {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch {
    return decodePythonJson(text);
  }
}

/** A field by name, or by dotted path (`response.text`, `choices.0.text`) when no field has that exact name. */
function fieldReader(name: string): (record: JsonObject) => JsonValue | undefined {
  const path = name.split(".");
  return (record) => {
    if (Object.hasOwn(record, name) || path.length === 1) return Object.hasOwn(record, name) ? record[name] : undefined;
    let value: JsonValue | undefined = record;
    for (const key of path) {
      if (Array.isArray(value)) value = /^\d+$/.test(key) ? value[Number(key)] : undefined;
      else if (isJsonObject(value)) value = Object.hasOwn(value, key) ? value[key] : undefined;
      else return undefined;
    }
    return value;
  };
}

/**
 * An id as written. Ids are often 64-bit integers (hashes, snowflakes), which a JS
 * number rounds, so that two records would share one id: an integer id past 2^53 at
 * the top level is kept as a BigInt of its digits (written back digit for digit).
 */
function exactId(id: JsonValue | undefined, line: string, key: string): JsonValue | bigint | undefined {
  if (typeof id !== "number" || !Number.isInteger(id) || Number.isSafeInteger(id)) return id;
  const literal = topLevelLiteral(line, key);
  return literal !== undefined && /^-?\d+$/.test(literal) ? BigInt(literal) : id;
}

/**
 * The source text of the last top-level member `key` of a line that decoded as an object
 * (the last, as the decoder keeps the last value of a repeated key), when it is a scalar.
 * One pass: strings are skipped whole, so brackets inside them do not count.
 */
function topLevelLiteral(line: string, key: string): string | undefined {
  let depth = 0;
  let found: string | undefined;
  let expectKey = false;
  for (let at = 0; at < line.length; at++) {
    const char = line[at];
    if (char === '"') {
      let end = at + 1;
      while (end < line.length && line[end] !== '"') end += line[end] === "\\" ? 2 : 1;
      if (depth === 1 && expectKey && JSON.parse(line.slice(at, end + 1)) === key) {
        const value = /^\s*:\s*([^\s,}\]]+)/.exec(line.slice(end + 1, end + 1 + 5000));
        found = value?.[1];
      }
      expectKey = false;
      at = end;
    } else if (char === "{" || char === "[") {
      depth++;
      expectKey = char === "{" && depth === 1;
    } else if (char === "}" || char === "]") depth--;
    else if (char === ",") expectKey = depth === 1;
  }
  return found;
}

/**
 * A message's text: a string content, or the text parts of a list of parts joined (parts
 * of other types, an image or a refusal, carry no action and are passed over); undefined
 * when there is no text part, or a text part's text is not a string.
 */
function messageText(message: JsonValue | undefined): string | undefined {
  if (!isJsonObject(message)) return undefined;
  const { content } = message;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return undefined;
  const parts = content.filter((part) => isJsonObject(part) && part.type === "text");
  if (parts.length === 0 || parts.some((part) => typeof (part as JsonObject).text !== "string")) return undefined;
  return parts.map((part) => (part as { text: string }).text).join("");
}

/**
 * The completion text: the field's string, or in the conversational format (TRL's
 * `completion: [{role, content}]`, or one such message) the last assistant message's content.
 */
function completionText(value: JsonValue | undefined): string | undefined {
  if (typeof value === "string") return value;
  const messages = Array.isArray(value) ? value : [value];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (isJsonObject(message) && message.role === "assistant") return messageText(message);
  }
  return undefined;
}

/** Turns one record's completion into its result, as a reusable processor for one set of options. */
export class RecordProcessor {
  private readonly plan: FormatPlan;
  /** The formats the action alone is searched with: none (the reference's search) when no format is on. */
  private readonly actionPlan: FormatPlan | undefined;
  /** Diagnostics cost: the detailed search runs only when something reads them. */
  private readonly explained: boolean;
  private readonly completionOf: (record: JsonObject) => JsonValue | undefined;
  private readonly roleOf: (record: JsonObject) => JsonValue | undefined;
  private readonly idOf: (record: JsonObject) => JsonValue | undefined;

  /** `explain`: every result carries its ParseDetail (statistics and the table read it); --detail implies it. */
  constructor(
    private readonly options: RecordOptions,
    explain: boolean,
  ) {
    this.plan = planFor(options.formats, "chaosops parse");
    this.actionPlan = options.formats.length > 0 ? this.plan : undefined;
    this.explained = options.detail || explain;
    this.completionOf = fieldReader(options.field);
    this.roleOf = fieldReader(options.roleField);
    this.idOf = fieldReader(options.idField);
  }

  /**
   * Parses one input line (1-based `line` for messages) into its result record. A byte
   * order mark at the start of a line is ignored, on every line alike.
   */
  line(text: string, line: number): RecordResult {
    const body = text.startsWith(BOM) ? text.slice(1) : text;
    const decoded = readRecord(body);
    if (!decoded.ok) return failure(line, isPyBlank(body) ? "empty line" : `not valid JSON (at character ${decoded.at + 1})`);
    const record = decoded.value;
    const { options } = this;
    if (typeof record === "string") {
      if (!options.role) return failure(line, "a bare string record needs --role");
      return this.success(record, options.role, undefined);
    }
    if (!isJsonObject(record)) return failure(line, "a record must be a JSON object or a string");
    const id = exactId(this.idOf(record), body, options.idField);
    const completion = completionText(this.completionOf(record));
    if (completion === undefined) {
      return failure(line, `field "${options.field}" is missing, or neither a string nor messages with an assistant reply`, id);
    }
    const role = options.role ?? this.roleOf(record);
    if (!isAgentRole(role)) return failure(line, `field "${options.roleField}" is missing or not a role (sre, dev, manager, oversight)`, id);
    return this.success(completion, role, id);
  }

  private success(completion: string, role: AgentRole, id: JsonValue | bigint | undefined): RecordResult {
    const resolved = { role, fallback: this.options.fallback };
    if (!this.explained) return { ok: true, output: outputRecord(findAction(completion, resolved, this.actionPlan), id), detail: undefined };
    const detail = searchWithFormats(completion, resolved, this.plan, true);
    const output = outputRecord(detail.action, id);
    if (this.options.detail) output.detail = detailRecord(detail);
    return { ok: true, output, detail };
  }
}

/** The output record of an action: its id (when the record has one) first, as a literal (an assign or spread cost more than the search). */
function outputRecord(action: ChaosOpsAction, id: JsonValue | bigint | undefined): Record<string, unknown> {
  const { role, action_type, target, args } = action;
  return id === undefined ? { role, action_type, target, args } : { id, role, action_type, target, args };
}

/** The diagnostics as written to JSONL: offsets, not the texts they point at. */
export function detailRecord(detail: ParseDetail): Record<string, unknown> {
  const { candidate } = detail;
  return {
    candidate: candidate && { kind: candidate.kind, format: candidate.format, start: candidate.start, end: candidate.end },
    repairs: detail.repairs,
    rejected: detail.rejected.map(({ kind, start, end, reason }) => ({ kind, start, end, reason })),
    warnings: detail.warnings,
    fallback_used: detail.fallbackUsed,
  };
}

/** Splits a chunk of JSONL into lines (a trailing newline ends the last one; `\r\n` is one break). */
export function chunkLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

/** JSON.stringify where it can (native, fast); the explicit-stack writer where nesting is too deep for it. */
function recordLine(output: Record<string, unknown>): string {
  try {
    return JSON.stringify(output);
  } catch {
    return toJsonLine(output);
  }
}

/** What one line gives, whatever happens inside: a record that breaks the parser gets an error line of its own. */
export function processLine(processor: Pick<RecordProcessor, "line">, text: string, line: number): { result: RecordResult; json: string } {
  try {
    const result = processor.line(text, line);
    return { result, json: recordLine(result.output) };
  } catch (error) {
    const result = failure(line, `could not be processed (${(error as Error)?.name ?? "Error"}: ${(error as Error)?.message ?? String(error)}); please report this record`);
    return { result, json: recordLine(result.output) };
  }
}

const NEWLINE = 0x0a;
const CR = 0x0d;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit. */
const MAX_UTF8_PER_UNIT = 3;

/**
 * Output lines written as UTF-8 straight into one growing buffer: no string of the
 * whole chunk is built and then encoded again.
 */
class LineWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(capacity: number, reuse?: ArrayBuffer) {
    this.buffer = reuse && reuse.byteLength >= capacity ? Buffer.from(reuse) : Buffer.allocUnsafeSlow(capacity);
  }

  line(json: string): void {
    const needed = this.length + json.length * MAX_UTF8_PER_UNIT + 1;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(needed, 2 * this.buffer.length));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += this.buffer.write(json, this.length);
    this.buffer[this.length++] = NEWLINE;
  }

  /** The lines written, a view at the start of a buffer of their own (which may be longer). */
  done(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

/**
 * Processes every line of a chunk (UTF-8 bytes); `firstLine` numbers them in error
 * records. Lines are cut on the bytes and decoded one by one (a newline byte is never
 * inside a multi-byte character, so this decodes exactly as the whole chunk would):
 * a line of ASCII then stays a one-byte string, which everything after reads faster.
 * `reuse` is a buffer the output may be written into (one returned by an earlier chunk).
 */
export function processChunk(bytes: Uint8Array, firstLine: number, processor: Pick<RecordProcessor, "line">, stats: boolean, reuse?: ArrayBuffer): ChunkResult {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const writer = new LineWriter(Math.max(1024, input.length >> 1), reuse);
  const errors: ChunkError[] = [];
  const counter = new StatsCounter();
  let lines = 0;
  for (let start = 0; start < input.length; lines++) {
    const newline = input.indexOf(NEWLINE, start);
    const next = newline < 0 ? input.length : newline + 1;
    // `\r\n` is one break, a final line needs no newline.
    let end = newline < 0 ? input.length : newline;
    if (end > start && input[end - 1] === CR) end--;
    const { result, json } = processLine(processor, input.toString("utf8", start, end), firstLine + lines);
    if (!result.ok) errors.push({ index: lines, message: result.error });
    if (stats) counter.add(result);
    writer.line(json);
    start = next;
  }
  return { output: writer.done(), lines, errors, counts: counter.counts };
}
