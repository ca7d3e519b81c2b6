// Every ```ts example in this package's doc comments runs.
import { describeDocExamples } from "@hone/doc-examples";
import * as tensor from "@hone/tensor";
import * as init from "./index.js";

describeDocExamples(new URL("./", import.meta.url), { "@hone/tensor": tensor, "@hone/init": init }, 15);
