// Issue 13: the usual manners of a command line tool, and the record shapes people have.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Progress } from "../../src/batch/progress.js";
import { CLI, hasStackTrace, jsonLines, runCli } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "chaosops-manners-"));
const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

describe("chaosops manners", () => {
  it("prints the version with --version and -V", () => {
    for (const flag of ["--version", "-V"]) expect(runCli([flag])).toMatchObject({ status: 0, stdout: `${version}\n` });
  });

  it.each(["parse", "render", "schema"])("prints usage for %s --help and -h, exit 0", (command) => {
    for (const flag of ["--help", "-h"]) {
      const { status, stdout, stderr } = runCli([command, flag]);
      expect(status).toBe(0);
      expect(stdout).toMatch(new RegExp(`^usage: chaosops ${command}`));
      expect(stderr).toBe("");
    }
  });

  it("explains an unknown option with the command's usage, exit 2, no stack trace", () => {
    const { status, stderr } = runCli(["parse", "--frobnicate"]);
    expect(status).toBe(2);
    expect(stderr).toContain("usage: chaosops parse");
    expect(hasStackTrace(stderr)).toBe(false);
  });

  it("takes short options", () => {
    const input = ['{"text": {"reply": "{\\"action_type\\": \\"resolve\\"}"}}'].join("\n");
    const out = join(dir, "short.jsonl");
    const { status } = runCli(["parse", "-", "-r", "manager", "-f", "text.reply", "-o", out, "-j", "1", "-q", "-F", "lenient", "-d"], input);
    expect(status).toBe(0);
    expect(jsonLines(readFileSync(out, "utf8"))[0]).toMatchObject({ role: "manager", action_type: "resolve", detail: { fallback_used: false } });
  });

  it("refuses to wait on a terminal: a clear message when standard input is a TTY and no file is given", () => {
    const script = `script -qec '"${process.execPath}" "${CLI}" parse' /dev/null </dev/null`;
    const result = spawnSync("bash", ["-c", script], { encoding: "utf8", timeout: 20_000 });
    if (result.error || /not found/.test(result.stderr)) return; // no `script` here: nothing to drive a terminal with
    expect(result.stdout).toContain("standard input is a terminal");
  });

  it("reads conversational completions (the last assistant message) and dotted paths", () => {
    const input = [
      { role: "sre", completion: [{ role: "assistant", content: '{"action_type": "restart", "target": "db"}' }] },
      { role: "sre", completion: [{ role: "assistant", content: "draft" }, { role: "user", content: "again" }, { role: "assistant", content: [{ type: "text", text: '{"action_type": "rollback", ' }, { type: "text", text: '"target": "auth"}' }] }] },
      { role: "sre", completion: [{ role: "user", content: '{"action_type": "restart"}' }] },
      { role: "sre", completion: { role: "assistant", content: '{"action_type": "escalate"}' } },
    ]
      .map((r) => JSON.stringify(r))
      .join("\n");
    const out = jsonLines(runCli(["parse", "-", "-q"], input).stdout);
    expect(out.map((r) => r.action_type ?? r.error)).toEqual(["restart", "rollback", expect.stringContaining("assistant"), "escalate"]);
    const nested = JSON.stringify({ meta: { agent: "dev", key: 9 }, response: { choices: [{ text: '{"action_type": "resolve"}' }] } });
    const [record] = jsonLines(runCli(["parse", "-", "-q", "--field", "response.choices.0.text", "--role-field", "meta.agent", "--id-field", "meta.key"], nested).stdout);
    expect(record).toEqual({ id: 9, role: "dev", action_type: "resolve", target: null, args: {} });
  });

  it("npm start's view: default and lenient side by side, one source per reading, and why each fallback happened", () => {
    const { status, stdout } = runCli(["parse", "examples/completions.jsonl", "--table", "--compare"], undefined, new URL("../..", import.meta.url).pathname);
    expect(status).toBe(0);
    const [header, , ...rows] = stdout.trimEnd().split("\n");
    expect(header).toMatch(/^record\s+role\s+default\s+from\s+lenient\s+from\s+why$/);
    expect(rows).toHaveLength(readFileSync(new URL("../../examples/completions.jsonl", import.meta.url), "utf8").trim().split("\n").length);
    expect(stdout).not.toMatch(/, fallback/);
    const fallbacks = rows.filter((row) => row.includes("(fallback)"));
    expect(fallbacks.length).toBeGreaterThan(0);
    for (const row of fallbacks) expect(row).toMatch(/(default|lenient|both): \S/);
    // A <think> draft is where the two readings differ: the lenient reading says it skipped it.
    expect(stdout).toContain("lenient: skipped the reasoning block");
  });

  it("reports throughput, and where the records were parsed", () => {
    const input = join(dir, "many.jsonl");
    writeFileSync(input, Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: i, role: "sre", completion: "{}" })).join("\n"));
    const { stderr } = runCli(["parse", input, "--stats", "-q", "-o", join(dir, "many.out")]);
    expect(stderr).toMatch(/throughput: \d+ records\/s, [\d.]+ MB\/s \([\d.]+ s\) \(all on the main thread: too little input for threads\)/);
  });
});

