/**
 * Where JSON candidates are in a completion, in the reference's order:
 *   1. whole:    the whole (stripped) text, if it starts with `{` and ends with `}`;
 *   2. fenced:   each ```` ```json {…} ``` ```` block, the shortest body, left to right;
 *   3. balanced: each top-level balanced `{…}`, string-aware everywhere;
 *   4. bare:     each `{…}` with no brace inside.
 * `grammar/candidates.peggy` is the specification; the scanners here are incremental
 * state machines that implement it in one linear pass each, so the same code serves
 * batch parsing (one chunk) and streaming (many chunks).
 */
import { isPySpace } from "../python/python-text.js";

export const CandidateKind = {
  WHOLE: "whole",
  FENCED: "fenced",
  BALANCED: "balanced",
  BARE: "bare",
  /** The inside of a `<tool_call>` block (only with the tool_call format). */
  TOOL_CALL: "tool_call",
  /** The balanced block still open at the end of the text (only with the truncated format). */
  TRUNCATED: "truncated",
  /** A complete block inside one the text never closes (only with the truncated format). */
  NESTED: "nested",
  /** A `[ACTION] restart db` line (only with the action_line format). */
  ACTION_LINE: "action_line",
} as const;
export type CandidateKind = (typeof CandidateKind)[keyof typeof CandidateKind];

/** A candidate's place in the text: `text.slice(start, end)` is its JSON. */
export interface CandidateSpan {
  readonly kind: CandidateKind;
  readonly start: number;
  readonly end: number;
}

/** Receives each candidate's span (absolute offsets); returns true to stop the scan. */
export type CandidateVisitor = (start: number, end: number) => boolean;

/**
 * Offered the offset of each top-level `{` before the scanner reads its block; returns
 * true to stop the scan there (the block was taken whole by a reader that found its end).
 */
export type OpenVisitor = (start: number) => boolean;

export interface CandidateScanner {
  /** Scans `chunk`, whose first character is at absolute offset `base`; true when a visit stopped it. */
  feed(chunk: string, base: number, visit: CandidateVisitor): boolean;
  /** The earliest offset a candidate still to come may start at (Infinity when none is open). */
  readonly keepFrom: number;
}

const BACKTICK = 0x60;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const CLOSE = 0x7d;

/** Top-level balanced blocks. A `"` toggles string state even outside braces, as in the reference. */
export class BalancedScanner implements CandidateScanner {
  private depth = 0;
  private start = -1;
  private inString = false;
  private escape = false;

  get keepFrom(): number {
    return this.depth > 0 ? this.start : Infinity;
  }

  feed(chunk: string, base: number, visit: CandidateVisitor, open?: OpenVisitor): boolean {
    const n = chunk.length;
    // Where the chunk's next quote, backslash and `{` are (-2: not looked for yet, -1: none
    // left). Between blocks the scanner jumps from one to the next: each is looked for by
    // indexOf only once the scan has passed it, which costs a third of what a regex
    // search for the nearest of them costs at each stop (prose quotes a lot).
    let quote = -2;
    let backslash = -2;
    let brace = -2;
    for (let i = 0; i < n; i++) {
      if (this.depth === 0 && !this.escape) {
        if (quote < i && quote !== -1) quote = chunk.indexOf('"', i);
        let stop: number;
        if (this.inString) {
          if (backslash < i && backslash !== -1) backslash = chunk.indexOf("\\", i);
          stop = nearest(quote, backslash);
        } else {
          if (brace < i && brace !== -1) brace = chunk.indexOf("{", i);
          stop = nearest(quote, brace);
        }
        if (stop < 0) return false;
        i = stop;
      }
      const c = chunk.charCodeAt(i);
      if (this.escape) {
        this.escape = false;
      } else if (this.inString) {
        if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) this.inString = false;
      } else if (c === QUOTE) {
        this.inString = true;
      } else if (c === OPEN) {
        if (this.depth++ === 0) {
          this.start = base + i;
          if (open !== undefined && open(this.start)) return true;
        }
      } else if (c === CLOSE && this.depth > 0 && --this.depth === 0) {
        const start = this.start;
        this.start = -1;
        if (visit(start, base + i + 1)) return true;
      }
    }
    return false;
  }
}

/** The nearer of two indexOf results (-1: not found). */
function nearest(a: number, b: number): number {
  if (a < 0) return b;
  return b < 0 || a < b ? a : b;
}

