// runEpisode and the ready-made policies against the loopback server (and, for the
// model-backed policies, the real SDK clients against a loopback provider).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ChaosOpsEnv,
  EnvAbortError,
  EnvConnectionError,
  EpisodeInterruptedError,
  anthropicPolicy,
  functionPolicy,
  openaiCompatibleClient,
  openaiPolicy,
  runEpisode,
  toObservation,
  type StepResult,
  type TurnRequest,
} from "../../src/env/index.js";
import { buildAnthropicMessages, buildOpenAIMessages } from "../../src/providers/providers.js";
import { DEFAULT_REMINDER } from "../../src/providers/retry.js";
import { OpenEnvServer, loadRecording } from "../support/openenv-server.js";
import { useSdkClients } from "../support/sdk-clients.js";

let server: OpenEnvServer;
let env: ChaosOpsEnv;
beforeEach(async () => {
  server = await new OpenEnvServer().start();
  env = await ChaosOpsEnv.connect(server.wsUrl);
});
afterEach(async () => {
  await env.close();
  await server.stop();
});

const ORACLE: Record<string, string> = {
  sre: 'Logs show a deadlock on the db.\n{"action_type": "identify_root_cause", "args": {"failure_type": "db_deadlock"}}',
  dev: '```json\n{"action_type": "restart", "target": "db"}\n```',
};
const oracle = functionPolicy(({ role }) => ORACLE[role] ?? '{"action_type": "noop"}');
const noop = functionPolicy(() => '{"action_type": "noop"}');

/** The observations the server sent (after `reset`), from the recording. */
function recordedResults(file: string): StepResult[] {
  return loadRecording(file)
    .filter((e) => e.note.startsWith("step ") && e.note !== "step after done")
    .map((e) => (e.received as { data: StepResult }).data);
}

