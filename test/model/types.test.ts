// ChaosOpsAction narrows by action_type. These checks are types: `npm run typecheck`
// (and CI) fail when they do not hold; the runtime half checks that the parsers keep
// the promise the types make.
import { describe, expect, expectTypeOf, it } from "vitest";
import { parseAction } from "../../src/parsing/parse-action.js";
import type { ActionArgs, ChaosOpsAction } from "../../src/model/types.js";
import type { AgentRole, FailureType } from "../../src/model/enums.js";

describe("ChaosOpsAction", () => {
  it("narrows args by action_type and keeps unknown args", () => {
    const action = parseAction('{"action_type": "scale", "target": "db", "args": {"replicas": "3", "why": "load"}}', { role: "sre" });
    if (action.action_type !== "scale") throw new Error(`expected scale, got ${action.action_type}`);
    expectTypeOf(action.args.replicas).toEqualTypeOf<number | undefined>();
    expectTypeOf(action.args["why"]).toEqualTypeOf<unknown>();
    expect(action.args.replicas).toBe(3);
    expect(action.args["why"]).toBe("load");
  });

  it("types the known args of communicate and identify_root_cause", () => {
    expectTypeOf<ChaosOpsAction<"communicate">["args"]["to"]>().toEqualTypeOf<AgentRole | undefined>();
    expectTypeOf<ChaosOpsAction<"communicate">["args"]["message"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ChaosOpsAction<"identify_root_cause">["args"]["failure_type"]>().toEqualTypeOf<FailureType | undefined>();
    expectTypeOf<ActionArgs<"restart">>().toEqualTypeOf<Record<string, unknown>>();
  });

  it("accepts what existing code builds: a non-literal action_type with plain args", () => {
    const build = (action_type: ChaosOpsAction["action_type"], args: Record<string, unknown>): ChaosOpsAction => ({ role: "sre", action_type, target: null, args });
    expect(build("scale", { replicas: 2 }).args).toEqual({ replicas: 2 });
    // @ts-expect-error: replicas is a number where the type is known
    const wrong: ChaosOpsAction = { role: "sre", action_type: "scale", target: "db", args: { replicas: "3" } };
    expect(wrong.action_type).toBe("scale");
  });

  it("parses identify_root_cause's failure_type into the typed member", () => {
    const action = parseAction('{"action_type": "identify_root_cause", "args": {"failure_type": "db_deadlock"}}', { role: "dev" });
    if (action.action_type !== "identify_root_cause") throw new Error(action.action_type);
    const failure: FailureType | undefined = action.args.failure_type;
    expect(failure).toBe("db_deadlock");
  });
});
