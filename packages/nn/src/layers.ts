// Layers: Linear, the activation modules, and the containers.
import { heNormal, lecunNormal, xavierNormal, zeros, type Initializer } from "@hone/init";
import {
  ArgumentError, DTypeError, ShapeError, add, formatShape, leakyRelu, linear, matmul, relu, reshape, sigmoid, softmax, tanh,
  type DType, type LinearActivation, type Rng, type Tensor,
} from "@hone/tensor";
import { Conv2d } from "./conv-layers.js";
import { Module, type ModuleConfig } from "./module.js";

/** Options for `Linear`. */
export interface LinearOptions {
  /** Weight initializer, called with shape `[out, in]`. Default `lecunNormal` (variance 1/fanIn). */
  init?: Initializer;
  /** Bias initializer, called with shape `[out]`. Default `zeros` (draws nothing). */
  biasInit?: Initializer;
  /** Whether the layer has a bias. Default `true`. */
  bias?: boolean;
  /** The generator random initializers draw from (required by random initializers). */
  rng?: Rng;
  /** Parameter dtype. Default `"float64"`. */
  dtype?: DType;
}

function checkUnits(op: string, name: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) throw new ArgumentError(`${op}: ${name} must be a positive integer, got ${String(n)}`);
  return n;
}

/**
 * A fully connected layer `y = x·Wᵀ + b`, with `W` of shape `(out, in)` (as `W[l]` is
 * `(n[l], n[l−1])` in the course and in PyTorch) and `b` of shape `(out)`.
 *
 * @example
 * ```ts
 * import { Linear } from "@hone/nn";
 * import { rng, tensor } from "@hone/tensor";
 * const layer = new Linear(2, 3, { rng: rng(0) });
 * layer.forward(tensor([[1, 2]])).shape; // [1, 3]
 * ```
 */
export class Linear extends Module {
  /** Weight, shape `(out, in)`. */
  readonly weight: Tensor;
  /** Bias, shape `(out)`, or null without bias. */
  readonly bias: Tensor | null;
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    this.inFeatures = checkUnits("Linear", "inFeatures", inFeatures);
    this.outFeatures = checkUnits("Linear", "outFeatures", outFeatures);
    const dtype = options.dtype ?? "float64";
    const context = { rng: options.rng, dtype, fanIn: inFeatures, fanOut: outFeatures };
    const w = (options.init ?? lecunNormal)([outFeatures, inFeatures], context);
    checkInit("weight", w, [outFeatures, inFeatures], dtype);
    this.weight = this.registerParameter("weight", w);
    if (options.bias ?? true) {
      const b = (options.biasInit ?? zeros)([outFeatures], context);
      checkInit("bias", b, [outFeatures], dtype);
      this.bias = this.registerParameter("bias", b);
    } else this.bias = null;
  }

  forward(x: Tensor): Tensor {
    if (x.rank < 2 || x.shape[x.rank - 1] !== this.inFeatures) {
      throw new ShapeError(`Linear(${this.inFeatures} → ${this.outFeatures}): input has shape ${formatShape(x.shape)}, expected [batch, ${this.inFeatures}]`);
    }
    return this.forwardWith(x, "none");
  }

  /** `act(x·Wᵀ + b)` as one fused op for 2-D input (what Sequential uses for Linear → ReLU). */
  forwardWith(x: Tensor, activation: LinearActivation): Tensor {
    if (x.rank === 2) return linear(x, this.weight, this.bias, activation);
    const z = matmul(x, this.weight, { transposeB: true });
    const y = this.bias === null ? z : add(z, this.bias);
    return activation === "relu" ? relu(y) : y;
  }

  getConfig(): ModuleConfig {
    return { type: "Linear", config: { inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null, dtype: this.weight.dtype } };
  }
}

function checkInit(name: string, t: Tensor, shape: number[], dtype: DType): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`Linear: the ${name} initializer returned shape ${formatShape(t.shape)}, expected ${formatShape(shape)}`);
  }
  if (t.dtype !== dtype) throw new DTypeError(`Linear: the ${name} initializer returned ${t.dtype}, expected ${dtype}`);
}

/** `max(x, 0)`. @example `new ReLU().forward(tensor([-1, 2]))  // [0, 2]` */
export class ReLU extends Module {
  forward(x: Tensor): Tensor { return relu(x); }
  getConfig(): ModuleConfig { return { type: "ReLU", config: {} }; }
}

/** `x` for x > 0, else `slope·x`. @example `new LeakyReLU(0.1).forward(tensor([-10]))  // [-1]` */
export class LeakyReLU extends Module {
  /** The slope for negative inputs. */
  readonly slope: number;
  constructor(slope = 0.01) {
    super();
    if (!Number.isFinite(slope) || slope < 0) throw new ArgumentError(`LeakyReLU: slope must be a finite number ≥ 0, got ${slope}`);
    this.slope = slope;
  }
  forward(x: Tensor): Tensor { return leakyRelu(x, this.slope); }
  getConfig(): ModuleConfig { return { type: "LeakyReLU", config: { slope: this.slope } }; }
}

