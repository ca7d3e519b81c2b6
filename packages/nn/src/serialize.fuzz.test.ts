// Property-based fuzzing of the model loaders (loadModel on JSON text and safetensors bytes,
// readSafetensors) with fast-check, from a fixed seed so a CI failure reproduces exactly.
// The inputs: random bytes and text, truncations and single-byte corruptions of a real saved
// model in both formats, JSON with keys deleted or values replaced (wrong types, wrong
// shapes, huge numbers, NaN as a string, raw `1e999`), safetensors with mutated headers,
// header lengths and data offsets. The property: loadModel either throws a HoneError
// (ModelFormatError for a bad file) with a message, or returns a model whose parameters are
// all finite and whose shapes are the ones its architecture builds.
import { HoneError, rng } from "@hone/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mlp } from "./index.js";
import { ModelFormatError, loadModel, moduleFromConfig, readSafetensors, serializeModel, writeSafetensors, type LoadedModel } from "./serialize.js";

const SEED = 20261202;
const RUNS = 2000;
const params = (numRuns = RUNS): fc.Parameters<unknown> => ({ seed: SEED, numRuns });

// ---------------------------------------------------------------------------------------
// A real model, saved in both formats

const model = mlp([3, 4, 2], { rng: rng(0) });
const metadata = { classes: ["no", "yes"], mean: [0.5, -1, 2], std: [1, 2, 3] };
const JSON_TEXT: string = serializeModel(model, { format: "json", metadata });
const JSON_BYTES: Uint8Array = new TextEncoder().encode(JSON_TEXT);
const ST_BYTES: Uint8Array = serializeModel(model, { format: "safetensors", metadata });

/** The safetensors file split into its header object and data bytes. */
function splitSafetensors(bytes: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>, data: bytes.subarray(8 + n) };
}

/** A safetensors file from a header's JSON text and data bytes, with the given (or true) header length. */
function joinSafetensors(headerText: string, data: Uint8Array, length?: bigint): Uint8Array {
  const header = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

// ---------------------------------------------------------------------------------------
// The property

/** Loads `input`: a typed error with a message, or a model with finite parameters shaped as its architecture builds. */
function check(input: string | Uint8Array): "error" | "loaded" {
  let loaded: LoadedModel;
  try {
    loaded = loadModel(input);
  } catch (e) {
    expect(e).toBeInstanceOf(HoneError);
    expect((e as Error).message.length).toBeGreaterThan(0);
    return "error";
  }
  const got = loaded.model.namedParameters();
  for (const [, p] of got) for (const v of p.data) expect(Number.isFinite(v)).toBe(true);
  const fresh = moduleFromConfig(loaded.model.getConfig()).namedParameters();
  expect(got.map(([name, p]) => [name, p.shape, p.dtype])).toEqual(fresh.map(([name, p]) => [name, p.shape, p.dtype]));
  return "loaded";
}

// ---------------------------------------------------------------------------------------
// Mutations of a JSON value

type Path = (string | number)[];

/** Every path into `value` (objects' keys, arrays' indices), the root excluded. */
function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) value.forEach((v, i) => { out.push([...prefix, i]); paths(v, [...prefix, i], out); });
  else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) { out.push([...prefix, k]); paths(v, [...prefix, k], out); }
  return out;
}

/** An array nested 100,000 deep, as JSON text. */
const DEEP = "[".repeat(100_000) + "]".repeat(100_000);

/**
 * Raw JSON put in place of a value: what JSON.stringify cannot write (1e999, NaN), and big
 * values kept out of the object tree so that finding paths stays cheap.
 */
const RAW_TOKENS = [
  "1e999", "-1e999", "NaN", "1e-400", DEEP, `[${DEEP},1]`, `{"a":${DEEP}}`,
  JSON.stringify(new Array(100_000).fill(1)), JSON.stringify(new Array(1000).fill("x".repeat(100))), JSON.stringify("y".repeat(100_000)),
];
const RAW = "\u0000raw:";
const replacement = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, -1, 1.5, 1e308, -1e308, 2 ** 53, 1e9, 65536, "", "NaN", "Infinity", "-Infinity", "F64", "F32", "float32", "Linear", [], {}, [1e9], [-1], [2, 2], { type: "Linear", config: {} }),
  fc.integer({ min: 0, max: 3 }).map((i) => `${RAW}${i}`),
  fc.jsonValue({ maxDepth: 2 }),
);
/** A replacement, now and then one of the big raw values (deep, long), which cost a millisecond each. */
const replacementOrBig = fc.oneof({ arbitrary: replacement, weight: 12 }, { arbitrary: fc.integer({ min: 4, max: RAW_TOKENS.length - 1 }).map((i) => `${RAW}${i}`), weight: 1 });

