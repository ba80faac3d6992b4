// Whatever the model writes, the trajectory is what the server applied and answered:
// each turn's action is the one the server applied (for the role it named), and each
// reward, done and message the one it sent.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChaosOpsEnv, functionPolicy, runEpisode, type StepResult } from "../../src/env/index.js";
import { OpenEnvServer } from "../support/openenv-server.js";

const pieces = [
  '{"action_type": "noop"}',
  '{"action_type": "restart", "target": "db"}',
  '{"action_type": "identify_root_cause", "args": {"failure_type": "db_deadlock"}}',
  "{'action_type': 'escalate'}",
  '<tool_call>{"name": "a", "arguments": {"action_type": "resolve"}}</tool_call>',
  '{"action_type": "scale", "target": "payments", "args": {"replicas": 4}}',
  "<think>",
  "</think>",
  "```json\n",
  "```",
  "{",
  "}",
  "I think ",
  '"target": "auth"',
  "\n",
];

describe("runEpisode, any completions", () => {
  let server: OpenEnvServer;
  beforeAll(async () => {
    server = await new OpenEnvServer().start();
  });
  afterAll(() => server.stop());

  it("records what the server applied and sent, turn by turn", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.constantFrom(...pieces), { maxLength: 6 }).map((p) => p.join("")), { minLength: 1, maxLength: 24 }),
        fc.boolean(),
        async (completions, lenient) => {
          const session = server.sessions.length;
          const env = await ChaosOpsEnv.connect(server.wsUrl);
          const firstSent = server.sent.length;
          try {
            const policy = functionPolicy(({ turn }) => completions[turn % completions.length] as string);
            const episode = await runEpisode({ env, policy, maxTurns: 24, ...(lenient ? { formats: "lenient" as const } : {}) });
            const applied = server.sessions[session]?.applied ?? [];
            const replies = server.sent.slice(firstSent + 1, firstSent + 1 + episode.turns.length).map((t) => (JSON.parse(t) as { data: StepResult }).data);
            expect(episode.turns.length).toBe(applied.length);
            episode.turns.forEach((turn, i) => {
              const { role, action_type, target, args } = turn.action;
              expect(applied[i]).toEqual({ role, action_type, target, args: JSON.parse(JSON.stringify(args)) });
              expect([turn.reward, turn.done, turn.message]).toEqual([replies[i]?.reward, replies[i]?.done, replies[i]?.observation.message]);
              expect(turn.role).toBe(i === 0 ? "sre" : replies[i - 1]?.observation.turn_role);
            });
            expect(episode.return).toBe(episode.turns.reduce((sum, t) => sum + (t.reward ?? 0), 0));
            expect(episode.done).toBe(episode.turns.at(-1)?.done ?? false);
          } finally {
            await env.close();
          }
        },
      ),
      { numRuns: Math.min(Number(process.env.FUZZ_RUNS ?? 200), 40) },
    );
  });
});
