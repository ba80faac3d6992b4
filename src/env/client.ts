/**
 * `ChaosOpsEnv`: one WebSocket session with a ChaosOps (OpenEnv) server, the only way
 * to play an episode (HTTP builds and discards an environment per request). The server
 * answers every request frame with exactly one frame, in order, so replies are matched
 * to requests first-in first-out (frames of a type no request is answered with, such as
 * `mcp`, are passed over); a request given up on (timeout, abort) keeps its place and
 * its late reply is dropped, so the session stays usable.
 */
import { EnvAbortError, EnvConnectionError, EnvError, EnvProtocolError, EnvServerError, EnvTimeoutError } from "./errors.js";
import { checkedSignal, checkedTimeout, startTimer } from "./timeouts.js";
import { OPEN, frameText, webSocketConstructor, type SocketEvent, type SocketLike, type WebSocketConstructor } from "./socket.js";
import { EnvErrorCode, checkServerFrame, isUnaskedFrame, parseFrameText, type EnvAction, type EnvState, type ServerFrame, type StepResult } from "./wire.js";

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
}

export interface ConnectOptions {
  /** How long a reply may take (default 30 s). A timed-out step may still have been applied. */
  timeoutMs?: number;
  /** How long the handshake may take (default 10 s). */
  connectTimeoutMs?: number;
  /** Cancels the handshake. */
  signal?: AbortSignal;
  /** A WebSocket class to use instead of the runtime's or `ws`'s. */
  WebSocket?: WebSocketConstructor;
}

export interface ResetParams {
  seed?: number;
  /** Shown in the state's `episode_id`; the server makes a UUID when it is absent. */
  episodeId?: string;
  /** Other keys reach the environment's `reset` as keyword arguments (ChaosOps ignores them). */
  [extra: string]: unknown;
}

type Expected = "observation" | "state";

interface Pending {
  readonly request: string;
  readonly expected: Expected;
  resolve(frame: ServerFrame): void;
  reject(error: Error): void;
  /** Given up on: its reply is dropped when it comes. */
  abandoned: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const CLOSE_WAIT_MS = 2_000;
/** The close code for a frame over the server's limit (uvicorn's default, 16 MiB). */
const MESSAGE_TOO_BIG = 1009;
/** Error frames after which the server closes the session (so nothing more can be asked). */
const FATAL_CODES: ReadonlySet<string> = new Set([EnvErrorCode.CAPACITY_REACHED, EnvErrorCode.SESSION_ERROR]);

function abortError(signal: AbortSignal, what: string): EnvAbortError {
  return new EnvAbortError(`${what} was aborted`, { cause: signal.reason });
}

function describeEvent(event: SocketEvent | undefined): string {
  if (!event) return "";
  if (typeof event.message === "string" && event.message) return event.message;
  if (event.error instanceof Error) return event.error.message;
  return "";
}

export class ChaosOpsEnv {
  private readonly pending: Pending[] = [];
  /** Why the session can no longer be used, once it cannot. */
  private ended: EnvError | undefined;
  /** An error frame that came when nothing was asked (the capacity refusal does). */
  private unsolicited: EnvServerError | undefined;
  private closedBySelf = false;
  private readonly closedPromise: Promise<void>;
  private markClosed!: () => void;

  private constructor(
    readonly url: string,
    private readonly socket: SocketLike,
    private readonly timeoutMs: number,
  ) {
    this.closedPromise = new Promise((resolve) => (this.markClosed = resolve));
    socket.addEventListener("message", (event) => this.onFrame(event));
    socket.addEventListener("close", (event) => this.onClose(event));
  }