/** `{…}` blocks with no brace inside (the reference's `\{[^{}]*\}`, matched left to right). */
export class BareScanner implements CandidateScanner {
  private open = -1;

  get keepFrom(): number {
    return this.open >= 0 ? this.open : Infinity;
  }

  feed(chunk: string, base: number, visit: CandidateVisitor): boolean {
    // The chunk's next `{` and `}` (-1: none left), each looked for once the scan has passed it.
    let open = chunk.indexOf("{");
    let close = chunk.indexOf("}");
    for (;;) {
      const i = nearest(open, close);
      if (i < 0) return false;
      if (i === open) {
        this.open = base + i;
        open = chunk.indexOf("{", i + 1);
        continue;
      }
      close = chunk.indexOf("}", i + 1);
      if (this.open < 0) continue;
      const start = this.open;
      this.open = -1;
      if (visit(start, base + i + 1)) return true;
    }
  }
}

/** States of the fence recogniser, named for what was just read. */
const Fence = {
  IDLE: 0,
  TICKS: 1,
  J: 2,
  JS: 3,
  JSO: 4,
  SPACE: 5,
  BODY: 6,
  CLOSE_BRACE: 7,
  CLOSE_TICKS: 8,
} as const;
type Fence = (typeof Fence)[keyof typeof Fence];
/** The letters after `j` in an opening ```` ```json ````. */
const JSON_TAIL = [0x73, 0x6f, 0x6e];

/**
 * Fenced blocks: the reference's ```` ```(?:json)?\s*(\{[\s\S]*?\})\s*``` ```` under
 * `re.finditer`, in linear time. The regex retries every start after a failure and
 * rescans to the end each time (quadratic); but a fence that finds no close means no
 * later fence can either, so the first open fence simply waits for the first
 * `}\s*```` after its brace.
 */
export class FenceScanner implements CandidateScanner {
  private state: Fence = Fence.IDLE;
  /** Backticks read in a row while looking for an opening fence. */
  private ticks = 0;
  private brace = -1;
  private closeBrace = -1;
  private closeTicks = 0;

  get keepFrom(): number {
    return this.brace >= 0 ? this.brace : Infinity;
  }

  /** True while a `}` that may end the open block waits for its closing ticks. */
  get closing(): boolean {
    return this.state === Fence.CLOSE_BRACE || this.state === Fence.CLOSE_TICKS;
  }

  feed(chunk: string, base: number, visit: CandidateVisitor): boolean {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      const c = chunk.charCodeAt(i);
      switch (this.state) {
        case Fence.IDLE:
          if (c === BACKTICK) {
            this.ticks++;
          } else if (this.ticks >= 3) {
            this.ticks = 0;
            this.state = Fence.TICKS;
            continue; // the same character decides what follows the opening ticks
          } else {
            this.ticks = 0;
            const next = chunk.indexOf("`", i + 1);
            i = next < 0 ? n : next;
            continue;
          }
          break;
        case Fence.TICKS:
        case Fence.SPACE:
          if (c === OPEN) this.openBody(base + i);
          else if (isPySpace(c)) this.state = Fence.SPACE;
          else if (c === 0x6a && this.state === Fence.TICKS) this.state = Fence.J;
          else {
            this.state = Fence.IDLE;
            continue;
          }
          break;
        case Fence.J:
        case Fence.JS:
        case Fence.JSO:
          if (c === JSON_TAIL[this.state - Fence.J]) {
            this.state = this.state === Fence.JSO ? Fence.SPACE : ((this.state + 1) as Fence);
          } else {
            this.state = Fence.IDLE;
            continue;
          }
          break;
        case Fence.BODY: {
          const close = chunk.indexOf("}", i);
          if (close < 0) return false;
          i = close;
          this.closeAt(base + i);
          break;
        }
        case Fence.CLOSE_BRACE:
        case Fence.CLOSE_TICKS:
          if (c === BACKTICK) {
            if (++this.closeTicks === 3) {
              const start = this.brace;
              const end = this.closeBrace + 1;
              this.reset();
              if (visit(start, end)) return true;
            } else {
              this.state = Fence.CLOSE_TICKS;
            }
          } else if (c === CLOSE) {
            this.closeAt(base + i);
          } else if (this.state === Fence.CLOSE_BRACE && isPySpace(c)) {
            // whitespace between the closing brace and the closing ticks
          } else {
            this.state = Fence.BODY;
          }
          break;
      }
      i++;
    }
    return false;
  }

  private openBody(at: number): void {
    this.brace = at;
    this.state = Fence.BODY;
  }

  private closeAt(at: number): void {
    this.closeBrace = at;
    this.closeTicks = 0;
    this.state = Fence.CLOSE_BRACE;
  }

  private reset(): void {
    this.state = Fence.IDLE;
    this.ticks = 0;
    this.brace = -1;
    this.closeBrace = -1;
    this.closeTicks = 0;
  }
}

