// Named tool calls (one function per action type) streamed in one-character deltas with formats: "lenient",
// beside a chaosops_action call of the same arguments, at 10k and 80k deltas in one process (linear: ~8x).
// Usage: npm run build && node scripts/named-call-stream-scaling.mjs
import { performance } from "node:perf_hooks";
const { actionFromOpenAIStream } = await import(new URL("../dist/index.js", import.meta.url).href);
async function* from(items) { for (const item of items) yield item; }
const first = (name) => ({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { name, arguments: "" } }] } }] });
const toolDelta = (args) => ({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: args } }] } }] });
function chunks(name, n) {
  const args = `{"to": "dev", "message": "${"x".repeat(n)}"}`;
  return [first(name), ...[...args].map(toolDelta)];
}
async function time(name, n) {
  const c = chunks(name, n);
  const t = performance.now();
  const a = await actionFromOpenAIStream(from(c), { role: "sre", formats: "lenient" });
  return [performance.now() - t, a.action_type];
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`node ${process.version}`);
for (const n of [10_000, 80_000]) {
  const named = [], whole = [];
  let types;
  for (let r = 0; r < 5; r++) { const [a, ta] = await time("communicate", n); const [b, tb] = await time("chaosops_action", n); named.push(a); whole.push(b); types = [ta, tb]; }
  console.log(`${n} one-char deltas: communicate(...) ${median(named).toFixed(1)} ms (${types[0]}), chaosops_action ${median(whole).toFixed(1)} ms (${types[1]}), ratio ${(median(named) / median(whole)).toFixed(2)}`);
}
