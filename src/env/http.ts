/**
 * The server's HTTP side, for what it is good for: checking that the server is up and
 * reading its schemas. (`/reset` and `/step` over HTTP build and discard an environment
 * per request, so an episode is played over the WebSocket.)
 */
import { EnvAbortError, EnvConnectionError, EnvHttpError, EnvTimeoutError } from "./errors.js";
import { checkedTimeout, timeoutSignal } from "./timeouts.js";
import type { JsonObject } from "../model/types.js";

export interface HttpOptions {
  signal?: AbortSignal;
  /** Default 10 s. */
  timeoutMs?: number;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

export interface EnvHealth {
  status: string;
  [extra: string]: unknown;
}

/** `/schema`: JSON Schemas of the action, the observation, and OpenEnv's base state. */
export interface EnvSchema {
  action: JsonObject;
  observation: JsonObject;
  state: JsonObject;
  [extra: string]: unknown;
}

export interface EnvMetadata {
  name: string;
  version?: string | null;
  description?: string | null;
  [extra: string]: unknown;
}

/**
 * The server's HTTP base from either of its URLs: `ws://host:8000/ws` → `http://host:8000`,
 * `wss://…/ws` → `https://…`; an http(s) URL is kept (without a trailing slash).
 */
export function httpBaseUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol === "ws:") parsed.protocol = "http:";
  else if (parsed.protocol === "wss:") parsed.protocol = "https:";
  else if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new TypeError(`not a ws(s) or http(s) URL: ${url}`);
  const path = parsed.pathname.replace(/\/ws\/?$/, "").replace(/\/+$/, "");
  return `${parsed.origin}${path}`;
}

async function getJson(url: string, path: string, options: HttpOptions): Promise<unknown> {
  const target = `${httpBaseUrl(url)}${path}`;
  const timeoutMs = checkedTimeout(options.timeoutMs, 10_000, "timeoutMs");
  const timeout = timeoutSignal(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(target, { signal, headers: { accept: "application/json" } });
  } catch (error) {
    if (options.signal?.aborted) throw new EnvAbortError(`GET ${target} was aborted`, { cause: options.signal.reason });
    if (timeout.aborted) throw new EnvTimeoutError(`GET ${target}: no answer within ${timeoutMs} ms`);
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new EnvConnectionError(`cannot reach the ChaosOps server at ${target} (${cause}); is it running?`, { cause: error });
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Errors from the environment itself come back as text/plain "Internal Server Error".
  }
  if (!response.ok) throw new EnvHttpError(response.status, body, `GET ${target}`);
  return body;
}

/** `GET /health`: `{"status": "healthy"}` when the server is up. */
export async function fetchHealth(url: string, options: HttpOptions = {}): Promise<EnvHealth> {
  return (await getJson(url, "/health", options)) as EnvHealth;
}

/** `GET /schema`. */
export async function fetchSchema(url: string, options: HttpOptions = {}): Promise<EnvSchema> {
  return (await getJson(url, "/schema", options)) as EnvSchema;
}

/** `GET /metadata`. */
export async function fetchMetadata(url: string, options: HttpOptions = {}): Promise<EnvMetadata> {
  return (await getJson(url, "/metadata", options)) as EnvMetadata;
}
