/**
 * Reading objects we did not make (SDK responses, stream chunks, thrown values) without
 * ever throwing: a getter that throws, a Proxy whose traps throw or that was revoked,
 * and a value that contains itself are all read as if the part were absent. Every read
 * goes through here, so the provider layer has one place where hostility is absorbed.
 */
import { setOwn } from "../python/json-dialect.js";

/**
 * Values a copy holds at most. A tree from JSON is copied whole far below it; an object
 * graph that shares members would otherwise unfold into exponentially many (each shared
 * member copied once per path), so what lies beyond is left out as unreadable.
 */
export const MAX_COPIED_VALUES = 1_000_000;

/**
 * Reads that may fail before a walk gives up on the rest. A throwing read costs the
 * thrower's stack capture (microseconds), so a Proxy array claiming a million elements
 * whose every read throws would cost seconds per response; a real response never has
 * more than a few unreadable members.
 */
export const MAX_FAILED_READS = 1_000;

const UNREADABLE = Symbol("unreadable");

/** `read()`, or `otherwise` when reading throws. */
export function attempt<T>(read: () => T, otherwise: T): T {
  try {
    return read();
  } catch {
    return otherwise;
  }
}

/** The reference's `_get`: a mapping's key or an object's attribute; anything else (or a throwing read) has none. */
export function field(source: unknown, key: string): unknown {
  if (typeof source !== "object" || source === null) return undefined;
  return attempt(() => {
    if (source instanceof Map) return source.get(key) as unknown;
    if (Array.isArray(source)) return undefined;
    return (source as Record<string, unknown>)[key];
  }, undefined);
}

/**
 * The elements of an array, one by one (an unreadable element is undefined), up to
 * MAX_COPIED_VALUES of them (a Proxy can claim any length); anything else is empty.
 */
export function* items(value: unknown): Generator<unknown, void, undefined> {
  if (!attempt(() => Array.isArray(value), false)) return;
  const list = value as readonly unknown[];
  const length = Math.min(attempt(() => list.length, 0), MAX_COPIED_VALUES);
  let failures = 0;
  for (let i = 0; i < length; i++) {
    const item = attempt<unknown>(() => list[i], UNREADABLE);
    if (item !== UNREADABLE) {
      yield item;
      continue;
    }
    if (++failures > MAX_FAILED_READS) return;
    yield undefined;
  }
}

/** The first element of an array, or undefined. */
export function firstItem(value: unknown): unknown {
  for (const item of items(value)) return item;
  return undefined;
}

function isPlainRecord(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** What a value is, for the readers: a mapping (plain object or Map), a list, another object, or a scalar. */
export function shapeOf(value: unknown): "mapping" | "list" | "object" | "scalar" {
  if (typeof value !== "object" || value === null) return "scalar";
  return attempt(() => {
    if (Array.isArray(value)) return "list";
    if (value instanceof Map || isPlainRecord(value)) return "mapping";
    return "object";
  }, "object");
}

type Container = unknown[] | Record<string, unknown>;

/** One container being copied: its readable members, and how many are done. */
interface Pending {
  readonly source: object;
  readonly target: Container;
  /** Member keys, or null for a list (read by index up to `length`). */
  readonly keys: readonly string[] | null;
  readonly length: number;
  /** A Map's string-keyed values, read once. */
  readonly values: readonly unknown[] | null;
  index: number;
}

function pending(source: object): Pending {
  if (attempt(() => Array.isArray(source), false)) {
    const length = Math.min(attempt(() => (source as unknown[]).length, 0), MAX_COPIED_VALUES);
    return { source, target: [], keys: null, length, values: null, index: 0 };
  }
  if (attempt(() => source instanceof Map, false)) {
    const pairs = attempt(() => [...(source as Map<unknown, unknown>).entries()], [] as [unknown, unknown][]).filter(([key]) => typeof key === "string");
    return { source, target: {}, keys: pairs.map(([key]) => key as string), length: pairs.length, values: pairs.map(([, value]) => value), index: 0 };
  }
  const keys = attempt(() => Object.keys(source), [] as string[]);
  return { source, target: {}, keys, length: keys.length, values: null, index: 0 };
}

function member(frame: Pending, i: number): unknown {
  if (frame.values) return frame.values[i];
  const key = frame.keys ? frame.keys[i]! : i;
  return attempt<unknown>(() => (frame.source as Record<string | number, unknown>)[key], UNREADABLE);
}

const ABSENT = Symbol("absent");

/**
 * A plain copy of `value` (arrays, and objects and Maps as plain objects) that is safe
 * to walk: members that cannot be read, functions and symbols are left out, and so is a
 * member that is one of its own containers (a cycle), and whatever lies past
 * MAX_COPIED_VALUES. Walked with an explicit stack, so no depth overflows the call
 * stack; linear in what it copies.
 */
export function plainCopy(value: unknown): unknown {
  const root = copyScalar(value);
  if (root !== ABSENT || typeof value !== "object" || value === null) return root === ABSENT ? undefined : root;
  const open = new Set<object>();
  const stack: Pending[] = [];
  const enter = (source: object): Container => {
    const frame = pending(source);
    open.add(source);
    stack.push(frame);
    return frame.target;
  };
  const result = enter(value);
  let failures = 0;
  for (let budget = MAX_COPIED_VALUES; stack.length > 0 && budget > 0; budget--) {
    const top = stack[stack.length - 1]!;
    if (top.index === top.length) {
      open.delete(top.source);
      stack.pop();
      continue;
    }
    const i = top.index++;
    const item = member(top, i);
    if (item === UNREADABLE) {
      if (++failures > MAX_FAILED_READS) break;
      continue;
    }
    let copied: unknown = copyScalar(item);
    if (copied === ABSENT && typeof item === "object" && item !== null && !open.has(item)) copied = enter(item);
    if (copied === ABSENT) continue;
    // setOwn: a `__proto__` key (JSON.parse makes it an own key) must stay a key, not set the copy's prototype.
    if (top.keys) setOwn(top.target as Record<string, unknown>, top.keys[i]!, copied);
    else (top.target as unknown[]).push(copied);
  }
  return result;
}

/** A scalar as it is; ABSENT for containers (copied by the caller) and for what JSON cannot hold. */
function copyScalar(value: unknown): unknown {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "bigint":
    case "undefined":
      return value;
    case "object":
      return value === null ? null : ABSENT;
    default:
      return ABSENT;
  }
}
