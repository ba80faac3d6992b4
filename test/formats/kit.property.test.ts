// The shared readers' scanners against the plain character loops they stand for.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { skipSpace, valueExtent } from "../../src/formats/families/kit.js";
import { anyText } from "../support/arbitraries.js";

/** A value's extent, one character at a time: inside a string only its quote and a backslash matter. */
function extentByCharacter(text: string, at: number): { end: number; closed: boolean } {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < text.length; i++) {
        if (text[i] === "\\") i++;
        else if (text[i] === c) break;
      }
    } else if (c === "{" || c === "[") {
      depth++;
    } else if ((c === "}" || c === "]") && --depth === 0) {
      return { end: i + 1, closed: true };
    }
  }
  return { end: text.length, closed: false };
}

const PIECES = ["{", "}", "[", "]", '"', "'", "\\", "\\\\", '\\"', "\\'", "a", " ", ":", ","];
const valueText = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((parts) => parts.join("")),
  anyText,
);

describe("valueExtent", () => {
  it("ends where a character-by-character scan ends, from any offset", () => {
    fc.assert(
      fc.property(valueText, fc.nat(), (text, offset) => {
        const at = text.length === 0 ? 0 : offset % text.length;
        expect(valueExtent(text, at)).toEqual(extentByCharacter(text, at));
      }),
    );
  });

  it.each([
    ['{"a": "x\\\\"}', 12],
    ['{"a": "x\\"}"}', 13],
    ["{'a': 'it\\'s'} tail", 14],
    ['["\\\\\\"]"]', 9],
  ])("reads %j to %i", (text, end) => {
    expect(valueExtent(text, 0)).toEqual({ end, closed: true });
  });
});

describe("skipSpace", () => {
  /** JSON's four spaces, one character at a time. */
  function spaceEnd(text: string, at: number): number {
    let i = at;
    while (i < text.length && " \t\n\r".includes(text[i] ?? "")) i++;
    return i;
  }
  const spaced = fc.array(fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0", "\f", "a", "{"), { maxLength: 20 }).map((parts) => parts.join(""));

  it("ends where a character loop over JSON's spaces ends, from any offset up to the end", () => {
    fc.assert(
      fc.property(fc.oneof(spaced, anyText), fc.nat(), (text, offset) => {
        const at = offset % (text.length + 1);
        expect(skipSpace(text, at)).toBe(spaceEnd(text, at));
      }),
    );
  });

  it("stays put past the end of the text", () => {
    expect(skipSpace("ab", 5)).toBe(5);
  });
});
