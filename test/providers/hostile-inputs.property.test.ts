// Response objects, stream chunks and thrown values nobody here made: throwing getters,
// Proxies whose traps throw, revoked Proxies, values that contain themselves, deep nesting.
// The provider layer reads what it can and treats the rest as absent; it never throws.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAnthropicResponse, parseOpenAIResponse } from "../../src/providers/providers.js";
import { actionFromAnthropicStream, actionFromOpenAIStream } from "../../src/providers/provider-streams.js";
import { plainCopy } from "../../src/providers/readable.js";
import { isAgentRole } from "../../src/model/enums.js";

/** A Proxy whose every trap throws. */
function throwingProxy(): object {
  const fail = () => {
    throw new Error("trap");
  };
  return new Proxy({}, { get: fail, has: fail, ownKeys: fail, getPrototypeOf: fail, getOwnPropertyDescriptor: fail, apply: fail });
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** An object whose `key` getter throws. */
function throwingGetter(key: string): object {
  return Object.defineProperty({}, key, { enumerable: true, get: () => { throw new Error(`getter ${key}`); } });
}

function cyclic(): object {
  const value: Record<string, unknown> = { action_type: "restart", target: "db" };
  value.args = value;
  value.self = [value];
  return value;
}

function deep(depth: number): unknown {
  let value: unknown = { action_type: "noop" };
  for (let i = 0; i < depth; i++) value = i % 2 ? { args: value } : [value];
  return value;
}

/** An object graph whose members are shared: 2^depth paths through `depth` objects. */
function shared(depth: number): unknown {
  let value: unknown = { action_type: "noop" };
  for (let i = 0; i < depth; i++) value = { args: value, list: [value] };
  return value;
}

const HOSTILE: Record<string, () => unknown> = {
  "throwing proxy": throwingProxy,
  "revoked proxy": revokedProxy,
  "throwing getter": () => throwingGetter("choices"),
  cycle: cyclic,
  "cyclic list": () => {
    const list: unknown[] = [];
    list.push(list);
    return list;
  },
  deep: () => deep(12_000),
  map: () => new Map<unknown, unknown>([["action_type", "restart"], [Symbol("s"), 1], ["args", cyclic()]]),
  function: () => () => 1,
  symbol: () => Symbol("x"),
};

const KEYS = ["choices", "message", "delta", "content", "tool_calls", "function", "arguments", "type", "text", "input", "args", "target", "action_type", "index", "partial_json", "content_block"];

/**
 * A recipe for a response-like tree with hostile values and throwing getters put
 * anywhere; built inside the property (fast-check itself cannot hold a revoked Proxy).
 */
type Recipe = { hostile: string } | { list: Recipe[] } | { record: [string, Recipe][]; throwing?: string } | { scalar: unknown };

const recipe: fc.Arbitrary<Recipe> = fc.letrec<{ node: Recipe; list: Recipe; record: Recipe }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(...Object.keys(HOSTILE)).map((hostile) => ({ hostile })),
    fc.constantFrom("tool_use", "text", "function", '{"action_type": "restart"}', "{'action_type': 'scale'}", "", " ", null, 0, 1, true).map((scalar) => ({ scalar })),
    tie("list"),
    tie("record"),
  ),
  list: fc.array(tie("node"), { maxLength: 3 }).map((list) => ({ list })),
  record: fc
    .tuple(fc.array(fc.tuple(fc.constantFrom(...KEYS), tie("node")), { maxLength: 4 }), fc.option(fc.constantFrom(...KEYS), { nil: undefined }))
    .map(([record, throwing]) => (throwing === undefined ? { record } : { record, throwing })),
})).node;

function build(r: Recipe): unknown {
  if ("hostile" in r) return HOSTILE[r.hostile]!();
  if ("scalar" in r) return r.scalar;
  if ("list" in r) return r.list.map(build);
  const out: Record<string, unknown> = {};
  for (const [key, value] of r.record) out[key] = build(value);
  const throwing = r.throwing;
  if (throwing !== undefined) Object.defineProperty(out, throwing, { enumerable: true, get: () => { throw new Error(throwing); } });
  return out;
}

/** An async iterable of the items as they are (an async generator would await each, touching `then`). */
function from(items: readonly unknown[]): AsyncIterable<unknown> {
  return {
    [Symbol.asyncIterator]: () => {
      let i = 0;
      return { next: () => Promise.resolve(i < items.length ? { done: false, value: items[i++] } : { done: true, value: undefined }) };
    },
  };
}

