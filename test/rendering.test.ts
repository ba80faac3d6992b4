import { describe, expect, it } from "vitest";
import { InvalidObservationError, renderObservation } from "../src/rendering.js";
import type { RoleView } from "../src/types.js";
import { loadGolden } from "./support/golden.js";

interface RenderCase {
  id: string;
  view: RoleView;
  step: number;
  expect: string;
}

describe("renderObservation: golden cases from the reference", () => {
  it.each(loadGolden<RenderCase>("render").map((c) => [c.id, c] as const))("%s", (_id, c) => {
    expect(renderObservation(c.view, { step: c.step })).toBe(c.expect);
  });
});
