// generateActionWithRetry in front of the real SDK clients, against a loopback server
// that fails the way providers fail: 429 with Retry-After, 5xx, 4xx, a hung request.
import { describe, expect, it } from "vitest";
import { generateActionWithRetry, type AttemptReport, type GenerateFn } from "../../src/providers/retry.js";
import type { Reply } from "../support/fake-provider.js";
import { useSdkClients } from "../support/sdk-clients.js";

const clients = useSdkClients();
const { provider } = clients;

const completion = (content: string): Reply => ({
  kind: "json",
  body: { id: "c", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }] },
});
const failure = (status: number, headers: Record<string, string> = {}): Reply => ({ kind: "json", status, headers, body: { error: { message: `status ${status}`, type: "error" } } });

const viaOpenAI: GenerateFn = async (prompt, { signal }) => {
  const response = await clients.openai.chat.completions.create({ model: "m", messages: [{ role: "user", content: prompt }] }, { signal });
  return response.choices[0]?.message.content;
};

const viaAnthropic: GenerateFn = async (prompt, { signal }) => {
  const response = await clients.anthropic.messages.create({ model: "m", max_tokens: 50, messages: [{ role: "user", content: prompt }] }, { signal });
  return response.content.map((block) => (block.type === "text" ? block.text : "")).join("");
};

describe("generateActionWithRetry with real SDK clients", () => {
  it("waits as Retry-After asks after a 429, then succeeds", async () => {
    provider.reply(failure(429, { "retry-after": "1" }), completion('{"action_type": "restart", "target": "db"}'));
    const reports: AttemptReport[] = [];
    const started = Date.now();
    const action = await generateActionWithRetry("p", { role: "sre", generate: viaOpenAI, backoff: { baseMs: 1 }, onAttempt: (r) => reports.push(r) });
    expect(action).toEqual({ role: "sre", action_type: "restart", target: "db", args: {} });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(reports.map((r) => [r.attempt, r.error === undefined, r.delayMs])).toEqual([
      [1, false, 1000],
      [2, true, 0],
    ]);
  });

  it("retries 5xx with backoff, keeping the reference's prompt sequence", async () => {
    provider.reply(failure(500), failure(503), { kind: "json", body: { id: "m", type: "message", role: "assistant", model: "m", content: [{ type: "text", text: '{"action_type": "resolve"}' }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } });
    const before = provider.seen.length;
    const action = await generateActionWithRetry("p", { role: "manager", generate: viaAnthropic, backoff: { baseMs: 5, maxMs: 20 }, reminder: "R" });
    expect(action.action_type).toBe("resolve");
    const prompts = provider.seen.slice(before).map((s) => (s.body as { messages: { content: string }[] }).messages[0]?.content);
    expect(prompts).toEqual(["p", "p\n\nR", "p\n\nR"]);
  });

  it("does not retry a 4xx other than 429", async () => {
    provider.reply(failure(400));
    const before = provider.seen.length;
    const action = await generateActionWithRetry("p", { role: "sre", fallback: "escalate", generate: viaOpenAI, backoff: true });
    expect(action).toEqual({ role: "sre", action_type: "escalate", target: null, args: {} });
    expect(provider.seen.length - before).toBe(1);
  });

  it("times out a hung request, closes it, and retries", async () => {
    provider.reply({ kind: "hang" }, completion('{"action_type": "rollback", "target": "auth"}'));
    const before = provider.seen.length;
    const action = await generateActionWithRetry("p", { role: "dev", generate: viaOpenAI, attemptTimeoutMs: 200 });
    expect(action).toEqual({ role: "dev", action_type: "rollback", target: "auth", args: {} });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(provider.seen[before]?.closedByClient).toBe(true);
  });

  it("stops everything when the caller's signal aborts", async () => {
    provider.reply({ kind: "hang" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const action = await generateActionWithRetry("p", { role: "sre", generate: viaOpenAI, signal: controller.signal, maxAttempts: 5 });
    expect(action.action_type).toBe("noop");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
