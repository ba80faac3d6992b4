/**
 * The registered families at work: one first look over the completion finds every marker
 * present (reasoning tags, special tokens, call openers) in one regular-expression pass;
 * reasoning blocks are spanned from those markers; then the call markers outside
 * reasoning are read, in order, by their families' readers, and the first complete call
 * that stands for an action wins. A plain JSON answer has no marker and pays one failed
 * quick test.
 */
import { recognizedActionType } from "../actions/action-mapping.js";
import { fieldsOf, isJsonObject, setOwn, type ActionFields } from "../python/json-dialect.js";
import { mayHaveKeys, type KeyQuestion } from "../scanning/top-level-keys.js";
import { bareName, envelopeCalls, ONE_MEMBER, type CallSyntax, type EnvelopeShape, type NativeCall, type ReadContext, type ReasoningMarkup, type SyntaxFamily } from "./families/kit.js";
import { FAMILIES } from "./families/registry.js";
import type { DialectOptions } from "./formats.js";
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

type MarkerRole =
  | { readonly kind: "open"; readonly family: string; readonly markup: ReasoningMarkup }
  | { readonly kind: "orphan"; readonly family: string; readonly markup: ReasoningMarkup }
  | { readonly kind: "call"; readonly readers: readonly { readonly family: string; readonly syntax: CallSyntax }[]; readonly endsReasoning: boolean };

interface MarkerEvent {
  readonly at: number;
  readonly length: number;
  readonly role: MarkerRole;
}

/** The registry compiled once: one regular expression with a group per marker. */
export interface NativePlan {
  /** Every marker, sticky: tried only where `quick` found a marker's head. */
  readonly markers: RegExp;
  readonly roles: readonly MarkerRole[];
  /** The heads of the markers (`<`, `[`, `to=f`, …): where a marker may start. */
  readonly quick: RegExp;
  readonly envelopes: readonly EnvelopeShape[];
  readonly envelopeFamily: ReadonlyMap<EnvelopeShape, string>;
  /** The top-level keys some envelope shape needs: an object with none of them is no envelope. */
  readonly envelopeKeys: KeyQuestion;
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * What every text holding the marker holds: an anchored marker whole, else its first
 * character when that is markup (`<`, `[`, `◁`), else its first four literal characters,
 * so that a plain JSON answer (letters, quotes, braces) fails the quick test at once.
 */
function markerHead(source: string): string {
  if (source.startsWith("^")) return source;
  let head = "";
  let chars = 0;
  for (let i = 0; i < source.length && chars < 4; i++) {
    const c = source[i] ?? "";
    if (c === "\\") {
      const next = source[i + 1] ?? "";
      if (/[A-Za-z0-9]/.test(next)) break; // a class such as \w or \s: stop before it
      head += c + next;
      i++;
    } else if (/[[\]()*+?{}|.^$]/.test(c)) {
      break;
    } else {
      head += c;
    }
    chars++;
    if (chars === 1 && /^(?:<|\\\[|◁)$/.test(head)) break;
  }
  return head;
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
  const heads = new Set<string>();
  for (const source of sources) heads.add(markerHead(source));
  return {
    markers: new RegExp(sources.map((source) => `(${source})`).join("|"), "y"),
    roles,
    quick: new RegExp([...heads].join("|"), "g"),
    envelopes,
    envelopeFamily,
    envelopeKeys: envelopeKeys(envelopes),
  };
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
 * Every marker in `text`, in order: the heads regex skips to where a marker may start
 * (a plain JSON answer has none), and the sticky alternation says which one it is.
 */
function markerEvents(text: string, plan: NativePlan): MarkerEvent[] {
  const events: MarkerEvent[] = [];
  const { quick, markers } = plan;
  quick.lastIndex = 0;
  for (let head = quick.exec(text); head; head = quick.exec(text)) {
    markers.lastIndex = head.index;
    const m = markers.exec(text);
    if (!m || m[0].length === 0) {
      quick.lastIndex = head.index + 1;
      continue;
    }
    let group = 1;
    while (m[group] === undefined) group++;
    const role = plan.roles[group - 1];
    if (role) events.push({ at: m.index, length: m[0].length, role });
    quick.lastIndex = m.index + m[0].length;
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
    this.memo.set(needle, { from, at });
    return at;
  };
}

/** The reasoning blocks of a completion, from its markers. */
function reasoningBlocks(events: readonly MarkerEvent[], text: string, find: Finder["find"]): ReasoningSpan[] {
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
    let end = -1;
    for (const close of markup.close) {
      const at = find(close, event.at + event.length);
      if (at >= 0 && (end < 0 || at + close.length < end)) end = at + close.length;
    }
    const closed = end >= 0;
    if (!closed) end = openerAfter(events, i, text.length);
    spans.push({ family, start: event.at, end, closed });
    pos = end;
  }
  return spans;
}

/** Where a call opener ends a reasoning block that never closes: the first after event `i`, else the end. */
function openerAfter(events: readonly MarkerEvent[], i: number, end: number): number {
  for (let k = i + 1; k < events.length; k++) {
    const role = events[k]?.role;
    if (role?.kind === "call" && role.endsReasoning) return events[k]?.at ?? end;
  }
  return end;
}

/** What the native pass found: the reasoning skipped and the call taken. */
export interface NativeReading {
  readonly reasoning: readonly ReasoningSpan[];
  readonly call: FoundCall | undefined;
}

const NOTHING: NativeReading = { reasoning: [], call: undefined };

/**
 * Reads a completion with the registered families: the reasoning blocks (when
 * `reasoning`), and the first call outside them that stands for an action (when `calls`).
 */
export function readNative(text: string, dialect: DialectOptions, reasoning: boolean, calls: boolean, plan = NATIVE_PLAN): NativeReading {
  const events = markerEvents(text, plan);
  if (events.length === 0) return NOTHING;
  const finder = new Finder(text);
  const spans = reasoning ? reasoningBlocks(events, text, finder.find) : [];
  if (!calls) return { reasoning: spans, call: undefined };
  let budget = 16 * text.length + 65_536;
  const charge = (length: number): boolean => (budget -= length) > 0;
  const ctx: ReadContext = { text, dialect, find: finder.find, envelopes: plan.envelopes, charge };
  let span = 0;
  let resume = 0;
  for (const event of events) {
    if (event.role.kind !== "call" || event.at < resume) continue;
    while (span < spans.length && (spans[span]?.end ?? 0) <= event.at) span++;
    const inside = spans[span];
    if (inside && inside.start <= event.at) continue;
    for (const { family, syntax } of event.role.readers) {
      const block = syntax.read(ctx, event.at, event.length);
      if (!block) continue;
      for (const call of block.calls) {
        const fields = callFields(call);
        if (fields) return { reasoning: spans, call: { family, syntax: syntax.syntax, start: block.start, end: block.end, call, fields } };
      }
      resume = block.end;
      break;
    }
  }
  return { reasoning: spans, call: undefined };
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
