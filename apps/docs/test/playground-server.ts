// Test helpers for the browser tests: find and start Chromium, build the site when its
// output is missing, and serve the built site over HTTP on a free loopback port, as a
// static host with clean URLs would (`/playground` → `playground.html`).
import { execFile } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Debian's Chromium, or the one CHROMIUM_PATH names. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Whether Chromium is there for the browser test `what`: on CI its absence is an error
 * (CI installs it); elsewhere the test is skipped with a warning.
 */
export function chromiumFor(what: string): boolean {
  const found = existsSync(CHROMIUM);
  if (!found && process.env.CI !== undefined) {
    throw new Error(`${CHROMIUM} not found: CI must install Debian's chromium (apt-get install -y chromium) for the ${what} test`);
  }
  if (!found) console.warn(`Skipping the ${what} browser test: ${CHROMIUM} not found (install Debian's chromium, or set CHROMIUM_PATH).`);
  return found;
}

/** Starts headless Chromium with the flags this machine needs (no background networking: the network is closed). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** The docs app's folder. */
export const DOCS = fileURLToPath(new URL("../", import.meta.url));
/** The built site. */
export const DIST = join(DOCS, ".vitepress", "dist");

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Builds the site with the local `vitepress` binary unless `dist` already holds
 * `playground.html` (turbo builds it before the tests; this makes the test runnable alone).
 */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(join(DIST, "playground.html"))) return;
  const bin = join(DOCS, "node_modules", ".bin", "vitepress");
  await new Promise<void>((resolve, reject) => {
    execFile(bin, ["build", "."], { cwd: DOCS, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`vitepress build failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
  if (!existsSync(join(DIST, "playground.html"))) throw new Error(`vitepress build wrote no ${join(DIST, "playground.html")}`);
}

/** The file a URL path names under `root`, or null: `/` → index.html, `/x` → x.html. */
function resolveFile(root: string, urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const full = normalize(join(root, path));
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  const candidates = path.endsWith("/") ? [join(full, "index.html")] : [full, `${full}.html`, join(full, "index.html")];
  for (const c of candidates) if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

/** A static server for `root`; `url` is its base, e.g. `http://127.0.0.1:41234`. */
export interface StaticServer {
  url: string;
  /** Every path requested, in order, with its status. */
  log: { path: string; status: number }[];
  close(): Promise<void>;
}

/**
 * Serves `root` on 127.0.0.1 at a free port, with the MIME types a browser checks (.js,
 * .css, .wasm) and any extra `headers` on every response (e.g. COOP/COEP for a
 * cross-origin-isolated page).
 */
export async function serveStatic(root: string, headers: Record<string, string> = {}): Promise<StaticServer> {
  const log: { path: string; status: number }[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const file = resolveFile(root, path);
    const status = file === null ? 404 : 200;
    log.push({ path, status });
    const body = file === null ? (existsSync(join(root, "404.html")) ? readFileSync(join(root, "404.html")) : Buffer.from("not found")) : readFileSync(file);
    res.writeHead(status, {
      "content-type": file === null ? MIME[".html"]! : (MIME[extname(file)] ?? "application/octet-stream"),
      "content-length": body.length,
      "cache-control": "no-store",
      ...headers,
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
