/**
 * The registered families at work: one first look over the completion finds every marker
 * present (reasoning tags, special tokens, call openers) in one pass over its characters,
 * comparing markers only where one may start; reasoning blocks are spanned from those
 * markers; then the call markers outside reasoning are read, in order, by their families'
 * readers, and the first complete call that stands for an action wins. A plain JSON
 * answer has no marker and pays one indexOf per one-character needle and one pass of
 * the others' alternation.
 */
import { recognizedActionType } from "../actions/action-mapping.js";
import { decodePythonJson, fieldsOf, isJsonObject, setOwn, type ActionFields } from "../python/json-dialect.js";
import { BalancedScanner } from "../scanning/candidates.js";
import { mayHaveKeys, type KeyQuestion } from "../scanning/top-level-keys.js";
import { bareName, envelopeCalls, ONE_MEMBER, type CallBlock, type CallSyntax, type EnvelopeShape, type NativeCall, type ReadContext, type ReasoningMarkup, type SyntaxFamily } from "./families/kit.js";
import { FAMILIES } from "./families/registry.js";
import { blankSpans, type DialectOptions } from "./formats.js";
import type { JsonObject, JsonValue } from "../model/types.js";

/** A reasoning block that was skipped, named by the family whose markup it is. */
export interface ReasoningSpan {
  readonly family: string;
  readonly start: number;
  readonly end: number;
  /** False when the text (or a call opener) ended it before its closing tag. */
  readonly closed: boolean;
}

/** The call an action was read from. */
export interface FoundCall {
  readonly family: string;
  readonly syntax: string;
  readonly start: number;
  readonly end: number;
  readonly call: NativeCall;
  readonly fields: ActionFields;
}

export type MarkerRole =
  | { readonly kind: "open"; readonly family: string; readonly markup: ReasoningMarkup }
  | { readonly kind: "orphan"; readonly family: string; readonly markup: ReasoningMarkup }
  | { readonly kind: "call"; readonly readers: readonly { readonly family: string; readonly syntax: CallSyntax }[]; readonly endsReasoning: boolean };

export interface MarkerEvent {
  readonly at: number;
  readonly length: number;
  readonly role: MarkerRole;
}

/**
 * One marker as the first look tries it where its first character is: a literal compared
 * in place, else its regular expression, sticky.
 */
interface Probe {
  /** The index of the marker among the registry's, which is the order they are tried in. */
  readonly order: number;
  /** The literal text every match starts with, compared code unit by code unit before anything else. */
  readonly prefix: string;
  /** Whether the prefix is the whole marker (no regular expression to run). */
  readonly literal: boolean;
  readonly pattern: RegExp;
  readonly role: MarkerRole;
  /**
   * Per ASCII code unit, 0 when no match starts with it: an anchored marker is tried at
   * the start of every text, and a regular expression costs a call even where it fails
   * at once. All ones for the others, which are tried only where their needle is.
   */
  readonly startsAscii: Uint8Array;
}

