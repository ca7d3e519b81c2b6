// gradientMonitor: a training callback that records per-layer gradient and weight norms
// (and, with a probe batch, activation norms) after each backward pass, and flags
// vanishing and exploding gradients by layer.
import type { BatchInfo, Callback, FitContext, Module } from "@hone/nn";
import { ArgumentError, Tensor, describe, noGrad } from "@hone/tensor";
import { walk } from "./walk.js";

/** Options for `gradientMonitor`. */
export interface GradientMonitorOptions {
  /**
   * Vanishing: the first layer's weight-gradient norm over the last layer's is below this.
   * Default `1e-3` (three orders of magnitude lost between output and input).
   */
  vanishingRatio?: number;
  /** Exploding: that ratio is above this (gradients growing towards the input). Default `1e3`. */
  explodingRatio?: number;
  /**
   * Exploding: some parameter's gradient norm ‖∂J/∂θ‖₂ is above this. Default `1e3`: with a
   * mean-reduced loss, a step of learning rate 0.01 would move that parameter by 10.
   * Non-finite gradients are always flagged.
   */
  explodingNorm?: number;
  /** Record every this many backward passes (1st, (1+every)th, …). Default `1`. */
  every?: number;
  /**
   * A fixed input batch. When given, each record also holds the norm of every layer's
   * output on it (computed in eval mode without gradients, through Sequential chains).
   * Default none.
   */
  probe?: Tensor;
}

/** One parameter's norms at a step. */
export interface ParameterStats {
  /** Its path (`layers.0.weight`). */
  name: string;
  /** ‖∂J/∂θ‖₂ (0 when no gradient reached it). */
  gradNorm: number;
  /** ‖θ‖₂. */
  weightNorm: number;
}

/** One layer's norms at a step: its parameters, grouped by the layer's path. */
export interface LayerStats {
  /** The layer's path (`layers.0`; `""` for parameters of the model itself). */
  layer: string;
  /** The layer's type (`Linear`). */
  type: string;
  /** The weight's gradient norm (all its parameters' together when it has no `weight`). */
  gradNorm: number;
  /** The weight's norm (all its parameters' together when it has no `weight`). */
  weightNorm: number;
  /** Every parameter of the layer. */
  parameters: ParameterStats[];
}

/** One layer's output on the probe batch. */
export interface ActivationStats {
  layer: string;
  type: string;
  /** ‖a‖₂ over the whole output. */
  norm: number;
  /** Root mean square of the output, `‖a‖₂ / √size`. */
  rms: number;
}

/** A flagged problem, naming the layer. */
export interface MonitorFinding {
  kind: "vanishing" | "exploding";
  /** The layer where it shows: the input-side layer for a collapsed or grown ratio, the offending layer for a large or non-finite norm. */
  layer: string;
  /** The backward pass it was seen at (from 0). */
  step: number;
  epoch: number;
  batch: number;
  /** The ratio or norm that crossed the threshold. */
  value: number;
  /** The threshold it crossed. */
  threshold: number;
  /** A sentence for people. */
  message: string;
}

/** What the monitor recorded at one step. */
export interface MonitorRecord {
  step: number;
  epoch: number;
  batch: number;
  /** The batch cost. */
  loss: number;
  /** Layers holding parameters, in the order of `namedParameters` (input to output for Sequential). */
  layers: LayerStats[];
  /** Output norms on the probe batch (null without a probe). */
  activations: ActivationStats[] | null;
  findings: MonitorFinding[];
}

/** A finding with how often it was seen. */
export interface MonitorFindingSummary extends MonitorFinding {
  /** How many recorded steps had this kind of finding at this layer (this entry is the first). */
  count: number;
}

/** The monitor's summary. */
export interface MonitorReport {
  /** Steps recorded. */
  records: number;
  vanishing: boolean;
  exploding: boolean;
  /** One entry per (kind, layer), first occurrence first. */
  findings: MonitorFindingSummary[];
  /** Per layer: the weight-gradient norm at the first and last record, and its range. */
  layers: { layer: string; type: string; first: number; last: number; min: number; max: number }[];
}

/** A fit callback that records gradient health; also usable by hand through `observe`. */
export interface GradientMonitor extends Callback {
  /** Every record so far, in order. */
  readonly history: readonly MonitorRecord[];
  /** Records the model's current gradients (call after backward). Returns the record, or null between `every` steps. */
  observe(model: Module, info?: Partial<BatchInfo>): MonitorRecord | null;
  /** The findings and per-layer norms so far. */
  report(): MonitorReport;
  onBackward(info: BatchInfo, ctx: FitContext): void;
}

/** ‖x‖₂, scaled so that large finite entries do not overflow; NaN or ∞ if an entry is. */
function l2(data: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]!);
    if (Number.isNaN(a)) return NaN;
    if (a > scale) scale = a;
  }
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < data.length; i++) s += (data[i]! / scale) ** 2;
  return scale * Math.sqrt(s);
}

