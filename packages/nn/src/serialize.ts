// Saving and loading models: an architecture (each module's `getConfig()`) plus its
// parameters, in one file. Two formats: Hone's JSON (readable text) and safetensors (the
// binary format PyTorch and Hugging Face read). Loading rebuilds the architecture from a
// map of layer builders passed in (no registry that fills itself on import), and checks
// the whole file before it returns anything, so a bad file never yields a half-loaded model.
import {
  ArgumentError, HoneError, Tensor, describe as describeValue, formatShape, sameShape, zeros,
  type DType,
} from "@hone/tensor";
import {
  Flatten, Identity, LeakyReLU, Linear, ModuleList, ReLU, Reshape, Sequential, Sigmoid, Softmax, Tanh,
} from "./layers.js";
import { AvgPool2d, Conv2d, MaxPool2d } from "./conv-layers.js";
import { Module, type ModuleConfig } from "./module.js";

// ---------------------------------------------------------------------------------------
// Types

/** The two file formats: Hone's JSON text and safetensors bytes. */
export type ModelFormat = "json" | "safetensors";

/**
 * Rebuilds one layer from its saved `config` (what its `getConfig()` returned) and its
 * already rebuilt children (containers only). Weights are loaded afterwards, so a builder
 * must not need an `Rng`: give random initializers a zero initializer instead.
 */
export type LayerBuilder = (config: Record<string, unknown>, children: readonly Module[]) => Module;

/** Options for `serializeModel`. */
export interface SaveOptions<F extends ModelFormat = ModelFormat> {
  /** `"json"` (text, returns a string) or `"safetensors"` (binary, returns bytes). Required. */
  format: F;
  /** Anything JSON holds (a normalizer's `{ mean, std }`, class names, settings), saved with the model. Default: none. */
  metadata?: unknown;
}

/** Options for `loadModel` and `moduleFromConfig`. */
export interface LoadOptions {
  /**
   * Builders for layer types other than the built-in ones, by type, e.g.
   * `{ Dropout: (config) => Dropout.fromConfig(config) }`; they take precedence over a
   * built-in of the same name. Default: none (only `builtinLayers`).
   */
  layers?: Readonly<Record<string, LayerBuilder>>;
  /**
   * `loadModel` only: whether parameters may hold NaN or ±∞ (to inspect a model that
   * diverged). Default `false`: such a file is refused with a `ModelFormatError` naming the
   * tensor, since its predictions would be NaN.
   */
  allowNonFinite?: boolean;
}

/** What `loadModel` returns. */
export interface LoadedModel {
  /** The rebuilt model with its saved weights, in evaluation mode (call `.train()` to fine-tune). */
  model: Module;
  /** The metadata saved with it (`undefined` when none was saved). */
  metadata: unknown;
  /** The format the input was in. */
  format: ModelFormat;
}

/** One parameter in Hone's JSON format. Non-finite values are the strings `"NaN"`, `"Infinity"`, `"-Infinity"`. */
export interface JsonTensor {
  dtype: DType;
  shape: number[];
  data: (number | "NaN" | "Infinity" | "-Infinity")[];
}

/** The top-level object of Hone's JSON model format (version 1). */
export interface JsonModelFile {
  format: "hone.model";
  version: 1;
  architecture: ModuleConfig;
  parameters: Record<string, JsonTensor>;
  metadata?: unknown;
}

/** The element types Hone reads and writes in safetensors files. */
export type SafetensorsDType = "F64" | "F32";

/** One tensor's entry in a safetensors header. Offsets are bytes from the start of the data buffer. */
export interface SafetensorsEntry {
  dtype: SafetensorsDType;
  shape: number[];
  data_offsets: [number, number];
}

