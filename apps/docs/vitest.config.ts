// The shared workspace config; the browser tests build and serve the site, which takes a while.
import { mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

export default mergeConfig(shared, {
  test: {
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
