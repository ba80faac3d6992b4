import { parseAction } from "../dist/index.js";
import { readFileSync } from "node:fs";
const rows = readFileSync(new URL("../test/fixtures/native-syntaxes/sample.jsonl", import.meta.url), "utf8").trim().split("\n").map((l) => JSON.parse(l));
let d = 0, l = 0;
for (const r of rows) {
  const o = { role: r.role, fallback: r.fallback };
  if (JSON.stringify(parseAction(r.raw, o)) === JSON.stringify(r.expect)) d++;
  if (JSON.stringify(parseAction(r.raw, { ...o, formats: "lenient" })) === JSON.stringify(r.expect)) l++;
}
console.log(`default ${d}/${rows.length}, lenient ${l}/${rows.length}`);
