// The `hone` command: the train/dev/test workflow from a terminal. Parses the command line,
// runs one command, and turns user errors into one line on stderr and a non-zero exit.
import { createWasmBackend, setBackend, tsBackend } from "@hone/tensor";
import { Command, CommanderError } from "commander";
import { curveCommand } from "./commands/curve.js";
import { diagnoseCommand } from "./commands/diagnose.js";
import { evalCommand } from "./commands/eval.js";
import { experimentCommand } from "./commands/experiment.js";
import { gradcheckCommand } from "./commands/gradcheck.js";
import { predictCommand } from "./commands/predict.js";
import { splitCommand } from "./commands/split.js";
import { sweepCommand } from "./commands/sweep.js";
import { trainCommand } from "./commands/train.js";
import { workerCommand } from "./commands/worker.js";
import { readFileSync } from "node:fs";
import { EXIT, UsageError, describeFailure } from "./errors.js";
import { printJson } from "./output.js";

/** The package's version (the bin answers `--version` alone without loading this module). */
const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

/** The program with every command; errors are thrown (exitOverride), never printed by commander. */
export function program(): Command {
  const root = new Command("hone")
    .description("Hone: split, normalize, initialize, train, evaluate, diagnose and report — the practical craft of training neural networks.")
    .version(VERSION, "-V, --version")
    .showSuggestionAfterError(true)
    .addCommand(trainCommand())
    .addCommand(evalCommand())
    .addCommand(predictCommand())
    .addCommand(gradcheckCommand())
    .addCommand(diagnoseCommand())
    .addCommand(splitCommand())
    .addCommand(experimentCommand())
    .addCommand(curveCommand())
    .addCommand(sweepCommand())
    .addCommand(workerCommand());
  root.addHelpText("after", `
Examples:
  $ hone train                                   # moons, 16-16 ReLU network, Adam: table, diagnosis, chart
  $ hone train --data data.csv --label y --save model.json --report report.html
  $ hone eval --model model.json --data test.csv
  $ hone predict --model model.json --input new.csv --out predictions.csv
  $ hone gradcheck --layers 5,3 --activation tanh
  $ hone diagnose --train-error 0.01 --dev-error 0.11
  $ hone split data.csv --ratios 98/1/1 --out splits/
  $ hone experiment initialization               # the course's experiments beside the published numbers
  $ hone sweep --l2 0,0.1,0.3 --keep-prob 1,0.86 # grid search scored on the dev set
  $ hone worker --queue redis://10.0.0.5:6379    # run the trials of \`hone sweep --queue redis://10.0.0.5:6379\`

Run \`hone <command> --help\` for a command's flags and examples.`);
  // --backend picks the tensor kernels before the command runs (and for the processes it
  // starts, through HONE_BACKEND).
  root.hook("preAction", (_root, action) => {
    const backend = (action.opts() as { backend?: "ts" | "wasm" }).backend;
    if (backend === undefined) return;
    setBackend(backend === "ts" ? tsBackend : createWasmBackend());
    process.env["HONE_BACKEND"] = backend;
  });
  const configure = (cmd: Command): void => {
    cmd.exitOverride().configureOutput({ outputError: () => undefined });
    for (const sub of cmd.commands) configure(sub);
  };
  configure(root);
  return root;
}

/** Whether the command line asks for JSON output (`--json` before any `--`). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}

/** The flag an error message is about: the first `--flag` it names, if any. */
function flagOf(message: string): string | undefined {
  return /(?:^|[\s'"(])(--[a-z][a-z0-9-]*)/.exec(message)?.[1];
}

/** Reports a failure: one line on stderr, and with --json one document `{ error: { message, flag?, code } }` on stdout. */
function report(argv: readonly string[], message: string, exit: number, code: string): number {
  process.stderr.write(`hone: ${message}\n`);
  if (wantsJson(argv)) {
    const flag = flagOf(message);
    printJson({ error: { message, ...(flag === undefined ? {} : { flag }), code, exit } });
  }
  return exit;
}

/** A machine-readable name for an error: commander's code, a file-system code, or the error's kind. */
function codeOf(error: unknown): string {
  if (error instanceof CommanderError) return error.code.replace(/^commander\./, "");
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof errno === "string") return errno;
  if (error instanceof Error) return error.name.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
  return "error";
}

/** Runs the command line `argv` (without node and the script) and returns the exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    const root = program();
    // `hone help <name>`: commander would print the general help and exit 0 for an unknown name.
    if (argv[0] === "help" && argv[1] !== undefined && !argv[1].startsWith("-") && !root.commands.some((c) => c.name() === argv[1])) {
      throw new UsageError(`help: there is no command ${JSON.stringify(argv[1])}; the commands are ${root.commands.map((c) => c.name()).join(", ")}`);
    }
    await root.parseAsync(argv as string[], { from: "user" });
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError && (error.code === "commander.helpDisplayed" || error.code === "commander.version")) return EXIT.ok;
    // `hone` alone: the help went to stderr; exit like a usage error.
    if (error instanceof CommanderError && error.code === "commander.help") return EXIT.usage;
    if (error instanceof CommanderError && error.code === "commander.executeSubCommandAsync") return error.exitCode;
    const failure = describeFailure(error);
    if (failure === null) {
      process.stderr.write(`hone: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (wantsJson(argv)) printJson({ error: { message: `internal error: ${error instanceof Error ? error.message : String(error)}`, code: "internal", exit: EXIT.failed } });
      return EXIT.failed;
    }
    return report(argv, failure.message, failure.code, codeOf(error));
  }
}

// A closed pipe (`hone train --help | head`) is the reader's choice, not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await run(process.argv.slice(2));
