/**
 * A stream parser that agrees with `parseAction`. It runs the same candidate scanners
 * as batch parsing, fed chunk by chunk, and finishes when the first top-level balanced
 * block that decodes to a JSON object closes. Each `feed` costs time proportional to
 * its chunk; only the text of candidates still open is kept.
 */
import { actionFromFields, fallbackAction, recognizedActionType } from "../actions/action-mapping.js";
import { planFor, type RepairCode } from "../formats/formats.js";
import { actionWarnings, candidateReader, MAX_REJECTED, type Decoded, type ParseActionOptions, type ParseDetail, type RejectedCandidate } from "./parse-detailed.js";
import { BalancedScanner, BareScanner, CandidateKind, FenceScanner } from "../scanning/candidates.js";
import { decodeActionFields, mayBecomeObject, type ActionFields } from "../python/json-dialect.js";
import { isPySpace } from "../python/python-text.js";
import { resolveOptions, type ResolvedOptions } from "./parse-options.js";
import { FormatStream } from "./format-stream.js";
import type { ChaosOpsAction } from "../model/types.js";

/** The text fed so far, kept from the earliest offset a candidate may still need. */
class ChunkStore {
  private chunks: string[] = [];
  private starts: number[] = [];
  private first = 0;

  append(chunk: string, base: number): void {
    this.chunks.push(chunk);
    this.starts.push(base);
  }

  /** The text at absolute offsets [start, end), which must still be kept. */
  slice(start: number, end: number): string {
    let lo = this.first;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= start) lo = mid;
      else hi = mid - 1;
    }
    let out = "";
    for (let k = lo; k < this.chunks.length; k++) {
      const base = this.starts[k] ?? 0;
      if (base >= end) break;
      const chunk = this.chunks[k] ?? "";
      out += chunk.slice(Math.max(0, start - base), end - base);
    }
    return out;
  }

  /** Forgets every chunk that ends at or before `offset`, releasing it at once. */
  dropBefore(offset: number): void {
    const { chunks, starts } = this;
    while (this.first < chunks.length && (starts[this.first] ?? 0) + (chunks[this.first] ?? "").length <= offset) {
      chunks[this.first++] = "";
    }
    // The emptied slots are cheap, but a long stream of tiny chunks should not keep one per chunk.
    if (this.first >= 1024 && this.first * 2 >= chunks.length) {
      this.chunks = chunks.slice(this.first);
      this.starts = starts.slice(this.first);
      this.first = 0;
    }
  }

  clear(): void {
    this.chunks = [];
    this.starts = [];
    this.first = 0;
  }
}

/** An open candidate is checked once its text reaches this many characters, then each time it doubles. */
const FIRST_CHECK = 4096;
/** Characters of a rejected block's text kept for `detail()`. */
const REJECTED_TEXT = 1024;

/**
 * A copy of the first REJECTED_TEXT characters that shares no memory with the chunks
 * it came from: a slice would keep its whole chunk alive.
 */
function detachedHead(text: string): string {
  return JSON.parse(JSON.stringify(text.slice(0, REJECTED_TEXT))) as string;
}

/**
 * The open candidate of one scanner. Once its text so far cannot begin any JSON object
 * (checked as it grows, so the checks cost time linear in the text), the text is no
 * longer kept: only its first characters, for `detail()`.
 */
class OpenWatch {
  private start = -1;
  private nextCheck = FIRST_CHECK;
  /** The first characters of the open candidate, once it is known not to decode. */
  deadHead: string | undefined;

  /** Whether the candidate starting at `start` was found dead. */
  isDead(start: number): boolean {
    return this.deadHead !== undefined && this.start === start;
  }

  /** Where the open candidate's text must be kept from (Infinity: nowhere). */
  keepFrom(from: number, offset: number, store: ChunkStore, checkable: boolean): number {
    if (from === Infinity) return Infinity;
    if (from !== this.start) {
      this.start = from;
      this.nextCheck = FIRST_CHECK;
      this.deadHead = undefined;
    }
    if (this.deadHead !== undefined) return Infinity;
    if (!checkable || offset - from < this.nextCheck) return from;
    const prefix = store.slice(from, offset);
    if (mayBecomeObject(prefix)) {
      this.nextCheck = 2 * (offset - from);
      return from;
    }
    this.deadHead = detachedHead(prefix);
    return Infinity;
  }
}