/** A parsed safetensors file. */
export interface SafetensorsFile {
  /** The tensor entries of the header, in header order (`__metadata__` excluded). */
  header: Record<string, SafetensorsEntry>;
  /** The tensors, by name, in header order. */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` string map (`{}` when the file has none). */
  metadata: Record<string, string>;
}

/**
 * A model or safetensors file that is corrupted, truncated, of an unsupported version, or
 * that does not match the architecture it describes. The message names the problem.
 *
 * @example
 * ```ts
 * import { loadModel, ModelFormatError } from "@hone/nn";
 * try { loadModel('{"format":"hone.model","version":2}'); }
 * catch (e) { console.log(e instanceof ModelFormatError); } // true: "unsupported version 2"
 * ```
 */
export class ModelFormatError extends HoneError {
  constructor(message: string, options?: ErrorOptions) {
    super(message);
    if (options !== undefined && "cause" in options) this.cause = options.cause;
  }
}

const FORMAT_NAME = "hone.model";
const FORMAT_VERSION = 1;
const MAX_DEPTH = 256;

// ---------------------------------------------------------------------------------------
// Small checks

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * A value for a message, bounded: arrays show 8 items and 3 levels, strings 60 characters.
 * Values come from files, so an array nested 100,000 deep must not overflow the stack and
 * a million-item array must not become a megabyte of message.
 */
function describe(value: unknown, depth = 0): string {
  if (Array.isArray(value)) {
    if (depth >= 3) return value.length === 0 ? "[]" : "[…]";
    const items = (value as unknown[]).slice(0, 8).map((v) => describe(v, depth + 1));
    return `[${items.join(",")}${value.length > 8 ? `,… (${value.length} items)` : ""}]`;
  }
  if (typeof value === "string" && value.length > 60) return `${JSON.stringify(value.slice(0, 60))}… (${value.length} characters)`;
  return describeValue(value);
}

/** A layer config as JSON for a message, bounded like {@link describe}. */
function configText(config: Record<string, unknown>): string {
  let text: string;
  try {
    text = JSON.stringify(config);
  } catch {
    return "(nested too deep to show)";
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Shape of non-negative safe integers; returns the element count, or throws via `fail`. */
function checkShapeValue(value: unknown, fail: (msg: string) => never): number[] {
  if (!Array.isArray(value)) fail(`shape must be an array of non-negative integers, got ${describe(value)}`);
  let size = 1;
  for (const d of value as unknown[]) {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) fail(`shape must hold non-negative integers, got ${describe(value)}`);
    size *= d as number;
  }
  if (!Number.isSafeInteger(size)) fail(`shape ${describe(value)} has more elements than a file can hold`);
  return (value as number[]).slice();
}

function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Throws (ArgumentError, from `op`) unless `value` is plain JSON that round-trips exactly:
 * null, booleans, finite numbers, strings, arrays and plain objects. `undefined` object
 * properties are allowed (JSON drops them).
 */
function checkJson(op: string, value: unknown, path: string, seen: Set<object>): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new ArgumentError(`${op}: ${path} is ${value}; JSON holds finite numbers only`);
    return;
  }
  if (typeof value !== "object") throw new ArgumentError(`${op}: ${path} is ${value === undefined ? "undefined" : `a ${typeof value}`}; it must be JSON (null, boolean, number, string, array, plain object)`);
  if (value instanceof Tensor) throw new ArgumentError(`${op}: ${path} is a Tensor; convert it with toArray()`);
  if (ArrayBuffer.isView(value)) throw new ArgumentError(`${op}: ${path} is a ${value.constructor.name}; convert it with Array.from()`);
  if (seen.has(value)) throw new ArgumentError(`${op}: ${path} refers back to itself; JSON cannot hold cycles`);
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((v: unknown, i) => checkJson(op, v, `${path}[${i}]`, seen));
  } else {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      throw new ArgumentError(`${op}: ${path} is a ${(value as object).constructor?.name ?? "non-plain object"}; it must be a plain object`);
    }
    for (const [k, v] of Object.entries(value)) if (v !== undefined) checkJson(op, v, `${path}.${k}`, seen);
  }
  seen.delete(value);
}


/**
 * The offset of the first syntax error in `text` (`text.length` when it ends too early), or
 * −1 when it is valid JSON. JSON.parse names the position for some errors only; this scan
 * (iterative, so any nesting depth) finds it for all of them.
 */
function jsonErrorOffset(text: string): number {
  const n = text.length;
  const open: string[] = [];
  let state: "value" | "firstValue" | "key" | "firstKey" | "after" = "value";
  let i = 0;
  const string = (): number => {
    for (let j = i + 1; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) return j + 1;
      if (c < 0x20) return -j - 1;
      if (c === 0x5c) {
        const e = text[++j];
        if (e === "u") {
          for (let k = j + 1; k <= j + 4; k++) if (k >= n || !/[0-9a-fA-F]/.test(text[k]!)) return -Math.min(k, n) - 1;
          j += 4;
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) return -Math.min(j, n) - 1;
      }
    }
    return -n - 1;
  };
  for (;;) {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
    if (i >= n) return state === "after" && open.length === 0 ? -1 : n;
    const c = text[i]!;
    if (state === "after") {
      const top = open[open.length - 1];
      if (top === undefined) return i;
      if (c === ",") { state = top === "{" ? "key" : "value"; i++; continue; }
      if (c !== (top === "{" ? "}" : "]")) return i;
      open.pop();
      i++;
      continue;
    }
    if ((state === "firstValue" && c === "]") || (state === "firstKey" && c === "}")) { open.pop(); state = "after"; i++; continue; }
    if (state === "key" || state === "firstKey") {
      if (c !== '"') return i;
      const end = string();
      if (end < 0) return -end - 1;
      i = end;
      while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
      if (i >= n) return n;
      if (text[i] !== ":") return i;
      state = "value";
      i++;
      continue;
    }
    if (c === "{" || c === "[") { open.push(c); state = c === "{" ? "firstKey" : "firstValue"; i++; continue; }
    state = "after";
    if (c === '"') {
      const end = string();
      if (end < 0) return -end - 1;
      i = end;
      continue;
    }
    const word = c === "t" ? "true" : c === "f" ? "false" : c === "n" ? "null" : "";
    if (word !== "") {
      for (let k = 0; k < word.length; k++, i++) if (text[i] !== word[k]) return i;
      continue;
    }
    // A number: -?(0|[1-9]digits)(.digits)?([eE][+-]?digits)?, failing at the first wrong character.
    const digits = (): boolean => {
      const start = i;
      while (i < n && text[i]! >= "0" && text[i]! <= "9") i++;
      return i > start;
    };
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else if (!digits()) return i;
    if (text[i] === ".") {
      i++;
      if (!digits()) return i;
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      if (!digits()) return i;
    }
  }
}

/** "line L, column C" (both 1-based) of `offset` in `text`, or "the end of the text". */
function textPosition(text: string, offset: number): string {
  if (offset >= text.length) return `the end of the text (line ${text.split("\n").length})`;
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `line ${line}, column ${offset - before.lastIndexOf("\n")}`;
}

/** Validates an architecture (from a file or from `getConfig()`); throws via `fail`. */
function checkArchitecture(value: unknown, path: string, depth: number, fail: (msg: string) => never): ModuleConfig {
  if (depth > MAX_DEPTH) fail(`${path} nests deeper than ${MAX_DEPTH} levels`);
  if (!isRecord(value)) fail(`${path} must be an object { type, config, children? }, got ${describe(value)}`);
  const { type, config, children } = value as Record<string, unknown>;
  if (typeof type !== "string" || type === "") fail(`${path}.type must be a non-empty string, got ${describe(type)}`);
  if (!isRecord(config)) fail(`${path}.config must be an object, got ${describe(config)}`);
  const out: ModuleConfig = { type: type as string, config: config as Record<string, unknown> };
  if (children !== undefined) {
    if (!Array.isArray(children)) fail(`${path}.children must be an array, got ${describe(children)}`);
    out.children = (children as unknown[]).map((c, i) => checkArchitecture(c, `${path}.children[${i}]`, depth + 1, fail));
  }
  return out;
}

function formatFail(prefix: string): (msg: string) => never {
  return (msg: string): never => {
    throw new ModelFormatError(`${prefix}${msg}`);
  };
}

// ---------------------------------------------------------------------------------------
// Builders

function leaf(type: string, make: (config: Record<string, unknown>) => Module): LayerBuilder {
  return (config, children) => {
    if (children.length > 0) throw new ArgumentError(`${type} takes no children, got ${children.length}`);
    return make(config);
  };
}

function container(make: (children: readonly Module[]) => Module): LayerBuilder {
  return (_config, children) => make(children);
}

function numberField(type: string, config: Record<string, unknown>, key: string): number {
  const v = config[key];
  if (typeof v !== "number") throw new ArgumentError(`${type}: config.${key} must be a number, got ${describe(v)}`);
  return v;
}

function buildLinear(config: Record<string, unknown>): Module {
  const inFeatures = numberField("Linear", config, "inFeatures");
  const outFeatures = numberField("Linear", config, "outFeatures");
  const { bias = true, dtype = "float64" } = config;
  if (typeof bias !== "boolean") throw new ArgumentError(`Linear: config.bias must be a boolean, got ${describe(bias)}`);
  if (dtype !== "float64" && dtype !== "float32") throw new ArgumentError(`Linear: config.dtype must be "float64" or "float32", got ${describe(dtype)}`);
  // Zero weights (no Rng needed); the saved values are copied in after the whole file checks out.
  const init = (shape: readonly number[]): Tensor => zeros(shape, { dtype });
  return new Linear(inFeatures, outFeatures, { init, biasInit: init, bias, dtype });
}

function sizeField(type: string, config: Record<string, unknown>, key: string): [number, number] {
  const v = config[key];
  if (!Array.isArray(v) || v.length !== 2 || v.some((d) => typeof d !== "number")) {
    throw new ArgumentError(`${type}: config.${key} must be [height, width], got ${describe(v)}`);
  }
  return [v[0] as number, v[1] as number];
}

function paddingField(type: string, config: Record<string, unknown>): "same" | "valid" | number {
  const v = config["padding"];
  if (v !== "same" && v !== "valid" && typeof v !== "number") throw new ArgumentError(`${type}: config.padding must be "same", "valid" or a number, got ${describe(v)}`);
  return v;
}

function buildConv2d(config: Record<string, unknown>): Module {
  const inChannels = numberField("Conv2d", config, "inChannels");
  const outChannels = numberField("Conv2d", config, "outChannels");
  const { bias = true, dtype = "float64" } = config;
  if (typeof bias !== "boolean") throw new ArgumentError(`Conv2d: config.bias must be a boolean, got ${describe(bias)}`);
  if (dtype !== "float64" && dtype !== "float32") throw new ArgumentError(`Conv2d: config.dtype must be "float64" or "float32", got ${describe(dtype)}`);
  const init = (shape: readonly number[]): Tensor => zeros(shape, { dtype });
  return new Conv2d(inChannels, outChannels, sizeField("Conv2d", config, "kernel"), {
    stride: sizeField("Conv2d", config, "stride"), padding: paddingField("Conv2d", config), init, biasInit: init, bias, dtype,
  });
}

function buildAvgPool2d(config: Record<string, unknown>): Module {
  const { countIncludePad = true } = config;
  if (typeof countIncludePad !== "boolean") throw new ArgumentError(`AvgPool2d: config.countIncludePad must be a boolean, got ${describe(countIncludePad)}`);
  return new AvgPool2d(sizeField("AvgPool2d", config, "kernel"), {
    stride: sizeField("AvgPool2d", config, "stride"), padding: paddingField("AvgPool2d", config), countIncludePad,
  });
}

/**
 * The builders of `@hone/nn`'s own layers, by `getConfig().type`: `Linear`, `ReLU`,
 * `LeakyReLU`, `Tanh`, `Sigmoid`, `Softmax`, `Identity`, `Flatten`, `Reshape`, `Conv2d`, `MaxPool2d`,
 * `AvgPool2d`, `ModuleList`, `Sequential`. Layers from other packages are added per call through
 * `loadModel(input, { layers })`; this map never changes.
 *
 * @example
 * ```ts
 * import { builtinLayers } from "@hone/nn";
 * const relu = builtinLayers.LeakyReLU!({ slope: 0.1 }, []); // LeakyReLU(slope=0.1)
 * Object.keys(builtinLayers).length; // 14
 * ```
 */
export const builtinLayers: Readonly<Record<string, LayerBuilder>> = Object.freeze({
  Linear: leaf("Linear", buildLinear),
  ReLU: leaf("ReLU", () => new ReLU()),
  LeakyReLU: leaf("LeakyReLU", (c) => new LeakyReLU(numberField("LeakyReLU", c, "slope"))),
  Tanh: leaf("Tanh", () => new Tanh()),
  Sigmoid: leaf("Sigmoid", () => new Sigmoid()),
  Softmax: leaf("Softmax", (c) => new Softmax(numberField("Softmax", c, "axis"))),
  Identity: leaf("Identity", () => new Identity()),
  Flatten: leaf("Flatten", () => new Flatten()),
  Reshape: leaf("Reshape", (c) => {
    const shape = c.shape;
    if (!Array.isArray(shape)) throw new ArgumentError(`Reshape: config.shape must be an array of positive integers, got ${describe(shape)}`);
    return new Reshape(shape as number[]);
  }),
  Conv2d: leaf("Conv2d", buildConv2d),
  MaxPool2d: leaf("MaxPool2d", (c) => new MaxPool2d(sizeField("MaxPool2d", c, "kernel"), { stride: sizeField("MaxPool2d", c, "stride"), padding: paddingField("MaxPool2d", c) })),
  AvgPool2d: leaf("AvgPool2d", buildAvgPool2d),
  ModuleList: container((children) => new ModuleList(children)),
  Sequential: container((children) => new Sequential(children)),
});

function checkLayers(op: string, layers: unknown): Readonly<Record<string, LayerBuilder>> {
  if (layers === undefined) return {};
  if (!isRecord(layers)) throw new ArgumentError(`${op}: options.layers must be an object mapping layer types to builders, got ${describe(layers)}`);
  for (const [type, b] of Object.entries(layers)) {
    if (typeof b !== "function") throw new ArgumentError(`${op}: options.layers.${type} must be a builder function (config, children) => Module, got ${describe(b)}`);
  }
  return layers as Readonly<Record<string, LayerBuilder>>;
}

function build(op: string, config: ModuleConfig, path: string, layers: Readonly<Record<string, LayerBuilder>>): Module {
  const { type } = config;
  const builder = Object.hasOwn(layers, type) ? layers[type] : Object.hasOwn(builtinLayers, type) ? builtinLayers[type] : undefined;
  if (builder === undefined) {
    const known = [...new Set([...Object.keys(builtinLayers), ...Object.keys(layers)])].join(", ");
    throw new ModelFormatError(
      `${op}: unknown layer type '${type}' at ${path}; known types: ${known}. Pass a builder for it: loadModel(input, { layers: { ${type}: (config, children) => … } })`,
    );
  }
  const children = (config.children ?? []).map((c, i) => build(op, c, `${path}.children[${i}]`, layers));
  let module: unknown;
  try {
    module = builder(config.config, children);
  } catch (e) {
    throw new ModelFormatError(`${op}: cannot build ${path} (${type}) from config ${configText(config.config)}: ${message(e)}`, { cause: e });
  }
  if (!(module instanceof Module)) throw new ArgumentError(`${op}: the builder for '${type}' returned ${describe(module)}, expected a Module`);
  return module;
}

/**
 * Rebuilds a module tree from an architecture (`model.getConfig()`), with zero weights.
 * Validates the architecture's shape first; an unknown type or a config a builder rejects
 * throws a `ModelFormatError` naming where it is.
 *
 * @example
 * ```ts
 * import { moduleFromConfig, mlp } from "@hone/nn";
 * import { rng } from "@hone/tensor";
 * const copy = moduleFromConfig(mlp([2, 3, 1], { rng: rng(0) }).getConfig());
 * copy.namedParameters().map(([name]) => name); // ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"]
 * ```
 */
export function moduleFromConfig(architecture: ModuleConfig, options: LoadOptions = {}): Module {
  const layers = checkLayers("moduleFromConfig", options.layers);
  const config = checkArchitecture(architecture, "architecture", 0, formatFail("moduleFromConfig: "));
  return build("moduleFromConfig", config, "architecture", layers);
}

// ---------------------------------------------------------------------------------------
// safetensors

const ST_BYTES: Record<SafetensorsDType, number> = { F64: 8, F32: 4 };
const ST_DTYPE: Record<DType, SafetensorsDType> = { float64: "F64", float32: "F32" };
const OPEN_BRACE = 0x7b;
const SPACE = 0x20;

/**
 * Writes tensors in the safetensors format: an 8-byte little-endian length N, N bytes of
 * UTF-8 JSON header (`{ name: { dtype: "F64" | "F32", shape, data_offsets: [begin, end] },
 * "__metadata__": { string: string } }`, padded with spaces so the data starts 8-byte
 * aligned), then each tensor's little-endian bytes, contiguous in header order. Readable
 * by `safetensors.torch.load_file` and Hugging Face tooling.
 *
 * @example
 * ```ts
 * import { writeSafetensors, readSafetensors } from "@hone/nn";
 * import { tensor } from "@hone/tensor";
 * const bytes = writeSafetensors({ w: tensor([[1, 2], [3, 4]]) }, { note: "hello" });
 * readSafetensors(bytes).tensors.w!.toArray(); // [[1, 2], [3, 4]]
 * ```
 */
export function writeSafetensors(tensors: Readonly<Record<string, Tensor>>, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const op = "writeSafetensors";
  if (!isRecord(tensors)) throw new ArgumentError(`${op}: tensors must be an object mapping names to tensors, got ${describe(tensors)}`);
  const header = dict<unknown>();
  if (metadata !== undefined) {
    if (!isRecord(metadata)) throw new ArgumentError(`${op}: metadata must be an object of strings, got ${describe(metadata)}`);
    const meta = dict<string>();
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new ArgumentError(`${op}: metadata values must be strings (safetensors __metadata__ is a string map), but metadata.${k} is ${describe(v)}`);
      meta[k] = v;
    }
    if (Object.keys(meta).length > 0) header.__metadata__ = meta;
  }
  // Object.keys order is also the header's key order, so the data follows header order.
  const names = Object.keys(tensors);
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    if (name === "__metadata__") throw new ArgumentError(`${op}: "__metadata__" is reserved for the metadata map and cannot name a tensor`);
    if (!(t instanceof Tensor)) throw new ArgumentError(`${op}: tensors.${name} must be a Tensor, got ${describe(t)}`);
    const dtype = ST_DTYPE[t.dtype];
    const end = offset + t.size * ST_BYTES[dtype];
    header[name] = { dtype, shape: Array.from(t.shape), data_offsets: [offset, end] };
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const n = json.length + ((8 - ((8 + json.length) % 8)) % 8);
  const out = new Uint8Array(8 + n + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(n), true);
  out.set(json, 8);
  out.fill(SPACE, 8 + json.length, 8 + n);
  let at = 8 + n;
  for (const name of names) {
    const data = tensors[name]!.data;
    if (data instanceof Float64Array) {
      for (let i = 0; i < data.length; i++, at += 8) view.setFloat64(at, data[i]!, true);
    } else {
      for (let i = 0; i < data.length; i++, at += 4) view.setFloat32(at, data[i]!, true);
    }
  }
  return out;
}

/** True when `bytes` start like a safetensors file: a length that fits, then `{`. */
function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 9) return false;
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  return n <= BigInt(bytes.length - 8) && bytes[8] === OPEN_BRACE;
}

/**
 * Reads a safetensors file (F64 and F32 tensors). Checks everything before decoding: the
 * header length fits in the file, the header is UTF-8 JSON, every entry has a supported
 * dtype, a shape of non-negative integers and in-range offsets whose length is
 * size × dtype bytes, and the entries tile the data buffer exactly (no overlap, no hole,
 * nothing left over). Any failure is a `ModelFormatError` naming it.
 *
 * @example
 * ```ts
 * import { readSafetensors } from "@hone/nn";
 * // 8-byte length, then the header, then one float64 (1.5) little-endian
 * const header = new TextEncoder().encode('{"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}');
 * const bytes = new Uint8Array(8 + header.length + 8);
 * const view = new DataView(bytes.buffer);
 * view.setBigUint64(0, BigInt(header.length), true);
 * bytes.set(header, 8);
 * view.setFloat64(8 + header.length, 1.5, true);
 * readSafetensors(bytes).tensors.x!.item(); // 1.5
 * ```
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`readSafetensors: expected a Uint8Array, got ${describe(bytes)}`);
  const fail = formatFail("safetensors: ");
  if (bytes.length < 8) fail(`the file is ${bytes.length} bytes, too short to hold the 8-byte header length; it is truncated or not a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(bytes.length - 8)) {
    fail(`the header length is ${n64} bytes but only ${bytes.length - 8} bytes follow the 8-byte length; the file is truncated or not a safetensors file`);
  }
  const n = Number(n64);
  if (n === 0 || bytes[8] !== OPEN_BRACE) fail(`the header must be a JSON object starting with '{', got ${n === 0 ? "an empty header" : `byte 0x${bytes[8]!.toString(16)}`}`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch (e) {
    throw new ModelFormatError(`safetensors: the header is not valid UTF-8 (${message(e)})`, { cause: e });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ModelFormatError(`safetensors: the ${n}-byte header is not valid JSON (${message(e)}); the file is corrupted or truncated`, { cause: e });
  }
  if (!isRecord(parsed)) fail(`the header must be a JSON object, got ${describe(parsed)}`);

  const metadata = dict<string>();
  const header = dict<SafetensorsEntry>();
  const bufferStart = 8 + n;
  const bufferLength = bytes.length - bufferStart;
  for (const [name, entry] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (!isRecord(entry)) fail(`__metadata__ must be an object of strings, got ${describe(entry)}`);
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof v !== "string") fail(`__metadata__ values must be strings, but "${k}" is ${describe(v)}`);
        metadata[k] = v as string;
      }
      continue;
    }
    const at = formatFail(`safetensors: tensor '${name}': `);
    if (!isRecord(entry)) at(`the entry must be an object { dtype, shape, data_offsets }, got ${describe(entry)}`);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (dtype !== "F64" && dtype !== "F32") at(`unsupported dtype ${describe(dtype)}; Hone reads "F64" and "F32"`);
    const dims = checkShapeValue(shape, at);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => typeof o === "number" && Number.isSafeInteger(o) && o >= 0)) {
      at(`data_offsets must be [begin, end] with non-negative integers, got ${describe(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end) at(`data_offsets [${begin}, ${end}] end before they begin`);
    if (end > bufferLength) at(`data_offsets [${begin}, ${end}] run past the end of the ${bufferLength}-byte data buffer; the file is truncated`);
    const expected = sizeOfShape(dims) * ST_BYTES[dtype as SafetensorsDType];
    if (end - begin !== expected) {
      at(`data_offsets [${begin}, ${end}] span ${end - begin} bytes but shape ${formatShape(dims)} of ${dtype as string} needs ${expected}`);
    }
    header[name] = { dtype: dtype as SafetensorsDType, shape: dims, data_offsets: [begin, end] };
  }

  // The entries must tile [0, bufferLength) exactly: sorted by offset, each starts where the
  // previous one ended (files from other writers need not list tensors in data order).
  const sorted = Object.entries(header).sort(([, a], [, b]) => a.data_offsets[0] - b.data_offsets[0] || a.data_offsets[1] - b.data_offsets[1]);
  let cursor = 0;
  let previous = "";
  for (const [name, { data_offsets: [begin, end] }] of sorted) {
    if (begin < cursor) fail(`tensors '${previous}' and '${name}' overlap: '${name}' begins at byte ${begin}, before '${previous}' ends at ${cursor}`);
    if (begin > cursor) fail(`the data buffer has a hole: bytes ${cursor}..${begin} belong to no tensor (before '${name}')`);
    cursor = end;
    previous = name;
  }
  if (cursor !== bufferLength) fail(`the data buffer is ${bufferLength} bytes but the tensors cover ${cursor}; ${bufferLength - cursor} bytes at the end belong to no tensor`);

  const tensors = dict<Tensor>();
  for (const [name, { dtype, shape, data_offsets: [begin] }] of Object.entries(header)) {
    const size = sizeOfShape(shape);
    let at = bufferStart + begin;
    if (dtype === "F64") {
      const data = new Float64Array(size);
      for (let i = 0; i < size; i++, at += 8) data[i] = view.getFloat64(at, true);
      tensors[name] = new Tensor(data, shape.slice());
    } else {
      const data = new Float32Array(size);
      for (let i = 0; i < size; i++, at += 4) data[i] = view.getFloat32(at, true);
      tensors[name] = new Tensor(data, shape.slice());
    }
  }
  return { header, tensors, metadata };
}

// ---------------------------------------------------------------------------------------
// Models

function checkModel(op: string, model: unknown): ModuleConfig {
  if (!(model instanceof Module)) throw new ArgumentError(`${op}: model must be a Module, got ${describe(model)}`);
  const architecture: unknown = model.getConfig();
  checkJson(op, architecture, "architecture", new Set());
  return checkArchitecture(architecture, "architecture", 0, (msg) => {
    throw new ArgumentError(`${op}: getConfig() returned an invalid architecture: ${msg}`);
  });
}

function encodeNumber(v: number): string {
  // String(v) is the shortest text that parses back to exactly v; -0 prints as "-0", a
  // valid JSON number. JSON has no NaN or Infinity: those become strings.
  if (Number.isFinite(v)) return Object.is(v, -0) ? "-0" : String(v);
  return Number.isNaN(v) ? '"NaN"' : v > 0 ? '"Infinity"' : '"-Infinity"';
}

function saveJson(architecture: ModuleConfig, params: [string, Tensor][], metadata: unknown): string {
  const parts = params.map(([name, p]) => {
    const values = new Array<string>(p.size);
    for (let i = 0; i < p.size; i++) values[i] = encodeNumber(p.data[i]!);
    return `${JSON.stringify(name)}:{"dtype":"${p.dtype}","shape":${JSON.stringify(p.shape)},"data":[${values.join(",")}]}`;
  });
  const meta = metadata === undefined ? "" : `,\n"metadata":${JSON.stringify(metadata)}`;
  return `{"format":"${FORMAT_NAME}","version":${FORMAT_VERSION},\n"architecture":${JSON.stringify(architecture)},\n"parameters":{\n${parts.join(",\n")}\n}${meta}}\n`;
}

function saveSafetensors(architecture: ModuleConfig, params: [string, Tensor][], metadata: unknown): Uint8Array {
  const tensors = dict<Tensor>();
  for (const [name, p] of params) tensors[name] = p;
  const meta: Record<string, string> = {
    format: "pt",
    "hone.version": String(FORMAT_VERSION),
    "hone.architecture": JSON.stringify(architecture),
  };
  if (metadata !== undefined) meta["hone.metadata"] = JSON.stringify(metadata);
  return writeSafetensors(tensors, meta);
}

/**
 * Saves a model: its architecture (`getConfig()`), every parameter by its
 * `namedParameters()` path, and optional JSON metadata (a normalizer's mean and std, say),
 * so that `loadModel` gives back a model with identical predictions.
 *
 * - `"json"`: `{ "format": "hone.model", "version": 1, "architecture", "parameters":
 *   { name: { dtype, shape, data } }, "metadata" }`. Numbers are written in the shortest
 *   form that reads back to the same float64, so values round-trip exactly; NaN and ±∞
 *   (which JSON lacks) are the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
 * - `"safetensors"`: see `writeSafetensors`; the tensor names are the parameter paths
 *   (`layers.0.weight`, weights `(out, in)` as in PyTorch) and `__metadata__` holds
 *   `"format": "pt"`, `"hone.version": "1"`, and the architecture and metadata as JSON
 *   strings under `"hone.architecture"` and `"hone.metadata"`.
 *
 * @example
 * ```ts
 * import { serializeModel, loadModel, mlp } from "@hone/nn";
 * import { rng } from "@hone/tensor";
 * const model = mlp([2, 4, 1], { rng: rng(0) });
 * const text = serializeModel(model, { format: "json", metadata: { mean: [0.5, 1], std: [2, 3] } });
 * const bytes = serializeModel(model, { format: "safetensors" }); // Uint8Array
 * loadModel(text).metadata; // { mean: [0.5, 1], std: [2, 3] }
 * ```
 */
export function serializeModel(model: Module, options: SaveOptions<"json">): string;
export function serializeModel(model: Module, options: SaveOptions<"safetensors">): Uint8Array;
export function serializeModel(model: Module, options: SaveOptions): string | Uint8Array;
export function serializeModel(model: Module, options: SaveOptions): string | Uint8Array {
  const op = "serializeModel";
  if (!isRecord(options)) throw new ArgumentError(`${op}: options must be an object { format, metadata? }, got ${describe(options)}`);
  const { format, metadata } = options;
  if (format !== "json" && format !== "safetensors") throw new ArgumentError(`${op}: format must be "json" or "safetensors", got ${describe(format)}`);
  const architecture = checkModel(op, model);
  if (metadata !== undefined) checkJson(op, metadata, "metadata", new Set());
  const params = model.namedParameters();
  return format === "json" ? saveJson(architecture, params, metadata) : saveSafetensors(architecture, params, metadata);
}

/** Throws a ModelFormatError naming `name` unless every value of `t` is finite. */
function checkFinite(op: string, name: string, t: Tensor): void {
  const data = t.data;
  let bad = 0;
  let first = -1;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      if (first < 0) first = i;
      bad++;
    }
  }
  if (first < 0) return;
  throw new ModelFormatError(
    `${op}: parameter '${name}' holds ${data[first]} at index ${first} of shape ${formatShape(t.shape)}${bad > 1 ? ` (${bad} non-finite values in all)` : ""}; ` +
      `a model with NaN or infinite weights predicts NaN (did training diverge?); pass allowNonFinite: true to load it anyway`,
  );
}

/** Builds the architecture and fills it from `tensors`, after checking names, shapes, dtypes and (unless allowed) finiteness. */
function assemble(architectureValue: unknown, tensors: ReadonlyMap<string, Tensor>, layers: Readonly<Record<string, LayerBuilder>>, allowNonFinite: boolean): Module {
  const op = "loadModel";
  const architecture = checkArchitecture(architectureValue, "architecture", 0, formatFail(`${op}: `));
  const model = build(op, architecture, "architecture", layers);
  const params = model.namedParameters();
  const expected = new Map(params);
  const missing = params.map(([name]) => name).filter((name) => !tensors.has(name));
  const extra = [...tensors.keys()].filter((name) => !expected.has(name));
  if (missing.length > 0 || extra.length > 0) {
    const problems = [
      missing.length > 0 ? `missing ${missing.map((s) => `'${s}'`).join(", ")}` : "",
      extra.length > 0 ? `unexpected ${extra.map((s) => `'${s}'`).join(", ")}` : "",
    ].filter((s) => s !== "");
    throw new ModelFormatError(`${op}: the parameters do not match the architecture: ${problems.join("; ")} (the architecture has ${[...expected.keys()].join(", ") || "no parameters"})`);
  }
  for (const [name, p] of params) {
    const t = tensors.get(name)!;
    if (!sameShape(t.shape, p.shape)) throw new ModelFormatError(`${op}: parameter '${name}' has shape ${formatShape(t.shape)} in the file, the architecture expects ${formatShape(p.shape)}`);
    if (t.dtype !== p.dtype) throw new ModelFormatError(`${op}: parameter '${name}' is ${t.dtype} in the file, the architecture expects ${p.dtype}`);
    if (!allowNonFinite) checkFinite(op, name, t);
  }
  for (const [name, p] of params) p.data.set(tensors.get(name)!.data);
  return model.eval();
}

function decodeJsonTensor(name: string, entry: unknown): Tensor {
  const fail = formatFail(`loadModel: parameter '${name}': `);
  if (!isRecord(entry)) fail(`must be an object { dtype, shape, data }, got ${describe(entry)}`);
  const { dtype, shape, data } = entry as Record<string, unknown>;
  if (dtype !== "float64" && dtype !== "float32") fail(`dtype must be "float64" or "float32", got ${describe(dtype)}`);
  const dims = checkShapeValue(shape, fail);
  if (!Array.isArray(data)) fail(`data must be an array of numbers, got ${describe(data)}`);
  const values = data as unknown[];
  const size = sizeOfShape(dims);
  if (values.length !== size) fail(`data has ${values.length} values but shape ${formatShape(dims)} needs ${size}`);
  const out = dtype === "float32" ? new Float32Array(size) : new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const v = values[i];
    if (typeof v === "number") {
      if (dtype === "float32" && Number.isFinite(v) && !Number.isFinite(Math.fround(v))) fail(`data[${i}] = ${v} is beyond float32's range`);
      out[i] = v;
    }
    else if (v === "NaN") out[i] = NaN;
    else if (v === "Infinity") out[i] = Infinity;
    else if (v === "-Infinity") out[i] = -Infinity;
    else fail(`data[${i}] must be a number or one of "NaN", "Infinity", "-Infinity", got ${describe(v)}`);
  }
  return new Tensor(out, dims);
}

