/**
 * `chaosops parse --table`: a small file as a readable table, one row per record, and
 * with `--compare` the default and the lenient readings side by side, saying in plain
 * words why a reading fell back and what the lenient one repaired.
 */
import { RepairCode } from "../formats/formats.js";
import { CandidateKind } from "../scanning/candidates.js";
import { DecodedFormat, type ParseDetail } from "../parsing/parse-detailed.js";
import { decodePythonJson, isJsonObject } from "../python/json-dialect.js";
import { toJsonLine } from "../python/python-value.js";
import { table } from "./batch-stats.js";
import { chunkLines, processLine, type RecordProcessor, type RecordResult } from "./jsonl-records.js";

export interface Reading {
  readonly name: string;
  readonly processor: Pick<RecordProcessor, "line">;
}

const SOURCE: Record<CandidateKind, string> = {
  [CandidateKind.WHOLE]: "whole reply",
  [CandidateKind.FENCED]: "code fence",
  [CandidateKind.BALANCED]: "{…} in text",
  [CandidateKind.BARE]: "flat {…} in text",
  [CandidateKind.TOOL_CALL]: "<tool_call>",
  [CandidateKind.TRUNCATED]: "cut-off {…",
  [CandidateKind.NESTED]: "{…} in cut-off",
  [CandidateKind.ACTION_LINE]: "[ACTION] line",
};

const DIALECT: Partial<Record<DecodedFormat, string>> = {
  [DecodedFormat.PYTHON]: "Python",
  [DecodedFormat.RELAXED]: "relaxed JSON",
  [DecodedFormat.TRUNCATED]: "closed",
  [DecodedFormat.TOOL_CALL]: "tool call",
};

const REPAIRS: Record<RepairCode, string> = {
  [RepairCode.SKIPPED_REASONING]: "skipped the reasoning block",
  [RepairCode.UNWRAPPED_TOOL_CALL]: "took the tool call's arguments",
  [RepairCode.SINGLE_QUOTES]: "read single quotes",
  [RepairCode.PYTHON_CONSTANTS]: "read True/False/None",
  [RepairCode.TRAILING_COMMA]: "dropped a trailing comma",
  [RepairCode.COMMENT]: "dropped a comment",
  [RepairCode.UNQUOTED_KEY]: "read unquoted keys",
  [RepairCode.CLOSED_TRUNCATED_VALUE]: "closed a cut-off value",
  [RepairCode.DROPPED_INCOMPLETE_MEMBER]: "dropped an unfinished member",
};

/** Where the action came from, as one phrase (the dialect in parentheses, never a second source). */
export function sourceOf(detail: ParseDetail): string {
  const { candidate } = detail;
  if (!candidate) return "nothing usable";
  const dialect = DIALECT[candidate.format];
  return dialect && candidate.format !== candidate.kind ? `${SOURCE[candidate.kind]} (${dialect})` : SOURCE[candidate.kind];
}

/** Why the fallback action was taken, in plain words; "" when it was not. */
export function fallbackReason(detail: ParseDetail): string {
  if (!detail.fallbackUsed) return "";
  const { candidate, rejected } = detail;
  if (!candidate) {
    if (rejected.length === 0) return "no {…} block in the reply";
    const blocks = rejected.length === 1 ? "1 block found" : `${rejected.length} blocks found`;
    return `${blocks}, none readable: ${rejected[0]?.reason ?? ""}`;
  }
  const decoded = decodePythonJson(candidate.text);
  if (!decoded.ok || !isJsonObject(decoded.value)) return "its action_type is missing or not a ChaosOps action";
  const actionType = decoded.value.action_type;
  return actionType === undefined ? "the block has no action_type" : `action_type ${toJsonLine(actionType)} is not a ChaosOps action`;
}

/** A record's detail, undefined when the record was malformed: the table's processors explain every record they read. */
function detailOf(result: RecordResult): ParseDetail | undefined {
  if (!result.ok) return undefined;
  if (result.detail === undefined) throw new Error("chaosops parse --table: a record was read without its detail");
  return result.detail;
}

function actionCell(detail: ParseDetail | undefined): string {
  if (!detail) return "-";
  const { action } = detail;
  const target = action.target === null ? "" : ` ${action.target}`;
  return `${action.action_type}${target}${detail.fallbackUsed ? " (fallback)" : ""}`;
}

/** Notes for one reading: its fallback reason, or the repairs that made it work. */
function note(name: string, detail: ParseDetail | undefined, showRepairs: boolean): string {
  if (!detail) return "";
  const reason = fallbackReason(detail);
  if (reason) return `${name}: ${reason}`;
  const repairs = showRepairs ? detail.repairs.map((code) => REPAIRS[code]) : [];
  return repairs.length > 0 ? `${name}: ${repairs.join(", ")}` : "";
}

/** The table of every line of `text` read each way in `readings`. */
export function recordTable(text: string, readings: readonly Reading[]): string {
  const compare = readings.length > 1;
  const header = ["record", "role", ...readings.flatMap((r) => (compare ? [r.name, "from"] : ["action", "from", "args"])), compare ? "why" : "note"];
  const rows = chunkLines(text).map((line, index) => {
    const results = readings.map((reading) => processLine(reading.processor, line, index + 1).result);
    const first = results[0];
    const id = first?.output.id;
    const label = typeof id === "string" ? id : id === undefined || id === null ? String(index + 1) : toJsonLine(id);
    const details = results.map(detailOf);
    const firstDetail = details[0];
    if (!first || !firstDetail) return [label, "-", ...readings.flatMap(() => (compare ? ["-", "-"] : ["-", "-", "-"])), `error: ${first?.ok === false ? first.error : ""}`];
    const cells = details.flatMap((detail) =>
      compare ? [actionCell(detail), detail ? sourceOf(detail) : "-"] : [actionCell(detail), detail ? sourceOf(detail) : "-", detail ? toJsonLine(detail.action.args) : "-"],
    );
    const notes = details.map((detail, i) => note(readings[i]?.name ?? "", detail, i > 0 || !compare));
    const same = compare && notes.every((n, i) => n !== "" && n.slice((readings[i]?.name.length ?? 0) + 2) === notes[0]?.slice((readings[0]?.name.length ?? 0) + 2));
    const why = same ? `both: ${notes[0]?.slice((readings[0]?.name.length ?? 0) + 2)}` : notes.filter((n) => n !== "").join("; ");
    return [label, firstDetail.action.role, ...cells, why];
  });
  return table(header, rows, 72);
}
