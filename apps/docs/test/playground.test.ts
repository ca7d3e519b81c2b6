// The playground in headless Chromium (Debian's `chromium`), against the built site served
// over HTTP: training on moons reaches 90% dev accuracy within 30 s of pressing Start, the
// decision boundary is redrawn as it goes, the page stays responsive (training runs in a
// worker), pause, step and reset do what they say, a reset run repeats the first one exactly,
// the diagnosis table shows the data set's Bayes error, the errors with their intervals and a
// verdict, and nothing is logged as an error. Screenshots go to test-output/.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { defaultConfig } from "../src/playground/config.js";
import { csvData, loadCsv } from "../src/playground/csv.js";
import { Trainer } from "../src/playground/trainer.js";
import { DIST, chromiumFor, ensureBuilt, launchChromium, serveStatic, type StaticServer } from "./playground-server.js";

const found = chromiumFor("playground");

const OUTPUT = fileURLToPath(new URL("../test-output/", import.meta.url));
const ROOT = "[data-testid=playground]";
/** The CSV the playground offers as a sample (scikit-learn 1.2.1's iris, exported). */
const IRIS = fileURLToPath(new URL("../public/data/iris.csv", import.meta.url));

/** The state the playground root exposes. */
interface Shown {
  state: string;
  epoch: number;
  trainCost: number;
  devCost: number;
  trainAccuracy: number;
  devAccuracy: number;
  boundaryVersion: number;
  backend: string;
}

async function shown(page: Page): Promise<Shown> {
  return page.$eval(ROOT, (el) => {
    const num = (name: string): number => {
      const v = el.getAttribute(name);
      return v === null || v === "" ? NaN : Number(v);
    };
    return {
      state: el.getAttribute("data-state") ?? "",
      epoch: num("data-epoch"),
      trainCost: num("data-train-cost"),
      devCost: num("data-dev-cost"),
      trainAccuracy: num("data-train-accuracy"),
      devAccuracy: num("data-dev-accuracy"),
      boundaryVersion: num("data-boundary-version"),
      backend: el.getAttribute("data-backend") ?? "",
    };
  });
}

/** Waits until the root's attributes satisfy `ok` (checked in the page, every animation frame). */
async function waitFor(page: Page, ok: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction(`(() => { const el = document.querySelector(${JSON.stringify(ROOT)}); if (!el) return false; const a = (n) => el.getAttribute(n); return ${ok}; })()`, undefined, { timeout });
}

/** Pixels of the boundary canvas: how many distinct colors, and the share that differ from the first pixel. */
async function canvasFacts(page: Page): Promise<{ width: number; height: number; distinct: number; differing: number }> {
  return page.$eval("[data-testid=pg-boundary]", (el) => {
    const cv = el as HTMLCanvasElement;
    const data = cv.getContext("2d")!.getImageData(0, 0, cv.width, cv.height).data;
    const colors = new Set<number>();
    let differing = 0;
    for (let i = 0; i < data.length; i += 4) {
      colors.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) differing++;
    }
    return { width: cv.width, height: cv.height, distinct: colors.size, differing: differing / (data.length / 4) };
  });
}

/** The longest the main thread went without running a timer over `ms` milliseconds. */
async function longestStall(page: Page, ms: number): Promise<number> {
  return page.evaluate((duration) => new Promise<number>((resolve) => {
    const start = performance.now();
    let last = start, worst = 0;
    const tick = (): void => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
      if (now - start < duration) setTimeout(tick, 0);
      else resolve(worst);
    };
    setTimeout(tick, 0);
  }), ms);
}

