#!/usr/bin/env node
/**
 * `chaosops`: the batch tool. `parse` turns JSONL rollouts into actions, `render`
 * prints the prompt for an observation, `schema` prints the tool spec.
 */
import { createReadStream, createWriteStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { BatchStats, table } from "./batch-stats.js";
import { ActionType, isActionType, isAgentRole } from "./enums.js";
import { parseRecordLine, type RecordOptions, type RecordResult } from "./jsonl-records.js";
import { buildPrompt } from "./prompts.js";
import { toJsonLine } from "./python-value.js";
import { anthropicToolSpec, openaiToolSpec } from "./schema.js";
import type { ChaosOpsObservation } from "./types.js";

const USAGE = `usage:
  chaosops parse [FILE|-] [--field completion] [--role-field role] [--role R] [--id-field id]
                 [--fallback noop] [--out FILE] [--table] [--stats] [--strict]
  chaosops render OBS.json [--system-prompt FILE]
  chaosops schema [--as openai|anthropic]`;

class UsageError extends Error {}

interface Output {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

function output(path: string | undefined): Output {
  const stream = path ? createWriteStream(path) : process.stdout;
  return {
    write: (text) =>
      new Promise((resolve, reject) => {
        // Waiting for drain keeps memory flat however fast the input is read.
        if (stream.write(text)) resolve();
        else stream.once("drain", resolve).once("error", reject);
      }),
    close: () => (path ? new Promise((resolve) => stream.end(resolve)) : Promise.resolve()),
  };
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
    ...(role === undefined ? {} : { role }),
  };
}

function tableRow(result: RecordResult, line: number): string[] {
  const label = String((result.output.id as string | undefined) ?? line);
  if (!result.ok) return [label, "-", "error", "-", "-", result.error];
  const { action, candidate, fallbackUsed } = result.located;
  const taken = candidate ? candidate.kind : "none";
  return [label, action.role, fallbackUsed ? `${taken} (fallback)` : taken, action.action_type, action.target ?? "", toJsonLine(action.args)];
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
      out: { type: "string" },
      table: { type: "boolean" },
      stats: { type: "boolean" },
      strict: { type: "boolean" },
    },
  });
  const options = recordOptions(values);
  const file = positionals[0] ?? "-";
  const input = file === "-" ? process.stdin : createReadStream(file);
  const out = output(values.out);
  const stats = new BatchStats();
  const rows: string[][] = [];
  let line = 0;
  let status = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    const result = parseRecordLine(text, line, options);
    stats.add(result, Buffer.byteLength(text) + 1);
    if (!result.ok) {
      process.stderr.write(`line ${line}: ${result.error}\n`);
      if (values.strict) {
        status = 1;
        break;
      }
    }
    if (values.table) rows.push(tableRow(result, line));
    else await out.write(`${toJsonLine(result.output)}\n`);
  }
  if (values.table) await out.write(`${table(["record", "role", "candidate", "action", "target", "args"], rows)}\n`);
  await out.close();
  if (values.stats) process.stderr.write(`\n${stats.summary()}\n`);
  return status;
}

function renderCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { "system-prompt": { type: "string" } } });
  const file = positionals[0];
  if (!file) throw new UsageError("render needs an observation file (JSON)");
  const source = readFileSync(file === "-" ? 0 : file, "utf8");
  const observation = JSON.parse(source) as ChaosOpsObservation;
  const systemPrompt = values["system-prompt"] ? readFileSync(values["system-prompt"], "utf8") : undefined;
  process.stdout.write(`${buildPrompt(observation, systemPrompt === undefined ? {} : { systemPrompt })}\n`);
  return 0;
}

function schemaCommand(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { as: { type: "string" } } });
  const kind = values.as ?? "openai";
  const specs: Record<string, () => unknown> = { openai: openaiToolSpec, anthropic: anthropicToolSpec };
  const spec = specs[kind];
  if (!spec) throw new UsageError(`--as must be one of ${Object.keys(specs).join(", ")}`);
  process.stdout.write(`${JSON.stringify(spec(), null, 2)}\n`);
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
      case "--help":
      case "-h":
      case "help":
        process.stdout.write(`${USAGE}\n`);
        return 0;
      default:
        throw new UsageError(command ? `unknown command "${command}"` : "no command given");
    }
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`chaosops: ${(error as Error).message}\n${usage ? `${USAGE}\n` : ""}`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
