// The HTML report in headless Chromium (Debian's `chromium`): it loads with no console errors
// and no network requests, its curves are SVG paths through every epoch, and the decision
// boundary canvas is drawn. A screenshot goes to test-output/report.png.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { makeBlobs, toCsv } from "@hone/data-split";
import { honeJson, tempDir } from "./helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const found = existsSync(CHROMIUM);
if (!found && process.env.CI !== undefined) {
  throw new Error(`${CHROMIUM} not found: CI must install Debian's chromium (apt-get install -y chromium) for the HTML report test`);
}
if (!found) console.warn(`Skipping the HTML report browser test: ${CHROMIUM} not found (install Debian's chromium, or set CHROMIUM_PATH).`);

const OUTPUT = fileURLToPath(new URL("../test-output/", import.meta.url));

interface PageFacts {
  errors: string[];
  requests: string[];
  paths: { series: string; points: number }[];
  canvas: { width: number; height: number; colored: number; distinct: number; drawn: string | null } | null;
  metricsRows: number;
  title: string;
}

// Runs in the page (plain browser JavaScript, kept as text so the Node typecheck has no DOM).
const IN_PAGE = `(() => {
  const paths = Array.from(document.querySelectorAll("svg path.series")).map((p) => ({
    series: p.getAttribute("data-series") || "",
    points: (p.getAttribute("d") || "").split(/[ML]/).filter((s) => s.trim() !== "").length,
  }));
  const cv = document.querySelector("canvas");
  let canvas = null;
  if (cv) {
    const data = cv.getContext("2d").getImageData(0, 0, cv.width, cv.height).data;
    let colored = 0;
    const colors = new Set();
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i], g = data[i + 1], b = data[i + 2], a = data[i + 3];
      if (a > 0 && !(r > 245 && g > 245 && b > 245)) colored++;
      colors.add((r << 16) | (g << 8) | b);
    }
    canvas = { width: cv.width, height: cv.height, colored, distinct: colors.size, drawn: cv.getAttribute("data-drawn") };
  }
  return { paths, canvas, metricsRows: document.querySelectorAll("#metrics tbody tr").length, title: document.title };
})()`;

async function inspect(browser: Browser, file: string, screenshot: string | null): Promise<PageFacts> {
  const page = await browser.newPage({ viewport: { width: 1360, height: 1100 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (msg) => { if (msg.type() === "error" || msg.type() === "warning") errors.push(`${msg.type()}: ${msg.text()}`); });
  page.on("pageerror", (error) => { errors.push(`pageerror: ${error.message}`); });
  page.on("request", (request) => { if (!request.url().startsWith("file:")) requests.push(request.url()); });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  const facts = await page.evaluate<Omit<PageFacts, "errors" | "requests">>(IN_PAGE);
  if (screenshot !== null) await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  return { errors, requests, ...facts };
}

describe.skipIf(!found)("the HTML report in headless Chromium", () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Playwright runs it headless with a fresh temporary profile (its own --user-data-dir).
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("moons: cost and error curves through every epoch, and the decision boundary over the points", async () => {
    const epochs = 60;
    const { json } = await honeJson<{ epochs: number; report: string }>(["train", "--epochs", String(epochs), "--report", "report.html"], { cwd: dir });
    const file = join(dir, "report.html");
    expect(json.report).toBe(file);
    const html = readFileSync(file, "utf8");
    // Self-contained: no external scripts, styles, images or fonts.
    expect(/<(script|link|img)[^>]+(src|href)=/i.test(html)).toBe(false);
    expect(/https?:\/\//.test(html)).toBe(false);
    // The diagnosis table: the base error and where it came from, each rate and gap with its interval.
    expect(html).toMatch(/<table id="diagnosis">/);
    expect(html).toMatch(/<tr><th>base error<\/th><td>2\.90%<\/td><td>—<\/td><td>the data set&#39;s Bayes error|<tr><th>base error<\/th><td>2\.90%<\/td><td>—<\/td><td>the data set's Bayes error/);
    expect(html).toMatch(/<tr><th>dev error<\/th><td>\d+\.\d\d%<\/td><td>\d+\.\d\d% to \d+\.\d\d%<\/td><td>200 rows<\/td><\/tr>/);
    expect(html).toMatch(/<tr><th>variance<\/th><td>-?\d+\.\d\d%<\/td><td>-?\d+\.\d\d% to -?\d+\.\d\d%<\/td><td>dev − train: (low|high|unresolved)<\/td><\/tr>/);
    mkdirSync(OUTPUT, { recursive: true });
    const facts = await inspect(browser, file, join(OUTPUT, "report.png"));
    expect(facts.errors).toEqual([]);
    expect(facts.requests).toEqual([]);
    expect(facts.title).toContain("moons");
    expect(facts.metricsRows).toBe(3);
    // One path per curve, each through a point per epoch.
    const byName = Object.fromEntries(facts.paths.map((p) => [p.series, p.points]));
    expect(byName).toEqual({ "train cost": epochs, "dev cost": epochs, "train error": epochs, "dev error": epochs });
    // The boundary canvas: every pixel of the plot area painted, in many shades (two class
    // tints at varying confidence, plus the points), and the script ran to its end.
    expect(facts.canvas).not.toBeNull();
    const c = facts.canvas!;
    expect(c.drawn).toBe("1000");
    expect(c.colored).toBeGreaterThan(0.5 * c.width * c.height);
    expect(c.distinct).toBeGreaterThan(20);
    expect(existsSync(join(OUTPUT, "report.png"))).toBe(true);
  });

  it("data with three features: the curves but no boundary plot, loading cleanly", async () => {
    const { x, y } = makeBlobs({ samples: 400, centers: 4, features: 3, rng: 8 });
    writeFileSync(join(dir, "blobs3.csv"), toCsv(x, y));
    const { json } = await honeJson<{ report: string }>(["train", "--data", "blobs3.csv", "--epochs", "10", "--report", "blobs.html"], { cwd: dir });
    const facts = await inspect(browser, json.report, join(OUTPUT, "report-3d.png"));
    expect(facts.errors).toEqual([]);
    expect(facts.canvas).toBeNull();
    expect(facts.paths.map((p) => p.points)).toEqual([10, 10, 10, 10]);
  });
});
