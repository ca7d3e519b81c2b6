// The guide's figures and the home page. In Node: every guide page has a figure, and the
// <HoneFigure> ids are exactly the figures with data (src/figures/data.ts) and a drawing
// (src/figures/draw.ts). In headless Chromium (Debian's `chromium`), against the built site:
// every guide page draws every one of its figures (an SVG with data marks) from data computed
// on the page's wasm backend, equal to the same call made here in Node; the home page shows
// the install command, the ten-line example, the logo, a favicon, links, and a boundary
// trained live; nothing is logged as an error. Screenshots: test-output/page-<page>.png,
// test-output/home.png.
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { figureData, figurePart } from "../src/figures/data.js";
import { FIGURE_PARTS } from "../src/figures/parts.js";
import { drawFigure } from "../src/figures/draw.js";
import { render } from "../src/run-example/render.js";
import { expectSame } from "./compare.js";
import { DIST, DOCS, chromiumFor, ensureBuilt, launchChromium, serveStatic, type StaticServer } from "./playground-server.js";

const found = chromiumFor("figures");

const OUTPUT = fileURLToPath(new URL("../test-output/", import.meta.url));
const GUIDE = join(DOCS, "guide");
const PAGES = readdirSync(GUIDE).filter((f) => f.endsWith(".md")).map((f) => f.slice(0, -3)).sort();
const FIGURE = /<HoneFigure\s+id="([^"]+)"(?:\s+recorded="[^"]+")?\s*>/g;

/** The figure ids a page uses, and whether it trains live. */
function scan(page: string): { figures: string[]; live: boolean } {
  const text = readFileSync(join(GUIDE, `${page}.md`), "utf8");
  return { figures: [...text.matchAll(FIGURE)].map((m) => m[1]!), live: /<LiveTraining\b/.test(text) };
}

