// One Vitest configuration for every workspace package: workspace imports resolve to
// source through the private `@hone/source` export condition, so tests need no build.
import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@hone/source", ...defaultClientConditions] },
  ssr: { resolve: { conditions: ["@hone/source", ...defaultServerConditions] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
