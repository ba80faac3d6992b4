/**
 * A loopback ChaosOps (OpenEnv) server for the tests: HTTP and `/ws` on 127.0.0.1 at a
 * random port, following the protocol of `test/fixtures/openenv/` (copied from the
 * recordings of the real server). Where the recordings hold the reply to the same
 * request in the same episode history, that reply is sent byte for byte, written as
 * the real server writes it (compact JSON, floats as Python writes them, non-ASCII
 * raw). Elsewhere it follows the documented rules: the turn order, the server filling
 * in the role, step counts, pydantic-style validation errors, and the noop episode's
 * reward rule (-2 × step) as a stand-in for the simulator's rewards.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { WebSocketServer, type RawData, type WebSocket } from "ws";

const FIXTURES = new URL("../fixtures/openenv/", import.meta.url);
const TURN_ORDER = ["sre", "oversight", "dev", "manager"] as const;
const ROLES = ["sre", "dev", "manager", "oversight"];
const ACTION_TYPES = ["noop", "communicate", "restart", "rollback", "scale", "flag_rogue", "identify_root_cause", "escalate", "resolve"];
const MAX_STEPS = 20;
const PYDANTIC = "https://errors.pydantic.dev/2.13/v/";
const EPISODE_PLACEHOLDER = "\u0000episode_id\u0000";
/** A frame no request is answered with, as a newer server may send beside its replies. */
export const UNASKED_FRAME = '{"type":"mcp","data":{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x"}}}';

// ---------------------------------------------------------------------------
// JSON text as the server writes it
// ---------------------------------------------------------------------------

function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}

/**
 * Python `json.dumps(value, separators=(",", ":"), ensure_ascii=False)` from the text
 * `json.dumps(value)` wrote: spaces between tokens dropped, `\uXXXX` escapes of
 * non-ASCII characters written raw (numbers keep their text, so `22.0` stays `22.0`).
 */
export function pythonCompact(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      const end = skipString(text, i);
      out += text.slice(i, end).replace(/\\u([0-9a-fA-F]{4})(?:\\u([dD][c-fC-F][0-9a-fA-F]{2}))?/g, (escape, high: string, low: string | undefined) => {
        const code = parseInt(high, 16);
        if (code < 0x7f) return escape;
        return low === undefined ? String.fromCharCode(code) : String.fromCharCode(code, parseInt(low, 16));
      });
      i = end;
      continue;
    }
    if (c !== " " && c !== "\n" && c !== "\r" && c !== "\t") out += c;
    i++;
  }
  return out;
}

function valueEnd(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = skipString(text, i);
      continue;
    }
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      if (depth === 0) return i;
      depth--;
    } else if (c === "," && depth === 0) return i;
    i++;
  }
  return text.length;
}

/** The text of one member's value in a compact JSON object's text. */
export function memberText(objectText: string, key: string): string | undefined {
  let i = 1;
  while (i < objectText.length && objectText[i] === '"') {
    const keyEnd = skipString(objectText, i);
    const name = JSON.parse(objectText.slice(i, keyEnd)) as string;
    const end = valueEnd(objectText, keyEnd + 1);
    if (name === key) return objectText.slice(keyEnd + 1, end);
    if (objectText[end] !== ",") return undefined;
    i = end + 1;
  }
  return undefined;
}

/** A Python float's repr for the values this server writes. */
function pyFloat(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

// ---------------------------------------------------------------------------
// Recordings
// ---------------------------------------------------------------------------

export interface RecordedExchange {
  readonly note: string;
  /** The frame sent, as text (`<binary> …` for the binary one); absent when nothing was sent. */
  readonly sent?: string;
  readonly received: unknown;
  /** The received value's text as the server sent it. */
  readonly receivedText?: string;
  /** The frames received, as the server sent them, when there were several (or one and a close). */
  readonly receivedFrames?: string[];
  readonly error?: string;
}

export function loadRecording(name: string): RecordedExchange[] {
  return readFileSync(new URL(name, FIXTURES), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const compact = pythonCompact(line);
      const parsed = JSON.parse(line) as { note: string; sent?: string; received: unknown; error?: string };
      const raw = memberText(compact, "received");
      const exchange: RecordedExchange = { ...parsed };
      if (raw === undefined || raw === "null") return exchange;
      if (!Array.isArray(parsed.received)) return { ...exchange, receivedText: raw };
      const frames: string[] = [];
      let i = 1;
      while (raw[i] === "{") {
        const end = valueEnd(raw, i) ;
        frames.push(raw.slice(i, end));
        i = end + 1;
      }
      return { ...exchange, receivedFrames: frames };
    });
}

