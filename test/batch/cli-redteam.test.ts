// Inputs and outputs that the CLI's author did not write, each a counterexample found
// by trying the built command as an outsider would (issue 11: never lose or reorder a
// record, never destroy a file).
import { spawn, spawnSync } from "node:child_process";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, jsonLines, runCli } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "chaosops-redteam-"));
const record = (i: number) => JSON.stringify({ id: i, role: "sre", completion: `{"action_type": "restart", "target": "s${i}"}` });
const records = (n: number) => Array.from({ length: n }, (_, i) => record(i)).join("\n") + "\n";
const isRoot = process.getuid?.() === 0;

function bash(script: string) {
  return spawnSync("bash", ["-c", script], { encoding: "utf8", cwd: dir, env: { ...process.env, CLI: `"${process.execPath}" "${CLI}"` } });
}

describe("--out to something that is not a regular file is written in place, never replaced", () => {
  it.skipIf(!isRoot)("a character device (a private /dev/null) stays a device", () => {
    const input = join(dir, "dev-in.jsonl");
    writeFileSync(input, records(3));
    const device = join(dir, "null");
    expect(spawnSync("mknod", ["-m", "666", device, "c", "1", "3"]).status).toBe(0);
    expect(runCli(["parse", input, "-q", "--out", device]).status).toBe(0);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
  });

  it("a FIFO gets every line and stays a FIFO", () => {
    writeFileSync(join(dir, "fifo-in.jsonl"), records(5));
    const result = bash(`rm -f pipe got && mkfifo pipe && (cat pipe > got &) && eval "$CLI parse fifo-in.jsonl -q --out pipe"; echo "status $?"; wait; sleep 0.2; [ -p pipe ] && echo "still a fifo"`);
    expect(result.stdout).toContain("status 0");
    expect(result.stdout).toContain("still a fifo");
    expect(jsonLines(readFileSync(join(dir, "got"), "utf8")).map((r) => r.id)).toEqual([0, 1, 2, 3, 4]);
  });

  it("--out /dev/stdout under >> appends to the redirected file, keeping what was there", () => {
    writeFileSync(join(dir, "stdout-in.jsonl"), records(2));
    writeFileSync(join(dir, "log.txt"), "kept\n");
    const result = bash(`eval "$CLI parse stdout-in.jsonl -q --out /dev/stdout" >> log.txt; echo "status $?"`);
    expect(result.stdout).toContain("status 0");
    const log = readFileSync(join(dir, "log.txt"), "utf8");
    expect(log.startsWith("kept\n")).toBe(true);
    expect(jsonLines(log.slice(5)).map((r) => r.id)).toEqual([0, 1]);
  });
});

describe("a stop signal mid-run leaves the old output and no temporary file", () => {
  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)("%s", async (signal) => {
    const sub = mkdtempSync(join(dir, "signal-"));
    const out = join(sub, "out.jsonl");
    writeFileSync(out, "old\n");
    // Standard input held open: the run is in the middle of its input when the signal comes.
    const child = spawn(process.execPath, [CLI, "parse", "-", "-q", "--out", out], { stdio: ["pipe", "ignore", "pipe"] });
    child.stdin.write(records(1000));
    while (!readdirSync(sub).some((name) => name.endsWith(".tmp"))) await new Promise((resolve) => setTimeout(resolve, 20));
    const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on("exit", (code, sig) => resolve({ code, signal: sig })));
    child.kill(signal);
    expect(await ended).toEqual({ code: null, signal });
    expect(readdirSync(sub)).toEqual(["out.jsonl"]);
    expect(readFileSync(out, "utf8")).toBe("old\n");
  });
});

