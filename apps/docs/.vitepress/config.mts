// The site's configuration. Pages are Markdown under apps/docs; the workspace packages are
// imported from source (the "@hone/source" export condition), so the site always shows
// the code in this checkout.
import { existsSync } from "node:fs";
import { defineConfig } from "vitepress";

// The API reference is generated into api/ by TypeDoc (`pnpm build` runs it first), one
// folder per package.
const packages = ["tensor", "init", "optim", "data-split", "nn", "regularize", "gradcheck"];
// The playground page is written alongside the guide; until it exists, links to it are not
// dead links that should stop a build of the guide.
const hasPlayground = existsSync(new URL("../playground.md", import.meta.url));

export default defineConfig({
  title: "Hone",
  description: "The practical craft of training neural networks, in TypeScript: exact, seeded, verified.",
  cleanUrls: true,
  head: [["link", { rel: "icon", type: "image/svg+xml", href: "/favicon.svg" }]],
  srcExclude: ["**/README.md", "examples/**", "test/**", "test-output/**"],
  ignoreDeadLinks: hasPlayground ? false : [/^\/playground$/],
  vite: {
    resolve: { conditions: ["@hone/source"] },
    ssr: { resolve: { conditions: ["@hone/source"], externalConditions: ["@hone/source"] } },
    worker: { format: "es" },
    // Ship class private fields (#x) as they are: down-levelled to WeakMaps (Vite's default
    // target) they make training in the playground's worker up to 10× slower.
    build: { target: "es2022" },
  },
  themeConfig: {
    logo: "/logo.svg",
    socialLinks: [{ icon: "github", link: "https://github.com/hone-ml/hone" }],
    nav: [
      { text: "Guide", link: "/guide/getting-started" },
      { text: "Playground", link: "/playground" },
      { text: "API", link: "/api/" },
    ],
    sidebar: {
      "/guide/": [
        { text: "Start", items: [{ text: "Getting started", link: "/guide/getting-started" }] },
        {
          text: "Setting up",
          items: [
            { text: "Train, dev and test sets", link: "/guide/train-dev-test" },
            { text: "Bias and variance", link: "/guide/bias-variance" },
            { text: "Normalizing inputs", link: "/guide/normalizing-inputs" },
            { text: "Weight initialization", link: "/guide/initialization" },
            { text: "Real tables", link: "/guide/real-tables" },
          ],
        },
        {
          text: "Regularization",
          items: [
            { text: "L2 regularization", link: "/guide/l2-regularization" },
            { text: "Dropout", link: "/guide/dropout" },
            { text: "Augmentation and early stopping", link: "/guide/other-regularization" },
          ],
        },
        {
          text: "Checking and optimizing",
          items: [
            { text: "Vanishing and exploding gradients", link: "/guide/vanishing-exploding-gradients" },
            { text: "Gradient checking", link: "/guide/gradient-checking" },
            { text: "Optimizers and schedules", link: "/guide/optimizers" },
          ],
        },
      ],
      "/api/": [
        {
          text: "API reference",
          items: [
            { text: "Overview", link: "/api/" },
            ...packages.map((name) => ({ text: `@hone/${name}`, link: `/api/@hone/${name}/` })),
          ],
        },
      ],
    },
    search: { provider: "local" },
  },
});
