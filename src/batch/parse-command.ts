/** `chaosops parse`: rollout files in, one action per record out. */
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { ActionType, isActionType, isAgentRole } from "../model/enums.js";
import { OutputFormat, resolveFormats, type FormatsOption } from "../formats/formats.js";
import { runParse } from "./batch-run.js";
import { StatsCounter } from "./batch-stats.js";
import { CliError, ExitStatus, OutputClosed, usageError } from "./cli-errors.js";
import { openJsonlInput, openOutput, type Input, type Output } from "./files.js";
import { chunkLines, processLine, RecordProcessor, type RecordOptions } from "./jsonl-records.js";
import { Progress } from "./progress.js";
import { recordTable, type Reading } from "./record-table.js";

export const PARSE_USAGE = `usage: chaosops parse [FILE|-] [options]
  JSONL or Parquet rollouts in (FILE, or standard input for "-" or no FILE),
  one JSON action per input line out, in input order.

  -f, --field PATH        the completion: a string, or messages whose last assistant
                          reply is read (default: completion; "a.b.0.c" reaches inside)
      --role-field PATH   the role (default: role)
  -r, --role ROLE         one role for every record (sre, dev, manager, oversight)
      --id-field PATH     copied through as "id" (default: id)
      --fallback TYPE     action type when nothing usable is found (default: noop)
  -F, --formats LIST      "lenient", or a comma list of: ${Object.values(OutputFormat).join(", ")}
  -d, --detail            add the parse diagnostics to every record
      --input-format F    jsonl or parquet (default: by the file's extension)
  -o, --out FILE          write here (replaced only when the run succeeds)
  -j, --jobs N            worker threads (default and most: the number of cores)
  -s, --stats             a summary on standard error at the end
  -t, --table             a readable table instead of JSONL (small files)
  -c, --compare           with --table: the default and lenient readings side by side
      --strict            stop at the first malformed record (exit status 1)
  -q, --quiet             no progress line
  -h, --help              this help

exit status: 0 every record written (malformed ones as {"line", "error"} lines),
1 stopped by --strict or a corrupt input file, 2 usage error or unreadable/unwritable file.`;

const OPTIONS = {
  field: { type: "string", short: "f" },
  "role-field": { type: "string" },
  role: { type: "string", short: "r" },
  "id-field": { type: "string" },
  fallback: { type: "string" },
  formats: { type: "string", short: "F" },
  detail: { type: "boolean", short: "d" },
  "input-format": { type: "string" },
  out: { type: "string", short: "o" },
  jobs: { type: "string", short: "j" },
  stats: { type: "boolean", short: "s" },
  table: { type: "boolean", short: "t" },
  compare: { type: "boolean", short: "c" },
  strict: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

function formatsOption(value: string | undefined): readonly OutputFormat[] {
  if (value === undefined) return [];
  const names = value.split(",").map((name) => name.trim());
  if (names.includes("lenient") && names.length > 1) throw usageError(`--formats: "lenient" already turns on every format: give it alone (got "${value}")`, PARSE_USAGE);
  const option: FormatsOption = names[0] === "lenient" ? "lenient" : (names as OutputFormat[]);
  try {
    return [...resolveFormats(option, "--formats")];
  } catch (error) {
    throw usageError((error as Error).message, PARSE_USAGE);
  }
}

function recordOptions(values: Values): RecordOptions {
  const { role } = values;
  if (role !== undefined && !isAgentRole(role)) throw usageError(`--role must be one of sre, dev, manager, oversight (got "${role}")`, PARSE_USAGE);
  const fallback = values.fallback ?? ActionType.NOOP;
  if (!isActionType(fallback)) throw usageError(`--fallback must be an action type (got "${fallback}")`, PARSE_USAGE);
  return {
    field: values.field ?? "completion",
    roleField: values["role-field"] ?? "role",
    idField: values["id-field"] ?? "id",
    fallback,
    formats: formatsOption(values.formats),
    detail: values.detail === true || values.table === true,
    ...(role === undefined ? {} : { role }),
  };
}

/** Worker threads: more than the cores only adds switching, so a larger number is lowered to the core count. */
export function jobsOption(value: string | undefined, cores = availableParallelism()): number {
  if (value === undefined) return cores;
  // Digits only: "0x2", "1e0" or " 2" are more likely slips than meant.
  const jobs = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(jobs) || jobs < 1) throw usageError(`--jobs must be a whole number of at least 1 (got "${value}")`, PARSE_USAGE);
  return Math.min(jobs, cores);
}

