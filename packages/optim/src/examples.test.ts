// Runs every ```ts example in the package's doc comments, so none of them goes stale: each
// block is transpiled to CommonJS and run with @hone/tensor and @hone/optim supplied.
import { readFileSync, readdirSync } from "node:fs";
import * as tensorPkg from "@hone/tensor";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as optim from "./index.js";

const dir = new URL("./", import.meta.url);
const examples: { file: string; line: number; code: string }[] = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".cases.ts"))) {
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
    expect(examples.length).toBeGreaterThanOrEqual(25);
  });

  it.each(examples)("$file:$line runs", async ({ code }) => {
    const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const modules: Record<string, unknown> = { "@hone/tensor": tensorPkg, "@hone/optim": optim };
    const require = (name: string): unknown => {
      if (!(name in modules)) throw new Error(`example imports ${name}`);
      return modules[name];
    };
    await expect(new AsyncFunction("require", "exports", js)(require, {})).resolves.toBeUndefined();
  });
});
