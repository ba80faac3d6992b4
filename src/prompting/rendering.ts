/**
 * `renderObservation`: a RoleView as the compact prompt body the reference writes,
 * byte for byte, including Python's number formatting.
 */
import { formatFixed0, formatPercent0, integerText } from "../python/python-number.js";
import { pyStr } from "../python/python-value.js";
import type { RoleView } from "../model/types.js";

/** A malformed observation or view: the message names the field. */
export class InvalidObservationError extends TypeError {
  override name = "InvalidObservationError";
}

type Fields = Record<string, unknown>;

function record(value: unknown, path: string): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidObservationError(`${path} must be an object`);
  }
  return value as Fields;
}

/** A list field; absent or null reads as empty, as the reference's model defaults it. */
function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidObservationError(`${path} must be an array`);
  return value;
}

function number(value: unknown, path: string): number {
  if (typeof value !== "number") throw new InvalidObservationError(`${path} must be a number`);
  return value;
}

function integer(value: unknown, path: string): string {
  if (!Number.isInteger(value)) throw new InvalidObservationError(`${path} must be an integer`);
  return integerText(value as number);
}

/** Python's text for a field the reference interpolates with an f-string. */
function text(value: unknown): string {
  return pyStr(value);
}

function metricLine(name: string, value: unknown): string {
  const path = `view.visible_metrics[${JSON.stringify(name)}]`;
  const m = record(value, path);
  const cpu = formatFixed0(number(m.cpu_pct, `${path}.cpu_pct`));
  const mem = formatFixed0(number(m.memory_mb, `${path}.memory_mb`));
  const lat = formatFixed0(number(m.latency_ms, `${path}.latency_ms`));
  const err = formatPercent0(number(m.error_rate, `${path}.error_rate`));
  const replicas = integer(m.replicas, `${path}.replicas`);
  const health = text(m.health ?? "healthy");
  return `  ${name}: cpu=${cpu}% mem=${mem}MB lat=${lat}ms err=${err} repl=${replicas} health=${health}`;
}

function section(lines: string[], header: string, items: readonly unknown[], keep: number, line: (item: Fields, path: string) => string, path: string): void {
  if (items.length === 0) return;
  lines.push(header);
  const from = Math.max(0, items.length - keep);
  for (let i = from; i < items.length; i++) lines.push(line(record(items[i], `${path}[${i}]`), `${path}[${i}]`));
}

function textSection(lines: string[], header: string, items: readonly unknown[], keep: number): void {
  if (items.length === 0) return;
  lines.push(header);
  for (const item of items.slice(-keep)) lines.push(`  ${text(item)}`);
}

/** The reference's closing instructions (its saved source lost the `<type>` placeholders). */
export const RESPONSE_INSTRUCTIONS = [
  'RESPOND with JSON only: {"action_type": "<type>", "target": "<service|agent>", "args": {...}}',
  'For private messages use args.to="sre|dev|manager|oversight"; default communicate broadcasts to all roles.',
] as const;

/**
 * Renders one role's view as the prompt body: step, role, then each non-empty
 * section (all metrics; the last 4 alerts, 4 logs, 6 fleet actions, 6 chat lines,
 * 4 inbox messages), the private note, and the response instructions.
 * Throws InvalidObservationError, naming the field, when the view is malformed.
 *
 * @example
 * renderObservation(view, { step: 3 }).split("\n")[0] // → "STEP 3"
 */
export function renderObservation(view: RoleView, options: { step: number }): string {
  const v = record(view, "view");
  const step = integer(record(options, "options").step, "options.step");
  if (typeof v.role !== "string") throw new InvalidObservationError("view.role must be a string");
  const lines = [`STEP ${step}`, `ROLE ${v.role.toUpperCase()}`];
  const metrics = record(v.visible_metrics ?? {}, "view.visible_metrics");
  const names = Object.keys(metrics);
  if (names.length > 0) {
    lines.push("METRICS");
    for (const name of names) lines.push(metricLine(name, metrics[name]));
  }
  section(lines, "ALERTS", list(v.visible_alerts, "view.visible_alerts"), 4, (a) => `  [${text(a.severity)}] ${text(a.service)}: ${text(a.message)}`, "view.visible_alerts");
  section(lines, "LOGS", list(v.visible_logs, "view.visible_logs"), 4, (l) => `  (${text(l.level)}) ${text(l.service)}: ${text(l.message)}`, "view.visible_logs");
  section(
    lines,
    "FLEET_ACTIONS",
    list(v.visible_fleet_actions, "view.visible_fleet_actions"),
    6,
    (f) => `  step ${text(f.step)}: ${text(f.agent_name)} ${text(f.action)} -> ${text(f.target)}`,
    "view.visible_fleet_actions",
  );
  textSection(lines, "CHAT", list(v.shared_chat, "view.shared_chat"), 6);
  textSection(lines, "PRIVATE_INBOX", list(v.private_inbox, "view.private_inbox"), 4);
  if (v.private_note) lines.push(`NOTE ${text(v.private_note)}`);
  lines.push(...RESPONSE_INSTRUCTIONS);
  return lines.join("\n");
}
