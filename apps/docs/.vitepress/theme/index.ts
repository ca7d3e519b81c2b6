// The site's theme: VitePress's default theme, plus the playground component (used as
// <HonePlayground /> in playground.md) and the playground page's wider layout.
import type { Theme } from "vitepress";
import DefaultTheme from "vitepress/theme";
import Playground from "../../src/playground/Playground.vue";
import "./custom.css";

const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component("HonePlayground", Playground);
  },
};

export default theme;