/** Hyperbolic tangent. @example `new Tanh().forward(tensor([0]))  // [0]` */
export class Tanh extends Module {
  forward(x: Tensor): Tensor { return tanh(x); }
  getConfig(): ModuleConfig { return { type: "Tanh", config: {} }; }
}

/** Logistic sigmoid `1/(1+e⁻ˣ)`. @example `new Sigmoid().forward(tensor([0]))  // [0.5]` */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor { return sigmoid(x); }
  getConfig(): ModuleConfig { return { type: "Sigmoid", config: {} }; }
}

/** Softmax over `axis` (default the last). @example `new Softmax().forward(tensor([[0, 0]]))  // [[0.5, 0.5]]` */
export class Softmax extends Module {
  readonly axis: number;
  constructor(axis = -1) {
    super();
    if (!Number.isInteger(axis)) throw new ArgumentError(`Softmax: axis must be an integer, got ${axis}`);
    this.axis = axis;
  }
  forward(x: Tensor): Tensor { return softmax(x, this.axis); }
  getConfig(): ModuleConfig { return { type: "Softmax", config: { axis: this.axis } }; }
}

/** Passes its input through unchanged. @example `new Identity().forward(x) === x` */
export class Identity extends Module {
  forward(x: Tensor): Tensor { return x; }
  getConfig(): ModuleConfig { return { type: "Identity", config: {} }; }
}

/**
 * Reshapes each example, keeping the batch axis: `(batch, …)` → `(batch, ...shape)`. Put it
 * first to feed flat rows (a CSV's 64 pixel columns) to image layers: `new Reshape([8, 8, 1])`
 * before a `Conv2d`. The example's size must match (`shape`'s product), or `forward` throws.
 *
 * @example `new Reshape([2, 2, 1]).forward(zeros([3, 4])).shape  // [3, 2, 2, 1]`
 */
export class Reshape extends Module {
  readonly shape: readonly number[];
  constructor(shape: readonly number[]) {
    super();
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new ArgumentError(`Reshape: shape must be a non-empty array of positive integers (each example's shape), got ${JSON.stringify(shape)}`);
    }
    this.shape = shape.slice();
  }
  forward(x: Tensor): Tensor {
    const size = this.shape.reduce((a, b) => a * b, 1);
    const batch = x.shape[0] ?? 1;
    if (x.size !== batch * size) throw new ShapeError(`Reshape: each example must have ${size} values for shape [${this.shape.join(", ")}], got input of shape [${x.shape.join(", ")}]`);
    return reshape(x, [batch, ...this.shape]);
  }
  getConfig(): ModuleConfig { return { type: "Reshape", config: { shape: this.shape.slice() } }; }
}

/** Flattens every axis after the first: `(batch, h, w, c)` → `(batch, h·w·c)`. @example `new Flatten().forward(zeros([2, 3, 4])).shape  // [2, 12]` */
export class Flatten extends Module {
  forward(x: Tensor): Tensor { return reshape(x, [x.shape[0] ?? 1, -1]); }
  getConfig(): ModuleConfig { return { type: "Flatten", config: {} }; }
}

/** An ordered list of modules (so a container's parameters read `layers.0.weight`). */
export class ModuleList extends Module {
  readonly items: readonly Module[];
  constructor(items: readonly Module[]) {
    super();
    items.forEach((m, i) => this.registerModule(String(i), m));
    this.items = items.slice();
  }
  forward(_x: Tensor): Tensor {
    throw new ArgumentError("ModuleList: a list has no forward pass; use Sequential to chain modules");
  }
  getConfig(): ModuleConfig {
    return { type: "ModuleList", config: {}, children: this.items.map((m) => m.getConfig()) };
  }
}

/**
 * Chains modules: the output of each is the input of the next. Parameters are named
 * `layers.<index>.<name>`.
 *
 * @example
 * ```ts
 * import { Sequential, Linear, ReLU } from "@hone/nn";
 * import { rng } from "@hone/tensor";
 * const r = rng(1);
 * const model = new Sequential([new Linear(2, 4, { rng: r }), new ReLU(), new Linear(4, 1, { rng: r })]);
 * model.namedParameters().map(([name]) => name); // ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"]
 * ```
 */
