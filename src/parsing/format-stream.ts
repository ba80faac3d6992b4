/**
 * The stream parser's reading when output formats are on. Reasoning markup and native
 * call syntax need context a block scanner does not have (a `</think>` still to come
 * turns every call before it into a draft), so the text is kept and read as
 * parseAction reads it, at points where a call can have completed: after a chunk that
 * holds a closing character (`}` `]` `)` `>`). The stream finishes on the first complete
 * call once nothing later can change it: it lies after a reasoning block that closed,
 * and no reasoning before it is still open. Otherwise it runs to the end, where
 * `action()` is parseAction of the whole text.
 *
 * Nothing is read before a closing tag of reasoning has come: a call with no closed
 * reasoning before it is never settled, so such readings would all be in vain.
 *
 * Linear: a completion up to 4 KiB is read at each such point; a longer one only when at
 * least half of it is new since the last reading (so the readings add up to twice its
 * length: with an eighth they added up to eight times, and 1 MiB of pythonic or
 * functionary openers cost up to 200x a JSON.parse), and once more when the result is
 * asked for. A call in a long completion may so be seen only once the text has doubled;
 * a model usually ends its turn with the call, and the end reads everything.
 */
import { actionFromFields, fallbackAction } from "../actions/action-mapping.js";
import { planFor, type FormatPlan } from "../formats/formats.js";
import { readNative, REASONING_CLOSES } from "../formats/native.js";
import { literal } from "../formats/families/kit.js";
import { pyStrip } from "../python/python-text.js";
import { actionWithFormats, searchWithFormats, type ParseActionOptions, type ParseDetail } from "./parse-detailed.js";
import type { ResolvedOptions } from "./parse-options.js";
import type { ChaosOpsAction } from "../model/types.js";

const CLOSERS = /[}\])>]/;
const ALWAYS_READ_UP_TO = 4096;
const REASONING_CLOSE = new RegExp(REASONING_CLOSES.map(literal).join("|"));
/** How much of the text before a chunk a closing tag that ends in the chunk may start in. */
const CLOSE_OVERLAP = Math.max(...REASONING_CLOSES.map((close) => close.length)) - 1;

export class FormatStream {
  private readonly plan: FormatPlan;
  private chunks: string[] = [];
  private length = 0;
  private readAt = 0;
  private pending = false;
  private settled: ChaosOpsAction | null = null;
  private text = "";
  /** Where the calls known to stand for no action end, in the stripped text (readNative's `decided`). */
  private decided = 0;
  private decidedCost = 0;
  /**
   * Whether a reading could settle a call: with reasoning read, once a closing tag of
   * reasoning has come. Before that every reading would be in vain (a flood of calls cost
   * the stream three times what parseAction pays), so none is made.
   */
  private mayDecide = false;
  /** The end of the text fed so far, where a closing tag split between chunks starts. */
  private tail = "";

  constructor(
    private readonly options: ResolvedOptions,
    formats: NonNullable<ParseActionOptions["formats"]>,
  ) {
    this.plan = planFor(formats, "StreamingActionParser");
  }

  /**
   * Whether a settled call decides the action, as of the last reading: asking does not
   * read (a caller asking after every chunk would read the whole text each time).
   */
  get finished(): boolean {
    return this.settled !== null;
  }

  /** Appends a chunk; true once a settled call decides the action. */
  feed(chunk: string): boolean {
    if (this.settled !== null) return true;
    this.chunks.push(chunk);
    this.length += chunk.length;
    if (CLOSERS.test(chunk)) this.pending = true;
    if (!this.mayDecide) this.lookForClose(chunk);
    if (this.mayDecide && this.pending && (this.length <= ALWAYS_READ_UP_TO || (this.length - this.readAt) * 2 >= this.length)) this.check();
    return this.settled !== null;
  }

  private lookForClose(chunk: string): void {
    if (!this.plan.maskReasoning || !this.plan.nativeCalls) return;
    const recent = this.tail + chunk;
    if (REASONING_CLOSE.test(recent)) this.mayDecide = true;
    else this.tail = recent.slice(-CLOSE_OVERLAP);
  }

  /** Everything fed, as one string (joined once per reading). */
  whole(): string {
    if (this.chunks.length > 1) this.chunks = [this.chunks.join("")];
    this.text = this.chunks[0] ?? "";
    return this.text;
  }

  private check(): void {
    this.pending = false;
    this.readAt = this.length;
    const text = pyStrip(this.whole());
    const { call, reasoning, undecidedBefore, decided, decidedCost } = readNative(text, this.plan.callDialect, this.plan.maskReasoning, this.plan.nativeCalls, undefined, this.decided, this.decidedCost);
    this.decided = decided;
    this.decidedCost = decidedCost;
    if (!call || !call.call.complete || undecidedBefore) return;
    const before = reasoning.filter((span) => span.start < call.start);
    // With no reasoning before the call, a `</think>` still to come could make it a draft.
    if (before.length === 0 || before.some((span) => !span.closed)) return;
    this.settled = actionFromFields(call.fields, this.options.role, this.options.fallback);
    this.chunks = [];
  }

  action(): ChaosOpsAction {
    if (this.finished && this.settled) return { ...this.settled, args: { ...this.settled.args } };
    if (this.length === 0) return fallbackAction(this.options.role, this.options.fallback);
    return actionWithFormats(this.whole(), this.options, this.plan);
  }

  /** The text of the call the action was taken from, once finished; before that "". */
  get raw(): string {
    return this.finished ? (this.detail().candidate?.text ?? "") : "";
  }

  detail(): ParseDetail {
    return searchWithFormats(this.settled ? this.text : this.whole(), this.options, this.plan, true);
  }
}
