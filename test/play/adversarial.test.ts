// runEpisode and the policies against callers and policies that misbehave: odd maxTurns,
// policies that throw, hang or return what is not a completion, onTurn that fails, and a
// reply only the lenient reading accepts. Each case is a regression test for a break.
import { describe, expect, it } from "vitest";
import { anthropicPolicy, EnvProtocolError, EpisodeInterruptedError, formatReward, functionPolicy, openaiCompatibleClient, openaiPolicy, runEpisode, sftPair, toObservation, trajectoryLine, turnRoleOf, type EpisodeEnv, type EnvAction, type StepResult } from "../../src/env/index.js";

const ROLES = ["sre", "oversight", "dev", "manager"] as const;

function result(step: number, done: boolean, reward = -1): StepResult {
  return { observation: { view: { role: ROLES[step % 4] } as never, step, turn_role: ROLES[step % 4] as string, message: `step ${step}` }, reward: step === 0 ? 0 : reward, done };
}

/** An in-memory env that ends after `steps` steps (never when Infinity), recording what it was sent. */
function fakeEnv(steps = 20): EpisodeEnv & { sent: EnvAction[] } {
  let step = 0;
  const sent: EnvAction[] = [];
  return {
    sent,
    reset: async () => ((step = 0), result(0, false)),
    step: async (action) => {
      sent.push(action);
      step += 1;
      return result(step, step >= steps);
    },
  };
}

const noop = functionPolicy(() => '{"action_type": "noop"}');

describe("maxTurns", () => {
  it.each([NaN, -1, -Infinity, 1.5])("regression: maxTurns %s is a RangeError before anything is played", async (maxTurns) => {
    const env = fakeEnv();
    await expect(runEpisode({ env, policy: noop, maxTurns })).rejects.toBeInstanceOf(RangeError);
    expect(env.sent).toHaveLength(0);
  });

  it("maxTurns 0 plays no turn and says truncated; Infinity plays until done", async () => {
    const none = await runEpisode({ env: fakeEnv(), policy: noop, maxTurns: 0 });
    expect(none.turns).toHaveLength(0);
    expect(none.truncated).toBe(true);
    const all = await runEpisode({ env: fakeEnv(7), policy: noop, maxTurns: Infinity });
    expect(all.turns).toHaveLength(7);
    expect(all.done).toBe(true);
  });

  it("a long episode (5000 turns) returns every turn with its reward", async () => {
    const episode = await runEpisode({ env: fakeEnv(Infinity), policy: noop, maxTurns: 5000 });
    expect(episode.turns).toHaveLength(5000);
    expect(episode.return).toBe(-5000);
  });
});