/** The first candidate of one kind that decoded to an object. */
interface Found {
  readonly fields: ActionFields;
  readonly text: string;
  readonly kind: CandidateKind;
  readonly start: number;
  readonly end: number;
  readonly format: Decoded["format"];
  readonly repairs: readonly RepairCode[];
}

/** What `feed` takes: text, or UTF-8 bytes; null and undefined add nothing. */
export type StreamChunk = string | Uint8Array | null | undefined;

function describe(value: unknown): string {
  if (typeof value !== "object") return typeof value;
  return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
}

/** Reads a closed block: strictly, or as the search with the caller's formats reads it. */
type BlockReader = (text: string, kind: CandidateKind) => Pick<Decoded, "fields" | "format" | "repairs"> | undefined;

const strictReader: BlockReader = (text) => {
  const fields = decodeActionFields(text);
  return fields && { fields, format: "json", repairs: [] };
};

function blockReader(options: ParseActionOptions): BlockReader {
  if (options.formats === undefined) return strictReader;
  const read = candidateReader(planFor(options.formats, "StreamingActionParser"));
  return (text, kind) => read(text, 0, text.length, kind);
}


/**
 * Incremental action parser for token streams.
 *
 * - It scans exactly as batch parsing scans for balanced blocks, string-aware from the
 *   first character, so braces and quotes in chatter do not end the stream.
 * - A closed block that does not decode to a JSON object is skipped.
 * - `feed` returns true, and `finished` flips, when the first block that decodes to an
 *   object closes; `action()` is then parseAction's of the text up to that block's end
 *   (see `chosen`), and later chunks are ignored.
 * - Until then `action()` equals `parseAction` of everything fed so far (fenced and bare
 *   blocks still count), and nothing depends on where the chunks were cut.
 *
 * @example
 * const parser = new StreamingActionParser({ role: "sre" });
 * for await (const token of tokens) if (parser.feed(token)) break;
 * parser.action();
 */
export class StreamingActionParser {
  readonly role: ResolvedOptions["role"];
  readonly fallback: ResolvedOptions["fallback"];
  private readonly balanced = new BalancedScanner();
  private fence: FenceScanner | null = new FenceScanner();
  private bare: BareScanner | null = new BareScanner();
  private readonly store = new ChunkStore();
  private offset = 0;
  /** Offset of the first character that is not Python whitespace (Infinity until one is fed). */
  private firstNonSpace = Infinity;
  private accepted: Found | null = null;
  private fenced: Found | null = null;
  private bareFound: Found | null = null;
  private cached: ChaosOpsAction | null = null;
  /** Decodes byte chunks; made on the first one. */
  private decoder: InstanceType<typeof TextDecoder> | null = null;
  private readonly rejected: RejectedCandidate[] = [];
  private rejectedCount = 0;
  private readonly read: BlockReader;
  /** Whether a block that is not JSON is known not to decode (not so with the lenient readers). */
  private readonly strict: boolean;
  private readonly balancedWatch = new OpenWatch();
  private readonly fenceWatch = new OpenWatch();
  private readonly bareWatch = new OpenWatch();
  // Made once: feed runs per token and should not allocate a visitor each time.
  private readonly visitBalanced = this.take(CandidateKind.BALANCED, this.balancedWatch, (found) => (this.accepted = found));
  private readonly visitFenced = this.take(CandidateKind.FENCED, this.fenceWatch, (found) => (this.fenced = found));
  private readonly visitBare = this.take(CandidateKind.BARE, this.bareWatch, (found) => (this.bareFound = found));