/** Whether the (stripped) text `text[start:end]` as a whole is a candidate. */
export function isWholeCandidate(text: string, start = 0, end = text.length): boolean {
  return end - start > 1 && text.charCodeAt(start) === OPEN && text.charCodeAt(end - 1) === CLOSE;
}

/** One place candidates come from: `run` offers each of its spans to `visit` in order. */
export interface CandidateSource {
  readonly kind: CandidateKind;
  /** Offers each span; true when a visit accepted one (and the search stops). */
  run(text: string, visit: CandidateVisitor): boolean;
}

function scannedSource(kind: CandidateKind, mayHold: (text: string) => boolean, scanner: () => CandidateScanner): CandidateSource {
  // The cheap check saves a scan of long chatter that cannot hold this kind at all.
  return { kind, run: (text, visit) => mayHold(text) && scanner().feed(text, 0, visit) };
}

const hasBrace = (text: string): boolean => text.includes("{");

export const WHOLE_SOURCE: CandidateSource = {
  kind: CandidateKind.WHOLE,
  run: (text, visit) => isWholeCandidate(text) && visit(0, text.length),
};
export const FENCED_SOURCE = scannedSource(CandidateKind.FENCED, (text) => text.includes("```"), () => new FenceScanner());
export const BALANCED_SOURCE = scannedSource(CandidateKind.BALANCED, hasBrace, () => new BalancedScanner());
export const BARE_SOURCE = scannedSource(CandidateKind.BARE, hasBrace, () => new BareScanner());

/** The reference's sources, in its order. */
export const REFERENCE_SOURCES: readonly CandidateSource[] = [WHOLE_SOURCE, FENCED_SOURCE, BALANCED_SOURCE, BARE_SOURCE];

/**
 * Offers each candidate of `text` (already stripped) to `accept`, source by source,
 * and returns the first one accepted with what `accept` made of it.
 */
export function findCandidate<T>(
  text: string,
  accept: (text: string, start: number, end: number, kind: CandidateKind) => T | undefined,
  sources: readonly CandidateSource[] = REFERENCE_SOURCES,
): (CandidateSpan & { readonly value: T }) | undefined {
  let found: (CandidateSpan & { readonly value: T }) | undefined;
  for (const source of sources) {
    const { kind } = source;
    const visit: CandidateVisitor = (start, end) => {
      const value = accept(text, start, end, kind);
      if (value === undefined) return false;
      found = { kind, start, end, value };
      return true;
    };
    if (source.run(text, visit)) return found;
  }
  return undefined;
}

/**
 * The first top-level balanced block of `text` that `acceptAt` takes, where `acceptAt`
 * reads the block starting at a `{` in place and returns what it made of it (undefined
 * to reject it, which the scanner then reads past as usual). This is BALANCED_SOURCE
 * with `accept` run from each block's `{` instead of on a copy of the block after the
 * scanner has found its end: one pass instead of two over the block taken. `acceptAt`
 * must accept at a `{` exactly when the balanced block there is accepted, and must not
 * read past that block's end (or, for a block never closed, past the end of the text).
 */
export function firstBalancedAt<T>(text: string, acceptAt: (text: string, start: number) => T | undefined): T | undefined {
  // A block can only close, and an object only end, at a `}`: none after a `{` means
  // nothing to read from it (a completion cut off inside its object).
  const lastClose = text.lastIndexOf("}");
  if (lastClose < 0) return undefined;
  let found: T | undefined;
  new BalancedScanner().feed(text, 0, never, (start) => {
    if (start > lastClose) return true;
    found = acceptAt(text, start);
    return found !== undefined;
  });
  return found;
}

const never: CandidateVisitor = () => false;

/** Every candidate of `text` (already stripped), in the order they are tried. */
export function listCandidates(text: string): CandidateSpan[] {
  const spans: CandidateSpan[] = [];
  // As parseAction reads anything but a string: as no text.
  if (typeof text !== "string") return spans;
  findCandidate(text, (_text, start, end, kind) => {
    spans.push({ kind, start, end });
    return undefined;
  });
  return spans;
}