function loadJson(text: string, layers: Readonly<Record<string, LayerBuilder>>, allowNonFinite: boolean): LoadedModel {
  const fail = formatFail("loadModel: ");
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch (e) {
    const offset = jsonErrorOffset(text);
    const where = offset < 0 ? "" : ` at ${textPosition(text, offset)}`;
    throw new ModelFormatError(`loadModel: the text is not valid JSON${where} (${message(e)}); the file is corrupted or truncated`, { cause: e });
  }
  if (!isRecord(file)) fail(`expected a JSON object with "format": "${FORMAT_NAME}", got ${describe(file)}`);
  const { format, version, architecture, parameters, metadata } = file as Record<string, unknown>;
  if (format !== FORMAT_NAME) fail(`"format" must be "${FORMAT_NAME}", got ${describe(format)}; this is not a Hone model file`);
  if (version !== FORMAT_VERSION) fail(`unsupported version ${describe(version)}; this Hone reads version ${FORMAT_VERSION}`);
  if (!isRecord(parameters)) fail(`"parameters" must be an object mapping names to { dtype, shape, data }, got ${describe(parameters)}`);
  const tensors = new Map<string, Tensor>();
  for (const [name, entry] of Object.entries(parameters as Record<string, unknown>)) tensors.set(name, decodeJsonTensor(name, entry));
  return { model: assemble(architecture, tensors, layers, allowNonFinite), metadata, format: "json" };
}

