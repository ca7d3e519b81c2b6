// @hone/tensor: the public surface. Everything importable is listed here by name.
export type { Backend, BinaryOp, Data, DType, ReduceOp, UnaryOp } from "./backend.js";
export { tsBackend } from "./ts-backend.js";
export { HoneError, ShapeError, DTypeError, ArgumentError, describe } from "./errors.js";
export type { Shape } from "./shape.js";
export { sizeOf, stridesOf, sameShape, formatShape, broadcastShapes, normalizeAxes } from "./shape.js";
export type { BackwardRule, CustomOpSpec, GradNode, NestedArray } from "./tensor.js";
export {
  Tensor, isTensor, backward, customOp, noGrad, isGradEnabled, record, setBackend, getBackend, assertFloat64,
} from "./tensor.js";
export type { FromDataOptions, TensorOptions } from "./creation.js";
export { tensor, zeros, ones, full, zerosLike, onesLike, arange, linspace, eye, empty } from "./creation.js";
export { withScratch } from "./scratch.js";
export type { Axis, LinearActivation, MatmulOptions, TensorLike } from "./ops.js";
export {
  add, sub, mul, div, pow, neg, exp, log, sqrt, square, abs, sign, maximum, minimum, clip,
  relu, leakyRelu, sigmoid, tanh, cast,
  equal, notEqual, less, lessEqual, greater, greaterEqual, where,
  sum, mean, max, min, argmax, argmin, variance, norm, logSumExp, softmax, logSoftmax,
  reshape, broadcastTo, transpose, matmul, linear, slice, concat, stack, gatherRows, scatterAddRows, sumTo,
} from "./ops.js";
export type { ChoiceOptions, MutableArrayLike, RngState } from "./random.js";
export { Rng, rng, randomState } from "./random.js";
export { randn, rand } from "./random-tensor.js";
export { libm } from "./libm.js";
export type { WasmBackend, WasmBackendOptions } from "./wasm-backend.js";
export { createWasmBackend, loadWasmBackend, wasmRelaxedSimdSupported, wasmSimdSupported } from "./wasm-backend.js";
export type { AvgPool2dOptions, Conv2dOptions, Padding2d, Pool2dOptions, Size2d } from "./conv.js";
export { conv2d, conv2dOutputSize, maxPool2d, avgPool2d } from "./conv.js";
