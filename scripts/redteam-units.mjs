// Red-team building blocks (written independently of scripts/complexity-inputs.mjs and
// test/support/arbitraries.ts): markers of every model family, JSON/Python fragments,
// quotes, comments, escapes, brackets. An input is a unit repeated, a unit followed by
// nested brackets, or a seeded random mix of units, cut to an exact length.

export const MARKERS = [
  "<think>", "</think>", "<think>{", "<think>{\"a\":", "[THINK]", "[/THINK]", "◁think▷", "◁/think▷",
  "<seed:think>", "</seed:think>", "<scratch_pad>", "<|START_THINKING|>", "<|END_THINKING|>",
  "Here is my thought process:", "Here is my response:", "<|channel>thought\n", "<channel|>",
  "<|inner_prefix|>", "<|inner_suffix|>", "<answer>", "</answer>",
  "<tool_call>", "</tool_call>", "<tool_call>{", "<tool_call>{\"name\":\"restart\",\"arguments\":{",
  "<tool_call>[", "<|tool_call|>[", "<tool_call>restart\n<arg_key>", "<arg_key>k</arg_key><arg_value>",
  "[TOOL_CALLS]", "[TOOL_CALLS]restart[ARGS]{", "[TOOL_CALLS]restart[CALL_ID]", "[TOOL_CALLS] [{",
  "<|channel|>", "<|channel|>analysis<|message|>", "<|channel|>final<|message|>",
  "<|start|>assistant<|channel|>commentary to=functions.restart <|constrain|>json<|message|>{",
  " to=functions.", "<|message|>", "<|call|>", "<|end|>",
  "<function=", "<function=restart>", "<function=restart><parameter=target>", "<parameter=", "</parameter>",
  "<｜tool▁calls▁begin｜>", "<｜tool▁call▁begin｜>function<｜tool▁sep｜>restart\n```json{",
  "<｜tool▁call▁begin｜>restart<｜tool▁sep｜>{", "<｜tool▁sep｜>",
  "<｜DSML｜function_calls>", "<｜DSML｜invoke name=\"restart\">", "<｜DSML｜parameter name=\"target\" string=\"true\">",
  "[f(", "[restart(target=\"", "[restart(a=[", "restart(", "f(k=v, ", "[a(),", "f(k=(",
  "call:f{", "call:f{k:<escape>", "<start_function_call>call:f{", "<|tool_call>call:f{k:<|\"|>", "<|\"|>",
  "functools[", "functools[{", " functools[{\"name\":",
  "<|python_start|>[", "<|python_tag|>{", "<|python_tag|>",
  ">>>", ">>>restart\n{", "restart\n{", "all\n",
  "<|START_ACTION|>[", "<|START_ACTION|>[{\"tool_name\":", "Action: ```json [", "<|START_RESPONSE|>",
  "<seed:tool_call><function=restart>", "<seed:cot_budget_reflect>",
  "<minimax:tool_call><invoke name=restart><parameter name=target>", "<invoke name=",
  "<tool_calls>[", "<tool_calls>[{\"name\":", "<|tools_prefix|>[{\"restart\": {", "<|tools_prefix|>",
  "{\"tool_call\": {", "{\"tool_calls\": [", "{\"name\":\"restart\",\"parameters\":{",
  "<|tool_calls_section_begin|>", "<|tool_call_begin|>functions.restart:0<|tool_call_argument_begin|>{",
  "<function_calls>\nf(", "```tool_code\nf(", "```json\n{", "```", "```{",
];

export const JSONISH = [
  "{\"a\":\"", "\"", "'", "\"'", "'\"", "\"\\", "\\\"", "\\", "\\\\", "\\u", "\\ud800", "\\uD83D\\uDE00",
  "/*", "*/", "//", "#", "{a:", "{a:} ", "{'a': '", "{'a': 1, ", "\"\"\"", "'''", "[", "{", "]", "}",
  "{\"k\":0,", "True", "None,", "False ", "nan", "Infinity", "-", "1e", "0x", "1_0",
  "{\"action_type\":\"restart\",", "{\"action_type\": \"restart\", \"target\": \"db\"", ",", ":", "{,", "[,",
  "{\"action_type\":", "action_type: restart\n", "ACTION: ", "\n", " ", "\ud800", "\udc00", "x",
];

export const UNITS = [...MARKERS, ...JSONISH];

/** The bench's deterministic PRNG (mulberry32): the units above, not the randomness, are this red team's own. */
import { rng } from "../bench/rng.mjs";

export { rng };

export const repeatTo = (unit, size) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

/** Families of inputs: name → (size) => string. */
export function families(seed = 1) {
  const fam = {};
  for (const u of UNITS) fam[`rep ${JSON.stringify(u)}`] = (n) => repeatTo(u, n);
  for (const m of MARKERS) {
    fam[`nest ${JSON.stringify(m)}+[{`] = (n) => repeatTo(m + "[{\"a\":", n);
    fam[`marker+quote ${JSON.stringify(m)}`] = (n) => repeatTo(m + "\"x", n);
    fam[`marker+bs ${JSON.stringify(m)}`] = (n) => repeatTo(m + "\\", n);
  }
  fam["many keys"] = (n) => { let s = "{"; let i = 0; while (s.length < n) s += `"k${i++}":0,`; return s; };
  fam["many keys py"] = (n) => { let s = "{"; let i = 0; while (s.length < n) s += `'k${i++}': None, `; return s; };
  fam["deep ["] = (n) => "[".repeat(n);
  fam["deep {\"a\":"] = (n) => repeatTo("{\"a\":", n);
  fam["long target"] = (n) => `{"action_type":"restart","target":"${"a".repeat(n)}"}`;
  fam["long escapes"] = (n) => `{"action_type":"restart","target":"${"\\n".repeat(n / 2)}"}`;
  fam["long digits"] = (n) => `{"action_type":"scale","target":"db","args":{"replicas":${"9".repeat(n)}}}`;
  fam["long py digits"] = (n) => `[scale(target="db", replicas=${"9".repeat(n)})]`;
  fam["alt quotes"] = (n) => repeatTo("\"'`", n);
  fam["comment+obj"] = (n) => "{\"a\":1 /*" + "x".repeat(n);
  for (let k = 0; k < 24; k++) {
    fam[`mix ${seed}.${k}`] = (n) => {
      const r = rng(seed * 1000 + k);
      const pool = Array.from({ length: 2 + Math.floor(r() * 5) }, () => UNITS[Math.floor(r() * UNITS.length)]);
      let s = "";
      while (s.length < n) s += pool[Math.floor(r() * pool.length)];
      return s.slice(0, n);
    };
  }
  return fam;
}
