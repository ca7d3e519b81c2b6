// @hone/optim: the public surface.
export type { GradientTransformation, ParamInfo, StepContext, TransformState } from "./transform.js";
export { chain } from "./transform.js";
export type { AdamScalingOptions, ParamMask, PlateauOptions, ScheduleUnit, TraceOptions } from "./transforms.js";
export {
  scaleByLearningRate, traceEma, trace, scaleByRms, scaleByAdam, addWeightDecay, clipByValue, clipByGlobalNorm,
  globalNorm, reduceOnPlateau, weightsOnly,
} from "./transforms.js";
export type { Schedule } from "./schedules.js";
export {
  constant, inverseTimeDecay, steppedInverseTimeDecay, exponentialDecay, inverseSqrtDecay, stepDecay, cosineDecay, warmup,
} from "./schedules.js";
export type { OptimizerState, SerializedTransformState } from "./optimizer.js";
export { Optimizer } from "./optimizer.js";
export type { AdamOptions, AdamWOptions, CommonOptions, MomentumOptions, RmspropOptions } from "./alias.js";
export { sgd, momentum, rmsprop, adam, adamw } from "./alias.js";
