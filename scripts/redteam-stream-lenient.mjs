// Red-team reproducer (time and memory, not a test): the stream parser with
// formats: "lenient" on 1 MiB of repeated family markers costs 50x-200x a JSON.parse of a
// valid 1 MiB document (parseAction lenient on the same text: 7x-20x; the default stream:
// 0-2x), and it keeps every character fed (20 MB retained after 20 MB of input).
//   node --expose-gc scripts/redteam-stream-lenient.mjs [MiB for the memory part, default 20]
import { parseAction, StreamingActionParser } from "../dist/index.js";

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const N = 1 << 20;
const repeat = (unit, n = N) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
let doc = "[";
for (let i = 0; doc.length < N; i++) doc += JSON.stringify({ action_type: "communicate", target: "db", args: { message: `m${i}` } }) + ",";
doc = doc.slice(0, -1) + "]";
const jsonMs = median([1, 2, 3, 4, 5].map(() => {
  const t = cpu();
  JSON.parse(doc);
  return cpu() - t;
}));
console.log(`node ${process.version}; JSON.parse of a valid 1 MiB document: ${jsonMs.toFixed(1)} ms CPU; ratios below are CPU time / that`);
const stream = (text, options, chunk) => {
  const parser = new StreamingActionParser(options);
  for (let i = 0; i < text.length; i += chunk) if (parser.feed(text.slice(i, i + chunk))) break;
  parser.action();
};
for (const unit of ["x", "the db is slow ", ">>>", "[a(),", "[TOOL_CALLS] [{", "<tool_call>[", "<think>", "<|START_ACTION|>[", "<tool_calls>["]) {
  const text = repeat(unit);
  const row = [];
  for (const formats of [undefined, "lenient"]) {
    for (const chunk of [4, 64, 4096]) {
      const options = formats ? { role: "sre", formats } : { role: "sre" };
      const ms = median([1, 2, 3].map(() => {
        const t = cpu();
        stream(text, options, chunk);
        return cpu() - t;
      }));
      row.push(`${formats ?? "default"}/${chunk}: ${(ms / jsonMs).toFixed(0)}x`);
    }
  }
  const batch = median([1, 2, 3].map(() => {
    const t = cpu();
    parseAction(text, { role: "sre", formats: "lenient" });
    return cpu() - t;
  }));
  console.log(`${JSON.stringify(unit).padEnd(20)} stream ${row.join("  ")}   parseAction lenient ${(batch / jsonMs).toFixed(0)}x`);
}

if (typeof gc === "function") {
  const mib = Number(process.argv[2] ?? 20);
  for (const [unit, formats] of [["x", undefined], ["x", "lenient"]]) {
    const options = formats ? { role: "sre", formats } : { role: "sre" };
    const chunk = repeat(unit, 65_536);
    gc();
    const before = process.memoryUsage();
    const parser = new StreamingActionParser(options);
    for (let fed = 0; fed < mib * N; fed += chunk.length) if (parser.feed((chunk + " ").slice(0, -1))) break;
    gc();
    const after = process.memoryUsage();
    const retained = after.heapUsed + after.external - before.heapUsed - before.external;
    console.log(`memory: ${mib} MiB of ${JSON.stringify(unit)} in 64 KiB chunks, ${formats ?? "default"}: ${(retained / N).toFixed(1)} MiB retained`);
    parser.action();
  }
} else {
  console.log("(run with --expose-gc for the memory part)");
}
