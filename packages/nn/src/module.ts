// Module: the unit a model is built from. A module owns named parameters and named child
// modules, has a train/eval mode that reaches every child, and a state dict.
import { ArgumentError, ShapeError, Tensor, formatShape, sameShape } from "@hone/tensor";

/** A module's architecture as JSON: enough to rebuild it, without its weights. */
export interface ModuleConfig {
  /** The layer type, the key its builder is found under when loading (`"Linear"`). */
  type: string;
  /** The constructor arguments that define the layer (sizes, slopes, …). */
  config: Record<string, unknown>;
  /** Child modules' configs, in order (containers only). */
  children?: ModuleConfig[];
}

/**
 * The base class of every layer and model. Subclasses register parameters and children
 * in their constructor and implement `forward` and `getConfig`.
 *
 * @example
 * ```ts
 * import { Module, type ModuleConfig } from "@hone/nn";
 * import { tensor, mul, type Tensor } from "@hone/tensor";
 * class Scale extends Module {
 *   readonly factor: Tensor;
 *   constructor() { super(); this.factor = this.registerParameter("factor", tensor([2])); }
 *   forward(x: Tensor): Tensor { return mul(x, this.factor); }
 *   getConfig(): ModuleConfig { return { type: "Scale", config: {} }; }
 * }
 * new Scale().namedParameters(); // [["factor", Tensor]]
 * ```
 */
export abstract class Module {
  /** True in training mode (dropout active), false in evaluation mode. */
  training = true;
  readonly #params = new Map<string, Tensor>();
  readonly #children = new Map<string, Module>();

  /** Computes the module's output. */
  abstract forward(x: Tensor): Tensor;

  /** The architecture (not the weights) as JSON, for saving and loading. */
  abstract getConfig(): ModuleConfig;

  /** Same as `forward`. */
  call(x: Tensor): Tensor {
    return this.forward(x);
  }

  /** Registers a trainable parameter under `name`; marks it `requiresGrad`. */
  protected registerParameter(name: string, value: Tensor): Tensor {
    checkName(name, this.#params, this.#children);
    value.requiresGrad = true;
    this.#params.set(name, value);
    return value;
  }

  /** Registers a child module under `name`. */
  protected registerModule<M extends Module>(name: string, module: M): M {
    checkName(name, this.#params, this.#children);
    if (!(module instanceof Module)) throw new ArgumentError(`registerModule: '${name}' must be a Module, got ${typeof module}`);
    this.#children.set(name, module);
    return module;
  }

  /** Direct children, with their names. */
  namedChildren(): [string, Module][] {
    return [...this.#children];
  }

  /** Every parameter with its dotted path (`layers.0.weight`), in registration order. */
  namedParameters(prefix = ""): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, p] of this.#params) out.push([prefix + name, p]);
    for (const [name, child] of this.#children) out.push(...child.namedParameters(`${prefix}${name}.`));
    return out;
  }

  /** Every parameter, in the order of `namedParameters`. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every module in the tree with its path (`""` for this one), parents first. */
  namedModules(prefix = ""): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.#children) out.push(...child.namedModules(prefix === "" ? name : `${prefix}.${name}`));
    return out;
  }

  /** Sets training (`true`) or evaluation mode on this module and every descendant. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: dropout off, no mask drawn. */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** The parameters by path, as independent copies (a snapshot). */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, p] of this.namedParameters()) out[name] = p.clone();
    return out;
  }

  /**
   * Copies values into the parameters, in place. Every name must exist with the same
   * shape; with `strict` (the default) no parameter may be missing. Nothing is written
   * unless everything checks out.
   */
  loadStateDict(state: Record<string, Tensor>, strict = true): void {
    const params = new Map(this.namedParameters());
    for (const [name, value] of Object.entries(state)) {
      const p = params.get(name);
      if (p === undefined) throw new ArgumentError(`loadStateDict: unexpected parameter '${name}'; the model has ${[...params.keys()].join(", ")}`);
      if (!(value instanceof Tensor)) throw new ArgumentError(`loadStateDict: '${name}' must be a Tensor, got ${typeof value}`);
      if (!sameShape(p.shape, value.shape)) {
        throw new ShapeError(`loadStateDict: '${name}' has shape ${formatShape(value.shape)}, the model expects ${formatShape(p.shape)}`);
      }
    }
    if (strict) {
      const missing = [...params.keys()].filter((k) => !(k in state));
      if (missing.length > 0) throw new ArgumentError(`loadStateDict: missing parameters ${missing.join(", ")}`);
    }
    for (const [name, value] of Object.entries(state)) params.get(name)!.data.set(value.data);
  }

  /** `Linear(2 → 10)` style one-line description. */
  toString(): string {
    const { type, config } = this.getConfig();
    const args = Object.entries(config).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ");
    return `${type}(${args})`;
  }
}

function checkName(name: string, params: Map<string, unknown>, children: Map<string, unknown>): void {
  if (typeof name !== "string" || name === "" || name.includes(".")) {
    throw new ArgumentError(`Module: a name must be a non-empty string without dots, got ${JSON.stringify(name)}`);
  }
  if (params.has(name) || children.has(name)) throw new ArgumentError(`Module: the name '${name}' is already registered`);
}
