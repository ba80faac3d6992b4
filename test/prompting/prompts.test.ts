import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildPrompt, loadRolePrompt } from "../../src/prompting/prompts.js";
import { InvalidObservationError, renderObservation } from "../../src/prompting/rendering.js";
import { buildAnthropicMessages, buildOpenAIMessages } from "../../src/providers/providers.js";
import type { ChaosOpsObservation } from "../../src/model/types.js";
import { loadGolden } from "../support/golden.js";

interface PromptCase {
  id: string;
  observation: ChaosOpsObservation;
  system_prompt: string;
  expect: string;
  expect_openai: unknown;
  expect_anthropic: unknown;
}

describe("buildPrompt and message builders: golden cases from the reference", () => {
  it.each(loadGolden<PromptCase>("prompt").map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const options = { systemPrompt: c.system_prompt };
    expect(buildPrompt(c.observation, options)).toBe(c.expect);
    expect(buildOpenAIMessages(c.observation, options)).toEqual(c.expect_openai);
    expect(buildAnthropicMessages(c.observation, options)).toEqual(c.expect_anthropic);
  });
});

const observation: ChaosOpsObservation = {
  step: 2,
  turn_role: "dev",
  view: { role: "dev", visible_metrics: {}, visible_logs: [], visible_alerts: [], visible_fleet_actions: [], shared_chat: ["sre: db is slow"] },
};

describe("role prompts", () => {
  it("ships a prompt for every role, read and stripped", () => {
    for (const role of ["sre", "dev", "manager", "oversight"]) {
      const prompt = loadRolePrompt(role);
      expect(prompt.length).toBeGreaterThan(100);
      expect(prompt).toBe(prompt.trim());
    }
  });

  it("has no prompt for an unknown role or a folder without the file", () => {
    expect(loadRolePrompt("ceo")).toBe("");
    expect(loadRolePrompt("sre", { promptDir: tmpdir() })).toBe("");
  });

  it("reads prompt files with universal newlines and Python's strip", () => {
    const dir = mkdtempSync(join(tmpdir(), "prompts-"));
    writeFileSync(join(dir, "sre.md"), "\ufeff\x1c line one\r\nline two\rthree \x85\n");
    expect(loadRolePrompt("sre", { promptDir: dir })).toBe("\ufeff\x1c line one\nline two\nthree");
  });

  it("puts the role prompt before the body, or the body alone when there is none", () => {
    const body = renderObservation(observation.view, { step: 2 });
    expect(buildPrompt(observation)).toBe(`${loadRolePrompt("dev")}\n\n${body}`);
    expect(buildPrompt(observation, { promptDir: tmpdir() })).toBe(body);
    expect(buildPrompt(observation, { systemPrompt: "", promptDir: tmpdir() })).toBe(body);
    expect(buildPrompt({ ...observation, turn_role: "nobody" })).toBe(body);
  });

  it("falls back to the role prompt when the system prompt is empty, as Python's `or` does", () => {
    expect(buildOpenAIMessages(observation, { systemPrompt: "" })[0]).toEqual({ role: "system", content: loadRolePrompt("dev") });
    expect(buildOpenAIMessages(observation, { promptDir: tmpdir() })).toEqual([{ role: "user", content: renderObservation(observation.view, { step: 2 }) }]);
    expect(buildAnthropicMessages(observation, { promptDir: tmpdir() }).system).toBe("");
  });

  it("names a malformed observation", () => {
    expect(() => buildPrompt(null as unknown as ChaosOpsObservation)).toThrow(InvalidObservationError);
    expect(() => buildPrompt({ step: 1, turn_role: "sre" } as unknown as ChaosOpsObservation)).toThrow("view must be an object");
  });
});