interface Mutation { kind: "delete" | "replace"; pick: number; value: unknown }
const mutation: fc.Arbitrary<Mutation> = fc.record({ kind: fc.constantFrom("delete", "replace", "replace"), pick: fc.nat(), value: replacementOrBig });

/** `value` with up to three mutations applied, as JSON text (raw tokens written as themselves). */
function mutate(value: unknown, mutations: readonly Mutation[]): string {
  const root = structuredClone(value) as Record<string, unknown>;
  for (const m of mutations) {
    const all = paths(root);
    if (all.length === 0) break;
    const path = all[m.pick % all.length]!;
    let parent = root as unknown as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const key = path[path.length - 1]!;
    if (m.kind === "delete") {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else parent[key] = structuredClone(m.value);
  }
  return JSON.stringify(root).replace(/"\\u0000raw:(\d+)"/g, (_, i: string) => RAW_TOKENS[Number(i)]!);
}

// ---------------------------------------------------------------------------------------
// Properties

describe("loadModel on arbitrary input", () => {
  it("random bytes: a ModelFormatError or a valid model", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => { check(bytes); }), params());
  });

  it("random bytes behind a plausible safetensors header length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 300n })), (rest, length) => {
        const bytes = new Uint8Array(8 + rest.length);
        new DataView(bytes.buffer).setBigUint64(0, length, true);
        bytes.set(rest, 8);
        if (rest.length > 0) bytes[8] = 0x7b;
        check(bytes);
      }),
      params(),
    );
  });

  it("random text: a ModelFormatError", () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 3 })), (text) => { expect(check(text)).toBe("error"); }), params());
  });
});

describe("loadModel on damaged real files", () => {
  it("every truncation of either format is refused", () => {
    fc.assert(
      fc.property(fc.constantFrom<string | Uint8Array>(JSON_TEXT, JSON_BYTES, ST_BYTES), fc.nat(), (file, n) => {
        // Everything but the JSON's trailing newline (without it the file is still whole).
        const cut = file.slice(0, n % (file === ST_BYTES ? file.length : JSON_TEXT.trimEnd().length));
        expect(check(cut)).toBe("error");
      }),
      params(),
    );
  });

  it("single-byte corruptions of either format: refused, or a valid model", () => {
    fc.assert(
      fc.property(fc.constantFrom(JSON_BYTES, ST_BYTES), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), (file, at, byte, asText) => {
        const bytes = file.slice();
        bytes[at % bytes.length] = byte;
        check(asText && file === JSON_BYTES ? new TextDecoder().decode(bytes) : bytes);
      }),
      params(),
    );
  });

  it("JSON with keys deleted and values replaced (types, shapes, huge numbers, NaN strings, raw 1e999)", () => {
    const parsed = JSON.parse(JSON_TEXT) as unknown;
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => { check(mutate(parsed, ms)); }), params());
  });

  it("safetensors with a mutated header, header length or architecture", () => {
    const { header, data } = splitSafetensors(ST_BYTES);
    const meta = header.__metadata__ as Record<string, string>;
    const architecture = JSON.parse(meta["hone.architecture"]!) as unknown;
    const target = fc.constantFrom("header", "architecture", "length");
    fc.assert(
      fc.property(target, fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.bigInt({ min: -64n, max: 64n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.boolean(), (what, ms, delta, any, wild) => {
        const text = JSON.stringify(header);
        if (what === "header") check(joinSafetensors(mutate(header, ms), data));
        else if (what === "architecture") check(joinSafetensors(JSON.stringify({ ...header, __metadata__: { ...meta, "hone.architecture": mutate({ a: architecture }, ms).slice(5, -1) } }), data));
        else check(joinSafetensors(text, data, wild ? any : BigInt.asUintN(64, BigInt(new TextEncoder().encode(text).length) + delta)));
      }),
      params(),
    );
  });

  it("safetensors data offsets moved anywhere", () => {
    const { header, data } = splitSafetensors(ST_BYTES);
    const names = Object.keys(header).filter((k) => k !== "__metadata__");
    const offset = fc.oneof(fc.integer({ min: 0, max: 400 }), fc.integer({ min: -5, max: 2 ** 31 }), fc.constantFrom(2 ** 53, 1e300, -1, 0.5));
    fc.assert(
      fc.property(fc.nat(), offset, offset, (pick, begin, end) => {
        const name = names[pick % names.length]!;
        const entry = header[name] as Record<string, unknown>;
        check(joinSafetensors(JSON.stringify({ ...header, [name]: { ...entry, data_offsets: [begin, end] } }), data));
      }),
      params(),
    );
  });
});

