/** The supervised-training text of an action, byte for byte as the reference writes it. */
import { pyJsonDumpsSorted } from "../python/python-value.js";
import type { ChaosOpsAction } from "../model/types.js";

function withoutNullArgs(args: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(args)) {
    const value = args[key];
    if (value !== null && value !== undefined) Object.defineProperty(kept, key, { value, enumerable: true });
  }
  return kept;
}

/**
 * Python `json.dumps({"action_type", "target", "args"}, sort_keys=True)` of the action.
 * Null-valued args are left out, as the reference's model drops them when the action is made.
 *
 * @example
 * actionToTrainingTarget({ role: "sre", action_type: "scale", target: "db", args: { replicas: 3 } })
 * // → '{"action_type": "scale", "args": {"replicas": 3}, "target": "db"}'
 */
export function actionToTrainingTarget(action: ChaosOpsAction): string {
  if (typeof action !== "object" || action === null) {
    throw new TypeError("actionToTrainingTarget: expected a ChaosOpsAction object");
  }
  const args = typeof action.args === "object" && action.args !== null ? withoutNullArgs(action.args) : {};
  return pyJsonDumpsSorted({ action_type: action.action_type, target: action.target ?? null, args });
}
