/** `chaosops render` and `chaosops schema`: the prompt for an observation, and the tool specs. */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { actionGbnf } from "../prompting/gbnf.js";
import { buildPrompt } from "../prompting/prompts.js";
import { InvalidObservationError, validateObservation } from "../prompting/rendering.js";
import { anthropicToolSpec, openaiStrictToolSpec, openaiToolSpec } from "../prompting/schema.js";
import { decodePythonJson } from "../python/json-dialect.js";
import { CliError, ExitStatus, fileError, usageError } from "./cli-errors.js";

export const RENDER_USAGE = `usage: chaosops render [OBS.json|-] [-p FILE]
  Prints the prompt for an observation (JSON as the environment sends it; NaN and
  Infinity read as Python writes them), checked as the reference's model checks it.

  -p, --system-prompt FILE  the system prompt (default: the role's prompt)
  -h, --help                this help

exit status: 0 printed, 1 the observation is not valid, 2 usage error or unreadable file.`;

export const SCHEMA_USAGE = `usage: chaosops schema [--as KIND]
  Prints the action's tool spec or grammar.

  -a, --as KIND   openai (default), anthropic, openai-strict or gbnf
  -h, --help      this help`;

/** Runs a parseArgs call, turning its errors into usage errors for `usage`. */
function parsed<T>(parse: () => T, usage: string): T {
  try {
    return parse();
  } catch (error) {
    throw usageError((error as Error).message, usage);
  }
}

function readText(path: string | 0, name: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw fileError("read", name, error);
  }
}

export async function renderCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parsed(
    () => parseArgs({ args: argv, allowPositionals: true, options: { "system-prompt": { type: "string", short: "p" }, help: { type: "boolean", short: "h" } } }),
    RENDER_USAGE,
  );
  if (values.help) {
    process.stdout.write(`${RENDER_USAGE}\n`);
    return ExitStatus.OK;
  }
  const file = positionals[0] ?? "-";
  if (file === "-" && process.stdin.isTTY) throw usageError("standard input is a terminal: give an observation file, or pipe one in", RENDER_USAGE);
  const text = readText(file === "-" ? 0 : file, file === "-" ? "standard input" : file);
  const decoded = decodePythonJson(text.trim());
  if (!decoded.ok) throw new CliError(`${file}: not valid JSON (at character ${decoded.at + 1})`, ExitStatus.DATA);
  const promptFile = values["system-prompt"];
  const systemPrompt = promptFile === undefined ? undefined : readText(promptFile, promptFile);
  try {
    const observation = validateObservation(decoded.value);
    process.stdout.write(`${buildPrompt(observation, systemPrompt === undefined ? {} : { systemPrompt })}\n`);
  } catch (error) {
    if (error instanceof InvalidObservationError) throw new CliError(`${file}: ${error.message}`, ExitStatus.DATA);
    throw error;
  }
  return ExitStatus.OK;
}

const SCHEMAS: Record<string, () => string> = {
  openai: () => JSON.stringify(openaiToolSpec(), null, 2),
  anthropic: () => JSON.stringify(anthropicToolSpec(), null, 2),
  "openai-strict": () => JSON.stringify(openaiStrictToolSpec(), null, 2),
  gbnf: actionGbnf,
};

export async function schemaCommand(argv: string[]): Promise<number> {
  const { values } = parsed(() => parseArgs({ args: argv, options: { as: { type: "string", short: "a" }, help: { type: "boolean", short: "h" } } }), SCHEMA_USAGE);
  if (values.help) {
    process.stdout.write(`${SCHEMA_USAGE}\n`);
    return ExitStatus.OK;
  }
  const kind = values.as ?? "openai";
  const write = SCHEMAS[kind];
  if (!write) throw usageError(`--as must be one of ${Object.keys(SCHEMAS).join(", ")}`, SCHEMA_USAGE);
  process.stdout.write(`${write()}\n`);
  return ExitStatus.OK;
}
