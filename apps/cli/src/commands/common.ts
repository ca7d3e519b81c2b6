// Flags every command shares.
import type { Command } from "commander";
import { oneOf, seed } from "../parse.js";

/** The tensor backends `--backend` chooses from. */
export const BACKENDS = ["wasm", "ts"] as const;

/** Adds `--json`, `--seed` and `--backend` to a command. */
export function addCommon(cmd: Command): Command {
  return cmd
    .option("--json", "print one JSON document on stdout (progress and warnings go to stderr)")
    .option("--seed <n>", "seed of every random choice (integer in [0, 2^32−1])", seed(), 1)
    .option("--backend <name>", "tensor kernels: wasm (WebAssembly SIMD, the default where the engine has it) or ts (plain TypeScript); float64 results are the same bits", oneOf("--backend", BACKENDS));
}
