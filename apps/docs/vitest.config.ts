// The shared workspace config (its test and hook timeouts cover building and serving the site).
export { default } from "../../vitest.shared.ts";
