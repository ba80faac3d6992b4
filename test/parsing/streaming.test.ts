import { describe, expect, it } from "vitest";
import { locateAction, parseAction } from "../../src/parsing/parse-action.js";
import { resolveOptions } from "../../src/parsing/parse-options.js";
import { StreamingActionParser, parseStreamingAction } from "../../src/parsing/streaming.js";
import { CandidateKind, listCandidates } from "../../src/scanning/candidates.js";
import { ActionType, type AgentRole } from "../../src/model/enums.js";
import { loadGolden, type ParseCase } from "../support/golden.js";
import { cut, implementations, streamChunks } from "../support/implementations.js";


const cases = loadGolden<ParseCase>("parse");

/** Whether batch took the whole text or the first balanced block: the cases the stream must match. */
function batchTakesFirstObject(c: ParseCase): boolean {
  const { candidate, text } = locateAction(c.raw, resolveOptions(c, "test"));
  if (candidate?.kind === CandidateKind.WHOLE) return true;
  if (candidate?.kind !== CandidateKind.BALANCED) return false;
  const first = listCandidates(text).find((span) => span.kind === CandidateKind.BALANCED);
  return first?.start === candidate.start;
}

describe.each(implementations)("golden parse cases through the %s", (_name, run) => {
  it("give the same result for every chunking, agreeing with batch where batch takes the first object or nothing finishes", () => {
    for (const c of cases) {
      const options = { role: c.role, fallback: c.fallback };
      const result = run(c.raw, options);
      expect(result).toEqual(streamChunks([c.raw], options));
      if (!result.finished || batchTakesFirstObject(c)) expect(result.action, c.id).toEqual(c.expect);
    }
  });
});

function parseActionOf(text: string) {
  return locateAction(text, resolveOptions({ role: "sre" }, "test")).action;
}

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

