/** A progress line on stderr for long runs: records done, rate, and (for a file) ETA. */
const REDRAW_MS = 100;
/** The ETA waits for this much measured progress: early rates are mostly start-up. */
const ETA_AFTER_MS = 1000;
const WIDTH = 24;

export class Progress {
  private drawn = 0;
  /** The first update (the first output written): rates are measured from there, after thread start-up. */
  private base: { readonly at: number; readonly records: number; readonly bytes: number } | undefined;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    /** Input size in bytes, when known (a file): what makes an ETA possible. */
    private readonly totalBytes: number | undefined,
  ) {}

  /** A progress line only for a person watching a terminal. */
  static forTerminal(quiet: boolean, totalBytes: number | undefined): Progress | undefined {
    return !quiet && process.stderr.isTTY ? new Progress(process.stderr, totalBytes) : undefined;
  }

  update(records: number, bytes: number, now = performance.now()): void {
    this.base ??= { at: now, records, bytes };
    if (now - this.drawn < REDRAW_MS) return;
    this.drawn = now;
    this.stream.write(`\r${this.line(records, bytes, now)}\x1b[K`);
  }

  /** The progress line; the ETA reads "…" until a second of progress has been measured. */
  line(records: number, bytes: number, now: number): string {
    const base = this.base ?? { at: now, records, bytes };
    const measured = now - base.at;
    const seconds = measured / 1000;
    const rate = measured > 0 ? (records - base.records) / seconds : 0;
    let line = `${records.toLocaleString("en")} records  ${Math.round(rate).toLocaleString("en")}/s`;
    if (this.totalBytes) {
      const done = Math.min(1, bytes / this.totalBytes);
      const filled = Math.round(done * WIDTH);
      const byteRate = (bytes - base.bytes) / Math.max(seconds, 1e-9);
      const eta = measured >= ETA_AFTER_MS && byteRate > 0 ? formatSeconds((this.totalBytes - bytes) / byteRate) : "…";
      line = `[${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${(done * 100).toFixed(0).padStart(3)}%  ${line}  ETA ${eta}`;
    }
    return line;
  }

  finish(): void {
    this.stream.write("\r\x1b[K");
  }
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const whole = Math.ceil(seconds);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s`;
}