export interface RecordedHttp {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | null;
  readonly body: string | null;
  readonly status: number;
  readonly responseType: string;
  /** The response body as the server sent it. */
  readonly responseText: string;
  readonly json: unknown;
}

export function loadHttpRecording(): RecordedHttp[] {
  return readFileSync(new URL("http.jsonl", FIXTURES), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const parsed = JSON.parse(line) as {
        request: { method: string; path: string; content_type: string | null; body: string | null };
        response: { status: number; content_type: string; json: unknown; text: string | null };
      };
      const response = memberText(pythonCompact(line), "response") as string;
      const json = memberText(response, "json") as string;
      return {
        method: parsed.request.method,
        path: parsed.request.path,
        contentType: parsed.request.content_type,
        body: parsed.request.body,
        status: parsed.response.status,
        responseType: parsed.response.content_type,
        responseText: json === "null" ? (parsed.response.text ?? "") : json,
        json: parsed.response.json,
      };
    });
}

// ---------------------------------------------------------------------------
// One session's rules
// ---------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function errorFrame(code: string, message: string, extra: JsonObject = {}): string {
  return JSON.stringify({ type: "error", data: { message, code, ...extra } });
}

function issue(type: string, loc: (string | number)[], msg: string, input: Json, ctx?: JsonObject): JsonObject {
  return { type, loc, msg, input, ...(ctx ? { ctx } : {}), url: `${PYDANTIC}${type}` };
}

