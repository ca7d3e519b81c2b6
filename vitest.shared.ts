// One Vitest configuration for every workspace package: workspace imports resolve to
// source through the private `@hone/source` export condition, so tests need no build.
import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig, mergeConfig } from "vitest/config";

/** Where a package's tests are. */
const include = ["src/**/*.test.ts", "test/**/*.test.ts"];

const base = defineConfig({
  resolve: { conditions: ["@hone/source", ...defaultClientConditions] },
  ssr: { resolve: { conditions: ["@hone/source", ...defaultServerConditions] } },
  test: {
    // CI's machine runs every package's tests at once on 2 cores, where the course's
    // 30,000-iteration experiments took 54–66 s (3× this machine): a timeout catches a
    // hang, not a slow machine, so it is generous and the same for every test and hook.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});

const shared = mergeConfig(base, defineConfig({ test: { include } }));

export default shared;

/** A test project of {@link backendProjects}: its own name, files, environment and Node flags. */
export interface ExtraProject {
  name: string;
  include: string[];
  env: Record<string, string>;
  execArgv?: string[];
}

/**
 * The library packages' configuration: every test file runs twice, once on each tensor
 * backend (`HONE_BACKEND` is read by @hone/tensor when no backend was set), as the
 * projects `ts` and `wasm`; on `wasm`, every product and element-wise op the kernels
 * cover runs in WebAssembly, however small (`HONE_WASM_MIN_SIZE=0`). `extra` adds projects
 * (each names its own files: a project's `include` would otherwise add to the root's).
 */
export function backendProjects(extra: readonly ExtraProject[] = []) {
  const projects = [
    ...(["ts", "wasm"] as const).map((backend) => ({ name: backend, include, env: { HONE_BACKEND: backend, HONE_WASM_MIN_SIZE: "0" } })),
    ...extra,
  ];
  return mergeConfig(base, defineConfig({
    test: { projects: projects.map((test) => ({ extends: true as const, test })) },
  }));
}

export const bothBackends = backendProjects();