function parseMetaJson(file: SafetensorsFile, key: string): unknown {
  const text = file.metadata[key]!;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ModelFormatError(`loadModel: safetensors __metadata__ "${key}" is not valid JSON (${message(e)})`, { cause: e });
  }
}

function loadSafetensorsModel(bytes: Uint8Array, layers: Readonly<Record<string, LayerBuilder>>, allowNonFinite: boolean): LoadedModel {
  const file = readSafetensors(bytes);
  const meta = file.metadata;
  if (!Object.hasOwn(meta, "hone.architecture")) {
    throw new ModelFormatError(`loadModel: the safetensors file has no "hone.architecture" in __metadata__, so it holds tensors but no model; read it with readSafetensors and load them into a model with loadStateDict`);
  }
  const version = meta["hone.version"];
  if (version !== String(FORMAT_VERSION)) throw new ModelFormatError(`loadModel: unsupported hone.version ${describe(version)} in __metadata__; this Hone reads version ${FORMAT_VERSION}`);
  const architecture = parseMetaJson(file, "hone.architecture");
  const metadata = Object.hasOwn(meta, "hone.metadata") ? parseMetaJson(file, "hone.metadata") : undefined;
  const model = assemble(architecture, new Map(Object.entries(file.tensors)), layers, allowNonFinite);
  return { model, metadata, format: "safetensors" };
}

