// The `chaosops` command, run as a user runs it: the built CLI in a subprocess.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { decodePythonJson } from "../../src/python/json-dialect.js";
import { parseAction } from "../../src/parsing/parse-action.js";
import { loadGolden, type ParseCase } from "../support/golden.js";

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "chaosops-cli-"));

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { input, encoding: "utf8", maxBuffer: 1 << 28 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The output lines, decoded. */
function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const decoded = decodePythonJson(line);
      if (!decoded.ok) throw new Error(`not JSON: ${line}`);
      return decoded.value as Record<string, unknown>;
    });
}


const cases = loadGolden<ParseCase>("parse").filter((c) => c.fallback === "noop");
const file = join(dir, "rollouts.jsonl");
writeFileSync(file, cases.map((c) => JSON.stringify({ id: c.id, role: c.role, completion: c.raw })).join("\n") + "\n");

describe("chaosops parse", () => {
  it("writes one record per input line, in order, each equal to parseAction's result", () => {
    for (const jobs of ["1", "2"]) {
      const { status, stdout } = run(["parse", file, "--jobs", jobs, "--quiet"]);
      expect(status).toBe(0);
      const lines = stdout.split("\n").slice(0, -1);
      expect(lines).toHaveLength(cases.length);
      lines.forEach((line, i) => {
        const c = cases[i] as ParseCase;
        expect(line).toBe(JSON.stringify({ id: c.id, ...parseAction(c.raw, { role: c.role }) }));
      });
    }
  });

  it("reports malformed lines with their number and keeps them in place", () => {
    const input = ['{"role": "sre", "completion": "{\\"action_type\\": \\"restart\\"}"}', "not json", '{"role": "ceo", "completion": "x"}', '{"role": "dev"}', '"bare string"', '{"role": "dev", "completion": "{}"}'].join("\n");
    const { status, stdout, stderr } = run(["parse", "-"], input);
    expect(status).toBe(0);
    const records = jsonLines(stdout);
    expect(records.map((r) => r.action_type ?? `error at ${String(r.line)}`)).toEqual(["restart", "error at 2", "error at 3", "error at 4", "error at 5", "noop"]);
    expect(stderr).toContain("line 2: not valid JSON");
    expect(stderr).toContain('line 3: field "role" is missing or not a role');
    expect(stderr).toContain('line 4: field "completion" is missing, or neither a string nor messages');
    expect(stderr).toContain("line 5: a bare string record needs --role");
  });

  it("with --strict stops at the first malformed line and exits non-zero", () => {
    const input = ['{"role": "sre", "completion": "{}"}', "oops", '{"role": "sre", "completion": "{}"}'].join("\n");
    const { status, stdout, stderr } = run(["parse", "-", "--strict"], input);
    expect(status).toBe(1);
    expect(jsonLines(stdout)).toHaveLength(1);
    expect(stderr).toContain("line 2:");
  });

  it("reads bare string lines with --role, other field names, and an output file", () => {
    const out = join(dir, "out.jsonl");
    const input = ['"{\\"action_type\\": \\"resolve\\"}"', '{"text": "{\\"action_type\\": \\"escalate\\"}", "key": 7}'].join("\n");
    const { status } = run(["parse", "-", "--role", "manager", "--field", "text", "--id-field", "key", "--out", out], input);
    expect(status).toBe(0);
    expect(jsonLines(readFileSync(out, "utf8"))).toEqual([
      { role: "manager", action_type: "resolve", target: null, args: {} },
      { id: 7, role: "manager", action_type: "escalate", target: null, args: {} },
    ]);
  });

  it("adds diagnostics with --detail and reads formats with --formats", () => {
    const input = JSON.stringify({ role: "sre", completion: "<tool_call>{\"name\": \"a\", \"arguments\": {\"action_type\": \"restart\", \"target\": \"db\"}}</tool_call>" });
    const [record] = jsonLines(run(["parse", "-", "--detail", "--formats", "lenient"], input).stdout);
    expect(record).toMatchObject({ action_type: "restart", target: "db", detail: { candidate: { kind: "tool_call", format: "tool_call" }, repairs: ["unwrapped_tool_call"], fallback_used: false } });
    expect(run(["parse", "-", "--formats", "yaml"], input).status).toBe(2);
  });

  it("prints a summary with --stats", () => {
    const { stderr } = run(["parse", file, "--stats", "--quiet"]);
    expect(stderr).toMatch(/records\s+\d+/);
    expect(stderr).toContain("candidate taken");
    expect(stderr).toMatch(/throughput: \d+ records\/s/);
  });

  it("reads Parquet files", () => {
    const rows = cases.slice(0, 50);
    const parquet = join(dir, "rollouts.parquet");
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: "id", data: rows.map((c) => c.id), type: "STRING" },
        { name: "role", data: rows.map((c) => c.role), type: "STRING" },
        { name: "completion", data: rows.map((c) => c.raw), type: "STRING" },
        { name: "step", data: rows.map((_, i) => BigInt(i)), type: "INT64" },
      ],
      rowGroupSize: 16,
    });
    writeFileSync(parquet, Buffer.from(buffer));
    const { status, stdout } = run(["parse", parquet, "--quiet"]);
    expect(status).toBe(0);
    expect(jsonLines(stdout)).toEqual(rows.map((c) => ({ id: c.id, ...parseAction(c.raw, { role: c.role }) })));
  });
});

describe("chaosops render and schema", () => {
  it("renders an observation with a system prompt", () => {
    const obs = join(dir, "obs.json");
    writeFileSync(obs, JSON.stringify({ step: 4, turn_role: "sre", view: { role: "sre", visible_metrics: {}, visible_logs: [], visible_alerts: [], visible_fleet_actions: [], shared_chat: ["hi"] } }));
    const system = join(dir, "system.txt");
    writeFileSync(system, "You are on call.");
    expect(run(["render", obs, "--system-prompt", system]).stdout).toMatch(/^You are on call\.\n\nSTEP 4\nROLE SRE\nCHAT\n {2}hi\n/);
  });

  it.each([
    ["openai", '"type": "function"'],
    ["anthropic", '"input_schema"'],
    ["openai-strict", '"strict": true'],
    ["gbnf", "root ::="],
  ])("prints the %s schema", (kind, marker) => {
    const { status, stdout } = run(["schema", "--as", kind]);
    expect(status).toBe(0);
    expect(stdout).toContain(marker);
  });

  it("explains a usage error", () => {
    const { status, stderr } = run(["frobnicate"]);
    expect(status).toBe(2);
    expect(stderr).toContain("usage:");
  });
});
