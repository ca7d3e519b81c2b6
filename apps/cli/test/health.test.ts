// `hone train` checks that dev and test come from the same distribution and watches the
// gradients' health, reporting findings in --json and as warnings on stderr.
import { describe, expect, it } from "vitest";
import { hone, honeJson } from "./helpers.js";

interface Health {
  splitCheck: { ok: boolean; findings: { level: string; message: string }[] };
  gradients: { vanishing: boolean; exploding: boolean; findings: { kind: string; layer: string }[] };
}

describe("hone train: split and gradient health", () => {
  it("finds nothing to report on the default run", async () => {
    const { json } = await honeJson<Health>(["train", "--epochs", "20"]);
    expect(json.splitCheck).toEqual({ ok: true, findings: [] });
    expect(json.gradients).toEqual({ vanishing: false, exploding: false, findings: [] });
  });

  it("flags vanishing gradients in a deep sigmoid network at its first layer", async () => {
    const args = ["train", "--activation", "sigmoid", "--layers", "32,32,32,32,32,32,32,32", "--init", "random", "--epochs", "5"];
    const { json } = await honeJson<Health>(args);
    expect(json.gradients.vanishing).toBe(true);
    expect(json.gradients.findings[0]).toMatchObject({ kind: "vanishing", layer: "layers.0" });
    const run = await hone(args);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^hone: vanishing gradients at layers\.0 \(epoch 0\)/m);
  });
});
