// Preloaded into the CLI by the complexity fuzzer (node --import): at exit, reports the
// process's CPU time and peak RSS (worker threads included) on stderr.
import { writeSync } from "node:fs";

process.on("exit", () => {
  const { user, system } = process.cpuUsage();
  const usage = { cpuMs: (user + system) / 1000, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  writeSync(2, `COMPLEXITY_USAGE ${JSON.stringify(usage)}\n`);
});
