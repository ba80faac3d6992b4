// Floods of one family's markup or short complete calls (to functions that are no action) at
// 1 MiB, through lenient parseAction and the lenient stream parser fed 16-character chunks,
// against JSON.parse of a valid document of the same size; CPU time, after a warm-up. Not in
// npm run bench yet (README, Performance, gives one run).
//   npm run build && node scripts/call-floods.mjs [name filter] [dist dir]
import { validDocument } from "../bench/corpus.mjs";
import { streamInChunks } from "../bench/peers.mjs";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
const dist = resolve(process.argv[3] ?? "dist");
const { parseAction } = await import(pathToFileURL(`${dist}/index.js`).href);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
function timeOf(fn, minMs = 250) { let n = 0; const s = cpu(); let e; do { fn(); n++; e = cpu() - s; } while (e < minMs); return e / n; }
const UNITS = {
  "[a(),": "[a(),", "[a()]": "[a()] ", "[a(k=1)]": "[a(k=1)] ", ">>>": ">>>", ">>>a{}": ">>>a\n{}", "<function=a>{}": "<function=a>{}</function>",
  "[TOOL_CALLS]a[ARGS]{}": "[TOOL_CALLS]a[ARGS]{}", "[TOOL_CALLS] [{": "[TOOL_CALLS] [{", "[TOOL_CALLS] list": '[TOOL_CALLS] [{"name":"a","arguments":{}}]',
  "python_tag": '<|python_tag|>{"name":"a","parameters":{}}', "name;params": '{"name":"a","parameters":{}}; ',
  "deepseek": "<｜tool▁call▁begin｜>function<｜tool▁sep｜>a\n```json\n{}\n```<｜tool▁call▁end｜>",
  "deepseek31": "<｜tool▁call▁begin｜>a<｜tool▁sep｜>{}<｜tool▁call▁end｜>",
  "harmony": "<|start|>assistant<|channel|>commentary to=functions.a <|constrain|>json<|message|>{}<|call|>",
  "to=functions.": "to=functions.",
  "tool_code": "```tool_code\na()\n```\n", "functiongemma": "<start_function_call>call:a{}<end_function_call>",
  "gemma4": "<|tool_call>call:a{}<tool_call|>", "granite": '<|tool_call|>[{"name":"a","arguments":{}}]',
  "glm45": "<tool_call>a\n<arg_key>k</arg_key>\n<arg_value>v</arg_value></tool_call>",
  "kimi": "<|tool_call_begin|>functions.a:0<|tool_call_argument_begin|>{}<|tool_call_end|>",
  "functools": 'functools[{"name":"a","arguments":{}}]', "START_ACTION": '<|START_ACTION|>[{"tool_name":"a","parameters":{}}]<|END_ACTION|>',
  "START_ACTION[": "<|START_ACTION|>[", "Action:": 'Action: ```json\n[{"tool_name":"a","parameters":{}}]\n```\n',
  "seed": "<seed:tool_call><function=a><parameter=k>v</parameter></function></seed:tool_call>",
  "minimax": '<minimax:tool_call><invoke name="a"><parameter name="k">v</parameter></invoke></minimax:tool_call>',
  "hunyuan": '<tool_calls>[{"name":"a","arguments":{}}]</tool_calls>', "tool_calls[": "<tool_calls>[", "tool_call[": "<tool_call>[",
  "apertus": '<|tools_prefix|>[{"a": {}}]<|tools_suffix|>', "generic": '{"tool_call": {"name":"a","arguments":{}}}',
  "dsml": '<｜DSML｜invoke name="a"></｜DSML｜invoke>', "qwen3coder": "<tool_call><function=a><parameter=k>v</parameter></function></tool_call>",
  "hermes dict": "<tool_call>{'name': 'a', 'arguments': {}}</tool_call>", "hermes str args": '<tool_call>{"name": "a", "arguments": "{}"}</tool_call>',
  "think drafts": '<think>{"action_type":"restart"}</think>', "Here": "Here is my thought process: x Here is my response: ",
  "command thinking": "<|START_THINKING|>x<|END_THINKING|>", "channel analysis": "<|channel|>analysis<|message|>x<|end|>",
  "inner prefix": "<|inner_prefix|>x<|inner_suffix|>", "◁think▷": "◁think▷x◁/think▷", "[THINK]": "[THINK]x[/THINK]",
  "a=1 dict": "{a=1}", "python dict": "{'a': None, 'b': True}", "nested py": "{'a': [{'b': (1,)}]}",
};
const size = 1 << 20; const only = process.argv[2] && process.argv[2] !== "all" ? process.argv[2] : undefined;
const rows = [];
for (const [name, unit] of Object.entries(UNITS)) {
  if (only && !name.includes(only)) continue;
  const text = unit.repeat(Math.ceil(size / unit.length));
  const doc = validDocument(text.length);
  timeOf(() => parseAction(text, { role: "sre", formats: "lenient" }), 1500);
  timeOf(() => streamInChunks(text, 16, true), 1500);
  timeOf(() => JSON.parse(doc), 500);
  const lp = timeOf(() => parseAction(text, { role: "sre", formats: "lenient" }), 1000);
  const base = timeOf(() => JSON.parse(doc));
  const ls = timeOf(() => streamInChunks(text, 16, true), 1000);
  const base2 = timeOf(() => JSON.parse(doc));
  const b = (base + base2) / 2;
  rows.push([name, lp / b, ls / b]);
  console.log(name.padEnd(22), "parseAction lenient", (lp / b).toFixed(1).padStart(5) + "x", "  stream lenient", (ls / b).toFixed(1).padStart(5) + "x", "  JSON.parse", b.toFixed(2), "ms");
}
