import { describe, expect, it } from "vitest";
import { ActionType, AgentRole, FailureType, ROGUE_FAILURE_TYPES, ServiceHealth, ServiceName, isActionType, isAgentRole, isFailureType } from "../../src/model/enums.js";

describe("enums", () => {
  it("use the Python member names as keys and the wire strings as values", () => {
    expect(ActionType.FLAG_ROGUE).toBe("flag_rogue");
    expect(AgentRole.OVERSIGHT).toBe("oversight");
    expect(FailureType.DB_DEADLOCK).toBe("db_deadlock");
    expect(ServiceName.LOAD_BALANCER).toBe("load_balancer");
    expect(ServiceHealth.DOWN).toBe("down");
    expect(Object.values(ActionType)).toHaveLength(9);
    expect(Object.values(FailureType)).toHaveLength(9);
  });

  it("mark the three rogue-agent failures", () => {
    expect([...ROGUE_FAILURE_TYPES].sort()).toEqual(["autoscaler_cost_cut", "misrouted_traffic", "rogue_deploy_bot"]);
  });

  it("check wire values exactly", () => {
    expect(isActionType("restart")).toBe(true);
    expect(isActionType("RESTART")).toBe(false);
    expect(isAgentRole("sre")).toBe(true);
    expect(isAgentRole("toString")).toBe(false);
    expect(isFailureType("cascade")).toBe(true);
    expect(isFailureType(5)).toBe(false);
  });
});
