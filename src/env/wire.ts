/**
 * The ChaosOps server's wire format (OpenEnv 0.2.3, `/ws` and HTTP), as observed on the
 * real server. Frames are typed by what the client relies on; every object may carry
 * more keys than listed (the server adds fields over time), and they are kept as sent.
 */
import { isAgentRole } from "../model/enums.js";
import type { ActionType, AgentRole } from "../model/enums.js";
import type { Alert, ChaosOpsObservation, JsonObject, JsonValue, ServiceMetrics } from "../model/types.js";
import { toJsonLine } from "../python/python-value.js";
import { EnvProtocolError } from "./errors.js";

/** What the client sends as a step: the server fills in `role` with the role whose turn it is. */
export interface EnvAction {
  role: AgentRole;
  action_type: ActionType;
  target?: string | null;
  args?: Record<string, unknown>;
}

export interface WireLogLine {
  timestamp: number;
  service: string;
  level: string;
  message: string;
  /** Always false in a view (the server blanks it); real only in the state. */
  is_red_herring?: boolean;
  [extra: string]: JsonValue | undefined;
}

export interface WireFleetAction {
  agent_name: string;
  action: string;
  target: string | null;
  step: number;
  /** Always false in a view; real only in the state. */
  was_malicious?: boolean;
  [extra: string]: JsonValue | undefined;
}

export interface WireRoleView {
  role: string;
  visible_metrics: Record<string, ServiceMetrics>;
  visible_logs: WireLogLine[];
  visible_alerts: Alert[];
  visible_fleet_actions: WireFleetAction[];
  shared_chat: string[];
  private_note: string | null;
  private_inbox: string[];
  [extra: string]: unknown;
}

/** `observation` inside an envelope: the view of the role that must act next. */
export interface WireObservation {
  view: WireRoleView;
  /** The simulator's step count after the action (0 after reset). */
  step: number;
  /** The role that must act next. */
  turn_role: string;
  message: string;
  [extra: string]: unknown;
}

/** The body of `/reset` and `/step`, and the `data` of a WS observation frame. */
export interface StepResult {
  observation: WireObservation;
  /**
   * This turn's reward (ChaosOps sends 0.0 after reset); the end-of-episode penalty shows
   * only in the state. Null when the server has none: OpenEnv's observation reward is optional.
   */
  reward: number | null;
  done: boolean;
  [extra: string]: unknown;
}

/** The WS `state` reply: the simulator's full ground truth (`ChaosOpsState`). */
export interface EnvState {
  episode_id: string | null;
  step_count: number;
  max_steps?: number;
  difficulty?: string;
  failure_type?: string;
  resolved?: boolean;
  cumulative_reward?: number;
  [extra: string]: unknown;
}

/** The error codes OpenEnv defines; the server may send others, which are kept as strings. */
export const EnvErrorCode = {
  INVALID_JSON: "INVALID_JSON",
  UNKNOWN_TYPE: "UNKNOWN_TYPE",
  VALIDATION_ERROR: "VALIDATION_ERROR",
  EXECUTION_ERROR: "EXECUTION_ERROR",
  CAPACITY_REACHED: "CAPACITY_REACHED",
  SESSION_ERROR: "SESSION_ERROR",
  FACTORY_ERROR: "FACTORY_ERROR",
} as const;
export type EnvErrorCode = (typeof EnvErrorCode)[keyof typeof EnvErrorCode];

/** One pydantic validation error, as `VALIDATION_ERROR` frames and HTTP 422 bodies carry them. */
export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: JsonValue;
  ctx?: JsonObject;
  url?: string;
  [extra: string]: unknown;
}

export interface ErrorFrameData {
  message: string;
  code: EnvErrorCode | (string & {});
  errors?: ValidationIssue[];
  active_sessions?: number;
  max_sessions?: number;
  [extra: string]: unknown;
}

/** Client → server frames. */
export type ClientFrame =
  | { type: "reset"; data?: Record<string, unknown> }
  | { type: "step"; data: EnvAction }
  | { type: "state" }
  | { type: "close" }
  | { type: "mcp"; data: JsonObject };

