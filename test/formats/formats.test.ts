import { describe, expect, it } from "vitest";
import { OutputFormat, blankSpans, planFor, resolveFormats, toolCallArguments, decodeLenient } from "../../src/formats/formats.js";
import { readNative } from "../../src/formats/native.js";
import { parseAction } from "../../src/parsing/parse-action.js";

const lenient = { role: "sre", formats: "lenient" } as const;

describe("formats: tool calls", () => {
  it.each([
    ['<tool_call>\n{"name": "chaosops_action", "arguments": {"action_type": "restart", "target": "db"}}\n</tool_call>', "restart", "db"],
    ['<tool_call>{"name": "act", "arguments": "{\\"action_type\\": \\"scale\\", \\"target\\": \\"auth\\", \\"args\\": {\\"replicas\\": 3}}"}</tool_call>', "scale", "auth"],
    ['{"name": "chaosops_action", "parameters": {"action_type": "rollback", "target": "payments"}}', "rollback", "payments"],
    ['{"type": "function", "function": {"name": "chaosops_action", "arguments": "{\\"action_type\\": \\"flag_rogue\\", \\"target\\": \\"deploy_bot\\"}"}}', "flag_rogue", "deploy_bot"],
    ['{"type": "tool_use", "id": "t1", "name": "chaosops_action", "input": {"action_type": "resolve"}}', "resolve", null],
    ['Calling the tool.\n<tool_call>\n{"name": "chaosops_action", "arguments": {"action_type": "escalate"}}\n</tool_call>\nDone.', "escalate", null],
  ])("recovers the action from %j", (raw, type, target) => {
    const action = parseAction(raw, { role: "sre", formats: [OutputFormat.TOOL_CALL] });
    expect(action.action_type).toBe(type);
    expect(action.target).toBe(target);
  });

  it("prefers the tool call over JSON examples in the chatter before it", () => {
    const raw = 'For example {"action_type": "noop"}. <tool_call>{"name": "a", "arguments": {"action_type": "restart", "target": "db"}}</tool_call>';
    expect(parseAction(raw, lenient).action_type).toBe("restart");
    expect(parseAction(raw, { role: "sre" }).action_type).toBe("noop");
  });

  it("leaves an object that is already an action alone", () => {
    expect(toolCallArguments({ action_type: "restart", name: "x", arguments: {} })).toBeUndefined();
    expect(toolCallArguments({ name: "x", arguments: 5 })).toBeUndefined();
  });
});

describe("formats: reasoning blocks", () => {
  it("never takes the action from inside <think>", () => {
    const raw = '<think>Maybe {"action_type": "noop"}? No.</think>\n{"action_type": "restart", "target": "db"}';
    expect(parseAction(raw, lenient).action_type).toBe("restart");
    expect(parseAction(raw, { role: "sre" }).action_type).toBe("noop");
  });

  it("treats an unterminated <think> at the start as reasoning to the end", () => {
    expect(parseAction('<think>I could {"action_type": "restart"}', lenient).action_type).toBe("noop");
  });

  // A model that opens its call without closing its reasoning (Qwen3-Coder, Kimi K2) writes
  // the call last: a call with more reasoning after it is a draft (a red-team find).
  const draft = '<tool_call>{"name": "rollback", "arguments": {"target": "auth"}}</tool_call>';
  const final = '<tool_call>{"name": "restart", "arguments": {"target": "db"}}</tool_call>';
  it.each([
    ["more reasoning after it, cut off", `<think>Maybe ${draft}? No, that is wrong. The real problem is`, "noop"],
    ["more reasoning after it, in Qwen3-Coder's nested syntax", "<think>Maybe <tool_call><function=rollback><parameter=target>auth</parameter></function></tool_call> but first", "noop"],
    ["a JSON answer after it, reasoning never closed", `<think>Maybe ${draft}, no: {"action_type": "restart", "target": "db"}`, "noop"],
    ["only end-of-turn tokens after it", `<think>So: ${final}<|im_end|></s>`, "restart"],
    ["the next call right after it", `<think>So: ${final}\n${draft}`, "restart"],
    ["more reasoning, then the call that ends it", `<think>Maybe ${draft}? No. Then: ${final}`, "restart"],
    ["the call cut off at the end", '<think>So: <tool_call>{"name": "restart", "arguments": {"target": "db"', "restart"],
    ["Qwen3-Coder's call last", "<think>ok <tool_call><function=restart><parameter=target>db</parameter></function></tool_call>", "restart"],
    // A second red team's finds: what follows a run of calls decides for all of them.
    ["two drafts, then more reasoning", `<think>Maybe ${draft}${final} no`, "noop"],
    ["a draft, then an opener no call follows, then more reasoning", `<think>Maybe ${draft}<tool_call>no, wrong`, "noop"],
    ["the same, then the call that ends it", `<think>Maybe ${draft}<tool_call>no, wrong. Final: ${final}`, "restart"],
    ["invisible characters after it (a zero-width space, an emoji's variation selector and joiners)", `<think>So: ${final}\u200b ✔️ 👨‍👩‍👧`, "restart"],
    ["a next turn the model made up after its end-of-turn token", `<think>So: ${final}<|im_end|>\n<|im_start|>user\n`, "restart"],
    ["Mistral's end of sequence, then [INST]", '[THINK]So: [TOOL_CALLS]restart[ARGS]{"target": "db"}</s>[INST]', "restart"],
  ])("reads a call in reasoning that never closes as a draft unless it is the last word: %s", (_name, raw, type) => {
    expect(parseAction(raw, lenient).action_type).toBe(type);
  });

  it("treats everything before a lone </think> as reasoning", () => {
    expect(parseAction('draft {"action_type": "noop"}</think>{"action_type": "resolve"}', lenient).action_type).toBe("resolve");
  });

  it("keeps offsets by blanking with spaces", () => {
    const text = 'a<think>{"x":1}</think>b';
    const dialect = { python: false, relaxed: false, truncated: false };
    expect(blankSpans(text, readNative(text, dialect, true, false).reasoning)).toBe(`a${" ".repeat(22)}b`);
    expect(readNative("no tags", dialect, true, false).reasoning).toEqual([]);
  });
});