  /**
   * With `formats`, closed blocks are read as parseAction reads candidates with them
   * (tool-call envelopes unwrapped, Python literals and relaxed JSON accepted); the
   * sources that need the whole text (reasoning blocks, tool-call tags, truncation) are
   * batch-only.
   */
  constructor(options: ParseActionOptions) {
    const resolved = resolveOptions(options, "StreamingActionParser");
    ({ role: this.role, fallback: this.fallback } = resolved);
    this.read = blockReader(options);
    this.strict = this.read === strictReader;
    this.formats = options.formats === undefined ? null : new FormatStream(resolved, options.formats);
  }

  /** With output formats, reasoning and native calls are read by their own stream (format-stream.ts). */
  private readonly formats: FormatStream | null;

  /** True once the first JSON object has closed (with formats: the first settled call). */
  get finished(): boolean {
    if (this.formats) return this.formats.finished;
    return this.accepted !== null;
  }

  /**
   * The accepted object's text once finished; before that, the balanced block still
   * open while it may still decode (or "").
   */
  get raw(): string {
    if (this.formats) return this.formats.raw;
    if (this.accepted) return this.chosen()?.text ?? "";
    const from = this.balanced.keepFrom;
    return from === Infinity || this.balancedWatch.isDead(from) ? "" : this.store.slice(from, this.offset);
  }

  /**
   * Appends a chunk; returns true once the action is complete. Bytes (a Uint8Array or
   * Buffer) are UTF-8, decoded as they come, so a character split across chunks is read
   * whole; null and undefined (a delta without content) add nothing; any other value is
   * a TypeError.
   */
  feed(chunk: StreamChunk): boolean {
    if (this.accepted) return true;
    if (this.formats) {
      const text = this.textOf(chunk);
      return text.length > 0 ? this.formats.feed(text) : this.formats.finished;
    }
    return this.feedText(this.textOf(chunk));
  }

  private textOf(chunk: StreamChunk): string {
    if (typeof chunk === "string") return this.decoder ? this.flushBytes() + chunk : chunk;
    if (chunk instanceof Uint8Array) {
      // U+FEFF is a character of the text wherever it is (Python does not strip it), not a mark to drop where bytes resume.
      this.decoder ??= new TextDecoder("utf-8", { ignoreBOM: true });
      return this.decoder.decode(chunk, { stream: true });
    }
    if (chunk === null || chunk === undefined) return "";
    throw new TypeError(`StreamingActionParser.feed: a chunk must be a string or UTF-8 bytes (Uint8Array), not ${describe(chunk)}`);
  }

  /** What a byte sequence left incomplete reads as when text follows it: U+FFFD, as a fresh decode would give. */
  private flushBytes(): string {
    const rest = this.decoder?.decode() ?? "";
    this.decoder = null;
    return rest;
  }

  private feedText(chunk: string): boolean {
    if (chunk.length === 0) return false;
    const base = this.offset;
    this.offset += chunk.length;
    this.store.append(chunk, base);
    this.cached = null;
    if (this.firstNonSpace === Infinity) this.noteFirstNonSpace(chunk, base);
    // Fences first: a fenced block that closes before the balanced block this chunk
    // finishes on is what batch parsing of the text so far would take.
    if (this.fence?.feed(chunk, base, this.visitFenced)) this.fence = null;
    if (this.balanced.feed(chunk, base, this.visitBalanced)) {
      this.store.clear();
      return true;
    }
    if (this.bare?.feed(chunk, base, this.visitBare)) this.bare = null;
    const { offset, store, strict } = this;
    const balancedFrom = this.balancedWatch.keepFrom(this.balanced.keepFrom, offset, store, strict);
    // A fenced block waiting for its closing ticks may end at the brace already read: its text so far is not a prefix.
    const fenceFrom = this.fence ? this.fenceWatch.keepFrom(this.fence.keepFrom, offset, store, strict && !this.fence.closing) : Infinity;
    const bareFrom = this.bare ? this.bareWatch.keepFrom(this.bare.keepFrom, offset, store, strict) : Infinity;
    store.dropBefore(Math.min(offset, balancedFrom, fenceFrom, bareFrom));
    return false;
  }

  /** The action for what has been fed so far (the fallback while nothing usable was seen). */
  action(): ChaosOpsAction {
    if (this.formats) return this.formats.action();
    this.cached ??= this.resolve();
    return { ...this.cached, args: { ...this.cached.args } };
  }

