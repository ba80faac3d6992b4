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
} from "./model/enums.js";
export type {
  ChaosOpsAction,
  ActionArgs,
  KnownActionArgs,
  ChaosOpsObservation,
  RoleView,
  ServiceMetrics,
  LogLine,
  Alert,
  FleetAgentLog,
  JsonValue,
  JsonObject,
  ParseOptions,
} from "./model/types.js";
export { renderObservation, InvalidObservationError, RESPONSE_INSTRUCTIONS } from "./prompting/rendering.js";
export { loadRolePrompt, buildPrompt, type PromptOptions, type RolePrompts } from "./prompting/prompts.js";
export { parseAction } from "./parsing/parse-action.js";
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
  type NativeCallDetail,
  type ReasoningDetail,
} from "./parsing/parse-detailed.js";
export { OutputFormat, RepairCode, toolCallArguments, type FormatsOption } from "./formats/formats.js";
export { CandidateKind, listCandidates, type CandidateSpan } from "./scanning/candidates.js";
export { decodePythonJson, type JsonDecodeResult } from "./python/json-dialect.js";
export { actionToTrainingTarget } from "./actions/training-target.js";
export {
  ACTION_JSON_SCHEMA,
  ACTION_JSON_SCHEMA_STRICT,
  openaiToolSpec,
  openaiStrictToolSpec,
  openaiResponseFormat,
  anthropicToolSpec,
} from "./prompting/schema.js";
export { openaiToolSpecs, anthropicToolSpecs } from "./prompting/action-tools.js";
export { actionGbnf } from "./prompting/gbnf.js";
export {
  buildOpenAIMessages,
  buildAnthropicMessages,
  parseOpenAIResponse,
  parseAnthropicResponse,
  type ResponseParseOptions,
  type ChatMessage,
  type AnthropicPayload,
} from "./providers/providers.js";
export { StreamingActionParser, parseStreamingAction, type StreamChunk } from "./parsing/streaming.js";
export { actionFromOpenAIStream, actionFromAnthropicStream, type StreamActionOptions, type ChunkStream } from "./providers/provider-streams.js";
export { actionFromGenerateText, actionFromStreamText, type AiSdkStreamOptions, type GenerateTextLike, type StreamTextLike } from "./providers/ai-sdk.js";
export {
  generateActionWithRetry,
  generateActionWithRetryDetailed,
  RetryOutcome,
  type RetryResult,
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
} from "./providers/retry.js";
