// Every ```ts example in this package's doc comments runs.
import { describeDocExamples } from "@hone/doc-examples";
import * as tensor from "@hone/tensor";
import * as optim from "./index.js";

describeDocExamples(new URL("./", import.meta.url), { "@hone/tensor": tensor, "@hone/optim": optim }, 25);
