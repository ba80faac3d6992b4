// Inputs for the complexity fuzzer: random building blocks, combined and repeated to a
// size. Written without looking at how the parser works (STYLE.md 10): the blocks are
// what models and hostile users write, the families are what a seeded dice roll makes
// of them. Every family is a function of (size in characters) → text, deterministic.
import { rng } from "../bench/rng.mjs";

const pick = (r, list) => list[Math.floor(r() * list.length)];

/** A block is a string, or (i) → string for blocks that must differ each time (keys). */
export const BLOCKS = {
  keys: [(i) => `"k${i}":0,`, (i) => `"k${i}": "v",`, (i) => `'k${i}': None, `, (i) => `k${i}: 1, `, (i) => `"a${i}":{},`, (i) => `"k${i}":`],
  strings: ['"abc"', '"', "'", '"action_type"', '"restart"', '"target": "db"', '"args": {', "'x'", '""'],
  escapes: ["\\", '\\"', "\\\\", "\\n", "\\u00e9", "\\ud83d\\ude00", "\\ud800", "\\u", "\\x41", "\\'"],
  unicode: ["é", "😀", "\ud800", "\udc00", "▁", "｜", "\u2028", "\u0000", "\ufeff", "\u00a0"],
  tags: [
    "<think>", "</think>", "<tool_call>", "</tool_call>", "<function=restart>", "</function>", "<parameter=target>", "</parameter>",
    "<|channel|>analysis<|message|>", "<|channel|>commentary to=functions.restart <|constrain|>json<|message|>", "<|call|>", "<|end|>",
    "<|start|>assistant", "<|return|>", "[TOOL_CALLS]", "[ARGS]", "[CALL_ID]", "[THINK]", "[/THINK]", "<｜tool▁calls▁begin｜>",
    "<｜tool▁call▁begin｜>function<｜tool▁sep｜>restart\n", "<｜tool▁call▁end｜>", "<｜DSML｜invoke name=\"restart\">", "<|python_tag|>",
    "<|python_start|>", "<|tool_call>call:restart{", "<|\"|>", "<tool_call|>", "<seed:think>", "<seed:tool_call>", "<minimax:tool_call>",
    "<invoke name=\"restart\">", "<parameter name=\"target\">", "<arg_key>", "</arg_key>", "<arg_value>", "functools[", "Action: ",
    "<|START_ACTION|>", "<|END_ACTION|>", "<|START_THINKING|>", ">>>restart\n", "<start_function_call>call:restart{", "<escape>",
    "◁think▷", "◁/think▷", "<|tool_calls_section_begin|>", "<|tool_call_begin|>functions.restart:0<|tool_call_argument_begin|>",
    "<scratch_pad>", "<answer>", "<tool_calls>", "<|tools_prefix|>", "<|inner_prefix|>", "<|tool_call|>", "[ACTION] scale payments replicas=",
    "Here is my thought process:", "Here is my response:", "<|channel>thought\n", "<channel|>", "<function_calls>\n",
  ],
  fences: ["```", "```json\n", "```tool_code\n", "\n```\n", "~~~", "`"],
  brackets: ["{", "}", "[", "]", "(", ")", '{"a":', '{"action_type":"restart",', '[{"name":"restart","arguments":{', "{x} ", "{a:} ", "{}", "[]"],
  chatter: ["The db latency is climbing. ", "\n", " ", "\t", "\r\n", "so ", "restart the db", "I will call the tool now:"],
  python: ["True", "None", "False", "{'a': 1,", "restart(target='db', ", "f(k=", "scale(replicas=4)", "[restart(target=\"db\")]", "call:f{k:"],
  comments: ["//", "/*", "*/", "#", "/* x */", "// note\n"],
  digits: ["0", "123456789", "-1.5e10", '"replicas":', "1e999", "0x1F", "00", "."],
  punctuation: [",", ":", ";", "=", "'", "<", ">", "|"],
};

const ALL = Object.values(BLOCKS).flat();

/** Whole units until the text reaches `size` characters (a unit is never cut). */
function fill(unit, size, prefix = "", suffix = "") {
  const parts = [prefix];
  let length = prefix.length + suffix.length;
  for (let i = 0; length < size; i++) {
    const piece = unit(i);
    parts.push(piece);
    length += piece.length;
  }
  parts.push(suffix);
  return parts.join("");
}

const text = (block, i) => (typeof block === "function" ? block(i) : block);

/**
 * Named families: what issue 11 found by hand, so the fuzzer is known to find them, and
 * the shapes the random families would take too long to hit.
 */
