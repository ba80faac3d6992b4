import { describe, expect, it } from "vitest";
import { actionToTrainingTarget } from "../../src/actions/training-target.js";
import type { ChaosOpsAction } from "../../src/model/types.js";
import { loadGolden } from "../support/golden.js";

interface TargetCase {
  id: string;
  action: ChaosOpsAction;
  expect: string;
}

describe("actionToTrainingTarget: golden cases from the reference", () => {
  it.each(loadGolden<TargetCase>("target").map((c) => [c.id, c] as const))("%s", (_id, c) => {
    expect(actionToTrainingTarget(c.action)).toBe(c.expect);
  });
});

describe("actionToTrainingTarget", () => {
  const base = { role: "sre", action_type: "scale", target: "db" } as const;

  it("orders keys by code point, not by UTF-16 unit", () => {
    const target = actionToTrainingTarget({ ...base, args: { "\u{10000}": 1, "\uffef": 2, "\ud800": 3, a: 4 } });
    expect(target).toBe('{"action_type": "scale", "args": {"a": 4, "\\ud800": 3, "\\uffef": 2, "\\ud800\\udc00": 1}, "target": "db"}');
  });

  it("writes numbers as Python does", () => {
    const target = actionToTrainingTarget({ ...base, args: { a: 1e16, b: 1e-5, c: -0, d: NaN, e: -Infinity, f: 2 ** 53, g: 0.1, h: 1e22, i: 123456789 } });
    expect(target).toBe(
      '{"action_type": "scale", "args": {"a": 1e+16, "b": 1e-05, "c": -0.0, "d": NaN, "e": -Infinity, "f": 9007199254740992.0, "g": 0.1, "h": 1e+22, "i": 123456789}, "target": "db"}',
    );
  });

  it("escapes DEL and everything outside printable ASCII", () => {
    expect(actionToTrainingTarget({ ...base, target: "\x7f\u00e9\n\u{1f600}", args: {} })).toBe(
      '{"action_type": "scale", "args": {}, "target": "\\u007f\\u00e9\\n\\ud83d\\ude00"}',
    );
  });

  it("leaves out null args, as the reference's model drops them", () => {
    expect(actionToTrainingTarget({ ...base, args: { message: null, to: "dev" } })).toBe(
      '{"action_type": "scale", "args": {"to": "dev"}, "target": "db"}',
    );
  });

  it("serialises 100,000 levels of nesting without overflowing the stack", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const target = actionToTrainingTarget({ ...base, args: { deep } });
    expect(target.length).toBe('{"action_type": "scale", "args": {"deep": 1}, "target": "db"}'.length + 200_000);
  });

  it("rejects a circular args object with a clear error", () => {
    const args: Record<string, unknown> = {};
    args.self = args;
    expect(() => actionToTrainingTarget({ ...base, args })).toThrow(/circular/);
  });

  it("keeps __proto__ as a plain key", () => {
    const args = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    expect(actionToTrainingTarget({ ...base, args })).toBe('{"action_type": "scale", "args": {"__proto__": {"x": 1}}, "target": "db"}');
  });
});
