// A library's process: `child.ts <library> <options JSON>`, driven by runner.ts over IPC.
import { isHone, type LibraryName, type LibraryRun, type RunOptions } from "./harness.js";
import { useHoneBackend } from "./hone.js";
import type { Reply, Request } from "./runner.js";
import { backendOf, tfjs } from "./tfjs.js";
import { WORKLOADS } from "./workloads/index.js";

const library = process.argv[2] as LibraryName;
const options = JSON.parse(process.argv[3] ?? "{}") as RunOptions;
if (isHone(library)) await useHoneBackend(library);
else await tfjs(backendOf(library));

let run: LibraryRun | null = null;

function reply(message: Reply): void {
  process.send!(message);
}

process.on("message", (message: Request) => {
  void (async () => {
    try {
      if (message.type === "setup") {
        const workload = WORKLOADS[message.workload];
        if (workload === undefined) throw new Error(`unknown workload ${message.workload}`);
        run = null;
        run = await workload.setup(library, message.case, options);
        reply({ type: "ready" });
      } else {
        if (run === null) throw new Error("sample before setup");
        reply({ type: "sample", sample: await run.sample(message.round) });
      }
    } catch (e) {
      reply({ type: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  })();
});
process.on("disconnect", () => process.exit(0));