describe("runEpisode on the recorded episodes", () => {
  it("the resolving episode: the recorded rewards and done, the oracle's actions as applied", async () => {
    const recorded = recordedResults("ws_episode_resolve.jsonl");
    const episode = await runEpisode({ env, policy: oracle, seed: 7 });
    expect(episode.turns.map((t) => [t.role, t.reward, t.done, t.message])).toEqual([
      ["sre", 28, false, recorded[0]?.observation.message],
      ["oversight", -4, false, recorded[1]?.observation.message],
      ["dev", 110, true, recorded[2]?.observation.message],
    ]);
    expect(episode.turns.map((t) => t.reward)).toEqual(recorded.map((r) => r.reward));
    expect([episode.return, episode.done, episode.truncated]).toEqual([134, true, false]);
    expect(episode.state).toMatchObject({ resolved: true, cumulative_reward: 134 });
    expect(server.applied.map(({ role, action_type, target, args }) => ({ role, action_type, target, args }))).toEqual(
      episode.turns.map((t) => ({ role: t.role, action_type: t.action.action_type, target: t.action.target, args: t.action.args })),
    );
  });

  it("the noop episode: 20 turns in the server's turn order, the recorded rewards, the messages built from each observation", async () => {
    const recorded = recordedResults("ws_episode.jsonl");
    const seen: number[] = [];
    const episode = await runEpisode({ env, policy: noop, seed: 7, episodeId: "ep-ws-1", onTurn: (turn) => void seen.push(turn.index) });
    expect(episode.turns).toHaveLength(20);
    expect(seen).toEqual([...Array(20).keys()]);
    expect(episode.turns.map((t) => t.role)).toEqual(Array.from({ length: 20 }, (_, i) => ["sre", "oversight", "dev", "manager"][i % 4]));
    expect(episode.turns.map((t) => [t.reward, t.done, t.message])).toEqual(recorded.map((r) => [r.reward, r.done, r.observation.message]));
    expect(episode.return).toBe(-420);
    expect(episode.state).toMatchObject({ episode_id: "ep-ws-1", resolved: false, cumulative_reward: -480 });
    const asked = [episode.reset, ...recorded];
    episode.turns.forEach((turn, i) => {
      expect(turn.step).toBe(i);
      expect(turn.messages).toEqual(buildOpenAIMessages(toObservation(asked[i] as StepResult)));
      expect(turn.detail.fallbackUsed).toBe(false);
    });
  });

  it("Anthropic-style policies get buildAnthropicMessages", async () => {
    const requests: TurnRequest[] = [];
    const policy = functionPolicy((request) => (requests.push(request), '{"action_type": "noop"}'), { style: "anthropic" });
    const episode = await runEpisode({ env, policy, maxTurns: 2 });
    expect(requests[0]?.messages).toEqual(buildAnthropicMessages(toObservation(episode.reset)));
    expect(requests.map((r) => [r.role, r.turn])).toEqual([["sre", 0], ["oversight", 1]]);
  });

  it("maxTurns stops an episode that is not done", async () => {
    const episode = await runEpisode({ env, policy: noop, maxTurns: 5 });
    expect([episode.turns.length, episode.done, episode.truncated]).toEqual([5, false, true]);
  });

  it("formats reach the parser: a tool-call envelope is read with them and falls back without", async () => {
    const envelope = functionPolicy(() => '<tool_call>{"name": "act", "arguments": {"action_type": "escalate"}}</tool_call>');
    const lenient = await runEpisode({ env, policy: envelope, maxTurns: 1, formats: "lenient" });
    expect([lenient.turns[0]?.action.action_type, lenient.turns[0]?.detail.candidate?.format]).toEqual(["escalate", "tool_call"]);
    const plain = await runEpisode({ env, policy: envelope, maxTurns: 1 });
    expect(plain.turns[0]?.action.action_type).toBe("noop");
  });

  it("an action the server refuses is recorded, and the server's turn role is asked again", async () => {
    const refusal = loadRecording("ws_errors.jsonl").find((e) => e.note.startsWith("step: scale with"))?.receivedText as string;
    let refused = false;
    const policy = functionPolicy(({ role }) => {
      if (role === "dev" && !refused) server.injected.push({ text: refusal }), (refused = true);
      return ORACLE[role] ?? '{"action_type": "noop"}';
    });
    const episode = await runEpisode({ env, policy });
    expect(episode.turns.map((t) => [t.role, t.step, t.reward, t.done, t.serverError?.code ?? null])).toEqual([
      ["sre", 0, 28, false, null],
      ["oversight", 1, -4, false, null],
      ["dev", 2, null, false, "EXECUTION_ERROR"],
      ["dev", 2, 110, true, null],
    ]);
    expect(episode.turns[2]?.serverError?.message).toBe("invalid literal for int() with base 10: 'many'");
    expect(episode.return).toBe(134);
  });
});

describe("an episode that cannot go on", () => {
  it("a lost connection ends it with the turns played so far", async () => {
    server.dropBeforeReply(4);
    const error = (await runEpisode({ env, policy: noop }).catch((e: unknown) => e)) as EpisodeInterruptedError;
    expect(error).toBeInstanceOf(EpisodeInterruptedError);
    expect(error.turns.map((t) => t.reward)).toEqual([-2, -4]);
    expect(error.cause).toBeInstanceOf(EnvConnectionError);
    expect(error.message).toContain("closed the connection (code 1006)");
  });

  it("an abort ends it", async () => {
    const controller = new AbortController();
    const policy = functionPolicy(({ turn }) => {
      if (turn === 1) controller.abort(new Error("enough"));
      return '{"action_type": "noop"}';
    });
    const error = (await runEpisode({ env, policy, signal: controller.signal }).catch((e: unknown) => e)) as EpisodeInterruptedError;
    expect(error.turns).toHaveLength(1);
    expect((error.cause as Error).message).toBe("enough");
  });

  it("an abort while waiting for the server", async () => {
    server.delayMs = 500;
    const error = (await runEpisode({ env, policy: noop, signal: AbortSignal.timeout(100) }).catch((e: unknown) => e)) as EpisodeInterruptedError;
    expect(error.cause).toBeInstanceOf(EnvAbortError);
  });
});