function startsWithJsonObject(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // UTF-8 byte order mark
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === OPEN_BRACE;
}

/**
 * Loads a model saved by `serializeModel`, detecting the format: a string, or bytes that
 * start with `{` after optional whitespace, is JSON; other bytes are safetensors (an 8-byte
 * length that fits the file, then `{`). The whole file is checked (structure, version,
 * every tensor's size, the architecture builds, parameter names, shapes and dtypes match
 * exactly, every weight is finite unless `allowNonFinite`) before the model is filled, so a
 * bad file throws a `ModelFormatError` and never yields a half-loaded model. Layer types from other packages need a builder in
 * `options.layers`. The model comes back in evaluation mode.
 *
 * @example
 * ```ts
 * import { loadModel, serializeModel, mlp } from "@hone/nn";
 * import { Dropout } from "@hone/regularize";
 * import { rng, tensor } from "@hone/tensor";
 * const r = rng(0);
 * const model = mlp([2, 4, 1], { rng: r, afterHidden: () => new Dropout({ keepProb: 0.8, rng: r }) });
 * const saved = serializeModel(model, { format: "safetensors", metadata: { classes: ["no", "yes"] } });
 * const { model: copy, metadata } = loadModel(saved, { layers: { Dropout: (config) => Dropout.fromConfig(config) } });
 * copy.forward(tensor([[1, 2]])); // same as model.eval().forward(tensor([[1, 2]]))
 * ```
 */
export function loadModel(input: string | Uint8Array, options: LoadOptions = {}): LoadedModel {
  const layers = checkLayers("loadModel", (options as LoadOptions | undefined)?.layers);
  const allowNonFinite = (options as LoadOptions | undefined)?.allowNonFinite ?? false;
  if (typeof allowNonFinite !== "boolean") throw new ArgumentError(`loadModel: options.allowNonFinite must be true or false, got ${describe(allowNonFinite)}`);
  if (typeof input === "string") return loadJson(input, layers, allowNonFinite);
  if (!(input instanceof Uint8Array)) throw new ArgumentError(`loadModel: input must be a string (JSON) or a Uint8Array (safetensors or JSON bytes), got ${describe(input)}`);
  if (!looksLikeSafetensors(input) && startsWithJsonObject(input)) {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch (e) {
      throw new ModelFormatError(`loadModel: the JSON bytes are not valid UTF-8 (${message(e)})`, { cause: e });
    }
    return loadJson(text, layers, allowNonFinite);
  }
  return loadSafetensorsModel(input, layers, allowNonFinite);
}
