#!/usr/bin/env node
/**
 * `chaosops`: the batch tool. `parse` turns rollout files (JSONL or Parquet) into
 * actions, `render` prints the prompt for an observation, `schema` prints a tool spec
 * or grammar. Each subcommand lives in its own module; this file only dispatches and
 * turns expected failures into one line and an exit status (see ExitStatus).
 */
import { readFileSync } from "node:fs";
import { CliError, ExitStatus } from "./batch/cli-errors.js";

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { readonly run: Command; readonly summary: string }> = {
  // Each command loads only what it uses: a run of one does not pay for the others' modules.
  parse: { run: async (argv) => (await import("./batch/parse-command.js")).parseCommand(argv), summary: "JSONL or Parquet rollouts in, one action per line out" },
  render: { run: async (argv) => (await import("./batch/commands.js")).renderCommand(argv), summary: "the prompt for an observation" },
  schema: { run: async (argv) => (await import("./batch/commands.js")).schemaCommand(argv), summary: "the action's tool spec (openai, anthropic, openai-strict) or GBNF grammar" },
  play: { run: async (argv) => (await import("./play/play-command.js")).playCommand(argv), summary: "episodes against a ChaosOps server and an OpenAI-compatible model" },
};

const USAGE = `usage: chaosops COMMAND [options]     (chaosops COMMAND --help for its options)

${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(8)} ${summary}`)
  .join("\n")}

  -h, --help      this help
  -V, --version   the version`;

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return manifest.version;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === "--help" || name === "-h" || name === "help") {
      process.stdout.write(`${USAGE}\n`);
      return ExitStatus.OK;
    }
    if (name === "--version" || name === "-V") {
      process.stdout.write(`${version()}\n`);
      return ExitStatus.OK;
    }
    const command = name === undefined ? undefined : COMMANDS[name];
    if (!command) throw new CliError(name ? `unknown command "${name}"` : "no command given", ExitStatus.USAGE, USAGE);
    return await command.run(rest);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`chaosops: ${error.message}\n${error.usage ? `\n${error.usage}\n` : ""}`);
    return error.status;
  }
}

process.exitCode = await main(process.argv.slice(2));
