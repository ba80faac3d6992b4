#!/usr/bin/env node
/**
 * `chaosops`: the batch tool. `parse` turns rollout files (JSONL or Parquet) into
 * actions, `render` prints the prompt for an observation, `schema` prints a tool spec
 * or grammar.
 */
import { createReadStream, createWriteStream, readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { table } from "./batch/batch-stats.js";
import { runParse } from "./batch/batch-run.js";
import { ActionType, isActionType, isAgentRole } from "./model/enums.js";
import { OutputFormat, resolveFormats, type FormatsOption } from "./formats/formats.js";
import { actionGbnf } from "./prompting/gbnf.js";
import { decodePythonJson } from "./python/json-dialect.js";
import type { RecordOptions } from "./batch/jsonl-records.js";
import { Progress } from "./batch/progress.js";
import { buildPrompt } from "./prompting/prompts.js";
import { toJsonLine } from "./python/python-value.js";
import { anthropicToolSpec, openaiStrictToolSpec, openaiToolSpec } from "./prompting/schema.js";
import type { ChaosOpsObservation } from "./model/types.js";

const USAGE = `usage:
  chaosops parse [FILE|-] [options]     JSONL or Parquet rollouts in, one action per line out (JSONL)
      --field NAME          field holding the completion (default: completion)
      --role-field NAME     field holding the role (default: role)
      --role ROLE           one role for every record (sre, dev, manager, oversight)
      --id-field NAME       field copied through as "id" (default: id)
      --fallback TYPE       action type when nothing usable is found (default: noop)
      --formats LIST        "lenient", or a comma list of: ${Object.values(OutputFormat).join(", ")}
      --detail              add the parse diagnostics to every record
      --input-format F      jsonl or parquet (default: by the file's extension)
      --out FILE            write here instead of stdout
      --jobs N              worker threads (default: the number of cores)
      --stats               a summary on stderr at the end
      --table               a readable table instead of JSONL (for small files)
      --strict              stop with exit code 1 at the first malformed record
      --quiet               no progress line
  chaosops render OBS.json [--system-prompt FILE]
  chaosops schema [--as openai|anthropic|openai-strict|gbnf]`;

class UsageError extends Error {}

function formatsOption(value: string | undefined): readonly OutputFormat[] {
  if (value === undefined) return [];
  const option: FormatsOption = value === "lenient" ? "lenient" : (value.split(",").map((name) => name.trim()) as OutputFormat[]);
  try {
    return [...resolveFormats(option, "--formats")];
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function recordOptions(values: Record<string, string | boolean | undefined>): RecordOptions {
  const role = values.role as string | undefined;
  if (role !== undefined && !isAgentRole(role)) throw new UsageError(`--role must be one of sre, dev, manager, oversight (got "${role}")`);
  const fallback = (values.fallback as string | undefined) ?? ActionType.NOOP;
  if (!isActionType(fallback)) throw new UsageError(`--fallback must be an action type (got "${fallback}")`);
  return {
    field: (values.field as string | undefined) ?? "completion",
    roleField: (values["role-field"] as string | undefined) ?? "role",
    idField: (values["id-field"] as string | undefined) ?? "id",
    fallback,
    formats: formatsOption(values.formats as string | undefined),
    detail: values.detail === true || values.table === true,
    ...(role === undefined ? {} : { role }),
  };
}

function jobsOption(value: string | undefined): number {
  if (value === undefined) return availableParallelism();
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a whole number of at least 1 (got "${value}")`);
  return jobs;
}

async function inputOf(file: string, format: string | undefined): Promise<AsyncIterable<string | Buffer>> {
  const kind = format ?? (file.endsWith(".parquet") ? "parquet" : "jsonl");
  if (kind === "parquet") {
    if (file === "-") throw new UsageError("Parquet is read from a file, not from standard input");
    const { parquetAsJsonl } = await import("./batch/parquet-input.js");
    return parquetAsJsonl(file);
  }
  if (kind !== "jsonl") throw new UsageError(`--input-format must be jsonl or parquet (got "${kind}")`);
  return file === "-" ? process.stdin : createReadStream(file);
}

/** Where output goes, waiting for the stream to drain so memory stays flat. */
function sink(path: string | undefined) {
  const stream = path ? createWriteStream(path) : process.stdout;
  return {
    write: (text: string | Uint8Array) =>
      new Promise<void>((resolve, reject) => {
        if (text.length === 0 || stream.write(text)) resolve();
        else stream.once("drain", resolve).once("error", reject);
      }),
    close: () => new Promise<void>((resolve) => (path ? stream.end(resolve) : resolve())),
  };
}

/** The readable table of `--table`, from the JSONL records. */
function tableOf(jsonl: string): string {
  const rows = jsonl
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const decoded = decodePythonJson(line);
      const record = (decoded.ok ? decoded.value : {}) as Record<string, unknown> & {
        detail?: { candidate?: { kind: string; format: string } | null; fallback_used: boolean };
      };
      const label = String(record.id ?? record.line ?? "");
      if (record.error) return [label, "-", "error", "-", "-", String(record.error)];
      const candidate = record.detail?.candidate;
      const plain = candidate && (candidate.format === "json" || candidate.format === candidate.kind);
      const taken = candidate ? (plain ? candidate.kind : `${candidate.kind} (${candidate.format})`) : "none";
      return [label, String(record.role), record.detail?.fallback_used ? `${taken}, fallback` : taken, String(record.action_type), String(record.target ?? ""), toJsonLine(record.args)];
    });
  return table(["record", "role", "candidate", "action", "target", "args"], rows);
}

function progressOption(quiet: boolean, totalBytes: number | undefined): { progress?: Progress } {
  const progress = Progress.forTerminal(quiet, totalBytes);
  return progress ? { progress } : {};
}

async function parseCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      field: { type: "string" },
      "role-field": { type: "string" },
      role: { type: "string" },
      "id-field": { type: "string" },
      fallback: { type: "string" },
      formats: { type: "string" },
      detail: { type: "boolean" },
      "input-format": { type: "string" },
      out: { type: "string" },
      jobs: { type: "string" },
      stats: { type: "boolean" },
      table: { type: "boolean" },
      strict: { type: "boolean" },
      quiet: { type: "boolean" },
    },
  });
  const file = positionals[0] ?? "-";
  const records = recordOptions(values);
  const jobs = jobsOption(values.jobs);
  const input = await inputOf(file, values["input-format"]);
  const out = sink(values.out);
  let collected = "";
  const write = values.table ? async (bytes: Uint8Array) => void (collected += Buffer.from(bytes).toString("utf8")) : out.write;
  const totalBytes = file === "-" ? undefined : statSync(file).size;
  const summary = await runParse(input, {
    records,
    jobs,
    stats: values.stats === true,
    strict: values.strict === true,
    write,
    report: (message) => process.stderr.write(`${message}\n`),
    ...progressOption(values.quiet === true, totalBytes),
  });
  if (values.table) await out.write(`${tableOf(collected)}\n`);
  await out.close();
  if (values.stats) process.stderr.write(`\n${summary.stats.summary(summary.seconds, summary.bytes)}\n`);
  return summary.stopped ? 1 : 0;
}

function renderCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { "system-prompt": { type: "string" } } });
  const file = positionals[0];
  if (!file) throw new UsageError("render needs an observation file (JSON)");
  const observation = JSON.parse(readFileSync(file === "-" ? 0 : file, "utf8")) as ChaosOpsObservation;
  const systemPrompt = values["system-prompt"] ? readFileSync(values["system-prompt"], "utf8") : undefined;
  process.stdout.write(`${buildPrompt(observation, systemPrompt === undefined ? {} : { systemPrompt })}\n`);
  return 0;
}

const SCHEMAS: Record<string, () => string> = {
  openai: () => JSON.stringify(openaiToolSpec(), null, 2),
  anthropic: () => JSON.stringify(anthropicToolSpec(), null, 2),
  "openai-strict": () => JSON.stringify(openaiStrictToolSpec(), null, 2),
  gbnf: actionGbnf,
};

function schemaCommand(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { as: { type: "string" } } });
  const write = SCHEMAS[values.as ?? "openai"];
  if (!write) throw new UsageError(`--as must be one of ${Object.keys(SCHEMAS).join(", ")}`);
  process.stdout.write(`${write()}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "parse":
        return await parseCommand(rest);
      case "render":
        return renderCommand(rest);
      case "schema":
        return schemaCommand(rest);
      case "play":
        return await (await import("./play/play-command.js")).playCommand(rest);
      case "--help":
      case "-h":
      case "help":
        process.stdout.write(`${USAGE}\n`);
        return 0;
      default:
        throw new UsageError(command ? `unknown command "${command}"` : "no command given");
    }
  } catch (error) {
    const usage = error instanceof UsageError || String((error as { code?: unknown }).code ?? "").startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`chaosops: ${(error as Error).message}\n${usage ? `${USAGE}\n` : ""}`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
