import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeActionFields, decodePythonJson, isJsonObject } from "../../src/python/json-dialect.js";
import { specDecodeJson } from "../../src/python/json-spec.js";
import { pyRepr } from "../../src/python/python-value.js";
import { actionJson, anyText, jsonValue, nastyText } from "../support/arbitraries.js";

const jsonish = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v)),
  jsonValue.map((v) => JSON.stringify(v, null, 1)),
  actionJson,
  nastyText,
  anyText,
  fc.array(fc.constantFrom("{", "}", "[", "]", '"a"', ":", ",", "1", "-0", "0.5", "1e5", "NaN", "-Infinity", "Infinity", "true", "null", " ", "\n", "\\", '"\\u00e9"', '"\\ud800"', "\x01"), { maxLength: 16 }).map((p) => p.join("")),
);

/**
 * Python's repr keeps key order and tells -0.0 from 0 and NaN from null, and unlike
 * vitest's equality it does not read an own `constructor` key as the object's type.
 */
function same(a: unknown, b: unknown): boolean {
  return pyRepr(a) === pyRepr(b);
}

/** decodeActionFields reads what the full decoder reads for the members an action is made from. */
function expectSameMembers(text: string): void {
  const full = decodePythonJson(text);
  const object = full.ok && isJsonObject(full.value) ? full.value : undefined;
  const fields = decodeActionFields(text);
  expect(fields === undefined).toBe(object === undefined);
  if (!fields || !object) return;
  const member = (key: string) => (Object.hasOwn(object, key) ? object[key] : undefined);
  const actionType = member("action_type");
  const args = member("args");
  expect(same(fields.actionType, typeof actionType === "string" ? actionType : undefined)).toBe(true);
  expect(same(fields.target, member("target"))).toBe(true);
  expect(same(fields.args, isJsonObject(args) ? args : undefined)).toBe(true);
  if (typeof fields.target === "number") expect(Number(fields.targetLiteral)).toBe(fields.target === 0 ? 0 : fields.target);
}

describe("the JSON dialect agrees with grammar/json.peggy", () => {
  it("on acceptance and on the decoded value", () => {
    fc.assert(
      fc.property(jsonish, (text) => {
        const ours = decodePythonJson(text);
        const spec = specDecodeJson(text);
        expect(ours.ok).toBe(spec.ok);
        if (ours.ok && spec.ok) {
          expect(same(ours.value, spec.value)).toBe(true);
        }
      }),
    );
  });

  it("the validating fast path reads the action members the full decoder reads", () => {
    fc.assert(fc.property(jsonish, expectSameMembers));
  });

  it("the fast path agrees with the full decoder on nesting around the depth limit, in every member", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 996, max: 1002 }),
        fc.constantFrom("[", '{"a":'),
        fc.constantFrom('"args":{"k":', '"args":', '"target":', '"x":'),
        (depth, open, member) => {
          const close = open === "[" ? "]" : "}";
          const inner = `${open.repeat(depth)}1${close.repeat(depth)}`;
          expectSameMembers(`{${member}${inner}${member.endsWith('"k":') ? "}" : ""}}`);
        },
      ),
      { numRuns: Math.min(100, fc.readConfigureGlobal().numRuns ?? 100) },
    );
  });

  it("agrees on nesting around the depth limit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 990, max: 1010 }), fc.constantFrom("[", '{"a":'), fc.constantFrom("1", "NaN", "-0"), (depth, open, leaf) => {
        const close = open === "[" ? "]" : "}";
        const text = `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;
        expect(decodePythonJson(text).ok).toBe(specDecodeJson(text).ok);
      }),
      { numRuns: Math.min(100, fc.readConfigureGlobal().numRuns ?? 100) },
    );
  });

  it("agrees with JSON.parse wherever JSON.parse accepts and no Python-only reading applies", () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const text = JSON.stringify(value);
        const ours = decodePythonJson(text);
        expect(ours.ok).toBe(true);
        if (ours.ok) expect(same(ours.value, JSON.parse(text))).toBe(true);
      }),
    );
  });
});