describe("StreamingActionParser", () => {
  const sre = { role: "sre" } as const;

  it("skips junk braces in chatter that batch parsing also skips", () => {
    const text = 'Here is {my} plan: {"action_type":"restart","target":"db"}';
    const result = streamChunks(cut(text, 3), sre);
    expect(result.finished).toBe(true);
    expect(result.action).toEqual({ role: "sre", action_type: "restart", target: "db", args: {} });
  });

  it("tracks strings before the first object, so a quoted brace does not open a block", () => {
    const text = 'He said "use {" then {"action_type":"scale","target":"auth","args":{"replicas":"3"}}';
    expect(streamChunks(cut(text, 2), sre).action).toEqual({ role: "sre", action_type: "scale", target: "auth", args: { replicas: 3 } });
  });

  it("handles braces and escaped quotes inside strings", () => {
    const text = '{"action_type":"communicate","args":{"message":"a } and \\" and {"}}';
    const result = streamChunks(text, sre);
    expect(result.finished).toBe(true);
    expect(result.action.args).toEqual({ message: 'a } and " and {' });
  });

  it("returns true from feed when the object closes and ignores later chunks", () => {
    const parser = new StreamingActionParser(sre);
    expect(parser.feed('{"action_type": "resol')).toBe(false);
    expect(parser.finished).toBe(false);
    expect(parser.feed('ve"} trailing {"action_type":"noop"}')).toBe(true);
    expect(parser.feed('{"action_type":"restart"}')).toBe(true);
    expect(parser.action().action_type).toBe(ActionType.RESOLVE);
    expect(parser.raw).toBe('{"action_type": "resolve"}');
  });

  it("before finishing answers as batch parsing does, fenced and bare blocks included", () => {
    const parser = new StreamingActionParser(sre);
    parser.feed('"{"action_type":"escalate"}');
    expect(parser.finished).toBe(false);
    expect(parser.action().action_type).toBe(ActionType.ESCALATE);
  });

  it("gives the fallback while nothing has been seen", () => {
    const parser = new StreamingActionParser({ role: "dev", fallback: ActionType.ESCALATE });
    parser.feed("thinking...");
    expect(parser.action()).toEqual({ role: "dev", action_type: "escalate", target: null, args: {} });
    expect(parser.raw).toBe("");
  });

  it("keeps the open block as raw, not the chatter before it", () => {
    const parser = new StreamingActionParser(sre);
    parser.feed("chatter ".repeat(100));
    parser.feed('{"action_type": ');
    expect(parser.raw).toBe('{"action_type": ');
  });

  it("ignores empty chunks, and null or undefined (a delta without content)", () => {
    const parser = new StreamingActionParser(sre);
    expect(parser.feed("")).toBe(false);
    expect(parser.feed(undefined)).toBe(false);
    expect(parser.feed(null)).toBe(false);
    expect(parser.finished).toBe(false);
  });

  it("bytes-chunk: reads Buffer and Uint8Array chunks as UTF-8, a character split across chunks included (once silently the fallback)", () => {
    const text = '{"action_type": "communicate", "args": {"message": "café 😀 ok"}}';
    const bytes = new TextEncoder().encode(text);
    for (const size of [1, 2, 3, 5, 64]) {
      const parser = new StreamingActionParser(sre);
      for (let i = 0; i < bytes.length; i += size) parser.feed(i % 2 === 0 ? Buffer.from(bytes.subarray(i, i + size)) : bytes.subarray(i, i + size));
      expect(parser.finished).toBe(true);
      expect(parser.action().args).toEqual({ message: "café 😀 ok" });
    }
  });

  it("bytes-chunk: text after an incomplete byte sequence reads it as U+FFFD, as one decode would", () => {
    const parser = new StreamingActionParser(sre);
    parser.feed('{"action_type": "communicate", "args": {"message": "');
    parser.feed(new Uint8Array([0xc3]));
    parser.feed('x"}}');
    expect(parser.action().args).toEqual({ message: "\ufffdx" });
  });

  // A red-team session found U+FEFF dropped where a run of byte chunks began: the decoder took it for a byte order mark.
  it.each([
    ["after text", ['{"action_type": "noop", "target": "', enc('\ufeffdb"}')], "\ufeffdb"],
    ["bytes, text, then bytes", [enc('{"action_type": '), '"noop", "target": ["', enc('\ufeffdb"]}')], "['\\ufeffdb']"],
    ["at the start of the stream", [enc('\ufeff{"action_type": "noop", "target": "db"}')], "db"],
  ])("bytes-chunk: U+FEFF at the start of a byte chunk is a character, as in parseAction (%s)", (_name, chunks, target) => {
    for (const options of [sre, { ...sre, formats: "lenient" as const }]) {
      const parser = new StreamingActionParser(options);
      for (const chunk of chunks) parser.feed(chunk);
      const text = chunks.map((chunk) => (typeof chunk === "string" ? chunk : new TextDecoder("utf-8", { ignoreBOM: true }).decode(chunk))).join("");
      expect(parser.action()).toEqual(parseAction(text, options));
      expect(parser.action().target).toBe(target);
      expect(parseStreamingAction(chunks, options)).toEqual(parseAction(text, options));
    }
  });

  it("bytes-chunk: parseStreamingAction takes byte chunks too", () => {
    const bytes = new TextEncoder().encode('ok {"action_type": "resolve", "target": "db"}');
    expect(parseStreamingAction([bytes.subarray(0, 10), bytes.subarray(10)], sre).action_type).toBe("resolve");
  });

  it.each([42, true, {}, ["{"], Symbol("x"), () => "{"])("non-string-chunk: %s is a TypeError at feed", (chunk) => {
    const parser = new StreamingActionParser(sre);
    expect(() => parser.feed(chunk as unknown as string)).toThrow(TypeError);
    expect(() => parser.feed(chunk as unknown as string)).toThrow(/string or UTF-8 bytes/);
  });

  it("stream-vs-batch: a fenced block hidden from the balanced scanner by a quote in chatter is taken, as batch takes it", () => {
    const text = 'He said "hi ```json {"action_type": "escalate"}``` and then "{"action_type": "restart"}';
    for (const size of [1, 4, 16, text.length]) {
      const result = streamChunks(cut(text, size), sre);
      expect(result.finished).toBe(true);
      expect(result.action.action_type).toBe("escalate");
    }
  });

  it("stream-vs-batch: a fenced block inside a balanced block that does not decode is taken before a later object", () => {
    const text = '{"a":```{"action_type": "escalate"}```}{"action_type": "restart"}';
    const result = streamChunks(cut(text, 3), sre);
    expect(result).toEqual({ finished: true, action: { role: "sre", action_type: "escalate", target: null, args: {} } });
  });

  it("stream-vs-batch: an object that starts the text is taken even with a fenced object inside it", () => {
    const text = '{"action_type": "restart", "note": "```{}```"}';
    expect(streamChunks(cut(text, 5), sre).action.action_type).toBe("restart");
  });

  it("stream-memory: a long block that cannot decode is dropped; the next object still finishes, and detail keeps its first 1,024 characters", () => {
    const junk = `{ not json ${"x".repeat(200_000)} }`;
    const parser = new StreamingActionParser(sre);
    for (const chunk of cut(`${junk} {"action_type": "rollback", "target": "auth"}`, 1000)) parser.feed(chunk);
    expect(parser.action()).toEqual({ role: "sre", action_type: "rollback", target: "auth", args: {} });
    const [rejected] = parser.detail().rejected;
    expect(rejected?.text).toBe(junk.slice(0, 1024));
    expect(rejected?.end).toBe(junk.length);
  });

  it("stream-memory: raw is empty while the open block cannot decode, and the open object while it can", () => {
    const parser = new StreamingActionParser(sre);
    parser.feed(`{ junk ${"x".repeat(10_000)}`);
    parser.feed("x");
    expect(parser.raw).toBe("");
    const open = `{"action_type": "restart", "target": "${"d".repeat(10_000)}`;
    const other = new StreamingActionParser(sre);
    for (const chunk of cut(open, 100)) other.feed(chunk);
    expect(other.raw).toBe(open);
  });

  it("stream-memory: a long fenced block that cannot decode is passed over, and a later fenced object found", () => {
    const text = `\`\`\`json {${"q".repeat(20_000)}} \`\`\` then \`\`\`json {"action_type": "resolve"} \`\`\``;
    expect(parseActionOf(text).action_type).toBe("resolve");
    for (const size of [7, 4096]) expect(streamChunks(cut(text, size), sre)).toEqual({ finished: true, action: parseActionOf(text) });
  });

  it("rejects options without a known role", () => {
    expect(() => new StreamingActionParser({ role: "ceo" as AgentRole })).toThrow(/options.role/);
  });
});

