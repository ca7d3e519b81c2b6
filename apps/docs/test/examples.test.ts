// Runs every example the guide pages include and checks what it returns against
// hand-derived values or the thresholds the pages state.
import { describe, expect, it } from "vitest";
import { firstModel } from "../examples/getting-started.js";

describe("getting started", () => {
  it("trains the first model to a low dev error", () => {
    const r = firstModel();
    // The moons overlap at noise 0.2: a good model reaches about 97%, chance is 50%.
    expect(r.devAccuracy).toBeGreaterThan(0.93);
    expect(r.testAccuracy).toBeGreaterThan(0.93);
    // Cross-entropy starts near ln 2 ≈ 0.693 for an untrained logit and falls.
    expect(r.firstLoss).toBeGreaterThan(0.2);
    expect(r.lastLoss).toBeLessThan(r.firstLoss / 2);
  });
});
