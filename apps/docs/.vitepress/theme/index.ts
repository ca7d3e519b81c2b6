// The site's theme: VitePress's default theme, plus the playground component (used as
// <HonePlayground /> in playground.md), the playground page's wider layout, and the guide's
// "Run in your browser" button (<RunExample id="<page>/<region>" /> after an included example).
import type { Theme } from "vitepress";
import DefaultTheme from "vitepress/theme";
import Playground from "../../src/playground/Playground.vue";
import RunExample from "../../src/run-example/RunExample.vue";
import "./custom.css";

const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component("HonePlayground", Playground);
    app.component("RunExample", RunExample);
  },
};

export default theme;
