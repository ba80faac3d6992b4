// Trajectory lines as training data: SFT pairs and format rewards.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chatMessages, formatReward, sftPair, trajectoryLine, type DetailRecord, type Turn } from "../../src/env/index.js";
import { actionToTrainingTarget } from "../../src/actions/training-target.js";
import { detailRecord } from "../../src/batch/jsonl-records.js";
import { parseActionDetailed } from "../../src/parsing/parse-detailed.js";

const reward = (raw: string, lenient = false) => formatReward(parseActionDetailed(raw, { role: "sre", ...(lenient ? { formats: "lenient" as const } : {}) }));

describe("formatReward", () => {
  it("scores by how the action was found", () => {
    expect(reward('{"action_type": "restart", "target": "db"}')).toBe(1);
    expect(reward('Restarting.\n```json\n{"action_type": "restart", "target": "db"}\n```')).toBe(1);
    expect(reward("{'action_type': 'restart', 'target': 'db'}", true)).toBe(0.5);
    expect(reward('use {braces} then {"action_type": "noop"}')).toBe(0.75);
    expect(reward("{'action_type': 'restart'} or {x}", true)).toBe(0.25);
    expect(reward("I would restart the db")).toBe(0);
    expect(reward('{"action_type": "dance"}')).toBe(0);
  });

  it("gives the same score from a trajectory line's detail as from parseActionDetailed's", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("{", "}", '"action_type"', ": ", '"noop"', '"restart"', "'", "True", ",", " ", "x", "<think>", "</think>", "```"), { maxLength: 30 }), (parts) => {
        const detail = parseActionDetailed(parts.join(""), { role: "dev", formats: "lenient" });
        const line = JSON.parse(JSON.stringify(detailRecord(detail))) as DetailRecord;
        const score = formatReward(detail);
        expect(formatReward(line)).toBe(score);
        expect(score === 0).toBe(detail.fallbackUsed || detail.candidate === null);
      }),
    );
  });
});

describe("trajectory lines", () => {
  const detail = parseActionDetailed('{"action_type": "scale", "target": "db", "args": {"replicas": 3, "note": null}}', { role: "dev" });
  const turn: Turn = {
    index: 2,
    step: 2,
    role: "dev",
    messages: { system: "You are DEV.", messages: [{ role: "user", content: "STEP 2" }] },
    completion: '{"action_type": "scale", "target": "db", "args": {"replicas": 3, "note": null}}',
    action: detail.action,
    detail,
    attempts: 1,
    reward: -6,
    done: false,
    message: "DEV: scale | -> db",
  };

  it("carry the fields of the issue, the detail as `chaosops parse --detail` writes it", () => {
    const line = trajectoryLine(3, turn);
    expect(Object.keys(line)).toEqual(["episode", "step", "role", "messages", "completion", "action", "detail", "reward", "done", "message", "attempts"]);
    expect(line.detail).toEqual(detailRecord(detail));
    expect(line.episode).toBe(3);
  });

  it("become SFT pairs: chat messages, and the action as the reference's training target", () => {
    const pair = sftPair(JSON.parse(JSON.stringify(trajectoryLine(1, turn))));
    expect(pair.prompt).toEqual([{ role: "system", content: "You are DEV." }, { role: "user", content: "STEP 2" }]);
    expect(pair.completion).toBe(actionToTrainingTarget(detail.action));
    expect(pair.completion).toBe('{"action_type": "scale", "args": {"replicas": 3}, "target": "db"}');
    expect(chatMessages({ system: "", messages: [{ role: "user", content: "u" }] })).toEqual([{ role: "user", content: "u" }]);
  });
});
