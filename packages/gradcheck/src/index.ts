// @hone/gradcheck: the public surface.
export type { GradcheckResult, GradcheckRow, Thresholds, Verdict, WorstEntry } from "./report.js";
export { defaultThresholds, formatReport, verdictOf } from "./report.js";
export type { GradcheckOptions } from "./gradcheck.js";
export { gradcheck } from "./gradcheck.js";
export type { CheckModelOptions, KinkWarning, ModelCheckResult } from "./check-model.js";
export { checkModel } from "./check-model.js";
export type { GradcheckCallback, GradcheckCallbackOptions, TrainingGradcheck } from "./gradcheck-callback.js";
export { gradcheckCallback } from "./gradcheck-callback.js";
export type { GradientVectorCheck, Segment } from "./check-gradient-vector.js";
export { checkGradientVector } from "./check-gradient-vector.js";
export type {
  ActivationStats, GradientMonitor, GradientMonitorOptions, LayerStats, MonitorFinding, MonitorFindingSummary,
  MonitorRecord, MonitorReport, ParameterStats,
} from "./monitor.js";
export { formatMonitorReport, gradientMonitor } from "./monitor.js";
export type { GradcheckMatcherOptions, GradcheckSubject, MatcherResult } from "./matchers.js";
export { gradcheckMatchers } from "./matchers.js";
