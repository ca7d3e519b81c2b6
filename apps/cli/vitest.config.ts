// The shared workspace config, plus a global setup that builds the CLI (and any stale
// workspace package it depends on) once, so the end-to-end tests run the built `hone`.
import { mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

export default mergeConfig(shared, {
  test: {
    globalSetup: ["./test/global-setup.ts"],
  },
});