describe.skipIf(!found)("the playground in headless Chromium", () => {
  let browser: Browser;
  let server: StaticServer;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    server = await serveStatic(DIST);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on("console", (msg) => {
      // Chromium asks for /favicon.ico on its own; the site has none, and no page links one.
      if (msg.type() === "error" && !msg.location().url.endsWith("/favicon.ico")) errors.push(`console.error: ${msg.text()} (${msg.location().url})`);
    });
    page.on("pageerror", (error) => { errors.push(`pageerror: ${error.message}`); });
    page.on("requestfailed", (request) => { errors.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? "?"})`); });
    mkdirSync(OUTPUT, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("loads with the controls, the worker's backend and an untrained boundary", async () => {
    const response = await page.goto(`${server.url}/playground`, { waitUntil: "load" });
    expect(response?.status()).toBe(200);
    await waitFor(page, `a("data-state") === "paused" && Number(a("data-boundary-version")) >= 1`, 30_000);
    for (const id of ["pg-dataset", "pg-samples", "pg-noise", "pg-layers", "pg-activation", "pg-init", "pg-l2", "pg-keep-prob", "pg-optimizer", "pg-lr", "pg-batch-size", "pg-start", "pg-step", "pg-reset"]) {
      expect(await page.locator(`[data-testid=${id}]`).count(), id).toBe(1);
    }
    const s = await shown(page);
    expect(s.epoch).toBe(0);
    // The worker runs on the WebAssembly SIMD backend (Chromium has SIMD; workers may compile synchronously).
    expect(s.backend).toBe("wasm");
    expect(await page.locator("[data-testid=pg-backend]").textContent()).toBe(s.backend);
    console.log(`playground: tensor backend in the worker: ${s.backend}`);
    // The diagnosis table: the generator's Bayes error (moons at noise 0.2: 0.0289566 by an
    // independent quadrature), and the untrained model's verdict.
    expect(Math.abs(Number(await page.getAttribute(ROOT, "data-base-error")) - 0.0289566)).toBeLessThan(1e-4);
    expect(await page.locator("[data-testid=pg-base-error]").textContent()).toBe("2.90%");
    expect(await page.locator("[data-testid=pg-diagnosis]").textContent()).toContain("Bayes error of moons at noise 0.2");
    expect(await page.locator("[data-testid=pg-verdict]").textContent()).toBe(await page.getAttribute(ROOT, "data-verdict"));
    // The worker script was served as JavaScript (module workers refuse other MIME types).
    expect(server.log.some((r) => /\/assets\/worker-[\w-]+\.js$/.test(r.path) && r.status === 200)).toBe(true);
  });

  it("steps one epoch at a time, and a reset repeats the same run (seeded)", async () => {
    await page.selectOption("[data-testid=pg-dataset]", "circles");
    await waitFor(page, `a("data-state") === "paused" && a("data-epoch") === "0"`);
    await page.selectOption("[data-testid=pg-dataset]", "moons");
    await waitFor(page, `a("data-state") === "paused" && a("data-epoch") === "0"`);
    const initial = await shown(page);
    const steps: Shown[] = [];
    for (let e = 1; e <= 3; e++) {
      const before = (await shown(page)).boundaryVersion;
      await page.click("[data-testid=pg-step]");
      await waitFor(page, `a("data-epoch") === "${e}" && Number(a("data-boundary-version")) > ${before}`);
      steps.push(await shown(page));
    }
    expect(steps.map((s) => s.state)).toEqual(["paused", "paused", "paused"]);
    expect(steps[2]!.trainCost).toBeLessThan(initial.trainCost);

    await page.click("[data-testid=pg-reset]");
    await waitFor(page, `a("data-epoch") === "0" && a("data-state") === "paused"`);
    expect(await shown(page)).toMatchObject({ devCost: initial.devCost, devAccuracy: initial.devAccuracy, trainCost: initial.trainCost });
    for (let e = 1; e <= 3; e++) {
      await page.click("[data-testid=pg-step]");
      await waitFor(page, `a("data-epoch") === "${e}"`);
    }
    const again = await shown(page);
    // Same seed, same configuration: the same numbers, bit for bit.
    expect([again.trainCost, again.devCost, again.devAccuracy]).toEqual([steps[2]!.trainCost, steps[2]!.devCost, steps[2]!.devAccuracy]);
    await page.click("[data-testid=pg-reset]");
    await waitFor(page, `a("data-epoch") === "0" && a("data-state") === "paused"`);
  });

  it("draws the network: units per layer and every weight, the worker's, changing as it trains", async () => {
    const weights = (): Promise<number[]> => page.locator("[data-testid=pg-weight]").evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-w"))));
    await page.fill("[data-testid=pg-layers]", "4, 3");
    await page.press("[data-testid=pg-layers]", "Tab");
    await waitFor(page, `a("data-state") === "paused" && a("data-epoch") === "0" && document.querySelector("[data-testid=pg-network]")?.getAttribute("data-units") === "10"`);
    const net = page.locator("[data-testid=pg-network]");
    // 2 inputs, 4 and 3 hidden units, 1 output; 2·4 + 4·3 + 3·1 = 23 weights, each a line.
    expect([await net.getAttribute("data-units"), await net.getAttribute("data-edges"), await net.getAttribute("data-connections")]).toEqual(["10", "23", "23"]);
    expect(await net.locator("circle").count()).toBe(10);
    // The same weights as the same configuration's Trainer in Node: at epoch 0 and after 3 epochs.
    const node = new Trainer({ ...defaultConfig(), hidden: [4, 3] });
    const close = (got: number[], want: number[]): void => {
      expect(got).toHaveLength(want.length);
      got.forEach((g, i) => { expect(Math.abs(g - want[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want[i]!))); });
    };
    const before = await weights();
    close(before, node.network().weights.flat());
    for (let e = 1; e <= 3; e++) {
      await page.click("[data-testid=pg-step]");
      await waitFor(page, `a("data-epoch") === "${e}"`);
      node.step();
    }
    await expect.poll(async () => (await weights()).some((w, i) => w !== before[i])).toBe(true);
    close(await weights(), node.network().weights.flat());
    await net.screenshot({ path: join(OUTPUT, "playground-network.png") });
    await page.fill("[data-testid=pg-layers]", "16, 16");
    await page.press("[data-testid=pg-layers]", "Tab");
    await waitFor(page, `a("data-state") === "paused" && a("data-epoch") === "0" && document.querySelector("[data-testid=pg-network]")?.getAttribute("data-units") === "27"`);
  });

  it("trains moons to 90% dev accuracy within 30 s of Start, redrawing the boundary and staying responsive", async () => {
    await page.selectOption("[data-testid=pg-max-epochs]", "3000");
    await waitFor(page, `a("data-state") === "paused" && a("data-epoch") === "0"`);
    const before = await shown(page);
    const canvasBefore = await canvasFacts(page);
    const started = Date.now();
    await page.click("[data-testid=pg-start]");
    await waitFor(page, `Number(a("data-dev-accuracy")) >= 0.9`, 30_000);
    const elapsed = Date.now() - started;
    const reached = await shown(page);
    console.log(`playground: dev accuracy ${reached.devAccuracy} at epoch ${reached.epoch}, ${elapsed} ms after Start (backend ${reached.backend})`);
    expect(elapsed).toBeLessThan(30_000);
    expect(reached.devAccuracy).toBeGreaterThanOrEqual(0.9);
    await page.screenshot({ path: join(OUTPUT, "playground-training.png"), fullPage: true });
    // Train and dev error with their 95% intervals, and a verdict from the counts.
    for (const id of ["pg-train-error", "pg-dev-error"]) {
      expect(await page.locator(`[data-testid=${id}]`).textContent(), id).toMatch(/^\d+\.\d% \[\d+\.\d, \d+\.\d\]$/);
    }
    expect(["fine", "high bias", "high variance", "high bias and high variance", "too few dev examples", "too few training examples"]).toContain(await page.getAttribute(ROOT, "data-verdict"));

    // Still training: the main thread keeps running timers (no stall over 250 ms while the
    // worker trains) and answers an evaluate promptly.
    const stall = await longestStall(page, 1500);
    const t0 = Date.now();
    await page.evaluate(() => document.title);
    const roundTrip = Date.now() - t0;
    expect(stall).toBeLessThan(250);
    expect(roundTrip).toBeLessThan(1000);
    const running = await shown(page);
    expect(running.state).toBe("running");
    expect(running.epoch).toBeGreaterThan(reached.epoch);

    // The boundary was redrawn many times and is no longer the untrained one.
    expect(running.boundaryVersion).toBeGreaterThan(before.boundaryVersion + 5);
    const canvas = await canvasFacts(page);
    expect(canvas.distinct).toBeGreaterThan(50);
    expect(canvas.differing).toBeGreaterThan(0.3);
    expect(canvas.width).toBeGreaterThan(200);
    expect(canvasBefore.distinct).toBeGreaterThan(1);

    // The chart has both curves through the epochs so far.
    const paths = await page.$$eval("[data-testid=pg-chart] path", (ps) => ps.map((p) => (p.getAttribute("d") ?? "").split(/[ML]/).filter((s) => s !== "").length));
    expect(paths.length).toBe(2);
    for (const n of paths) expect(n).toBeGreaterThan(5);

    // Pause takes effect at once: the state flips and the epoch stops moving.
    const clicked = Date.now();
    await page.click("[data-testid=pg-start]");
    await waitFor(page, `a("data-state") === "paused"`, 2_000);
    expect(Date.now() - clicked).toBeLessThan(2_000);
    const paused = await shown(page);
    await page.waitForTimeout(400);
    expect((await shown(page)).epoch).toBe(paused.epoch);
    expect(await page.locator("[data-testid=pg-start]").textContent()).toContain("Start");

    // Step from the paused run, then resume and pause again.
    await page.click("[data-testid=pg-step]");
    await waitFor(page, `a("data-epoch") === "${paused.epoch + 1}"`);
    expect((await shown(page)).state).toBe("paused");
    await page.click("[data-testid=pg-start]");
    await waitFor(page, `a("data-state") === "running" && Number(a("data-epoch")) > ${paused.epoch + 3}`);
    await page.click("[data-testid=pg-start]");
    await waitFor(page, `a("data-state") === "paused"`);
    await page.screenshot({ path: join(OUTPUT, "playground-paused.png"), fullPage: true });

    // Reset: back to epoch 0 and the untrained numbers.
    await page.click("[data-testid=pg-reset]");
    await waitFor(page, `a("data-epoch") === "0" && a("data-state") === "paused"`);
    expect((await shown(page)).devAccuracy).toBe(before.devAccuracy);
  });

  it("trains the other data sets and settings without errors", async () => {
    await page.selectOption("[data-testid=pg-speed]", "0");
    await page.selectOption("[data-testid=pg-dataset]", "spirals");
    await page.selectOption("[data-testid=pg-classes]", "3");
    await page.fill("[data-testid=pg-layers]", "32, 32");
    await page.press("[data-testid=pg-layers]", "Tab");
    await page.selectOption("[data-testid=pg-l2]", "0.1");
    await page.selectOption("[data-testid=pg-keep-prob]", "0.9");
    await page.selectOption("[data-testid=pg-optimizer]", "momentum");
    await page.selectOption("[data-testid=pg-lr]", "0.1");
    await waitFor(page, `a("data-state") === "paused" && a("data-epoch") === "0"`);
    await page.click("[data-testid=pg-start]");
    await waitFor(page, `Number(a("data-epoch")) >= 30`, 20_000);
    await page.click("[data-testid=pg-start]");
    await waitFor(page, `a("data-state") === "paused"`);
    const s = await shown(page);
    expect(Number.isFinite(s.devCost)).toBe(true);
    expect(await page.locator(".pg-legend .pg-dot").count()).toBe(5); // 3 classes + train + dev
    await page.screenshot({ path: join(OUTPUT, "playground-spirals.png"), fullPage: true });

    // A layers field that does not parse shows a message instead of failing.
    await page.fill("[data-testid=pg-layers]", "16, x");
    await page.press("[data-testid=pg-layers]", "Tab");
    await expect.poll(() => page.locator("[data-testid=pg-message]").textContent()).toContain("layer size");

    expect(errors).toEqual([]);
    expect(existsSync(join(OUTPUT, "playground-training.png"))).toBe(true);
  });

  it("trains on a CSV of the reader's own (iris' petals), and says why a bad one cannot be used", async () => {
    for (const [id, value] of [["pg-activation", "relu"], ["pg-init", "he"], ["pg-l2", "0"], ["pg-keep-prob", "1"], ["pg-optimizer", "adam"], ["pg-lr", "0.01"], ["pg-batch-size", "32"], ["pg-max-epochs", "300"]] as const) {
      await page.selectOption(`[data-testid=${id}]`, value);
    }
    await page.fill("[data-testid=pg-layers]", "16, 16");
    await page.press("[data-testid=pg-layers]", "Tab");
    await page.setInputFiles("[data-testid=pg-csv-file]", { name: "iris.csv", mimeType: "text/csv", buffer: readFileSync(IRIS) });
    await waitFor(page, `a("data-dataset") === "csv" && a("data-state") === "paused" && a("data-epoch") === "0"`, 30_000);
    expect(await page.locator("[data-testid=pg-csv-x] option").allTextContents()).toEqual(["sepal_length", "sepal_width", "petal_length", "petal_width"]);
    expect(await page.locator("[data-testid=pg-csv-label]").inputValue()).toBe("species");
    await page.selectOption("[data-testid=pg-csv-x]", "petal_length");
    await page.selectOption("[data-testid=pg-csv-y]", "petal_width");
    await waitFor(page, `a("data-state") === "paused" && a("data-epoch") === "0" && document.querySelector("[data-testid=pg-axes]")?.textContent.includes("petal_width")`);
    expect(await page.locator("[data-testid=pg-class]").allTextContents()).toEqual([" setosa", " versicolor", " virginica"]);
    expect(await page.locator("[data-testid=pg-csv-facts]").textContent()).toContain("150 rows, 3 classes");
    const source = await page.locator("[data-testid=pg-base-source]").textContent();
    expect(source).toMatch(/^k-NN bracket .*, on the 105 training rows: a CSV's Bayes error is unknown, so it is estimated, 95% [\d.]+% \[/);
    expect(source).toContain("Unreliable:");

    // The same run as the same configuration's Trainer in Node (the worker runs on wasm).
    const csv = await loadCsv("iris.csv", readFileSync(IRIS, "utf8"));
    const node = new Trainer({ ...defaultConfig(), maxEpochs: 300, dataset: "csv", csv: csvData(csv, { x: "petal_length", y: "petal_width", label: "species" }) });
    expect(Number(await page.getAttribute(ROOT, "data-base-error"))).toBe(node.baseError.value);
    for (let e = 1; e <= 3; e++) {
      await page.click("[data-testid=pg-step]");
      await waitFor(page, `a("data-epoch") === "${e}"`);
      node.step();
    }
    const stepped = await shown(page);
    expect(Math.abs(stepped.devCost - node.last.devCost)).toBeLessThanOrEqual(1e-12 * node.last.devCost);
    expect(stepped.devAccuracy).toBe(node.last.devAccuracy);

    await page.selectOption("[data-testid=pg-speed]", "0");
    await page.click("[data-testid=pg-start]");
    await waitFor(page, `a("data-state") === "done"`, 60_000);
    const done = await shown(page);
    // scikit-learn's LogisticRegression on the two petal features: 0.96 (5-fold cross-validated).
    expect(done.devAccuracy).toBeGreaterThanOrEqual(0.9);
    expect((await canvasFacts(page)).distinct).toBeGreaterThan(3);
    await page.screenshot({ path: join(OUTPUT, "playground-csv.png"), fullPage: true });

    // A ragged file: its reason, with the line, and the run goes on as it was.
    await page.setInputFiles("[data-testid=pg-csv-file]", { name: "ragged.csv", mimeType: "text/csv", buffer: Buffer.from("a,b,label\n1,2,x\n3,4\n") });
    await expect.poll(() => page.locator("[data-testid=pg-csv-error]").textContent()).toBe("ragged.csv: line 3 has 2 fields, expected 3 (as in the header)");
    expect(await shown(page)).toMatchObject({ state: "done", epoch: 300, devAccuracy: done.devAccuracy });
    // A pick that cannot be: both axes the same column.
    await page.selectOption("[data-testid=pg-csv-y]", "petal_length");
    await expect.poll(() => page.locator("[data-testid=pg-csv-error]").textContent()).toBe("iris.csv: x and y are both \"petal_length\"; pick two different columns");
    expect((await shown(page)).epoch).toBe(300);
    // The sample the page offers loads the same file.
    await page.click("[data-testid=pg-csv-sample]");
    await waitFor(page, `a("data-dataset") === "csv" && a("data-state") === "paused" && a("data-epoch") === "0"`);
    expect(await page.locator("[data-testid=pg-csv-error]").count()).toBe(0);
    expect(await page.locator("[data-testid=pg-csv-facts]").textContent()).toContain("150 rows, 3 classes");
    // Back to a generator.
    await page.selectOption("[data-testid=pg-dataset]", "moons");
    await waitFor(page, `a("data-dataset") === "moons" && a("data-state") === "paused" && a("data-epoch") === "0"`);
    expect(await page.locator("[data-testid=pg-samples]").count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
