// Times the issue-11 reproducers through every entry point at 1 MiB and 8 MiB, against
// JSON.parse of a valid document of the same size (medians of interleaved runs). Run
// after `npm run build`:  node scripts/adversarial-timing.mjs
// Linear work shows as a growth near 8x; the target at 1 MiB is within 40x JSON.parse.
import { parseAction, parseActionDetailed, StreamingActionParser } from "../dist/index.js";

const MiB = 1 << 20;
const families = {
  "many keys": (n) => `{${Array.from({ length: Math.floor(n / 10) }, (_, i) => `"k${i}":0`).join(",")}}`,
  "long target": (n) => `{"action_type":"restart","target":"${"x".repeat(n)}"}`,
  "escapes": (n) => `{"action_type":"restart","target":"${"\\n".repeat(n / 2)}"}`,
  "replicas digits": (n) => `{"action_type":"scale","args":{"replicas":"${"7".repeat(n)}"}}`,
  "{a} flood (detail)": (n) => "{a} ".repeat(n / 4),
};
const stream16 = (text) => {
  const parser = new StreamingActionParser({ role: "sre" });
  for (let i = 0; i < text.length && !parser.finished; i += 16) parser.feed(text.slice(i, i + 16));
  return parser.action();
};
const entries = {
  parseAction: (t) => parseAction(t, { role: "sre" }),
  lenient: (t) => parseAction(t, { role: "sre", formats: "lenient" }),
  detailed: (t) => parseActionDetailed(t, { role: "sre" }).action,
  "stream 16 B": stream16,
};
const validDoc = (n) => JSON.stringify({ action_type: "restart", items: Array.from({ length: Math.floor(n / 12) }, (_, i) => i * 1000) });
const time = (fn) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

console.log(`node ${process.version}`);
for (const [family, make] of Object.entries(families)) {
  const small = make(MiB);
  const large = make(8 * MiB);
  const doc = validDoc(small.length);
  for (const [name, parse] of Object.entries(entries)) {
    const a = [];
    const b = [];
    const base = [];
    for (let r = 0; r < 3; r++) {
      base.push(time(() => JSON.parse(doc)));
      a.push(time(() => parse(small)));
      b.push(time(() => parse(large)));
    }
    const ratio = median(a) / median(base);
    console.log(`${family.padEnd(20)} ${name.padEnd(12)} 1 MiB ${median(a).toFixed(1).padStart(7)} ms (${ratio.toFixed(1)}x JSON.parse)  8x input: ${(median(b) / median(a)).toFixed(1)}x time`);
  }
}
