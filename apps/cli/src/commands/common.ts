// Flags every command shares.
import type { Command } from "commander";
import { seed } from "../parse.js";

/** Adds `--json` and `--seed` to a command. */
export function addCommon(cmd: Command): Command {
  return cmd
    .option("--json", "print one JSON document on stdout (progress and warnings go to stderr)")
    .option("--seed <n>", "seed of every random choice (integer in [0, 2^32−1])", seed(), 1);
}
