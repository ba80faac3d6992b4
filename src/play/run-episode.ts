/**
 * `runEpisode`: one ChaosOps episode from reset to `done`. Each turn the server names
 * the role to act; the runner builds that role's messages with this library, asks the
 * policy, parses the completion with parseActionDetailed, steps, and records the turn.
 */
import { EnvServerError } from "../env/errors.js";
import { checkedSignal } from "../env/timeouts.js";
import { decodeStepResult, EnvErrorCode, toObservation, turnRoleOf, type EnvAction, type EnvState, type StepResult } from "../env/wire.js";
import { parseActionDetailed, type ParseDetail } from "../parsing/parse-detailed.js";
import { buildAnthropicMessages, buildOpenAIMessages } from "../providers/providers.js";
import type { CallOptions, ResetParams } from "../env/client.js";
import type { FormatsOption } from "../formats/formats.js";
import type { ActionType, AgentRole } from "../model/enums.js";
import type { ChaosOpsAction } from "../model/types.js";
import type { PromptOptions } from "../prompting/prompts.js";
import { PromptStyle, type Policy, type PromptMessages, type TurnReply, type TurnRequest } from "./policies.js";

/** What the runner needs of an environment; ChaosOpsEnv is one. */
export interface EpisodeEnv {
  reset(params?: ResetParams, options?: CallOptions): Promise<StepResult>;
  step(action: EnvAction, options?: CallOptions): Promise<StepResult>;
  state?(options?: CallOptions): Promise<EnvState>;
}

export interface Turn {
  /** Turn number in the episode, from 0. */
  readonly index: number;
  /**
   * The step of the observation the role was asked with (0 on the first turn). A turn
   * asked again after an EXECUTION_ERROR keeps it, though the server's count moved on by one.
   */
  readonly step: number;
  readonly role: AgentRole;
  /** The messages the completion answers. */
  readonly messages: PromptMessages;
  readonly completion: string;
  readonly action: ChaosOpsAction;
  readonly detail: ParseDetail;
  /** Model calls made (more than 1 when retried). */
  readonly attempts?: number;
  /** The model's last error, when a call failed. */
  readonly modelError?: string;
  /** The server's reply: this turn's reward, done and message; null when it refused the action. */
  readonly reward: number | null;
  readonly done: boolean;
  readonly message: string | null;
  /** The error frame the server sent instead of an observation (the same role is asked again). */
  readonly serverError?: { readonly code: string; readonly message: string };
}

export interface Episode {
  readonly reset: StepResult;
  readonly turns: readonly Turn[];
  /** The sum of the turn rewards, a null one counting 0 (the state's cumulative_reward adds the end-of-episode penalty). */
  readonly return: number;
  readonly done: boolean;
  /** Stopped by maxTurns before `done`. */
  readonly truncated: boolean;
  /** The server's state after the last turn, when the env has `state()` and `finalState` was not false. */
  readonly state?: EnvState;
}

export interface RunEpisodeOptions {
  env: EpisodeEnv;
  policy: Policy;
  /** Output formats parseActionDetailed accepts (default: the reference's parsing only). */
  formats?: FormatsOption;
  /** Turns at most (default 100; the server ends an episode after 20 steps). */
  maxTurns?: number;
  signal?: AbortSignal;
  /** Called after each turn, before the next; awaited (write the trajectory line here). */
  onTurn?: (turn: Turn) => void | Promise<void>;
  seed?: number;
  episodeId?: string;
  /** System prompt or prompt folder for the messages. */
  prompt?: PromptOptions;
  /** Action type when a completion holds no usable action (default noop). */
  fallback?: ActionType;
  /** Read the server's state after the last turn (default true). */
  finalState?: boolean;
}

/** Thrown when an episode cannot go on (connection lost, timeout, abort); `turns` holds what was played. */
export class EpisodeInterruptedError extends Error {
  override name = "EpisodeInterruptedError";
  constructor(
    readonly turns: readonly Turn[],
    cause: unknown,
  ) {
    super(`episode interrupted after ${turns.length} turn(s): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Error frames that refuse one action but leave the session usable: the turn is recorded and asked again. */
const TURN_ERRORS: ReadonlySet<string> = new Set([EnvErrorCode.EXECUTION_ERROR, EnvErrorCode.VALIDATION_ERROR]);

/** A policy's answer checked: a reply without a string completion is the policy's bug, named as such. */
function checkedReply(reply: unknown): TurnReply {
  const completion = typeof reply === "object" && reply !== null ? (reply as { completion?: unknown }).completion : undefined;
  if (typeof completion !== "string") {
    throw new TypeError(`the policy's act() must return { completion: string } (got ${reply === null ? "null" : typeof reply === "object" ? `an object with completion ${typeof completion}` : typeof reply})`);
  }
  return reply as TurnReply;
}

/** The policy's reply, or an abort as soon as `signal` fires, even when the policy ignores it. */
async function askPolicy(policy: Policy, request: TurnRequest, signal: AbortSignal | undefined): Promise<TurnReply> {
  const answer = Promise.resolve().then(() => policy.act(request));
  if (!signal) return checkedReply(await answer);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    // As signal.throwIfAborted() does elsewhere in the loop: the signal's reason.
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return checkedReply(await Promise.race([answer, aborted]));
  } finally {
    signal.removeEventListener("abort", onAbort as () => void);
  }
}

