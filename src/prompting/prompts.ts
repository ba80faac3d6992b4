/**
 * Role prompts and whole prompts: the role's system prompt (built in from `prompts/`, or
 * the caller's) followed by the rendered observation. Nothing here reads files, so the
 * core runs in browsers and edge runtimes and bundles keep the prompts;
 * `chaosops-adapter/node` adds `promptDir`.
 */
import { AgentRole, isAgentRole } from "../model/enums.js";
import { pyStrip } from "../python/python-text.js";
import { InvalidObservationError, renderObservation } from "./rendering.js";
import { PROMPT_FILES } from "../generated/prompts.js";
import type { ChaosOpsObservation } from "../model/types.js";

/** Role prompts by role; a role left out has no system prompt. */
export type RolePrompts = Partial<Record<AgentRole, string>>;

export interface PromptOptions {
  /** Used instead of the role's prompt when non-empty. */
  systemPrompt?: string | null;
  /** Replaces the built-in role prompts: a role left out has none (as a missing file with `promptDir`). */
  rolePrompts?: RolePrompts;
}

/** The prompt file of each role, under `prompts/` (or a caller's `promptDir`). */
export const ROLE_PROMPT_FILES: Readonly<Record<AgentRole, string>> = {
  [AgentRole.SRE]: "sre.md",
  [AgentRole.DEV]: "dev.md",
  [AgentRole.MANAGER]: "manager.md",
  [AgentRole.OVERSIGHT]: "oversight.md",
};

/** A prompt file's text as Python's `read_text().strip()` sees it: universal newlines, then stripped. */
export function promptFileText(raw: string): string {
  return pyStrip(raw.replace(/\r\n?/g, "\n"));
}

const builtIn = new Map<AgentRole, string>();

function builtInPrompt(role: AgentRole): string {
  let prompt = builtIn.get(role);
  if (prompt === undefined) {
    const raw = PROMPT_FILES[ROLE_PROMPT_FILES[role]];
    prompt = raw === undefined ? "" : promptFileText(raw);
    builtIn.set(role, prompt);
  }
  return prompt;
}

/** A `promptDir` given to the core entry is a mistake worth naming: it would be ignored. */
/** The prompt options checked: a clear TypeError for what no prompt can be built from. */
function checkOptions(options: unknown): void {
  if (typeof options !== "object" || options === null) throw new TypeError(`prompt options must be an object (got ${options === null ? "null" : typeof options})`);
  const { promptDir, systemPrompt, rolePrompts } = options as { promptDir?: unknown; systemPrompt?: unknown; rolePrompts?: unknown };
  if (promptDir !== undefined) {
    throw new TypeError('promptDir reads files: import loadRolePrompt, buildPrompt and the message builders from "chaosops-adapter/node"');
  }
  if (systemPrompt !== undefined && typeof systemPrompt !== "string") throw new TypeError("options.systemPrompt must be a string");
  if (rolePrompts !== undefined && (typeof rolePrompts !== "object" || rolePrompts === null)) throw new TypeError("options.rolePrompts must be an object of prompts by role");
}

/**
 * The role's system prompt: the built-in text of `prompts/<role>.md` (universal newlines,
 * stripped), or the one in `rolePrompts` when given; "" for an unknown role.
 *
 * @example
 * loadRolePrompt("sre").length > 0 // → true
 */
export function loadRolePrompt(role: AgentRole | string, options: { rolePrompts?: RolePrompts } = {}): string {
  checkOptions(options);
  if (!isAgentRole(role)) return "";
  if (options.rolePrompts) {
    const prompt = options.rolePrompts[role];
    return typeof prompt === "string" ? prompt : "";
  }
  return builtInPrompt(role);
}

function observation(obs: ChaosOpsObservation): ChaosOpsObservation {
  if (typeof obs !== "object" || obs === null) throw new InvalidObservationError("observation must be an object");
  return obs;
}

/** The system prompt for `obs`: the caller's when non-empty (Python's `or`), else the role's. */
export function resolveSystemPrompt(obs: ChaosOpsObservation, options: PromptOptions = {}): string {
  checkOptions(options);
  return options.systemPrompt || loadRolePrompt(observation(obs).turn_role, options);
}

/** The rendered observation of `obs`. */
export function renderBody(obs: ChaosOpsObservation): string {
  const o = observation(obs);
  return renderObservation(o.view, { step: o.step });
}

/**
 * The full prompt: system prompt, a blank line, then the rendered observation (or the
 * body alone when there is no system prompt).
 *
 * @example
 * buildPrompt(obs, { systemPrompt: "You are the SRE." }).startsWith("You are the SRE.\n\nSTEP ") // → true
 */
export function buildPrompt(obs: ChaosOpsObservation, options: PromptOptions = {}): string {
  const system = resolveSystemPrompt(obs, options);
  const body = renderBody(obs);
  return system ? `${system}\n\n${body}` : body;
}
