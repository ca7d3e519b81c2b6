// @hone/nn: the public surface.
export type { ModuleConfig } from "./module.js";
export { Module } from "./module.js";
export type { Activation, LinearOptions, MlpOptions, OutputActivation } from "./layers.js";
export {
  Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Softmax, Identity, Flatten, Reshape, ModuleList, Sequential, mlp, defaultInit,
} from "./layers.js";
export type { AvgPool2dLayerOptions, Conv2dLayerOptions, Pool2dLayerOptions } from "./conv-layers.js";
export { AvgPool2d, Conv2d, MaxPool2d } from "./conv-layers.js";
export type { CnnOptions } from "./cnn.js";
export { cnn } from "./cnn.js";
export type { BceLogitsOptions, BceOptions, Loss, LossOptions, Reduction } from "./losses.js";
export {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, softmaxCrossEntropy, meanSquaredError, oneHot,
} from "./losses.js";
export type { BinaryOutput, Metric } from "./metrics.js";
export { accuracy, errorRate, predictBinary, predictClass, binaryAccuracy, categoricalAccuracy } from "./metrics.js";
export type { BatchInfo, Callback, Dataset, EpochLog, FitAsyncOptions, FitContext, FitOptions, History, OptimizerLike, Penalty } from "./fit.js";
export { fit, fitAsync, flattenEpochLog, TrainingError, locateNonFinite } from "./fit.js";
export type {
  ModelFormat, LayerBuilder, SaveOptions, LoadOptions, LoadedModel, JsonTensor, JsonModelFile,
  SafetensorsDType, SafetensorsEntry, SafetensorsFile,
} from "./serialize.js";
export {
  ModelFormatError, builtinLayers, moduleFromConfig, serializeModel, loadModel, readSafetensors, writeSafetensors,
} from "./serialize.js";
export type { ClassificationHead, EvaluateOptions, Evaluation } from "./inference.js";
export { infer, evaluate, classificationHead } from "./inference.js";
export type { ClassScores, PrecisionRecallF1, ClassificationReportOptions, ClassificationReport, RegressionReport } from "./scores.js";
export {
  confusionMatrix, precisionRecallF1, rocAuc, averagePrecision, rocAucOvr, averagePrecisionOvr, logLoss, LOG_LOSS_EPS, classWeights,
  majorityBaseline, bestThreshold, classificationReport, regressionReport, rmse, mae, r2, meanBaseline,
} from "./scores.js";
export type { RegressionHead } from "./objectives.js";
export { huberLoss, weightedCrossEntropy, regressionHead } from "./objectives.js";
