// A worker thread of the trial pool (trials.ts): runs `hone train <args>` as a function for
// each request and answers with the summary `hone train --json` would print, or the failure.
import { parentPort } from "node:worker_threads";
import { train, trainCommand, type TrainSummary } from "./commands/train.js";
import { failureReply, parseTrain, type TrialReply, type TrialRequest } from "./trials.js";

const port = parentPort;
if (port === null) throw new Error("trial-worker.ts runs as a worker thread of the trial pool");
port.on("message", (request: TrialRequest) => {
  void (async (): Promise<TrialReply> => {
    let summary: TrainSummary | null = null;
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    try {
      await parseTrain(trainCommand(), request.args, async (flags) => { summary = await train(flags, { print: false }); });
    } catch (error) {
      return failureReply(request.id, seconds(), error);
    }
    if (summary === null) return failureReply(request.id, seconds(), new Error("hone train ran no pipeline"));
    return { id: request.id, seconds: seconds(), ok: true, summary };
  })().then((reply) => { port.postMessage(reply); });
});
