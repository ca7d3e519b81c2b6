// Records the augmentation page's figure: `augmentationExperiment` of the page's examples
// (apps/docs/examples/other-regularization.ts) on seeds 1…5, about 20 s a seed, written to
// examples/augmentation-recorded.json (through a temporary file and a rename, so an
// interrupted run leaves the old record whole). test/examples.test.ts re-runs seed 1 and
// requires the same numbers, so the record cannot drift from the code it came from.
//   pnpm --filter @hone/docs record:augmentation
import { renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { augmentationExperiment } from "../examples/other-regularization.js";

const target = fileURLToPath(new URL("../examples/augmentation-recorded.json", import.meta.url));
const seeds = [1, 2, 3, 4, 5];
const started = performance.now();
const runs = seeds.map((seed) => {
  const [run] = augmentationExperiment([seed]);
  console.log(`seed ${seed}: dev error ${run!.plain.devError.toFixed(4)} without, ${run!.shifted.devError.toFixed(4)} with shifts`);
  return run!;
});
const record = {
  recordedBy: "pnpm --filter @hone/docs record:augmentation (augmentationExperiment in examples/other-regularization.ts)",
  seeds,
  runs,
};
writeFileSync(`${target}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
renameSync(`${target}.tmp`, target);
console.log(`wrote ${target} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
