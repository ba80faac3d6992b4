/**
 * Decoded candidate → ChaosOpsAction, as the reference's `parse_action` maps it:
 * `action_type` normalised by `str(v).strip().lower()`, `target` through Python
 * `str()`, `replicas` through Python `int()`, `failure_type` validated, null args dropped.
 */
import { match, P } from "ts-pattern";
import { ActionType, actionTypeOf, isFailureType, type AgentRole } from "../model/enums.js";
import { fieldsOf, setOwn, type ActionFields } from "../python/json-dialect.js";
import { pyInt, pyNumberText } from "../python/python-number.js";
import { pyNumberLiteralText, pyRepr } from "../python/python-value.js";
import { pyReprOfJsonSource } from "../python/json-source-repr.js";
import { pyStrip } from "../python/python-text.js";
import type { ChaosOpsAction, JsonObject, JsonValue } from "../model/types.js";

export function fallbackAction(role: AgentRole, fallback: ActionType): ChaosOpsAction {
  return { role, action_type: fallback, target: null, args: {} };
}

/**
 * The ActionType `str(value).strip().lower()` names, if any. Only a string can
 * normalise to one: `str()` of any other JSON value cannot.
 */
export function recognizedActionType(value: unknown): ActionType | undefined {
  if (typeof value !== "string") return undefined;
  // Most models write the exact wire value; normalise only when that misses.
  return actionTypeOf(value) ?? actionTypeOf(pyStrip(value).toLowerCase());
}

/** Python `str(int)` or `str(float)` of the literal as written, so `2.0` stays `"2.0"`. */
function numberTargetText(value: number, literal: string | undefined): string {
  return literal === undefined ? pyNumberText(value) : pyNumberLiteralText(literal);
}

/** Python `str()` of a target that is neither a string nor null (from its source text when known). */
function otherTargetText(value: unknown, literal: string | undefined): string {
  return match(value)
    .with(P.boolean, (flag) => (flag ? "True" : "False"))
    .with(P.number, (n) => numberTargetText(n, literal))
    .otherwise((other) => (literal === undefined ? pyRepr(other) : pyReprOfJsonSource(literal, 0, literal.length)));
}

/** Python `str(target)`, or null when the target is absent or null. */
function targetFrom(value: unknown, literal: string | undefined): string | null {
  if (typeof value === "string") return value;
  return value === null || value === undefined ? null : otherTargetText(value, literal);
}

/** The coerced value of one arg, or undefined to drop the key. A switch: this runs for every arg of every parse. */
function argValue(key: string, value: unknown): unknown {
  switch (key) {
    case "replicas":
      return pyInt(value);
    case "failure_type":
      return isFailureType(value) ? value : undefined;
    default:
      return value;
  }
}

function argsFrom(value: unknown): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) return args;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const coerced = argValue(key, (value as Record<string, unknown>)[key]);
    // The reference's model drops null-valued args; undefined is JavaScript's absent.
    if (coerced !== null && coerced !== undefined) setOwn(args, key, coerced);
  }
  return args;
}

/**
 * `argsFrom` for an args object nobody else holds (just built from the text): coerced in
 * place, so the common case (no arg to coerce or drop) allocates nothing more.
 */
function ownArgsFrom(value: JsonObject | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const current = value[key];
    const coerced = argValue(key, current);
    // An arg to drop: a copy without it, as `delete` would turn the object into a slow
    // dictionary. Coercing an arg again is harmless (its coerced value coerces to itself).
    if (coerced === null || coerced === undefined) return argsFrom(value);
    if (!Object.is(coerced, current)) setOwn(value, key, coerced as JsonValue);
  }
  return value;
}

/**
 * The action that a decoded object's members stand for, by the reference's rules. `own`:
 * the members were just decoded for this action alone (decodeActionFields builds a new
 * args object on each call), so the args object becomes the action's instead of a copy.
 */
export function actionFromFields(fields: ActionFields, role: AgentRole, fallback: ActionType, own = false): ChaosOpsAction {
  return {
    role,
    action_type: recognizedActionType(fields.actionType) ?? fallback,
    target: targetFrom(fields.target, fields.targetLiteral),
    args: own ? ownArgsFrom(fields.args) : argsFrom(fields.args),
  };
}

/** actionFromFields of members decoded for this action alone. */
export function actionFromOwnFields(fields: ActionFields, role: AgentRole, fallback: ActionType): ChaosOpsAction {
  return actionFromFields(fields, role, fallback, true);
}

/** The action a JSON object stands for, by the reference's rules. */
export function actionFromPayload(payload: object, role: AgentRole, fallback: ActionType): ChaosOpsAction {
  return actionFromFields(fieldsOf(payload), role, fallback);
}
