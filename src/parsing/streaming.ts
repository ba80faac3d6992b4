/**
 * A stream parser that agrees with `parseAction`. It runs the same candidate scanners
 * as batch parsing, fed chunk by chunk, and finishes when the first top-level balanced
 * block that decodes to a JSON object closes. Each `feed` costs time proportional to
 * its chunk; only the text of candidates still open is kept.
 */
import { actionFromFields, fallbackAction, recognizedActionType } from "../actions/action-mapping.js";
import { planFor, type RepairCode } from "../formats/formats.js";
import { actionWarnings, candidateReader, type Decoded, type ParseActionOptions, type ParseDetail, type RejectedCandidate } from "./parse-detailed.js";
import { BalancedScanner, BareScanner, CandidateKind, FenceScanner } from "../scanning/candidates.js";
import { decodeActionFields, type ActionFields } from "../python/json-dialect.js";
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

  /** Forgets every chunk that ends at or before `offset`. */
  dropBefore(offset: number): void {
    while (this.first < this.chunks.length && (this.starts[this.first] ?? 0) + (this.chunks[this.first] ?? "").length <= offset) {
      this.first++;
    }
    if (this.first > 64 && this.first * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.starts = this.starts.slice(this.first);
      this.first = 0;
    }
  }

  clear(): void {
    this.chunks = [];
    this.starts = [];
    this.first = 0;
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

/** Rejected blocks kept for `detail()`; a flood of junk blocks is counted, not kept. */
const MAX_REJECTED = 100;

/**
 * Incremental action parser for token streams.
 *
 * - It scans exactly as batch parsing scans for balanced blocks, string-aware from the
 *   first character, so braces and quotes in chatter do not end the stream.
 * - A closed block that does not decode to a JSON object is skipped.
 * - `feed` returns true, and `finished` flips, when the first block that decodes to an
 *   object closes; `action()` is then that object's action and later chunks are ignored.
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
  private accepted: Found | null = null;
  private fenced: Found | null = null;
  private bareFound: Found | null = null;
  private cached: ChaosOpsAction | null = null;
  private readonly rejected: RejectedCandidate[] = [];
  private rejectedCount = 0;
  private readonly read: BlockReader;
  // Made once: feed runs per token and should not allocate a visitor each time.
  private readonly visitBalanced = this.take(CandidateKind.BALANCED, (found) => (this.accepted = found));
  private readonly visitFenced = this.take(CandidateKind.FENCED, (found) => (this.fenced = found));
  private readonly visitBare = this.take(CandidateKind.BARE, (found) => (this.bareFound = found));

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
    this.formats = options.formats === undefined ? null : new FormatStream(resolved, options.formats);
  }

  /** With output formats, reasoning and native calls are read by their own stream (format-stream.ts). */
  private readonly formats: FormatStream | null;

  /** True once the first JSON object has closed (with formats: the first settled call). */
  get finished(): boolean {
    if (this.formats) return this.formats.finished;
    return this.accepted !== null;
  }

  /** The accepted object's text once finished; before that, the balanced block still open (or ""). */
  get raw(): string {
    if (this.formats) return this.formats.raw;
    if (this.accepted) return this.accepted.text;
    const from = this.balanced.keepFrom;
    return from === Infinity ? "" : this.store.slice(from, this.offset);
  }

  /** Appends a chunk; returns true once the action is complete. */
  feed(chunk: string): boolean {
    if (this.formats) return typeof chunk === "string" && chunk.length > 0 ? this.formats.feed(chunk) : this.formats.finished;
    if (this.accepted || typeof chunk !== "string" || chunk.length === 0) return this.finished;
    const base = this.offset;
    this.offset += chunk.length;
    this.store.append(chunk, base);
    this.cached = null;
    if (this.balanced.feed(chunk, base, this.visitBalanced)) {
      this.store.clear();
      return true;
    }
    if (this.fence?.feed(chunk, base, this.visitFenced)) this.fence = null;
    if (this.bare?.feed(chunk, base, this.visitBare)) this.bare = null;
    this.store.dropBefore(Math.min(this.offset, this.balanced.keepFrom, this.fence?.keepFrom ?? Infinity, this.bare?.keepFrom ?? Infinity));
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
      warnings: actionWarnings(action),
      fallbackUsed: !found || recognizedActionType(found.fields.actionType) === undefined,
    };
  }

  /** How many balanced blocks were passed over, including those `detail()` no longer lists. */
  get rejectedBlocks(): number {
    return this.rejectedCount;
  }

  private chosen(): Found | null {
    return this.accepted ?? this.fenced ?? this.bareFound;
  }

  private resolve(): ChaosOpsAction {
    const found = this.chosen();
    if (!found) return fallbackAction(this.role, this.fallback);
    return actionFromFields(found.fields, this.role, this.fallback);
  }

  private take(kind: CandidateKind, keep: (found: Found) => void) {
    return (start: number, end: number): boolean => {
      const text = this.store.slice(start, end);
      const decoded = this.read(text, kind);
      if (decoded) {
        keep({ ...decoded, text, kind, start, end });
        return true;
      }
      if (kind === CandidateKind.BALANCED && this.rejectedCount++ < MAX_REJECTED) {
        this.rejected.push({ kind, start, end, text, reason: "not valid JSON" });
      }
      return false;
    };
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<string> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/**
 * Feeds chunks to a StreamingActionParser until the action is complete (stopping the
 * iterator there) and returns the action. Takes a sync or an async iterable.
 *
 * @example
 * const action = await parseStreamingAction(tokenStream, { role: "dev" });
 */
export function parseStreamingAction(chunks: Iterable<string>, options: ParseActionOptions): ChaosOpsAction;
export function parseStreamingAction(chunks: AsyncIterable<string>, options: ParseActionOptions): Promise<ChaosOpsAction>;
export function parseStreamingAction(
  chunks: Iterable<string> | AsyncIterable<string>,
  options: ParseActionOptions,
): ChaosOpsAction | Promise<ChaosOpsAction> {
  const parser = new StreamingActionParser(options);
  if (isAsyncIterable(chunks)) {
    return (async () => {
      for await (const chunk of chunks) if (parser.feed(chunk)) break;
      return parser.action();
    })();
  }
  if (chunks === null || chunks === undefined || typeof (chunks as Iterable<string>)[Symbol.iterator] !== "function") {
    throw new TypeError("parseStreamingAction: chunks must be an iterable or async iterable of strings");
  }
  for (const chunk of chunks) if (parser.feed(chunk)) break;
  return parser.action();
}