  /**
   * Opens a session. Rejects with EnvConnectionError when nothing listens at `url` or
   * the handshake is refused (a path that is not a WebSocket route answers 403).
   *
   * @example
   * const env = await ChaosOpsEnv.connect("ws://127.0.0.1:8000/ws");
   * const first = await env.reset({ seed: 7 });
   */
  static async connect(url: string, options: ConnectOptions = {}): Promise<ChaosOpsEnv> {
    if (typeof options !== "object" || options === null) throw new TypeError("ChaosOpsEnv.connect: options must be an object");
    const signal = checkedSignal(options.signal, "ChaosOpsEnv.connect");
    const timeoutMs = checkedTimeout(options.timeoutMs, DEFAULT_TIMEOUT_MS, "timeoutMs");
    const connectTimeoutMs = checkedTimeout(options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, "connectTimeoutMs");
    if (signal?.aborted) throw abortError(signal, `connecting to ${url}`);
    const Socket = await webSocketConstructor(options.WebSocket);
    let socket: SocketLike;
    try {
      socket = new Socket(url);
    } catch (error) {
      throw new EnvConnectionError(`cannot open a WebSocket to ${url}: ${(error as Error).message}`, { cause: error });
    }
    if ("binaryType" in socket) socket.binaryType = "arraybuffer";
    // Listening from the start: a server at capacity sends its refusal right after the handshake.
    const env = new ChaosOpsEnv(url, socket, timeoutMs);
    await new Promise<void>((resolve, reject) => {
      let failure: SocketEvent | undefined;
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (error) {
          socket.close();
          reject(error);
        } else resolve();
      };
      const onAbort = () => finish(abortError(signal as AbortSignal, `connecting to ${url}`));
      const timer = startTimer(connectTimeoutMs, () => finish(new EnvTimeoutError(`no WebSocket handshake with ${url} within ${connectTimeoutMs} ms`)));
      signal?.addEventListener("abort", onAbort, { once: true });
      socket.addEventListener("open", () => finish());
      socket.addEventListener("error", (event) => (failure = event));
      socket.addEventListener("close", (event) => {
        const detail = describeEvent(failure) || `closed with code ${event.code ?? "?"}`;
        finish(
          new EnvConnectionError(`cannot connect to the ChaosOps server at ${url} (${detail}); is it running, and is the path its WebSocket route (/ws)?`, {
            ...(event.code === undefined ? {} : { closeCode: event.code }),
            cause: failure?.error,
          }),
        );
      });
    });
    return env;
  }

  /** True once the session cannot be used: closed by either side, or refused by the server. */
  get closed(): boolean {
    return this.ended !== undefined || this.unsolicited !== undefined;
  }

  /** Starts an episode (a second reset in one session starts over). */
  async reset(params: ResetParams = {}, options: CallOptions = {}): Promise<StepResult> {
    const { seed, episodeId, ...extra } = params;
    const data: Record<string, unknown> = { ...extra };
    if (seed !== undefined) data.seed = seed;
    if (episodeId !== undefined) data.episode_id = episodeId;
    const frame = await this.request({ type: "reset", data }, "observation", options);
    return (frame as Extract<ServerFrame, { type: "observation" }>).data;
  }

  /** Plays one action for the role whose turn it is (the server overwrites `role` with it). */
  async step(action: EnvAction, options: CallOptions = {}): Promise<StepResult> {
    if (typeof action !== "object" || action === null || Array.isArray(action)) {
      throw new TypeError(`step expects an action object {role, action_type, target, args} (got ${Array.isArray(action) ? "an array" : String(action)})`);
    }
    // As the real client sends it: no target when there is none, no args when they are empty (the server's defaults).
    const { role, action_type, target, args } = action;
    const data = {
      role,
      action_type,
      ...(target === undefined || target === null ? {} : { target }),
      ...(args === undefined || args === null || Object.keys(args).length === 0 ? {} : { args }),
    };
    const frame = await this.request({ type: "step", data }, "observation", options);
    return (frame as Extract<ServerFrame, { type: "observation" }>).data;
  }

  /** The simulator's ground truth: resolved, cumulative reward (with the end-of-episode penalty), episode id. */
  async state(options: CallOptions = {}): Promise<EnvState> {
    const frame = await this.request({ type: "state" }, "state", options);
    return (frame as Extract<ServerFrame, { type: "state" }>).data;
  }

