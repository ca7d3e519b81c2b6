// The conformance table: every optimizer listed once. optimizers.test.ts runs the same
// checks over each row. Thresholds are per optimizer because their step sizes differ.
import type { Optimizer } from "./optimizer.js";
import { adam, adamw, momentum, rmsprop, sgd } from "./alias.js";

export interface OptimizerCase {
  name: string;
  /** A fresh optimizer tuned for the test problems. */
  make: () => Optimizer;
  /** Rosenbrock: steps to run and the loss it must get below (from f(−1.5, 2) = 12.5). */
  rosenbrock: { steps: number; below: number };
  /** Constructors that must throw, with the message they must contain. */
  bad: [() => unknown, string][];
}

export const optimizerCases: OptimizerCase[] = [
  {
    name: "sgd",
    make: () => sgd({ lr: 1e-3 }),
    rosenbrock: { steps: 5000, below: 1 },
    bad: [[() => sgd({ lr: -1 }), "lr must be a finite number ≥ 0, got -1"], [() => sgd({ lr: Number.NaN }), "got NaN"]],
  },
  {
    name: "momentum (course, ema)",
    make: () => momentum({ lr: 1e-3, beta: 0.9 }),
    rosenbrock: { steps: 5000, below: 1 },
    bad: [[() => momentum({ lr: 0.1, beta: 1 }), "momentum: beta must be in [0, 1), got 1"], [() => momentum({ lr: 0.1, beta: -0.1 }), "got -0.1"]],
  },
  {
    name: "momentum (pytorch, nesterov)",
    make: () => momentum({ lr: 1e-4, beta: 0.9, form: "pytorch", nesterov: true }),
    rosenbrock: { steps: 5000, below: 1 },
    bad: [[() => momentum({ lr: 0.1, form: "pytorch", nesterov: true, dampening: 0.5 }), "Nesterov momentum requires dampening 0"]],
  },
  {
    name: "rmsprop",
    make: () => rmsprop({ lr: 5e-3, beta: 0.9 }),
    rosenbrock: { steps: 5000, below: 0.5 },
    bad: [[() => rmsprop({ lr: 0.1, eps: 0 }), "scaleByRms: eps must be a finite number > 0, got 0"]],
  },
  {
    name: "adam",
    make: () => adam({ lr: 0.02 }),
    rosenbrock: { steps: 5000, below: 0.01 },
    bad: [[() => adam({ beta1: 1.5 }), "scaleByAdam: beta1 must be in [0, 1), got 1.5"], [() => adam({ eps: -1e-8 }), "eps must be a finite number > 0"]],
  },
  {
    name: "adamw",
    make: () => adamw({ lr: 0.02, weightDecay: 1e-4 }),
    rosenbrock: { steps: 5000, below: 0.01 },
    bad: [[() => adamw({ weightDecay: -1 }), "adamw: weightDecay must be a finite number ≥ 0, got -1"]],
  },
];
