// The arithmetic ceiling of WebAssembly's 128-bit SIMD on this machine: a loop of independent
// f32x4 multiply-then-add chains (or relaxed-SIMD fused multiply-adds) with no memory access,
// in GFLOP/s. No matrix product in WebAssembly can run faster than this, so it is the bound
// for the `matmul` rows, beside OpenBLAS's AVX-512 kernels in NumPy and PyTorch.
//
//   node --import tsx src/simd-peak.ts                                     # multiply, add
//   node --experimental-wasm-relaxed-simd --import tsx src/simd-peak.ts   # and fused multiply-add
//
// The module is assembled here byte by byte (a few dozen instructions), so nothing else is
// needed to build it.

/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const f32x4Const = (x: number): number[] => [0xfd, 0x0c, ...Array.from({ length: 4 }, () => [...new Uint8Array(Float32Array.of(x).buffer)]).flat()];
const MUL = [0xfd, ...leb(230)], ADD = [0xfd, ...leb(228)], MADD = [0xfd, ...leb(0x105)];

/** `peak(iterations) → f32`: `chains` accumulators, each updated once an iteration. */
function module(chains: number, fused: boolean): Uint8Array {
  const get = (i: number): number[] => [0x20, ...leb(i)], set = (i: number): number[] => [0x21, ...leb(i)];
  // Locals: 0 = iterations, 1…chains the accumulators, then the factor b and the term c.
  const b = chains + 1, c = chains + 2;
  const body: number[] = [...vec([[...leb(chains + 2), 0x7b]])];
  for (let i = 1; i <= chains; i++) body.push(...f32x4Const(1 + i / 64), ...set(i));
  body.push(...f32x4Const(0.999), ...set(b), ...f32x4Const(1 / 1024), ...set(c));
  body.push(0x03, 0x40); // loop
  for (let i = 1; i <= chains; i++) {
    // acc_i = acc_i · b + c: a multiply and an add (or one fused multiply-add), 8 flops; the
    // chains are independent, and each converges to c/(1 − b), far from subnormals.
    if (fused) body.push(...get(i), ...get(b), ...get(c), ...MADD, ...set(i));
    else body.push(...get(i), ...get(b), ...MUL, ...get(c), ...ADD, ...set(i));
  }
  body.push(...get(0), 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b); // iterations − 1, tee, br_if 0, end
  body.push(...get(1), 0xfd, 0x1f, 0);
  for (let i = 2; i <= chains; i++) body.push(...get(i), 0xfd, 0x1f, 0, 0x92);
  body.push(0x0b);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 1, 0x7f, 1, 0x7d]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...leb(4), ...[..."peak"].map((c) => c.charCodeAt(0)), 0x00, 0]])),
    ...section(10, vec([[...leb(body.length), ...body]])),
  ];
  return Uint8Array.from(bytes);
}

/** The engine's WebAssembly API (this package's TypeScript settings have no DOM types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

function measure(chains: number, fused: boolean): number | null {
  const bytes = module(chains, fused);
  if (!WebAssembly.validate(bytes)) return null;
  const peak = (new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as { peak: (n: number) => number }).peak;
  peak(1e6); // optimized code
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const n = 2e7, t0 = performance.now();
    peak(n);
    best = Math.max(best, (n * chains * 8) / ((performance.now() - t0) / 1000) / 1e9);
  }
  return best;
}

for (const fused of [false, true]) {
  for (const chains of [8, 12, 14]) {
    const g = measure(chains, fused);
    const what = fused ? "f32x4.relaxed_madd" : "f32x4.mul + f32x4.add";
    console.log(g === null ? `${what}: not available (Node 20 needs --experimental-wasm-relaxed-simd)` : `${what}, ${chains} chains: ${g.toFixed(1)} GFLOP/s`);
    if (g === null) break;
  }
}
