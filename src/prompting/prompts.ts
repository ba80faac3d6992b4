/**
 * Role prompts and whole prompts: the role's system prompt (from `prompts/`, or the
 * caller's) followed by the rendered observation.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AgentRole, isAgentRole } from "../model/enums.js";
import { pyStrip } from "../python/python-text.js";
import { InvalidObservationError, renderObservation } from "./rendering.js";
import type { ChaosOpsObservation } from "../model/types.js";

/** The `prompts/` folder shipped with the package. */
export const DEFAULT_PROMPT_DIR = fileURLToPath(new URL("../../prompts/", import.meta.url));

const ROLE_PROMPT_FILES: Record<AgentRole, string> = {
  [AgentRole.SRE]: "sre.md",
  [AgentRole.DEV]: "dev.md",
  [AgentRole.MANAGER]: "manager.md",
  [AgentRole.OVERSIGHT]: "oversight.md",
};

export interface PromptOptions {
  /** Used instead of the role's prompt file when non-empty. */
  systemPrompt?: string | null;
  /** Where the role prompt files are; defaults to the package's `prompts/`. */
  promptDir?: string;
}

/**
 * The role's system prompt, read as Python's `read_text()` reads it (universal
 * newlines) and stripped; "" for an unknown role or a missing file.
 *
 * @example
 * loadRolePrompt("sre").length > 0 // → true
 */
export function loadRolePrompt(role: AgentRole | string, options: { promptDir?: string } = {}): string {
  if (!isAgentRole(role)) return "";
  const path = join(options.promptDir ?? DEFAULT_PROMPT_DIR, ROLE_PROMPT_FILES[role]);
  if (!existsSync(path)) return "";
  return pyStrip(readFileSync(path, "utf8").replace(/\r\n?/g, "\n"));
}

function observation(obs: ChaosOpsObservation): ChaosOpsObservation {
  if (typeof obs !== "object" || obs === null) throw new InvalidObservationError("observation must be an object");
  return obs;
}

/** The system prompt for `obs`: the caller's when non-empty (Python's `or`), else the role's file. */
export function resolveSystemPrompt(obs: ChaosOpsObservation, options: PromptOptions = {}): string {
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