describe("the guide's figures", () => {
  const pages = PAGES.map((page) => ({ page, ...scan(page) }));

  it("are on every page, each id once, named for its page", () => {
    expect(PAGES.length).toBe(12);
    for (const { page, figures, live } of pages) {
      expect(figures.length + (live ? 1 : 0), page).toBeGreaterThanOrEqual(1);
      for (const id of figures) expect(id.startsWith(`${page}/`), id).toBe(true);
    }
    const ids = pages.flatMap((p) => p.figures);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("computed in parts: FIGURE_PARTS lists exactly figurePart's figures, and each one's data is its parts in order", () => {
    expect(Object.keys(FIGURE_PARTS).sort()).toEqual(Object.keys(figurePart).sort());
    for (const [id, parts] of Object.entries(FIGURE_PARTS)) {
      const whole = (figureData as Record<string, () => unknown>)[id]!() as unknown[];
      expect(whole, id).toHaveLength(parts);
      expect(render(Array.from({ length: parts }, (_, i) => (figurePart as Record<string, (i: number) => unknown>)[id]!(i))), id).toBe(render(whole));
    }
  });

  it("have data and a drawing for exactly the ids the pages use", () => {
    const ids = pages.flatMap((p) => p.figures).sort();
    expect(Object.keys(figureData).sort()).toEqual(ids);
    expect(Object.keys(drawFigure).sort()).toEqual(ids);
  });
});

/** Collects console errors, page errors and failed requests of `page`. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => { if (msg.type() === "error") errors.push(`console.error: ${msg.text()} (${msg.location().url})`); });
  page.on("pageerror", (error) => { errors.push(`pageerror: ${error.message}`); });
  page.on("requestfailed", (request) => { errors.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? "?"})`); });
  return errors;
}

/** What one figure showed. */
interface ShownFigure {
  id: string;
  state: string;
  backend: string;
  ms: number;
  workers: number;
  marks: number;
  svgs: number;
  data: string;
  error: string;
}

describe.skipIf(!found)("the guide's figures in headless Chromium", () => {
  let browser: Browser;
  let server: StaticServer;
  const times: string[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    server = await serveStatic(DIST);
    browser = await launchChromium();
    mkdirSync(OUTPUT, { recursive: true });
  });

  afterAll(async () => {
    if (times.length > 0) console.log(`figures in Chromium:\n${times.join("\n")}`);
    await browser?.close();
    await server?.close();
  });

  it.each(PAGES)("draws every figure of /guide/%s from a live run", async (name) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    try {
      const response = await page.goto(`${server.url}/guide/${name}`, { waitUntil: "load" });
      expect(response?.status()).toBe(200);
      const { figures, live } = scan(name);
      expect(await page.locator("[data-testid=figure]").count()).toBe(figures.length);
      await page.waitForFunction(
        () => [...document.querySelectorAll("[data-testid=figure]")].every((el) => ["done", "error"].includes(el.getAttribute("data-state") ?? ""))
          && [...document.querySelectorAll("[data-testid=live-training]")].every((el) => ["done", "error"].includes(el.getAttribute("data-state") ?? "")),
        undefined, { timeout: 100_000 },
      );
      const shown: ShownFigure[] = await page.locator("[data-testid=figure]").evaluateAll((els) => els.map((el) => ({
        id: el.getAttribute("data-figure-id") ?? "",
        state: el.getAttribute("data-state") ?? "",
        backend: el.getAttribute("data-backend") ?? "",
        ms: Number(el.getAttribute("data-ms")),
        workers: Number(el.getAttribute("data-workers")),
        marks: Number(el.getAttribute("data-marks")),
        svgs: el.querySelectorAll("[data-testid=figure-canvas] svg").length,
        data: el.querySelector("[data-testid=figure-data]")?.textContent ?? "",
        error: el.querySelector("[data-testid=figure-error]")?.textContent ?? "",
      })));
      for (const f of shown) await page.locator(`[data-figure-id="${f.id}"]`).scrollIntoViewIfNeeded();
      // Nothing is wider than the column: code blocks wrap their long lines, figures fit.
      const overflowing = await page.evaluate(() => [...document.querySelectorAll(".vp-doc div[class*='language-'] pre, .hf-canvas, .lt-plots")]
        .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => `${el.className}: ${(el.textContent ?? "").slice(0, 60)}`));
      expect(overflowing).toEqual([]);
      // From the top: scrolled, the fixed nav bar and sidebar would sit across the middle of a full-page shot.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(OUTPUT, `page-${name}.png`), fullPage: true });

      expect(shown.filter((f) => f.state !== "done").map((f) => `${f.id}: ${f.error}`)).toEqual([]);
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      for (const f of shown) {
        expect(f.backend, f.id).toBe("wasm");
        // A figure in parts runs a part per worker, on as many as the cores (at most its parts).
        expect(f.workers, f.id).toBe(Object.hasOwn(FIGURE_PARTS, f.id) ? Math.min(FIGURE_PARTS[f.id]!, Math.max(1, cores)) : 1);
        expect(f.svgs, f.id).toBeGreaterThanOrEqual(1);
        // Data marks, not just axes: every figure draws at least a few dozen points, bars, cells or line segments.
        expect(f.marks, f.id).toBeGreaterThanOrEqual(3);
        // The same numbers as the same call in Node (both rounded to 6 digits by render).
        expectSame(JSON.parse(f.data), JSON.parse(render(await (figureData as Record<string, () => unknown>)[f.id]!())), f.id);
      }
      if (live) {
        const box = page.locator("[data-testid=live-training]");
        expect(await box.getAttribute("data-state")).toBe("done");
        expect(await page.locator("[data-testid=live-boundary] svg").count()).toBeGreaterThanOrEqual(1);
        expect(await page.locator("[data-testid=live-curves] svg").count()).toBeGreaterThanOrEqual(1);
      }
      expect(errors).toEqual([]);
      times.push(`  ${name}: ${shown.map((f) => `${f.id.split("/")[1]!} ${Math.round(f.ms)} ms${f.workers > 1 ? ` on ${f.workers} workers` : ""}, ${f.marks} marks`).join("; ") || "live training only"}`);
    } finally {
      await page.close();
    }
  });

  it("shows the home page's install command, example, logo, favicon, links and a boundary trained live", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    try {
      const response = await page.goto(`${server.url}/`, { waitUntil: "load" });
      expect(response?.status()).toBe(200);
      const text = await page.locator("#VPContent").innerText();
      expect(text).toContain("npm install @hone/nn");
      const block = page.locator("#VPContent div[class*='language-ts']").first();
      const code = await block.locator("pre").innerText();
      expect(code).toContain('import { mlp, fit, binaryAccuracy } from "@hone/nn";');
      expect(code).toContain("const history = fit(model, train, {");
      // The code fits the column: no line is wider than the block (it would scroll).
      expect(await block.locator("pre").evaluate((pre) => pre.scrollWidth - pre.clientWidth)).toBeLessThanOrEqual(0);
      // The logo (hero and nav) and the favicon are served.
      const images = await page.locator("img[src$='/logo.svg']").count();
      expect(images).toBeGreaterThanOrEqual(1);
      const favicon = await page.locator("link[rel=icon]").getAttribute("href");
      expect(favicon).toBe("/favicon.svg");
      expect((await page.request.get(`${server.url}${favicon!}`)).status()).toBe(200);
      for (const href of ["/guide/getting-started", "/playground", "/api/", "https://github.com/hone-ml/hone"]) {
        expect(await page.locator(`#VPContent a[href="${href}"]`).count(), href).toBeGreaterThanOrEqual(1);
      }
      await page.waitForFunction(() => document.querySelector("[data-testid=live-training]")?.getAttribute("data-state") === "done", undefined, { timeout: 60_000 });
      expect(await page.locator("[data-testid=live-boundary] svg image, [data-testid=live-boundary] svg circle").count()).toBeGreaterThan(100);
      await page.locator("[data-testid=live-training]").scrollIntoViewIfNeeded();
      // From the top: scrolled, the fixed nav bar and sidebar would sit across the middle of a full-page shot.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(OUTPUT, "home.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