describe("response parsers never throw on any response object", () => {
  it("regression: throwing getters, Proxies (throwing and revoked) and cycles at every place the reference reads", () => {
    const values = [throwingProxy(), revokedProxy(), cyclic(), throwingGetter("choices"), throwingGetter("content"), deep(20_000)];
    for (const v of values) {
      const responses = [
        v,
        { choices: v },
        { choices: [v] },
        { choices: [{ message: v }] },
        { choices: [{ message: { tool_calls: [v] } }] },
        { choices: [{ message: { tool_calls: [{ function: { arguments: v } }] } }] },
        { choices: [{ message: { content: v } }] },
        { choices: [{ message: { content: [{ type: "text", text: v }] } }] },
        { content: [v] },
        { content: [{ type: "tool_use", input: v }] },
        { content: [{ type: "text", text: v }] },
      ];
      for (const response of responses) {
        expect(parseOpenAIResponse(response, { role: "sre" }).role).toBe("sre");
        expect(parseAnthropicResponse(response, { role: "dev" }).role).toBe("dev");
      }
    }
  });

  it("regression: a cyclic input keeps what can be read and drops the cycle", () => {
    const input = cyclic();
    expect(parseAnthropicResponse({ content: [{ type: "tool_use", input }] }, { role: "sre" })).toEqual({ role: "sre", action_type: "restart", target: "db", args: {} });
    const args = { action_type: "scale", target: "auth", args: { replicas: 3 } as Record<string, unknown> };
    args.args.loop = args.args;
    const response = { choices: [{ message: { tool_calls: [{ function: { arguments: args } }] } }] };
    expect(parseOpenAIResponse(response, { role: "sre" })).toEqual({ role: "sre", action_type: "scale", target: "auth", args: { replicas: 3 } });
  });

  it("regression: a throwing tool call is skipped as absent and the content decides", () => {
    const response = { choices: [{ message: { tool_calls: [throwingGetter("function")], content: '{"action_type": "escalate"}' } }] };
    expect(parseOpenAIResponse(response, { role: "manager" }).action_type).toBe("escalate");
  });

  it("holds for random trees of hostile parts", () => {
    fc.assert(
      fc.property(recipe, (r) => {
        const response = build(r);
        for (const parse of [parseOpenAIResponse, parseAnthropicResponse]) {
          for (const formats of [undefined, "lenient" as const]) {
            expect(isAgentRole(parse(response, { role: "oversight", ...(formats ? { formats } : {}) }).role)).toBe(true);
          }
        }
      }),
    );
  });

  it("copies what can be read, without recursion, at any depth", () => {
    const copied = plainCopy({ args: deep(50_000) }) as { args: unknown };
    expect(typeof copied.args).toBe("object");
  });

  it("regression: shared members do not unfold into exponentially many (the copy is bounded)", () => {
    const response = { content: [{ type: "tool_use", input: { action_type: "restart", args: shared(64) } }] };
    expect(parseAnthropicResponse(response, { role: "sre" }).action_type).toBe("restart");
    expect(parseOpenAIResponse({ choices: [{ message: { content: shared(64) } }] }, { role: "sre" }).role).toBe("sre");
  });
});

describe("stream helpers never reject on hostile chunks", () => {
  it("holds for random chunks of hostile parts", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recipe, { maxLength: 6 }), async (recipes) => {
        expect((await actionFromOpenAIStream(from(recipes.map(build)), { role: "sre" })).role).toBe("sre");
        expect((await actionFromAnthropicStream(from(recipes.map(build)), { role: "sre", formats: "lenient" })).role).toBe("sre");
      }),
      { numRuns: Math.min(100, Number(process.env.FUZZ_RUNS ?? 100)) },
    );
  });

  it("regression: a tool-call index whose valueOf throws reads as index 0", async () => {
    const index = { valueOf: () => { throw new Error("valueOf"); } };
    const chunks = [{ choices: [{ delta: { tool_calls: [{ index, function: { arguments: '{"action_type": "resolve"}' } }] } }] }];
    expect((await actionFromOpenAIStream(from(chunks), { role: "manager" })).action_type).toBe("resolve");
  });
});
