// One Vitest configuration for every workspace package: workspace imports resolve to
// source through the private `@hone/source` export condition, so tests need no build.
import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig, mergeConfig } from "vitest/config";

const shared = defineConfig({
  resolve: { conditions: ["@hone/source", ...defaultClientConditions] },
  ssr: { resolve: { conditions: ["@hone/source", ...defaultServerConditions] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    // Cleanup hooks remove temporary projects with their node_modules: seconds on a slow disk.
    hookTimeout: 120_000,
  },
});

export default shared;

/**
 * The library packages' configuration: every test file runs twice, once on each tensor
 * backend (`HONE_BACKEND` is read by @hone/tensor when no backend was set), as the
 * projects `ts` and `wasm`; on `wasm`, every product and element-wise op the kernels
 * cover runs in WebAssembly, however small (`HONE_WASM_MIN_SIZE=0`).
 */
export const bothBackends = mergeConfig(shared, {
  test: {
    projects: (["ts", "wasm"] as const).map((backend) => ({
      extends: true as const,
      test: { name: backend, env: { HONE_BACKEND: backend, HONE_WASM_MIN_SIZE: "0" } },
    })),
  },
});
