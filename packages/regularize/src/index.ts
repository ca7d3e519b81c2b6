// @hone/regularize: the public surface.
export type { L1Options, L2Options, WeightPenalty } from "./penalty.js";
export { l1, l2 } from "./penalty.js";
export type { DropoutAfterHiddenOptions, DropoutMaskOptions, DropoutOptions, MaskLayout } from "./dropout.js";
export { Dropout, dropout, dropoutAfterHidden } from "./dropout.js";
export type {
  AugmentFunction, Augmentation, GaussianNoiseOptions, Interpolation, RandomCropOptions, RandomFlipOptions,
  RandomRotationOptions, RandomShiftOptions, RotateOptions,
} from "./augment.js";
export {
  augmentPipeline, gaussianNoise, randomCrop, randomFlip, randomRotation, randomShift, rotateImages,
} from "./augment.js";
export type { EarlyStopping, EarlyStoppingOptions, EarlyStoppingResult, StopMode } from "./early-stopping.js";
export { earlyStopping } from "./early-stopping.js";
