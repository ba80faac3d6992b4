/**
 * A loopback HTTP server that answers as OpenAI's and Anthropic's APIs do, from a script,
 * for the real SDK clients to talk to. It listens on 127.0.0.1 at a random port and
 * records what it saw: request bodies, and whether a client hung up on a stream before
 * the server had sent all of it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Reply =
  | { readonly kind: "json"; readonly status?: number; readonly headers?: Record<string, string>; readonly body: unknown }
  | {
      readonly kind: "sse";
      /** Events sent at once. */
      readonly events: readonly string[];
      /** Events sent after `pauseMs`, unless the client has gone by then (a hang-up ends the pause at once). */
      readonly later?: readonly string[];
      readonly pauseMs?: number;
    }
  | { readonly kind: "hang" };

export interface Seen {
  readonly path: string;
  readonly body: unknown;
  /** For a stream: the client disconnected before `later` was sent. */
  hungUpEarly?: boolean;
  /** For a hung request: the client gave up and closed it. */
  closedByClient?: boolean;
}

export const sse = {
  openai: (chunk: unknown) => `data: ${JSON.stringify(chunk)}\n\n`,
  openaiDone: "data: [DONE]\n\n",
  anthropic: (event: { type: string }) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`,
};

export class FakeProvider {
  readonly seen: Seen[] = [];
  private readonly script: Reply[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly server = createServer((req, res) => {
    const answered = this.answer(req, res).finally(() => this.pending.delete(answered));
    this.pending.add(answered);
  });

  /** Resolves once every request so far has been answered (or hung up on), so `seen` is final. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Queues replies, answered in order, one per request. */
  reply(...replies: Reply[]): void {
    this.script.push(...replies);
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = "";
    for await (const piece of req) raw += String(piece);
    const seen: Seen = { path: req.url ?? "", body: raw ? (JSON.parse(raw) as unknown) : undefined };
    this.seen.push(seen);
    const reply = this.script.shift() ?? { kind: "json", status: 500, body: { error: { message: "script ran out" } } };
    if (reply.kind === "json") {
      res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
      res.end(JSON.stringify(reply.body));
      return;
    }
    if (reply.kind === "hang") {
      res.on("close", () => (seen.closedByClient = true));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    for (const event of reply.events) res.write(event);
    let gone = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      res.on("close", () => {
        gone = true;
        resolve();
      });
      timer = setTimeout(resolve, reply.pauseMs ?? 0);
    });
    clearTimeout(timer);
    seen.hungUpEarly = gone;
    if (gone) return;
    for (const event of reply.later ?? []) res.write(event);
    res.end();
  }
}
