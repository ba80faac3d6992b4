/**
 * `chaosops play`: episodes against a ChaosOps server, a model behind an
 * OpenAI-compatible chat-completions endpoint, one JSONL line per turn. Lines are
 * written synchronously as each turn ends, so whatever stops the run (a lost
 * connection, Ctrl-C) leaves every finished turn on disk.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { parseArgs } from "node:util";
import { ChaosOpsEnv } from "../env/client.js";
import { resolveFormats, type FormatsOption, type OutputFormat } from "../formats/formats.js";
import { toJsonLine } from "../python/python-value.js";
import { ProviderHttpError, openaiCompatibleClient } from "./openai-http.js";
import { openaiPolicy, type OpenAIChatClient } from "./policies.js";
import { EpisodeInterruptedError, runEpisode, type Episode, type Turn } from "./run-episode.js";
import { trajectoryLine } from "./training.js";

export const PLAY_USAGE = `usage:
  chaosops play --env ws://HOST:PORT/ws --base-url URL --model NAME --out FILE [options]
      --env URL             the ChaosOps server's WebSocket (e.g. ws://127.0.0.1:8000/ws)
      --base-url URL        an OpenAI-compatible API root (e.g. http://127.0.0.1:8080/v1)
      --model NAME          the model name sent in each request
      --api-key KEY         bearer token (default: $OPENAI_API_KEY, else none)
      --out FILE            trajectory JSONL, one line per turn (- for stdout)
      --episodes N          episodes to play (default 1)
      --seed S              seed of the first episode; episode k gets S+k-1
      --formats LIST        "lenient", or a comma list of output formats to accept
      --max-turns N         stop an episode after N turns (default 100)
      --tools               offer the action as a tool (default: plain text)
      --temperature T       sampling temperature sent to the model
      --max-tokens N        max_tokens sent to the model
      --attempts N          model calls per turn before falling back (default 3)
      --timeout-ms N        per model call and per server reply (default 120000)
      --quiet               no per-turn progress`;

class PlayUsageError extends Error {}

/** Where the trajectory lines go. */
interface OutFile {
  write(line: string): void;
  /** Empties the file when no line was written (the run played no turn). */
  finish(): void;
  close(): void;
}

/**
 * The --out file, opened without emptying it, so that a path that cannot be written is
 * a plain error before anything is played; it is emptied at the first line, once the
 * server has taken the session (a refusal, CAPACITY_REACHED while another run plays,
 * comes with the reset, before any turn), so a run that cannot start leaves an earlier
 * file as it was.
 */
function openOut(path: string): OutFile {
  if (path === "-") return { write: (line) => writeSync(1, line), finish: () => {}, close: () => {} };
  let fd: number;
  try {
    fd = openSync(path, "a");
  } catch (error) {
    throw new Error(`cannot write --out ${path}: ${(error as Error).message}`, { cause: error });
  }
  let emptied = false;
  const empty = () => {
    if (!emptied) ftruncateSync(fd, 0);
    emptied = true;
  };
  return {
    write: (line) => {
      empty();
      writeSync(fd, line);
    },
    finish: empty,
    close: () => closeSync(fd),
  };
}

function whole(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new PlayUsageError(`--${name} must be a whole number of at least ${min} (got "${value}")`);
  return n;
}

