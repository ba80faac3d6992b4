/**
 * A chat-completions client in a few lines of fetch, for `chaosops play` (the `openai`
 * SDK is not a runtime dependency). Errors carry `status` and `headers` as the SDK's
 * do, so the retry wrapper tells 429/5xx from other 4xx and honours Retry-After.
 */
import type { OpenAIChatClient, OpenAIChatRequest } from "./policies.js";

export class ProviderHttpError extends Error {
  override name = "ProviderHttpError";
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: string,
    url: string,
  ) {
    super(`POST ${url} answered HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

/**
 * fetch's network failure with its reason in the message ("fetch failed" alone does not
 * say that nothing listens); `cause` is the reason (its `code`, e.g. ECONNREFUSED). Aborts
 * and timeouts pass as they are.
 */
function networkError(error: unknown, url: string): unknown {
  if (!(error instanceof TypeError) || !(error.cause instanceof Error)) return error;
  return new Error(`POST ${url} failed: ${error.cause.message}`, { cause: error.cause });
}

export interface OpenAICompatibleOptions {
  /** The API root, e.g. `http://127.0.0.1:8000/v1` (vLLM) or `http://127.0.0.1:8080/v1` (llama-server). */
  baseUrl: string;
  apiKey?: string;
  fetch?: typeof fetch;
}

/** A minimal OpenAI-compatible client: `chat.completions.create(body, { signal })` → the response JSON. */
export function openaiCompatibleClient(options: OpenAICompatibleOptions): OpenAIChatClient {
  if (typeof options !== "object" || options === null || typeof options.baseUrl !== "string") {
    throw new TypeError("openaiCompatibleClient: options.baseUrl must be the server's URL (like http://127.0.0.1:8080/v1)");
  }
  const url = `${options.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const send = options.fetch ?? fetch;
  return {
    chat: {
      completions: {
        async create(body: OpenAIChatRequest, init: { signal?: AbortSignal } = {}) {
          let response: Response;
          try {
            response = await send(url, {
              method: "POST",
              headers: { "content-type": "application/json", ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
              body: JSON.stringify(body),
              ...(init.signal ? { signal: init.signal } : {}),
            });
          } catch (error) {
            throw networkError(error, url);
          }
          const text = await response.text();
          if (!response.ok) throw new ProviderHttpError(response.status, response.headers, text, url);
          try {
            return JSON.parse(text) as unknown;
          } catch {
            // No status on purpose: a garbled body is worth another try.
            throw new Error(`POST ${url} answered with a body that is not JSON: ${text.slice(0, 300)}`);
          }
        },
      },
    },
  };
}
