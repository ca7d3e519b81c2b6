// The site's theme: VitePress's default theme, plus the playground component (used as
// <HonePlayground /> in playground.md), the playground page's wider layout, and the guide's
// "Run in your browser" button (<RunExample id="<page>/<region>" /> after an included example)
// figures (<HoneFigure id="<page>/<figure>">caption</HoneFigure>, computed on load) and the
// first model trained live with fitAsync (<LiveTraining />, on the home and getting-started pages).
import type { Theme } from "vitepress";
import DefaultTheme from "vitepress/theme";
import Playground from "../../src/playground/Playground.vue";
import RunExample from "../../src/run-example/RunExample.vue";
import HoneFigure from "../../src/figures/HoneFigure.vue";
import LiveTraining from "../../src/live/LiveTraining.vue";
import "./custom.css";

const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component("HonePlayground", Playground);
    app.component("RunExample", RunExample);
    app.component("HoneFigure", HoneFigure);
    app.component("LiveTraining", LiveTraining);
  },
};

export default theme;
