// Every ```ts example in this package's doc comments runs; the matcher's example gets
// Vitest's `expect` and a `test` that runs its body at once.
import { describeDocExamples } from "@hone/doc-examples";
import * as init from "@hone/init";
import * as nn from "@hone/nn";
import * as tensor from "@hone/tensor";
import { expect } from "vitest";
import * as gradcheck from "./index.js";

describeDocExamples(new URL("./", import.meta.url), {
  "@hone/tensor": tensor, "@hone/nn": nn, "@hone/init": init, "@hone/gradcheck": gradcheck,
  vitest: { expect, test: (_name: string, body: () => void) => body() },
}, 8);
