// Test what you ship: the built package, imported by name the way a user imports it.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

function runNode(source: string): string {
  return execFileSync(process.execPath, ["--input-type=module", "-e", source], { cwd: root, encoding: "utf8" });
}

describe("the built package", () => {
  it("resolves chaosops-adapter by name, as ESM, with every public name", () => {
    const names = JSON.parse(runNode(`import * as lib from "chaosops-adapter"; console.log(JSON.stringify(Object.keys(lib).sort()));`)) as string[];
    for (const name of [
      "renderObservation", "loadRolePrompt", "buildPrompt", "parseAction", "actionToTrainingTarget", "ACTION_JSON_SCHEMA",
      "openaiToolSpec", "anthropicToolSpec", "buildOpenAIMessages", "buildAnthropicMessages", "parseOpenAIResponse",
      "parseAnthropicResponse", "StreamingActionParser", "parseStreamingAction", "generateActionWithRetry",
      "ActionType", "AgentRole", "FailureType", "ServiceName", "ServiceHealth", "parseActionDetailed", "OutputFormat",
      "actionFromOpenAIStream", "actionFromAnthropicStream", "actionGbnf", "openaiStrictToolSpec", "ACTION_JSON_SCHEMA_STRICT",
    ]) {
      expect(names).toContain(name);
    }
  });

  it("parses and loads role prompts from the installed layout", () => {
    const out = runNode(
      `import { parseAction, loadRolePrompt } from "chaosops-adapter";
       const a = parseAction('ok {"action_type": "restart", "target": "db"}', { role: "sre" });
       console.log(a.action_type, a.target, loadRolePrompt("sre").length > 0);`,
    );
    expect(out.trim()).toBe("restart db true");
  });

  it("ships type declarations for the entry point", () => {
    expect(existsSync(`${root}dist/index.d.ts`)).toBe(true);
    expect(existsSync(`${root}dist/generated/candidates.d.ts`)).toBe(true);
  });
});