describe("formats: Python literals and relaxed JSON", () => {
  it("reads Python dicts", () => {
    const raw = "{'action_type': 'flag_rogue', 'target': 'autoscaler', 'args': {'confident': True, 'note': None, 'why': 'it\\'s scaling down'}}";
    expect(parseAction(raw, { role: "oversight", formats: [OutputFormat.PYTHON] })).toEqual({
      role: "oversight",
      action_type: "flag_rogue",
      target: "autoscaler",
      args: { confident: true, why: "it's scaling down" },
    });
  });

  it("reads trailing commas, comments and unquoted keys", () => {
    const raw = '{action_type: "scale", // grow it\n target: "db", /* four */ args: {replicas: 4,},}';
    expect(parseAction(raw, { role: "sre", formats: [OutputFormat.RELAXED] })).toEqual({ role: "sre", action_type: "scale", target: "db", args: { replicas: 4 } });
  });

  it("does not read a dialect that was not asked for", () => {
    expect(parseAction("{'action_type': 'restart'}", { role: "sre", formats: [OutputFormat.RELAXED] }).action_type).toBe("noop");
    expect(parseAction('{"action_type": "restart",}', { role: "sre", formats: [OutputFormat.PYTHON] }).action_type).toBe("noop");
  });

  it("gives up on candidates nested deeper than the lenient grammar recurses", () => {
    const deep = `{'args': ${"[".repeat(5000)}${"]".repeat(5000)}}`;
    expect(decodeLenient(deep, 0, deep.length, { python: true, relaxed: true, truncated: false }).ok).toBe(false);
  });
});

describe("formats: truncated output", () => {
  it("closes an object cut off after complete values", () => {
    const raw = 'Sure: {"action_type": "scale", "target": "payments", "args": {"replicas": 5, "reason": "load is hi';
    expect(parseAction(raw, lenient)).toEqual({ role: "sre", action_type: "scale", target: "payments", args: { replicas: 5 } });
  });

  it("does not trust a number the cut may have shortened", () => {
    expect(parseAction('{"action_type": "scale", "target": "db", "args": {"replicas": 12', lenient).args).toEqual({});
  });

  it("finds a complete action inside blocks that never close", () => {
    for (const junk of ["{".repeat(50), "```{ ".repeat(20), '{"'.repeat(30)]) {
      expect(parseAction(`${junk}\nNow: {"action_type": "restart", "target": "db"}`, lenient)).toEqual({ role: "sre", action_type: "restart", target: "db", args: {} });
    }
  });

  it("does not take a cut-off block with nothing complete in it", () => {
    expect(parseAction('{ "note": "cut', lenient).action_type).toBe("noop");
  });

  it("uses a complete object before the cut one", () => {
    expect(parseAction('{"action_type": "resolve"} {"action_type": "scale", "tar', lenient).action_type).toBe("resolve");
  });
});

describe("formats: action lines", () => {
  it("reads [ACTION] lines as a last resort", () => {
    expect(parseAction("Plan.\n[ACTION] scale payments replicas=4\n", lenient)).toEqual({
      role: "sre",
      action_type: "scale",
      target: "payments",
      args: { replicas: 4 },
    });
    expect(parseAction('[ACTION] restart db\n{"action_type": "resolve"}', lenient).action_type).toBe("resolve");
  });
});

describe("resolveFormats", () => {
  // Regression (issue 11): the plan cache was keyed by the sorted names, so after `[]`
  // had been planned, `[null]` (whose key is also "") was accepted unchecked.
  it("checks the option on a plan-cache hit too", () => {
    planFor([], "t");
    expect(() => planFor([null as never], "t")).toThrow(/unknown format "null"/);
    // Values whose own text throws or nests past the stack are named by their kind (red-team finds).
    expect(() => planFor([Object.create(null) as never], "t")).toThrow(/unknown format \(an object\)/);
    const deep: unknown[] = [];
    let inner = deep;
    for (let i = 0; i < 100_000; i++) inner = inner[0] = [] as unknown[];
    expect(() => planFor([deep as never], "t")).toThrow(/unknown format \(a list\)/);
    planFor(["python"], "t");
    expect(() => planFor(["python", "yaml" as never], "t")).toThrow(TypeError);
  });

  it("knows every format by name and rejects unknown ones", () => {
    expect(resolveFormats("lenient", "t").size).toBe(Object.values(OutputFormat).length);
    expect(resolveFormats(undefined, "t").size).toBe(0);
    expect(() => resolveFormats(["yaml" as never], "t")).toThrow(/unknown format "yaml"/);
    expect(() => resolveFormats("strict" as never, "t")).toThrow(TypeError);
  });
});