function enumMessage(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  return `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/** Pydantic's errors for a ChaosOpsAction, in field order; an empty list when it is valid. */
export function actionIssues(data: JsonObject): JsonObject[] {
  const issues: JsonObject[] = [];
  for (const [field, values] of [["role", ROLES], ["action_type", ACTION_TYPES]] as const) {
    const value = data[field];
    if (value === undefined) issues.push(issue("missing", [field], "Field required", data));
    else if (typeof value !== "string" || !values.includes(value)) {
      const expected = enumMessage(values);
      issues.push(issue("enum", [field], `Input should be ${expected}`, value, { expected }));
    }
  }
  if (data.target !== undefined && data.target !== null && typeof data.target !== "string") issues.push(issue("string_type", ["target"], "Input should be a valid string", data.target));
  if (data.args !== undefined && !isObject(data.args)) issues.push(issue("dict_type", ["args"], "Input should be a valid dictionary", data.args));
  return issues;
}

/** What identifies an applied action for the replay: its role is the server's, so it is left out. */
function actionKey(data: JsonObject): string {
  const args = isObject(data.args) ? data.args : {};
  const kept = Object.keys(args)
    .sort()
    .filter((key) => args[key] !== null)
    .map((key) => [key, args[key]]);
  return JSON.stringify([data.action_type, data.target ?? null, kept]);
}

function pythonTypeName(value: Json): string {
  if (value === null) return "NoneType";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return Array.isArray(value) ? "list" : "dict";
}

/** Python `int(value)` failing, as the simulator's scale does on a non-integer. */
function intError(value: Json): string | undefined {
  if (typeof value === "number" || typeof value === "boolean") return undefined;
  if (typeof value === "string") return /^\s*[-+]?\d+\s*$/.test(value) ? undefined : `invalid literal for int() with base 10: '${value}'`;
  return `int() argument must be a string, a bytes-like object or a real number, not '${pythonTypeName(value)}'`;
}

export interface AppliedAction {
  /** The role the server filled in (whose turn it was). */
  readonly role: string;
  readonly action_type: string;
  readonly target: string | null;
  readonly args: JsonObject;
}

/** Replies the recordings hold, by request and episode history. */
export class ReplayTable {
  readonly replies = new Map<string, string>();

  set(key: string, text: string): void {
    const known = this.replies.get(key);
    if (known !== undefined && known !== text) throw new Error(`recordings disagree on ${key}:\n${known}\n${text}`);
    this.replies.set(key, text);
  }
}

/** A reply, and whether the server closes the connection after it. */
interface Outcome {
  readonly reply?: string;
  readonly close?: boolean;
}

export class Session {
  /** "none" before any reset (the never-reset simulator answers too), else "reset". */
  private base = "none";
  private history: string[] = [];
  private stepCount = 0;
  private turn = 0;
  private rewards = 0;
  private episodeId: string | null = null;
  readonly applied: AppliedAction[] = [];

  constructor(private readonly table: ReplayTable, private readonly learn: boolean) {}

  private key(kind: string): string {
    return `${kind}|${this.base}|${this.history.join(";")}`;
  }

  /** The recorded reply for `key` (learning it first when replaying a recording), else `made()`. */
  private reply(key: string, recorded: string | undefined, made: () => string): string {
    if (this.learn && recorded !== undefined) this.table.set(key, recorded);
    return this.table.replies.get(key) ?? made();
  }

  handle(text: string, recorded?: string): Outcome {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (error) {
      return { reply: this.reply(`text|${text}`, recorded, () => errorFrame("INVALID_JSON", `Invalid JSON: ${(error as Error).message}`)) };
    }
    const type = isObject(message) && typeof message.type === "string" ? message.type : "";
    const unknown = () => ({ reply: this.reply(`text|${text}`, recorded, () => errorFrame("UNKNOWN_TYPE", `Unknown message type: ${type}`)) });
    if (!isObject(message) || !["reset", "step", "state", "close", "mcp"].includes(type)) return unknown();
    const extra = Object.keys(message).filter((key) => key !== "type" && key !== "data");
    if (extra.length > 0) {
      const errors = extra.map((key) => issue("extra_forbidden", [key], "Extra inputs are not permitted", message[key] as Json));
      return { reply: this.reply(`text|${text}`, recorded, () => errorFrame("VALIDATION_ERROR", "Invalid message", { errors })) };
    }
    switch (type) {
      case "reset":
        return this.reset(message, text, recorded);
      case "step":
        return this.step(message, text, recorded);
      case "state":
        return { reply: this.state(recorded) };
      case "close":
        return { close: true };
      default: {
        const request = isObject(message.data) ? message.data : {};
        const error = { code: -32603, message: "Environment does not support MCP", data: null };
        return { reply: this.reply(`text|${text}`, recorded, () => JSON.stringify({ type: "mcp", data: { jsonrpc: "2.0", id: request.id ?? null, error } })) };
      }
    }
  }

  private reset(message: JsonObject, text: string, recorded: string | undefined): Outcome {
    const data = message.data === undefined ? {} : message.data;
    if (!isObject(data)) {
      return { reply: this.reply(`text|${text}`, recorded, () => errorFrame("VALIDATION_ERROR", "Invalid message", { errors: [issue("dict_type", ["data"], "Input should be a valid dictionary", data)] })) };
    }
    if (data.scenario !== undefined && data.scenario !== null) {
      return { reply: this.reply(`text|${text}`, recorded, () => errorFrame("EXECUTION_ERROR", `'${pythonTypeName(data.scenario as Json)}' object has no attribute 'seed'`)) };
    }
    this.base = "reset";
    this.history = [];
    this.stepCount = 0;
    this.turn = 0;
    this.rewards = 0;
    this.episodeId = data.episode_id === undefined || data.episode_id === null ? randomUUID() : String(data.episode_id);
    return { reply: this.reply("reset", recorded, () => this.table.replies.get("reset") ?? errorFrame("EXECUTION_ERROR", "no recorded reset")) };
  }

  private step(message: JsonObject, text: string, recorded: string | undefined): Outcome {
    const invalid = (errors: JsonObject[]) => ({ reply: this.reply(`text|${text}`, recorded, () => errorFrame("VALIDATION_ERROR", "Invalid message", { errors })) });
    if (message.data === undefined) return invalid([issue("missing", ["data"], "Field required", message)]);
    const data = message.data;
    if (!isObject(data)) return invalid([issue("dict_type", ["data"], "Input should be a valid dictionary", data)]);
    const issues = actionIssues(data);
    if (issues.length > 0) return invalid(issues);
    const role = TURN_ORDER[this.turn % TURN_ORDER.length] as string;
    this.stepCount++;
    this.history.push(actionKey(data));
    const args = isObject(data.args) ? data.args : {};
    const failure = data.action_type === "scale" && args.replicas !== undefined && args.replicas !== null ? intError(args.replicas) : undefined;
    if (failure) return { reply: this.reply(`text|${text}`, recorded, () => errorFrame("EXECUTION_ERROR", failure)) };
    this.turn++;
    this.applied.push({ role, action_type: data.action_type as string, target: (data.target as string | null | undefined) ?? null, args });
    const reply = this.reply(this.key("step"), recorded, () => this.madeObservation(role, data));
    this.rewards += Number(/"reward":(-?[\d.e+-]+)/.exec(reply)?.[1] ?? 0);
    return { reply };
  }

  /** An observation for a history the recordings do not hold: the noop episode's, with this step's numbers. */
  private madeObservation(role: string, data: JsonObject): string {
    const next = TURN_ORDER[this.turn % TURN_ORDER.length] as string;
    const template = [...this.table.replies.entries()].find(([key, text]) => key.startsWith("step|reset|") && text.includes(`"turn_role":"${next}"`))?.[1];
    if (!template) throw new Error("no recorded observation to build on");
    const done = this.stepCount >= MAX_STEPS;
    let message = `${role.toUpperCase()}: ${String(data.action_type)}`;
    if (typeof data.target === "string" && data.target) message += ` | -> ${data.target}`;
    if (done) message += " | × episode ended unresolved";
    const head = template.slice(0, template.indexOf('"step":'));
    return `${head}"step":${this.stepCount},"turn_role":"${next}","message":${JSON.stringify(message)}},"reward":${pyFloat(-2 * this.stepCount)},"done":${done}}}`;
  }

  private state(recorded: string | undefined): string {
    const id = JSON.stringify(this.episodeId);
    const key = this.key("state");
    if (this.learn && recorded !== undefined) this.table.set(key, recorded.replace(`"episode_id":${memberText(memberText(recorded, "data") as string, "episode_id")}`, `"episode_id":${EPISODE_PLACEHOLDER}`));
    const known = this.table.replies.get(key);
    if (known !== undefined) return known.replace(EPISODE_PLACEHOLDER, id);
    const template = this.table.replies.get("state|reset|") as string;
    return template
      .replace(EPISODE_PLACEHOLDER, id)
      .replace(/"step_count":\d+/, `"step_count":${this.stepCount}`)
      .replace(/"cumulative_reward":-?[\d.]+/, `"cumulative_reward":${pyFloat(this.rewards)}`);
  }
}

/** Every recorded WS exchange, learnt into one table (throws if two recordings disagree). */
function learnRecordings(): { table: ReplayTable; capacity: string; sessionError: string } {
  const table = new ReplayTable();
  let capacity = "";
  let sessionError = "";
  for (const file of ["ws_episode.jsonl", "ws_episode_resolve.jsonl", "ws_errors.jsonl"]) {
    const session = new Session(table, true);
    for (const exchange of loadRecording(file)) {
      if (exchange.sent === undefined) {
        if (exchange.receivedFrames?.[0]?.includes("CAPACITY_REACHED")) capacity = exchange.receivedFrames[0];
        continue;
      }
      if (exchange.sent.startsWith("<binary>")) {
        sessionError = exchange.receivedFrames?.[0] ?? "";
        continue;
      }
      session.handle(exchange.sent, exchange.receivedText);
    }
  }
  return { table, capacity, sessionError };
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

export class OpenEnvServer {
  private readonly recorded = learnRecordings();
  private readonly http = loadHttpRecording();
  private readonly server = createServer((req, res) => void this.answer(req, res));
  private readonly wss = new WebSocketServer({ noServer: true });
  private active: WebSocket | undefined;
  private port = 0;
  /** Every text frame received, in order, across sessions. */
  readonly received: string[] = [];
  /** The frames sent, in order. */
  readonly sent: string[] = [];
  /** The sessions, in the order they were opened (refused ones excluded). */
  readonly sessions: Session[] = [];
  /** When set, the connection is cut (no close frame) instead of sending this many-th reply from now. */
  private dropIn: number | undefined;
  /** When true, requests get no reply. */
  silent = false;
  /** Frames sent instead of the next replies, in order (to put any recorded frame before the client); `close` then closes with 1000. */
  readonly injected: { text: string; close?: boolean }[] = [];
  /** Replies wait this long. */
  delayMs = 0;
  /** For each of the next replies, in order: whether a frame no request asks for (an `mcp` notification) goes out before it. */
  readonly unaskedBefore: boolean[] = [];
  private outbox: Promise<void> = Promise.resolve();

  async start(): Promise<this> {
    this.server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
      if (req.url !== "/ws") {
        socket.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws));
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Cuts the connection, as a crash or a network failure does, instead of sending the n-th reply from now (1 = the next). */
  dropBeforeReply(n: number): void {
    this.dropIn = n;
  }

  /** Every action the server applied, with the role it filled in, across sessions. */
  get applied(): AppliedAction[] {
    return this.sessions.flatMap((session) => session.applied);
  }

  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private open(ws: WebSocket): void {
    if (this.active) {
      this.send(ws, this.recorded.capacity);
      ws.close(1000);
      return;
    }
    this.active = ws;
    const session = new Session(this.recorded.table, false);
    this.sessions.push(session);
    ws.on("close", () => {
      if (this.active === ws) this.active = undefined;
    });
    ws.on("message", (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        this.send(ws, this.recorded.sessionError);
        ws.close(1000);
        return;
      }
      const text = String(data);
      this.received.push(text);
      if (this.silent) return;
      const injected = this.injected.shift();
      if (injected !== undefined) {
        this.send(ws, injected.text);
        if (injected.close) ws.close(1000);
        return;
      }
      const outcome = session.handle(text);
      if (outcome.close) return ws.close(1000);
      const reply = outcome.reply;
      if (reply === undefined) return;
      if (this.dropIn !== undefined && --this.dropIn === 0) {
        this.dropIn = undefined;
        ws.terminate();
        return;
      }
      // Delayed replies still go out in order, as one connection's replies do.
      const delay = this.delayMs;
      const unasked = this.unaskedBefore.shift() === true;
      this.outbox = this.outbox
        .then(() => new Promise((resolve) => setTimeout(resolve, delay)))
        .then(() => {
          if (unasked) this.send(ws, UNASKED_FRAME);
          this.send(ws, reply);
        });
    });
  }

  private send(ws: WebSocket, text: string): void {
    this.sent.push(text);
    ws.send(text);
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = "";
    for await (const piece of req) body += String(piece);
    const contentType = req.headers["content-type"] ?? null;
    const match = this.http.find(
      (r) => r.method === req.method && r.path === req.url && (r.body ?? "") === body && (body === "" || r.contentType === contentType),
    );
    if (match) {
      res.writeHead(match.status, { "content-type": match.responseType, ...(match.status === 405 ? { allow: "POST" } : {}) });
      res.end(match.responseText);
      return;
    }
    const postOnly = req.url === "/reset" || req.url === "/step";
    res.writeHead(postOnly && req.method !== "POST" ? 405 : 404, { "content-type": "application/json" });
    res.end(postOnly && req.method !== "POST" ? '{"detail":"Method Not Allowed"}' : '{"detail":"Not Found"}');
  }
}
