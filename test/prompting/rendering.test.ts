import { describe, expect, it } from "vitest";
import { InvalidObservationError, renderObservation, validateObservation } from "../../src/prompting/rendering.js";
import type { RoleView } from "../../src/model/types.js";
import { deviations } from "../support/deviations.js";
import { loadGolden } from "../support/golden.js";

interface RenderCase {
  id: string;
  view: RoleView;
  step: number;
  expect: string;
}

describe("renderObservation: golden cases from the reference", () => {
  it.each(loadGolden<RenderCase>("render").map((c) => [c.id, c] as const))("%s", (_id, c) => {
    expect(renderObservation(c.view, { step: c.step })).toBe(c.expect);
  });
});

describe("renderObservation where JavaScript reorders index-like metric names (deviations.jsonl)", () => {
  it.each(deviations("render").map((d) => [d.id, d] as const))("%s has the reference's lines, metrics possibly reordered", (_id, d) => {
    const rendered = renderObservation(d.view as RoleView, { step: d.step as number }).split("\n");
    const reference = (d.reference as string).split("\n");
    expect([...rendered].sort()).toEqual([...reference].sort());
  });
});

function view(overrides: Partial<RoleView> = {}): RoleView {
  return {
    role: "sre",
    visible_metrics: {},
    visible_logs: [],
    visible_alerts: [],
    visible_fleet_actions: [],
    shared_chat: [],
    ...overrides,
  };
}

describe("renderObservation", () => {
  it("renders a minimal view as step, role and the instructions", () => {
    expect(renderObservation(view(), { step: 0 })).toBe(
      [
        "STEP 0",
        "ROLE SRE",
        'RESPOND with JSON only: {"action_type": "<type>", "target": "<service|agent>", "args": {...}}',
        'For private messages use args.to="sre|dev|manager|oversight"; default communicate broadcasts to all roles.',
      ].join("\n"),
    );
  });

  it("formats metrics as Python does and defaults health to healthy", () => {
    const metrics = { db: { cpu_pct: 2.5, memory_mb: 71.5, latency_ms: 1e22, error_rate: 0.145, replicas: 3 } };
    expect(renderObservation(view({ visible_metrics: metrics }), { step: 1 })).toContain(
      "METRICS\n  db: cpu=2% mem=72MB lat=10000000000000000000000ms err=14% repl=3 health=healthy",
    );
  });

  it("writes the note when present", () => {
    const rendered = renderObservation(
      view({ visible_fleet_actions: [{ agent_name: "autoscaler", action: "scale_down", target: "payments", step: 2 }], private_note: "watch db" }),
      { step: 3 },
    );
    expect(rendered).toContain("FLEET_ACTIONS\n  step 2: autoscaler scale_down -> payments");
    expect(rendered).toContain("NOTE watch db");
  });

  // Issue 11: these rendered as "None" or as impossible numbers, where the reference's model refuses them.
  it.each([
    ["a fleet action without a target", { visible_fleet_actions: [{ agent_name: "a", action: "b", target: null, step: 2 }] }, "view.visible_fleet_actions[0].target must be a string"],
    ["an alert without a severity", { visible_alerts: [{ service: "db", message: "m", triggered_at_step: 1 }] }, "view.visible_alerts[0].severity must be a string"],
    ["an alert without its step", { visible_alerts: [{ service: "db", severity: "page", message: "m" }] }, "view.visible_alerts[0].triggered_at_step must be an integer"],
    ["a log line without a level", { visible_logs: [{ timestamp: 1, service: "db", message: "m" }] }, "view.visible_logs[0].level must be a string"],
    ["a log line of an unknown service", { visible_logs: [{ timestamp: 1, service: "mail", level: "ERROR", message: "m" }] }, "view.visible_logs[0].service must be one of"],
    ["an error_rate of 1.5", { visible_metrics: { db: { cpu_pct: 1, memory_mb: 1, latency_ms: 1, error_rate: 1.5, replicas: 1 } } }, 'view.visible_metrics["db"].error_rate must be between 0 and 1 (got 1.5)'],
    ["a chat line that is not text", { shared_chat: [3] }, "view.shared_chat[0] must be a string"],
    ["an unknown role", { role: "ceo" }, "view.role must be one of"],
    ["an item outside the rendered tail", { visible_alerts: [{ service: "db", severity: 1, message: "m", triggered_at_step: 0 }, ...Array(4).fill({ service: "db", severity: "page", message: "m", triggered_at_step: 1 })] }, "view.visible_alerts[0].severity"],
  ])("refuses %s, naming the field", (_, fields, message) => {
    expect(() => renderObservation(view(fields as never), { step: 1 })).toThrow(InvalidObservationError);
    expect(() => renderObservation(view(fields as never), { step: 1 })).toThrow(message);
  });

  it("validates a whole observation, NaN and Infinity included where the model allows them", () => {
    const obs = { step: 2, turn_role: "sre", reward: NaN, view: view({ visible_metrics: { db: { cpu_pct: 1, memory_mb: Infinity, latency_ms: 1, error_rate: 0, replicas: 1 } } }) };
    expect(validateObservation(obs)).toBe(obs);
    expect(renderObservation(obs.view, { step: 2 })).toContain("mem=infMB");
    expect(() => validateObservation({ ...obs, turn_role: "boss" })).toThrow("observation.turn_role must be one of");
    expect(() => validateObservation({ ...obs, step: "2" })).toThrow("observation.step must be an integer");
  });

  it("names the malformed field", () => {
    expect(() => renderObservation(null as unknown as RoleView, { step: 1 })).toThrow(InvalidObservationError);
    expect(() => renderObservation(view({ visible_metrics: { db: { cpu_pct: "high" } as never } }), { step: 1 })).toThrow(
      'view.visible_metrics["db"].cpu_pct must be a number',
    );
    expect(() => renderObservation(view({ visible_logs: "x" as never }), { step: 1 })).toThrow("view.visible_logs must be an array");
    expect(() => renderObservation(view(), { step: 1.5 })).toThrow("options.step must be an integer");
  });
});
