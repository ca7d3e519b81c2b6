// One library's process as the main process talks to it: a request, then its one reply, with
// the process's exit turned into an error. Node library processes (child.ts, over IPC) and
// the Python peers (peer.py, JSON lines over stdin/stdout) differ only in how a message
// travels.
import type { ChildProcess } from "node:child_process";
import type { Sample } from "./harness.js";

/** Messages to a library process (`payload`: what a Python peer sets a row up from). */
export type Request =
  | { type: "setup"; workload: string; case: string; payload?: unknown }
  | { type: "sample"; round: number };

/** Messages back. */
export type Reply =
  | { type: "ready" }
  | { type: "sample"; sample: Sample }
  | { type: "error"; message: string };

/** A library's process: sets up one row at a time and runs its samples on request. */
export class LibraryChannel {
  private pending: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  private exited: string | null = null;

  /** `send` delivers a request to `child`; the owner passes each reply to `receive`. */
  constructor(readonly library: string, private readonly child: ChildProcess, private readonly send: (message: Request) => void) {
    child.on("exit", (code, signal) => {
      this.exited = `the ${library} process exited (${signal ?? `code ${code}`})`;
      this.pending?.reject(new Error(this.exited));
      this.pending = null;
    });
  }

  /** Settles the request in flight with the process's reply (or with `error`, when the reply could not be read). */
  receive(reply: Reply | Error): void {
    const p = this.pending;
    this.pending = null;
    if (p === null) return;
    if (reply instanceof Error) p.reject(new Error(`${this.library}: ${reply.message}`));
    else if (reply.type === "error") p.reject(new Error(`${this.library}: ${reply.message}`));
    else p.resolve(reply);
  }

  private request(message: Request): Promise<Reply> {
    if (this.exited !== null) return Promise.reject(new Error(this.exited));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.send(message);
    });
  }

  async setup(workload: string, caseName: string, payload?: unknown): Promise<void> {
    await this.request({ type: "setup", workload, case: caseName, ...(payload === undefined ? {} : { payload }) });
  }

  async sample(round: number): Promise<Sample> {
    const r = await this.request({ type: "sample", round });
    if (r.type !== "sample") throw new Error(`${this.library}: expected a sample, got ${r.type}`);
    return r.sample;
  }

  close(): void {
    if (this.exited !== null) return;
    this.child.kill();
    // A process that handles SIGTERM itself (Playwright closes its browser on SIGTERM and
    // stays alive) still exits when its IPC channel closes (child.ts exits on disconnect).
    if (this.child.connected) this.child.disconnect();
  }
}
