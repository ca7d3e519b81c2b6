// What the workloads share about Hone's models.
import type { Tensor } from "@hone/tensor";

/** A dense layer's weight `(out, in)` as TensorFlow.js's kernel `(in, out)`, in float32. */
export function kernelOf(weight: Tensor): Float32Array {
  const [out, inp] = weight.shape as [number, number];
  const k = new Float32Array(out * inp);
  for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) k[i * out + o] = weight.data[o * inp + i]!;
  return k;
}
