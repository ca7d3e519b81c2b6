// Both backends (../../vitest.shared.ts), and a third project, `wasm-fma`: the WebAssembly
// backend's tests in an engine with relaxed SIMD, so the float32 fused multiply-add kernels
// (chosen by feature detection) are tested too. Node 20 has relaxed SIMD only behind
// --experimental-wasm-relaxed-simd; Node ≥ 22 has it on.
import { backendProjects } from "../../vitest.shared.ts";

const nodeMajor = Number(process.versions.node.split(".")[0]);

export default backendProjects([{
  name: "wasm-fma",
  include: ["src/wasm-backend.test.ts"],
  execArgv: nodeMajor < 22 ? ["--experimental-wasm-relaxed-simd"] : [],
  env: { HONE_BACKEND: "wasm", HONE_WASM_MIN_SIZE: "0", HONE_EXPECT_RELAXED_SIMD: "1" },
}]);