/** Server → client frames. */
export type ServerFrame =
  | { type: "observation"; data: StepResult }
  | { type: "state"; data: EnvState }
  | { type: "error"; data: ErrorFrameData }
  | { type: "mcp"; data: JsonObject };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The frame in an error message: its text, or (made only on failure) the text of a value already decoded. */
type FrameText = string | (() => string);

function fail(what: string, frame: FrameText): never {
  const text = typeof frame === "string" ? frame : frame();
  throw new EnvProtocolError(`${what}: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`);
}

/** A decoded value as JSON text at any depth, or its kind when it cannot be JSON (a cycle). */
function shown(value: unknown): string {
  try {
    return toJsonLine(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function checkStepResult(data: unknown, text: FrameText): StepResult {
  if (!isObject(data)) fail("observation frame without an object `data`", text);
  const { observation, reward, done } = data;
  if (!isObject(observation) || !isObject(observation.view)) fail("observation frame without `observation.view`", text);
  if (typeof observation.step !== "number" || typeof observation.turn_role !== "string") fail("observation without `step` or `turn_role`", text);
  if ((typeof reward !== "number" && reward !== null) || typeof done !== "boolean") fail("observation frame without a numeric (or null) `reward` and a boolean `done`", text);
  return data as unknown as StepResult;
}

/** The frame types that answer a request the client sends (reset, step, state). */
const REPLY_TYPES: ReadonlySet<string> = new Set(["observation", "state", "error"]);

/** A frame's JSON value, or an EnvProtocolError when the text is not JSON. */
export function parseFrameText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fail("the server sent a frame that is not JSON", text);
  }
}

/**
 * True for a frame that cannot be the reply to reset, step or state: an object whose
 * `type` is another string (`mcp`, or one a newer server adds). The server answers each
 * request with exactly one frame, so such a frame comes beside the replies, not instead
 * of one, and taking it as a reply would hand every later reply to the wrong request.
 */
export function isUnaskedFrame(frame: unknown): boolean {
  return isObject(frame) && typeof frame.type === "string" && !REPLY_TYPES.has(frame.type);
}

/** A server frame from its JSON value (see decodeServerFrame); `text` is for the error message. */
export function checkServerFrame(frame: unknown, text: string): ServerFrame {
  if (!isObject(frame) || typeof frame.type !== "string") fail("the server sent a frame without a `type`", text);
  switch (frame.type) {
    case "observation":
      return { type: "observation", data: checkStepResult(frame.data, text) };
    case "state":
      if (!isObject(frame.data)) fail("state frame without an object `data`", text);
      return { type: "state", data: frame.data as EnvState };
    case "error": {
      const data = frame.data;
      if (!isObject(data) || typeof data.code !== "string") fail("error frame without a `code`", text);
      return { type: "error", data: { ...data, code: data.code, message: typeof data.message === "string" ? data.message : shown(data.message) } };
    }
    case "mcp":
      return { type: "mcp", data: (isObject(frame.data) ? frame.data : {}) as JsonObject };
    default:
      return fail(`the server sent a frame of unknown type "${frame.type}"`, text);
  }
}

/**
 * A server frame from its text. Only what the client relies on is checked (an
 * observation's view, step, turn role, reward and done; an error's message and code);
 * anything else the frame carries is kept.
 */
export function decodeServerFrame(text: string): ServerFrame {
  return checkServerFrame(parseFrameText(text), text);
}

/** An HTTP `/reset` or `/step` body, checked as a WS observation's `data` is. */
export function decodeStepResult(body: unknown): StepResult {
  return checkStepResult(body, () => shown(body));
}

/** The role whose turn it is, checked: the runner parses the model's answer for this role. */
export function turnRoleOf(result: StepResult): AgentRole {
  const role = checkStepResult(result, () => shown(result)).observation.turn_role;
  if (!isAgentRole(role)) throw new EnvProtocolError(`the server named "${role}" as the role to act, which is not a ChaosOps role`);
  return role;
}

/** The library's observation (what the prompt is built from) from a step result. */
export function toObservation(result: StepResult): ChaosOpsObservation {
  const { observation } = checkStepResult(result, () => shown(result));
  return {
    view: observation.view,
    step: observation.step,
    turn_role: observation.turn_role,
    message: observation.message,
    reward: result.reward,
    done: result.done,
  };
}
