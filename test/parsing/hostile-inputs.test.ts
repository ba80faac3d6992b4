/**
 * Regressions for inputs that once broke a promise (issue 11): each reproducer, run
 * through every entry point that reads text. These check the answer only; how time and
 * memory grow is measured by scripts/adversarial-timing.mjs, never by a timed test.
 */
import { describe, expect, it } from "vitest";
import { parseAction } from "../../src/parsing/parse-action.js";
import { parseActionDetailed, type ParseActionOptions } from "../../src/parsing/parse-detailed.js";
import { decodePythonJson } from "../../src/python/json-dialect.js";
import { pyIntFromString } from "../../src/python/python-number.js";
import { parseOpenAIResponse, parseAnthropicResponse } from "../../src/providers/providers.js";
import { actionToTrainingTarget } from "../../src/actions/training-target.js";
import { cut, streamChunks } from "../support/implementations.js";
import type { ChaosOpsAction } from "../../src/model/types.js";

type EntryPoint = (raw: string, options: ParseActionOptions) => ChaosOpsAction;

const entryPoints: ReadonlyArray<readonly [string, EntryPoint]> = [
  ["parseAction", parseAction],
  ["parseAction, lenient", (raw, o) => parseAction(raw, { ...o, formats: "lenient" })],
  ["parseActionDetailed", (raw, o) => parseActionDetailed(raw, o).action],
  ["parseOpenAIResponse", (raw, o) => parseOpenAIResponse({ choices: [{ message: { content: raw } }] }, o)],
  ["parseAnthropicResponse", (raw, o) => parseAnthropicResponse({ content: [{ type: "text", text: raw }] }, o)],
  ["stream, 16-character pieces", (raw, o) => streamChunks(cut(raw, 16), o).action],
  ["stream, 64 KiB pieces", (raw, o) => streamChunks(cut(raw, 65536), o).action],
];

/** `{"k0":0,"k1":0,…}` of about `size` characters, ending with the given members. */
function manyKeys(size: number, tail: string): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const part = `"k${i}":0,`;
    parts.push(part);
    length += part.length;
  }
  return `{${parts.join("")}${tail}}`;
}

describe.each(entryPoints)("hostile inputs through %s", (_name, parse) => {
  it("many-keys: an object with a hundred thousand top-level keys (once quadratic: each key looked back for a backslash)", () => {
    const raw = manyKeys(2 << 20, '"action_type":"restart","target":"db"');
    expect(parse(`Plan: ${raw}`, { role: "sre" })).toEqual({ role: "sre", action_type: "restart", target: "db", args: {} });
  });

  it("many-keys: an escaped key after many keys still names a member", () => {
    const raw = manyKeys(1 << 20, '"action\\u005ftype":"resolve"');
    expect(parse(raw, { role: "dev" }).action_type).toBe("resolve");
  });

  it("long-string: a target of 8,388,608 characters and more (once a RangeError from the regexp stack)", () => {
    const target = "x".repeat(8_400_000);
    const action = parse(`{"action_type":"restart","target":"${target}"}`, { role: "sre" });
    expect(action.action_type).toBe("restart");
    expect(action.target).toBe(target);
  });

  it("long-string: millions of escapes in one string", () => {
    const action = parse(`Sure: {"action_type":"communicate","args":{"message":"${"\\n\\u0041".repeat(1_000_000)}"}}`, { role: "manager" });
    expect(action.action_type).toBe("communicate");
    expect(action.args.message).toBe("\nA".repeat(1_000_000));
  });

  it("long-string: a long invalid string is rejected and the next block is taken", () => {
    const raw = `{"action_type":"restart","target":"${"y".repeat(8_400_000)}\u0001"} {"action_type":"escalate"}`;
    expect(parse(raw, { role: "oversight" }).action_type).toBe("escalate");
  });

  it("replicas-digits: a replicas string of a million digits drops the key", () => {
    const action = parse(`{"action_type":"scale","target":"db","args":{"replicas":"${"7".repeat(1_000_000)}","why":"load"}}`, { role: "sre" });
    expect(action).toEqual({ role: "sre", action_type: "scale", target: "db", args: { why: "load" } });
  });
});

describe("hostile inputs through the decoder and the training target", () => {
  it("long-string: decodePythonJson reads an 8,400,000-character string", () => {
    const decoded = decodePythonJson(`["${"z".repeat(8_400_000)}"]`);
    expect(decoded.ok && (decoded.value as string[])[0]?.length).toBe(8_400_000);
  });

  it("long-string: the training target of an action with a long target", () => {
    const target = "q".repeat(8_400_000);
    expect(actionToTrainingTarget({ role: "sre", action_type: "restart", target, args: {} })).toBe(
      `{"action_type": "restart", "args": {}, "target": "${target}"}`,
    );
  });

  it("replicas-digits: int() of a million digits stops at the limit; 4,300 still read", () => {
    expect(pyIntFromString("9".repeat(1_000_000))).toBeUndefined();
    expect(pyIntFromString(` ${"0_0".repeat(1000)}${"0".repeat(2299)}7 `)).toBe(7);
    // Read, and past the largest double: no JavaScript number holds it (README).
    expect(pyIntFromString(` ${"1_2".repeat(1000)}${"0".repeat(2300)} `)).toBeUndefined();
    expect(pyIntFromString(`${"1".repeat(2150)}_${"1".repeat(2151)}`)).toBeUndefined();
  });
});
