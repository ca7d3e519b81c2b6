// Follows a model's forward pass layer by layer through Sequential containers, showing
// each non-container layer's path, input and output to a visitor (kink scans, activation
// norms). Other modules are run as a whole.
import { Sequential, type Module } from "@hone/nn";
import type { Tensor } from "@hone/tensor";

/** Sees one layer's input and output during `walk`. */
export type LayerVisitor = (path: string, layer: Module, input: Tensor, output: Tensor) => void;

/** Runs `x` through `module` and returns its output, calling `visit` for each layer. */
export function walk(module: Module, x: Tensor, visit: LayerVisitor, path = ""): Tensor {
  if (module instanceof Sequential) {
    let y = x;
    const prefix = path === "" ? "" : `${path}.`;
    module.layers.items.forEach((layer, i) => { y = walk(layer, y, visit, `${prefix}layers.${i}`); });
    return y;
  }
  const y = module.forward(x);
  visit(path, module, x, y);
  return y;
}
