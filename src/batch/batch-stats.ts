/**
 * What `chaosops parse --stats` reports: counts kept per worker as plain objects (they
 * cross thread boundaries), merged on the main thread, printed as text tables.
 */
import type { RecordResult } from "./jsonl-records.js";

type Tally = Record<string, number>;

export interface BatchCounts {
  records: number;
  malformed: number;
  fallbacks: number;
  candidates: Tally;
  formats: Tally;
  actions: Record<string, Tally>;
  repairs: Tally;
  warnings: Tally;
}

function emptyCounts(): BatchCounts {
  return { records: 0, malformed: 0, fallbacks: 0, candidates: {}, formats: {}, actions: {}, repairs: {}, warnings: {} };
}

function bump(tally: Tally, key: string, by = 1): void {
  tally[key] = (tally[key] ?? 0) + by;
}

function mergeTally(into: Tally, from: Tally): void {
  for (const [key, n] of Object.entries(from)) bump(into, key, n);
}

export class StatsCounter {
  readonly counts = emptyCounts();

  add(result: RecordResult): void {
    const c = this.counts;
    c.records++;
    if (!result.ok) {
      c.malformed++;
      return;
    }
    const { detail } = result;
    // Statistics are kept only with processors that explain their records: this is never undefined then.
    if (detail === undefined) return;
    if (detail.fallbackUsed) c.fallbacks++;
    bump(c.candidates, detail.candidate?.kind ?? "none");
    bump(c.formats, detail.candidate?.format ?? "none");
    bump((c.actions[detail.action.role] ??= {}), detail.action.action_type);
    for (const code of detail.repairs) bump(c.repairs, code);
    for (const warning of detail.warnings) bump(c.warnings, warning.code);
  }

  merge(from: BatchCounts): void {
    const c = this.counts;
    c.records += from.records;
    c.malformed += from.malformed;
    c.fallbacks += from.fallbacks;
    mergeTally(c.candidates, from.candidates);
    mergeTally(c.formats, from.formats);
    mergeTally(c.repairs, from.repairs);
    mergeTally(c.warnings, from.warnings);
    for (const [role, tally] of Object.entries(from.actions)) mergeTally((c.actions[role] ??= {}), tally);
  }

  /** The summary tables: totals, candidate kinds and formats, action types per role, repairs, warnings, throughput. */
  summary(seconds: number, bytes: number): string {
    const c = this.counts;
    const parsed = c.records - c.malformed;
    const shares = (title: string, tally: Tally, whole: number) =>
      table([title, "count", "share"], sorted(tally).map(([key, n]) => [key, String(n), share(n, whole)]));
    const sections = [
      table(
        ["total", "count", "share"],
        [
          ["records", String(c.records), ""],
          ["malformed", String(c.malformed), share(c.malformed, c.records)],
          ["fallback action", String(c.fallbacks), share(c.fallbacks, parsed)],
        ],
      ),
      shares("candidate taken", c.candidates, parsed),
      shares("format", c.formats, parsed),
      table(["role", "action type", "count"], Object.entries(c.actions).flatMap(([role, tally]) => sorted(tally).map(([type, n]) => [role, type, String(n)]))),
    ];
    if (Object.keys(c.repairs).length > 0) sections.push(shares("repair", c.repairs, parsed));
    if (Object.keys(c.warnings).length > 0) sections.push(shares("warning", c.warnings, parsed));
    const rate = (n: number) => n / Math.max(seconds, 1e-9);
    sections.push(`throughput: ${Math.round(rate(c.records))} records/s, ${(rate(bytes) / 1e6).toFixed(2)} MB/s (${seconds.toFixed(2)} s)`);
    return sections.join("\n\n");
  }
}

function sorted(tally: Tally): [string, number][] {
  return Object.entries(tally).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function share(part: number, whole: number): string {
  return whole === 0 ? "-" : `${((100 * part) / whole).toFixed(1)}%`;
}

/** A plain text table with a header rule; cells wider than `maxWidth` are cut with an ellipsis. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], maxWidth = 60): string {
  const fit = (cell: string): string => {
    // Every control character (newlines, tabs, terminal escapes from a record's id) as a space.
    const flat = cell.replace(/\p{Cc}+/gu, " ");
    return flat.length > maxWidth ? `${flat.slice(0, maxWidth - 1)}…` : flat;
  };
  const cells = [header, ...rows].map((row) => row.map(fit));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: readonly string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  const [head, ...body] = cells;
  return [line(head ?? []), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
