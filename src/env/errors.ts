/**
 * Everything the environment client throws is an EnvError, one subclass per way of
 * failing, so callers can tell "the server refused this" (EnvServerError, with the
 * frame's `code`) from "there is no server any more" (EnvConnectionError).
 */
import type { ErrorFrameData, EnvErrorCode, ValidationIssue } from "./wire.js";

export class EnvError extends Error {
  override name = "EnvError";
}

/** An error frame: the server answered the request with `{"type":"error"}`. */
export class EnvServerError extends EnvError {
  override name = "EnvServerError";
  readonly code: EnvErrorCode | (string & {});
  /** The pydantic errors of a VALIDATION_ERROR. */
  readonly errors: readonly ValidationIssue[];
  /** The frame's `data` as sent. */
  readonly data: ErrorFrameData;

  constructor(data: ErrorFrameData, request?: string) {
    super(`${data.code}: ${data.message}${request ? ` (in reply to ${request})` : ""}`);
    this.code = data.code;
    this.errors = data.errors ?? [];
    this.data = data;
  }
}

/** No server at the address, the handshake was refused, or the connection closed. */
export class EnvConnectionError extends EnvError {
  override name = "EnvConnectionError";
  /** The WebSocket close code, when the connection was open and then closed. */
  readonly closeCode: number | undefined;

  constructor(message: string, options: { closeCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.closeCode = options.closeCode;
  }
}

/** No reply within the time allowed. */
export class EnvTimeoutError extends EnvError {
  override name = "EnvTimeoutError";
}

/** The caller's AbortSignal fired; `cause` is the signal's reason. */
export class EnvAbortError extends EnvError {
  override name = "AbortError";
}

/** The server sent something that does not follow the protocol. */
export class EnvProtocolError extends EnvError {
  override name = "EnvProtocolError";
}

/** An HTTP endpoint answered with a status other than 2xx. */
export class EnvHttpError extends EnvError {
  override name = "EnvHttpError";
  constructor(
    readonly status: number,
    /** The JSON body (`{"detail": …}`), or the text when it was not JSON. */
    readonly body: unknown,
    request: string,
  ) {
    super(`${request} answered HTTP ${status}: ${typeof body === "string" ? body : JSON.stringify(body)}`);
  }
}
