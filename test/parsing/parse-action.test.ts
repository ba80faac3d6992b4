import { describe, expect, it } from "vitest";
import { locateAction, parseAction } from "../../src/parsing/parse-action.js";
import { resolveOptions } from "../../src/parsing/parse-options.js";
import type { ActionType, AgentRole } from "../../src/model/enums.js";
import { deviations, raised } from "../support/deviations.js";
import { loadGolden, type ParseCase } from "../support/golden.js";


const cases = loadGolden<ParseCase>("parse");

describe("parseAction: golden cases from the reference", () => {
  it.each(cases.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const located = locateAction(c.raw, resolveOptions({ role: c.role, fallback: c.fallback }, "test"));
    expect(located.action).toEqual(c.expect);
    expect(located.candidate?.kind ?? null).toBe(c.chosen);
  });
});

describe("parseAction where the reference crashes or JavaScript differs (deviations.jsonl)", () => {
  const parseCases = deviations("parse");

  it.each(parseCases.filter((d) => !raised(d)).map((d) => [d.id, d] as const))("%s answers as the reference", (_id, d) => {
    expect(parseAction(d.raw as string, { role: d.role as AgentRole, fallback: d.fallback as ActionType })).toEqual(d.reference);
  });

  it.each(parseCases.filter(raised).map((d) => [d.id, d] as const))("%s returns an action where the reference raises", (_id, d) => {
    const action = parseAction(d.raw as string, { role: d.role as AgentRole, fallback: d.fallback as ActionType });
    expect(action.role).toBe(d.role);
    expect(action.args).not.toHaveProperty("replicas");
  });

  it("drops infinite replicas instead of raising OverflowError", () => {
    const action = parseAction('{"action_type":"scale","target":"db","args":{"replicas":1e400,"reason":"x"}}', { role: "sre" });
    expect(action).toEqual({ role: "sre", action_type: "scale", target: "db", args: { reason: "x" } });
  });

  it("rejects a candidate with a 4301-digit integer and goes on to the next", () => {
    const raw = `{"action_type":"restart","n":${"1".repeat(4301)}} then {"action_type":"resolve"}`;
    expect(parseAction(raw, { role: "dev" }).action_type).toBe("resolve");
  });

  it("parses nesting up to 1,000 levels, and rejects deeper candidates without throwing, at any depth", () => {
    const nested = (depth: number) => `{"action_type":"communicate","args":${'{"x":'.repeat(depth - 1)}1${"}".repeat(depth - 1)}}`;
    const within = parseAction(nested(1000), { role: "sre" });
    expect(within.action_type).toBe("communicate");
    expect(Object.keys(within.args)).toEqual(["x"]);
    for (const depth of [1001, 5_000, 1_000_000]) {
      expect(parseAction(`${nested(depth)} then {"action_type": "resolve"}`, { role: "sre" }).action_type).toBe("resolve");
    }
  });
});

describe("parseAction", () => {
  it("takes the first candidate that decodes to an object, even without a usable action_type", () => {
    expect(parseAction('{"thought": "x"} {"action_type": "restart"}', { role: "sre" }).action_type).toBe("noop");
  });

  it("prefers a fenced block over balanced blocks before it", () => {
    const raw = '{"action_type":"restart"} and ```json\n{"action_type":"rollback"}\n```';
    expect(parseAction(raw, { role: "sre" }).action_type).toBe("rollback");
  });

  it("uses the given fallback and role", () => {
    expect(parseAction("no json", { role: "manager", fallback: "escalate" })).toEqual({ role: "manager", action_type: "escalate", target: null, args: {} });
  });

  it("returns the fallback for a non-string input", () => {
    expect(parseAction(undefined as unknown as string, { role: "dev" }).action_type).toBe("noop");
  });

  it("throws a clear error for options without a known role or fallback", () => {
    expect(() => parseAction("{}", { role: "ceo" as AgentRole })).toThrow(/options.role/);
    expect(() => parseAction("{}", { role: "sre", fallback: "panic" as ActionType })).toThrow(/options.fallback/);
  });
});

describe("parseAction: a text that starts and ends with a brace but is not one object", () => {
  const located = (raw: string) => {
    const { action, candidate } = locateAction(raw, resolveOptions({ role: "sre" }, "test"));
    return [action.action_type, candidate?.kind, candidate?.start, candidate?.end];
  };

  it("takes the first object as the first balanced block when no fence comes in between", () => {
    expect(located('{"action_type":"restart"} and {"action_type":"resolve"}')).toEqual(["restart", "balanced", 0, 25]);
  });

  it("still tries the fences before that first balanced block", () => {
    expect(located('{"action_type":"restart"} ```json\n{"action_type":"resolve"}\n``` }')).toEqual(["resolve", "fenced", 34, 59]);
    expect(located('{"action_type":"restart"} ```json\n{"action_type":"resolve",}\n``` }')).toEqual(["restart", "balanced", 0, 25]);
  });

  it("goes on past a first block that does not decode", () => {
    expect(located('{"a": [} {"action_type":"resolve"} }')).toEqual(["resolve", "balanced", 9, 34]);
    expect(located('{"a": [ {"action_type":"resolve"} }')).toEqual(["resolve", "bare", 8, 33]);
    expect(located('{"a": 1,} {"action_type":"resolve"} {}')).toEqual(["resolve", "balanced", 10, 35]);
  });
});
