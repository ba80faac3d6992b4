/**
 * fast-check arbitraries for model completions: chatter full of the characters the
 * scanners care about (braces, quotes, backslashes, backticks, Python whitespace),
 * real and broken actions, fences, and any Unicode.
 */
import fc from "fast-check";
import { ActionType, AgentRole, FailureType, ServiceName } from "../../src/model/enums.js";
import type { ChaosOpsAction } from "../../src/model/types.js";

const NASTY = ["{", "}", '"', "\\", "`", "```", "```json", " ", "\n", "\t", "\x1c", "\x85", "\ufeff", "\u2028", ":", ",", "[", "]", "json", "a", "é", "😀", "\ud800", "\udc00", "NaN", "-0", "1e400", "null"];

/** A short run of characters that matter to the scanners. */
export const nastyText = fc.array(fc.constantFrom(...NASTY), { maxLength: 30 }).map((parts) => parts.join(""));

/** Any string, including lone surrogates. */
export const anyText = fc.string({ unit: "binary", maxLength: 60 });

export const role = fc.constantFrom(...Object.values(AgentRole));
export const actionType = fc.constantFrom(...Object.values(ActionType));

const jsonLeaf = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

/** JSON values as JSON.parse would give them (no -0, no non-finite numbers). */
export const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, jsonLeaf, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(fc.string({ unit: "binary", maxLength: 8 }), tie("value"), { maxKeys: 4 }),
})).value.map((v) => JSON.parse(JSON.stringify(v)) as unknown);

const argKey = fc.oneof(
  fc.constantFrom("message", "to", "replicas", "failure_type", "reason", "__proto__", "constructor", "toString"),
  fc.string({ unit: "binary", maxLength: 8 }),
);

const argValueFor = (key: string): fc.Arbitrary<unknown> => {
  if (key === "replicas") return fc.integer({ min: -1000, max: 1000 });
  if (key === "failure_type") return fc.constantFrom(...Object.values(FailureType));
  return jsonValue.filter((v) => v !== null);
};

/** Args as the mapping leaves them: valid replicas and failure types, no nulls. */
export const args = fc
  .array(argKey.chain((key) => argValueFor(key).map((value) => [key, value] as const)), { maxLength: 4 })
  .map((entries) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    return out;
  });

export const target = fc.oneof(fc.constant(null), fc.constantFrom(...Object.values(ServiceName)), fc.string({ unit: "binary", maxLength: 10 }));

/** A valid action, as parseAction would produce it. */
export const action: fc.Arbitrary<ChaosOpsAction> = fc.record({ role, action_type: actionType, target, args });

/** An action object as a model might write it, in JSON. */
export const actionJson = fc
  .record({ action_type: actionType, target, args })
  .chain((a) => fc.constantFrom(JSON.stringify(a), JSON.stringify(a, null, 2), JSON.stringify({ ...a, action_type: a.action_type.toUpperCase() })));

/** Broken and half-written JSON. */
const brokenJson = actionJson.chain((json) =>
  fc.oneof(
    fc.nat({ max: json.length }).map((n) => json.slice(0, n)),
    fc.constant(json.replace(/"/g, "'")),
    fc.constant(json.replace("}", ",}")),
    fc.constant(`{${json}`),
  ),
);

const fenced = fc.tuple(fc.constantFrom("```", "```json", "```json\n", "``` "), fc.oneof(actionJson, brokenJson), fc.constantFrom("```", "\n```", " ``", "")).map((parts) => parts.join(""));

/** A completion: chatter, fences and actions (whole, broken or several) in any mix. */
export const completion = fc
  .array(fc.oneof(nastyText, anyText, actionJson, brokenJson, fenced, fc.constantFrom("{x}", "{}", "{my} plan", "Here is the action:", "<think>{draft}</think>")), { maxLength: 6 })
  .map((parts) => parts.join(""));

/** Ways of cutting a text into chunks. */
export function chunkings(text: string): fc.Arbitrary<string[]> {
  return fc.array(fc.nat({ max: text.length }), { maxLength: 12 }).map((cuts) => {
    const points = [...new Set([0, ...cuts, text.length])].sort((a, b) => a - b);
    const chunks: string[] = [];
    for (let i = 1; i < points.length; i++) chunks.push(text.slice(points[i - 1], points[i]));
    return chunks;
  });
}
