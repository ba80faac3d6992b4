// Time of the stream helpers at two sizes, side by side in one process: a linear helper
// costs about 8x more for 8x the deltas. Usage: npm run build && node scripts/provider-stream-scaling.mjs [dist dir]
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const dist = resolve(process.argv[2] ?? "dist");
const { actionFromOpenAIStream, actionFromAnthropicStream } = await import(pathToFileURL(`${dist}/index.js`).href);

async function* from(items) {
  for (const item of items) yield item;
}
const toolDelta = (index, args) => ({ choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: args } }] } }] });
const textDelta = (content) => ({ choices: [{ index: 0, delta: { content } }] });
const families = {
  "openai: whitespace argument deltas": (n) => [...Array.from({ length: n }, () => toolDelta(0, " ")), toolDelta(0, '{"action_type": "noop"}')],
  "openai: one new tool call per chunk": (n) => Array.from({ length: n }, (_, i) => toolDelta(i, " ")),
  "openai: content deltas": (n) => Array.from({ length: n }, () => textDelta("ab ")),
  "anthropic: text deltas": (n) => [
    { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    ...Array.from({ length: n }, () => ({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "ab " } })),
  ],
  "anthropic: input_json deltas": (n) => [
    { type: "content_block_start", index: 0, content_block: { type: "tool_use", input: {} } },
    ...Array.from({ length: n }, () => ({ type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: " " } })),
  ],
};
async function time(name, n) {
  const chunks = families[name](n);
  const helper = name.startsWith("openai") ? actionFromOpenAIStream : actionFromAnthropicStream;
  const t = performance.now();
  await helper(from(chunks), { role: "sre" });
  return performance.now() - t;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`node ${process.version}, ${dist}`);
for (const name of Object.keys(families)) {
  const small = [], large = [];
  for (let r = 0; r < 3; r++) {
    small.push(await time(name, 10_000));
    large.push(await time(name, 80_000));
  }
  console.log(`${name.padEnd(38)} 10k ${median(small).toFixed(0).padStart(6)} ms  80k ${median(large).toFixed(0).padStart(7)} ms  ratio ${(median(large) / median(small)).toFixed(1)}x`);
}
