import { describe, expect, it } from "vitest";
import { InvalidObservationError, renderObservation } from "../../src/prompting/rendering.js";
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

  it("writes None for a missing fleet target and the note when present", () => {
    const rendered = renderObservation(
      view({ visible_fleet_actions: [{ agent_name: "autoscaler", action: "scale_down", target: null, step: 2 }], private_note: "watch db" }),
      { step: 3 },
    );
    expect(rendered).toContain("FLEET_ACTIONS\n  step 2: autoscaler scale_down -> None");
    expect(rendered).toContain("NOTE watch db");
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
