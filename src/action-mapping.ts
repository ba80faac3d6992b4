/**
 * Decoded candidate → ChaosOpsAction, as the reference's `parse_action` maps it:
 * `action_type` normalised by `str(v).strip().lower()`, `target` through Python
 * `str()`, `replicas` through Python `int()`, `failure_type` validated, null args dropped.
 */
import { match, P } from "ts-pattern";
import { ActionType, actionTypeOf, isFailureType, type AgentRole } from "./enums.js";
import { setOwn } from "./json-dialect.js";
import { pyInt, pyNumberText } from "./python-number.js";
import { pyFloatLiteralText, pyRepr } from "./python-value.js";
import { pyStrip } from "./python-text.js";
import type { ChaosOpsAction } from "./types.js";

export interface MappingContext {
  readonly role: AgentRole;
  readonly fallback: ActionType;
  /** Source text of a top-level number member, when the payload was decoded from text. */
  readonly numberLiteral?: (key: string) => string | undefined;
}

export function fallbackAction(role: AgentRole, fallback: ActionType): ChaosOpsAction {
  return { role, action_type: fallback, target: null, args: {} };
}

function own(record: object, key: string): unknown {
  return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

/** Only a string can normalise to an action type: `str()` of any other JSON value cannot. */
function actionTypeFrom(value: unknown, fallback: ActionType): ActionType {
  return match(value)
    .with(P.string, (text) => actionTypeOf(pyStrip(text).toLowerCase()) ?? fallback)
    .otherwise(() => fallback);
}

function isFloatLiteral(literal: string): boolean {
  return /[.eEIN]/.test(literal);
}

/** Python `str(int)` or `str(float)` of the literal as written, so `2.0` stays `"2.0"`. */
function numberTargetText(value: number, literal: string | undefined): string {
  if (literal === undefined) return pyNumberText(value);
  if (isFloatLiteral(literal)) return pyFloatLiteralText(literal);
  return literal === "-0" ? "0" : literal;
}

/** Python `str(target)`, or null when the target is absent or null. */
function targetFrom(value: unknown, ctx: MappingContext): string | null {
  return match(value)
    .with(P.nullish, () => null)
    .with(P.string, (text) => text)
    .with(P.boolean, (flag) => (flag ? "True" : "False"))
    .with(P.number, (n) => numberTargetText(n, ctx.numberLiteral?.("target")))
    .otherwise((other) => pyRepr(other));
}

/** The coerced value of one arg, or undefined to drop the key. */
function argValue(key: string, value: unknown): unknown {
  return match(key)
    .with("replicas", () => pyInt(value))
    .with("failure_type", () => (isFailureType(value) ? value : undefined))
    .otherwise(() => value);
}

function argsFrom(value: unknown): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) return args;
  for (const key of Object.keys(value)) {
    const coerced = argValue(key, (value as Record<string, unknown>)[key]);
    // The reference's model drops null-valued args; undefined is JavaScript's absent.
    if (coerced !== null && coerced !== undefined) setOwn(args, key, coerced);
  }
  return args;
}

/** The action a decoded JSON object stands for, by the reference's rules. */
export function actionFromPayload(payload: object, ctx: MappingContext): ChaosOpsAction {
  return {
    role: ctx.role,
    action_type: actionTypeFrom(own(payload, "action_type"), ctx.fallback),
    target: targetFrom(own(payload, "target"), ctx),
    args: argsFrom(own(payload, "args")),
  };
}
