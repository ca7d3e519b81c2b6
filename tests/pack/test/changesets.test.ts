// Releases: a changeset bumps what it names and, of the packages that depend on it, only those
// whose range it leaves; the private apps are never versioned. Runs the changesets CLI on a
// copy of the workspace's package manifests in a fresh git repository.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const changeset = join(root, "node_modules", "@changesets", "cli", "bin.js");
const work = mkdtempSync(join(tmpdir(), "hone-changesets-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the manifests (and changeset config) in a new git repository, one commit on main. */
function copy(name: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, ".changeset"), { recursive: true });
  for (const f of ["package.json", "pnpm-workspace.yaml"]) cpSync(join(root, f), join(dir, f));
  cpSync(join(root, ".changeset", "config.json"), join(dir, ".changeset", "config.json"));
  for (const group of ["packages", "apps", "tests"]) {
    for (const p of readdirSync(join(root, group))) {
      if (!existsSync(join(root, group, p, "package.json"))) continue;
      mkdirSync(join(dir, group, p), { recursive: true });
      cpSync(join(root, group, p, "package.json"), join(dir, group, p, "package.json"));
    }
  }
  mkdirSync(join(dir, "bench"));
  cpSync(join(root, "bench", "package.json"), join(dir, "bench", "package.json"));
  const git = (...args: string[]): string => execFileSync("git", ["-c", "user.email=ci@hone", "-c", "user.name=ci", ...args], { cwd: dir, encoding: "utf8" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "base");
  return dir;
}

interface Status { releases: { name: string; type: string; oldVersion: string; newVersion: string }[] }

function status(dir: string, bumps: Record<string, string>): Status {
  writeFileSync(join(dir, ".changeset", "change.md"), `---\n${Object.entries(bumps).map(([p, b]) => `"${p}": ${b}`).join("\n")}\n---\n\nA change.\n`);
  execFileSync(process.execPath, [changeset, "status", "--output", "status.json"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const all = JSON.parse(readFileSync(join(dir, "status.json"), "utf8")) as Status;
  // "none": a dependent whose range is rewritten but which is not released.
  return { releases: all.releases.filter((r) => r.type !== "none") };
}

const PRIVATE = ["@hone/docs", "@hone/bench", "@hone/pack-test", "@hone/doc-examples"];

describe("changesets", () => {
  it("has nothing pending: the first release is 0.1.0 of every published package", () => {
    const pending = readdirSync(join(root, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
    expect(pending).toEqual([]);
    for (const p of ["tensor", "init", "optim", "data-split", "nn", "regularize", "gradcheck"]) {
      expect((JSON.parse(readFileSync(join(root, "packages", p, "package.json"), "utf8")) as { version: string }).version).toBe("0.1.0");
      expect(readFileSync(join(root, "packages", p, "CHANGELOG.md"), "utf8")).toMatch(/^# @hone\/\S+\n\n## 0\.1\.0\n/);
    }
  });

  it("a patch to tensor bumps tensor alone: its dependents' ranges (^0.1.0) still hold", () => {
    const s = status(copy("patch"), { "@hone/tensor": "patch" });
    expect(s.releases.map((r) => [r.name, r.type, r.newVersion])).toEqual([["@hone/tensor", "patch", "0.1.1"]]);
  });

  it("a patch to nn bumps nn alone, and never a private app", () => {
    const s = status(copy("nn"), { "@hone/nn": "patch" });
    expect(s.releases.map((r) => r.name)).toEqual(["@hone/nn"]);
  });

  it("a minor to tensor (0.2.0, out of ^0.1.0) bumps what depends on it, never a private app", () => {
    const s = status(copy("minor"), { "@hone/tensor": "minor" });
    const names = s.releases.map((r) => r.name).sort();
    expect(names).toContain("@hone/tensor");
    expect(names).toContain("@hone/nn");
    for (const p of PRIVATE) expect(names).not.toContain(p);
  });
});
