import type { ActionType, AgentRole, FailureType, ServiceHealth } from "./enums.js";

/** A value JSON can carry. Python's json also reads NaN and ±Infinity, so numbers may be non-finite. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/**
 * The args the environment reads, by action type (as the action's JSON Schema says). The
 * parsers only ever put these keys there with these types; other keys pass through.
 */
export interface KnownActionArgs {
  communicate: { to?: AgentRole; message?: string };
  scale: { replicas?: number };
  identify_root_cause: { failure_type?: FailureType };
}

/** The args of an action of type `T`: the known ones typed, any other key kept as `unknown`. */
export type ActionArgs<T extends ActionType = ActionType> = (T extends keyof KnownActionArgs ? KnownActionArgs[T] : unknown) &
  Record<string, unknown>;

/**
 * One agent's move. Field names are the wire format shared with the Python environment.
 * A union over `action_type`, so checking it narrows `args`
 * (`if (a.action_type === "scale") a.args.replicas // number | undefined`).
 */
export type ChaosOpsAction<T extends ActionType = ActionType> = {
  [K in T]: {
    role: AgentRole;
    action_type: K;
    target: string | null;
    args: ActionArgs<K>;
  };
}[T];

export interface ServiceMetrics {
  cpu_pct: number;
  memory_mb: number;
  latency_ms: number;
  error_rate: number;
  replicas: number;
  health?: ServiceHealth | string;
}

export interface LogLine {
  timestamp: number;
  service: string;
  level: string;
  message: string;
}

export interface Alert {
  service: string;
  severity: string;
  message: string;
  triggered_at_step: number;
}

export interface FleetAgentLog {
  agent_name: string;
  action: string;
  target: string | null;
  step: number;
}

export interface RoleView {
  role: AgentRole | string;
  visible_metrics: Record<string, ServiceMetrics>;
  visible_logs: LogLine[];
  visible_alerts: Alert[];
  visible_fleet_actions: FleetAgentLog[];
  shared_chat: string[];
  private_note?: string | null;
  private_inbox?: string[];
}

export interface ChaosOpsObservation {
  done?: boolean;
  reward?: number | null;
  view: RoleView;
  step: number;
  turn_role: AgentRole | string;
  message?: string | null;
}

/** Options every parser takes: whose action it is, and what to return when nothing usable is found. */
export interface ParseOptions {
  role: AgentRole;
  /** Action type used when no candidate yields a known one. Defaults to noop. */
  fallback?: ActionType;
}
