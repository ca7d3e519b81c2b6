// The repo's copies of the shared reference data (fixtures/course/SOURCES.md) are
// byte-identical to the originals in the shared datasets folder beside the checkout. In a
// clone with nothing beside it, the comparison is skipped with a note; the tests that read
// the copies still run. Only this check looks beside the checkout.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const shared = resolve(root, "..", "shared", "datasets");
const copies = [
  ...readdirSync(join(root, "fixtures", "course")).filter((f) => f.endsWith(".json")).sort().map((f) => `fixtures/course/${f}`),
  "apps/cli/data/football.json",
];
const sha256 = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("course fixtures", () => {
  it("each copy is listed with its sha256 in fixtures/course/SOURCES.md", () => {
    const sources = readFileSync(join(root, "fixtures", "course", "SOURCES.md"), "utf8");
    expect(copies.length).toBeGreaterThan(1);
    for (const copy of copies) expect(sources, copy).toContain(`| \`${basename(copy)}\` | \`${sha256(join(root, copy))}\` |`);
  });

  const present = existsSync(shared);
  describe.skipIf(!present)(present ? `equal the shared originals in ${shared}` : `equal the shared originals (skipped: no shared datasets folder at ${shared})`, () => {
    it.each(copies)("%s", (copy) => {
      const original = join(shared, basename(copy));
      expect(existsSync(original), `${original} exists`).toBe(true);
      expect(sha256(join(root, copy)), `${copy} equals ${original}`).toBe(sha256(original));
    });
  });
});