describe("parseStreamingAction", () => {
  it("consumes a sync iterable and stops at the object", () => {
    let pulled = 0;
    function* tokens() {
      for (const t of ['{"action_type":', '"rollback"}', " more", " text"]) {
        pulled++;
        yield t;
      }
    }
    expect(parseStreamingAction(tokens(), { role: "dev" }).action_type).toBe("rollback");
    expect(pulled).toBe(2);
  });

  it("consumes an async iterable, closing it early", async () => {
    let closed = false;
    async function* tokens() {
      try {
        yield "Sure: ";
        yield '{"action_type":"flag_rogue","target":"deploy_bot"}';
        yield "never read";
      } finally {
        closed = true;
      }
    }
    const action = await parseStreamingAction(tokens(), { role: "oversight" });
    expect(action).toEqual({ role: "oversight", action_type: "flag_rogue", target: "deploy_bot", args: {} });
    expect(closed).toBe(true);
  });

  it("rejects something that is not iterable", () => {
    expect(() => parseStreamingAction(42 as unknown as string[], { role: "dev" })).toThrow(TypeError);
  });
});

describe("StreamingActionParser.detail", () => {
  it("reports the block taken and the blocks passed over, with offsets over everything fed", () => {
    const parser = new StreamingActionParser({ role: "sre" });
    for (const chunk of cut('Plan {a} then {"action_type": "scale", "target": "mainframe", "args": {"replicas": -1}}', 5)) parser.feed(chunk);
    const detail = parser.detail();
    expect(detail.candidate).toEqual({
      kind: "balanced",
      format: "json",
      start: 14,
      end: 87,
      text: '{"action_type": "scale", "target": "mainframe", "args": {"replicas": -1}}',
    });
    expect(detail.rejected).toEqual([{ kind: "balanced", start: 5, end: 8, text: "{a}", reason: "not valid JSON" }]);
    expect(detail.warnings.map((w) => w.code)).toEqual(["negative_replicas", "unknown_target"]);
    expect(detail.fallbackUsed).toBe(false);
  });

  it("counts a flood of junk blocks without keeping them all", () => {
    const parser = new StreamingActionParser({ role: "sre" });
    parser.feed("{x}".repeat(1000));
    expect(parser.rejectedBlocks).toBe(1000);
    expect(parser.detail().rejected).toHaveLength(100);
    expect(parser.detail().fallbackUsed).toBe(true);
  });
});

