// Every library package, packed as it would be published, installs into an empty project
// outside the workspace, imports under Node and type-checks against its declarations.
// Turbo builds the packages first (`@hone/pack-test#test` depends on `^build`).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const libraries = ["tensor", "init", "optim", "data-split", "nn", "regularize", "gradcheck"];
const work = mkdtempSync(join(tmpdir(), "hone-pack-"));
const project = join(work, "project");

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

beforeAll(() => {
  const tarballs: Record<string, string> = {};
  for (const name of libraries) {
    const dir = join(root, "packages", name);
    const dist = readdirSync(dir).includes("dist");
    if (!dist) throw new Error(`packages/${name}/dist is missing: run \`pnpm build\` (turbo runs it before this test)`);
    run("pnpm", ["pack", "--pack-destination", work], dir);
    const file = readdirSync(work).find((f) => f.startsWith(`hone-${name}-`) && f.endsWith(".tgz"));
    if (file === undefined) throw new Error(`pnpm pack wrote no tarball for @hone/${name}`);
    tarballs[`@hone/${name}`] = `file:${join(work, file)}`;
  }
  // The command-line tool, packed the same way: it depends on the library tarballs above.
  run("pnpm", ["pack", "--pack-destination", work], join(root, "apps", "cli"));
  const cli = readdirSync(work).find((f) => f.startsWith("hone-cli-") && f.endsWith(".tgz"));
  if (cli === undefined) throw new Error("pnpm pack wrote no tarball for @hone/cli");
  tarballs["@hone/cli"] = `file:${join(work, cli)}`;
  run("mkdir", ["-p", project], work);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: tarballs }, null, 2));
  run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline"], project);
}, 240_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("packed packages", () => {
  it("ship only dist, package.json and README, with workspace ranges replaced", () => {
    for (const name of libraries) {
      const pkg = JSON.parse(readFileSync(join(project, "node_modules", "@hone", name, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
      for (const range of Object.values(pkg.dependencies ?? {})) expect(range).not.toMatch(/^workspace:/);
      const files = readdirSync(join(project, "node_modules", "@hone", name)).sort();
      expect(files.filter((f) => !["dist", "package.json", "README.md", "LICENSE"].includes(f))).toEqual([]);
    }
  });

  it("ship the CLI built: bin, dist, its data and README, no TypeScript source", () => {
    const dir = join(project, "node_modules", "@hone", "cli");
    expect(readdirSync(dir).filter((f) => !["bin", "dist", "data", "package.json", "README.md", "LICENSE"].includes(f))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { bin: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg.bin.hone).toBe("./bin/hone.js");
    expect(Object.keys(pkg.dependencies)).not.toContain("tsx");
    for (const range of Object.values(pkg.dependencies)) expect(range).not.toMatch(/^workspace:/);
  });

  it("run `npx hone train` in the empty project", () => {
    expect(run("npx", ["--no-install", "hone", "--version"], project).trim()).toBe("0.1.0");
    const out = JSON.parse(run("npx", ["--no-install", "hone", "train", "--epochs", "20", "--json"], project)) as { metrics: { test: { accuracy: number } }; data: { rows: number } };
    expect(out.data.rows).toBe(1000);
    expect(out.metrics.test.accuracy).toBeGreaterThan(0.8);
    expect(run("npx", ["--no-install", "hone", "diagnose", "--train-error", "0.01", "--dev-error", "0.11"], project)).toMatch(/high variance/i);
    expect(readdirSync(join(project, "node_modules", "@hone", "cli", "data"))).toContain("football.json");
  });

  it("import in plain Node and compute", () => {
    const script = [
      'import { tensor, matmul, sum, backward } from "@hone/tensor";',
      ...libraries.map((n) => `import * as pkg_${n.replace("-", "_")} from "@hone/${n}";`),
      'const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });',
      'backward(sum(matmul(w, tensor([[1], [1]]))));',
      `console.log(JSON.stringify({ grad: w.grad.toArray(), exports: [${libraries.map((n) => `Object.keys(pkg_${n.replace("-", "_")}).length`).join(", ")}] }));`,
    ].join("\n");
    writeFileSync(join(project, "smoke.mjs"), script);
    const out = JSON.parse(run("node", ["smoke.mjs"], project)) as { grad: number[][]; exports: number[] };
    expect(out.grad).toEqual([[1, 1], [1, 1]]);
    for (const count of out.exports) expect(count).toBeGreaterThan(0);
  });

  it("type-check against the published declarations", () => {
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, types: [] },
      include: ["check.ts"],
    }));
    writeFileSync(join(project, "check.ts"), [
      'import { tensor, type Tensor } from "@hone/tensor";',
      ...libraries.filter((n) => n !== "tensor").map((n) => `import type * as pkg_${n.replace("-", "_")} from "@hone/${n}";`),
      "const t: Tensor = tensor([1, 2, 3]);",
      "const n: number = t.sum().item();",
      "export { n };",
    ].join("\n"));
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    expect(() => run("node", [tsc, "-p", "tsconfig.json"], project)).not.toThrow();
  });
});
