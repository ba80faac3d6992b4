// Memory the stream parser retains after a long adversarial stream, and the memory a
// 100 MB batch parse needs. Run after `npm run build`:
//   node --expose-gc scripts/stream-memory.mjs [megabytes=100]
// For each family it feeds MB of text in chunks of random size (16 bytes to 64 KiB),
// then collects garbage and reports the heap still held (parser alive) against the
// heap once the parser is dropped. The target is under 5 MB retained.
import { StreamingActionParser, parseAction } from "../dist/index.js";

if (typeof globalThis.gc !== "function") {
  console.error("run with node --expose-gc");
  process.exit(2);
}
const megabytes = Number(process.argv[2] ?? 100);
const total = megabytes * 1024 * 1024;

// Building blocks chosen independently of the scanners: each family repeats one piece,
// and "mixed" draws pieces at random.
const pieces = [
  "{", "}", '{"', '{"a":', '"', "\\", "```", "```json ", "```{", "[", "]", '{"k":0,', "x", " chatter ",
  '"action_type"', ":", ",", "\n", "\\u00", "<think>", "</think>", "<tool_call>", "{a} ", "0123456789",
];
let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const families = {
  "open brace then chatter": (n) => "{" + "x".repeat(n - 1),
  "flood of {": (n) => "{".repeat(n),
  'flood of {"': (n) => '{"'.repeat(n / 2),
  'flood of {"a":': (n) => '{"a":'.repeat(n / 5),
  "{a} blocks": (n) => "{a} ".repeat(n / 4),
  "unclosed fences": (n) => "```{".repeat(n / 4),
  "fence then chatter": (n) => "```json {" + "y ".repeat(n / 2),
  "backslash flood in string": (n) => '"' + "\\".repeat(n),
  "long array in a block": (n) => '{"a": 1, "b": [' + "1,".repeat(n / 2),
  mixed: (n) => {
    let out = "";
    while (out.length < n) out += pieces[Math.floor(random() * pieces.length)];
    return out;
  },
};

function heap() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed + process.memoryUsage().external;
}

const unit = (bytes) => `${(bytes / 1048576).toFixed(2)} MB`;
console.log(`node ${process.version}; ${megabytes} MB per family; chunks of 16 B to 64 KiB`);
for (const [name, make] of Object.entries(families)) {
  // One 1 MiB block of the family, fed again and again: generating 100 MB would measure the generator.
  const block = make(1 << 20);
  let parser = new StreamingActionParser({ role: "sre" });
  let fed = 0;
  let at = 0;
  while (fed < total && !parser.finished) {
    const size = 16 + Math.floor(random() ** 3 * 65520);
    if (at + size > block.length) at = 0;
    parser.feed(block.slice(at, at + size));
    at += size;
    fed += size;
  }
  const summary = `finished=${parser.finished} action=${parser.action().action_type}`;
  const held = heap();
  parser = null;
  const retained = held - heap();
  console.log(`${name.padEnd(32)} retained ${unit(retained).padStart(10)}  ${summary}`);
}

// A 100 MB input to parseAction: the peak resident memory beyond the input itself.
const input = "{a} ".repeat(total / 8) + '{"action_type": "restart", "target": "db"} ' + "chatter ".repeat(total / 16);
heap();
const rssBefore = process.resourceUsage().maxRSS * 1024;
const t0 = performance.now();
const action = parseAction(input, { role: "sre" });
const elapsed = performance.now() - t0;
const rssGrowth = process.resourceUsage().maxRSS * 1024 - rssBefore;
console.log(`parseAction of ${unit(input.length)} → ${action.action_type} in ${elapsed.toFixed(0)} ms; peak RSS grew by ${unit(Math.max(0, rssGrowth))}`);
