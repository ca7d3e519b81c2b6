// Saving and loading models. The reference for a round trip is the original model: its
// outputs on a batch of random inputs must come back bit for bit (toEqual on the data
// arrays). The safetensors layout is checked by reading the bytes by hand with DataView,
// and a file written by the reference Python library (safetensors 0.8.0) is read back.
import { ArgumentError, Tensor, rand, randn, rng, tensor, type DType, type Rng } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import {
  Flatten, Identity, LeakyReLU, Linear, Module, ModuleList, ReLU, Sequential, Sigmoid, Softmax, Tanh, mlp,
  type ModuleConfig,
} from "./index.js";
import {
  ModelFormatError, builtinLayers, loadModel, moduleFromConfig, readSafetensors, serializeModel, writeSafetensors,
  type LayerBuilder, type ModelFormat,
} from "./serialize.js";

// ---------------------------------------------------------------------------------------
// Helpers

/** Random weights and biases (not the zeros a loader starts from), drawn from `g`. */
function randomInit(g: Rng, dtype: DType = "float64"): { init: (shape: readonly number[]) => Tensor; biasInit: (shape: readonly number[]) => Tensor; rng: Rng; dtype: DType } {
  const draw = (shape: readonly number[]): Tensor => randn(shape, g, { dtype });
  return { init: draw, biasInit: draw, rng: g, dtype };
}

function linear(g: Rng, n: number, m: number, options: { bias?: boolean; dtype?: DType } = {}): Linear {
  return new Linear(n, m, { ...randomInit(g, options.dtype), bias: options.bias });
}

/** Inputs uniform in [−3, 3), so every activation sees both signs. */
function inputs(g: Rng, shape: number[], dtype: DType = "float64"): Tensor {
  const u = rand(shape, g, { dtype });
  const data = u.data.map((v) => 6 * v - 3);
  return new Tensor(data, shape);
}

function save(model: Module, format: ModelFormat, metadata?: unknown): string | Uint8Array {
  return serializeModel(model, { format, metadata });
}

