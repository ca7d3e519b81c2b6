// A test matcher: `expect({ fn, inputs }).toPassGradcheck()` and
// `expect({ model, loss, batch }).toPassGradcheck()`. Plain functions with the signature
// `expect.extend` takes, so the package needs no test framework at run time.
import { Module, type Loss } from "@hone/nn";
import type { Tensor} from "@hone/tensor";
import { ArgumentError, describe } from "@hone/tensor";
import { checkModel, type CheckModelOptions } from "./check-model.js";
import { gradcheck, type GradcheckOptions } from "./gradcheck.js";
import { formatReport, type GradcheckResult, type Verdict } from "./report.js";

/** What `toPassGradcheck` accepts: a function with its inputs, or a model with its loss and batch. */
export type GradcheckSubject =
  | { fn: (...inputs: Tensor[]) => Tensor; inputs: readonly Tensor[] }
  | { model: Module; loss: Loss; batch: { x: Tensor; y: Tensor } };

/** Options of `toPassGradcheck`: those of `gradcheck` or `checkModel`, plus the verdict to accept. */
export interface GradcheckMatcherOptions extends GradcheckOptions, CheckModelOptions {
  /** The worst verdict that still passes: `"correct"` (default) or `"suspicious"`. */
  accept?: Exclude<Verdict, "wrong">;
}

/** What a matcher returns, as `expect.extend` expects it. */
export interface MatcherResult {
  pass: boolean;
  message: () => string;
  actual?: unknown;
  expected?: unknown;
}

/** Runs the check a subject asks for. */
function run(received: unknown, options: GradcheckMatcherOptions): GradcheckResult {
  const s = received as Record<string, unknown> | null;
  if (s !== null && typeof s === "object" && typeof s.fn === "function" && Array.isArray(s.inputs)) {
    return gradcheck(s.fn as (...inputs: Tensor[]) => Tensor, s.inputs as Tensor[], options);
  }
  if (s !== null && typeof s === "object" && s.model instanceof Module && typeof s.loss === "function" && typeof s.batch === "object") {
    return checkModel(s.model, s.loss as Loss, s.batch as { x: Tensor; y: Tensor }, options);
  }
  throw new ArgumentError(`toPassGradcheck: expected { fn, inputs } or { model, loss, batch }, got ${describe(received)}`);
}

/**
 * Matchers for `expect.extend` (Vitest or Jest): `toPassGradcheck(options?)` runs
 * `gradcheck` on `{ fn, inputs }` or `checkModel` on `{ model, loss, batch }` and passes
 * when the verdict is `"correct"` (or `"suspicious"` with `accept: "suspicious"`); the
 * failure message is the formatted report, naming the wrong rows.
 *
 * @example
 * ```ts
 * import { expect, test } from "vitest";
 * import { gradcheckMatchers } from "@hone/gradcheck";
 * import { tensor, tanh } from "@hone/tensor";
 * expect.extend(gradcheckMatchers);
 * test("tanh", () => {
 *   expect({ fn: tanh, inputs: [tensor([0.3, -1.2])] }).toPassGradcheck();
 * });
 * ```
 */
export const gradcheckMatchers: {
  toPassGradcheck(received: unknown, options?: GradcheckMatcherOptions): MatcherResult;
} = {
  toPassGradcheck(received: unknown, options: GradcheckMatcherOptions = {}): MatcherResult {
    const accept = options.accept ?? "correct";
    if (accept !== "correct" && accept !== "suspicious") throw new ArgumentError(`toPassGradcheck: accept must be "correct" or "suspicious", got ${describe(accept)}`);
    const result = run(received, options);
    const pass = result.verdict === "correct" || (accept === "suspicious" && result.verdict === "suspicious");
    return {
      pass,
      message: () => (pass
        ? `expected the gradient check to fail, but it is ${result.verdict}:\n${formatReport(result)}`
        : `expected the gradient check to be ${accept === "correct" ? "correct" : "correct or suspicious"}, but it is ${result.verdict}${result.failing.length > 0 ? ` in ${result.failing.join(", ")}` : ""}:\n${formatReport(result)}`),
      actual: result.difference,
      expected: accept === "correct" ? result.thresholds.correct : result.thresholds.wrong,
    };
  },
};
