/** A progress line on stderr for long runs: records done, rate, and (for a file) ETA. */
const REDRAW_MS = 100;
const WIDTH = 24;

export class Progress {
  private readonly started = performance.now();
  private drawn = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    /** Input size in bytes, when known (a file): what makes an ETA possible. */
    private readonly totalBytes: number | undefined,
  ) {}

  /** A progress line only for a person watching a terminal. */
  static forTerminal(quiet: boolean, totalBytes: number | undefined): Progress | undefined {
    return !quiet && process.stderr.isTTY ? new Progress(process.stderr, totalBytes) : undefined;
  }

  update(records: number, bytes: number): void {
    const now = performance.now();
    if (now - this.drawn < REDRAW_MS) return;
    this.drawn = now;
    const seconds = (now - this.started) / 1000;
    const rate = records / Math.max(seconds, 1e-9);
    let line = `${records.toLocaleString("en")} records  ${Math.round(rate).toLocaleString("en")}/s`;
    if (this.totalBytes) {
      const done = Math.min(1, bytes / this.totalBytes);
      const filled = Math.round(done * WIDTH);
      const eta = done > 0 ? (seconds / done) * (1 - done) : 0;
      line = `[${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${(done * 100).toFixed(0).padStart(3)}%  ${line}  ETA ${formatSeconds(eta)}`;
    }
    this.stream.write(`\r${line}\x1b[K`);
  }

  finish(): void {
    this.stream.write("\r\x1b[K");
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, "0")}s`;
}
