/**
 * The files of `chaosops parse`, opened so that no run can destroy data: the input is
 * opened (and checked) before anything is written, output to a file goes to a temporary
 * file next to it that replaces it only when the run succeeds, and the output can never
 * be the input, whatever the spelling (`./x`, a symlink, a hard link).
 */
import { fstatSync, realpathSync, statSync, unlinkSync, type Stats } from "node:fs";
import { chmod, open, rename, unlink, type FileHandle } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import { CliError, ExitStatus, fileError, OutputClosed, usageError } from "./cli-errors.js";

/** Device and inode: the same file under any name. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

export interface Input {
  readonly pieces: AsyncIterable<Uint8Array | string>;
  /** Size in bytes when the input is a file (what makes an ETA possible). */
  readonly size?: number;
  readonly identity?: FileIdentity;
}

export interface Output {
  /** Resolves once the data is handed to the system: the caller may then fill its buffer again. */
  write(data: Uint8Array | string): Promise<void>;
  /** The run succeeded (or --strict stopped it): make the output final. */
  commit(): Promise<void>;
  /** The run failed: leave any existing output file as it was. */
  discard(): Promise<void>;
}

const READ_BYTES = 1 << 20;

function identity(stats: Stats): FileIdentity | undefined {
  return stats.isFile() ? { dev: stats.dev, ino: stats.ino } : undefined;
}

/** JSONL from a file or from standard input ("-"), refusing an interactive terminal. */
export async function openJsonlInput(path: string): Promise<Input> {
  if (path === "-") {
    if (process.stdin.isTTY) {
      throw usageError("standard input is a terminal: give a file, or pipe JSONL in (chaosops parse --help for more)");
    }
    const stats = statOf(0);
    return { pieces: refuseUtf16(process.stdin, "standard input"), ...(stats && identity(stats) ? { identity: identity(stats) } : {}) };
  }
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw fileError("read", path, error);
  }
  const stats = await handle.stat();
  if (stats.isDirectory()) {
    await handle.close();
    throw fileError("read", path, { code: "EISDIR" });
  }
  const found = identity(stats);
  return { pieces: refuseUtf16(handle.createReadStream({ highWaterMark: READ_BYTES }), path), ...(found ? { identity: found, size: stats.size } : {}) };
}

/**
 * The input's pieces, refused whole when it starts with a UTF-16 byte order mark (a
 * Windows export): read as UTF-8 every line would be a malformed record.
 */
async function* refuseUtf16(pieces: AsyncIterable<Uint8Array | string>, name: string): AsyncGenerator<Uint8Array | string> {
  let first = true;
  for await (const piece of pieces) {
    if (first && typeof piece !== "string" && piece.length >= 2) {
      const [a, b] = piece;
      if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
        throw new CliError(`cannot read ${name}: it is UTF-16 text, and JSONL is UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)`, ExitStatus.USAGE);
      }
    }
    first = false;
    yield piece;
  }
}

function statOf(fd: number): Stats | undefined {
  try {
    return fstatSync(fd);
  } catch {
    return undefined;
  }
}

/** The identity of an existing path (following links), or undefined when there is none. */
export function identityOf(path: string): FileIdentity | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats ? identity(stats) : undefined;
}

/** Standard output, with one error listener for the whole run; a closed pipe ends the run quietly. */
function stdoutOutput(): Output {
  const out = process.stdout;
  let failure: Error | undefined;
  out.on("error", (error: Error) => (failure ??= error));
  const check = () => {
    if (!failure) return;
    if ((failure as { code?: string }).code === "EPIPE") throw new OutputClosed();
    throw fileError("write", "standard output", failure);
  };
  return {
    async write(data) {
      check();
      // Each write waits for its own callback (not only for "drain"): the buffer is reused after it.
      if (data.length > 0) {
        await new Promise<void>((resolve) =>
          out.write(data, (error) => {
            failure ??= error ?? undefined;
            resolve();
          }),
        );
      }
      check();
    },
    commit: async () => check(),
    discard: async () => undefined,
  };
}

