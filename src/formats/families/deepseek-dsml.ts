/**
 * DeepSeek V3.2 DSML: `<think>` reasoning; calls as `<｜DSML｜function_calls>`
 * `<｜DSML｜invoke name="NAME"><｜DSML｜parameter name="K" string="true|false">V</｜DSML｜parameter>`
 * (vLLM tests for the DeepSeek V3.2 tool parser): `string="false"` marks a JSON value.
 * Grammar: grammar/deepseek-dsml.peggy.
 */
import { readInvoke } from "./minimax-m2.js";
import { literal, THINK, type SyntaxFamily } from "./kit.js";

const PREFIX = "｜DSML｜";

export const deepseekDsml: SyntaxFamily = {
  family: "deepseek_dsml",
  reasoning: [THINK],
  calls: [
    {
      syntax: "<｜DSML｜invoke name=…><｜DSML｜parameter name=… string=…>",
      marker: literal(`<${PREFIX}invoke`),
      endsReasoning: true,
      read: (ctx, at) => readInvoke(ctx, at, PREFIX),
    },
  ],
  envelopes: [],
};