describe("model-backed policies", () => {
  const sdk = useSdkClients();
  const toolCall = (args: string) => ({
    kind: "json" as const,
    body: { choices: [{ message: { role: "assistant", content: null, tool_calls: [{ id: "1", type: "function", function: { name: "chaosops_action", arguments: args } }] } }] },
  });
  const text = (content: string) => ({ kind: "json" as const, body: { choices: [{ message: { role: "assistant", content } }] } });

  it("openaiPolicy with the openai SDK and tools: the tool call's arguments are the completion", async () => {
    const start = sdk.provider.seen.length;
    sdk.provider.reply(toolCall('{"action_type": "identify_root_cause", "args": {"failure_type": "db_deadlock"}}'));
    const policy = openaiPolicy({ client: sdk.openai, model: "m", tools: true, request: { temperature: 0 } });
    const episode = await runEpisode({ env, policy, maxTurns: 1 });
    const turn = episode.turns[0];
    expect(turn?.completion).toBe('{"action_type": "identify_root_cause", "args": {"failure_type": "db_deadlock"}}');
    expect([turn?.reward, turn?.attempts]).toEqual([28, 1]);
    const body = sdk.provider.seen[start]?.body as { model: string; messages: unknown; tools: { function: { name: string } }[]; temperature: number };
    expect(body.messages).toEqual(turn?.messages);
    expect([body.model, body.tools[0]?.function.name, body.temperature]).toEqual(["m", "chaosops_action", 0]);
  });

  it("a failing call is retried; an unusable answer is asked again with the reminder, and the line holds what the model answered", async () => {
    sdk.provider.reply({ kind: "json", status: 500, body: { error: { message: "overloaded" } } }, text("I would restart something."), text('{"action_type": "noop"}'));
    const policy = openaiPolicy({ client: openaiCompatibleClient({ baseUrl: `${sdk.openai.baseURL}` }), model: "m", retry: { backoff: false } });
    const episode = await runEpisode({ env, policy, maxTurns: 1 });
    const turn = episode.turns[0];
    expect([turn?.attempts, turn?.completion, turn?.action.action_type]).toEqual([3, '{"action_type": "noop"}', "noop"]);
    const user = (turn?.messages as { content: string }[])[1]?.content ?? "";
    expect(user).toContain(`${DEFAULT_REMINDER}\n\nPrevious output:\nI would restart something.`);
  });

  it("every call failing gives the fallback, with the model's error on the turn", async () => {
    sdk.provider.reply(...Array.from({ length: 2 }, () => ({ kind: "json" as const, status: 503, body: { error: { message: "down" } } })));
    const policy = openaiPolicy({ client: sdk.openai, model: "m", retry: { maxAttempts: 2, backoff: false } });
    const turn = (await runEpisode({ env, policy, maxTurns: 1 })).turns[0];
    expect([turn?.completion, turn?.detail.fallbackUsed, turn?.attempts]).toEqual(["", true, 2]);
    expect(turn?.modelError).toContain("503");
  });

  it("anthropicPolicy with the Anthropic SDK and tools", async () => {
    const start = sdk.provider.seen.length;
    sdk.provider.reply({
      kind: "json",
      body: { id: "m1", type: "message", role: "assistant", model: "c", stop_reason: "tool_use", content: [{ type: "tool_use", id: "t", name: "chaosops_action", input: { action_type: "escalate" } }], usage: { input_tokens: 1, output_tokens: 1 } },
    });
    const policy = anthropicPolicy({ client: sdk.anthropic, model: "c", tools: true, maxTokens: 64 });
    const turn = (await runEpisode({ env, policy, maxTurns: 1 })).turns[0];
    expect([turn?.completion, turn?.action.action_type]).toEqual(['{"action_type":"escalate"}', "escalate"]);
    const body = sdk.provider.seen[start]?.body as { system: string; messages: unknown; max_tokens: number; tools: { name: string }[] };
    expect({ system: body.system, messages: body.messages }).toEqual(turn?.messages);
    expect([body.max_tokens, body.tools[0]?.name]).toEqual([64, "chaosops_action"]);
  });
});
