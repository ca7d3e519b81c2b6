// Single-file components as TypeScript sees them (their own <script> is checked by Vite, not tsc).
declare module "*.vue" {
  import type { DefineComponent } from "vue";
  const component: DefineComponent;
  export default component;
}
