/**
 * `renderObservation`: a RoleView as the compact prompt body the reference writes,
 * byte for byte, including Python's number formatting.
 */
import { formatFixed0, formatPercent0, integerText } from "../python/python-number.js";
import { AgentRole, ServiceHealth, ServiceName } from "../model/enums.js";
import type { ChaosOpsObservation, RoleView } from "../model/types.js";

/** A malformed observation or view: the message names the field. */
export class InvalidObservationError extends TypeError {
  override name = "InvalidObservationError";
}

/*
 * The view is checked as the reference's pydantic models check it (the environment's
 * /schema): every field an item renders is required and typed, enums are their values,
 * metrics lie in their ranges. What the reference would refuse is refused here, with
 * the field's path, instead of rendering as "None" or as an impossible number.
 */

type Fields = Record<string, unknown>;

function record(value: unknown, path: string): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidObservationError(`${path} must be an object`);
  }
  return value as Fields;
}

/** A list field; absent or null reads as empty (the one leniency kept: older servers omit empty lists). */
function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidObservationError(`${path} must be an array`);
  return value;
}

/** A float field with the model's bounds; NaN passes only where there are none, as in pydantic. */
function number(value: unknown, path: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== "number") throw new InvalidObservationError(`${path} must be a number`);
  const bounded = min !== -Infinity || max !== Infinity;
  if (bounded && !(value >= min && value <= max)) {
    const range = max === Infinity ? `at least ${min}` : `between ${min} and ${max}`;
    throw new InvalidObservationError(`${path} must be ${range} (got ${value})`);
  }
  return value;
}

function integer(value: unknown, path: string, min = -Infinity): string {
  if (!Number.isInteger(value)) throw new InvalidObservationError(`${path} must be an integer`);
  if ((value as number) < min) throw new InvalidObservationError(`${path} must be at least ${min} (got ${value as number})`);
  return integerText(value as number);
}

function string(value: unknown, path: string): string {
  if (typeof value !== "string") throw new InvalidObservationError(`${path} must be a string`);
  return value;
}

function member(value: unknown, allowed: readonly string[], path: string): string {
  if (typeof value !== "string" || !allowed.includes(value)) {
    throw new InvalidObservationError(`${path} must be one of ${allowed.join(", ")}`);
  }
  return value;
}

const SERVICES: readonly string[] = Object.values(ServiceName);
const HEALTH: readonly string[] = Object.values(ServiceHealth);
const ROLES: readonly string[] = Object.values(AgentRole);

function metricLine(name: string, value: unknown): string {
  const path = `view.visible_metrics[${JSON.stringify(name)}]`;
  const m = record(value, path);
  const cpu = formatFixed0(number(m.cpu_pct, `${path}.cpu_pct`, 0, 100));
  const mem = formatFixed0(number(m.memory_mb, `${path}.memory_mb`, 0));
  const lat = formatFixed0(number(m.latency_ms, `${path}.latency_ms`, 0));
  const err = formatPercent0(number(m.error_rate, `${path}.error_rate`, 0, 1));
  const replicas = integer(m.replicas, `${path}.replicas`, 0);
  const health = m.health === undefined ? ServiceHealth.HEALTHY : member(m.health, HEALTH, `${path}.health`);
  return `  ${name}: cpu=${cpu}% mem=${mem}MB lat=${lat}ms err=${err} repl=${replicas} health=${health}`;
}

function alertLine(a: Fields, path: string): string {
  integer(a.triggered_at_step, `${path}.triggered_at_step`);
  const service = member(a.service, SERVICES, `${path}.service`);
  return `  [${string(a.severity, `${path}.severity`)}] ${service}: ${string(a.message, `${path}.message`)}`;
}

function logLine(l: Fields, path: string): string {
  number(l.timestamp, `${path}.timestamp`);
  const service = member(l.service, SERVICES, `${path}.service`);
  return `  (${string(l.level, `${path}.level`)}) ${service}: ${string(l.message, `${path}.message`)}`;
}

function fleetLine(f: Fields, path: string): string {
  const step = integer(f.step, `${path}.step`);
  return `  step ${step}: ${string(f.agent_name, `${path}.agent_name`)} ${string(f.action, `${path}.action`)} -> ${string(f.target, `${path}.target`)}`;
}

/** Every item is checked (the reference's model checks them all), the last `keep` rendered. */
function section(lines: string[], header: string, items: readonly unknown[], keep: number, line: (item: Fields, path: string) => string, path: string): void {
  if (items.length === 0) return;
  const rendered = items.map((item, i) => line(record(item, `${path}[${i}]`), `${path}[${i}]`));
  lines.push(header, ...rendered.slice(-keep));
}

function textSection(lines: string[], header: string, items: readonly unknown[], keep: number, path: string): void {
  if (items.length === 0) return;
  const texts = items.map((item, i) => string(item, `${path}[${i}]`));
  lines.push(header, ...texts.slice(-keep).map((item) => `  ${item}`));
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
  const role = member(v.role, ROLES, "view.role");
  const lines = [`STEP ${step}`, `ROLE ${role.toUpperCase()}`];
  const metrics = record(v.visible_metrics ?? {}, "view.visible_metrics");
  const names = Object.keys(metrics);
  if (names.length > 0) {
    lines.push("METRICS");
    for (const name of names) lines.push(metricLine(name, metrics[name]));
  }
  section(lines, "ALERTS", list(v.visible_alerts, "view.visible_alerts"), 4, alertLine, "view.visible_alerts");
  section(lines, "LOGS", list(v.visible_logs, "view.visible_logs"), 4, logLine, "view.visible_logs");
  section(lines, "FLEET_ACTIONS", list(v.visible_fleet_actions, "view.visible_fleet_actions"), 6, fleetLine, "view.visible_fleet_actions");
  textSection(lines, "CHAT", list(v.shared_chat, "view.shared_chat"), 6, "view.shared_chat");
  textSection(lines, "PRIVATE_INBOX", list(v.private_inbox, "view.private_inbox"), 4, "view.private_inbox");
  const note = v.private_note === undefined || v.private_note === null ? "" : string(v.private_note, "view.private_note");
  if (note) lines.push(`NOTE ${note}`);
  lines.push(...RESPONSE_INSTRUCTIONS);
  return lines.join("\n");
}

/**
 * An observation as the environment sends it, checked as the reference's model checks
 * it (step, turn_role, the optional done/reward/message, and the whole view); throws
 * InvalidObservationError naming the first bad field.
 */
export function validateObservation(value: unknown): ChaosOpsObservation {
  const o = record(value, "observation");
  integer(o.step, "observation.step");
  member(o.turn_role, ROLES, "observation.turn_role");
  if (o.done !== undefined && typeof o.done !== "boolean") throw new InvalidObservationError("observation.done must be true or false");
  if (o.reward !== undefined && o.reward !== null) number(o.reward, "observation.reward");
  if (o.message !== undefined) string(o.message, "observation.message");
  renderObservation(o.view as RoleView, { step: o.step as number });
  return o as unknown as ChaosOpsObservation;
}
