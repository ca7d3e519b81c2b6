// `hone-chromium`: Hone's WebAssembly backend in headless Chromium, where the engine has
// relaxed SIMD, so float32 products use fused multiply-add (the default there). The
// library's Node process (child.ts) starts Debian's Chromium with playwright-core, serves
// @hone/tensor's built ES modules and an empty page on a loopback port, and runs the
// workload in the page; times are taken in the page (performance.now), so the IPC and the
// DevTools protocol are outside them.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import type * as Hone from "@hone/tensor";

/** The page's global scope: @hone/tensor as `t`, and whatever a workload keeps there. */
export type PageScope = { t: typeof Hone } & Record<string, unknown>;

/** Debian's Chromium, or the one CHROMIUM_PATH names. */
export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

const TENSOR = fileURLToPath(new URL("../../packages/tensor/", import.meta.url));
const DIST = join(TENSOR, "dist");

/** Whether `hone-chromium` can run here: Chromium is installed (or named by CHROMIUM_PATH). */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** Chromium's version line (`chromium --version`), or null where it is not installed. */
export function chromiumVersion(): string | null {
  if (!chromiumAvailable()) return null;
  try {
    return execFileSync(CHROMIUM, ["--version"], { encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

/** The newest modification time of the files under `dir` matching `keep`. */
function newest(dir: string, keep: (name: string) => boolean): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path, keep));
    else if (keep(entry.name)) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds @hone/tensor's dist/ when it is missing or older than its sources (the page loads the built modules). */
function ensureTensorBuilt(): void {
  const built = existsSync(join(DIST, "index.js")) ? newest(DIST, (n) => n.endsWith(".js")) : 0;
  const source = Math.max(newest(join(TENSOR, "src"), (n) => n.endsWith(".ts") && !n.endsWith(".test.ts")), newest(join(TENSOR, "wasm"), () => true));
  if (built >= source) return;
  process.stderr.write("hone-chromium: building @hone/tensor (its dist/ is missing or older than its sources)\n");
  execFileSync("pnpm", ["--filter", "@hone/tensor", "build"], { stdio: ["ignore", "inherit", "inherit"] });
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>hone bench</title><link rel="icon" href="data:,">
<script type="module">
window.t = await import("/tensor/index.js");
window.ready = true;
</script>`;

/** Serves the page at / and the tensor package's dist/ at /tensor/. */
async function serve(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
      return;
    }
    const file = path.startsWith("/tensor/") ? normalize(join(DIST, path.slice("/tensor/".length))) : "";
    if (file === "" || !file.startsWith(DIST + sep) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": extname(file) === ".js" ? "text/javascript" : "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/** A page with @hone/tensor loaded as `window.t`, on the WebAssembly backend with its defaults. */
export interface ChromiumSession {
  page: Page;
  /** Chromium's version, and what the backend reports. */
  info: { version: string; backend: string; fusedMultiplyAdd: boolean };
}

let session: Promise<ChromiumSession> | undefined;

/** Starts Chromium and the page once per process (the browser ends with the process). */
export function chromiumSession(): Promise<ChromiumSession> {
  session ??= (async () => {
    ensureTensorBuilt();
    const { chromium } = await import("playwright-core");
    const { url, server } = await serve();
    server.unref();
    // The flags this machine needs: its network is closed, so no background networking.
    const browser: Browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    process.once("exit", () => void browser.close());
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as unknown as { ready?: boolean }).ready === true);
    const info = await page.evaluate(() => {
      const { t } = globalThis as unknown as PageScope;
      const backend = t.createWasmBackend();
      t.setBackend(backend);
      return { backend: t.getBackend().name, fusedMultiplyAdd: backend.fusedMultiplyAdd };
    });
    return { page, info: { version: browser.version(), ...info } };
  })();
  return session;
}
