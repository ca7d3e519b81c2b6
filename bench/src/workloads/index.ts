// Every workload by name, in the order a full run measures them.
import type { Workload } from "../harness.js";
import { conv } from "./conv.js";
import { course } from "./course.js";
import { csv } from "./csv.js";
import { dispatch } from "./dispatch.js";
import { elementwise } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { mlpWorkload } from "./mlp.js";
import { sweep } from "./sweep.js";
import { trainCli } from "./train-cli.js";

export const WORKLOADS: Record<string, Workload> = {
  dispatch,
  course,
  mlp: mlpWorkload,
  matmul,
  "train-cli": trainCli,
  csv,
  sweep,
  conv,
  elementwise,
};
