// Inputs for the benchmark: a labelled corpus of realistic completions, and the
// adversarial families. Deterministic (seeded), so every run and every library sees
// the same text.

import { readFileSync } from "node:fs";
import { NAMED } from "../scripts/complexity-inputs.mjs";
import { rng } from "./rng.mjs";

export { rng };

const SERVICES = ["auth", "payments", "notifications", "db", "load_balancer"];
const AGENTS = ["autoscaler", "load_balancer", "deploy_bot"];
const FAILURES = ["db_deadlock", "memory_leak", "bad_config_push", "autoscaler_cost_cut", "misrouted_traffic", "cascade", "dns_outage", "disk_full", "rogue_deploy_bot"];
const ROLES = ["sre", "dev", "manager", "oversight"];
const WORDS = "the db latency is climbing while cpu stays low so this looks like a deadlock on the orders table and restarting it should release the locks quickly".split(" ");

function pick(r, list) {
  return list[Math.floor(r() * list.length)];
}

function sentence(r, words = 8 + Math.floor(r() * 16)) {
  const out = [];
  for (let i = 0; i < words; i++) out.push(pick(r, WORDS));
  const text = out.join(" ");
  return text[0].toUpperCase() + text.slice(1) + ".";
}

/** An action as a model means it, with the JSON it would write. */
function intendedAction(r) {
  const kind = Math.floor(r() * 6);
  if (kind === 0) return { action_type: "restart", target: pick(r, SERVICES), args: {} };
  if (kind === 1) return { action_type: "scale", target: pick(r, SERVICES), args: { replicas: 2 + Math.floor(r() * 8) } };
  if (kind === 2) return { action_type: "identify_root_cause", target: null, args: { failure_type: pick(r, FAILURES) } };
  if (kind === 3) return { action_type: "flag_rogue", target: pick(r, AGENTS), args: { reason: sentence(r, 6) } };
  if (kind === 4) return { action_type: "communicate", target: null, args: { to: pick(r, ROLES), message: sentence(r) } };
  return { action_type: "rollback", target: pick(r, SERVICES), args: { reason: sentence(r, 5) } };
}

function json(action, r) {
  const compact = r() < 0.5;
  return compact ? JSON.stringify(action) : JSON.stringify(action, null, 2);
}

function pythonDict(action) {
  const value = (v) => (v === null ? "None" : typeof v === "string" ? `'${v.replace(/'/g, "\\'")}'` : typeof v === "number" ? String(v) : `{${Object.entries(v).map(([k, x]) => `'${k}': ${value(x)}`).join(", ")}}`);
  return value(action);
}

/** Completion families: each makes (random, action) → text whose intended action is `action`. */
export const FAMILIES = {
  clean: (r, a) => json(a, r),
  chatter: (r, a) => `${sentence(r)} ${sentence(r)}\n\n${json(a, r)}\n\n${sentence(r)}`,
  fences: (r, a) => `${sentence(r)}\n\`\`\`json\n${json(a, r)}\n\`\`\`\n${r() < 0.5 ? sentence(r) : ""}`,
  "several objects": (r, a) => `${json(a, r)}\nIf that fails: ${JSON.stringify({ action_type: "escalate", target: null, args: {} })}`,
  broken: (r, a) => {
    const text = JSON.stringify(a);
    const mode = Math.floor(r() * 3);
    if (mode === 0) return text.replace(/}$/, ",}").replace(/}}$/, "},}");
    if (mode === 1) return pythonDict(a);
    return text.replace(/"(\w+)":/g, "$1:");
  },
  truncated: (r, a) => {
    const body = JSON.stringify({ ...a, args: { ...a.args, note: sentence(r, 12) } });
    return body.slice(0, body.length - 3 - Math.floor(r() * 20));
  },
  "tool call": (r, a) => `<tool_call>\n${JSON.stringify({ name: "chaosops_action", arguments: a })}\n</tool_call>`,
  "think block": (r, a) => `<think>\n${sentence(r)} Draft: {"action_type": "noop", "target": null}\n${sentence(r)}\n</think>\n${json(a, r)}`,
  adversarial: (r, a) => {
    const junk = ["```{ ".repeat(40), "{".repeat(200), '{"'.repeat(100), "{x} ".repeat(100), "\\".repeat(300)];
    return `${pick(r, junk)}\n${sentence(r)}\n${JSON.stringify(a)}`;
  },
};

/** `perFamily` completions of each family, each with the action it means. */
export function realisticCorpus(perFamily, seed = 7) {
  const r = rng(seed);
  const cases = [];
  for (const [family, make] of Object.entries(FAMILIES)) {
    for (let i = 0; i < perFamily; i++) {
      const action = intendedAction(r);
      cases.push({ family, role: pick(r, ROLES), text: make(r, action), intended: action });
    }
  }
  return cases;
}

/** Clean actions only: the floor, what a model with structured output writes. */
export function cleanActions(count, seed = 11) {
  const r = rng(seed);
  return Array.from({ length: count }, () => JSON.stringify(intendedAction(r)));
}

