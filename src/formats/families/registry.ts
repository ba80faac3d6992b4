/**
 * The syntax families, in the order their readers are tried where they share a marker
 * and their envelope shapes are tried on a decoded object. Adding a family: its grammar
 * under grammar/, its module here, one line in this list, its cases in
 * test/fixtures/native-syntaxes/ (docs/formats.md walks through one).
 */
import { apertus } from "./apertus.js";
import { command } from "./command.js";
import { deepseek } from "./deepseek.js";
import { deepseekDsml } from "./deepseek-dsml.js";
import { functionary } from "./functionary.js";
import { gemma } from "./gemma.js";
import { gemma4 } from "./gemma4.js";
import { glm45 } from "./glm45.js";
import { gptOss } from "./gpt-oss.js";
import { granite } from "./granite.js";
import { hermes2Pro } from "./hermes2pro.js";
import { hunyuan } from "./hunyuan.js";
import { kimiK2 } from "./kimi-k2.js";
import { llama3Json } from "./llama3-json.js";
import { llamacppGeneric } from "./llamacpp-generic.js";
import { minimaxM2 } from "./minimax-m2.js";
import { mistral } from "./mistral.js";
import { phi4Functools } from "./phi4-functools.js";
import { pythonic } from "./pythonic.js";
import { qwen3Coder } from "./qwen3-coder.js";
import { qwen3Hermes } from "./qwen3-hermes.js";
import { seedOss } from "./seed-oss.js";
import type { SyntaxFamily } from "./kit.js";

export const FAMILIES: readonly SyntaxFamily[] = [
  qwen3Hermes,
  hermes2Pro,
  qwen3Coder,
  llama3Json,
  pythonic,
  mistral,
  deepseek,
  deepseekDsml,
  gptOss,
  gemma,
  gemma4,
  granite,
  glm45,
  kimiK2,
  phi4Functools,
  command,
  seedOss,
  minimaxM2,
  hunyuan,
  llamacppGeneric,
  functionary,
  apertus,
];
