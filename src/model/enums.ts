/**
 * The ChaosOps vocabulary. Each enum is a const object (keys are the Python member
 * names, values the wire strings) plus a union type of its values, so
 * `ActionType.RESTART === "restart"` and a plain string from JSON can be checked
 * against the set without a cast.
 */

export const ActionType = {
  NOOP: "noop",
  COMMUNICATE: "communicate",
  RESTART: "restart",
  ROLLBACK: "rollback",
  SCALE: "scale",
  FLAG_ROGUE: "flag_rogue",
  IDENTIFY_ROOT_CAUSE: "identify_root_cause",
  ESCALATE: "escalate",
  RESOLVE: "resolve",
} as const;
export type ActionType = (typeof ActionType)[keyof typeof ActionType];

export const AgentRole = {
  SRE: "sre",
  DEV: "dev",
  MANAGER: "manager",
  OVERSIGHT: "oversight",
} as const;
export type AgentRole = (typeof AgentRole)[keyof typeof AgentRole];

export const FailureType = {
  DB_DEADLOCK: "db_deadlock",
  MEMORY_LEAK: "memory_leak",
  BAD_CONFIG_PUSH: "bad_config_push",
  AUTOSCALER_COST_CUT: "autoscaler_cost_cut",
  MISROUTED_TRAFFIC: "misrouted_traffic",
  CASCADE: "cascade",
  DNS_OUTAGE: "dns_outage",
  DISK_FULL: "disk_full",
  ROGUE_DEPLOY_BOT: "rogue_deploy_bot",
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Failures caused by a misbehaving fleet agent rather than by infrastructure. */
export const ROGUE_FAILURE_TYPES: ReadonlySet<FailureType> = new Set([
  FailureType.AUTOSCALER_COST_CUT,
  FailureType.MISROUTED_TRAFFIC,
  FailureType.ROGUE_DEPLOY_BOT,
]);

export const ServiceName = {
  AUTH: "auth",
  PAYMENTS: "payments",
  NOTIFICATIONS: "notifications",
  DB: "db",
  AUTOSCALER: "autoscaler",
  LOAD_BALANCER: "load_balancer",
  DEPLOY_BOT: "deploy_bot",
} as const;
export type ServiceName = (typeof ServiceName)[keyof typeof ServiceName];

export const ServiceHealth = {
  HEALTHY: "healthy",
  DEGRADED: "degraded",
  CRITICAL: "critical",
  DOWN: "down",
} as const;
export type ServiceHealth = (typeof ServiceHealth)[keyof typeof ServiceHealth];

const ACTION_TYPES: ReadonlyMap<string, ActionType> = new Map(
  Object.values(ActionType).map((value) => [value, value]),
);
const ACTION_TYPE_VALUES: readonly ActionType[] = Object.values(ActionType);
const FAILURE_TYPES: ReadonlySet<string> = new Set(Object.values(FailureType));
const AGENT_ROLES: ReadonlySet<string> = new Set(Object.values(AgentRole));

/** The ActionType whose wire value is exactly `value`, if any. */
export function actionTypeOf(value: string): ActionType | undefined {
  // `value` is usually a string just cut from a completion: a Map would hash all of it
  // first, where comparing it with nine short values mostly stops at the length.
  for (const actionType of ACTION_TYPE_VALUES) if (actionType === value) return actionType;
  return undefined;
}

export function isActionType(value: unknown): value is ActionType {
  return typeof value === "string" && ACTION_TYPES.has(value);
}

export function isFailureType(value: unknown): value is FailureType {
  return typeof value === "string" && FAILURE_TYPES.has(value);
}

export function isAgentRole(value: unknown): value is AgentRole {
  return typeof value === "string" && AGENT_ROLES.has(value);
}