async function openInput(file: string, format: string | undefined): Promise<Input> {
  const kind = format ?? (file.endsWith(".parquet") ? "parquet" : "jsonl");
  if (kind === "jsonl") return openJsonlInput(file);
  if (kind !== "parquet") throw usageError(`--input-format must be jsonl or parquet (got "${kind}")`, PARSE_USAGE);
  if (file === "-") throw usageError("Parquet is read from a file, not from standard input", PARSE_USAGE);
  const { openParquetInput } = await import("./parquet-input.js");
  return openParquetInput(file);
}

async function readAll(input: Input): Promise<string> {
  const parts: Buffer[] = [];
  for await (const piece of input.pieces) parts.push(typeof piece === "string" ? Buffer.from(piece) : Buffer.from(piece));
  return Buffer.concat(parts).toString("utf8");
}

/** --table (and --compare): the whole input read in this thread and printed as one table. */
async function tableRun(input: Input, output: Output, records: RecordOptions, values: Values): Promise<number> {
  const readings: Reading[] = [{ name: values.compare ? "default" : "action", processor: new RecordProcessor(records, true) }];
  if (values.compare) readings.push({ name: "lenient", processor: new RecordProcessor({ ...records, formats: formatsOption("lenient") }, true) });
  const started = performance.now();
  const text = await readAll(input);
  await output.write(`${recordTable(text, readings)}\n`);
  if (values.stats) {
    const stats = new StatsCounter();
    const first = readings[0]?.processor ?? new RecordProcessor(records, true);
    chunkLines(text).forEach((line, i) => stats.add(processLine(first, line, i + 1).result));
    process.stderr.write(`\n${stats.summary((performance.now() - started) / 1000, Buffer.byteLength(text))}\n`);
  }
  return ExitStatus.OK;
}

async function streamRun(input: Input, output: Output, records: RecordOptions, jobs: number, values: Values): Promise<number> {
  const progress = Progress.forTerminal(values.quiet === true, input.size);
  const summary = await runParse(input.pieces, {
    records,
    jobs,
    ...(input.size === undefined ? {} : { inputBytes: input.size }),
    stats: values.stats === true,
    strict: values.strict === true,
    write: (bytes) => output.write(bytes),
    report: (message) => process.stderr.write(`${message}\n`),
    ...(progress ? { progress } : {}),
  });
  if (values.stats) {
    const online = summary.threadsOnlineSeconds;
    const startup = online === undefined ? "all on the main thread: too little input for threads" : `worker threads online after ${online.toFixed(2)} s, the main thread parsing until then`;
    process.stderr.write(`\n${summary.stats.summary(summary.seconds, summary.bytes)} (${startup})\n`);
  }
  return summary.stopped ? ExitStatus.DATA : ExitStatus.OK;
}

export async function parseCommand(argv: string[]): Promise<number> {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(`${PARSE_USAGE}\n`);
    return ExitStatus.OK;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw usageError((error as Error).message, PARSE_USAGE);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw usageError(`parse reads one file (got ${positionals.length})`, PARSE_USAGE);
  if (values.compare && !values.table) throw usageError("--compare goes with --table", PARSE_USAGE);
  const records = recordOptions(values);
  const jobs = jobsOption(values.jobs);
  // The input is opened (and checked) before the output, so a missing input never touches an existing output file.
  const input = await openInput(positionals[0] ?? "-", values["input-format"]);
  const output = await openOutput(values.out, input.identity, PARSE_USAGE);
  try {
    const status = values.table ? await tableRun(input, output, records, values) : await streamRun(input, output, records, jobs, values);
    await output.commit();
    return status;
  } catch (error) {
    if (error instanceof OutputClosed) return ExitStatus.OK;
    await output.discard();
    if (error instanceof CliError) throw error;
    throw new CliError(`parse failed: ${(error as Error)?.message ?? String(error)}`, ExitStatus.DATA);
  }
}