export class Sequential extends Module {
  readonly layers: ModuleList;
  constructor(layers: readonly Module[]) {
    super();
    if (!Array.isArray(layers as unknown)) throw new ArgumentError(`Sequential: layers must be an array of modules, got ${typeof layers}`);
    layers.forEach((m, i) => {
      if (!(m instanceof Module)) throw new ArgumentError(`Sequential: layers[${i}] must be a Module, got ${typeof m}`);
    });
    this.layers = this.registerModule("layers", new ModuleList(layers));
  }
  forward(x: Tensor): Tensor {
    const items = this.layers.items;
    let y = x;
    for (let i = 0; i < items.length; i++) {
      const layer = items[i]!, next = items[i + 1];
      // Linear or Conv2d followed by a plain ReLU runs as one fused op (same numbers, fewer buffers).
      if ((layer.constructor === Linear || layer.constructor === Conv2d) && next?.constructor === ReLU) {
        y = (layer as Linear | Conv2d).forwardWith(y, "relu");
        i++;
      } else y = layer.forward(y);
    }
    return y;
  }
  getConfig(): ModuleConfig {
    return { type: "Sequential", config: {}, children: this.layers.items.map((m) => m.getConfig()) };
  }
}

/** Hidden activations `mlp` understands. */
export type Activation = "relu" | "leakyRelu" | "tanh" | "sigmoid";

/** What `mlp` puts after the last Linear: nothing (logits), a sigmoid, or a softmax. */
export type OutputActivation = "linear" | "sigmoid" | "softmax";

/** Options for `mlp`. */
export interface MlpOptions {
  /** Hidden-layer activation. Default `"relu"`. */
  activation?: Activation;
  /** Output activation. Default `"linear"`: the model returns logits (pair it with a `…WithLogits` loss). */
  output?: OutputActivation;
  /** Weight initializer. Default by activation: He for relu/leakyRelu, Glorot (`xavierNormal`) for tanh/sigmoid. */
  init?: Initializer;
  /** Bias initializer. Default `zeros`. */
  biasInit?: Initializer;
  /** The generator weights are drawn from, layer by layer (W1, W2, …). Required for random initializers. */
  rng?: Rng;
  /** Parameter dtype. Default `"float64"`. */
  dtype?: DType;
  /** Negative slope for `leakyRelu`. Default 0.01. */
  slope?: number;
  /** Modules to insert after each hidden layer's activation (dropout); index counts hidden layers from 0. */
  afterHidden?: (index: number, units: number) => Module | readonly Module[] | null;
}

/** The module of a hidden activation (`slope`: leakyRelu's negative slope, default 0.01). */
export function activationLayer(activation: Activation, slope?: number): Module {
  return activation === "relu" ? new ReLU() : activation === "leakyRelu" ? new LeakyReLU(slope) : activation === "tanh" ? new Tanh() : new Sigmoid();
}

/** Checks a hidden activation's name for `fn`'s message. */
export function checkActivation(fn: string, activation: unknown): asserts activation is Activation {
  if (!["relu", "leakyRelu", "tanh", "sigmoid"].includes(activation as string)) throw new ArgumentError(`${fn}: activation must be relu, leakyRelu, tanh or sigmoid, got ${JSON.stringify(activation)}`);
}

/** The default weight initializer for a hidden activation. */
export function defaultInit(activation: Activation): Initializer {
  return activation === "relu" || activation === "leakyRelu" ? heNormal : xavierNormal;
}

/**
 * A multilayer perceptron from layer sizes, input first: `mlp([2, 20, 3, 1])` is
 * Linear(2→20), ReLU, Linear(20→3), ReLU, Linear(3→1). Weights are drawn layer by layer
 * from `rng` in that order, biases start at zero: the course's draw order.
 *
 * @example
 * ```ts
 * import { mlp } from "@hone/nn";
 * import { rng } from "@hone/tensor";
 * const model = mlp([2, 20, 3, 1], { rng: rng(3) }); // He init for ReLU, logits out
 * model.parameters().length; // 6
 * ```
 */
export function mlp(sizes: readonly number[], options: MlpOptions = {}): Sequential {
  if (!Array.isArray(sizes as unknown) || sizes.length < 2) throw new ArgumentError(`mlp: sizes must list at least an input and an output size, got ${JSON.stringify(sizes)}`);
  sizes.forEach((n, i) => checkUnits("mlp", `sizes[${i}]`, n));
  const activation = options.activation ?? "relu";
  const output = options.output ?? "linear";
  checkActivation("mlp", activation);
  if (!["linear", "sigmoid", "softmax"].includes(output)) throw new ArgumentError(`mlp: output must be linear, sigmoid or softmax, got ${JSON.stringify(output)}`);
  const init = options.init ?? defaultInit(activation);
  const layers: Module[] = [];
  for (let l = 1; l < sizes.length; l++) {
    layers.push(new Linear(sizes[l - 1]!, sizes[l]!, { init, biasInit: options.biasInit, rng: options.rng, dtype: options.dtype }));
    if (l < sizes.length - 1) {
      layers.push(activationLayer(activation, options.slope));
      const extra = options.afterHidden?.(l - 1, sizes[l]!);
      if (extra) layers.push(...(Array.isArray(extra) ? (extra as readonly Module[]) : [extra as Module]));
    }
  }
  if (output === "sigmoid") layers.push(new Sigmoid());
  if (output === "softmax") layers.push(new Softmax());
  return new Sequential(layers);
}
