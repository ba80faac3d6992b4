/**
 * Trajectories as training data. `trajectoryLine` is the JSONL record `chaosops play`
 * writes per turn; `sftPair` turns a line into a supervised example (the prompt, and the
 * action as the reference's training target); `formatReward` scores how cleanly the
 * completion held its action, from the parse detail, for GRPO-style format rewards.
 */
import { actionToTrainingTarget } from "../actions/training-target.js";
import { detailRecord } from "../batch/jsonl-records.js";
import { DecodedFormat, type ParseDetail } from "../parsing/parse-detailed.js";
import type { ChatMessage } from "../providers/providers.js";
import type { AgentRole } from "../model/enums.js";
import type { ChaosOpsAction } from "../model/types.js";
import type { PromptMessages } from "./policies.js";
import type { Turn } from "./run-episode.js";

/** The parse detail as written to JSONL (the shape of `chaosops parse --detail`). */
export interface DetailRecord {
  candidate: { kind: string; format: string; start: number; end: number } | null;
  repairs: string[];
  rejected: { kind: string; start: number; end: number; reason: string }[];
  warnings: { code: string; message: string }[];
  fallback_used: boolean;
}

/** One line of a trajectory file. */
export interface TrajectoryLine {
  episode: number;
  step: number;
  role: AgentRole;
  messages: PromptMessages;
  completion: string;
  action: ChaosOpsAction;
  detail: DetailRecord;
  reward: number | null;
  done: boolean;
  message: string | null;
  attempts?: number;
  model_error?: string;
  server_error?: { code: string; message: string };
}

/** The JSONL record of a turn. */
export function trajectoryLine(episode: number, turn: Turn): TrajectoryLine {
  if (typeof turn !== "object" || turn === null || typeof turn.detail !== "object" || turn.detail === null) {
    throw new TypeError("trajectoryLine: turn must be a Turn of runEpisode (with its detail)");
  }
  return {
    episode,
    step: turn.step,
    role: turn.role,
    messages: turn.messages,
    completion: turn.completion,
    action: turn.action,
    detail: detailRecord(turn.detail) as unknown as DetailRecord,
    reward: turn.reward,
    done: turn.done,
    message: turn.message,
    ...(turn.attempts === undefined ? {} : { attempts: turn.attempts }),
    ...(turn.modelError === undefined ? {} : { model_error: turn.modelError }),
    ...(turn.serverError === undefined ? {} : { server_error: turn.serverError }),
  };
}

/** Chat messages from either prompt style (an Anthropic payload's system becomes the system message). */
export function chatMessages(messages: PromptMessages): ChatMessage[] {
  if (Array.isArray(messages)) return messages;
  if (typeof messages !== "object" || messages === null || !Array.isArray(messages.messages)) {
    throw new TypeError("chatMessages: messages must be chat messages or an Anthropic payload { system, messages }");
  }
  return [...(messages.system ? [{ role: "system" as const, content: messages.system }] : []), ...messages.messages];
}

export interface SftPair {
  /** The prompt as chat messages (system, user). */
  prompt: ChatMessage[];
  /** `actionToTrainingTarget(action)`: the reference's canonical target text. */
  completion: string;
}

/**
 * A supervised example from a trajectory line: its prompt, and the action the parser
 * read as the canonical target (not the model's raw text). Which lines to keep (only
 * rewarded turns, no fallbacks) is the caller's choice.
 *
 * @example
 * lines.filter((l) => !l.detail.fallback_used && (l.reward ?? 0) > 0).map(sftPair)
 */
export function sftPair(line: Pick<TrajectoryLine, "messages" | "action">): SftPair {
  if (typeof line !== "object" || line === null) throw new TypeError("sftPair: line must be a trajectory line { messages, action }");
  return { prompt: chatMessages(line.messages), completion: actionToTrainingTarget(line.action) };
}

type DetailLike = Pick<ParseDetail, "candidate" | "repairs" | "rejected"> & { fallbackUsed: boolean };

/**
 * How cleanly the completion held its action, in [0, 1]: 0 when nothing usable was
 * found (fallback); otherwise 1, less 0.5 when the action needed a repair or was not
 * plain JSON (Python literal, tool-call envelope, truncated, action line), less 0.25
 * when other candidates came before it (stray braces, a draft). Takes the detail from
 * parseActionDetailed or from a trajectory line.
 *
 * @example
 * formatReward(parseActionDetailed('{"action_type": "noop"}', { role: "sre" })) // → 1
 */
export function formatReward(detail: DetailLike | DetailRecord): number {
  if (typeof detail !== "object" || detail === null || !Array.isArray(detail.repairs) || !Array.isArray(detail.rejected) || detail.candidate === undefined) {
    throw new TypeError("formatReward: detail must be parseActionDetailed's result or a trajectory line's detail");
  }
  const fallback = "fallbackUsed" in detail ? detail.fallbackUsed : detail.fallback_used;
  if (fallback || detail.candidate === null) return 0;
  const plain = detail.candidate.format === DecodedFormat.JSON && detail.repairs.length === 0;
  return 1 - (plain ? 0 : 0.5) - (detail.rejected.length > 0 ? 0.25 : 0);
}
