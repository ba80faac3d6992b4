import { describe, expect, it } from "vitest";
import { actionWarnings, parseActionDetailed, WarningCode } from "../../src/parsing/parse-detailed.js";
import { RepairCode } from "../../src/formats/formats.js";
import { loadGolden, type ParseCase } from "../support/golden.js";


describe("parseActionDetailed without formats", () => {
  it.each(loadGolden<ParseCase>("parse").map((c) => [c.id, c] as const))("%s: the reference's action and candidate", (_id, c) => {
    const detail = parseActionDetailed(c.raw, { role: c.role, fallback: c.fallback });
    expect(detail.action).toEqual(c.expect);
    expect(detail.candidate?.kind ?? null).toBe(c.chosen);
    if (detail.candidate) expect(c.raw.slice(detail.candidate.start, detail.candidate.end)).toBe(detail.candidate.text);
  });
});

describe("parseActionDetailed", () => {
  it("names the candidate taken, with offsets into the text as given", () => {
    const raw = '  Thinking {broken} then {"action_type": "restart", "target": "db"} ';
    const detail = parseActionDetailed(raw, { role: "sre" });
    const taken = '{"action_type": "restart", "target": "db"}';
    const at = raw.indexOf(taken);
    expect(detail.candidate).toEqual({ kind: "balanced", format: "json", start: at, end: at + taken.length, text: taken });
    expect(detail.rejected).toEqual([{ kind: "balanced", start: 11, end: 19, text: "{broken}", reason: "not valid JSON (at character 2)" }]);
    expect(detail.fallbackUsed).toBe(false);
    expect(detail.repairs).toEqual([]);
  });

  it("reports the repairs a format made", () => {
    const detail = parseActionDetailed("<think>{}</think>{'action_type': 'restart', 'target': 'db',}", { role: "sre", formats: "lenient" });
    expect(detail.candidate?.format).toBe("python");
    expect(detail.repairs).toEqual([RepairCode.SKIPPED_REASONING, RepairCode.SINGLE_QUOTES, RepairCode.TRAILING_COMMA]);
  });

  it("warns about negative replicas, unused args and unknown targets", () => {
    const detail = parseActionDetailed('{"action_type": "scale", "target": "mainframe", "args": {"replicas": -2, "colour": "red"}}', { role: "sre" });
    expect(detail.warnings.map((w) => w.code)).toEqual([WarningCode.NEGATIVE_REPLICAS, WarningCode.UNUSED_ARG, WarningCode.UNKNOWN_TARGET]);
  });

  it("says when the fallback was used", () => {
    expect(parseActionDetailed("nothing here", { role: "sre" }).fallbackUsed).toBe(true);
    expect(parseActionDetailed('{"action_type": "reboot"}', { role: "sre" }).fallbackUsed).toBe(true);
    expect(parseActionDetailed('{"action_type": "noop"}', { role: "sre" }).fallbackUsed).toBe(false);
  });
});

describe("parseActionDetailed under a flood of junk blocks", () => {
  it("detail-memory: one 8 MB line of `{a} ` lists the first 100 rejected candidates and counts them all (once it exhausted memory)", () => {
    const blocks = 2_000_000;
    const detail = parseActionDetailed(`${"{a} ".repeat(blocks)}{"action_type": "resolve"}`, { role: "dev" });
    expect(detail.action.action_type).toBe("resolve");
    expect(detail.rejected).toHaveLength(100);
    // The whole text (it starts with `{` and ends with `}`) is the first candidate rejected.
    expect(detail.rejected[0]?.kind).toBe("whole");
    expect(detail.rejected[99]).toEqual({ kind: "balanced", start: 392, end: 395, text: "{a}", reason: "not valid JSON (at character 2)" });
    expect(detail.rejectedCount).toBe(blocks + 1);
  });

  it("detail-memory: the count covers every source when nothing decodes", () => {
    const detail = parseActionDetailed("{a} ".repeat(1000), { role: "dev" });
    expect(detail.fallbackUsed).toBe(true);
    expect(detail.rejected).toHaveLength(100);
    expect(detail.rejectedCount).toBe(1 + 2000); // the whole text, then each block as a balanced and a bare candidate
  });
});

describe("actionWarnings on what is no action", () => {
  it("is a TypeError naming what it wants (a red-team find: an engine error)", () => {
    expect(() => actionWarnings({} as never)).toThrow(/actionWarnings: action must be a ChaosOps action/);
    expect(() => actionWarnings({ role: "sre", action_type: "dance", target: null, args: {} } as never)).toThrow(TypeError);
    expect(actionWarnings({ role: "sre", action_type: "scale", target: "db", args: { replicas: -1 } }).map((w) => w.code)).toEqual([WarningCode.NEGATIVE_REPLICAS]);
  });
});
