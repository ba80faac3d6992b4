/**
 * One rollout record in, one result record out: the line-level work of
 * `chaosops parse`, shared by the main thread and the worker threads.
 */
import { isAgentRole, type ActionType, type AgentRole } from "./enums.js";
import { decodePythonJson, isJsonObject } from "./json-dialect.js";
import { locateAction, type LocatedAction } from "./parse-action.js";
import type { JsonValue } from "./types.js";

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
}

export type RecordResult =
  | { readonly ok: true; readonly output: Record<string, unknown>; readonly located: LocatedAction; readonly role: AgentRole }
  | { readonly ok: false; readonly output: Record<string, unknown>; readonly error: string };

function failure(line: number, error: string, id?: JsonValue): RecordResult {
  return { ok: false, error, output: id === undefined ? { line, error } : { line, id, error } };
}

/** Parses one input line (1-based `line` for messages) into its result record. */
export function parseRecordLine(text: string, line: number, options: RecordOptions): RecordResult {
  const decoded = decodePythonJson(text);
  if (!decoded.ok) return failure(line, `not valid JSON (at character ${decoded.at + 1})`);
  const record = decoded.value;
  if (typeof record === "string") {
    if (!options.role) return failure(line, "a bare string record needs --role");
    return success(record, options.role, undefined, options);
  }
  if (!isJsonObject(record)) return failure(line, "a record must be a JSON object or a string");
  const id = Object.hasOwn(record, options.idField) ? record[options.idField] : undefined;
  const completion = Object.hasOwn(record, options.field) ? record[options.field] : undefined;
  if (typeof completion !== "string") return failure(line, `field "${options.field}" is missing or not a string`, id);
  const role = options.role ?? (Object.hasOwn(record, options.roleField) ? record[options.roleField] : undefined);
  if (!isAgentRole(role)) return failure(line, `field "${options.roleField}" is missing or not a role (sre, dev, manager, oversight)`, id);
  return success(completion, role, id, options);
}

function success(completion: string, role: AgentRole, id: JsonValue | undefined, options: RecordOptions): RecordResult {
  const located = locateAction(completion, { role, fallback: options.fallback });
  const { action } = located;
  const output: Record<string, unknown> = id === undefined ? {} : { id };
  Object.assign(output, { role: action.role, action_type: action.action_type, target: action.target, args: action.args });
  return { ok: true, output, located, role };
}
