import type { ActionType, AgentRole, ServiceHealth } from "./enums.js";

/** A value JSON can carry. Python's json also reads NaN and ±Infinity, so numbers may be non-finite. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** One agent's move. Field names are the wire format shared with the Python environment. */
export interface ChaosOpsAction {
  role: AgentRole;
  action_type: ActionType;
  target: string | null;
  args: Record<string, unknown>;
}

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
