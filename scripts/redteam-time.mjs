// Red-team timing probe: for each input family of scripts/redteam-units.mjs (built
// independently of the project's fuzzer), run every entry point and mode at two sizes in
// one child process and report the growth of CPU time (process.cpuUsage, medians, each
// measurement divided by a JSON.parse calibration taken right before it) and, at the
// large size, the cost relative to JSON.parse of a valid document of the same length.
//
//   node scripts/redteam-time.mjs [--small 131072] [--large 1048576] [--filter REGEX] [--entries REGEX] [--seed 1] [--all]
// Prints only suspicious rows (growth > 12x for 8x input, or > 40x JSON.parse) unless --all.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { families } from "./redteam-units.mjs";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const SMALL = Number(opt("small", 131072));
const LARGE = Number(opt("large", SMALL * 8));
const SEED = Number(opt("seed", 1));
const FILTER = new RegExp(opt("filter", "."));
const ENTRY_FILTER = opt("entries", ".");
const ALL = args.includes("--all");
const TIMEOUT = Number(opt("timeout", 120)) * 1000;

if (args.includes("--child")) {
  await child(opt("family"), SEED, SMALL, LARGE, new RegExp(ENTRY_FILTER));
} else {
  await parent();
}

async function parent() {
  const names = Object.keys(families(SEED)).filter((n) => FILTER.test(n));
  console.log(`# node ${process.version}, sizes ${SMALL} -> ${LARGE}, ${names.length} families`);
  for (const name of names) {
    const out = await new Promise((resolve) => {
      const p = spawn(process.execPath, ["--stack-size=984", fileURLToPath(import.meta.url), "--child", "--family", name, "--seed", String(SEED), "--small", String(SMALL), "--large", String(LARGE), "--entries", ENTRY_FILTER], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      p.stdout.on("data", (d) => (stdout += d));
      p.stderr.on("data", (d) => (stderr += d));
      const timer = setTimeout(() => p.kill("SIGKILL"), TIMEOUT);
      p.on("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ stdout, stderr, code, signal });
      });
    });
    const rows = out.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    for (const r of rows) {
      const bad = r.throw || r.growth > 12 || r.vsJson > 40;
      if (ALL || bad) console.log(`${bad ? "!!" : "  "} ${name.padEnd(60)} ${r.entry.padEnd(26)} ${r.throw ? `THROW ${r.throw}` : `growth ${r.growth.toFixed(1)}x  large ${r.ms.toFixed(1)} ms  vsJSON ${r.vsJson.toFixed(1)}x`}`);
    }
    if (out.signal || out.code) console.log(`!! ${name.padEnd(60)} child ${out.signal ?? `exit ${out.code}`} after ${rows.length} rows; last: ${rows.at(-1)?.entry} ${out.stderr.slice(-300)}`);
  }
}

async function child(name, seed, small, large, entryFilter) {
  const lib = await import("../dist/index.js");
  const make = families(seed)[name];
  const texts = [make(small), make(large)];
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const timeOnce = (fn) => {
    const t = cpu();
    fn();
    return cpu() - t;
  };
  const validDoc = (n) => {
    const items = [];
    let len = 2;
    while (len < n) {
      const s = JSON.stringify({ action_type: "communicate", target: "db", args: { to: "sre", message: `msg ${items.length} \\"q\\"` } });
      items.push(s);
      len += s.length + 1;
    }
    return `[${items.join(",")}]`;
  };
  const doc = validDoc(large);
  const calDoc = validDoc(20000);
  const cal = () => median([0, 1, 2, 3, 4].map(() => timeOnce(() => { for (let i = 0; i < 20; i++) JSON.parse(calDoc); })));
  const jsonMs = median([0, 1, 2].map(() => timeOnce(() => JSON.parse(doc))));

  const modes = {
    default: undefined,
    lenient: "lenient",
    tool_call: ["tool_call"],
    reasoning: ["reasoning"],
    "reasoning+tool_call": ["reasoning", "tool_call"],
    python: ["python"],
    relaxed: ["relaxed"],
    truncated: ["truncated"],
    action_line: ["action_line"],
  };
  const entries = {};
  for (const [m, formats] of Object.entries(modes)) {
    const o = formats ? { role: "sre", formats } : { role: "sre" };
    entries[`parseAction ${m}`] = (t) => lib.parseAction(t, o);
  }
  for (const m of ["default", "lenient"]) {
    const o = modes[m] ? { role: "sre", formats: modes[m] } : { role: "sre" };
    entries[`detailed ${m}`] = (t) => lib.parseActionDetailed(t, o);
    entries[`stream64 ${m}`] = (t) => {
      const p = new lib.StreamingActionParser(o);
      for (let i = 0; i < t.length; i += 64) if (p.feed(t.slice(i, i + 64))) break;
      p.action();
    };
    entries[`stream7 ${m}`] = (t) => {
      const p = new lib.StreamingActionParser(o);
      for (let i = 0; i < t.length; i += 7) if (p.feed(t.slice(i, i + 7))) break;
      p.action();
    };
    entries[`openai ${m}`] = (t) => lib.parseOpenAIResponse({ choices: [{ message: { content: t, tool_calls: [{ type: "function", function: { name: "chaosops_action", arguments: t } }] } }] }, o);
    entries[`anthropic ${m}`] = (t) => lib.parseAnthropicResponse({ content: [{ type: "text", text: t }, { type: "tool_use", name: "restart", input: { target: t.slice(0, 100) } }] }, o);
  }
  for (const [entry, fn] of Object.entries(entries)) {
    if (!entryFilter.test(entry)) continue;
    try {
      fn(texts[0]);
      const ratios = [];
      const larges = [];
      for (let round = 0; round < 3; round++) {
        const c1 = cal();
        const a = timeOnce(() => fn(texts[0]));
        const c2 = cal();
        const b = timeOnce(() => fn(texts[1]));
        ratios.push(Math.max(b, 0.05) / c2 / (Math.max(a, 0.05) / c1));
        larges.push(b);
        if (b > 5000) break;
      }
      const ms = median(larges);
      console.log(JSON.stringify({ entry, growth: median(ratios), ms, vsJson: (ms * (doc.length / texts[1].length)) / Math.max(jsonMs, 0.1) }));
    } catch (e) {
      console.log(JSON.stringify({ entry, throw: String(e).slice(0, 200) }));
    }
  }
}
