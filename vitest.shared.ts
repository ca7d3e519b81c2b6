// One Vitest configuration for every workspace package: workspace imports resolve to
// source through the private `@hone/source` export condition, so tests need no build.
import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig, mergeConfig } from "vitest/config";

const shared = defineConfig({
  resolve: { conditions: ["@hone/source", ...defaultClientConditions] },
  ssr: { resolve: { conditions: ["@hone/source", ...defaultServerConditions] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // CI's machine runs every package's tests at once on 2 cores, where the course's
    // 30,000-iteration experiments took 54–66 s (3× this machine): a timeout catches a
    // hang, not a slow machine, so it is generous and the same for every test and hook.
    testTimeout: 300_000,
    hookTimeout: 300_000,
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