function messagesFor(policy: Policy, observation: ReturnType<typeof toObservation>, prompt: PromptOptions): PromptMessages {
  return policy.style === PromptStyle.ANTHROPIC ? buildAnthropicMessages(observation, prompt) : buildOpenAIMessages(observation, prompt);
}

/** What runEpisode cannot start without, as TypeErrors at the call rather than engine errors mid-episode. */
function checkOptions(options: RunEpisodeOptions): void {
  if (typeof options !== "object" || options === null) throw new TypeError("runEpisode: options must be an object { env, policy, … }");
  const { env, policy } = options;
  if (typeof env !== "object" || env === null || typeof env.reset !== "function" || typeof env.step !== "function") {
    throw new TypeError("runEpisode: options.env must have reset and step (a ChaosOpsEnv, or an object like one)");
  }
  if (typeof policy !== "object" || policy === null || typeof policy.act !== "function") {
    throw new TypeError("runEpisode: options.policy must have act (openaiPolicy, anthropicPolicy or functionPolicy)");
  }
}

/**
 * Plays one episode: reset, then one policy turn per step until the server says `done`
 * (or `maxTurns`). Returns every turn and the episode's return.
 *
 * @example
 * const env = await ChaosOpsEnv.connect("ws://127.0.0.1:8000/ws");
 * const episode = await runEpisode({ env, policy: openaiPolicy({ client, model }), formats: "lenient" });
 * console.log(episode.return, episode.state?.resolved);
 */
export async function runEpisode(options: RunEpisodeOptions): Promise<Episode> {
  checkOptions(options);
  const { env } = options;
  const signal = checkedSignal(options.signal, "runEpisode");
  const maxTurns = options.maxTurns ?? 100;
  if (typeof maxTurns !== "number" || Number.isNaN(maxTurns) || maxTurns < 0 || (Number.isFinite(maxTurns) && !Number.isInteger(maxTurns))) {
    throw new RangeError(`runEpisode: maxTurns must be a whole number ≥ 0, or Infinity (got ${typeof maxTurns === "number" ? String(maxTurns) : typeof maxTurns})`);
  }
  const call: CallOptions = signal ? { signal } : {};
  const turns: Turn[] = [];
  try {
    const reset = decodeStepResult(await env.reset({ ...(options.seed === undefined ? {} : { seed: options.seed }), ...(options.episodeId === undefined ? {} : { episodeId: options.episodeId }) }, call));
    let current = reset;
    let total = 0;
    while (!current.done && turns.length < maxTurns) {
      signal?.throwIfAborted();
      const turn = await playTurn(options, current, turns.length);
      turns.push(turn.record);
      if (turn.result) {
        total += turn.result.reward ?? 0;
        current = turn.result;
      }
      await options.onTurn?.(turn.record);
    }
    const state = options.finalState !== false && env.state ? await env.state(call) : undefined;
    return { reset, turns, return: total, done: current.done, truncated: !current.done, ...(state ? { state } : {}) };
  } catch (error) {
    throw new EpisodeInterruptedError(turns, error);
  }
}

async function playTurn(options: RunEpisodeOptions, current: StepResult, index: number): Promise<{ record: Turn; result?: StepResult }> {
  const { env, policy, signal } = options;
  const role = turnRoleOf(current);
  const observation = toObservation(current);
  const messages = messagesFor(policy, observation, options.prompt ?? {});
  const request: TurnRequest = {
    role,
    observation,
    messages,
    turn: index,
    ...(signal ? { signal } : {}),
    ...(options.formats ? { formats: options.formats } : {}),
    ...(options.fallback ? { fallback: options.fallback } : {}),
  };
  const reply = await askPolicy(policy, request, signal);
  signal?.throwIfAborted();
  const detail = parseActionDetailed(reply.completion, {
    role,
    ...(options.fallback ? { fallback: options.fallback } : {}),
    ...(options.formats ? { formats: options.formats } : {}),
  });
  const asked = {
    index,
    step: current.observation.step,
    role,
    messages: reply.messages ?? messages,
    completion: reply.completion,
    action: detail.action,
    detail,
    ...(reply.attempts === undefined ? {} : { attempts: reply.attempts }),
    ...(reply.error === undefined ? {} : { modelError: reply.error }),
  };
  try {
    // An env of the caller's own may answer anything: checked as the client checks a frame.
    const result = decodeStepResult(await env.step(detail.action, signal ? { signal } : {}));
    return { record: { ...asked, reward: result.reward, done: result.done, message: result.observation.message }, result };
  } catch (error) {
    if (!(error instanceof EnvServerError) || !TURN_ERRORS.has(error.code)) throw error;
    return { record: { ...asked, reward: null, done: false, message: null, serverError: { code: error.code, message: error.data.message } } };
  }
}
