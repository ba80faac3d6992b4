import { describe, expect, it } from "vitest";
import { parseAnthropicResponse, parseOpenAIResponse } from "../../src/providers/providers.js";
import type { ActionType, AgentRole } from "../../src/model/enums.js";
import type { ChaosOpsAction } from "../../src/model/types.js";
import { deviations, raised } from "../support/deviations.js";
import { loadGolden } from "../support/golden.js";

interface ProviderCase {
  id: string;
  family: string;
  provider: "openai" | "anthropic";
  response: unknown;
  role: AgentRole;
  fallback: ActionType;
  expect: ChaosOpsAction;
}

function parseResponse(c: Pick<ProviderCase, "provider" | "response" | "role" | "fallback">): ChaosOpsAction {
  const parse = c.provider === "openai" ? parseOpenAIResponse : parseAnthropicResponse;
  return parse(c.response, { role: c.role, fallback: c.fallback });
}

describe("parseOpenAIResponse / parseAnthropicResponse: golden cases from the reference", () => {
  it.each(loadGolden<ProviderCase>("provider").map((c) => [c.id, c] as const))("%s", (_id, c) => {
    expect(parseResponse(c)).toEqual(c.expect);
  });
});

describe("provider responses where the reference crashes (deviations.jsonl)", () => {
  it.each(deviations("provider").map((d) => [d.id, d] as const))("%s returns an action", (_id, d) => {
    const c = d as unknown as ProviderCase;
    const action = parseResponse(c);
    if (!raised(d)) expect(action).toEqual(d.reference);
    expect(action.role).toBe(c.role);
  });

  it("reads object arguments as the arguments", () => {
    const response = { choices: [{ message: { tool_calls: [{ function: { arguments: { action_type: "restart", target: "db" } } }] } }] };
    expect(parseOpenAIResponse(response, { role: "sre" })).toEqual({ role: "sre", action_type: "restart", target: "db", args: {} });
  });

  it("gives the fallback for arguments that are neither a string nor an object", () => {
    const response = { choices: [{ message: { tool_calls: [{ function: { arguments: [1, 2] } }], content: '{"action_type":"restart"}' } }] };
    expect(parseOpenAIResponse(response, { role: "sre" }).action_type).toBe("noop");
  });

  it.each([null, undefined, 5, "text", [], {}, { choices: 3 }, { choices: { 0: {} } }, { choices: [null] }, { choices: [{ message: 7 }] }, { content: 5 }, { content: "abc" }, { content: [null, 3, "x"] }])(
    "never throws on the malformed response %j",
    (response) => {
      expect(parseOpenAIResponse(response, { role: "dev" })).toEqual({ role: "dev", action_type: "noop", target: null, args: {} });
      expect(parseAnthropicResponse(response, { role: "dev" })).toEqual({ role: "dev", action_type: "noop", target: null, args: {} });
    },
  );

  it("reads SDK-style class instances and getters", () => {
    class Message {
      get tool_calls() {
        return [{ function: { name: "chaosops_action", arguments: ' {"action_type": "scale", "target": "auth", "args": {"replicas": "4"}} ' } }];
      }
    }
    const response = { choices: [{ index: 0, message: new Message() }] };
    expect(parseOpenAIResponse(response, { role: "sre" })).toEqual({ role: "sre", action_type: "scale", target: "auth", args: { replicas: 4 } });
  });

  it("keeps a float target's Python text from tool-call arguments", () => {
    const response = { choices: [{ message: { tool_calls: [{ function: { arguments: '{"action_type": "escalate", "target": 2.50}' } }] } }] };
    expect(parseOpenAIResponse(response, { role: "sre" }).target).toBe("2.5");
  });

  it("skips whitespace-only arguments (Python's whitespace) and reads the next call", () => {
    const response = {
      choices: [{ message: { tool_calls: [{ function: { arguments: "\x1c\x85 " } }, { function: { arguments: '{"action_type":"resolve"}' } }] } }],
    };
    expect(parseOpenAIResponse(response, { role: "sre" }).action_type).toBe("resolve");
  });

  // Found by differential fuzzing: the copy of a tool_use input assigned `__proto__` (an own
  // key once JSON.parse has built the input) as the copy's prototype.
  it("keeps a `__proto__` key of a tool_use input as a key, at every level", () => {
    const input = JSON.parse('{"action_type":"restart","args":{"__proto__":1,"m":{"__proto__":{"x":1}}}}') as object;
    const { args } = parseAnthropicResponse({ content: [{ type: "tool_use", name: "act", input }] }, { role: "dev" });
    expect(Object.hasOwn(args, "__proto__")).toBe(true);
    expect(JSON.stringify(args)).toBe('{"__proto__":1,"m":{"__proto__":{"x":1}}}');
    const m = args.m as object;
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect((m as { x?: unknown }).x).toBeUndefined();
  });

  // Differential fuzzing: str() of a non-string text is Python 3.11's repr, which escapes a
  // character newer than Unicode 14.0 (`\U0001fa75`), and that escape is no JSON.
  it("reads a non-string text through repr() of Unicode 14.0", () => {
    const text = (target: string) => parseAnthropicResponse({ content: [{ type: "text", text: [`{"action_type": "restart", "target": "${target}"}`] }] }, { role: "dev" });
    expect(text("\u{1fa75}").action_type).toBe("noop");
    expect(text("\u{1f600}")).toEqual({ role: "dev", action_type: "restart", target: "\u{1f600}", args: {} });
    const content = { choices: [{ message: { content: ['{"action_type": "restart", "target": "\u{1fae8}"}'] } }] };
    expect(parseOpenAIResponse(content, { role: "dev" }).action_type).toBe("noop");
  });

  it("joins Anthropic text blocks with newlines and lets the first object tool_use decide", () => {
    const text = { content: [{ type: "text", text: '{"action_type":' }, { type: "text", text: '"rollback"}' }] };
    expect(parseAnthropicResponse(text, { role: "dev" }).action_type).toBe("rollback");
    const tool = { content: [{ type: "tool_use", input: "not an object" }, { type: "tool_use", input: { action_type: "resolve" } }] };
    expect(parseAnthropicResponse(tool, { role: "dev" }).action_type).toBe("resolve");
  });
});
