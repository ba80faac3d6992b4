import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPrompt, loadRolePrompt, type PromptOptions } from "../../src/prompting/prompts.js";
import * as node from "../../src/node.js";
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

  it("builds in the text of prompts/*.md, read and stripped as a file would be", () => {
    for (const role of ["sre", "dev", "manager", "oversight"]) {
      const file = readFileSync(new URL(`../../prompts/${role}.md`, import.meta.url), "utf8");
      expect(loadRolePrompt(role)).toBe(file.replace(/\r\n?/g, "\n").trim());
      expect(node.loadRolePrompt(role, { promptDir: fileURLToPath(new URL("../../prompts/", import.meta.url)) })).toBe(loadRolePrompt(role));
    }
  });

  it("has no prompt for an unknown role or a folder without the file", () => {
    expect(loadRolePrompt("ceo")).toBe("");
    expect(node.loadRolePrompt("ceo", { promptDir: tmpdir() })).toBe("");
    expect(node.loadRolePrompt("sre", { promptDir: tmpdir() })).toBe("");
  });

  it("reads prompt files with universal newlines and Python's strip", () => {
    const dir = mkdtempSync(join(tmpdir(), "prompts-"));
    writeFileSync(join(dir, "sre.md"), "\ufeff\x1c line one\r\nline two\rthree \x85\n");
    expect(node.loadRolePrompt("sre", { promptDir: dir })).toBe("\ufeff\x1c line one\nline two\nthree");
    expect(node.buildPrompt({ ...observation, turn_role: "sre" }, { promptDir: dir })).toMatch(/^\ufeff\x1c line one\nline two\nthree\n\nSTEP 2\n/);
  });

  it("takes role prompts from the caller, a role left out having none", () => {
    expect(loadRolePrompt("dev", { rolePrompts: { dev: "Be brief." } })).toBe("Be brief.");
    expect(loadRolePrompt("sre", { rolePrompts: { dev: "Be brief." } })).toBe("");
    expect(buildPrompt(observation, { rolePrompts: { dev: "Be brief." } })).toBe(`Be brief.\n\n${renderObservation(observation.view, { step: 2 })}`);
  });

  it("refuses promptDir in the core entry, naming the entry that reads files", () => {
    const options = { promptDir: tmpdir() } as unknown as PromptOptions;
    expect(() => buildPrompt(observation, options)).toThrow('"chaosops-adapter/node"');
    expect(() => loadRolePrompt("sre", options)).toThrow(TypeError);
    expect(() => buildOpenAIMessages(observation, options)).toThrow(TypeError);
  });

  it("puts the role prompt before the body, or the body alone when there is none", () => {
    const body = renderObservation(observation.view, { step: 2 });
    expect(buildPrompt(observation)).toBe(`${loadRolePrompt("dev")}\n\n${body}`);
    expect(node.buildPrompt(observation)).toBe(`${loadRolePrompt("dev")}\n\n${body}`);
    expect(node.buildPrompt(observation, { promptDir: tmpdir() })).toBe(body);
    expect(node.buildPrompt(observation, { systemPrompt: "", promptDir: tmpdir() })).toBe(body);
    expect(node.buildPrompt(observation, { systemPrompt: "Mine.", promptDir: tmpdir() })).toBe(`Mine.\n\n${body}`);
    expect(buildPrompt({ ...observation, turn_role: "nobody" })).toBe(body);
  });

  it("falls back to the role prompt when the system prompt is empty, as Python's `or` does", () => {
    expect(buildOpenAIMessages(observation, { systemPrompt: "" })[0]).toEqual({ role: "system", content: loadRolePrompt("dev") });
    expect(node.buildOpenAIMessages(observation, { promptDir: tmpdir() })).toEqual([{ role: "user", content: renderObservation(observation.view, { step: 2 }) }]);
    expect(node.buildAnthropicMessages(observation, { promptDir: tmpdir() }).system).toBe("");
  });

  it("names a malformed observation", () => {
    expect(() => buildPrompt(null as unknown as ChaosOpsObservation)).toThrow(InvalidObservationError);
    expect(() => node.buildPrompt(null as unknown as ChaosOpsObservation, { promptDir: tmpdir() })).toThrow(InvalidObservationError);
    expect(() => buildPrompt({ step: 1, turn_role: "sre" } as unknown as ChaosOpsObservation)).toThrow("view must be an object");
  });
});

describe("prompt options no prompt can be built from (red-team finds: engine errors from deep inside)", () => {
  const builders = [
    ["buildPrompt", (o: unknown) => buildPrompt(observation, o as PromptOptions)],
    ["buildOpenAIMessages", (o: unknown) => buildOpenAIMessages(observation, o as PromptOptions)],
    ["buildAnthropicMessages", (o: unknown) => buildAnthropicMessages(observation, o as PromptOptions)],
    ["node buildPrompt", (o: unknown) => node.buildPrompt(observation, o as PromptOptions)],
    ["loadRolePrompt", (o: unknown) => loadRolePrompt("sre", o as PromptOptions)],
  ] as const;
  it.each(builders)("%s: options that are no object, a systemPrompt that is no string, rolePrompts that are no object are TypeErrors", (_name, build) => {
    expect(() => build(null)).toThrow(/prompt options must be an object \(got null\)/);
    expect(() => build(5)).toThrow(TypeError);
    expect(() => build({ rolePrompts: 5 })).toThrow(/options.rolePrompts must be an object/);
    if (_name !== "loadRolePrompt") expect(() => build({ systemPrompt: Symbol("s") })).toThrow(/options.systemPrompt must be a string/);
  });

  it("a role prompt that is no string is no prompt", () => {
    expect(loadRolePrompt("sre", { rolePrompts: { sre: 5 as never } })).toBe("");
  });
});
