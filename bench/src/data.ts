// The data every library trains on: the course's football set (the repo's copy in
// fixtures/course/) when present, else seeded random points; synthetic digits-sized data for `mlp`.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { matmul, rng, tensor } from "@hone/tensor";

/** Rows of features and their targets, row-major. */
export interface Data {
  /** `rows × features`, row-major. */
  x: Float64Array;
  /** One target per row (a label or a class index). */
  y: Float64Array;
  rows: number;
  features: number;
  /** Where the data came from. */
  source: string;
}

const football = fileURLToPath(new URL("../../fixtures/course/football.json", import.meta.url));

/** The course's regularization set (211 examples, 2 features, labels 0/1), or 211 seeded random points labelled by a circle. */
export function footballData(): Data {
  if (existsSync(football)) {
    const d = JSON.parse(readFileSync(football, "utf8")) as { X: number[][]; y: number[] };
    return { x: Float64Array.from(d.X.flat()), y: Float64Array.from(d.y), rows: d.X.length, features: 2, source: "fixtures/course/football.json" };
  }
  const r = rng(1);
  const rows = 211;
  const x = r.uniformArray(-0.75, 0.75, rows * 2);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) y[i] = x[2 * i]! ** 2 + x[2 * i + 1]! ** 2 < 0.2 ? 1 : 0;
  return { x, y, rows, features: 2, source: "211 seeded random points (rng(1)), labelled inside/outside a circle" };
}

/** `rows` standard-normal examples of `features` values, labelled by the argmax of a fixed random linear map to `classes` (learnable, seeded). */
export function syntheticClasses(rows: number, features: number, classes: number, seed: number): Data {
  const r = rng(seed);
  const x = r.randnArray(rows * features);
  const teacher = r.randnArray(features * classes);
  const scores = matmul(tensor(x, { shape: [rows, features] }), tensor(teacher, { shape: [features, classes] })).data;
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[i * classes + c]! > scores[i * classes + best]!) best = c;
    y[i] = best;
  }
  return { x, y, rows, features, source: `synthetic: rng(${seed}) normal features, labels = argmax of a random linear map` };
}
