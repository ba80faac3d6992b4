/**
 * The WebSocket the client talks through: the runtime's own when it has one (browsers,
 * Deno, Bun, Node 22+), else the `ws` package (Node 20 has no global WebSocket). Only
 * the WHATWG subset both share is used, so either works unchanged.
 */

/** The part of the WHATWG WebSocket the client uses. */
export interface SocketLike {
  readonly readyState: number;
  binaryType?: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "message" | "close" | "error", listener: (event: SocketEvent) => void): void;
}

/** The fields read from open/message/close/error events (each event has a subset). */
export interface SocketEvent {
  readonly data?: unknown;
  readonly code?: number;
  readonly reason?: string;
  /** `ws` puts the cause of a failed connection here (e.g. "connect ECONNREFUSED …"). */
  readonly message?: string;
  readonly error?: unknown;
}

export type WebSocketConstructor = new (url: string) => SocketLike;

export const OPEN = 1;

/** The constructor to use: the caller's, the runtime's, or `ws`'s (loaded only when needed). */
export async function webSocketConstructor(given?: WebSocketConstructor): Promise<WebSocketConstructor> {
  if (given) return given;
  const native = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (native) return native;
  const ws = await import("ws");
  return ws.WebSocket as unknown as WebSocketConstructor;
}

const decoder = new TextDecoder();

/** A frame's text: servers send text frames, but a binary one is decoded rather than dropped. */
export function frameText(data: unknown): string {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return decoder.decode(data as Uint8Array);
  if (Array.isArray(data)) return data.map(frameText).join("");
  return String(data);
}