describe("chaosops render", () => {
  const observation = (view: Record<string, unknown>) =>
    `{"step": 4, "turn_role": "sre", "reward": NaN, "view": ${JSON.stringify({ role: "sre", visible_metrics: {}, visible_logs: [], visible_alerts: [], visible_fleet_actions: [], shared_chat: [], ...view }).replace('"__INF__"', "Infinity")}}`;

  it("reads NaN and Infinity as Python's json.dumps writes them", () => {
    const file = join(dir, "nan.json");
    writeFileSync(file, observation({ visible_metrics: { db: { cpu_pct: 1, memory_mb: "__INF__", latency_ms: 2, error_rate: 0.5, replicas: 1 } } }));
    const { status, stdout } = runCli(["render", file, "-p", file]);
    expect(status).toBe(0);
    expect(stdout).toContain("db: cpu=1% mem=infMB lat=2ms err=50% repl=1 health=healthy");
  });

  it("refuses an observation the reference's model refuses, naming the field (exit 1)", () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, observation({ visible_metrics: { db: { cpu_pct: 1, memory_mb: 1, latency_ms: 2, error_rate: 1.5, replicas: 1 } } }));
    const { status, stderr } = runCli(["render", file]);
    expect(status).toBe(1);
    expect(stderr.trim()).toBe(`chaosops: ${file}: view.visible_metrics["db"].error_rate must be between 0 and 1 (got 1.5)`);
  });

  it("a missing file is one line, exit 2", () => {
    const { status, stderr } = runCli(["render", join(dir, "none.json")]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^chaosops: cannot read .*none\.json: no such file or directory\n$/);
  });
});

describe("progress", () => {
  it("shows no ETA until a second of progress is measured, then a sane one", () => {
    const progress = new Progress({ write: () => true } as unknown as NodeJS.WriteStream, 1000);
    progress.update(0, 0, 5000); // thread start-up took 5 s: not part of the rate
    expect(progress.line(10, 10, 5100)).toContain("ETA …");
    expect(progress.line(100, 100, 6000)).toMatch(/ETA 9s$/);
  });
});

describe("examples/conversational.jsonl", () => {
  it("reads TRL-style records with the role and id in nested fields", () => {
    const root = new URL("../..", import.meta.url).pathname;
    const { status, stdout } = runCli(["parse", "examples/conversational.jsonl", "--role-field", "meta.agent", "--id-field", "meta.turn", "-F", "lenient", "-q"], undefined, root);
    expect(status).toBe(0);
    expect(jsonLines(stdout).map((r) => [r.id, r.role, r.action_type])).toEqual([
      [2, "sre", "restart"],
      [3, "dev", "identify_root_cause"],
      [4, "manager", "communicate"],
    ]);
  });
});
