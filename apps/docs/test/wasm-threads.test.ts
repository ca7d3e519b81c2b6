// @hone/tensor's WebAssembly backend in headless Chromium, loaded from the package's built
// ES modules (no bundler in between): on a cross-origin-isolated page (COOP/COEP headers)
// `loadWasmBackend({ threads: 2 })` splits products across a Web Worker and the page's
// thread, and float64 results equal the TypeScript kernels' bit for bit; on an ordinary
// page threads are refused with a typed error, and the default backend is WebAssembly.
// Chromium has relaxed SIMD, so float32 products use fused multiply-add by default.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumFor, launchChromium, serveStatic, type StaticServer } from "./playground-server.js";

const found = chromiumFor("wasm-threads");
/** Whether this CPU has fused multiply-add instructions (x86's FMA3); relaxed_madd may be multiply then add without them. */
const cpuHasFma = existsSync("/proc/cpuinfo") && /^flags\s*:.*\bfma\b/m.test(readFileSync("/proc/cpuinfo", "utf8"));
const TENSOR_DIST = fileURLToPath(new URL("../../../packages/tensor/dist/", import.meta.url));

// The page's script: products of every transpose variant on both backends, compared in the page.
const PAGE = `<!doctype html><meta charset="utf-8"><title>wasm threads</title><link rel="icon" href="data:,">
<script type="module">
import * as t from "/tensor/index.js";
function values(n, seed) {
  const v = new Float64Array(n); let s = seed;
  for (let i = 0; i < n; i++) { s = (s * 1103515245 + 12345) % 2147483648; v[i] = (s / 2147483648 - 0.5) * 10 ** ((s % 5) - 2); }
  return v;
}
function compare(backend, type) {
  let worst = 0, products = 0;
  for (const [m, k, n] of [[7, 300, 5], [130, 257, 70], [200, 150, 96]]) for (const ta of [false, true]) for (const tb of [false, true]) {
    const a = type.from(values(m * k, m + k)), b = type.from(values(k * n, n + k));
    const want = new type(m * n), got = new type(m * n).fill(NaN), size = new Float64Array(m * n);
    t.tsBackend.matmul(a, b, want, 1, m, k, n, ta, tb, 0, 0);
    backend.matmul(a, b, got, 1, m, k, n, ta, tb, 0, 0);
    // The error in units of k·u·Σ|a·b| (u = 2⁻²⁴), the float32 summation bound: at most 2 (both sides' rounding).
    t.tsBackend.matmul(Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), size, 1, m, k, n, ta, tb, 0, 0);
    for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (k * 2 ** -24 * size[i] + Number.MIN_VALUE));
    products++;
  }
  return { worst, products };
}
window.check = async () => {
  const out = { isolated: self.crossOriginIsolated, simd: t.wasmSimdSupported(), defaultBackend: t.getBackend().name };
  try {
    const backend = await t.loadWasmBackend({ threads: 2, minProduct: 0, minThreadedProduct: 0 });
    out.name = backend.name;
    out.fma = backend.fusedMultiplyAdd;
    out.f64 = compare(backend, Float64Array);
    out.f32 = compare(backend, Float32Array);
    await backend.dispose();
  } catch (e) {
    out.error = e.name + ": " + e.message;
  }
  const single = await t.loadWasmBackend();
  out.single = single.name;
  out.singleF64 = compare(single, Float64Array);
  out.relaxed = t.wasmRelaxedSimdSupported();
  out.singleFma = single.fusedMultiplyAdd;
  out.singleF32 = compare(single, Float32Array);
  // The same float32 product fused and not: where the CPU has FMA, most elements differ in the last bits.
  const plain = t.createWasmBackend({ minProduct: 0, fusedMultiplyAdd: false });
  const a = Float32Array.from(values(64 * 300, 1)), b = Float32Array.from(values(300 * 48, 2));
  const fused = new Float32Array(64 * 48), unfused = new Float32Array(64 * 48);
  single.matmul(a, b, fused, 1, 64, 300, 48, false, false, 0, 0);
  plain.matmul(a, b, unfused, 1, 64, 300, 48, false, false, 0, 0);
  out.fusedDiffers = fused.filter((v, i) => v !== unfused[i]).length / fused.length;
  return out;
};
window.ready = true;
</script>`;

describe.skipIf(!found)("the WebAssembly backend in Chromium", () => {
  let root: string, browser: Browser, isolated: StaticServer, plain: StaticServer;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(TENSOR_DIST, "index.js"))) throw new Error(`${TENSOR_DIST} is missing: build @hone/tensor first (turbo does, before this test)`);
    root = mkdtempSync(join(tmpdir(), "hone-wasm-page-"));
    cpSync(TENSOR_DIST, join(root, "tensor"), { recursive: true });
    writeFileSync(join(root, "index.html"), PAGE);
    isolated = await serveStatic(root, { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" });
    plain = await serveStatic(root);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await isolated?.close();
    await plain?.close();
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  async function run(base: string): Promise<Record<string, unknown>> {
    errors.length = 0;
    const page = await browser.newPage();
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${base}/`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    const result = await page.evaluate(() => (window as unknown as { check(): Promise<Record<string, unknown>> }).check());
    await page.close();
    return result;
  }

  it("splits products across a Web Worker on a cross-origin-isolated page, float64 bit for bit", async () => {
    const r = await run(isolated.url);
    expect(r).toMatchObject({ isolated: true, simd: true, name: "wasm×2", single: "wasm" });
    expect(r["error"]).toBeUndefined();
    expect(r["f64"]).toEqual({ worst: 0, products: 12 });
    // float32: the SIMD kernels sum in float32, the TypeScript kernels in float64 and round once.
    expect((r["f32"] as { worst: number }).worst).toBeLessThanOrEqual(2);
    expect(r["singleF64"]).toEqual({ worst: 0, products: 12 });
    expect(r["fma"]).toBe(true);
    expect(errors, errors.join("\n")).toEqual([]);
  });

  it("uses fused multiply-add for float32 products (relaxed SIMD), within the float32 bound, float64 still bit for bit", async () => {
    const r = await run(plain.url);
    expect(r).toMatchObject({ relaxed: true, singleFma: true, singleF64: { worst: 0, products: 12 } });
    expect((r["singleF32"] as { worst: number }).worst).toBeLessThanOrEqual(2);
    if (cpuHasFma) expect(r["fusedDiffers"] as number).toBeGreaterThan(0.25);
    else expect(r["fusedDiffers"]).toBe(0);
    expect(errors, errors.join("\n")).toEqual([]);
  });

  it("refuses threads on an ordinary page with a typed error, and runs one thread", async () => {
    const r = await run(plain.url);
    expect(r["isolated"]).toBe(false);
    expect(r["error"]).toMatch(/^ArgumentError: loadWasmBackend: threads > 1 needs SharedArrayBuffer|^ArgumentError: loadWasmBackend: threads > 1 needs Node's worker_threads or Web Workers on a cross-origin-isolated page/);
    expect(r["single"]).toBe("wasm");
    expect(r["singleF64"]).toEqual({ worst: 0, products: 12 });
    // Chromium compiles the module synchronously on the main thread too: the default is wasm.
    expect(r["defaultBackend"]).toBe("wasm");
    expect(errors, errors.join("\n")).toEqual([]);
  });
});
