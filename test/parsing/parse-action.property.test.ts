import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { locateAction, parseAction } from "../../src/parsing/parse-action.js";
import { actionFromFields } from "../../src/actions/action-mapping.js";
import { BALANCED_SOURCE, findCandidate, firstBalancedAt, REFERENCE_SOURCES } from "../../src/scanning/candidates.js";
import { decodeActionFields, decodeActionFieldsAt } from "../../src/python/json-dialect.js";
import { pyStrip } from "../../src/python/python-text.js";
import { pyRepr } from "../../src/python/python-value.js";
import { actionJson, anyText, completion, jsonValue, nastyText } from "../support/arbitraries.js";

/**
 * Objects whose strings hold the characters the balanced scanner and the validator
 * might read differently (braces, quotes, escapes), valid or cut or broken, among chatter
 * that opens and closes blocks of its own.
 */
const trickyObject = fc
  .tuple(
    fc.array(fc.constantFrom('"{"', '"}"', '"\\""', '"\\\\"', '"\\u007b"', '"a\\\\\\"}"', "NaN", "-0", "[{}]", '{"x":"}"}', "1e5"), { maxLength: 4 }),
    fc.constantFrom('"action_type"', '"target"', '"args"', '"action\\u005ftype"', '"x"'),
  )
  .map(([values, key]) => `{${values.map((v, i) => `${i === 0 ? key : `"k${i}"`}: ${v}`).join(", ")}}`);
const piece = fc.oneof(
  actionJson,
  trickyObject,
  trickyObject.chain((t) => fc.nat({ max: t.length }).map((n) => t.slice(0, n))),
  jsonValue.map((v) => JSON.stringify(v)),
  nastyText,
  anyText,
  fc.constantFrom("{", "}", '"', "\\", "{x}", "{}", " ", "```json\n", "```"),
);
const text = fc.oneof(completion, nastyText, anyText, fc.array(piece, { maxLength: 6 }).map((parts) => parts.join("")));

/** Python's repr keeps key order and tells -0.0 from 0 and NaN from null. */
const repr = (value: unknown): string => pyRepr(value);

describe("parseAction's search agrees with the reference's sources run one by one", () => {
  it("firstBalancedAt with in-place reading takes the block findCandidate takes from the balanced source", () => {
    fc.assert(
      fc.property(text, (raw) => {
        const stripped = pyStrip(raw);
        const generic = findCandidate(stripped, decodeActionFields, [BALANCED_SOURCE]);
        const fused = firstBalancedAt(stripped, decodeActionFieldsAt);
        expect(fused === undefined).toBe(generic === undefined);
        if (!fused || !generic) return;
        expect([fused.start, fused.end]).toEqual([generic.start, generic.end]);
        expect(repr(fused.fields)).toBe(repr(generic.value));
      }),
    );
  });

  it("locateAction takes the candidate findCandidate takes over all sources, and maps it the same", () => {
    fc.assert(
      fc.property(text, (raw) => {
        const stripped = pyStrip(raw);
        const generic = findCandidate(stripped, decodeActionFields, REFERENCE_SOURCES);
        const located = locateAction(raw, { role: "sre", fallback: "noop" });
        expect(located.candidate).toEqual(generic ? { kind: generic.kind, start: generic.start, end: generic.end } : null);
        const expected = generic ? actionFromFields(generic.value, "sre", "noop") : { role: "sre", action_type: "noop", target: null, args: {} };
        expect(repr(located.action)).toBe(repr(expected));
      }),
    );
  });

  it("parseAction, which reads the completion in place, gives the action locateAction gives from the stripped copy", () => {
    // Python's whitespace, JSON's and not JSON's, control characters and not.
    const padding = fc
      .array(fc.constantFrom(" ", "\n", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\u00a0", "\u2028", "\u3000"), { maxLength: 3 })
      .map((chars) => chars.join(""));
    fc.assert(
      fc.property(padding, text, padding, (before, body, after) => {
        const raw = before + body + after;
        const options = { role: "sre", fallback: "noop" } as const;
        expect(repr(parseAction(raw, options))).toBe(repr(locateAction(raw, options).action));
      }),
    );
  });
});

describe("decodeActionFieldsAt reads in place what decodeActionFields reads from a copy", () => {
  it("at any `{` of any text: accepted exactly when some end makes the copy decode, and then ending there", () => {
    fc.assert(
      fc.property(text, fc.nat(), (raw, at) => {
        const opens = [...raw.matchAll(/\{/g)].map((m) => m.index);
        if (opens.length === 0) return;
        const start = opens[at % opens.length] ?? 0;
        const found = decodeActionFieldsAt(raw, start);
        if (found) {
          expect(found.start).toBe(start);
          expect(raw.charCodeAt(found.end - 1)).toBe(0x7d);
          expect(repr(found.fields)).toBe(repr(decodeActionFields(raw, start, found.end)));
        }
        // No other end works: a JSON object has one end, and every shorter or longer copy fails.
        for (let end = start + 1; end <= raw.length; end++) {
          if (end === found?.end || raw.charCodeAt(end - 1) !== 0x7d) continue;
          expect(decodeActionFields(raw, start, end)).toBeUndefined();
        }
      }),
    );
  });
});