describe("StreamingActionParser with formats", () => {
  const lenient = { role: "sre", formats: "lenient" } as const;

  it("unwraps a tool-call envelope, finishing as the call closes when reasoning closed before it", () => {
    const text = '<think>plan</think><tool_call>\n{"name": "chaosops_action", "arguments": {"action_type": "restart", "target": "db"}}\n</tool_call> more';
    const parser = new StreamingActionParser(lenient);
    let closedAt = -1;
    cut(text, 5).forEach((chunk, i) => {
      if (parser.feed(chunk) && closedAt < 0) closedAt = i;
    });
    expect(parser.action()).toEqual({ role: "sre", action_type: "restart", target: "db", args: {} });
    expect(parser.detail().candidate?.format).toBe("tool_call");
    expect(closedAt).toBeGreaterThanOrEqual(0);
    expect(closedAt).toBeLessThan(cut(text, 5).length - 1);
  });

  it("does not finish on a call with no reasoning before it: a later </think> would make it a draft", () => {
    const draft = '<tool_call>{"name": "restart", "arguments": {"target": "db"}}</tool_call>';
    const parser = new StreamingActionParser(lenient);
    expect(parser.feed(draft)).toBe(false);
    expect(parser.action().action_type).toBe("restart");
    parser.feed(' no.</think><tool_call>{"name": "resolve", "arguments": {}}</tool_call>');
    expect(parser.action().action_type).toBe("resolve");
  });

  it.each([
    ["whole", ["</think>"]],
    ["cut in two", ["</thi", "nk>"]],
    ["a character a chunk", [..."</think>"]],
  ])("finishes on the call after a closing tag of reasoning that came %s (nothing is read before one)", (_name, close) => {
    const parser = new StreamingActionParser(lenient);
    expect(parser.feed('<think>maybe <tool_call>{"name": "rollback", "arguments": {}}</tool_call>')).toBe(false);
    for (const chunk of close) expect(parser.feed(chunk)).toBe(false);
    expect(parser.feed('<tool_call>{"name": "restart", "arguments": {"target": "db"}}</tool_call>')).toBe(true);
    expect(parser.action()).toEqual({ role: "sre", action_type: "restart", target: "db", args: {} });
  });

  it("reads a Python dict block, and leaves it alone without formats", () => {
    const text = "Sure: {'action_type': 'scale', 'target': 'auth', 'args': {'replicas': 3, 'urgent': True}}";
    expect(streamChunks(cut(text, 4), lenient).action).toEqual({ role: "sre", action_type: "scale", target: "auth", args: { replicas: 3, urgent: true } });
    expect(streamChunks(cut(text, 4), { role: "sre" }).finished).toBe(false);
  });

  it("gives the same result however the text is cut", () => {
    const text = 'x {junk} {"name": "a", "arguments": "{\\"action_type\\": \\"resolve\\"}"} {"action_type": "noop"}';
    const whole = streamChunks([text], lenient);
    expect(whole.action.action_type).toBe("resolve");
    for (const size of [1, 3, 7]) expect(streamChunks(cut(text, size), lenient)).toEqual(whole);
  });
});