  /**
   * How the current action was found, as parseActionDetailed reports it: the candidate
   * (offsets count every character fed), the balanced blocks passed over (the first
   * 100), warnings, and whether the fallback was used.
   */
  detail(): ParseDetail {
    if (this.formats) return this.formats.detail();
    const found = this.chosen();
    const action = this.action();
    const candidate = found && { kind: found.kind, start: found.start, end: found.end, text: found.text, format: found.format };
    return {
      action,
      candidate,
      repairs: found?.repairs ?? [],
      rejected: [...this.rejected],
      rejectedCount: this.rejectedCount,
      warnings: actionWarnings(action),
      fallbackUsed: !found || recognizedActionType(found.fields.actionType) === undefined,
    };
  }

  /** How many balanced blocks were passed over, including those `detail()` no longer lists. */
  get rejectedBlocks(): number {
    return this.rejectedCount;
  }

  /**
   * The candidate batch parsing takes from the text so far; once finished, from the text
   * up to the end of the block finished on. That is the block itself when it starts the
   * text (batch reads it as the whole text), else the first fenced block that decoded
   * before its end: batch tries every fenced block before any balanced one, and the
   * balanced scanner's string state (a quote in chatter opens a string) can hide a
   * fenced object from it.
   */
  private chosen(): Found | null {
    const { accepted, fenced } = this;
    if (!accepted) return fenced ?? this.bareFound;
    if (accepted.start !== this.firstNonSpace && fenced && fenced.end <= accepted.end) return fenced;
    return accepted;
  }

  private noteFirstNonSpace(chunk: string, base: number): void {
    for (let i = 0; i < chunk.length; i++) {
      if (!isPySpace(chunk.charCodeAt(i))) {
        this.firstNonSpace = base + i;
        return;
      }
    }
  }

  private resolve(): ChaosOpsAction {
    const found = this.chosen();
    if (!found) return fallbackAction(this.role, this.fallback);
    return actionFromFields(found.fields, this.role, this.fallback);
  }

  private take(kind: CandidateKind, watch: OpenWatch, keep: (found: Found) => void) {
    return (start: number, end: number): boolean => {
      const dead = watch.isDead(start);
      const text = dead ? "" : this.store.slice(start, end);
      const decoded = dead ? undefined : this.read(text, kind);
      if (decoded) {
        keep({ ...decoded, text, kind, start, end });
        return true;
      }
      if (kind === CandidateKind.BALANCED && this.rejectedCount++ < MAX_REJECTED) {
        const head = dead ? (watch.deadHead ?? "") : detachedHead(text);
        this.rejected.push({ kind, start, end, text: head, reason: "not valid JSON" });
      }
      return false;
    };
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<StreamChunk> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/**
 * Feeds chunks to a StreamingActionParser until the action is complete (stopping the
 * iterator there) and returns the action. Takes a sync or an async iterable.
 *
 * @example
 * const action = await parseStreamingAction(tokenStream, { role: "dev" });
 */
export function parseStreamingAction(chunks: Iterable<StreamChunk>, options: ParseActionOptions): ChaosOpsAction;
export function parseStreamingAction(chunks: AsyncIterable<StreamChunk>, options: ParseActionOptions): Promise<ChaosOpsAction>;
export function parseStreamingAction(
  chunks: Iterable<StreamChunk> | AsyncIterable<StreamChunk>,
  options: ParseActionOptions,
): ChaosOpsAction | Promise<ChaosOpsAction> {
  const parser = new StreamingActionParser(options);
  if (isAsyncIterable(chunks)) {
    return (async () => {
      for await (const chunk of chunks) if (parser.feed(chunk)) break;
      return parser.action();
    })();
  }
  if (chunks === null || chunks === undefined || typeof (chunks as Iterable<StreamChunk>)[Symbol.iterator] !== "function") {
    throw new TypeError("parseStreamingAction: chunks must be an iterable or async iterable of strings or UTF-8 bytes");
  }
  for (const chunk of chunks) if (parser.feed(chunk)) break;
  return parser.action();
}
