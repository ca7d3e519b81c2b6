// fitAsync keeps a page responsive (issue 19), measured in headless Chromium on the built
// getting-started page, whose <LiveTraining> trains the first model on the main thread with
// fitAsync (examples/getting-started.ts, trainWithoutBlocking). The longest task is read
// from the browser's own Long Tasks API (PerformanceObserver "longtask": every task over
// 50 ms, with its duration). The same page's "Train with fit" button runs the blocking fit,
// which must show up as one long task, so the measurement is shown to be able to fail.
// Stopping through the AbortSignal ends the training within an epoch and it stays stopped.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DIST, chromiumFor, ensureBuilt, launchChromium, serveStatic, type StaticServer } from "./playground-server.js";

const found = chromiumFor("fitAsync responsiveness");

/** The longest task the page was busy for, in ms, among tasks that started after `since` (performance.now() time). */
function longestTaskSince(page: Page, since: number): Promise<number> {
  return page.evaluate((t) => Math.max(0, ...(window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks
    .filter((e) => e.start >= t).map((e) => e.duration)), since);
}

/** Clicks `button` and returns the page's clock at the click. */
async function clickAt(page: Page, testid: string): Promise<number> {
  const now = await page.evaluate(() => performance.now());
  await page.locator(`[data-testid=${testid}]`).click();
  return now;
}

const stateIs = (page: Page, states: string[], timeout = 60_000): Promise<unknown> => page.waitForFunction(
  (s) => s.includes(document.querySelector("[data-testid=live-training]")?.getAttribute("data-state") ?? ""),
  states, { timeout },
);

describe.skipIf(!found)("fitAsync on a page, in headless Chromium", () => {
  let browser: Browser;
  let server: StaticServer;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    server = await serveStatic(DIST);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (msg) => { if (msg.type() === "error") errors.push(`console.error: ${msg.text()}`); });
    page.on("pageerror", (error) => { errors.push(`pageerror: ${error.message}`); });
    await page.addInitScript(() => {
      const tasks: { start: number; duration: number }[] = [];
      (window as unknown as { longTasks: typeof tasks }).longTasks = tasks;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: "longtask", buffered: true });
    });
    await page.goto(`${server.url}/guide/getting-started`, { waitUntil: "load" });
    await page.locator("[data-testid=live-training]").scrollIntoViewIfNeeded();
    await stateIs(page, ["done", "error"]); // the training it starts on load
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("trains 60 epochs with no task over 200 ms, drawing frames all along; fit on the same page is one task as long as its training", async () => {
    expect(await page.locator("[data-testid=live-training]").getAttribute("data-state")).toBe("done");

    const asyncStart = await clickAt(page, "live-async");
    await stateIs(page, ["done", "error"]);
    const box = page.locator("[data-testid=live-training]");
    expect(await box.getAttribute("data-state")).toBe("done");
    expect(await box.getAttribute("data-epoch")).toBe("60");
    const asyncMs = Number(await box.getAttribute("data-ms"));
    const asyncLongest = await longestTaskSince(page, asyncStart);
    const frames = Number(await box.getAttribute("data-frames"));
    const marks = Number(await box.getAttribute("data-marks"));

    const fitStart = await clickAt(page, "live-fit");
    await stateIs(page, ["done", "error"]);
    expect(await box.getAttribute("data-state")).toBe("done");
    const fitMs = Number(await box.getAttribute("data-ms"));
    const fitLongest = await longestTaskSince(page, fitStart);

    console.log(`fitAsync: ${Math.round(asyncMs)} ms, longest task ${Math.round(asyncLongest)} ms, ${frames} frames; fit: ${Math.round(fitMs)} ms, longest task ${Math.round(fitLongest)} ms`);
    // Responsive: no task near the half second a user notices (240 ms measured once on a CI
    // machine running other test suites on both cores; the blocking fit is seconds).
    expect(asyncLongest).toBeLessThan(500);
    // Many short slices, not one block: the longest is a small part of the whole training.
    expect(asyncLongest).toBeLessThan(asyncMs / 4);
    // The page drew frames while it trained (each redraws the boundary: about one per 30–50 ms
    // here), at least one per 100 ms of training (9 in 279 ms measured).
    expect(frames).toBeGreaterThanOrEqual(Math.max(3, Math.floor(asyncMs / 100)));
    // The boundary and the curves were drawn (a raster cell image, dots, two lines).
    expect(marks).toBeGreaterThan(100);
    // fit holds the main thread for the whole training: one task as long as it, which the
    // Long Tasks API sees (so a fitAsync that blocked would be seen too). The API reports only
    // tasks over 50 ms, and fit took 60–73 ms here on 2026-12-04 (after the training got faster),
    // so a faster run is past what it can show.
    if (fitMs > 55) expect(fitLongest).toBeGreaterThan(0.9 * fitMs);
    expect(errors).toEqual([]);
  });

  it("stops at once when aborted, and stays stopped", async () => {
    const box = page.locator("[data-testid=live-training]");
    // Press Stop from inside the page as soon as epoch 5 is shown (a click from the test
    // could arrive after the last of the 60 epochs).
    await page.evaluate(() => {
      const el = document.querySelector("[data-testid=live-training]")!;
      const observer = new MutationObserver(() => {
        if (Number(el.getAttribute("data-epoch")) >= 5) {
          observer.disconnect();
          // The epoch shown when Stop is pressed: the observer runs when the page's task
          // yields, which on a loaded machine can be a few epochs after epoch 5.
          (globalThis as unknown as { pressedAt: number }).pressedAt = Number(el.getAttribute("data-epoch"));
          (document.querySelector("[data-testid=live-stop]") as HTMLButtonElement).click();
        }
      });
      observer.observe(el, { attributes: true, attributeFilter: ["data-epoch"] });
    });
    await clickAt(page, "live-async");
    await stateIs(page, ["stopped", "done", "error"], 30_000);
    expect(await box.getAttribute("data-state")).toBe("stopped");
    // Aborted within an epoch or two of the press (fitAsync checks the signal at every batch).
    const epoch = Number(await box.getAttribute("data-epoch"));
    const pressedAt = await page.evaluate(() => (globalThis as unknown as { pressedAt: number }).pressedAt);
    expect(pressedAt).toBeGreaterThanOrEqual(5);
    expect(epoch).toBeGreaterThanOrEqual(pressedAt);
    expect(epoch).toBeLessThanOrEqual(pressedAt + 2);
    expect(epoch).toBeLessThan(60);
    await page.waitForTimeout(500);
    expect(Number(await box.getAttribute("data-epoch"))).toBe(epoch);
    expect(await page.locator("[data-testid=live-status]").innerText()).toContain("stopped");
    expect(errors).toEqual([]);
  });
});
