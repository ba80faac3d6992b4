/**
 * chaosops-adapter/env: play ChaosOps from TypeScript. A WebSocket client for the
 * environment server, an episode runner, ready-made policies, and helpers that turn
 * trajectories into training data. Kept apart from the core entry because it needs a
 * WebSocket (the runtime's, or the `ws` package on Node 20).
 */
export { ChaosOpsEnv, type CallOptions, type ConnectOptions, type ResetParams } from "./client.js";
export { EnvError, EnvServerError, EnvConnectionError, EnvTimeoutError, EnvAbortError, EnvProtocolError, EnvHttpError } from "./errors.js";
export { fetchHealth, fetchSchema, fetchMetadata, httpBaseUrl, type HttpOptions, type EnvHealth, type EnvSchema, type EnvMetadata } from "./http.js";
export type { SocketLike, WebSocketConstructor } from "./socket.js";
export {
  EnvErrorCode,
  decodeServerFrame,
  decodeStepResult,
  toObservation,
  turnRoleOf,
  type EnvAction,
  type EnvState,
  type StepResult,
  type WireObservation,
  type WireRoleView,
  type WireLogLine,
  type WireFleetAction,
  type ErrorFrameData,
  type ValidationIssue,
  type ClientFrame,
  type ServerFrame,
} from "./wire.js";
export {
  runEpisode,
  EpisodeInterruptedError,
  type RunEpisodeOptions,
  type EpisodeEnv,
  type Episode,
  type Turn,
} from "../play/run-episode.js";
export {
  PromptStyle,
  functionPolicy,
  openaiPolicy,
  anthropicPolicy,
  openAICompletionText,
  anthropicCompletionText,
  type Policy,
  type PromptMessages,
  type TurnRequest,
  type TurnReply,
  type RetrySettings,
  type OpenAIChatClient,
  type OpenAIChatRequest,
  type OpenAIPolicyOptions,
  type AnthropicMessagesClient,
  type AnthropicRequest,
  type AnthropicPolicyOptions,
} from "../play/policies.js";
export { openaiCompatibleClient, ProviderHttpError, type OpenAICompatibleOptions } from "../play/openai-http.js";
export { trajectoryLine, sftPair, formatReward, chatMessages, type TrajectoryLine, type DetailRecord, type SftPair } from "../play/training.js";