/** The registry compiled once: each marker as a probe, bucketed by its first character. */
export interface NativePlan {
  /** Per UTF-16 code unit, its bucket in `buckets` (0: the markers that may start with any character). */
  readonly bucketOf: Uint8Array;
  /** Per bucket, the markers that may start there, in registry order. */
  readonly buckets: readonly (readonly Probe[])[];
  /** Per bucket, the text every marker in it starts with: where the first look stops. */
  readonly needles: readonly string[];
  /**
   * Per bucket, its markers by the code unit after the needle (a `<` is followed by `/`,
   * `|`, `t`, …), each list with the markers no longer than the needle merged in; those
   * alone when the code unit keys nothing.
   */
  readonly byNext: readonly ReadonlyMap<number, readonly Probe[]>[];
  readonly rests: readonly (readonly Probe[])[];
  /** The needles of one character, found by indexOf (`<` and `[` are frequent). */
  readonly frequent: readonly string[];
  /** The needles of several characters (rare), found together by one regular expression. */
  readonly rare: RegExp | undefined;
  /** Every needle, in one alternation: where the next one is from an offset (the answers' check). */
  readonly anyNeedle: RegExp;
  /** Scratch for the first look: where each of `frequent` is next. */
  readonly next: Int32Array;
  /** Whether some marker's first character is not known (bucket 0 is then tried everywhere). */
  readonly anyStart: boolean;
  /** Markers anchored at the start of the text (`^…`): tried at offset 0 only. */
  readonly anchored: readonly Probe[];
  /** Every marker's regular-expression source and role, in registry order (the specification of the first look). */
  readonly sources: readonly string[];
  readonly roles: readonly MarkerRole[];
  readonly envelopes: readonly EnvelopeShape[];
  readonly envelopeFamily: ReadonlyMap<EnvelopeShape, string>;
  /** The top-level keys some envelope shape needs: an object with none of them is no envelope. */
  readonly envelopeKeys: KeyQuestion;
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Characters a marker source escapes to mean themselves, and those that are syntax unescaped. */
const ESCAPED_LITERAL = /[.*+?^${}()|[\]\\/-]/;
const SYNTAX = /[.*+?^${}()|[\]\\]/;

/**
 * The literal text every match of a marker source starts with ("" when it starts with a
 * class, a group, an optional character, or has an alternation), and whether that is
 * the whole source (a literal marker, compared in place rather than matched).
 */
function literalPrefix(source: string): { prefix: string; whole: boolean } {
  if (/(?:^|[^\\])(?:\\\\)*\|/.test(source)) return { prefix: "", whole: false };
  let prefix = "";
  let i = 0;
  while (i < source.length) {
    const escaped = source[i] === "\\";
    const c = source[escaped ? i + 1 : i] ?? "";
    if (escaped ? !ESCAPED_LITERAL.test(c) : SYNTAX.test(c)) break;
    const width = escaped ? 2 : 1;
    // A quantifier makes the character optional or repeated: the prefix ends before it.
    if (/^[*+?{]/.test(source.slice(i + width))) break;
    prefix += c;
    i += width;
  }
  return { prefix, whole: i === source.length && prefix !== "" };
}

const ANY_ASCII = new Uint8Array(128).fill(1);

/** A marker source's first atom (a class, an escape or a character) that every match starts with, behind an optional `^`. */
const FIRST_ATOM = /^\^?(\[(?:\\.|[^\\\]])*\]|\\[dDwWsS]|\\[^A-Za-z0-9]|[^\\[\](){}|.*+?^$])(?![*?{])/;

/**
 * Per ASCII code unit, whether a match of the marker source may start with it: all may,
 * unless the source opens with one plain atom (and has no alternation).
 */
function asciiStarts(source: string): Uint8Array {
  const starts = new Uint8Array(128).fill(1);
  const atom = /(?:^|[^\\])(?:\\\\)*\|/.test(source) ? undefined : FIRST_ATOM.exec(source)?.[1];
  if (atom === undefined) return starts;
  const first = new RegExp(`^${atom}`);
  for (let unit = 0; unit < 128; unit++) starts[unit] = first.test(String.fromCharCode(unit)) ? 1 : 0;
  return starts;
}

/** The longest text all of `texts` start with. */
function commonPrefix(texts: readonly string[]): string {
  let out = texts[0] ?? "";
  for (const text of texts) while (!text.startsWith(out)) out = out.slice(0, -1);
  return out;
}

/**
 * The markers bucketed by their first code unit, each bucket in registry order and found
 * by the text all its markers start with (its needle); markers of unknown first
 * character make every offset a candidate (bucket 0, merged into every bucket), so that
 * trying a bucket's probes in turn is trying the alternation of every marker at that offset.
 */
function bucketed(sources: readonly string[], roles: readonly MarkerRole[]): Pick<NativePlan, "bucketOf" | "buckets" | "needles" | "byNext" | "rests" | "frequent" | "rare" | "anyNeedle" | "next" | "anyStart" | "anchored"> {
  const anchored: Probe[] = [];
  const anywhere: Probe[] = [];
  const byUnit = new Map<number, { probes: Probe[]; prefixes: string[] }>();
  sources.forEach((source, order) => {
    const role = roles[order];
    if (!role) return;
    const { prefix, whole } = literalPrefix(source);
    const probe: Probe = { order, prefix, literal: whole, pattern: new RegExp(source, "y"), role, startsAscii: source.startsWith("^") ? asciiStarts(source) : ANY_ASCII };
    if (source.startsWith("^")) anchored.push(probe);
    else if (prefix === "") anywhere.push(probe);
    else {
      const unit = prefix.charCodeAt(0);
      const bucket = byUnit.get(unit) ?? { probes: [], prefixes: [] };
      bucket.probes.push(probe);
      bucket.prefixes.push(prefix);
      byUnit.set(unit, bucket);
    }
  });
  if (byUnit.size > 254) throw new Error("native syntaxes: more than 254 distinct first characters of markers");
  const bucketOf = new Uint8Array(65_536);
  const buckets: Probe[][] = [anywhere];
  const needles: string[] = [""];
  const byNext: Map<number, Probe[]>[] = [new Map()];
  const rests: Probe[][] = [anywhere];
  for (const [unit, { probes, prefixes }] of byUnit) {
    bucketOf[unit] = buckets.length;
    const all = [...probes, ...anywhere].sort((x, y) => x.order - y.order);
    const needle = commonPrefix(prefixes);
    const keyed = new Map<number, Probe[]>();
    for (const probe of all) if (probe.prefix.length > needle.length) keyed.set(probe.prefix.charCodeAt(needle.length), []);
    for (const probe of all) {
      const key = probe.prefix.length > needle.length ? probe.prefix.charCodeAt(needle.length) : undefined;
      for (const [unitAfter, list] of keyed) if (key === undefined || key === unitAfter) list.push(probe);
    }
    buckets.push(all);
    needles.push(needle);
    byNext.push(keyed);
    rests.push(all.filter((probe) => probe.prefix.length <= needle.length));
  }
  const frequent = needles.slice(1).filter((needle) => needle.length === 1);
  const several = needles.slice(1).filter((needle) => needle.length > 1);
  const rare = several.length === 0 ? undefined : new RegExp(several.map(literal).join("|"), "g");
  const anyNeedle = new RegExp(needles.slice(1).map(literal).join("|") || "(?!)", "g");
  return { bucketOf, buckets, needles, byNext, rests, frequent, rare, anyNeedle, next: new Int32Array(frequent.length), anyStart: anywhere.length > 0, anchored };
}

/** Compiles the families into one plan; a syntax two families share is run once, named by the first. */
export function compileFamilies(families: readonly SyntaxFamily[]): NativePlan {
  const roles: MarkerRole[] = [];
  const sources: string[] = [];
  const seenSyntax = new Set<CallSyntax>();
  const byMarker = new Map<string, { family: string; syntax: CallSyntax }[]>();
  const seenMarkup = new Set<string>();
  const envelopes: EnvelopeShape[] = [];
  const envelopeFamily = new Map<EnvelopeShape, string>();
  for (const { family, reasoning, calls, envelopes: shapes } of families) {
    for (const markup of reasoning) {
      if (seenMarkup.has(markup.open)) continue;
      seenMarkup.add(markup.open);
      roles.push({ kind: "open", family, markup });
      sources.push(literal(markup.open));
      if (markup.orphanClose) {
        for (const close of markup.close) {
          roles.push({ kind: "orphan", family, markup });
          sources.push(literal(close));
        }
      }
    }
    for (const syntax of calls) {
      if (seenSyntax.has(syntax)) continue;
      seenSyntax.add(syntax);
      const readers = byMarker.get(syntax.marker);
      if (readers) {
        readers.push({ family, syntax });
        continue;
      }
      const fresh = [{ family, syntax }];
      byMarker.set(syntax.marker, fresh);
      roles.push({ kind: "call", readers: fresh, endsReasoning: syntax.endsReasoning });
      sources.push(syntax.marker);
    }
    for (const shape of shapes) {
      if (envelopeFamily.has(shape)) continue;
      envelopes.push(shape);
      envelopeFamily.set(shape, family);
    }
  }
  return { ...bucketed(sources, roles), sources, roles, envelopes, envelopeFamily, envelopeKeys: envelopeKeys(envelopes) };
}

function envelopeKeys(shapes: readonly EnvelopeShape[]): KeyQuestion {
  const keys = new Set<string>();
  let oneMember = false;
  for (const shape of shapes) {
    if (shape.keys === ONE_MEMBER) oneMember = true;
    else for (const key of shape.keys) keys.add(key);
  }
  return { keys: [...keys], oneMember };
}

/**
 * Whether the valid JSON object `text[start:end]` may be an envelope: it has a key some
 * shape needs. Answers without building the object.
 */
export function mayBeEnvelope(text: string, start: number, end: number, plan = NATIVE_PLAN): boolean {
  return mayHaveKeys(text, start, end, plan.envelopeKeys);
}

export const NATIVE_PLAN: NativePlan = compileFamilies(FAMILIES);

/**
 * Every registered family's closing tags of reasoning. A reading can only find a call
 * that nothing later changes after one of them (a call with no closed reasoning before
 * it may yet turn into a draft): a stream need not read before one has come.
 */
export const REASONING_CLOSES: readonly string[] = [...new Set(FAMILIES.flatMap((family) => family.reasoning.flatMap((markup) => markup.close)))];

/** The length of the probe's marker at `at`, or 0 when it is not there. */
function probeAt(probe: Probe, text: string, at: number): number {
  // Comparing in place costs a few code units where a mismatch is; startsWith and a
  // regular expression cost a runtime call each, at every `<` of the text for every marker.
  const { prefix } = probe;
  if (at + prefix.length > text.length) return 0;
  for (let j = 0; j < prefix.length; j++) if (text.charCodeAt(at + j) !== prefix.charCodeAt(j)) return 0;
  if (probe.literal) return prefix.length;
  probe.pattern.lastIndex = at;
  return probe.pattern.test(text) ? probe.pattern.lastIndex - at : 0;
}

/** The first marker (in registry order) at `at` among `probes` and, at offset 0, the anchored ones. */
function markerAt(probes: readonly Probe[], anchored: readonly Probe[], text: string, at: number): MarkerEvent | undefined {
  let a = at === 0 ? 0 : anchored.length;
  let p = 0;
  while (p < probes.length || a < anchored.length) {
    const probe = a < anchored.length && (p >= probes.length || (anchored[a]?.order ?? 0) < (probes[p]?.order ?? 0)) ? anchored[a++] : probes[p++];
    if (!probe) break;
    const length = probeAt(probe, text, at);
    if (length > 0) return { at, length, role: probe.role };
  }
  return undefined;
}

/**
 * Every marker in `text`, in order: the leftmost match of the alternation of all the
 * markers, then the next after it. Each bucket's needle is found by indexOf (native,
 * fast), and markers are compared only at the nearest of them; a plain JSON answer has
 * no needle but `[`, at most. With markers of unknown first character every offset is tried.
 */
export function markerEvents(text: string, plan: NativePlan, skipReasoning = false, find?: (needle: string, from: number) => number): MarkerEvent[] {
  if (plan.anyStart) return markersAtEveryOffset(text, plan);
  const events: MarkerEvent[] = [];
  const { needles, buckets, byNext, rests, anchored, bucketOf, frequent, rare } = plan;
  // With skipReasoning, inside a reasoning block only what reasoningBlocks reads of it is
  // kept: the markers of a closed block are read past but not kept (read, as the look at
  // every event reads them: one may run past the block's closing tag), and an unclosed
  // block keeps only the first call opener that ends it. A flood of markers in reasoning
  // then costs no kept event objects (kept by the million, they made the first look
  // superlinear through the collector).
  let unclosed = false;
  /** Where the closed block last opened ends (-1 when it never closes). */
  let blockEnd = -1;
  /**
   * Closing tags looked up with a memory: one a markup lists but the text lacks would be
   * looked for to the end at every opening. A caller that reads the same text on passes
   * its own, so that what reasoningBlocks then looks up is not searched for again.
   */
  let lookUp = find;
  /** Keeps `event` (or not) and says where the look goes on. */
  const keep = (event: MarkerEvent): number => {
    const after = event.at + event.length;
    if (!skipReasoning) {
      events.push(event);
      return after;
    }
    if (event.at < blockEnd) return after;
    if (unclosed) {
      if (event.role.kind === "call" && event.role.endsReasoning) {
        events.push(event);
        unclosed = false;
      }
      return after;
    }
    events.push(event);
    if (event.role.kind !== "open") return after;
    blockEnd = closeAfter(event.role.markup, (lookUp ??= new Finder(text).find), after);
    unclosed = blockEnd < 0;
    return after;
  };
  let resume = 0;
  if (anchored.length > 0 && text.length > 0) {
    const event = markerAt(buckets[bucketOf[text.charCodeAt(0)] ?? 0] ?? [], anchored, text, 0);
    if (event) resume = keep(event);
  }
  // Where each one-character needle is next, and the next of the others (one buffer per
  // plan: the look never runs inside itself).
  const next = plan.next;
  const count = frequent.length;
  for (let f = 0; f < count; f++) next[f] = text.indexOf(frequent[f] ?? "", resume);
  let nextRare = rareAfter(rare, text, resume);
  for (;;) {
    let at = nextRare < 0 ? text.length : nextRare;
    for (let f = 0; f < count; f++) {
      const found = next[f] ?? -1;
      if (found >= 0 && found < at) at = found;
    }
    if (at === text.length) return events;
    const bucket = bucketOf[text.charCodeAt(at)] ?? 0;
    const after = text.charCodeAt(at + (needles[bucket] ?? "").length);
    const event = markerAt(byNext[bucket]?.get(after) ?? rests[bucket] ?? [], NO_PROBES, text, at);
    resume = event ? keep(event) : at + 1;
    for (let f = 0; f < count; f++) {
      const found = next[f] ?? -1;
      if (found >= 0 && found < resume) next[f] = text.indexOf(frequent[f] ?? "", resume);
    }
    if (nextRare >= 0 && nextRare < resume) nextRare = rareAfter(rare, text, resume);
  }
}

/**
 * Whether `text` may hold a marker: it has some bucket's needle, or an anchored marker at
 * its start. Most answers have neither, and are told so without setting the look up
 * (on a plain JSON action that set-up cost about half as much as the lookups themselves).
 */
export function mayHaveMarker(text: string, plan: NativePlan): boolean {
  if (plan.anyStart) return true;
  const { frequent, rare, anchored } = plan;
  for (let f = 0; f < frequent.length; f++) if (text.indexOf(frequent[f] ?? "") >= 0) return true;
  if (rare) {
    rare.lastIndex = 0;
    if (rare.test(text)) return true;
  }
  const first = text.charCodeAt(0);
  for (let a = 0; a < anchored.length; a++) {
    const probe = anchored[a];
    if (probe && (first >= 128 || probe.startsAscii[first] !== 0) && probeAt(probe, text, 0) > 0) return true;
  }
  return false;
}

/** Where a reasoning block opened before `from` ends: after its nearest closing tag; -1 when it never closes. */
function closeAfter(markup: ReasoningMarkup, find: (needle: string, from: number) => number, from: number): number {
  let end = -1;
  for (const close of markup.close) {
    const at = find(close, from);
    if (at >= 0 && (end < 0 || at + close.length < end)) end = at + close.length;
  }
  return end;
}

/** Where the next needle of several characters is, by one pass of their alternation; -1 when none. */
function rareAfter(rare: RegExp | undefined, text: string, from: number): number {
  if (!rare) return -1;
  rare.lastIndex = from;
  return rare.exec(text)?.index ?? -1;
}

const NO_PROBES: readonly Probe[] = [];

/** The first look when some marker may start with any character: every offset tried. */
function markersAtEveryOffset(text: string, plan: NativePlan): MarkerEvent[] {
  const events: MarkerEvent[] = [];
  const { bucketOf, buckets, anchored } = plan;
  for (let i = 0; i < text.length; i++) {
    const event = markerAt(buckets[bucketOf[text.charCodeAt(i)] ?? 0] ?? [], anchored, text, i);
    if (!event) continue;
    events.push(event);
    i += event.length - 1;
  }
  return events;
}

/** indexOf with a memory per needle, so that lookups from increasing offsets stay linear. */
class Finder {
  private readonly memo = new Map<string, { from: number; at: number }>();
  constructor(private readonly text: string) {}

  readonly find = (needle: string, from: number): number => {
    const known = this.memo.get(needle);
    if (known && known.from <= from && (known.at < 0 || known.at >= from)) return known.at;
    const at = this.text.indexOf(needle, from);
    // Updated in place: a reader looks the same needle up from each of its calls.
    if (known) {
      known.from = from;
      known.at = at;
    } else {
      this.memo.set(needle, { from, at });
    }
    return at;
  };
}

/**
 * -1 when the calls from a reasoning block's opener on are the model's last word (nothing
 * but calls, end-of-turn tokens and punctuation after them); else where the reasoning
 * goes on after them, past which the next opener that may end the block is looked for.
 */
export type DraftEnd = (event: MarkerEvent) => number;

const NO_DRAFTS: DraftEnd = () => -1;

/** The reasoning blocks of a completion, from its markers. */
export function reasoningBlocks(events: readonly MarkerEvent[], text: string, find: (needle: string, from: number) => number, draftEnd: DraftEnd = NO_DRAFTS): ReasoningSpan[] {
  const spans: ReasoningSpan[] = [];
  let pos = 0;
  const first = events.find((event) => event.role.kind !== "call");
  if (first?.role.kind === "orphan") {
    pos = first.at + first.length;
    spans.push({ family: first.role.family, start: 0, end: pos, closed: true });
  }
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (!event || event.at < pos || event.role.kind !== "open") continue;
    const { markup, family } = event.role;
    let end = closeAfter(markup, find, event.at + event.length);
    const closed = end >= 0;
    if (!closed) end = openerAfter(events, i, text.length, find, draftEnd);
    spans.push({ family, start: event.at, end, closed });
    pos = end;
  }
  return spans;
}

function endsReasoning(event: MarkerEvent | undefined): boolean {
  return event?.role.kind === "call" && event.role.endsReasoning;
}

/**
 * Where a call opener ends a reasoning block that never closes: the first after event
 * `i` whose call is the model's last word, else the end. A model that opens its call
 * without closing its reasoning writes the call last; a call with more reasoning after
 * it (`<tool_call>…</tool_call>? No, that is wrong…`) is a draft, and the reasoning goes on.
 * Past the first opener, events are taken as markerEvents keeps them (its filter is
 * replayed here: a closed block's markers are not kept, an unclosed block keeps its
 * first opener only), so its kept events and all events give the same blocks.
 */
function openerAfter(events: readonly MarkerEvent[], i: number, end: number, find: (needle: string, from: number) => number, draftEnd: DraftEnd): number {
  let k = i + 1;
  while (k < events.length && !endsReasoning(events[k])) k++;
  const opener = events[k];
  if (!opener) return end;
  let after = draftEnd(opener);
  if (after < 0) return opener.at;
  let blockEnd = -1;
  let unclosed = false;
  for (k++; k < events.length; k++) {
    const event = events[k];
    if (!event || event.at < blockEnd) continue;
    const ending = endsReasoning(event);
    if (unclosed && !ending) continue;
    unclosed = false;
    if (ending && event.at >= after) {
      const next = draftEnd(event);
      if (next < 0) return event.at;
      after = next;
    } else if (event.role.kind === "open") {
      blockEnd = closeAfter(event.role.markup, find, event.at + event.length);
      unclosed = blockEnd < 0;
    }
  }
  return end;
}

/**
 * What may follow a model's last call: special tokens or tags (`<|im_end|>`, `</s>`,
 * `<｜end▁of▁sentence｜>`, `<turn|>`, MiniMax's `[e~[`), spaces, punctuation, symbols
 * (emoji too) and invisible characters (joiners, variation selectors, controls); a run of
 * them stops at each `<` and `[`, where a call marker may start.
 */
const NO_REASONING = /<\/?[^<>\s]{1,64}>|\[e~\[|(?:(?![<[])[\s\p{P}\p{S}\p{Cf}\p{Cc}\p{Mn}\p{Me}])+|[<[]/uy;

/**
 * Tokens that end the model's turn: whatever comes after one (a next turn the model made
 * up when no stop token was set: `<|im_start|>user`, `[INST]`) is not its reasoning.
 */
const END_OF_TURN =
  /<\|(?:im_end|eot_id|eom_id|end|return|call|endoftext|end_of_text|END_OF_TURN_TOKEN|END_RESPONSE)\|>|<\/s>|<eos>|<end_of_turn>|<turn\|>|<seed:eos>|<｜end▁of▁sentence｜>|\[e~\[/y;

/** The block the first of a call marker's readers reads at it. */
function blockAt(ctx: ReadContext, role: Extract<MarkerRole, { kind: "call" }>, at: number, length: number): CallBlock | undefined {
  for (const { syntax } of role.readers) {
    const block = syntax.read(ctx, at, length);
    if (block) return block;
  }
  return undefined;
}

/**
 * Where more reasoning starts after the run of calls from `from` (a letter or digit, past
 * calls, openers no call follows, tokens, punctuation and symbols); -1 when the text or
 * the model's turn ends first, so that the run is the model's last word.
 */
function reasoningAfterCalls(ctx: ReadContext, from: number, plan: NativePlan): number {
  const { text } = ctx;
  let at = from;
  while (at < text.length) {
    const marker = markerAt(plan.buckets[plan.bucketOf[text.charCodeAt(at)] ?? 0] ?? [], NO_PROBES, text, at);
    if (marker?.role.kind === "call") {
      const block = blockAt(ctx, marker.role, at, marker.length);
      at = Math.max(block?.end ?? 0, at + marker.length);
      continue;
    }
    END_OF_TURN.lastIndex = at;
    if (END_OF_TURN.test(text)) return -1;
    NO_REASONING.lastIndex = at;
    if (!NO_REASONING.test(text)) return at;
    at = NO_REASONING.lastIndex;
  }
  return -1;
}

/**
 * DraftEnd for readNative: the calls from an opener on are read with a budget of their
 * own (so the reading of calls after them charges what it would without drafts). A run
 * of calls with reasoning after it are drafts all: the next opener to try is past them.
 */
function draftReader(text: string, dialect: DialectOptions, plan: NativePlan, find: (needle: string, from: number) => number): DraftEnd {
  let budget = 16 * text.length + 65_536;
  const ctx: ReadContext = { text, dialect, find, envelopes: plan.envelopes, charge: (length) => (budget -= length) > 0 };
  return (event) => (event.role.kind === "call" ? reasoningAfterCalls(ctx, event.at, plan) : -1);
}

/** What the native pass found: the reasoning skipped and the call taken. */
export interface NativeReading {
  readonly reasoning: readonly ReasoningSpan[];
  readonly call: FoundCall | undefined;
  /**
   * Whether a call marker before the call taken was passed over in a way more text could
   * change: its readers found no block, or a block reaching the end of the text or cut
   * in its arguments. A stream cannot stop on the call then: the earlier block may
   * complete and win (`<invoke name=` waiting for its `>`).
   */
  readonly undecidedBefore: boolean;
  /**
   * Where the run of call blocks from the start that stand for no action, whatever text
   * follows, ends (complete, outside reasoning, ending before the text does): a stream
   * reading the text again as it grows passes `decidedBefore` and skips them.
   */
  readonly decided: number;
  /** What reading those calls charged to the budget (so a reading that skips them has the same budget left). */
  readonly decidedCost: number;
}

const NOTHING: NativeReading = { reasoning: [], call: undefined, undecidedBefore: false, decided: 0, decidedCost: 0 };

/**
 * Reads a completion with the registered families: the reasoning blocks (when
 * `reasoning`), and the first call outside them that stands for an action (when `calls`).
 * Calls before `decidedBefore` (a `decided` of an earlier reading of the text's start)
 * are not read again.
 */
export function readNative(text: string, dialect: DialectOptions, reasoning: boolean, calls: boolean, plan = NATIVE_PLAN, decidedBefore = 0, decidedCost = 0): NativeReading {
  if (!mayHaveMarker(text, plan)) return NOTHING;
  const finder = new Finder(text);
  let events = markerEvents(text, plan, reasoning, finder.find);
  if (events.length === 0) return NOTHING;
  const answers = answerBlocks(text, plan, events[events.length - 1]?.at ?? 0);
  // Markers in an answer's strings are its text: they are looked for again with the answers blanked.
  if (answers.spans.length > 0) events = markerEvents(blankSpans(text, answers.spans), plan, reasoning);
  const spans = reasoning ? reasoningBlocks(events, text, finder.find, draftReader(text, dialect, plan, finder.find)) : [];
  if (!calls) return { reasoning: spans, call: undefined, undecidedBefore: false, decided: 0, decidedCost: 0 };
  const initial = 16 * text.length + 65_536;
  let budget = initial - decidedCost;
  const charge = (length: number): boolean => (budget -= length) > 0;
  const ctx: ReadContext = { text, dialect, find: finder.find, envelopes: plan.envelopes, charge };
  let span = 0;
  let resume = decidedBefore;
  let undecidedBefore = false;
  let decided = decidedBefore;
  let cost = decidedCost;
  let deciding = true;
  for (const event of events) {
    if (event.role.kind !== "call" || event.at < resume) continue;
    while (span < spans.length && (spans[span]?.end ?? 0) <= event.at) span++;
    const inside = spans[span];
    if (inside && inside.start <= event.at) {
      // Reasoning may yet end elsewhere: what this call is stays open.
      deciding = false;
      continue;
    }
    let read = false;
    for (const { family, syntax } of event.role.readers) {
      const block = syntax.read(ctx, event.at, event.length);
      if (!block) continue;
      for (const call of block.calls) {
        const fields = callFields(call);
        // A call in a block still open may be text in an answer's string once the block closes.
        const undecided = undecidedBefore || event.at > answers.openFrom;
        if (fields) return { reasoning: spans, call: { family, syntax: syntax.syntax, start: block.start, end: block.end, call, fields }, undecidedBefore: undecided, decided, decidedCost: cost };
      }
      read = block.end < text.length && block.calls.every((call) => call.complete);
      resume = block.end;
      break;
    }
    if (!read) undecidedBefore = true;
    deciding &&= read;
    if (deciding) {
      decided = resume;
      cost = initial - budget;
    }
  }
  return { reasoning: spans, call: undefined, undecidedBefore, decided, decidedCost: cost };
}

/**
 * The answer the default search reads when its strings quote markup (`"log":
 * "[restart(target='db')]"`, `"note": "</think>"`): the first top-level balanced block
 * (the default search's) with a marker's needle in it that decodes to an object, when that
 * object is an action (of any type) or an envelope call. Markers in it are no call and no reasoning.
 * `openFrom`: where a block the text ends in opens (Infinity when none). Skipped when no
 * `{` comes before the last marker (a call syntax's own braces follow its marker). One
 * pass that stops at that object; blocks without a needle are not decoded.
 */
function answerBlocks(text: string, plan: NativePlan, lastMarker: number): { spans: { start: number; end: number }[]; openFrom: number } {
  const spans: { start: number; end: number }[] = [];
  const brace = text.indexOf("{");
  if (brace < 0 || brace > lastMarker) return { spans, openFrom: Infinity };
  const needle = plan.anyNeedle;
  let nextNeedle = -1;
  const scanner = new BalancedScanner();
  scanner.feed(text, 0, (start, end) => {
    if (plan.anyStart) nextNeedle = start;
    else if (nextNeedle < start) {
      needle.lastIndex = start;
      nextNeedle = needle.exec(text)?.index ?? Infinity;
    }
    if (nextNeedle >= end) return nextNeedle === Infinity;
    const decoded = decodePythonJson(text, start, end);
    if (!decoded.ok || !isJsonObject(decoded.value)) return false;
    if (standsForAction(decoded.value, plan)) spans.push({ start, end });
    return true;
  });
  return { spans, openFrom: scanner.keepFrom };
}

/**
 * Whether an object is written as an answer: it names an action type (known or not: an
 * unknown one gives the fallback, as the default parser gives it, not a call quoted in
 * its strings) or is an envelope's call.
 */
function standsForAction(value: JsonObject, plan: NativePlan): boolean {
  return fieldsOf(value).actionType !== undefined || envelopeAction(value, plan) !== undefined;
}

// ---------------------------------------------------------------------------
// A call as an action: the whole action as arguments, or the name as the action type
// ---------------------------------------------------------------------------

const NOT_ARGS = new Set(["target", "action_type", "args"]);

/** The args of a per-action-type call: its arguments but `target`, with an `args` object merged in. */
function perActionArgs(args: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(args)) {
    if (!NOT_ARGS.has(key)) setOwn(out, key, args[key] as JsonValue);
  }
  const nested = args.args;
  if (isJsonObject(nested) && Object.hasOwn(args, "args")) {
    for (const key of Object.keys(nested)) if (!Object.hasOwn(out, key)) setOwn(out, key, nested[key] as JsonValue);
  }
  return out;
}

/**
 * The action a call stands for: its arguments when they name a known action type (one
 * `chaosops_action` tool), else its name when that is an action type (one function per
 * action type, whose arguments hold `target` and the args), else the arguments when they
 * carry an `action_type` at all (which then gives the fallback, as JSON does). Undefined
 * for a call to anything else, and for a call cut before its first complete argument.
 */
export function callFields(call: NativeCall): ActionFields | undefined {
  const args = call.arguments ?? {};
  // A cut before the first complete argument leaves nothing that was written as an action.
  if (!call.complete && Object.keys(args).length === 0) return undefined;
  const own = fieldsOf(args);
  if (recognizedActionType(own.actionType) !== undefined) return own;
  const named = call.name === undefined ? undefined : recognizedActionType(bareName(call.name));
  if (named !== undefined) {
    const target = Object.hasOwn(args, "target") ? args.target : undefined;
    return { actionType: named, target, targetLiteral: undefined, args: perActionArgs(args) };
  }
  return own.actionType !== undefined ? own : undefined;
}

/**
 * The first call a decoded JSON object stands for as an envelope (`{"name", "arguments"}`,
 * `{"tool_calls": […]}`, …), with the family whose shape read it; undefined when it is none.
 */
export function envelopeAction(value: JsonValue, plan = NATIVE_PLAN): { fields: ActionFields; family: string; shape: string; call: NativeCall } | undefined {
  if (!isJsonObject(value) || Object.hasOwn(value, "action_type")) return undefined;
  const inner = (nested: JsonValue) => envelopeCalls(plan, nested, false, false);
  for (const shape of plan.envelopes) {
    const calls = shape.calls(value, false, inner);
    if (!calls) continue;
    for (const call of calls) {
      const fields = callFields(call);
      if (fields) return { fields, family: plan.envelopeFamily.get(shape) ?? "", shape: shape.shape, call };
    }
    return undefined;
  }
  return undefined;
}

export { envelopeCalls };