function positive(op: string, name: string, v: number | undefined, fallback: number): number {
  const x = v ?? fallback;
  if (!(x > 0 && Number.isFinite(x))) throw new ArgumentError(`${op}: ${name} must be a positive number, got ${describe(v)}`);
  return x;
}

function layerStats(model: Module): LayerStats[] {
  const types = new Map(model.namedModules().map(([path, m]) => [path, m.getConfig().type]));
  const byLayer = new Map<string, LayerStats>();
  for (const [name, p] of model.namedParameters()) {
    const dot = name.lastIndexOf(".");
    const layer = dot < 0 ? "" : name.slice(0, dot);
    let stats = byLayer.get(layer);
    if (stats === undefined) {
      stats = { layer, type: types.get(layer) ?? "?", gradNorm: 0, weightNorm: 0, parameters: [] };
      byLayer.set(layer, stats);
    }
    stats.parameters.push({ name, gradNorm: p.grad === null ? 0 : l2(p.grad.data), weightNorm: l2(p.data) });
  }
  for (const stats of byLayer.values()) {
    const weight = stats.parameters.find((q) => q.name.endsWith(".weight") || q.name === "weight");
    if (weight !== undefined) {
      stats.gradNorm = weight.gradNorm;
      stats.weightNorm = weight.weightNorm;
    } else {
      stats.gradNorm = Math.hypot(...stats.parameters.map((q) => q.gradNorm));
      stats.weightNorm = Math.hypot(...stats.parameters.map((q) => q.weightNorm));
    }
  }
  return [...byLayer.values()];
}

function sci(v: number): string {
  return Number.isFinite(v) ? v.toExponential(2) : String(v);
}

/**
 * A training callback (`fit(..., { callbacks: [monitor] })`) that, after each backward
 * pass, records every layer's gradient and weight norms (grouped by layer path) and flags:
 *
 * - **vanishing**: ‖∇W‖ of the first layer / ‖∇W‖ of the last layer < `vanishingRatio`
 *   (default 1e-3): the gradient collapses towards the input;
 * - **exploding**: a non-finite gradient, a gradient norm above `explodingNorm` (default
 *   1e3), or that ratio above `explodingRatio` (default 1e3).
 *
 * "First" and "last" are the first and last layers with a `weight` in `namedParameters`
 * order, which is input to output for Sequential models and `mlp`.
 *
 * @example
 * ```ts
 * import { gradientMonitor } from "@hone/gradcheck";
 * import { fit, mlp, binaryCrossEntropyWithLogits } from "@hone/nn";
 * import { rng, randn, tensor } from "@hone/tensor";
 * const model = mlp([2, 8, 8, 1], { rng: rng(0) });
 * const monitor = gradientMonitor({ vanishingRatio: 1e-3 });
 * const sgd = { step: () => {} };
 * fit(model, { x: randn([4, 2], rng(1)), y: tensor([0, 1, 1, 0]) }, { loss: binaryCrossEntropyWithLogits, optimizer: sgd, epochs: 2, callbacks: [monitor] });
 * console.log(monitor.report().vanishing, monitor.history.length); // false 2
 * ```
 */
