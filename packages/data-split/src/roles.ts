// What the splitters remember about the tensors they hand out, so that a scaler can refuse
// to fit on held-out data. A WeakMap holds no strong reference: a forgotten split is
// garbage-collected as usual. Internal: not exported from the package.
import type { Tensor } from "@hone/tensor";

/** The role of a tensor produced by (or split by) a splitter. */
export type SplitRole = "dev" | "test" | "whole";

const roles = new WeakMap<Tensor, SplitRole>();

/** Remembers `x`'s role. A tensor keeps the first held-out role it was given. */
export function markRole(x: Tensor, role: SplitRole): void {
  const previous = roles.get(x);
  if (previous === "dev" || previous === "test") return;
  roles.set(x, role);
}

/** The role a splitter gave `x`, if any. */
export function roleOf(x: Tensor): SplitRole | undefined {
  return roles.get(x);
}
