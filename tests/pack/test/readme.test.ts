// The root README's and @hone/tensor's README's TypeScript examples run as written (so the READMEs stay true).
import { readFileSync } from "node:fs";
import * as dataSplit from "@hone/data-split";
import * as gradcheck from "@hone/gradcheck";
import * as init from "@hone/init";
import * as nn from "@hone/nn";
import * as optim from "@hone/optim";
import * as regularize from "@hone/regularize";
import * as tensor from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { runDocExample } from "@hone/doc-examples";

const blocksOf = (path: string): string[] =>
  [...readFileSync(new URL(path, import.meta.url), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const readmes = { "README.md": blocksOf("../../../README.md"), "packages/tensor/README.md": blocksOf("../../../packages/tensor/README.md") };
const modules = {
  "@hone/tensor": tensor, "@hone/init": init, "@hone/optim": optim, "@hone/data-split": dataSplit,
  "@hone/nn": nn, "@hone/regularize": regularize, "@hone/gradcheck": gradcheck,
};

for (const [file, blocks] of Object.entries(readmes)) {
  describe(`${file} examples`, () => {
    it("has at least one TypeScript example", () => {
      expect(blocks.length).toBeGreaterThanOrEqual(1);
    });
    it.each(blocks.map((code, i) => ({ i, code })))("example $i runs", async ({ code }) => {
      await expect(runDocExample(code, modules)).resolves.toBeUndefined();
    });
  });
}
