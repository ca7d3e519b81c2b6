// Runs every ```ts example in a package's doc comments, so none goes stale. Each block is
// transpiled to CommonJS and run with the given modules supplied to its `require`, and a
// `console` that stays quiet.
import { readFileSync, readdirSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/** One example: where it is and its code. */
export interface DocExample {
  file: string;
  line: number;
  code: string;
}

/** The ```ts blocks inside doc comments of the `.ts` files in `dir` (tests and test helpers skipped). */
export function collectDocExamples(dir: URL): DocExample[] {
  const examples: DocExample[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".cases.ts") && !f.startsWith("test-"));
  for (const file of files.sort()) {
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
  return examples;
}

type Run = (require: (name: string) => unknown, exports: object, console: Pick<Console, "log">) => Promise<void>;
const AsyncFunction = (Object.getPrototypeOf(async function () { /* empty */ }) as { constructor: new (...args: string[]) => Run }).constructor;

/** Runs one example's code with `modules` as what it may import. */
export async function runDocExample(code: string, modules: Record<string, unknown>): Promise<void> {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const require = (name: string): unknown => {
    if (!(name in modules)) throw new Error(`the example imports ${name}, which the test does not supply`);
    return modules[name];
  };
  await new AsyncFunction("require", "exports", "console", js)(require, {}, { log: (): void => undefined });
}

/**
 * A vitest suite: at least `minimum` examples are found in `dir`, and each runs without
 * throwing.
 */
export function describeDocExamples(dir: URL, modules: Record<string, unknown>, minimum: number): void {
  const examples = collectDocExamples(dir);
  describe("doc examples", () => {
    it(`finds at least ${minimum} examples`, () => {
      expect(examples.length).toBeGreaterThanOrEqual(minimum);
    });
    it.each(examples)("$file:$line runs", async ({ code }) => {
      await expect(runDocExample(code, modules)).resolves.toBeUndefined();
    });
  });
}
