/**
 * How `chaosops` ends: every failure it expects is a CliError carrying its exit status,
 * so the entry point prints one line (no stack trace) and exits with that status.
 */

/** The documented exit statuses. */
export const ExitStatus = {
  /** Every record was read and written (malformed ones as error lines, unless --strict). */
  OK: 0,
  /** The data stopped the run: --strict met a malformed record, or the input file is corrupt. */
  DATA: 1,
  /** The command line is wrong, or a file cannot be read or written. */
  USAGE: 2,
} as const;
export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus];

export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly status: ExitStatus,
    /** The usage of this command, printed after the message (for mistakes on the command line). */
    readonly usage?: string,
  ) {
    super(message);
  }
}

export function usageError(message: string, usage?: string): CliError {
  return new CliError(message, ExitStatus.USAGE, usage);
}

/** The reader of our output went away (`| head`): a quiet, successful end, as for Unix tools. */
export class OutputClosed extends Error {
  override name = "OutputClosed";
}

interface SystemError {
  readonly code?: unknown;
  readonly message?: unknown;
}

const REASONS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EMFILE: "too many open files",
};

/** A file system error as one line: what we tried, on which file, and why it failed. */
export function fileError(action: string, path: string, error: unknown): CliError {
  const code = String((error as SystemError).code ?? "");
  const reason = REASONS[code] ?? String((error as SystemError).message ?? error);
  return new CliError(`cannot ${action} ${path}: ${reason}`, ExitStatus.USAGE);
}
