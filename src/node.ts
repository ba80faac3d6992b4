/**
 * chaosops-adapter/node: everything the core entry has, plus what needs Node's file
 * system: `promptDir`, role prompts read from a folder at call time, one file per role,
 * as the Python reference reads them (a missing file or an unknown role gives "").
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isAgentRole, type AgentRole } from "./model/enums.js";
import * as prompts from "./prompting/prompts.js";
import * as providers from "./providers/providers.js";
import type { ChaosOpsObservation } from "./model/types.js";

export * from "./index.js";

export interface NodePromptOptions extends prompts.PromptOptions {
  /** Read the role prompts from this folder (`sre.md`, `dev.md`, `manager.md`, `oversight.md`) instead of the built-in ones. */
  promptDir?: string;
}

function readRolePrompt(role: AgentRole | string, promptDir: string): string {
  if (!isAgentRole(role)) return "";
  const path = join(promptDir, prompts.ROLE_PROMPT_FILES[role]);
  return existsSync(path) ? prompts.promptFileText(readFileSync(path, "utf8")) : "";
}

/** The options the core takes: `promptDir` becomes the turn role's prompt, read now. */
function coreOptions(role: AgentRole | string, given: NodePromptOptions): prompts.PromptOptions {
  // Anything but an object is the core entry's to refuse, with its message.
  if (typeof given !== "object" || given === null) return given;
  const { promptDir, ...options } = given;
  if (promptDir === undefined || options.systemPrompt) return options;
  const prompt = readRolePrompt(role, promptDir);
  return { ...options, rolePrompts: isAgentRole(role) && prompt ? { [role]: prompt } : {} };
}

function turnRole(obs: ChaosOpsObservation): string {
  return typeof obs === "object" && obs !== null ? obs.turn_role : "";
}

/**
 * The role's system prompt, from `promptDir` when given (read as Python's
 * `read_text().strip()`), else built in; "" for an unknown role or a missing file.
 */
export function loadRolePrompt(role: AgentRole | string, options: NodePromptOptions = {}): string {
  return prompts.loadRolePrompt(role, coreOptions(role, options));
}

/** `buildPrompt` of the core entry, with `promptDir`. */
export function buildPrompt(obs: ChaosOpsObservation, options: NodePromptOptions = {}): string {
  return prompts.buildPrompt(obs, coreOptions(turnRole(obs), options));
}

/** `buildOpenAIMessages` of the core entry, with `promptDir`. */
export function buildOpenAIMessages(obs: ChaosOpsObservation, options: NodePromptOptions = {}): providers.ChatMessage[] {
  return providers.buildOpenAIMessages(obs, coreOptions(turnRole(obs), options));
}

/** `buildAnthropicMessages` of the core entry, with `promptDir`. */
export function buildAnthropicMessages(obs: ChaosOpsObservation, options: NodePromptOptions = {}): providers.AnthropicPayload {
  return providers.buildAnthropicMessages(obs, coreOptions(turnRole(obs), options));
}
