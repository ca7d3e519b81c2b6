// Flags the commands share.
import type { Command } from "commander";
import { oneOf, seed } from "../parse.js";

/** The tensor backends `--backend` chooses from. */
export const BACKENDS = ["wasm", "ts"] as const;

/** What a command's results depend on, beside its own flags. */
export interface CommonFlags {
  /** The command makes random choices (splits, shuffles, initial weights): it takes `--seed`. */
  seed: boolean;
  /** The command computes with tensors: it takes `--backend`. */
  backend: boolean;
}

/** Adds `--json` to a command, and `--seed` and `--backend` where they change what it does. */
export function addCommon(cmd: Command, which: CommonFlags): Command {
  cmd.option("--json", "print one JSON document on stdout (progress and warnings go to stderr)");
  if (which.seed) cmd.option("--seed <n>", "seed of every random choice (integer in [0, 2^32−1])", seed(), 1);
  if (which.backend) cmd.option("--backend <name>", "tensor kernels: wasm (WebAssembly SIMD, the default where the engine has it) or ts (plain TypeScript); float64 results are the same bits", oneOf("--backend", BACKENDS));
  return cmd;
}