/** Assembles a safetensors file by hand: u64 LE header length, header text, data bytes. */
function stFile(headerText: string, data: Uint8Array = new Uint8Array(0), headerLength?: number): Uint8Array {
  const header = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

/** Little-endian float64 bytes of `values`. */
function f64Bytes(values: number[]): Uint8Array {
  const out = new Uint8Array(8 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat64(8 * i, v, true));
  return out;
}

function f32Bytes(values: number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return out;
}

function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Expects `fn` to throw an error of class `type` whose message matches `pattern`, and returns nothing. */
function expectError(fn: () => unknown, type: new (...args: never[]) => Error, pattern: RegExp): void {
  let result: unknown = "not thrown";
  let error: unknown;
  try {
    result = fn();
  } catch (e) {
    error = e;
    result = undefined;
  }
  expect(result).toBeUndefined(); // no model comes back from a bad file
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(pattern);
}

// ---------------------------------------------------------------------------------------
// Round trips: every layer kind, both formats

interface Case {
  name: string;
  make: (g: Rng) => Module;
  input: number[];
  dtype?: DType;
}

const cases: Case[] = [
  { name: "Linear with bias", make: (g) => linear(g, 3, 4), input: [6, 3] },
  { name: "Linear without bias", make: (g) => linear(g, 3, 4, { bias: false }), input: [6, 3] },
  { name: "ReLU", make: (g) => new Sequential([linear(g, 3, 5), new ReLU()]), input: [6, 3] },
  { name: "LeakyReLU(0.2)", make: (g) => new Sequential([linear(g, 3, 5), new LeakyReLU(0.2)]), input: [6, 3] },
  { name: "Tanh", make: (g) => new Sequential([linear(g, 3, 5), new Tanh()]), input: [6, 3] },
  { name: "Sigmoid", make: (g) => new Sequential([linear(g, 3, 5), new Sigmoid()]), input: [6, 3] },
  // Softmax over the batch axis: a loader that forgot the axis (default −1) would differ.
  { name: "Softmax(axis 0)", make: (g) => new Sequential([linear(g, 3, 5), new Softmax(0)]), input: [6, 3] },
  { name: "Softmax(axis −1)", make: (g) => new Sequential([linear(g, 3, 5), new Softmax(-1)]), input: [6, 3] },
  { name: "Flatten on (batch, h, w, c)", make: (g) => new Sequential([new Flatten(), linear(g, 2 * 3 * 2, 4)]), input: [5, 2, 3, 2] },
  { name: "Identity", make: (g) => new Sequential([new Identity(), linear(g, 3, 2)]), input: [6, 3] },
  {
    name: "nested Sequential",
    make: (g) => new Sequential([
      new Sequential([linear(g, 4, 6), new Tanh()]),
      new Sequential([new Sequential([linear(g, 6, 3)]), new LeakyReLU(0.3)]),
      linear(g, 3, 2, { bias: false }),
      new Sigmoid(),
    ]),
    input: [7, 4],
  },
  {
    name: "mlp (leakyRelu hidden, softmax output)",
    make: (g) => mlp([4, 8, 6, 3], { activation: "leakyRelu", slope: 0.05, output: "softmax", ...randomInit(g) }),
    input: [9, 4],
  },
  { name: "mlp (relu, logits, default He init)", make: (g) => mlp([5, 7, 1], { rng: g }), input: [9, 5] },
  {
    name: "float32 mlp",
    make: (g) => mlp([3, 6, 2], { activation: "tanh", output: "sigmoid", ...randomInit(g, "float32") }),
    input: [8, 3],
    dtype: "float32",
  },
];

const formats: ModelFormat[] = ["json", "safetensors"];
const normalizer = { mean: [0.1 + 0.2, -1 / 3, 1e-300], std: [1.5, 2.75, 1e300], note: "z-score", classes: ["a", "b"], nested: { ok: true, none: null } };

describe.each(formats)("save → load → predict (%s)", (format) => {
  it.each(cases)("$name: identical outputs, parameters, architecture and metadata", ({ make, input, dtype }) => {
    const g = rng(11);
    const model = make(g);
    const x = inputs(g, input, dtype);
    const expected = model.forward(x);

    const saved = save(model, format, normalizer);
    expect(typeof saved === "string").toBe(format === "json");
    const loaded = loadModel(saved);

    expect(loaded.format).toBe(format);
    expect(loaded.metadata).toEqual(normalizer);
    expect(loaded.model.getConfig()).toEqual(model.getConfig());
    expect(loaded.model.training).toBe(false);
    const got = loaded.model.forward(x);
    expect(got.shape).toEqual(expected.shape);
    expect(got.dtype).toBe(expected.dtype);
    expect(got.data).toEqual(expected.data);
    const want = model.namedParameters();
    const have = loaded.model.namedParameters();
    expect(have.map(([n]) => n)).toEqual(want.map(([n]) => n));
    have.forEach(([, p], i) => {
      expect(p.data).toEqual(want[i]![1].data);
      expect(p.data).not.toBe(want[i]![1].data); // a copy, not the original buffers
      expect(p.requiresGrad).toBe(true);
    });
  });

  it("loads from bytes as well as from a string, and without metadata gives undefined", () => {
    const model = linear(rng(2), 2, 2);
    const saved = save(model, format);
    const bytes = typeof saved === "string" ? new TextEncoder().encode(`\n  ${saved}`) : saved;
    const loaded = loadModel(bytes);
    expect(loaded.format).toBe(format);
    expect(loaded.metadata).toBeUndefined();
    expect(loaded.model.parameters()[0]!.data).toEqual(model.weight.data);
  });

  it("keeps every float64 bit pattern class: extremes, subnormals, −0, NaN, ±∞", () => {
    const model = new Linear(3, 3, { init: (s: readonly number[]) => tensor(new Float64Array(9), { shape: s }), bias: false });
    const special = [0.1, 1 / 3, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -0, NaN, Infinity, -Infinity];
    model.weight.data.set(special);
    const got = loadModel(save(model, format), { allowNonFinite: true }).model.parameters()[0]!.data;
    special.forEach((v, i) => expect(Object.is(got[i], v)).toBe(true));
  });

  it("rebuilds other packages' layers through options.layers (a Dropout-like layer and a layer with its own parameter)", () => {
    const g = rng(5);
    const model = new Sequential([linear(g, 3, 4), new ReLU(), new FakeDropout(0.8), new Scale(3, 4)]);
    const x = inputs(g, [5, 3]);
    const expected = model.eval().forward(x);
    const saved = save(model, format, normalizer);
    expectError(() => loadModel(saved), ModelFormatError, /unknown layer type 'FakeDropout' at architecture\.children\[2\]; known types: Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Softmax, Identity, Flatten, Reshape, Conv2d, MaxPool2d, AvgPool2d, ModuleList, Sequential/);
    const layers: Record<string, LayerBuilder> = {
      FakeDropout: (config) => new FakeDropout(config.keepProb as number),
      Scale: (config) => new Scale(config.factor as number, config.units as number),
    };
    const loaded = loadModel(saved, { layers });
    expect(loaded.model.getConfig()).toEqual(model.getConfig());
    expect(loaded.model.forward(x).data).toEqual(expected.data);
  });
});

/** Stands in for @hone/regularize's Dropout (which @hone/nn cannot import): no parameters, a config. */
class FakeDropout extends Module {
  constructor(readonly keepProb: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x;
  }
  getConfig(): ModuleConfig {
    return { type: "FakeDropout", config: { keepProb: this.keepProb } };
  }
}

/** A layer from outside the package with a parameter of its own. */
class Scale extends Module {
  readonly gamma: Tensor;
  constructor(readonly factor: number, readonly units: number) {
    super();
    this.gamma = this.registerParameter("gamma", tensor(Array.from({ length: units }, (_, i) => factor * (i + 1) - 0.5)));
  }
  forward(x: Tensor): Tensor {
    return x.mul(this.gamma);
  }
  getConfig(): ModuleConfig {
    return { type: "Scale", config: { factor: this.factor, units: this.units } };
  }
}

describe("ModuleList and moduleFromConfig", () => {
  it("a ModuleList round-trips its children and parameters", () => {
    const g = rng(4);
    const list = new ModuleList([linear(g, 2, 3), new Tanh(), linear(g, 3, 1, { bias: false })]);
    for (const format of formats) {
      const loaded = loadModel(save(list, format)).model;
      expect(loaded).toBeInstanceOf(ModuleList);
      expect(loaded.getConfig()).toEqual(list.getConfig());
      expect(loaded.namedParameters().map(([n, p]) => [n, Array.from(p.data)])).toEqual(list.namedParameters().map(([n, p]) => [n, Array.from(p.data)]));
    }
  });

  it("moduleFromConfig rebuilds the architecture with zero weights", () => {
    const model = mlp([2, 3, 1], randomInit(rng(0)));
    const copy = moduleFromConfig(model.getConfig());
    expect(copy.getConfig()).toEqual(model.getConfig());
    expect(copy.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ["layers.0.weight", [3, 2]], ["layers.0.bias", [3]], ["layers.2.weight", [1, 3]], ["layers.2.bias", [1]],
    ]);
    for (const p of copy.parameters()) expect(Array.from(p.data)).toEqual(new Array<number>(p.size).fill(0));
  });

  it("builtinLayers lists the thirteen built-in layers and is frozen", () => {
    expect(Object.keys(builtinLayers)).toEqual(["Linear", "ReLU", "LeakyReLU", "Tanh", "Sigmoid", "Softmax", "Identity", "Flatten", "Reshape", "Conv2d", "MaxPool2d", "AvgPool2d", "ModuleList", "Sequential"]);
    expect(Object.isFrozen(builtinLayers)).toBe(true);
    expect(builtinLayers.LeakyReLU!({ slope: 0.25 }, []).getConfig()).toEqual({ type: "LeakyReLU", config: { slope: 0.25 } });
  });
});

