import { describe, expect, it } from "vitest";
import { actionFromFields, actionFromOwnFields, actionFromPayload } from "../../src/actions/action-mapping.js";
import { decodeActionFields } from "../../src/python/json-dialect.js";
import type { JsonValue } from "../../src/model/types.js";
import { ActionType } from "../../src/model/enums.js";

function map(payload: object, fallback: ActionType = ActionType.NOOP) {
  return actionFromPayload(payload, "dev", fallback);
}

describe("actionFromPayload", () => {
  it("normalises action_type with Python strip and lower", () => {
    expect(map({ action_type: "\x1c RESTART \x85" }).action_type).toBe("restart");
    expect(map({ action_type: "ROLLBAC\u212a" }).action_type).toBe("rollback");
    expect(map({ action_type: "\ufeffrestart" }).action_type).toBe("noop");
  });

  it("gives the fallback for a missing, non-string or unknown action_type", () => {
    for (const action_type of [undefined, null, 5, ["restart"], { restart: 1 }, "reboot", true]) {
      expect(map({ action_type }, ActionType.ESCALATE).action_type).toBe("escalate");
    }
  });

  it("writes the target as Python's str() does", () => {
    const target = (value: unknown, literal?: string) =>
      actionFromFields({ actionType: "noop", target: value as JsonValue, targetLiteral: literal, args: undefined }, "dev", ActionType.NOOP)
        .target;
    expect(target(null)).toBeNull();
    expect(target(undefined)).toBeNull();
    expect(target("db")).toBe("db");
    expect(target(7)).toBe("7");
    expect(target(2, "2.0")).toBe("2.0");
    expect(target(0, "-0")).toBe("0");
    expect(target(Infinity, "1e400")).toBe("inf");
    expect(target(NaN, "NaN")).toBe("nan");
    expect(target(true)).toBe("True");
    expect(target({ a: [1, null, "x"] })).toBe("{'a': [1, None, 'x']}");
  });

  it("coerces replicas with Python int() and drops what int() refuses", () => {
    const args = (replicas: unknown) => map({ action_type: "scale", args: { replicas } }).args;
    expect(args(" 3 ")).toEqual({ replicas: 3 });
    expect(args(2.7)).toEqual({ replicas: 2 });
    expect(args(true)).toEqual({ replicas: 1 });
    expect(args("3.0")).toEqual({});
    expect(args(Infinity)).toEqual({});
    expect(args([3])).toEqual({});
  });

  // Counterexamples of a differential fuzz against the reference (Python int() raises on each).
  it("drops replicas with a non-ASCII character int() refuses, wherever it stands", () => {
    const args = (replicas: unknown) => map({ action_type: "scale", args: { replicas } }).args;
    expect(args("3\u200b")).toEqual({});
    expect(args("2 \u00d7 5")).toEqual({});
    expect(args("7\ud800")).toEqual({});
  });

  it("drops replicas too large for any JavaScript number, with or without other args after it", () => {
    const huge = "9".repeat(309);
    const decoded = (raw: string) => decodeActionFields(raw) ?? expect.unreachable("decodes");
    expect(actionFromOwnFields(decoded(`{"action_type":"scale","args":{"replicas":"${huge}"}}`), "sre", "noop").args).toEqual({});
    expect(actionFromOwnFields(decoded(`{"action_type":"scale","args":{"replicas":"${huge}","a":null}}`), "sre", "noop").args).toEqual({});
    expect(actionFromOwnFields(decoded(`{"action_type":"scale","args":{"replicas":"${huge}","to":"db"}}`), "sre", "noop").args).toEqual({ to: "db" });
  });

  it("keeps a failure_type only when it is exactly a FailureType value", () => {
    const args = (failure_type: unknown) => map({ action_type: "identify_root_cause", args: { failure_type } }).args;
    expect(args("db_deadlock")).toEqual({ failure_type: "db_deadlock" });
    expect(args("DB_DEADLOCK")).toEqual({});
    expect(args(" db_deadlock")).toEqual({});
  });

  it("drops null args, keeps everything else as is, and reads non-object args as {}", () => {
    expect(map({ action_type: "communicate", args: { message: null, to: "sre", n: [null] } }).args).toEqual({ to: "sre", n: [null] });
    expect(map({ action_type: "noop", args: ["x"] }).args).toEqual({});
    expect(map({ action_type: "noop", args: "x" }).args).toEqual({});
  });

  it("keeps __proto__, constructor and toString as plain own keys of args", () => {
    const payload = JSON.parse('{"action_type":"noop","args":{"__proto__":{"admin":true},"constructor":"c","toString":"t"}}') as object;
    const { args } = map(payload);
    expect(Object.getPrototypeOf(args)).toBe(Object.prototype);
    expect(Object.keys(args)).toEqual(["__proto__", "constructor", "toString"]);
    expect((args as { admin?: boolean }).admin).toBeUndefined();
  });
});

describe("actionFromOwnFields (members decoded for this action alone)", () => {
  const decoded = (raw: string) => decodeActionFields(raw) ?? expect.unreachable("decodes");

  it("coerces args: -0.0 replicas become 0 (not -0), null and unknown failure types are dropped", () => {
    const fields = decoded('{"action_type":"scale","args":{"replicas":-0.0,"note":null,"failure_type":"nope","to":"db"}}');
    const action = actionFromOwnFields(fields, "sre", "noop");
    expect(Object.is(action.args.replicas, 0)).toBe(true);
    expect(action.args).toEqual({ replicas: 0, to: "db" });
    expect(Object.keys(action.args)).toEqual(["replicas", "to"]);
  });

  it("takes the decoded args object itself, coerced in place, when no arg is dropped", () => {
    const fields = decoded('{"action_type":"scale","args":{"replicas":"3","to":"db"}}');
    const action = actionFromOwnFields(fields, "sre", "noop");
    expect(action.args).toEqual({ replicas: 3, to: "db" });
    expect(action.args).toBe(fields.args);
  });

  it("maps as actionFromFields does, which leaves the members it is given alone", () => {
    const raw = '{"action_type":" Scale ","target":2.0,"args":{"replicas":"3","__proto__":{"x":1},"gone":null}}';
    const copied = actionFromFields(decoded(raw), "dev", "noop");
    const held = decoded(raw);
    const before = JSON.stringify(held.args);
    expect(actionFromOwnFields(decoded(raw), "dev", "noop")).toEqual(copied);
    expect(actionFromFields(held, "dev", "noop")).toEqual(copied);
    expect(JSON.stringify(held.args)).toBe(before);
  });
});
