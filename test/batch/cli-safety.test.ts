// Issue 11, the CLI's promises: it never loses or reorders a record, never destroys a
// file, and ends every expected failure with one line and a documented exit status.
import { spawnSync } from "node:child_process";
import { linkSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { jobsOption } from "../../src/batch/parse-command.js";
import { CLI, hasStackTrace, jsonLines, runCli } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "chaosops-safety-"));
const record = (i: number) => JSON.stringify({ id: i, role: "sre", completion: `{"action_type": "restart", "target": "s${i}"}` });
const records = (n: number) => Array.from({ length: n }, (_, i) => record(i)).join("\n") + "\n";

describe("--out never destroys a file", () => {
  const input = join(dir, "in.jsonl");
  const text = records(20);

  it.each([
    ["the same path", (p: string) => p],
    ["a ./ spelling", (p: string) => `./${p.split("/").pop()}`],
    ["a symbolic link", (p: string) => { const link = join(dir, `link-${Math.random()}`); symlinkSync(p, link); return link; }],
    ["a hard link", (p: string) => { const hard = join(dir, `hard-${Math.random()}`); linkSync(p, hard); return hard; }],
  ])("refuses an --out that is the input under %s (exit 2, input intact)", (_, spell) => {
    writeFileSync(input, text);
    const { status, stderr } = runCli(["parse", input, "--out", spell(input), "-q"], undefined, dir);
    expect(status).toBe(2);
    expect(stderr).toContain("is the input file");
    expect(readFileSync(input, "utf8")).toBe(text);
  });

  it("a missing input leaves the existing output untouched, with one line and no stack trace", () => {
    const out = join(dir, "keep.jsonl");
    writeFileSync(out, "precious\n");
    const { status, stderr } = runCli(["parse", join(dir, "missing.jsonl"), "--out", out]);
    expect(status).toBe(2);
    expect(stderr.trim()).toMatch(/^chaosops: cannot read .*missing\.jsonl: no such file or directory$/);
    expect(readFileSync(out, "utf8")).toBe("precious\n");
  });

  it("an unwritable --out is one line and exit 2, no stack trace", () => {
    const { status, stderr } = runCli(["parse", "-", "--out", join(dir, "no-such-dir", "out.jsonl")], records(2));
    expect(status).toBe(2);
    expect(stderr).toContain("cannot write");
    expect(hasStackTrace(stderr)).toBe(false);
  });

  it("replaces an existing output only when the run succeeds", () => {
    const out = join(dir, "replaced.jsonl");
    writeFileSync(out, "old\n");
    expect(runCli(["parse", "-", "--out", out], records(3)).status).toBe(0);
    expect(jsonLines(readFileSync(out, "utf8")).map((r) => r.target)).toEqual(["s0", "s1", "s2"]);
  });
});

describe("no record is lost", () => {
  it("a record with an 8M-character string keeps every other line, in place", () => {
    const huge = JSON.stringify({ id: "huge", role: "sre", completion: `{"action_type": "restart", "target": "${"x".repeat(8_400_000)}"}` });
    const input = [record(0), huge, record(2), "oops", record(4)].join("\n") + "\n";
    const { status, stdout } = runCli(["parse", "-", "-q"], input);
    expect(status).toBe(0);
    const out = jsonLines(stdout);
    expect(out).toHaveLength(5);
    expect([out[0]?.id, out[2]?.id, out[3]?.line, out[4]?.id]).toEqual([0, 2, 4, 4]);
    // The big record is read, or gets an error line of its own in its place.
    expect(out[1]?.id === "huge" ? out[1]?.action_type : out[1]?.line).toBe(out[1]?.id === "huge" ? "restart" : 2);
  });

  it("reads a byte order mark at the start of any line the same way, wherever chunks start", () => {
    const line = `\uFEFF${record(1)}`;
    const input = Array.from({ length: 3000 }, () => line).join("\n") + "\n";
    const { stdout } = runCli(["parse", "-", "-q"], input);
    const out = jsonLines(stdout);
    expect(out).toHaveLength(3000);
    expect(out.every((r) => r.action_type === "restart")).toBe(true);
  });

  it("corrupt Parquet row counts stop the run with exit 1 and a clear message, not extra lines", () => {
    const n = 20;
    const good = Buffer.from(
      parquetWriteBuffer({
        columnData: [
          { name: "role", data: Array(n).fill("sre"), type: "STRING" },
          { name: "completion", data: Array.from({ length: n }, (_, i) => `{"action_type": "restart", "target": "s${i}"}`), type: "STRING" },
        ],
        rowGroupSize: 8,
      }),
    );
    const footerLength = good.readUInt32LE(good.length - 8);
    const footer = good.length - 8 - footerLength;
    // Thrift compact i64 num_rows: field header 0x16, zigzag varint (20 → 0x28, 8 → 0x10).
    const fileRows = good.indexOf(Buffer.from([0x16, 0x28]), footer);
    const groupRows = good.lastIndexOf(Buffer.from([0x16, 0x10]));
    expect(fileRows).toBeGreaterThan(0);
    expect(groupRows).toBeGreaterThan(fileRows);
    const wrongFile = Buffer.from(good);
    wrongFile[fileRows + 1] = 0x3c; // the footer says 30 rows
    const wrongGroup = Buffer.from(good);
    wrongGroup[groupRows + 1] = 0x18; // a row group says 12 rows and holds 8
    for (const [name, bytes] of [["file", wrongFile], ["group", wrongGroup]] as const) {
      const path = join(dir, `corrupt-${name}.parquet`);
      writeFileSync(path, bytes);
      const { status, stdout, stderr } = runCli(["parse", path, "-q"]);
      expect(status).toBe(1);
      expect(stderr).toContain("is corrupt");
      expect(hasStackTrace(stderr)).toBe(false);
      expect(jsonLines(stdout).length).toBeLessThanOrEqual(n);
    }
    const path = join(dir, "good.parquet");
    writeFileSync(path, good);
    expect(jsonLines(runCli(["parse", path, "-q"]).stdout)).toHaveLength(n);
  });
});

describe("rough edges", () => {
  it("a long run with --out leaks no listeners (no MaxListenersExceededWarning)", () => {
    const input = join(dir, "long.jsonl");
    writeFileSync(input, Array.from({ length: 300_000 }, () => '"{\\"action_type\\": \\"noop\\"}"').join("\n") + "\n");
    const { status, stderr } = runCli(["parse", input, "--role", "sre", "--out", join(dir, "long.out"), "-q"]);
    expect(status).toBe(0);
    expect(stderr).not.toContain("MaxListeners");
    expect(readFileSync(join(dir, "long.out"), "utf8").split("\n")).toHaveLength(300_001);
  });

  it("| head -1 ends quietly with exit 0 (EPIPE)", () => {
    const input = join(dir, "pipe.jsonl");
    writeFileSync(input, records(50_000));
    const result = spawnSync("bash", ["-c", `"${process.execPath}" "${CLI}" parse "${input}" -q | head -1 >/dev/null; echo "status \${PIPESTATUS[0]}"`], { encoding: "utf8" });
    expect(result.stdout.trim()).toBe("status 0");
    expect(result.stderr).toBe("");
  });

  it("--jobs is lowered to the number of cores", () => {
    expect(jobsOption("1000", 2)).toBe(2);
    expect(jobsOption("1", 2)).toBe(1);
    expect(jobsOption(undefined, 3)).toBe(3);
    expect(() => jobsOption("0", 2)).toThrow("--jobs");
    expect(runCli(["parse", "-", "--jobs", "1000", "-q"], records(3)).status).toBe(0);
  });
});