// ---------------------------------------------------------------------------------------
// The files themselves, read by hand

describe("JSON format layout", () => {
  it("is the documented object, with non-finite values as strings and exact numbers", () => {
    const model = new Sequential([linear(rng(8), 2, 2), new ReLU()]);
    const layer = (model.layers.items[0] as Linear);
    layer.weight.data.set([0.1 + 0.2, NaN, Infinity, -Infinity]);
    const text = serializeModel(model, { format: "json", metadata: { mean: [1, 2] } });
    const file = JSON.parse(text) as Record<string, unknown>;
    expect(file.format).toBe("hone.model");
    expect(file.version).toBe(1);
    expect(file.architecture).toEqual(model.getConfig());
    expect(file.metadata).toEqual({ mean: [1, 2] });
    const params = file.parameters as Record<string, { dtype: string; shape: number[]; data: unknown[] }>;
    expect(Object.keys(params)).toEqual(["layers.0.weight", "layers.0.bias"]);
    expect(params["layers.0.weight"]).toEqual({ dtype: "float64", shape: [2, 2], data: [0.30000000000000004, "NaN", "Infinity", "-Infinity"] });
    expect(params["layers.0.bias"]!.data).toEqual(Array.from(layer.bias!.data));
  });
});

describe("safetensors layout, parsed by hand", () => {
  it.each(["float64", "float32"] as DType[])("%s: header, offsets, alignment and little-endian bytes", (dtype) => {
    const g = rng(21);
    const model = new Sequential([linear(g, 3, 4, { dtype }), new Tanh(), linear(g, 4, 2, { dtype, bias: false })]);
    const metadata = { mean: [0.5, -1.25, 3], std: [1, 2, 4] };
    const bytes = serializeModel(model, { format: "safetensors", metadata });

    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = Number(view.getBigUint64(0, true));
    const start = 8 + n;
    expect(start % 8).toBe(0);
    expect(start).toBeLessThanOrEqual(bytes.length);
    const headerText = new TextDecoder().decode(bytes.subarray(8, start));
    expect(headerText.startsWith("{")).toBe(true);
    expect(headerText.trimEnd().endsWith("}")).toBe(true);
    expect(/^ *$/.test(headerText.slice(headerText.trimEnd().length))).toBe(true); // padding is spaces
    const header = JSON.parse(headerText) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> & { __metadata__: Record<string, string> };

    const meta = header.__metadata__;
    for (const v of Object.values(meta)) expect(typeof v).toBe("string");
    expect(JSON.parse(meta["hone.architecture"]!)).toEqual(model.getConfig());
    expect(JSON.parse(meta["hone.metadata"]!)).toEqual(metadata);
    expect(meta["hone.version"]).toBe("1");

    const names = Object.keys(header).filter((k) => k !== "__metadata__");
    expect(names).toEqual(["layers.0.weight", "layers.0.bias", "layers.2.weight"]);
    const width = dtype === "float64" ? 8 : 4;
    const expectedShapes: Record<string, number[]> = { "layers.0.weight": [4, 3], "layers.0.bias": [4], "layers.2.weight": [2, 4] };
    let cursor = 0;
    for (const name of names) {
      const e = header[name]!;
      expect(e.dtype).toBe(dtype === "float64" ? "F64" : "F32");
      expect(e.shape).toEqual(expectedShapes[name]);
      expect(e.data_offsets[0]).toBe(cursor); // contiguous from 0, in header order
      expect(e.data_offsets[1] - e.data_offsets[0]).toBe(e.shape.reduce((a, b) => a * b, 1) * width);
      cursor = e.data_offsets[1];
    }
    expect(start + cursor).toBe(bytes.length); // the buffer is exactly covered

    // Decode one tensor by hand, little-endian, and compare with the weights.
    const w = header["layers.2.weight"]!;
    const decoded = Array.from({ length: 8 }, (_, i) =>
      dtype === "float64" ? view.getFloat64(start + w.data_offsets[0] + 8 * i, true) : view.getFloat32(start + w.data_offsets[0] + 4 * i, true));
    expect(decoded).toEqual(Array.from((model.layers.items[2] as Linear).weight.data));
  });

  it("writeSafetensors lays out a scalar, an empty tensor and a vector with exact offsets", () => {
    const bytes = writeSafetensors({ s: tensor(2.5), e: tensor([], { shape: [0, 3] }), v: tensor([1, -2], { dtype: "float32" }) }, { who: "test" });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = Number(view.getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
    expect(header).toEqual({
      __metadata__: { who: "test" },
      s: { dtype: "F64", shape: [], data_offsets: [0, 8] },
      e: { dtype: "F64", shape: [0, 3], data_offsets: [8, 8] },
      v: { dtype: "F32", shape: [2], data_offsets: [8, 16] },
    });
    expect(bytes.length).toBe(8 + n + 16);
    expect(view.getFloat64(8 + n, true)).toBe(2.5);
    expect([view.getFloat32(8 + n + 8, true), view.getFloat32(8 + n + 12, true)]).toEqual([1, -2]);
  });
});

describe("readSafetensors on files written elsewhere", () => {
  it("reads a hand-assembled file: unaligned data, tensors not in data order, F32 and F64, metadata", () => {
    // 'b' is listed first but stored second; the header length (odd) leaves the data unaligned.
    const text = '{"b":{"dtype":"F32","shape":[2,2],"data_offsets":[24,40]},"a":{"dtype":"F64","shape":[3],"data_offsets":[0,24]},"__metadata__":{"k":"v"}}';
    expect(text.length % 8).not.toBe(0);
    const bytes = stFile(text, concatBytes(f64Bytes([1.5, -0.1, 1e300]), f32Bytes([0.5, -2, 8, 0.25])));
    const file = readSafetensors(bytes);
    expect(Object.keys(file.tensors)).toEqual(["b", "a"]);
    expect(file.tensors.a!.dtype).toBe("float64");
    expect(Array.from(file.tensors.a!.data)).toEqual([1.5, -0.1, 1e300]);
    expect(file.tensors.b!.dtype).toBe("float32");
    expect(file.tensors.b!.shape).toEqual([2, 2]);
    expect(file.tensors.b!.toArray()).toEqual([[0.5, -2], [8, 0.25]]);
    expect(file.metadata).toEqual({ k: "v" });
    expect(file.header.a).toEqual({ dtype: "F64", shape: [3], data_offsets: [0, 24] });
  });

  it("a header whose length's low byte is '{' (123 bytes) is still read as safetensors", () => {
    const core = '{"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}';
    const bytes = stFile(core.padEnd(123, " "), f64Bytes([7]));
    expect(bytes[0]).toBe(0x7b);
    expect(readSafetensors(bytes).tensors.x!.item()).toBe(7);
    const arch = JSON.stringify({ type: "Identity", config: {} }).replaceAll('"', '\\"');
    const model = stFile(`{"__metadata__":{"hone.version":"1","hone.architecture":"${arch}"}}`.padEnd(123, " "));
    expect(model[0]).toBe(0x7b);
    expect(loadModel(model).model.getConfig()).toEqual({ type: "Identity", config: {} });
  });

  it("loads a model file written by Python's safetensors 0.8.0 and predicts as numpy does", () => {
    // Written with safetensors.numpy.save: W1, b1, W2, b2 = RandomState(7).randn(4,3), (4), (2,4), (2);
    // metadata hone.version, hone.architecture (Linear 3→4, ReLU, Linear 4→2), hone.metadata.
    // Expected outputs from numpy: maximum(x @ W1.T + b1, 0) @ W2.T + b2.
    const fixture = "0AIAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJob25lLmFyY2hpdGVjdHVyZSI6IntcInR5cGVcIjogXCJTZXF1ZW50aWFsXCIsIFwiY29uZmlnXCI6IHt9LCBcImNoaWxkcmVuXCI6IFt7XCJ0eXBlXCI6IFwiTGluZWFyXCIsIFwiY29uZmlnXCI6IHtcImluRmVhdHVyZXNcIjogMywgXCJvdXRGZWF0dXJlc1wiOiA0LCBcImJpYXNcIjogdHJ1ZSwgXCJkdHlwZVwiOiBcImZsb2F0NjRcIn19LCB7XCJ0eXBlXCI6IFwiUmVMVVwiLCBcImNvbmZpZ1wiOiB7fX0sIHtcInR5cGVcIjogXCJMaW5lYXJcIiwgXCJjb25maWdcIjoge1wiaW5GZWF0dXJlc1wiOiA0LCBcIm91dEZlYXR1cmVzXCI6IDIsIFwiYmlhc1wiOiB0cnVlLCBcImR0eXBlXCI6IFwiZmxvYXQ2NFwifX1dfSIsImhvbmUudmVyc2lvbiI6IjEiLCJob25lLm1ldGFkYXRhIjoie1wibWVhblwiOiBbMC41LCAtMS4wLCAyLjBdfSJ9LCJsYXllcnMuMC5iaWFzIjp7ImR0eXBlIjoiRjY0Iiwic2hhcGUiOls0XSwiZGF0YV9vZmZzZXRzIjpbMCwzMl19LCJsYXllcnMuMC53ZWlnaHQiOnsiZHR5cGUiOiJGNjQiLCJzaGFwZSI6WzQsM10sImRhdGFfb2Zmc2V0cyI6WzMyLDEyOF19LCJsYXllcnMuMi5iaWFzIjp7ImR0eXBlIjoiRjY0Iiwic2hhcGUiOlsyXSwiZGF0YV9vZmZzZXRzIjpbMTI4LDE0NF19LCJsYXllcnMuMi53ZWlnaHQiOnsiZHR5cGUiOiJGNjQiLCJzaGFwZSI6WzIsNF0sImRhdGFfb2Zmc2V0cyI6WzE0NCwyMDhdfX0gICB3qNuXaSvgP1hE9kEQutC/ITAE3WYSz7/icz0RekD3vynrLa5kDPs/TUEd+urR3b/tOkzzzc2gP8mtAy2/FNo/P0jggds+6b8vfYMC0utgPyldABIZLU2/df9Ty1kT/L+GZc3CU0jwP9V45alIN+M/5Q6ln4MD5L+TucIdS/XFv/685HPWPKe/7mkd3vo197+vmNI1H7/hPyCEzrSotr8/CyYnW8CQ0T9Fw878pGz4v4ScUhREafo/gKayTkTBwz8y+9ic5sbYv+ggazeKOwBA";
    const bytes = new Uint8Array(Buffer.from(fixture, "base64"));
    const { model, metadata, format } = loadModel(bytes);
    expect(format).toBe("safetensors");
    expect(metadata).toEqual({ mean: [0.5, -1, 2] });
    // numpy's W1[0], exact: the bytes are decoded, not recomputed.
    expect(Array.from(model.namedParameters().find(([n]) => n === "layers.0.weight")![1].data.subarray(0, 3)))
      .toEqual([1.690525703800356, -0.4659373705408328, 0.0328201636785844]);
    const y = model.forward(tensor([[0.3, -1.2, 2.0], [-0.7, 0.4, 0.1]])).toArray() as number[][];
    const want = [[2.0329802159298547, -0.13189601303415266], [-0.04538602986064609, -1.4506786991465748]];
    // Summation order (numpy uses BLAS) may differ in the last bits: |Δ| ≤ 1e-13.
    y.flat().forEach((v, i) => expect(Math.abs(v - want.flat()[i]!)).toBeLessThanOrEqual(1e-13));
  });
});

// ---------------------------------------------------------------------------------------
// Bad files

describe("corrupted, truncated and mismatched files throw ModelFormatError", () => {
  const model = new Sequential([linear(rng(3), 3, 4), new ReLU(), linear(rng(4), 4, 2)]);
  const st = serializeModel(model, { format: "safetensors", metadata: { a: 1 } });
  const n = Number(new DataView(st.buffer).getBigUint64(0, true));
  const json = serializeModel(model, { format: "json" });
  const jsonFile = (): Record<string, unknown> & { parameters: Record<string, { dtype: string; shape: number[]; data: unknown[] }>; architecture: ModuleConfig } =>
    JSON.parse(json) as ReturnType<typeof jsonFile>;

  it.each([
    ["empty file", 0, /0 bytes, too short to hold the 8-byte header length/],
    ["inside the length", 3, /3 bytes, too short/],
    ["just before the header", 7, /7 bytes, too short/],
    ["at the start of the header", 9, /header length is \d+ bytes but only 1 bytes follow/],
    ["inside the header", 8 + Math.floor(n / 2), /header length is \d+ bytes but only \d+ bytes follow.*truncated/],
    ["at the start of the data", 8 + n, /data_offsets \[0, 96\] run past the end of the 0-byte data buffer; the file is truncated/],
    ["inside the data", 8 + n + 100, /run past the end of the 100-byte data buffer/],
    ["one byte short", st.length - 1, /run past the end/],
  ])("truncated %s", (_label, cut, pattern) => {
    expectError(() => loadModel(st.slice(0, cut)), ModelFormatError, pattern);
    expectError(() => readSafetensors(st.slice(0, cut)), ModelFormatError, pattern);
  });

  it("a header length larger than the file", () => {
    const bad = st.slice();
    new DataView(bad.buffer).setBigUint64(0, BigInt(st.length), true);
    expectError(() => loadModel(bad), ModelFormatError, new RegExp(`header length is ${st.length} bytes but only ${st.length - 8} bytes follow`));
    new DataView(bad.buffer).setBigUint64(0, 2n ** 64n - 1n, true);
    expectError(() => loadModel(bad), ModelFormatError, /header length is 18446744073709551615 bytes/);
  });

  const f64 = (k: number): Uint8Array => f64Bytes(Array.from({ length: k }, (_, i) => i + 0.5));
  it.each([
    ["invalid JSON", stFile('{"a":{"dtype":"F64",', f64(1)), /header is not valid JSON/],
    ["invalid UTF-8", concatBytes(stFile('{"a":"__"}').subarray(0, 14), new Uint8Array([0xff, 0xfe]), new TextEncoder().encode('"}')), /header is not valid UTF-8/],
    ["a JSON array header", stFile(" []"), /must be a JSON object starting with '\{'/],
    ["overlapping offsets", stFile('{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"b":{"dtype":"F64","shape":[2],"data_offsets":[8,24]}}', f64(3)), /tensors 'a' and 'b' overlap/],
    ["a hole between tensors", stFile('{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"b":{"dtype":"F64","shape":[1],"data_offsets":[16,24]}}', f64(3)), /hole: bytes 8\.\.16 belong to no tensor/],
    ["trailing bytes", stFile('{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}', f64(2)), /data buffer is 16 bytes but the tensors cover 8/],
    ["an unsupported dtype", stFile('{"a":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}', f64(1)), /tensor 'a': unsupported dtype "F16"; Hone reads "F64" and "F32"/],
    ["a shape that does not match the byte length", stFile('{"a":{"dtype":"F64","shape":[3],"data_offsets":[0,16]}}', f64(2)), /tensor 'a': data_offsets \[0, 16\] span 16 bytes but shape \[3\] of F64 needs 24/],
    ["a negative dimension", stFile('{"a":{"dtype":"F64","shape":[-1],"data_offsets":[0,8]}}', f64(1)), /tensor 'a': shape must hold non-negative integers/],
    ["a fractional dimension", stFile('{"a":{"dtype":"F64","shape":[1.5],"data_offsets":[0,8]}}', f64(1)), /shape must hold non-negative integers/],
    ["offsets that end before they begin", stFile('{"a":{"dtype":"F64","shape":[0],"data_offsets":[8,0]}}', f64(1)), /end before they begin/],
    ["malformed offsets", stFile('{"a":{"dtype":"F64","shape":[1],"data_offsets":[0]}}', f64(1)), /data_offsets must be \[begin, end\]/],
    ["offsets past the buffer", stFile('{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}', f64(1)), /run past the end of the 8-byte data buffer/],
    ["a non-string metadata value", stFile('{"__metadata__":{"n":1}}'), /__metadata__ values must be strings, but "n" is 1/],
  ])("%s", (_label, bytes, pattern) => {
    expectError(() => readSafetensors(bytes), ModelFormatError, pattern);
    expectError(() => loadModel(bytes), ModelFormatError, pattern);
  });

  it("a file whose tensors are fine but hold no model, or another version", () => {
    const plain = writeSafetensors({ w: tensor([1, 2]) });
    expect(readSafetensors(plain).tensors.w!.toArray()).toEqual([1, 2]);
    expectError(() => loadModel(plain), ModelFormatError, /no "hone.architecture" in __metadata__/);
    const arch = JSON.stringify(model.getConfig());
    const tensors = readSafetensors(st).tensors;
    expectError(() => loadModel(writeSafetensors(tensors, { "hone.version": "2", "hone.architecture": arch })), ModelFormatError, /unsupported hone.version "2"/);
    expectError(() => loadModel(writeSafetensors(tensors, { "hone.version": "1", "hone.architecture": "{oops" })), ModelFormatError, /"hone.architecture" is not valid JSON/);
    expectError(() => loadModel(writeSafetensors(tensors, { "hone.version": "1", "hone.architecture": arch, "hone.metadata": "[1," })), ModelFormatError, /"hone.metadata" is not valid JSON/);
  });

  it("safetensors parameters that do not match the architecture: missing, extra, shape, dtype", () => {
    const meta = readSafetensors(st).metadata;
    const all = readSafetensors(st).tensors;
    const { ["layers.2.bias"]: _dropped, ...missing } = all;
    expectError(() => loadModel(writeSafetensors(missing, meta)), ModelFormatError, /do not match the architecture: missing 'layers\.2\.bias'/);
    expectError(() => loadModel(writeSafetensors({ ...all, "layers.1.weight": tensor([1]) }, meta)), ModelFormatError, /unexpected 'layers\.1\.weight'/);
    expectError(() => loadModel(writeSafetensors({ ...all, "layers.2.bias": tensor([1, 2, 3]) }, meta)), ModelFormatError, /'layers\.2\.bias' has shape \[3\] in the file, the architecture expects \[2\]/);
    expectError(() => loadModel(writeSafetensors({ ...all, "layers.2.bias": tensor([1, 2], { dtype: "float32" }) }, meta)), ModelFormatError, /'layers\.2\.bias' is float32 in the file, the architecture expects float64/);
  });

  it("an unknown layer type names it and the known types", () => {
    const file = jsonFile();
    file.architecture.children![1] = { type: "Conv3d", config: { filters: 8 } };
    expectError(() => loadModel(JSON.stringify(file)), ModelFormatError, /unknown layer type 'Conv3d' at architecture\.children\[1\]; known types: Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Softmax, Identity, Flatten, Reshape, Conv2d, MaxPool2d, AvgPool2d, ModuleList, Sequential/);
    file.architecture.children![1] = { type: "constructor", config: {} }; // not found on Object.prototype
    expectError(() => loadModel(JSON.stringify(file)), ModelFormatError, /unknown layer type 'constructor'/);
  });

  it("a config a builder rejects, and a malformed architecture", () => {
    const file = jsonFile();
    file.architecture.children![1] = { type: "LeakyReLU", config: { slope: "steep" } };
    expectError(() => loadModel(JSON.stringify(file)), ModelFormatError, /cannot build architecture\.children\[1\] \(LeakyReLU\).*config\.slope must be a number, got "steep"/);
    file.architecture.children![1] = { type: "ReLU", config: {}, children: [{ type: "Tanh", config: {} }] };
    expectError(() => loadModel(JSON.stringify(file)), ModelFormatError, /ReLU takes no children/);
    file.architecture.children![1] = { type: "Linear", config: { inFeatures: 4, outFeatures: 4, dtype: "float16" } };
    expectError(() => loadModel(JSON.stringify(file)), ModelFormatError, /config\.dtype must be "float64" or "float32", got "float16"/);
    (file as Record<string, unknown>).architecture = { type: "Sequential", config: [] };
    expectError(() => loadModel(JSON.stringify(file)), ModelFormatError, /architecture\.config must be an object/);
  });

  it("JSON parameter names that do not match the architecture", () => {
    const file = jsonFile();
    file.parameters["layers.0.b"] = file.parameters["layers.0.bias"]!;
    delete file.parameters["layers.0.bias"];
    expectError(() => loadModel(JSON.stringify(file)), ModelFormatError, /missing 'layers\.0\.bias'; unexpected 'layers\.0\.b' \(the architecture has layers\.0\.weight, layers\.0\.bias, layers\.2\.weight, layers\.2\.bias\)/);
  });

  it.each([
    ["a wrong version", (f: ReturnType<typeof jsonFile>) => { f.version = 2; }, /unsupported version 2; this Hone reads version 1/],
    ["a missing version", (f: ReturnType<typeof jsonFile>) => { delete f.version; }, /unsupported version undefined/],
    ["another format", (f: ReturnType<typeof jsonFile>) => { f.format = "keras"; }, /"format" must be "hone.model", got "keras"; this is not a Hone model file/],
    ["a data length mismatch", (f: ReturnType<typeof jsonFile>) => { f.parameters["layers.0.weight"]!.data.pop(); }, /parameter 'layers\.0\.weight': data has 11 values but shape \[4,3\] needs 12/],
    ["a bad value", (f: ReturnType<typeof jsonFile>) => { f.parameters["layers.2.bias"]!.data[1] = "nan"; }, /parameter 'layers\.2\.bias': data\[1\] must be a number or one of "NaN", "Infinity", "-Infinity", got "nan"/],
    ["a bad dtype", (f: ReturnType<typeof jsonFile>) => { f.parameters["layers.2.bias"]!.dtype = "int8"; }, /dtype must be "float64" or "float32", got "int8"/],
    ["a bad shape", (f: ReturnType<typeof jsonFile>) => { f.parameters["layers.2.bias"]!.shape = [2, -1]; }, /shape must hold non-negative integers/],
    ["a shape mismatch with the architecture", (f: ReturnType<typeof jsonFile>) => { f.parameters["layers.2.bias"] = { dtype: "float64", shape: [1, 2], data: [1, 2] }; }, /'layers\.2\.bias' has shape \[1,2\] in the file, the architecture expects \[2\]/],
    ["no parameters object", (f: ReturnType<typeof jsonFile>) => { delete (f as Record<string, unknown>).parameters; }, /"parameters" must be an object/],
  ])("JSON with %s", (_label, edit, pattern) => {
    const file = jsonFile();
    edit(file);
    expectError(() => loadModel(JSON.stringify(file)), ModelFormatError, pattern);
    expectError(() => loadModel(new TextEncoder().encode(JSON.stringify(file))), ModelFormatError, pattern);
  });

  it("JSON that is truncated or not an object", () => {
    for (const cut of [1, 20, Math.floor(json.length / 2), json.length - 3]) {
      expectError(() => loadModel(json.slice(0, cut)), ModelFormatError, /not valid JSON.*corrupted or truncated/);
    }
    expectError(() => loadModel("[1, 2]"), ModelFormatError, /expected a JSON object with "format": "hone.model"/);
  });
});

describe("bad arguments throw ArgumentError", () => {
  const model = linear(rng(1), 2, 2);
  it("metadata that JSON cannot hold exactly", () => {
    expectError(() => serializeModel(model, { format: "json", metadata: { std: [1, NaN] } }), ArgumentError, /metadata\.std\[1\] is NaN; JSON holds finite numbers only/);
    expectError(() => serializeModel(model, { format: "safetensors", metadata: { mean: new Float64Array(2) } }), ArgumentError, /metadata\.mean is a Float64Array; convert it with Array\.from\(\)/);
    expectError(() => serializeModel(model, { format: "json", metadata: { t: tensor([1]) } }), ArgumentError, /metadata\.t is a Tensor; convert it with toArray\(\)/);
    expectError(() => serializeModel(model, { format: "json", metadata: { when: new Date(0) } }), ArgumentError, /metadata\.when is a Date; it must be a plain object/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expectError(() => serializeModel(model, { format: "json", metadata: cyclic }), ArgumentError, /metadata\.self refers back to itself/);
  });

  it("a bad format, model, or architecture", () => {
    expectError(() => serializeModel(model, { format: "yaml" as "json" }), ArgumentError, /format must be "json" or "safetensors", got "yaml"/);
    expectError(() => serializeModel({} as Module, { format: "json" }), ArgumentError, /model must be a Module/);
    class Weird extends Module {
      forward(x: Tensor): Tensor { return x; }
      getConfig(): ModuleConfig { return { type: "Weird", config: { fn: () => 1 } }; }
    }
    expectError(() => serializeModel(new Weird(), { format: "json" }), ArgumentError, /architecture\.config\.fn is a function/);
  });

  it("writeSafetensors rejects a reserved name, non-tensors and non-string metadata", () => {
    expectError(() => writeSafetensors({ __metadata__: tensor([1]) }), ArgumentError, /"__metadata__" is reserved/);
    expectError(() => writeSafetensors({ a: [1, 2] as unknown as Tensor }), ArgumentError, /tensors\.a must be a Tensor/);
    expectError(() => writeSafetensors({ a: tensor([1]) }, { n: 1 as unknown as string }), ArgumentError, /metadata values must be strings.*metadata\.n is 1/);
  });

  it("loadModel rejects non-function builders and other inputs", () => {
    const saved = serializeModel(model, { format: "json" });
    expectError(() => loadModel(saved, { layers: { Dropout: 3 as unknown as LayerBuilder } }), ArgumentError, /options\.layers\.Dropout must be a builder function/);
    expectError(() => loadModel(42 as unknown as string), ArgumentError, /input must be a string \(JSON\) or a Uint8Array/);
    expectError(() => loadModel(saved, { layers: { Linear: () => ({}) as Module } }), ArgumentError, /the builder for 'Linear' returned .*expected a Module/);
  });
});
