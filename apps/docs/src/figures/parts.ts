// Figures whose data is a list of independent runs (one λ, one keep probability each): how
// many, so the page can hand one run to each of several workers without loading the
// examples (src/figures/data.ts's `figurePart` computes part i; a test checks the counts).

/** Parts of each figure computed in parts. */
export const FIGURE_PARTS: Readonly<Record<string, number>> = {
  "l2-regularization/lambdas": 3,
  "dropout/keep-prob": 3,
};