function formatsOf(value: string | undefined): FormatsOption | undefined {
  if (value === undefined) return undefined;
  const option: FormatsOption = value === "lenient" ? "lenient" : (value.split(",").map((name) => name.trim()) as OutputFormat[]);
  try {
    resolveFormats(option, "--formats");
  } catch (error) {
    throw new PlayUsageError((error as Error).message);
  }
  return option;
}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") throw new PlayUsageError(`--${name} is required`);
  return value;
}

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      env: { type: "string" },
      "base-url": { type: "string" },
      model: { type: "string" },
      "api-key": { type: "string" },
      out: { type: "string" },
      episodes: { type: "string" },
      seed: { type: "string" },
      formats: { type: "string" },
      "max-turns": { type: "string" },
      tools: { type: "boolean" },
      temperature: { type: "string" },
      "max-tokens": { type: "string" },
      attempts: { type: "string" },
      "timeout-ms": { type: "string" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return undefined;
  const temperature = values.temperature === undefined ? undefined : Number(values.temperature);
  if (temperature !== undefined && !Number.isFinite(temperature)) throw new PlayUsageError(`--temperature must be a number (got "${values.temperature}")`);
  const maxTokens = values["max-tokens"] === undefined ? undefined : whole("max-tokens", values["max-tokens"], 0, 1);
  return {
    env: required(values, "env"),
    baseUrl: required(values, "base-url"),
    model: required(values, "model"),
    out: required(values, "out"),
    apiKey: values["api-key"] ?? process.env.OPENAI_API_KEY,
    episodes: whole("episodes", values.episodes, 1, 1),
    seed: values.seed === undefined ? undefined : whole("seed", values.seed, 0, 0),
    formats: formatsOf(values.formats),
    maxTurns: whole("max-turns", values["max-turns"], 100, 1),
    tools: values.tools === true,
    request: { ...(temperature === undefined ? {} : { temperature }), ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }) },
    attempts: whole("attempts", values.attempts, 3, 1),
    timeoutMs: whole("timeout-ms", values["timeout-ms"], 120_000, 1),
    quiet: values.quiet === true,
  };
}

/**
 * Statuses that say the model endpoint is set up wrong (no such path or model, a key
 * refused): every later call would get the same. 429 and 5xx stay with the retry wrapper.
 */
const MISCONFIGURED: ReadonlySet<number> = new Set([401, 403, 404]);
/** Network failures that mean nothing answers at the address (not a dropped or slow call). */
const UNREACHABLE: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);

function unreachable(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === "string" && UNREACHABLE.has(code);
}

/**
 * The client, watched for a model endpoint that cannot serve this run: one that answers
 * 401/403/404, or one that no call of the first turn could reach (nothing listens at
 * --base-url). `stop` is told, so the run ends with a clear error instead of writing an
 * episode of fallbacks; once the endpoint has answered, failures are the retry wrapper's.
 */
function watchingEndpoint(client: OpenAIChatClient, attemptsPerTurn: number, stop: (error: Error) => void): OpenAIChatClient {
  let answered = false;
  let unreached = 0;
  return {
    chat: {
      completions: {
        create: async (body, init) => {
          try {
            const response = await client.chat.completions.create(body, init);
            answered = true;
            return response;
          } catch (error) {
            if (error instanceof ProviderHttpError) {
              answered = true;
              if (MISCONFIGURED.has(error.status)) stop(error);
            } else if (!answered && unreachable(error) && ++unreached >= attemptsPerTurn) stop(error as Error);
            throw error;
          }
        },
      },
    },
  };
}

function progressLine(episode: number, turn: Turn): string {
  const { action } = turn;
  const what = `${action.action_type}${action.target ? ` ${action.target}` : ""}`;
  const outcome = turn.serverError ? `refused (${turn.serverError.code}: ${turn.serverError.message})` : `reward ${turn.reward}${turn.done ? ", done" : ""}`;
  const flags = [turn.detail.fallbackUsed ? "fallback" : "", turn.modelError ? `model error: ${turn.modelError}` : ""].filter(Boolean).join("; ");
  return `episode ${episode} step ${turn.step} ${turn.role}: ${what} → ${outcome}${flags ? ` [${flags}]` : ""}`;
}