describe("ids come back as written", () => {
  it("an integer id past 2^53 keeps every digit (two records never share a rounded id)", () => {
    const lines = [
      '{"id": 9007199254740993, "role": "sre", "completion": "x"}',
      '{"id":9007199254740995,"role":"sre","completion":"x"}',
      '{"s": "\\"id\\": 1", "x": {"id": 2}, "id": -18446744073709551615, "role": "sre", "completion": "x", "n": NaN}',
      '{"id": 12345678901234567890123, "role": "sre"}',
    ];
    const { status, stdout } = runCli(["parse", "-", "-q"], lines.join("\n") + "\n");
    expect(status).toBe(0);
    expect(stdout.split("\n").map((line) => /"id":(-?\d+)/.exec(line)?.[1]).slice(0, 4)).toEqual([
      "9007199254740993",
      "9007199254740995",
      "-18446744073709551615",
      "12345678901234567890123",
    ]);
  });

  it("--table labels a record by its id in JSON when the id is not a string", () => {
    const { stdout } = runCli(["parse", "-", "-q", "-t"], '{"id": {"run": 7}, "role": "sre", "completion": "{}"}\n');
    expect(stdout).toContain('{"run":7}');
    expect(stdout).not.toContain("[object Object]");
  });
});

describe("option values that are slips are refused, not guessed", () => {
  it.each(["0x2", "1e0", " 2", "2.0", "-1", "0", ""])("--jobs=%j is a usage error (exit 2)", (jobs) => {
    const { status, stderr } = runCli(["parse", "-", "-q", `--jobs=${jobs}`], records(1));
    expect(status).toBe(2);
    expect(stderr).toContain("--jobs");
  });

  it("--formats lenient mixed with a list says lenient stands alone; spaces around it are fine", () => {
    const mixed = runCli(["parse", "-", "-q", "-F", "lenient,tool_call"], records(1));
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toContain("give it alone");
    expect(runCli(["parse", "-", "-q", "-F", " lenient "], records(1)).status).toBe(0);
  });
});

describe("inputs from other tools", () => {
  it.each([
    ["little-endian", Buffer.from([0xff, 0xfe, ...Buffer.from('{"role": "sre"}\n', "utf16le")])],
    ["big-endian", Buffer.from([0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d])],
  ])("a UTF-16 (%s) file is refused with one line saying so, and --out is left as it was", (_, bytes) => {
    const input = join(dir, `utf16-${Math.random()}.jsonl`);
    const out = join(dir, `utf16-out-${Math.random()}.jsonl`);
    writeFileSync(input, bytes);
    writeFileSync(out, "old\n");
    const { status, stderr, stdout } = runCli(["parse", input, "-q", "--out", out]);
    expect(status).toBe(2);
    expect(stderr.trim()).toMatch(/^chaosops: cannot read .*: it is UTF-16 text/);
    expect(stdout).toBe("");
    expect(readFileSync(out, "utf8")).toBe("old\n");
  });

  it("an assistant reply with an image part besides its text parts is read from the text", () => {
    const lines = [
      { role: "sre", completion: [{ role: "assistant", content: [{ type: "image_url", image_url: { url: "x" } }, { type: "text", text: '{"action_type": "restart", "target": "db"}' }] }] },
      { role: "sre", completion: [{ role: "assistant", content: [{ type: "text", text: 5 }] }] },
      { role: "sre", completion: [{ role: "assistant", content: [{ type: "image_url", image_url: { url: "x" } }] }] },
    ];
    const { stdout } = runCli(["parse", "-", "-q"], lines.map((line) => JSON.stringify(line)).join("\n") + "\n");
    const out = jsonLines(stdout);
    expect(out[0]).toMatchObject({ action_type: "restart", target: "db" });
    expect(out.slice(1).map((r) => r.line)).toEqual([2, 3]);
  });

  it("--table writes no control character from a record (no terminal escape reaches the screen)", () => {
    const { stdout } = runCli(["parse", "-", "-q", "-t"], JSON.stringify({ id: "a\u001b[31m\tb\u0007", role: "sre", completion: "{}" }) + "\n");
    expect(stdout).toContain("a [31m b");
    expect(/[\u0000-\u0009\u000b-\u001f\u007f]/.test(stdout)).toBe(false);
  });
});
