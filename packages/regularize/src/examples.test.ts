// Every ```ts example in this package's doc comments runs.
import { describeDocExamples } from "@hone/doc-examples";
import * as nn from "@hone/nn";
import * as tensor from "@hone/tensor";
import * as regularize from "./index.js";

describeDocExamples(new URL("./", import.meta.url), { "@hone/tensor": tensor, "@hone/nn": nn, "@hone/regularize": regularize }, 14);