/**
 * Output to `path` (or standard output when undefined). A file is written as a
 * temporary file in the same folder and renamed over `path` on commit, so a failed run
 * (a missing input, a full disk, a crash) leaves an existing file untouched.
 */
export async function openOutput(path: string | undefined, input: FileIdentity | undefined, usage: string): Promise<Output> {
  if (path === undefined || path === "-") return stdoutOutput();
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw fileError("write", path, { code: "EISDIR" });
  const same = existing && input && existing.dev === input.dev && existing.ino === input.ino;
  if (same) throw usageError(`--out ${path} is the input file: write the output elsewhere`, usage);
  // A device, a FIFO or a descriptor (/dev/null, /dev/stdout) is written in place: renaming
  // a file over it would replace the device itself, or drop what `>>` had kept.
  if ((existing && !existing.isFile()) || DESCRIPTOR_PATH.test(resolve(path))) return directOutput(path);
  // Write through a symbolic link to the file it names, as `>` would.
  const target = existing ? realpathSync(path) : path;
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  // Watched before it exists: a signal right after the file appears must find it watched.
  const forget = removeOnSignal(temporary);
  let handle: FileHandle;
  try {
    handle = await open(temporary, "wx", 0o666);
  } catch (error) {
    forget();
    throw fileError("write", path, error);
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    write: (data) => writeAll(handle, path, data),
    async commit() {
      try {
        await close();
        if (existing) await chmod(temporary, existing.mode & 0o7777);
        await rename(temporary, target);
      } catch (error) {
        await unlink(temporary).catch(() => undefined);
        throw fileError("write", path, error);
      } finally {
        forget();
      }
    },
    async discard() {
      await close().catch(() => undefined);
      await unlink(temporary).catch(() => undefined);
      forget();
    },
  };
}

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Until the output is final, a stop signal (Ctrl-C, `kill`, a closed terminal) removes
 * the temporary file and then ends the process by the same signal, as it would have
 * ended without us: the existing output stays as it was and nothing is left beside it.
 * Returns the function that stops watching.
 */
function removeOnSignal(temporary: string): () => void {
  const handler = (signal: NodeJS.Signals) => {
    forget();
    try {
      unlinkSync(temporary);
    } catch {
      // Already gone: nothing to clean.
    }
    process.kill(process.pid, signal);
  };
  const forget = () => STOP_SIGNALS.forEach((signal) => process.off(signal, handler));
  STOP_SIGNALS.forEach((signal) => process.on(signal, handler));
  return forget;
}

/** Paths that name an open descriptor of this process rather than a file of their own. */
const DESCRIPTOR_PATH = /^\/(?:dev\/(?:stdout|stderr|fd\/\d+)|proc\/[^/]+\/fd\/\d+)$/;

/** Writes straight to a path that is not a regular file, appending (never truncating what a redirection set up). */
async function directOutput(path: string): Promise<Output> {
  let handle: FileHandle;
  try {
    handle = await open(path, "a");
  } catch (error) {
    throw fileError("write", path, error);
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    write: (data) => writeAll(handle, path, data),
    async commit() {
      try {
        await close();
      } catch (error) {
        throw fileError("write", path, error);
      }
    },
    discard: async () => close().catch(() => undefined),
  };
}

async function writeAll(handle: FileHandle, path: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  try {
    for (let at = 0; at < bytes.length; ) at += (await handle.write(bytes, at)).bytesWritten;
  } catch (error) {
    if ((error as { code?: string }).code === "EPIPE") throw new OutputClosed();
    throw fileError("write", path, error);
  }
}

/** A data problem in the input file itself: the run stops with exit status 1. */
export function corruptInput(path: string, message: string): CliError {
  return new CliError(`${path} is corrupt: ${message}`, ExitStatus.DATA);
}
