// Red-team building blocks, written apart from test/support/arbitraries.ts and
// scripts/complexity-inputs.mjs: the same units as scripts/redteam-units.mjs, re-exported
// with types so the tests and the timing probe attack with one vocabulary.
// @ts-expect-error: a plain .mjs module without declarations
import * as units from "../../scripts/redteam-units.mjs";

export const MARKERS: readonly string[] = units.MARKERS;
export const UNITS: readonly string[] = units.UNITS;
export const rng: (seed: number) => () => number = units.rng;