function summaryLine(episode: number, played: Episode): string {
  const fallbacks = played.turns.filter((turn) => turn.detail.fallbackUsed).length;
  const turns = played.turns.length;
  const rate = turns === 0 ? 0 : (100 * fallbacks) / turns;
  const resolved = played.state?.resolved === undefined ? "resolved: unknown" : played.state.resolved ? "resolved" : "not resolved";
  const cumulative = typeof played.state?.cumulative_reward === "number" ? ` (server's cumulative_reward ${played.state.cumulative_reward})` : "";
  const end = played.done ? "" : ", stopped by --max-turns";
  return `episode ${episode}: ${turns} turns, return ${played.return}${cumulative}, ${resolved}, fallback rate ${fallbacks}/${turns} (${rate.toFixed(1)}%)${end}`;
}

/** Runs `chaosops play`; resolves to the exit code (0 ok, 1 the run failed, 2 usage). */
export async function playCommand(argv: string[]): Promise<number> {
  let settings: ReturnType<typeof options>;
  try {
    settings = options(argv);
  } catch (error) {
    const usage = error instanceof PlayUsageError || String((error as { code?: unknown }).code ?? "").startsWith("ERR_PARSE_ARGS");
    if (!usage) throw error;
    process.stderr.write(`chaosops play: ${(error as Error).message}\n${PLAY_USAGE}\n`);
    return 2;
  }
  if (!settings) {
    process.stdout.write(`${PLAY_USAGE}\n`);
    return 0;
  }
  const say = (text: string) => process.stderr.write(`${text}\n`);
  const controller = new AbortController();
  let endpointError: Error | undefined;
  const client = openaiCompatibleClient({ baseUrl: settings.baseUrl, ...(settings.apiKey ? { apiKey: settings.apiKey } : {}) });
  const policy = openaiPolicy({
    client: watchingEndpoint(client, settings.attempts, (error) => {
      endpointError = error;
      controller.abort(error);
    }),
    model: settings.model,
    tools: settings.tools,
    request: settings.request,
    retry: { maxAttempts: settings.attempts, attemptTimeoutMs: settings.timeoutMs, logger: { warn: (message) => say(`  ${message}`) } },
  });
  const stop = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", stop);
  let env: ChaosOpsEnv | undefined;
  // Opened once the server is there, so a run that cannot start leaves an earlier file as it was.
  let file: OutFile | undefined;
  try {
    env = await ChaosOpsEnv.connect(settings.env, { timeoutMs: settings.timeoutMs, signal: controller.signal });
    const out = openOut(settings.out);
    file = out;
    for (let episode = 1; episode <= settings.episodes; episode++) {
      const played = await runEpisode({
        env,
        policy,
        maxTurns: settings.maxTurns,
        signal: controller.signal,
        ...(settings.formats ? { formats: settings.formats } : {}),
        ...(settings.seed === undefined ? {} : { seed: settings.seed + episode - 1 }),
        onTurn: (turn) => {
          out.write(`${toJsonLine(trajectoryLine(episode, turn))}\n`);
          if (!settings.quiet) say(progressLine(episode, turn));
        },
      });
      say(summaryLine(episode, played));
    }
    out.finish();
    return 0;
  } catch (error) {
    const cause = error instanceof EpisodeInterruptedError ? error.cause : error;
    const where = error instanceof EpisodeInterruptedError ? `${error.message}; the ${error.turns.length} finished turn(s) are in ${settings.out}` : (error as Error).message;
    say(`chaosops play: ${where}`);
    if (cause instanceof Error && cause.cause instanceof Error) say(`  cause: ${cause.cause.message}`);
    if (endpointError instanceof ProviderHttpError) say(`  the model endpoint refused the request (HTTP ${endpointError.status}): check --base-url (the API root, e.g. http://127.0.0.1:8080/v1), --model and --api-key`);
    else if (endpointError) say(`  nothing answers at --base-url ${settings.baseUrl}: is the model server running (vLLM opens its port only once the model is loaded)?`);
    // 128 + SIGINT, as a shell reports a command stopped by Ctrl-C.
    return controller.signal.aborted && !endpointError ? 130 : 1;
  } finally {
    process.removeListener("SIGINT", stop);
    await env?.close();
    file?.close();
  }
}