describe("policies that misbehave", () => {
  it.each([
    ["undefined", undefined],
    ["a number", 42],
    ["null", null],
    ["an object without completion", { text: "hi" }],
    ["a completion that is not a string", { completion: 7 }],
  ])("regression: a policy returning %s is a TypeError naming the policy, inside EpisodeInterruptedError", async (_name, value) => {
    const policy = { style: "openai" as const, act: () => value as never };
    const error = await runEpisode({ env: fakeEnv(), policy }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EpisodeInterruptedError);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(((error as Error).cause as Error).message).toMatch(/policy/);
  });

  it("a policy that throws ends the episode with the turns played so far", async () => {
    let calls = 0;
    const policy = functionPolicy(() => {
      if (++calls === 3) throw new Error("model exploded");
      return '{"action_type": "noop"}';
    });
    const error = (await runEpisode({ env: fakeEnv(), policy }).catch((e: unknown) => e)) as EpisodeInterruptedError;
    expect(error).toBeInstanceOf(EpisodeInterruptedError);
    expect(error.turns).toHaveLength(2);
    expect(error.message).toMatch(/model exploded/);
  });

  it("regression: a policy that hangs and ignores the signal: abort still ends the episode", async () => {
    const controller = new AbortController();
    const policy = functionPolicy(() => new Promise<string>(() => undefined));
    setTimeout(() => controller.abort(new Error("stop")), 20);
    const error = await runEpisode({ env: fakeEnv(), policy, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EpisodeInterruptedError);
  });

  it("a huge completion (8 MB) is parsed and recorded", async () => {
    const filler = "x".repeat(8 * 1024 * 1024);
    const policy = functionPolicy(() => `${filler}{"action_type": "escalate"}`);
    const episode = await runEpisode({ env: fakeEnv(1), policy });
    expect(episode.turns[0]?.action.action_type).toBe("escalate");
  });

  it("onTurn that throws or rejects ends the episode, holding the turn it was given", async () => {
    for (const onTurn of [
      () => {
        throw new Error("disk full");
      },
      () => Promise.reject(new Error("disk full")),
    ]) {
      const error = (await runEpisode({ env: fakeEnv(), policy: noop, onTurn }).catch((e: unknown) => e)) as EpisodeInterruptedError;
      expect(error).toBeInstanceOf(EpisodeInterruptedError);
      expect(error.turns).toHaveLength(1);
      expect(error.message).toMatch(/disk full/);
    }
  });
});

describe("the retry wrapper reads with the episode's formats", () => {
  it("regression: a reply only the lenient reading accepts is not asked again", async () => {
    const replies = ['{"action_type": "restart", "target": "db"', '{"action_type": "noop"}'];
    const bodies: unknown[] = [];
    const client = {
      chat: {
        completions: {
          create: async (body: never) => {
            bodies.push(body);
            return { choices: [{ message: { role: "assistant", content: replies[Math.min(bodies.length - 1, 1)] } }] };
          },
        },
      },
    };
    const policy = openaiPolicy({ client, model: "m", retry: { backoff: false } });
    const episode = await runEpisode({ env: fakeEnv(1), policy, formats: "lenient" });
    expect(bodies).toHaveLength(1);
    expect(episode.turns[0]?.attempts).toBe(1);
    expect(episode.turns[0]?.action).toMatchObject({ action_type: "restart", target: "db" });
    // Without formats the same reply is unusable and asked again, as the reference does.
    bodies.length = 0;
    const strict = await runEpisode({ env: fakeEnv(1), policy });
    expect(bodies).toHaveLength(2);
    expect(strict.turns[0]?.attempts).toBe(2);
  });
});

describe("what runEpisode and the training helpers cannot start from (red-team finds: engine errors from deep inside)", () => {
  it("options, env, policy and signal are TypeErrors at the call, before anything is played", async () => {
    const env = fakeEnv();
    await expect(runEpisode(undefined as never)).rejects.toThrow(/runEpisode: options must be an object/);
    await expect(runEpisode({ env: {} as never, policy: noop })).rejects.toThrow(/options.env must have reset and step/);
    await expect(runEpisode({ env, policy: undefined as never })).rejects.toThrow(/options.policy must have act/);
    await expect(runEpisode({ env, policy: noop, signal: {} as never })).rejects.toThrow(/options.signal must be an AbortSignal/);
    await expect(runEpisode({ env, policy: noop, maxTurns: [[[]]] as never })).rejects.toThrow(/maxTurns must be a whole number .* \(got object\)/);
    expect(env.sent).toHaveLength(0);
  });

  it("an env of the caller's own that answers no step result interrupts the episode with a protocol error that says so", async () => {
    const env = { reset: async () => result(0, false), step: async () => undefined as never };
    const error = (await runEpisode({ env, policy: noop }).catch((e: unknown) => e)) as EpisodeInterruptedError;
    expect(error).toBeInstanceOf(EpisodeInterruptedError);
    expect(error.cause).toBeInstanceOf(EnvProtocolError);
  });

  it("the helpers name what they want", () => {
    expect(() => sftPair({} as never)).toThrow(/chatMessages: messages must be/);
    expect(() => formatReward(null as never)).toThrow(/formatReward: detail must be/);
    expect(() => trajectoryLine(0, {} as never)).toThrow(/trajectoryLine: turn must be/);
    expect(() => toObservation({} as never)).toThrow(EnvProtocolError);
    expect(() => turnRoleOf({} as never)).toThrow(EnvProtocolError);
    expect(() => openaiCompatibleClient({} as never)).toThrow(/options.baseUrl/);
    expect(() => openaiPolicy(undefined as never)).toThrow(/openaiPolicy: options.client/);
    expect(() => anthropicPolicy({} as never)).toThrow(/anthropicPolicy: options.client/);
  });
});
