/**
 * Rollout records in, result records out: the line-level work of `chaosops parse`,
 * done by the worker threads one chunk of lines at a time.
 */
import { isAgentRole, type ActionType, type AgentRole } from "../model/enums.js";
import { planFor, type FormatPlan, type OutputFormat } from "../formats/formats.js";
import { decodePythonJson, isJsonObject } from "../python/json-dialect.js";
import { locateAction } from "../parsing/parse-action.js";
import { searchWithFormats, type ParseDetail } from "../parsing/parse-detailed.js";
import { isPyBlank } from "../python/python-text.js";
import { toJsonLine } from "../python/python-value.js";
import { StatsCounter, type BatchCounts } from "./batch-stats.js";
import type { JsonValue } from "../model/types.js";

export interface RecordOptions {
  /** The field holding the completion text. */
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
  | { readonly ok: true; readonly output: Record<string, unknown>; readonly detail: ParseDetail }
  | { readonly ok: false; readonly output: Record<string, unknown>; readonly error: string };

/** A malformed line of a chunk: its index there, and where its output line starts (bytes). */
export interface ChunkError {
  readonly index: number;
  readonly offset: number;
  readonly message: string;
}

/** A chunk of input lines, done: one output line per input line, in order, as UTF-8. */
export interface ChunkResult {
  readonly output: Uint8Array;
  readonly lines: number;
  readonly errors: readonly ChunkError[];
  readonly counts: BatchCounts;
}

function failure(line: number, error: string, id?: JsonValue): RecordResult {
  return { ok: false, error, output: id === undefined ? { line, error } : { line, id, error } };
}

/** Turns one record's completion into its result, as a reusable processor for one set of options. */
export class RecordProcessor {
  private readonly plan: FormatPlan;
  /** Diagnostics cost a little: only the detailed search when something needs them. */
  private readonly needsDetail: boolean;

  constructor(
    private readonly options: RecordOptions,
    wantStats: boolean,
  ) {
    this.plan = planFor(options.formats, "chaosops parse");
    this.needsDetail = options.detail || wantStats || options.formats.length > 0;
  }

  /** Parses one input line (1-based `line` for messages) into its result record. */
  line(text: string, line: number): RecordResult {
    const decoded = decodePythonJson(text);
    if (!decoded.ok) return failure(line, isPyBlank(text) ? "empty line" : `not valid JSON (at character ${decoded.at + 1})`);
    const record = decoded.value;
    const { options } = this;
    if (typeof record === "string") {
      if (!options.role) return failure(line, "a bare string record needs --role");
      return this.success(record, options.role, undefined);
    }
    if (!isJsonObject(record)) return failure(line, "a record must be a JSON object or a string");
    const id = Object.hasOwn(record, options.idField) ? record[options.idField] : undefined;
    const completion = Object.hasOwn(record, options.field) ? record[options.field] : undefined;
    if (typeof completion !== "string") return failure(line, `field "${options.field}" is missing or not a string`, id);
    const role = options.role ?? (Object.hasOwn(record, options.roleField) ? record[options.roleField] : undefined);
    if (!isAgentRole(role)) return failure(line, `field "${options.roleField}" is missing or not a role (sre, dev, manager, oversight)`, id);
    return this.success(completion, role, id);
  }

  private parse(completion: string, role: AgentRole): ParseDetail {
    const resolved = { role, fallback: this.options.fallback };
    if (this.needsDetail) return searchWithFormats(completion, resolved, this.plan, true);
    const { action, candidate, fallbackUsed } = locateAction(completion, resolved);
    const taken = candidate && { ...candidate, text: "", format: "json" as const };
    return { action, candidate: taken, repairs: [], rejected: [], rejectedCount: 0, warnings: [], fallbackUsed };
  }

  private success(completion: string, role: AgentRole, id: JsonValue | undefined): RecordResult {
    const detail = this.parse(completion, role);
    const { action } = detail;
    const output: Record<string, unknown> = id === undefined ? {} : { id };
    Object.assign(output, { role: action.role, action_type: action.action_type, target: action.target, args: action.args });
    if (this.options.detail) output.detail = detailRecord(detail);
    return { ok: true, output, detail };
  }
}

/** The diagnostics as written to JSONL: offsets, not the texts they point at. */
function detailRecord(detail: ParseDetail): Record<string, unknown> {
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

/** One output record as a JSON line; the usual shape is written directly, the rest by toJsonLine. */
function recordLine(output: Record<string, unknown>): string {
  return `${toJsonLine(output)}\n`;
}

/** Processes every line of a chunk; `firstLine` numbers them in error records. */
export function processChunk(text: string, firstLine: number, processor: RecordProcessor, stats: boolean): ChunkResult {
  const lines = chunkLines(text);
  const errors: ChunkError[] = [];
  const counter = new StatsCounter();
  let output = "";
  for (let i = 0; i < lines.length; i++) {
    const result = processor.line(lines[i] ?? "", firstLine + i);
    // Byte offsets are only needed where --strict may cut: at malformed lines.
    if (!result.ok) errors.push({ index: i, offset: Buffer.byteLength(output), message: result.error });
    if (stats) counter.add(result);
    output += recordLine(result.output);
  }
  return { output: Buffer.from(output), lines: lines.length, errors, counts: counter.counts };
}
