import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ServiceName } from "../../src/model/enums.js";
import { InvalidObservationError, renderObservation } from "../../src/prompting/rendering.js";
import type { RoleView } from "../../src/model/types.js";
import { role } from "../support/arbitraries.js";

const text = fc.string({ unit: "binary", maxLength: 20 }).filter((s) => !s.includes("\n") && !s.includes("\r") && !s.includes("\u2028") && !s.includes("\u2029"));
// Values inside the reference model's constraints (the environment's /schema).
const between = (min: number, max: number) => fc.double({ min, max, noNaN: true });
const metrics = fc.record({
  cpu_pct: between(0, 100),
  memory_mb: between(0, Infinity),
  latency_ms: between(0, Infinity),
  error_rate: between(0, 1),
  replicas: fc.integer({ min: 0, max: 1000 }),
  health: fc.constantFrom("healthy", "degraded", "critical", "down"),
});
const service = fc.constantFrom(...Object.values(ServiceName));
const alert = fc.record({ service, severity: text, message: text, triggered_at_step: fc.nat() });
const log = fc.record({ timestamp: fc.double({ noNaN: true }), service, level: text, message: text });
const fleet = fc.record({ agent_name: text, action: text, target: text, step: fc.nat() });

const roleView: fc.Arbitrary<RoleView> = fc.record({
  role,
  visible_metrics: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !/^\d+$/.test(k) && !k.includes("\n")), metrics, { maxKeys: 5 }),
  visible_alerts: fc.array(alert, { maxLength: 8 }),
  visible_logs: fc.array(log, { maxLength: 8 }),
  visible_fleet_actions: fc.array(fleet, { maxLength: 10 }),
  shared_chat: fc.array(text, { maxLength: 10 }),
  private_inbox: fc.array(text, { maxLength: 8 }),
  private_note: fc.option(text),
});

function sectionSize(lines: string[], header: string): number {
  const at = lines.indexOf(header);
  if (at < 0) return 0;
  let n = 0;
  while (lines[at + 1 + n]?.startsWith("  ")) n++;
  return n;
}

describe("renderObservation properties", () => {
  it("6. never throws on a valid view and keeps the reference's tail limits", () => {
    fc.assert(
      fc.property(roleView, fc.nat(), (v, step) => {
        const lines = renderObservation(v, { step }).split("\n");
        expect(lines[0]).toBe(`STEP ${step}`);
        expect(sectionSize(lines, "METRICS")).toBe(Object.keys(v.visible_metrics).length);
        expect(sectionSize(lines, "ALERTS")).toBe(Math.min(4, v.visible_alerts.length));
        expect(sectionSize(lines, "LOGS")).toBe(Math.min(4, v.visible_logs.length));
        expect(sectionSize(lines, "FLEET_ACTIONS")).toBe(Math.min(6, v.visible_fleet_actions.length));
        expect(sectionSize(lines, "CHAT")).toBe(Math.min(6, v.shared_chat.length));
        expect(sectionSize(lines, "PRIVATE_INBOX")).toBe(Math.min(4, v.private_inbox?.length ?? 0));
        const chat = v.shared_chat.slice(-6).map((m) => `  ${m}`);
        if (chat.length > 0) expect(lines.slice(lines.indexOf("CHAT") + 1, lines.indexOf("CHAT") + 1 + chat.length)).toEqual(chat);
      }),
    );
  });

  it("refuses any view with one field outside the reference's model, naming that field", () => {
    const breakers: [string, (v: RoleView) => void, string][] = [
      ["cpu_pct over 100", (v) => ((firstMetric(v).cpu_pct as number) = 100.5), ".cpu_pct"],
      ["negative memory", (v) => ((firstMetric(v).memory_mb as number) = -1), ".memory_mb"],
      ["error_rate over 1", (v) => ((firstMetric(v).error_rate as number) = 1.5), ".error_rate"],
      ["NaN latency", (v) => ((firstMetric(v).latency_ms as number) = NaN), ".latency_ms"],
      ["negative replicas", (v) => ((firstMetric(v).replicas as number) = -1), ".replicas"],
      ["unknown health", (v) => ((firstMetric(v).health as string) = "fine"), ".health"],
    ];
    fc.assert(
      fc.property(roleView.filter((v) => Object.keys(v.visible_metrics).length > 0), fc.constantFrom(...breakers), (v, [, breakIt, field]) => {
        const broken = structuredClone(v);
        breakIt(broken);
        expect(() => renderObservation(broken, { step: 1 })).toThrow(InvalidObservationError);
        expect(() => renderObservation(broken, { step: 1 })).toThrow(field);
      }),
    );
  });
});

function firstMetric(v: RoleView): Record<string, unknown> {
  return Object.values(v.visible_metrics)[0] as unknown as Record<string, unknown>;
}
