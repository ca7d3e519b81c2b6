// Every library package, packed as it would be published, installs into an empty project
// outside the workspace, imports under Node and type-checks against its declarations.
// Turbo builds the packages first (`@hone/pack-test#test` depends on `^build`).
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const libraries = ["tensor", "init", "optim", "data-split", "nn", "regularize", "gradcheck"];
const work = mkdtempSync(join(tmpdir(), "hone-pack-"));
const project = join(work, "project");

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

const tarballs: Record<string, string> = {};

beforeAll(() => {
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
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("packed packages", () => {
  it("ship dist, package.json, README, LICENSE and CHANGELOG, with caret ranges and no workspace-only export", () => {
    const license = readFileSync(join(root, "LICENSE"), "utf8");
    for (const name of libraries) {
      const dir = join(project, "node_modules", "@hone", name);
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; devDependencies?: Record<string, string>; exports: Record<string, Record<string, string>>; repository: { url: string } };
      // The workspace's .pnpmfile.cjs drops devDependencies (some name private packages) at packing.
      expect(pkg.devDependencies, name).toBeUndefined();
      for (const [dep, range] of [...Object.entries(pkg.dependencies ?? {}), ...Object.entries(pkg.peerDependencies ?? {})]) if (dep.startsWith("@hone/")) expect(range, dep).toMatch(/^\^\d/);
      if (name !== "tensor") expect(pkg.peerDependencies?.["@hone/tensor"]).toMatch(/^\^/);
      expect(JSON.stringify(pkg.exports)).not.toContain("@hone/source");
      expect(pkg.repository.url).toMatch(/^git\+https:/);
      const files = readdirSync(dir).sort();
      expect(files.filter((f) => !["dist", "package.json", "README.md", "LICENSE", "CHANGELOG.md"].includes(f))).toEqual([]);
      expect(readFileSync(join(dir, "LICENSE"), "utf8")).toBe(license);
      expect(files).toContain("CHANGELOG.md");
      // Source maps carry their sources: nothing points at an unshipped src/.
      const map = JSON.parse(readFileSync(join(dir, "dist", "index.js.map"), "utf8")) as { sourcesContent?: string[] };
      expect(map.sourcesContent?.length).toBeGreaterThan(0);
      expect(readdirSync(join(dir, "dist")).some((f) => f.endsWith(".d.ts.map"))).toBe(false);
    }
  });

  it("pass publint (strict) and arethetypeswrong (ESM only)", () => {
    const bin = join(root, "tests", "pack", "node_modules", ".bin");
    for (const tarball of Object.values(tarballs)) {
      const file = tarball.replace(/^file:/, "");
      expect(() => run(join(bin, "publint"), ["--strict", file], work), `publint ${file}`).not.toThrow();
      if (file.includes("hone-cli-")) continue; // an application: no types to check
      expect(() => run(join(bin, "attw"), ["--pack", "--profile", "esm-only", file], work), `attw ${file}`).not.toThrow();
    }
  }, 300_000); // 16 tool runs of a few seconds each; slower on a busy 2-core machine (CI timed out at 60 s)

  it("run the README's first model with a second copy of @hone/tensor nested under @hone/nn", () => {
    const nested = join(work, "nested");
    cpSync(project, nested, { recursive: true });
    // A physical second copy: @hone/nn and its siblings resolve their own @hone/tensor.
    for (const name of libraries.filter((n) => n !== "tensor")) {
      const inner = join(nested, "node_modules", "@hone", name, "node_modules", "@hone");
      mkdirSync(inner, { recursive: true });
      cpSync(join(nested, "node_modules", "@hone", "tensor"), join(inner, "tensor"), { recursive: true, dereference: true });
    }
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const code = /## A first model\n\n```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    writeFileSync(join(nested, "first-model.mjs"), `${code}\nconsole.log(JSON.stringify({ epochs: history.epochs.length, dev: history.epochs.at(-1).dev }));\n`);
    const check = 'import { createRequire } from "node:module"; const r = createRequire(import.meta.resolve("@hone/nn")); console.log(r.resolve("@hone/tensor") !== createRequire(import.meta.url).resolve("@hone/tensor"));';
    writeFileSync(join(nested, "copies.mjs"), check);
    expect(run("node", ["copies.mjs"], nested).trim()).toBe("true");
    const out = JSON.parse(run("node", ["first-model.mjs"], nested).trim().split("\n").at(-1)!) as { epochs: number; dev: { accuracy: number } };
    expect(out.epochs).toBe(100);
    expect(out.dev.accuracy).toBeGreaterThan(0.9);
  });

  it("bundle the README's first model for a browser without the threaded WebAssembly kernels", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const code = /## A first model\n\n```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    writeFileSync(join(project, "bundle-entry.mjs"), `${code}\nconsole.log(history.epochs.length);\n`);
    const outdir = join(work, "bundle");
    const result = buildSync({
      entryPoints: [join(project, "bundle-entry.mjs")], absWorkingDir: project, bundle: true, splitting: true, format: "esm",
      platform: "browser", minify: true, outdir, metafile: true, write: true, logLevel: "silent",
    });
    const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith(".js"));
    const entry = outputs.find(([, o]) => o.entryPoint !== undefined)!;
    const loaded = [entry[0], ...entry[1].imports.filter((i) => i.kind === "import-statement").map((i) => i.path)];
    const text = (file: string): string => readFileSync(join(project, file), "utf8");
    const sharedSource = readFileSync(join(root, "packages", "tensor", "src", "wasm-module-shared.ts"), "utf8");
    const sharedBase64 = /WASM_SHARED_BASE64 = "([^"]+)"/.exec(sharedSource)![1]!;
    // What the page loads at start has the ordinary kernels only; the shared-memory variant is
    // in a chunk of its own, fetched by loadWasmBackend({ threads > 1 }) alone.
    for (const file of loaded) expect(text(file).includes(sharedBase64), file).toBe(false);
    const lazy = outputs.filter(([file]) => !loaded.includes(file));
    expect(lazy.some(([file]) => text(file).includes(sharedBase64))).toBe(true);
    const gzip = loaded.reduce((n, file) => n + gzipSync(text(file)).length, 0);
    // About 36.6 kB before libm (the correctly rounded exp/log/tanh/sin/cos that give every engine
    // the same bits: 3.9 kB gzip minified), 40.5 kB with it, 42.8 kB with the fused backward
    // kernels, 44.4 kB with the float32 optimizer kernels and the transposed packing (each of
    // the two kernel builds in the bundle, plain and relaxed SIMD, grew 0.8 kB gzip as base64);
    // the bound keeps 1.6 kB of room.
    expect(gzip).toBeLessThan(46_000);
    console.log(`first model bundle: ${loaded.length} file(s) loaded at start, ${(gzip / 1000).toFixed(1)} kB gzip; shared kernels in a lazy chunk`);
  });

  it("ship the CLI built: bin, dist, its data and README, no TypeScript source", () => {
    const dir = join(project, "node_modules", "@hone", "cli");
    expect(readdirSync(dir).filter((f) => !["bin", "dist", "data", "package.json", "README.md", "LICENSE", "CHANGELOG.md"].includes(f))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { bin: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg.bin.hone).toBe("./bin/hone.js");
    expect(Object.keys(pkg.dependencies)).not.toContain("tsx");
    for (const range of Object.values(pkg.dependencies)) expect(range).not.toMatch(/^workspace:/);
  });

  it("run `npx hone train` in the empty project", () => {
    const version = (JSON.parse(readFileSync(join(root, "apps", "cli", "package.json"), "utf8")) as { version: string }).version;
    expect(run("npx", ["--no-install", "hone", "--version"], project).trim()).toBe(version);
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
