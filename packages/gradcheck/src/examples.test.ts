// Runs every ```ts example in the package's doc comments, so none of them goes stale: each
// block is transpiled to CommonJS and run with the workspace packages supplied (and, for the
// matcher's example, Vitest's `expect` with a `test` that runs its body at once).
import { readFileSync, readdirSync } from "node:fs";
import * as init from "@hone/init";
import * as nn from "@hone/nn";
import * as tensorPkg from "@hone/tensor";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as gradcheck from "./index.js";

const dir = new URL("./", import.meta.url);
const examples: { file: string; line: number; code: string }[] = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.startsWith("test-"))) {
  const lines = readFileSync(new URL(file, dir), "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== "* ```ts") continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j]!.trim() !== "* ```"; j++) body.push(lines[j]!.replace(/^\s*\* ?/, ""));
    examples.push({ file, line: i + 1, code: body.join("\n") });
    i = j;
  }
}

type Run = (require: (name: string) => unknown, exports: object) => Promise<void>;
const AsyncFunction = (Object.getPrototypeOf(async function () { /* empty */ }) as { constructor: new (...args: string[]) => Run }).constructor;

describe("doc examples", () => {
  it("finds one example per exported function", () => {
    // verdictOf, formatReport, gradcheck, checkModel, checkGradientVector, gradientMonitor,
    // formatMonitorReport, gradcheckMatchers.
    expect(examples.length).toBeGreaterThanOrEqual(8);
  });

  it.each(examples)("$file:$line runs", async ({ code }) => {
    const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const modules: Record<string, unknown> = {
      "@hone/tensor": tensorPkg, "@hone/nn": nn, "@hone/init": init, "@hone/gradcheck": gradcheck,
      vitest: { expect, test: (_name: string, body: () => void) => body() },
    };
    const require = (name: string): unknown => {
      if (!(name in modules)) throw new Error(`example imports ${name}`);
      return modules[name];
    };
    const log = console.log;
    console.log = () => undefined;
    try {
      await expect(new AsyncFunction("require", "exports", js)(require, {})).resolves.toBeUndefined();
    } finally {
      console.log = log;
    }
  });
});