  /** Ends the session (the server closes with 1000); requests still waiting are rejected. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.closedBySelf = true;
    if (this.socket.readyState === OPEN) this.socket.send(JSON.stringify({ type: "close" }));
    // The server closes on its own after a close frame; a stuck one is closed from here,
    // and a connection that does not even finish closing is given up on.
    const timer = setTimeout(() => this.socket.close(1000), CLOSE_WAIT_MS);
    const abandon = setTimeout(() => this.onClose({ reason: "no closing handshake" }), 3 * CLOSE_WAIT_MS);
    await this.closedPromise;
    clearTimeout(timer);
    clearTimeout(abandon);
  }

  private request(frame: object, expected: Expected, options: CallOptions): Promise<ServerFrame> {
    const type = (frame as { type: string }).type;
    if (this.unsolicited) return Promise.reject(this.unsolicited);
    if (this.ended) return Promise.reject(this.ended);
    if (typeof options !== "object" || options === null) return Promise.reject(new TypeError(`${type}: options must be an object { timeoutMs?, signal? }`));
    let signal: AbortSignal | undefined;
    let timeoutMs: number;
    let text: string;
    try {
      signal = checkedSignal(options.signal, type);
      if (signal?.aborted) return Promise.reject(abortError(signal, type));
      timeoutMs = checkedTimeout(options.timeoutMs, this.timeoutMs, "timeoutMs");
    } catch (error) {
      return Promise.reject(error);
    }
    try {
      text = JSON.stringify(frame);
    } catch (error) {
      // An action JSON cannot hold (a BigInt, a cycle, nesting past the stack): the caller's mistake, not the connection's.
      return Promise.reject(new TypeError(`cannot send ${type}: ${(error as Error).message}`, { cause: error }));
    }
    return new Promise<ServerFrame>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const giveUp = (error: Error) => {
        entry.abandoned = true;
        settle();
        reject(error);
      };
      const onAbort = () => giveUp(abortError(signal as AbortSignal, type));
      const entry: Pending = {
        request: type,
        expected,
        abandoned: false,
        resolve: (reply) => (settle(), resolve(reply)),
        reject: (error) => (settle(), reject(error)),
      };
      const timer = startTimer(timeoutMs, () => giveUp(new EnvTimeoutError(`no reply to ${type} from ${this.url} within ${timeoutMs} ms`)));
      signal?.addEventListener("abort", onAbort, { once: true });
      this.pending.push(entry);
      try {
        this.socket.send(text);
      } catch (error) {
        this.pending.pop();
        entry.reject(new EnvConnectionError(`cannot send ${type} to ${this.url}: ${(error as Error).message}`, { cause: error }));
      }
    });
  }

  private onFrame(event: SocketEvent): void {
    const text = frameText(event.data);
    let frame: ServerFrame;
    try {
      const value = parseFrameText(text);
      if (isUnaskedFrame(value)) return;
      frame = checkServerFrame(value, text);
    } catch (error) {
      const entry = this.pending.shift();
      if (entry && !entry.abandoned) entry.reject(error as Error);
      return;
    }
    const entry = this.pending.shift();
    if (!entry) {
      // An extra copy of a reply is dropped; only a refusal the server closes after ends the session.
      if (frame.type === "error" && FATAL_CODES.has(frame.data.code)) this.unsolicited = new EnvServerError(frame.data);
      return;
    }
    if (entry.abandoned) return;
    if (frame.type === "error") return entry.reject(new EnvServerError(frame.data, entry.request));
    if (frame.type !== entry.expected) {
      return entry.reject(new EnvProtocolError(`expected a ${entry.expected} frame in reply to ${entry.request}, got ${frame.type}`));
    }
    entry.resolve(frame);
  }

  private onClose(event: SocketEvent): void {
    if (this.ended) return;
    const code = event.code;
    const reason = event.reason ? `: ${event.reason}` : code === MESSAGE_TOO_BIG ? ": message too big; the server takes frames of at most 16 MiB" : "";
    this.ended = this.closedBySelf
      ? new EnvConnectionError(`the session with ${this.url} was closed by the client`, { ...(code === undefined ? {} : { closeCode: code }) })
      : new EnvConnectionError(`the ChaosOps server at ${this.url} closed the connection (code ${code ?? "?"}${reason})`, {
          ...(code === undefined ? {} : { closeCode: code }),
          ...(this.unsolicited ? { cause: this.unsolicited } : {}),
        });
    for (const entry of this.pending.splice(0)) {
      if (!entry.abandoned) entry.reject(new EnvConnectionError(`${this.ended.message} while waiting for the reply to ${entry.request}`, { ...(code === undefined ? {} : { closeCode: code }), cause: this.ended }));
    }
    this.markClosed();
  }
}
