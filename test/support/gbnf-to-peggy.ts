/**
 * A GBNF recogniser for tests: translates llama.cpp's grammar format into a peggy
 * grammar and compiles it. Enough of GBNF for grammars whose alternatives are decided
 * by their first character (where PEG's ordered choice means the same as GBNF's).
 */
import peggy from "peggy";

function translateBody(body: string): string {
  let out = "";
  for (let i = 0; i < body.length; ) {
    const c = body[i] ?? "";
    if (c === '"' || c === "[") {
      const close = c === '"' ? '"' : "]";
      let j = i + 1;
      while (j < body.length && body[j] !== close) j += body[j] === "\\" ? 2 : 1;
      out += body.slice(i, j + 1);
      i = j + 1;
    } else if (c === "{") {
      const j = body.indexOf("}", i);
      const [min, max] = body.slice(i + 1, j).split(",");
      out += max === undefined ? `|${min}|` : `|${min}..${max}|`;
      i = j + 1;
    } else if (c === "|") {
      out += "/";
      i++;
    } else if (/[a-z]/.test(c)) {
      const name = /^[a-z][a-z0-9-]*/.exec(body.slice(i))?.[0] ?? c;
      out += name.replace(/-/g, "_");
      i += name.length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export function gbnfRecogniser(gbnf: string): (text: string) => boolean {
  const rules = gbnf
    .split("\n")
    .filter((line) => line.includes("::="))
    .map((line) => {
      const at = line.indexOf("::=");
      return `${line.slice(0, at).trim().replace(/-/g, "_")} = ${translateBody(line.slice(at + 3).trim())}`;
    });
  const parser = peggy.generate(rules.join("\n"));
  return (text) => {
    const result = parser.parse(text, { peg$library: true } as never) as unknown as { peg$success: boolean };
    return result.peg$success;
  };
}