describe("readSafetensors on arbitrary bytes", () => {
  it("a ModelFormatError, or tensors as long as their shapes", () => {
    const tensors = readSafetensors(ST_BYTES).tensors;
    const small = writeSafetensors({ a: tensors["layers.0.bias"]! }, { k: "v" });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, b]) => { const s = small.slice(); s[at % s.length] = b; return s; })), (bytes) => {
        try {
          const file = readSafetensors(bytes);
          for (const t of Object.values(file.tensors)) expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
        } catch (e) {
          expect(e).toBeInstanceOf(ModelFormatError);
          expect((e as Error).message.length).toBeGreaterThan(0);
        }
      }),
      params(),
    );
  });
});

describe("non-finite weights and JSON syntax errors", () => {
  const names = model.namedParameters().map(([name]) => name);
  const sizes = model.namedParameters().map(([, p]) => p.size);
  const bad = fc.constantFrom(NaN, Infinity, -Infinity);

  it("a NaN or ±∞ anywhere in either format is refused, naming the tensor and the index", () => {
    const { header, data } = splitSafetensors(ST_BYTES);
    const file = JSON.parse(JSON_TEXT) as { parameters: Record<string, { data: unknown[] }> };
    fc.assert(
      fc.property(fc.nat(), fc.nat(), bad, fc.boolean(), (which, at, value, json) => {
        const k = which % names.length;
        const name = names[k]!;
        const index = at % sizes[k]!;
        let input: string | Uint8Array;
        if (json) {
          const copy = structuredClone(file);
          copy.parameters[name]!.data[index] = String(value);
          input = JSON.stringify(copy);
        } else {
          const bytes = data.slice();
          const [begin] = (header[name] as { data_offsets: [number, number] }).data_offsets;
          new DataView(bytes.buffer).setFloat64(begin + 8 * index, value, true);
          input = joinSafetensors(JSON.stringify(header), bytes);
        }
        expect(() => loadModel(input)).toThrow(ModelFormatError);
        expect(() => loadModel(input)).toThrow(`loadModel: parameter '${name}' holds ${value} at index ${index} of shape`);
        expect(loadModel(input, { allowNonFinite: true }).model.namedParameters()[k]![1].data[index]).toBe(value);
      }),
      params(1000),
    );
  });

  it("invalid JSON text is reported as such, at the position JSON.parse names when it names one", () => {
    const damaged = fc.tuple(fc.nat(), fc.constantFrom("", ",", "}", "]", "x", '"', ":", "\\", "\n", "1e", "-", "tru", "\u0001"), fc.nat()).map(([at, insert, drop]) => {
      const i = at % JSON_TEXT.length;
      return JSON_TEXT.slice(0, i) + insert + JSON_TEXT.slice(i + (drop % 3));
    });
    fc.assert(
      fc.property(fc.oneof(damaged, fc.json({ maxDepth: 2 }), fc.string({ maxLength: 30 })), (text) => {
        let parseError: Error | null = null;
        try { JSON.parse(text); } catch (e) { parseError = e as Error; }
        let error: Error | null = null;
        try { loadModel(text); } catch (e) { error = e as Error; }
        if (parseError === null) {
          expect(error?.message ?? "").not.toContain("not valid JSON");
          return;
        }
        expect(error).toBeInstanceOf(ModelFormatError);
        expect(error!.message).toMatch(/^loadModel: the text is not valid JSON at (line \d+, column \d+|the end of the text \(line \d+\)) \(/);
        const position = /at position (\d+)/.exec(parseError.message);
        if (position !== null) {
          const p = Number(position[1]);
          const before = text.slice(0, p);
          const where = p >= text.length ? "the end of the text" : `line ${before.split("\n").length}, column ${p - before.lastIndexOf("\n")}`;
          expect(error!.message).toContain(`not valid JSON at ${where}`);
        }
      }),
      params(),
    );
  });
});

// ---------------------------------------------------------------------------------------
// The inputs fuzzing found (shrunk), and the items, as plain tests.

describe("found by fuzzing, and the issue's model-file items", () => {
  function errorOf(input: string | Uint8Array): string {
    try {
      loadModel(input);
    } catch (e) {
      expect(e).toBeInstanceOf(ModelFormatError);
      return (e as Error).message;
    }
    throw new Error("expected a ModelFormatError");
  }
  const file = (): { parameters: Record<string, { data: unknown[]; dtype: string }>; architecture: { children: { config: Record<string, unknown> }[] } } => JSON.parse(JSON_TEXT) as ReturnType<typeof file>;

  it("refuses a JSON weight written as 1e999 (JSON.parse reads Infinity), naming the tensor", () => {
    // The shrunk counterexample: one data value replaced by the raw token 1e999.
    const text = JSON_TEXT.replace('"data":[0,0,0,0]', '"data":[0,1e999,0,0]');
    expect(errorOf(text)).toBe(
      "loadModel: parameter 'layers.0.bias' holds Infinity at index 1 of shape [4]; a model with NaN or infinite weights predicts NaN (did training diverge?); pass allowNonFinite: true to load it anyway",
    );
  });

  it("refuses NaN weights in JSON (\"NaN\") and in safetensors, and loads them with allowNonFinite", () => {
    const f = file();
    f.parameters["layers.2.weight"]!.data[3] = "NaN";
    f.parameters["layers.2.weight"]!.data[5] = "-Infinity";
    const text = JSON.stringify(f);
    expect(errorOf(text)).toMatch(/^loadModel: parameter 'layers\.2\.weight' holds NaN at index 3 of shape \[2, ?4\] \(2 non-finite values in all\)/);
    expect(loadModel(text, { allowNonFinite: true }).model.namedParameters()[2]![1].data[3]).toBeNaN();
    const weights = model.namedParameters().map(([, p]) => p.data);
    const broken = mlp([3, 4, 2], { rng: rng(0) });
    broken.namedParameters()[0]![1].data[0] = NaN;
    expect(weights[0]![0]).not.toBeNaN();
    expect(errorOf(serializeModel(broken, { format: "safetensors" }))).toMatch(/^loadModel: parameter 'layers\.0\.weight' holds NaN at index 0 of shape/);
    expect(() => loadModel(text, { allowNonFinite: "yes" as unknown as boolean })).toThrow(/options\.allowNonFinite must be true or false/);
  });

  it("refuses a float32 value beyond float32's range instead of reading it as Infinity", () => {
    const model32 = mlp([2, 1], { rng: rng(1), dtype: "float32" });
    const f = JSON.parse(serializeModel(model32, { format: "json" })) as { parameters: Record<string, { data: unknown[] }> };
    f.parameters["layers.0.weight"]!.data[1] = 1e300;
    expect(errorOf(JSON.stringify(f))).toBe("loadModel: parameter 'layers.0.weight': data[1] = 1e+300 is beyond float32's range");
  });

  it("refuses values nested 100,000 deep anywhere with a ModelFormatError, not a stack overflow", () => {
    // Found by fuzzing: describe() and JSON.stringify of such a value threw RangeError.
    const base = (arch: string, parameters = "{}"): string => `{"format":"hone.model","version":1,"architecture":${arch},"parameters":${parameters}}`;
    const relu = '{"type":"ReLU","config":{}}';
    for (const text of [
      DEEP,
      `{"format":${DEEP}}`,
      base(`{"type":"Linear","config":{"inFeatures":"x","d":${DEEP}}}`),
      base(relu, `{"w":{"dtype":"float64","shape":${DEEP},"data":[]}}`),
      base(relu, `{"w":{"dtype":"float64","shape":[1],"data":[${DEEP}]}}`),
      base(`{"type":"Sequential","config":{},"children":[${DEEP}]}`),
    ]) expect(errorOf(text).length).toBeLessThan(400);
    expect(errorOf(DEEP)).toBe('loadModel: expected a JSON object with "format": "hone.model", got [[[[…]]]]');
    expect(errorOf(base(relu, `{"w":{"dtype":"float64","shape":[${new Array(1000).fill(-1).join(",")}],"data":[]}}`))).toBe(
      "loadModel: parameter 'w': shape must hold non-negative integers, got [-1,-1,-1,-1,-1,-1,-1,-1,… (1000 items)]",
    );
  });

  it("names the line and column of a JSON syntax error, also where JSON.parse gives no position", () => {
    expect(errorOf("hello")).toBe(`loadModel: the text is not valid JSON at line 1, column 1 (Unexpected token 'h', "hello" is not valid JSON); the file is corrupted or truncated`);
    expect(errorOf('{"format":"hone.model",\n  "version": tru}')).toMatch(/^loadModel: the text is not valid JSON at line 2, column 17 \(/);
    expect(errorOf('{"format":"hone.model","version":1,')).toMatch(/^loadModel: the text is not valid JSON at the end of the text \(line 1\) \(/);
    expect(errorOf(JSON_TEXT.slice(0, 200))).toMatch(/^loadModel: the text is not valid JSON at the end of the text \(line 2\)/);
    expect(errorOf(new TextEncoder().encode('{"format":"hone.model",}'))).toMatch(/^loadModel: the text is not valid JSON at line 1, column 24 \(/);
  });
});
