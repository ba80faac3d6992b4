import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAction } from "../../src/parsing/parse-action.js";
import { parseActionDetailed } from "../../src/parsing/parse-detailed.js";
import { OutputFormat } from "../../src/formats/formats.js";
import { anyText, completion, role } from "../support/arbitraries.js";

// parseAction with formats takes a lean path (no detail, a balanced block passed over is
// not decoded again as a bare block); parseActionDetailed explains every candidate. The
// building blocks below make texts where the two sources offer the same and different
// blocks: strings holding braces, nesting, unclosed blocks, relaxed and Python members.
const piece = fc.constantFrom(
  "{",
  "}",
  '"',
  "\\",
  "{a:}",
  "{a} ",
  "{'action_type': 'restart'}",
  '{"action_type": "scale", "args": {"replicas": 2}}',
  '{"action_type": "noop",}',
  '{"x": "}"}',
  '{"action_type": "restart", "target": "{db}"}',
  "{action_type: escalate}",
  '{"name": "act", "arguments": {"action_type": "resolve"}}',
  "```json\n",
  "\n```",
  " /* c */ ",
  "<think>",
  "</think>",
  "<tool_call>",
  "</tool_call>",
  "[ACTION] restart db\n",
  " ",
  "\n",
  "x",
);
const braceText = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(""));
const formats = fc.oneof(fc.constant("lenient" as const), fc.subarray(Object.values(OutputFormat)));

describe("parseAction with formats (lean path)", () => {
  it("gives exactly the action parseActionDetailed gives", () => {
    fc.assert(
      fc.property(fc.oneof(braceText, completion, anyText), role, formats, (raw, r, f) => {
        expect(parseAction(raw, { role: r, formats: f })).toEqual(parseActionDetailed(raw, { role: r, formats: f }).action);
      }),
    );
  });

  it("regression: blocks both sources offer, and blocks only one does, read as parseActionDetailed reads them", () => {
    for (const raw of [
      "{a:} {b:} {'action_type': 'escalate'}",
      '{a:} "{" {b:} {\'action_type\': \'restart\'}',
      '{a:} {"x": "}"} {\'action_type\': \'restart\'}',
      "{a:} {{b:} {'action_type': 'rollback'}",
      "{a} ".repeat(50) + "{action_type: resolve}",
    ]) {
      expect(parseAction(raw, { role: "sre", formats: "lenient" })).toEqual(parseActionDetailed(raw, { role: "sre", formats: "lenient" }).action);
    }
    expect(parseAction("{a:} {b:} {'action_type': 'escalate'}", { role: "sre", formats: "lenient" }).action_type).toBe("escalate");
  });
});
