/** Checking the options every parser takes, once per call, with errors that name the field. */
import { ActionType, isActionType, isAgentRole, type AgentRole } from "../model/enums.js";
import type { ParseOptions } from "../model/types.js";

export interface ResolvedOptions {
  readonly role: AgentRole;
  readonly fallback: ActionType;
}

function optionsError(caller: string, field: "role" | "fallback"): TypeError {
  return new TypeError(
    field === "role"
      ? `${caller}: options.role must be one of "sre", "dev", "manager", "oversight"`
      : `${caller}: options.fallback must be an ActionType value`,
  );
}

/** Checks the caller's options once, with a message that names the bad field. */
export function resolveOptions(options: ParseOptions, caller: string): ResolvedOptions {
  if (typeof options !== "object" || options === null || !isAgentRole(options.role)) throw optionsError(caller, "role");
  const fallback = options.fallback ?? ActionType.NOOP;
  if (!isActionType(fallback)) throw optionsError(caller, "fallback");
  return { role: options.role, fallback };
}
