/**
 * chaosops-adapter: the layer between the ChaosOps incident-response environment and
 * the language models that play its agents. Renders observations as prompts and turns
 * whatever a model wrote back into exactly one action, as the Python reference does.
 */
export {
  ActionType,
  AgentRole,
  FailureType,
  ServiceName,
  ServiceHealth,
  ROGUE_FAILURE_TYPES,
  isActionType,
  isAgentRole,
  isFailureType,
} from "./enums.js";
export type {
  ChaosOpsAction,
  ChaosOpsObservation,
  RoleView,
  ServiceMetrics,
  LogLine,
  Alert,
  FleetAgentLog,
  JsonValue,
  JsonObject,
  ParseOptions,
} from "./types.js";
export { renderObservation, InvalidObservationError, RESPONSE_INSTRUCTIONS } from "./rendering.js";
export { loadRolePrompt, buildPrompt, DEFAULT_PROMPT_DIR, type PromptOptions } from "./prompts.js";
export { parseAction } from "./parse-action.js";
export {
  parseActionDetailed,
  actionWarnings,
  DecodedFormat,
  WarningCode,
  type ParseActionOptions,
  type ParseDetail,
  type ParseWarning,
  type TakenCandidate,
  type RejectedCandidate,
  type CandidateDetail,
} from "./parse-detailed.js";
export { OutputFormat, RepairCode, toolCallArguments, type FormatsOption } from "./formats.js";
export { CandidateKind, listCandidates, type CandidateSpan } from "./candidates.js";
export { decodePythonJson, type JsonDecodeResult } from "./json-dialect.js";
export { actionToTrainingTarget } from "./training-target.js";
export {
  ACTION_JSON_SCHEMA,
  ACTION_JSON_SCHEMA_STRICT,
  openaiToolSpec,
  openaiStrictToolSpec,
  openaiResponseFormat,
  anthropicToolSpec,
} from "./schema.js";
export { actionGbnf } from "./gbnf.js";
export {
  buildOpenAIMessages,
  buildAnthropicMessages,
  parseOpenAIResponse,
  parseAnthropicResponse,
  type ChatMessage,
  type AnthropicPayload,
} from "./providers.js";
export { StreamingActionParser, parseStreamingAction } from "./streaming.js";
export { actionFromOpenAIStream, actionFromAnthropicStream, type StreamActionOptions, type ChunkStream } from "./provider-streams.js";
export {
  generateActionWithRetry,
  isUsableAction,
  isRetryable,
  retryAfterMs,
  DEFAULT_REMINDER,
  type GenerateFn,
  type AttemptContext,
  type AttemptReport,
  type BackoffOptions,
  type RetryLogger,
  type RetryOptions,
} from "./retry.js";