function repeatTo(unit, size) {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Adversarial families: size (characters) → text. */
export const ADVERSARIAL = {
  "unclosed fences": (n) => repeatTo("```{", n),
  "flood of {": (n) => repeatTo("{", n),
  'flood of {"': (n) => repeatTo('{"', n),
  'unclosed {"a":': (n) => repeatTo('{"a":', n),
  "deep objects": (n) => {
    const depth = Math.floor(n / 7);
    return `{"args":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`;
  },
  "deep arrays": (n) => `{"args":${"[".repeat(n / 2 - 5)}${"]".repeat(n / 2 - 5)}}`,
  "{x} blocks": (n) => repeatTo("{x} ", n),
  "fenced broken JSON": (n) => repeatTo('```json\n{"action_type": "restart", "target": "db",}\n```\n', n),
  "unterminated string": (n) => `{"action_type": "restart", "args": {"note": "${repeatTo("a", n - 40)}`,
  "backslash flood": (n) => `{"a": "${repeatTo("\\", n - 10)}`,
  "long chatter": (n) => `${repeatTo("The db latency is climbing while cpu stays low. ", n - 60)}{"action_type": "restart", "target": "db"}`,
  // The complexity fuzzer's named families (scripts/complexity-inputs.mjs): issue 11's finds.
  ...Object.fromEntries(
    ["many keys", "many Python keys", "whitespace", "{a:} flood", "unclosed /* comment in an object", "replicas of a million digits", "escape flood in a string", "many tool calls", "open think blocks", "harmony channels", "pythonic calls"].map((name) => [name, NAMED[name]]),
  ),
};

/** A valid JSON document of about `n` characters: the JSON.parse baseline. */
export function validDocument(n) {
  const item = JSON.stringify({ action_type: "communicate", target: null, args: { to: "sre", message: "db latency is climbing while cpu stays low" } });
  const count = Math.max(1, Math.floor(n / (item.length + 1)));
  return `[${Array(count).fill(item).join(",")}]`;
}

/** The formats cases of the labelled corpus: the families that need formats on. */
const FORMATS_FAMILIES = ["broken", "truncated", "tool call", "think block"];

/**
 * Realistic native-syntax completions: the public sample of what open models write
 * (test/fixtures/native-syntaxes/sample.jsonl, copied from the project's shared
 * material), whose expected action is exact, plus the formats cases, whose expected
 * action is what the model meant (a truncated one may keep part of a note too).
 */
export function nativeCases(perFamily = 20) {
  const sample = readFileSync(new URL("../test/fixtures/native-syntaxes/sample.jsonl", import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line))
    .map((c) => ({ id: c.id, raw: c.raw, role: c.role, fallback: c.fallback, expect: c.expect, exact: true }));
  const formats = realisticCorpus(perFamily, 13)
    .filter((c) => FORMATS_FAMILIES.includes(c.family))
    .map((c, i) => ({ id: `formats-${c.family}-${i}`, raw: c.text, role: c.role, fallback: "noop", expect: { role: c.role, ...c.intended } }));
  return [...sample, ...formats];
}

/**
 * What reasoning models write before their answer: prose that quotes, brackets, tags
 * and sketches a draft action (which must not be taken), in several scripts.
 */
const REASONING_PIECES = [
  ...WORDS,
  '"lock wait timeout exceeded"', "{maybe}", "[check]", "<b>auth</b>", "(p99 = 2.3s)", "`SELECT * FROM orders`", "it's", "db's",
  "再起動", "重启数据库", "😀", "→", "—", "x42", "50%", "C:\\deploys\\auth.yaml", 'args {"replicas": 4}?', "if/else", "#1",
];

function reasoningProse(r, chars) {
  let text = "";
  while (text.length < chars) {
    text += pick(r, REASONING_PIECES);
    text += r() < 0.08 ? "\n" : r() < 0.05 ? ". " : " ";
  }
  return text;
}

/** Answer syntaxes after reasoning: action → text. */
const ANSWERS_AFTER_REASONING = [
  (a) => `<tool_call>\n${JSON.stringify({ name: "chaosops_action", arguments: a })}\n</tool_call>`,
  (a) => `[TOOL_CALLS][${JSON.stringify({ name: "chaosops_action", arguments: a })}]`,
  (a) => `\`\`\`json\n${JSON.stringify(a, null, 2)}\n\`\`\``,
  (a) => JSON.stringify(a),
];

/**
 * Completions of a reasoning model: a `<think>` block of about `chars` characters (with a
 * draft action in it), then the answer as a tool call or as JSON; `expect` is the action.
 */
export function longReasoningCases(count = 40, chars = 4000, seed = 17) {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const action = intendedAction(r);
    const role = pick(r, ROLES);
    const draft = `Draft: {"action_type": "noop", "target": null} — no, better:`;
    const answer = ANSWERS_AFTER_REASONING[i % ANSWERS_AFTER_REASONING.length](action);
    const raw = `<think>\n${reasoningProse(r, chars / 2)}\n${draft}\n${reasoningProse(r, chars / 2)}\n</think>\n\n${answer}`;
    return { id: `long-reasoning-${i}`, raw, role, fallback: "noop", expect: { role, ...action }, exact: true };
  });
}
