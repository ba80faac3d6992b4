/** Canonical actions (every action type with the args it takes) and malformed action texts. */
import { ActionType, AgentRole, FailureType, ServiceName } from "../../src/model/enums.js";
import type { ChaosOpsAction } from "../../src/model/types.js";

export function canonicalActions(): ChaosOpsAction[] {
  const actions: ChaosOpsAction[] = [];
  const targets = [null, ...Object.values(ServiceName), "sre", "naïve \"quoted\" \\ target"];
  for (const action_type of Object.values(ActionType)) {
    for (const target of targets) actions.push({ role: "sre", action_type, target, args: {} });
  }
  for (const to of Object.values(AgentRole)) {
    actions.push({ role: "manager", action_type: "communicate", target: null, args: { to, message: `${to}: restart db now 🚨` } });
  }
  for (const replicas of [0, 1, 7, 120]) actions.push({ role: "sre", action_type: "scale", target: "payments", args: { replicas } });
  for (const failure_type of Object.values(FailureType)) {
    actions.push({ role: "dev", action_type: "identify_root_cause", target: null, args: { failure_type } });
  }
  return actions;
}

export function malformedActions(): string[] {
  return [
    '{"action_type": "reboot", "args": {}, "target": null}',
    '{"action_type": "RESTART", "args": {}, "target": null}',
    '{"args": {}, "target": "db"}',
    '{"action_type": "scale", "args": {"replicas": -1}, "target": "db"}',
    '{"action_type": "scale", "args": {"replicas": "3"}, "target": "db"}',
    '{"action_type": "scale", "args": {"replicas": 2.5}, "target": "db"}',
    '{"action_type": "identify_root_cause", "args": {"failure_type": "gremlins"}, "target": null}',
    '{"action_type": "communicate", "args": {"to": "ceo", "message": "hi"}, "target": null}',
    '{"action_type": "restart", "args": {"colour": "red"}, "target": "db"}',
    '{"action_type": "restart", "args": {}, "target": 5}',
    '{"action_type": "restart", "args": {}, "target": "db", "extra": 1}',
    '{"action_type": "restart", "args": {}, "target": "db",}',
    '{"action_type": "restart", "args": {}, "target": "db"',
    "{'action_type': 'restart', 'args': {}, 'target': 'db'}",
    'Sure! {"action_type": "restart", "args": {}, "target": "db"}',
  ];
}
