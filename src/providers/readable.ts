/**
 * Reading objects we did not make (SDK responses, stream chunks, thrown values) without
 * ever throwing: a getter that throws, a Proxy whose traps throw or that was revoked,
 * and a value that contains itself are all read as if the part were absent. Every read
 * goes through here, so the provider layer has one place where hostility is absorbed.
 */

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

/** The elements of an array, one by one (an unreadable element is undefined); anything else is empty. */
export function* items(value: unknown): Generator<unknown, void, undefined> {
  if (!attempt(() => Array.isArray(value), false)) return;
  const list = value as readonly unknown[];
  const length = attempt(() => list.length, 0);
  for (let i = 0; i < length; i++) yield attempt(() => list[i], undefined);
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

interface Pending {
  readonly source: object;
  readonly target: Container;
  /** Keys (or indices) still to copy. */
  readonly entries: Iterator<readonly [string | number, unknown]>;
}

function entriesOf(source: object): Iterator<readonly [string | number, unknown]> {
  if (attempt(() => Array.isArray(source), false)) {
    return (function* () {
      let i = 0;
      for (const item of items(source)) yield [i++, item] as const;
    })();
  }
  if (attempt(() => source instanceof Map, false)) {
    const map = source as Map<unknown, unknown>;
    const pairs = attempt(() => [...map.entries()], [] as [unknown, unknown][]);
    return pairs.flatMap(([key, value]) => (typeof key === "string" ? [[key, value] as const] : []))[Symbol.iterator]();
  }
  const keys = attempt(() => Object.keys(source), [] as string[]);
  return (function* () {
    for (const key of keys) yield [key, attempt(() => (source as Record<string, unknown>)[key], undefined)] as const;
  })();
}

const ABSENT = Symbol("absent");

/**
 * A plain copy of `value` (arrays, and objects and Maps as plain objects) that is safe
 * to walk: members that cannot be read, functions and symbols are left out, and so is a
 * member that is one of its own containers (a cycle). Walked with an explicit stack, so
 * no depth overflows the call stack; linear in what it copies.
 */
export function plainCopy(value: unknown): unknown {
  const root = copyScalar(value);
  if (root !== ABSENT || typeof value !== "object" || value === null) return root === ABSENT ? undefined : root;
  const open = new Set<object>();
  const stack: Pending[] = [];
  const enter = (source: object): Container => {
    const target: Container = attempt(() => Array.isArray(source), false) ? [] : {};
    open.add(source);
    stack.push({ source, target, entries: entriesOf(source) });
    return target;
  };
  const result = enter(value);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const next = top.entries.next();
    if (next.done) {
      open.delete(top.source);
      stack.pop();
      continue;
    }
    const [key, member] = next.value;
    let copied: unknown = copyScalar(member);
    if (copied === ABSENT && typeof member === "object" && member !== null && !open.has(member)) copied = enter(member);
    if (copied === ABSENT) continue;
    if (Array.isArray(top.target)) top.target.push(copied);
    else top.target[key as string] = copied;
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
