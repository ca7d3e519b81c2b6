// Examples of the "Dropout" page.
// #region inverted
import { makeMoons } from "@hone/data-split";
import { binaryCrossEntropyWithLogits, fit, mlp } from "@hone/nn";
import { sgd } from "@hone/optim";
import { Dropout, dropoutAfterHidden } from "@hone/regularize";
import { ones, rng } from "@hone/tensor";

/** One training pass and one evaluation pass of Dropout(keepProb 0.8) over a tensor of ones. */
export function invertedDropout(): { dropped: number; mean: number; keptValue: number; evalIsIdentity: boolean } {
  const layer = new Dropout({ keepProb: 0.8, rng: rng(0) });
  const x = ones([1000, 100]);
  const y = layer.forward(x); // training mode: mask = (u < 0.8), y = x·mask / 0.8
  let dropped = 0, total = 0, keptValue = 0;
  for (const v of y.data) {
    total += v;
    if (v === 0) dropped++;
    else keptValue = v;
  }
  layer.eval(); // evaluation mode: no mask, no scaling
  const z = layer.forward(x);
  return { dropped: dropped / y.size, mean: total / y.size, keptValue, evalIsIdentity: z.data.every((v) => v === 1) };
}
// #endregion inverted

// #region per-layer
/** A 2→32→32→1 network with a keep probability per hidden layer, trained full-batch: the costs per epoch. */
export function costCurve(keepProb: number[]): { layers: string[]; increases: number; costs: number[]; devCosts: number[] } {
  const data = makeMoons({ samples: 300, noise: 0.25, rng: rng(1) });
  const dev = makeMoons({ samples: 300, noise: 0.25, rng: rng(3) });   // evaluated with dropout off
  const [initRng, dropRng] = rng(2).spawn(2);
  const model = mlp([2, 32, 32, 1], {
    rng: initRng!,
    afterHidden: dropoutAfterHidden({ keepProb, rng: dropRng! }), // one keepProb per hidden layer
  });
  const history = fit(model, data, {
    loss: binaryCrossEntropyWithLogits, optimizer: sgd({ lr: 0.05 }), epochs: 150, batchSize: "full", dev,
  });
  const costs = history.epochs.map((e) => e.trainLoss);
  const increases = costs.filter((c, i) => i > 0 && c > costs[i - 1]!).length;
  const devCosts = history.epochs.map((e) => e.devLoss!);
  return { layers: model.layers.items.map((layer) => layer.getConfig().type), increases, costs, devCosts };
}
// costCurve([1, 1])     → no Dropout layers; the cost falls at every epoch (increases: 0)
// costCurve([0.5, 0.5]) → Linear, ReLU, Dropout, Linear, ReLU, Dropout, Linear; the cost goes up and down
// #endregion per-layer
