/**
 * What the top-level keys of an object already known to be valid JSON say, found in one
 * pass without building the object: whether it may be an envelope worth building.
 */

/** Which top-level keys make an object worth building. */
export interface KeyQuestion {
  /** Any of these keys. */
  readonly keys: readonly string[];
  /** Or exactly one distinct member, whatever its key. */
  readonly oneMember: boolean;
}

/**
 * Whether the valid JSON object `text[start:end]` has a top-level key in `question.keys`,
 * or (when `question.oneMember`) a single distinct key. Conservative: a key written with
 * an escape answers yes, so the caller builds the object and decides on its value.
 */
export function mayHaveKeys(text: string, start: number, end: number, question: KeyQuestion): boolean {
  let depth = 0;
  let expectKey = false;
  let first: string | undefined;
  let distinct = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const open = i;
      let escaped = false;
      for (i++; i < end; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x22) break;
        if (d === 0x5c) {
          escaped = true;
          i++;
        }
      }
      if (!expectKey) continue;
      expectKey = false;
      if (escaped) return true;
      const length = i - open - 1;
      if (isOneOf(text, open + 1, length, question.keys)) return true;
      if (first === undefined) {
        first = text.slice(open + 1, i);
        distinct = 1;
      } else if (distinct === 1 && (length !== first.length || !text.startsWith(first, open + 1))) {
        distinct = 2;
      }
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      expectKey = depth === 1;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x2c && depth === 1) {
      expectKey = true;
    }
  }
  return question.oneMember && distinct === 1;
}

/** Whether `text` holds one of `keys` at `at`, `length` long, compared in place (a flood of keys allocates nothing). */
function isOneOf(text: string, at: number, length: number, keys: readonly string[]): boolean {
  for (const key of keys) {
    if (key.length === length && text.startsWith(key, at)) return true;
  }
  return false;
}