export function gradientMonitor(options: GradientMonitorOptions = {}): GradientMonitor {
  const op = "gradientMonitor";
  const vanishingRatio = positive(op, "vanishingRatio", options.vanishingRatio, 1e-3);
  const explodingRatio = positive(op, "explodingRatio", options.explodingRatio, 1e3);
  const explodingNorm = positive(op, "explodingNorm", options.explodingNorm, 1e3);
  if (!(explodingRatio > vanishingRatio)) throw new ArgumentError(`${op}: explodingRatio (${explodingRatio}) must be above vanishingRatio (${vanishingRatio})`);
  const every = options.every ?? 1;
  if (!Number.isInteger(every) || every < 1) throw new ArgumentError(`${op}: every must be a positive integer, got ${describe(options.every)}`);
  const probe = options.probe;
  if (probe !== undefined && !(probe instanceof Tensor)) throw new ArgumentError(`${op}: probe must be a Tensor, got ${describe(probe)}`);

  const history: MonitorRecord[] = [];
  let step = 0;

  const activations = (model: Module): ActivationStats[] => {
    const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
    const out: ActivationStats[] = [];
    try {
      model.eval();
      noGrad(() => walk(model, probe!.detach(), (path, layer, _input, y) => {
        const norm = l2(y.data);
        out.push({ layer: path, type: layer.getConfig().type, norm, rms: y.size === 0 ? 0 : norm / Math.sqrt(y.size) });
      }));
    } finally {
      for (const [m, training] of modes) m.training = training;
    }
    return out;
  };

  const findingsOf = (layers: LayerStats[], where: { step: number; epoch: number; batch: number }): MonitorFinding[] => {
    const found: MonitorFinding[] = [];
    const add = (kind: MonitorFinding["kind"], layer: string, value: number, threshold: number, message: string): void => {
      found.push({ kind, layer, ...where, value, threshold, message });
    };
    // Non-finite gradients: the first layer holding one (input side).
    for (const l of layers) {
      const bad = l.parameters.find((q) => !Number.isFinite(q.gradNorm));
      if (bad !== undefined) {
        add("exploding", l.layer, bad.gradNorm, explodingNorm, `exploding gradients: ${bad.name} has a non-finite gradient (norm ${bad.gradNorm})`);
        break;
      }
    }
    // A gradient norm above the threshold: the largest one.
    let largest: { layer: string; name: string; norm: number } | null = null;
    for (const l of layers) for (const q of l.parameters) if (q.gradNorm > explodingNorm && (largest === null || q.gradNorm > largest.norm)) largest = { layer: l.layer, name: q.name, norm: q.gradNorm };
    if (largest !== null) add("exploding", largest.layer, largest.norm, explodingNorm, `exploding gradients: ‖∇${largest.name}‖ = ${sci(largest.norm)} > ${sci(explodingNorm)}`);
    // The ratio between the input-side and output-side weight gradients.
    const weighted = layers.filter((l) => l.parameters.some((q) => q.name.endsWith(".weight") || q.name === "weight"));
    const first = weighted[0], last = weighted[weighted.length - 1];
    // Needs two layers with finite gradients and a nonzero output-side one.
    if (first !== undefined && last !== undefined && first !== last && last.gradNorm > 0 && Number.isFinite(first.gradNorm) && Number.isFinite(last.gradNorm)) {
      const r = first.gradNorm / last.gradNorm;
      if (r < vanishingRatio) {
        add("vanishing", first.layer, r, vanishingRatio, `vanishing gradients: ‖∇W‖ of ${first.layer} (${sci(first.gradNorm)}) is ${sci(r)} × that of ${last.layer} (${sci(last.gradNorm)}), below ${sci(vanishingRatio)}`);
      } else if (r > explodingRatio) {
        add("exploding", first.layer, r, explodingRatio, `exploding gradients: ‖∇W‖ of ${first.layer} (${sci(first.gradNorm)}) is ${sci(r)} × that of ${last.layer} (${sci(last.gradNorm)}), above ${sci(explodingRatio)}`);
      }
    }
    return found;
  };

  const observe = (model: Module, info: Partial<BatchInfo> = {}): MonitorRecord | null => {
    const current = step++;
    if (current % every !== 0) return null;
    const layers = layerStats(model);
    const where = { step: current, epoch: info.epoch ?? 0, batch: info.batch ?? current };
    const record: MonitorRecord = {
      ...where,
      loss: info.loss ?? NaN,
      layers,
      activations: probe === undefined ? null : activations(model),
      findings: findingsOf(layers, where),
    };
    history.push(record);
    return record;
  };

  const report = (): MonitorReport => {
    const seen = new Map<string, MonitorFindingSummary>();
    for (const r of history) {
      const kinds = new Set<string>();
      for (const f of r.findings) {
        const key = `${f.kind} ${f.layer}`;
        if (kinds.has(key)) continue;
        kinds.add(key);
        const s = seen.get(key);
        if (s === undefined) seen.set(key, { ...f, count: 1 });
        else s.count++;
      }
    }
    const findings = [...seen.values()];
    const layers = new Map<string, MonitorReport["layers"][number]>();
    for (const r of history) {
      for (const l of r.layers) {
        const s = layers.get(l.layer);
        if (s === undefined) layers.set(l.layer, { layer: l.layer, type: l.type, first: l.gradNorm, last: l.gradNorm, min: l.gradNorm, max: l.gradNorm });
        else {
          s.last = l.gradNorm;
          s.min = Math.min(s.min, l.gradNorm);
          s.max = Math.max(s.max, l.gradNorm);
        }
      }
    }
    return {
      records: history.length,
      vanishing: findings.some((f) => f.kind === "vanishing"),
      exploding: findings.some((f) => f.kind === "exploding"),
      findings,
      layers: [...layers.values()],
    };
  };

  return {
    history,
    observe,
    report,
    onBackward(info: BatchInfo, ctx: FitContext): void {
      observe(ctx.model, info);
    },
  };
}

/**
 * A monitor report as text: one line per layer (weight-gradient norm first → last, and its
 * range), then the findings.
 *
 * @example
 * ```ts
 * import { gradientMonitor, formatMonitorReport } from "@hone/gradcheck";
 * const monitor = gradientMonitor();
 * console.log(formatMonitorReport(monitor.report())); // "gradient monitor: 0 records …"
 * ```
 */
export function formatMonitorReport(report: MonitorReport): string {
  const lines = [`gradient monitor: ${report.records} records; ${report.vanishing ? "VANISHING" : "no vanishing"}, ${report.exploding ? "EXPLODING" : "no exploding"} gradients`];
  for (const l of report.layers) {
    lines.push(`  ${l.layer || "(model)"} ${l.type}: ‖∇W‖ ${sci(l.first)} → ${sci(l.last)} (range ${sci(l.min)} … ${sci(l.max)})`);
  }
  for (const f of report.findings) lines.push(`${f.kind} at ${f.layer || "(model)"}, step ${f.step} (seen ${f.count}×): ${f.message}`);
  return lines.join("\n");
}
