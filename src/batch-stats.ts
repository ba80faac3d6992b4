/** What `chaosops parse` reports about a run: counts, shares and throughput, as text tables. */
import type { RecordResult } from "./jsonl-records.js";

const NONE = "none";

export class BatchStats {
  records = 0;
  errors = 0;
  fallbacks = 0;
  bytes = 0;
  readonly candidates = new Map<string, number>();
  readonly actionsByRole = new Map<string, Map<string, number>>();
  private readonly started = performance.now();

  add(result: RecordResult, bytes: number): void {
    this.records++;
    this.bytes += bytes;
    if (!result.ok) {
      this.errors++;
      return;
    }
    if (result.located.fallbackUsed) this.fallbacks++;
    bump(this.candidates, result.located.candidate?.kind ?? NONE);
    const byRole = this.actionsByRole.get(result.role) ?? new Map<string, number>();
    bump(byRole, result.located.action.action_type);
    this.actionsByRole.set(result.role, byRole);
  }

  /** The summary table: totals, candidate kinds, action types per role, throughput. */
  summary(): string {
    const seconds = (performance.now() - this.started) / 1000;
    const parsed = this.records - this.errors;
    const lines = [
      table(
        ["total", "count", "share"],
        [
          ["records", String(this.records), ""],
          ["malformed", String(this.errors), share(this.errors, this.records)],
          ["fallback action", String(this.fallbacks), share(this.fallbacks, parsed)],
        ],
      ),
      "",
      table(["candidate taken", "count", "share"], sorted(this.candidates).map(([kind, n]) => [kind, String(n), share(n, parsed)])),
      "",
      table(
        ["role", "action type", "count"],
        [...this.actionsByRole.entries()].flatMap(([role, counts]) => sorted(counts).map(([type, n]) => [role, type, String(n)])),
      ),
      "",
      `throughput: ${Math.round(this.records / Math.max(seconds, 1e-9))} records/s, ${(this.bytes / 1e6 / Math.max(seconds, 1e-9)).toFixed(2)} MB/s (${seconds.toFixed(2)} s)`,
    ];
    return lines.join("\n");
  }
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function sorted(counts: Map<string, number>): [string, number][] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function share(part: number, whole: number): string {
  return whole === 0 ? "-" : `${((100 * part) / whole).toFixed(1)}%`;
}

/** A plain text table with a header rule; cells wider than `maxWidth` are cut with an ellipsis. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], maxWidth = 60): string {
  const fit = (cell: string): string => {
    const flat = cell.replace(/[\r\n\t]+/g, " ");
    return flat.length > maxWidth ? `${flat.slice(0, maxWidth - 1)}…` : flat;
  };
  const cells = [header, ...rows].map((row) => row.map(fit));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: readonly string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  const [head, ...body] = cells;
  return [line(head ?? []), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
