// Flat, type-checked typescript-eslint configuration shared by every workspace package.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/.turbo/**", "**/coverage/**", "**/*.config.*", "vitest.shared.ts", "apps/docs/.vitepress/cache/**", "apps/docs/.vitepress/dist/**", "apps/docs/api/**", "packages/tensor/wasm/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      // Indexed reads carry `!` in hot numeric loops whether or not a package enables
      // noUncheckedIndexedAccess; both styles are accepted.
      "@typescript-eslint/no-unnecessary-type-assertion": "off",
      "@typescript-eslint/consistent-type-exports": "error",
      "@typescript-eslint/explicit-module-boundary-types": "error",
      "no-restricted-imports": ["error", { patterns: [{ group: ["@hone/*/src/*", "@hone/*/src"], message: "Import a workspace package through its public entry point." }] }],
      "no-restricted-globals": ["error", { name: "Math.random", message: "Randomness is an argument: take an Rng." }],
      "no-restricted-properties": ["error", { object: "Math", property: "random", message: "Randomness is an argument: take an Rng." }],
    },
  },
  {
    // Tests, case tables and test helpers are not published API.
    files: ["**/*.test.ts", "**/*.cases.ts", "**/test-*.ts", "**/test/**/*.ts"],
    rules: { "@typescript-eslint/explicit-module-boundary-types": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Build scripts run in Node.
    files: ["**/scripts/**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly" } },
    rules: { "@typescript-eslint/explicit-module-boundary-types": "off" },
  },
);
