import { describe, expect, it } from "vitest";
import { actionGbnf } from "../../src/prompting/gbnf.js";
import { actionToTrainingTarget } from "../../src/actions/training-target.js";
import { ActionType, AgentRole, FailureType } from "../../src/model/enums.js";
import { gbnfRecogniser } from "../support/gbnf-to-peggy.js";
import { canonicalActions, malformedActions } from "../support/canonical-actions.js";

const accepts = gbnfRecogniser(actionGbnf());

describe("actionGbnf", () => {
  it("accepts the training target of every canonical action", () => {
    const actions = canonicalActions();
    expect(actions.length).toBeGreaterThan(100);
    for (const action of actions) expect(accepts(actionToTrainingTarget(action)), actionToTrainingTarget(action)).toBe(true);
  });

  it("accepts the other layouts a model may write", () => {
    expect(accepts('{"action_type":"scale","args":{"replicas":3},"target":"db"}')).toBe(true);
    expect(accepts('{\n  "action_type": "restart",\n  "args": {},\n  "target": "auth"\n}')).toBe(true);
  });

  it.each(malformedActions())("rejects %s", (text) => {
    expect(accepts(text)).toBe(false);
  });

  it("is built from the enums", () => {
    const gbnf = actionGbnf();
    for (const value of [...Object.values(ActionType), ...Object.values(FailureType), ...Object.values(AgentRole)]) {
      expect(gbnf).toContain(`"\\"${value}\\""`);
    }
  });
});
