/**
 * A GBNF grammar (llama.cpp's grammar format) that constrains a local model to write
 * exactly one canonical action: the shape `actionToTrainingTarget` writes, keys in
 * sorted order, with the vocabulary of the enums. Built from the same enums as
 * ACTION_JSON_SCHEMA, so the two cannot drift apart.
 */
import { ActionType, AgentRole, FailureType } from "../model/enums.js";

function literal(text: string): string {
  return JSON.stringify(JSON.stringify(text));
}

function choice(values: readonly string[]): string {
  return values.map(literal).join(" | ");
}

/**
 * The grammar, rule `root` first.
 *
 * @example
 * // llama.cpp: llama-cli -m model.gguf --grammar "$(chaosops schema --as gbnf)"
 * actionGbnf().startsWith("root ::=") // → true
 */
export function actionGbnf(): string {
  return [
    `root ::= "{" ws "\\"action_type\\"" ws ":" ws action-type ws "," ws "\\"args\\"" ws ":" ws args ws "," ws "\\"target\\"" ws ":" ws target ws "}"`,
    `action-type ::= ${choice(Object.values(ActionType))}`,
    `target ::= string | "null"`,
    `args ::= "{" ws ( arg ( ws "," ws arg )* )? ws "}"`,
    `arg ::= "\\"failure_type\\"" ws ":" ws failure-type | "\\"message\\"" ws ":" ws string | "\\"replicas\\"" ws ":" ws count | "\\"to\\"" ws ":" ws role`,
    `failure-type ::= ${choice(Object.values(FailureType))}`,
    `role ::= ${choice(Object.values(AgentRole))}`,
    `count ::= "0" | [1-9] [0-9]*`,
    `string ::= "\\"" ( [^"\\\\\\x7F\\x00-\\x1F] | "\\\\" ( ["\\\\/bfnrt] | "u" [0-9a-fA-F]{4} ) )* "\\""`,
    // Bounded whitespace keeps a constrained model from padding forever.
    `ws ::= ( " " | "\\n" [ \\t]{0,20} )?`,
  ].join("\n");
}
