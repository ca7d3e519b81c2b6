// @hone/data-split: the public surface. Everything importable is listed here by name.
export type { RngLike } from "./util.js";
export type {
  SplitPart, TrainDevTestSplit, TrainTestSplit, TrainDevTestIndices, TrainTestIndices,
  ShuffleOptions, TrainDevTestSplitOptions, TrainTestSplitOptions, Fold, KFoldOptions,
} from "./split.js";
export { trainDevTestSplit, trainTestSplit, applySplit, splitIndices, kFold } from "./split.js";
export type { StandardizerJSON, MinMaxScalerJSON, MinMaxScalerOptions } from "./scaler.js";
export { Standardizer, MinMaxScaler, scalerFromJSON } from "./scaler.js";
export type { MiniBatch, MiniBatches, MiniBatchOptions } from "./batches.js";
export { miniBatches } from "./batches.js";
export type {
  KsResult, FeatureComparison, DistributionComparison, CompareOptions, SplitFinding, SplitCheck,
} from "./distribution.js";
export { kolmogorovQ, ksTest, compareDistributions, checkSplit } from "./distribution.js";
export type {
  Dataset, MoonsOptions, CirclesOptions, BlobsOptions, SpiralsOptions, ClassificationOptions,
} from "./datasets.js";
export { makeMoons, makeCircles, makeBlobs, makeSpirals, makeClassification } from "./datasets.js";
export type { MoonsBayesErrorOptions, CirclesBayesErrorOptions, SpiralsBayesErrorOptions, BlobsBayesErrorOptions } from "./bayes-error.js";
export { moonsBayesError, circlesBayesError, spiralsBayesError, blobsBayesError } from "./bayes-error.js";
export type { CsvOptions, CsvData, CsvFeaturesOptions, CsvSource, ToCsvOptions } from "./csv.js";
export { CsvError, parseCsv, parseCsvFeatures, parseCsvText, toCsv } from "./csv.js";
export type { Verdict, GapLevel, ErrorInput, BaseErrorInput, DiagnoseOptions, MeasuredError, BaseError, Diagnosis } from "./diagnose.js";
export { diagnose } from "./diagnose.js";
export type { Interval, Proportion } from "./stats.js";
export { normalCdf, normalQuantile, wilsonInterval, differenceInterval } from "./stats.js";
export type {
  LearningCurvePoint, LearningCurveOptions, LearningCurveSizesOptions, MoreDataHelps, ReadLearningCurveOptions, LearningCurveReading,
} from "./learning-curve.js";
export { learningCurve, learningCurveSizes, readLearningCurve } from "./learning-curve.js";
export type { Extent } from "./grid.js";
export { extentOf, gridPoints } from "./grid.js";
export type { BaseErrorOptions, BaseErrorEstimate } from "./base-error.js";
export { estimateBaseError, coverHartLowerBound } from "./base-error.js";
export type { ReadTableOptions, Table, TableColumn } from "./table.js";
export { readTable, detectDelimiter, cellText, TableError, DEFAULT_NA_VALUES } from "./table.js";
export type { ColumnRole, Task, TablePreprocessorOptions, ColumnPlan, TargetPlan, Transformed, TablePreprocessorJSON } from "./preprocess.js";
export { TablePreprocessor, TableMismatchError, inferTask, labeledRows, classNames } from "./preprocess.js";
export type { NoiseVarianceOptions, NoiseVarianceEstimate } from "./noise-variance.js";
export { estimateNoiseVariance } from "./noise-variance.js";
export type { DigitsOptions, ImageDataset } from "./digits.js";
export { loadDigits, DIGITS_ATTRIBUTION } from "./digits.js";