export const NAMED = {
  "many keys": (n) => fill((i) => `"k${i}":0,`, n, "{", '"k":0}'),
  "many keys, open": (n) => fill((i) => `"k${i}":0,`, n, "{"),
  "many keys in a tool call": (n) => fill((i) => `"k${i}":0,`, n, '<tool_call>{"name": "chaosops_action", "arguments": {"action_type": "restart", ', '"k":0}}</tool_call>'),
  "many Python keys": (n) => fill((i) => `'k${i}': None, `, n, "{", "'k': 0}"),
  "many unquoted keys": (n) => fill((i) => `k${i}: 1, `, n, "{", "k: 0}"),
  whitespace: (n) => fill(() => " ", n, '{"action_type": "restart"', "}"),
  "{a:} flood": (n) => fill(() => "{a:} ", n),
  "unclosed /* comment in an object": (n) => fill(() => "x ", n, '{"action_type": "restart", /* '),
  "replicas of a million digits": (n) => fill(() => "1234567890", n, '{"action_type": "scale", "target": "db", "args": {"replicas": ', "}}"),
  "long target": (n) => fill(() => "a", n, '{"action_type": "restart", "target": "', '"}'),
  "escape flood in a string": (n) => fill(() => "\\n", n, '{"action_type": "restart", "target": "', '"}'),
  // str() of a list target is read from its source text: big integers, floats, repeated and index-like keys.
  "list target": (n) => fill((i) => `${i + 1}00000000000000000, 1.0, "k${i}", {"${i % 7}": -0, "a": 1, "a": 2}, `, n, '{"action_type": "noop", "target": [', "0]}"),
  "many tool calls": (n) => fill((i) => `<tool_call>{"name": "f${i}", "arguments": {}}</tool_call>`, n),
  "open think blocks": (n) => fill(() => "<think>{", n),
  "harmony channels": (n) => fill(() => "<|channel|>analysis<|message|>{\"a\":", n),
  "deepseek calls": (n) => fill(() => "<｜tool▁call▁begin｜>function<｜tool▁sep｜>restart\n```json\n{", n),
  // A red-team find: each V3 call's name ran to the end of the text when no newline, backtick or brace came.
  "deepseek calls without a name end": (n) => fill(() => "<｜tool▁call▁begin｜>function<｜tool▁sep｜>", n),
  "pythonic calls": (n) => fill(() => "[restart(target='db', ", n),
  // Complete calls to a function that is no action: each is read, and none is the answer.
  "calls that are no action": (n) => fill(() => "[a(),", n),
  "mistral calls": (n) => fill(() => "[TOOL_CALLS]restart[ARGS]{", n),
  "nested fences": (n) => fill(() => "```json\n{\"a\": ```", n),
};

/**
 * Families in which no block stays open (closed blocks that are not actions, text
 * without braces), all ASCII: a stream parser fed them in default mode must keep
 * nothing, however long they run (with formats it keeps the text fed, and no more).
 */
export const NEVER_OPEN = {
  "{x} blocks": (n) => fill(() => "{x} ", n),
  "{a:} flood": (n) => fill(() => "{a:} ", n),
  "closed arrays": (n) => fill((i) => `[${i}, "a"] `, n),
  "chatter and tags": (n) => fill(() => "<think>The db is slow.</think> <|channel|>analysis<|message|> [TOOL_CALLS] ``` ", n),
  "fenced broken JSON": (n) => fill(() => '```json\n{"action_type": "restart",, }\n```\n', n),
};

/**
 * A random family: 1-4 blocks from random kinds make a unit, repeated to the size,
 * sometimes after an opening (a brace, a tag) and before a closing, so that the text is
 * inside a structure for its whole length. Seeded: `random(seed)` is always the same.
 */
export function randomFamily(seed) {
  const r = rng(seed);
  const kinds = Object.keys(BLOCKS);
  const unitBlocks = Array.from({ length: 1 + Math.floor(r() * 4) }, () => (r() < 0.8 ? pick(r, BLOCKS[pick(r, kinds)]) : pick(r, ALL)));
  const prefix = r() < 0.5 ? pick(r, ["{", '{"action_type": "restart", "args": {', "<think>", "<tool_call>", "```json\n", "[", '"', "{'a': ", "<|python_tag|>", "[TOOL_CALLS]"]) : "";
  const suffix = r() < 0.4 ? pick(r, ["}", "</think>", "</tool_call>", "\n```", "]", '"', '}{"action_type": "restart"}']) : "";
  const unit = (i) => unitBlocks.map((block) => text(block, i)).join("");
  const name = `random #${seed}: ${JSON.stringify((prefix ? `${prefix}…` : "") + unit(0) + (suffix ? `…${suffix}` : ""))}`;
  return { name, make: (n) => fill(unit, n, prefix, suffix) };
}

/** A family by name: a named one, or `random #<seed>…`. */
export function familyByName(name) {
  if (NAMED[name]) return NAMED[name];
  if (NEVER_OPEN[name]) return NEVER_OPEN[name];
  const seed = /^random #(\d+)/.exec(name)?.[1];
  if (seed === undefined) throw new Error(`unknown family ${name}`);
  return randomFamily(Number(seed)).make;
}
