// Build: compile the grammars (grammar/*.peggy → src/generated/*.js + .d.ts), then
// compile the TypeScript library into dist/ and copy the generated parsers beside it.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const generated = join(root, "src", "generated");

const grammars = {
  candidates: {
    startRules: "Whole,Fenced,Balanced,Bare",
    returnTypes: {
      Whole: "import('../scanning/candidate-spec.js').SpecSpan[]",
      Fenced: "import('../scanning/candidate-spec.js').SpecSpan[]",
      Balanced: "import('../scanning/candidate-spec.js').SpecSpan[]",
      Bare: "import('../scanning/candidate-spec.js').SpecSpan[]",
    },
  },
  json: {
    startRules: "Document",
    returnTypes: { Document: "import('../model/types.js').JsonValue" },
  },
  formats: {
    startRules: "ReasoningSpans,ToolCallSpans,NestedSpans,ActionLineSpans,ActionLine",
    returnTypes: {
      ReasoningSpans: "import('../scanning/candidate-spec.js').SpecSpan[]",
      ToolCallSpans: "import('../scanning/candidate-spec.js').SpecSpan[]",
      NestedSpans: "import('../scanning/candidate-spec.js').SpecSpan[]",
      ActionLineSpans: "import('../scanning/candidate-spec.js').SpecSpan[]",
      ActionLine: "import('../formats/formats.js').LenientResult",
    },
  },
  lenient: {
    startRules: "Lenient",
    returnTypes: { Lenient: "import('../formats/lenient-json.js').LenientDecoded" },
  },
};

export function buildGrammars() {
  rmSync(generated, { recursive: true, force: true });
  mkdirSync(generated, { recursive: true });
  for (const [name, { startRules, returnTypes }] of Object.entries(grammars)) {
    execFileSync(
      bin("peggy"),
      [
        "--format", "es",
        "--dts",
        "--allowed-start-rules", startRules,
        "--return-types", JSON.stringify(returnTypes),
        "-o", join(generated, `${name}.js`),
        join(root, "grammar", `${name}.peggy`),
      ],
      { stdio: "inherit" },
    );
  }
}

function buildLibrary() {
  rmSync(join(root, "dist"), { recursive: true, force: true });
  execFileSync(bin("tsc"), ["-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
  for (const file of readdirSync(generated)) cpSync(join(generated, file), join(root, "dist", "generated", file));
}

buildGrammars();
if (!process.argv.includes("--grammar-only")) buildLibrary();
