import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mayHaveKeys, type KeyQuestion } from "../../src/scanning/top-level-keys.js";

const KEYS = ["name", "function", "tool_calls", "action_type"];
const question = (oneMember: boolean): KeyQuestion => ({ keys: KEYS, oneMember });

/** A key: one the question names, a near miss, or any string (quotes, backslashes, control characters). */
const key = fc.oneof(fc.constantFrom(...KEYS, "nam", "names", "Name", "tool_call", "k", "", "{", ",", '"'), fc.string({ maxLength: 6 }));
/** A member value: anything JSON, including objects and arrays whose own keys must not count. */
const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.dictionary(key, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }));
const space = fc.constantFrom("", " ", "\n\t ");

/** Object text written member by member, so duplicate keys stay in the text as a model writes them. */
const objectText = fc
  .tuple(fc.array(fc.tuple(key, value, space), { maxLength: 6 }), space)
  .map(([members, ws]) => `${ws}{${members.map(([k, v, s]) => `${s}${JSON.stringify(k)}${s}:${s}${JSON.stringify(v)}`).join(",")}${ws}}${ws}`);

function truth(text: string, oneMember: boolean): boolean {
  const object = JSON.parse(text) as Record<string, unknown>;
  const keys = Object.keys(object);
  return keys.some((k) => KEYS.includes(k)) || (oneMember && keys.length === 1);
}

describe("mayHaveKeys answers as the built object does", () => {
  it.each([false, true])("oneMember %s: never no when the object has a named key (or one member); yes only then unless a key has an escape", (oneMember) => {
    fc.assert(
      fc.property(objectText, fc.nat(8), fc.nat(8), (text, before, after) => {
        // Inside a longer text: only text[start:end] is read.
        const padded = "[".repeat(before) + text + '"'.repeat(after);
        const answer = mayHaveKeys(padded, before, before + text.length, question(oneMember));
        const expected = truth(text, oneMember);
        if (expected) expect(answer, text).toBe(true);
        else if (!/"(?:[^"\\]|\\.)*\\/.test(text)) expect(answer, text).toBe(false);
      }),
    );
  });

  it("a repeated key is one member; two keys are two", () => {
    const one = question(true);
    expect(mayHaveKeys('{"restart": {}, "restart": {"target": "db"}}', 0, 44, one)).toBe(true);
    expect(mayHaveKeys('{"restart": {}, "restarts": {}}', 0, 31, one)).toBe(false);
    expect(mayHaveKeys('{"a": {"name": 1}, "b": [{"function": 2}]}', 0, 42, one)).toBe(false);
    expect(mayHaveKeys("{}", 0, 2, one)).toBe(false);
  });
});
